"""Issue 4: search, feeds, sitemap, robots.txt, sharing metadata and the print view.

Every test name holds "search" so that `run.py SEN -k search` runs them all.
"""
import email.utils
import json
import os
import re
import sqlite3
import time
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import datetime

from harness import Server

SEED_TITLE = "Hội nghị triển khai nhiệm vụ công tác năm 2021"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def setup_module(sen):
    s = Server(sen).start()
    items = s.get("/api/v1/articles").json()["items"]
    s.seed = items[0]
    assert s.seed["title"] == SEED_TITLE
    s.base = re.match(r"^(https?://[^/]+)", s.seed["url"]).group(1)
    return s


def teardown_module(s):
    s.close()


def api(s, **params):
    r = s.get("/api/v1/search?" + urllib.parse.urlencode(params))
    return r.status, (r.json() if r.header("content-type").startswith("application/json") else None)


def import_rows(t, name, rows):
    """Imports rows with `sen import` (another process) into t's data."""
    f = os.path.join(t.data, name)
    with open(f, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    r = t.run("import", "articles", f, "--data", t.data)
    assert r.returncode == 0, r.stderr


def page(s, **params):
    return s.get("/tim-kiem?" + urllib.parse.urlencode(params))


def path_of(url):
    return urllib.parse.urlsplit(url).path


def hits(html):
    """(url, title HTML, snippet HTML) of each result on a search page."""
    return re.findall(r'<h2 class="search-hit-title"><a href="([^"]+)">(.*?)</a></h2>.*?'
                      r'<p class="search-snippet">(.*?)</p>', html, re.S)


# ---- finding -------------------------------------------------------------------------

def test_search_four_spellings_find_seed_first(s):
    spellings = ["dien bien phu", "Điện Biên Phủ", "DIEN BIEN PHU", "điện biên phủ",
                 unicodedata.normalize("NFD", "Điện Biên Phủ"),
                 "\u00d0iện Biên Phủ", "\u0189IỆN BIÊN PHỦ", '"điện biên phủ"', '"dien bien phu"']
    for q in spellings:
        status, body = api(s, q=q)
        assert status == 200, (q, status)
        assert body["total"] >= 1
        assert body["items"][0]["id"] == s.seed["id"], (q, body["items"][0]["title"])
        r = page(s, q=q)
        assert r.status == 200
        first = hits(r.text)[0]
        assert path_of(first[0]) == path_of(s.seed["url"]), q


def test_search_snippet_highlights_accented_text_for_accentless_query(s):
    status, body = api(s, q="dien bien phu")
    assert status == 200
    snippet = body["items"][0]["snippet"]
    assert "<mark>Điện Biên Phủ</mark>" in snippet, snippet
    r = page(s, q="dien bien phu")
    url, title, snippet = hits(r.text)[0]
    assert "<mark>Điện Biên Phủ</mark>" in snippet
    # the only markup in a snippet is ours
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    # phrases highlight as a whole
    status, body = api(s, q='"bao tang chien thang"')
    assert "<mark>Bảo tàng Chiến thắng</mark>" in body["items"][0]["snippet"]


def test_search_exact_accents_rank_first(s):
    status, body = api(s, q="dương")
    assert status == 200 and body["total"] >= 2
    first = body["items"][0]
    assert "<mark>dương</mark>" in first["snippet"].lower(), first
    status, body2 = api(s, q="đường")
    assert body2["total"] == body["total"]   # the same articles match ...
    assert "<mark>đường</mark>" in body2["items"][0]["snippet"].lower()   # ... in another order
    assert body2["items"][0]["id"] != first["id"]


def test_search_pagination(s):
    status, p1 = api(s, q="bảo tàng")
    assert status == 200 and p1["total"] == 19 and p1["pages"] == 2 and p1["page"] == 1
    assert len(p1["items"]) == 10
    status, p2 = api(s, q="bảo tàng", page=2)
    assert status == 200 and p2["page"] == 2 and len(p2["items"]) == 9
    ids = [i["id"] for i in p1["items"] + p2["items"]]
    assert len(set(ids)) == 19
    html = page(s, q="bảo tàng").text
    m = re.search(r'<a rel="next" href="([^"]+)"', html)
    assert m, "no link to page 2"
    nxt = s.get(m.group(1).replace("&amp;", "&"))
    assert nxt.status == 200 and len(hits(nxt.text)) == 9
    assert 'aria-current="page">2<' in nxt.text
    # past the last page: an empty page, not an error; past the cap: 400
    r = page(s, q="bảo tàng", trang=3)
    assert r.status == 200 and "Không còn kết quả" in r.text
    assert page(s, q="bảo tàng", trang=51).status == 400
    assert api(s, q="bảo tàng", page=0)[0] == 400


def test_search_filters(s):
    status, body = api(s, q="bảo tàng", category="thong-bao")
    assert status == 200 and body["total"] == 2
    assert all(i["category"] == "thong-bao" for i in body["items"])
    status, body = api(s, q="bảo tàng", **{"from": "2020-01-01", "to": "2020-06-30"})
    assert status == 200 and body["total"] >= 1
    for i in body["items"]:
        assert "2020-01-01" <= i["published_at"][:10] <= "2020-06-30", i["published_at"]
    # the last day counts whole: the seed was published 2021-01-18 10:30 (+07:00)
    status, body = api(s, q="hội nghị", **{"from": "2021-01-18", "to": "2021-01-18"})
    assert [i["id"] for i in body["items"]] == [s.seed["id"]]
    r = page(s, q="bảo tàng", **{"chuyen-muc": "thong-bao", "tu": "2020-01-01"})
    assert r.status == 200 and len(hits(r.text)) >= 1
    assert 'value="thong-bao" selected' in r.text
    for bad in ({"chuyen-muc": "khong-co"}, {"tu": "2021-02-30"}, {"den": "18/01/2021"},
                {"tu": "2021-02-01", "den": "2021-01-01"}):
        r = page(s, q="bảo tàng", **bad)
        assert r.status == 400, bad
        assert 'role="alert"' in r.text
    assert api(s, q="x", category="khong-co")[0] == 400


def test_search_empty_result_suggests(s):
    r = page(s, q="xyzzy quokka")
    assert r.status == 200
    assert "Không tìm thấy bài viết nào" in r.text
    assert "Thử bỏ bớt từ khóa" in r.text
    assert 'href="/tim-kiem?q=quokka"' in r.text and 'href="/tim-kiem?q=xyzzy"' in r.text
    assert "không dấu" in r.text
    # the categories with the most articles, with their pages
    assert re.search(r'Xem các chuyên mục nhiều bài nhất: <a href="/[a-z-]+">', r.text)
    r = page(s, q='"điện biên hội an"', **{"chuyen-muc": "thong-bao"})
    assert "Tìm lại trong mọi chuyên mục" in r.text
    assert "Bỏ dấu ngoặc kép" in r.text
    # no query at all: the form and a tip, no error
    r = s.get("/tim-kiem")
    assert r.status == 200 and "không dấu" in r.text and 'role="alert"' not in r.text


def test_search_api_shape(s):
    status, body = api(s, q="hội nghị")
    assert status == 200
    assert set(body) >= {"items", "total", "page", "pages"}
    assert isinstance(body["total"], int) and isinstance(body["pages"], int)
    item = body["items"][0]
    assert set(item) >= {"id", "title", "url", "published_at", "category", "snippet"}
    assert isinstance(item["id"], int)
    assert item["url"].startswith(("http://", "https://"))
    datetime.fromisoformat(item["published_at"])
    r = s.get(path_of(item["url"]))
    assert r.status == 200
    # errors are JSON with a message
    for params in ({}, {"q": "   "}, {"q": "***"}, {"q": "a" * 300}):
        status, body = api(s, **params)
        assert status == 400, params
        assert body["error"] and body["message"], params


def test_search_hostile_queries_never_500(s):
    hostile = ['"', '""', "*", "^", ":", "(", ")", "NEAR", "NEAR(a b)", "-", "- dien", "AND",
               "OR", "NOT", "dien AND", "OR bien", "a NOT b", "%", "_", "\\", "%_\\", "title:x",
               "{title}: x", "'; DROP TABLE articles; --", '" OR 1=1 --', "=", "==điện",
               "a*", "^a", "\u201c", "\u00ab\u00bb", "w " * 25, "é" * 201, "a" * 1000,
               "\u0301", "\x01\x02", "<script>alert(1)</script>"]
    for q in hostile:
        t0 = time.time()
        r = page(s, q=q)
        assert r.status in (200, 400), (q, r.status)
        if r.status == 400:
            assert 'role="alert"' in r.text, q
        assert "<script>alert" not in r.text
        status, body = api(s, q=q)
        assert status in (200, 400), (q, status)
        assert body is not None and ("items" in body or body.get("message")), q
        assert time.time() - t0 < 5, q
    # a 10,000-character query is refused by the server before any work
    r = s.get("/tim-kiem?q=" + "a" * 10000)
    assert r.status in (400, 414)
    # malformed UTF-8 and NUL: a clean 400
    for raw in ("%FF", "%C3", "%C3%28", "%ED%A0%80", "a%00b"):
        assert s.get("/tim-kiem?q=" + raw).status == 400, raw
        assert s.get("/api/v1/search?q=" + raw).status == 400, raw
    # and the server is still fine
    assert api(s, q="dien bien phu")[1]["items"][0]["id"] == s.seed["id"]


def test_search_index_follows_import(s):
    t = Server(s.sen, demo=False).start()
    try:
        assert api(t, q="hang pa thom")[1]["total"] == 0
        import_rows(t, "search.jsonl", [{
            "title": "Hang Pá Thơm và động Xá Nhè",
            "body": "Đoàn khảo sát hang động ở huyện **Điện Biên**.",
            "category": "Thông báo", "published_at": "2020-06-01T08:00:00+07:00"}])
        status, body = api(t, q="hang pa thom")
        assert status == 200 and body["total"] == 1
        assert body["items"][0]["title"] == "Hang Pá Thơm và động Xá Nhè"
        status, body = api(t, q="dien bien")
        assert body["total"] == 1 and "<mark>Điện Biên</mark>" in body["items"][0]["snippet"]
        assert api(t, q="xá nhè")[1]["total"] == 1
    finally:
        t.close()


# ---- feeds ------------------------------------------------------------------------------

def check_absolute(url):
    parts = urllib.parse.urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc, url


def test_search_rss_feed(s):
    r = s.get("/rss.xml")
    assert r.status == 200
    assert r.header("content-type") == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(r.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    check_absolute(channel.findtext("link"))
    items = channel.findall("item")
    assert len(items) == 19
    first = items[0]
    assert first.findtext("title") == SEED_TITLE
    assert path_of(first.findtext("link")) == path_of(s.seed["url"])
    check_absolute(first.findtext("link"))
    # RFC 822 date, the same instant as the API's
    when = email.utils.parsedate_to_datetime(first.findtext("pubDate"))
    assert when == datetime.fromisoformat(s.seed["published_at"])
    assert first.findtext("guid")
    # every item of a category feed belongs to it
    r = s.get("/thong-bao/rss.xml")
    assert r.status == 200
    cat = ET.fromstring(r.body).find("channel")
    assert len(cat.findall("item")) == 2
    assert all(i.findtext("category") == "Thông báo" for i in cat.findall("item"))
    assert s.get("/khong-co/rss.xml").status == 404
    # conditional GET
    lm = s.get("/rss.xml").header("last-modified")
    assert lm and s.get("/rss.xml", headers={"If-Modified-Since": lm}).status == 304


def test_search_atom_feed(s):
    r = s.get("/atom.xml")
    assert r.status == 200
    assert r.header("content-type") == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(r.body)
    assert root.tag == ATOM + "feed"
    datetime.fromisoformat(root.findtext(ATOM + "updated"))
    assert root.findtext(ATOM + "id")
    entries = root.findall(ATOM + "entry")
    assert len(entries) == 19
    e = entries[0]
    assert e.findtext(ATOM + "title") == SEED_TITLE
    href = e.find(ATOM + "link").get("href")
    check_absolute(href)
    assert path_of(href) == path_of(s.seed["url"])
    assert datetime.fromisoformat(e.findtext(ATOM + "published")) == \
        datetime.fromisoformat(s.seed["published_at"])
    for link in root.findall(ATOM + "link"):
        check_absolute(link.get("href"))
    # titles with quotes and ampersands survive escaping
    titles = [x.findtext(ATOM + "title") for x in entries]
    assert any("“" in t for t in titles)
    r = s.get("/trung-bay-trien-lam/atom.xml")
    assert r.status == 200
    cat = ET.fromstring(r.body)
    assert all(x.find(ATOM + "category").get("term") == "trung-bay-trien-lam"
               for x in cat.findall(ATOM + "entry"))


def test_search_feed_links_and_search_box_on_pages(s):
    home = s.get("/").text
    assert 'type="application/rss+xml"' in home and 'type="application/atom+xml"' in home
    assert re.search(r'<form class="search-box" action="/tim-kiem" method="get" role="search">', home)
    cat = s.get("/thong-bao").text
    assert re.search(r'<link rel="alternate" type="application/rss\+xml" title="Thông báo \(RSS\)" '
                     r'href="https?://[^"]+/thong-bao/rss\.xml">', cat)


# ---- sitemap, robots ----------------------------------------------------------------

def sitemap_urls(body):
    root = ET.fromstring(body)
    assert root.tag == SITEMAP + "urlset"
    return [u.findtext(SITEMAP + "loc") for u in root.findall(SITEMAP + "url")]


def all_article_urls(s):
    return [i["url"] for i in s.published_articles()]


def test_search_sitemap_and_robots(s):
    r = s.get("/robots.txt")
    assert r.status == 200 and r.header("content-type").startswith("text/plain")
    assert "User-agent: *" in r.text and "Allow: /" in r.text
    m = re.search(r"^Sitemap: (\S+)$", r.text, re.M)
    assert m and m.group(1).endswith("/sitemap.xml")
    check_absolute(m.group(1))
    r = s.get("/sitemap.xml")
    assert r.status == 200 and r.header("content-type").startswith("application/xml")
    urls = sitemap_urls(r.body)
    for u in urls:
        check_absolute(u)
    articles = all_article_urls(s)
    assert set(articles) <= set(urls)
    assert s.base + "/" in urls and s.base + "/thong-bao" in urls
    # lastmod is W3C datetime
    root = ET.fromstring(r.body)
    for u in root.findall(SITEMAP + "url"):
        lm = u.findtext(SITEMAP + "lastmod")
        if lm:
            datetime.fromisoformat(lm)


def test_search_sitemap_index_past_the_limit(s):
    # 10 URLs per file instead of 50,000, to see the index with the demo data
    t = Server(s.sen, env={"SEN_SITEMAP_URLS": "10"}).start()
    try:
        r = t.get("/sitemap.xml")
        assert r.status == 200
        root = ET.fromstring(r.body)
        assert root.tag == SITEMAP + "sitemapindex"
        locs = [x.findtext(SITEMAP + "loc") for x in root.findall(SITEMAP + "sitemap")]
        db = sqlite3.connect(os.path.join(t.data, "sen.db"))
        museum, objects = db.execute(
            "SELECT (SELECT count(*) FROM exhibitions WHERE public = 1)"
            " + (SELECT count(*) FROM publications WHERE public = 1),"
            " (SELECT count(*) FROM objects_shown)").fetchone()
        db.close()
        # home, categories, the exhibitions' and publications' lists and
        # pages, articles, the online collection's page and its objects
        total = 1 + 5 + 2 + museum + 19 + 1 + objects
        assert len(locs) == (total + 9) // 10
        seen = []
        for i, loc in enumerate(locs, 1):
            check_absolute(loc)
            assert path_of(loc) == f"/sitemap-{i}.xml"
            part = t.get(path_of(loc))
            assert part.status == 200
            urls = sitemap_urls(part.body)
            assert 0 < len(urls) <= 10
            seen += urls
        assert len(seen) == total and len(set(seen)) == total
        assert set(all_article_urls(t)) <= set(seen)
        for missing in (f"/sitemap-{len(locs) + 1}.xml", "/sitemap-0.xml", "/sitemap-01.xml", "/sitemap-x.xml"):
            assert t.get(missing).status == 404, missing
        # the category pages behind the same route still work
        assert t.get("/thong-bao").status == 200
    finally:
        t.close()


# ---- the article page: sharing metadata, print view ------------------------------------

def test_search_article_sharing_metadata(s):
    html = s.get(path_of(s.seed["url"])).text
    head = html[:html.find("</head>")]
    for prop in ("og:title", "og:description", "og:url", "og:image", "og:type"):
        assert re.search(rf'<meta property="{prop}" content="[^"]+">', head), prop
    assert '<meta property="og:type" content="article">' in head
    assert f'<meta property="og:title" content="{SEED_TITLE}">' in head
    og_url = re.search(r'<meta property="og:url" content="([^"]+)">', head).group(1)
    assert path_of(og_url) == path_of(s.seed["url"])
    check_absolute(re.search(r'<meta property="og:image" content="([^"]+)">', head).group(1))
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert re.search(r'<link rel="canonical" href="https?://[^"]+">', head)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    ld = json.loads(scripts[0])
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle"
    assert ld["headline"] == SEED_TITLE
    assert datetime.fromisoformat(ld["datePublished"]) == datetime.fromisoformat(s.seed["published_at"])
    check_absolute(ld["mainEntityOfPage"]["@id"])
    check_absolute(ld["image"][0])
    assert ld["publisher"]["name"]
    assert "aggregateRating" not in html
    assert "<" not in scripts[0]


def test_search_jsonld_is_escaped_for_script(s):
    t = Server(s.sen, demo=False).start()
    try:
        title = "Tiêu đề </script><script>alert(1)</script> & \"x\""
        import_rows(t, "script.jsonl", [{
            "title": title, "body": "Nội dung.", "summary": "Tóm tắt <!-- --> ]]>",
            "category": "Thông báo", "published_at": "2019-01-01T08:00:00+07:00"}])
        status, body = api(t, q="tieu de alert")
        assert status == 200 and body["total"] == 1
        assert body["items"][0]["title"] == title
        html = t.get(path_of(body["items"][0]["url"])).text
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(scripts) == 1
        ld = json.loads(scripts[0])
        assert ld["headline"] == title
        assert ld["description"] == "Tóm tắt <!-- --> ]]>"
        assert "<script>alert" not in html
        # the search page shows the title escaped, with our marks only
        r = page(t, q="tieu de alert")
        assert "&lt;/script&gt;&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in r.text
        assert "<script>alert" not in r.text
        # and the feeds escape it for XML
        entry = ET.fromstring(t.get("/atom.xml").body).find(ATOM + "entry")
        assert entry.findtext(ATOM + "title") == title
        item = ET.fromstring(t.get("/thong-bao/rss.xml").body).find("channel/item")
        assert item.findtext("title") == title
    finally:
        t.close()


def test_search_print_view(s):
    path = path_of(s.seed["url"])
    html = s.get(path).text
    assert f'<a class="print-link" href="{path}/in" rel="nofollow">In bài viết</a>' in html
    r = s.get(path + "/in")
    assert r.status == 200
    text = r.text
    assert f"<h1 class=\"print-title\">{SEED_TITLE}</h1>" in text
    assert "18/01/2021" in text
    assert re.search(r'<link rel="stylesheet" href="/static/css/print.css\?v=\w+">', text)
    assert "site-nav" not in text and "sidebar" not in text
    # figures with captions, and where the article comes from
    assert text.count("<figure") >= 3 and text.count("<figcaption>") >= 3
    assert "loading=\"lazy\"" not in text
    assert re.search(r"Nguồn: <a href=\"https?://[^\"]+" + re.escape(path) + "\">", text)
    css = s.get(re.search(r'href="(/static/css/print.css[^"]*)"', text).group(1))
    assert css.status == 200 and css.header("content-type").startswith("text/css")
    assert "@media print" in css.text
    # an old slug moves; an unknown article is 404
    id_ = s.seed["id"]
    r = s.get(f"/tin-hoat-dong/ten-cu-{id_}/in")
    assert r.status == 301 and r.header("location").endswith(path + "/in")
    assert s.get("/tin-hoat-dong/khong-co-999999/in").status == 404
