"""Issue 14, plans and indicators: /admin/ke-hoach (the plans, a new year)
and /admin/ke-hoach/YEAR (the dashboard: a bar per indicator, target,
actual read live from the records, percent rounded half up, "vượt kế
hoạch", quarters and months against their slices, behind plan marked; the
forms to add an indicator and to check in). The demo's 2020 plan reads
135 -> 117% and 04 -> 133% from the records, and changing one 2020
acquisition changes the percent on the next load. Every refusal names the
field in Vietnamese and keeps what was typed; every change is audited;
planners plan, planners and curators check in, the council reads, editors
and authors never reach it; text is escaped."""
import html as htmllib
import os
import re
import sqlite3

from admin_client import accounts_module, csrf_of, role_refusals

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "kehoach": "Kế hoạch công tác năm hai nghìn",
    "baotang": "Cán bộ kho hiện vật Mường Thanh",
    "hoidong": "Hội đồng khoa học họp tháng Năm",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
}
ROLES = {"quantri": "admin", "kehoach": "planner", "baotang": "curator", "hoidong": "council",
         "bientap": "editor", "tacgia": "author"}

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

LIST = "/admin/ke-hoach"
XSS = '<script>alert("x")</script>'


def query(s, sql, *args):
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    try:
        with db:
            return db.execute(sql, args).fetchall()
    finally:
        db.close()


def alert(r):
    return " ".join(htmllib.unescape(m) for m in re.findall(r'role="alert">([^<]*)', r.text))


def row_of(text, name):
    """The dashboard's indicator row whose name is name, as text."""
    for m in re.finditer(r'<tr id="chi-tieu-\d+"[^>]*>(.*?)</tr>', text, re.S):
        if htmllib.escape(name, quote=False) in m.group(1):
            return htmllib.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))
    raise AssertionError(f"no row for {name}")


def test_demo_2020_reads_117_and_133_live(s):
    b = browser(s, "hoidong")
    r = b.get(LIST + "/2020")
    assert r.status == 200
    collect = row_of(r.text, "Sưu tầm tài liệu, hiện vật")
    assert "115 hiện vật" in collect and "135 hiện vật" in collect, collect
    assert "117%" in collect and "vượt kế hoạch" in collect, collect
    shows = row_of(r.text, "Tổ chức trưng bày, triển lãm")
    assert "3 cuộc" in shows and "4 cuộc" in shows and "133%" in shows, shows
    assert "vượt kế hoạch" in shows
    # Visitors 61.180 of 65.000 (94%): behind plan in a year that is over.
    visitors = row_of(r.text, "Đón khách tham quan triển lãm")
    assert "61.180" in visitors and "65.000" in visitors and "94%" in visitors, visitors
    assert "chậm so với kế hoạch" in visitors
    assert re.search(r'<tr id="chi-tieu-\d+" class="plan-behind', r.text)
    # The chart: one bar per indicator, server-drawn SVG.
    svg = re.search(r"<svg.*?</svg>", r.text, re.S).group(0)
    assert "Sưu tầm tài liệu, hiện vật: 117 %" in htmllib.unescape(svg), svg[:500]
    # One 2020 acquisition of 25 objects moves to 2021: 110 of 115, 96%.
    (acq,) = query(s, "SELECT id FROM acquisitions WHERE handover_no = '5/2020/BBGN'")[0]
    query(s, "UPDATE acquisitions SET acquired_on = '2021-01-05' WHERE id = ?", acq)
    try:
        collect = row_of(b.get(LIST + "/2020").text, "Sưu tầm tài liệu, hiện vật")
        assert "110 hiện vật" in collect and "96%" in collect, collect
        assert "vượt kế hoạch" not in collect
    finally:
        query(s, "UPDATE acquisitions SET acquired_on = '2020-11-03' WHERE id = ?", acq)
    collect = row_of(b.get(LIST + "/2020").text, "Sưu tầm tài liệu, hiện vật")
    assert "135 hiện vật" in collect and "117%" in collect, collect
    # English: the same figures.
    r = b.get(LIST + "/2020?lang=en")
    assert "117%" in row_of(r.text, "Sưu tầm tài liệu, hiện vật") and "above plan" in r.text
    assert "Percent of plan" in r.text
    assert "vượt kế hoạch" in b.get(LIST + "/2020?lang=vi").text   # back to Vietnamese


def test_demo_2021_quarters_and_months(s):
    r = browser(s, "kehoach").get(LIST + "/2021")
    assert r.status == 200
    timeline = re.search(r'<table class="admin-table plan-timeline">(.*?)</table>', r.text, re.S).group(1)
    assert "Sưu tầm tài liệu, hiện vật" in timeline
    assert "/ 20 (" in timeline and "/ 40 (" in timeline, timeline
    months = re.search(r'plan-months">(.*?)</table>', r.text, re.S).group(1)
    assert "Tháng 12" in months and "/10<" in months
    assert LIST in browser(s, "kehoach").get(LIST).text


def indicator_form(b, year, **fields):
    url = f"{LIST}/{year}/chi-tieu"
    page = b.get(f"{LIST}/{year}").text
    f = {"csrf": csrf_of(page, url), "name": "Nói chuyện chuyên đề", "measure": "buổi",
         "target": "12", "source": "checkin", "note": ""}
    for k in ["q1", "q2", "q3", "q4"] + ["m%d" % i for i in range(1, 13)]:
        f[k] = ""
    f.update(fields)
    return url, f


def test_indicator_validation_names_the_field_and_keeps_input(s):
    b = browser(s, "kehoach")
    (before,) = query(s, "SELECT count(*) FROM plan_indicators")[0]
    cases = [
        ({"name": " "}, "Chỉ tiêu: bắt buộc"),
        ({"measure": ""}, "Đơn vị tính: bắt buộc"),
        ({"target": "mười hai"}, "Chỉ tiêu năm: không phải là số"),
        ({"target": "0"}, "Chỉ tiêu năm: phải là số nguyên từ 1"),
        ({"target": ""}, "Chỉ tiêu năm: bắt buộc"),
        ({"source": "tay"}, "Nguồn số liệu:"),
        ({"q1": "3", "q2": "3", "q3": "3", "q4": "2"},
         "Chia theo quý: tổng các phần không bằng chỉ tiêu năm (11 ≠ 12)"),
        ({"q1": "ba"}, "Chia theo quý: không phải là số"),
        ({"m1": "12", "m2": "1"}, "Chia theo tháng: tổng các phần không bằng chỉ tiêu năm (13 ≠ 12)"),
    ]
    for fields, message in cases:
        url, f = indicator_form(b, 2021, **fields)
        f.setdefault("name", "Nói chuyện chuyên đề")
        r = b.post(url, f)
        assert r.status == 400, (fields, r.status)
        assert message in alert(r), (fields, alert(r))
        for k, v in fields.items():
            if v.strip() and k != "source":
                assert 'value="%s"' % htmllib.escape(v) in r.text, (k, v)
    assert query(s, "SELECT count(*) FROM plan_indicators")[0][0] == before
    # A good one, split by quarter, lands and is audited.
    url, f = indicator_form(b, 2021, name="Triển lãm lưu động " + XSS, q1="3", q2="3", q3="3",
                            q4="3", target="12")
    r = b.post(url, f)
    assert r.status == 303, alert(r)
    page = b.get(f"{LIST}/2021").text
    assert XSS not in page and "&lt;script&gt;alert(" in page
    (details,) = query(s, "SELECT details FROM audit_log WHERE action = 'plan_change'"
                          " ORDER BY id DESC LIMIT 1")[0]
    assert "add indicator" in details and "target 12" in details


def checkin_form(b, year, indicator, **fields):
    url = f"{LIST}/{year}/ket-qua"
    page = b.get(f"{LIST}/{year}").text
    f = {"csrf": csrf_of(page, url), "indicator_id": str(indicator), "done_on": "15/05/2020",
         "value": "2", "note": "Trường THCS Noong Bua", "media_id": ""}
    f.update(fields)
    return url, f


def test_checkins(s):
    b = browser(s, "baotang")
    ((talks,),) = query(s, "SELECT x.id FROM plan_indicators x JOIN plans p ON p.id = x.plan_id"
                          " WHERE p.year = 2020 AND x.source = 'checkin' ORDER BY x.id LIMIT 1")
    ((computed,),) = query(s, "SELECT x.id FROM plan_indicators x JOIN plans p ON p.id = x.plan_id"
                             " WHERE p.year = 2020 AND x.source = 'exhibitions_opened'")
    ((other_year,),) = query(s, "SELECT x.id FROM plan_indicators x JOIN plans p ON p.id = x.plan_id"
                               " WHERE p.year = 2021 ORDER BY x.id LIMIT 1")
    (before,) = query(s, "SELECT count(*) FROM plan_checkins")[0]
    cases = [
        ({"done_on": "15/05/2021"}, "Ngày: ngày không thuộc năm của kế hoạch"),
        ({"done_on": "31/12/2019"}, "Ngày: ngày không thuộc năm của kế hoạch"),
        ({"done_on": "31/02/2020"}, "Ngày: ngày không hợp lệ"),
        ({"done_on": ""}, "Ngày: bắt buộc"),
        ({"value": "hai"}, "Kết quả: không phải là số"),
        ({"value": ""}, "Kết quả: bắt buộc"),
        ({"media_id": "999999"}, "Tệp minh chứng (số trong thư viện): không có"),
        ({"indicator_id": str(computed)},
         "Kết quả: chỉ tiêu này được tính tự động từ hồ sơ, không nhập tay"),
        ({"indicator_id": str(other_year)}, "Chỉ tiêu: không có"),
        ({"note": "n" * 2001}, "Ghi chú: quá dài"),
    ]
    for fields, message in cases:
        url, f = checkin_form(b, 2020, talks, **fields)
        r = b.post(url, f)
        assert r.status == 400, (fields, r.status)
        assert message in alert(r), (fields, alert(r))
        assert "Trường THCS Noong Bua" in r.text or "note" in fields
        if fields.get("done_on"):
            assert 'value="%s"' % fields["done_on"] in r.text
    assert query(s, "SELECT count(*) FROM plan_checkins")[0][0] == before
    row = row_of(b.get(LIST + "/2020").text, "Tổ chức nói chuyện chuyên đề tại trường học")
    assert "10 buổi" in row and "100%" in row, row
    url, f = checkin_form(b, 2020, talks, note=XSS)
    r = b.post(url, f)
    assert r.status == 303, alert(r)
    page = b.get(LIST + "/2020").text
    row = row_of(page, "Tổ chức nói chuyện chuyên đề tại trường học")
    assert "12 buổi" in row and "120%" in row and "vượt kế hoạch" in row, row
    assert XSS not in page and "&lt;script&gt;alert(" in page
    assert "15/05/2020" in page
    (details, user) = query(s, "SELECT details, user_name FROM audit_log WHERE action ="
                               " 'plan_change' ORDER BY id DESC LIMIT 1")[0]
    assert "check-in" in details and "2020-05-15" in details and user == "baotang"


def test_new_plan(s):
    b = browser(s, "kehoach")
    page = b.get(LIST).text
    for fields, message in [({"year": "hai"}, "Năm: không phải là số"),
                            ({"year": "1999"}, "Năm: phải từ 2000 đến 2100"),
                            ({"year": "2020"}, "Năm: năm này đã có kế hoạch"),
                            ({"year": ""}, "Năm: bắt buộc")]:
        f = {"csrf": csrf_of(page, LIST), "title": "Kế hoạch " + XSS, "note": ""}
        f.update(fields)
        r = b.post(LIST, f)
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        assert "Kế hoạch &lt;script&gt;" in r.text and XSS not in r.text
    r = b.post(LIST, {"csrf": csrf_of(page, LIST), "year": "2022", "title": "Năm " + XSS,
                      "note": ""})
    assert r.status == 303 and r.header("location").startswith(LIST + "/2022")
    r = b.get(LIST)
    assert XSS not in r.text and "&lt;script&gt;alert(" in r.text
    assert query(s, "SELECT count(*) FROM audit_log WHERE action = 'plan_change'"
                    " AND target = '2022'")[0][0] == 1
    assert b.get(LIST + "/2030").status == 404


def test_roles_on_every_url(s):
    readers = {"quantri", "kehoach", "baotang", "hoidong"}
    urls = [("GET", LIST, readers), ("GET", LIST + "/2020", readers),
            ("POST", LIST, {"quantri", "kehoach"}),
            ("POST", LIST + "/2020/chi-tieu", {"quantri", "kehoach"}),
            ("POST", LIST + "/2020/ket-qua", {"quantri", "kehoach", "baotang"})]
    bad = role_refusals(s, browser, PASSWORDS, urls)
    assert bad == [], bad
    # The menu offers the plans to those who read them.
    for name in PASSWORDS:
        home = browser(s, name).get("/admin").text
        assert ('href="/admin/ke-hoach"' in home) == (name in readers), name
    # The council reads but is offered no form.
    page = browser(s, "hoidong").get(LIST + "/2020").text
    assert "/ket-qua" not in page and "/chi-tieu" not in page
    page = browser(s, "baotang").get(LIST + "/2020").text
    assert "/ket-qua" in page and "/chi-tieu" not in page
