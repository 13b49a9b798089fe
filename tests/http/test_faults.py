"""Issue 6: the fault suite, end to end against the real binary.

- kill -9 of the server (and of a writer in the middle of its transaction)
  under a mixed read/write load: afterwards PRAGMA integrity_check is ok,
  every acknowledged write is there, and a killed import is all or nothing;
- a read-only data directory, with the server run as an unprivileged user
  (root ignores permissions): a clear error, nothing corrupted;
- the database locked by another process: every request gets a clean
  answer (it waits; past the busy timeout a write gets 503 with
  Retry-After), never a crash or internals;
- the privilege drop: started as root, the server serves as an unprivileged
  account (every thread), still writes, and refuses clearly what cannot work;
- a full disk (a small tmpfs when mounting is permitted, else a file size
  limit set on the running server with prlimit): writes get 507, nothing is
  corrupted, writes succeed again when space returns;
- allocation failures injected one at a time into every request (test
  builds: SEN_FAULT_ALLOC, core/fault.h): every answer is a clean page.

Writes come from `sen import` (one process per batch, each batch one
transaction) and from the rating API.
"""
import grp
import json
import os
import pwd
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time

from harness import Server, Skip, free_port

INTERNALS = ("sqlite", "database is locked", "sql logic", "busy", "errno", ".c:", "stack")
SANITIZER = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def setup_module(sen):
    return sen


def write_batch(path, tag, n):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({
                "title": f"Bài kiểm tra độ bền {tag} số {i}",
                "body": f"Nội dung **{tag}** {i}.",
                "category": "Tin kiểm tra",
                "published_at": "2024-01-02T08:00:00+07:00",
            }, ensure_ascii=False) + "\n")


def titles_in(db_path):
    db = sqlite3.connect(db_path, timeout=10)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {r[0] for r in db.execute("SELECT title FROM articles")}
    finally:
        db.close()


def log_clean(text):
    for m in SANITIZER:
        assert m not in text, text[text.find(m) - 200:text.find(m) + 1500]


def no_internals(r, what):
    low = r.body.decode("utf-8", "replace").lower()
    for word in INTERNALS:
        assert word not in low, (what, r.status, word, low[:300])


# ---- kill -9 under write load ----------------------------------------------------------

def test_fault_kill9_under_write_load(sen):
    s = Server(sen, demo=False).start()
    work = tempfile.mkdtemp(prefix="sen-fault-")
    acked, lock = [], threading.Lock()
    killed_batches = []
    stop = threading.Event()
    errors = []

    def importer(wid):
        n = 0
        while not stop.is_set():
            tag = f"w{wid}-{n}"
            path = os.path.join(work, tag + ".jsonl")
            write_batch(path, tag, 5)
            p = subprocess.Popen([sen, "import", "articles", path, "--data", s.data],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # Every fourth batch of writer 0 is killed mid-way: a writer dying
            # inside its transaction must leave all or nothing.
            if wid == 0 and n % 4 == 3:
                time.sleep(0.004 * (n % 7))
                p.send_signal(signal.SIGKILL)
                p.communicate()
                killed_batches.append(tag)
            else:
                out, err = p.communicate()
                if p.returncode == 0 and "Đã nhập 5" in out:
                    with lock:
                        acked.append(tag)
                elif p.returncode != 0 and "locked" not in err and "bận" not in err:
                    errors.append((tag, p.returncode, err[-500:]))
            n += 1

    ratings = {}  # article id -> acknowledged votes

    def reader_and_rater():
        i = 0
        rating_ok = None
        while not stop.is_set():
            try:
                r = s.get("/api/v1/articles")
                assert r.status == 200
                items = r.json()["items"]
                if items and rating_ok is not False:
                    r = s.request("POST", f"/api/v1/articles/{items[0]['id']}/rating",
                                  body={"stars": 1 + i % 5},
                                  headers={"User-Agent": f"sen-fault-visitor-{i}"})
                    if r.status == 404:
                        errors.append(("rating API", r.status, r.body[:200]))
                        rating_ok = False
                    elif r.status == 200:
                        aid = items[0]["id"]
                        ratings[aid] = ratings.get(aid, 0) + 1
            except (ConnectionError, OSError):
                pass  # the kill
            i += 1

    threads = [threading.Thread(target=importer, args=(w,), daemon=True) for w in range(2)]
    threads.append(threading.Thread(target=reader_and_rater, daemon=True))
    for t in threads:
        t.start()
    try:
        # At least 3 s of load, and until enough batches were acknowledged
        # to mean something (a loaded machine starts each import slower).
        deadline = time.time() + 60
        time.sleep(3)
        while len(acked) < 6 and time.time() < deadline:
            time.sleep(0.2)
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait()
        s.proc = None
        s.log.close()
        time.sleep(0.3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=20)
    try:
        assert not errors, errors[:3]
        assert len(acked) >= 5, f"only {len(acked)} batches were acknowledged in 60 s"
        titles = titles_in(os.path.join(s.data, "sen.db"))
        for tag in acked:
            for i in range(5):
                assert f"Bài kiểm tra độ bền {tag} số {i}" in titles, f"acknowledged {tag} lost"
        for tag in killed_batches:
            present = sum(f"Bài kiểm tra độ bền {tag} số {i}" in titles for i in range(5))
            assert present in (0, 5), f"killed batch {tag} half written ({present}/5)"
        # The server comes back on the same files and serves all of it.
        s.start()
        r = s.get("/api/v1/articles")
        assert r.status == 200 and r.json()["items"]
        for aid, n in ratings.items():
            j = s.get(f"/api/v1/articles/{aid}").json()
            assert j["rating"]["count"] >= n, (aid, j["rating"], n)
        log_clean(s.read_log())
        print(f"    {len(acked)} batches acknowledged, {len(killed_batches)} killed mid-way, "
              f"{sum(ratings.values())} ratings acknowledged; all present, integrity ok")
    finally:
        s.close()
        shutil.rmtree(work, ignore_errors=True)


# ---- a read-only data directory ------------------------------------------------------

def chmod_tree(path, dir_mode, file_mode):
    for root, dirs, files in os.walk(path):
        for d in dirs:
            os.chmod(os.path.join(root, d), dir_mode)
        for f in files:
            os.chmod(os.path.join(root, f), file_mode)
    os.chmod(path, dir_mode)


def as_nobody(cmd):
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + cmd
    return ["runuser", "-u", "nobody", "--"] + cmd


def test_fault_readonly_data_directory(sen):
    if os.geteuid() != 0:
        raise Skip("needs root to run the server as another user (root ignores permissions)")
    s = Server(sen, demo=False)
    src = tempfile.mkdtemp(prefix="sen-fault-ro-")
    try:
        write_batch(os.path.join(src, "a.jsonl"), "ro", 3)
        assert s.run("import", "articles", os.path.join(src, "a.jsonl"), "--data", s.data).returncode == 0
        before = titles_in(os.path.join(s.data, "sen.db"))
        nobody = pwd.getpwnam("nobody")
        os.chmod(src, 0o755)
        os.chmod(os.path.join(src, "a.jsonl"), 0o644)
        for root, dirs, files in os.walk(s.data):
            for n in dirs + files:
                os.chown(os.path.join(root, n), nobody.pw_uid, nobody.pw_gid)
        os.chown(s.data, nobody.pw_uid, nobody.pw_gid)
        chmod_tree(s.data, 0o555, 0o444)
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")

        # The server: a clear refusal, or it serves what it can read.
        p = subprocess.Popen(as_nobody([sen, "serve", "--data", s.data,
                                        "--listen", f"127.0.0.1:{s.port}"]),
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = p.communicate(timeout=8)
            exited = True
        except subprocess.TimeoutExpired:
            exited = False
        if exited:
            assert p.returncode != 0
            log_clean(err)
            assert s.data in err or "sen.db" in err, err
            assert re.search(r"readonly|read-only|chỉ đọc|quyền|permission|không ghi|không mở",
                             err, re.I), err
            print("    server refused to start: " + err.strip().splitlines()[-1][:160])
        else:
            try:
                r = s.get("/")
                assert r.status in (200, 503), r.status
                no_internals(r, "GET / on a read-only data dir")
            finally:
                p.send_signal(signal.SIGTERM)
                out, err = p.communicate(timeout=20)
            log_clean(err)
            print("    server ran read-only and answered GET /")

        # A writer gets a clear error and changes nothing.
        write_batch(os.path.join(src, "b.jsonl"), "ro-b", 2)
        os.chmod(os.path.join(src, "b.jsonl"), 0o644)
        r = subprocess.run(as_nobody([sen, "import", "articles", os.path.join(src, "b.jsonl"),
                                      "--data", s.data]), env=env, capture_output=True, text=True,
                           timeout=30)
        assert r.returncode != 0
        log_clean(r.stderr)
        assert r.stderr.strip(), "no message"
    finally:
        chmod_tree(s.data, 0o750, 0o640)
        shutil.rmtree(src, ignore_errors=True)
    try:
        # Nothing was lost or half written, and the directory works again.
        assert titles_in(os.path.join(s.data, "sen.db")) == before
        s.start()
        assert s.get("/").status == 200
    finally:
        s.close()


# ---- the database locked by another process ------------------------------------------

def hold_lock(db_path, seconds, ready):
    db = sqlite3.connect(db_path, timeout=10, isolation_level=None)
    try:
        # In WAL mode BEGIN EXCLUSIVE takes the write lock at once; nothing
        # needs to be written (and article triggers need Sen's tokenizer).
        db.execute("BEGIN EXCLUSIVE")
        ready.set()
        time.sleep(seconds)
        db.execute("ROLLBACK")
    finally:
        db.close()


def rating_count(s, aid):
    r = s.get(f"/api/v1/articles/{aid}")
    assert r.status == 200, r.status
    return r.json()["rating"]["count"]


def test_fault_database_locked(sen):
    # Four threads: the two writers below may both wait for the lock while
    # the reads are answered.
    s = Server(sen, demo=True, args=["--threads", "4"]).start()
    try:
        items = s.get("/api/v1/articles").json()["items"]
        art = items[0]
        path = "/" + art["url"].split("/", 3)[3]
        src = tempfile.mkdtemp(prefix="sen-fault-lock-")
        write_batch(os.path.join(src, "c.jsonl"), "lock", 2)
        form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
        # 2 s: within the server's busy timeout, so writers wait. 11 s: well
        # past it (a loaded machine may start a writer seconds late), so a
        # writer must give up, cleanly: 503 with Retry-After, never 500. (WAL readers are never blocked by a writer; an exclusive
        # locking_mode cannot even be taken while the server holds the
        # database open.)
        for hold in (2.0, 11.0):
            before = rating_count(s, art["id"])
            ua = f"Mozilla/5.0 sen-fault-lock-{hold:.0f}"
            ready = threading.Event()
            t = threading.Thread(target=hold_lock, daemon=True,
                                 args=(os.path.join(s.data, "sen.db"), hold, ready))
            t.start()
            assert ready.wait(10)
            # The API vote and the form vote both wait for the same lock
            # while the reads below go on.
            writes = {}

            def post(key, *args, **kw):
                t0 = time.time()
                try:
                    writes[key] = (s.request(*args, timeout=30, **kw), time.time() - t0)
                except Exception as e:  # reported below, with the time it took
                    writes[key] = (e, time.time() - t0)

            writers = [
                threading.Thread(target=post, args=("api", "POST",
                                 f"/api/v1/articles/{art['id']}/rating"),
                                 kwargs={"body": {"stars": 4}, "headers": {"User-Agent": ua}}),
                threading.Thread(target=post, args=("form", "POST", f"/danh-gia/{art['id']}"),
                                 kwargs={"body": "stars=5", "headers": dict(
                                     form_headers, **{"User-Agent": ua + "-form"})}),
            ]
            for w in writers:
                w.start()
                # A moment apart, so that they reach different server
                # threads (one thread that accepted both would serve them one
                # after the other: a handler waiting for the lock holds its
                # thread).
                time.sleep(0.3)
            results = []
            for p in ("/", path, "/api/v1/articles", f"/api/v1/articles/{art['id']}",
                      "/tin-hoat-dong", "/api/v1/articles?after=bad"):
                t0 = time.time()
                r = s.get(p)
                results.append((p, r.status, round(time.time() - t0, 2)))
                assert r.status in (200, 400, 503), (p, r.status)
                assert time.time() - t0 < 10, p
                assert r.status != 503 or hold > 5, (p, "503 while a writer waits 2 s")
                if r.status == 503:
                    assert r.header("Retry-After") == "5", (p, r.headers)
                no_internals(r, p)
            for w in writers:
                w.join(20)
            (api, api_s), (form, form_s) = writes["api"], writes["form"]
            for r, took in (writes["api"], writes["form"]):
                assert not isinstance(r, Exception), (f"no answer after {took:.1f} s", r)
            no_internals(api, "rating under lock")
            no_internals(form, "rating form under lock")
            if hold < 5:
                # Within the busy timeout the writers wait for the lock.
                assert api.status == 200, (api.status, round(api_s, 1), api.body[:300])
                assert form.status == 303, (form.status, round(form_s, 1), form.body[:300])
            else:
                # Past it: 503, Retry-After, the "busy" message; never 500.
                assert api.status == 503, (api.status, round(api_s, 1), api.body[:300])
                assert api.header("Retry-After") == "5", api.headers
                j = api.json()
                assert j["error"] == "unavailable" and "bận" in j["message"], j
                assert 4.5 < api_s < hold, api_s
                # The HTML form gets the same answer as a page.
                assert form.status == 503, (form.status, round(form_s, 1), form.body[:300])
                assert form.header("Retry-After") == "5", form.headers
                assert "text/html" in form.header("Content-Type")
                assert "Máy chủ đang bận, vui lòng thử lại sau ít giây." in form.text, \
                    form.text[:500]
            imp = s.run("import", "articles", os.path.join(src, "c.jsonl"), "--data", s.data)
            assert imp.returncode in (0, 1), imp.returncode
            if imp.returncode != 0:
                assert imp.stderr.strip() and "Traceback" not in imp.stderr
            log_clean(imp.stderr)
            t.join(20)
            assert not t.is_alive(), "the lock was not released"
            assert s.proc.poll() is None, "the server died under a locked database"
            if hold < 5:
                assert rating_count(s, art["id"]) == before + 2
            else:
                # Nothing of the refused votes was written; once the lock is
                # gone the same visitor's vote goes through, exactly once.
                assert rating_count(s, art["id"]) == before
                r2 = s.request("POST", f"/api/v1/articles/{art['id']}/rating",
                               body={"stars": 4}, headers={"User-Agent": ua})
                assert r2.status == 200, (r2.status, r2.body[:300])
                assert rating_count(s, art["id"]) == before + 1
            print(f"    lock held {hold:.0f}s: rating API {api.status} in {api_s:.1f}s, form "
                  f"{form.status} in {form_s:.1f}s, {len(results)} reads "
                  f"{sorted({st for _, st, _ in results})} in at most "
                  f"{max(t for _, _, t in results):.2f}s, import exit {imp.returncode}")
        # Afterwards everything works and nothing is damaged.
        assert s.get("/").status == 200
        shutil.rmtree(src, ignore_errors=True)
        rc = s.stop()
        assert rc == 0
        log_clean(s.read_log())
        db = sqlite3.connect(os.path.join(s.data, "sen.db"))
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    finally:
        s.close()


# ---- helpers for servers started by hand ---------------------------------------------

def spawn(s, prefix=(), env=None, log_path=None, timeout=20):
    """Starts `sen serve` for s as Server.start() does, with a command prefix
    (setpriv), its own environment and, when given, a log outside the data
    directory. Returns the log path."""
    s.log_path = log_path or os.path.join(s.data, "server.log")
    s.log = open(s.log_path, "w")
    cmd = list(prefix) + [s.sen, "serve", "--data", s.data,
                          "--listen", f"127.0.0.1:{s.port}"] + s.args
    s.proc = subprocess.Popen(cmd, env=env or s.env, stdout=s.log, stderr=s.log)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if s.proc.poll() is not None:
            raise AssertionError(f"sen serve exited with {s.proc.returncode}: {read(s.log_path)}")
        try:
            with socket.create_connection(("127.0.0.1", s.port), timeout=0.2):
                return s.log_path
        except OSError:
            time.sleep(0.05)
    raise AssertionError("sen serve did not start listening")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def first_article(s):
    art = s.get("/api/v1/articles").json()["items"][0]
    return art["id"], "/" + art["url"].split("/", 3)[3]


# ---- the privilege drop ------------------------------------------------------------

def thread_ids(pid):
    """[(uids, gids, groups)] of every thread of pid, from /proc."""
    out = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        fields = {}
        with open(f"/proc/{pid}/task/{tid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                fields[k] = v.split()
        out.append(([int(x) for x in fields["Uid"]], [int(x) for x in fields["Gid"]],
                    [int(x) for x in fields.get("Groups", [])]))
    return out


def refused(sen, data, env, *extra):
    """Runs `sen serve` that must refuse to start: (exit code, stderr)."""
    port = free_port()
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0", **env)
    p = subprocess.run([sen, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", *extra],
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode != 0, f"served although it should have refused: {p.stderr[-500:]}"
    log_clean(p.stderr)
    # Nothing listens any more: the process is gone with its socket.
    with socket.socket() as c:
        assert c.connect_ex(("127.0.0.1", port)) != 0
    return p.returncode, p.stderr


def test_fault_privilege_drop(sen):
    if os.geteuid() != 0:
        # Not root: there is nothing to drop. A named account is ignored
        # with a note, and the server serves as the user that started it.
        other = "daemon" if pwd.getpwuid(os.geteuid()).pw_name != "daemon" else "nobody"
        s = Server(sen, demo=True, env={"SEN_SERVER_USER": other}).start()
        try:
            assert s.get("/").status == 200
            for uids, gids, _ in thread_ids(s.proc.pid):
                assert set(uids) == {os.geteuid()} and set(gids) == {os.getegid()}
            log = s.read_log()
            assert f"user = {other} is ignored" in log and "privdrop: running as" not in log, log
            print(f"    not root: server.user={other} ignored with a note, served as "
                  f"uid {os.geteuid()}")
        finally:
            s.close()
        return

    nobody = pwd.getpwnam("nobody")
    try:
        target = pwd.getpwnam("sen")
    except KeyError:
        target = nobody
    outside = tempfile.NamedTemporaryFile(prefix="sen-fault-outside-", delete=False)
    outside.close()
    # `make run` as root on a fresh machine: `sen init` and `sen serve` as
    # root, server.user left empty (the default).
    s = Server(sen, demo=True, env={"SEN_SERVER_USER": ""})
    try:
        os.chmod(s.data, 0o700)
        media = os.path.join(s.data, "media")
        # Planted links must not make the hand-over reach a file of root's.
        os.symlink(outside.name, os.path.join(media, "symlink-out.png"))
        os.link(outside.name, os.path.join(media, "hardlink-out.png"))
        s.start()
        aid, path = first_article(s)
        ids = thread_ids(s.proc.pid)
        assert len(ids) >= 3, ids  # main, the statistics flush, the server's threads
        for uids, gids, groups in ids:
            assert uids == [target.pw_uid] * 4, (uids, target.pw_name)
            assert gids == [target.pw_gid] * 4, gids
            assert groups == [], groups
        # It still serves and writes.
        r = s.get("/")
        assert r.status == 200
        css = re.search(r'href="(/static/[^"]+\.css[^"]*)"', r.text)
        assert css and s.get(css.group(1)).status == 200, "static files unreadable after the drop"
        assert s.get(path).status == 200
        before = rating_count(s, aid)
        r = s.request("POST", f"/api/v1/articles/{aid}/rating", body={"stars": 5},
                      headers={"User-Agent": "Mozilla/5.0 sen-fault-privdrop"})
        assert r.status == 200, (r.status, r.body[:300])
        r = s.request("POST", f"/danh-gia/{aid}", body="stars=4",
                      headers={"User-Agent": "Mozilla/5.0 sen-fault-privdrop-form",
                               "Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 303, r.status
        assert rating_count(s, aid) == before + 2
        # What Sen writes is the account's now; its settings and anything
        # reached through a link stay root's.
        for name in ("", "sen.db", "sen.db-wal", "sen.db-shm", "media", "tmp"):
            assert os.stat(os.path.join(s.data, name)).st_uid == target.pw_uid, name
        assert os.stat(os.path.join(s.data, "sen.ini")).st_uid == 0
        assert os.stat(outside.name).st_uid == 0, "a hard or symbolic link was followed"
        assert os.lstat(os.path.join(media, "symlink-out.png")).st_uid == 0
        log = s.read_log()
        assert f"privdrop: running as {target.pw_name}" in log, log
        assert re.search(r"privdrop: gave \d+ entries", log), log
        assert s.stop() == 0
        log_clean(s.read_log())
        print(f"    root -> {target.pw_name} (uid {target.pw_uid}) in all {len(ids)} threads; "
              "served, voted (API and form); links left alone")

        # server.user=none: stays root, says so.
        s.env["SEN_SERVER_USER"] = "none"
        s.start()
        assert all(uids == [0] * 4 for uids, _, _ in thread_ids(s.proc.pid))
        assert s.get("/").status == 200
        assert s.stop() == 0
        assert "serving as root (for development only" in s.read_log()

        # Started by an unprivileged user: server.user is ignored, with a note.
        prefix = ["setpriv", f"--reuid={target.pw_uid}", f"--regid={target.pw_gid}",
                  "--clear-groups", "--"]
        env = dict(s.env, SEN_SERVER_USER="daemon")
        os.chmod(os.path.join(s.data, "sen.ini"), 0o644)  # root's, 0640 by `sen init`
        log_path = spawn(s, prefix, env, log_path=outside.name + ".log")
        try:
            assert s.get("/").status == 200
            assert all(uids == [target.pw_uid] * 4 for uids, _, _ in thread_ids(s.proc.pid))
        finally:
            s.stop()
        assert "user = daemon is ignored" in read(log_path), read(log_path)
        os.unlink(log_path)

        # Refusals, each before any request is served, each naming the fix.
        rc, err = refused(sen, s.data, {"SEN_SERVER_USER": "sen-no-such-account"})
        assert "no user sen-no-such-account" in err and "adduser" in err, err
        rc, err = refused(sen, s.data, {"SEN_SERVER_USER": "root"})
        assert "uid or gid 0" in err, err
        rc, err = refused(sen, s.data, {"SEN_SERVER_USER": "-rf"})
        assert rc == 1 and "account name" in err, err
        # A file an administrator gave to another account stays theirs: the
        # server says which file and how to fix it.
        db_path = os.path.join(s.data, "sen.db")
        os.chown(db_path, 1, 1)  # daemon
        rc, err = refused(sen, s.data, {"SEN_SERVER_USER": "nobody"})
        assert os.stat(db_path).st_uid == 1
        assert "cannot write " + db_path in err and "chown -R nobody: " + s.data in err, err
        os.chown(db_path, 0, 0)
    finally:
        s.close()
        os.unlink(outside.name)

    # A data directory inside a folder closed to the account: no chown can
    # fix that; the message names the folder.
    closed = tempfile.mkdtemp(prefix="sen-fault-closed-")  # 0700, root's
    try:
        data = os.path.join(closed, "data")
        r = subprocess.run([sen, "init", "--data", data], capture_output=True, text=True,
                           env=dict(os.environ, SEN_SERVER_USER="none"))
        assert r.returncode == 0, r.stderr
        rc, err = refused(sen, data, {"SEN_SERVER_USER": "nobody"})
        assert f"the folder {closed} above it is closed" in err and f"chmod o+x {closed}" in err, err
    finally:
        shutil.rmtree(closed, ignore_errors=True)


# ---- a full disk -------------------------------------------------------------------

def fill(path):
    """Writes path until the file system says it is full."""
    chunk = b"\0" * (256 * 1024)
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(chunk)
        except OSError as e:
            assert e.errno in (28, 122), e  # ENOSPC, EDQUOT


def integrity_ok(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


def exercise_full(s, make_full, make_room, label):
    """Votes while storage is full: clean 507s, nothing damaged, and votes
    go through again once there is room."""
    aid, path = first_article(s)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    base = rating_count(s, aid)
    r = s.request("POST", f"/api/v1/articles/{aid}/rating", body={"stars": 3},
                  headers={"User-Agent": f"Mozilla/5.0 sen-full-{label}-before"})
    assert r.status == 200, (r.status, r.body[:300])
    acked = 1
    make_full()
    statuses = []
    for i in range(30):
        r = s.request("POST", f"/api/v1/articles/{aid}/rating", body={"stars": 1 + i % 5},
                      headers={"User-Agent": f"Mozilla/5.0 sen-full-{label}-{i}"})
        statuses.append(r.status)
        no_internals(r, f"rating on a full disk ({label})")
        assert r.status in (200, 507), (r.status, r.body[:300])
        if r.status == 200:
            acked += 1
            continue
        assert r.header("Retry-After"), r.headers
        j = r.json()
        assert j["error"] == "storage_full" and "hết chỗ lưu trữ" in j["message"], j
        if statuses.count(507) >= 3:
            break
    assert 507 in statuses, f"no write failed although storage was full: {statuses}"
    # The form gets a page that says so; reads go on.
    h = s.request("POST", f"/danh-gia/{aid}", body="stars=2",
                  headers=dict(form, **{"User-Agent": f"Mozilla/5.0 sen-full-{label}-form"}))
    assert h.status == 507, (h.status, h.body[:300])
    assert "text/html" in h.header("Content-Type") and "hết chỗ lưu trữ" in h.text, h.text[:500]
    no_internals(h, "rating form on a full disk")
    for p in ("/", path, f"/api/v1/articles/{aid}"):
        r = s.get(p)
        assert r.status == 200, (p, r.status)
    assert s.proc.poll() is None, "the server died on a full disk"
    assert integrity_ok(os.path.join(s.data, "sen.db"))
    assert rating_count(s, aid) == base + acked, "a refused vote was written, or one was lost"
    # Room again: the same visitor's vote goes through, once.
    make_room()
    r = s.request("POST", f"/api/v1/articles/{aid}/rating", body={"stars": 4},
                  headers={"User-Agent": f"Mozilla/5.0 sen-full-{label}-{len(statuses) - 1}"})
    assert r.status == 200, (r.status, r.body[:300])
    assert rating_count(s, aid) == base + acked + 1
    h = s.request("POST", f"/danh-gia/{aid}", body="stars=2",
                  headers=dict(form, **{"User-Agent": f"Mozilla/5.0 sen-full-{label}-form"}))
    assert h.status == 303, h.status
    print(f"    {label}: votes while full {statuses} (then the form: {h.status} once room "
          f"returned), integrity ok, {acked + 2} acknowledged votes all present")


def small_site(sen):
    s = Server(sen, demo=False)
    src = tempfile.mkdtemp(prefix="sen-fault-full-src-")
    try:
        write_batch(os.path.join(src, "a.jsonl"), "full", 3)
        r = s.run("import", "articles", os.path.join(src, "a.jsonl"), "--data", s.data)
        assert r.returncode == 0, r.stderr
    finally:
        shutil.rmtree(src, ignore_errors=True)
    return s


def mount_tmpfs(size):
    """A new tmpfs of size ("4m") on a temporary folder: its path, or None when
    mounting is not permitted here (not root, no CAP_SYS_ADMIN). The caller
    unmounts it (unmount_tmpfs)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return None
    mnt = tempfile.mkdtemp(prefix="sen-fault-tmpfs-")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "sen-fault", mnt],
                       capture_output=True, text=True)
    if r.returncode != 0:
        os.rmdir(mnt)
        print(f"    tmpfs: mount not permitted here ({r.stderr.strip()[:80]})")
        return None
    return mnt


def unmount_tmpfs(mnt):
    subprocess.run(["umount", mnt], check=False)
    os.rmdir(mnt)


def copy_data(src, dst):
    """Copies the data directory src into dst (the server's log left out)."""
    for name in os.listdir(src):
        p = os.path.join(src, name)
        if os.path.isdir(p):
            shutil.copytree(p, os.path.join(dst, name))
        elif name != "server.log" and not name.startswith("sen.db"):
            shutil.copy2(p, os.path.join(dst, name))
    # The database is copied by SQLite (its online backup), never as a
    # file: a file copy misses what is still in the WAL (issue 10).
    src_db = sqlite3.connect(os.path.join(src, "sen.db"))
    dst_db = sqlite3.connect(os.path.join(dst, "sen.db"))
    try:
        src_db.backup(dst_db)
        dst_db.execute("PRAGMA journal_mode=WAL")
    finally:
        src_db.close()
        dst_db.close()


def full_tmpfs(sen):
    """The data directory on a 4 MiB tmpfs, filled up by a file. False when
    mounting is not permitted here."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    mnt = mount_tmpfs("4m")
    if mnt is None:
        return False
    base = small_site(sen)
    s = Server(sen, data=mnt, init=False)
    log = mnt + ".log"
    try:
        copy_data(base.data, mnt)
        # The log stays off the full disk, so sanitizer reports are kept.
        spawn(s, log_path=log)
        filler = os.path.join(mnt, "filler")
        exercise_full(s, lambda: fill(filler), lambda: os.unlink(filler), "tmpfs 4 MiB")
        assert s.stop() == 0
        log_clean(read(log))
        assert integrity_ok(os.path.join(mnt, "sen.db"))
    finally:
        s.stop()
        base.close()
        unmount_tmpfs(mnt)
        if os.path.exists(log):
            os.unlink(log)
    return True


def full_file_size_limit(sen):
    """No privileges needed: the running server's file size limit is set to
    0 with prlimit (as `ulimit -f` would), so every write that would grow a
    file fails with EFBIG, as on a full disk; then it is lifted."""
    s = small_site(sen)
    # This one case keeps root (SEN_SERVER_USER=none): setting another
    # account's limit with prlimit needs CAP_SYS_RESOURCE, which a container's
    # root may lack. The tmpfs case above runs the default configuration.
    s.env["SEN_SERVER_USER"] = "none"
    try:
        s.start()
        pid = s.proc.pid
        soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
        exercise_full(s, lambda: resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, hard)),
                      lambda: resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard)),
                      "file size limit 0")
        assert s.stop() == 0
        log_clean(s.read_log())
        assert integrity_ok(os.path.join(s.data, "sen.db"))
    finally:
        s.close()


def test_fault_disk_full(sen):
    # A real full file system where mounting is permitted (root with
    # CAP_SYS_ADMIN); the file size limit everywhere, so the write failure
    # is exercised in every environment.
    if not full_tmpfs(sen):
        print("    tmpfs not available: the file size limit below stands for the full disk")
    full_file_size_limit(sen)


# ---- allocation failures -----------------------------------------------------------

def crash_report(s, what, err):
    """One line saying where the server crashed (from its sanitizer report),
    after which it is started again on the same data."""
    try:
        s.proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        s.proc.kill()
        s.proc.wait()
    s.proc = None
    s.log.close()
    log = s.read_log()
    at = min([i for i in (log.find("runtime error"), log.find("ERROR: AddressSanitizer"))
              if i >= 0] or [max(0, len(log) - 2000)])
    frames = re.findall(r"\.\./src/[\w/]+\.c:\d+", log[max(0, at - 200):at + 3000])
    s.start()
    return f"{what}: {', '.join(dict.fromkeys(frames[:4])) or err}"


def test_fault_allocation_failures(sen):
    """Every allocation of a request, one at a time, fails on purpose (test
    builds: SEN_FAULT_ALLOC enables it, the header X-Sen-Fault-Alloc: N picks
    the Nth allocation of that request: arena, buffers, SQLite's and
    jansson's memory). Each N is swept until a request no longer reaches it.
    Every answer must be a clean page: 200/303, or an error page without
    internals; a 200 is whole (a list row or a sidebar that could not be made
    for want of memory gives 500, never a page with parts missing), and after
    a 500 the same page asked again is whole (such a page is never cached);
    the process never crashes, and at the end the sanitizers report nothing
    (no leak on any error path) and every acknowledged vote is there."""
    # SEN_FAULT_STACKS=1 gives leak reports full stacks (they then name the
    # handler, not only the server's dispatcher), at ten times the time.
    env = {"SEN_FAULT_ALLOC": "0"}
    if os.environ.get("SEN_FAULT_STACKS"):
        env["ASAN_OPTIONS"] = ":".join(filter(None, [
            os.environ.get("ASAN_OPTIONS"), "fast_unwind_on_malloc=0", "malloc_context_size=30"]))
    # Each request from an address of its own (127.0.0.1 the trusted proxy), so the
    # budgets per address (issue 18) do not stop the sweep of allocations.
    s = Server(sen, demo=True, env=env, args=["--threads", "1", "--set",
                                              "server.trusted_proxy=127.0.0.1"]).start()
    try:
        aid, path = first_article(s)
        probe = s.get("/", headers={"X-Sen-Fault-Alloc": "1"})
        if "allocation failures are injected" not in s.read_log():
            # A release build (-Dtests=false) has no injection: the header
            # changes nothing, and there is nothing to sweep.
            assert probe.status == 200, probe.status
            raise Skip("a release build (-Dtests=false) has no fault injection; "
                       "run it on a test build")
        before = rating_count(s, aid)
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        def page_parts(r):
            # Article links (lists, related news) and the sidebar's website links.
            return (sorted(set(re.findall(r'href="(/[a-z0-9-]+/[a-z0-9-]+-\d+)"', r.text))),
                    sorted(set(re.findall(r'href="(https?://[^"]+)"', r.text))))

        def api_parts(r):
            j = r.json()
            return j.get("items"), j.get("next"), j.get("title"), j.get("body_html")

        kinds = [
            ("article page", "GET", lambda n: f"{path}?f={n}", None, {}, page_parts),
            ("home page", "GET", lambda n: f"/?f={n}", None, {}, page_parts),
            ("article API", "GET", lambda n: f"/api/v1/articles/{aid}?f={n}", None, {},
             api_parts),
            ("article list API", "GET", lambda n: f"/api/v1/articles?f={n}", None, {},
             api_parts),
            ("rating API", "POST", lambda n: f"/api/v1/articles/{aid}/rating",
             {"stars": 3}, {}, None),
            ("rating form", "POST", lambda n: f"/danh-gia/{aid}", "stars=4", form, None),
        ]
        acked = attempts = json_failures = 0
        crashes = []
        summary = []
        for name, method, target, body, headers, parts in kinds:
            whole = parts(s.get(target(0))) if parts else None
            offset = len(s.read_log())
            t_kind = time.time()
            seen = {}
            n = 0
            while True:
                chunk_start = n
                for _ in range(100):
                    n += 1
                    h = dict(headers, **{"X-Sen-Fault-Alloc": str(n),
                                         "User-Agent": f"Mozilla/5.0 sen-fault-alloc-{name}-{n}",
                                         "X-Forwarded-For": f"10.{len(summary)}.{n // 256 % 256}.{n % 256}"})
                    try:
                        r = s.request(method, target(n), body=body, headers=h)
                    except (ConnectionError, OSError) as e:
                        # Noted with where it crashed; the sweep goes on with
                        # a new server so that one run lists every crash.
                        crashes.append(crash_report(s, f"{name}, allocation {n}", e))
                        offset = 0
                        continue
                    seen[r.status] = seen.get(r.status, 0) + 1
                    what = f"{name}, allocation {n} failed"
                    # Out of memory is the server's failure, never a 4xx (a
                    # failed route capture used to look like 404, a failed
                    # form parse like 400): core/arena.h arena_failed().
                    assert r.status in (200, 303, 500, 503), (what, r.status)
                    assert r.body or r.status < 400, (what, "an error without a page")
                    no_internals(r, what)
                    if r.status >= 500:
                        ctype = r.header("Content-Type") or ""
                        if target(n).startswith("/api/"):
                            assert ctype.startswith("application/json"), (what, ctype)
                            assert r.json()["error"], what
                        else:
                            assert ctype.startswith("text/html") and "</html>" in r.text, \
                                (what, r.text[:200])
                    if parts and r.status == 200:
                        assert parts(r) == whole, (what, "200 with parts missing")
                    elif parts and n % 5 == 0:
                        again = s.get(target(n))
                        assert again.status == 200 and parts(again) == whole, \
                            (what, "asked again, the page is not whole")
                    if method == "POST":
                        attempts += 1
                        acked += r.status in (200, 303)
                time.sleep(0.2)  # the "failed on purpose" line is written at the end
                hits = [int(x) for x in re.findall(r"allocation (\d+) of the request failed",
                                                   s.read_log()[offset:])]
                # Done when the last 100 requests got through all their
                # allocations without reaching the Nth.
                if not hits or max(hits) <= chunk_start or n >= 6000:
                    break
            assert hits or crashes, f"{name}: no allocation failed"
            assert n < 6000, f"{name}: still failing at allocation {n}"
            in_json = s.read_log()[offset:].count("out of memory (jansson)")
            summary.append(f"{name}: {len(hits)} failures injected ({in_json} in jansson), "
                           f"answers {seen} ({time.time() - t_kind:.1f} s)")
            json_failures += in_json
        for line in summary:
            print("    " + line)
        assert json_failures, "no jansson allocation was failed: is it outside the injection?"
        count = rating_count(s, aid)
        assert s.get(path).status == 200
        rc = s.stop()
        log = s.read_log()
        # Every problem at once: crashes, then what the sanitizers said at
        # exit (leaks on error paths), then the votes.
        problems = [f"crash: {c}" for c in crashes]
        for m in SANITIZER:
            at = log.find(m)
            if at >= 0:
                frames = re.findall(r"in (\w+) \.\./src/([\w/]+\.c:\d+)", log[at:at + 20000])
                problems.append(f"{m} at exit: " + ", ".join(
                    dict.fromkeys(f"{f} ({loc})" for f, loc in frames[:12])))
        if rc != 0:
            problems.append(f"exit status {rc} (SEN_FAULT_STACKS=1 gives leaks full stacks)")
        if count < before + acked:
            problems.append(f"acknowledged votes missing: {before + acked - count}")
        if count > before + attempts:
            problems.append("more votes than attempts")
        assert not problems, "\n".join(problems)
    finally:
        s.close()

