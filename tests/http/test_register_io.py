"""Issue 12, import and export in the back office: a CSV or XLSX upload is
checked whole, its problems shown as a table (file, row, column, reason) with
nothing imported until the file is clean, then imported in one transaction;
the register and the filtered list come out as CSV and XLSX, with formula
cells neutralised. Who may use each URL: test_register_roles.py."""
import html as htmllib
import io
import re
import zipfile

from admin_client import csrf_of
from register_users import browser, one, setup_module, teardown_module  # noqa: F401

PATH = "/admin/so-dang-ky/nhap-tep"
HEADER = "Tên hiện vật;Chất liệu;Phương thức thu nhận;Ngày thu nhận;Người/đơn vị giao;Cao (cm);Mô tả"


def upload(b, name, data):
    token = csrf_of(b.get(PATH).text, PATH)
    return b.upload(PATH, {"csrf": token}, [("file", name, "text/csv", data)])


def problems(r):
    rows = re.findall(r"<tr title=\"[^\"]*\"><td>([^<]*)</td><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>",
                      r.text)
    return [tuple(htmllib.unescape(c) for c in row) for row in rows]


def test_import_shows_problems_then_imports(s):
    b = browser(s, "baotang")
    (before,) = one(s, "SELECT count(*) FROM objects")
    bad = "\r\n".join([
        HEADER,
        "Mũ cối nhập tệp;KL;hiến tặng;07/05/2020;Bà Lò Thị Xuân;14,5;",
        ";KL;hiến tặng;31/04/2020;;;",
        "Bi đông <script>x</script>;XX;cho;07/05/2020;;12;5;",
    ]).encode("utf-8-sig")
    r = upload(b, "loi <b>.csv", bad)
    assert r.status == 400
    got = problems(r)
    assert ("loi <b>.csv", "3", "Tên hiện vật", "bắt buộc, đang để trống") in got, got
    assert ("loi <b>.csv", "3", "Ngày thu nhận", "ngày không hợp lệ (viết dd/mm/yyyy)") in got
    assert any(p[1] == "4" and p[2] == "Chất liệu" for p in got), got
    assert any(p[1] == "4" and p[2] == "Phương thức thu nhận" for p in got), got
    assert 'title="loi &lt;b&gt;.csv:3:Tên hiện vật: bắt buộc, đang để trống"' in r.text
    assert "<b>.csv" not in r.text and "không nhập gì" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM objects") == (before,)      # not even row 2
    # Not a spreadsheet at all.
    r = upload(b, "anh.xlsx", b"PK\x03\x04 not really")
    assert r.status == 400 and "anh.xlsx: tệp hỏng" in htmllib.unescape(r.text)
    # No file.
    token = csrf_of(b.get(PATH).text, PATH)
    r = b.upload(PATH, {"csrf": token}, [])
    assert r.status == 400 and "Tệp CSV hoặc XLSX: bắt buộc" in htmllib.unescape(r.text)
    # Clean: everything in.
    good = "\r\n".join([
        HEADER,
        "Mũ cối nhập tệp;KL;hiến tặng;07/05/2020;Bà Lò Thị Xuân;14,5;",
        "Bi đông nhập tệp;Kim loại và hợp kim;hiến tặng;07/05/2020;Bà Lò Thị Xuân;20;=1+1",
    ]).encode("utf-8")
    r = upload(b, "sach.csv", good)
    assert r.status == 200, problems(r)
    assert "sach.csv: đã nhập vào sổ nhập tạm, số hiện vật: 2" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM objects") == (before + 2,)
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'object_import'") == (1,)
    # A legacy encoding is refused or converted, never stored as mojibake.
    r = upload(b, "cu.csv", (HEADER + "\n" + "Mũ cối cũ;KL;hiến tặng;07/05/2020;;;\n").encode("utf-8")[:-3] + b"\xff\xfe\n")
    assert r.status == 400


def test_export_csv_and_xlsx(s):
    b = browser(s, "baotang")
    r = b.get("/admin/so-dang-ky")
    assert 'action="/admin/so-dang-ky/xuat"' in r.text
    r = b.get("/admin/so-dang-ky/xuat?dinh-dang=csv")
    assert r.status == 200 and r.header("content-type").startswith("text/csv")
    assert "attachment" in r.header("content-disposition")
    text = r.body.decode("utf-8-sig")
    (total,) = one(s, "SELECT count(*) FROM objects")
    lines = [l for l in text.splitlines() if l.strip()]
    assert len(lines) == total + 1, (len(lines), total)
    assert "Tên hiện vật" in lines[0]
    # The filtered list: the words of the search, and the status.
    r = b.get("/admin/so-dang-ky/xuat?dinh-dang=csv&q=xe+dap+tho")
    body = r.body.decode("utf-8-sig")
    assert "Xe đạp thồ" in body and "Bi đông" not in body
    r = b.get("/admin/so-dang-ky/xuat?dinh-dang=csv&trang-thai=intake")
    (intake,) = one(s, "SELECT count(*) FROM objects WHERE status = 'intake'")
    assert len([l for l in r.body.decode("utf-8-sig").splitlines() if l.strip()]) == intake + 1
    r = b.get("/admin/so-dang-ky/xuat?dinh-dang=xlsx&q=xe+dap+tho")
    assert r.status == 200 and "spreadsheetml" in r.header("content-type")
    z = zipfile.ZipFile(io.BytesIO(r.body))
    sheet = z.read("xl/worksheets/sheet1.xml").decode() + z.read("xl/sharedStrings.xml").decode() \
        if "xl/sharedStrings.xml" in z.namelist() else z.read("xl/worksheets/sheet1.xml").decode()
    assert "Xe đạp thồ" in sheet and "<f>" not in sheet
    assert b.get("/admin/so-dang-ky/xuat?dinh-dang=pdf").status == 400
