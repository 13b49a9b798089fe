"""Issue 2: the command line, configuration precedence, import, shutdown."""
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import urllib.parse

from harness import Server


def test_version_and_help(sen):
    r = subprocess.run([sen, "version"], capture_output=True, text=True)
    assert r.returncode == 0 and re.match(r"sen \d+\.\d+\.\d+", r.stdout)
    r = subprocess.run([sen, "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for cmd in ("init", "serve", "import", "version"):
        assert cmd in r.stdout
    for cmd in ("init", "serve", "import"):
        r = subprocess.run([sen, cmd, "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "Cách dùng" in r.stdout, cmd
    r = subprocess.run([sen, "khong-co-lenh"], capture_output=True, text=True)
    assert r.returncode == 2


def test_serve_help_lists_settings(sen):
    r = subprocess.run([sen, "serve", "--help"], capture_output=True, text=True)
    for k in ("SEN_LISTEN", "SEN_SITE_NAME", "SEN_MAX_BODY"):
        assert k in r.stdout, k


def test_init_twice_keeps_data(sen):
    s = Server(sen, demo=True)
    try:
        before = s.run("init", "--data", s.data, "--demo")
        assert before.returncode == 0, before.stderr
        s.start()
        titles = [i["title"] for i in s.published_articles()]
        assert len(titles) == len(set(titles)), "demo loaded twice"
        assert len(titles) >= 13
        assert os.path.exists(os.path.join(s.data, "sen.ini"))
    finally:
        s.close()


def test_config_precedence(sen):
    s = Server(sen, demo=False, ini="[site]\nname = Tên từ tệp\n")
    try:
        s.start()
        assert "Tên từ tệp" in s.get("/").text
        s.stop()
        s.env["SEN_SITE_NAME"] = "Tên từ môi trường"
        s.start()
        assert "Tên từ môi trường" in s.get("/").text
        s.stop()
        s.args = ["--set", "site.name=Tên từ tham số"]
        s.start()
        assert "Tên từ tham số" in s.get("/").text
    finally:
        s.close()


def test_config_error_names_line(sen):
    s = Server(sen, demo=False, ini="[site]\nname = A\n\n[server]\nlisen = 1\n")
    try:
        r = s.run("serve", "--data", s.data)
        assert r.returncode != 0
        assert "sen.ini:5" in r.stderr, r.stderr
    finally:
        s.close()


def test_bad_env_value_refused(sen):
    s = Server(sen, demo=False)
    try:
        s.env["SEN_THREADS"] = "many"
        r = s.run("serve", "--data", s.data)
        assert r.returncode != 0 and "SEN_THREADS" in r.stderr, r.stderr
    finally:
        s.close()


def test_serve_without_init(sen):
    d = tempfile.mkdtemp()
    r = subprocess.run([sen, "serve", "--data", os.path.join(d, "none")], capture_output=True, text=True)
    assert r.returncode != 0 and "sen init" in r.stderr


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
            f.write("\n")


def article(i, cat="Thử nghiệm"):
    return {"title": f"Bài thử số {i}", "body": f"Nội dung **bài {i}** về Điện Biên Phủ.",
            "category": cat, "published_at": f"2020-03-{(i % 28) + 1:02d}T08:{i % 60:02d}:00+07:00",
            "tags": ["thử"]}


def test_import_reports_every_bad_line(sen):
    s = Server(sen, demo=False)
    try:
        f = os.path.join(s.data, "bad.jsonl")
        write_jsonl(f, [article(1), "{not json", {"title": "", "body": "x", "category": "A",
                                                   "published_at": "2020-01-01"},
                        article(4), {"title": "T", "body": "x", "category": "A",
                                     "published_at": "2020-02-30"}])
        r = s.run("import", "articles", f, "--data", s.data)
        assert r.returncode != 0
        for n in (2, 3, 5):
            assert re.search(rf"bad\.jsonl:{n}:", r.stderr), (n, r.stderr)
        assert not re.search(r"bad\.jsonl:(1|4):", r.stderr)
        s.start()
        assert s.get("/api/v1/articles").json()["items"] == [], "partial import happened"
    finally:
        s.close()


def test_import_and_keyset_pagination(sen):
    s = Server(sen, demo=False)
    try:
        f = os.path.join(s.data, "good.jsonl")
        write_jsonl(f, [article(i) for i in range(1, 31)])
        r = s.run("import", "articles", f, "--data", s.data)
        assert r.returncode == 0, r.stderr
        s.start()
        r = s.get("/thu-nghiem")
        assert r.status == 200
        seen, path, pages = [], "/thu-nghiem", 0
        while path:
            html = s.get(path).text
            seen += re.findall(r'<h3 class="card-title"><a href="([^"]+)"', html)
            m = re.search(r'<a rel="next" href="([^"]+)"', html)
            path = m.group(1).replace("&amp;", "&") if m else None
            pages += 1
            assert pages < 10
        assert len(seen) == 30 and len(set(seen)) == 30, len(seen)
        assert pages == 3
        # each article page works and carries the folded slug
        assert all(re.match(r"^/thu-nghiem/bai-thu-so-\d+-\d+$", p) for p in seen), seen[:3]
    finally:
        s.close()


def test_markdown_is_safe(sen):
    s = Server(sen, demo=False)
    try:
        f = os.path.join(s.data, "x.jsonl")
        body = ("Đoạn <script>alert(1)</script> văn\n\n[bấm](javascript:alert(1))\n\n"
                "<img src=x onerror=alert(1)>\n\n{{site.name}}")
        write_jsonl(f, [{"title": "<b>Tiêu đề</b> {{x}}", "body": body, "category": "Tin",
                         "published_at": "2020-01-01T00:00:00+07:00"}])
        r = s.run("import", "articles", f, "--data", s.data)
        assert r.returncode == 0, r.stderr
        s.start()
        item = s.get("/api/v1/articles").json()["items"][0]
        html = s.get(urllib.parse.urlsplit(item["url"]).path).text
        assert "<script>alert" not in html
        assert "javascript:" not in html
        assert "onerror=alert" not in html or "&lt;img" in html
        assert "&lt;b&gt;Tiêu đề&lt;/b&gt;" in html
        assert "{{site.name}}" in html  # user text never becomes a template
    finally:
        s.close()


def test_sigterm_finishes_and_exits_zero(sen):
    s = Server(sen, demo=False)
    try:
        s.start()
        assert s.get("/").status == 200
        rc = s.stop(signal.SIGTERM)
        assert rc == 0
        log = s.read_log()
        assert "access GET / 200" in log
    finally:
        s.close()


def test_access_log_escapes_control_characters(sen):
    s = Server(sen, demo=False)
    try:
        s.start()
        s.raw(b"GET /a%0aFAKE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        s.stop()
        log = s.read_log()
        assert "\nFAKE" not in log
    finally:
        s.close()


def test_page_cache_sees_writes_from_other_processes(sen):
    """Pages are cached for at most a second; an import by another process shows after that."""
    import time
    s = Server(sen, demo=False)
    try:
        s.start()
        assert "Bài mới từ lệnh import" not in s.get("/").text
        f = os.path.join(s.data, "one.jsonl")
        write_jsonl(f, [{"title": "Bài mới từ lệnh import", "body": "Nội dung.", "category": "Tin",
                         "published_at": "2020-01-01T08:00:00+07:00"}])
        assert s.run("import", "articles", f, "--data", s.data).returncode == 0
        time.sleep(1.2)
        assert "Bài mới từ lệnh import" in s.get("/").text
    finally:
        s.close()


def test_broken_template_stops_startup_with_file_and_line(sen):
    import shutil
    from harness import ROOT
    share = tempfile.mkdtemp(prefix="sen-share-")
    try:
        for d in ("sql", "themes", "locale", "demo"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(share, d))
        home = os.path.join(share, "themes", "default", "home.mustache")
        with open(home, encoding="utf-8") as f:
            lines = f.read().split("\n")
        lines.insert(3, "{{#unclosed}}")
        with open(home, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        s = Server(sen, demo=False, env={"SEN_SHARE_DIR": share})
        try:
            r = s.run("serve", "--data", s.data)
            assert r.returncode != 0
            assert "home.mustache:" in r.stderr and "line 4" in r.stderr, r.stderr
        finally:
            s.close()
    finally:
        shutil.rmtree(share, ignore_errors=True)


def test_database_is_wal(sen):
    import sqlite3
    s = Server(sen, demo=False)
    try:
        con = sqlite3.connect(os.path.join(s.data, "sen.db"))
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    finally:
        s.close()
