"""Issue 13, publications ("ấn phẩm"): the back office at /admin/an-pham
(list, new, one publication: edit, delete), the ISBN checked by its
checksum (ISBN-10 and -13, hyphens and spaces allowed, stored normalised),
every field's refusal naming the field in Vietnamese with what was typed
kept, the audit log, roles as the register's pages, and the public pages
/an-pham and /an-pham/ID with Book JSON-LD, in the sitemap and the feeds;
text escaped everywhere."""
import html as htmllib
import json
import re

from admin_client import Browser, csrf_of
from register_users import one
from test_register_roles import KEEPERS, PASSWORDS, PUBLIC, READERS, ROLES, check_access
from admin_client import accounts_module

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

LIST = "/admin/an-pham"
NEW = "/admin/an-pham/them"
XSS = '<script>alert("x")</script>'


def alert(r):
    return " ".join(htmllib.unescape(m) for m in re.findall(r'role="alert">([^<]*)', r.text))


def form(b, url=NEW, **fields):
    f = {"csrf": csrf_of(b.get(url).text, url), "action": "save", "title": "", "authors": "",
         "year": "2020", "publisher": "", "isbn": "", "pages": "", "cover_media_id": "",
         "pdf_media_id": "", "description": "", "public": "1"}
    f.update(fields)
    return f


def jsonld(text):
    """Every JSON-LD block of a page, parsed."""
    return [json.loads(m) for m in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)]


def test_publication_add_checks_every_field_and_keeps_input(s):
    b = browser(s, "baotang")
    (before,) = one(s, "SELECT count(*) FROM publications")
    cases = [
        ({"title": " "}, "Tên ấn phẩm: bắt buộc"),
        ({"title": "t" * 301}, "Tên ấn phẩm: quá dài"),
        ({"authors": "a" * 1001}, "Tác giả: quá dài"),
        ({"year": ""}, "Năm xuất bản: bắt buộc"),
        ({"year": "hai nghìn"}, "Năm xuất bản: không phải là số"),
        ({"year": "1799"}, "Năm xuất bản: năm phải từ 1800 đến 2100"),
        ({"year": "2101"}, "Năm xuất bản: năm phải từ 1800 đến 2100"),
        ({"publisher": "p" * 301}, "Nhà xuất bản: quá dài"),
        ({"isbn": "978-0-306-40615-8"}, "ISBN: ISBN không đúng"),
        ({"isbn": "0-306-40615-3"}, "ISBN: ISBN không đúng"),
        ({"isbn": "12345"}, "ISBN: ISBN không đúng"),
        ({"isbn": "978-0-306-4061X-7"}, "ISBN: ISBN không đúng"),
        ({"pages": "0"}, "Số trang: số trang phải là số dương"),
        ({"pages": "-3"}, "Số trang: không phải là số"),
        ({"pages": "ba trăm"}, "Số trang: không phải là số"),
        ({"pages": "100001"}, "Số trang: số trang phải là số dương"),
        ({"cover_media_id": "999999"}, "Ảnh bìa (mã ảnh trong thư viện): không có"),
        ({"cover_media_id": "x"}, "Ảnh bìa (mã ảnh trong thư viện): không có"),
        ({"pdf_media_id": "999999"}, "Tệp PDF (mã trong thư viện): không có"),
        ({"description": "d" * 20001}, "Giới thiệu: quá dài"),
        ({"title": "Sách\x01"}, "Tên ấn phẩm: có ký tự không hợp lệ"),
    ]
    for fields, message in cases:
        f = form(b, title="Điện Biên Phủ - điểm hẹn lịch sử", authors="Nhiều tác giả",
                 publisher="NXB Quân đội nhân dân")
        f.update(fields)
        r = b.post(NEW, f)
        assert r.status == 400, (fields, r.status)
        assert message in alert(r), (fields, alert(r))
        if "publisher" not in fields:
            assert 'value="NXB Quân đội nhân dân"' in r.text, fields
        for k, v in fields.items():
            if k not in ("title", "description", "authors", "publisher") and v:
                assert 'value="%s"' % htmllib.escape(v) in r.text, (k, v)
    # A picture is not a PDF.
    media = one(s, "SELECT id FROM media WHERE mime LIKE 'image/%' ORDER BY id LIMIT 1")
    if media is not None:
        r = b.post(NEW, form(b, title="Sách", pdf_media_id=str(media[0])))
        assert r.status == 400 and "không phải tệp PDF" in alert(r)
    assert one(s, "SELECT count(*) FROM publications") == (before,)
    # Stored normalised, escaped on every page, audited.
    r = b.post(NEW, form(b, title="Sách " + XSS, authors="Tác giả " + XSS, year="2021",
                         publisher="NXB " + XSS, isbn="978 0 306 40615 7", pages="312",
                         description="Giới thiệu " + XSS))
    assert r.status == 303, alert(r)
    url = r.header("location").split("?")[0]
    pid = url.rsplit("/", 1)[1]
    assert one(s, "SELECT isbn, pages, year, public FROM publications WHERE id = ?", pid) == \
        ("9780306406157", 312, 2021, 1)
    assert one(s, "SELECT user_name, target, details FROM audit_log WHERE action ="
                  " 'publication_change' ORDER BY id DESC LIMIT 1") == \
        ("baotang", f"{pid} Sách {XSS}", "add")
    for page in (b.get(url), b.get(LIST), Browser(s).get(f"/an-pham/{pid}"),
                 Browser(s).get("/an-pham")):
        assert page.status == 200
        assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    # The same ISBN written as an ISBN-13 with hyphens: a duplicate.
    r = b.post(NEW, form(b, title="Bản khác", isbn="978-0-306-40615-7"))
    assert r.status == 400 and "ISBN: trùng" in alert(r)
    # ISBN-10 with X.
    r = b.post(NEW, form(b, title="Sách cũ", year="1985", isbn="0-8044-2957-x", public=""))
    assert r.status == 303, alert(r)
    assert one(s, "SELECT isbn, public FROM publications WHERE title = 'Sách cũ'") == ("080442957X", 0)


def test_publication_edit_delete_and_public_pages(s):
    b = browser(s, "quantri")
    r = b.post(NEW, form(b, title="Chiến thắng Điện Biên Phủ qua tài liệu", authors="Nguyễn Văn A, Trần Thị B",
                         year="2019", publisher="NXB Chính trị quốc gia", isbn="978-604-0-00000-2",
                         pages="250", description="Đoạn một.\n\nĐoạn hai."))
    assert r.status == 303, alert(r)
    url = r.header("location").split("?")[0]
    pid = url.rsplit("/", 1)[1]
    # A refusal on edit keeps the input and changes nothing.
    r = b.post(url, form(b, url, title="Tên mới", year="3000", isbn="978-604-0-00000-2"))
    assert r.status == 400 and "Năm xuất bản:" in alert(r) and 'value="Tên mới"' in r.text
    assert one(s, "SELECT title FROM publications WHERE id = ?", pid) == \
        ("Chiến thắng Điện Biên Phủ qua tài liệu",)
    r = b.post(url, form(b, url, title="Chiến thắng Điện Biên Phủ qua tài liệu", authors="Nguyễn Văn A, Trần Thị B",
                         year="2019", publisher="NXB Chính trị quốc gia", isbn="9786040000002",
                         pages="252", description="Đoạn một.\n\nĐoạn hai."))
    assert r.status == 303 and r.header("location") == url + "?ok=luu"
    assert one(s, "SELECT pages FROM publications WHERE id = ?", pid) == (252,)
    assert one(s, "SELECT details FROM audit_log WHERE action = 'publication_change'"
                  " ORDER BY id DESC LIMIT 1") == ("edit",)
    # The public page: facts, paragraphs, Book JSON-LD.
    anon = Browser(s)
    page = anon.get(f"/an-pham/{pid}")
    assert page.status == 200
    text = htmllib.unescape(page.text)
    assert "NXB Chính trị quốc gia" in text and "9786040000002" in text and "<p>Đoạn hai.</p>" in text
    (ld,) = jsonld(page.text)
    assert ld["@type"] == "Book" and ld["isbn"] == "9786040000002" and ld["numberOfPages"] == 252
    assert ld["datePublished"] == "2019" and [a["name"] for a in ld["author"]] == ["Nguyễn Văn A", "Trần Thị B"]
    assert ld["url"].endswith(f"/an-pham/{pid}")
    assert page.header("x-content-type-options") == "nosniff"
    assert "content-security-policy" in {k.lower() for k, _ in page.headers} or page.header("content-security-policy")
    # English interface, the record's text as written.
    en = anon.get(f"/an-pham/{pid}?lang=en")
    assert en.status == 200 and "Publisher" in en.text and "NXB Chính trị quốc gia" in htmllib.unescape(en.text)
    # In the list, the sitemap and the feeds.
    assert f'href="/an-pham/{pid}"' in anon.get("/an-pham").text
    sitemap = anon.get("/sitemap.xml").text
    assert f"/an-pham/{pid}</loc>" in sitemap and "/an-pham</loc>" in sitemap
    assert f"/an-pham/{pid}</link>" in anon.get("/an-pham/rss.xml").text
    assert f'/an-pham/{pid}"/>' in anon.get("/an-pham/atom.xml").text
    assert '/an-pham/rss.xml"' in anon.get("/an-pham").text
    # Not public: gone from the portal.
    r = b.post(url, form(b, url, title="Chiến thắng Điện Biên Phủ qua tài liệu", year="2019",
                         isbn="9786040000002", public=""))
    assert r.status == 303
    assert anon.get(f"/an-pham/{pid}").status == 404
    assert f"/an-pham/{pid}<" not in anon.get("/sitemap.xml").text
    for bad in ("/an-pham/0", "/an-pham/abc", "/an-pham/01", "/an-pham/99999999"):
        assert anon.get(bad).status == 404, bad
    # Delete.
    r = b.post(url, {"csrf": csrf_of(b.get(url).text, url), "action": "delete"})
    assert r.status == 303 and r.header("location") == LIST + "?ok=xoa"
    assert "Đã xóa ấn phẩm." in htmllib.unescape(b.get(LIST + "?ok=xoa").text)
    assert one(s, "SELECT count(*) FROM publications WHERE id = ?", pid) == (0,)
    assert one(s, "SELECT details FROM audit_log WHERE action = 'publication_change'"
                  " ORDER BY id DESC LIMIT 1") == ("delete",)
    assert b.get(url).status == 404


def test_publication_roles_on_every_url(s):
    b = browser(s, "quantri")
    r = b.post(NEW, form(b, title="Quyền"))
    url = r.header("location").split("?")[0]
    pid = url.rsplit("/", 1)[1]
    check_access(s, {("GET", LIST): READERS, ("GET", NEW): KEEPERS, ("POST", NEW): KEEPERS,
                     ("GET", url): READERS, ("POST", url): KEEPERS,
                     ("GET", "/an-pham"): PUBLIC, ("GET", f"/an-pham/{pid}"): PUBLIC}, {})
    for name in PASSWORDS:
        home = browser(s, name).get("/admin").text
        assert ('href="/admin/an-pham"' in home) == (name in READERS), name
    page = browser(s, "hoidong").get(url)
    assert page.status == 200 and 'name="action"' not in page.text and "Quyền" in page.text
