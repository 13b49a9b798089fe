"""Issue 4 (interface languages): Vietnamese by default, English on request."""
from harness import Server


def setup_module(sen):
    return Server(sen).start()


def teardown_module(s):
    s.close()


def test_vietnamese_by_default(s):
    r = s.get("/")
    assert r.status == 200
    assert '<html lang="vi">' in r.text
    assert "Trang chủ" in r.text and "Liên kết website" in r.text
    assert r.header("content-language") == "vi"
    assert 'hreflang="en"' in r.text  # the switch to English


def test_switch_to_english_is_remembered(s):
    r = s.get("/?lang=en")
    assert '<html lang="en">' in r.text
    assert ">Home<" in r.text and "Website links" in r.text and "Latest news" in r.text
    cookie = r.header("set-cookie")
    assert cookie and cookie.startswith("sen_lang=en")
    r2 = s.get("/tin-hoat-dong", headers={"Cookie": "sen_lang=en"})
    assert '<html lang="en">' in r2.text and "Sections" in r2.text
    # article content stays as written
    assert "Hội nghị triển khai nhiệm vụ công tác năm 2021" in r2.text


def test_english_browser_reads_vietnamese_with_an_offer(s):
    """The interface is Vietnamese unless the reader chooses: an English
    browser (most headless ones, many Vietnamese readers') gets Vietnamese and
    one line, in English, offering the English page."""
    for al in ("en-US,en;q=0.9", "en-GB,en;q=0.9,vi;q=0.5"):
        r = s.get("/", headers={"Accept-Language": al})
        assert r.status == 200
        assert '<html lang="vi">' in r.text and r.header("content-language") == "vi"
        assert ">Trang chủ<" in r.text and ">Home<" not in r.text
        assert '<p class="lang-offer" lang="en"><a href="/?lang=en" hreflang="en" rel="alternate">' \
               "Read in English</a></p>" in r.text, al
        assert r.header("set-cookie") is None  # offering is not choosing
    # a browser that prefers Vietnamese, or neither language, gets no offer
    for al in ("vi-VN,vi;q=0.9,en;q=0.8", "fr, vi;q=0.8, en;q=0.3", "de", None):
        r = s.get("/tin-hoat-dong", headers={"Accept-Language": al} if al else {})
        assert '<html lang="vi">' in r.text and "lang-offer" not in r.text, al


def test_choosing_english_sets_the_cookie_and_the_cookie_keeps_it(s):
    r = s.get("/tin-hoat-dong?lang=en", headers={"Accept-Language": "vi"})
    assert '<html lang="en">' in r.text and r.header("content-language") == "en"
    assert r.header("set-cookie").startswith("sen_lang=en;")
    assert "lang-offer" not in r.text
    # the cookie keeps English whatever the browser prefers ...
    for al in ("vi", "en-US", None):
        h = {"Cookie": "sen_lang=en"}
        if al:
            h["Accept-Language"] = al
        r = s.get("/tin-hoat-dong", headers=h)
        assert '<html lang="en">' in r.text and "Sections" in r.text, al
    # ... and a reader who chose Vietnamese is not offered English again
    r = s.get("/", headers={"Cookie": "sen_lang=vi", "Accept-Language": "en-US"})
    assert '<html lang="vi">' in r.text and "lang-offer" not in r.text


def test_cached_pages_keep_the_offer_apart(s):
    """The offer is part of the page: the cache must not hand the English
    browser's copy to others, nor the other way round."""
    for _ in range(3):
        assert "lang-offer" in s.get("/", headers={"Accept-Language": "en-US"}).text
        assert "lang-offer" not in s.get("/").text
        assert "lang-offer" not in s.get("/", headers={"Cookie": "sen_lang=en"}).text


def test_cached_pages_keep_languages_apart(s):
    for _ in range(3):
        assert '<html lang="en">' in s.get("/", headers={"Cookie": "sen_lang=en"}).text
        assert '<html lang="vi">' in s.get("/").text


def test_error_pages_in_both_languages(s):
    assert "Không tìm thấy trang" in s.get("/khong-co/bai-999999").text
    r = s.get("/khong-co/bai-999999", headers={"Cookie": "sen_lang=en"})
    assert r.status == 404 and "Page not found" in r.text
    # the browser's language alone does not switch it
    r = s.get("/khong-co/bai-999999", headers={"Accept-Language": "en"})
    assert r.status == 404 and "Không tìm thấy trang" in r.text


def test_dates_day_first_in_both(s):
    assert "18/01/2021" in s.get("/?lang=en").text
    assert "18/01/2021" in s.get("/").text


def test_language_switch_keeps_the_query(s):
    r = s.get("/tim-kiem?q=%C4%91i%E1%BB%87n+bi%C3%AAn")
    assert r.status == 200
    assert 'href="/tim-kiem?q=%C4%91i%E1%BB%87n%20bi%C3%AAn&amp;lang=en"' in r.text, \
        [l for l in r.text.split("\n") if "hreflang" in l]


# ---- every label of the public pages from the catalogs (issue 4) --------------------------

import glob
import html as htmlmod
import os
import re
import time
import urllib.parse

from harness import ROOT

UA = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) sen-e2e-i18n"}
EN = dict(UA, Cookie="sen_lang=en")
VI = dict(UA)
PUBLIC_TEMPLATES = [p for p in glob.glob(os.path.join(ROOT, "themes", "default", "**", "*.mustache"),
                                         recursive=True)
                    if os.sep + "admin" + os.sep not in p and not os.path.basename(p).startswith("admin")]
T_KEY = re.compile(r"\{\{\{?\s*[#^/&]?\s*t\.([A-Za-z0-9_]+)\s*\}?\}\}")


def read_po(path):
    """{msgid: msgstr} of one .po file (multi-line strings, C escapes); entries
    with an empty msgstr are left out, as the server does."""
    out, cur, field = {}, {}, None

    def unq(s):
        return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    def flush():
        if cur.get("msgid") and cur.get("msgstr"):
            out[cur["msgid"]] = cur["msgstr"]

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r'(msgctxt|msgid|msgstr)\s+(".*")$', line)
            if m:
                if m.group(1) == "msgid" or (m.group(1) == "msgctxt" and "msgstr" in cur):
                    flush()
                    cur = {}
                field = m.group(1)
                cur[field] = unq(m.group(2))
            elif line.startswith('"') and field:
                cur[field] += unq(line)
    flush()
    return out


def catalogs(lang):
    """The root catalog and every part's, merged as the server merges them."""
    merged = dict(read_po(os.path.join(ROOT, "locale", f"{lang}.po")))
    for part in sorted(glob.glob(os.path.join(ROOT, "locale", "*", f"{lang}.po"))):
        merged.update(read_po(part))
    return merged


def template_keys():
    keys = {}
    for path in glob.glob(os.path.join(ROOT, "themes", "default", "**", "*.mustache"), recursive=True):
        with open(path, encoding="utf-8") as f:
            for k in T_KEY.findall(f.read()):
                keys.setdefault(k, os.path.relpath(path, ROOT))
    return keys


def vietnamese_only_labels():
    """Texts of the Vietnamese catalog that public templates use and whose
    English differs: none of them may be left on an English page."""
    vi, en = catalogs("vi"), catalogs("en")
    used = set()
    for path in PUBLIC_TEMPLATES:
        with open(path, encoding="utf-8") as f:
            used.update(T_KEY.findall(f.read()))
    used.update(k for k in vi if k.startswith("portal_"))  # also messages made in C
    labels = set()
    for k in used:
        v = vi.get(k)
        if v and en.get(k) and en[k] != v and re.search(r"[^\x00-\x7f]", v):
            # "{n}" placeholders: the fixed part before the first one
            labels.add(v.split("{")[0].strip() or v)
    return sorted(l for l in labels if len(l) >= 4)


def interface_text(page):
    """The page as a reader sees it, without the article's own words (its
    body, from the first body tag to the end of the article) and other data."""
    text = page
    for start in ('<div class="article-body">', '<div class="print-body">'):
        i = text.find(start)
        if i >= 0:
            j = text.find("</article>", i)
            text = text[:i] + (text[j:] if j > 0 else "")
    # the titles of the website links are data too (one is the Department's name)
    text = re.sub(r'(<section class="widget widget-links".*?<ul>).*?(</ul>)', r"\1\2", text,
                  flags=re.S)
    # so are the categories' names, in links to them and the search form's
    # choice ("Sưu tầm - Hiện vật" holds the menu's own label "Hiện vật")
    text = re.sub(r'<a href="/(?!hien-vat")[a-z0-9-]+"( aria-current="page")?>[^<]*</a>', "",
                  text)
    text = re.sub(r'(<select id="tk-cm" name="chuyen-muc">).*?(</select>)', r"\1\2", text,
                  flags=re.S)
    return htmlmod.unescape(text)


def assert_no_vietnamese_labels(page, where):
    text = interface_text(page)
    labels = vietnamese_only_labels()
    assert len(labels) > 100, "too few labels to look for: is the catalog read?"
    left = [l for l in labels if l in text]
    assert not left, f"{where}: Vietnamese labels on an English page: {left[:8]}"


def seed_path(s):
    items = s.get("/api/v1/articles").json()["items"]
    seed = [i for i in items if "Hội nghị triển khai" in i["title"]] or items
    return urllib.parse.urlsplit(seed[0]["url"]).path, seed[0]["id"]


def test_every_template_key_is_in_both_catalogs():
    vi, en = catalogs("vi"), catalogs("en")
    en_own = {}
    for path in [os.path.join(ROOT, "locale", "en.po")] + glob.glob(os.path.join(ROOT, "locale", "*", "en.po")):
        en_own.update(read_po(path))
    keys = template_keys()
    assert len(keys) > 100, "the template scan found too few {{t.KEY}}"
    missing_vi = sorted(f"{k} ({p})" for k, p in keys.items() if k not in vi)
    missing_en = sorted(f"{k} ({p})" for k, p in keys.items() if not en_own.get(k))
    assert not missing_vi, f"keys used by templates but not in any vi.po: {missing_vi}"
    assert not missing_en, f"keys with no English translation in en.po: {missing_en}"
    # and the catalogs the public pages use have no untranslated twin either
    for k in (k for k in vi if k.startswith("portal_")):
        assert en_own.get(k), f"{k} has no English in locale/en.po"


def test_no_vietnamese_literal_left_in_public_templates():
    for path in PUBLIC_TEMPLATES:
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"\{\{!.*?\}\}", "", f.read(), flags=re.S)
        left = re.findall(r"[^\s<>{}]*[\u00c0-\u1ef9][^<>{}\n]*", text)
        assert not left, f"{os.path.relpath(path, ROOT)}: literal text {left[:3]}"


def test_article_page_labels_in_english(s):
    path, _ = seed_path(s)
    r = s.get(path + "?e2e=en", headers=EN)
    assert r.status == 200 and '<html lang="en">' in r.text
    page = r.text
    for label in ("Print this article", "Comments (", "Leave a comment", "Verification code",
                  "Another code", "Send the comment", "(required)", "No ratings yet.",
                  "Rate this article", "1 star", "Send the rating", "Visitor statistics",
                  "Visits: ", "Online: ", "Search the articles", 'placeholder="Search…"',
                  'data-msg-typed="{n} characters typed."',
                  'data-msg-thanks="Thank you for rating this article."',
                  'data-count-label="Rating: votes:"'):
        assert label in page, label
    if 'id="tin-lien-quan"' in page:
        assert "Related news" in page
    assert_no_vietnamese_labels(page, path)
    # the article itself stays as written
    assert "Hội nghị triển khai nhiệm vụ công tác năm 2021" in page


def test_article_page_labels_in_vietnamese_unchanged(s):
    path, _ = seed_path(s)
    page = s.get(path + "?e2e=vi", headers=VI).text
    for label in ("In bài viết", "Bình luận (", "Gửi bình luận", "Mã xác thực", "Mã khác",
                  "(bắt buộc)", "Chưa có lượt đánh giá nào.", "Chấm điểm bài viết này", "1 sao",
                  "Thống kê truy cập", "Thống kê: ", "Online: ", "Tìm kiếm bài viết",
                  "Văn bản thuần, tối đa 4.000 ký tự và 2 liên kết.",
                  'data-msg-typed="Đã nhập {n} ký tự."',
                  'data-msg-thanks="Cảm ơn bạn đã đánh giá."',
                  'data-count-label="Đánh giá: lượt đánh giá:"'):
        assert label in page, label
    if 'id="tin-lien-quan"' in page:
        assert "Tin liên quan" in page


def test_rating_summary_and_message_in_both_languages(s):
    path, aid = seed_path(s)
    agent = {"User-Agent": f"Mozilla/5.0 sen-e2e-i18n-rate/{time.time_ns()}"}
    r = s.request("POST", f"/danh-gia/{aid}", body="stars=4",
                  headers=dict(agent, **{"Content-Type": "application/x-www-form-urlencoded"}))
    assert r.status == 303, r.status
    en = s.get(path + "?danh-gia=da-ghi", headers=EN).text
    assert re.search(r"Rating: votes: \d+, average: \d\.\d<", en), "no English summary"
    assert "Thank you for rating this article." in en
    vi = s.get(path + "?danh-gia=da-ghi", headers=VI).text
    assert re.search(r"Đánh giá: lượt đánh giá: \d+, trung bình: \d,\d<", vi)
    assert "Cảm ơn bạn đã đánh giá." in vi
    bad = s.request("POST", f"/danh-gia/{aid}", body="stars=9",
                    headers=dict(agent, Cookie="sen_lang=en",
                                 **{"Content-Type": "application/x-www-form-urlencoded"}))
    assert bad.status == 400 and "The stars must be a whole number from 1 to 5." in bad.text
    assert_no_vietnamese_labels(bad.text, "rating refused")


def comment_form(s, path, aid, headers, **fields):
    """Posts the comment form like a browser would after reading the page."""
    token = re.search(r'name="t" value="([0-9]+\.[0-9a-f]{32})"',
                      s.get(path + f"?e2e={time.time_ns()}", headers=headers).text).group(1)
    pic = s.get(f"/ma-xac-thuc/moi.png?bai={aid}&n=1", headers=headers)
    captcha = re.match(r"(sen_captcha=[0-9a-f]{32});", pic.header("set-cookie")).group(1)
    time.sleep(3.2)  # a person takes longer than the minimum fill time
    f = {"name": "Trần Thị Hoa", "email": "", "body": "Cảm ơn bảo tàng.", "website": "",
         "t": token, "ma": "ZZZZZZ"}
    f.update(fields)
    cookie = "; ".join(c for c in (headers.get("Cookie"), captcha) if c)
    return s.request("POST", f"/binh-luan/{aid}", body=urllib.parse.urlencode(f),
                     headers=dict(headers, Cookie=cookie,
                                  **{"Content-Type": "application/x-www-form-urlencoded"}))


def test_comment_form_wrong_captcha_in_english(s):
    path, aid = seed_path(s)
    agent = f"Mozilla/5.0 sen-e2e-i18n-comment-en/{time.time_ns()}"
    r = comment_form(s, path, aid, {"User-Agent": agent, "Cookie": "sen_lang=en"})
    assert r.status == 422, r.status
    assert "The verification code is wrong." in r.text
    assert "Mã xác thực không đúng." not in r.text
    assert "Cảm ơn bảo tàng." in r.text  # what the reader typed comes back as typed
    assert_no_vietnamese_labels(r.text, "comment refused")
    # a reason from the comment model is said in English too
    r = comment_form(s, path, aid, {"User-Agent": agent, "Cookie": "sen_lang=en"}, name="")
    assert r.status == 422 and "Please type your name." in r.text
    assert "Vui lòng nhập họ tên." not in r.text


def test_comment_form_wrong_captcha_in_vietnamese(s):
    path, aid = seed_path(s)
    agent = f"Mozilla/5.0 sen-e2e-i18n-comment-vi/{time.time_ns()}"
    r = comment_form(s, path, aid, {"User-Agent": agent})
    assert r.status == 422 and "Mã xác thực không đúng." in r.text
    r = comment_form(s, path, aid, {"User-Agent": agent}, name="")
    assert r.status == 422 and "Vui lòng nhập họ tên." in r.text


def test_search_page_in_english(s):
    start = s.get("/tim-kiem", headers=EN).text
    assert "<h1 class=\"page-title\">Search</h1>" in start and "Filter the results" in start
    assert "All categories" in start and "Type with or without Vietnamese accents" in start
    assert_no_vietnamese_labels(start, "/tim-kiem")
    found = s.get("/tim-kiem?q=h%E1%BB%99i+ngh%E1%BB%8B", headers=EN)
    assert found.status == 200
    assert re.search(r"Found <strong>[\d,]+</strong> results for “hội nghị”", found.text)
    assert "<title>Search: hội nghị - " in found.text
    assert_no_vietnamese_labels(found.text, "search with results")
    none = s.get("/tim-kiem?q=%22zzqx+wwyv%22+abcxyz", headers=EN)
    assert none.status == 200
    assert "No articles found for “" in none.text and "Suggestions" in none.text
    assert "Check the spelling." in none.text and "Try fewer keywords:" in none.text
    assert "Remove the quotes to search for each word:" in none.text
    assert_no_vietnamese_labels(none.text, "search without results")
    bad = s.get("/tim-kiem?q=x&tu=18-01-2021", headers=EN)
    assert bad.status == 400 and "The start date must be written year-month-day" in bad.text
    empty = s.get("/tim-kiem?q=%2B%2B%2B", headers=EN)
    assert empty.status == 400 and "Type keywords with letters or digits." in empty.text
    assert_no_vietnamese_labels(empty.text, "search refused")


def test_search_page_in_vietnamese_unchanged(s):
    found = s.get("/tim-kiem?q=h%E1%BB%99i+ngh%E1%BB%8B", headers=VI).text
    assert re.search(r"Tìm thấy <strong>[\d.]+</strong> kết quả cho “hội nghị”", found)
    assert "<title>Tìm kiếm: hội nghị - " in found
    none = s.get("/tim-kiem?q=%22zzqx+wwyv%22+abcxyz", headers=VI).text
    assert "Không tìm thấy bài viết nào cho “" in none and "Gợi ý" in none
    assert "Kiểm tra lại chính tả. Có dấu hay không dấu đều tìm được" in none
    bad = s.get("/tim-kiem?q=x&tu=18-01-2021", headers=VI)
    assert "Ngày bắt đầu phải có dạng năm-tháng-ngày, ví dụ 2021-01-18." in bad.text
    empty = s.get("/tim-kiem?q=%2B%2B%2B", headers=VI)
    assert "Hãy nhập từ khóa có chữ hoặc số." in empty.text
    # the API keeps Vietnamese for a client that asks for nothing else
    api = s.get("/api/v1/search?q=%2B%2B%2B")
    assert api.status == 400 and api.json()["message"] == "Hãy nhập từ khóa có chữ hoặc số."


def test_print_view_in_both_languages(s):
    path, _ = seed_path(s)
    en = s.get(path + "/in", headers=EN)
    assert en.status == 200 and '<html lang="en">' in en.text
    for label in ("« Back to the article", "Ctrl+P", "Published:", "Source:"):
        assert label in en.text, label
    assert_no_vietnamese_labels(en.text, "print view")
    assert "Hội nghị triển khai nhiệm vụ công tác năm 2021" in en.text
    vi = s.get(path + "/in", headers=VI).text
    for label in ("« Quay lại bài viết", "Dùng lệnh In của trình duyệt (Ctrl+P)", "Ngày đăng:",
                  "Nguồn:"):
        assert label in vi, label


def test_feedback_api_messages_follow_the_reader(s):
    """widgets.js shows the API's message when a vote is refused: it follows
    the reader's language too (cookie or ?lang=en), Vietnamese by default,
    whatever the browser prefers."""
    _, aid = seed_path(s)
    url = f"/api/v1/articles/{aid}/rating"
    r = s.request("POST", url, body="stars=3", headers=dict(EN, **{"Content-Type": "text/plain"}))
    assert r.status == 415
    assert r.json()["message"] == "The request body must be JSON (Content-Type: application/json)."
    r = s.request("POST", url, body="stars=3", headers=dict(VI, **{"Content-Type": "text/plain"}))
    assert r.json()["message"] == "Dữ liệu gửi lên phải là JSON (Content-Type: application/json)."
    r = s.request("POST", url + "?lang=en", body='{"stars": 9}',
                  headers=dict(UA, **{"Content-Type": "application/json"}))
    assert r.status == 400 and r.json()["message"] == "The stars must be a whole number from 1 to 5."
    r = s.request("POST", url, body='{"stars": 9}',
                  headers=dict(UA, **{"Content-Type": "application/json", "Accept-Language": "en"}))
    assert r.status == 400 and r.json()["message"] == "Số sao phải là số nguyên từ 1 đến 5.", r.body
    assert r.json()["error"] == "invalid_stars"
    r = s.request("POST", f"/api/v1/articles/{aid}/comments", body='{"name": 5, "body": "x"}',
                  headers=dict(EN, **{"Content-Type": "application/json"}))
    assert r.status == 400 and r.json()["message"] == 'The field "name" must be a string.', r.body


def test_api_errors_keep_their_code_and_follow_the_language(s):
    """api.c and visits.c used to answer in Vietnamese only: their messages now
    come from the catalogs in the request's language; the code stays."""
    cases = [("/api/v1/articles?category=khong-co-chuyen-muc", 404, "unknown_category",
              "Không có chuyên mục này.", "There is no such category."),
             ("/api/v1/articles?after=abc", 400, "bad_cursor",
              "Tham số after không hợp lệ.", "The parameter after is not valid."),
             ("/api/v1/articles/999999999", 404, "not_found",
              "Không tìm thấy bài viết.", "Article not found.")]
    for url, status, code, vi, en in cases:
        r = s.get(url, headers={"Accept-Language": "en-US"})
        assert r.status == status and r.json() == {"error": code, "message": vi}, (url, r.body)
        r = s.get(url, headers={"Cookie": "sen_lang=en"})
        assert r.status == status and r.json() == {"error": code, "message": en}, (url, r.body)
