"""Issues 5 and 6: multipart/form-data uploads through the HTTP layer.

Only POST /admin/thu-vien/tai-len by a signed-in admin, editor or author may
send a multipart body (admin_upload_gate); the gate answers before a byte of
the body is read. Accepted bodies are streamed to DATA/tmp and the files are
deleted once the answer is queued. These tests check what the HTTP layer
guarantees, whatever the media screen behind the route answers.
"""
import os
import re
import socket
import stat
import struct
import time
import zlib

from admin_client import Browser, add_user, csrf_of, multipart, sign_in_new, start_with_users
from harness import (TRUSTED_PROXY, Server, raw_status, read_until_closed,
                     send_chunks_until_answered, vm_rss_kb)

UPLOAD = "/admin/thu-vien/tai-len"
CAP = 20 * 1024 * 1024 + 64 * 1024  # MEDIA_MAX_BYTES + 64 KiB
BOUNDARY = "senE2EBoundary0123456789"

USERS = {
    "bientap": ("editor", "Biên tập viên tải ảnh lên thư viện"),
    "tacgia": ("author", "Tác giả cũng được tải ảnh lên"),
    "kiemduyet": ("moderator", "Kiểm duyệt viên không được tải ảnh"),
    "quantri": ("admin", "Quản trị viên của bảo tàng Sen"),
}


def setup_module(sen):
    s = start_with_users(sen, {name: pw for name, (_, pw) in USERS.items()},
                         {name: role for name, (role, _) in USERS.items()}, display=False,
                         demo=False, args=TRUSTED_PROXY)
    s.browsers = {}
    return s


def teardown_module(s):
    s.close()


# ---- helpers ----------------------------------------------------------------------


def browser(s, name):
    """A browser signed in as name (one per user, kept)."""
    if name not in s.browsers:
        b = sign_in_new(s, name, USERS[name][1])
        assert "sen_session" in b.jar
        s.browsers[name] = b
    return s.browsers[name]


def tmp_dir(s):
    return os.path.join(s.data, "tmp")


def tmp_files(s):
    return sorted(os.listdir(tmp_dir(s)))


def wait_tmp(s, want, seconds=5):
    deadline = time.time() + seconds
    files = tmp_files(s)
    while len(files) != want and time.time() < deadline:
        time.sleep(0.02)
        files = tmp_files(s)
    return files


def connect(s, timeout=10):
    c = socket.create_connection(("127.0.0.1", s.port), timeout=timeout)
    return c


def head(b, path, length=None, chunked=False, ctype=None, extra=""):
    """Request headers for a raw socket, as browser b (cookies, address)."""
    lines = [f"POST {path} HTTP/1.1", "Host: x", f"X-Forwarded-For: {b.addr}",
             "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
             "Content-Type: " + (ctype or f"multipart/form-data; boundary={BOUNDARY}")]
    if b.jar:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in b.jar.items()))
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


def headers_only(s, b, path, length=50 * 1024 * 1024):
    """Sends only the headers of a huge multipart POST; the reply must come anyway."""
    c = connect(s, timeout=5)
    t0 = time.time()
    c.sendall(head(b, path, length=length))
    reply = read_until_closed(c)
    c.close()
    assert time.time() - t0 < 3, (path, time.time() - t0)
    return reply


def upload_token(b):
    """The CSRF token of the media upload form when the media screen has one."""
    r = b.get("/admin/thu-vien")
    if r.status == 200:
        try:
            return csrf_of(r.text, UPLOAD)
        except AssertionError:
            pass
    return None


# ---- the gate, before the body --------------------------------------------------------


def test_upload_401_without_session_before_the_body(s):
    anon = Browser(s)
    reply = headers_only(s, anon, UPLOAD)
    assert raw_status(reply) == 401, reply[:300]
    # An unknown session cookie is no better.
    anon.jar["sen_session"] = "0" * 64
    reply = headers_only(s, anon, UPLOAD)
    assert raw_status(reply) == 401, reply[:300]
    assert b"X-Content-Type-Options: nosniff" in reply
    assert wait_tmp(s, 0) == []


def test_upload_403_for_a_moderator(s):
    reply = headers_only(s, browser(s, "kiemduyet"), UPLOAD)
    assert raw_status(reply) == 403, reply[:300]


def test_upload_413_content_length_over_the_cap(s):
    for name in ("bientap", "tacgia", "quantri"):
        reply = headers_only(s, browser(s, name), UPLOAD, length=CAP + 1)
        assert raw_status(reply) == 413, (name, reply[:300])
    # Far over it too.
    reply = headers_only(s, browser(s, "bientap"), UPLOAD, length=10 ** 15)
    assert raw_status(reply) == 413, reply[:300]
    assert wait_tmp(s, 0) == []


def test_upload_415_elsewhere(s):
    admin = browser(s, "quantri")
    for path in ("/admin/tai-khoan/them", "/admin/thu-vien", UPLOAD + "/", "/", "/danh-gia/1",
                 "/api/v1/articles/1/rating"):
        reply = headers_only(s, admin, path)
        assert raw_status(reply) == 415, (path, reply[:300])
    # A whole (small) multipart form sent at once: read, dropped, and answered 415
    # (not a reset connection); nothing created.
    body, ctype = multipart({"csrf": "x", "name": "moi"}, [("f", "a.jpg", "image/jpeg", b"x" * 5000)])
    for path in ("/admin/tai-khoan/them", "/", "/danh-gia/1"):
        r = admin.request("POST", path, body=body, content_type=ctype)
        assert r.status == 415, (path, r.status)
    assert s.run("user", "list", "--data", s.data).stdout.count("moi") == 0
    # Another method on the upload address: 415 as well.
    c = connect(s)
    c.sendall(head(admin, UPLOAD, length=10).replace(b"POST ", b"PUT ", 1) + b"0123456789")
    reply = read_until_closed(c)
    c.close()
    assert raw_status(reply) == 415, reply[:300]
    assert wait_tmp(s, 0) == []


def test_upload_413_chunked_over_the_cap(s):
    b = browser(s, "bientap")
    pid = s.proc.pid
    rss0 = vm_rss_kb(pid)
    c = connect(s, timeout=10)
    c.sendall(head(b, UPLOAD, chunked=True))
    first = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
             f"filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    c.sendall(b"%x\r\n" % len(first) + first + b"\r\n")
    chunk = b"\xff" * (256 * 1024)
    saw_file = False

    def watch(sent):
        nonlocal saw_file
        if not saw_file and sent > 4 * 1024 * 1024:
            saw_file = len(tmp_files(s)) == 1

    sent, reply = send_chunks_until_answered(c, chunk, 64 * 1024 * 1024, each=watch)
    c.close()
    assert raw_status(reply) == 413, (sent, reply[:200])
    assert sent < CAP + 12 * 1024 * 1024, f"{sent} bytes went into a capped body"
    assert saw_file, "the file was not streamed to DATA/tmp while it arrived"
    assert wait_tmp(s, 0) == []
    # Streamed, not kept in memory.
    assert vm_rss_kb(pid) - rss0 < 16 * 1024, (rss0, vm_rss_kb(pid))


# ---- accepted bodies ----------------------------------------------------------------


def tiny_png(w=4, h=3):
    """A real PNG picture (RGB), made without any imaging library."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xffffffff)
    rows = b"".join(b"\x00" + b"".join(bytes((x * 60 % 256, y * 80 % 256, 200)) for x in range(w))
                    for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_upload_accepted_body_leaves_nothing(s):
    b = browser(s, "bientap")
    token = upload_token(b)
    before = set(os.listdir(s.data))
    form = {"csrf": token or "x", "alt": "Trống đồng Ngọc Lũ", "credit": "Bảo tàng"}
    r = b.upload(UPLOAD, form, [("file", "../../sen.db", "image/png", tiny_png())])
    # The HTTP layer let the body through: no 400/401/413/415 of its own.
    assert r.status not in (400, 401, 413, 415) and r.status < 500, (r.status, r.text[:300])
    if token is not None:
        # The media screen is there: it stored the picture and says where.
        assert r.status in (201, 303), (r.status, r.text[:300])
    assert wait_tmp(s, 0) == [], "a temporary file outlived its request"
    # Two files where the screen takes one: whatever it answers, nothing is left.
    r = b.upload(UPLOAD, form, [("file", "a.png", "image/png", tiny_png()),
                                ("file", "b.png", "image/png", b"")])
    assert r.status not in (401, 413, 415) and r.status < 500, (r.status, r.text[:300])
    assert wait_tmp(s, 0) == [], "a temporary file outlived its request"
    # The client's name never became a path: nothing new beside the database.
    assert set(os.listdir(s.data)) - before <= {"media", "tmp"}, set(os.listdir(s.data)) - before
    mode = stat.S_IMODE(os.stat(tmp_dir(s)).st_mode)
    assert mode == 0o700, oct(mode)


def test_upload_ten_thousand_parts(s):
    b = browser(s, "bientap")
    pid = s.proc.pid
    rss0 = vm_rss_kb(pid)
    body = "".join(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n{i}\r\n"
                   for i in range(10000)) + f"--{BOUNDARY}--\r\n"
    files = "".join(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"f\"; "
                    f"filename=\"{i}.jpg\"\r\n\r\n{i}\r\n" for i in range(10000)) + f"--{BOUNDARY}--\r\n"
    for data in (body.encode(), files.encode()):
        t0 = time.time()
        r = b.request("POST", UPLOAD, body=data,
                      content_type=f"multipart/form-data; boundary={BOUNDARY}")
        assert time.time() - t0 < 3, time.time() - t0
        assert r.status == 413, r.status
        assert wait_tmp(s, 0) == []
    assert vm_rss_kb(pid) - rss0 < 16 * 1024, (rss0, vm_rss_kb(pid))
    assert s.get("/").status == 200


def test_upload_malformed_bodies(s):
    b = browser(s, "bientap")
    good, ctype = multipart({"csrf": "x"}, [("file", "a.jpg", "image/jpeg", b"\xff\xd8" * 2000)])
    boundary = ctype.split("boundary=")[1]
    cases = [
        ("multipart/form-data", good),                                  # no boundary
        ("multipart/form-data; boundary=", good),                       # empty boundary
        ("multipart/form-data; boundary=not-the-one", good),            # bad boundary
        (ctype + "; charset=utf-8", good),                              # junk after it
        (ctype, good[:len(good) // 2]),                                 # truncated
        (ctype, good[:-4]),                                             # no final "--"
        (ctype, b""),                                                   # empty
        (ctype, b"garbage" + good),                                     # preamble
        (ctype, good.replace(b'name="csrf"', b'name="\xc3\x28"')),      # bad UTF-8 name
        (ctype, good.replace(b"\r\n\r\nx\r\n", b"\r\n\r\n\xff\r\n")),   # bad UTF-8 value
        (ctype, f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{boundary}--\r\n".encode()),
        # A raw CR LF inside the quoted file name cuts the header line: refused,
        # rather than read as a text field named "file" (browsers send %0D%0A).
        (ctype, good.replace(b'filename="a.jpg"', b'filename="../../sen.ini\r\nX: y.png"')),
        (ctype, good.replace(b"\r\n\r\n", b"\n\n")),                  # bare LF line ends
    ]
    for ct, data in cases:
        r = b.request("POST", UPLOAD, body=data, content_type=ct)
        assert r.status == 400, (ct, data[:80], r.status)
        assert wait_tmp(s, 0) == [], (ct, data[:80])
    assert s.get("/").status == 200


def test_upload_client_disconnects_mid_upload(s):
    b = browser(s, "tacgia")
    for partial in (100, 3 * 1024 * 1024):
        c = connect(s)
        c.sendall(head(b, UPLOAD, length=5 * 1024 * 1024))
        c.sendall((f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
                   f"filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode())
        c.sendall(b"\x00" * partial)
        # The file exists while the body arrives: named by the server, private to it.
        files = wait_tmp(s, 1)
        assert len(files) == 1, files
        assert re.fullmatch(r"upload-[0-9a-f]{32}", files[0]), files
        st = os.lstat(os.path.join(tmp_dir(s), files[0]))
        assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600
        c.close()
        assert wait_tmp(s, 0) == [], "the file of an abandoned upload was kept"
    # Chunked: the end of a chunked body is not known in advance, and the
    # file still goes within a few seconds (not after the 30 s idle timeout).
    c = connect(s)
    c.sendall(head(b, UPLOAD, chunked=True))
    first = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
             f"filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + b"\x00" * 65536
    for _ in range(16):
        c.sendall(b"%x\r\n" % len(first) + first + b"\r\n")
    assert len(wait_tmp(s, 1)) == 1
    c.close()
    assert wait_tmp(s, 0, seconds=4) == [], "the file of an abandoned chunked upload was kept"
    assert s.get("/").status == 200


def test_upload_disk_full_is_507(s):
    """A file size limit on the server makes writes fail with EFBIG, as a full disk
    fails with ENOSPC: 507 Insufficient Storage, and the partial file is gone."""
    wrapper = os.path.join(s.data, "sen-fsize.sh")
    with open(wrapper, "w") as f:
        # An ignored SIGXFSZ stays ignored across exec, so write() fails instead.
        f.write("#!/bin/sh\ntrap '' XFSZ\nulimit -f 4096\nexec %s \"$@\"\n" % s.sen)
    os.chmod(wrapper, 0o755)
    small = Server(wrapper, demo=False, args=["--set", "server.trusted_proxy=127.0.0.1"])
    try:
        r = add_user(small, "bientap", "editor", USERS["bientap"][1])
        assert r.returncode == 0, r.stderr
        small.start()
        small.browsers = {}
        b = browser(small, "bientap")
        big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024)
        r = b.upload(UPLOAD, {"csrf": "x", "alt": "a", "credit": "c"},
                     [("file", "big.png", "image/png", big)])
        assert r.status == 507, (r.status, r.text[:300])
        assert r.header("retry-after") is not None
        assert wait_tmp(small, 0) == [], "the partial file was kept"
        assert small.get("/").status == 200
        small.stop_cleanly()
    finally:
        small.close()


def test_upload_leftovers_removed_at_start(s):
    # A crash mid-upload leaves a file behind; the next start deletes it.
    s.stop_cleanly()
    left = os.path.join(tmp_dir(s), "upload-" + "ab" * 16)
    other = os.path.join(tmp_dir(s), "not-an-upload.txt")
    for p in (left, other):
        with open(p, "wb") as f:
            f.write(b"x")
    os.chmod(tmp_dir(s), 0o755)
    s.start()
    s.browsers = {}
    assert not os.path.exists(left)
    assert os.path.exists(other)
    os.unlink(other)
    assert stat.S_IMODE(os.stat(tmp_dir(s)).st_mode) == 0o700


def test_upload_zz_clean_shutdown(s):
    """Runs last: after everything above, SIGTERM stops the server with status 0,
    no sanitizer report, and nothing left in DATA/tmp."""
    s.stop_cleanly()
    assert tmp_files(s) == []
