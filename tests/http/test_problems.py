"""Issue 11: models answer with a problem code and the field at fault; the
handlers turn the code into a catalog message in the reader's language.

Vietnamese stays the default (the exact texts are asserted by test_feedback
and test_editorial); these tests ask for English with the sen_lang cookie or
?lang=en and check that the message is English, the field is named and the
API's error code is the same in both languages.
"""
import json
import time

from harness import Server


def setup_module(sen):
    s = Server(sen, env={"SEN_TEST_CAPTCHA_REVEAL": "1"}).start()
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
