"""Issue 12, the sources of objects ("Nguồn hiện vật") in the back office:
/admin/so-dang-ky/nguon lists them (search that ignores marks, keyset pages),
/nguon/them adds one (warning first when the name is already there), and
/nguon/ID shows one with its acquisitions and objects and edits it. Bad input
comes back as the form naming the field in Vietnamese with what was typed
kept; every change is in the audit log; once an object from a source is
registered its name is fixed. Every role on every URL: test_register_roles.py."""
import html as htmllib
import re

from admin_client import csrf_of
from register_users import one, walk_pages
from test_register_roles import PASSWORDS, ROLES
from admin_client import accounts_module

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

NEW = "/admin/so-dang-ky/nguon/them"


def form(b, **fields):
    """The new-source form, filled: fields override the defaults."""
    token = csrf_of(b.get(NEW).text, NEW)
    f = {"csrf": token, "kind": "person", "name": "", "address": "", "phone": "",
         "email": "", "note": ""}
    f.update(fields)
    return f


def alert(r):
    return " ".join(htmllib.unescape(m) for m in re.findall(r'role="alert">([^<]*)', r.text))


def test_donor_pages_for_the_council_read_only(s):
    # Every role on every URL: test_register_roles.py (EXPECTED).
    (donor,) = one(s, "SELECT id FROM donors ORDER BY id LIMIT 1")
    page = browser(s, "hoidong").get(f"/admin/so-dang-ky/nguon/{donor}")
    assert page.status == 200 and f'action="/admin/so-dang-ky/nguon/{donor}"' not in page.text
    assert NEW not in browser(s, "hoidong").get("/admin/so-dang-ky/nguon").text
    assert NEW in browser(s, "baotang").get("/admin/so-dang-ky/nguon").text
    for name in ("bientap", "tacgia", "kiemduyet"):
        assert browser(s, name).get(f"/admin/so-dang-ky/nguon/{donor}").status == 403


def test_donor_add_checks_every_field_and_keeps_input(s):
    b = browser(s, "baotang")
    (before,) = one(s, "SELECT count(*) FROM donors")
    cases = [
        ({"name": "   "}, "Tên người/đơn vị: bắt buộc"),
        ({"name": "x" * 201}, "Tên người/đơn vị: quá dài"),
        ({"name": "Ông Lường Văn Ơn", "kind": "robot"}, "Loại nguồn: không phải"),
        ({"name": "Ông Lường Văn Ơn", "address": "a" * 501}, "Địa chỉ: quá dài"),
        ({"name": "Ông Lường Văn Ơn", "phone": "0" * 41}, "Điện thoại: quá dài"),
        ({"name": "Ông Lường Văn Ơn", "email": "khong-co-a-cong"}, "Email: có ký tự không hợp lệ"),
        ({"name": "Ông Lường Văn Ơn", "note": "n" * 2001}, "Ghi chú: quá dài"),
        ({"name": "Ông Lường\x01Văn Ơn"}, "Tên người/đơn vị: có ký tự không hợp lệ"),
    ]
    for fields, message in cases:
        f = form(b, address="Bản Noong Bua", phone="0215 3830 123", note="Ghi chú giữ lại")
        f.update(fields)
        r = b.post(NEW, f)
        assert r.status == 400, (fields, r.status)
        assert message in alert(r), (fields, alert(r))
        # What was typed comes back.
        if "note" not in fields:
            assert "Ghi chú giữ lại" in htmllib.unescape(r.text), fields
        if "phone" not in fields:
            assert 'value="0215 3830 123"' in r.text, fields
    assert one(s, "SELECT count(*) FROM donors") == (before,)
    f = form(b, name="Ông Lường Văn Ơn <script>x</script>", kind="person",
             address="Bản Noong Bua, TP Điện Biên Phủ", phone="0215 3830 123",
             email="on.luong@example.vn", note="Con trai chiến sĩ")
    r = b.post(NEW, f)
    assert r.status == 303, alert(r)
    (did,) = one(s, "SELECT id FROM donors WHERE name LIKE 'Ông Lường Văn Ơn%'")
    assert r.header("location") == f"/admin/so-dang-ky/nguon/{did}?ok=them"
    assert one(s, "SELECT kind, phone, email FROM donors WHERE id = ?", did) == \
        ("person", "0215 3830 123", "on.luong@example.vn")
    page = b.get(r.header("location"))
    assert "Đã thêm nguồn hiện vật." in htmllib.unescape(page.text)
    assert "<script>x" not in page.text and "&lt;script&gt;x" in page.text
    assert one(s, "SELECT user_name, target, details FROM audit_log WHERE action = 'donor_change'"
                  " ORDER BY id DESC LIMIT 1") == ("baotang", f"{did} Ông Lường Văn Ơn <script>x</script>", "add")


def test_donor_same_name_warns_first(s):
    b = browser(s, "quantri")
    r = b.post(NEW, form(b, name="Bà Quàng Thị Sương", kind="person"))
    assert r.status == 303
    (count,) = one(s, "SELECT count(*) FROM donors")
    # The same name without marks and in capitals: a warning naming the
    # source already there, the input kept, nothing stored.
    r = b.post(NEW, form(b, name="BA QUANG THI SUONG", phone="0988 000 111"))
    assert r.status == 409
    text = htmllib.unescape(r.text)
    assert "Đã có nguồn cùng tên" in text and "Bà Quàng Thị Sương" in text
    assert 'value="0988 000 111"' in r.text and 'name="same_name_ok"' in r.text
    assert one(s, "SELECT count(*) FROM donors") == (count,)
    # Confirmed: it is someone else.
    r = b.post(NEW, form(b, name="BA QUANG THI SUONG", phone="0988 000 111", same_name_ok="1"))
    assert r.status == 303
    assert one(s, "SELECT count(*) FROM donors") == (count + 1,)


def test_donor_list_search_and_pages(s):
    b = browser(s, "hoidong")   # the council reads the list
    r = b.get("/admin/so-dang-ky/nguon")
    assert r.status == 200
    assert "Nguồn hiện vật" in htmllib.unescape(r.text)
    db_names = [n for (n,) in [one(s, "SELECT name FROM donors WHERE id = ?", i)
                               for (i,) in [one(s, "SELECT min(id) FROM donors")]]]
    assert db_names[0] in htmllib.unescape(r.text)
    # Folded search: no marks, any case, finds the marked name.
    k = browser(s, "baotang")
    k.post(NEW, form(k, name="Nguyễn Văn Tỉnh", address="Tổ 5, phường Him Lam"))
    r = b.get("/admin/so-dang-ky/nguon?q=nguyen+van+tinh")
    assert r.status == 200 and "Nguyễn Văn Tỉnh" in htmllib.unescape(r.text)
    r = b.get("/admin/so-dang-ky/nguon?q=HIM+LAM")
    assert "Nguyễn Văn Tỉnh" in htmllib.unescape(r.text)
    r = b.get("/admin/so-dang-ky/nguon?q=khong+ai+ten+the+nay")
    assert "Không có nguồn nào." in htmllib.unescape(r.text)
    r = b.get("/admin/so-dang-ky/nguon?q=" + "a" * 201)
    assert r.status == 400 and "quá dài" in alert(r)
    assert b.get("/admin/so-dang-ky/nguon?sau=abc").status == 400
    # Keyset pages of 50 in name order: 60 more sources, every one once.
    for i in range(60):
        r = k.post(NEW, form(k, name=f"Cựu chiến binh Trung đoàn 174 số {i:02d}"))
        assert r.status == 303
    seen, pages = walk_pages(b, "/admin/so-dang-ky/nguon?q=trung+doan+174",
                             r'<a href="/admin/so-dang-ky/nguon/\d+">([^<]*)</a>')
    assert pages == 2 and len(seen) == 60 and len(set(seen)) == 60
    assert seen == sorted(seen)
    (total,) = one(s, "SELECT count(*) FROM donors")
    seen, _ = walk_pages(b, "/admin/so-dang-ky/nguon", r'<a href="/admin/so-dang-ky/nguon/(\d+)">')
    assert len(seen) == total and len(set(seen)) == total


def test_donor_view_edit_and_name_fixed_once_registered(s):
    b = browser(s, "baotang")
    # A demo source whose objects are registered.
    (did, name) = one(s, "SELECT d.id, d.name FROM donors d JOIN acquisitions q ON q.donor_id = d.id"
                         " JOIN objects o ON o.acquisition_id = q.id WHERE o.reg_number IS NOT NULL"
                         " ORDER BY d.id LIMIT 1")
    (nacq,) = one(s, "SELECT count(*) FROM acquisitions WHERE donor_id = ?", did)
    (nobj,) = one(s, "SELECT count(*) FROM objects o JOIN acquisitions q ON q.id = o.acquisition_id"
                     " WHERE q.donor_id = ?", did)
    url = f"/admin/so-dang-ky/nguon/{did}"
    page = b.get(url)
    assert page.status == 200
    text = htmllib.unescape(page.text)
    assert name in text
    # Its acquisitions, linked, dated dd/mm/yyyy, and the count of objects.
    links = re.findall(r'<a href="/admin/so-dang-ky/thu-nhan/(\d+)">(\d\d/\d\d/\d{4})</a>', page.text)
    assert len(links) == nacq, links
    assert re.search(r"<dt>Số hiện vật</dt><dd>%d</dd>" % nobj, text), text[-2000:]
    token = csrf_of(page.text, url)
    f = {"csrf": token, "kind": "organisation", "name": name + " (sửa)", "address": "Địa chỉ mới",
         "phone": "", "email": "", "note": ""}
    r = b.post(url, f)
    assert r.status == 400
    assert "Tên người/đơn vị: không sửa được vì đã có hiện vật từ nguồn này được đăng ký" in alert(r)
    assert "Địa chỉ mới" in htmllib.unescape(r.text)
    assert one(s, "SELECT name FROM donors WHERE id = ?", did) == (name,)
    f.update(name=name, email="sai")
    r = b.post(url, f)
    assert r.status == 400 and "Email:" in alert(r)
    f.update(email="lienhe@example.vn")
    r = b.post(url, f)
    assert r.status == 303 and r.header("location") == url + "?ok=luu"
    assert one(s, "SELECT kind, address, email FROM donors WHERE id = ?", did) == \
        ("organisation", "Địa chỉ mới", "lienhe@example.vn")
    assert "Đã lưu nguồn hiện vật." in htmllib.unescape(b.get(url + "?ok=luu").text)
    assert one(s, "SELECT details FROM audit_log WHERE action = 'donor_change' AND target LIKE ?"
                  " ORDER BY id DESC LIMIT 1", f"{did} %") == ("edit",)
    # A source with nothing registered may be renamed.
    r = b.post(NEW, form(b, name="Ông Cà Văn Lả"))
    new = r.header("location").split("?")[0]
    token = csrf_of(b.get(new).text, new)
    r = b.post(new, {"csrf": token, "kind": "person", "name": "Ông Cà Văn Lả (Tuần Giáo)",
                     "address": "", "phone": "", "email": "", "note": ""})
    assert r.status == 303
    assert b.get("/admin/so-dang-ky/nguon/999999").status == 404
    assert b.post("/admin/so-dang-ky/nguon/999999", {**f, "csrf": csrf_of(page.text, url)}).status in (403, 404)
