"""Issue 14, the annual report ("báo cáo tổng kết năm"): /admin/bao-cao
(to the newest year with a plan), /admin/bao-cao/YEAR (the print page: summary paragraph written
from the figures, indicators against plan with SVG bars, acquisitions by
mode and quarter, exhibitions, publications), /admin/bao-cao/YEAR.xlsx (one
sheet per section, numbers as numbers, percents with a percent format, text
never a formula) and POST /admin/bao-cao/YEAR/bai-viet ("Tạo bài viết
nháp": a draft article with the summary; a second one only when confirmed).
The demo's 2020 report reads 135 -> 117% and 04 -> 133% by itself, and an
object taken in under a 2020 acquisition through the register's intake
page changes the percent on the next load. Planners and admins only."""
import html as htmllib
import io
import re
import zipfile

from admin_client import accounts_module, csrf_of
from register_users import intake
from test_plans import PASSWORDS as PLAN_PASSWORDS, ROLES as PLAN_ROLES, alert, query

# The plans' accounts, and a moderator.
PASSWORDS = {**PLAN_PASSWORDS, "kiemduyet": "Kiểm duyệt bình luận cẩn thận"}
ROLES = {**PLAN_ROLES, "kiemduyet": "moderator"}

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

YEAR = "/admin/bao-cao/2020"
SUMMARY = ("Năm 2020, Bảo tàng đã sưu tầm được 135 tài liệu, hiện vật, đạt 117% kế hoạch năm; "
           "tổ chức 04 cuộc trưng bày, triển lãm, đạt 133% kế hoạch năm; ")
TITLE = "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ tổng kết công tác năm 2020"
XSS = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example/","Bấm")'
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def text_of(html):
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


def summary_of(r):
    m = re.search(r'<p class="report-summary">(.*?)</p>', r.text, re.S)
    assert m, r.text[:3000]
    return htmllib.unescape(m.group(1))


def test_demo_2020_report_reads_117_and_133(s):
    r = browser(s, "kehoach").get(YEAR)
    assert r.status == 200
    summary = summary_of(r)
    assert summary.startswith(SUMMARY), summary
    # The visitors' indicator (94%) and the book follow; nothing reads "00".
    assert "đón 61.180 lượt khách tham quan trưng bày, đạt 94% kế hoạch năm" in summary
    assert "biên soạn và xuất bản cuốn sách “Năm đại đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ”" in summary, summary
    assert summary.endswith(".") and " 00 " not in summary
    text = text_of(r.text)
    assert "Báo cáo tổng kết năm 2020" in text
    assert re.search(r"Sưu tầm tài liệu, hiện vật 115 hiện vật 135 hiện vật 117% vượt kế hoạch", text), text[:4000]
    assert re.search(r"Tổ chức trưng bày, triển lãm 3 cuộc 4 cuộc 133% vượt kế hoạch", text)
    # Server-drawn charts: the bars per indicator and the quarters.
    svgs = re.findall(r"<svg.*?</svg>", r.text, re.S)
    assert len(svgs) == 3, len(svgs)
    assert "Sưu tầm tài liệu, hiện vật: 117 %" in htmllib.unescape(svgs[0])
    assert "<script" not in "".join(svgs)
    # The exhibitions opened in 2020 (04), with dates dd/mm/yyyy and venue.
    rows = re.findall(r"<tr>.*?</tr>", r.text.split('class="print-table report-exhibitions"')[1].split("</table>")[0], re.S)
    assert len(rows) == 4 + 1, rows     # + the head row
    assert re.search(r"\d\d/\d\d/2020", text)
    assert "Lai Châu" in text
    # Acquisitions by mode add up to 135.
    assert re.search(r"Số tài liệu, hiện vật sưu tầm được trong năm: 135", text)
    # Print page: A4 style sheet, no menu, back to the dashboard, XLSX link.
    assert "/static/css/admin/print.css" in r.text and 'class="admin-nav"' not in r.text
    assert 'href="/admin/ke-hoach/2020"' in r.text and 'href="/admin/bao-cao/2020.xlsx"' in r.text
    assert r.header("x-content-type-options") == "nosniff"
    # English: the same figures in English words, no leading zero.
    b = browser(s, "kehoach")
    en = b.get(YEAR + "?lang=en")
    b.get(YEAR + "?lang=vi")        # the choice is a cookie: back for the other tests
    assert summary_of(en).startswith("In 2020, the Museum collected 135 documents and objects, "
                                     "117% of the year's plan; held 4 exhibitions, 133% of the year's plan; ")


def test_linked_from_dashboard_and_menu(s):
    b = browser(s, "kehoach")
    assert 'href="/admin/bao-cao/2020"' in b.get("/admin/ke-hoach/2020").text
    home = b.get("/admin")
    assert 'href="/admin/bao-cao"' in home.text
    # The menu's link is a back-office page (with the menu) listing each year
    # that has a plan with its report and workbook.
    years = b.get("/admin/bao-cao")
    assert years.status == 200
    for y in ("2020", "2021"):
        assert f'href="/admin/bao-cao/{y}"' in years.text and f'href="/admin/bao-cao/{y}.xlsx"' in years.text
    assert 'aria-current="page"' in years.text
    assert 'href="/admin/bao-cao"' not in browser(s, "baotang").get("/admin").text


def test_a_year_without_plan_and_bad_years(s):
    b = browser(s, "kehoach")
    r = b.get("/admin/bao-cao/2005")
    assert r.status == 200
    assert "Năm này chưa có kế hoạch chung của Bảo tàng." in htmllib.unescape(r.text)
    assert '<p class="report-summary">' not in r.text          # nothing to say: no "00"
    for bad in ("/admin/bao-cao/1999", "/admin/bao-cao/2101", "/admin/bao-cao/abc",
                "/admin/bao-cao/1999.xlsx", "/admin/bao-cao/-1"):
        assert b.get(bad).status == 404, bad


def cells(book, sheet_path):
    """{ref: (type, value, style)} of a worksheet, shared strings resolved."""
    from xml.etree import ElementTree as ET
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = ET.fromstring(book.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)]
    root = ET.fromstring(book.read(sheet_path))
    out = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        v = c.find("m:v", NS)
        t = c.get("t", "n")
        value = v.text if v is not None else None
        if t == "s":
            value = shared[int(value)]
        out[c.get("r")] = (t, value, c.get("s"))
    return out


def workbook(r):
    assert r.status == 200, r.status
    assert r.header("content-type").startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'filename="bao-cao-2020.xlsx"' in r.header("content-disposition")
    return zipfile.ZipFile(io.BytesIO(r.body))


def sheet_names(book):
    from xml.etree import ElementTree as ET
    root = ET.fromstring(book.read("xl/workbook.xml"))
    return [sh.get("name") for sh in root.iter(f"{{{NS['m']}}}sheet")]


def test_xlsx_has_a_sheet_per_section_with_numbers(s):
    book = workbook(browser(s, "kehoach").get(YEAR + ".xlsx"))
    assert sheet_names(book) == ["Tóm tắt", "Chỉ tiêu", "Sưu tầm", "Trưng bày", "Ấn phẩm"]
    summary = cells(book, "xl/worksheets/sheet1.xml")
    assert summary["A4"][1].startswith(SUMMARY)
    ind = cells(book, "xl/worksheets/sheet2.xml")
    assert ind["A1"][1] == "STT" and ind["F1"][1] == "Tỷ lệ"
    rows = {ind[f"B{i}"][1]: i for i in range(2, 20) if f"B{i}" in ind}
    i = rows["Sưu tầm tài liệu, hiện vật"]
    assert ind[f"D{i}"][:2] == ("n", "115") and ind[f"E{i}"][:2] == ("n", "135")
    assert ind[f"F{i}"][0] == "n" and float(ind[f"F{i}"][1]) == 1.17
    j = rows["Tổ chức trưng bày, triển lãm"]
    assert ind[f"E{j}"][:2] == ("n", "4") and float(ind[f"F{j}"][1]) == 1.33
    # The percent cells' style is a percent format.
    styles = book.read("xl/styles.xml").decode()
    fmt = re.search(r'<numFmt numFmtId="(\d+)" formatCode="0%"', styles)
    pct_id = fmt.group(1) if fmt else "9"      # 9 is Excel's built-in 0%
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    xf = re.findall(r"<xf [^>]*>", xfs)[int(ind[f"F{i}"][2])]
    assert f'numFmtId="{pct_id}"' in xf, xf
    acq = cells(book, "xl/worksheets/sheet3.xml")
    total = [ref for ref, c in acq.items() if c[1] == "Tổng cộng"][0]
    assert acq["B" + total[1:]][:2] == ("n", "135")
    exh = cells(book, "xl/worksheets/sheet4.xml")
    assert sum(1 for ref in exh if ref.startswith("B")) == 5       # head + 04
    assert exh["D2"][0] == "n"                                     # opening day: a date number
    pub = cells(book, "xl/worksheets/sheet5.xml")
    assert "Năm đại đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ" in [c[1] for c in pub.values()]
    # No formula anywhere.
    for name in book.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in book.read(name), name


def test_hostile_names_are_inert_in_page_and_xlsx(s):
    """Written through the exhibition and publication pages, in 2006 (no
    other record of the demo is of that year)."""
    b = browser(s, "baotang")
    f = {"csrf": csrf_of(b.get("/admin/trung-bay/them").text, "/admin/trung-bay/them"),
         "action": "save", "title": FORMULA + XSS, "kind": "truc_tuyen", "location_id": "",
         "venue": "", "province": "", "opens_on": "01/03/2006", "closes_on": "30/03/2006",
         "curators": "", "description": "", "public": ""}
    r = b.post("/admin/trung-bay/them", f)
    assert r.status == 303, alert(r)
    f = {"csrf": csrf_of(b.get("/admin/an-pham/them").text, "/admin/an-pham/them"),
         "action": "save", "title": "+" + XSS, "authors": "@" + XSS, "year": "2006",
         "publisher": "-1+1", "isbn": "", "pages": "", "cover_media_id": "", "pdf_media_id": "",
         "description": "", "public": ""}
    r = b.post("/admin/an-pham/them", f)
    assert r.status == 303, alert(r)
    a = browser(s, "quantri")
    r = a.get("/admin/bao-cao/2006")
    assert r.status == 200
    assert XSS not in r.text and "&lt;script&gt;" in r.text
    assert "tổ chức 01 cuộc trưng bày, triển lãm" in summary_of(r)
    r = a.get("/admin/bao-cao/2006.xlsx")
    assert r.status == 200
    book = zipfile.ZipFile(io.BytesIO(r.body))
    exh = cells(book, "xl/worksheets/sheet4.xml")
    assert exh["B2"] == ("s", "'" + FORMULA + XSS, None) or (exh["B2"][0] == "s" and exh["B2"][1] == "'" + FORMULA + XSS), exh["B2"]
    pub = cells(book, "xl/worksheets/sheet5.xml")
    assert pub["B2"][1] == "'+" + XSS and pub["C2"][1] == "'@" + XSS and pub["D2"][1] == "'-1+1"
    summary = cells(book, "xl/worksheets/sheet1.xml")["A4"][1]
    assert "“+" + XSS + "”" in summary          # inside the text, not first: not a formula
    for name in book.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in book.read(name), name


EXPECTED = {"quantri": 200, "kehoach": 200, "baotang": 403, "hoidong": 403, "bientap": 403,
            "tacgia": 403, "kiemduyet": 403}


def test_roles_on_every_url(s):
    for name, status in EXPECTED.items():
        b = browser(s, name)
        for url in ("/admin/bao-cao", YEAR, YEAR + ".xlsx"):
            want = status
            assert b.get(url).status == want, (name, url)
        token = csrf_of(browser(s, "kehoach").get(YEAR).text, YEAR + "/bai-viet")
        r = b.post(YEAR + "/bai-viet", {"csrf": token, "category_id": "1"})
        if status == 403:
            assert r.status == 403, (name, r.status)
    # Signed out: to the login page; a GET of the POST URL is 405.
    from admin_client import Browser
    anon = Browser(s)
    assert anon.get(YEAR).status == 303
    assert browser(s, "kehoach").get(YEAR + "/bai-viet").status == 405


def drafts(s):
    return query(s, "SELECT d.year, a.id, a.title, a.status, a.body_md FROM report_drafts d"
                    " JOIN articles a ON a.id = d.article_id ORDER BY d.id")


def test_draft_article_once_then_only_when_confirmed(s):
    b = browser(s, "quantri")
    page = b.get(YEAR)
    token = csrf_of(page.text, YEAR + "/bai-viet")
    (category,) = re.search(r'<select id="r-category" name="category_id" required><option value="(\d+)"', page.text).groups()
    # The field is checked and named; what was chosen is kept.
    for value, why in (("", "Chuyên mục của bài viết: "), ("999999", "Chuyên mục của bài viết: "),
                       ("abc", "Chuyên mục của bài viết: ")):
        r = b.post(YEAR + "/bai-viet", {"csrf": token, "category_id": value})
        assert r.status == 400 and alert(r).startswith(why), (value, alert(r))
    assert not drafts(s)
    assert b.post(YEAR + "/bai-viet", {"category_id": category}).status == 403      # no CSRF token
    r = b.post(YEAR + "/bai-viet", {"csrf": token, "category_id": category})
    assert r.status == 303, (r.status, alert(r))
    made = drafts(s)
    assert len(made) == 1
    year, aid, title, status, body = made[0]
    assert year == 2020 and title == TITLE and status == 0
    assert r.header("location") == f"/admin/bai-viet/{aid}?ok=tao"
    assert SUMMARY.strip() in body, body
    editor = b.get(f"/admin/bai-viet/{aid}")
    assert editor.status == 200 and TITLE in htmllib.unescape(editor.text)
    audit = query(s, "SELECT action, target, details FROM audit_log WHERE action = 'article_create'"
                     " AND details LIKE '%annual report 2020%'")
    assert len(audit) == 1 and audit[0][1].startswith(f"{aid} "), audit
    # Twice: it says a draft exists, links it, and makes none without confirming.
    page = b.get(YEAR)
    assert f'href="/admin/bai-viet/{aid}"' in page.text
    r = b.post(YEAR + "/bai-viet", {"csrf": token, "category_id": category})
    assert r.status == 409 and "đã có một bài viết nháp" in alert(r), alert(r)
    assert 'name="confirm" value="1"' in r.text and len(drafts(s)) == 1
    r = b.post(YEAR + "/bai-viet", {"csrf": token, "category_id": category, "confirm": "1"})
    assert r.status == 303 and len(drafts(s)) == 2
    # A planner may make one too, and is sent back to the report (the
    # editor is the editors' page).
    k = browser(s, "kehoach")
    ktoken = csrf_of(k.get(YEAR).text, YEAR + "/bai-viet")
    r = k.post(YEAR + "/bai-viet", {"csrf": ktoken, "category_id": category, "confirm": "1"})
    assert r.status == 303 and r.header("location") == YEAR + "?ok=bai-viet"
    assert "Đã tạo bài viết nháp từ báo cáo" in htmllib.unescape(k.get(r.header("location")).text)
    assert len(drafts(s)) == 3


def test_zz_a_changed_acquisition_changes_the_percent(s):
    """Runs last: it adds an object to 2020."""
    k = browser(s, "kehoach")
    before = summary_of(k.get(YEAR))
    assert before.startswith(SUMMARY), before
    curator = browser(s, "baotang")
    r = intake(curator, "Bi đông của chiến sĩ", mode="hien_tang", acquired_on="15/06/2020")
    assert r.status == 303, alert(r)
    summary = summary_of(k.get(YEAR))
    assert summary.startswith("Năm 2020, Bảo tàng đã sưu tầm được 136 tài liệu, hiện vật, đạt 118% kế hoạch năm; "), summary
    book = workbook(k.get(YEAR + ".xlsx"))
    ind = cells(book, "xl/worksheets/sheet2.xml")
    row = [ref[1:] for ref, c in ind.items() if c[1] == "Sưu tầm tài liệu, hiện vật"][0]
    assert ind["E" + row][1] == "136" and float(ind["F" + row][1]) == 1.18
