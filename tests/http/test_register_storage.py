"""Issue 12, storage and movements in the back office: the location tree at
/admin/kho (listed as a tree, places added and renamed) and the move of an
object from its card (/admin/so-dang-ky/ID/di-chuyen). Bad input comes back
as the form with the field named in Vietnamese and nothing stored; stored
text comes back escaped. Who may use each URL: test_register_roles.py."""
import html as htmllib
import re

from admin_client import csrf_of
from register_users import browser, one, setup_module, teardown_module  # noqa: F401


def test_storage_tree_lists_places_in_order(s):
    b = browser(s, "quantri")
    r = b.get("/admin/kho")
    assert r.status == 200
    text = htmllib.unescape(r.text)
    # The tree reads from the top: the store, then its room, shelf and boxes.
    at = [text.index(n) for n in ("Kho chính", "Phòng 1", "Giá A", "Hộp 1", "Hộp 2")]
    assert at == sorted(at), at
    assert "Nhà trưng bày chính" in text and "phòng trưng bày" in text


def test_storage_add_checks_and_stores(s):
    b = browser(s, "quantri")
    r = b.get("/admin/kho")
    token = csrf_of(r.text, "/admin/kho/them")
    (shelf,) = one(s, "SELECT id FROM locations WHERE name = 'Giá A'")
    before = one(s, "SELECT count(*) FROM locations")
    # A box needs a name; the form comes back naming the field, values kept.
    form = {"csrf": token, "kind": "box", "parent_id": str(shelf), "name": "  ",
            "code": "H9", "store_kind": ""}
    r = b.post("/admin/kho/them", form)
    assert r.status == 400
    assert "Tên nơi lưu giữ: bắt buộc" in htmllib.unescape(r.text)
    assert 'value="H9"' in r.text
    # A box cannot sit at the top of the tree.
    form.update(name="Hộp 9", parent_id="")
    r = b.post("/admin/kho/them", form)
    assert r.status == 400 and "Nằm trong:" in htmllib.unescape(r.text)
    # A sibling's name is refused.
    form.update(name="Hộp 1", parent_id=str(shelf))
    r = b.post("/admin/kho/them", form)
    assert r.status == 400 and "trùng" in htmllib.unescape(r.text)
    form.update(parent_id="abc", name="Hộp 9")
    r = b.post("/admin/kho/them", form)
    assert r.status == 400 and "Nằm trong:" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM locations") == before
    form.update(parent_id=str(shelf), name="Hộp 9 <img src=x onerror=alert(1)>")
    r = b.post("/admin/kho/them", form)
    assert r.status == 303, r.text[:400]
    assert one(s, "SELECT kind, parent_id, code FROM locations WHERE name LIKE 'Hộp 9%'") == \
        ("box", shelf, "H9")
    r = b.get("/admin/kho")
    assert "<img src=x" not in r.text and "Hộp 9 &lt;img src=x" in r.text
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'location_change'"
                  " AND user_name = 'quantri'") >= (1,)


def test_storage_rename(s):
    b = browser(s, "quantri")
    r = b.get("/admin/kho")
    token = csrf_of(r.text, re.search(r'action="(/admin/kho/\d+/doi-ten)"', r.text).group(1))
    (box,) = one(s, "SELECT id FROM locations WHERE name = 'Hộp 3'")
    r = b.post(f"/admin/kho/{box}/doi-ten", {"csrf": token, "name": "Hộp 1", "code": ""})
    assert r.status == 400 and "Tên nơi lưu giữ: trùng" in htmllib.unescape(r.text)
    r = b.post(f"/admin/kho/{box}/doi-ten", {"csrf": token, "name": "", "code": ""})
    assert r.status == 400 and "bắt buộc" in htmllib.unescape(r.text)
    assert one(s, "SELECT name FROM locations WHERE id = ?", box) == ("Hộp 3",)
    r = b.post("/admin/kho/999999/doi-ten", {"csrf": token, "name": "X", "code": ""})
    assert r.status == 404
    r = b.post(f"/admin/kho/{box}/doi-ten", {"csrf": token, "name": "Hộp 3 (giấy)", "code": "H3"})
    assert r.status == 303
    assert one(s, "SELECT name, code FROM locations WHERE id = ?", box) == ("Hộp 3 (giấy)", "H3")
    # The path of the objects there follows the new name.
    r = b.post(f"/admin/kho/{box}/doi-ten", {"csrf": "0" * 64, "name": "Y", "code": ""})
    assert r.status == 403


def test_move_from_card(s):
    b = browser(s, "baotang")   # a curator moves objects
    (hall,) = one(s, "SELECT id FROM locations WHERE name = 'Nhà trưng bày chính'")
    (oid,) = one(s, "SELECT id FROM objects WHERE status = 'main' AND location_id <> ?"
                    " ORDER BY id LIMIT 1", hall)
    (moves,) = one(s, "SELECT count(*) FROM movements WHERE object_id = ?", oid)
    card = b.get(f"/admin/so-dang-ky/{oid}")
    assert f'href="/admin/so-dang-ky/{oid}/di-chuyen"' in card.text
    r = b.get(f"/admin/so-dang-ky/{oid}/di-chuyen")
    assert r.status == 200
    token = csrf_of(r.text, f"/admin/so-dang-ky/{oid}/di-chuyen")
    form = {"csrf": token, "moved_on": "31/02/2024", "to_location_id": str(hall),
            "who": "Chị Lan <b>kho</b>", "reason": "trung_bay", "note": "Trưng bày chuyên đề"}
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 400 and "Ngày di chuyển (dd/mm/yyyy): ngày không hợp lệ" in htmllib.unescape(r.text)
    assert "Trưng bày chuyên đề" in htmllib.unescape(r.text)          # kept
    form["moved_on"] = "01/01/2999"
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 400 and "ngày ở tương lai" in htmllib.unescape(r.text)
    form.update(moved_on="02/03/2025", to_location_id="")
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 400 and "Nơi đến: bắt buộc" in htmllib.unescape(r.text)
    form.update(to_location_id="999999")
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 400 and "Nơi đến: không có" in htmllib.unescape(r.text)
    form.update(to_location_id=str(hall), reason="vui_choi")
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 400 and "Lý do:" in htmllib.unescape(r.text)
    form.update(reason="trung_bay", who="")
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 400 and "Người thực hiện: bắt buộc" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM movements WHERE object_id = ?", oid) == (moves,)
    form.update(who="Chị Lan <b>kho</b>")
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    assert one(s, "SELECT location_id FROM objects WHERE id = ?", oid) == (hall,)
    assert one(s, "SELECT moved_on, reason, who FROM movements WHERE object_id = ?"
                  " ORDER BY id DESC LIMIT 1", oid) == ("2025-03-02", "trung_bay", "Chị Lan <b>kho</b>")
    # The card shows where it is now and where it has been, reasons in words.
    r = b.get(f"/admin/so-dang-ky/{oid}")
    text = htmllib.unescape(r.text)
    assert "Nhà trưng bày chính" in text and "trưng bày" in text and "trung_bay" not in text
    assert "<b>kho</b>" not in r.text and "&lt;b&gt;kho" in r.text
    # Moving again to the same place is refused, naming the field.
    r = b.post(f"/admin/so-dang-ky/{oid}/di-chuyen", form)
    assert r.status == 400 and "Nơi đến:" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'object_move'") >= (1,)
    assert b.get("/admin/so-dang-ky/999999/di-chuyen").status == 404
    assert b.post("/admin/so-dang-ky/999999/di-chuyen", form).status in (403, 404)


def test_condition_checks(s):
    b = browser(s, "baotang")
    (oid,) = one(s, "SELECT id FROM objects WHERE status = 'main' ORDER BY id LIMIT 1")
    path = f"/admin/so-dang-ky/{oid}/tinh-trang"
    assert f'href="{path}"' in b.get(f"/admin/so-dang-ky/{oid}").text
    r = b.get(path)
    assert r.status == 200
    token = csrf_of(r.text, path)
    (before,) = one(s, "SELECT count(*) FROM object_conditions WHERE object_id = ?", oid)
    form = {"csrf": token, "checked_on": "30/02/2025", "state": "kem",
            "checked_by": "Anh Tú", "note": "Gỉ ở vành <i>mũ</i>"}
    r = b.post(path, form)
    assert r.status == 400 and "Ngày kiểm tra (dd/mm/yyyy): ngày không hợp lệ" in htmllib.unescape(r.text)
    assert "Gỉ ở vành" in htmllib.unescape(r.text)                     # kept
    form.update(checked_on="01/01/2999")
    r = b.post(path, form)
    assert r.status == 400 and "Ngày kiểm tra (dd/mm/yyyy): ngày ở tương lai" in htmllib.unescape(r.text)
    form.update(checked_on="03/03/2025", state="rat_tot")
    r = b.post(path, form)
    assert r.status == 400 and "Tình trạng: không phải một giá trị được phép" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM object_conditions WHERE object_id = ?", oid) == (before,)
    form.update(state="kem")
    assert b.post(path, form).status == 303
    assert one(s, "SELECT checked_on, state, checked_by FROM object_conditions WHERE object_id = ?"
                  " ORDER BY id DESC LIMIT 1", oid) == ("2025-03-03", "kem", "Anh Tú")
    r = b.get(path)
    text = htmllib.unescape(r.text)
    assert "03/03/2025" in text and "kém" in text
    assert "<i>mũ</i>" not in r.text and "&lt;i&gt;mũ" in r.text
    assert b.get("/admin/so-dang-ky/999999/tinh-trang").status == 404
