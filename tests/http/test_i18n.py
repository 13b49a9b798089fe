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


def test_accept_language(s):
    r = s.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})
    assert '<html lang="en">' in r.text
    r = s.get("/", headers={"Accept-Language": "fr, vi;q=0.8, en;q=0.3"})
    assert '<html lang="vi">' in r.text
    r = s.get("/", headers={"Accept-Language": "de"})
    assert '<html lang="vi">' in r.text


def test_cached_pages_keep_languages_apart(s):
    for _ in range(3):
        assert '<html lang="en">' in s.get("/", headers={"Cookie": "sen_lang=en"}).text
        assert '<html lang="vi">' in s.get("/").text


def test_error_pages_in_both_languages(s):
    assert "Không tìm thấy trang" in s.get("/khong-co/bai-999999").text
    r = s.get("/khong-co/bai-999999", headers={"Accept-Language": "en"})
    assert r.status == 404 and "Page not found" in r.text


def test_dates_day_first_in_both(s):
    assert "18/01/2021" in s.get("/?lang=en").text
    assert "18/01/2021" in s.get("/").text


def test_language_switch_keeps_the_query(s):
    r = s.get("/tim-kiem?q=%C4%91i%E1%BB%87n+bi%C3%AAn")
    assert r.status == 200
    assert 'href="/tim-kiem?q=%C4%91i%E1%BB%87n%20bi%C3%AAn&amp;lang=en"' in r.text, \
        [l for l in r.text.split("\n") if "hreflang" in l]
