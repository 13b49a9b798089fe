"""Issue 15, upgrades: databases made by older Sens upgrade with `sen init` without
loss (tests/fixtures/*.db.xz, one per release, made by tests/fixtures/make_fixture.py);
a failed migration leaves the database as it was and names the file; a database
from a newer Sen is refused (no downgrade)."""
import glob
import lzma
import os
import shutil
import sqlite3
import tempfile

from harness import ROOT, Server

FIXTURES = sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "*.db.xz")))

# Rows compared one by one (what a museum cannot lose), by the columns every
# release has had.
KEPT = {
    "articles": "id, title, body_md, status",
    "users": "id, name, role, password_hash",
    "objects": "id, name",
    "register_log": "id, hash",
    "audit_log": "id, action",
}


def unpack(fixture):
    data = tempfile.mkdtemp(prefix="sen-upgrade-")
    with lzma.open(fixture) as z, open(os.path.join(data, "sen.db"), "wb") as f:
        f.write(z.read())
    return data


def tables(c):
    return [r[0] for r in c.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL%'")]


def snapshot(path):
    c = sqlite3.connect(path)
    try:
        counts = {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables(c)}
        rows = {t: c.execute(f"SELECT {cols} FROM {t} ORDER BY id").fetchall()
                for t, cols in KEPT.items() if t in counts}
        version = c.execute("PRAGMA user_version").fetchone()[0]
        return counts, rows, version
    finally:
        c.close()


def share_with(extra):
    """A copy of the shipped sql/ folder plus extra {name: text} files, as SEN_SHARE_DIR."""
    share = tempfile.mkdtemp(prefix="sen-share-")
    os.chmod(share, 0o755)
    shutil.copytree(os.path.join(ROOT, "sql"), os.path.join(share, "sql"))
    for shipped in ("themes", "locale", "demo"):
        os.symlink(os.path.join(ROOT, shipped), os.path.join(share, shipped))
    for name, text in extra.items():
        with open(os.path.join(share, "sql", name), "w", encoding="utf-8") as f:
            f.write(text)
    return share


def test_fixtures_exist():
    assert FIXTURES, "no upgrade fixture in tests/fixtures"


def check_upgrade(s, data, fixture):
    db = os.path.join(data, "sen.db")
    counts, rows, version = snapshot(db)
    assert counts.get("articles", 0) > 0 and counts.get("objects", 0) > 0, fixture
    r = s.run("init", "--data", data)
    assert r.returncode == 0, (fixture, r.stderr)
    after_counts, after_rows, after_version = snapshot(db)
    assert after_version >= version
    for t, n in counts.items():
        assert after_counts.get(t, -1) >= n, (fixture, t, n, after_counts.get(t))
    for t in rows:
        assert after_rows[t] == rows[t], (fixture, t)
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*) FROM pragma_foreign_key_check").fetchone()[0] == 0
        # Adopted: the files up to the fixture's version are recorded as such.
        adopted = c.execute("SELECT count(*) FROM schema_migrations WHERE adopted = 1"
                            " AND CAST(substr(name, 1, 3) AS INTEGER) <= ?", (version,)).fetchone()[0]
        assert adopted >= 1
        shipped = len(glob.glob(os.path.join(ROOT, "sql", "[0-9]*_*.sql")))
        assert c.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == shipped
    r = s.run("register", "verify", "--data", data)
    assert r.returncode == 0, (fixture, r.stdout, r.stderr)
    # A second run has nothing to do.
    r = s.run("init", "--data", data)
    assert r.returncode == 0 and "applied" not in r.stderr, r.stderr
    s.start()
    assert s.get("/").status == 200
    published = {a["title"] for a in s.published_articles()}
    assert published and published <= {r[1] for r in rows["articles"]}
    s.stop_cleanly()


def test_upgrade_each_fixture(sen):
    for fixture in FIXTURES:
        data = unpack(fixture)
        s = Server(sen, data=data, init=False)
        try:
            check_upgrade(s, data, fixture)
        finally:
            s.close()
            shutil.rmtree(data, ignore_errors=True)


def test_failed_migration_leaves_database(sen):
    s = Server(sen, demo=False)
    share = share_with({
        "900_first.sql": "CREATE TABLE ops_marker (x INTEGER);\nINSERT INTO links (title, url,"
                         " position) VALUES ('x', 'https://example.org', 99);\n",
        "901_broken.sql": "ALTER TABLE articles ADD COLUMN ops_flag INTEGER;\n"
                          "INSERT INTO no_such_table VALUES (1);\n",
    })
    try:
        db = os.path.join(s.data, "sen.db")
        before = snapshot(db)
        s.env["SEN_SHARE_DIR"] = share
        r = s.run("init", "--data", s.data)
        assert r.returncode == 1, r.stderr
        assert "901_broken.sql failed, nothing was changed: no such table: no_such_table" \
            in r.stderr, r.stderr
        assert snapshot(db) == before
        c = sqlite3.connect(db)
        try:
            cols = [r[1] for r in c.execute("PRAGMA table_info(articles)")]
            assert "ops_flag" not in cols
            assert c.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'ops_marker'"
                             ).fetchone()[0] == 0
            assert c.execute("SELECT count(*) FROM schema_migrations WHERE name LIKE '90%'"
                             ).fetchone()[0] == 0
        finally:
            c.close()
        # The server refuses to start on it too, and says why.
        r = s.run("serve", "--data", s.data, "--listen", f"127.0.0.1:{s.port}")
        assert r.returncode == 1 and "901_broken.sql" in r.stderr, r.stderr
    finally:
        s.close()
        shutil.rmtree(share, ignore_errors=True)


def test_downgrade_refused(sen):
    s = Server(sen, demo=False)
    share = share_with({"990_future.sql": "CREATE TABLE future (x INTEGER);\n"})
    try:
        s.env["SEN_SHARE_DIR"] = share
        r = s.run("init", "--data", s.data)
        assert r.returncode == 0 and "applied 990_future.sql" in r.stderr, r.stderr
        db = os.path.join(s.data, "sen.db")
        before = snapshot(db)
        # This Sen does not know 990: the database is a newer Sen's.
        del s.env["SEN_SHARE_DIR"]
        for cmd in (["init"], ["register", "verify"]):
            r = s.run(*cmd, "--data", s.data)
            assert r.returncode == 1, (cmd, r.stderr)
            assert "refusing to downgrade" in r.stderr and "990_future.sql" in r.stderr, r.stderr
        assert snapshot(db) == before
    finally:
        s.close()
        shutil.rmtree(share, ignore_errors=True)
