"""Issue 15, backup and restore: `sen backup DEST` while the server (started as root,
dropped to its account: the default) serves and writes, `sen restore SRC` into an
empty data directory, `sen check`; damaged, partial and misplaced backups are
refused before anything is written; a full disk leaves nothing behind."""
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading

from harness import Server

WRITES = 60


def writer(s, done, stop):
    """Adds links through `sen links add` (the same write path as every command),
    recording the titles whose command said it succeeded."""
    i = 0
    while not stop.is_set() and i < WRITES:
        title = f"Liên kết {i}"
        r = s.run("links", "add", "--data", s.data, title, f"https://example.org/{i}")
        if r.returncode == 0:
            done.append(title)
        i += 1


def test_backup_during_writes_restore_check(sen):
    s = Server(sen, demo=True)
    tmp = tempfile.mkdtemp(prefix="sen-backup-")
    os.chmod(tmp, 0o755)  # the restored server, dropped to its account, must reach it
    try:
        s.start()
        done, stop = [], threading.Event()
        t = threading.Thread(target=writer, args=(s, done, stop))
        t.start()
        dest = os.path.join(tmp, "bk")
        while len(done) < 5:
            t.join(0.1)
        # Every write acknowledged before the backup starts must be in it.
        acknowledged = list(done)
        r = s.run("backup", "--data", s.data, dest)
        t.join()
        assert r.returncode == 0, r.stderr
        assert "Đã sao lưu" in r.stdout
        manifest = open(os.path.join(dest, "MANIFEST"), encoding="utf-8").read()
        assert manifest.startswith("sen-backup 1\n") and "sen.db" in manifest
        assert any(line.split()[-1].startswith("media/") for line in manifest.splitlines()
                   if line.startswith("file "))
        # The server kept serving meanwhile.
        assert s.get("/").status == 200
        r = s.run("check", "--data", dest)
        assert r.returncode == 0, r.stderr

        target = os.path.join(tmp, "restored")
        r = s.run("restore", "--data", target, dest)
        assert r.returncode == 0, r.stderr
        assert "Dữ liệu khớp" in r.stdout, r.stdout
        with sqlite3.connect(os.path.join(target, "sen.db")) as c:
            titles = {row[0] for row in c.execute("SELECT title FROM links")}
        for title in acknowledged:
            assert title in titles, title
        r = s.run("check", "--data", target)
        assert r.returncode == 0, r.stderr
        s.stop_cleanly()
        # The restored directory serves (as root, dropping privileges).
        s2 = Server(sen, data=target, init=False)
        try:
            s2.start()
            assert s2.get("/").status == 200
            s2.stop_cleanly()
        finally:
            s2.close()

        # A restore into a directory that holds anything is refused.
        r = s.run("restore", "--data", target, dest)
        assert r.returncode == 1 and "không trống" in r.stderr, r.stderr

        # Damaged: one byte of a picture changed; nothing is written.
        media = sorted(f for f in os.listdir(os.path.join(dest, "media"))
                       if os.path.isfile(os.path.join(dest, "media", f)))
        bad = os.path.join(dest, "media", media[0])
        with open(bad, "r+b") as f:
            b = f.read(1)
            f.seek(0)
            f.write(bytes([b[0] ^ 1]))
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        r = s.run("restore", "--data", empty, dest)
        assert r.returncode == 1 and "tệp hỏng" in r.stderr and media[0] in r.stderr, r.stderr
        assert os.listdir(empty) == []
        r = s.run("check", "--data", dest)
        assert r.returncode == 1 and "tệp hỏng" in r.stderr, r.stderr
        with open(bad, "r+b") as f:
            f.write(b)
        # Partial: the MANIFEST cut short, or missing.
        m = os.path.join(dest, "MANIFEST")
        with open(m, "w", encoding="utf-8") as f:
            f.write(manifest[: len(manifest) // 2])
        r = s.run("restore", "--data", empty, dest)
        assert r.returncode == 1 and "MANIFEST" in r.stderr, r.stderr
        os.unlink(m)
        r = s.run("restore", "--data", empty, dest)
        assert r.returncode == 1 and "dở dang" in r.stderr, r.stderr
        assert os.listdir(empty) == []
        # A MANIFEST naming a path outside the backup is refused.
        with open(m, "w", encoding="utf-8") as f:
            f.write(manifest.replace(" sen.ini\n", " ../../etc/passwd\n"))
        r = s.run("restore", "--data", empty, dest)
        assert r.returncode == 1 and "MANIFEST" in r.stderr, r.stderr
        assert os.listdir(empty) == []
    finally:
        s.close()
        shutil.rmtree(tmp, ignore_errors=True)


def test_backup_to_full_disk_or_readonly_place(sen):
    if os.geteuid() != 0:
        from harness import Skip
        raise Skip("mounting a small tmpfs needs root")
    s = Server(sen, demo=True)
    mnt = tempfile.mkdtemp(prefix="sen-full-")
    try:
        before = sorted(os.listdir(s.data))
        with s.db() as c:
            links_before = c.execute("SELECT count(*) FROM links").fetchone()[0]
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt], check=True)
        try:
            r = s.run("backup", "--data", s.data, os.path.join(mnt, "bk"))
            assert r.returncode == 1 and "hết chỗ trên đĩa" in r.stderr, r.stderr
            assert os.listdir(mnt) == [], os.listdir(mnt)
        finally:
            subprocess.run(["umount", mnt], check=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=512k", "tmpfs", mnt], check=True)
        try:
            r = s.run("backup", "--data", s.data, os.path.join(mnt, "bk"))
            assert r.returncode == 1 and "không ghi được" in r.stderr, r.stderr
        finally:
            subprocess.run(["umount", mnt], check=True)
        assert sorted(os.listdir(s.data)) == before
        with s.db() as c:
            assert c.execute("SELECT count(*) FROM links").fetchone()[0] == links_before
        r = s.run("check", "--data", s.data)
        assert r.returncode == 0, r.stderr
    finally:
        s.close()
        os.rmdir(mnt)
