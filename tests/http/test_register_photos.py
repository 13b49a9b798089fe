"""Issue 12, the photos of an object card at /admin/so-dang-ky/ID/anh: pictures
of the media library added (several at once), ordered with arrow buttons or
a dragged order, one marked as the lead ("Ảnh đại diện"), removed; the card
shows them in order with the lead first; the public API lists a public
object's photos. Refusals name the field in Vietnamese and keep what was
ticked and searched; a change is in the audit log and not in the register's
hash chain (photos are not part of the legal entry)."""
import html as htmllib
import json
import os
import re
import sqlite3
import threading
import time
import urllib.parse

from admin_client import accounts_module, csrf_of
from test_register_roles import PASSWORDS, ROLES   # every role
from test_media import png

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)


def db(s):
    return sqlite3.connect(os.path.join(s.data, "sen.db"))


def rows(s, sql, *args):
    c = db(s)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def fake_pictures(s, n, mime="image/png", prefix="anh-thu"):
    """n library rows of type mime (no file: the model checks rows only)."""
    c = db(s)
    with c:
        ids = [c.execute("INSERT INTO media (file, original_name, mime, bytes, alt)"
                         " VALUES (?, ?, ?, 10, ?)",
                         (f"{prefix}-{i}.{mime.split('/')[1]}", f"{prefix}-{i}",
                          mime, f"{prefix} {i}")).lastrowid for i in range(n)]
    c.close()
    return ids


def demo_pictures(s, n):
    """n pictures of the demo's library (imported articles' pictures, ready)."""
    got = [r[0] for r in rows(s, "SELECT id FROM media m WHERE mime LIKE 'image/%' AND NOT EXISTS"
                                 " (SELECT 1 FROM media_jobs j WHERE j.media_id = m.id)"
                                 " AND original_name NOT LIKE 'anh-thu%' ORDER BY id LIMIT ?", n)]
    assert len(got) == n, got
    return got


def uploaded_picture(s):
    """A picture uploaded through the library (as an admin), once its variants
    are made."""
    b = browser(s, "quantri")
    page = b.get("/admin/thu-vien")
    form = {"csrf": csrf_of(page.text, "/admin/thu-vien/tai-len"), "alt": "Bi đông <b>1954</b>",
            "credit": "Ảnh: Bảo tàng"}
    r = b.upload("/admin/thu-vien/tai-len", form, [("file", "bi-dong.png", "image/png", png(900, 600))])
    assert r.status == 303, r.text[:300]
    mid = int(re.search(r"/admin/thu-vien/(\d+)", r.header("location")).group(1))
    for _ in range(600):
        if not rows(s, "SELECT 1 FROM media_jobs WHERE media_id = ?", mid):
            break
        time.sleep(0.1)
    assert rows(s, "SELECT count(*) FROM media_variants WHERE media_id = ?", mid)[0][0] > 0
    return mid


def an_object(s, public=None):
    sql = "SELECT id FROM objects WHERE reg_number IS NOT NULL AND NOT EXISTS" \
          " (SELECT 1 FROM object_media p WHERE p.object_id = objects.id)"
    if public is not None:
        sql += f" AND public = {int(public)}"
    return rows(s, sql + " ORDER BY id LIMIT 1")[0][0]


def files_of(s, mid):
    return [r[0] for r in rows(s, "SELECT file FROM media WHERE id = ?", mid)]


def photos(s, oid):
    """[(media_id, lead)] in their order."""
    return rows(s, "SELECT media_id, lead FROM object_media WHERE object_id = ? ORDER BY position", oid)


def post(b, oid, **form):
    page = b.get(f"/admin/so-dang-ky/{oid}/anh")
    assert page.status == 200, page.status
    data = {"csrf": csrf_of(page.text, f"/admin/so-dang-ky/{oid}/anh")}
    data.update(form)
    return b.post(f"/admin/so-dang-ky/{oid}/anh", data)


def add(b, oid, ids, q=""):
    """Posts the picker with ids ticked (several "media" fields)."""
    page = b.get(f"/admin/so-dang-ky/{oid}/anh")
    token = csrf_of(page.text, f"/admin/so-dang-ky/{oid}/anh")
    body = [("csrf", token), ("action", "add"), ("q", q)] + [("media", str(i)) for i in ids]
    return b.post(f"/admin/so-dang-ky/{oid}/anh", body)


def alert(r):
    return htmllib.unescape(" ".join(re.findall(r'role="alert">([^<]*)', r.text)))


def test_add_order_lead_remove(s):
    b = browser(s, "baotang")           # a curator
    oid = an_object(s)
    p1, p2, p3 = demo_pictures(s, 3)
    chain = rows(s, "SELECT count(*), max(id) FROM register_log")[0]
    card = b.get(f"/admin/so-dang-ky/{oid}")
    assert card.status == 200
    assert f'href="/admin/so-dang-ky/{oid}/anh"' in card.text
    assert "Chưa có ảnh nào." in card.text
    # Dates on the card read dd/mm/yyyy, as everywhere in the back office.
    (day,) = rows(s, "SELECT a.acquired_on FROM objects o JOIN acquisitions a"
                     " ON a.id = o.acquisition_id WHERE o.id = ?", oid)[0]
    y, m, d = day.split("-")
    assert f"{d}/{m}/{y}" in card.text and day not in card.text
    page = b.get(f"/admin/so-dang-ky/{oid}/anh")
    assert page.status == 200 and "Chưa có ảnh nào." in page.text
    # The picker: the library's pictures, newest first, as thumbnails; found
    # by name.
    newest = rows(s, "SELECT id FROM media ORDER BY created_at DESC, id DESC LIMIT 1")[0][0]
    assert f'name="media" value="{newest}"' in page.text
    (name,) = rows(s, "SELECT original_name FROM media WHERE id = ?", p1)[0]
    page = b.get(f"/admin/so-dang-ky/{oid}/anh?q=" + urllib.parse.quote(name))
    assert f'name="media" value="{p1}"' in page.text
    # Shown by its smallest variant when it has one, else by the original.
    shown = files_of(s, p1) + [f for (f,) in rows(s, "SELECT file FROM media_variants WHERE media_id = ?", p1)]
    assert any(f'<img src="/media/{f}"' in page.text for f in shown), shown

    r = add(b, oid, [p1, p2, p3])
    assert r.status == 303, alert(r)
    assert r.header("location") == f"/admin/so-dang-ky/{oid}/anh?ok=luu"
    assert photos(s, oid) == [(p1, 1), (p2, 0), (p3, 0)]          # the first one leads
    page = b.get(f"/admin/so-dang-ky/{oid}/anh?ok=luu")
    assert "Đã lưu ảnh của hiện vật." in page.text
    # Already on the card: offered no more.
    page = b.get(f"/admin/so-dang-ky/{oid}/anh?q=" + urllib.parse.quote(name))
    assert re.search(rf'value="{p1}"[^>]*disabled', page.text)
    assert "đã có trên phiếu" in page.text

    r = post(b, oid, action="down", media=str(p1))
    assert r.status == 303
    assert photos(s, oid) == [(p2, 0), (p1, 1), (p3, 0)]          # the lead moves with its picture
    r = post(b, oid, action="up", media=str(p3))
    assert photos(s, oid) == [(p2, 0), (p3, 0), (p1, 1)]
    r = post(b, oid, action="up", media=str(p2))                   # already first: stays
    assert r.status == 303 and photos(s, oid) == [(p2, 0), (p3, 0), (p1, 1)]
    r = post(b, oid, action="lead", media=str(p3))
    assert photos(s, oid) == [(p2, 0), (p3, 1), (p1, 0)]
    # The card: the lead first, then the others in order.
    text = b.get(f"/admin/so-dang-ky/{oid}").text
    labels = {i: rows(s, "SELECT alt, original_name FROM media WHERE id = ?", i)[0] for i in (p1, p2, p3)}
    at = [text.index(htmllib.escape(labels[i][0] or labels[i][1], quote=True)) for i in (p3, p2, p1)]
    assert at == sorted(at), at
    assert "Ảnh đại diện" in text
    # The dragged order (taxonomy.js posts it): the same pictures, each once.
    r = post(b, oid, action="order", order=f"{p1},{p3},{p2}")
    assert r.status == 303
    assert photos(s, oid) == [(p1, 0), (p3, 1), (p2, 0)]
    # Removing the lead: the first remaining one leads.
    r = post(b, oid, action="remove", media=str(p3))
    assert photos(s, oid) == [(p1, 1), (p2, 0)]
    r = post(b, oid, action="remove", media=str(p1))
    r = post(b, oid, action="remove", media=str(p2))
    assert photos(s, oid) == []
    # Every change in the audit log, by whom, with the list it left.
    log = rows(s, "SELECT user_name, target, details FROM audit_log WHERE action = 'object_photos'"
                  " ORDER BY id")
    assert len(log) == 9, log
    assert log[0] == ("baotang", str(oid), f"add: {p1}*,{p2},{p3}")
    assert log[-1][2] == "remove: "
    # Not a register entry: the hash chain did not grow.
    assert rows(s, "SELECT count(*), max(id) FROM register_log")[0] == chain
    audit = b.get("/admin/nhat-ky")
    assert audit.status in (200, 403)


def test_refusals_name_the_field_and_keep_the_form(s):
    b = browser(s, "quantri")
    oid = an_object(s)
    (p1,) = demo_pictures(s, 1)
    (pdf,) = fake_pictures(s, 1, mime="application/pdf", prefix="bien-ban")
    # A file of the library that is not a picture.
    (name,) = rows(s, "SELECT original_name FROM media WHERE id = ?", p1)[0]
    r = add(b, oid, [pdf, p1], q=name)
    assert r.status == 400
    assert "Ảnh trong thư viện: không phải ảnh" in alert(r), alert(r)
    assert photos(s, oid) == []                                      # nothing half-stored
    # What was ticked and searched is still there.
    assert re.search(rf'value="{p1}"[^>]*checked', r.text)
    assert f'name="q" value="{htmllib.escape(name)}"' in r.text
    # A picture whose processing failed is not a usable picture either.
    (failed,) = fake_pictures(s, 1, prefix="hong")
    c = db(s)
    with c:
        c.execute("INSERT INTO media_jobs (media_id, state, error) VALUES (?, 2, 'x')", (failed,))
    c.close()
    r = add(b, oid, [failed])
    assert r.status == 400 and "Ảnh trong thư viện: không phải ảnh" in alert(r)
    # A media id that does not exist, or is not an id.
    r = add(b, oid, [999999])
    assert r.status == 400
    assert "Ảnh trong thư viện: không có trong danh mục hoặc cơ sở dữ liệu" in alert(r)
    r = add(b, oid, ["abc"])
    assert r.status == 400 and "Ảnh trong thư viện: không có" in alert(r)
    # Nothing ticked.
    r = add(b, oid, [])
    assert r.status == 400 and "Ảnh trong thư viện: bắt buộc" in alert(r)
    assert photos(s, oid) == []
    # The same picture twice.
    assert add(b, oid, [p1]).status == 303
    r = add(b, oid, [p1])
    assert r.status == 400 and "Ảnh trong thư viện: trùng" in alert(r)
    # At most 24 photos.
    many = fake_pictures(s, 24, prefix="nhieu")
    r = add(b, oid, many)
    assert r.status == 400 and "Số ảnh (tối đa 24): ngoài giới hạn cho phép" in alert(r), alert(r)
    assert photos(s, oid) == [(p1, 1)]
    assert add(b, oid, many[:23]).status == 303
    assert len(photos(s, oid)) == 24
    # A dragged order that is not the same pictures.
    r = post(b, oid, action="order", order=f"{p1}")
    assert r.status == 400 and "Thứ tự ảnh:" in alert(r)
    r = post(b, oid, action="order", order=",".join([str(p1)] * 24))
    assert r.status == 400 and "Thứ tự ảnh:" in alert(r)
    # A picture that is not on the card; an unknown action.
    r = post(b, oid, action="lead", media=str(pdf))
    assert r.status == 400 and "Ảnh trong thư viện: không có" in alert(r)
    r = post(b, oid, action="xoay", media=str(p1))
    assert r.status == 400 and "Thao tác:" in alert(r)
    assert photos(s, oid)[0] == (p1, 1) and len(photos(s, oid)) == 24
    # An object that does not exist; a forged token.
    assert b.get("/admin/so-dang-ky/999999/anh").status == 404
    page = b.get(f"/admin/so-dang-ky/{oid}/anh")
    token = csrf_of(page.text, f"/admin/so-dang-ky/{oid}/anh")
    assert b.post("/admin/so-dang-ky/999999/anh", {"csrf": token, "action": "add",
                                                    "media": str(p1)}).status in (403, 404)
    assert b.post(f"/admin/so-dang-ky/{oid}/anh", {"csrf": "0" * 64, "action": "remove",
                                                   "media": str(p1)}).status == 403
    # Hostile alt text comes back escaped.
    c = db(s)
    with c:
        c.execute("UPDATE media SET alt = '<img src=x onerror=alert(1)>' WHERE id = ?", (many[0],))
    c.close()
    page = b.get(f"/admin/so-dang-ky/{oid}/anh")
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text
    # Clear the card for the other tests.
    for mid, _ in photos(s, oid):
        assert post(b, oid, action="remove", media=str(mid)).status == 303


def test_search_the_library(s):
    b = browser(s, "baotang")
    oid = an_object(s)
    fake_pictures(s, 1, prefix="trong-dong-ngoc-lu")
    r = b.get(f"/admin/so-dang-ky/{oid}/anh?q=ngoc-lu")
    assert r.status == 200
    assert "trong-dong-ngoc-lu 0" in r.text
    names = re.findall(r'name="media" value="(\d+)"', r.text)
    assert len(names) == 1, names
    r = b.get(f"/admin/so-dang-ky/{oid}/anh?q=khong-co-anh-nao-ten-nay")
    assert "Không có ảnh nào trong thư viện khớp với tìm kiếm." in r.text


def test_roles(s):
    oid = an_object(s)
    path = f"/admin/so-dang-ky/{oid}/anh"
    for name in ("quantri", "baotang"):
        assert browser(s, name).get(path).status == 200, name
    for name in ("hoidong", "bientap", "tacgia"):
        b = browser(s, name)
        assert b.get(path).status == 403, name
        r = b.post(path, {"csrf": "0" * 64, "action": "add", "media": "1"})
        assert r.status == 403 and "không có quyền" in htmllib.unescape(r.text), name
    # The council reads the card (with its photos) but is not offered the page.
    card = browser(s, "hoidong").get(f"/admin/so-dang-ky/{oid}")
    assert card.status == 200 and path not in card.text
    assert browser(s, "bientap").get(f"/admin/so-dang-ky/{oid}").status == 403


def test_api_lists_public_photos(s):
    b = browser(s, "baotang")
    oid = an_object(s, public=True)
    (p1,) = demo_pictures(s, 1)
    p2 = uploaded_picture(s)
    assert add(b, oid, [p1, p2]).status == 303
    assert post(b, oid, action="lead", media=str(p2)).status == 303
    r = s.get(f"/api/v1/objects/{oid}")
    # The uploaded picture is offered as its variants (EXIF-free resized
    # copies), never the uploaded original.
    lead = r.json()["photos"][0]
    assert lead["alt"] == "Bi đông <b>1954</b>" and lead["credit"] == "Ảnh: Bảo tàng"
    assert lead["srcset"] and files_of(s, p2)[0] not in lead["url"] + lead["srcset"]
    assert r.status == 200
    got = r.json()["photos"]
    assert [g["lead"] for g in got] == [True, False]
    files = {i: rows(s, "SELECT file FROM media WHERE id = ?", i)[0][0] for i in (p1, p2)}
    stem = lambda f: f.rsplit(".", 1)[0]
    assert stem(files[p2]) in got[0]["url"] and stem(files[p1]) in got[1]["url"]
    for g in got:
        assert g["url"].startswith("http") and "/media/" in g["url"]
        assert set(g) == {"url", "srcset", "width", "height", "alt", "credit", "lead"}
        for part in filter(None, g["srcset"].split(", ")):
            assert part.startswith("http") and re.search(r" \d+w$", part), part
        assert s.get(g["url"][g["url"].index("/media/"):]).status == 200
    # A private object: 404 as before, nothing about its photos.
    private = an_object(s, public=False)
    assert add(b, private, [p1]).status == 303
    r = s.get(f"/api/v1/objects/{private}")
    assert r.status == 404 and "photos" not in r.text
    # The list does not grow photos (it stays short).
    first = s.get("/api/v1/objects").json()["items"][0]
    assert "photos" not in first
    json.dumps(got)


def test_picture_on_a_card_is_not_deleted(s):
    """The library refuses to delete a picture a card shows (409 with the
    reason), instead of failing on the schema's restriction."""
    oid = an_object(s)
    (mid,) = fake_pictures(s, 1, prefix="tren-phieu")
    assert add(browser(s, "baotang"), oid, [mid]).status == 303
    ed = browser(s, "bientap")      # editors delete library pictures
    page = ed.get(f"/admin/thu-vien/{mid}")
    assert page.status == 200
    token = csrf_of(page.text, f"/admin/thu-vien/{mid}/xoa")
    r = ed.post(f"/admin/thu-vien/{mid}/xoa", {"csrf": token})
    assert r.status == 409, r.status
    assert "ảnh của một phiếu hiện vật" in htmllib.unescape(r.text)
    assert rows(s, "SELECT count(*) FROM media WHERE id = ?", mid) == [(1,)]
    assert photos(s, oid) == [(mid, 1)]
    # Once off the card it can go.
    assert post(browser(s, "baotang"), oid, action="remove", media=str(mid)).status == 303
    r = ed.post(f"/admin/thu-vien/{mid}/xoa", {"csrf": token})
    assert r.status == 303, r.status
    assert rows(s, "SELECT count(*) FROM media WHERE id = ?", mid) == [(0,)]


def test_upload_from_the_photos_page(s):
    """A curator uploads a new picture from the photos page: it goes through
    the media library's own upload path (same checks, limit and audit line)
    and becomes a photo of the object (the lead on an empty card). A refusal
    keeps the alt text and credit typed; other roles get 403 before the body
    is read."""
    oid = an_object(s)
    b = browser(s, "baotang")
    path = f"/admin/so-dang-ky/{oid}/anh"
    up = f"{path}/tai-len"
    page = b.get(path)
    assert f'action="{up}" enctype="multipart/form-data"' in page.text
    token = csrf_of(page.text, up)
    media_before = rows(s, "SELECT count(*) FROM media")[0][0]
    alt, credit = "Bi đông <b>mặt trước</b>", "Ảnh: Phòng <i>Kiểm kê</i>"
    # No file; a file that is not a picture; no alt text: refused, typed kept.
    for files, fields, words in (
            ([], {"alt": alt, "credit": credit}, "Hãy chọn một tệp ảnh."),
            ([("file", "gia.png", "image/png", b"khong phai anh " * 40)], {"alt": alt, "credit": credit},
             "Không nhận tệp này."),
            ([("file", "anh.png", "image/png", png(64, 48))], {"alt": "", "credit": credit},
             "Hãy nhập mô tả ảnh.")):
        r = b.upload(up, {"csrf": token, **fields}, files)
        assert r.status == 400, (words, r.status)
        text = htmllib.unescape(r.text)
        assert words in text, text[text.find('role="alert"'):][:300]
        assert f'value="{htmllib.escape(fields["alt"], quote=False)}"' in r.text.replace("&#39;", "'")
        assert "<b>mặt trước" not in r.text and credit in text and "<i>Kiểm kê" not in r.text
    assert rows(s, "SELECT count(*) FROM media")[0][0] == media_before
    assert photos(s, oid) == []
    # A forged token is refused like any POST.
    r = b.upload(up, {"csrf": "0" * 64, "alt": alt, "credit": credit},
                 [("file", "anh.png", "image/png", png(64, 48))])
    assert r.status == 403
    r = b.upload(up, {"csrf": token, "alt": alt, "credit": credit},
                 [("file", "bi-dong.png", "image/png", png(320, 240))])
    assert r.status == 303 and r.header("location") == path + "?ok=tai-len", htmllib.unescape(r.text)[-500:]
    (mid, stored_alt, stored_credit) = rows(s, "SELECT id, alt, credit FROM media ORDER BY id DESC LIMIT 1")[0]
    assert (stored_alt, stored_credit) == (alt, credit)
    assert photos(s, oid) == [(mid, 1)]
    actions = [a for (a,) in rows(s, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 2")]
    assert actions == ["object_photos", "media_upload"], actions
    assert rows(s, "SELECT details FROM audit_log WHERE action = 'object_photos' ORDER BY id DESC"
                   " LIMIT 1")[0][0] == f"upload: {mid}*"
    assert "Đã tải ảnh lên và thêm vào phiếu." in htmllib.unescape(b.get(r.header("location")).text)
    # A second upload goes after it; the lead stays.
    r = b.upload(up, {"csrf": token, "alt": "Bi đông mặt sau", "credit": credit},
                 [("file", "mat-sau.png", "image/png", png(200, 150))])
    assert r.status == 303
    assert [lead for _, lead in photos(s, oid)] == [1, 0] and photos(s, oid)[0][0] == mid
    # Other roles: refused before the body is read (the upload gate).
    for name in ("hoidong", "bientap", "tacgia"):
        r = browser(s, name).upload(up, {"csrf": token, "alt": alt, "credit": credit},
                                    [("file", "x.png", "image/png", png(64, 48))])
        assert r.status == 403, (name, r.status)
    assert len(photos(s, oid)) == 2


def test_uploads_racing_for_the_last_place_leave_no_picture_behind(s):
    """A card with one place left and several uploads at the same moment:
    each passes the early check (23 < 24), is taken into the library, then
    only one fits when the photos are written. The others are refused and
    their pictures taken back out of the library (with an audit line), so a
    refused upload leaves nothing behind."""
    oid = an_object(s)
    b = browser(s, "baotang")
    assert add(b, oid, fake_pictures(s, 23, prefix="gan-day")).status == 303
    up = f"/admin/so-dang-ky/{oid}/anh/tai-len"
    media_before = rows(s, "SELECT count(*) FROM media")[0][0]
    n = 6
    start = threading.Barrier(n)
    results = [None] * n

    def one(i):
        c = browser(s, "baotang")
        start.wait()
        results[i] = c.upload(up, {"csrf": csrf_of(c.get(f"/admin/so-dang-ky/{oid}/anh").text, up),
                                   "alt": f"Ảnh đua {i}", "credit": "Ảnh: Bảo tàng"},
                              [("file", f"dua-{i}.png", "image/png", png(640, 480))])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status for r in results)
    assert statuses == [303] + [400] * (n - 1), statuses
    for r in results:
        if r.status == 400:
            assert "Số ảnh (tối đa 24): ngoài giới hạn cho phép" in alert(r), alert(r)
    assert len(photos(s, oid)) == 24
    assert rows(s, "SELECT count(*) FROM media")[0][0] == media_before + 1
    taken = rows(s, "SELECT count(*) FROM audit_log WHERE action = 'media_upload'"
                    " AND details LIKE '%\"dua-%'")[0][0]
    back = rows(s, "SELECT count(*) FROM audit_log WHERE action = 'media_delete'"
                   " AND details = 'upload taken back: its form was refused'")[0][0]
    assert taken - back == 1, (taken, back)
