"""Issue 12, the register in the back office (/admin/so-dang-ky): the list with
folded search, the object card with its register history and movements, the
intake form (checked field by field, nothing half-stored, audited). Editors and
authors get 403; the register's own roles are in test_register_roles.py."""
import html as htmllib
import sqlite3
import os

from admin_client import accounts_module, csrf_of
from register_users import relate

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
}
ROLES = {"quantri": "admin", "bientap": "editor", "tacgia": "author"}


setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)


def test_register_admin_only(s):
    for name in ("bientap", "tacgia"):
        b = browser(s, name)
        for path in ("/admin/so-dang-ky", "/admin/so-dang-ky/nhap", "/admin/so-dang-ky/1"):
            assert b.get(path).status == 403, (name, path)
        assert b.post("/admin/so-dang-ky/nhap", {"csrf": "0" * 64, "name": "x"}).status == 403
        assert "/admin/so-dang-ky" not in b.get("/admin").text


def test_register_list_search_and_card(s):
    b = browser(s, "quantri")
    r = b.get("/admin/so-dang-ky?q=xe+dap+tho")
    assert r.status == 200
    assert "Xe đạp thồ" in r.text and "Bi đông" not in r.text
    r = b.get("/admin/so-dang-ky?trang-thai=intake")
    assert r.status == 200 and "BTĐBP.HV" not in r.text
    r = b.get("/admin/so-dang-ky")
    assert 'rel="next"' in r.text
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    (oid,) = db.execute("SELECT id FROM objects WHERE name LIKE 'Thư gửi mẹ%'").fetchone()
    db.close()
    r = b.get(f"/admin/so-dang-ky/{oid}")
    assert r.status == 200
    text = htmllib.unescape(r.text)
    assert "BTĐBP.HV." in text
    assert "Bổ sung tên khác và niên đại" in text      # the correction, with its reason
    assert "Kho chính › Phòng 1 › Giá A" in text         # moved there
    assert b.get("/admin/so-dang-ky/999999").status == 404
    assert b.get("/admin/so-dang-ky/abc").status == 404


def test_intake_form_checks_and_stores(s):
    b = browser(s, "quantri")
    r = b.get("/admin/so-dang-ky/nhap")
    assert r.status == 200
    token = csrf_of(r.text, "/admin/so-dang-ky/nhap")
    form = {"csrf": token, "name": "Mũ cối <script>alert(1)</script>", "kind": "hien_vat",
            "material_code": "ĐD", "mode": "hien_tang", "acquired_on": "31/04/2021",
            "donor": "Ông Nguyễn Văn Mới", "handover_no": "7/2021", "height_cm": "14,5",
            "weight_g": "", "dating": "1954", "origin_place": "Điện Biên", "description": "",
            "notes": ""}
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    before = db.execute("SELECT count(*) FROM objects").fetchone()[0]
    donors = db.execute("SELECT count(*) FROM donors").fetchone()[0]
    r = b.post("/admin/so-dang-ky/nhap", form)
    assert r.status == 400
    assert "Ngày thu nhận" in htmllib.unescape(r.text) and "dd/mm/yyyy" in r.text
    assert "<script>alert(1)" not in r.text                # the value comes back escaped
    assert db.execute("SELECT count(*) FROM donors").fetchone()[0] == donors
    form["acquired_on"] = "30/04/2021"
    form["height_cm"] = "mười"
    r = b.post("/admin/so-dang-ky/nhap", form)
    assert r.status == 400 and "Cao (cm)" in htmllib.unescape(r.text)
    form["height_cm"] = "14,5"
    form["csrf"] = "0" * 64
    assert b.post("/admin/so-dang-ky/nhap", form).status == 403
    form["csrf"] = token
    r = b.post("/admin/so-dang-ky/nhap", form)
    assert r.status == 303, r.text[:500]
    assert db.execute("SELECT count(*) FROM objects").fetchone()[0] == before + 1
    row = db.execute("SELECT o.status, o.height_cm, a.acquired_on, a.mode, d.name FROM objects o"
                     " JOIN acquisitions a ON a.id = o.acquisition_id"
                     " JOIN donors d ON d.id = a.donor_id ORDER BY o.id DESC LIMIT 1").fetchone()
    assert row == ("intake", 14.5, "2021-04-30", "hien_tang", "Ông Nguyễn Văn Mới")
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'object_intake'"
                      " AND user_name = 'quantri'").fetchone() == (1,)
    db.close()
    r = b.get("/admin/so-dang-ky?q=mu+coi+script")
    assert "&lt;script&gt;" in r.text and "<script>alert" not in r.text


def test_card_shows_every_field_escaped(s):
    """The card shows every field DOMAIN.md lists (kind, class, material by
    name and its note, sizes with the diameter, pieces, value in đồng, the
    public flag, related entities grouped by kind), each escaped."""
    b = browser(s, "quantri")
    head = ["Tên hiện vật", "Tên khác", "Loại", "Chất liệu", "Ghi chú chất liệu", "Kỹ thuật",
            "Dài (cm)", "Rộng (cm)", "Cao (cm)", "Đường kính (cm)", "Trọng lượng (g)", "Số lượng",
            "Niên đại", "Xuất xứ", "Phân loại", "Mô tả", "Giá trị (đồng)", "Ghi chú",
            "Phương thức thu nhận", "Ngày thu nhận"]
    row = ["Phiếu đủ trường", "Tên <q>khác</q>", "tài liệu", "KL", "Thép <b>gỉ</b>", "Rèn <i>tay</i>",
           "12,5", "3", "4", "7,25", "1500", "3", "1953 <u>1954</u>", "Mường <s>Thanh</s>",
           "cổ vật", "Mô tả <script>x()</script>", "12500000", "Ghi <em>chú</em>", "mua",
           "07/05/2020"]
    data = ("\r\n".join([";".join(head), ";".join(row)])).encode("utf-8")
    token = csrf_of(b.get("/admin/so-dang-ky/nhap-tep").text, "/admin/so-dang-ky/nhap-tep")
    r = b.upload("/admin/so-dang-ky/nhap-tep", {"csrf": token}, [("file", "du.csv", "text/csv", data)])
    assert r.status == 200, r.text[:800]
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    (oid,) = db.execute("SELECT id FROM objects WHERE name = 'Phiếu đủ trường'").fetchone()
    db.close()
    relate(s, oid, [("person", "Ông <b>Tô</b> Vĩnh Diện"), ("unit", "Đại đoàn 312"),
                    ("event", "Chiến dịch <i>1954</i>"), ("place", "Đồi A1")])
    r = b.get(f"/admin/so-dang-ky/{oid}")
    assert r.status == 200
    for raw in ("<b>gỉ", "<i>tay", "<u>1954", "<s>Thanh", "<script>x()", "<em>chú", "<q>khác",
                "<b>Tô", "<i>1954"):
        assert raw not in r.text, raw
    text = htmllib.unescape(r.text)
    for label, value in (("Loại", "Tài liệu"), ("Phân loại", "Cổ vật"),
                         ("Chất liệu", "Kim loại và hợp kim (KL)"), ("Ghi chú chất liệu", "Thép <b>gỉ</b>"),
                         ("Kỹ thuật", "Rèn <i>tay</i>"), ("Dài", "12,5 cm"), ("Rộng", "3 cm"),
                         ("Cao", "4 cm"), ("Đường kính", "7,25 cm"), ("Trọng lượng", "1.500 g"),
                         ("Số lượng", "3"), ("Niên đại", "1953 <u>1954</u>"),
                         ("Xuất xứ", "Mường <s>Thanh</s>"), ("Mô tả", "Mô tả <script>x()</script>"),
                         ("Giá trị", "12.500.000 đ"), ("Ghi chú", "Ghi <em>chú</em>"),
                         ("Tên khác", "Tên <q>khác</q>"), ("Công bố trực tuyến", "không")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in text, (label, value)
    related = text[text.index("Nhân vật, đơn vị, sự kiện, địa danh liên quan"):]
    order = [related.index(w) for w in ("<h3>Nhân vật</h3>", "Ông <b>Tô</b> Vĩnh Diện",
                                         "<h3>Đơn vị</h3>", "Đại đoàn 312", "<h3>Sự kiện</h3>",
                                         "Chiến dịch <i>1954</i>", "<h3>Địa danh</h3>", "Đồi A1")]
    assert order == sorted(order)


def test_intake_form_has_every_field_of_the_card(s):
    """The intake form asks every field the card has (the edit page's
    partials and field reader): a refusal names the field and keeps all that
    was typed; a clean form stores every field and the related entity in one
    unit of writing."""
    b = browser(s, "quantri")
    r = b.get("/admin/so-dang-ky/nhap")
    assert r.status == 200
    for name in ("name", "other_names", "kind", "material_code", "material_note", "technique",
                 "length_cm", "width_cm", "height_cm", "diameter_cm", "weight_g", "pieces",
                 "dating", "origin_place", "class", "description", "value", "notes", "public",
                 "related_kind", "related_name", "mode", "acquired_on", "donor", "handover_no"):
        assert f'name="{name}"' in r.text, name
    token = csrf_of(r.text, "/admin/so-dang-ky/nhap")
    form = {"csrf": token, "name": "Súng trường <b>K44</b>", "other_names": "Mosin <i>Nagant</i>",
            "kind": "hien_vat", "material_code": "KL", "material_note": "Thép, gỗ <u>báng</u>",
            "technique": "Rèn, tiện", "length_cm": "102,5", "width_cm": "6", "height_cm": "15",
            "diameter_cm": "0,762", "weight_g": "4 000", "pieces": "2", "dating": "1944",
            "origin_place": "Liên Xô", "class": "di_vat", "description": "Súng của tiểu đội",
            "value": "mười triệu", "notes": "Ghi <em>chú</em>", "public": "1",
            "related_kind": "unit", "related_name": "Đại đoàn <s>316</s>", "mode": "hien_tang",
            "acquired_on": "07/05/2021", "donor": "Ông Lê Văn <b>Nhập</b>", "handover_no": "12/2021"}
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    before = db.execute("SELECT count(*) FROM objects").fetchone()[0]
    entities = db.execute("SELECT count(*) FROM related_entities").fetchone()[0]
    checks = (("weight_g", "Trọng lượng (g)", "4000"), ("pieces", "Số lượng", "2"),
              ("value", "Giá trị (đồng)", "10.000.000"),
              ("related_kind", "Loại liên quan", "unit"))
    for field, label, good in checks:
        form[field] = "mười" if field != "related_kind" else "doi_quan"
        if field == "weight_g":
            form[field] = "bốn cân"
        r = b.post("/admin/so-dang-ky/nhap", form)
        assert r.status == 400, (field, r.status)
        text = htmllib.unescape(r.text)
        assert f"{label}:" in text, (field, text[text.find('role="alert"'):][:300])
        # Everything typed comes back, escaped.
        for raw in ("Súng trường <b>K44</b>", "Mosin <i>Nagant</i>", "Thép, gỗ <u>báng</u>",
                    "Ghi <em>chú</em>", "Ông Lê Văn <b>Nhập</b>"):
            assert raw in text and raw not in r.text, (field, raw)
        assert "102,5" in r.text and "0,762" in r.text and "12/2021" in r.text
        assert 'name="public" value="1" checked' in r.text
        assert '<option value="di_vat" selected>' in r.text
        assert db.execute("SELECT count(*) FROM objects").fetchone()[0] == before
        assert db.execute("SELECT count(*) FROM related_entities").fetchone()[0] == entities
        form[field] = good
    r = b.post("/admin/so-dang-ky/nhap", form)
    assert r.status == 303, htmllib.unescape(r.text)[-600:]
    row = db.execute("SELECT name, other_names, kind, material_code, material_note, technique,"
                     " length_cm, width_cm, height_cm, diameter_cm, weight_g, pieces, dating,"
                     " origin_place, class, description, value, notes, public, status, id"
                     " FROM objects ORDER BY id DESC LIMIT 1").fetchone()
    assert row[:20] == ("Súng trường <b>K44</b>", "Mosin <i>Nagant</i>", "hien_vat", "KL",
                        "Thép, gỗ <u>báng</u>", "Rèn, tiện", 102.5, 6.0, 15.0, 0.762, 4000.0, 2,
                        "1944", "Liên Xô", "di_vat", "Súng của tiểu đội", 10000000,
                        "Ghi <em>chú</em>", 1, "intake"), row
    oid = row[20]
    assert db.execute("SELECT e.kind, e.name FROM object_related r JOIN related_entities e"
                      " ON e.id = r.entity_id WHERE r.object_id = ?", (oid,)).fetchall() == [
        ("unit", "Đại đoàn <s>316</s>")]
    assert db.execute("SELECT details FROM audit_log WHERE action = 'object_intake'"
                      " ORDER BY id DESC LIMIT 1").fetchone()[0].endswith("related +1")
    db.close()
    text = htmllib.unescape(b.get(f"/admin/so-dang-ky/{oid}").text)
    for label, value in (("Giá trị", "10.000.000 đ"), ("Đường kính", "0,762 cm"),
                         ("Phân loại", "Di vật"), ("Công bố trực tuyến", "có")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in text, (label, value)
    assert "Đại đoàn <s>316</s>" in text
