"""Issue 12, inventory ("kiểm kê") in the back office: a campaign walks a part
of the storage tree, marks each object found, missing, damaged or misplaced,
and ends with a report of differences. Bad input comes back naming the field
in Vietnamese with nothing stored; stored text comes back escaped. Who may use
each URL: test_register_roles.py."""
import html as htmllib
import re

from admin_client import csrf_of
from register_users import browser, one, setup_module, teardown_module  # noqa: F401


def alert(r):
    return htmllib.unescape(" ".join(re.findall(r'role="alert">([^<]*)', r.text)))


def start(b, s, name, root):
    r = b.get("/admin/kiem-ke")
    token = csrf_of(r.text, "/admin/kiem-ke/them")
    return b.post("/admin/kiem-ke/them", {"csrf": token, "name": name, "started_on": "01/12/2026",
                                         "root_location_id": str(root)})


def test_inventory_campaign(s):
    b = browser(s, "baotang")
    (store,) = one(s, "SELECT id FROM locations WHERE name = 'Kho chính'")
    (hall,) = one(s, "SELECT id FROM locations WHERE name = 'Nhà trưng bày chính'")
    r = b.get("/admin/kiem-ke")
    assert r.status == 200
    token = csrf_of(r.text, "/admin/kiem-ke/them")
    form = {"csrf": token, "name": "Kiểm kê cuối năm", "started_on": "32/12/2026",
            "root_location_id": str(store)}
    r = b.post("/admin/kiem-ke/them", form)
    assert r.status == 400 and alert(r) == "Ngày bắt đầu (dd/mm/yyyy): ngày không hợp lệ (viết dd/mm/yyyy)"
    assert "Kiểm kê cuối năm" in htmllib.unescape(r.text)       # kept
    form.update(started_on="01/12/2026", name="")
    r = b.post("/admin/kiem-ke/them", form)
    assert r.status == 400 and alert(r).startswith("Tên đợt kiểm kê: bắt buộc")
    form.update(name="Kiểm kê", root_location_id="999999")
    r = b.post("/admin/kiem-ke/them", form)
    assert r.status == 400 and alert(r).startswith("Phạm vi kiểm kê:")
    assert one(s, "SELECT count(*) FROM inventory_campaigns") == (0,)

    r = start(b, s, "Kiểm kê <script>alert(1)</script>", store)
    assert r.status == 303, alert(r)
    url = r.header("location")
    cid = int(url.rsplit("/", 1)[1])
    page = b.get(url)
    assert page.status == 200
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    objs = [row for row in re.findall(r'name="object_id" value="(\d+)"', page.text)]
    expected = one(s, "WITH RECURSIVE t(id) AS (SELECT ? UNION SELECT l.id FROM locations l"
                      " JOIN t ON l.parent_id = t.id) SELECT count(*) FROM objects"
                      " WHERE status IN ('main','reference') AND location_id IN t", store)[0]
    assert len(objs) == expected and expected >= 3, (len(objs), expected)
    token = csrf_of(page.text, f"/admin/kiem-ke/{cid}/danh-dau")
    mark = f"/admin/kiem-ke/{cid}/danh-dau"
    a, d, m = objs[0], objs[1], objs[2]
    r = b.post(mark, {"csrf": token, "object_id": a, "state": "mat", "seen_location_id": "", "note": ""})
    assert r.status == 400 and alert(r).startswith("Kết quả:")
    r = b.post(mark, {"csrf": token, "object_id": "999999", "state": "found", "seen_location_id": "",
                      "note": ""})
    assert r.status == 400 and alert(r).startswith("Hiện vật:")
    r = b.post(mark, {"csrf": token, "object_id": a, "state": "found", "seen_location_id": "abc",
                      "note": ""})
    assert r.status == 400 and alert(r).startswith("Nơi thấy:")
    assert one(s, "SELECT count(*) FROM inventory_findings") == (0,)
    assert b.post(mark, {"csrf": token, "object_id": a, "state": "found", "seen_location_id": "",
                         "note": ""}).status == 303
    assert b.post(mark, {"csrf": token, "object_id": d, "state": "damaged", "seen_location_id": "",
                         "note": "Nứt <b>quai</b>"}).status == 303
    # Found in the exhibition hall, which the card does not say: misplaced.
    assert b.post(mark, {"csrf": token, "object_id": m, "state": "found",
                         "seen_location_id": str(hall), "note": ""}).status == 303
    assert one(s, "SELECT state FROM inventory_findings WHERE object_id = ?", int(m)) == ("misplaced",)

    close = f"/admin/kiem-ke/{cid}/ket-thuc"
    page = b.get(url)
    ctoken = csrf_of(page.text, close)
    r = b.post(close, {"csrf": ctoken, "closed_on": "hôm nay"})
    assert r.status == 400 and alert(r).startswith("Ngày kết thúc (dd/mm/yyyy):")
    r = b.post(close, {"csrf": ctoken, "closed_on": "30/11/2026"})      # before it started
    assert r.status == 400 and alert(r).startswith("Ngày kết thúc (dd/mm/yyyy): ngoài giới hạn")
    assert b.post(close, {"csrf": ctoken, "closed_on": "05/12/2026"}).status == 303
    assert one(s, "SELECT closed_on FROM inventory_campaigns WHERE id = ?", cid) == ("2026-12-05",)
    # Closed: no more marks.
    r = b.post(mark, {"csrf": token, "object_id": a, "state": "missing", "seen_location_id": "",
                      "note": ""})
    assert r.status == 400 and alert(r).startswith("Đợt kiểm kê: không được phép")

    page = b.get(url)
    text = htmllib.unescape(page.text)
    diff = text[text.index("Chênh lệch so với sổ"):text.index("Hiện vật cần kiểm")]
    assert "hư hỏng" in diff and "sai vị trí" in diff and "Nhà trưng bày chính" in diff
    assert "chưa kiểm" in diff                # never marked counts in the report
    (name_a,) = one(s, "SELECT name FROM objects WHERE id = ?", int(a))
    assert name_a not in diff                 # found where it should be
    assert 'name="object_id"' not in page.text
    assert "<b>quai" not in page.text
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'inventory_change'") >= (5,)
    assert b.get("/admin/kiem-ke/999999").status == 404
    r = b.post("/admin/kiem-ke/999999/danh-dau", {"csrf": token, "object_id": a, "state": "found",
                                                 "seen_location_id": "", "note": ""})
    assert r.status in (403, 404)
    listing = htmllib.unescape(b.get("/admin/kiem-ke").text)
    assert "05/12/2026" in listing and "Kho chính" in listing
