"""Issue 13, exhibitions ("trưng bày, triển lãm"): the back office at
/admin/trung-bay (list, new, one exhibition with its objects from the
register, photos from the library and visitor entries), the public pages
/trung-bay and /trung-bay/ID, JSON-LD ExhibitionEvent, the sitemap and the
feeds. Every field's refusal names the field in Vietnamese and keeps what
was typed; every change is in the audit log; an object put in an open
exhibition moves on its card (a movement with reason trung_bay) and back
when taken out; roles as the register's pages; text escaped everywhere."""
import datetime
import html as htmllib
import json
import re
from urllib.parse import quote

from admin_client import Browser, csrf_of
from register_users import one
from test_register_roles import KEEPERS, PASSWORDS, PUBLIC, READERS, ROLES, check_access
from admin_client import accounts_module

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

LIST = "/admin/trung-bay"
NEW = "/admin/trung-bay/them"
XSS = '<script>alert("x")</script>'


def day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).strftime("%d/%m/%Y")


def alert(r):
    return " ".join(htmllib.unescape(m) for m in re.findall(r'role="alert">([^<]*)', r.text))


def record(b, url=NEW, **fields):
    """The record's form for url (new, or one exhibition), filled."""
    token = csrf_of(b.get(url).text, url)
    f = {"csrf": token, "action": "save", "title": "", "kind": "chuyen_de", "location_id": "",
         "venue": "", "province": "", "opens_on": day(-2), "closes_on": day(60),
         "curators": "", "description": "", "public": "1"}
    f.update(fields)
    return f


def hall(s):
    (hid,) = one(s, "SELECT id FROM locations WHERE kind = 'exhibit' ORDER BY id LIMIT 1")
    return str(hid)


def new_exhibition(b, s, **fields):
    f = record(b, title=fields.pop("title", "Chiến thắng Điện Biên Phủ"), location_id=hall(s),
               **fields)
    r = b.post(NEW, f)
    assert r.status == 303, alert(r)
    return r.header("location").split("?")[0]


def sub(b, url, **fields):
    """A small form of one exhibition's page."""
    token = csrf_of(b.get(url).text, url)
    f = {"csrf": token}
    f.update(fields)
    return b.post(url, f)


def test_exhibition_add_checks_every_field_and_keeps_input(s):
    b = browser(s, "baotang")
    (before,) = one(s, "SELECT count(*) FROM exhibitions")
    cases = [
        ({"title": "  "}, "Tên cuộc trưng bày: bắt buộc"),
        ({"title": "x" * 301}, "Tên cuộc trưng bày: quá dài"),
        ({"kind": "robot"}, "Loại hình: không phải"),
        ({"location_id": "", "venue": ""}, "Địa điểm: bắt buộc"),
        ({"location_id": "", "venue": "Nhà văn hóa tỉnh", "province": ""}, "Tỉnh, thành phố: bắt buộc"),
        ({"location_id": "999999"}, "Phòng trưng bày của bảo tàng: không có"),
        ({"location_id": "abc"}, "Phòng trưng bày của bảo tàng: không có"),
        ({"opens_on": ""}, "Ngày khai mạc: bắt buộc"),
        ({"opens_on": "31/04/2020"}, "Ngày khai mạc: ngày không hợp lệ"),
        ({"opens_on": "hôm qua"}, "Ngày khai mạc: ngày không hợp lệ"),
        ({"closes_on": "32/01/2021"}, "Ngày đóng cửa: ngày không hợp lệ"),
        ({"opens_on": "10/05/2020", "closes_on": "09/05/2020"},
         "Ngày đóng cửa: ngày đóng cửa phải từ ngày khai mạc trở đi"),
        ({"curators": "c" * 1001}, "Người phụ trách: quá dài"),
        ({"description": "d" * 20001}, "Giới thiệu: quá dài"),
        ({"title": "Tên\x01lạ"}, "Tên cuộc trưng bày: có ký tự không hợp lệ"),
    ]
    for fields, message in cases:
        f = record(b, title="Hiện vật kháng chiến", location_id=hall(s),
                   curators="Phòng Trưng bày giữ lại")
        f.update(fields)
        r = b.post(NEW, f)
        assert r.status == 400, (fields, r.status)
        assert message in alert(r), (fields, alert(r))
        if "curators" not in fields:
            assert 'value="Phòng Trưng bày giữ lại"' in r.text, fields
        if "title" not in fields:
            assert 'value="Hiện vật kháng chiến"' in r.text, fields
    assert one(s, "SELECT count(*) FROM exhibitions") == (before,)
    # Stored, escaped on every page, audited.
    f = record(b, title="Trưng bày " + XSS, location_id="", venue="Nhà văn hóa " + XSS,
               province="Sơn La " + XSS, curators="Lan " + XSS, description="Mô tả " + XSS,
               kind="luu_dong", opens_on=day(-3), closes_on=day(20))
    r = b.post(NEW, f)
    assert r.status == 303, alert(r)
    url = r.header("location").split("?")[0]
    eid = url.rsplit("/", 1)[1]
    assert one(s, "SELECT kind, venue, province, opens_on, public FROM exhibitions WHERE id = ?", eid) == \
        ("luu_dong", "Nhà văn hóa " + XSS, "Sơn La " + XSS,
         (datetime.date.today() - datetime.timedelta(days=3)).isoformat(), 1)
    for page in (b.get(r.header("location")), b.get(LIST), Browser(s).get(f"/trung-bay/{eid}"),
                 Browser(s).get("/trung-bay")):
        assert page.status == 200
        assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "Đã thêm cuộc trưng bày." in htmllib.unescape(b.get(r.header("location")).text)
    assert one(s, "SELECT user_name, target, details FROM audit_log WHERE action ="
                  " 'exhibition_change' ORDER BY id DESC LIMIT 1") == \
        ("baotang", f"{eid} Trưng bày {XSS}", "add")


def test_exhibition_edit_objects_photos_visits(s):
    b = browser(s, "baotang")
    url = new_exhibition(b, s, title="Đường lên Điện Biên")
    eid = url.rsplit("/", 1)[1]
    (obj, number, home) = one(s, "SELECT id, reg_number, ifnull(location_id, 0) FROM objects"
                                 " WHERE reg_number IS NOT NULL AND public = 1"
                                 " AND location_id IS NOT NULL AND location_id <> ?"
                                 " AND id NOT IN (SELECT object_id FROM exhibition_objects WHERE placed = 1)"
                                 " ORDER BY id LIMIT 1", int(hall(s)))
    # Search the register by number.
    page = b.get(url + "?tim=" + quote(number))
    assert page.status == 200 and htmllib.escape(number) in page.text
    assert re.search(r'name="object_id" value="%d"' % obj, page.text)
    # Put it in: the exhibition is open, so the card moves to the hall.
    (moves,) = one(s, "SELECT count(*) FROM movements WHERE object_id = ?", obj)
    r = sub(b, url, action="object", object_id=str(obj), position="1",
            label_vi="Nhãn " + XSS, label_en="Label " + XSS)
    assert r.status == 303, alert(r)
    assert one(s, "SELECT location_id FROM objects WHERE id = ?", obj) == (int(hall(s)),)
    assert one(s, "SELECT count(*), max(reason), max(who) FROM movements WHERE object_id = ?", obj) == \
        (moves + 1, "trung_bay", "baotang")
    assert one(s, "SELECT details FROM audit_log WHERE action = 'exhibition_change'"
                  " ORDER BY id DESC LIMIT 1") == (f"object {obj}",)
    page = b.get(url)
    assert "Nhãn &lt;script&gt;" in page.text and "<script>alert" not in page.text
    # The card says where it is, and why it moved.
    card = htmllib.unescape(b.get(f"/admin/so-dang-ky/{obj}").text)
    assert "trưng bày" in card
    # Bad small forms name their field and keep what was typed.
    cases = [
        ({"action": "object", "object_id": "", "position": "1"}, "Mã hiện vật: bắt buộc"),
        ({"action": "object", "object_id": "abc", "position": "1"}, "Mã hiện vật: không phải là số"),
        ({"action": "object", "object_id": "99999999", "position": "1"}, "Mã hiện vật: không có"),
        ({"action": "object", "object_id": str(obj), "position": "x"}, "Thứ tự: không phải là số"),
        ({"action": "object", "object_id": str(obj), "position": "1", "label_vi": "v" * 2001},
         "Nhãn tiếng Việt: quá dài"),
        ({"action": "object", "object_id": str(obj), "position": "1", "label_en": "\x02"},
         "Nhãn tiếng Anh: có ký tự không hợp lệ"),
        ({"action": "photo", "media_id": ""}, "Mã ảnh trong thư viện: bắt buộc"),
        ({"action": "photo", "media_id": "999999"}, "Mã ảnh trong thư viện: không có"),
        ({"action": "visit", "counted_on": "30/02/2024", "visitors": "10"}, "Ngày: ngày không hợp lệ"),
        ({"action": "visit", "counted_on": "", "visitors": "10"}, "Ngày: bắt buộc"),
        ({"action": "visit", "counted_on": day(1), "visitors": "10"}, "Ngày: ngày ở tương lai"),
        ({"action": "visit", "counted_on": day(-30), "visitors": "10"}, "Ngày: ngày này trước ngày khai mạc"),
        ({"action": "visit", "counted_on": day(-1), "visitors": ""}, "Số lượt khách: bắt buộc"),
        ({"action": "visit", "counted_on": day(-1), "visitors": "mười"}, "Số lượt khách: không phải là số"),
        ({"action": "visit", "counted_on": day(-1), "visitors": "1" * 12},
         "Số lượt khách: ngoài giới hạn"),
        ({"action": "visit", "counted_on": day(-1), "visitors": "5", "note": "n" * 501},
         "Ghi chú: quá dài"),
        ({"action": "visit_remove", "visit_id": "x"}, "Lượt khách: không có"),
        ({"action": "nhay-mua"}, "Thao tác: không phải"),
    ]
    for fields, message in cases:
        r = sub(b, url, **fields)
        assert r.status == 400, (fields, r.status)
        assert message in alert(r), (fields, alert(r))
        for k in ("counted_on", "visitors"):
            if fields.get(k) and k in fields and len(fields[k]) < 20:
                assert 'value="%s"' % htmllib.escape(fields[k]) in r.text, (k, fields)
    # Visitors, as written in Vietnam: 1.250 is one thousand two hundred fifty.
    r = sub(b, url, action="visit", counted_on=day(-1), visitors="1.250", note="Ngày khai mạc")
    assert r.status == 303, alert(r)
    r = sub(b, url, action="visit", counted_on=day(-1), visitors="3")
    assert r.status == 400 and "Ngày: trùng" in alert(r)
    page = htmllib.unescape(b.get(url).text)
    assert "1.250" in page and day(-1) in page
    (vid,) = one(s, "SELECT id FROM exhibition_visits WHERE exhibition_id = ?", eid)
    # A photo of the library.
    media = one(s, "SELECT id FROM media WHERE mime LIKE 'image/%' AND id NOT IN"
                   " (SELECT media_id FROM media_jobs) ORDER BY id LIMIT 1")
    if media is not None:
        r = sub(b, url, action="photo", media_id=str(media[0]), caption="Khai mạc " + XSS)
        assert r.status == 303, alert(r)
        r = sub(b, url, action="photo", media_id=str(media[0]), caption="")
        assert r.status == 400 and "trùng" in alert(r)
        r = sub(b, url, action="photo_remove", media_id=str(media[0]))
        assert r.status == 303
    # The record's edit form: a refusal keeps the input.
    r = b.post(url, record(b, url, title="Đường lên Điện Biên (sửa)", location_id=hall(s),
                           opens_on=day(-2), closes_on=day(-5)))
    assert r.status == 400 and "Ngày đóng cửa:" in alert(r)
    assert 'value="Đường lên Điện Biên (sửa)"' in r.text
    r = b.post(url, record(b, url, title="Đường lên Điện Biên (sửa)", location_id=hall(s),
                           opens_on=day(-2), closes_on=day(40)))
    assert r.status == 303 and r.header("location") == url + "?ok=luu"
    assert one(s, "SELECT title FROM exhibitions WHERE id = ?", eid) == ("Đường lên Điện Biên (sửa)",)
    # It closes (closing day yesterday): the object goes back where it was.
    r = b.post(url, record(b, url, title="Đường lên Điện Biên (sửa)", location_id=hall(s),
                           opens_on=day(-2), closes_on=day(-1)))
    assert r.status == 303, alert(r)
    assert one(s, "SELECT location_id FROM objects WHERE id = ?", obj) == (home,)
    # Deleting with objects in it is refused; removing them first works.
    r = sub(b, url, action="delete")
    assert r.status == 400 and "còn hiện vật" in alert(r)
    r = sub(b, url, action="visit_remove", visit_id=str(vid))
    assert r.status == 303
    r = sub(b, url, action="object_remove", object_id=str(obj))
    assert r.status == 303
    r = sub(b, url, action="delete")
    assert r.status == 303 and r.header("location") == LIST + "?ok=xoa"
    assert one(s, "SELECT count(*) FROM exhibitions WHERE id = ?", eid) == (0,)
    assert one(s, "SELECT details FROM audit_log WHERE action = 'exhibition_change'"
                  " ORDER BY id DESC LIMIT 1") == ("delete",)
    assert b.get(url).status == 404


def test_exhibition_roles_on_every_url(s):
    b = browser(s, "quantri")
    url = new_exhibition(b, s, title="Quyền truy cập")
    eid = url.rsplit("/", 1)[1]
    access = {("GET", LIST): READERS, ("GET", NEW): KEEPERS, ("POST", NEW): KEEPERS,
              ("GET", url): READERS, ("POST", url): KEEPERS,
              ("GET", "/trung-bay"): PUBLIC, ("GET", f"/trung-bay/{eid}"): PUBLIC}
    check_access(s, access, {})
    # The routes are the ones the server names.
    r = s.run("routes")
    for method, pattern in (("GET", LIST), ("GET", NEW), ("POST", NEW),
                            ("GET", LIST + "/:id"), ("POST", LIST + "/:id")):
        assert re.search(r"^%s\s+%s\s" % (method, re.escape(pattern)), r.stdout, re.M), pattern
    # The menu shows the section to those who read the register.
    for name in PASSWORDS:
        home = browser(s, name).get("/admin").text
        assert ('href="/admin/trung-bay"' in home) == (name in READERS), name
    # The council reads, without forms.
    page = browser(s, "hoidong").get(url)
    assert page.status == 200 and 'name="action"' not in page.text


def jsonld(text):
    return [json.loads(m) for m in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)]


def test_exhibition_public_pages(s):
    b = browser(s, "baotang")
    now = new_exhibition(b, s, title="Đang mở cửa", description="Đoạn một.\n\nĐoạn hai.",
                         curators="Phòng Trưng bày")
    soon = new_exhibition(b, s, title="Sắp khai mạc", opens_on=day(10), closes_on=day(40))
    done = new_exhibition(b, s, title="Đã kết thúc", opens_on=day(-40), closes_on=day(-10))
    online = b.post(NEW, record(b, title="Trưng bày trực tuyến", kind="truc_tuyen",
                                opens_on=day(-5), closes_on=""))
    assert online.status == 303, alert(online)
    online = online.header("location").split("?")[0]
    hidden = new_exhibition(b, s, title="Nội bộ chưa công bố", public="")
    nid = now.rsplit("/", 1)[1]
    # A public object and a private one in the current exhibition.
    (pub_obj, pub_name) = one(s, "SELECT id, name FROM objects WHERE public = 1 AND status <> 'returned'"
                                 " AND id NOT IN (SELECT object_id FROM exhibition_objects WHERE placed = 1)"
                                 " ORDER BY id DESC LIMIT 1")
    (priv_obj, priv_name) = one(s, "SELECT id, name FROM objects WHERE public = 0 AND status <> 'returned'"
                                   " AND id NOT IN (SELECT object_id FROM exhibition_objects WHERE placed = 1)"
                                   " ORDER BY id DESC LIMIT 1")
    for obj, label in ((pub_obj, "Nhãn công khai"), (priv_obj, "Nhãn riêng")):
        r = sub(b, now, action="object", object_id=str(obj), position="1", label_vi=label,
                label_en="English label" if obj == pub_obj else "")
        assert r.status == 303, alert(r)
    anon = Browser(s)
    listing = anon.get("/trung-bay")
    assert listing.status == 200
    text = htmllib.unescape(listing.text)
    # Current, upcoming and past, each in its section; the hidden one nowhere.
    sections = {k: text.index(k) for k in ("Đang mở", "Sắp mở", "Đã đóng")}
    assert sections["Đang mở"] < text.index("Đang mở cửa") < sections["Sắp mở"] < \
        text.index("Sắp khai mạc") < sections["Đã đóng"] < text.index("Đã kết thúc")
    assert "Nội bộ chưa công bố" not in text and "Trưng bày trực tuyến" in text
    assert day(-2) in text
    assert anon.get(hidden.replace("/admin", "")).status == 404
    page = anon.get(f"/trung-bay/{nid}")
    assert page.status == 200
    text = htmllib.unescape(page.text)
    assert pub_name in text and f'href="/hien-vat/{pub_obj}"' in page.text and "Nhãn công khai" in text
    assert priv_name not in text and "Nhãn riêng" not in text and f"/hien-vat/{priv_obj}" not in page.text
    assert "<p>Đoạn hai.</p>" in text and "Phòng Trưng bày" in text
    (ld,) = jsonld(page.text)
    assert ld["@type"] == "ExhibitionEvent" and ld["name"] == "Đang mở cửa"
    assert ld["startDate"] == (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    assert ld["endDate"] == (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    assert ld["location"]["@type"] == "Place" and ld["url"].endswith(f"/trung-bay/{nid}")
    (ld,) = jsonld(anon.get(online.replace("/admin", "")).text)
    assert ld["location"]["@type"] == "VirtualLocation" and "endDate" not in ld
    assert ld["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    # English: interface in English, labels in English where written.
    en = htmllib.unescape(anon.get(f"/trung-bay/{nid}?lang=en").text)
    assert "Objects on show" in en and "English label" in en and "Đang mở cửa" in en
    # Headers every public page sends.
    assert page.header("x-content-type-options") == "nosniff"
    assert page.header("content-security-policy")
    # Sitemap and feeds.
    sitemap = anon.get("/sitemap.xml").text
    for url in (now, soon, done, online):
        assert url.replace("/admin", "") + "</loc>" in sitemap, url
    assert hidden.replace("/admin", "") + "</loc>" not in sitemap
    assert "/trung-bay</loc>" in sitemap
    rss = anon.get("/trung-bay/rss.xml")
    assert rss.status == 200 and rss.header("content-type").startswith("application/rss+xml")
    assert f"/trung-bay/{nid}</link>" in rss.text and f":trung-bay/{nid}</guid>" in rss.text
    assert "Nội bộ chưa công bố" not in rss.text
    assert f'/trung-bay/{nid}"/>' in anon.get("/trung-bay/atom.xml").text
    # The list and the page name the feed.
    assert 'href="http' in listing.text and '/trung-bay/rss.xml"' in listing.text
    for bad in ("/trung-bay/0", "/trung-bay/x", "/trung-bay/007", "/trung-bay/99999999"):
        assert anon.get(bad).status == 404, bad


def test_demo_exhibitions_and_books(s):
    # The seed: "tổ chức 04 cuộc trưng bày triển lãm đạt 133% kế hoạch năm".
    assert one(s, "SELECT count(*) FROM exhibitions WHERE opens_on BETWEEN '2020-01-01' AND '2020-12-31'") == (4,)
    assert one(s, "SELECT count(*) FROM exhibitions WHERE opens_on LIKE '2020%' AND kind = 'luu_dong'"
                  " AND province <> '' AND location_id IS NULL") == (1,)
    assert one(s, "SELECT count(*) FROM exhibitions WHERE opens_on LIKE '2020%' AND kind = 'truc_tuyen'") == (1,)
    # Each of them shows objects of the register and has visitor numbers.
    assert one(s, "SELECT count(*) FROM exhibitions e WHERE opens_on LIKE '2020%'"
                  " AND EXISTS (SELECT 1 FROM exhibition_objects x WHERE x.exhibition_id = e.id)"
                  " AND (SELECT sum(visitors) FROM exhibition_visits v WHERE v.exhibition_id = e.id) > 0") == (4,)
    # One open now (its objects stand in the hall), one to come.
    anon = Browser(s)
    text = htmllib.unescape(anon.get("/trung-bay").text)
    assert "Điện Biên Phủ - Bản hùng ca bất tử" in text and "Điện Biên Phủ trên không" in text
    (hall_id,) = one(s, "SELECT location_id FROM exhibitions WHERE kind = 'thuong_truc'")
    assert one(s, "SELECT count(*) FROM exhibition_objects x JOIN objects o ON o.id = x.object_id"
                  " JOIN exhibitions e ON e.id = x.exhibition_id WHERE e.kind = 'thuong_truc'"
                  " AND x.placed = 1 AND o.location_id = ?", hall_id)[0] >= 3
    # The seed's book, with a valid ISBN-13 (checked: the checksum digit).
    (isbn,) = one(s, "SELECT isbn FROM publications WHERE title ="
                     " 'Năm đại đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ'")
    digits = [int(c) for c in isbn]
    assert len(digits) == 13 and sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    assert one(s, "SELECT count(*) FROM publications WHERE public = 1")[0] >= 3
    assert "Năm đại đoàn chủ lực" in htmllib.unescape(anon.get("/an-pham").text)



def site_menu(text):
    """(href, name, current) of every link in the public header's menu."""
    m = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', text, re.S)
    assert m, "no site menu"
    return [(u, htmllib.unescape(n), bool(cur)) for u, cur, n in
            re.findall(r'<a href="([^"]*)"( aria-current="page")?>([^<]*)</a>', m.group(1))]


def test_public_menu_links_collection_exhibitions_publications(s):
    anon = Browser(s)
    (eid,) = one(s, "SELECT id FROM exhibitions WHERE public = 1 ORDER BY id LIMIT 1")
    (pid,) = one(s, "SELECT id FROM publications WHERE public = 1 ORDER BY id LIMIT 1")
    fixed = {"vi": [("/hien-vat", "Hiện vật"), ("/trung-bay", "Trưng bày"), ("/an-pham", "Ấn phẩm")],
             "en": [("/hien-vat", "Collection"), ("/trung-bay", "Exhibitions"),
                    ("/an-pham", "Publications")]}
    for lang in ("vi", "en"):
        menu = site_menu(anon.get(f"/?lang={lang}").text)
        # The three fixed links close the menu, after the home link and the categories.
        assert [(u, n) for u, n, _ in menu[-3:]] == fixed[lang], menu
        assert not any(cur for *_, cur in menu[-3:])
        for path, current in (("/trung-bay", "/trung-bay"), (f"/trung-bay/{eid}", "/trung-bay"),
                              ("/an-pham", "/an-pham"), (f"/an-pham/{pid}", "/an-pham"),
                              ("/hien-vat", "/hien-vat")):
            r = anon.get(path)
            assert r.status == 200, path
            assert [u for u, _, cur in site_menu(r.text) if cur] == [current], (path, lang)
    anon.get("/?lang=vi")


def test_search_finds_exhibitions_and_publications(s):
    b = browser(s, "baotang")
    new_exhibition(b, s, title="Ký ức Mường Phăng " + XSS)
    new_exhibition(b, s, title="Mường Phăng nội bộ", public="")
    anon = Browser(s)
    # The exhibitions' tab: public ones, found without marks, escaped.
    r = anon.get("/tim-kiem?q=muong+phang&loai=trung-bay")
    assert r.status == 200
    text = htmllib.unescape(r.text)
    assert "Ký ức Mường Phăng" in text and "Mường Phăng nội bộ" not in text
    assert "<script>alert" not in r.text
    (eid,) = one(s, "SELECT id FROM exhibitions WHERE title LIKE 'Ký ức Mường Phăng%'")
    assert f'href="/trung-bay/{eid}"' in r.text
    # The publications' tab finds the seed's book by words without marks.
    r = anon.get("/tim-kiem?q=nam+dai+doan+chu+luc&loai=an-pham")
    assert r.status == 200
    (pid,) = one(s, "SELECT id FROM publications WHERE title LIKE 'Năm đại đoàn%'")
    assert f'href="/an-pham/{pid}"' in r.text
    # Every kind at once: the tabs name both kinds, and the exhibition shows
    # under the articles.
    r = anon.get("/tim-kiem?q=muong+phang")
    text = htmllib.unescape(r.text)
    assert r.status == 200 and "Trưng bày" in text and "Ấn phẩm" in text
    assert f'href="/trung-bay/{eid}"' in r.text
    # English interface.
    assert "Exhibitions" in anon.get("/tim-kiem?q=muong+phang&lang=en").text
