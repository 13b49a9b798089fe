"""A scripted browser for the back office, shared by the end-to-end tests of /admin.

Browser keeps cookies and comes from its own address (the test server must trust
127.0.0.1 as a proxy: --set server.trusted_proxy=127.0.0.1), so the per-address
login throttle of one test does not spill into the next.
"""
import html.parser
import http.client
import itertools
import re
import urllib.parse
import uuid

from harness import TRUSTED_PROXY, Server

_addresses = itertools.count(1)


def new_addr():
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (lower-case name, value), duplicates kept
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def header(self, name):
        vals = self.all(name)
        return vals[-1] if vals else None

    def all(self, name):
        return [v for k, v in self.headers if k == name.lower()]

    def cookies(self):
        """name -> (value, attributes lower-case) of every Set-Cookie."""
        out = {}
        for v in self.all("set-cookie"):
            first, _, attrs = v.partition(";")
            k, _, val = first.partition("=")
            out[k.strip()] = (val.strip(), attrs.lower())
        return out


class Browser:
    """Keeps cookies like a browser and comes from its own address."""

    def __init__(self, s, addr=None):
        self.s = s
        self.addr = addr or new_addr()
        self.jar = {}

    def request(self, method, path, form=None, headers=None, cookies=None, body=None,
                content_type=None, timeout=30):
        h = {"X-Forwarded-For": self.addr, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
        h.update(headers or {})
        jar = dict(self.jar) if cookies is None else cookies
        if jar:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        if body is not None:
            h["Content-Type"] = content_type
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            reply = Reply(r.status, [(k.lower(), v) for k, v in r.getheaders()], r.read())
        finally:
            conn.close()
        if cookies is None:
            for k, (v, attrs) in reply.cookies().items():
                if "max-age=0" in attrs:
                    self.jar.pop(k, None)
                else:
                    self.jar[k] = v
        return reply

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, **kw):
        return self.request("POST", path, form=form, **kw)

    def upload(self, path, fields, files, **kw):
        """POSTs multipart/form-data (see multipart())."""
        body, ctype = multipart(fields, files)
        return self.request("POST", path, body=body, content_type=ctype, **kw)


def csrf_of(html, action=None):
    """The csrf value of the form posting to action (or of the first form)."""
    for m in re.finditer(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S):
        if action is None or m.group(1) == action:
            t = re.search(r'name="csrf" value="([0-9a-f]+)"', m.group(2))
            if t:
                return t.group(1)
    raise AssertionError(f"no form for {action}")


class _FormReader(html.parser.HTMLParser):
    """The fields of one form (by id) as a browser sends them, buttons aside:
    controls inside it or naming it with form="…"; a textarea's text; a
    select's selected option (else its first); checkboxes only when checked."""

    def __init__(self, form_id, action=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.action, self.inside, self.values = form_id, action, False, {}
        self.textarea = self.select = None
        self.first_option = None

    def _ours(self, a):
        if "form" in a:
            return self.form_id is not None and a["form"] == self.form_id
        return self.inside

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and ((self.form_id is not None and a.get("id") == self.form_id) or
                              (self.action is not None and a.get("action") == self.action)):
            self.inside = True
        elif tag == "input" and self._ours(a) and "name" in a and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.values[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and self._ours(a) and "name" in a:
            self.textarea = a["name"]
            self.values[self.textarea] = ""
        elif tag == "select" and self._ours(a) and "name" in a and "disabled" not in a:
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select is not None:
            if self.first_option is None:
                self.first_option = a.get("value", "")
                self.values.setdefault(self.select, self.first_option)
            if "selected" in a:
                self.values[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.values[self.textarea] += data


def form_values(page, form_id=None, action=None):
    """What a browser would post for the form with this id, or posting to this
    action (no button pressed)."""
    r = _FormReader(form_id, action)
    r.feed(page)
    return r.values


def editor_publish(b, aid, published_at, **changes):
    """Publishes (or schedules) an article as its edit page offers it: the
    editor's own form with every field as shown (changed by `changes`) and the
    button "Lưu và đăng / hẹn giờ", which saves, then publishes."""
    path = f"/admin/bai-viet/{aid}"
    page = b.get(path)
    assert page.status == 200, page.status
    assert 'form="editor-form" name="do" value="publish"' in page.text, "no publish button in the editor"
    form = form_values(page.text, "editor-form")
    form.update(changes)
    form.update({"do": "publish", "published_at": published_at})
    return b.post(path, form)


def multipart(fields, files):
    """A multipart/form-data body: fields {name: value}, files [(field, filename,
    content_type, bytes)]. Returns (body, content_type_header)."""
    boundary = "sen" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
                   + str(v).encode() + b"\r\n")
    for field, name, ctype, data in files:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                   f'Content-Type: {ctype}\r\n\r\n'.encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def sign_in(b, name, password, next_url="/admin"):
    """Logs b in through the login form; returns the reply (303 on success)."""
    r = b.get("/admin/dang-nhap")
    assert r.status in (200, 303), r.status
    if r.status == 303:
        return r
    token = csrf_of(r.text, "/admin/dang-nhap")
    return b.post("/admin/dang-nhap", {"csrf": token, "name": name, "password": password,
                                        "next": next_url})


def add_user(s, name, role, password, display=None):
    args = ["user", "add", name, "--role", role, "--data", s.data]
    if display:
        args += ["--display-name", display]
    return s.run(*args, input=password + "\n")


def sign_in_new(s, name, password):
    """A new Browser signed in as name; fails the test unless the login answered 303."""
    b = Browser(s)
    r = sign_in(b, name, password)
    assert r.status == 303, (name, r.status, r.text[:500])
    return b


def start_with_users(sen, passwords, roles, display=True, **server_args):
    """A Server (started) with an account per name of passwords, in that order, with
    the role roles[name] and, when display is true, the display name Name."""
    s = Server(sen, **server_args)
    for name, password in passwords.items():
        r = add_user(s, name, roles[name], password, display=name.capitalize() if display else None)
        assert r.returncode == 0, r.stderr
    return s.start()


def server_with_accounts(sen, passwords, roles):
    """A demo server behind a trusted local proxy (so each Browser has its own
    address), with one account per name of passwords in the role roles[name];
    started. s.browsers caches signed-in browsers for signed_in()."""
    s = start_with_users(sen, passwords, roles, display=False, demo=True, args=TRUSTED_PROXY)
    s.browsers = {}
    return s


def signed_in(s, name, password):
    """A browser signed in as name, one per name and server, kept."""
    if name not in s.browsers:
        s.browsers[name] = sign_in_new(s, name, password)
    return s.browsers[name]


def accounts_module(passwords, roles):
    """(setup_module, teardown_module, browser) for a test module whose server
    has these accounts: `setup_module, teardown_module, browser =
    accounts_module(PASSWORDS, ROLES)`; browser(s, name) is signed in."""
    def setup_module(sen):
        return server_with_accounts(sen, passwords, roles)

    def teardown_module(s):
        s.close()

    def browser(s, name):
        return signed_in(s, name, passwords[name])

    return setup_module, teardown_module, browser


def role_refusals(s, browser, names, urls):
    """What answers otherwise than the role may, for urls [(method, path,
    allowed names)] as every account of names (browser(s, name) signs in)
    and as nobody: a GET is 200 for the allowed and 403 for the rest; a POST
    with a forged token is 403, saying the token is bad to the allowed and
    that the role may not to the rest; nobody is sent to the login page
    (303) or refused (401). [] when every answer is right."""
    bad = []
    for method, path, allowed in urls:
        for name in names:
            b = browser(s, name)
            if method == "GET":
                r = b.get(path)
                if r.status != (200 if name in allowed else 403):
                    bad.append((name, method, path, r.status))
            else:
                r = b.post(path, {"csrf": "0" * 64})
                text = html.unescape(r.text)
                want = "mã chống giả mạo" if name in allowed else "không có quyền"
                if r.status != 403 or want not in text:
                    bad.append((name, method, path, r.status, want, text[-300:]))
        anon = Browser(s)
        r = anon.get(path) if method == "GET" else anon.post(path, {"csrf": "0" * 64})
        if r.status != (303 if method == "GET" else 401):
            bad.append(("anonymous", method, path, r.status))
    return bad
