"""Issue 5, accounts and security: login, sessions, CSRF, throttling, roles, headers,
account management and the audit log of the back office at /admin.

The server trusts 127.0.0.1 as a reverse proxy, so each simulated browser can
come from its own address (X-Forwarded-For) and the per-address throttle of one
test does not spill into the next.
"""
import http.client
import itertools
import re
import statistics
import time
import urllib.parse

from admin_client import Browser, Reply, add_user, csrf_of, new_addr, start_with_users  # noqa: F401
from harness import TRUSTED_PROXY, Server

ADMIN_CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
             "frame-ancestors 'none'; form-action 'self'")

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
    "kiemduyet": "Kiểm duyệt bình luận cẩn thận",
    "thoigian": "Đo thời gian đăng nhập cho đều",
    "khoaso": "Tài khoản để thử khóa đăng nhập",
    "doimk": "Mật khẩu cũ sẽ được thay thế",
}
ROLES = {"quantri": "admin", "bientap": "editor", "tacgia": "author", "kiemduyet": "moderator",
         "thoigian": "author", "khoaso": "author", "doimk": "editor"}

def login(b, name, password=None, next_url="/admin", extra_cookies=None):
    r = b.get("/admin/dang-nhap")
    assert r.status in (200, 303), r.status
    if r.status == 303:
        return r
    token = csrf_of(r.text, "/admin/dang-nhap")
    return b.post("/admin/dang-nhap", {"csrf": token, "name": name,
                                        "password": PASSWORDS.get(name, "") if password is None else password,
                                        "next": next_url})


def logged_in(s, name):
    b = Browser(s)
    r = login(b, name)
    assert r.status == 303, (name, r.status, r.text[:500])
    assert "sen_session" in b.jar
    return b


def setup_module(sen):
    return start_with_users(sen, PASSWORDS, ROLES, demo=False, args=TRUSTED_PROXY)


def teardown_module(s):
    s.close()


# ---- login ------------------------------------------------------------------------


def test_admin_login_ok_and_wrong(s):
    b = Browser(s)
    r = b.get("/admin")
    assert r.status == 303 and r.header("location").startswith("/admin/dang-nhap?next=")
    r = login(b, "quantri", "not the right password at all")
    assert r.status == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in r.text
    assert "sen_session" not in b.jar
    r = login(b, "QuanTri", PASSWORDS["quantri"])  # names are not case-sensitive
    assert r.status == 303 and r.header("location") == "/admin", (r.status, r.headers, r.text[:3000])
    value, attrs = r.cookies()["sen_session"]
    assert re.fullmatch(r"[0-9a-f]{64}", value)  # 256 random bits
    for a in ("httponly", "samesite=strict", "path=/"):
        assert a in attrs, attrs
    assert "secure" not in attrs and "max-age" not in attrs and "expires" not in attrs
    r = b.get("/admin")
    assert r.status == 200
    assert "Quantri" in r.text and "Quản trị viên" in r.text
    # the login page of a logged-in user goes to the dashboard
    assert b.get("/admin/dang-nhap").status == 303


def test_admin_login_redirects_only_inside_admin(s):
    b = Browser(s)
    r = login(b, "quantri", next_url="//evil.example/x")
    assert r.status == 303 and r.header("location") == "/admin"
    b = Browser(s)
    r = login(b, "quantri", next_url="/admin/nhat-ky?action=login")
    assert r.header("location") == "/admin/nhat-ky?action=login"
    b = Browser(s)
    r = login(b, "quantri", next_url="https://evil.example/admin")
    assert r.header("location") == "/admin"


def _failure(s, name, password):
    b = Browser(s)
    r = b.get("/admin/dang-nhap")
    token = csrf_of(r.text, "/admin/dang-nhap")
    t0 = time.perf_counter()
    r = b.post("/admin/dang-nhap", {"csrf": token, "name": name, "password": password, "next": "/admin"})
    return r, time.perf_counter() - t0


def test_admin_unknown_account_same_answer_and_timing(s):
    known, unknown = [], []
    for i in range(4):
        r1, t1 = _failure(s, "thoigian", f"sai mật khẩu lần thứ {i}")
        r2, t2 = _failure(s, f"khongco{i}", f"sai mật khẩu lần thứ {i}")
        assert r1.status == r2.status == 401
        # Same page apart from the name echoed back into the form.
        a = r1.text.replace('value="thoigian"', 'value="X"')
        b = r2.text.replace(f'value="khongco{i}"', 'value="X"')
        a = re.sub(r'value="[0-9a-f]{64}"', "", a)
        b = re.sub(r'value="[0-9a-f]{64}"', "", b)
        assert a == b
        known.append(t1)
        unknown.append(t2)
        # the account is not locked by these four failures
    mk, mu = statistics.median(known), statistics.median(unknown)
    # Both spend one Argon2id verification; allow for a noisy sanitizer build.
    assert 0.5 < mk / mu < 2.0, (known, unknown)
    assert mu > 0.01, "no password hashing for an unknown account?"
    assert login(Browser(s), "thoigian").status == 303


def test_admin_session_id_changes_at_login(s):
    planted = "ab" * 32
    b = Browser(s)
    b.jar["sen_session"] = planted
    r = login(b, "bientap")
    assert r.status == 303
    first = b.jar["sen_session"]
    assert first != planted
    # Logging in again with the first cookie gives another id and ends the first
    # (the login page itself redirects a logged-in browser, so the form comes
    # from a fresh page).
    assert b.get("/admin/dang-nhap").status == 303
    b2 = Browser(s, b.addr)
    page = b2.get("/admin/dang-nhap")
    token = csrf_of(page.text, "/admin/dang-nhap")
    b2.jar["sen_session"] = first
    r = b2.post("/admin/dang-nhap", {"csrf": token, "name": "bientap",
                                      "password": PASSWORDS["bientap"], "next": "/admin"})
    assert r.status == 303
    second = b2.jar["sen_session"]
    assert second != first
    assert b.get("/admin", cookies={"sen_session": first}).status == 401
    assert b2.get("/admin").status == 200


def test_admin_logout_invalidates_on_server(s):
    b = logged_in(s, "tacgia")
    old = b.jar["sen_session"]
    page = b.get("/admin")
    token = csrf_of(page.text, "/admin/dang-xuat")
    r = b.post("/admin/dang-xuat", {"csrf": token})
    assert r.status == 303 and r.header("location") == "/admin/dang-nhap"
    value, attrs = r.cookies()["sen_session"]
    assert value == "" and "max-age=0" in attrs
    # The old cookie replayed: 401 with the login form; no cookie: sent to log in.
    r = b.get("/admin", cookies={"sen_session": old})
    assert r.status == 401
    assert 'action="/admin/dang-nhap"' in r.text
    assert "Phiên đăng nhập đã kết thúc" in r.text
    assert r.cookies()["sen_session"][0] == ""  # the stale cookie is cleared
    r = b.post("/admin/mat-khau", {"csrf": token}, cookies={"sen_session": old})
    assert r.status == 401
    assert b.get("/admin", cookies={}).status == 303
    # A made-up cookie is no better.
    assert b.get("/admin", cookies={"sen_session": "00" * 32}).status == 401
    assert b.get("/admin", cookies={"sen_session": "garbage"}).status == 401


def test_admin_https_cookies(s):
    s2 = Server(s.sen, demo=False, args=["--set", "site.base_url=https://baotang.example.vn"])
    try:
        assert add_user(s2, "quantri", "admin", PASSWORDS["quantri"]).returncode == 0
        s2.start()
        b = Browser(s2)
        r = b.get("/admin/dang-nhap")
        value, attrs = r.cookies()["__Host-sen_pre"]
        assert "secure" in attrs and "path=/" in attrs and "domain" not in attrs
        token = csrf_of(r.text, "/admin/dang-nhap")
        r = b.post("/admin/dang-nhap", {"csrf": token, "name": "quantri",
                                         "password": PASSWORDS["quantri"], "next": "/admin"})
        assert r.status == 303
        value, attrs = r.cookies()["__Host-sen_session"]
        for a in ("secure", "httponly", "samesite=strict", "path=/"):
            assert a in attrs
        assert "sen_session" not in r.cookies()
        assert b.get("/admin").status == 200
        # the plain-HTTP cookie name means nothing here
        assert b.get("/admin", cookies={"sen_session": value}).status == 303
    finally:
        s2.close()


# ---- throttling -------------------------------------------------------------------


def test_admin_throttling_per_account(s):
    # Five failures from five addresses: the account must wait, whoever asks.
    for i in range(5):
        r, _ = _failure(s, "khoaso", f"đoán mật khẩu số {i}")
        assert r.status == 401
    b = Browser(s)
    r = login(b, "khoaso")  # even the right password
    assert r.status == 429
    assert "quá nhiều lần" in r.text
    assert int(r.header("retry-after")) > 0
    assert "sen_session" not in b.jar
    # An unknown account is throttled the same way (nothing tells them apart).
    for i in range(5):
        assert _failure(s, "khong.ton.tai", f"đoán mật khẩu số {i}")[0].status == 401
    assert _failure(s, "khong.ton.tai", "lần thứ sáu")[0].status == 429


def test_admin_throttling_per_address(s):
    addr = new_addr()
    for i in range(5):
        b = Browser(s, addr)
        r = login(b, f"ten{i}.khong.co", "mật khẩu bất kỳ nào đó")
        assert r.status == 401
    r = login(Browser(s, addr), "kiemduyet")
    assert r.status == 429
    # Another address is not affected.
    assert login(Browser(s), "kiemduyet").status == 303


# ---- CSRF ---------------------------------------------------------------------------


def test_admin_login_csrf(s):
    b = Browser(s)
    page = b.get("/admin/dang-nhap")
    token = csrf_of(page.text, "/admin/dang-nhap")
    form = {"name": "quantri", "password": PASSWORDS["quantri"], "next": "/admin"}
    assert b.post("/admin/dang-nhap", form).status == 403
    assert b.post("/admin/dang-nhap", dict(form, csrf="0" * 64)).status == 403
    # A token made for another browser's pre-session cookie.
    other = Browser(s)
    foreign = csrf_of(other.get("/admin/dang-nhap").text, "/admin/dang-nhap")
    assert b.post("/admin/dang-nhap", dict(form, csrf=foreign)).status == 403
    # The right token without its cookie.
    assert b.post("/admin/dang-nhap", dict(form, csrf=token), cookies={}).status == 403
    # Announced as cross-site by the browser.
    r = b.post("/admin/dang-nhap", dict(form, csrf=token), headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status == 403
    assert b.post("/admin/dang-nhap", dict(form, csrf=token)).status == 303


def test_admin_form_csrf(s):
    a = logged_in(s, "doimk")
    other = logged_in(s, "doimk")
    page = a.get("/admin/mat-khau").text
    token = csrf_of(page, "/admin/mat-khau")
    logout_token = csrf_of(page, "/admin/dang-xuat")
    foreign = csrf_of(other.get("/admin/mat-khau").text, "/admin/mat-khau")
    assert foreign != token
    form = {"old": PASSWORDS["doimk"], "new": "x", "confirm": "y"}
    for bad in (None, "", "0" * 64, token[:-1], token + "0", token.upper(), logout_token, foreign):
        f = dict(form) if bad is None else dict(form, csrf=bad)
        r = a.post("/admin/mat-khau", f)
        assert r.status == 403, bad
        assert "mã chống giả mạo" in r.text
    # The real token gets past the check (and fails on the mismatch instead).
    r = a.post("/admin/mat-khau", dict(form, csrf=token))
    assert r.status == 400 and "không khớp" in r.text
    # Logout with a foreign or missing token does not log out.
    assert a.post("/admin/dang-xuat", {"csrf": foreign}).status == 403
    assert a.post("/admin/dang-xuat", {}).status == 403
    assert a.get("/admin").status == 200


def test_admin_get_on_post_only_is_405(s):
    b = logged_in(s, "quantri")
    for path in ("/admin/dang-xuat", "/admin/tai-khoan/them", "/admin/tai-khoan/1/vai-tro",
                 "/admin/tai-khoan/1/khoa"):
        r = b.get(path)
        assert r.status == 405, path
        assert "POST" in r.header("allow")
        assert r.header("content-security-policy") == ADMIN_CSP
        assert r.header("cache-control") == "no-store"
    r = b.request("DELETE", "/admin/tai-khoan")
    assert r.status == 405 and "GET" in r.header("allow")
    r = b.request("PUT", "/admin/mat-khau")
    assert r.status == 405
    assert Browser(s).get("/admin/dang-xuat").status == 405
    assert b.get("/admin/khong-co-trang-nay").status == 404


# ---- roles ---------------------------------------------------------------------------


def test_admin_roles_refused(s):
    mod = logged_in(s, "kiemduyet")
    for path in ("/admin/tai-khoan", "/admin/nhat-ky", "/admin/nhat-ky?user=1"):
        r = mod.get(path)
        assert r.status == 403, path
        assert "không có quyền" in r.text
    dash = mod.get("/admin")
    assert dash.status == 200
    assert "/admin/tai-khoan" not in dash.text and "/admin/nhat-ky" not in dash.text
    assert "Kiểm duyệt viên" in dash.text

    author = logged_in(s, "tacgia")
    own = csrf_of(author.get("/admin/mat-khau").text, "/admin/mat-khau")
    r = author.post("/admin/tai-khoan/them", {"csrf": own, "name": "hacker1", "role": "admin",
                                              "password": "Một mật khẩu dài đủ để qua",
                                              "confirm": "Một mật khẩu dài đủ để qua"})
    assert r.status == 403
    assert "không có quyền" in r.text  # refused for the role, before the token is looked at
    # Guessing ids: the same 403 whether the account exists or not.
    for uid in (1, 2, 3, 99999):
        for action in ("vai-tro", "khoa", "mo-khoa"):
            r = author.post(f"/admin/tai-khoan/{uid}/{action}", {"csrf": own, "role": "admin"})
            assert r.status == 403, (uid, action)
    editor = logged_in(s, "bientap")
    assert editor.get("/admin/tai-khoan").status == 403
    token = csrf_of(editor.get("/admin").text, "/admin/dang-xuat")
    assert editor.post("/admin/tai-khoan/1/vai-tro", {"csrf": token, "role": "editor"}).status == 403
    # Nothing changed: the author is still an author.
    assert "Tác giả" in author.get("/admin").text
    r = s.run("user", "list", "--data", s.data)
    assert re.search(r"hacker1", r.stdout) is None
    assert re.search(r"tacgia\s+author", r.stdout)


def test_admin_headers(s):
    b = Browser(s)
    for r in (b.get("/admin/dang-nhap"), b.get("/admin"), b.get("/admin/khong-co"),
              logged_in(s, "quantri").get("/admin/tai-khoan")):
        assert r.all("content-security-policy") == [ADMIN_CSP], r.all("content-security-policy")
        assert r.header("cache-control") == "no-store"
        assert r.header("x-content-type-options") == "nosniff"
        assert r.header("x-frame-options") == "DENY"
        assert r.header("referrer-policy")
        assert r.header("server") is None
        assert "<script" not in r.text and " style=" not in r.text
    # The public site keeps its own policy.
    pub = b.get("/")
    assert pub.header("content-security-policy") != ADMIN_CSP


def test_admin_english(s):
    b = Browser(s)
    r = b.get("/admin/dang-nhap?lang=en")
    assert r.status == 200 and "Log in to the administration" in r.text
    r = login(b, "nobody-here", "wrong wrong wrong")
    assert "Wrong user name or password" in r.text


# ---- accounts and the audit log ----------------------------------------------------------


def test_admin_user_management(s):
    b = logged_in(s, "quantri")
    page = b.get("/admin/tai-khoan")
    assert page.status == 200
    for name in ("quantri", "bientap", "tacgia", "kiemduyet"):
        assert f"<strong>{name}</strong>" in page.text
    token = csrf_of(page.text, "/admin/tai-khoan/them")
    form = {"csrf": token, "name": "Phong.Vien", "display_name": "Phóng viên Lò Văn A",
            "role": "author", "password": "password1234", "confirm": "password1234"}
    r = b.post("/admin/tai-khoan/them", form)
    assert r.status == 400 and "phổ biến" in r.text
    assert 'value="Phong.Vien"' in r.text  # kept for the next try
    pw = "Phóng viên đi khắp Điện Biên"
    r = b.post("/admin/tai-khoan/them", dict(form, password=pw, confirm=pw + "!"))
    assert r.status == 400 and "không khớp" in r.text
    r = b.post("/admin/tai-khoan/them", dict(form, password="phong.vien and more", confirm="phong.vien and more"))
    assert r.status == 400 and "tên đăng nhập" in r.text
    r = b.post("/admin/tai-khoan/them", dict(form, password=pw, confirm=pw))
    assert r.status == 303
    r = b.post("/admin/tai-khoan/them", dict(form, password=pw, confirm=pw))
    assert r.status == 409
    page = b.get("/admin/tai-khoan?ok=them")
    assert "Đã tạo tài khoản" in page.text and "Phóng viên Lò Văn A" in page.text
    cards = re.findall(r'<strong>([a-z0-9._-]+)</strong>.*?action="/admin/tai-khoan/(\d+)/vai-tro"',
                       page.text, re.S)
    ids = {n: i for n, i in cards}
    pv = ids["phong.vien"]
    nb = Browser(s)
    assert login(nb, "phong.vien", pw).status == 303

    # Change the role, then disable: the open session ends at once.
    role_token = csrf_of(page.text, f"/admin/tai-khoan/{pv}/vai-tro")
    r = b.post(f"/admin/tai-khoan/{pv}/vai-tro", {"csrf": role_token, "role": "editor"})
    assert r.status == 303
    assert "Biên tập viên" in nb.get("/admin").text
    r = b.post(f"/admin/tai-khoan/{pv}/vai-tro", {"csrf": role_token, "role": "owner"})
    assert r.status == 400
    r = b.post("/admin/tai-khoan/99999/vai-tro", {"csrf": role_token, "role": "editor"})
    assert r.status == 404
    dis_token = csrf_of(page.text, f"/admin/tai-khoan/{pv}/khoa")
    assert b.post(f"/admin/tai-khoan/{pv}/khoa", {"csrf": dis_token}).status == 303
    assert nb.get("/admin").status == 401
    assert login(Browser(s), "phong.vien", pw).status == 401
    # The last admin cannot be demoted nor disable themselves.
    me = ids["quantri"]
    r = b.post(f"/admin/tai-khoan/{me}/vai-tro", {"csrf": role_token, "role": "editor"})
    assert r.status == 409
    r = b.post(f"/admin/tai-khoan/{me}/khoa", {"csrf": dis_token})
    assert r.status == 409
    page = b.get("/admin/tai-khoan")
    en_token = csrf_of(page.text, f"/admin/tai-khoan/{pv}/mo-khoa")
    assert b.post(f"/admin/tai-khoan/{pv}/mo-khoa", {"csrf": en_token}).status == 303
    assert login(Browser(s), "phong.vien", pw).status == 303


def test_admin_password_change(s):
    b = logged_in(s, "doimk")
    other = logged_in(s, "doimk")
    token = csrf_of(b.get("/admin/mat-khau").text, "/admin/mat-khau")
    new = "Một mật khẩu mới toanh cho biên tập"
    r = b.post("/admin/mat-khau", {"csrf": token, "old": "sai rồi sai rồi", "new": new, "confirm": new})
    assert r.status == 400 and "hiện tại không đúng" in r.text
    r = b.post("/admin/mat-khau", {"csrf": token, "old": PASSWORDS["doimk"], "new": "qwertyuiop12",
                                    "confirm": "qwertyuiop12"})
    assert r.status == 400 and "phổ biến" in r.text
    r = b.post("/admin/mat-khau", {"csrf": token, "old": PASSWORDS["doimk"], "new": "ngắn quá",
                                    "confirm": "ngắn quá"})
    assert r.status == 400 and "12 ký tự" in r.text
    long_pw = "ư" * 129
    r = b.post("/admin/mat-khau", {"csrf": token, "old": PASSWORDS["doimk"], "new": long_pw,
                                    "confirm": long_pw})
    assert r.status == 400 and "128" in r.text
    r = b.post("/admin/mat-khau", {"csrf": token, "old": PASSWORDS["doimk"], "new": new, "confirm": new})
    assert r.status == 303
    assert "Đã đổi mật khẩu" in b.get("/admin/mat-khau?ok=1").text
    assert b.get("/admin").status == 200      # this session stays
    assert other.get("/admin").status == 401  # the others end
    assert login(Browser(s), "doimk").status == 401
    assert login(Browser(s), "doimk", new).status == 303
    # 128 characters exactly are accepted, whole.
    pw128 = "ư" * 120 + "12345678"
    token = csrf_of(b.get("/admin/mat-khau").text, "/admin/mat-khau")
    r = b.post("/admin/mat-khau", {"csrf": token, "old": new, "new": pw128, "confirm": pw128})
    assert r.status == 303
    assert login(Browser(s), "doimk", pw128[:-1]).status == 401
    assert login(Browser(s), "doimk", pw128).status == 303
    PASSWORDS["doimk"] = pw128


def test_admin_audit_log(s):
    # Material: a failed and a good login, and a role change by the command line.
    _failure(s, "tacgia", "không phải mật khẩu này")
    _failure(s, "khongco.audit", "không phải mật khẩu này")
    logged_in(s, "tacgia")
    r = s.run("user", "role", "kiemduyet", "editor", "--data", s.data)
    assert r.returncode == 0, r.stderr
    r = s.run("user", "role", "kiemduyet", "moderator", "--data", s.data)
    assert r.returncode == 0

    b = logged_in(s, "quantri")
    r = b.get("/admin/nhat-ky")
    assert r.status == 200
    for label in ("Đăng nhập", "Đăng nhập thất bại", "Đổi vai trò", "Tạo tài khoản"):
        assert label in r.text, label
    r = b.get("/admin/nhat-ky?action=login_failed")
    rows = re.findall(r'<tr class="audit-([a-z_]+)">', r.text)
    assert rows and set(rows) == {"login_failed"}
    assert "<td>tacgia</td>" in r.text
    assert "tài khoản không tồn tại" in r.text  # unknown names are not recorded
    assert "khongco.audit" not in r.text and "10.0." not in r.text
    r = b.get("/admin/nhat-ky?action=user_role")
    assert "moderator -&gt; editor" in r.text and "editor -&gt; moderator" in r.text
    assert "sen user (" in r.text
    # by account
    page = b.get("/admin/tai-khoan").text
    tid = re.search(r'<strong>tacgia</strong>.*?/admin/tai-khoan/(\d+)/vai-tro', page, re.S).group(1)
    r = b.get(f"/admin/nhat-ky?user={tid}")
    rows = re.findall(r'<tr class="audit-([a-z_]+)"><td><time[^>]*>[^<]*</time></td><td>([^<]*)</td>', r.text)
    assert rows and all(u == "tacgia" for _, u in rows)
    assert {"login", "login_failed"} <= {a for a, _ in rows}
    # by date: nothing in 2001, everything today
    assert "Không có mục nào" in b.get("/admin/nhat-ky?from=2001-01-01&to=2001-12-31").text
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))
    r = b.get(f"/admin/nhat-ky?from={today}&to={today}&action=login")
    assert "audit-login" in r.text
    # bad filters are ignored and said so
    r = b.get("/admin/nhat-ky?from=hom-qua&user=abc&action=DROP")
    assert r.status == 200 and "không hợp lệ" in r.text
    # pages of 50, newest first, by keyset
    for i in range(50):
        _failure(s, f"khach{i}.khong.co", f"đoán lần {i}")  # many names, many addresses
    r = b.get("/admin/nhat-ky")
    assert len(re.findall(r"<tr class=", r.text)) == 50
    nxt = re.search(r'href="(/admin/nhat-ky\?[^"]*truoc=\d+)"', r.text)
    assert nxt
    r2 = b.get(nxt.group(1).replace("&amp;", "&"))
    assert r2.status == 200 and len(re.findall(r"<tr class=", r2.text)) >= 1
    # no entry on both pages, and the second page is older
    times1 = re.findall(r'<time datetime="([^"]+)"', r.text)
    times2 = re.findall(r'<time datetime="([^"]+)"', r2.text)
    assert min(times1) >= max(times2)
    assert 'href="/admin/nhat-ky?user=&amp;action=&amp;from=&amp;to="' in r2.text  # back to newest


# ---- the command line ----------------------------------------------------------------


def test_admin_cli_user(s):
    s2 = Server(s.sen, demo=False)
    try:
        r = s2.run("user", "list", "--data", s2.data)
        assert r.returncode == 0 and "Chưa có tài khoản nào" in r.stdout  # no default account
        r = s2.run("user", "add", "admin", "--role", "admin", "--password", "Mật khẩu trong tham số",
                   "--data", s2.data)
        assert r.returncode == 2 and "không nhận mật khẩu qua tham số" in r.stderr
        r = add_user(s2, "admin", "admin", "ngắn")
        assert r.returncode == 1 and "12 ký tự" in r.stderr
        r = add_user(s2, "admin", "admin", "matkhau12345")
        assert r.returncode == 1 and "phổ biến" in r.stderr
        r = add_user(s2, "admin", "admin", "admin-admin-admin")
        assert r.returncode == 1 and "tên đăng nhập" in r.stderr
        r = add_user(s2, "admin", "root", "Một câu đủ dài và khó đoán")
        assert r.returncode == 1 and "Vai trò không hợp lệ" in r.stderr
        r = s2.run("user", "add", "admin", "--data", s2.data, input="Một câu đủ dài và khó đoán\n")
        assert r.returncode == 2
        r = add_user(s2, "Admin", "admin", "Một câu đủ dài và khó đoán", display="Nguyễn Văn Quản")
        assert r.returncode == 0, r.stderr
        r = add_user(s2, "admin", "editor", "Một câu khác cũng đủ dài")
        assert r.returncode == 1 and "đã có" in r.stderr
        r = s2.run("user", "list", "--data", s2.data)
        assert re.search(r"admin\s+admin\s+hoạt động", r.stdout) and "Nguyễn Văn Quản" in r.stdout
        r = s2.run("user", "role", "admin", "editor", "--data", s2.data)
        assert r.returncode == 1 and "cuối cùng" in r.stderr
        r = s2.run("user", "disable", "admin", "--data", s2.data)
        assert r.returncode == 1
        r = s2.run("user", "passwd", "admin", "--data", s2.data, input="Mật khẩu mới của quản trị\n")
        assert r.returncode == 0, r.stderr
        r = s2.run("user", "passwd", "ai.do", "--data", s2.data, input="Mật khẩu mới của quản trị\n")
        assert r.returncode == 1 and "Không có tài khoản" in r.stderr
        r = s2.run("user", "frobnicate", "--data", s2.data)
        assert r.returncode == 2
        s2.start()
        assert login(Browser(s2), "admin", "Một câu đủ dài và khó đoán").status == 401
        b = Browser(s2)
        assert login(b, "admin", "Mật khẩu mới của quản trị").status == 303
        r = b.get("/admin/nhat-ky")
        assert "Đặt lại mật khẩu" in r.text and "Tạo tài khoản" in r.text
        # no account has a default password
        for name, pw in (("admin", "admin"), ("admin", "123456789012"), ("root", "password1234")):
            assert login(Browser(s2), name, pw).status == 401
    finally:
        s2.close()
