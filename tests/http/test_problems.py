"""Issue 11: models answer with a problem code and the field at fault; the
handlers turn the code into a catalog message in the reader's language.

Vietnamese stays the default (the exact texts are asserted by test_feedback
and test_editorial); these tests ask for English with the sen_lang cookie or
?lang=en and check that the message is English, the field is named and the
API's error code is the same in both languages.
"""
import json
import re
import time

from admin_client import Browser, add_user, csrf_of
from harness import Server

ADMIN_PW = "Cờ đỏ sao vàng tung bay 1954"
NEW = "/admin/bai-viet/moi"


def setup_module(sen):
    s = Server(sen, env={"SEN_TEST_CAPTCHA_REVEAL": "1"},
               args=["--set", "server.trusted_proxy=127.0.0.1"])
    r = add_user(s, "quantri", "admin", ADMIN_PW)
    assert r.returncode == 0, r.stderr
    s.start()
    s.items = s.get("/api/v1/articles").json()["items"]
    return s


def teardown_module(s):
    s.close()


def agent(name):
    return f"sen-e2e-problems/{name} (+{time.time_ns()})"


def post_json(s, path, obj, ua, cookie=None):
    headers = {"User-Agent": ua, "Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    return s.request("POST", path, body=json.dumps(obj).encode(), headers=headers)


def comment(s, path, ua, cookie=None, **fields):
    aid = s.items[0]["id"]
    c = post_json(s, "/api/v1/captcha", {"article_id": aid}, ua).json()
    obj = {"name": "Reader", "body": "A fine article.", "captcha_id": c["id"],
           "captcha_answer": c["answer"]}
    obj.update(fields)
    return post_json(s, path.format(aid=aid), obj, ua, cookie)


URL = "/api/v1/articles/{aid}/comments"


def test_comment_problems_in_english_by_cookie(s):
    ua = agent("cookie")
    cases = [
        ({"body": "x" * 4001}, "body", "The comment is longer than 4,000 characters (it has 4,001)."),
        ({"name": "N" * 101}, "name", "The name is longer than 100 characters (it has 101)."),
        ({"name": "  "}, "name", "Please type your name."),
        ({"email": "not an address"}, "email", "The email address is not valid."),
        ({"body": "http://a.example https://b.example www.c.example"}, "body",
         "The comment has too many links (at most 2)."),
        ({"name": "Line\nbreak"}, "name", "The name must not contain line breaks."),
    ]
    for fields, field, message in cases:
        r = comment(s, URL, ua, cookie="sen_lang=en", **fields)
        assert r.status == 422, (fields, r.status, r.body)
        assert r.json() == {"error": "invalid", "message": message, "field": field}, r.body


def test_comment_problems_in_english_by_query_and_stable_codes(s):
    ua = agent("query")
    r_en = comment(s, URL + "?lang=en", ua, body="x" * 4001)
    r_vi = comment(s, URL, ua, body="x" * 4001)
    assert r_en.status == r_vi.status == 422
    assert r_en.json()["error"] == r_vi.json()["error"] == "invalid"
    assert r_en.json()["field"] == r_vi.json()["field"] == "body"
    assert r_en.json()["message"] == "The comment is longer than 4,000 characters (it has 4,001)."
    assert r_vi.json()["message"] == "Nội dung bình luận dài quá 4.000 ký tự (hiện có 4.001)."


def test_wrong_captcha_answer_in_english(s):
    ua = agent("captcha")
    r = comment(s, URL, ua, cookie="sen_lang=en", captcha_answer="ZZZZZZ")
    assert r.status == 422
    j = r.json()
    assert j["error"] == "captcha_invalid" and j["field"] == "captcha_answer"
    assert j["message"] != "Mã xác thực không đúng." and j["message"].isascii(), j


# ---- the back office ----------------------------------------------------------------


def english_admin(s):
    """The administrator logged in, having chosen English (the sen_lang cookie)."""
    b = Browser(s)
    b.jar["sen_lang"] = "en"
    r = b.get("/admin/dang-nhap")
    r = b.post("/admin/dang-nhap", {"csrf": csrf_of(r.text, "/admin/dang-nhap"), "name": "quantri",
                                     "password": ADMIN_PW, "next": "/admin"})
    assert r.status == 303, (r.status, r.text[:300])
    return b


def editor_form(b):
    page = b.get(NEW)
    assert page.status == 200 and '<html lang="en">' in page.text
    m = re.search(r'name="category"[^>]*>(?:<option value="">[^<]*</option>)<option value="(\d+)"',
                  page.text)
    assert m
    return {"csrf": csrf_of(page.text, NEW), "title": "A title", "summary": "", "tags": "",
            "body": "Text.", "category": m.group(1), "do": "save"}


def test_article_problems_in_english_name_the_field(s):
    b = english_admin(s)
    form = editor_form(b)
    cases = [
        ({"title": "Bell\x07here"}, "ed-title", "The title contains control characters or is not valid UTF-8."),
        ({"summary": "Bell\x07here"}, "ed-summary",
         "The summary contains control characters or is not valid UTF-8."),
        ({"title": "   "}, "ed-title", "The title must not be empty."),
        ({"tags": "good, !!!"}, "ed-tags", "A tag must have letters or digits and at most 64 bytes (!!!)"),
    ]
    for change, field_id, message in cases:
        r = b.post(NEW, dict(form, **change))
        assert r.status == 400, (change, r.status)
        assert message in r.text, (change, re.findall(r'role="alert">([^<]*)<', r.text))
        assert re.search(r'id="%s"[^>]* aria-invalid="true"' % field_id, r.text), change
        assert r.text.count('aria-invalid="true"') == 1, change
    # Vietnamese by default: the same refusal in the site's first language.
    b.jar["sen_lang"] = "vi"
    r = b.post(NEW, dict(form, title="Bell\x07here"))
    assert r.status == 400
    assert "Tiêu đề chứa ký tự điều khiển hoặc không phải UTF-8 hợp lệ." in r.text


def test_password_problems_in_english(s):
    b = english_admin(s)
    page = b.get("/admin/tai-khoan")
    form = {"csrf": csrf_of(page.text, "/admin/tai-khoan/them"), "name": "reporter",
            "display_name": "Reporter", "role": "author", "password": "short", "confirm": "short"}
    r = b.post("/admin/tai-khoan/them", form)
    assert r.status == 400 and "The password needs at least 12 characters." in r.text
    r = b.post("/admin/tai-khoan/them", dict(form, password="password1234", confirm="password1234"))
    assert r.status == 400 and "This password is on the list of common passwords" in r.text
