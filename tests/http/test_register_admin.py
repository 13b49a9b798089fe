"""Issue 12, the register in the back office (/admin/so-dang-ky): the list with
folded search, the object card with its register history and movements, the
intake form (checked field by field, nothing half-stored, audited). Editors and
authors get 403; the register's own roles are in test_register_roles.py."""
import html as htmllib
import sqlite3
import os

from admin_client import accounts_module, csrf_of

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
