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


# ---- the publication's PDF, from the media library -------------------------------------

LIB = "/admin/thu-vien"
UPLOAD = "/admin/thu-vien/tai-len"


def pdf(text="Năm đại đoàn chủ lực"):
    """A small valid one-page PDF (no network, no library)."""
    body = f"BT /F1 12 Tf 72 720 Td ({text.encode('ascii', 'replace').decode()}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def upload(b, data, name, ctype="application/pdf"):
    page = b.get(LIB)
    assert page.status == 200, page.status
    form = {"csrf": csrf_of(page.text, UPLOAD), "alt": "Sách Năm đại đoàn", "credit": "Bảo tàng"}
    return b.upload(UPLOAD, form, [("file", name, ctype, data)])


def test_publication_pdf_from_the_library(s):
    b = browser(s, "baotang")  # a curator keeps publications and may fill the library
    (before,) = one(s, "SELECT count(*) FROM media")
    # Files named .pdf that are no PDF, or a PDF with something riding behind it: refused.
    for name, data in (("sach.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
                       ("sach.pdf", b"alert(document.cookie);\nfetch('/admin');\n" * 20),
                       ("sach.pdf", pdf() + b"<html><script>alert(1)</script></html>"),
                       ("sach.pdf", pdf()[:200])):
        r = upload(b, data, name)
        assert r.status == 400, (data[:30], r.status)
        assert "Không nhận tệp này." in htmllib.unescape(r.text), r.text[:2000]
        assert 'value="Sách Năm đại đoàn"' in r.text          # what was typed is kept
    assert one(s, "SELECT count(*) FROM media") == (before,)
    # Over the size cap: 413 before anything is stored.
    r = upload(b, pdf() + b" " * (20 * 1024 * 1024), "lon.pdf")
    assert r.status == 413, r.status
    # A real PDF: stored as it came, no variants to make (no job), listed as "PDF".
    r = upload(b, pdf(), "Năm đại đoàn chủ lực.pdf")
    assert r.status == 303, (r.status, alert(r))
    mid = int(re.match(r"/admin/thu-vien/(\d+)\?", r.header("location")).group(1))
    file, mime, w, h = one(s, "SELECT file, mime, width, height FROM media WHERE id = ?", mid)
    assert mime == "application/pdf" and (w, h) == (0, 0) and re.fullmatch(r"[0-9a-f]{32}\.pdf", file)
    assert one(s, "SELECT count(*) FROM media_jobs WHERE media_id = ?", mid) == (0,)
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'media_upload' AND target = ?",
               file) == (1,)
    lib = b.get(LIB + "?loai=pdf")
    assert f'href="/admin/thu-vien/{mid}"' in lib.text and '<span class="media-doc">PDF</span>' in lib.text
    assert f'href="/admin/thu-vien/{mid}"' not in b.get(LIB + "?loai=png").text
    item = b.get(f"{LIB}/{mid}")
    assert item.status == 200 and f'<a href="/media/{file}" download>PDF</a>' in item.text
    assert "<img" not in item.text.split('class="media-preview"')[1].split("</figure>")[0]
    # The download: its type, never shown inline, nothing sniffed, nothing run.
    anon = Browser(s)
    got = anon.get("/media/" + file)
    assert got.status == 200 and got.body == pdf()
    assert got.header("content-type") == "application/pdf"
    assert got.header("x-content-type-options") == "nosniff"
    disp = got.header("content-disposition")
    assert disp == ('attachment; filename="nam-dai-doan-chu-luc.pdf"; filename*=UTF-8\'\''
                    'N%C4%83m%20%C4%91%E1%BA%A1i%20%C4%91o%C3%A0n%20ch%E1%BB%A7%20l%E1%BB%B1c.pdf'), disp
    assert any(k.lower() == "content-security-policy" and "sandbox" in v for k, v in got.headers)
    # A picture is no PDF for a publication; the PDF is.
    (pic,) = one(s, "SELECT id FROM media WHERE mime = 'image/png' ORDER BY id LIMIT 1")
    r = b.post(NEW, form(b, title="Sách có PDF", pdf_media_id=str(pic)))
    assert r.status == 400 and "Tệp PDF (mã trong thư viện): không phải tệp PDF" in alert(r)
    assert 'value="Sách có PDF"' in r.text
    r = b.post(NEW, form(b, title="Sách có PDF", pdf_media_id=str(mid)))
    assert r.status == 303, alert(r)
    pid = r.header("location").split("?")[0].rsplit("/", 1)[1]
    page = anon.get(f"/an-pham/{pid}")
    assert f'<a href="/media/{file}" type="application/pdf" download>Tải bản PDF</a>' in page.text
    en = anon.get(f"/an-pham/{pid}?lang=en")
    assert "Download the PDF" in en.text
    anon.get("/?lang=vi")
    # An object card's photo must be a picture: a PDF is refused there, nothing stored.
    (oid,) = one(s, "SELECT id FROM objects ORDER BY id LIMIT 1")
    url = f"/admin/so-dang-ky/{oid}/anh"
    action = url + "/tai-len"
    (count,) = one(s, "SELECT count(*) FROM media")
    r = b.upload(action, {"csrf": csrf_of(b.get(url).text, action), "alt": "Ảnh", "credit": "Bảo tàng"},
                 [("file", "anh.pdf", "application/pdf", pdf())])
    assert r.status == 400 and "không phải tài liệu PDF" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM media") == (count,)
