"""Issue 5, media library: uploads at /admin/thu-vien/tai-len (type from the content,
alt text and credit required, the form kept on refusal), background processing
(variants with metadata stripped, a 20-megapixel photo does not stall other
requests), serving with fixed image types and nosniff, delete refused while an
article uses the picture, roles, srcset on the public pages, escaping.
"""
import json
import os
import re
import struct
import time
import urllib.parse
import zlib

from admin_client import Browser, csrf_of, sign_in_new, start_with_users
from harness import TRUSTED_PROXY

PASSWORDS = {
    "quantri": "Quản trị thư viện ảnh bảo tàng",
    "bientap": "Biên tập viên chọn ảnh đẹp nhất",
    "tacgia": "Tác giả tải ảnh hiện vật lên",
    "kiemduyet": "Kiểm duyệt không được đụng ảnh",
}
ROLES = {"quantri": "admin", "bientap": "editor", "tacgia": "author", "kiemduyet": "moderator"}
LIB = "/admin/thu-vien"
UPLOAD = "/admin/thu-vien/tai-len"


# ---- pictures made here (no network, no PIL) --------------------------------------

def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w, h, extra=(), level=6):
    """An RGB PNG with a simple pattern; extra: (type, data) chunks put before IDAT."""
    row = bytes((x * 255 // max(w - 1, 1)) if c == 0 else (120 if c == 1 else 60)
                for x in range(w) for c in range(3))
    raw = b"".join(b"\x00" + row for _ in range(h))
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    for kind, data in extra:
        out += _chunk(kind, data)
    return out + _chunk(b"IDAT", zlib.compress(raw, level)) + _chunk(b"IEND", b"")


def secret_png(w=1000, h=600):
    """A PNG carrying EXIF (eXIf, with a GPS tag and a description) and a text chunk."""
    tiff = (b"II*\x00\x08\x00\x00\x00" + b"\x02\x00"
            + b"\x0e\x01\x02\x00\x0a\x00\x00\x00\x26\x00\x00\x00"
            + b"\x25\x88\x04\x00\x01\x00\x00\x00\x30\x00\x00\x00" + b"\x00\x00\x00\x00"
            + b"SECRETGPS\x00" + b"\x01\x00" + b"\x01\x00\x02\x00\x02\x00\x00\x00N\x00\x00\x00"
            + b"\x00\x00\x00\x00")
    return png(w, h, extra=[(b"eXIf", tiff), (b"tEXt", b"Comment\x00SECRETTEXT")])


SECRETS = (b"SECRETGPS", b"SECRETTEXT")


# ---- the server ----------------------------------------------------------------------

def setup_module(sen):
    return start_with_users(sen, PASSWORDS, ROLES, args=TRUSTED_PROXY)


def teardown_module(s):
    s.close()


def browser(s, name):
    return sign_in_new(s, name, PASSWORDS[name])


def media_files(s):
    return sorted(n for n in os.listdir(os.path.join(s.data, "media")) if not n.startswith("."))


def media_count(s):
    with s.db() as c:
        return c.execute("SELECT count(*) FROM media").fetchone()[0]


def upload(b, data, name="anh.png", ctype="image/png", alt="Trống đồng", credit="Ảnh: Bảo tàng",
           headers=None, fields=None):
    page = b.get(LIB)
    assert page.status == 200, page.status
    form = {"csrf": csrf_of(page.text, UPLOAD), "alt": alt, "credit": credit}
    form.update(fields or {})
    return b.upload(UPLOAD, form, [("file", name, ctype, data)], headers=headers)


def item_id(reply):
    assert reply.status == 303, (reply.status, reply.text[:500])
    m = re.match(r"/admin/thu-vien/(\d+)\?ok=tai-len$", reply.header("location"))
    assert m, reply.header("location")
    return int(m.group(1))


def variants(s, mid):
    with s.db() as c:
        return c.execute("SELECT file, format, width, height FROM media_variants WHERE media_id = ? "
                         "ORDER BY format, width", (mid,)).fetchall()


# ---- tests ---------------------------------------------------------------------------

def test_media_upload_listed_and_served(s):
    b = browser(s, "tacgia")  # authors may upload
    r = upload(b, secret_png(), name="trống đồng.png", alt="Mặt trống đồng MX-17",
               credit="Ảnh: Nguyễn Văn A")
    mid = item_id(r)
    page = b.get(f"{LIB}/{mid}?ok=tai-len")
    assert page.status == 200
    assert "Mặt trống đồng MX-17" in page.text
    with s.db() as c:
        f, mime, orig = c.execute("SELECT file, mime, original_name FROM media WHERE id = ?",
                                  (mid,)).fetchone()
    assert mime == "image/png" and orig == "trống đồng.png"
    assert re.fullmatch(r"[0-9a-f]{32}\.png", f)
    s.wait_media_processed(mid, 60)
    v = variants(s, mid)
    assert [(fmt, w) for _, fmt, w, _ in v] == [("png", 320), ("png", 800), ("png", 1000),
                                                ("webp", 320), ("webp", 800), ("webp", 1000)], v
    for file, fmt, w, h in v:
        assert file == f"{f[:32]}-{w}.{fmt}"
        assert h == w * 600 // 1000
        got = s.get("/media/" + file)
        assert got.status == 200, (file, got.status)
        assert got.header("content-type") == ("image/png" if fmt == "png" else "image/webp")
        assert got.header("x-content-type-options") == "nosniff"
        for sec in SECRETS:
            assert sec not in got.body, (file, sec)
        assert b"eXIf" not in got.body and b"EXIF" not in got.body and b"Exif" not in got.body
    orig_body = s.get("/media/" + f)
    assert orig_body.status == 200 and orig_body.header("content-type") == "image/png"
    for sec in SECRETS:
        assert sec not in orig_body.body
    # Listed with alt, credit, name, dimensions and date; the thumbnail is the 320 variant.
    lib = b.get(LIB)
    assert "Mặt trống đồng MX-17" in lib.text and "Ảnh: Nguyễn Văn A" in lib.text
    assert "trống đồng.png" in lib.text and "1.000 × 600" in lib.text
    assert f"/media/{f[:32]}-320.png" in lib.text
    assert re.search(r"\d\d/\d\d/\d{4}", lib.text)
    # Search and filters.
    assert "Mặt trống đồng MX-17" in b.get(LIB + "?q=" + urllib.parse.quote("Nguyễn Văn A")).text
    assert "Mặt trống đồng MX-17" in b.get(LIB + "?q=" + urllib.parse.quote("mat trong dong mx")).text
    assert "Mặt trống đồng MX-17" not in b.get(LIB + "?q=khongcogica").text
    assert "Mặt trống đồng MX-17" not in b.get(LIB + "?loai=jpg").text
    assert "Mặt trống đồng MX-17" in b.get(LIB + "?loai=png").text
    assert "Mặt trống đồng MX-17" not in b.get(LIB + "?den=2000-01-01").text
    with s.db() as c:
        n = c.execute("SELECT count(*) FROM audit_log WHERE action = 'media_upload' AND target = ?",
                      (f,)).fetchone()[0]
    assert n == 1
    # Names that are not stored pictures are never served.
    for bad in ("/media/" + f[:32] + ".svg", "/media/" + f[:32] + "-320.html", "/media/khong-co.png"):
        assert s.get(bad).status == 404, bad


def test_media_missing_alt_keeps_form(s):
    b = browser(s, "bientap")
    before, files = media_count(s), media_files(s)
    r = upload(b, png(40, 30), alt="   ", credit="Nguồn giữ lại <b>")
    assert r.status == 400, r.status
    assert "Hãy nhập mô tả ảnh." in r.text
    assert 'value="Nguồn giữ lại &lt;b&gt;"' in r.text
    assert "hãy chọn lại tệp ảnh" in r.text
    r = upload(b, png(40, 30), alt="Có mô tả", credit="")
    assert r.status == 400 and "Hãy nhập nguồn ảnh." in r.text
    assert 'value="Có mô tả"' in r.text
    # No file at all.
    page = b.get(LIB)
    r = b.upload(UPLOAD, {"csrf": csrf_of(page.text, UPLOAD), "alt": "a", "credit": "b"}, [])
    assert r.status == 400 and "Hãy chọn một tệp ảnh." in r.text
    assert media_count(s) == before and media_files(s) == files


def test_media_refuses_disguised_files(s):
    b = browser(s, "bientap")
    before, files = media_count(s), media_files(s)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    cases = [
        ("anh.svg", "image/svg+xml", svg),
        ("anh.jpg", "image/jpeg", html),
        ("poly.png", "image/png", png(30, 20) + b"<html><script>alert(1)</script></html>"),
        ("com.png", "image/png", png(30, 20, extra=[(b"tEXt", b"x\x00<script>alert(1)</script>")])),
        ("dong.gif", "image/gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!"
                                  b"\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00"
                                  b"\x00\x02\x02D\x01\x00;"),
        ("cut.png", "image/png", png(30, 20)[:60]),
    ]
    for name, ctype, data in cases:
        r = upload(b, data, name=name, ctype=ctype, alt="Thử", credit="Thử")
        assert r.status == 400, (name, r.status)
        assert "Không nhận tệp này." in r.text, (name, r.text[:3000])
        assert 'value="Thử"' in r.text
    # CR/LF in the name breaks the part's headers: no file arrives, nothing is stored.
    r = upload(b, png(30, 20), name="../../sen.ini\r\nX: y.png", alt="Thử", credit="Thử")
    assert r.status == 400
    assert media_count(s) == before and media_files(s) == files
    # A name with folders is kept for people without them; the stored name is random.
    mid = item_id(upload(b, png(30, 20), name="../../../etc/passwd.png", alt="Thử", credit="Thử"))
    with s.db() as c:
        f, orig = c.execute("SELECT file, original_name FROM media WHERE id = ?", (mid,)).fetchone()
    assert "/" not in orig and ".." not in orig.replace("passwd", ""), orig
    assert re.fullmatch(r"[0-9a-f]{32}\.png", f)
    assert not os.path.exists(os.path.join(s.data, "etc"))


def test_media_json_upload_for_the_script(s):
    b = browser(s, "bientap")
    r = upload(b, png(50, 40), headers={"Accept": "application/json"})
    assert r.status == 201, (r.status, r.text)
    reply = json.loads(r.text)
    assert reply["url"] == f"{LIB}/{reply['id']}" and reply["state"] == "processing"
    r = upload(b, png(50, 40), alt="", headers={"Accept": "application/json"})
    assert r.status == 400
    assert json.loads(r.text)["error"] == "Hãy nhập mô tả ảnh."
    lib = b.get(LIB)
    assert '<progress id="media-progress"' in lib.text
    assert "/static/js/admin/media.js" in lib.text and "/static/css/admin/media.css" in lib.text
    assert "<script>" not in lib.text and " style=" not in lib.text
    js = s.get("/static/js/admin/media.js")
    assert js.status == 200 and b"upload.onprogress" in js.body


def test_media_roles(s):
    m = browser(s, "kiemduyet")
    assert m.get(LIB).status == 403
    assert m.get(f"{LIB}/1").status == 403
    # The upload gate refuses before reading the body.
    data = png(20, 20)
    assert m.upload(UPLOAD, {"csrf": "x", "alt": "a", "credit": "b"},
                    [("file", "a.png", "image/png", data)]).status == 403
    a = browser(s, "tacgia")
    mid = item_id(upload(a, png(60, 40), alt="Của tác giả"))
    page = a.get(f"{LIB}/{mid}")
    assert page.status == 200 and "/xoa" not in page.text
    # Authors may not delete, whatever the id (a token for that form does not exist for them).
    for target in (mid, 999999):
        assert a.post(f"{LIB}/{target}/xoa", {"csrf": "0" * 64}).status == 403
    # Anonymous: redirected to the login page.
    anon = Browser(s)
    assert anon.get(LIB).status == 303
    # URLs that only take posts answer 405 to a GET.
    for path in (UPLOAD, f"{LIB}/{mid}/sua", f"{LIB}/{mid}/xoa"):
        r = a.get(path)
        assert r.status == 405 and "POST" in (r.header("allow") or ""), (path, r.status)
    assert a.get(f"{LIB}/999999").status == 404
    assert a.get(f"{LIB}/abc").status == 404
    assert media_count(s) >= 1


def test_media_edit_alt_and_credit(s):
    b = browser(s, "bientap")
    mid = item_id(upload(b, png(64, 48), alt="Cũ", credit="Nguồn cũ"))
    page = b.get(f"{LIB}/{mid}")
    action = f"{LIB}/{mid}/sua"
    token = csrf_of(page.text, action)
    r = b.post(action, {"csrf": token, "alt": "", "credit": "Nguồn <mới>"})
    assert r.status == 400 and "Hãy nhập mô tả ảnh." in r.text
    assert 'value="Nguồn &lt;mới&gt;"' in r.text
    r = b.post(action, {"csrf": token, "alt": "Mô tả mới", "credit": "Nguồn mới"})
    assert r.status == 303 and r.header("location") == f"{LIB}/{mid}?ok=sua"
    with s.db() as c:
        assert c.execute("SELECT alt, credit FROM media WHERE id = ?", (mid,)).fetchone() == (
            "Mô tả mới", "Nguồn mới")
    r = b.post(action, {"csrf": token, "alt": "x" * 501, "credit": "y"})
    assert r.status == 400
    assert b.post(f"{LIB}/999999/sua", {"csrf": csrf_of(page.text, action), "alt": "a",
                                       "credit": "b"}).status == 404


def attach(s, mid, article_id=None, as_thumbnail=True):
    with s.db() as c:
        if article_id is None:
            article_id, = c.execute("SELECT id FROM articles WHERE status = 2 ORDER BY id LIMIT 1").fetchone()
        if as_thumbnail:
            c.execute("UPDATE articles SET image_id = ? WHERE id = ?", (mid, article_id))
        pos = c.execute("SELECT coalesce(max(position) + 1, 0) FROM article_images WHERE article_id = ?",
                        (article_id,)).fetchone()[0]
        c.execute("INSERT INTO article_images (article_id, position, media_id, caption) VALUES (?, ?, ?, ?)",
                  (article_id, pos, mid, "Chú thích ảnh"))
        title, cat, slug = c.execute("SELECT a.title, c.slug, a.slug FROM articles a JOIN categories c "
                                     "ON c.id = a.category_id WHERE a.id = ?", (article_id,)).fetchone()
    return article_id, title, f"/{cat}/{slug}-{article_id}"


def detach(s, mid):
    with s.db() as c:
        c.execute("UPDATE articles SET image_id = NULL WHERE image_id = ?", (mid,))
        c.execute("DELETE FROM article_images WHERE media_id = ?", (mid,))


def test_media_delete_refused_while_used(s):
    b = browser(s, "bientap")
    mid = item_id(upload(b, png(900, 600), alt="Sẽ xóa"))
    s.wait_media_processed(mid, 60)
    with s.db() as c:
        f = c.execute("SELECT file FROM media WHERE id = ?", (mid,)).fetchone()[0]
    vfiles = [v[0] for v in variants(s, mid)]
    assert len(vfiles) == 6
    aid, title, _ = attach(s, mid)
    page = b.get(f"{LIB}/{mid}")
    assert title in page.text  # where it is used, before deleting
    action = f"{LIB}/{mid}/xoa"
    # The delete form is not offered while in use ...
    assert action not in page.text
    # ... and a post anyway (the form seen before the article took the picture) is
    # refused with the list of articles.
    detach(s, mid)
    token = csrf_of(b.get(f"{LIB}/{mid}").text, action)
    attach(s, mid, aid)
    r = b.post(action, {"csrf": token})
    assert r.status == 409, r.status
    assert "Không xóa được" in r.text and title in r.text
    assert os.path.exists(os.path.join(s.data, "media", f))
    detach(s, mid)
    r = b.post(action, {"csrf": token})
    assert r.status == 303 and r.header("location") == LIB + "?ok=xoa"
    with s.db() as c:
        assert c.execute("SELECT count(*) FROM media WHERE id = ?", (mid,)).fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM media_variants WHERE media_id = ?", (mid,)).fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM audit_log WHERE action = 'media_delete' AND target = ?",
                         (f,)).fetchone()[0] == 1
    for name in [f] + vfiles:
        assert not os.path.exists(os.path.join(s.data, "media", name)), name
        assert s.get("/media/" + name).status == 404
    assert b.post(action, {"csrf": token}).status == 404


def test_media_srcset_on_public_pages_and_escaping(s):
    b = browser(s, "bientap")
    xss_alt = '<script>alert("alt")</script>'
    xss_credit = '"><img src=x onerror=alert(1)>'
    xss_name = '<svg onload=alert(1)>.png'
    mid = item_id(upload(b, png(1700, 1000), name=xss_name, alt=xss_alt, credit=xss_credit))
    s.wait_media_processed(mid, 60)
    with s.db() as c:
        f = c.execute("SELECT file FROM media WHERE id = ?", (mid,)).fetchone()[0]
    base = f[:32]
    # Admin list and item page: escaped.
    for path in (LIB, f"{LIB}/{mid}"):
        html = b.get(path).text
        assert xss_alt not in html and xss_credit not in html and "<svg onload" not in html
        assert "&lt;script&gt;alert(&quot;alt&quot;)&lt;/script&gt;" in html or \
               "&lt;script&gt;alert(&#34;alt&#34;)&lt;/script&gt;" in html
    aid, title, path = attach(s, mid)
    time.sleep(1.1)  # the page cache keeps a copy for at most a second
    html = s.get(path).text
    assert f'/media/{base}-320.png 320w, /media/{base}-800.png 800w, /media/{base}-1600.png 1600w' in html
    assert f'<source type="image/webp" srcset="/media/{base}-320.webp 320w' in html
    assert 'sizes="' in html
    assert xss_alt not in html and xss_credit not in html
    assert "&lt;script&gt;" in html
    # The listing card of the article's category shows the variants too.
    cat = path.split("/")[1]
    listing = s.get("/" + cat).text
    assert f"/media/{base}-320.png 320w" in listing
    # Pictures from before (the demo) still show their original.
    assert re.search(r'<img src="/media/[0-9a-f]{32}\.png"', listing) or "card-thumb" in listing
    detach(s, mid)


def test_media_big_photo_does_not_stall(s):
    b = browser(s, "bientap")
    data = png(5472, 3648, level=1)  # 20 megapixels
    assert len(data) < 20 * 1024 * 1024
    t0 = time.time()
    mid = item_id(upload(b, data, name="lon.png", alt="Ảnh lớn"))
    upload_s = time.time() - t0
    times = []
    deadline = time.time() + 120
    busy_seen = False
    while time.time() < deadline:
        with s.db() as c:
            waiting = c.execute("SELECT count(*) FROM media_jobs WHERE media_id = ? AND state = 0",
                                (mid,)).fetchone()[0]
        if not waiting:
            break
        busy_seen = True
        t = time.time()
        r = s.get("/?t=%d" % len(times))
        times.append(time.time() - t)
        assert r.status == 200
        time.sleep(0.05)
    else:
        raise AssertionError("20 MP picture not processed in 120 s")
    print(f"    upload answered in {upload_s:.2f}s; {len(times)} GET / while processing: "
          f"max {max(times or [0]):.3f}s, mean {sum(times) / max(len(times), 1):.3f}s")
    assert busy_seen and times, "processing finished before any request could be timed"
    assert max(times) < 2.0, times
    s.wait_media_processed(mid, 60)
    assert [w for _, fmt, w, _ in variants(s, mid) if fmt == "png"] == [320, 800, 1600]


def test_media_paging_keeps_filters(s):
    b = browser(s, "bientap")
    with s.db() as c:
        total = c.execute("SELECT count(*) FROM media WHERE mime = 'image/png'").fetchone()[0]
    assert total > 24, total  # the demo's pictures and the uploads above
    first = b.get(LIB + "?loai=png")
    m = re.search(r'<a href="([^"]+)" rel="next"', first.text)
    assert m, "no next page"
    nxt = m.group(1).replace("&amp;", "&")
    assert nxt.startswith(LIB + "?loai=png&sau="), nxt
    second = b.get(nxt)
    assert second.status == 200
    ids1 = set(re.findall(r'href="/admin/thu-vien/(\d+)" class="media-thumb"', first.text))
    ids2 = set(re.findall(r'href="/admin/thu-vien/(\d+)" class="media-thumb"', second.text))
    assert len(ids1) == 24 and ids2 and not ids1 & ids2
    assert len(ids1) + len(ids2) <= total
    # A malformed cursor is the first page, not an error.
    assert b.get(LIB + "?sau=abc").status == 200
