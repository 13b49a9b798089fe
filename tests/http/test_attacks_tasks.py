"""Issue 14: the attack suite of units, staff, key tasks and the plans
pages, end to end.

setup_module plants hostile text (script tags, event handlers, template
syntax, SQL) through every text field a person types on these pages: a unit
(name, short name), a person (name, title, position), a key task (title,
description), its progress note, a plan indicator (name, measure, note) and
a check-in (note). Then every page that shows them - the units, the staff,
the tasks, one task, "my tasks", the dashboard, the printed action
programme, the plan's year - is parsed: no payload runs, template syntax
stays text, each payload is shown escaped, the back office's headers are
sent; and the pages' query parameters and ids take reflected XSS and SQL
without a 5xx or a change. Who may use each URL, and every refusal's
message, is test_tasks.py's and test_plans.py's."""
import html as htmllib
import urllib.parse

from admin_client import accounts_module, csrf_of
from register_users import one
from test_attacks_admin import SQL_PAYLOADS, assert_admin_headers, assert_inert, esc, evil, no_5xx
from test_tasks import PASSWORDS, ROLES

_setup, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

UNIT = {"name": evil(1)[:190], "short_name": 'S2"><svg onload=alert(2)>', "position": "9",
        "active": "1"}
PERSON = {"name": evil(3)[:190], "title": "T4<b>{{x}}", "position": evil(5)[:190], "active": "1"}
TASK = {"title": evil(6), "description": evil(7), "starts_on": "01/02/2021",
        "due_on": "28/02/2021", "status": "dang_thuc_hien", "indicator_id": ""}
NOTE = {"noted_on": "10/02/2021", "body": evil(8), "percent": "30"}
INDICATOR = {"name": evil(9), "measure": 'M10"><b>', "target": "12", "source": "checkin",
             "note": evil(11)}
CHECKIN_NOTE = evil(12)
REFLECT = '"><script>alert("r")</script>{{t.admin_title}}'
PARAMS = ("trang-thai", "don-vi", "nam", "qua-han", "ok", "lang")


def post(b, page_path, action, fields):
    page = b.get(page_path).text
    r = b.post(action, dict(fields, csrf=csrf_of(page, action)))
    assert r.status == 303, (action, r.status, r.text[-400:])
    return r


def setup_module(sen):
    s = _setup(sen)
    b = browser(s, "kehoach")
    (museum,) = one(s, "SELECT id FROM units WHERE parent_id IS NULL")
    post(b, "/admin/don-vi/them", "/admin/don-vi/them", dict(UNIT, parent_id=str(museum)))
    (s.unit,) = one(s, "SELECT max(id) FROM units")
    (kehoach,) = one(s, "SELECT id FROM users WHERE name = 'kehoach'")
    post(b, "/admin/nhan-su/them", "/admin/nhan-su/them",
         dict(PERSON, unit_id=str(s.unit), user_id=str(kehoach)))
    (s.person,) = one(s, "SELECT max(id) FROM people")
    post(b, "/admin/nhiem-vu/them", "/admin/nhiem-vu/them",
         dict(TASK, lead_unit_id=str(s.unit), person_id=str(s.person),
              **{f"support_{museum}": "1"}))
    (s.task,) = one(s, "SELECT max(id) FROM tasks")
    post(b, f"/admin/nhiem-vu/{s.task}", f"/admin/nhiem-vu/{s.task}/tien-do", NOTE)
    fields = dict(INDICATOR, **{k: "" for k in ["q1", "q2", "q3", "q4"] + ["m%d" % i for i in range(1, 13)]})
    post(b, "/admin/ke-hoach/2021", "/admin/ke-hoach/2021/chi-tieu", fields)
    (s.indicator,) = one(s, "SELECT max(id) FROM plan_indicators")
    post(b, "/admin/ke-hoach/2021", "/admin/ke-hoach/2021/ket-qua",
         {"indicator_id": str(s.indicator), "done_on": "05/03/2021", "value": "2",
          "note": CHECKIN_NOTE, "media_id": ""})
    return s


def fetch(b, path):
    r = b.get(path)
    no_5xx(r, path)
    assert r.status == 200, (path, r.status, r.text[:400])
    assert_admin_headers(r, path)
    assert_inert(r.text, path)
    return r


def pages(s):
    return {
        "/admin/don-vi": [UNIT["name"], UNIT["short_name"]],
        f"/admin/don-vi/{s.unit}": [UNIT["name"], PERSON["name"], TASK["title"]],
        "/admin/nhan-su": [PERSON["name"], PERSON["title"], PERSON["position"], UNIT["name"]],
        f"/admin/nhan-su/{s.person}": [PERSON["name"], UNIT["name"], TASK["title"]],
        f"/admin/nhan-su?don-vi={s.unit}": [PERSON["name"]],
        "/admin/nhiem-vu": [TASK["title"], UNIT["name"], PERSON["name"]],
        "/admin/nhiem-vu?qua-han=1": [TASK["title"]],
        f"/admin/nhiem-vu/{s.task}": [TASK["title"], TASK["description"], NOTE["body"],
                                      UNIT["name"], PERSON["name"]],
        "/admin/nhiem-vu/chuong-trinh/2021": [TASK["title"], UNIT["name"], PERSON["name"]],
        "/admin/ke-hoach/2021": [INDICATOR["name"], INDICATOR["measure"], CHECKIN_NOTE],
        "/admin/ke-hoach": [],
    }


def test_attacks_tasks_stored_xss(s):
    for name in ("quantri", "kehoach", "hoidong"):
        b = browser(s, name)
        for path, payloads in pages(s).items():
            text = fetch(b, path).text
            for p in payloads:
                assert esc(p) in text, (name, path, p[:20])
            if payloads:
                assert "{{t.admin_title}}" in htmllib.unescape(text), path
    # "My tasks" and the dashboard block of the account linked to the person.
    b = browser(s, "kehoach")
    for path in ("/admin/nhiem-vu/cua-toi", "/admin"):
        assert esc(TASK["title"]) in fetch(b, path).text, path


def test_attacks_tasks_reflected_and_sql(s):
    admin = browser(s, "quantri")
    (before,) = one(s, "SELECT count(*) FROM tasks")
    for path in ("/admin/nhiem-vu", "/admin/nhiem-vu/cua-toi", "/admin/nhan-su", "/admin/don-vi",
                 f"/admin/nhiem-vu/{s.task}", f"/admin/don-vi/{s.unit}",
                 "/admin/nhiem-vu/chuong-trinh/2021", "/admin/ke-hoach/2021"):
        for value in [REFLECT] + SQL_PAYLOADS:
            q = urllib.parse.quote(value, safe="")
            url = path + "?" + "&".join(f"{p}={q}" for p in PARAMS)
            r = admin.get(url)
            no_5xx(r, url)
            assert r.status in (200, 400, 404), (url, r.status)
            assert_inert(r.text, url)
    for value in SQL_PAYLOADS:
        q = urllib.parse.quote(value, safe="")
        for path in (f"/admin/nhiem-vu/{q}", f"/admin/don-vi/{q}", f"/admin/nhan-su/{q}",
                     f"/admin/nhiem-vu/chuong-trinh/{q}", f"/admin/ke-hoach/{q}"):
            r = admin.get(path)
            no_5xx(r, path)
            assert r.status in (400, 404), (path, r.status)
    # Hostile ids in a real task form: refused with the form, nothing written.
    page = admin.get("/admin/nhiem-vu/them").text
    for field in ("lead_unit_id", "person_id", "indicator_id"):
        for bad in SQL_PAYLOADS[:10] + [REFLECT]:
            f = dict(TASK, lead_unit_id=str(s.unit), csrf=csrf_of(page, "/admin/nhiem-vu/them"))
            f[field] = bad
            r = admin.post("/admin/nhiem-vu/them", f)
            no_5xx(r, (field, bad))
            assert r.status == 400, (field, bad, r.status)
            assert_inert(r.text, (field, bad))
    assert one(s, "SELECT count(*) FROM tasks") == (before,)
    with s.db() as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
