"""Issue 5, moderation and dashboard: the comment queue at /admin/binh-luan, the
pending count on /admin, and the statistics page at /admin/thong-ke.

One demo server with SEN_TEST_CAPTCHA_REVEAL=1 (the CAPTCHA API tells the answer,
as in test_feedback.py) that trusts 127.0.0.1 as a proxy (each admin Browser
comes from its own address). Comments are posted through the public API, one
visitor (User-Agent) each, on articles no other test here uses.
"""
import html
import json
import re
import time
import urllib.parse

from admin_client import csrf_of, sign_in_new, start_with_users
from harness import TRUSTED_PROXY

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "kiemduyet": "Kiểm duyệt bình luận cẩn thận",
    "tacgia": "Tác giả viết bài về Mường Thanh",
}
ROLES = {"quantri": "admin", "bientap": "editor", "kiemduyet": "moderator", "tacgia": "author"}
QUEUE = "/admin/binh-luan"
BULK = "/admin/binh-luan/hang-loat"
STATS = "/admin/thong-ke"


def setup_module(sen):
    s = start_with_users(sen, PASSWORDS, ROLES, env={"SEN_TEST_CAPTCHA_REVEAL": "1"},
                         args=TRUSTED_PROXY)
    s.articles = [(i["id"], urllib.parse.urlsplit(i["url"]).path, i["title"])
                  for i in s.published_articles()]
    s.next_article = 0
    s.agents = 0
    return s


def teardown_module(s):
    s.close()


# ---- helpers ---------------------------------------------------------------------


def article(s):
    """An article no other test uses: (id, path, title)."""
    a = s.articles[s.next_article]
    s.next_article += 1
    return a


def agent(s):
    s.agents += 1
    return f"sen-e2e-moderation/{s.agents} (+{time.time_ns()})"


def post_comment(s, article_id, name="Người đọc", body="Bài viết hay."):
    """Posts a comment like a reader (CAPTCHA answered); returns its id."""
    ua = agent(s)
    # Each reader from an address of their own (127.0.0.1 is the trusted
    # proxy), so the budgets per address (issue 18) do not add up here.
    addr = f"10.9.{s.agents // 256 % 256}.{s.agents % 256}"
    r = s.request("POST", "/api/v1/captcha", body=json.dumps({"article_id": article_id}),
                  headers={"User-Agent": ua, "Content-Type": "application/json",
                           "X-Forwarded-For": addr})
    assert r.status == 200, r.body
    c = r.json()
    obj = {"name": name, "body": body, "captcha_id": c["id"], "captcha_answer": c["answer"]}
    r = s.request("POST", f"/api/v1/articles/{article_id}/comments", body=json.dumps(obj),
                  headers={"User-Agent": ua, "Content-Type": "application/json",
                           "X-Forwarded-For": addr})
    assert r.status == 202, r.body
    return r.json()["id"]


def browser(s, name):
    return sign_in_new(s, name, PASSWORDS[name])


def statuses(s, *ids):
    """id -> status as the command line lists it (None when deleted)."""
    r = s.run("comments", "list", "--status", "all", "--data", s.data)
    assert r.returncode == 0, r.stderr
    found = dict(re.findall(r"^#(\d+)\s+\[(\w+)\]", r.stdout, re.M))
    return {i: found.get(str(i)) for i in ids}


def tab_count(text, slug):
    m = re.search(r'href="/admin/binh-luan\?trang-thai=' + slug +
                  r'"[^>]*>[^<]*<span class="mod-count">([\d.]+)</span>', text)
    assert m, f"no tab {slug}"
    return int(m.group(1).replace(".", ""))


def pending_on_dashboard(b):
    r = b.get("/admin")
    assert r.status == 200
    m = re.search(r'<li id="so-cho-duyet"><a href="/admin/binh-luan\?trang-thai=cho-duyet">'
                  r'<span class="admin-count">([\d.]+)</span>', r.text)
    return int(m.group(1).replace(".", "")) if m else None


def comment_card(text, cid):
    m = re.search(r'<li class="admin-card mod-comment" id="bl-%d">(.*?)</li>' % cid, text, re.S)
    return m.group(1) if m else None


def bulk(b, ids, action, tab="cho-duyet", page=None, confirm=True):
    """The bulk form; deleting ticks its confirmation box unless confirm=False."""
    page = page or b.get(f"{QUEUE}?trang-thai={tab}").text
    form = [("csrf", csrf_of(page, BULK)), ("tab", tab), ("action", action)]
    form += [("id", str(i)) for i in ids]
    if action == "delete" and confirm:
        form.append(("xac-nhan", "1"))
    return b.post(BULK, form)


# ---- the queue ---------------------------------------------------------------------


def test_moderation_queue_dashboard_and_approve(s):
    aid, path, title = article(s)
    ed = browser(s, "kiemduyet")  # a moderator
    before = pending_on_dashboard(ed)
    assert before is not None, "moderators see the pending count"
    cid = post_comment(s, aid, name="Lò Văn Sáng", body="Dòng một.\nDòng hai: Điện Biên Phủ.")
    assert pending_on_dashboard(ed) == before + 1
    r = ed.get(QUEUE)  # pending is the first tab
    assert r.status == 200
    assert 'aria-current="page">Chờ duyệt' in r.text
    assert tab_count(r.text, "cho-duyet") == before + 1
    card = comment_card(r.text, cid)
    assert card, "the new comment is in the pending tab"
    assert "Lò Văn Sáng" in card and "Điện Biên Phủ" in card
    assert f'<a href="{path}">{html.escape(title, quote=False)}</a>' in card
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00">'
                     r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}</time>", card)
    # the public page (cached now) does not show it yet
    public = s.get(path).text
    assert "Lò Văn Sáng" not in public
    action = f"{QUEUE}/{cid}/duyet"
    r = ed.post(action, {"csrf": csrf_of(r.text, action)})
    assert r.status == 303 and r.header("location").startswith(f"{QUEUE}?trang-thai=cho-duyet&ok=approve&n=1")
    r = ed.get(r.header("location"))
    assert "Đã duyệt 1 bình luận." in r.text
    assert comment_card(r.text, cid) is None
    assert statuses(s, cid)[cid] == "approved"
    # at once, although the same URL was just cached
    assert "Lò Văn Sáng" in s.get(path).text
    assert pending_on_dashboard(ed) == before
    r = ed.get(f"{QUEUE}?trang-thai=da-duyet")
    assert comment_card(r.text, cid)
    # rejected: gone from the public page at once
    action = f"{QUEUE}/{cid}/tu-choi"
    r = ed.post(action, {"csrf": csrf_of(r.text, action)})
    assert r.status == 303 and "trang-thai=da-duyet" in r.header("location")
    assert statuses(s, cid)[cid] == "rejected"
    assert "Lò Văn Sáng" not in s.get(path).text
    # audited with the action and the count
    admin = browser(s, "quantri")
    log = admin.get("/admin/nhat-ky?action=comment_moderate").text
    assert f"#{cid}" in log and "approve 1/1" in log and "reject 1/1" in log


def test_moderation_delete_one_and_unknown_id(s):
    aid, path, _ = article(s)
    cid = post_comment(s, aid, name="Người sẽ bị xóa")
    b = browser(s, "bientap")
    page = b.get(QUEUE).text
    action = f"{QUEUE}/{cid}/xoa"
    # "Xóa hẳn" cannot be undone: its form has a required confirmation box,
    # and a post without it deletes nothing and says why.
    form = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(action), page, re.S).group(1)
    assert re.search(r'<input type="checkbox" name="xac-nhan" value="1" required>', form), form
    r = b.post(action, {"csrf": csrf_of(page, action)})
    assert r.status == 400 and "Hãy đánh dấu ô “Tôi chắc chắn” trước khi xóa hẳn" in r.text, r.status
    assert statuses(s, cid)[cid] == "pending"
    r = b.post(action, {"csrf": csrf_of(page, action), "xac-nhan": "1"})
    assert r.status == 303 and "ok=delete&n=1" in r.header("location")
    assert statuses(s, cid)[cid] is None
    # the same form again: the comment is gone
    r = b.post(action, {"csrf": csrf_of(page, action), "xac-nhan": "1"})
    assert r.status == 404
    assert "Không tìm thấy bình luận này" in r.text


def test_moderation_bulk_actions(s):
    aid, path, _ = article(s)
    ids = [post_comment(s, aid, name=f"Khách {i}", body=f"Ý kiến số {i}.") for i in range(5)]
    b = browser(s, "bientap")
    r = bulk(b, ids[:3], "approve")
    assert r.status == 303 and "ok=approve&n=3" in r.header("location"), (r.status, r.text[:800])
    assert "Đã duyệt 3 bình luận." in b.get(r.header("location")).text
    assert list(statuses(s, *ids).values()) == ["approved"] * 3 + ["pending"] * 2
    text = s.get(path).text
    assert all(f"Khách {i}" in text for i in range(3)) and "Khách 3" not in text
    r = bulk(b, ids[3:], "spam")
    assert r.status == 303 and "ok=spam&n=2" in r.header("location")
    r = bulk(b, ids[:2], "reject", tab="da-duyet")
    assert r.status == 303 and "trang-thai=da-duyet&ok=reject&n=2" in r.header("location")
    assert list(statuses(s, *ids).values()) == ["rejected", "rejected", "approved", "spam", "spam"]
    text = s.get(path).text
    assert "Khách 0" not in text and "Khách 2" in text
    # deleting in bulk without the confirmation box: nothing deleted, the ticks kept
    r = bulk(b, [ids[2]], "delete", tab="da-duyet", confirm=False)
    assert r.status == 400 and "trước khi xóa hẳn" in r.text, r.status
    assert f'value="{ids[2]}" form="mod-bulk" id="chon-{ids[2]}" class="mod-pick" checked' in r.text
    assert statuses(s, ids[2])[ids[2]] == "approved"
    # an id twice counts once; an id that does not exist is skipped
    r = bulk(b, [ids[2], ids[2], 999999], "delete", tab="da-duyet")
    assert r.status == 303 and "ok=delete&n=1" in r.header("location")
    assert statuses(s, ids[2])[ids[2]] is None
    assert "Khách 2" not in s.get(path).text
    r = bulk(b, ids[:2] + ids[3:], "delete", tab="thu-rac")
    assert r.status == 303 and "ok=delete&n=4" in r.header("location")
    assert set(statuses(s, *ids).values()) == {None}


def test_moderation_bulk_refusals_keep_the_form(s):
    aid, _, _ = article(s)
    cid = post_comment(s, aid, name="Chưa ai chọn")
    b = browser(s, "kiemduyet")
    page = b.get(QUEUE).text
    # nothing ticked: a clear message, the chosen action still selected
    r = bulk(b, [], "spam", page=page)
    assert r.status == 400
    assert "Bạn chưa chọn bình luận nào" in r.text
    assert '<option value="spam" selected>' in r.text
    # no action: refused, the ticked comment still ticked
    r = bulk(b, [cid], "", page=page)
    assert r.status == 400 and "Vui lòng chọn một thao tác" in r.text
    assert re.search(r'value="%d" form="mod-bulk" id="chon-%d" class="mod-pick" checked' % (cid, cid),
                     r.text)
    r = bulk(b, [cid], "publish", page=page)
    assert r.status == 400
    # not an id
    r = b.post(BULK, [("csrf", csrf_of(page, BULK)), ("action", "approve"), ("id", "1 OR 1=1")])
    assert r.status == 400 and "không hợp lệ" in r.text
    # more than 200 ids in one post
    r = bulk(b, list(range(1, 202)), "reject", page=page)
    assert r.status == 400 and "tối đa 200 bình luận" in r.text
    assert statuses(s, cid)[cid] == "pending"  # nothing of the above changed it
    # English too
    r = b.post(BULK + "?lang=en", [("csrf", csrf_of(page, BULK)), ("action", "approve")])
    assert r.status == 400 and "No comment selected" in r.text


def test_moderation_author_refused_everywhere(s):
    aid, _, _ = article(s)
    cid = post_comment(s, aid, name="Không ai được đụng")
    b = browser(s, "tacgia")
    assert b.get(QUEUE).status == 403
    assert b.get(STATS).status == 403
    assert pending_on_dashboard(b) is None  # authors do not moderate
    for target in (cid, 999999):  # an id that exists and one guessed
        for verb in ("duyet", "tu-choi", "thu-rac", "xoa"):
            r = b.post(f"{QUEUE}/{target}/{verb}", {"csrf": "0" * 64})
            assert r.status == 403, (target, verb, r.status)
    r = b.post(BULK, [("csrf", "0" * 64), ("action", "delete"), ("id", str(cid))])
    assert r.status == 403
    assert statuses(s, cid)[cid] == "pending"
    # a moderator may moderate but not read the statistics
    assert browser(s, "kiemduyet").get(STATS).status == 403


def test_moderation_csrf_and_methods(s):
    aid, _, _ = article(s)
    cid = post_comment(s, aid, name="Thử CSRF")
    b = browser(s, "bientap")
    page = b.get(QUEUE).text
    action = f"{QUEUE}/{cid}/duyet"
    assert b.post(action, {}).status == 403                                   # missing
    assert b.post(action, {"csrf": csrf_of(page, f"{QUEUE}/{cid}/xoa")}).status == 403  # another form
    assert b.post(BULK, [("action", "approve"), ("id", str(cid))]).status == 403
    r = b.post(action, {"csrf": csrf_of(page, action)},
               headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status == 403
    assert statuses(s, cid)[cid] == "pending"
    for url in (action, f"{QUEUE}/{cid}/tu-choi", f"{QUEUE}/{cid}/thu-rac", f"{QUEUE}/{cid}/xoa", BULK):
        r = b.get(url)
        assert r.status == 405 and "POST" in (r.header("allow") or ""), (url, r.status)
    assert b.request("POST", QUEUE, form={"csrf": "x"}).status == 405


def test_moderation_hostile_text_escaped_and_long_text(s):
    aid, _, _ = article(s)
    name = '<script>alert(1)</script>" onmouseover="x'
    body = "<img src=x onerror=alert(1)>\n{{site.name}} </textarea><b>đậm</b>"
    cid = post_comment(s, aid, name=name, body=body)
    long_body = "Bảo tàng " * 60  # 540 characters
    long_id = post_comment(s, aid, name="Người viết dài", body=long_body.strip())
    b = browser(s, "bientap")
    r = b.get(QUEUE)
    card = comment_card(r.text, cid)
    assert card
    for raw in ("<script>alert", "<img src=x", "<b>đậm", '" onmouseover="'):
        assert raw not in r.text, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card and "{{site.name}}" in card
    card = comment_card(r.text, long_id)
    assert "<details" in card and "Xem toàn văn" in card
    assert long_body.strip() in card  # the whole text, in the <details>
    short = re.search(r'<p class="mod-body">([^<]*)…</p>', card).group(1)
    assert len(short) == 240
    # no inline script or style anywhere in the page
    assert "<script>" not in r.text and not re.search(r"<[^>]*\s(?:on\w+|style)=", r.text)
    assert "/static/js/admin/moderation.js" in r.text and "/static/css/admin/moderation.css" in r.text


# ---- statistics ------------------------------------------------------------------------


def bars(text, figure):
    m = re.search(r'<figure class="stats-chart" id="%s">(.*?)</figure>' % figure, text, re.S)
    assert m, f"no chart {figure}"
    svg = m.group(1)
    assert svg.startswith("<svg") and "</svg>" in svg
    return re.findall(r'<rect class="chart-bar"[^>]*><title>([^<]*)</title>', svg)


def test_stats_page_charts_match_the_api(s):
    for i in range(3):  # three new visitors
        assert s.get("/", headers={"User-Agent": f"Mozilla/5.0 sen-e2e-stats/{i}"}).status == 200
    time.sleep(1.2)  # written by the flusher (the page also counts what is not)
    b = browser(s, "bientap")
    r = b.get(STATS)
    assert r.status == 200
    api = s.get("/api/v1/stats").json()
    assert api["total_visits"] >= 3
    month, year = bars(r.text, "bieu-do-30"), bars(r.text, "bieu-do-365")
    assert len(month) == 30 and len(year) == 365
    total = re.search(r'id="tong-truy-cap">([\d.]+)<', r.text).group(1)
    assert int(total.replace(".", "")) == api["total_visits"]
    # every visit of this server happened today: the last bar holds them all
    today = time.strftime("%d/%m/%Y", time.gmtime(time.time() + 7 * 3600))
    expect = f"{today}: {api['total_visits']:,}".replace(",", ".") + " lượt truy cập"
    assert month[-1] == expect and year[-1] == expect, (month[-1], expect)
    assert all(t.endswith(": 0 lượt truy cập") for t in month[:-1])
    # the same numbers as a table
    table = re.search(r'<table class="admin-table" id="bang-30">(.*?)</table>', r.text, re.S).group(1)
    assert len(re.findall(r"<tr><th scope=\"row\">", table)) == 30
    assert f'<th scope="row">{today}</th><td>{total}</td>' in table
    assert len(re.findall(r"<tr><th scope=\"row\">",
                          re.search(r'id="bang-365">(.*?)</table>', r.text, re.S).group(1))) == 365
    # no script in the charts, nothing unescaped
    assert "<script" not in r.text and "style=" not in r.text
    assert "Bài đọc nhiều nhất" in r.text and "Đánh giá" in r.text
    # English: numbers with commas
    r = b.get(STATS + "?lang=en")
    assert "Visits in the last 30 days" in r.text
    assert b.get(STATS).status == 200  # back in Vietnamese for the others
    b.get(STATS + "?lang=vi")


def test_stats_page_ratings_and_most_read(s):
    aid, path, title = article(s)
    for i, stars in enumerate((5, 4, 4)):
        r = s.request("POST", f"/api/v1/articles/{aid}/rating", body=json.dumps({"stars": stars}),
                      headers={"User-Agent": f"sen-e2e-moderation-rate/{i}",
                               "Content-Type": "application/json"})
        assert r.status in (200, 201), (r.status, r.body)
    for i in range(4):
        s.get(path, headers={"User-Agent": f"Mozilla/5.0 sen-e2e-reader/{i}"})
    time.sleep(1.2)
    b = browser(s, "quantri")
    r = b.get(STATS)
    assert r.status == 200
    most = re.search(r'id="danh-gia-nhieu">(.*?)</table>', r.text, re.S).group(1)
    assert f'<a href="{path}">' in most and "<td>3</td><td>4,3</td>" in most
    dist = re.search(r'id="phan-bo">(.*?)</table>', r.text, re.S).group(1)
    assert "<th scope=\"row\">5 sao</th><td>1</td>" in dist
    assert "<th scope=\"row\">4 sao</th><td>2</td>" in dist
    top = re.search(r'id="doc-nhieu">(.*?)</table>', r.text, re.S).group(1)
    views = s.get(f"/api/v1/articles/{aid}").json()["views"]
    assert f'<a href="{path}">' in top
    assert re.search(r'<a href="%s">[^<]*</a></td><td>%d</td>' % (re.escape(path), views), top)
