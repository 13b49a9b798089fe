"""Issue 6: the attack suite of the back office, end to end against the real server.

One demo server (SEN_TEST_CAPTCHA_REVEAL=1 so comments can be posted, trusting
127.0.0.1 as a proxy so every Browser has its own address). setup_module plants
hostile text through every field a person can type in the back office or on
the public site: an account's display name, a category, a tag, a link, an
article (title, summary, Markdown body with raw HTML, javascript: links and an
image with onerror, tags, picture caption), a picture (alt, credit, original
file name) and comments. Then:

1. stored XSS: every admin page (lists, edit pages, review queue, revisions and
   their comparison, media item, comment tabs, statistics, dashboard, audit log
   with filters) and every public page (home, category, article, search, feeds,
   sitemap, JSON API, print view) is parsed: no payload runs, template syntax is
   shown as text; reflected XSS through query parameters, `next=` and ids;
2. SQL injection in every id, filter, sort, paging and search parameter and in
   form fields: never a 5xx, never a leak across authors, the database intact;
3. authorization by guessed ids for every role, with real CSRF tokens (also
   tokens a user got while still holding a stronger role), tokens bound to one
   form, GET on POST-only URLs;
4. the back-office headers on every answer, and /media/ serving images only.
"""
import html
import html.parser
import json
import os
import re
import sqlite3
import struct
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zlib

from admin_client import Browser, csrf_of, editor_publish, sign_in, sign_in_new, start_with_users
from harness import TRUSTED_PROXY

ADMIN_CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
             "frame-ancestors 'none'; form-action 'self'")

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "bientaphai": "Biên tập viên thứ hai sẽ bị hạ quyền",
    "tacgia": "Tác giả viết bài về Mường Thanh",
    "tacgiahai": "Một tác giả khác ở Điện Biên",
    "kiemduyet": "Kiểm duyệt bình luận cẩn thận",
    "xss.tacgia": "Tác giả có tên hiển thị độc hại",
}
ROLES = {"quantri": "admin", "bientap": "editor", "bientaphai": "editor", "tacgia": "author",
         "tacgiahai": "author", "kiemduyet": "moderator"}


# ---- payloads ------------------------------------------------------------------------

def evil(n):
    """A long payload, numbered so a failure names the field it came from."""
    return (f'X{n} <script>alert("x{n}")</script> "><img src=x onerror=alert({n})> '
            f"</textarea><svg onload=alert({n})> {{{{t.admin_title}}}} ' OR 1=1 --")


def evil_mid(n):
    """At most 120 bytes (category names)."""
    return f'C{n}<script>alert("x{n}")</script>"><img src=x onerror=alert({n})>{{{{t.admin_title}}}}'


def evil_tag(n):
    """At most 64 bytes, no comma (tags)."""
    return f'T{n}"><svg onload=alert({n})>{{{{t.admin_title}}}}'


DISPLAY = evil_mid(1)
CATEGORY = evil_mid(2)
TITLE = evil(3)
SUMMARY = evil(4)
BODY = "\n\n".join([
    "Mở đầu thienlymaxss đoạn B5.",
    '<script>alert("b5")</script>',
    '<img src=x onerror=alert("b6")>',
    '[bấm vào](javascript:alert("b7"))',
    '[dữ liệu](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![ảnh" onerror="alert(8)](javascript:alert(8))',
    '<a href="javascript:alert(9)" onclick="alert(9)">x</a>',
    "</textarea><svg onload=alert(10)>",
    "{{t.admin_title}} {{{x}}} {{> admin/layout}}",
    "' OR 1=1 --",
    # Entities decode to text: the search snippet and feeds must escape it again.
    "&lt;script&gt;alert(\"b23\")&lt;/script&gt; matranxss &lt;img src=x onerror=alert(24)&gt; matranxss",
    # URL tricks that cmark's safe mode must see through.
    "[c1](JAVASCRIPT:alert(25)) [c2](javascript&#58;alert(26)) [c3](&#106;avascript:alert(27)) "
    "[c4](<javascript:alert(28)>) <javascript:alert(29)> [c5][r] [c6](vbscript:alert(30)) "
    "[c7](java\tscript:alert(31)) [c8]( javascript:alert(32))",
    "[r]: javascript:alert(33)",
    '![c9](x.png "t\" onerror=\"alert(34)") ![c10](data:text/html;base64,PHNjcmlwdD4=)',
])
TAGS = [evil_tag(11), "' OR 1=1 --", "Điện Biên thienlymaxss"]
CAPTION = evil(12)
LINK_TITLE = evil(13)
ALT = evil(14)
CREDIT = evil(15)
# A quote would end the part's quoted filename (a browser sends it as %22).
FILENAME = "'><img src=x onerror=alert(16)><svg onload=alert(16)>{{t.admin_title}}.png"
COMMENT_NAME = 'K17<script>alert("x17")</script>"><img src=x onerror=alert(17)>'
COMMENT_BODY = evil(18) + "\n<a href=\"javascript:alert(18)\">x</a>"
RENAMED_TAG = evil_tag(19)
PENDING_TITLE = evil(20)
SCHEDULED_TITLE = evil(21)

# Substrings that only appear when a payload reached a page unescaped.
DANGEROUS = [
    "<script>alert(",
    "<img src=x onerror",
    "<svg onload",
    'href="javascript:',
    "href='javascript:",
    "src=\"javascript:",
    '" onerror="',
    "</textarea><svg",
]

SQL_PAYLOADS = [
    "'", "\"", "1'", "1 OR 1=1", "1' OR '1'='1", "' OR 1=1 --", "1;DROP TABLE articles",
    "1; DROP TABLE articles;--", "1 UNION SELECT name FROM sqlite_master",
    "' UNION SELECT password_hash FROM users--", "1) OR (1=1", "%", "_", "\\",
    "99999999999999999999999", "9223372036854775808", "-1", "0", "-9223372036854775809",
    "1e3", "0x10", "abc", "1/**/OR/**/1=1", " 1", "1 ", "+1", "１",
]
# Raw (already percent-encoded) values the server must refuse before any handler.
RAW_BAD = ["%C3%28", "%FF", "%00", "1%00", "%ED%A0%80", "%C0%AF"]

MARK = "thienlymaxss"
MAIL = "rieng.tu.xss@example.vn"
# A URL attribute whose value is a script or HTML document (whitespace and
# entities as a browser would skip or decode them).
URL_ATTR_SCRIPT = re.compile(r'(?:href|src|action|srcset|poster)\s*=\s*["\']?[\s\x00-\x20]*'
                             r'(?:j|&#0*106;|&#x0*6a;)[\s\x00-\x20]*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|vbscript:|data:text/html',
                            re.I)  # a word of the hostile article, for search


# ---- pictures ------------------------------------------------------------------------

def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w=48, h=32):
    row = bytes((x * 5) % 256 if c == 0 else 90 for x in range(w) for c in range(3))
    raw = b"".join(b"\x00" + row for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))


# ---- page checks ---------------------------------------------------------------------

class ScriptFinder(html.parser.HTMLParser):
    """Every way a parsed page could run script: on* attributes, script URLs,
    scripts not from /static/ (JSON-LD must stay JSON without a raw '<'),
    embedding elements."""

    URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.ld = None

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "math"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            # Browsers drop ASCII whitespace and controls inside a URL's scheme.
            v = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in self.URL_ATTRS and (v.startswith("javascript:") or v.startswith("vbscript:")
                                           or v.startswith("data:text/html")):
                self.found.append(f"<{tag} {name}={v[:30]}>")
            if name == "style":
                self.found.append(f"<{tag} style=...>")
        if tag == "script":
            a = dict(attrs)
            src = a.get("src") or ""
            if (a.get("type") or "").lower() == "application/ld+json" and not src:
                self.ld = []
            elif not src.startswith("/static/"):
                self.found.append("<script> not from /static/")

    def handle_data(self, data):
        if self.ld is not None:
            self.ld.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.ld is not None:
            text = "".join(self.ld)
            self.ld = None
            if "<" in text:
                self.found.append("raw '<' in JSON-LD")
            try:
                json.loads(text)
            except ValueError:
                self.found.append("JSON-LD is not JSON: " + text[:60])


def assert_inert(text, where):
    for bad in DANGEROUS:
        i = text.find(bad)
        assert i < 0, f"{where}: unescaped {bad!r}: ...{text[max(0, i - 120):i + 120]}..."
    f = ScriptFinder()
    f.feed(text)
    f.close()
    assert not f.found, f"{where}: {f.found}"


def assert_admin_headers(r, where):
    assert r.all("content-security-policy") == [ADMIN_CSP], (where, r.all("content-security-policy"))
    assert r.header("cache-control") == "no-store", (where, r.header("cache-control"))
    assert r.header("x-content-type-options") == "nosniff", where
    assert r.header("x-frame-options") == "DENY", where
    assert r.header("server") is None or not re.search(r"\d", r.header("server")), where


def no_5xx(r, where):
    assert r.status < 500, (where, r.status, r.text[:300])


def forms(text):
    """action -> csrf token of every form on a page (and the preview token)."""
    out = {}
    for m in re.finditer(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', text, re.S):
        t = re.search(r'name="csrf" value="([0-9a-f]+)"', m.group(2))
        if t:
            out[html.unescape(m.group(1))] = t.group(1)
    m = re.search(r'data-preview-url="([^"]+)" data-preview-csrf="([0-9a-f]+)"', text)
    if m:
        out[m.group(1)] = m.group(2)
    return out


def snapshot(s):
    """What no attack may change: row counts and the schema."""
    with s.db() as c:
        counts = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "categories", "tags", "article_tags", "links", "media",
                            "comments", "users", "article_revisions")}
        states = c.execute("SELECT id, status, coalesce(published_at, 0), title FROM articles "
                           "ORDER BY id").fetchall()
        schema = c.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        users = c.execute("SELECT name, role, disabled FROM users ORDER BY name").fetchall()
        comments = c.execute("SELECT id, status FROM comments ORDER BY id").fetchall()
        cats = c.execute("SELECT id, name, slug, position FROM categories ORDER BY id").fetchall()
        links = c.execute("SELECT id, title, url, position FROM links ORDER BY id").fetchall()
    return counts, states, schema, users, comments, cats, links


# ---- setup ---------------------------------------------------------------------------

def login(s, name):
    return sign_in_new(s, name, PASSWORDS[name])


def post_page_form(b, page, action, fields):
    r = b.get(page)
    assert r.status == 200, (page, r.status)
    return b.post(action, dict(fields, csrf=csrf_of(r.text, action)))


def new_article(b, title, summary="", body="Đoạn một.", tags="", category=None, extra=None,
                do="save"):
    page = b.get("/admin/bai-viet/moi")
    assert page.status == 200, page.status
    if category is None:
        category = re.search(r'name="category"[^>]*><option value="">[^<]*</option><option value="(\d+)"',
                             page.text).group(1)
    form = {"csrf": csrf_of(page.text, "/admin/bai-viet/moi"), "title": title, "summary": summary,
            "body": body, "tags": tags, "category": str(category), "do": do}
    form.update(extra or {})
    r = b.post("/admin/bai-viet/moi", form)
    assert r.status == 303, (r.status, r.text[:2000])
    return int(re.match(r"/admin/bai-viet/(\d+)\?", r.header("location")).group(1))


def article_action(b, aid, name, extra=None):
    page = b.get(f"/admin/bai-viet/{aid}")
    assert page.status == 200, page.status
    if name == "dang" and 'value="publish"' in page.text:   # the editor's form saves, then publishes
        return editor_publish(b, aid, (extra or {}).get("published_at", ""))
    url = f"/admin/bai-viet/{aid}/{name}"
    return b.post(url, dict(extra or {}, csrf=csrf_of(page.text, url)))


def post_comment(s, aid, name, body, agent, email=""):
    r = s.request("POST", "/api/v1/captcha", body={"article_id": aid}, headers={"User-Agent": agent})
    assert r.status == 200, (r.status, r.body)
    c = r.json()
    r = s.request("POST", f"/api/v1/articles/{aid}/comments",
                  body={"name": name, "body": body, "email": email, "captcha_id": c["id"],
                        "captcha_answer": c["answer"]}, headers={"User-Agent": agent})
    assert r.status == 202, (r.status, r.body)
    return r.json()["id"]


def setup_module(sen):
    s = start_with_users(sen, {name: PASSWORDS[name] for name in ROLES}, ROLES,
                         env={"SEN_TEST_CAPTCHA_REVEAL": "1"}, args=TRUSTED_PROXY)
    s.b = {name: login(s, name) for name in ROLES}
    admin, editor = s.b["quantri"], s.b["bientap"]

    # An account whose display name is hostile, added through the back office.
    r = post_page_form(admin, "/admin/tai-khoan", "/admin/tai-khoan/them",
                       {"name": "xss.tacgia", "display_name": DISPLAY, "role": "author",
                        "password": PASSWORDS["xss.tacgia"], "confirm": PASSWORDS["xss.tacgia"]})
    assert r.status == 303, (r.status, r.text[:2000])
    s.b["xss.tacgia"] = login(s, "xss.tacgia")
    with s.db() as c:
        s.uid = dict(c.execute("SELECT name, id FROM users").fetchall())

    # A hostile category (its slug is derived), a hostile link.
    r = post_page_form(editor, "/admin/chuyen-muc", "/admin/chuyen-muc/them", {"name": CATEGORY, "slug": ""})
    assert r.status == 303, (r.status, r.text[:2000])
    r = post_page_form(editor, "/admin/lien-ket", "/admin/lien-ket/them",
                       {"title": LINK_TITLE, "url": "https://example.org/bao-tang?a=1&b=2"})
    assert r.status == 303, (r.status, r.text[:2000])
    with s.db() as c:
        s.cat_id, s.cat_slug = c.execute("SELECT id, slug FROM categories WHERE name = ?",
                                         (CATEGORY,)).fetchone()
        s.link_id = c.execute("SELECT id FROM links WHERE title = ?", (LINK_TITLE,)).fetchone()[0]

    # A hostile picture, uploaded by an author.
    author = s.b["tacgia"]
    page = author.get("/admin/thu-vien")
    r = author.upload("/admin/thu-vien/tai-len",
                      {"csrf": csrf_of(page.text, "/admin/thu-vien/tai-len"), "alt": ALT, "credit": CREDIT},
                      [("file", FILENAME, "image/png", png())])
    assert r.status == 303, (r.status, r.text[:2000])
    s.media_id = int(re.match(r"/admin/thu-vien/(\d+)", r.header("location")).group(1))
    s.wait_media_processed(s.media_id, 30)
    with s.db() as c:
        s.media_file = c.execute("SELECT file FROM media WHERE id = ?", (s.media_id,)).fetchone()[0]

    # The hostile article, in the hostile category, with the picture; published.
    s.aid = new_article(editor, TITLE, summary=SUMMARY, body=BODY, tags=", ".join(TAGS),
                        category=s.cat_id, extra={"image_1": s.media_file, "caption_1": CAPTION})
    # A second version, so there is something to compare.
    page = editor.get(f"/admin/bai-viet/{s.aid}").text
    form = {"csrf": csrf_of(page, f"/admin/bai-viet/{s.aid}"), "title": TITLE, "summary": SUMMARY,
            "body": BODY + "\n\n" + evil(22), "tags": ", ".join(TAGS), "category": str(s.cat_id),
            "image_1": s.media_file, "caption_1": CAPTION, "do": "save"}
    r = editor.post(f"/admin/bai-viet/{s.aid}", form)
    assert r.status == 303, (r.status, r.text[:2000])
    r = article_action(editor, s.aid, "dang", {"published_at": ""})
    assert r.status == 303, (r.status, r.text[:2000])
    # A tag renamed to a payload.
    with s.db() as c:
        tid = c.execute("SELECT t.id FROM tags t JOIN article_tags x ON x.tag_id = t.id "
                        "WHERE x.article_id = ? AND t.name LIKE 'Điện Biên%'", (s.aid,)).fetchone()[0]
    r = post_page_form(editor, f"/admin/the/{tid}/sua", f"/admin/the/{tid}/sua", {"name": RENAMED_TAG})
    assert r.status == 303, (r.status, r.text[:2000])
    s.tag_id = tid

    # One article waiting for review by the hostile account, one scheduled.
    s.pending_aid = new_article(s.b["xss.tacgia"], PENDING_TITLE, summary=SUMMARY, body=BODY,
                                tags=TAGS[0], do="submit")
    s.scheduled_aid = new_article(editor, SCHEDULED_TITLE, body="Hẹn giờ.")
    later = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 7 * 3600 + 86400))
    r = article_action(editor, s.scheduled_aid, "dang", {"published_at": later})
    assert r.status == 303, (r.status, r.text[:1000])
    # Private drafts of two authors (must never leak into each other's lists).
    s.own_aid = new_article(author, "Bài riêng của tác giả một TACGIA-MOT")
    # The other author's private draft shows the hostile picture too (its title must
    # not reach the first author through the picture's page).
    s.other_aid = new_article(s.b["tacgiahai"], "Bài bí mật của tác giả hai SECRET-HAI",
                              extra={"image_1": s.media_file, "caption_1": "Chú thích bí mật SECRET-CAP"})
    # A second version of the author's draft, so its versions page has a restore form.
    page = author.get(f"/admin/bai-viet/{s.own_aid}").text
    r = author.post(f"/admin/bai-viet/{s.own_aid}", {
        "csrf": csrf_of(page, f"/admin/bai-viet/{s.own_aid}"), "title": "Bài riêng của tác giả một TACGIA-MOT",
        "summary": "", "body": "Đoạn một, sửa lần hai.", "tags": "", "category": "1", "do": "save"})
    assert r.status == 303, (r.status, r.text[:1000])

    # Comments from the public site: pending, approved and spam.
    s.comments = [post_comment(s, s.aid, COMMENT_NAME, COMMENT_BODY, f"sen-attack-admin/{i}")
                  for i in range(3)]
    # One with an e-mail address, approved: editors see the address, the public never.
    s.mail_comment = post_comment(s, s.aid, "Người đọc có thư", "Có địa chỉ thư.", "sen-attack-admin/mail",
                                  email=MAIL)
    page = s.b["kiemduyet"].get("/admin/binh-luan").text
    for cid, verb in ((s.comments[1], "duyet"), (s.comments[2], "thu-rac"), (s.mail_comment, "duyet")):
        url = f"/admin/binh-luan/{cid}/{verb}"
        r = s.b["kiemduyet"].post(url, {"csrf": csrf_of(page, url)})
        assert r.status == 303, (r.status, r.text[:500])
    # A rating and a few views, so the article is in the statistics.
    s.request("POST", f"/api/v1/articles/{s.aid}/rating", body={"stars": 5},
              headers={"User-Agent": "sen-attack-admin/rater"})
    with s.db() as c:
        s.public_path = "/{}/{}-{}".format(*c.execute(
            "SELECT c.slug, a.slug, a.id FROM articles a JOIN categories c ON c.id = a.category_id "
            "WHERE a.id = ?", (s.aid,)).fetchone())
    s.get(s.public_path, headers={"User-Agent": "sen-attack-admin/reader"})
    time.sleep(1.1)  # past the page cache and the view flusher
    s.before = snapshot(s)
    return s


def teardown_module(s):
    s.close()


# ---- helpers for the tests -------------------------------------------------------------

def esc(text):
    """text as the templates write it."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def fetch(b, path, where=None, status=(200,)):
    r = b.get(path)
    where = where or path
    no_5xx(r, where)
    assert r.status in status, (where, r.status, r.text[:500])
    assert_admin_headers(r, where)
    assert_inert(r.text, where)
    return r


def revisions(b, aid):
    page = b.get(f"/admin/bai-viet/{aid}/phien-ban").text
    return [int(x) for x in re.findall(r'name="a" value="(\d+)"', page)]


def admin_pages(s):
    """Every GET page of the back office that can show what setup planted."""
    revs = revisions(s.b["quantri"], s.aid)
    assert len(revs) >= 2, revs
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))
    xss_uid = s.uid["xss.tacgia"]
    pages = [
        "/admin", "/admin/bai-viet", "/admin/bai-viet?q=X3", "/admin/bai-viet?trang-thai=cho-duyet",
        "/admin/bai-viet?trang-thai=hen-gio", "/admin/bai-viet?trang-thai=da-dang",
        f"/admin/bai-viet?chuyen-muc={s.cat_id}", f"/admin/bai-viet?tac-gia={xss_uid}",
        "/admin/duyet-bai", "/admin/bai-viet/moi", f"/admin/bai-viet/{s.aid}",
        f"/admin/bai-viet/{s.pending_aid}", f"/admin/bai-viet/{s.scheduled_aid}",
        f"/admin/bai-viet/{s.aid}/phien-ban",
        f"/admin/bai-viet/{s.aid}/phien-ban/so-sanh?a={revs[-1]}&b={revs[0]}",
        f"/admin/bai-viet/{s.aid}/phien-ban/so-sanh?a={revs[0]}&b={revs[-1]}",
        "/admin/thu-vien", "/admin/thu-vien?q=X14", "/admin/thu-vien?loai=png",
        f"/admin/thu-vien?tu={today}&den={today}", f"/admin/thu-vien/{s.media_id}",
        "/admin/binh-luan", "/admin/binh-luan?trang-thai=cho-duyet", "/admin/binh-luan?trang-thai=da-duyet",
        "/admin/binh-luan?trang-thai=thu-rac", "/admin/binh-luan?trang-thai=tu-choi",
        "/admin/chuyen-muc", f"/admin/chuyen-muc/{s.cat_id}/sua",
        "/admin/the", "/admin/the?q=T19", "/admin/the?q=T11", f"/admin/the/{s.tag_id}/sua",
        "/admin/lien-ket", f"/admin/lien-ket/{s.link_id}/sua",
        "/admin/thong-ke", "/admin/tai-khoan", "/admin/mat-khau",
        "/admin/nhat-ky", f"/admin/nhat-ky?user={xss_uid}", f"/admin/nhat-ky?from={today}&to={today}",
    ]
    pages += [f"/admin/nhat-ky?action={a}" for a in (
        "category_change", "tag_change", "link_change", "media_upload", "article_create",
        "article_publish", "article_schedule", "article_submit", "user_add", "comment_moderate",
        "login")]
    return pages


# ---- 1. stored XSS -------------------------------------------------------------------------

def test_attacks_admin_stored_xss_admin_pages(s):
    admin = s.b["quantri"]
    seen = {}
    for path in admin_pages(s):
        seen[path] = fetch(admin, path).text
    # The payloads are shown (escaped), not dropped: else the checks above prove nothing.
    expect = {
        "/admin/bai-viet": ["X3 &lt;script&gt;alert(&quot;x3&quot;)", "X20 &lt;script&gt;", "X21 &lt;script&gt;"],
        "/admin/duyet-bai": ["X20 &lt;script&gt;", "X21 &lt;script&gt;"],
        f"/admin/bai-viet/{s.aid}": [esc(TITLE), esc(SUMMARY) + "</textarea>", esc(BODY + "\n\n" + evil(22)),
                                     esc(CAPTION), "C2&lt;script&gt;alert(&quot;x2&quot;)",
                                     "T11&quot;&gt;&lt;svg onload=alert(11)&gt;", "T19&quot;&gt;&lt;svg"],
        f"/admin/bai-viet/{s.pending_aid}": [esc(PENDING_TITLE)],
        f"/admin/thu-vien/{s.media_id}": [esc(ALT), esc(CREDIT), esc(FILENAME), "X3 &lt;script&gt;"],
        "/admin/thu-vien": [esc(ALT), esc(CREDIT)],
        "/admin/binh-luan": [esc(COMMENT_NAME), "X18 &lt;script&gt;alert(&quot;x18&quot;)"],
        "/admin/binh-luan?trang-thai=da-duyet": [esc(COMMENT_NAME)],
        "/admin/binh-luan?trang-thai=thu-rac": [esc(COMMENT_NAME)],
        "/admin/chuyen-muc": [esc(CATEGORY)],
        f"/admin/chuyen-muc/{s.cat_id}/sua": [esc(CATEGORY)],
        "/admin/the": [esc(RENAMED_TAG)],
        f"/admin/the/{s.tag_id}/sua": [esc(RENAMED_TAG)],
        "/admin/lien-ket": [esc(LINK_TITLE)],
        f"/admin/lien-ket/{s.link_id}/sua": [esc(LINK_TITLE)],
        "/admin/tai-khoan": [esc(DISPLAY)],
        "/admin/nhat-ky?action=category_change": ["C2&lt;script&gt;"],
        "/admin/nhat-ky?action=link_change": ["X13 &lt;script&gt;"],
        "/admin/nhat-ky?action=tag_change": ["T19&quot;&gt;&lt;svg"],
        "/admin/nhat-ky?action=media_upload": ["&lt;img src=x onerror=alert(16)&gt;"],
        "/admin/nhat-ky?action=article_create": ["X3 &lt;script&gt;"],
    }
    for path, needles in expect.items():
        for n in needles:
            assert n in seen[path], f"{path}: {n!r} is not shown"
    # Template syntax typed by people is text, never a template.
    for path in ("/admin/bai-viet", f"/admin/bai-viet/{s.aid}", "/admin/chuyen-muc", "/admin/the",
                 "/admin/lien-ket", f"/admin/thu-vien/{s.media_id}", "/admin/binh-luan", "/admin/tai-khoan"):
        assert "{{t.admin_title}}" in seen[path], path
    # The revision comparison shows the added line, escaped.
    cmp_page = [t for p, t in seen.items() if "so-sanh" in p][0]
    assert "X22 &lt;script&gt;alert(&quot;x22&quot;)" in cmp_page
    # The hostile account sees its own name in the header, escaped.
    mine = fetch(s.b["xss.tacgia"], "/admin")
    assert esc(DISPLAY) in mine.text
    fetch(s.b["xss.tacgia"], "/admin/bai-viet")
    # The statistics page (rating and views of the hostile article, SVG charts).
    stats = seen["/admin/thong-ke"]
    assert "X3 &lt;script&gt;" in stats, "the hostile article is not in the statistics"


def test_attacks_admin_stored_xss_preview_and_refused_forms(s):
    """Forms re-shown after a refusal, and the preview, show what was typed inertly."""
    editor, author = s.b["bientap"], s.b["tacgia"]
    page = editor.get("/admin/bai-viet/moi").text
    tokens = forms(page)
    # The preview endpoint: raw HTML dropped, dangerous links emptied.
    r = editor.post("/admin/bai-viet/xem-truoc", {"csrf": tokens["/admin/bai-viet/xem-truoc"], "body": BODY})
    assert r.status == 200, r.status
    assert_admin_headers(r, "preview")
    assert_inert(r.text, "preview")
    assert not URL_ATTR_SCRIPT.search(r.text) and "Mở đầu" in r.text
    assert r.text.count('<a href="">') >= 10, "the dangerous links were not emptied"
    # The no-script preview and a refused save re-show every field.
    base = {"csrf": tokens["/admin/bai-viet/moi"], "title": TITLE, "summary": SUMMARY, "body": BODY,
            "tags": ", ".join(TAGS), "category": str(s.cat_id), "image_1": s.media_file,
            "caption_1": CAPTION}
    for change, status in (({"do": "preview"}, 200), ({"do": "save", "title": " "}, 400),
                           ({"do": "save", "category": '"><script>alert("x30")</script>'}, 400),
                           ({"do": "save", "image_2": '"><svg onload=alert(31)>.png'}, 400),
                           ({"do": "save", "tags": ",".join(f"<svg onload=alert({i})>" for i in range(25))}, 400)):
        r = editor.post("/admin/bai-viet/moi", dict(base, **change))
        assert r.status == status, (change, r.status, r.text[:800])
        assert_admin_headers(r, change)
        assert_inert(r.text, f"editor re-shown {change}")
        assert esc(SUMMARY) + "</textarea>" in r.text
    # A publication time that is not one comes back escaped.
    aid = s.own_aid
    r = article_action(editor, aid, "dang", {"published_at": '"><script>alert("x32")</script>'})
    assert r.status == 400, r.status
    assert_inert(r.text, "publish refused")
    # Taxonomy forms.
    cases = [
        ("/admin/chuyen-muc", "/admin/chuyen-muc/them", {"name": CATEGORY, "slug": '"><svg onload=alert(33)>'}),
        ("/admin/chuyen-muc", "/admin/chuyen-muc/them", {"name": "x" * 121 + "<script>alert(1)</script>", "slug": ""}),
        (f"/admin/chuyen-muc/{s.cat_id}/sua", f"/admin/chuyen-muc/{s.cat_id}/sua",
         {"name": " ", "slug": "</textarea><svg onload=alert(34)>"}),
        ("/admin/chuyen-muc", "/admin/chuyen-muc/thu-tu", {"order": '1,"><svg onload=alert(35)>'}),
        ("/admin/lien-ket", "/admin/lien-ket/them", {"title": LINK_TITLE, "url": "javascript:alert(1)"}),
        ("/admin/lien-ket", "/admin/lien-ket/them", {"title": LINK_TITLE, "url": 'https://a.vn/"><svg onload=alert(36)>'}),
        (f"/admin/lien-ket/{s.link_id}/sua", f"/admin/lien-ket/{s.link_id}/sua",
         {"title": " ", "url": "JaVaScRiPt:alert(document.cookie)"}),
        (f"/admin/the/{s.tag_id}/sua", f"/admin/the/{s.tag_id}/sua", {"name": "<svg onload=alert(37)>" * 4}),
        (f"/admin/the/{s.tag_id}/sua", f"/admin/the/{s.tag_id}/gop", {"into": '"><script>alert("x38")</script>'}),
        (f"/admin/thu-vien/{s.media_id}", f"/admin/thu-vien/{s.media_id}/sua", {"alt": " ", "credit": CREDIT}),
    ]
    for page_path, action, fields in cases:
        r = post_page_form(editor, page_path, action, fields)
        assert r.status in (400, 409), (action, fields, r.status)
        assert_admin_headers(r, action)
        assert_inert(r.text, f"{action} re-shown")
    # A refused upload keeps the typed text, inert.
    page = author.get("/admin/thu-vien").text
    r = author.upload("/admin/thu-vien/tai-len", {"csrf": csrf_of(page, "/admin/thu-vien/tai-len"),
                                                  "alt": ALT, "credit": CREDIT},
                      [("file", FILENAME, "image/svg+xml", b'<svg onload="alert(39)"></svg>')])
    assert r.status == 400, r.status
    assert_inert(r.text, "upload refused")
    r = author.upload("/admin/thu-vien/tai-len", {"csrf": csrf_of(page, "/admin/thu-vien/tai-len"),
                                                  "alt": ALT, "credit": CREDIT},
                      [("file", FILENAME, "image/png", png() + b"<script>alert(40)</script>")],
                      headers={"Accept": "application/json"})
    assert r.status == 400 and r.header("content-type").startswith("application/json"), r.headers
    assert r.header("x-content-type-options") == "nosniff"
    # Comment moderation: an unknown action and tab, hostile.
    mod = s.b["kiemduyet"]
    page = mod.get("/admin/binh-luan").text
    r = mod.post("/admin/binh-luan/hang-loat", [("csrf", csrf_of(page, "/admin/binh-luan/hang-loat")),
                                                ("action", '"><script>alert("x41")</script>'),
                                                ("tab", '"><svg onload=alert(42)>'),
                                                ("id", str(s.comments[0]))])
    assert r.status == 400, r.status
    assert_inert(r.text, "bulk refused")
    # An account whose fields are refused.
    admin = s.b["quantri"]
    r = post_page_form(admin, "/admin/tai-khoan", "/admin/tai-khoan/them",
                       {"name": '"><script>alert("x43")</script>', "display_name": DISPLAY,
                        "role": '"><svg onload=alert(44)>', "password": "x", "confirm": "y"})
    assert r.status == 400, r.status
    assert_inert(r.text, "account refused")
    # Nothing of this was stored.
    assert snapshot(s)[0] == s.before[0]


def public_get(s, path):
    r = s.get(path, headers={"User-Agent": "sen-attack-admin/public"})
    assert r.status == 200, (path, r.status)
    assert r.header("x-content-type-options") == "nosniff", path
    return r


def test_attacks_admin_stored_xss_public_pages(s):
    pages = {"home": "/", "category": "/" + s.cat_slug, "article": s.public_path,
             "print": s.public_path + "/in", "search": f"/tim-kiem?q={MARK}",
             "search by title": "/tim-kiem?q=X3", "search entities": "/tim-kiem?q=matranxss"}
    seen = {}
    for where, path in pages.items():
        r = public_get(s, path)
        assert (r.header("content-type") or "").startswith("text/html"), path
        assert_inert(r.text, where)
        seen[where] = r.text
    art = seen["article"]
    for needle in ("X3 &lt;script&gt;alert(&quot;x3&quot;)", "X4 &lt;script&gt;", "X12 &lt;script&gt;",
                   "C2&lt;script&gt;", "T11&quot;&gt;&lt;svg", "T19&quot;&gt;&lt;svg",
                   esc(COMMENT_NAME), "X18 &lt;script&gt;", "{{t.admin_title}}", "Mở đầu thienlymaxss"):
        assert needle in art, f"article page: {needle!r} missing"
    body = art[art.find('class="article-body"'):]
    assert not URL_ATTR_SCRIPT.search(body[:body.find("</div>")])
    # The pending and the spam comment are not public; the approved one is.
    assert art.count(esc(COMMENT_NAME)) == 1
    assert "X3 &lt;script&gt;" in seen["home"] and "C2&lt;script&gt;" in seen["category"]
    assert "X13 &lt;script&gt;" in seen["home"], "the hostile link title is in the links block"
    # Search results: title and snippet are raw HTML built by the search code.
    assert "&lt;script&gt;alert(&quot;x3&quot;)" in seen["search"], "the hit is not in the search page"
    assert "&lt;script&gt;alert(&quot;" in seen["search by title"] and "<mark>" in seen["search by title"]
    assert "&lt;script&gt;alert(&quot;b23&quot;)" in seen["search entities"], "the snippet is not shown"
    # Pending and scheduled articles are nowhere public.
    for text in seen.values():
        assert "X20 " not in text and "X21 " not in text
    # Feeds and sitemap: well-formed XML, the title as plain text, embedded HTML inert.
    for path in ("/rss.xml", "/atom.xml", f"/{s.cat_slug}/rss.xml", f"/{s.cat_slug}/atom.xml", "/sitemap.xml"):
        r = public_get(s, path)
        root = ET.fromstring(r.body)
        texts = [e.text or "" for e in root.iter()]
        if "sitemap" in path:
            assert any(s.public_path in t for t in texts), path
            continue
        assert TITLE in texts, f"{path}: the title is not there as text"
        for e in root.iter():
            tag = e.tag.rsplit("}", 1)[-1]
            if tag in ("content", "encoded") and e.text and e.get("type", "html") in ("html", "xhtml"):
                assert_inert(e.text, f"{path} <{tag}>")
            # RSS readers show <description> as HTML: plain text must be escaped twice.
            if tag == "description" and e.text:
                assert_inert(e.text, f"{path} <description>")
                assert "<script" not in e.text and "<svg" not in e.text, (path, e.text[:200])
        assert b"X20 " not in r.body and b"X21 " not in r.body
    # JSON: the data as typed, served as JSON with nosniff; the body HTML safe.
    r = public_get(s, f"/api/v1/articles/{s.aid}")
    assert r.header("content-type") == "application/json; charset=utf-8"
    j = r.json()
    assert j["title"] == TITLE and j["summary"] == SUMMARY and j["category_name"] == CATEGORY
    assert_inert(j["body_html"], "API body_html")
    assert not URL_ATTR_SCRIPT.search(j["body_html"])
    r = public_get(s, "/api/v1/articles?category=" + s.cat_slug)
    assert [i["title"] for i in r.json()["items"]] == [TITLE]
    r = public_get(s, f"/api/v1/search?q={MARK}")
    assert r.header("content-type") == "application/json; charset=utf-8"
    # The picture: its alt and credit reach the article page escaped.
    assert "X14 &lt;script&gt;" in art or "X15 &lt;script&gt;" in art


REFLECT = '"><script>alert("r1")</script><svg onload=alert(2)>\'{{t.admin_title}}'
PARAMS = ("q", "trang", "trang-thai", "chuyen-muc", "tac-gia", "loai", "tu", "den", "sau", "truoc",
          "user", "action", "from", "to", "a", "b", "ok", "loi", "n", "next", "tu-choi")


def test_attacks_admin_reflected_xss(s):
    q = urllib.parse.quote(REFLECT, safe="")
    # All at once (a shorter payload, to stay under the 2,048-byte target limit).
    query = "&".join(f"{p}=" + urllib.parse.quote('"><svg onload=alert(3)>', safe="") for p in PARAMS)
    revs = revisions(s.b["quantri"], s.aid)
    lists = ["/admin", "/admin/bai-viet", "/admin/duyet-bai", "/admin/bai-viet/moi", f"/admin/bai-viet/{s.aid}",
             f"/admin/bai-viet/{s.aid}/phien-ban", f"/admin/bai-viet/{s.aid}/phien-ban/so-sanh",
             "/admin/thu-vien", f"/admin/thu-vien/{s.media_id}", "/admin/binh-luan", "/admin/chuyen-muc",
             f"/admin/chuyen-muc/{s.cat_id}/sua", "/admin/the", f"/admin/the/{s.tag_id}/sua",
             "/admin/lien-ket", f"/admin/lien-ket/{s.link_id}/sua", "/admin/thong-ke", "/admin/tai-khoan",
             "/admin/nhat-ky", "/admin/mat-khau"]
    admin = s.b["quantri"]
    for path in lists:
        fetch(admin, f"{path}?{query}", status=(200, 400, 404))
        for p in PARAMS:  # one at a time too: a bad filter must not hide another's echo
            fetch(admin, f"{path}?{p}={q}", status=(200, 400, 404))
    fetch(admin, f"/admin/bai-viet/{s.aid}/phien-ban/so-sanh?a={revs[0]}&b={q}", status=(400, 404))
    # Notices after a change, with what the query claims around them.
    for path in ("/admin/binh-luan?ok=approve&n={q}", "/admin/binh-luan?trang-thai={q}&ok=delete&n=1{q}",
                 "/admin/bai-viet?ok=xoa&q={q}", f"/admin/bai-viet/{s.aid}?ok=luu&loi={{q}}",
                 f"/admin/bai-viet/{s.aid}?loi=xac-nhan&ok={{q}}", f"/admin/thu-vien/{s.media_id}?ok=tai-len&n={{q}}",
                 "/admin/chuyen-muc?ok=them&n={q}", "/admin/the?ok=gop&q={q}", "/admin/lien-ket?ok=sua&n={q}",
                 "/admin/tai-khoan?ok=them&n={q}", "/admin/mat-khau?ok=1&n={q}", "/admin/duyet-bai?ok=dang&n={q}"):
        fetch(admin, path.format(q=q), status=(200, 400))
    # Ids in the path.
    for path in (f"/admin/bai-viet/{q}", f"/admin/bai-viet/{q}/phien-ban", f"/admin/bai-viet/{s.aid}/{q}",
                 f"/admin/bai-viet/{s.aid}/phien-ban/{q}/khoi-phuc", f"/admin/thu-vien/{q}",
                 f"/admin/chuyen-muc/{q}/sua", f"/admin/the/{q}/sua", f"/admin/lien-ket/{q}/sua",
                 f"/admin/binh-luan/{q}/duyet", f"/admin/tai-khoan/{q}/khoa", f"/admin/{q}", f"/admin/{q}/{q}"):
        r = admin.get(path)
        assert r.status in (400, 404, 405), (path, r.status)
        assert_admin_headers(r, path)
        assert_inert(r.text, path)
        assert REFLECT not in r.text and "alert(&quot;r1&quot;)" not in r.text.split("</header>", 1)[-1] \
            or r.status == 404
    # The language switch sets a cookie: never with the text sent.
    r = admin.get(f"/admin?lang={q}")
    for c in r.all("set-cookie"):
        assert "<" not in c and '"' not in c and "\r" not in c, c
    # Without a session: the redirect to the login page carries the target encoded,
    # and the login page shows `next` only when it is a back-office path.
    anon = Browser(s)
    r = anon.get(f"/admin/bai-viet?q={q}")
    assert r.status == 303, r.status
    assert_admin_headers(r, "redirect to login")
    loc = r.header("location")
    assert loc.startswith("/admin/dang-nhap?next=") and not re.search(r'[<>"\'\s]', loc), loc
    page = anon.get(loc)
    assert page.status == 200
    assert_inert(page.text, "login page after redirect")
    for nxt in (q, "%2Fadmin%2F" + q, "javascript%3Aalert(1)", "%2F%2Fevil.example", "%2Fadmin%0d%0aX:%20y",
                "%2Fadmin%2F..%2F..%2F%3Cscript%3E"):
        r = anon.get(f"/admin/dang-nhap?next={nxt}")
        assert r.status in (200, 400), (nxt, r.status)
        assert_admin_headers(r, "login ?next=")
        assert_inert(r.text, f"login ?next={nxt}")
        m = re.search(r'name="next" value="([^"]*)"', r.text)
        assert m is None or re.fullmatch(r"/admin[A-Za-z0-9\-._~/%?=&;]*", m.group(1)), m.group(1)
    # A stale cookie: 401 with the login form, next taken from the raw target.
    r = anon.get(f"/admin/bai-viet?q={q}", cookies={"sen_session": "ab" * 32})
    assert r.status == 401
    assert_inert(r.text, "401 login page")
    # A refused login re-shows the name typed.
    page = anon.get("/admin/dang-nhap").text
    r = anon.post("/admin/dang-nhap", {"csrf": csrf_of(page, "/admin/dang-nhap"), "name": REFLECT,
                                       "password": REFLECT, "next": REFLECT})
    assert r.status in (400, 401), r.status
    assert_inert(r.text, "refused login")
    assert "alert(2)" not in r.text or "&lt;svg onload=alert(2)&gt;" in r.text


def test_attacks_admin_unpublished_never_public(s):
    """Drafts, articles waiting for review and scheduled ones, found by id, slug or
    word: nowhere on the public site."""
    with s.db() as c:
        rows = c.execute("SELECT a.id, c.slug, a.slug FROM articles a JOIN categories c ON c.id = a.category_id "
                         "WHERE a.id IN (?, ?, ?, ?)",
                         (s.pending_aid, s.scheduled_aid, s.own_aid, s.other_aid)).fetchall()
    assert len(rows) == 4
    for aid, cat, slug in rows:
        for path in (f"/{cat}/{slug}-{aid}", f"/{cat}/{slug}-{aid}/in", f"/{cat}/x-{aid}",
                     f"/api/v1/articles/{aid}", f"/{cat}/{slug}-{aid}?preview=1"):
            r = s.get(path, headers={"User-Agent": "sen-attack-admin/public"})
            assert r.status in (301, 404), (path, r.status)
            assert b"SECRET-HAI" not in r.body and b"X20 " not in r.body and b"X21 " not in r.body
            if r.status == 301:
                assert s.get(r.header("location").replace("http://127.0.0.1:8080", "")).status == 404
    for q in ("SECRET-HAI", "X20", "X21", "TACGIA-MOT"):
        r = s.get(f"/tim-kiem?q={q}")
        assert r.status == 200 and 'class="search-hit"' not in r.text, q
        r = s.get(f"/api/v1/search?q={q}")
        assert r.status == 200 and r.json()["items"] == [], (q, r.text[:300])
    # The same searches do find the published article (the checks above can fail).
    assert s.get("/api/v1/search?q=X3").json()["items"][0]["id"] == s.aid
    # A multipart body is only read for the upload URL: anywhere else it is 415.
    editor = s.b["bientap"]
    token = csrf_of(editor.get("/admin/chuyen-muc").text, "/admin/chuyen-muc/them")
    r = editor.upload("/admin/chuyen-muc/them", {"csrf": token, "name": "Qua multipart", "slug": ""},
                      [("file", "a.png", "image/png", png())])
    assert r.status == 415, r.status
    assert snapshot(s) == s.before


# ---- 2. SQL injection ------------------------------------------------------------------------

def leak_words(text, payload=""):
    """Database internals in a page (the payload itself, echoed back, aside)."""
    for form in (payload, esc(payload), urllib.parse.quote(payload, safe=""), urllib.parse.quote(payload)):
        if form:
            text = text.replace(form, "")
    low = text.lower()
    return [w for w in ("sqlite", "syntax error", "sql logic", "no such column", "unrecognized token",
                        "no such table", "argon2id$") if w in low]


def test_attacks_admin_sql_injection_get(s):
    admin, author = s.b["quantri"], s.b["tacgia"]
    revs = revisions(admin, s.aid)
    seen = set()
    own = {str(s.own_aid)}
    for p in SQL_PAYLOADS:
        q = urllib.parse.quote(p, safe="")
        paths = [
            f"/admin/bai-viet?q={q}", f"/admin/bai-viet?trang-thai={q}", f"/admin/bai-viet?chuyen-muc={q}",
            f"/admin/bai-viet?tac-gia={q}", f"/admin/bai-viet?trang={q}", f"/admin/bai-viet/{q}",
            f"/admin/bai-viet/{q}/phien-ban", f"/admin/bai-viet/{s.aid}/phien-ban/so-sanh?a={q}&b={revs[0]}",
            f"/admin/bai-viet/{s.aid}/phien-ban/so-sanh?a={revs[0]}&b={q}",
            f"/admin/thu-vien?q={q}", f"/admin/thu-vien?loai={q}", f"/admin/thu-vien?tu={q}",
            f"/admin/thu-vien?den={q}", f"/admin/thu-vien?sau={q}", f"/admin/thu-vien/{q}",
            f"/admin/binh-luan?trang-thai={q}", f"/admin/binh-luan?truoc={q}",
            f"/admin/chuyen-muc/{q}/sua", f"/admin/the?q={q}", f"/admin/the?trang={q}", f"/admin/the/{q}/sua",
            f"/admin/lien-ket/{q}/sua", f"/admin/nhat-ky?user={q}", f"/admin/nhat-ky?action={q}",
            f"/admin/nhat-ky?from={q}", f"/admin/nhat-ky?to={q}", f"/admin/nhat-ky?truoc={q}",
        ]
        for path in paths:
            r = admin.get(path)
            seen.add(r.status)
            no_5xx(r, path)
            assert r.status in (200, 400, 404), (path, r.status)
            assert not leak_words(r.text, p), (path, leak_words(r.text, p))
        # An author's list shows the author's own articles, whatever is injected.
        for name in ("q", "trang-thai", "chuyen-muc", "tac-gia", "trang"):
            for extra in ("", f"&tac-gia={s.uid['tacgiahai']}"):
                path = f"/admin/bai-viet?{name}={q}{extra}"
                r = author.get(path)
                no_5xx(r, path)
                ids = set(re.findall(r'href="/admin/bai-viet/(\d+)"', r.text))
                assert ids <= own, (path, ids)
                assert "SECRET-HAI" not in r.text and "X3 " not in r.text, path
        for path in (f"/admin/bai-viet?tac-gia={s.uid['tacgiahai']}&tac-gia={q}",
                     f"/admin/bai-viet?tac-gia={q}&tac-gia={s.uid['tacgiahai']}&q=SECRET",
                     f"/admin/bai-viet?tac-gia%5B%5D={s.uid['tacgiahai']}&q={q}"):
            r = author.get(path)
            no_5xx(r, path)
            assert set(re.findall(r'href="/admin/bai-viet/(\d+)"', r.text)) <= own, path
            assert "SECRET-HAI" not in r.text.replace("q=SECRET", "").replace('value="SECRET"', ""), path
        for path in (f"/admin/bai-viet/{s.other_aid}{q}", f"/admin/bai-viet/{q}{s.other_aid}"):
            r = author.get(path)
            assert r.status in (400, 404), (path, r.status)
            assert "SECRET-HAI" not in r.text
    # Bytes the server refuses before any handler (malformed UTF-8, NUL).
    for raw in RAW_BAD:
        for path in (f"/admin/bai-viet?q={raw}", f"/admin/bai-viet/{raw}", f"/admin/thu-vien?q={raw}",
                     f"/admin/the?q={raw}", f"/admin/nhat-ky?action={raw}", f"/admin/chuyen-muc/{raw}/sua",
                     f"/admin/binh-luan?truoc={raw}"):
            r = admin.get(path)
            assert r.status in (400, 404), (path, r.status)
            # Answered by the server before routing (the target does not decode),
            # still with the back office's headers, and nothing echoed.
            assert_admin_headers(r, path)
            assert "%C3" not in r.text and "q=" not in r.text, path
    assert seen <= {200, 400, 404}, seen
    # The author's list really lists the author's article (the check is not vacuous).
    assert str(s.own_aid) in set(re.findall(r'href="/admin/bai-viet/(\d+)"', author.get("/admin/bai-viet").text))
    assert snapshot(s) == s.before, "the database changed under SQL injection"


def pattern_of(url):
    """/admin/bai-viet/12/phien-ban/5/khoi-phuc -> /admin/bai-viet/:id/phien-ban/:rev/khoi-phuc"""
    out, n = [], 0
    for seg in url.split("?")[0].split("/"):
        if seg.isdigit():
            out.append(":id" if n == 0 else ":rev")
            n += 1
        else:
            out.append(seg)
    return "/".join(out)


def tokens_of(b, pages):
    """pattern -> (example url, token) from the forms of pages."""
    out = {}
    for path in pages:
        r = b.get(path)
        assert r.status == 200, (path, r.status)
        for action, token in forms(r.text).items():
            out.setdefault(pattern_of(action), (action, token))
    return out


def editor_tokens(s, b):
    with s.db() as c:
        unused = c.execute("SELECT id FROM media WHERE id NOT IN (SELECT image_id FROM articles WHERE image_id "
                           "IS NOT NULL) AND id NOT IN (SELECT media_id FROM article_images) "
                           "ORDER BY id LIMIT 1").fetchone()
    pages = ["/admin", "/admin/bai-viet/moi", f"/admin/bai-viet/{s.aid}", f"/admin/bai-viet/{s.own_aid}",
             f"/admin/bai-viet/{s.pending_aid}", f"/admin/bai-viet/{s.aid}/phien-ban", "/admin/duyet-bai",
             "/admin/chuyen-muc", f"/admin/chuyen-muc/{s.cat_id}/sua", f"/admin/the/{s.tag_id}/sua",
             "/admin/lien-ket", f"/admin/lien-ket/{s.link_id}/sua", "/admin/thu-vien",
             f"/admin/thu-vien/{s.media_id}", "/admin/binh-luan", "/admin/mat-khau"]
    if unused:
        pages.append(f"/admin/thu-vien/{unused[0]}")
    return tokens_of(b, pages)


def with_id(pattern, value):
    return pattern.replace(":id", value).replace(":rev", value)


def test_attacks_admin_sql_injection_post(s):
    editor = s.b["bientap"]
    toks = editor_tokens(s, editor)
    id_patterns = [p for p in toks if ":id" in p]
    assert len(id_patterns) >= 15, sorted(toks)
    for p in SQL_PAYLOADS:
        q = urllib.parse.quote(p, safe="")
        fields = {"title": p, "name": p, "slug": p, "url": p, "order": p, "into": p, "alt": p, "credit": p,
                  "published_at": p, "summary": p, "body": p, "category": p, "tags": p, "xac-nhan": "1",
                  "action": "delete", "tab": p, "id": p}
        for pattern in id_patterns:
            url = with_id(pattern, q)
            r = editor.post(url, dict(fields, csrf=toks[pattern][1]))
            no_5xx(r, url)
            assert r.status in (400, 404), (url, r.status, r.text[:300])
            assert not leak_words(r.text, p), url
        # Lists and ids inside the form fields of real forms.
        for pattern, extra in (("/admin/chuyen-muc/thu-tu", {"order": p}),
                               ("/admin/lien-ket/thu-tu", {"order": p}),
                               ("/admin/binh-luan/hang-loat", {"action": "delete", "id": p, "tab": p}),
                               ("/admin/chuyen-muc/them", {"name": "", "slug": p}),
                               ("/admin/bai-viet/moi", {"title": "", "category": p, "body": p})):
            r = editor.post(pattern, dict(extra, csrf=toks[pattern][1]))
            no_5xx(r, pattern)
            assert r.status in (400, 409), (pattern, p, r.status)
            assert not leak_words(r.text, p), pattern
        r = editor.post(f"/admin/bai-viet/{s.own_aid}/dang",
                        {"csrf": toks["/admin/bai-viet/:id/dang"][1], "published_at": p})
        assert r.status == 400, (p, r.status)
    # Malformed UTF-8 and NUL in a form body: refused before the handler.
    for raw in (b"csrf=" + toks["/admin/chuyen-muc/them"][1].encode() + b"&name=%C3%28",
                b"csrf=" + toks["/admin/chuyen-muc/them"][1].encode() + b"&name=a%00b"):
        r = editor.request("POST", "/admin/chuyen-muc/them", body=raw,
                           content_type="application/x-www-form-urlencoded")
        assert r.status in (400, 403), r.status
    assert snapshot(s) == s.before, "the database changed under SQL injection"


# ---- 3. authorization ---------------------------------------------------------------------------

BIG = 999999


def section_urls(s):
    """(method, url) of every back-office page, by what it belongs to, with real and guessed ids."""
    rev = revisions(s.b["quantri"], s.aid)[-1]
    arts = (s.aid, s.pending_aid, s.own_aid, s.other_aid, BIG)
    return {
        "articles_get": [("GET", "/admin/bai-viet"), ("GET", "/admin/bai-viet/moi")]
        + [("GET", f"/admin/bai-viet/{a}") for a in arts]
        + [("GET", f"/admin/bai-viet/{a}/phien-ban") for a in arts]
        + [("GET", f"/admin/bai-viet/{s.aid}/phien-ban/so-sanh?a={rev}&b={rev}")],
        "review_get": [("GET", "/admin/duyet-bai")],
        "articles_post_writers": [("POST", "/admin/bai-viet/moi"), ("POST", "/admin/bai-viet/xem-truoc")]
        + [("POST", f"/admin/bai-viet/{a}") for a in arts]
        + [("POST", f"/admin/bai-viet/{a}/gui-duyet") for a in arts]
        + [("POST", f"/admin/bai-viet/{s.aid}/phien-ban/{rev}/khoi-phuc"),
           ("POST", f"/admin/bai-viet/{BIG}/phien-ban/{BIG}/khoi-phuc")],
        "articles_post_editors": [("POST", f"/admin/bai-viet/{a}/{v}") for a in arts
                                  for v in ("dang", "go", "tra-lai", "xoa")],
        "taxonomy_get": [("GET", u) for u in (
            "/admin/chuyen-muc", f"/admin/chuyen-muc/{s.cat_id}/sua", f"/admin/chuyen-muc/{BIG}/sua",
            "/admin/the", f"/admin/the/{s.tag_id}/sua", f"/admin/the/{BIG}/sua", "/admin/lien-ket",
            f"/admin/lien-ket/{s.link_id}/sua", f"/admin/lien-ket/{BIG}/sua")],
        "taxonomy_post": [("POST", u) for u in (
            "/admin/chuyen-muc/them", "/admin/chuyen-muc/thu-tu", "/admin/the/%d/gop" % BIG,
            "/admin/lien-ket/them", "/admin/lien-ket/thu-tu")]
        + [("POST", f"/admin/chuyen-muc/{i}/{v}") for i in (s.cat_id, 1, BIG) for v in ("sua", "len", "xuong", "xoa")]
        + [("POST", f"/admin/the/{i}/{v}") for i in (s.tag_id, BIG) for v in ("sua", "gop", "xoa")]
        + [("POST", f"/admin/lien-ket/{i}/{v}") for i in (s.link_id, BIG) for v in ("sua", "len", "xuong", "xoa")],
        "media_get": [("GET", "/admin/thu-vien"), ("GET", f"/admin/thu-vien/{s.media_id}"),
                      ("GET", f"/admin/thu-vien/{BIG}")],
        "media_post_writers": [("POST", f"/admin/thu-vien/{s.media_id}/sua"), ("POST", f"/admin/thu-vien/{BIG}/sua")],
        "media_post_editors": [("POST", f"/admin/thu-vien/{s.media_id}/xoa"), ("POST", f"/admin/thu-vien/{BIG}/xoa")],
        "moderation_get": [("GET", "/admin/binh-luan"), ("GET", "/admin/binh-luan?trang-thai=thu-rac")],
        "moderation_post": [("POST", "/admin/binh-luan/hang-loat")]
        + [("POST", f"/admin/binh-luan/{c}/{v}") for c in (s.comments[0], s.comments[1], BIG)
           for v in ("duyet", "tu-choi", "thu-rac", "xoa")],
        "stats_get": [("GET", "/admin/thong-ke")],
        "accounts_get": [("GET", "/admin/tai-khoan"), ("GET", "/admin/nhat-ky"),
                         ("GET", f"/admin/nhat-ky?user={s.uid['quantri']}")],
        "accounts_post": [("POST", "/admin/tai-khoan/them")]
        + [("POST", f"/admin/tai-khoan/{u}/{v}") for u in (s.uid["quantri"], s.uid["bientap"], s.uid["tacgia"],
                                                            s.uid["kiemduyet"], BIG)
           for v in ("vai-tro", "khoa", "mo-khoa")],
    }


HOSTILE_FORM = {"role": "admin", "name": "hacker.x", "display_name": "Hacker", "password": "Một mật khẩu dài đủ để qua",
                "confirm": "Một mật khẩu dài đủ để qua", "title": "Chiếm quyền", "url": "https://x.vn",
                "order": "1", "into": "hoi-nghi", "xac-nhan": "1", "published_at": "", "action": "delete",
                "tab": "cho-duyet", "alt": "Chiếm", "credit": "Chiếm", "body": "Chiếm", "category": "1",
                "summary": "", "tags": "", "slug": "chiem", "do": "save"}


def own_tokens(b, pages):
    toks = []
    for path in pages:
        toks += list(forms(b.get(path).text).values())
    assert toks
    return toks


def try_refused(b, urls, tokens, expect, who):
    for i, (method, url) in enumerate(urls):
        if method == "GET":
            r = b.get(url)
            tries = [r]
        else:
            tries = [b.post(url, dict(HOSTILE_FORM, csrf=tokens[i % len(tokens)], id=str(BIG))),
                     b.post(url, dict(HOSTILE_FORM, csrf=tokens[(i + 1) % len(tokens)]))]
        for r in tries:
            assert r.status == expect, (who, method, url, r.status, r.text[:300])
            assert_admin_headers(r, url)


def test_attacks_admin_roles_refused_by_guessed_ids(s):
    u = section_urls(s)
    # Authors: everything that is not their own writing.
    author = s.b["tacgia"]
    toks = own_tokens(author, ["/admin", f"/admin/bai-viet/{s.own_aid}", "/admin/thu-vien", "/admin/mat-khau"])
    forbidden = (u["review_get"] + u["articles_post_editors"] + u["taxonomy_get"] + u["taxonomy_post"]
                 + u["media_post_editors"] + u["moderation_get"] + u["moderation_post"] + u["stats_get"]
                 + u["accounts_get"] + u["accounts_post"])
    try_refused(author, forbidden, toks, 403, "author")
    # Another's article: 404 like a missing id, even with the author's real token of that form.
    mine = forms(author.get(f"/admin/bai-viet/{s.own_aid}").text)
    edit_tok = {"": mine[f"/admin/bai-viet/{s.own_aid}"], "/gui-duyet": mine[f"/admin/bai-viet/{s.own_aid}/gui-duyet"]}
    for a in (s.aid, s.pending_aid, s.other_aid, s.scheduled_aid, BIG):
        for method, url in ((m, x.replace(str(s.aid), str(a))) for m, x in
                            [("GET", f"/admin/bai-viet/{s.aid}"), ("GET", f"/admin/bai-viet/{s.aid}/phien-ban"),
                             ("POST", f"/admin/bai-viet/{s.aid}"), ("POST", f"/admin/bai-viet/{s.aid}/gui-duyet")]):
            tok = edit_tok["/gui-duyet" if url.endswith("/gui-duyet") else ""]
            r = author.get(url) if method == "GET" else author.post(url, dict(HOSTILE_FORM, csrf=tok))
            assert r.status == 404, ("author", method, url, r.status)
            assert "SECRET-HAI" not in r.text and "X20 " not in r.text
    # Moderators: comments only.
    mod = s.b["kiemduyet"]
    toks = own_tokens(mod, ["/admin", "/admin/binh-luan", "/admin/mat-khau"])
    forbidden = (u["articles_get"] + u["review_get"] + u["articles_post_writers"] + u["articles_post_editors"]
                 + u["taxonomy_get"] + u["taxonomy_post"] + u["media_get"] + u["media_post_writers"]
                 + u["media_post_editors"] + u["stats_get"] + u["accounts_get"] + u["accounts_post"])
    try_refused(mod, forbidden, toks, 403, "moderator")
    # The upload gate refuses a moderator before reading the body.
    r = mod.upload("/admin/thu-vien/tai-len", {"csrf": toks[0], "alt": "a", "credit": "b"},
                   [("file", "a.png", "image/png", png())])
    assert r.status == 403, r.status
    # The same 403 whether the id exists or not (nothing to probe ids with).
    def norm(r, i):
        return re.sub(r"/%d(?=[/?\"])" % i, "/ID", re.sub(r'value="[0-9a-f]{64}"', "", r.text))
    for pattern in ("/admin/chuyen-muc/{}/sua", "/admin/the/{}/sua", "/admin/lien-ket/{}/sua", "/admin/thu-vien/{}",
                    "/admin/bai-viet/{}"):
        for who, real in (("kiemduyet", {"chuyen-muc": s.cat_id, "the": s.tag_id, "lien-ket": s.link_id,
                                         "thu-vien": s.media_id, "bai-viet": s.aid}),):
            key = pattern.split("/")[2]
            a = s.b[who].get(pattern.format(real[key]))
            b = s.b[who].get(pattern.format(BIG))
            assert a.status == b.status == 403 and norm(a, real[key]) == norm(b, BIG), pattern
    a = author.get(f"/admin/bai-viet/{s.other_aid}")
    b = author.get(f"/admin/bai-viet/{BIG}")
    assert a.status == b.status == 404 and norm(a, s.other_aid) == norm(b, BIG)
    # What authors and moderators see never names another author's draft, nor the
    # e-mail address of a reader (public pages neither).
    for who, paths in (("tacgia", ["/admin", "/admin/bai-viet", "/admin/thu-vien", "/admin/bai-viet/moi"]),
                       ("kiemduyet", ["/admin"])):
        for path in paths:
            text = s.b[who].get(path).text
            for secret in ("SECRET-HAI", "X20 ", "X21 ", MAIL):
                assert secret not in text, (who, path, secret)
    assert MAIL in s.b["bientap"].get("/admin/binh-luan?trang-thai=da-duyet").text, "editors see the address"
    for path in (s.public_path, f"/api/v1/articles/{s.aid}", "/rss.xml", s.public_path + "/in"):
        assert MAIL not in s.get(path).text, path
    # Editors: not the accounts nor the audit log.
    editor = s.b["bientap"]
    toks = own_tokens(editor, ["/admin", "/admin/chuyen-muc", f"/admin/bai-viet/{s.aid}"])
    try_refused(editor, u["accounts_get"] + u["accounts_post"], toks, 403, "editor")
    # Nothing changed.
    assert snapshot(s) == s.before


def set_role(s, name, role):
    admin = s.b["quantri"]
    page = admin.get("/admin/tai-khoan").text
    url = f"/admin/tai-khoan/{s.uid[name]}/vai-tro"
    r = admin.post(url, {"csrf": csrf_of(page, url), "role": role})
    assert r.status == 303, (r.status, r.text[:500])


def test_attacks_admin_tokens_of_a_demoted_editor(s):
    """Tokens are bound to the session, not the role: real tokens for exactly the
    forms an editor had, used after the account lost the role, must be refused."""
    b = login(s, "bientaphai")
    toks = editor_tokens(s, b)
    editor_only = [p for p in toks if re.search(
        r"/(dang|go|tra-lai|xoa)$|^/admin/(chuyen-muc|the|lien-ket)|^/admin/duyet-bai", p)
        and not p.startswith("/admin/binh-luan")]
    assert len(editor_only) >= 12, sorted(toks)
    moderation = [p for p in toks if p.startswith("/admin/binh-luan")]
    assert moderation
    try:
        set_role(s, "bientaphai", "author")
        for p in editor_only + moderation:
            url, token = toks[p]
            r = b.post(url, dict(HOSTILE_FORM, csrf=token, id=str(s.comments[0])))
            assert r.status == 403, ("demoted to author", url, r.status)
        # The editor's token of another's article: now not even visible.
        for p in ("/admin/bai-viet/:id", "/admin/bai-viet/:id/gui-duyet"):
            url = with_id(p, str(s.pending_aid))
            r = b.post(url, dict(HOSTILE_FORM, csrf=toks[p][1]))
            assert r.status == 404, ("demoted to author", url, r.status)
        assert b.get("/admin/chuyen-muc").status == 403
        set_role(s, "bientaphai", "moderator")
        writers = [p for p in toks if p.startswith("/admin/bai-viet") or p.startswith("/admin/thu-vien")]
        for p in editor_only + writers:
            url, token = toks[p]
            r = b.post(url, dict(HOSTILE_FORM, csrf=token))
            assert r.status == 403, ("demoted to moderator", url, r.status)
    finally:
        set_role(s, "bientaphai", "editor")
    assert b.get("/admin/chuyen-muc").status == 200
    assert snapshot(s) == s.before


def probe(s, pattern):
    """A request to pattern that the right token gets past without changing anything."""
    if ":id" in pattern:
        return with_id(pattern, str(BIG)), {"published_at": "", "xac-nhan": "1", "title": "x", "name": "x",
                                            "url": "https://x.vn", "alt": "x", "credit": "x", "into": "x",
                                            "body": "x", "category": "1"}
    return pattern, {
        "/admin/bai-viet/moi": {"title": "", "body": "x"},
        "/admin/bai-viet/xem-truoc": {"body": "x"},
        "/admin/chuyen-muc/them": {"name": ""},
        "/admin/chuyen-muc/thu-tu": {"order": "x"},
        "/admin/lien-ket/them": {"title": "", "url": ""},
        "/admin/lien-ket/thu-tu": {"order": "x"},
        "/admin/binh-luan/hang-loat": {"action": "approve"},
        "/admin/mat-khau": {"old": "sai", "new": "x", "confirm": "y"},
        "/admin/thu-vien/tai-len": {"alt": "", "credit": ""},
    }.get(pattern)


def test_attacks_admin_csrf_token_bound_to_one_form(s):
    editor = s.b["bientap"]
    toks = editor_tokens(s, editor)
    toks.pop("/admin/dang-xuat", None)
    patterns = sorted(p for p in toks if probe(s, p) is not None)
    assert len(patterns) >= 25, patterns
    for p in patterns:
        url, fields = probe(s, p)
        right = toks[p][1]
        r = editor.post(url, dict(fields, csrf=right))
        assert r.status != 403, ("the right token is refused", url, r.status)
        no_5xx(r, url)
        for q in patterns:
            if q != p:
                r = editor.post(url, dict(fields, csrf=toks[q][1]))
                assert r.status == 403, ("token of", q, "accepted by", url, r.status)
        for bad in ("", "0" * 64, right[:-1], right + "0", right.upper(), right[::-1]):
            assert editor.post(url, dict(fields, csrf=bad)).status == 403, (url, bad)
        assert editor.post(url, fields).status == 403, url
        r = editor.post(url, dict(fields, csrf=right), headers={"Sec-Fetch-Site": "cross-site"})
        assert r.status == 403, url
        # The token in the query string instead of the body.
        assert editor.post(url + ("&" if "?" in url else "?") + "csrf=" + right, fields).status == 403, url
    # The same user in another session, and another user: their tokens are theirs.
    other = login(s, "bientap")
    theirs = editor_tokens(s, other)
    author = forms(s.b["tacgia"].get(f"/admin/bai-viet/{s.own_aid}").text)
    for p in patterns:
        url, fields = probe(s, p)
        assert theirs[p][1] != toks[p][1]
        assert editor.post(url, dict(fields, csrf=theirs[p][1])).status == 403, ("other session", url)
    for action, token in author.items():
        p = pattern_of(action)
        if p in patterns:
            url, fields = probe(s, p)
            assert editor.post(url, dict(fields, csrf=token)).status == 403, ("author's token", url)
    # After logout the tokens of that session are worth nothing.
    out = forms(other.get("/admin").text)["/admin/dang-xuat"]
    cookies = dict(other.jar)
    assert other.post("/admin/dang-xuat", {"csrf": out}).status == 303
    url, fields = probe(s, "/admin/chuyen-muc/them")
    r = other.post(url, dict(fields, csrf=theirs["/admin/chuyen-muc/them"][1]), cookies=cookies)
    assert r.status == 401, r.status
    assert snapshot(s) == s.before


POST_ONLY = ["/admin/dang-xuat", "/admin/tai-khoan/them", "/admin/tai-khoan/1/vai-tro", "/admin/tai-khoan/1/khoa",
             "/admin/tai-khoan/1/mo-khoa", "/admin/bai-viet/1/gui-duyet", "/admin/bai-viet/1/dang",
             "/admin/bai-viet/1/go", "/admin/bai-viet/1/tra-lai", "/admin/bai-viet/1/xoa",
             "/admin/bai-viet/1/phien-ban/1/khoi-phuc", "/admin/chuyen-muc/them", "/admin/chuyen-muc/thu-tu",
             "/admin/chuyen-muc/1/len", "/admin/chuyen-muc/1/xuong", "/admin/chuyen-muc/1/xoa",
             "/admin/the/1/gop", "/admin/the/1/xoa", "/admin/lien-ket/them", "/admin/lien-ket/thu-tu",
             "/admin/lien-ket/1/len", "/admin/lien-ket/1/xuong", "/admin/lien-ket/1/xoa",
             "/admin/thu-vien/tai-len", "/admin/thu-vien/1/sua", "/admin/thu-vien/1/xoa",
             "/admin/binh-luan/hang-loat", "/admin/binh-luan/1/duyet", "/admin/binh-luan/1/tu-choi",
             "/admin/binh-luan/1/thu-rac", "/admin/binh-luan/1/xoa"]


def test_attacks_admin_get_on_post_only_is_405(s):
    admin = s.b["quantri"]
    for url in POST_ONLY:
        for method in ("GET", "HEAD"):
            r = admin.request(method, url)
            assert r.status == 405, (method, url, r.status)
            assert "POST" in (r.header("allow") or ""), (url, r.header("allow"))
            assert_admin_headers(r, url)
    # GET /admin/bai-viet/xem-truoc also fits the editor's pattern
    # /admin/bai-viet/:id; it is still a post-only URL.
    r = admin.get("/admin/bai-viet/xem-truoc")
    assert r.status == 405 and r.header("allow") == "POST", r.status
    assert_admin_headers(r, "GET preview")
    # Other methods on pages: 405 with the methods they take.
    for method, url in (("PUT", "/admin/bai-viet/1"), ("DELETE", "/admin/chuyen-muc"), ("PATCH", "/admin/the"),
                        ("DELETE", f"/admin/thu-vien/{s.media_id}"), ("PUT", "/admin/tai-khoan")):
        r = admin.request(method, url)
        assert r.status == 405 and "GET" in (r.header("allow") or ""), (method, url, r.status)
        assert_admin_headers(r, url)
    # Not logged in: the same 405, before any session is asked for.
    anon = Browser(s)
    for url in POST_ONLY[:5]:
        r = anon.get(url)
        assert r.status == 405, (url, r.status)
    assert snapshot(s) == s.before


def test_attacks_admin_idor_revisions_pictures_and_extra_fields(s):
    """Ids from another article, and fields the forms do not have."""
    author = s.b["tacgia"]
    with s.db() as c:
        secret_revs = [r for r, in c.execute("SELECT id FROM article_revisions WHERE article_id = ?",
                                             (s.other_aid,))]
        editor_revs = [r for r, in c.execute("SELECT id FROM article_revisions WHERE article_id = ?", (s.aid,))]
        own_revs = [r for r, in c.execute("SELECT id FROM article_revisions WHERE article_id = ?", (s.own_aid,))]
    assert secret_revs and own_revs and editor_revs
    page = author.get(f"/admin/bai-viet/{s.own_aid}/phien-ban").text
    token = [tok for action, tok in forms(page).items() if action.endswith("/khoi-phuc")][0]
    # A version of another article restored into one's own: not found, nothing read.
    for rev in secret_revs + editor_revs + [BIG]:
        r = author.post(f"/admin/bai-viet/{s.own_aid}/phien-ban/{rev}/khoi-phuc", {"csrf": token})
        assert r.status == 404, (rev, r.status)
        for a, b in ((own_revs[0], rev), (rev, own_revs[0]), (rev, rev)):
            r = author.get(f"/admin/bai-viet/{s.own_aid}/phien-ban/so-sanh?a={a}&b={b}")
            assert r.status == 404, (a, b, r.status)
            assert "SECRET-HAI" not in r.text and "X3 " not in r.text
    assert "SECRET-HAI" not in author.get(f"/admin/bai-viet/{s.own_aid}").text
    # Pictures are chosen by name from the library: a path or another name is refused.
    page = author.get(f"/admin/bai-viet/{s.own_aid}").text
    form = {"csrf": csrf_of(page, f"/admin/bai-viet/{s.own_aid}"), "title": "Bài riêng của tác giả một TACGIA-MOT",
            "summary": "", "body": "Đoạn một.", "tags": "", "category": "1", "do": "save"}
    for bad in ("../../sen.db", "/etc/passwd", "../media/" + s.media_file, s.media_file + "%00",
                s.media_file.upper(), "' OR 1=1 --", s.media_file + "/"):
        r = author.post(f"/admin/bai-viet/{s.own_aid}", dict(form, image_1=bad))
        assert r.status == 400, (bad, r.status)
    # Fields the form does not have change nothing: an author's new article is a
    # draft of the author, whatever the post says.
    extra = {"status": "2", "trang-thai": "da-dang", "author_id": str(s.uid["tacgiahai"]),
             "tac-gia": str(s.uid["tacgiahai"]), "published_at": "2020-01-01T00:00", "views": "999999",
             "id": str(s.aid), "slug": "chiem-duong-dan"}
    for do in ("save", "publish", "dang"):
        page = author.get("/admin/bai-viet/moi").text
        f = dict(extra, csrf=csrf_of(page, "/admin/bai-viet/moi"), title=f"Gán thêm trường {do}",
                 body="x", category="1", do=do)
        r = author.post("/admin/bai-viet/moi", f)
        assert r.status in (303, 400), (do, r.status)
        with s.db() as c:
            rows = c.execute("SELECT id, status, author_id, views FROM articles WHERE title = ?",
                             (f"Gán thêm trường {do}",)).fetchall()
        assert rows or do != "save", "the plain save created nothing"
        for aid, status, owner, views in rows:
            assert status == 0 and owner == s.uid["tacgia"] and views == 0, (do, status, owner, views)
            # Saving one's own draft with the same extras: still a draft, still the author's.
            page = author.get(f"/admin/bai-viet/{aid}").text
            r = author.post(f"/admin/bai-viet/{aid}", dict(f, csrf=csrf_of(page, f"/admin/bai-viet/{aid}")))
            # "publish" is the editor's save-then-publish button: refused to an author.
            assert r.status in ((403,) if do == "publish" else (303, 400)), (do, r.status)
            with s.db() as c:
                assert c.execute("SELECT status, author_id FROM articles WHERE id = ?", (aid,)).fetchone() == \
                    (0, s.uid["tacgia"])
            assert s.get(f"/api/v1/articles/{aid}").status == 404
            # Cleaned up by an editor (the author may not delete).
            r = article_action(s.b["bientap"], aid, "xoa", {"xac-nhan": "1"})
            assert r.status == 303, r.status
    # After login, `next` stays in the back office.
    for nxt, want in (("//evil.example/admin", "/admin"), ("https://evil.example/admin", "/admin"),
                      ("/admin\r\nSet-Cookie: x=1", "/admin"), ("/admin/\\evil.example", "/admin"),
                      ("/admin@evil.example", "/admin"), ("/administrator", "/admin"),
                      ("/admin/bai-viet?q=a", "/admin/bai-viet?q=a")):
        b = Browser(s)
        r = sign_in(b, "kiemduyet", PASSWORDS["kiemduyet"], next_url=nxt)
        assert r.status == 303 and r.header("location") == want, (nxt, r.header("location"))
    assert snapshot(s) == s.before


# ---- 4. headers ------------------------------------------------------------------------------

def test_attacks_admin_headers_on_every_answer(s):
    admin, author, anon = s.b["quantri"], s.b["tacgia"], Browser(s)
    cases = [
        (anon, "GET", "/admin", 303), (anon, "GET", "/admin/bai-viet?q=x", 303), (anon, "GET", "/admin/dang-nhap", 200),
        (anon, "HEAD", "/admin/dang-nhap", 200), (anon, "POST", "/admin/chuyen-muc/them", 401),
        (anon, "GET", "/admin/khong-co", 404), (anon, "GET", "/admin/dang-xuat", 405),
        (author, "GET", "/admin/chuyen-muc", 403), (author, "POST", "/admin/chuyen-muc/them", 403),
        (author, "GET", f"/admin/bai-viet/{s.aid}", 404), (admin, "GET", "/admin/bai-viet?trang=0", 400),
        (admin, "GET", "/admin/bai-viet?trang-thai=khong-co", 400), (admin, "HEAD", "/admin/bai-viet", 200),
        (admin, "GET", "/admin/thu-vien/khong-co", 404), (admin, "POST", "/admin/chuyen-muc/them", 403),
        (admin, "OPTIONS", "/admin", 405), (admin, "GET", "/admin/", 404),
    ]
    for b, method, path, status in cases:
        r = b.request(method, path, form={} if method == "POST" else None)
        assert r.status == status, (method, path, r.status)
        assert_admin_headers(r, f"{method} {path}")
        if method != "HEAD" and r.status != 303:
            assert r.header("content-type") == "text/html; charset=utf-8", (path, r.header("content-type"))
            assert_inert(r.text, path)
    for path in admin_pages(s):
        r = admin.request("HEAD", path)
        assert r.status == 200, (path, r.status)
        assert_admin_headers(r, "HEAD " + path)
    # The public site keeps its own policy (the admin one is not leaking out, nor doubled).
    r = s.get("/")
    assert r.header("content-security-policy") != ADMIN_CSP


def test_attacks_admin_media_served_only_as_images(s):
    with s.db() as c:
        files = [s.media_file] + [f for f, in c.execute("SELECT file FROM media_variants WHERE media_id = ?",
                                                         (s.media_id,))]
    assert len(files) >= 2, files
    for f in files:
        for method in ("GET", "HEAD"):
            r = s.request(method, "/media/" + f)
            assert r.status == 200, (f, r.status)
            ext = f.rsplit(".", 1)[1]
            assert r.header("content-type") == {"png": "image/png", "webp": "image/webp"}[ext], \
                (f, r.header("content-type"))
            assert r.header("x-content-type-options") == "nosniff", f
            if method == "GET":
                assert r.body[:8] == b"\x89PNG\r\n\x1a\n" or r.body[:4] == b"RIFF", f
                # Stored under a random name: the original name never reaches a disk path.
                assert b"onerror" not in r.body and b"<svg" not in r.body
    assert re.fullmatch(r"[0-9a-f]{32}\.png", s.media_file)
    assert not any("alert" in n for n in os.listdir(os.path.join(s.data, "media")))
    base = s.media_file[:32]
    for bad in (f"{base}.html", f"{base}.svg", f"{base}.PNG", f"{base}.png.html", f"{base}.png%00.html",
                f"{base}.png/", f"{base}.png%2f..%2f..%2fsen.db", f"{base}-48.png.svg", f"{base}.png;.html",
                urllib.parse.quote(FILENAME, safe=""), "%3Csvg%20onload%3Dalert(1)%3E.png"):
        r = s.get("/media/" + bad)
        assert r.status in (400, 404), (bad, r.status)
        assert r.header("x-content-type-options") == "nosniff", bad
        assert not (r.header("content-type") or "").startswith("image/"), bad
        assert b"<svg onload" not in r.body and b"\x89PNG" not in r.body, bad
    # An upload that is not a picture never gets a /media/ name (checked by bytes,
    # whatever the name and declared type say).
    author = s.b["tacgia"]
    page = author.get("/admin/thu-vien").text
    before = set(os.listdir(os.path.join(s.data, "media")))
    for name, ctype, data in (("x.png", "image/png", b"<html><script>alert(1)</script></html>"),
                              ("x.jpg", "image/jpeg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
                              ("x.png", "image/png", png() + b"<?php system($_GET['c']); ?>")):
        r = author.upload("/admin/thu-vien/tai-len", {"csrf": csrf_of(page, "/admin/thu-vien/tai-len"),
                                                      "alt": "a", "credit": "b"}, [("file", name, ctype, data)])
        assert r.status == 400, (name, r.status)
    assert set(os.listdir(os.path.join(s.data, "media"))) == before
    assert snapshot(s) == s.before


# ---- last: the server and the database survived ------------------------------------------------

def test_attacks_admin_zz_database_intact_and_clean_shutdown(s):
    """Runs last (sorted by name): the server still serves, nothing changed, it stops
    cleanly with no sanitizer report, and SQLite finds the database intact."""
    assert s.proc.poll() is None, "the server died during the attacks"
    assert s.get("/").status == 200 and s.b["quantri"].get("/admin").status == 200
    assert snapshot(s) == s.before
    s.stop_cleanly()
    c = sqlite3.connect(os.path.join(s.data, "sen.db"))
    try:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        c.close()


# ---- personal data and other authors' drafts -----------------------------------


def test_attacks_admin_moderator_never_sees_emails(s):
    """docs/MODERATION.md: the commenter's e-mail is shown to editors only."""
    text = s.b["kiemduyet"].get("/admin/binh-luan?trang-thai=da-duyet").text
    assert "Người đọc có thư" in text, "the comment is listed"
    assert MAIL not in text, "a moderator sees the reader's e-mail address"
    assert MAIL in s.b["bientap"].get("/admin/binh-luan?trang-thai=da-duyet").text


def test_attacks_admin_media_uses_hide_others_drafts(s):
    """docs/EDITORIAL.md: an author sees only their own articles (another's is a 404,
    like a missing id), so the picture's page must not list the title of another
    author's draft among the articles using it."""
    text = s.b["tacgia"].get(f"/admin/thu-vien/{s.media_id}").text
    assert "X3 " in text, "the published article using the picture is listed"
    assert "SECRET-HAI" not in text, "an author reads the title of another author's draft"
    # Editors may see every article: the title is there for them.
    assert "SECRET-HAI" in s.b["bientap"].get(f"/admin/thu-vien/{s.media_id}").text
