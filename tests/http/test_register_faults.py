"""Issue 12, the register under faults, end to end against the real binary:

- a full disk (a small tmpfs) during `sen objects import`, during an upload to
  the back office's import, and during the Scientific Council's acceptance:
  a clear error naming the full disk, nothing half imported, and once there
  is room again the numbers go on with no gap and no duplicate, and every
  acceptance that went in has its audit line (written in the decision's
  transaction) while a refused one has none;
- two council members accepting at the same moment (a server with four
  threads, one connection each): every number once, no gap.

The killed import (kill -9 in the middle of its transaction) is
test_register.py's test_killed_import_leaves_nothing; two connections of one
process accepting at once, tests/unit/register (test_concurrent_acceptance).
"""
import html as htmllib
import os
import shutil
import sqlite3
import tempfile
import threading

from admin_client import add_user, csrf_of, sign_in_new
from harness import Server, Skip
from test_faults import copy_data, fill, integrity_ok, log_clean, mount_tmpfs, no_internals, \
    read, spawn, unmount_tmpfs

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "hoidong": "Hội đồng khoa học họp tháng Năm",
    "hoidong2": "Biên bản họp hội đồng tháng Sáu",
}
ROLES = {"quantri": "admin", "hoidong": "council", "hoidong2": "council"}
HEADER = "Tên hiện vật;Chất liệu;Phương thức thu nhận;Ngày thu nhận;Người/đơn vị giao;Mô tả"
FULL = "hết chỗ lưu trữ"


def rows(db_path, sql, *args):
    db = sqlite3.connect(db_path, timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def csv_file(folder, name, n, words=40):
    """A clean import file of n objects (2020 acquisitions from 50 donors),
    each with a description of about `words` words."""
    text = " ".join(["Hiện vật của chiến sĩ Đại đoàn 308 trong Chiến dịch Điện Biên Phủ 1954,"
                     " được gia đình giữ gìn cẩn thận"] * (words // 20 + 1))
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for i in range(n):
            f.write(f"Mũ cối số {i};KL;hiến tặng;07/05/2020;Người hiến tặng {i % 50};{text} {i}\n")
    return path


def register_state(db_path):
    """What a fault must not change half-way: the objects, acquisitions and
    donors, and every register's next number."""
    return (rows(db_path, "SELECT count(*), ifnull(max(id), 0) FROM objects")[0],
            rows(db_path, "SELECT count(*) FROM acquisitions")[0],
            rows(db_path, "SELECT count(*) FROM donors")[0],
            rows(db_path, "SELECT id, next_number FROM registers ORDER BY id"))


def numbers_run_on(db_path, reg, first, count):
    """The register's numbers from first on are first..first+count-1, each
    once, and the register will give first+count next."""
    got = rows(db_path, "SELECT reg_seq, reg_number FROM objects WHERE register_id = ?"
                        " AND reg_seq >= ? ORDER BY reg_seq", reg, first)
    assert [seq for seq, _ in got] == list(range(first, first + count)), got
    assert len({num for _, num in got}) == count, got
    assert rows(db_path, "SELECT next_number FROM registers WHERE id = ?", reg) == [(first + count,)]
    assert rows(db_path, "SELECT count(*) FROM register_log WHERE kind = 'register' AND object_id IN"
                         " (SELECT id FROM objects WHERE reg_seq >= ? AND register_id = ?)",
                first, reg) == [(count,)]


def chain_fits(s, data):
    """`sen register verify` finds every entry in its place."""
    v = s.run("register", "verify", "--data", data)
    assert v.returncode == 0, v.stdout + v.stderr


class Tmpfs:
    """A demo data directory with the accounts above, copied onto a tmpfs of
    `size`; room() leaves about `free` bytes free, full() none."""

    def __init__(self, sen, size):
        self.mnt = mount_tmpfs(size)
        if self.mnt is None:
            raise Skip("a full disk needs a tmpfs: mounting is not permitted here")
        base = Server(sen, demo=True)
        try:
            for name, password in PASSWORDS.items():
                r = add_user(base, name, ROLES[name], password)
                assert r.returncode == 0, r.stderr
            copy_data(base.data, self.mnt)
        finally:
            base.close()
        self.db = os.path.join(self.mnt, "sen.db")
        self.filler = os.path.join(self.mnt, "filler")

    def room(self, free=0):
        if os.path.exists(self.filler):
            os.unlink(self.filler)
        if free:
            st = os.statvfs(self.mnt)
            with open(self.filler, "wb") as f:
                f.truncate(0)
                f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - free))

    def full(self):
        fill(self.filler)

    def close(self):
        unmount_tmpfs(self.mnt)


def test_full_disk_during_cli_import(sen):
    disk = Tmpfs(sen, "64m")   # the demo (22 MB with its pictures' variants) and room to fill
    work = tempfile.mkdtemp(prefix="sen-reg-full-")
    s = Server(sen, data=disk.mnt, init=False)
    try:
        before = register_state(disk.db)
        (n0, last) = before[0]
        # 3 MiB free; the file's 20,000 objects need several times that.
        big = csv_file(work, "lon.csv", 20000)
        disk.room(3 * 1024 * 1024)
        r = s.run("objects", "import", big, "--data", disk.mnt)
        assert r.returncode == 1, (r.returncode, r.stdout[-300:], r.stderr[-500:])
        assert f"Không nhập gì: {FULL}" in r.stderr, r.stderr[-500:]
        assert "Đã nhập" not in r.stdout
        assert integrity_ok(disk.db)
        assert register_state(disk.db) == before, "a full disk left part of the import"
        # Room again: the same command imports, numbering on with no gap.
        disk.room()
        small = csv_file(work, "nho.csv", 3, words=5)
        r = s.run("objects", "import", small, "--data", disk.mnt)
        assert r.returncode == 0, r.stderr[-500:]
        assert rows(disk.db, "SELECT id, intake_no FROM objects WHERE id > ? ORDER BY id", last) == [
            (last + i, f"NT-2020-{last + i:05d}") for i in (1, 2, 3)]
        assert rows(disk.db, "SELECT count(DISTINCT intake_no), count(*) FROM objects") == [
            (n0 + 3, n0 + 3)]
        assert integrity_ok(disk.db)
    finally:
        s.close()
        disk.close()
        shutil.rmtree(work, ignore_errors=True)


def decision_lines(db_path, oids):
    """How many council_decision lines the audit log holds for each object."""
    return [rows(db_path, "SELECT count(*) FROM audit_log WHERE action = 'council_decision'"
                          " AND target = ?", str(oid))[0][0] for oid in oids]


def accept(b, session, reg, token, oid):
    return b.post(f"/admin/so-dang-ky/hoi-dong/{session}/quyet-dinh",
                  {"csrf": token, "object_id": str(oid), "decision": "main",
                   "register_id": str(reg), "note": ""})


def test_full_disk_during_acceptance_and_upload(sen):
    disk = Tmpfs(sen, "64m")   # the demo (22 MB with its pictures' variants) and room to fill
    s = Server(sen, data=disk.mnt, init=False)
    log = disk.mnt + ".log"
    work = tempfile.mkdtemp(prefix="sen-reg-full-")
    try:
        # The log stays off the full disk, so sanitizer reports are kept.
        spawn(s, log_path=log)
        s.request("HEAD", "/robots.txt", timeout=30)
        council = sign_in_new(s, "hoidong", PASSWORDS["hoidong"])
        admin = sign_in_new(s, "quantri", PASSWORDS["quantri"])
        (session,) = rows(disk.db, "SELECT id FROM council_sessions ORDER BY id LIMIT 1")[0]
        (reg, first) = rows(disk.db, "SELECT id, next_number FROM registers"
                                     " WHERE collection = 'main' ORDER BY id LIMIT 1")[0]
        waiting = [oid for (oid,) in rows(disk.db, "SELECT id FROM objects WHERE status = 'intake'"
                                                   " ORDER BY id")]
        assert len(waiting) >= 20, waiting
        path = f"/admin/so-dang-ky/hoi-dong/{session}"
        token = csrf_of(council.get(path).text, f"{path}/quyet-dinh")
        imp = "/admin/so-dang-ky/nhap-tep"
        imp_token = csrf_of(admin.get(imp).text, imp)
        r = accept(council, session, reg, token, waiting[0])
        assert r.status == 303, htmllib.unescape(r.text)[-500:]
        acked, refused = [waiting[0]], []

        disk.full()
        for oid in waiting[1:16]:
            r = accept(council, session, reg, token, oid)
            no_internals(r, "acceptance on a full disk")
            assert r.status in (303, 507), (r.status, htmllib.unescape(r.text)[-500:])
            if r.status == 303:
                acked.append(oid)   # a page the WAL still had room in
                continue
            assert FULL in htmllib.unescape(r.text), htmllib.unescape(r.text)[-800:]
            assert rows(disk.db, "SELECT status, reg_number FROM objects WHERE id = ?", oid) == [
                ("intake", None)], "a refused acceptance left a number"
            refused.append(oid)
            if len(refused) >= 3:
                break
        assert refused, f"no acceptance failed although the disk was full ({len(acked)} went in)"
        # A number given is a number traced: the line went in with it, or neither did.
        assert decision_lines(disk.db, acked) == [1] * len(acked), "an acceptance lost its audit line"
        assert decision_lines(disk.db, refused) == [0] * len(refused), "a refused acceptance was logged"
        # The back office's import refuses too, clearly, and imports nothing.
        before = register_state(disk.db)
        with open(csv_file(work, "nhap.csv", 200), "rb") as f:
            data = f.read()
        r = admin.upload(imp, {"csrf": imp_token}, [("file", "nhap.csv", "text/csv", data)])
        no_internals(r, "import on a full disk")
        assert r.status == 507, (r.status, htmllib.unescape(r.text)[-500:])
        assert FULL in htmllib.unescape(r.text), htmllib.unescape(r.text)[-800:]
        assert register_state(disk.db) == before, "a full disk left part of the import"
        # Reads go on.
        assert council.get(f"/admin/so-dang-ky/{waiting[0]}").status == 200
        assert s.proc.poll() is None, "the server died on a full disk"

        # Room again: the refused objects and two more are accepted, numbering
        # on from the last number given; the import goes through once.
        disk.room()
        rest = refused + [oid for oid in waiting[1:] if oid not in acked + refused][:2]
        for oid in rest:
            r = accept(council, session, reg, token, oid)
            assert r.status == 303, (oid, r.status, htmllib.unescape(r.text)[-500:])
            acked.append(oid)
        numbers_run_on(disk.db, reg, first, len(acked))
        assert decision_lines(disk.db, acked) == [1] * len(acked)
        r = admin.upload(imp, {"csrf": imp_token}, [("file", "nhap.csv", "text/csv", data)])
        assert r.status == 200, (r.status, htmllib.unescape(r.text)[-500:])
        assert register_state(disk.db)[0] == (before[0][0] + 200, before[0][1] + 200)
        assert s.stop() == 0
        log_clean(read(log))
        assert integrity_ok(disk.db)
        chain_fits(s, disk.mnt)
        print(f"    full disk: {len(refused)} acceptances refused with 507, "
              f"{len(acked)} numbers given {first}..{first + len(acked) - 1} with no gap")
    finally:
        s.stop()
        disk.close()
        shutil.rmtree(work, ignore_errors=True)
        if os.path.exists(log):
            os.unlink(log)


def test_concurrent_acceptance_gives_each_number_once(sen):
    s = Server(sen, demo=True, args=["--threads", "4"])
    try:
        for name, password in PASSWORDS.items():
            r = add_user(s, name, ROLES[name], password)
            assert r.returncode == 0, r.stderr
        s.start()
        db = os.path.join(s.data, "sen.db")
        (session,) = rows(db, "SELECT id FROM council_sessions ORDER BY id LIMIT 1")[0]
        (reg, first) = rows(db, "SELECT id, next_number FROM registers"
                                " WHERE collection = 'main' ORDER BY id LIMIT 1")[0]
        waiting = [oid for (oid,) in rows(db, "SELECT id FROM objects WHERE status = 'intake'"
                                              " ORDER BY id")]
        assert len(waiting) >= 40, waiting
        path = f"/admin/so-dang-ky/hoi-dong/{session}"
        # Two council members, each on two connections of their own.
        members = []
        for name in ("hoidong", "hoidong2", "hoidong", "hoidong2"):
            b = sign_in_new(s, name, PASSWORDS[name])
            members.append((b, csrf_of(b.get(path).text, f"{path}/quyet-dinh")))
        start = threading.Barrier(len(members))
        answers, errors = {}, []

        def work(k):
            b, token = members[k]
            start.wait()
            for oid in waiting[k::len(members)]:
                try:
                    r = accept(b, session, reg, token, oid)
                    answers[oid] = r.status
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append((oid, repr(e)))

        threads = [threading.Thread(target=work, args=(k,)) for k in range(len(members))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert not errors, errors[:3]
        assert sorted(answers) == waiting and set(answers.values()) == {303}, answers
        numbers_run_on(db, reg, first, len(waiting))
        s.stop_cleanly()
        chain_fits(s, s.data)
        print(f"    {len(waiting)} objects accepted by 4 connections at once: "
              f"numbers {first}..{first + len(waiting) - 1}, each once")
    finally:
        s.close()

