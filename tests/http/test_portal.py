"""Issue 2: the seed article as a real portal page, pages, URLs, bad input, API."""
import json
import re
import urllib.parse

from harness import Server, raw_status

SEED_TITLE = "Hội nghị triển khai nhiệm vụ công tác năm 2021"
SEED_SLUG = "hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021"
CAPTIONS = [
    "Đồng chí Phạm Việt Dũng - Tỉnh ủy viên, Bí thư Đảng bộ, Giám đốc Sở Văn hóa, Thể thao và Du lịch phát biểu tại Hội nghị",
    "Đồng chí Phạm Việt Dũng tặng giấy khen cho đơn vị Bảo tàng CTLSĐBP và tập thể phòng Nghiệp vụ",
    "Đồng chí Nguyễn Hoàng Hiệp trao giấy khen cho 09 cá nhân",
]


def setup_module(sen):
    s = Server(sen).start()
    items = s.get("/api/v1/articles").json()["items"]
    s.seed = items[0]
    return s


def teardown_module(s):
    s.close()


def test_home_shows_seed_article_first(s):
    r = s.get("/")
    assert r.status == 200
    assert r.header("content-type") == "text/html; charset=utf-8"
    html = r.text
    first = html.find("<article")
    assert first >= 0
    assert SEED_TITLE in html[first:first + 3000], "seed article is not the lead"
    assert "18/01/2021" in html
    # one block per category, each with at least one card
    assert html.count('class="block"') >= 4


def test_seed_article_page(s):
    url = s.seed["url"]
    path = urllib.parse.urlsplit(url).path
    assert path.startswith("/tin-hoat-dong/" + SEED_SLUG + "-")
    r = s.get(path)
    assert r.status == 200, r.status
    html = r.text.replace("\u00a0", " ")
    assert f"<h1 class=\"article-title\">{SEED_TITLE}</h1>" in html
    assert "18/01/2021" in html and "Tin hoạt động" in html
    # every paragraph of the seed body
    with open(__import__("os").path.join(__import__("harness").ROOT, "tests", "http", "seed",
                                         "000_324adf26546dc3c7.txt"), encoding="utf-8") as f:
        seed = f.read().replace("\u00a0", " ")
    body = seed.split("Đánh giá:")[0]
    paras = [p.strip() for p in body.split("\n") if p.strip() and p.strip() not in CAPTIONS]
    for p in paras:
        esc = p.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#39;")
        assert esc in html, "paragraph missing: " + p[:60]
    # captions are figures, not paragraphs
    for c in CAPTIONS:
        assert re.search(r"<figcaption>\s*" + re.escape(c) + r"\s*</figcaption>", html), c
    assert html.count("<figure") >= 3
    # furniture is not body text, and no made-up numbers are shown
    article = html[html.find('<div class="article-body">'):]
    article = article[:article.find("</article>")]
    for furniture in ("Mã xác thực không đúng.", "697.826", "Online: 37", "lượt đánh giá: ,"):
        assert furniture not in html, furniture
    assert "Liên kết website" in html
    assert 'rel="noopener noreferrer"' in html


def test_images_served(s):
    html = s.get(urllib.parse.urlsplit(s.seed["url"]).path).text
    srcs = re.findall(r'<img src="(/media/[^"]+)"', html)
    assert len(srcs) >= 3
    r = s.get(srcs[0])
    assert r.status == 200
    assert r.header("content-type") == "image/png"
    assert r.body[:8] == b"\x89PNG\r\n\x1a\n"


def test_stale_slug_redirects(s):
    path = urllib.parse.urlsplit(s.seed["url"]).path
    aid = s.seed["id"]
    for stale in (f"/tin-hoat-dong/ten-cu-{aid}", f"/sai-chuyen-muc/{SEED_SLUG}-{aid}",
                  f"/tin-hoat-dong/{aid}"):
        r = s.get(stale)
        assert r.status == 301, (stale, r.status)
        assert r.header("location") == path


def test_bad_ids_never_500(s):
    for p in ["/tin-hoat-dong/1%20OR%201=1", "/tin-hoat-dong/x-1%20OR%201=1",
              "/tin-hoat-dong/-1", "/tin-hoat-dong/x--1", "/tin-hoat-dong/99999999999999999999",
              "/tin-hoat-dong/0", "/tin-hoat-dong/abc", "/api/v1/articles/-1",
              "/api/v1/articles/99999999999999999999", "/api/v1/articles/1%20OR%201=1",
              "/khong-co-chuyen-muc", "/tin-hoat-dong/%27", "/api/v1/articles?after=abc",
              "/api/v1/articles?after=1-2-3", "/api/v1/articles?category=%27%20OR%201=1"]:
        r = s.get(p)
        assert r.status in (400, 404), (p, r.status)
    for p in ["/tin-hoat-dong/%00", "/%C3%28", "/tin-hoat-dong/a%FF-1", "/%zz"]:
        r = s.get(p)
        assert r.status in (400, 404), (p, r.status)


def test_404_page_in_vietnamese(s):
    r = s.get("/khong-ton-tai/bai-viet-123456")
    assert r.status == 404
    assert "Không tìm thấy trang" in r.text
    assert r.header("content-type") == "text/html; charset=utf-8"


def test_api_errors_are_json(s):
    r = s.get("/api/v1/articles/424242")
    assert r.status == 404
    assert r.header("content-type") == "application/json; charset=utf-8"
    j = r.json()
    assert j["error"] == "not_found" and j["message"]


def test_api_article(s):
    r = s.get(f"/api/v1/articles/{s.seed['id']}")
    assert r.status == 200
    j = r.json()
    for k in ("id", "slug", "title", "url", "published_at", "category", "summary", "body_html"):
        assert k in j, k
    assert j["title"] == SEED_TITLE
    assert j["slug"] == SEED_SLUG
    assert j["published_at"].startswith("2021-01-18T")
    assert "<figure" in j["body_html"]


def test_api_pagination_walks_everything(s):
    seen, after, pages = [], None, 0
    while True:
        r = s.get("/api/v1/articles" + (f"?after={after}" if after else ""))
        assert r.status == 200
        j = r.json()
        seen += [i["id"] for i in j["items"]]
        pages += 1
        after = j["next"]
        if after is None:
            break
        assert pages < 100
    assert len(seen) == len(set(seen)) >= 13


def test_method_not_allowed(s):
    r = s.request("POST", "/", body="x=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 405
    assert "GET" in (r.header("allow") or "")


def test_static_caching(s):
    r = s.get("/static/css/site.css")
    assert r.status == 200
    assert r.header("content-type") == "text/css; charset=utf-8"
    etag, lm = r.header("etag"), r.header("last-modified")
    assert etag and lm
    assert "max-age=31536000" in r.header("cache-control")
    r2 = s.get("/static/css/site.css", headers={"If-None-Match": etag})
    assert r2.status == 304 and r2.body == b""
    r3 = s.get("/static/css/site.css", headers={"If-Modified-Since": lm})
    assert r3.status == 304
    h = s.request("HEAD", "/static/css/site.css")
    assert h.status == 200 and h.body == b""
    assert h.header("content-length") == r.header("content-length")
    for bad in ("/static/../sen.db", "/static/%2e%2e/%2e%2e/sen.ini", "/static/css/..%2f..%2fsql",
                "/media/../sen.db", "/static/.hidden"):
        assert s.get(bad).status in (400, 403, 404), bad


def test_head_on_pages(s):
    r = s.request("HEAD", "/")
    assert r.status == 200 and r.body == b""


def test_category_listing(s):
    r = s.get("/tin-hoat-dong")
    assert r.status == 200
    assert SEED_TITLE in r.text
    assert s.get("/tin-hoat-dong?sau=rubbish").status == 400


def test_no_version_banner(s):
    r = s.get("/")
    server = r.header("server") or ""
    assert not re.search(r"\d", server), server
    assert r.header("x-content-type-options") == "nosniff"


def test_oversized_body_413(s):
    reply = s.raw(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")
    assert raw_status(reply) == 413, reply[:200]


def test_malformed_utf8_target(s):
    reply = s.raw(b"GET /\xc3\x28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert raw_status(reply) in (400, 404), reply[:200]


def test_cached_page_answers_like_a_fresh_one(s):
    """The second request is served from the page cache (a shared response):
    same bytes, same headers, HEAD without a body, and counted views."""
    import time
    time.sleep(1.1)  # let earlier cases' cached copies expire
    path = urllib.parse.urlsplit(s.seed["url"]).path
    first = s.get(path)
    second = s.get(path)
    assert first.status == second.status == 200
    assert first.body == second.body
    for h in ("content-type", "content-security-policy", "content-language", "vary",
              "cache-control", "x-content-type-options", "referrer-policy", "content-length"):
        assert first.header(h) == second.header(h), h
    head = s.request("HEAD", path)
    assert head.status == 200 and head.body == b""
    assert head.header("content-length") == first.header("content-length")
    # ?lang= sets a cookie, so it never takes the shared answer
    en = s.get(path + "?lang=en")
    assert en.header("set-cookie", ) and en.header("set-cookie").startswith("sen_lang=en")


def test_picture_links_lead_to_the_article(s):
    """The thumbnail of the lead and of every card links to its article, not to the
    picture file (inside {{#image}} "url" is the picture's own)."""
    import re
    html = s.get("/").text
    links = re.findall(r'<a class="(lead|card)-thumb" href="([^"]*)"', html)
    assert len(links) >= 5, links
    for kind, href in links:
        assert not href.startswith("/media/"), (kind, href)
        assert re.fullmatch(r"/[a-z0-9-]+/[a-z0-9-]+-\d+", href), (kind, href)
        title = re.search(r'<a href="%s">' % re.escape(href), html)
        assert title, f"{kind} thumbnail {href} links to no titled article on the page"
