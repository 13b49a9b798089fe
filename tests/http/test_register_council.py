"""Issue 12, the Scientific Council pages (/admin/so-dang-ky/hoi-dong): sessions
(date, members, minutes, the signed minutes as a file of the media library) and
per-object decisions; acceptance gives the registration number in the same
transaction. A refusal names the field in Vietnamese and keeps what was typed;
what people type comes back escaped. Who may use which URL is in
test_register_roles.py."""
import html as htmllib
import re

from admin_client import accounts_module, csrf_of
from register_users import intake, rows as query

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "hoidong": "Hội đồng khoa học họp tháng Năm",
    "baotang": "Cán bộ kho hiện vật Mường Thanh",
}
ROLES = {"quantri": "admin", "hoidong": "council", "baotang": "curator"}

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

XSS = "<script>alert('hd')</script>"


def new_session(s, b, **fields):
    page = b.get("/admin/so-dang-ky/hoi-dong/moi")
    assert page.status == 200
    form = {"csrf": csrf_of(page.text, "/admin/so-dang-ky/hoi-dong/moi"), "held_on": "15/05/2021",
            "members": "PGS. Nguyễn Văn A\nTS. Trần Thị B", "minutes": "Hội đồng họp xét 3 hiện vật.",
            "minutes_media_id": ""}
    form.update(fields)
    return b.post("/admin/so-dang-ky/hoi-dong/moi", form)


def test_council_session_checked_and_kept(s):
    b = browser(s, "hoidong")
    r = new_session(s, b, held_on="31/02/2021", members="Ông " + XSS, minutes="Biên bản " + XSS)
    assert r.status == 400
    text = htmllib.unescape(r.text)
    assert "Ngày họp:" in text
    assert XSS not in r.text                      # escaped when shown again
    assert "Ông " + XSS in text and "Biên bản " + XSS in text   # and kept
    r = new_session(s, b, held_on="")
    assert r.status == 400 and "Ngày họp: bắt buộc" in htmllib.unescape(r.text)
    r = new_session(s, b, minutes_media_id="999999")
    assert r.status == 400 and "Tệp biên bản đã ký:" in htmllib.unescape(r.text)
    r = new_session(s, b, minutes_media_id="abc")
    assert r.status == 400 and "Tệp biên bản đã ký:" in htmllib.unescape(r.text)
    assert query(s, "SELECT count(*) FROM council_sessions WHERE held_on = '2021-02-31'")[0][0] == 0
    r = new_session(s, b, members="Ông " + XSS, minutes="Biên bản " + XSS)
    assert r.status == 303
    loc = r.header("location")
    assert re.match(r"/admin/so-dang-ky/hoi-dong/\d+\?ok=moi$", loc), loc
    page = b.get(loc)
    assert page.status == 200 and XSS not in page.text
    text = htmllib.unescape(page.text)
    assert "Đã lưu phiên họp" in text and "Ông " + XSS in text and "2021-05-15" in text
    assert "Biên bản " + XSS in text
    listing = b.get("/admin/so-dang-ky/hoi-dong")
    assert "2021-05-15" in listing.text
    sid = re.search(r"/hoi-dong/(\d+)", loc).group(1)
    assert query(s, "SELECT count(*) FROM audit_log WHERE action = 'council_session'"
                    " AND target = ?", sid)[0][0] == 1


def intake_object(s, name):
    r = intake(browser(s, "baotang"), name)
    assert r.status == 303, r.text
    return query(s, "SELECT id FROM objects WHERE name = ?", name)[0][0]


def test_council_decision_gives_number(s):
    b = browser(s, "hoidong")
    r = new_session(s, b, held_on="20/05/2021")
    session = int(re.search(r"/hoi-dong/(\d+)", r.header("location")).group(1))
    a = intake_object(s, "Ấm đun nước bằng nhôm")
    c = intake_object(s, "Cuốc chim bị gãy cán")
    (hv,) = query(s, "SELECT id FROM registers WHERE collection = 'main' ORDER BY id LIMIT 1")[0]
    (tk,) = query(s, "SELECT id FROM registers WHERE collection = 'reference' ORDER BY id LIMIT 1")[0]
    path = f"/admin/so-dang-ky/hoi-dong/{session}"
    page = b.get(path)
    assert page.status == 200 and "Ấm đun nước bằng nhôm" in htmllib.unescape(page.text)
    token = csrf_of(page.text, f"{path}/quyet-dinh")
    form = {"csrf": token, "object_id": str(a), "decision": "main", "register_id": "",
            "note": "Ghi chú " + XSS}
    # Main collection without a register: refused, naming the field, note kept.
    r = b.post(f"{path}/quyet-dinh", form)
    assert r.status == 400
    text = htmllib.unescape(r.text)
    assert "Sổ đăng ký: bắt buộc" in text and "Ghi chú " + XSS in text and XSS not in r.text
    # The reference register for the main collection: refused.
    r = b.post(f"{path}/quyet-dinh", dict(form, register_id=str(tk)))
    assert r.status == 400 and "Sổ đăng ký:" in htmllib.unescape(r.text)
    r = b.post(f"{path}/quyet-dinh", dict(form, decision="sell", register_id=str(hv)))
    assert r.status == 400 and "Quyết định:" in htmllib.unescape(r.text)
    r = b.post(f"{path}/quyet-dinh", dict(form, object_id=""))
    assert r.status == 400 and "Hiện vật: bắt buộc" in htmllib.unescape(r.text)
    assert query(s, "SELECT status FROM objects WHERE id = ?", a)[0][0] == "intake"
    (before,) = query(s, "SELECT next_number FROM registers WHERE id = ?", hv)[0]
    # Accepted: the number, the decision, the log entry, the audit line.
    r = b.post(f"{path}/quyet-dinh", dict(form, register_id=str(hv)))
    assert r.status == 303, htmllib.unescape(r.text)[-800:]
    status, number = query(s, "SELECT status, reg_number FROM objects WHERE id = ?", a)[0]
    assert status == "main" and re.match(r"BTĐBP\.HV\.\d{5}/KL$", number), number
    assert number.endswith(f"{before:05d}/KL")
    page = b.get(r.header("location"))
    text = htmllib.unescape(page.text)
    assert f"Số đăng ký: {number}" in text
    assert "Ghi chú " + XSS in text and XSS not in page.text
    assert query(s, "SELECT count(*) FROM register_log WHERE object_id = ? AND kind = 'register'", a)[0][0] == 1
    assert query(s, "SELECT count(*) FROM audit_log WHERE action = 'council_decision' AND target = ?",
                 str(a))[0][0] == 1
    # Decided once only.
    r = b.post(f"{path}/quyet-dinh", dict(form, register_id=str(hv)))
    assert r.status == 400 and "Hiện vật:" in htmllib.unescape(r.text)
    assert query(s, "SELECT next_number FROM registers WHERE id = ?", hv)[0][0] == before + 1
    # Returned: no number.
    r = b.post(f"{path}/quyet-dinh", dict(form, object_id=str(c), decision="returned"))
    assert r.status == 303
    assert query(s, "SELECT status, reg_number FROM objects WHERE id = ?", c)[0] == ("returned", None)
    assert "Đã ghi quyết định." in htmllib.unescape(b.get(r.header("location")).text)
    # The card of the accepted object shows its number.
    card = b.get(f"/admin/so-dang-ky/{a}")
    assert number in htmllib.unescape(card.text)


def test_council_unknown_session(s):
    b = browser(s, "hoidong")
    assert b.get("/admin/so-dang-ky/hoi-dong/999999").status == 404
    page = b.get("/admin/so-dang-ky/hoi-dong/moi")
    token = csrf_of(page.text, "/admin/so-dang-ky/hoi-dong/moi")
    r = b.post("/admin/so-dang-ky/hoi-dong/999999/quyet-dinh",
               {"csrf": token, "object_id": "1", "decision": "returned", "register_id": "", "note": ""})
    assert r.status in (403, 404)


def test_council_read_only_for_curator(s):
    b = browser(s, "baotang")
    (session,) = query(s, "SELECT id FROM council_sessions ORDER BY id LIMIT 1")[0]
    page = b.get(f"/admin/so-dang-ky/hoi-dong/{session}")
    assert page.status == 200 and "/quyet-dinh" not in page.text
    assert "/admin/so-dang-ky/hoi-dong/moi" not in b.get("/admin/so-dang-ky/hoi-dong").text
