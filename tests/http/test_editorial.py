"""Issue 5, editorial workflow: the article list, the editor and its preview, the
workflow (draft -> awaiting review -> published now or scheduled -> unpublished),
who may do what (also by guessing ids), the review queue, revisions (compare,
restore), the audit log, and what the public site shows meanwhile.
"""
import datetime
import html
import re
import time

from admin_client import Browser, csrf_of, editor_publish, form_values, sign_in_new, start_with_users
from harness import TRUSTED_PROXY

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
    "tacgiahai": "Một tác giả khác ở Điện Biên",
    "kiemduyet": "Kiểm duyệt bình luận cẩn thận",
}
ROLES = {"quantri": "admin", "bientap": "editor", "tacgia": "author", "tacgiahai": "author",
         "kiemduyet": "moderator"}
NEW = "/admin/bai-viet/moi"


def setup_module(sen):
    return start_with_users(sen, PASSWORDS, ROLES, args=TRUSTED_PROXY)


def teardown_module(s):
    s.close()


def logged_in(s, name):
    return sign_in_new(s, name, PASSWORDS[name])


def first_category(page):
    m = re.search(r'name="category"[^>]*>(?:<option value="">[^<]*</option>)<option value="(\d+)"', page)
    assert m, page[:2000]
    return m.group(1)


def media_files(page):
    m = re.search(r'name="image_1"[^>]*>(.*?)</select>', page, re.S)
    assert m
    return re.findall(r'<option value="([^"]+)"', m.group(1))


def create(b, title, body="Đoạn một.\n\nĐoạn hai.", summary="", tags="", do="save", extra=None):
    """Creates an article through the form; returns its id."""
    page = b.get(NEW)
    assert page.status == 200, page.status
    form = {"csrf": csrf_of(page.text, NEW), "title": title, "summary": summary, "body": body,
            "tags": tags, "category": first_category(page.text), "do": do}
    form.update(extra or {})
    r = b.post(NEW, form)
    assert r.status == 303, (r.status, r.text[:1500])
    m = re.fullmatch(r"/admin/bai-viet/(\d+)\?ok=(tao|luu-gui-duyet)", r.header("location"))
    assert m, r.header("location")
    return int(m.group(1))


def edit_page(b, aid):
    r = b.get(f"/admin/bai-viet/{aid}")
    assert r.status == 200, (r.status, r.text[:500])
    return r.text


def form_fields(page):
    """The editor's current values, to post them back."""
    def val(name):
        m = re.search(rf'name="{name}" value="([^"]*)"', page)
        return html.unescape(m.group(1)) if m else ""

    def area(name):
        m = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
        return html.unescape(m.group(1)) if m else ""

    cat = re.search(r'name="category"[^>]*>.*?<option value="(\d+)" selected', page, re.S)
    return {"title": val("title"), "summary": area("summary"), "body": area("body"),
            "tags": val("tags"), "category": cat.group(1) if cat else ""}


def save(b, aid, **changes):
    page = edit_page(b, aid)
    form = form_fields(page)
    form.update(changes)
    form["csrf"] = csrf_of(page, f"/admin/bai-viet/{aid}")
    form.setdefault("do", "save")
    return b.post(f"/admin/bai-viet/{aid}", form)


def action(b, aid, name, extra=None):
    """Posts one of the workflow forms of the edit page (its token from the page);
    publishing goes through the editor's own form when the page offers it so."""
    page = edit_page(b, aid)
    if name == "dang" and 'value="publish"' in page:
        return editor_publish(b, aid, (extra or {}).get("published_at", ""))
    url = f"/admin/bai-viet/{aid}/{name}"
    form = {"csrf": csrf_of(page, url)}
    form.update(extra or {})
    return b.post(url, form)


def public_path(b, aid):
    m = re.search(r'<a href="(/[^"]+-%d)">' % aid, edit_page(b, aid))
    assert m, "no public link"
    return m.group(1)


def local_input(t):
    """A datetime-local value in Vietnam time (the site's offset)."""
    return datetime.datetime.fromtimestamp(t, datetime.timezone(datetime.timedelta(hours=7))
                                           ).strftime("%Y-%m-%dT%H:%M:%S")


def strip_tokens(text):
    return re.sub(r'value="[0-9a-f]{64}"', "", text)


# ---- the author's side -------------------------------------------------------------


def test_editorial_author_creates_edits_submits(s):
    b = logged_in(s, "tacgia")
    aid = create(b, "Hội nghị triển khai nhiệm vụ năm 2021", tags="Điện Biên, bảo tàng")
    page = edit_page(b, aid)
    assert "Hội nghị triển khai nhiệm vụ năm 2021" in page
    assert "Bản nháp" in page and 'value="Điện Biên, bảo tàng"' in page
    # The summary was left empty: it is made from the body, and stays empty in the form.
    assert re.search(r'<textarea id="ed-summary"[^>]*></textarea>', page)
    r = save(b, aid, body="Đoạn một đã sửa.\n\nĐoạn hai.")
    assert r.status == 303 and r.header("location") == f"/admin/bai-viet/{aid}?ok=luu"
    page = edit_page(b, aid + 0)
    assert "Đoạn một đã sửa." in page
    assert "data-saved=\"1\"" not in page  # only right after a save
    assert 'data-saved="1"' in b.get(f"/admin/bai-viet/{aid}?ok=luu").text
    # After a workflow action nothing of the form was saved: editor.js keeps its copy.
    assert 'data-saved="1"' not in b.get(f"/admin/bai-viet/{aid}?ok=gui-duyet").text
    # The author's own list shows it; submit it for review.
    assert f'href="/admin/bai-viet/{aid}"' in b.get("/admin/bai-viet").text
    r = action(b, aid, "gui-duyet")
    assert r.status == 303, r.status
    page = edit_page(b, aid)
    assert "Chờ duyệt" in page
    # Once submitted the author may no longer change it, nor submit it again.
    assert 'name="do" value="save"' not in page
    r = save(b, aid, title="Đổi tiêu đề sau khi gửi")
    assert r.status == 403
    assert "Hội nghị triển khai nhiệm vụ năm 2021" in edit_page(b, aid)
    # "Save and submit" in one step from the form.
    aid2 = create(b, "Bài gửi duyệt ngay", do="submit")
    assert "Chờ duyệt" in edit_page(b, aid2)


def test_editorial_author_cannot_publish(s):
    b = logged_in(s, "tacgia")
    aid = create(b, "Bài tác giả muốn tự đăng")
    page = edit_page(b, aid)
    assert f'/admin/bai-viet/{aid}/dang' not in page  # no publish form for authors
    token = csrf_of(page, f"/admin/bai-viet/{aid}")
    for name in ("dang", "go", "tra-lai", "xoa"):
        r = b.post(f"/admin/bai-viet/{aid}/{name}", {"csrf": token, "published_at": ""})
        assert r.status == 403, (name, r.status)
    # Nothing changed; the public cannot see it.
    assert "Bản nháp" in edit_page(b, aid)
    assert Browser(s).get("/admin/duyet-bai").status == 303  # not logged in
    assert b.get("/admin/duyet-bai").status == 403          # the queue is for editors


def test_editorial_other_authors_article_by_guessed_id(s):
    owner = logged_in(s, "tacgia")
    aid = create(owner, "Bài riêng của tác giả một")
    other = logged_in(s, "tacgiahai")
    own = create(other, "Bài của tác giả hai")
    token = csrf_of(edit_page(other, own), f"/admin/bai-viet/{own}")  # a valid token of that form
    missing = aid + 100000
    pages = {}
    for target in (aid, missing):
        r = other.get(f"/admin/bai-viet/{target}")
        assert r.status == 404, (target, r.status)
        # The same page but for the address in the language link.
        pages[target] = strip_tokens(r.text).replace(f"/admin/bai-viet/{target}", "/ID")
        r = other.post(f"/admin/bai-viet/{target}", {"csrf": token, "title": "Chiếm bài",
                                                     "body": "x", "category": "1"})
        assert r.status == 404, (target, r.status)
        assert other.get(f"/admin/bai-viet/{target}/phien-ban").status == 404
        r = other.post(f"/admin/bai-viet/{target}/gui-duyet",
                       {"csrf": csrf_of(edit_page(other, own), f"/admin/bai-viet/{own}/gui-duyet")})
        assert r.status == 404, (target, r.status)
    assert pages[aid] == pages[missing]
    # The article is untouched and not in the other author's list, even when asked for.
    assert "Bài riêng của tác giả một" in edit_page(owner, aid)
    listing = other.get("/admin/bai-viet?tac-gia=1&q=" + "t").text
    assert "Bài riêng của tác giả một" not in listing
    assert "Bài của tác giả hai" in listing


def test_editorial_moderator_refused(s):
    b = logged_in(s, "kiemduyet")
    assert b.get("/admin/bai-viet").status == 403
    assert b.get(NEW).status == 403
    assert b.get("/admin/bai-viet/1").status == 403


# ---- the editor's side -------------------------------------------------------------


def test_editorial_review_queue_and_publish(s):
    author = logged_in(s, "tacgia")
    aid = create(author, "Bảo tàng đón đoàn khách quốc tế", do="submit")
    editor = logged_in(s, "bientap")
    queue = editor.get("/admin/duyet-bai")
    assert queue.status == 200
    assert "Bảo tàng đón đoàn khách quốc tế" in queue.text
    url = f"/admin/bai-viet/{aid}/dang"
    r = editor.post(url, {"csrf": csrf_of(queue.text, url), "tu": "duyet-bai", "published_at": ""})
    assert r.status == 303 and r.header("location") == "/admin/duyet-bai?ok=dang"
    assert "Bảo tàng đón đoàn khách quốc tế" not in editor.get("/admin/duyet-bai").text
    path = public_path(editor, aid)
    time.sleep(1.1)  # past the page cache's second
    r = s.get(path)
    assert r.status == 200 and "Bảo tàng đón đoàn khách quốc tế" in r.text
    assert "Bảo tàng đón đoàn khách quốc tế" in s.get("/").text
    # The author sees it published and can no longer edit it.
    page = edit_page(author, aid)
    assert "Đã đăng" in page and 'name="do" value="save"' not in page


def test_editorial_scheduled_appears_by_itself(s):
    editor = logged_in(s, "bientap")
    title = "Triển lãm hẹn giờ Mường Phăng"
    aid = create(editor, title, body="Nội dung hẹn giờ thienlyma.")
    home = s.get("/")                      # fills the page cache
    assert title not in home.text
    at = int(time.time()) + 3
    r = action(editor, aid, "dang", {"published_at": local_input(at)})
    assert r.status == 303 and r.header("location").endswith("?ok=hen-gio"), r.header("location")
    page = edit_page(editor, aid)
    assert "Hẹn giờ đăng" in page
    # Before its time: nowhere on the public site, cached pages included.
    assert 'value="publish"' in page or f"/admin/bai-viet/{aid}/dang" in page
    for _ in range(2):
        assert title not in s.get("/").text
    assert title not in s.get("/tim-kiem?q=thienlyma").text
    assert s.get("/api/v1/articles/%d" % aid).status == 404
    feed = s.get("/rss.xml")
    assert feed.status in (200, 404) and title not in feed.text
    while time.time() < at + 1.2:
        s.get("/")                         # keeps a fresh copy in the cache
        time.sleep(0.3)
    # After it: no write happened, yet it shows.
    assert title in s.get("/").text
    assert title in s.get("/tim-kiem?q=thienlyma").text
    assert s.get("/api/v1/articles/%d" % aid).status == 200
    assert "Đã đăng" in edit_page(editor, aid)


def test_editorial_unpublish_hides(s):
    editor = logged_in(s, "bientap")
    title = "Bài sẽ được gỡ xuống"
    aid = create(editor, title)
    # A time that is not one comes back with the message and what was typed.
    r = action(editor, aid, "dang", {"published_at": "27/11/2026 9 giờ"})
    assert r.status == 400 and "Thời gian đăng không hợp lệ" in r.text
    assert 'value="27/11/2026 9 giờ"' in r.text
    assert "Bản nháp" in edit_page(editor, aid)
    # Scheduled an hour ahead: the editors see it among the scheduled ones.
    assert action(editor, aid, "dang", {"published_at": local_input(time.time() + 3600)}).status == 303
    queue = editor.get("/admin/duyet-bai").text
    assert title in queue.split("Bài hẹn giờ đăng", 1)[1]
    assert title in editor.get("/admin/bai-viet?trang-thai=hen-gio").text
    assert title not in s.get("/").text
    # Published now instead.
    assert action(editor, aid, "dang", {"published_at": ""}).status == 303
    assert title not in editor.get("/admin/bai-viet?trang-thai=hen-gio").text
    path = public_path(editor, aid)
    time.sleep(1.1)
    assert s.get(path).status == 200
    assert s.get("/").text.count(title) >= 1
    r = action(editor, aid, "go")
    assert r.status == 303 and r.header("location") == f"/admin/bai-viet/{aid}?ok=go"
    assert s.get(path).status == 404
    assert title not in s.get("/").text
    assert "Đã gỡ" in edit_page(editor, aid)
    # Return to draft, then delete (the box must be ticked).
    assert action(editor, aid, "tra-lai").status == 303
    assert "Bản nháp" in edit_page(editor, aid)
    r = action(editor, aid, "xoa")
    assert r.status == 303 and "loi=xac-nhan" in r.header("location")
    assert edit_page(editor, aid)
    r = action(editor, aid, "xoa", {"xac-nhan": "1"})
    assert r.status == 303 and r.header("location") == "/admin/bai-viet?ok=xoa"
    assert editor.get(f"/admin/bai-viet/{aid}").status == 404


def test_editorial_audit_log(s):
    editor = logged_in(s, "bientap")
    aid = create(editor, "Bài để kiểm tra nhật ký")
    assert action(editor, aid, "dang", {"published_at": ""}).status == 303
    assert action(editor, aid, "go").status == 303
    admin = logged_in(s, "quantri")
    for act in ("article_create", "article_publish", "article_unpublish"):
        r = admin.get("/admin/nhat-ky?action=" + act)
        assert r.status == 200
        assert f"#{aid} Bài để kiểm tra nhật ký" in r.text, act


# ---- revisions ---------------------------------------------------------------------


def test_editorial_revisions_compare_restore(s):
    b = logged_in(s, "tacgia")
    aid = create(b, "Phiên bản đầu", body="Dòng chung\nDòng cũ sẽ bỏ\nDòng cuối")
    assert save(b, aid, body="Dòng chung\nDòng mới thêm vào\nDòng cuối").status == 303
    assert save(b, aid, title="Phiên bản ba").status == 303
    r = b.get(f"/admin/bai-viet/{aid}/phien-ban")
    assert r.status == 200
    ids = [int(x) for x in re.findall(r'name="a" value="(\d+)"', r.text)]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True)
    first, second = ids[2], ids[1]
    url = f"/admin/bai-viet/{aid}/phien-ban/{first}/khoi-phuc"
    token = csrf_of(r.text, url)   # the author's restore token, kept for later
    r = b.get(f"/admin/bai-viet/{aid}/phien-ban/so-sanh?a={first}&b={second}")
    assert r.status == 200
    assert '<del class="editorial-line">Dòng cũ sẽ bỏ</del>' in r.text
    assert '<ins class="editorial-line">Dòng mới thêm vào</ins>' in r.text
    assert '<span class="editorial-line">Dòng chung</span>' in r.text
    # Another article's revision, or nonsense, is not found.
    assert b.get(f"/admin/bai-viet/{aid}/phien-ban/so-sanh?a={first}&b=999999").status == 404
    assert b.get(f"/admin/bai-viet/{aid}/phien-ban/so-sanh?a=x&b=1").status == 400
    # Restore the first: a fourth revision, the old content back.
    r = b.post(url, {"csrf": token})
    assert r.status == 303 and r.header("location") == f"/admin/bai-viet/{aid}?ok=khoi-phuc"
    page = edit_page(b, aid)
    assert 'value="Phiên bản đầu"' in page and "Dòng cũ sẽ bỏ" in page
    r = b.get(f"/admin/bai-viet/{aid}/phien-ban")
    assert len(re.findall(r'name="a" value="(\d+)"', r.text)) == 4
    assert f"khôi phục từ phiên bản #{first}" in r.text
    # Once submitted, the author cannot restore; the editor can.
    assert action(b, aid, "gui-duyet").status == 303
    page = b.get(f"/admin/bai-viet/{aid}/phien-ban").text
    assert "khoi-phuc" not in page
    r = b.post(url, {"csrf": token})   # a valid token, but the rule says no
    assert r.status == 403
    editor = logged_in(s, "bientap")
    page = editor.get(f"/admin/bai-viet/{aid}/phien-ban").text
    r = editor.post(url, {"csrf": csrf_of(page, url)})
    assert r.status == 303
    admin = logged_in(s, "quantri")
    assert f"#{aid} Phiên bản đầu" in admin.get("/admin/nhat-ky?action=article_restore").text


# ---- forms, tokens, methods --------------------------------------------------------


def test_editorial_csrf_missing_or_wrong(s):
    b = logged_in(s, "tacgia")
    page = b.get(NEW).text
    form = {"title": "Không có mã", "body": "x", "category": first_category(page)}
    assert b.post(NEW, form).status == 403
    assert b.post(NEW, dict(form, csrf="0" * 64)).status == 403
    aid = create(b, "Bài có mã chống giả mạo")
    # A token made for another form is refused too.
    wrong = csrf_of(edit_page(b, aid), f"/admin/bai-viet/{aid}/gui-duyet")
    assert b.post(f"/admin/bai-viet/{aid}", dict(form, csrf=wrong)).status == 403
    assert b.post("/admin/bai-viet/xem-truoc", {"body": "**x**"}).status == 403
    assert "Bài có mã chống giả mạo" in edit_page(b, aid)


def test_editorial_get_on_post_only_is_405(s):
    b = logged_in(s, "bientap")
    aid = create(b, "Bài thử phương thức")
    for suffix in ("gui-duyet", "dang", "go", "tra-lai", "xoa", "phien-ban/1/khoi-phuc"):
        r = b.get(f"/admin/bai-viet/{aid}/{suffix}")
        assert r.status == 405, (suffix, r.status)
        assert "POST" in r.header("allow")
    r = b.request("PUT", f"/admin/bai-viet/{aid}")
    assert r.status == 405 and "GET" in r.header("allow") and "POST" in r.header("allow")


def test_editorial_failed_save_keeps_fields(s):
    b = logged_in(s, "tacgia")
    page = b.get(NEW).text
    files = media_files(page)
    form = {"csrf": csrf_of(page, NEW), "title": "   ", "summary": "Tóm tắt đã gõ & giữ",
            "body": "Nội dung đã gõ <giữ nguyên>\n\nđoạn hai", "tags": "Mường Thanh, di tích",
            "category": first_category(page), "do": "save"}
    if files:
        form.update({"image_1": files[0], "caption_1": "Chú thích ảnh đã gõ"})
    r = b.post(NEW, form)
    assert r.status == 400
    assert "Tiêu đề không được để trống." in r.text
    assert "Tóm tắt đã gõ &amp; giữ</textarea>" in r.text
    assert "Nội dung đã gõ &lt;giữ nguyên&gt;\n\nđoạn hai</textarea>" in r.text
    assert 'value="Mường Thanh, di tích"' in r.text
    assert re.search(r'<option value="%s" selected>' % form["category"], r.text)
    if files:
        assert 'value="Chú thích ảnh đã gõ"' in r.text
        assert re.search(r'<option value="%s" selected>' % re.escape(files[0]), r.text)
    # Other refusals keep the text as well: an unknown category, too many tags,
    # a picture not in the library, a title over the limit.
    for change, message in ((("category", "999999"), "Hãy chọn một chuyên mục."),
                            (("tags", ",".join("t%d" % i for i in range(25))), "Nhiều nhất 20 thẻ."),
                            (("image_2", "khongco.png"), "Ảnh không có trong thư viện"),
                            (("title", "Đ" * 200), "Tiêu đề dài quá 300 byte.")):
        f = dict(form, title="Tiêu đề hợp lệ")
        f[change[0]] = change[1]
        r = b.post(NEW, f)
        assert r.status == 400, change
        assert message in r.text, change
        assert "Nội dung đã gõ &lt;giữ nguyên&gt;" in r.text
    # The English page says it in English.
    r = b.post(NEW + "?lang=en", form)
    assert r.status == 400 and "The title must not be empty." in r.text
    # Nothing was created by any of these.
    assert "Tóm tắt đã gõ" not in b.get("/admin/bai-viet").text


def test_editorial_xss_escaped(s):
    b = logged_in(s, "tacgia")
    title = '<script>alert("t")</script>'
    summary = '<img src=x onerror=alert(1)>'
    body = '<script>alert("b")</script>\n\n**đậm** [x](javascript:alert(1))'
    aid = create(b, title, body=body, summary=summary)
    listing = b.get("/admin/bai-viet").text
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in listing
    assert '<script>alert("t")' not in listing
    page = edit_page(b, aid)
    assert '<script>alert' not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;b&quot;)&lt;/script&gt;" in page  # in the textarea
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # The preview (no JavaScript) drops raw HTML and dangerous links.
    f = form_fields(page)
    f.update({"csrf": csrf_of(page, f"/admin/bai-viet/{aid}"), "do": "preview"})
    r = b.post(f"/admin/bai-viet/{aid}", f)
    assert r.status == 200
    preview = r.text.split('id="editor-preview"', 1)[1].split("</section>", 1)[0]
    assert "<strong>đậm</strong>" in preview
    assert "<script" not in preview and "javascript:" not in preview
    # The editor's and admin's lists too.
    editor = logged_in(s, "bientap")
    assert '<script>alert("t")' not in editor.get("/admin/bai-viet").text


def test_editorial_preview_endpoint(s):
    b = logged_in(s, "tacgia")
    page = b.get(NEW).text
    token = re.search(r'data-preview-csrf="([0-9a-f]+)"', page).group(1)
    r = b.post("/admin/bai-viet/xem-truoc", {"csrf": token, "body": "## Tiêu đề nhỏ\n\n*nghiêng*"})
    assert r.status == 200
    assert "<h2>Tiêu đề nhỏ</h2>" in r.text and "<em>nghiêng</em>" in r.text
    assert "<html" not in r.text  # a fragment
    # The page's own script is served and referenced, no inline script.
    assert '<script src="/static/js/admin/editor.js' in page
    assert not re.search(r"<script>(?!</script>)", page)
    assert s.get("/static/js/admin/editor.js").status == 200
    assert s.get("/static/css/admin/editor.css").status == 200
    # After logout the same request is refused with 401 (editor.js warns and keeps the copy).
    cookies = dict(b.jar)
    out = b.get("/admin")
    b.post("/admin/dang-xuat", {"csrf": csrf_of(out.text, "/admin/dang-xuat")})
    r = b.post("/admin/bai-viet/xem-truoc", {"csrf": token, "body": "x"}, cookies=cookies)
    assert r.status == 401
    # So is a save: the login form comes back (editor.js keeps the text in the browser).
    r = b.post(NEW, {"csrf": csrf_of(page, NEW), "title": "Viết khi đã hết phiên", "body": "x",
                     "category": first_category(page)}, cookies=cookies)
    assert r.status == 401 and 'action="/admin/dang-nhap"' in r.text
    assert "Viết khi đã hết phiên" not in logged_in(s, "tacgia").get("/admin/bai-viet").text


def test_editorial_english(s):
    b = logged_in(s, "bientap")
    r = b.get("/admin/bai-viet?lang=en")
    assert r.status == 200 and "<h1>Articles</h1>" in r.text and "New article" in r.text
    assert "Review queue" in b.get("/admin/duyet-bai").text   # the language sticks
    page = b.get(NEW).text
    assert "Publication time" not in page  # only for an existing article
    aid = create(b, "Bài để xem tiếng Anh")
    page = edit_page(b, aid)
    assert "Publication time (Vietnam time)" in page and "Draft" in page
    b.get("/admin/bai-viet?lang=vi")


def test_editorial_list_filters_and_paging(s):
    editor = logged_in(s, "bientap")
    for i in range(23):
        create(editor, f"Bài lọc số {i:02d} khảo cổ")
    r = editor.get("/admin/bai-viet?q=kh%E1%BA%A3o+c%E1%BB%95")
    assert r.status == 200
    assert r.text.count("khảo cổ</a>") == 20
    assert "trang=2" in r.text
    nxt = re.search(r'href="([^"]*trang=2[^"]*)"', r.text).group(1)
    r2 = editor.get(html.unescape(nxt))
    assert r2.status == 200 and r2.text.count("khảo cổ</a>") == 3
    r = editor.get("/admin/bai-viet?trang-thai=cho-duyet")
    assert r.status == 200 and "khảo cổ</a>" not in r.text
    assert editor.get("/admin/bai-viet?trang-thai=khong-co").status == 400
    assert editor.get("/admin/bai-viet?trang=0").status == 400
    assert editor.get("/admin/bai-viet?chuyen-muc=abc").status == 400
    # An author sees only their own, whatever the filter says.
    author = logged_in(s, "tacgiahai")
    r = author.get("/admin/bai-viet?q=kh%E1%BA%A3o")
    assert r.status == 200 and "khảo cổ</a>" not in r.text


def test_editorial_pictures_and_tags_reach_the_public_page(s):
    b = logged_in(s, "bientap")
    files = media_files(b.get(NEW).text)
    assert len(files) >= 2, "the demo has pictures"
    aid = create(b, "Bài có ảnh và chú thích", body="Mở đầu.\n\n![Ảnh trong bài](%s)\n\nKết." % files[1],
                 tags="Mường Phăng, di tích",
                 extra={"image_1": files[0], "caption_1": "Ảnh đại diện có chú thích",
                        "image_2": files[1], "caption_2": "Chú thích ảnh hai"})
    page = edit_page(b, aid)
    assert re.search(r'<option value="%s" selected>' % re.escape(files[0]), page)
    assert 'value="Ảnh đại diện có chú thích"' in page
    assert action(b, aid, "dang", {"published_at": ""}).status == 303
    r = s.get(public_path(b, aid))
    assert r.status == 200
    assert "/media/%s" % files[0] in r.text and "Ảnh đại diện có chú thích" in r.text
    assert "Ảnh trong bài" in r.text      # the figure placed in the body
    assert "Mường Phăng" in r.text
    # The same picture twice is refused, with the form kept.
    page = edit_page(b, aid)
    f = form_fields(page)
    f.update({"csrf": csrf_of(page, f"/admin/bai-viet/{aid}"), "image_1": files[0],
              "image_3": files[0], "caption_3": "lặp lại"})
    r = b.post(f"/admin/bai-viet/{aid}", f)
    assert r.status == 400 and "Một ảnh được chọn hai lần" in r.text
    assert 'value="lặp lại"' in r.text


def test_publishing_from_the_editor_saves_what_is_typed_first(s):
    """The usability test's trap: an editor changes the text and presses the
    publish button without "Lưu". The button belongs to the editor's form, so
    what goes out is what was typed, in one step; a bad time or a forged
    "publish" from an author saves nothing and keeps what was typed."""
    editor = logged_in(s, "bientap")
    title = "Bài sửa rồi đăng ngay Nậm Rốm"
    aid = create(editor, title, body="Bản cũ chưa sửa.")
    page = edit_page(editor, aid)
    assert f'action="/admin/bai-viet/{aid}/dang"' not in page   # no separate form to lose edits
    assert 'form="editor-form" name="published_at"' in page
    # A time that is not one: refused, nothing saved, the new text still in the box.
    typed = form_values(page, "editor-form")
    typed.update({"body": "Bản mới đã sửa xong.", "do": "publish", "published_at": "mai 9 giờ"})
    r = editor.post(f"/admin/bai-viet/{aid}", typed)
    assert r.status == 400 and "Thời gian đăng không hợp lệ" in r.text, r.status
    assert "Bản mới đã sửa xong.</textarea>" in r.text and 'value="mai 9 giờ"' in r.text
    assert "Bản cũ chưa sửa.</textarea>" in edit_page(editor, aid)
    assert "Bản nháp" in edit_page(editor, aid)
    # An author posting "publish" on their own draft: refused, nothing saved.
    author = logged_in(s, "tacgia")
    own = create(author, "Bài của tác giả chưa được đăng", body="Nội dung gốc.")
    forged = form_values(edit_page(author, own), "editor-form")
    forged.update({"body": "Nội dung đổi lén.", "do": "publish", "published_at": ""})
    r = author.post(f"/admin/bai-viet/{own}", forged)
    assert r.status == 403, r.status
    assert "Nội dung gốc.</textarea>" in edit_page(author, own)
    # The trap itself: the changed text is what is published.
    r = editor_publish(editor, aid, "", body="Bản mới đã sửa xong.")
    assert r.status == 303 and r.header("location") == f"/admin/bai-viet/{aid}?ok=dang", r.header("location")
    path = public_path(editor, aid)
    time.sleep(1.1)  # past the page cache's second
    public = s.get(path).text
    assert "Bản mới đã sửa xong." in public and "Bản cũ chưa sửa." not in public
    # Saved as a new revision (the first one, then this), and the publishing audited.
    revisions = editor.get(f"/admin/bai-viet/{aid}/phien-ban").text
    assert len(re.findall(r'name="a" value="(\d+)"', revisions)) == 2
    admin = logged_in(s, "quantri")
    assert f"#{aid} {title}" in admin.get("/admin/nhat-ky?action=article_publish").text


def test_dashboard_article_counts_link_to_their_lists(s):
    """The dashboard's "N bài chờ duyệt" and drafts are links to where they are
    acted on: the review queue for an editor, the author's own list in that
    state for an author (issue 16: the count was not a link)."""
    author = logged_in(s, "tacgia")
    title = "Bài chờ duyệt từ bảng điều khiển"
    create(author, title, do="submit")
    editor = logged_in(s, "bientap")
    home = editor.get("/admin").text
    m = re.search(r'<li id="so-bai-cho-duyet"><a href="([^"]+)"><span class="admin-count">([\d.]+)</span>', home)
    assert m and m.group(1) == "/admin/duyet-bai" and int(m.group(2).replace(".", "")) >= 1, home[:3000]
    assert title in editor.get(m.group(1)).text
    assert '<li id="so-bai-nhap"><a href="/admin/bai-viet?trang-thai=nhap">' in home
    home = author.get("/admin").text
    m = re.search(r'<li id="so-bai-cho-duyet"><a href="([^"]+)">', home)
    assert m and html.unescape(m.group(1)) == "/admin/bai-viet?trang-thai=cho-duyet", home[:3000]
    assert title in author.get(html.unescape(m.group(1))).text


def test_read_only_view_shows_the_text_as_it_will_read(s):
    """After submitting, an author sees the article rendered, not its Markdown,
    and no hint about a "Xem trước" button the page does not have (issue 16)."""
    author = logged_in(s, "tacgia")
    aid = create(author, "Bài đã gửi, chỉ xem", body="Đoạn có chữ **đậm** và [liên kết](https://baotang.vn/).",
                 do="submit")
    page = edit_page(author, aid)
    assert "Bài viết đã gửi duyệt hoặc đã đăng: bạn chỉ có thể xem." in page
    assert 'name="body"' not in page and "**đậm**" not in page
    assert "<strong>đậm</strong>" in page and 'href="https://baotang.vn/"' in page
    assert "Xem trước" not in page
    # The editor, who may still edit it, keeps the Markdown box.
    assert 'name="body"' in edit_page(logged_in(s, "bientap"), aid)
