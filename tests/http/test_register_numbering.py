"""Issue 12, registration-number patterns (/admin/so-dang-ky/mau-so, admins only):
each register's museum prefix and pattern can be changed, but a pattern that
would give a number an object already holds is refused when it is saved, the
form naming the field and keeping what was typed; numbers given before never
change."""
import html as htmllib
import os
import sqlite3

from admin_client import csrf_of
from register_users import browser, one, setup_module, teardown_module  # noqa: F401

XSS = "<b>x</b>"


def test_pattern_checked_and_saved(s):
    b = browser(s, "quantri")
    page = b.get("/admin/so-dang-ky/mau-so")
    assert page.status == 200
    (hv_next,) = one(s, "SELECT next_number FROM registers WHERE code = 'HV'")
    assert f"BTĐBP.HV.{hv_next:05d}/KL" in htmllib.unescape(page.text)   # the next number shown
    (tk, tk_prefix, tk_pattern) = one(s, "SELECT id, prefix, pattern FROM registers WHERE code = 'TK'")
    path = f"/admin/so-dang-ky/mau-so/{tk}"
    token = csrf_of(page.text, path)
    # A pattern without {register} is refused, naming the field, keeping what was typed.
    r = b.post(path, {"csrf": token, "prefix": "BTĐBP", "pattern": "{prefix}.HV.{n:5}/{material}"})
    assert r.status == 400 and "Mẫu số đăng ký:" in htmllib.unescape(r.text)
    assert 'value="{prefix}.HV.{n:5}/{material}"' in r.text
    r = b.post(path, {"csrf": token, "prefix": "BT Đ" + XSS, "pattern": tk_pattern})
    assert r.status == 400 and "Tên viết tắt của bảo tàng:" in htmllib.unescape(r.text)
    assert XSS not in r.text and htmllib.escape(XSS, quote=False) in r.text
    # A wider running number: what TK gave reads back below its next number, accepted;
    # the numbers given before stay as they were.
    given = one(s, "SELECT group_concat(reg_number) FROM objects WHERE register_id = ?", tk)
    wider = tk_pattern.replace("{n:5}", "{n:6}")
    r = b.post(path, {"csrf": token, "prefix": tk_prefix, "pattern": wider})
    assert r.status == 303, htmllib.unescape(r.text)[-500:]
    assert one(s, "SELECT pattern FROM registers WHERE id = ?", tk)[0] == wider
    assert one(s, "SELECT group_concat(reg_number) FROM objects WHERE register_id = ?", tk) == given
    assert "Đã lưu mẫu số" in htmllib.unescape(b.get(r.header("location")).text)
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'register_pattern'")[0] >= 1


def test_pattern_duplicate_is_refused(s):
    """A register whose code is KL would, with "{prefix}.HV.{n:5}/{register}",
    write numbers of HV's KL objects from its first one: refused."""
    b = browser(s, "quantri")
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    db.execute("INSERT INTO registers (code, name, collection, prefix)"
               " VALUES ('KL', 'Sổ phụ', 'reference', 'BTĐBP')")
    db.commit()
    (kl,) = db.execute("SELECT id FROM registers WHERE code = 'KL'").fetchone()
    (held,) = db.execute("SELECT count(*) FROM objects WHERE reg_number LIKE 'BTĐBP.HV.%/KL'").fetchone()
    db.close()
    assert held > 0
    page = b.get("/admin/so-dang-ky/mau-so")
    token = csrf_of(page.text, f"/admin/so-dang-ky/mau-so/{kl}")
    r = b.post(f"/admin/so-dang-ky/mau-so/{kl}", {"csrf": token, "prefix": "BTĐBP",
                                                  "pattern": "{prefix}.HV.{n:5}/{register}"})
    assert r.status == 400, r.status
    assert "Mẫu số đăng ký: trùng với một bản ghi đã có" in htmllib.unescape(r.text)
    assert one(s, "SELECT pattern FROM registers WHERE id = ?", kl)[0] == "{prefix}.{register}.{n:5}/{material}"


def test_numbering_admin_only(s):
    b = browser(s, "baotang")
    assert b.get("/admin/so-dang-ky/mau-so").status == 403
    assert "/admin/so-dang-ky/mau-so" not in b.get("/admin/so-dang-ky").text
    assert "/admin/so-dang-ky/mau-so" in browser(s, "quantri").get("/admin/so-dang-ky").text
