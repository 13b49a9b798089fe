"""Issue 12, the printed books (print_register.c, print_records.c): the
register book, the object card, the hand-over record, the council minutes and
the inventory report. Each answers 200 to those who read the register and 403
to editors and authors, escapes what was stored, answers 404 for an id that is
not there, and a refused range keeps what was typed. How they come out on
paper (page numbers, pages, text in a PDF): tests/browser/scenarios/print.mjs."""
import html as htmllib
import os
import re
import sqlite3

from admin_client import accounts_module
from register_users import intake, one, relate
from test_register_roles import PASSWORDS, READERS, ROLES

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

XSS = "<script>alert(1)</script>"


def text_of(r):
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", r.text))


def alert(r):
    return htmllib.unescape(" ".join(re.findall(r'role="alert">([^<]*)', r.text)))


def print_urls(s):
    """One URL of each printed book, on demo rows."""
    (obj,) = one(s, "SELECT id FROM objects WHERE reg_number IS NOT NULL ORDER BY id LIMIT 1")
    (acq,) = one(s, "SELECT id FROM acquisitions ORDER BY id LIMIT 1")
    (session,) = one(s, "SELECT id FROM council_sessions ORDER BY id LIMIT 1")
    row = one(s, "SELECT id FROM inventory_campaigns ORDER BY id LIMIT 1")
    if row is None:
        db = sqlite3.connect(os.path.join(s.data, "sen.db"))
        with db:
            cur = db.execute("INSERT INTO inventory_campaigns (name, started_on)"
                             " VALUES ('Kiểm kê in thử', '2026-01-05')")
        db.close()
        row = (cur.lastrowid,)
    return {
        "book": "/admin/so-dang-ky/in",
        "card": f"/admin/so-dang-ky/{obj}/in",
        "handover": f"/admin/so-dang-ky/thu-nhan/{acq}/bien-ban",
        "council": f"/admin/so-dang-ky/hoi-dong/{session}/in",
        "inventory": f"/admin/kiem-ke/{row[0]}/bao-cao",
    }


BOOKS = ("book", "card", "handover", "council", "inventory")


def test_print_roles(s):
    urls = print_urls(s)
    bad = []
    for book in BOOKS:
        for name in PASSWORDS:
            r = browser(s, name).get(urls[book])
            want = 200 if name in READERS else 403
            if r.status != want:
                bad.append((name, urls[book], r.status, want))
            if r.status == 200:
                # A page for paper: A4 print style, no menu, the museum's name.
                if ("/static/css/admin/print.css" not in r.text or "admin-nav" in r.text
                        or "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ" not in text_of(r)):
                    bad.append((name, urls[book], "not a print page"))
    assert bad == [], bad


def test_print_missing_ids(s):
    b = browser(s, "quantri")
    for path in ("/admin/so-dang-ky/999999/in", "/admin/so-dang-ky/abc/in",
                 "/admin/so-dang-ky/thu-nhan/999999/bien-ban", "/admin/so-dang-ky/thu-nhan/x/bien-ban",
                 "/admin/so-dang-ky/hoi-dong/999999/in", "/admin/kiem-ke/999999/bao-cao",
                 "/admin/kiem-ke/0/bao-cao"):
        assert b.get(path).status == 404, path


def test_register_book(s):
    b = browser(s, "baotang")
    r = b.get("/admin/so-dang-ky/in")
    assert r.status == 200
    t = text_of(r)
    # The cover, then the columns of a Vietnamese register.
    for words in ("SỔ ĐĂNG KÝ HIỆN VẬT".title(), "Ngày in", "STT", "Số đăng ký", "Ngày nhập",
                  "Tên hiện vật", "Nguồn gốc / người giao", "Chất liệu", "Kích thước",
                  "Số lượng / số mảnh", "Niên đại", "Tình trạng", "Vị trí", "Ghi chú"):
        assert words.lower() in t.lower(), words
    rows = re.findall(r'<td class="num">([\d.]+)</td>', r.text)
    (total,) = one(s, "SELECT count(*) FROM objects")
    assert len(rows) // 2 == total   # STT and pieces are both numbers
    # Registered objects come first, by register and running number.
    (first,) = one(s, "SELECT reg_number FROM objects WHERE reg_number IS NOT NULL"
                      " ORDER BY register_id, reg_seq LIMIT 1")
    assert t.index(first) < t.index("STT") + 4000
    # The same filters as the list: the main collection only.
    r = b.get("/admin/so-dang-ky/in?trang-thai=main")
    (main,) = one(s, "SELECT count(*) FROM objects WHERE status = 'main'")
    assert r.status == 200 and len(re.findall(r"<tr><td class=\"num\">", r.text)) == main
    assert "Sưu tập chính".lower() in text_of(r).lower()
    # A range of running numbers.
    r = b.get("/admin/so-dang-ky/in?trang-thai=main&tu=2&den=3")
    assert len(re.findall(r"<tr><td class=\"num\">", r.text)) == 2
    # A refused range names the field and keeps what was typed.
    r = b.get("/admin/so-dang-ky/in?tu=ba&den=7&q=mu+coi")
    assert r.status == 400 and alert(r).startswith("Từ số thứ tự:"), alert(r)
    assert 'value="ba"' in r.text and 'value="7"' in r.text and 'value="mu coi"' in r.text
    r = b.get("/admin/so-dang-ky/in?tu=9&den=3")
    assert r.status == 400 and alert(r).startswith("Đến số thứ tự:"), alert(r)
    r = b.get("/admin/so-dang-ky/in?q=" + "x" * 300)
    assert r.status == 400 and alert(r).startswith("Từ khóa tìm:"), alert(r)
    # The list links to its print with the same filters.
    assert 'formaction="/admin/so-dang-ky/in"' in b.get("/admin/so-dang-ky").text


def test_print_escapes_stored_text(s):
    b = browser(s, "baotang")
    assert intake(b, XSS, donor=XSS, notes=XSS, origin_place=XSS).status == 303
    (oid,) = one(s, "SELECT id FROM objects WHERE name = ?", XSS)
    for path in (f"/admin/so-dang-ky/{oid}/in", "/admin/so-dang-ky/in?trang-thai=intake"):
        r = b.get(path)
        assert r.status == 200, path
        assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)" in r.text, path
    # The card links to its print.
    assert f'href="/admin/so-dang-ky/{oid}/in"' in b.get(f"/admin/so-dang-ky/{oid}").text
    (acq,) = one(s, "SELECT acquisition_id FROM objects WHERE id = ?", oid)
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    with db:
        session = db.execute("INSERT INTO council_sessions (held_on, members, minutes)"
                             " VALUES ('2026-05-07', ?, ?)", (XSS, XSS)).lastrowid
        campaign = db.execute("INSERT INTO inventory_campaigns (name, started_on)"
                              " VALUES (?, '2026-01-05')", (XSS,)).lastrowid
    db.close()
    for path in (f"/admin/so-dang-ky/thu-nhan/{acq}/bien-ban", f"/admin/so-dang-ky/hoi-dong/{session}/in",
                 f"/admin/kiem-ke/{campaign}/bao-cao"):
        r = b.get(path)
        assert r.status == 200, path
        assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)" in r.text, path


def test_handover_record(s):
    b = browser(s, "baotang")
    (acq, no, donor, n) = one(
        s, "SELECT q.id, q.handover_no, d.name, (SELECT count(*) FROM objects o WHERE"
           " o.acquisition_id = q.id) FROM acquisitions q JOIN donors d ON d.id = q.donor_id"
           " WHERE q.handover_no != '' ORDER BY q.id LIMIT 1")
    r = b.get(f"/admin/so-dang-ky/thu-nhan/{acq}/bien-ban")
    assert r.status == 200
    t = text_of(r)
    for words in ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "Biên bản giao nhận hiện vật", no, donor, "Bên giao", "Bên nhận",
                  "(Ký, ghi rõ họ tên)"):
        assert words in t, words
    assert len(re.findall(r"<tr><td class=\"num\">", r.text)) == n
    # A purchase shows its value, written the Vietnamese way.
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    with db:
        bought = db.execute("INSERT INTO acquisitions (mode, acquired_on, handover_no, giver,"
                            " receiver, value) VALUES ('mua', '2024-03-02', 'BB-07/2024',"
                            " 'Ông Lò Văn Inh', 'Phòng Kiểm kê', 1500000)").lastrowid
    db.close()
    t = text_of(b.get(f"/admin/so-dang-ky/thu-nhan/{bought}/bien-ban"))
    assert "1.500.000 đồng" in t and "02/03/2024" in t and "Ông Lò Văn Inh" in t
    assert "Chưa có hiện vật nào" in t


def test_council_minutes(s):
    b = browser(s, "hoidong")
    (sid, held) = one(s, "SELECT id, held_on FROM council_sessions WHERE EXISTS (SELECT 1 FROM"
                         " council_decisions d WHERE d.session_id = council_sessions.id)"
                         " ORDER BY id LIMIT 1")
    r = b.get(f"/admin/so-dang-ky/hoi-dong/{sid}/in")
    assert r.status == 200
    t = text_of(r)
    day = "/".join(reversed(held.split("-")))
    for words in ("Biên bản họp Hội đồng khoa học", day, "Thành viên Hội đồng",
                  "Chủ tịch hội đồng", "Thư ký", "(Ký, ghi rõ họ tên)"):
        assert words.lower() in t.lower(), words
    (n,) = one(s, "SELECT count(*) FROM council_decisions WHERE session_id = ?", sid)
    assert len(re.findall(r"<tr><td class=\"num\">", r.text)) == n
    (number,) = one(s, "SELECT o.reg_number FROM council_decisions d JOIN objects o ON"
                       " o.id = d.object_id WHERE d.session_id = ? AND o.reg_number IS NOT NULL"
                       " LIMIT 1", sid)
    assert number in t
    assert f'href="/admin/so-dang-ky/hoi-dong/{sid}/in"' in b.get(f"/admin/so-dang-ky/hoi-dong/{sid}").text


def test_inventory_report(s):
    b = browser(s, "baotang")
    (store,) = one(s, "SELECT id FROM locations WHERE name = 'Kho chính'")
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    with db:
        cid = db.execute("INSERT INTO inventory_campaigns (name, started_on, root_location_id)"
                         " VALUES ('Kiểm kê Kho chính 2026', '2026-02-01', ?)", (store,)).lastrowid
    db.close()
    page = b.get(f"/admin/kiem-ke/{cid}")
    assert f'href="/admin/kiem-ke/{cid}/bao-cao"' in page.text
    from admin_client import csrf_of
    token = csrf_of(page.text, f"/admin/kiem-ke/{cid}/danh-dau")
    objs = re.findall(r'name="object_id" value="(\d+)"', page.text)
    for oid, state in ((objs[0], "found"), (objs[1], "damaged"), (objs[2], "missing")):
        assert b.post(f"/admin/kiem-ke/{cid}/danh-dau", {"csrf": token, "object_id": oid,
                      "state": state, "seen_location_id": "", "note": ""}).status == 303
    r = b.get(f"/admin/kiem-ke/{cid}/bao-cao")
    assert r.status == 200
    t = " ".join(text_of(r).split())
    for words in ("Báo cáo kiểm kê hiện vật", "Kiểm kê Kho chính 2026", "Kho chính", "01/02/2026",
                  "đang tiến hành", f"Tổng số hiện vật {len(objs)}", "Có 1", "Hư hỏng 1", "Thiếu 1",
                  f"Chưa kiểm {len(objs) - 3}", "Danh sách chênh lệch", "Trưởng đoàn kiểm kê"):
        assert words in t, words
    # Every object not found is a difference.
    assert len(re.findall(r"<tr><td class=\"num\">", r.text)) == len(objs) - 1


def test_object_card_print(s):
    b = browser(s, "hoidong")
    (oid, number, name) = one(s, "SELECT o.id, o.reg_number, o.name FROM objects o"
                                 " WHERE o.reg_number IS NOT NULL AND EXISTS (SELECT 1 FROM"
                                 " movements m WHERE m.object_id = o.id) ORDER BY o.id LIMIT 1")
    r = b.get(f"/admin/so-dang-ky/{oid}/in")
    assert r.status == 200
    t = text_of(r)
    for words in ("Phiếu hiện vật", number, name, "Đăng ký và đính chính", "Kiểm tra tình trạng",
                  "Phương thức thu nhận", "Ngày in"):
        assert words in t, words
    # The moves of the card, with their reasons as words.
    (reason,) = one(s, "SELECT reason FROM movements WHERE object_id = ? LIMIT 1", oid)
    words = {"trung_bay": "trưng bày", "bao_quan": "bảo quản", "nhap_kho": "nhập kho",
             "kiem_ke": "kiểm kê", "cho_muon": "cho mượn", "tra_ve": "trả về", "khac": "khác"}
    assert words[reason] in t.lower()
    # Its related people, units, events and places, grouped by kind as on
    # the card page (the shared partial), each escaped.
    relate(s, oid, [("person", "Anh hùng <b>Bế</b> Văn Đàn"), ("place", "Đồi <i>A1</i>")])
    r = b.get(f"/admin/so-dang-ky/{oid}/in")
    assert "<b>Bế" not in r.text and "<i>A1" not in r.text
    t = htmllib.unescape(r.text)
    related = t[t.index("<h2>Nhân vật, đơn vị, sự kiện, địa danh liên quan</h2>"):]
    order = [related.index(w) for w in ("<h3>Nhân vật</h3>", "Anh hùng <b>Bế</b> Văn Đàn",
                                         "<h3>Địa danh</h3>", "Đồi <i>A1</i>")]
    assert order == sorted(order), order


def test_register_book_cap(s):
    """A register longer than one print holds the first 2,000 rows and says so."""
    path = os.path.join(s.data, "nhieu.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("Tên hiện vật,Chất liệu,Phương thức thu nhận,Ngày thu nhận\n")
        f.writelines(f"Vỏ đạn {i},KL,sưu tầm,07/05/1954\n" for i in range(2001))
    r = s.run("objects", "import", path, "--data", s.data)
    assert r.returncode == 0, r.stderr
    r = browser(s, "quantri").get("/admin/so-dang-ky/in?trang-thai=intake")
    assert r.status == 200
    assert len(re.findall(r"<tr><td class=\"num\">", r.text)) == 2000
    assert "tối đa 2.000" in text_of(r)


def test_object_card_lead_photo(s):
    """The card prints its lead photo as the library serves it (a variant)."""
    b = browser(s, "baotang")
    (oid,) = one(s, "SELECT id FROM objects WHERE reg_number IS NOT NULL ORDER BY id DESC LIMIT 1")
    (first, lead) = (one(s, "SELECT id FROM media ORDER BY id LIMIT 1")[0],
                     one(s, "SELECT id FROM media ORDER BY id LIMIT 1 OFFSET 1")[0])
    (lead_file,) = one(s, "SELECT file FROM media WHERE id = ?", lead)
    assert "<img" not in b.get(f"/admin/so-dang-ky/{oid}/in").text
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    with db:
        db.execute("UPDATE media SET alt = 'Mặt trước <b>' WHERE id = ?", (lead,))
        db.executemany("INSERT INTO object_media (object_id, position, media_id, lead)"
                       " VALUES (?, ?, ?, ?)", [(oid, 0, first, 0), (oid, 1, lead, 1)])
    db.close()
    r = b.get(f"/admin/so-dang-ky/{oid}/in")
    imgs = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', r.text)
    assert len(imgs) == 1, imgs
    src, alt = imgs[0]
    assert src.startswith("/media/") and src.split("/")[-1].split("-")[0].split(".")[0] == lead_file.split(".")[0], src
    assert htmllib.unescape(alt) == "Mặt trước <b>" and "Mặt trước &lt;b&gt;" in r.text
    assert s.get(src).status == 200
