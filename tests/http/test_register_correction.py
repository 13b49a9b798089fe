"""Issue 12, corrections of registered cards (/admin/so-dang-ky/ID/dinh-chinh):
a registered entry is never edited in place; the form appends a correction
entry that names the entry it corrects, with who, when and why, and the card's
history shows both. Refusals name the field and keep what was typed; what was
typed comes back escaped; `sen register verify` still finds the chain whole."""
import html as htmllib
import re

from admin_client import csrf_of
from register_users import browser, one, setup_module, teardown_module  # noqa: F401

XSS = "<img src=x onerror=alert('dc')>"


def form_of(page):
    """The correction form's fields as the page shows them."""
    fields = dict(re.findall(r'<input id="k-[a-z]+" name="([a-z_]+)" value="([^"]*)"', page))
    for name in ("why", "description"):
        m = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', page)
        fields[name] = htmllib.unescape(m.group(1)) if m else ""
    for name in ("material_code", "class", "acquisition_id"):
        select = re.search(rf'name="{name}"[^>]*>(.*?)</select>', page, re.S)
        if select is None:   # the edit page offers no acquisition
            continue
        m = re.search(r'<option value="([^"]*)" selected', select.group(1))
        fields[name] = m.group(1) if m else ""
    return {k: htmllib.unescape(v) for k, v in fields.items()}


def test_correction_appends_an_entry(s):
    b = browser(s, "baotang")
    oid, number = one(s, "SELECT id, reg_number FROM objects WHERE reg_number IS NOT NULL"
                         " ORDER BY id DESC LIMIT 1")
    (entries,) = one(s, "SELECT count(*) FROM register_log WHERE object_id = ?", oid)
    (head,) = one(s, "SELECT log_head FROM objects WHERE id = ?", oid)
    path = f"/admin/so-dang-ky/{oid}/dinh-chinh"
    card = b.get(f"/admin/so-dang-ky/{oid}")
    assert path in card.text
    page = b.get(path)
    assert page.status == 200 and number in htmllib.unescape(page.text)
    form = form_of(page.text)
    (name,) = one(s, "SELECT name FROM objects WHERE id = ?", oid)
    assert form["name"] == name
    form["csrf"] = csrf_of(page.text, path)
    # Nothing changed: refused, nothing written.
    r = b.post(path, dict(form, why="Kiểm tra lại"))
    assert r.status == 400 and "Nội dung đính chính" in htmllib.unescape(r.text)
    # A change without a reason: refused, naming the field, the change kept.
    r = b.post(path, dict(form, name=name + " " + XSS, why=""))
    assert r.status == 400
    text = htmllib.unescape(r.text)
    assert "Lý do đính chính: bắt buộc" in text and name + " " + XSS in text and XSS not in r.text
    r = b.post(path, dict(form, height_cm="cao lắm", why="Đo lại"))
    assert r.status == 400 and "Cao (cm):" in htmllib.unescape(r.text)
    r = b.post(path, dict(form, material_code="XX", why="Đo lại"))
    assert r.status == 400 and "Chất liệu" in htmllib.unescape(r.text)
    assert one(s, "SELECT count(*) FROM register_log WHERE object_id = ?", oid)[0] == entries
    # Corrected: a new entry that names the old one; the card shows both.
    why = "Sai chính tả khi vào sổ " + XSS
    r = b.post(path, dict(form, other_names="Tên gọi khác " + XSS, dating="1953-1954", why=why))
    assert r.status == 303, htmllib.unescape(r.text)[-600:]
    assert one(s, "SELECT count(*) FROM register_log WHERE object_id = ?", oid)[0] == entries + 1
    kind, corrects, who, logged_why = one(
        s, "SELECT kind, corrects, who, why FROM register_log WHERE object_id = ? ORDER BY id DESC", oid)
    assert (kind, corrects, logged_why) == ("correct", head, why) and who == "baotang"
    assert one(s, "SELECT reg_number, dating FROM objects WHERE id = ?", oid) == (number, "1953-1954")
    card = b.get(r.header("location"))
    text = htmllib.unescape(card.text)
    assert "Đã ghi mục đính chính" in text and why in text and XSS not in card.text
    assert text.count(number) >= 2          # both entries carry the number
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'object_correct'")[0] >= 1
    r = s.run("register", "verify", "--data", s.data)
    assert r.returncode == 0, r.stdout + r.stderr


def test_correction_only_for_registered(s):
    b = browser(s, "baotang")
    (oid,) = one(s, "SELECT id FROM objects WHERE status = 'intake' ORDER BY id LIMIT 1")
    assert b.get(f"/admin/so-dang-ky/{oid}/dinh-chinh").status == 409
    assert f"/admin/so-dang-ky/{oid}/dinh-chinh" not in b.get(f"/admin/so-dang-ky/{oid}").text
    assert b.get("/admin/so-dang-ky/999999/dinh-chinh").status == 404


def test_correction_moves_to_another_acquisition(s):
    """An object entered under the wrong acquisition is moved by a correction:
    the form offers the acquisitions (its own selected); a bad choice is
    refused naming the field with the rest kept; the move appends a correction
    entry naming the old one, whose payload holds the new acquisition."""
    import json
    b = browser(s, "baotang")
    oid, old = one(s, "SELECT id, acquisition_id FROM objects WHERE reg_number IS NOT NULL"
                      " ORDER BY id LIMIT 1")
    (new,) = one(s, "SELECT id FROM acquisitions WHERE id <> ? ORDER BY id DESC LIMIT 1", old)
    (head,) = one(s, "SELECT log_head FROM objects WHERE id = ?", oid)
    (entries,) = one(s, "SELECT count(*) FROM register_log WHERE object_id = ?", oid)
    path = f"/admin/so-dang-ky/{oid}/dinh-chinh"
    page = b.get(path)
    select = re.search(r'<select id="k-acquisition" name="acquisition_id"[^>]*>(.*?)</select>',
                       page.text, re.S).group(1)
    assert f'<option value="{old}" selected>' in select
    assert f'<option value="{new}">' in select
    form = dict(form_of(page.text), csrf=csrf_of(page.text, path))
    assert form["acquisition_id"] == str(old)
    typed = dict(form, dating="Khoảng " + XSS)
    for bad, words in (("ba", "Đợt thu nhận: "), ("999999", "Đợt thu nhận: ")):
        r = b.post(path, dict(typed, acquisition_id=bad, why="Nhập nhầm đợt"))
        assert r.status == 400, (bad, r.status)
        text = htmllib.unescape(r.text)
        assert words in text and "Khoảng " + XSS in text and XSS not in r.text, bad
    r = b.post(path, dict(form, acquisition_id=str(new), why=""))
    assert r.status == 400 and "Lý do đính chính: bắt buộc" in htmllib.unescape(r.text)
    # What was chosen comes back chosen.
    assert f'<option value="{new}" selected>' in r.text
    assert one(s, "SELECT acquisition_id FROM objects WHERE id = ?", oid) == (old,)
    assert one(s, "SELECT count(*) FROM register_log WHERE object_id = ?", oid) == (entries,)
    r = b.post(path, dict(form, acquisition_id=str(new), why="Nhập nhầm đợt thu nhận"))
    assert r.status == 303, htmllib.unescape(r.text)[-600:]
    assert one(s, "SELECT acquisition_id FROM objects WHERE id = ?", oid) == (new,)
    kind, corrects, payload = one(s, "SELECT kind, corrects, payload FROM register_log"
                                     " WHERE object_id = ? ORDER BY id DESC LIMIT 1", oid)
    assert (kind, corrects) == ("correct", head)
    assert json.loads(payload)["acquisition_id"] == new
    card = b.get(f"/admin/so-dang-ky/{oid}").text
    assert f'href="/admin/so-dang-ky/thu-nhan/{new}"' in card
    assert f"/admin/so-dang-ky/{oid}\"" in b.get(f"/admin/so-dang-ky/thu-nhan/{new}").text
    r = s.run("register", "verify", "--data", s.data)
    assert r.returncode == 0, r.stdout + r.stderr
