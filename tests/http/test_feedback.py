"""Issue 3: ratings ("Đánh giá"), comments ("Bình luận") and the CAPTCHA ("Mã xác thực").

One server with SEN_TEST_CAPTCHA_REVEAL=1 (the API then tells the answer, and
the form's picture carries it in X-Sen-Test-Answer). A visitor is the keyed
hash of address and User-Agent, so each test sends its own User-Agent and is
a new visitor; tests that count ratings or comments use an article of their
own. Each User-Agent also comes from an address of its own (X-Forwarded-For,
127.0.0.1 being the trusted proxy), as different readers do, so the budgets
per address (issue 18; tested in test_attacks.py) do not add up across tests.
"""
import hashlib
import html
import json
import os
import re
import tempfile
import time
import urllib.parse

from harness import Server

FORM = "application/x-www-form-urlencoded"
CAPTCHA_BAD = "Mã xác thực không đúng."
DATE_TIME = re.compile(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b")


def setup_module(sen):
    s = Server(sen, env={"SEN_TEST_CAPTCHA_REVEAL": "1"},
               args=["--set", "server.trusted_proxy=127.0.0.1"]).start()
    plain = s.request

    def request(method, path, body=None, headers=None, timeout=10):
        h = dict(headers or {})
        agent = h.get("User-Agent")
        if agent is not None and "X-Forwarded-For" not in h:
            h["X-Forwarded-For"] = address_of(agent)
        return plain(method, path, body=body, headers=h, timeout=timeout)

    s.request = request
    s.articles = [(i["id"], urllib.parse.urlsplit(i["url"]).path) for i in s.published_articles()]
    s.next_article = 1  # articles[0] is shared by tests that count nothing
    s.pages = 0
    return s


def teardown_module(s):
    s.close()


# ---- helpers ------------------------------------------------------------------


def article(s):
    """An article no other test uses: (id, path)."""
    a = s.articles[s.next_article]
    s.next_article += 1
    return a


def shared(s):
    """An article for tests that count nothing: (id, path)."""
    return s.articles[0]


def address_of(agent):
    """The address a User-Agent comes from: one reader, one address."""
    d = hashlib.sha256(agent.encode()).digest()
    return f"10.{d[0]}.{d[1]}.{d[2]}"


def ua(name):
    return f"sen-e2e-feedback/{name} (+{time.time_ns()})"


def api(s, path, obj, agent, raw=None, ctype="application/json"):
    body = raw if raw is not None else (json.dumps(obj).encode() if obj is not None else None)
    headers = {"User-Agent": agent}
    if ctype:
        headers["Content-Type"] = ctype
    return s.request("POST", path, body=body if body is not None else b"", headers=headers)


def form(s, path, fields, agent, cookie=None):
    headers = {"User-Agent": agent, "Content-Type": FORM}
    if cookie:
        headers["Cookie"] = cookie
    return s.request("POST", path, body=urllib.parse.urlencode(fields), headers=headers)


def page(s, path, agent="sen-e2e-feedback/reader"):
    """The article page rendered now: a query string of its own gets past
    the one-second page cache."""
    s.pages += 1
    sep = "&" if "?" in path else "?"
    return s.get(f"{path}{sep}e2e={s.pages}", headers={"User-Agent": agent})


def captcha(s, agent, article_id=None):
    r = api(s, "/api/v1/captcha", {"article_id": article_id} if article_id else None, agent,
            ctype="application/json" if article_id else None)
    assert r.status == 200, (r.status, r.body)
    c = r.json()
    assert re.fullmatch(r"[0-9a-f]{32}", c["id"]) and c["expires_in"] == 600
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", c["answer"])
    return c


def comment(s, article_id, agent, name="Người đọc", body="Bài viết hay.", c=None, **extra):
    c = c or captcha(s, agent, article_id)
    obj = {"name": name, "body": body, "captcha_id": c["id"], "captcha_answer": c["answer"]}
    obj.update(extra)
    return api(s, f"/api/v1/articles/{article_id}/comments", obj, agent)


def form_token(html_text):
    m = re.search(r'name="t" value="([0-9]+\.[0-9a-f]{32})"', html_text)
    assert m, "no signed time in the form"
    return m.group(1)


def picture(s, article_id, agent):
    """GETs the form's picture like a browser: (cookie, answer)."""
    r = s.get(f"/ma-xac-thuc/moi.png?bai={article_id}&n=1", headers={"User-Agent": agent})
    assert r.status == 200 and r.header("content-type") == "image/png"
    cookie = r.header("set-cookie")
    m = re.match(r"sen_captcha=([0-9a-f]{32});", cookie or "")
    assert m, cookie
    return "sen_captcha=" + m.group(1), r.header("x-sen-test-answer")


def form_fields(s, path, agent, wait=True, **fields):
    """Opens the article page, takes its signed time, and (unless told not
    to) waits out the minimum fill time."""
    token = form_token(page(s, path, agent).text)
    if wait:
        time.sleep(3.2)
    f = {"name": "Trần Thị Hoa", "email": "", "body": "Cảm ơn bảo tàng.", "website": "",
         "t": token, "ma": ""}
    f.update(fields)
    return f


def stored(s, article_id):
    """Comments of any status on the article, by the command line."""
    r = s.run("comments", "list", "--status", "all", "--article", str(article_id), "--data", s.data)
    assert r.returncode == 0, r.stderr
    return re.findall(r"^#(\d+) ", r.stdout, re.M)


def article_json(s, article_id):
    r = s.get(f"/api/v1/articles/{article_id}")
    assert r.status == 200
    return r.json()


def comment_section(text):
    i = text.find('id="binh-luan"')
    assert i >= 0
    return text[i:]


# ---- ratings --------------------------------------------------------------------


def test_rating_api_counts_and_duplicate(s):
    aid, path = article(s)
    assert page(s, path).text.count("Chưa có lượt đánh giá nào.") == 1
    assert article_json(s, aid)["rating"] == {"count": 0, "average": None}
    a, b, c = ua("r1"), ua("r2"), ua("r3")
    r = api(s, f"/api/v1/articles/{aid}/rating", {"stars": 4}, a)
    assert r.status == 200 and r.json() == {"count": 1, "average": 4}
    r = api(s, f"/api/v1/articles/{aid}/rating", {"stars": 5}, b)
    assert r.status == 200 and r.json() == {"count": 2, "average": 4.5}
    r = api(s, f"/api/v1/articles/{aid}/rating", {"stars": 1}, a)
    assert r.status == 409 and r.json()["error"] == "already_rated", r.body
    assert r.json()["message"]
    r = api(s, f"/api/v1/articles/{aid}/rating", {"stars": 4}, c)
    # 13 / 3 = 4.333...: one decimal, the same on the page and in the API
    assert r.json() == {"count": 3, "average": 4.3}
    assert b'"average":4.3}' in r.body
    assert article_json(s, aid)["rating"] == {"count": 3, "average": 4.3}
    text = page(s, path).text
    assert "Đánh giá: lượt đánh giá: 3, trung bình: 4,3" in text
    assert "Chưa có lượt đánh giá nào." not in text


def test_rating_bad_values_400(s):
    aid, path = article(s)
    agent = ua("bad-stars")
    for raw in (b'{"stars": 0}', b'{"stars": 6}', b'{"stars": 3.5}', b'{"stars": -1}',
                b'{"stars": 99999999999999999999999}', b'{"stars": 1e400}', b'{"stars": "4"}',
                b'{"stars": "abc"}', b'{"stars": true}', b'{"stars": null}', b'{}', b'[4]',
                b'{"stars": 4', b'stars=4'):
        r = api(s, f"/api/v1/articles/{aid}/rating", None, agent, raw=raw)
        assert r.status == 400, (raw, r.status)
        j = r.json()
        assert j["error"] in ("invalid_stars", "bad_json") and j["message"], raw
    for value in ("0", "6", "3.5", "99999999999999999999", "abc", "", "4 ", "٤"):
        r = form(s, f"/danh-gia/{aid}", {"stars": value}, agent)
        assert r.status == 400, (value, r.status)
        assert r.header("cache-control") == "no-store"
        assert ("Số sao phải là số nguyên từ 1 đến 5." in r.text or
                "Vui lòng chọn số sao" in r.text), value
        assert 'class="form-error"' in r.text
    assert article_json(s, aid)["rating"]["count"] == 0
    # the wrong media type, and a body over the cap
    r = api(s, f"/api/v1/articles/{aid}/rating", None, agent, raw=b'{"stars": 4}', ctype="text/plain")
    assert r.status == 415 and r.json()["error"] == "unsupported_media_type"
    r = api(s, f"/api/v1/articles/{aid}/rating", None, agent, raw=b'{"stars": 4, "x": "' + b"a" * 5000 + b'"}')
    assert r.status == 413
    # still no vote from this visitor: a good one now counts
    r = api(s, f"/api/v1/articles/{aid}/rating", {"stars": 2}, agent)
    assert r.status == 200 and r.json() == {"count": 1, "average": 2}


def test_rating_unknown_or_unpublished_404(s):
    agent = ua("unknown")
    for target in ("999999", "0", "abc", "1-2", "99999999999999999999"):
        r = api(s, f"/api/v1/articles/{target}/rating", {"stars": 3}, agent)
        assert r.status == 404 and r.json()["error"] == "not_found", target
        r = form(s, f"/danh-gia/{target}", {"stars": "3"}, agent)
        assert r.status == 404, target
    # an article that is not public yet (published tomorrow)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write(json.dumps({"title": "Bài chưa đăng của kiểm thử đánh giá", "body": "Nội dung.",
                            "category": "Tin hoạt động",
                            "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                          time.gmtime(time.time() + 86400))}) + "\n")
    try:
        r = s.run("import", "articles", f.name, "--data", s.data)
        assert r.returncode == 0, r.stderr
    finally:
        os.unlink(f.name)
    hidden = max(a for a, _ in s.articles) + 1
    assert s.get(f"/api/v1/articles/{hidden}").status == 404
    r = api(s, f"/api/v1/articles/{hidden}/rating", {"stars": 3}, agent)
    assert r.status == 404
    assert form(s, f"/danh-gia/{hidden}", {"stars": "3"}, agent).status == 404
    # No code is made for it (issue 18), and a code for any article does not
    # let a comment in either.
    r = api(s, "/api/v1/captcha", {"article_id": hidden}, agent)
    assert r.status == 404 and r.json()["error"] == "not_found", r.status
    r = comment(s, hidden, agent, c=captcha(s, agent))
    assert r.status == 404
    assert stored(s, hidden) == []


def test_rating_form_without_javascript(s):
    aid, path = article(s)
    agent = ua("rating-form")
    r = form(s, f"/danh-gia/{aid}", {"stars": "3"}, agent)
    assert r.status == 303
    loc = r.header("location")
    assert loc == f"{path}?danh-gia=da-ghi#danh-gia", loc
    text = s.get(loc.split("#")[0]).text
    assert "Cảm ơn bạn đã đánh giá." in text
    assert "Đánh giá: lượt đánh giá: 1, trung bình: 3,0" in text
    r = form(s, f"/danh-gia/{aid}", {"stars": "5"}, agent)
    assert r.status == 303 and r.header("location") == f"{path}?danh-gia=da-co#danh-gia"
    assert "Bạn đã đánh giá bài viết này." in s.get(f"{path}?danh-gia=da-co").text
    assert article_json(s, aid)["rating"] == {"count": 1, "average": 3}
    # the form itself: five labelled stars, posting here, no inline script
    text = page(s, path).text
    assert f'action="/danh-gia/{aid}#danh-gia"' in text
    for n in range(1, 6):
        assert f'<span class="visually-hidden">{n} sao</span>' in text
        assert f'name="stars" value="{n}"' in text
    assert re.search(r'<script src="/static/js/widgets\.js\?v=[0-9a-f]+" defer></script>', text)
    assert "<script>" not in text


def test_rating_refused_for_bots_and_other_sites(s):
    aid, _ = article(s)
    r = api(s, f"/api/v1/articles/{aid}/rating", {"stars": 5}, "Mozilla/5.0 (compatible; Googlebot/2.1)")
    assert r.status == 403 and "không thể đánh giá" in r.json()["message"]
    r = form(s, f"/danh-gia/{aid}", {"stars": "5"}, "Mozilla/5.0 (compatible; bingbot/2.0)")
    assert r.status == 403 and "không thể đánh giá" in r.text
    r = s.request("POST", f"/danh-gia/{aid}", body="stars=5",
                  headers={"User-Agent": ua("csrf"), "Content-Type": FORM,
                           "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert r.status == 403 and "trang web khác" in r.text
    r = s.request("POST", f"/binh-luan/{aid}", body="name=x&body=y",
                  headers={"User-Agent": ua("csrf"), "Content-Type": FORM, "Origin": "null"})
    assert r.status == 403 and "trang web khác" in r.text
    assert article_json(s, aid)["rating"]["count"] == 0
    # the site's own pages do send Origin (and Sec-Fetch-Site): those pass
    own = f"http://127.0.0.1:{s.port}"
    r = s.request("POST", f"/danh-gia/{aid}", body="stars=5",
                  headers={"User-Agent": ua("own-1"), "Content-Type": FORM, "Origin": own})
    assert r.status == 303
    r = s.request("POST", f"/danh-gia/{aid}", body="stars=4",
                  headers={"User-Agent": ua("own-2"), "Content-Type": FORM,
                           "Origin": "https://other.example", "Sec-Fetch-Site": "same-origin"})
    assert r.status == 303
    assert article_json(s, aid)["rating"] == {"count": 2, "average": 4.5}


# ---- comments through the API ------------------------------------------------------


def test_comment_api_then_moderation(s):
    aid, path = article(s)
    agent = ua("moderation")
    body = "Dòng một của bình luận.\nDòng hai, có dấu: Điện Biên Phủ."
    r = comment(s, aid, agent, name="Lò Văn Sáng", body=body, email="sang@example.vn")
    assert r.status == 202, r.body
    j = r.json()
    assert j["status"] == "pending" and isinstance(j["id"], int)
    cid = j["id"]
    # pending: not on the page, not counted
    text = page(s, path).text
    assert "Lò Văn Sáng" not in text and "Bình luận (0)" in text
    assert article_json(s, aid)["comments"] == 0
    listing = s.run("comments", "list", "--data", s.data)
    assert listing.returncode == 0
    assert f"#{cid}  [pending]" in listing.stdout and "Lò Văn Sáng" in listing.stdout
    assert "sang@example.vn" in listing.stdout  # editors see the email ...
    r = s.run("comments", "approve", str(cid), "--data", s.data)
    assert r.returncode == 0 and f"#{cid}" in r.stdout
    time.sleep(1.1)  # another process wrote: the page cache lasts up to a second
    text = page(s, path).text
    section = comment_section(text)
    assert "Bình luận (1)" in section
    assert '<span class="comment-author">Lò Văn Sáng</span>' in section
    assert "sang@example.vn" not in text  # ... the public never does
    assert f'<p class="comment-body">{html.escape(body)}</p>' in section
    assert DATE_TIME.search(section)
    assert article_json(s, aid)["comments"] == 1
    # a second approved comment comes after the first (oldest first)
    other = ua("moderation-2")
    r = comment(s, aid, other, name="Quàng Thị Mai", body="Bình luận thứ hai.")
    cid2 = r.json()["id"]
    assert s.run("comments", "approve", str(cid2), "--data", s.data).returncode == 0
    time.sleep(1.1)
    section = comment_section(page(s, path).text)
    assert "Bình luận (2)" in section
    assert section.index("Lò Văn Sáng") < section.index("Quàng Thị Mai")
    assert article_json(s, aid)["comments"] == 2


def test_captcha_wrong_missing_reused_foreign(s):
    aid, _ = article(s)
    other_aid, _ = article(s)
    agent = ua("captcha-bad")
    url = f"/api/v1/articles/{aid}/comments"

    def send(**kw):
        obj = {"name": "Khách", "body": "Thử mã."}
        obj.update(kw)
        return api(s, url, obj, agent)

    def refused(r):
        assert r.status == 422, (r.status, r.body)
        assert r.json()["error"] == "captcha_invalid"
        assert r.json()["message"] == CAPTCHA_BAD

    c = captcha(s, agent, aid)
    wrong = "".join("A" if ch != "A" else "B" for ch in c["answer"])
    refused(send(captcha_id=c["id"], captcha_answer=wrong))
    refused(send(captcha_id=c["id"], captcha_answer=c["answer"]))  # spent by the wrong try
    refused(send(captcha_answer="ABCDEF"))                            # no id
    refused(send(captcha_id=captcha(s, agent, aid)["id"]))            # no answer
    refused(send(captcha_id="zz" * 16, captcha_answer="ABCDEF"))      # malformed id
    f = captcha(s, agent, other_aid)                                  # another article's
    refused(send(captcha_id=f["id"], captcha_answer=f["answer"]))
    c = captcha(s, agent, aid)
    assert send(captcha_id=c["id"], captcha_answer=" " + c["answer"].lower() + " ").status == 202
    refused(send(captcha_id=c["id"], captcha_answer=c["answer"]))     # used once already
    assert len(stored(s, aid)) == 1 and stored(s, other_aid) == []
    # a CAPTCHA made without an article passes on any article, once
    u = captcha(s, ua("captcha-unbound"))
    r = comment(s, other_aid, ua("captcha-unbound"), c=u)
    assert r.status == 202
    assert comment(s, aid, ua("captcha-unbound-2"), c=u).status == 422


def test_captcha_pictures(s):
    aid, _ = shared(s)
    agent = ua("pictures")
    r = s.get(f"/ma-xac-thuc/moi.png?bai={aid}", headers={"User-Agent": agent})
    assert r.status == 200 and r.body[:8] == b"\x89PNG\r\n\x1a\n"
    assert r.header("cache-control") == "no-store"
    cookie = r.header("set-cookie")
    assert re.fullmatch(r"sen_captcha=[0-9a-f]{32}; Max-Age=600; Path=/; HttpOnly; SameSite=Strict",
                        cookie), cookie
    c = captcha(s, agent, aid)
    assert c["image_url"].startswith(f"/ma-xac-thuc/{c['id']}.png?k=")
    r = s.get(c["image_url"])
    assert r.status == 200 and r.header("content-type") == "image/png"
    assert r.header("cache-control") == "no-store"
    # two drawings of the same code differ (noise is random)
    assert s.get(c["image_url"]).body != r.body
    # a token for another id, or a tampered one, draws nothing
    other = captcha(s, agent, aid)
    token = c["image_url"].split("k=")[1]
    assert s.get(f"/ma-xac-thuc/{other['id']}.png?k={token}").status == 404
    bad = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert s.get(f"/ma-xac-thuc/{c['id']}.png?k={bad}").status == 404
    assert s.get(f"/ma-xac-thuc/{c['id']}.png").status == 404
    for name in ("moi.png", "x.png", "moi.gif", "pow.json"):
        assert s.get(f"/ma-xac-thuc/{name}").status == 404, name
    assert s.get("/ma-xac-thuc/moi.png?bai=1", headers={"User-Agent": "Googlebot/2.1"}).status == 403


# ---- the HTML form ------------------------------------------------------------------


def test_form_wrong_code_reshows_with_typed_text(s):
    aid, path = article(s)
    agent = ua("form-wrong")
    fields = form_fields(s, path, agent, name="Nguyễn Văn Bình", email="binh@example.vn",
                         body="Dòng một\nDòng hai & <b>ba</b>", ma="WRONG2")
    cookie, answer = picture(s, aid, agent)
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 422
    assert r.header("cache-control") == "no-store"
    text = r.text
    assert text.count(CAPTCHA_BAD) == 1
    i = text.find('id="binh-luan-ma"')
    assert 0 <= i < text.find(CAPTCHA_BAD) < i + 800, "the message is not next to the code field"
    assert 'value="Nguyễn Văn Bình"' in text and 'value="binh@example.vn"' in text
    assert ">Dòng một\nDòng hai &amp; &lt;b&gt;ba&lt;/b&gt;</textarea>" in text
    assert stored(s, aid) == []
    # the picture's code is spent: the right answer now fails too
    fields["ma"] = answer
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 422 and CAPTCHA_BAD in r.text
    # no cookie at all
    r = form(s, f"/binh-luan/{aid}", fields, agent)
    assert r.status == 422 and CAPTCHA_BAD in r.text
    assert stored(s, aid) == []
    # the ordinary page never shows the message
    assert CAPTCHA_BAD not in page(s, path).text


def test_form_success_waits_for_moderation(s):
    aid, path = article(s)
    agent = ua("form-ok")
    fields = form_fields(s, path, agent, name="Hoàng Minh", body="Cảm ơn!\nRất bổ ích.")
    cookie, answer = picture(s, aid, agent)
    fields["ma"] = answer.lower()
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 303, r.text[:300]
    loc = r.header("location")
    assert loc == f"{path}?binh-luan=cho-duyet#binh-luan"
    text = s.get(loc.split("#")[0]).text
    assert "Bình luận của bạn đang chờ duyệt." in text
    assert "Hoàng Minh" not in text
    ids = stored(s, aid)
    assert len(ids) == 1
    # the same cookie cannot be used twice
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 422 and CAPTCHA_BAD in r.text
    assert len(stored(s, aid)) == 1


def test_form_honeypot_and_fill_time(s):
    aid, path = article(s)
    agent = ua("spam-form")
    # too fast: posted right after the page was made
    fields = form_fields(s, path, agent, wait=False, name="Nhanh", body="Gửi ngay")
    cookie, answer = picture(s, aid, agent)
    fields["ma"] = answer
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 422 and "Bạn gửi nhanh quá" in r.text
    assert 'value="Nhanh"' in r.text and ">Gửi ngay</textarea>" in r.text
    # missing or forged time
    for t in ("", "123", "1700000000.00000000000000000000000000000000", fields["t"] + "0"):
        r = form(s, f"/binh-luan/{aid}", dict(fields, t=t), agent, cookie)
        assert r.status == 422 and "Biểu mẫu không hợp lệ" in r.text, t
    # a form signed for another article does not count either
    _, other_path = shared(s)
    r = form(s, f"/binh-luan/{aid}", dict(fields, t=form_token(page(s, other_path).text)), agent, cookie)
    assert r.status == 422 and "Biểu mẫu không hợp lệ" in r.text
    # the honeypot
    fields = form_fields(s, path, agent, wait=False, name="Máy", body="Mua hàng",
                         website="http://spam.example")
    cookie, answer = picture(s, aid, agent)
    fields["ma"] = answer
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 422 and "Ô “Website” phải để trống" in r.text
    assert 'value="Máy"' in r.text
    assert 'value="http://spam.example"' not in r.text
    assert stored(s, aid) == []


def test_flood_limit(s):
    aid, path = article(s)
    agent = ua("flood")
    for i in range(3):
        r = comment(s, aid, agent, body=f"Bình luận số {i + 1}.")
        assert r.status == 202, r.body
    r = comment(s, aid, agent, body="Bình luận số 4.")
    assert r.status == 429 and r.json()["error"] == "too_many_comments"
    assert "3 bình luận trong 10 phút" in r.json()["message"]
    fields = form_fields(s, path, agent, body="Qua biểu mẫu")
    cookie, answer = picture(s, aid, agent)
    fields["ma"] = answer
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 429 and "3 bình luận trong 10 phút" in r.text
    assert ">Qua biểu mẫu</textarea>" in r.text
    assert len(stored(s, aid)) == 3
    # another visitor is not held back
    assert comment(s, aid, ua("flood-other")).status == 202


def test_links_and_length_limits(s):
    aid, path = article(s)
    agent = ua("limits")
    r = comment(s, aid, agent, body="Xem http://a.example và https://b.example và www.c.example")
    assert r.status == 422
    assert r.json() == {"error": "invalid", "message": "Bình luận có quá nhiều liên kết (tối đa 2).",
                        "field": "body"}
    r = comment(s, aid, agent, body="x" * 4001)
    assert r.status == 422 and r.json()["field"] == "body"
    assert r.json()["message"] == "Nội dung bình luận dài quá 4.000 ký tự (hiện có 4.001)."
    r = comment(s, aid, agent, name="N" * 101)
    assert r.status == 422 and r.json()["field"] == "name" and "100" in r.json()["message"]
    r = comment(s, aid, agent, name="   ")
    assert r.status == 422 and r.json()["message"] == "Vui lòng nhập họ tên."
    r = comment(s, aid, agent, email="không phải email")
    assert r.status == 422 and r.json()["field"] == "email"
    r = comment(s, aid, agent, name=7)
    assert r.status == 400 and r.json()["field"] == "name"
    r = api(s, f"/api/v1/articles/{aid}/comments", None, agent, raw=b"name=x", ctype=FORM)
    assert r.status == 415
    r = api(s, f"/api/v1/articles/{aid}/comments", None, agent, raw=b'{"name": "x", "body": "')
    assert r.status == 400
    assert stored(s, aid) == []
    # 4,000 characters of two-byte letters are within the limit
    assert comment(s, aid, agent, body="ệ" * 4000).status == 202
    # the same limits through the form keep the text (never cut)
    long_body = "Đ" * 4001
    other = ua("limits-form")
    fields = form_fields(s, path, other, body=long_body)
    cookie, answer = picture(s, aid, other)
    fields["ma"] = answer
    r = form(s, f"/binh-luan/{aid}", fields, other, cookie)
    assert r.status == 422
    assert "Nội dung bình luận dài quá 4.000 ký tự (hiện có 4.001)." in r.text
    assert f">{long_body}</textarea>" in r.text
    assert 'aria-invalid="true"' in r.text
    assert len(stored(s, aid)) == 1


def test_hostile_input_is_inert(s):
    aid, path = article(s)
    agent = ua("hostile")
    name = '<script>alert(1)</script>" onmouseover="x'
    body = ("<img src=x onerror=alert(1)>\n<a href=\"javascript:alert(2)\">bấm</a>\n"
            "{{site.name}} {{{article.body_html}}} {{#x}}y{{/x}}\n</textarea><b>đậm</b>")
    r = comment(s, aid, agent, name=name, body=body)
    assert r.status == 202, r.body
    cid = r.json()["id"]
    assert s.run("comments", "approve", str(cid), "--data", s.data).returncode == 0
    time.sleep(1.1)
    section = comment_section(page(s, path).text)
    assert html.escape(name) in section
    assert html.escape(body) in section
    for raw in ("<script>alert", "<img src=x", "<a href=\"javascript:", "<b>đậm",
                '" onmouseover="'):
        assert raw not in section, raw
    # Mustache in user text stays text (not the site name)
    assert "{{site.name}}" in section
    listing = s.run("comments", "list", "--status", "approved", "--article", str(aid),
                    "--data", s.data).stdout
    assert "<script>alert(1)</script>" in listing  # the terminal shows text as is
    # the refused form shows it back inert too
    fields = form_fields(s, path, agent, wait=False, name=name, body=body)
    r = form(s, f"/binh-luan/{aid}", fields, ua("hostile-2"))
    assert r.status == 422
    assert f'value="{html.escape(name)}"' in r.text
    assert f">{html.escape(body)}</textarea>" in r.text
    assert "<script>alert" not in r.text


def test_crlf_in_name_refused(s):
    aid, path = article(s)
    agent = ua("crlf")
    for bad in ("Tên\r\nSet-Cookie: x=1", "Tên\nhai", "Tên\rba", "Tên\u2028bốn"):
        r = comment(s, aid, agent, name=bad)
        assert r.status == 422 and r.json()["field"] == "name", (bad, r.body)
        assert r.json()["message"] == "Họ tên không được chứa ký tự xuống dòng."
    fields = form_fields(s, path, agent, name="A\r\nB")
    cookie, answer = picture(s, aid, agent)
    fields["ma"] = answer
    r = form(s, f"/binh-luan/{aid}", fields, agent, cookie)
    assert r.status == 422 and "Họ tên không được chứa ký tự xuống dòng." in r.text
    assert stored(s, aid) == []


def test_comments_refused_for_bots(s):
    aid, _ = shared(s)
    bot = "Mozilla/5.0 (compatible; YandexBot/3.0)"
    r = api(s, f"/api/v1/articles/{aid}/comments", {"name": "x", "body": "y"}, bot)
    assert r.status == 403 and "không thể bình luận" in r.json()["message"]
    assert api(s, "/api/v1/captcha", None, bot, ctype=None).status == 403
    r = form(s, f"/binh-luan/{aid}", {"name": "x", "body": "y"}, bot)
    assert r.status == 403 and "không thể bình luận" in r.text


def _solve(challenge, bits):
    n = 0
    while True:
        nonce = format(n, "x")
        h = hashlib.sha256((challenge + nonce).encode()).digest()
        if int.from_bytes(h, "big") >> (256 - bits) == 0:
            return nonce
        n += 1


def test_proof_of_work_alternative(s):
    aid, path = article(s)
    agent = ua("pow")
    text = page(s, path).text
    assert "Không xem được ảnh?" in text and f'data-pow-url="/ma-xac-thuc/pow.json?bai={aid}"' in text
    r = s.get(f"/ma-xac-thuc/pow.json?bai={aid}", headers={"User-Agent": agent})
    assert r.status == 200 and r.header("cache-control") == "no-store"
    p = r.json()
    assert p["difficulty"] == 18 and p["expires_in"] == 600
    # The code starts with its difficulty, so the client cannot lower it.
    assert re.fullmatch(r"sen1:[0-9a-f]{32}:18[2-9A-HJKMNP-Z]{6}:", p["challenge"])
    assert p["challenge"].split(":")[1] == p["id"]
    nonce = _solve(p["challenge"], p["difficulty"])
    fields = form_fields(s, path, agent, name="Người dùng trình đọc màn hình", body="Qua xác thực trình duyệt.")
    # a nonce that does no work is refused, and spends the challenge
    bad = next(str(n) for n in range(1000)
               if int.from_bytes(hashlib.sha256((p["challenge"] + str(n)).encode()).digest(), "big") >> 238)
    r = form(s, f"/binh-luan/{aid}", dict(fields, pow_challenge=p["challenge"], pow_nonce=bad), agent)
    assert r.status == 422 and CAPTCHA_BAD in r.text
    r = form(s, f"/binh-luan/{aid}", dict(fields, pow_challenge=p["challenge"], pow_nonce=nonce), agent)
    assert r.status == 422
    # a fresh challenge, solved, passes once
    p = s.get(f"/ma-xac-thuc/pow.json?bai={aid}", headers={"User-Agent": agent}).json()
    nonce = _solve(p["challenge"], p["difficulty"])
    r = form(s, f"/binh-luan/{aid}", dict(fields, pow_challenge=p["challenge"], pow_nonce=nonce), agent)
    assert r.status == 303, r.text[:300]
    r = form(s, f"/binh-luan/{aid}", dict(fields, pow_challenge=p["challenge"], pow_nonce=nonce), agent)
    assert r.status == 422
    # a challenge's code is public: it never passes as the answer to a picture
    p = s.get(f"/ma-xac-thuc/pow.json?bai={aid}", headers={"User-Agent": agent}).json()
    code = p["challenge"].split(":")[2]
    r = form(s, f"/binh-luan/{aid}", dict(fields, ma=code), agent, f"sen_captcha={p['id']}")
    assert r.status == 422 and CAPTCHA_BAD in r.text
    assert len(stored(s, aid)) == 1


# ---- the command line ---------------------------------------------------------------


def test_cli_comments(s):
    aid, _ = article(s)
    ids = [comment(s, aid, ua(f"cli-{i}"), name=f"Người {i}", body=f"Nội dung {i}").json()["id"]
           for i in range(4)]
    run = lambda *a: s.run("comments", *a, "--data", s.data)
    r = run("list", "--article", str(aid))
    assert r.returncode == 0
    assert [int(x) for x in re.findall(r"^#(\d+) ", r.stdout, re.M)] == sorted(ids, reverse=True)
    assert "Tổng cộng: 4 bình luận (trạng thái: pending)." in r.stdout
    assert run("approve", str(ids[0]), str(ids[1])).returncode == 0
    r = run("reject", str(ids[2]))
    assert r.returncode == 0 and "Đã từ chối bình luận" in r.stdout
    r = run("spam", str(ids[3]))
    assert r.returncode == 0 and "thư rác" in r.stdout
    r = run("list", "--status", "approved", "--article", str(aid))
    assert sorted(int(x) for x in re.findall(r"^#(\d+) ", r.stdout, re.M)) == ids[:2]
    r = run("list", "--status", "spam", "--article", str(aid))
    assert f"#{ids[3]}  [spam]" in r.stdout
    r = run("list", "--article", str(aid))
    assert r.returncode == 0 and "Không có bình luận nào (trạng thái: pending)." in r.stdout
    assert article_json(s, aid)["comments"] == 2
    r = run("delete", str(ids[2]), "999999999")
    assert r.returncode == 1
    assert f"Đã xóa bình luận #{ids[2]}." in r.stdout and "Không có bình luận #999999999." in r.stderr
    assert len(stored(s, aid)) == 3
    assert run("approve", "abc").returncode == 1
    assert run("approve").returncode == 2
    assert run("list", "--status", "maybe").returncode == 2
    assert run("frobnicate").returncode == 2
    assert s.run("comments").returncode == 2
    r = s.run("comments", "--help")
    assert r.returncode == 0 and "Cách dùng" in r.stdout
