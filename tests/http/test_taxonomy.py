"""Issue 5, "Chuyên mục, thẻ, liên kết website": categories, tags and the website
links managed in the back office (/admin/chuyen-muc, /admin/the, /admin/lien-ket),
and the public site showing every change at once.

Runs against the demo content (categories with articles, tagged articles, eight
links). The server trusts 127.0.0.1 as a proxy so each browser has its own address.
"""
import html as htmllib
import re
import urllib.parse

from admin_client import Browser, csrf_of, sign_in_new, start_with_users
from harness import TRUSTED_PROXY

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
    "kiemduyet": "Kiểm duyệt bình luận cẩn thận",
}
ROLES = {"quantri": "admin", "bientap": "editor", "tacgia": "author", "kiemduyet": "moderator"}
UA = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) SenTest/taxonomy"}
SEED_SLUG = "hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021"


def setup_module(sen):
    s = start_with_users(sen, PASSWORDS, ROLES, display=False, args=TRUSTED_PROXY)
    items = s.all = s.published_articles()
    s.seed = [i for i in items if i["slug"] == SEED_SLUG][0]
    return s


def teardown_module(s):
    s.close()


# ---- helpers -----------------------------------------------------------------------


def user(s, name):
    return sign_in_new(s, name, PASSWORDS[name])


def public(s, path, status=200):
    r = s.get(path, headers=UA)
    assert r.status == status, (path, r.status)
    return r


def nav(s):
    """(url, name) of the categories in the public menu, in order."""
    text = public(s, "/").text
    m = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', text, re.S)
    assert m, "no site menu"
    # [1:] drops the home link; the fixed links (the online collection,
    # exhibitions, publications: <li class="nav-fixed">) are no categories.
    return [(u, htmllib.unescape(n)) for u, n in
            re.findall(r'<li><a href="([^"]*)"[^>]*>([^<]*)</a></li>', m.group(1))[1:]]


def sidebar_links(s, path="/"):
    text = public(s, path).text
    m = re.search(r'<section class="widget widget-links" id="lien-ket-website">(.*?)</section>',
                  text, re.S)
    assert m, "no links block"
    return [(u, htmllib.unescape(t)) for u, t in
            re.findall(r'<li><a href="([^"]*)"[^>]*>([^<]*)</a></li>', m.group(1))]


def article_tags(s, path):
    text = public(s, path).text
    m = re.search(r'<p class="tags">(.*?)</p>', text, re.S)
    return [htmllib.unescape(t) for t in re.findall(r'<span class="tag">([^<]*)</span>', m.group(1))] if m else []


def post_form(b, page, action, fields, token_action=None):
    """Posts fields to action with the CSRF token of the form on page posting there."""
    r = b.get(page)
    assert r.status == 200, (page, r.status)
    token = csrf_of(r.text, token_action or action)
    return b.post(action, dict(fields, csrf=token))


def admin_categories(b):
    """(id, name) in the order of the back-office list."""
    r = b.get("/admin/chuyen-muc")
    assert r.status == 200
    return [(int(i), htmllib.unescape(n)) for i, n in re.findall(
        r'<li class="admin-card tax-item" data-id="(\d+)">.*?<strong class="tax-name">([^<]*)</strong>',
        r.text, re.S)]


def category_id(b, name):
    for i, n in admin_categories(b):
        if n == name:
            return i
    raise AssertionError(f"no category {name}")


def add_category(b, name, slug=""):
    return post_form(b, "/admin/chuyen-muc", "/admin/chuyen-muc/them", {"name": name, "slug": slug})


def admin_links(b):
    r = b.get("/admin/lien-ket")
    assert r.status == 200
    return [(int(i), htmllib.unescape(t)) for i, t in re.findall(
        r'<li class="admin-card tax-item" data-id="(\d+)">.*?<strong class="tax-name">([^<]*)</strong>',
        r.text, re.S)]


def tag_rows(b, q=""):
    """(id, name, uses) of the tag list (first page) for a search."""
    r = b.get("/admin/the?" + urllib.parse.urlencode({"q": q}))
    assert r.status == 200
    return [(int(i), htmllib.unescape(n), int(u.replace(".", ""))) for n, _slug, u, i in re.findall(
        r'<tr><td class="tax-name">([^<]*)</td><td><code>([^<]*)</code></td><td class="tax-num">([^<]*)</td>'
        r'<td><a href="/admin/the/(\d+)/sua">', r.text)]


def tag_id(b, name):
    for i, n, _ in tag_rows(b, name):
        if n == name:
            return i
    raise AssertionError(f"no tag {name}")


def audit_targets(s, action):
    """The targets of the newest audit entries of an action (read by an admin)."""
    a = user(s, "quantri")
    r = a.get("/admin/nhat-ky?" + urllib.parse.urlencode({"action": action}))
    assert r.status == 200
    rows = re.findall(r"<td>([^<]*)</td><td>[^<]*</td><td><code>", r.text)
    return [htmllib.unescape(t) for t in rows]


def attr(value):
    """value as the templates write it inside an attribute."""
    return htmllib.escape(value, quote=True).replace("&#x27;", "&#39;")


# ---- categories --------------------------------------------------------------------


def test_taxonomy_category_add_rename_reorder_delete(s):
    b = user(s, "bientap")
    before = nav(s)
    nav(s)  # the home page is now in the page cache: the change below must still show
    r = add_category(b, "Tin Bảo tàng số")
    assert r.status == 303 and r.header("location") == "/admin/chuyen-muc?ok=them", (r.status, r.text[:2000])
    after = nav(s)
    assert after == before + [("/tin-bao-tang-so", "Tin Bảo tàng số")], after
    assert "Đã thêm chuyên mục." in b.get("/admin/chuyen-muc?ok=them").text
    assert "Tin Bảo tàng số" in public(s, "/tin-bao-tang-so").text
    cid = category_id(b, "Tin Bảo tàng số")
    assert "0 bài viết" in b.get("/admin/chuyen-muc").text

    # Rename with a new slug: the old address answers 301 to the new one.
    page = f"/admin/chuyen-muc/{cid}/sua"
    r = post_form(b, page, page, {"name": "Bảo tàng số", "slug": "bao-tang-so"})
    assert r.status == 303, (r.status, r.text[:2000])
    assert nav(s)[-1] == ("/bao-tang-so", "Bảo tàng số")
    assert "Bảo tàng số" in public(s, "/bao-tang-so").text
    old = s.get("/tin-bao-tang-so", headers=UA)
    assert old.status == 301 and old.header("location") == "/bao-tang-so", (old.status, old.headers)
    old = s.get("/tin-bao-tang-so?sau=x", headers=UA)
    assert old.status == 301 and old.header("location") == "/bao-tang-so?sau=x", old.headers
    # An empty slug follows the new name; both former slugs still work.
    r = post_form(b, page, page, {"name": "Kho ảnh số", "slug": ""})
    assert r.status == 303
    assert nav(s)[-1] == ("/kho-anh-so", "Kho ảnh số")
    for gone in ("/tin-bao-tang-so", "/bao-tang-so"):
        r = s.get(gone, headers=UA)
        assert r.status == 301 and r.header("location") == "/kho-anh-so", (gone, r.status)
    edit = b.get(page).text
    assert 'href="/tin-bao-tang-so"' in edit and 'href="/bao-tang-so"' in edit, "former addresses listed"

    # Arrows: up moves it before the previous last one; down moves it back.
    last_two = nav(s)[-2:]
    r = post_form(b, "/admin/chuyen-muc", f"/admin/chuyen-muc/{cid}/len", {},
                  token_action=f"/admin/chuyen-muc/{cid}/len")
    assert r.status == 303 and r.header("location") == "/admin/chuyen-muc?ok=thu-tu"
    assert nav(s)[-2:] == [last_two[1], last_two[0]]
    r = post_form(b, "/admin/chuyen-muc", f"/admin/chuyen-muc/{cid}/xuong", {})
    assert r.status == 303
    assert nav(s)[-2:] == last_two
    # Down on the last one changes nothing and is no error.
    r = post_form(b, "/admin/chuyen-muc", f"/admin/chuyen-muc/{cid}/xuong", {})
    assert r.status == 303 and nav(s)[-2:] == last_two

    # Dragging posts the whole order: reversed, then back.
    ids = [i for i, _ in admin_categories(b)]
    names = [n for _, n in nav(s)]
    r = post_form(b, "/admin/chuyen-muc", "/admin/chuyen-muc/thu-tu",
                  {"order": ",".join(str(i) for i in reversed(ids))})
    assert r.status == 303, (r.status, r.text[:1500])
    assert [n for _, n in nav(s)] == list(reversed(names))
    # A list that misses one (made before someone added a category) is refused.
    r = post_form(b, "/admin/chuyen-muc", "/admin/chuyen-muc/thu-tu",
                  {"order": ",".join(str(i) for i in ids[1:])})
    assert r.status == 409 and "Danh sách đã thay đổi" in r.text
    r = post_form(b, "/admin/chuyen-muc", "/admin/chuyen-muc/thu-tu", {"order": "1,x"})
    assert r.status == 400
    assert [n for _, n in nav(s)] == list(reversed(names))
    r = post_form(b, "/admin/chuyen-muc", "/admin/chuyen-muc/thu-tu",
                  {"order": ",".join(str(i) for i in ids)})
    assert r.status == 303 and [n for _, n in nav(s)] == names

    # Delete: gone from the menu and from its addresses, old ones included.
    r = post_form(b, "/admin/chuyen-muc", f"/admin/chuyen-muc/{cid}/xoa", {})
    assert r.status == 303 and r.header("location") == "/admin/chuyen-muc?ok=xoa"
    assert nav(s) == before
    for gone in ("/kho-anh-so", "/tin-bao-tang-so", "/bao-tang-so"):
        assert s.get(gone, headers=UA).status == 404, gone
    assert b.get(f"/admin/chuyen-muc/{cid}/sua").status == 404

    targets = audit_targets(s, "category_change")
    for t in ("Tin Bảo tàng số", "Bảo tàng số", "Kho ảnh số"):
        assert t in targets, (t, targets)


def test_taxonomy_category_refusals_keep_the_form(s):
    b = user(s, "bientap")
    before = nav(s)
    cases = [
        ({"name": "   ", "slug": "giu-lai"}, 400, "Tên chuyên mục không được để trống."),
        ({"name": "x" * 121, "slug": "giu-lai"}, 400, "dài quá 120 byte"),
        ({"name": "TIN HOAT DONG", "slug": "giu-lai"}, 409, "Đã có chuyên mục trùng tên"),
        ({"name": "Tin hoạt động", "slug": "giu-lai"}, 409, "Đã có chuyên mục trùng tên"),
        ({"name": "Chuyên mục mới", "slug": "Tin Tức"}, 400, "Đường dẫn chỉ gồm"),
        ({"name": "Chuyên mục mới", "slug": "-tin"}, 400, "Đường dẫn chỉ gồm"),
        ({"name": "Chuyên mục mới", "slug": "api"}, 400, "trang web dùng cho việc khác"),
        ({"name": "Chuyên mục mới", "slug": "trung-bay-trien-lam"}, 409, "thuộc chuyên mục khác"),
    ]
    for fields, status, message in cases:
        r = add_category(b, **fields)
        assert r.status == status, (fields, r.status)
        assert message in r.text, (fields, r.text[:3000])
        form = re.search(r'<form method="post" action="/admin/chuyen-muc/them".*?</form>', r.text, re.S).group(0)
        assert f'value="{attr(fields["name"])}"' in form, "the name typed is kept"
        assert f'value="{attr(fields["slug"])}"' in form, "the slug typed is kept"
    assert nav(s) == before, "nothing was added"

    # Rename refusals come back on the edit page with what was typed.
    cid = category_id(b, "Trưng bày - Triển lãm")
    page = f"/admin/chuyen-muc/{cid}/sua"
    r = post_form(b, page, page, {"name": "Tin Hoạt Động", "slug": "trung-bay-trien-lam"})
    assert r.status == 409 and "Đã có chuyên mục trùng tên" in r.text
    assert 'value="Tin Hoạt Động"' in r.text
    r = post_form(b, page, page, {"name": "Trưng bày", "slug": "tin-hoat-dong"})
    assert r.status == 409 and "thuộc chuyên mục khác" in r.text and 'value="tin-hoat-dong"' in r.text
    assert nav(s) == before
    # Unknown ids are 404, for reading and for writing.
    assert b.get("/admin/chuyen-muc/987654/sua").status == 404
    r = post_form(b, "/admin/chuyen-muc", "/admin/chuyen-muc/987654/xoa", {},
                  token_action=f"/admin/chuyen-muc/{cid}/xoa")
    assert r.status == 404
    r = post_form(b, "/admin/chuyen-muc", "/admin/chuyen-muc/987654/len", {},
                  token_action=f"/admin/chuyen-muc/{cid}/len")
    assert r.status == 404


def test_taxonomy_category_with_articles_is_not_deleted(s):
    b = user(s, "bientap")
    cid = category_id(b, "Tin hoạt động")
    r = post_form(b, "/admin/chuyen-muc", f"/admin/chuyen-muc/{cid}/xoa", {})
    assert r.status == 409, r.status
    m = re.search(r'<p class="admin-alert" role="alert">([^<]*)</p>', r.text)
    assert m and "Tin hoạt động" in m.group(1) and "không xóa được vì chuyên mục còn" in m.group(1), r.text[:3000]
    n = int(re.search(r"còn ([\d.]+) bài viết", m.group(1)).group(1).replace(".", ""))
    listed = re.search(r'data-id="%d">.*?<span class="tax-count">([\d.]+) bài viết</span>' % cid,
                       b.get("/admin/chuyen-muc").text, re.S)
    assert listed and int(listed.group(1).replace(".", "")) == n > 0
    assert ("/tin-hoat-dong", "Tin hoạt động") in nav(s)
    # In English too.
    r = b.post(f"/admin/chuyen-muc/{cid}/xoa?lang=en",
               {"csrf": csrf_of(b.get("/admin/chuyen-muc").text, f"/admin/chuyen-muc/{cid}/xoa")})
    assert r.status == 409 and "cannot be deleted" in r.text


def test_taxonomy_article_addresses_follow_a_category_rename(s):
    b = user(s, "bientap")
    art = public(s, urllib.parse.urlsplit(s.seed["url"]).path)
    path = urllib.parse.urlsplit(s.seed["url"]).path
    assert path.startswith("/tin-hoat-dong/")
    cid = category_id(b, "Tin hoạt động")
    page = f"/admin/chuyen-muc/{cid}/sua"
    r = post_form(b, page, page, {"name": "Tin hoạt động", "slug": "hoat-dong"})
    assert r.status == 303
    try:
        moved = "/hoat-dong/" + path.split("/", 2)[2]
        r = s.get(path, headers=UA)
        assert r.status == 301 and r.header("location").endswith(moved), (r.status, r.headers)
        assert public(s, moved).status == 200
        old = s.get("/tin-hoat-dong", headers=UA)
        assert old.status in (200, 301, 308)
        assert ("/hoat-dong", "Tin hoạt động") in nav(s)
    finally:
        # Taking back a former slug is allowed (it stops being former).
        r = post_form(b, page, page, {"name": "Tin hoạt động", "slug": "tin-hoat-dong"})
        assert r.status == 303, r.text[:2000]
    assert public(s, path).text == art.text or public(s, path).status == 200
    assert ("/tin-hoat-dong", "Tin hoạt động") in nav(s)
    assert s.get("/hoat-dong", headers=UA).status in (200, 301, 308)


# ---- tags --------------------------------------------------------------------------


def test_taxonomy_tags_rename_merge_delete(s):
    b = user(s, "bientap")
    path = urllib.parse.urlsplit(s.seed["url"]).path
    tags = article_tags(s, path)
    assert "hội nghị" in tags and "kế hoạch 2021" in tags and "thi đua khen thưởng" in tags, tags

    # Search ignores marks and case.
    found = tag_rows(b, "HOI NGHI")
    assert any(n == "hội nghị" for _, n, _ in found), found
    assert all("ngh" in n.lower() for _, n, _ in found), found
    assert tag_rows(b, "khong-co-the-nao-nhu-the") == []
    assert "Không có thẻ nào." in b.get("/admin/the?q=%2A%2A%2A").text

    # Rename: the article page shows the new spelling at once.
    tid = tag_id(b, "hội nghị")
    page = f"/admin/the/{tid}/sua"
    r = post_form(b, page, page, {"name": "Hội nghị công tác"})
    assert r.status == 303 and r.header("location") == "/admin/the?ok=sua"
    tags = article_tags(s, path)
    assert "Hội nghị công tác" in tags and "hội nghị" not in tags
    # A name whose slug is another tag's is refused: merge instead.
    r = post_form(b, page, page, {"name": "Thi Đua Khen Thưởng"})
    assert r.status == 409 and "Hãy gộp hai thẻ" in r.text and 'value="Thi Đua Khen Thưởng"' in r.text
    r = post_form(b, page, page, {"name": "!!!"})
    assert r.status == 400 and "phải có chữ hoặc số" in r.text
    r = post_form(b, page, page, {"name": "t" * 65})
    assert r.status == 400 and "dài quá 64 byte" in r.text

    # Merge "kế hoạch 2021" into "thi đua khen thưởng": one tag left on the article.
    src = tag_id(b, "kế hoạch 2021")
    uses_before = {n: u for _, n, u in tag_rows(b, "thi dua")}["thi đua khen thưởng"]
    page = f"/admin/the/{src}/sua"
    r = post_form(b, page, f"/admin/the/{src}/gop", {"into": "khong co the nay"})
    assert r.status == 400 and "Không có thẻ nào tên như vậy." in r.text and 'value="khong co the nay"' in r.text
    r = post_form(b, page, f"/admin/the/{src}/gop", {"into": "Kế hoạch 2021"})
    assert r.status == 400 and "chính nó" in r.text
    n_before = len(article_tags(s, path))
    r = post_form(b, page, f"/admin/the/{src}/gop", {"into": "Thi dua khen thuong"})
    assert r.status == 303 and r.header("location") == "/admin/the?ok=gop", (r.status, r.text[:2000])
    tags = article_tags(s, path)
    assert "kế hoạch 2021" not in tags and "thi đua khen thưởng" in tags
    assert len(tags) == n_before - 1
    assert b.get(page).status == 404, "the merged tag is gone"
    uses_after = {n: u for _, n, u in tag_rows(b, "thi dua")}["thi đua khen thưởng"]
    assert uses_after >= uses_before

    # Delete: removed from every article, the articles stay.
    tid = tag_id(b, "thi đua khen thưởng")
    r = post_form(b, f"/admin/the/{tid}/sua", f"/admin/the/{tid}/xoa", {})
    assert r.status == 303 and r.header("location") == "/admin/the?ok=xoa"
    assert "thi đua khen thưởng" not in article_tags(s, path)
    assert tag_rows(b, "thi dua khen thuong") == []
    assert public(s, path).status == 200

    targets = audit_targets(s, "tag_change")
    assert "Hội nghị công tác" in targets and "thi đua khen thưởng" in targets, targets


# ---- links -------------------------------------------------------------------------


def test_taxonomy_links_add_move_edit_remove(s):
    b = user(s, "bientap")
    before = sidebar_links(s)
    assert len(before) >= 2
    r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/them",
                  {"title": "Bảo tàng Dân tộc học Việt Nam", "url": "https://www.vme.org.vn/vi"})
    assert r.status == 303 and r.header("location") == "/admin/lien-ket?ok=them"
    after = sidebar_links(s)
    assert after == before + [("https://www.vme.org.vn/vi", "Bảo tàng Dân tộc học Việt Nam")], after
    lid = admin_links(b)[-1][0]
    assert admin_links(b)[-1][1] == "Bảo tàng Dân tộc học Việt Nam"

    r = post_form(b, "/admin/lien-ket", f"/admin/lien-ket/{lid}/len", {})
    assert r.status == 303
    assert sidebar_links(s)[-2][1] == "Bảo tàng Dân tộc học Việt Nam"
    assert sidebar_links(s)[-1] == before[-1]
    for _ in range(len(before) + 2):  # up past the top is clamped
        post_form(b, "/admin/lien-ket", f"/admin/lien-ket/{lid}/len", {})
    assert sidebar_links(s)[0][1] == "Bảo tàng Dân tộc học Việt Nam"
    assert sidebar_links(s)[1:] == before
    r = post_form(b, "/admin/lien-ket", f"/admin/lien-ket/{lid}/xuong", {})
    assert r.status == 303
    assert [t for _, t in sidebar_links(s)][:2] == [before[0][1], "Bảo tàng Dân tộc học Việt Nam"]

    # Dragging: the whole order at once.
    ids = [i for i, _ in admin_links(b)]
    titles = [t for _, t in sidebar_links(s)]
    r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/thu-tu",
                  {"order": ",".join(str(i) for i in reversed(ids))})
    assert r.status == 303
    assert [t for _, t in sidebar_links(s)] == list(reversed(titles))
    r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/thu-tu",
                  {"order": ",".join(str(i) for i in ids + ids[:1])})
    assert r.status == 409
    r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/thu-tu", {"order": ",".join(str(i) for i in ids)})
    assert r.status == 303 and [t for _, t in sidebar_links(s)] == titles

    # Edit title and address.
    page = f"/admin/lien-ket/{lid}/sua"
    r = post_form(b, page, page, {"title": "Bảo tàng Dân tộc học", "url": "https://www.vme.org.vn"})
    assert r.status == 303 and r.header("location") == "/admin/lien-ket?ok=sua"
    assert ("https://www.vme.org.vn", "Bảo tàng Dân tộc học") in sidebar_links(s)
    r = post_form(b, page, page, {"title": "Bảo tàng Dân tộc học", "url": "javascript:alert(1)"})
    assert r.status == 400 and "phải bắt đầu bằng http:// hoặc https://" in r.text
    assert 'value="javascript:alert(1)"' in r.text
    assert ("https://www.vme.org.vn", "Bảo tàng Dân tộc học") in sidebar_links(s)

    # Remove.
    r = post_form(b, "/admin/lien-ket", f"/admin/lien-ket/{lid}/xoa", {})
    assert r.status == 303 and r.header("location") == "/admin/lien-ket?ok=xoa"
    assert sidebar_links(s) == before
    assert b.get(page).status == 404
    targets = audit_targets(s, "link_change")
    assert "Bảo tàng Dân tộc học Việt Nam" in targets and "Bảo tàng Dân tộc học" in targets, targets


def test_taxonomy_links_refuse_unsafe_urls_and_keep_the_form(s):
    b = user(s, "bientap")
    before = sidebar_links(s)
    cases = [
        ("javascript:alert(1)", "phải bắt đầu bằng http:// hoặc https://"),
        ("JaVaScRiPt:alert(document.cookie)", "phải bắt đầu bằng http:// hoặc https://"),
        ("data:text/html;base64,PHNjcmlwdD4=", "phải bắt đầu bằng http:// hoặc https://"),
        ("//evil.example", "phải bắt đầu bằng http:// hoặc https://"),
        ("/tin-hoat-dong", "phải bắt đầu bằng http:// hoặc https://"),
        ("ftp://example.org", "phải bắt đầu bằng http:// hoặc https://"),
        ("https://user@evil.example", "tên người dùng (@)"),
        ("https://", "thiếu tên miền"),
        ('https://a.vn/" onmouseover="alert(1)', "ký tự không hợp lệ"),
        ("", "không được để trống"),
        ("https://a.vn/" + "x" * 2000, "dài quá 2.000 byte"),
    ]
    for url, why in cases:
        r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/them", {"title": "Liên kết <xấu>", "url": url})
        assert r.status == 400, (url, r.status)
        assert why in r.text, (url, r.text[:3000])
        form = re.search(r'<form method="post" action="/admin/lien-ket/them".*?</form>', r.text, re.S).group(0)
        assert 'value="Liên kết &lt;xấu&gt;"' in form, "the title typed is kept, escaped"
        assert f'value="{attr(url)}"' in form, url
        assert "<xấu>" not in r.text
    r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/them", {"title": "  ", "url": "https://ok.vn"})
    assert r.status == 400 and "Tên liên kết không được để trống." in r.text
    r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/them", {"title": "t" * 201, "url": "https://ok.vn"})
    assert r.status == 400 and "dài quá 200 byte" in r.text
    assert sidebar_links(s) == before, "nothing was stored"
    # A path inside the site added with `sen links` keeps its address when the title is edited,
    # but cannot be given to a link here.
    r = s.run("links", "add", "Tin hoạt động", "/tin-hoat-dong", "--data", s.data)
    assert r.returncode == 0, r.stderr
    lid = admin_links(b)[-1][0]
    page = f"/admin/lien-ket/{lid}/sua"
    r = post_form(b, page, page, {"title": "Tin hoạt động của Bảo tàng", "url": "/tin-hoat-dong"})
    assert r.status == 303, r.text[:2000]
    assert sidebar_links(s)[-1] == ("/tin-hoat-dong", "Tin hoạt động của Bảo tàng")
    r = post_form(b, page, page, {"title": "Tin hoạt động", "url": "/tin-tuc"})
    assert r.status == 400 and "phải bắt đầu bằng http:// hoặc https://" in r.text
    assert post_form(b, "/admin/lien-ket", f"/admin/lien-ket/{lid}/xoa", {}).status == 303
    assert sidebar_links(s) == before
    # English messages.
    token = csrf_of(b.get("/admin/lien-ket").text, "/admin/lien-ket/them")
    r = b.post("/admin/lien-ket/them?lang=en", {"csrf": token, "title": "x", "url": "javascript:x"})
    assert r.status == 400 and "must start with http:// or https://" in r.text


# ---- who may, and how ----------------------------------------------------------------


POST_URLS = ["/admin/chuyen-muc/them", "/admin/chuyen-muc/thu-tu", "/admin/chuyen-muc/1/sua",
             "/admin/chuyen-muc/1/len", "/admin/chuyen-muc/1/xuong", "/admin/chuyen-muc/1/xoa",
             "/admin/chuyen-muc/987654/xoa", "/admin/the/1/sua", "/admin/the/1/gop", "/admin/the/1/xoa",
             "/admin/the/987654/xoa", "/admin/lien-ket/them", "/admin/lien-ket/thu-tu",
             "/admin/lien-ket/1/sua", "/admin/lien-ket/1/len", "/admin/lien-ket/1/xuong",
             "/admin/lien-ket/1/xoa", "/admin/lien-ket/987654/xoa"]
GET_URLS = ["/admin/chuyen-muc", "/admin/chuyen-muc/1/sua", "/admin/chuyen-muc/987654/sua", "/admin/the",
            "/admin/the?q=hoi", "/admin/the/1/sua", "/admin/lien-ket", "/admin/lien-ket/1/sua"]


def test_taxonomy_other_roles_are_refused(s):
    links, cats = sidebar_links(s), nav(s)
    for name in ("tacgia", "kiemduyet"):
        b = user(s, name)
        # A token the user really has (the logout form's) in case a check came late.
        token = csrf_of(b.get("/admin").text, "/admin/dang-xuat")
        for url in GET_URLS:
            r = b.get(url)
            assert r.status == 403, (name, url, r.status)
        for url in POST_URLS:
            r = b.post(url, {"csrf": token, "name": "Bị từ chối", "title": "x", "url": "https://x.vn",
                             "order": "1", "into": "x"})
            assert r.status == 403, (name, url, r.status)
        nav_html = b.get("/admin").text
        assert "/admin/chuyen-muc" not in nav_html and "/admin/lien-ket" not in nav_html
    # Without a session: GET goes to the login page, POST is 401.
    anon = Browser(s)
    r = anon.get("/admin/chuyen-muc")
    assert r.status == 303 and r.header("location").startswith("/admin/dang-nhap?next=")
    assert anon.post("/admin/lien-ket/them", {"title": "x", "url": "https://x.vn"}).status == 401
    # Admins may.
    assert user(s, "quantri").get("/admin/the").status == 200
    assert sidebar_links(s) == links and nav(s) == cats


def test_taxonomy_csrf_and_methods(s):
    b = user(s, "bientap")
    links, cats = sidebar_links(s), nav(s)
    other = csrf_of(b.get("/admin/lien-ket").text, "/admin/lien-ket/them")
    for url in POST_URLS:
        r = b.post(url, {"name": "Không token", "title": "x", "url": "https://x.vn", "order": "1"})
        assert r.status == 403, (url, r.status)
        if url != "/admin/lien-ket/them":
            r = b.post(url, {"csrf": other, "name": "Token khác", "title": "x", "url": "https://x.vn"})
            assert r.status == 403, ("token of another form", url, r.status)
    assert sidebar_links(s) == links and nav(s) == cats
    # GET (and HEAD) on a POST-only address: 405 with Allow.
    for url in ["/admin/chuyen-muc/them", "/admin/chuyen-muc/thu-tu", "/admin/chuyen-muc/1/len",
                "/admin/chuyen-muc/1/xuong", "/admin/chuyen-muc/1/xoa", "/admin/the/1/gop",
                "/admin/the/1/xoa", "/admin/lien-ket/them", "/admin/lien-ket/thu-tu",
                "/admin/lien-ket/1/len", "/admin/lien-ket/1/xuong", "/admin/lien-ket/1/xoa"]:
        r = b.get(url)
        assert r.status == 405 and r.header("allow") == "POST", (url, r.status, r.header("allow"))
    r = b.request("DELETE", "/admin/chuyen-muc")
    assert r.status == 405 and "GET" in r.header("allow")


def test_taxonomy_names_are_escaped_everywhere(s):
    b = user(s, "bientap")
    evil = '<script>alert("cm")</script>'
    r = add_category(b, evil)
    assert r.status == 303, r.text[:2000]
    cid = category_id(b, evil)
    try:
        page = b.get("/admin/chuyen-muc").text
        assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;cm&quot;)&lt;/script&gt;" in page
        home = public(s, "/").text
        assert "<script>alert" not in home and "&lt;script&gt;" in home
        assert (f"/script-alert-cm-script", evil) in nav(s)
        assert "&lt;script&gt;" in b.get(f"/admin/chuyen-muc/{cid}/sua").text
    finally:
        r = post_form(b, "/admin/chuyen-muc", f"/admin/chuyen-muc/{cid}/xoa", {})
        assert r.status == 303

    # A tag renamed to markup shows as text on the article page.
    path = urllib.parse.urlsplit(s.all[-1]["url"]).path
    tags = article_tags(s, path)
    assert tags, "the oldest demo article has tags"
    tid = tag_id(b, tags[0])
    page = f"/admin/the/{tid}/sua"
    r = post_form(b, page, page, {"name": "<img src=x onerror=alert(1)>"})
    assert r.status == 303, r.text[:2000]
    art = public(s, path).text
    assert "<img src=x" not in art and "&lt;img src=x onerror=alert(1)&gt;" in art
    assert "<img src=x" not in b.get("/admin/the?q=img").text
    r = post_form(b, page, page, {"name": tags[0]})
    assert r.status == 303

    # A link title with markup.
    r = post_form(b, "/admin/lien-ket", "/admin/lien-ket/them",
                  {"title": "<b onclick=x>Đậm</b>", "url": "https://vi.wikipedia.org/wiki/Sen"})
    assert r.status == 303
    lid = [i for i, t in admin_links(b) if t == "<b onclick=x>Đậm</b>"][0]
    assert "<b onclick" not in public(s, "/").text and "&lt;b onclick=x&gt;Đậm&lt;/b&gt;" in public(s, "/").text
    assert "<b onclick" not in b.get("/admin/lien-ket").text
    assert post_form(b, "/admin/lien-ket", f"/admin/lien-ket/{lid}/xoa", {}).status == 303


def test_taxonomy_pages_work_on_a_phone_and_in_english(s):
    b = user(s, "bientap")
    for url, title in [("/admin/chuyen-muc", "Categories"), ("/admin/the", "Tags"),
                       ("/admin/lien-ket", "Website links")]:
        r = b.get(url + "?lang=en")
        assert r.status == 200 and f"<h1>{title}</h1>" in r.text, url
        r = b.get(url)
        assert r.status == 200
        assert 'name="viewport"' in r.text
        assert "/static/css/admin/taxonomy.css" in r.text and "/static/js/admin/taxonomy.js" in r.text
        assert "style=" not in r.text and "<script>" not in r.text and " onclick=" not in r.text
    css = s.get("/static/css/admin/taxonomy.css")
    assert css.status == 200 and b"@media" in css.body
    js = s.get("/static/js/admin/taxonomy.js")
    assert js.status == 200 and b"dragstart" in js.body
    # Numbers the Vietnamese way in the tag list (thousands would be 1.234).
    assert re.search(r'<td class="tax-num">\d+</td>', b.get("/admin/the").text)


def test_taxonomy_tag_list_pages(s):
    b = user(s, "bientap")
    first = b.get("/admin/the").text
    names1 = re.findall(r'<td class="tax-name">([^<]*)</td>', first)
    m = re.search(r'<a href="([^"]*)" rel="next">', first)
    if len(names1) < 50:
        assert not m and 'rel="prev"' not in first
        return
    assert len(names1) == 50 and m, "50 tags a page, then a link to the next"
    second = b.get(htmllib.unescape(m.group(1)))
    assert second.status == 200
    names2 = re.findall(r'<td class="tax-name">([^<]*)</td>', second.text)
    assert names2 and not set(names1) & set(names2)
    assert 'rel="prev"' in second.text
    for bad in ("0", "-1", "abc", "99999999"):
        assert b.get(f"/admin/the?trang={bad}").status == 400, bad
    assert b.get("/admin/the?q=" + "a" * 201).status == 400
