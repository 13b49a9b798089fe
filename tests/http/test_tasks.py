"""Issue 14, units, staff and key tasks: /admin/don-vi (the tree, a new
unit, its page; a unit anything points at is refused deletion and can be
closed), /admin/nhan-su (staff by unit, one person per account), and
/admin/nhiem-vu (the list with its overdue filter, a new task, its page with
status and dated progress notes, the action programme by quarter and month
as a print page, "my tasks" and the dashboard block). Every refusal names
the field in Vietnamese and keeps what was typed; every change is audited;
planners and admins write, the person in charge (any role, through the
account linked to their staff record) reports on their own tasks, others
read; text is escaped."""
import html as htmllib
import re

import register_users
from admin_client import Browser, accounts_module, csrf_of, role_refusals

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "kehoach": "Kế hoạch công tác năm hai nghìn",
    "baotang": "Cán bộ kho hiện vật Mường Thanh",
    "hoidong": "Hội đồng khoa học họp tháng Năm",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
}
ROLES = {"quantri": "admin", "kehoach": "planner", "baotang": "curator", "hoidong": "council",
         "bientap": "editor", "tacgia": "author"}

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)
query = register_users.rows

UNITS, STAFF, TASKS = "/admin/don-vi", "/admin/nhan-su", "/admin/nhiem-vu"
XSS = '<script>alert("x")</script>'


def one(s, sql, *args):
    """The first column of the first row of a query on the server's database."""
    return query(s, sql, *args)[0][0]


def alert(r):
    return " ".join(htmllib.unescape(m) for m in re.findall(r'role="alert">([^<]*)', r.text))


def unit_id(s, name):
    return one(s, "SELECT id FROM units WHERE name = ?", name)


def task_form(s, b, url, **fields):
    page = b.get(url if url.endswith("/them") else url).text
    f = {"csrf": csrf_of(page, url), "title": "Kiểm kê hiện vật kho 2", "description": "",
         "lead_unit_id": str(unit_id(s, "Phòng Nghiệp vụ")), "person_id": "",
         "starts_on": "01/03/2021", "due_on": "30/06/2021", "status": "dang_thuc_hien",
         "indicator_id": ""}
    f.update(fields)
    return f


def test_units(s):
    b = browser(s, "kehoach")
    r = b.get(UNITS)
    assert r.status == 200
    assert "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ" in r.text and "Phòng Nghiệp vụ" in r.text
    museum = unit_id(s, "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ")
    page = b.get(UNITS + "/them").text
    before = one(s, "SELECT count(*) FROM units")
    cases = [({"name": " "}, "Tên đơn vị: bắt buộc"),
             ({"parent_id": ""}, "Trực thuộc: chỉ có một bảo tàng"),
             ({"parent_id": "999999"}, "Trực thuộc: không có"),
             ({"position": "hai"}, "Thứ tự: không phải là số"),
             ({"position": "5000"}, "Thứ tự: ngoài giới hạn"),
             ({"name": "Phòng Nghiệp vụ"}, "Tên đơn vị:")]
    for fields, message in cases:
        f = {"csrf": csrf_of(page, UNITS + "/them"), "name": "Phòng Giáo dục " + XSS,
             "short_name": "P. GD", "parent_id": str(museum), "position": "4", "active": "1"}
        f.update(fields)
        r = b.post(UNITS + "/them", f)
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        assert "P. GD" in r.text and XSS not in r.text
    assert one(s, "SELECT count(*) FROM units") == before
    f = {"csrf": csrf_of(page, UNITS + "/them"), "name": "Phòng Giáo dục " + XSS,
         "short_name": "P. GD", "parent_id": str(museum), "position": "4", "active": "1"}
    r = b.post(UNITS + "/them", f)
    assert r.status == 303, alert(r)
    new = one(s, "SELECT id FROM units WHERE short_name = 'P. GD'")
    page = b.get(UNITS).text
    assert XSS not in page and "Phòng Giáo dục &lt;script&gt;" in page
    # A unit with staff cannot be deleted; an empty one can.
    nv = unit_id(s, "Phòng Nghiệp vụ")
    one_page = b.get(f"{UNITS}/{nv}").text
    assert "Lò Thị Hoa" in one_page and "Sưu tầm tài liệu" in one_page   # staff, tasks
    r = b.post(f"{UNITS}/{nv}/xoa", {"csrf": csrf_of(one_page, f"{UNITS}/{nv}/xoa")})
    assert r.status == 409 and "không xóa được" in alert(r), alert(r)
    # A loop is refused: the museum under a department.
    mp = b.get(f"{UNITS}/{museum}").text
    r = b.post(f"{UNITS}/{museum}", {"csrf": csrf_of(mp, f"{UNITS}/{museum}"), "name": "Bảo tàng",
                                     "short_name": "", "parent_id": str(nv), "position": "0",
                                     "active": "1"})
    assert r.status == 400 and "Trực thuộc: không thể trực thuộc" in alert(r), alert(r)
    p = b.get(f"{UNITS}/{new}").text
    r = b.post(f"{UNITS}/{new}/xoa", {"csrf": csrf_of(p, f"{UNITS}/{new}/xoa")})
    assert r.status == 303
    assert query(s, "SELECT count(*) FROM units WHERE id = ?", new)[0][0] == 0
    actions = [d for (d,) in query(s, "SELECT details FROM audit_log WHERE action = 'unit_change'")]
    assert "add" in actions and "delete" in actions


def test_staff(s):
    b = browser(s, "quantri")
    nv = unit_id(s, "Phòng Nghiệp vụ")
    r = b.get(f"{STAFF}?don-vi={nv}")
    assert r.status == 200 and "Lò Thị Hoa" in r.text and "Quàng Văn Sơn" not in r.text
    assert b.get(STAFF + "?don-vi=abc").status == 400
    page = b.get(STAFF + "/them").text
    (kehoach,) = query(s, "SELECT id FROM users WHERE name = 'kehoach'")[0]
    before = one(s, "SELECT count(*) FROM people")
    base = {"csrf": csrf_of(page, STAFF + "/them"), "name": "Nguyễn Thị Mới " + XSS,
            "title": "CN.", "unit_id": str(nv), "position": "Cán bộ", "user_id": str(kehoach),
            "active": "1"}
    for fields, message in [({"name": ""}, "Họ và tên: bắt buộc"),
                            ({"unit_id": ""}, "Đơn vị: bắt buộc"),
                            ({"unit_id": "999999"}, "Đơn vị: không có"),
                            ({"user_id": "999999"}, "Tài khoản quản trị: không có"),
                            ({"title": "x" * 61}, "Học hàm, học vị: quá dài")]:
        f = dict(base, **fields)
        r = b.post(STAFF + "/them", f)
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        assert "Nguyễn Thị Mới &lt;script&gt;" in r.text or "name" in fields
    r = b.post(STAFF + "/them", base)
    assert r.status == 303, alert(r)
    assert one(s, "SELECT count(*) FROM people") == before + 1
    # One person per account.
    r = b.post(STAFF + "/them", dict(base, name="Người thứ hai"))
    assert r.status == 400 and "đã gắn với một nhân sự khác" in alert(r), alert(r)
    page = b.get(STAFF).text
    assert XSS not in page and "&lt;script&gt;" in page
    assert one(s, "SELECT count(*) FROM audit_log WHERE action = 'person_change'") >= 1


def test_task_validation_and_audit(s):
    b = browser(s, "kehoach")
    before = one(s, "SELECT count(*) FROM tasks")
    (ind2020,) = query(s, "SELECT x.id FROM plan_indicators x JOIN plans p ON p.id = x.plan_id"
                          " WHERE p.year = 2020 LIMIT 1")[0]
    cases = [({"title": " "}, "Tên nhiệm vụ: bắt buộc"),
             ({"due_on": ""}, "Hạn hoàn thành: bắt buộc"),
             ({"due_on": "31/02/2021"}, "Hạn hoàn thành: ngày không hợp lệ"),
             ({"starts_on": "hôm qua"}, "Ngày bắt đầu: ngày không hợp lệ"),
             ({"starts_on": "01/07/2021"}, "Hạn hoàn thành: hạn hoàn thành không được trước"),
             ({"lead_unit_id": ""}, "Đơn vị chủ trì: bắt buộc"),
             ({"lead_unit_id": "999999"}, "Đơn vị chủ trì: không có"),
             ({"person_id": "999999"}, "Người phụ trách: không có"),
             ({"person_id": "abc"}, "Người phụ trách: không có"),
             ({"indicator_id": "999999"}, "Chỉ tiêu kế hoạch: không có"),
             ({"indicator_id": str(ind2020)}, "năm của kế hoạch có chỉ tiêu đã chọn: 2020"),
             ({"status": "xong"}, "Trạng thái: không phải một giá trị được phép"),
             ({"description": "d" * 5001}, "Nội dung: quá dài")]
    for fields, message in cases:
        f = task_form(s, b, TASKS + "/them", **fields)
        f["title"] = fields.get("title", "Kiểm kê " + XSS)
        r = b.post(TASKS + "/them", f)
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        if "title" not in fields:
            assert "Kiểm kê &lt;script&gt;" in r.text and XSS not in r.text
        if fields.get("starts_on"):
            assert 'value="%s"' % htmllib.escape(fields["starts_on"]) in r.text
    assert one(s, "SELECT count(*) FROM tasks") == before
    tb = unit_id(s, "Phòng Trưng bày – Tuyên truyền")
    f = task_form(s, b, TASKS + "/them", title="Số hóa " + XSS, description="Mô tả " + XSS,
                  **{f"support_{tb}": "1"})
    r = b.post(TASKS + "/them", f)
    assert r.status == 303, alert(r)
    tid = one(s, "SELECT max(id) FROM tasks")
    assert one(s, "SELECT count(*) FROM task_units WHERE task_id = ? AND unit_id = ?", tid, tb) == 1
    page = b.get(f"{TASKS}/{tid}").text
    assert XSS not in page and "Số hóa &lt;script&gt;" in page and "Mô tả &lt;script&gt;" in page
    assert "Phòng Trưng bày – Tuyên truyền" in page
    (details,) = query(s, "SELECT details FROM audit_log WHERE action = 'task_change'"
                          " ORDER BY id DESC LIMIT 1")[0]
    assert "add due 2021-06-30" in details
    # Overdue (30/06/2021 has passed, in progress): badge and filter.
    lst = b.get(TASKS + "?qua-han=1").text
    assert "Số hóa &lt;script&gt;" in lst and "Quá hạn" in lst
    assert "Kiểm kê định kỳ hiện vật kho cơ sở" not in lst   # done, not overdue


def test_progress_by_person_in_charge(s):
    admin = browser(s, "quantri")
    (editor,) = query(s, "SELECT id FROM users WHERE name = 'bientap'")[0]
    # The editor's account is linked to Vũ Thị Thu Trang, in charge of the
    # demo's overdue digitisation task.
    (trang,) = query(s, "SELECT id FROM people WHERE name = 'Vũ Thị Thu Trang'")[0]
    pp = admin.get(f"{STAFF}/{trang}").text
    r = admin.post(f"{STAFF}/{trang}", {"csrf": csrf_of(pp, f"{STAFF}/{trang}"),
                                        "name": "Vũ Thị Thu Trang", "title": "CN.",
                                        "unit_id": str(unit_id(s, "Phòng Nghiệp vụ")),
                                        "position": "Cán bộ nghiên cứu",
                                        "user_id": str(editor), "active": "1"})
    assert r.status == 303, alert(r)
    (tid,) = query(s, "SELECT id FROM tasks WHERE title = 'Số hóa tài liệu, hình ảnh kho tư liệu"
                      " giai đoạn 2'")[0]
    ed = browser(s, "bientap")
    home = ed.get("/admin").text
    assert 'id="nhiem-vu-cua-toi"' in home and "giai đoạn 2" in home and "Quá hạn" in home
    mine = ed.get(TASKS + "/cua-toi").text
    assert "giai đoạn 2" in mine
    assert "giai đoạn 2" in ed.get(TASKS + "?qua-han=1").text   # the demo's overdue
    page = ed.get(f"{TASKS}/{tid}").text
    note_url = f"{TASKS}/{tid}/tien-do"
    for fields, message in [({"percent": "120"}, "Phần trăm hoàn thành (0–100): ngoài giới hạn"),
                            ({"percent": "nửa"}, "Phần trăm hoàn thành (0–100): không phải là số"),
                            ({"body": ""}, "Nội dung tiến độ: bắt buộc"),
                            ({"noted_on": "01/01/2099"}, "Ngày ghi nhận: ngày ghi nhận không được sau"),
                            ({"noted_on": "32/01/2021"}, "Ngày ghi nhận: ngày không hợp lệ")]:
        f = {"csrf": csrf_of(page, note_url), "noted_on": "15/09/2021",
             "body": "Máy quét đã sửa " + XSS, "percent": "70"}
        f.update(fields)
        r = ed.post(note_url, f)
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        if "body" not in fields:
            assert "Máy quét đã sửa &lt;script&gt;" in r.text
    r = ed.post(note_url, {"csrf": csrf_of(page, note_url), "noted_on": "15/09/2021",
                           "body": "Máy quét đã sửa " + XSS, "percent": "70"})
    assert r.status == 303, alert(r)
    page = ed.get(f"{TASKS}/{tid}").text
    assert "15/09/2021" in page and "70%" in page and XSS not in page
    r = ed.post(f"{TASKS}/{tid}/trang-thai", {"csrf": csrf_of(page, f"{TASKS}/{tid}/trang-thai"),
                                               "status": "hoan_thanh"})
    assert r.status == 303
    assert one(s, "SELECT status FROM tasks WHERE id = ?", tid) == "hoan_thanh"
    assert "giai đoạn 2" not in ed.get(TASKS + "?qua-han=1").text
    # The editor cannot edit the task itself, nor report on another's.
    r = ed.post(f"{TASKS}/{tid}", {"csrf": csrf_of(page, note_url)})
    assert r.status == 403
    (other,) = query(s, "SELECT id FROM tasks WHERE title LIKE 'Kiểm kê định kỳ%'")[0]
    op = ed.get(f"{TASKS}/{other}").text
    assert "/tien-do" not in op
    r = ed.post(f"{TASKS}/{other}/tien-do", {"csrf": csrf_of(page, note_url),
                                             "noted_on": "15/09/2021", "body": "x", "percent": "1"})
    assert r.status == 403
    rows = query(s, "SELECT details, user_name FROM audit_log WHERE action = 'task_change'"
                    " ORDER BY id DESC LIMIT 2")
    assert rows[0][1] == "bientap" and "status dang_thuc_hien -> hoan_thanh" in rows[0][0]
    assert "progress note" in rows[1][0] and "70%" in rows[1][0]


def test_programme_print(s):
    r = browser(s, "hoidong").get(TASKS + "/chuong-trinh/2021")
    assert r.status == 200
    text = htmllib.unescape(r.text)
    assert "CHƯƠNG TRÌNH HÀNH ĐỘNG NĂM 2021" in text
    for q in ("Quý I", "Quý II", "Quý III", "Quý IV"):
        assert q in text, q
    # The 7/5 exhibition sits in May, the inventory in March.
    may = text.index("Tháng 5<")
    assert may < text.index("Trưng bày chuyên đề kỷ niệm 67 năm") < text.index("Tháng 6<")
    assert text.index("Tháng 3<") < text.index("Kiểm kê định kỳ") < text.index("Tháng 4<")
    assert "@page" in r.text or "print" in r.text
    assert browser(s, "hoidong").get(TASKS + "/chuong-trinh/1990").status == 404


def test_roles_on_every_url(s):
    everyone = set(PASSWORDS)
    org_readers = {"quantri", "kehoach", "baotang", "hoidong"}
    writers = {"quantri", "kehoach"}
    (tid,) = query(s, "SELECT min(id) FROM tasks")[0]
    nv = unit_id(s, "Phòng Nghiệp vụ")
    (pid,) = query(s, "SELECT min(id) FROM people")[0]
    urls = [("GET", UNITS, org_readers), ("GET", UNITS + "/them", writers),
            ("GET", f"{UNITS}/{nv}", org_readers), ("POST", UNITS + "/them", writers),
            ("POST", f"{UNITS}/{nv}", writers), ("POST", f"{UNITS}/{nv}/xoa", writers),
            ("GET", STAFF, org_readers), ("GET", STAFF + "/them", writers),
            ("GET", f"{STAFF}/{pid}", org_readers), ("POST", STAFF + "/them", writers),
            ("POST", f"{STAFF}/{pid}", writers),
            ("GET", TASKS, everyone), ("GET", TASKS + "/cua-toi", everyone),
            ("GET", TASKS + "/them", writers), ("GET", f"{TASKS}/{tid}", everyone),
            ("GET", TASKS + "/chuong-trinh/2021", everyone),
            ("POST", TASKS + "/them", writers), ("POST", f"{TASKS}/{tid}", writers)]
    bad = role_refusals(s, browser, PASSWORDS, urls)
    # Status and notes: any account reaches the handler, which lets only
    # the person in charge, planners and admins through.
    for path in (f"{TASKS}/{tid}/trang-thai", f"{TASKS}/{tid}/tien-do"):
        r = Browser(s).post(path, {"csrf": "0" * 64})
        if r.status != 401:
            bad.append(("anonymous", "POST", path, r.status))
    assert bad == [], bad
    for name in PASSWORDS:
        home = browser(s, name).get("/admin").text
        assert ('href="/admin/don-vi"' in home) == (name in org_readers), name
        assert 'href="/admin/nhiem-vu"' in home, name
    # The English catalog has the pages too.
    r = browser(s, "kehoach").get(TASKS + "?lang=en")
    assert "Key tasks" in r.text and "Overdue" in r.text
    browser(s, "kehoach").get(TASKS + "?lang=vi")
