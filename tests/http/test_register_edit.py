"""Issue 12, the card's edit page (/admin/so-dang-ky/ID/sua): an object in
intake has every field of its card edited; a registered one only what its
register entry does not record (value, notes, the public flag) and links to
the correction for the rest; both link and unlink related people, units,
events and places (created on first use). Refusals name the field in
Vietnamese, keep what was typed (escaped) and store nothing; each save is in
the audit log. Roles: test_register_roles.py."""
import html as htmllib
import re

from admin_client import csrf_of
from register_users import browser, intake, one, setup_module, teardown_module  # noqa: F401

XSS = "<img src=x onerror=alert('sua')>"


# What a refusal names: field typed -> the label and reason shown.
REFUSALS = [("height_cm", "cao lắm", "Cao (cm): "), ("pieces", "2,5", "Số lượng: "),
            ("value", "nhiều tiền", "Giá trị (đồng): "), ("name", "", "Tên hiện vật: bắt buộc"),
            ("material_code", "XX", "Chất liệu: "), ("class", "quy_hiem", "Phân loại: "),
            ("kind", "do_vat", "Loại: "), ("related_kind", "ban_be", "Loại liên quan: "),
            ("related_name", "x" * 201, "Tên nhân vật, đơn vị, sự kiện, địa danh: ")]


def edit_form(b, oid):
    path = f"/admin/so-dang-ky/{oid}/sua"
    page = b.get(path)
    assert page.status == 200, page.status
    return path, page, {"csrf": csrf_of(page.text, path)}


def full_card(**over):
    form = {"kind": "tai_lieu", "name": "Bản đồ sửa " + XSS, "other_names": "Bản đồ tác chiến",
            "material_code": "G", "material_note": "Giấy dó " + XSS, "technique": "Vẽ tay",
            "length_cm": "42,5", "width_cm": "30", "height_cm": "", "diameter_cm": "",
            "weight_g": "1500", "pieces": "2", "dating": "1954", "origin_place": "Mường Phăng",
            "class": "bao_vat", "description": "Mô tả " + XSS, "value": "12.500.000",
            "notes": "Ghi chú " + XSS, "public": "1", "related_kind": "person",
            "related_name": "Đại tướng " + XSS}
    form.update(over)
    return form


def test_edit_intake_card_every_field(s):
    b = browser(s, "baotang")
    assert intake(b, "Bản đồ cần sửa").status == 303
    (oid,) = one(s, "SELECT id FROM objects WHERE name = 'Bản đồ cần sửa'")
    card = b.get(f"/admin/so-dang-ky/{oid}")
    assert f"/admin/so-dang-ky/{oid}/sua" in card.text
    path, page, base = edit_form(b, oid)
    assert 'name="name" value="Bản đồ cần sửa"' in page.text and 'name="kind"' in page.text
    assert "/dinh-chinh" not in page.text          # intake: no correction
    (audits,) = one(s, "SELECT count(*) FROM audit_log WHERE action = 'object_edit'")
    # Each refusal names its field, keeps what was typed (escaped), stores nothing.
    for field, typed, label in REFUSALS:
        over = {field: typed}
        r = b.post(path, dict(base, **full_card(**over)))
        text = htmllib.unescape(r.text)
        assert r.status == 400 and label in text, (over, text[-800:])
        assert XSS not in r.text and "Mô tả " + XSS in text and "Ghi chú " + XSS in text, over
        assert re.search(r'name="public" value="1" checked', r.text), over
    assert one(s, "SELECT name, value, public FROM objects WHERE id = ?", oid) == ("Bản đồ cần sửa", 0, 0)
    assert one(s, "SELECT count(*) FROM object_related WHERE object_id = ?", oid) == (0,)
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'object_edit'") == (audits,)
    # Saved: every field, the related person created on first use, audited.
    r = b.post(path, dict(base, **full_card()))
    assert r.status == 303, htmllib.unescape(r.text)[-800:]
    assert one(s, "SELECT kind, name, material_code, material_note, length_cm, weight_g, pieces,"
                  " class, value, notes, public FROM objects WHERE id = ?", oid) == (
        "tai_lieu", "Bản đồ sửa " + XSS, "G", "Giấy dó " + XSS, 42.5, 1500.0, 2, "bao_vat",
        12500000, "Ghi chú " + XSS, 1)
    assert one(s, "SELECT e.kind, e.name FROM object_related r JOIN related_entities e"
                  " ON e.id = r.entity_id WHERE r.object_id = ?", oid) == ("person", "Đại tướng " + XSS)
    assert one(s, "SELECT user_name FROM audit_log WHERE action = 'object_edit' ORDER BY id DESC") == ("baotang",)
    card = b.get(r.header("location"))
    text = htmllib.unescape(card.text)
    assert "Đã lưu phiếu hiện vật." in text and XSS not in card.text
    for shown in ("<dt>Loại</dt><dd>Tài liệu</dd>", "<dt>Phân loại</dt><dd>Bảo vật quốc gia</dd>",
                  "<dt>Giá trị</dt><dd>12.500.000 đ</dd>", "<dt>Trọng lượng</dt><dd>1.500 g</dd>",
                  "<dt>Công bố trực tuyến</dt><dd>có</dd>", "<li>Đại tướng " + XSS + "</li>"):
        assert shown in text, shown
    # The form shows what is stored; the value as the reader writes it.
    path, page, base = edit_form(b, oid)
    assert 'name="value" value="12.500.000"' in page.text
    (entity,) = one(s, "SELECT entity_id FROM object_related WHERE object_id = ?", oid)
    # A refusal keeps the ticked unlink box and unlinks nothing.
    r = b.post(path, dict(base, **full_card(value="?", related_name=""), **{f"bo-{entity}": "1"}))
    assert r.status == 400 and f'name="bo-{entity}" value="1" checked' in r.text
    assert one(s, "SELECT count(*) FROM object_related WHERE object_id = ?", oid) == (1,)
    # Unlink the person, link a unit; the flag off.
    form = full_card(related_kind="unit", related_name="Đại đoàn 308", **{f"bo-{entity}": "1"})
    del form["public"]
    assert b.post(path, dict(base, **form)).status == 303
    assert one(s, "SELECT e.kind, e.name FROM object_related r JOIN related_entities e"
                  " ON e.id = r.entity_id WHERE r.object_id = ?", oid) == ("unit", "Đại đoàn 308")
    assert one(s, "SELECT public FROM objects WHERE id = ?", oid) == (0,)
    assert one(s, "SELECT count(*) FROM related_entities WHERE kind = 'person' AND name = ?",
               "Đại tướng " + XSS) == (1,)               # the entity stays for other objects
    assert b.get("/admin/so-dang-ky/999999/sua").status == 404


def test_edit_registered_only_outside_the_entry(s):
    b = browser(s, "baotang")
    oid, name, dating = one(s, "SELECT id, name, dating FROM objects WHERE reg_number IS NOT NULL"
                               " AND status != 'returned' ORDER BY id LIMIT 1")
    (entries,) = one(s, "SELECT count(*) FROM register_log")
    path, page, base = edit_form(b, oid)
    assert f"/admin/so-dang-ky/{oid}/dinh-chinh" in page.text
    assert 'name="name"' not in page.text and 'name="dating"' not in page.text
    r = b.post(path, dict(base, value="1 500 000 đ", notes="Bảo hiểm " + XSS, public="1",
                          related_kind="event", related_name="Chiến dịch Điện Biên Phủ 1954",
                          name="Tên lén đổi", dating="2000"))
    assert r.status == 303, htmllib.unescape(r.text)[-800:]
    assert one(s, "SELECT name, dating, value, notes, public FROM objects WHERE id = ?", oid) == (
        name, dating, 1500000, "Bảo hiểm " + XSS, 1)
    assert one(s, "SELECT count(*) FROM register_log") == (entries,)     # no entry written
    r = b.post(path, dict(base, value="-5", notes="x"))
    assert r.status == 400 and "Giá trị (đồng): " in htmllib.unescape(r.text)
    r = s.run("register", "verify", "--data", s.data)
    assert r.returncode == 0, r.stdout + r.stderr
