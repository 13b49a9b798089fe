"""Issue 12, the register's roles: `curator` keeps the register (intake, cards,
movements), `council` reads it and records the Scientific Council's decisions,
admin does everything, and editors, authors and moderators get 403 on every
register URL. The roles are given on the accounts page and by `sen user`.

EXPECTED gives every register URL (the back office's and the API's) the roles
that may use it; the URLs are read from the server's own route table (`sen
routes`), so a register page missing from EXPECTED fails, and each role is
tried on each URL (anonymous too). A POST by a role that may
not is refused for the role (admin_forbidden) before its token is read; a POST
by a role that may, with a forged token, is refused for the token instead."""
import html as htmllib
import os
import re
import sqlite3

from admin_client import Browser, accounts_module, add_user, csrf_of, sign_in

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "baotang": "Cán bộ kho hiện vật Mường Thanh",
    "hoidong": "Hội đồng khoa học họp tháng Năm",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
    "kiemduyet": "Kiểm duyệt bình luận cả ngày",
}
ROLES = {"quantri": "admin", "baotang": "curator", "hoidong": "council", "bientap": "editor",
         "tacgia": "author", "kiemduyet": "moderator"}

KEEPERS = {"quantri", "baotang"}
READERS = {"quantri", "baotang", "hoidong"}
COUNCIL = {"quantri", "hoidong"}
ADMINS = {"quantri"}

# Every register URL of the server, (method, pattern) -> who may use it (admin
# always may; "public" for anyone). The URLs themselves come from `sen routes`,
# the server's own table: a register page missing here fails the test.
PUBLIC = "public"
EXPECTED = {
    ("GET", "/admin/so-dang-ky"): READERS,
    ("GET", "/admin/so-dang-ky/nhap"): KEEPERS,
    ("POST", "/admin/so-dang-ky/nhap"): KEEPERS,
    ("GET", "/admin/so-dang-ky/:id"): READERS,
    # Storage and moves (storage_page.c).
    ("GET", "/admin/kho"): READERS,
    ("POST", "/admin/kho/them"): KEEPERS,
    ("POST", "/admin/kho/:id/doi-ten"): KEEPERS,
    ("GET", "/admin/so-dang-ky/:id/di-chuyen"): KEEPERS,
    ("POST", "/admin/so-dang-ky/:id/di-chuyen"): KEEPERS,
    # The Scientific Council (council_page.c).
    ("GET", "/admin/so-dang-ky/hoi-dong"): READERS,
    ("GET", "/admin/so-dang-ky/hoi-dong/moi"): COUNCIL,
    ("POST", "/admin/so-dang-ky/hoi-dong/moi"): COUNCIL,
    ("GET", "/admin/so-dang-ky/hoi-dong/:id"): READERS,
    ("POST", "/admin/so-dang-ky/hoi-dong/:id/quyet-dinh"): COUNCIL,
    # Inventory (inventory_page.c).
    ("GET", "/admin/kiem-ke"): READERS,
    ("POST", "/admin/kiem-ke/them"): KEEPERS,
    ("GET", "/admin/kiem-ke/:id"): READERS,
    ("POST", "/admin/kiem-ke/:id/danh-dau"): KEEPERS,
    ("POST", "/admin/kiem-ke/:id/ket-thuc"): KEEPERS,
    # Corrections (correction_page.c).
    ("GET", "/admin/so-dang-ky/:id/dinh-chinh"): KEEPERS,
    ("POST", "/admin/so-dang-ky/:id/dinh-chinh"): KEEPERS,
    # The card's edit page (correction_page.c).
    ("GET", "/admin/so-dang-ky/:id/sua"): KEEPERS,
    ("POST", "/admin/so-dang-ky/:id/sua"): KEEPERS,
    # Import and export (register_io_page.c).
    ("GET", "/admin/so-dang-ky/nhap-tep"): KEEPERS,
    ("POST", "/admin/so-dang-ky/nhap-tep"): KEEPERS,
    ("GET", "/admin/so-dang-ky/xuat"): READERS,
    # Number patterns (numbering_page.c): admins only.
    ("GET", "/admin/so-dang-ky/mau-so"): ADMINS,
    ("POST", "/admin/so-dang-ky/mau-so/:id"): ADMINS,
    # Condition checks (care_page.c).
    ("GET", "/admin/so-dang-ky/:id/tinh-trang"): KEEPERS,
    ("POST", "/admin/so-dang-ky/:id/tinh-trang"): KEEPERS,
    # Photos of the card (photos_page.c).
    ("GET", "/admin/so-dang-ky/:id/anh"): KEEPERS,
    ("POST", "/admin/so-dang-ky/:id/anh"): KEEPERS,
    ("POST", "/admin/so-dang-ky/:id/anh/tai-len"): KEEPERS,
    # Printed books (print_page.c): whoever reads the register prints it.
    ("GET", "/admin/so-dang-ky/in"): READERS,
    ("GET", "/admin/so-dang-ky/nhan"): KEEPERS,
    ("GET", "/admin/so-dang-ky/:id/in"): READERS,
    ("GET", "/admin/so-dang-ky/thu-nhan/:id/bien-ban"): READERS,
    ("GET", "/admin/so-dang-ky/hoi-dong/:id/in"): READERS,
    ("GET", "/admin/kiem-ke/:id/bao-cao"): READERS,
    # Sources of objects (donor_page.c).
    ("GET", "/admin/so-dang-ky/nguon"): READERS,
    ("GET", "/admin/so-dang-ky/nguon/them"): KEEPERS,
    ("POST", "/admin/so-dang-ky/nguon/them"): KEEPERS,
    ("GET", "/admin/so-dang-ky/nguon/:id"): READERS,
    ("POST", "/admin/so-dang-ky/nguon/:id"): KEEPERS,
    # Acquisitions (acquisition_page.c).
    ("GET", "/admin/so-dang-ky/thu-nhan"): READERS,
    ("GET", "/admin/so-dang-ky/thu-nhan/them"): KEEPERS,
    ("POST", "/admin/so-dang-ky/thu-nhan/them"): KEEPERS,
    ("GET", "/admin/so-dang-ky/thu-nhan/:id"): READERS,
    ("POST", "/admin/so-dang-ky/thu-nhan/:id"): KEEPERS,
    # The online collection's API (portal): anyone, reading only.
    ("GET", "/api/v1/objects"): PUBLIC,
    ("GET", "/api/v1/objects/:id"): PUBLIC,
}
# What a register URL starts with.
REGISTER_PREFIXES = ("/admin/so-dang-ky", "/admin/kho", "/admin/kiem-ke", "/api/v1/objects")
# The query a page needs to answer 200.
QUERY = {"/admin/so-dang-ky/xuat": "?dinh-dang=csv"}

FORBIDDEN = "không có quyền"
FORGED = "mã chống giả mạo"


setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)


def register_routes(s):
    """(method, pattern) -> the roles `sen routes` names, for every register URL."""
    r = s.run("routes")
    assert r.returncode == 0, r.stderr
    out = {}
    for line in r.stdout.splitlines():
        method, pattern, *who = line.split()
        if pattern.startswith(REGISTER_PREFIXES):
            out[(method, pattern)] = set(who)
    return out


def demo_ids(s):
    """The id each kind of :id of a register URL takes, by the segment before it."""
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    one = lambda sql: db.execute(sql).fetchone()[0]
    ids = {"so-dang-ky": one("SELECT id FROM objects WHERE reg_number IS NOT NULL ORDER BY id LIMIT 1"),
           "objects": one("SELECT id FROM objects WHERE public = 1 ORDER BY id LIMIT 1"),
           "hoi-dong": one("SELECT id FROM council_sessions ORDER BY id LIMIT 1"),
           "thu-nhan": one("SELECT id FROM acquisitions ORDER BY id LIMIT 1"),
           "kho": one("SELECT id FROM locations ORDER BY id LIMIT 1"),
           "mau-so": one("SELECT id FROM registers ORDER BY id LIMIT 1"),
           "nguon": one("SELECT id FROM donors ORDER BY id LIMIT 1")}
    with db:
        # An open inventory campaign (the demo has none).
        ids["kiem-ke"] = db.execute("INSERT INTO inventory_campaigns (name, started_on)"
                                    " VALUES ('Kiểm kê thử', '2026-01-05')").lastrowid
    db.close()
    return ids


def url_of(pattern, ids):
    """pattern with each :param filled by the id of the segment before it."""
    parts = pattern.split("/")
    for i, part in enumerate(parts):
        if part.startswith(":"):
            assert parts[i - 1] in ids, f"no demo id for {pattern}: add one to demo_ids"
            parts[i] = str(ids[parts[i - 1]])
    return "/".join(parts) + QUERY.get(pattern, "")


def check_access(s, access, ids):
    """Every role (and anonymous) on every URL of access: (method, pattern) -> who."""
    bad = []
    for (method, pattern), allowed in sorted(access.items()):
        path = url_of(pattern, ids)
        for name in PASSWORDS:
            b = browser(s, name)
            may = allowed == PUBLIC or name in allowed
            if method == "GET":
                r = b.get(path)
                want = 200 if may else 403
                if r.status != want:
                    bad.append((name, method, path, r.status, want))
            else:
                r = b.post(path, {"csrf": "0" * 64})
                text = htmllib.unescape(r.text)
                ok = r.status == 403 and ((FORGED in text) if may else (FORBIDDEN in text))
                if not ok:
                    bad.append((name, method, path, r.status, "forged" if may else "forbidden", text[-600:]))
        anon = Browser(s)
        r = anon.get(path) if method == "GET" else anon.post(path, {"csrf": "0" * 64})
        want = 200 if allowed == PUBLIC else 303 if method == "GET" else 401
        if r.status != want:
            bad.append(("anonymous", method, path, r.status, want))
        if want == 303 and "/admin/dang-nhap" not in (r.header("location") or ""):
            bad.append(("anonymous", method, path, "no login redirect"))
    assert bad == [], bad


def test_register_roles_matrix_covers_every_route(s):
    routes = register_routes(s)
    assert len(routes) >= len(EXPECTED) // 2, routes       # `sen routes` answered at all
    unknown = sorted(set(routes) - set(EXPECTED))
    assert unknown == [], f"register URLs without a row in EXPECTED (who may use them?): {unknown}"
    gone = sorted(set(EXPECTED) - set(routes))
    assert gone == [], f"rows of EXPECTED the server does not route: {gone}"
    # What `sen routes` says of each matches the matrix (admin always may).
    said = {k: ({PUBLIC} if v == PUBLIC else {ROLES[n] for n in v} | {"admin"})
            for k, v in EXPECTED.items()}
    wrong = {k: (routes[k], said[k]) for k in EXPECTED if routes[k] != said[k]}
    assert wrong == {}, wrong


def test_register_roles_every_url(s):
    check_access(s, {k: v for k, v in EXPECTED.items() if k in register_routes(s)}, demo_ids(s))


def test_register_menu_follows_role(s):
    for name in PASSWORDS:
        home = browser(s, name).get("/admin").text
        assert ('href="/admin/so-dang-ky"' in home) == (name in READERS), name
    # The council reads the list but is not offered the intake form.
    assert "/admin/so-dang-ky/nhap" not in browser(s, "hoidong").get("/admin/so-dang-ky").text
    assert "/admin/so-dang-ky/nhap" in browser(s, "baotang").get("/admin/so-dang-ky").text


def test_curator_intake(s):
    b = browser(s, "baotang")
    r = b.get("/admin/so-dang-ky/nhap")
    token = csrf_of(r.text, "/admin/so-dang-ky/nhap")
    r = b.post("/admin/so-dang-ky/nhap", {
        "csrf": token, "name": "Bát sắt tự tạo", "kind": "hien_vat", "material_code": "KL",
        "mode": "hien_tang", "acquired_on": "12/03/2021", "donor": "Bà Lò Thị Xuân",
        "handover_no": "12/2021", "height_cm": "", "weight_g": "", "dating": "1954",
        "origin_place": "", "description": "", "notes": ""})
    assert r.status == 303, r.text
    assert "Bát sắt tự tạo" in browser(s, "hoidong").get("/admin/so-dang-ky?q=bat+sat").text


def test_accounts_page_gives_register_roles(s):
    b = browser(s, "quantri")
    page = b.get("/admin/tai-khoan")
    assert 'value="curator"' in page.text and 'value="council"' in page.text
    text = htmllib.unescape(page.text)
    assert "Cán bộ quản lý hiện vật" in text and "Hội đồng khoa học" in text
    token = csrf_of(page.text, "/admin/tai-khoan/them")
    pw = "Người giữ kho hiện vật số hai"
    r = b.post("/admin/tai-khoan/them", {"csrf": token, "name": "kho2", "display_name": "",
                                          "role": "curator", "password": pw, "confirm": pw})
    assert r.status == 303, r.status
    nb = Browser(s)
    assert sign_in(nb, "kho2", pw).status == 303
    assert nb.get("/admin/so-dang-ky/nhap").status == 200
    page = b.get("/admin/tai-khoan")
    kid = re.search(r'<strong>kho2</strong>.*?/admin/tai-khoan/(\d+)/vai-tro', page.text, re.S).group(1)
    token = csrf_of(page.text, f"/admin/tai-khoan/{kid}/vai-tro")
    assert b.post(f"/admin/tai-khoan/{kid}/vai-tro", {"csrf": token, "role": "council"}).status == 303
    assert nb.get("/admin/so-dang-ky/nhap").status == 403
    assert nb.get("/admin/so-dang-ky").status == 200
    assert b.post(f"/admin/tai-khoan/{kid}/vai-tro", {"csrf": token, "role": "editor"}).status == 303
    assert nb.get("/admin/so-dang-ky").status == 403
    en = Browser(s)   # ?lang=en is remembered: not in the shared browser
    assert sign_in(en, "quantri", PASSWORDS["quantri"]).status == 303
    en = en.get("/admin/tai-khoan?lang=en")
    assert "Curator" in en.text and "Scientific Council" in en.text


def test_cli_register_roles(s):
    pw = "Hội đồng khoa học thứ hai năm nay"
    r = add_user(s, "hoidong2", "council", pw)
    assert r.returncode == 0, r.stderr
    r = s.run("user", "role", "hoidong2", "curator", "--data", s.data)
    assert r.returncode == 0, r.stderr
    r = s.run("user", "list", "--data", s.data)
    assert re.search(r"hoidong2\s.*curator", r.stdout), r.stdout
    r = add_user(s, "hoidong3", "wizard", pw)
    assert r.returncode != 0 and "curator" in r.stderr and "council" in r.stderr
    r = s.run("user", "--help")
    assert "curator" in r.stdout + r.stderr and "council" in r.stdout + r.stderr
