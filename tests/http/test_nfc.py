"""Text is stored in NFC whichever way it comes in (issue 11).

The same words can be typed with their marks composed (NFC: "ồ" is one code
point) or apart (NFD: "o" + circumflex + grave, as macOS file names and some
exports have them). They look the same but compare different, so Sen brings
text to NFC where it comes in: `sen import articles`, back-office forms
(urlencoded and multipart), the comment API, query strings, and the text
given to commands (`sen user`, `sen links`); search still
finds what an NFD query asks for. Each case sends NFD and reads back, from
the database itself, the bytes that were stored.
"""
import json
import os
import unicodedata
import urllib.parse

from admin_client import Browser, add_user, csrf_of, sign_in
from harness import Server
from test_media import png  # the PNG maker of the media tests

ADMIN, PASSWORD = "quantri", "Cờ đỏ sao vàng tung bay 1954"
TITLE = "Trống đồng Đông Sơn ở Điện Biên"
CATEGORY = "Tin hoạt động"


def nfd(s):
    out = unicodedata.normalize("NFD", s)
    assert out != s, "the NFD form must differ, or the test proves nothing"
    return out


def nfc(s):
    return unicodedata.normalize("NFC", s)


def one(s, sql, *args):
    with s.db() as c:
        rows = c.execute(sql, args).fetchall()
    assert len(rows) == 1, (sql, args, rows)
    return rows[0]


def setup_module(sen):
    s = Server(sen, demo=False, env={"SEN_TEST_CAPTCHA_REVEAL": "1"},
               args=["--set", "server.trusted_proxy=127.0.0.1"])
    r = add_user(s, ADMIN, "admin", PASSWORD)
    assert r.returncode == 0, r.stderr
    path = os.path.join(s.data, "nfd.jsonl")
    row = {"title": nfd(TITLE), "body": nfd("Hiện vật quý của bảo tàng."),
           "summary": nfd("Tóm tắt."), "category": nfd(CATEGORY),
           "published_at": "2021-01-18T08:30:00+07:00", "tags": [nfd("Đông Sơn")]}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    r = s.run("import", "articles", path, "--data", s.data)
    assert r.returncode == 0, r.stderr
    s.start()
    (s.article_id,) = one(s, "SELECT id FROM articles")
    return s


def teardown_module(s):
    s.close()


def admin(s):
    b = Browser(s)
    r = sign_in(b, ADMIN, PASSWORD)
    assert r.status == 303, (r.status, r.text[:300])
    return b


def test_import_nfd_title_stored_nfc(s):
    title, summary, body = one(s, "SELECT title, summary, body_md FROM articles")
    assert title == nfc(TITLE) and title != nfd(TITLE)
    assert summary == "Tóm tắt." and nfc(body) == body
    (name,) = one(s, "SELECT name FROM categories WHERE slug = 'tin-hoat-dong'")
    assert name == CATEGORY
    (tag,) = one(s, "SELECT name FROM tags")
    assert tag == "Đông Sơn"
    # What readers get is the stored form.
    items = s.get("/api/v1/articles").json()["items"]
    assert [i["title"] for i in items] == [TITLE]


def test_search_nfd_query_finds_article(s):
    for q in (nfd("trống đồng Điện Biên"), nfd("Đông Sơn"), "dong son"):
        r = s.get("/api/v1/search?" + urllib.parse.urlencode({"q": q}))
        assert r.status == 200, (q, r.status)
        j = r.json()
        assert [i["id"] for i in j["items"]] == [s.article_id], (q, j)
        assert j["query"] == nfc(q)
        page = s.get("/tim-kiem?" + urllib.parse.urlencode({"q": q}))
        assert page.status == 200 and "<mark>" in page.text and "Điện Biên" in page.text, q


def test_comment_api_nfd_stored_nfc(s):
    agent = "sen-e2e-nfc/comment"
    c = s.request("POST", "/api/v1/captcha", body={"article_id": s.article_id},
                  headers={"User-Agent": agent}).json()
    name, body = "Lò Văn Sáng", "Cảm ơn bảo tàng, hiện vật rất đẹp."
    r = s.request("POST", f"/api/v1/articles/{s.article_id}/comments",
                  body={"name": nfd(name), "body": nfd(body), "captcha_id": c["id"],
                        "captcha_answer": c["answer"]},
                  headers={"User-Agent": agent})
    assert r.status == 202, (r.status, r.body)
    stored = one(s, "SELECT name, body FROM comments WHERE id = ?", r.json()["id"])
    assert stored == (name, body)


def test_admin_urlencoded_form_nfd_stored_nfc(s):
    b = admin(s)
    page = b.get("/admin/chuyen-muc")
    assert page.status == 200
    name = "Trưng bày chuyên đề"
    r = b.post("/admin/chuyen-muc/them",
               {"csrf": csrf_of(page.text, "/admin/chuyen-muc/them"), "name": nfd(name), "slug": ""})
    assert r.status == 303, (r.status, r.text[:500])
    (stored,) = one(s, "SELECT name FROM categories WHERE slug = 'trung-bay-chuyen-de'")
    assert stored == name


def test_admin_multipart_form_nfd_stored_nfc(s):
    b = admin(s)
    page = b.get("/admin/thu-vien")
    assert page.status == 200
    alt, credit = "Mặt trống đồng Ngọc Lũ", "Ảnh: Bảo tàng Điện Biên"
    r = b.upload("/admin/thu-vien/tai-len",
                 {"csrf": csrf_of(page.text, "/admin/thu-vien/tai-len"), "alt": nfd(alt),
                  "credit": nfd(credit)},
                 [("file", "mat-trong.png", "image/png", png(40, 30))])
    assert r.status == 303, (r.status, r.text[:500])
    stored = one(s, "SELECT alt, credit FROM media WHERE original_name = 'mat-trong.png'")
    assert stored == (alt, credit)


def test_cli_user_nfd_display_name_and_password_stored_nfc(s):
    # Typed with the marks apart, as a macOS terminal may send them; the
    # login form sends NFC (browsers do), and the password still opens.
    display, password = "Nguyễn Thị Hồng Hạnh", "Hồ Gươm buổi sớm mùa thu 2024"
    r = add_user(s, "hanhnfd", "editor", nfd(password), display=nfd(display))
    assert r.returncode == 0, r.stderr
    (stored,) = one(s, "SELECT display_name FROM users WHERE name = 'hanhnfd'")
    assert stored == display
    r = sign_in(Browser(s), "hanhnfd", password)
    assert r.status == 303, (r.status, r.text[:300])
    r = s.run("user", "passwd", "hanhnfd", "--data", s.data, input=nfd(password + " mới") + "\n")
    assert r.returncode == 0, r.stderr
    assert sign_in(Browser(s), "hanhnfd", password + " mới").status == 303


def test_cli_links_add_nfd_stored_nfc(s):
    title = "Bảo tàng Lịch sử Quốc gia"
    url = "https://example.vn/" + nfd("bảo-tàng")
    r = s.run("links", "add", nfd(title), url, "--data", s.data)
    assert r.returncode == 0, r.stderr
    stored = one(s, "SELECT title, url FROM links WHERE title LIKE 'B%'")
    assert stored == (title, nfc(url))
