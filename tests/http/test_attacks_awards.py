"""Issue 14: the attack suite of emulation and commendation, end to end.

setup_module plants hostile text (script tags, event handlers, template
syntax, SQL) through every text field a person can type: a campaign (name,
content), a registration (note), an award decision (number, issuing body,
who rewards, signer, achievement, place), its revocation (reason), and the
names, titles and posts of a unit and a person it rewards (typed on the
units and staff pages; planted in the database here). Then:

1. every page that shows it - the lists, the decision, both histories, the
   emulation page and each printed certificate - is parsed: no payload runs,
   template syntax stays text, each payload is shown (escaped), the back
   office's headers are sent;
2. reflected XSS and SQL through the pages' query parameters and ids;
3. every role, with hostile forged posts: the right answer for the role,
   nothing written.
Who may use each URL, and every refusal's message, is test_awards.py's."""
import html as htmllib
import re
import urllib.parse

from admin_client import accounts_module, csrf_of
from register_users import one, rows
from test_attacks_admin import (SQL_PAYLOADS, assert_admin_headers, assert_inert, esc, evil,
                                no_5xx)
from test_awards import PASSWORDS, ROLES

_setup, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

LIST = "/admin/khen-thuong"
EMULATION = "/admin/thi-dua"
CAMPAIGN = {"year": "2020", "name": evil(1), "content": evil(2), "starts_on": "", "ends_on": ""}
REGISTRATION_NOTE = evil(3)
DECISION = {"number": 'N4"><svg onload=alert(4)>', "decided_on": "20/01/2021", "issuer": evil(5),
            "signer_title": evil(6), "signer_name": evil(7), "year": "2020", "form": "giay_khen",
            "achievement": evil(8), "place": 'P9"><svg onload=alert(9)>', "media_id": ""}
REVOKED_DECISION = dict(DECISION, number='R10"><svg onload=alert(10)>', form="bang_khen")
REVOKE_REASON = evil(11)
UNIT_NAME, PERSON_NAME, PERSON_TITLE, PERSON_POST = evil(12), evil(13), "T14<b>", evil(15)
REFLECT = '"><script>alert("r")</script>{{t.admin_title}}'
PARAMS = ("nam", "don-vi", "ca-nhan", "ok", "lang")


def post(b, page_path, action, fields):
    page = b.get(page_path).text
    return b.post(action, dict(fields, csrf=csrf_of(page, action)))


def plant(s):
    admin = browser(s, "thidua")
    with s.db() as c:
        (museum,) = c.execute("SELECT id FROM units WHERE parent_id IS NULL").fetchone()
        c.execute("INSERT INTO units (kind, name, parent_id, position) VALUES ('phong', ?, ?, 50)",
                  (UNIT_NAME, museum))
        s.unit = c.execute("SELECT last_insert_rowid()").fetchone()[0]
        c.execute("INSERT INTO people (name, title, position, unit_id) VALUES (?, ?, ?, ?)",
                  (PERSON_NAME, PERSON_TITLE, PERSON_POST, s.unit))
        s.person = c.execute("SELECT last_insert_rowid()").fetchone()[0]
    r = post(admin, EMULATION + "?nam=2020", EMULATION + "/phong-trao", CAMPAIGN)
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    (s.campaign,) = one(s, "SELECT id FROM award_campaigns WHERE name = ?", CAMPAIGN["name"])
    r = post(admin, EMULATION + "?nam=2020", EMULATION + "/dang-ky",
                {"year": "2020", "recipient": f"p{s.person}", "form": "lao_dong_tien_tien",
                 "campaign_id": str(s.campaign), "note": REGISTRATION_NOTE})
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    new = LIST + "/them"
    for fields in (DECISION, REVOKED_DECISION):
        page = admin.get(new).text
        pairs = list(dict(fields, campaign_id=str(s.campaign), csrf=csrf_of(page, new)).items())
        pairs += [("recipients", f"u{s.unit}"), ("recipients", f"p{s.person}")]
        r = admin.post(new, pairs)
        assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    (s.decision,) = one(s, "SELECT id FROM award_decisions WHERE number = ?", DECISION["number"])
    (s.revoked,) = one(s, "SELECT id FROM award_decisions WHERE number = ?",
                       REVOKED_DECISION["number"])
    url = f"{LIST}/{s.revoked}/thu-hoi"
    r = post(admin, f"{LIST}/{s.revoked}", url,
                {"revoked_on": "21/01/2021", "revoked_reason": REVOKE_REASON})
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    s.recipients = [rid for (rid,) in rows(
        s, "SELECT id FROM award_recipients WHERE decision_id IN (?, ?) ORDER BY id",
        s.decision, s.revoked)]


def setup_module(sen):
    s = _setup(sen)
    try:
        plant(s)
    except BaseException:
        s.close()
        raise
    return s


def fetch(b, path, status=200):
    r = b.get(path)
    no_5xx(r, path)
    assert r.status == status, (path, r.status, r.text[:400])
    assert_admin_headers(r, path)
    assert_inert(r.text, path)
    return r


def award_pages(s):
    """path -> the payloads it must show."""
    decision = [DECISION[k] for k in ("number", "issuer", "signer_title", "signer_name",
                                      "achievement", "place")]
    pages = {
        LIST: [DECISION["number"], DECISION["issuer"], REVOKED_DECISION["number"]],
        LIST + "?nam=2020": [DECISION["number"], DECISION["issuer"]],
        f"{LIST}/{s.decision}": decision + [UNIT_NAME, PERSON_NAME, PERSON_TITLE, CAMPAIGN["name"]],
        f"{LIST}/{s.revoked}": [REVOKED_DECISION["number"], REVOKE_REASON, UNIT_NAME],
        f"{LIST}?don-vi={s.unit}": [UNIT_NAME, DECISION["number"], DECISION["achievement"],
                                    DECISION["issuer"], REVOKED_DECISION["number"]],
        f"{LIST}?ca-nhan={s.person}": [PERSON_NAME, PERSON_TITLE, DECISION["number"]],
        EMULATION + "?nam=2020": [CAMPAIGN["name"], CAMPAIGN["content"], REGISTRATION_NOTE,
                                  PERSON_NAME],
        LIST + "/them": [UNIT_NAME, PERSON_NAME, CAMPAIGN["name"]],
        "/admin/nhat-ky": [],
    }
    for did, rid in rows(s, "SELECT decision_id, id FROM award_recipients WHERE decision_id"
                            " IN (?, ?)", s.decision, s.revoked):
        pages[f"{LIST}/{did}/giay-khen/{rid}"] = []
    return pages


def test_attacks_awards_stored_xss(s):
    for name in ("quantri", "thidua", "hoidong"):
        b = browser(s, name)
        for path, payloads in award_pages(s).items():
            if ((path.endswith("/them") and name == "hoidong") or
                    (path == "/admin/nhat-ky" and name != "quantri")):
                continue
            text = fetch(b, path).text
            for p in payloads:
                assert esc(p) in text, (path, p[:20])
            if payloads:
                assert "{{t.admin_title}}" in htmllib.unescape(text), path
    # Each certificate shows every payload of its decision and its recipient.
    admin = browser(s, "quantri")
    for rid in s.recipients:
        for did, d in ((s.decision, DECISION), (s.revoked, REVOKED_DECISION)):
            r = admin.get(f"{LIST}/{did}/giay-khen/{rid}")
            if r.status == 404:
                continue
            text = fetch(admin, f"{LIST}/{did}/giay-khen/{rid}").text
            for k in ("number", "issuer", "signer_title", "signer_name", "achievement", "place"):
                assert esc(d[k]) in text, (rid, k)
            assert esc(UNIT_NAME) in text or esc(PERSON_NAME) in text, rid
    person_cert = [rid for rid in s.recipients
                   if one(s, "SELECT person_id FROM award_recipients WHERE id = ?", rid)[0]]
    text = fetch(admin, f"{LIST}/{s.decision}/giay-khen/{person_cert[0]}").text
    for p in (PERSON_NAME, PERSON_TITLE, PERSON_POST, UNIT_NAME):
        assert esc(p) in text, p[:20]


def test_attacks_awards_reflected_and_sql(s):
    admin = browser(s, "quantri")
    (before,) = one(s, "SELECT count(*) FROM award_decisions")
    for path in (LIST, EMULATION, f"{LIST}/{s.decision}", LIST + "/them",
                 f"{LIST}/{s.decision}/giay-khen/{s.recipients[0]}"):
        for value in [REFLECT] + SQL_PAYLOADS:
            q = urllib.parse.quote(value, safe="")
            url = path + "?" + "&".join(f"{p}={q}" for p in PARAMS)
            r = admin.get(url)
            no_5xx(r, url)
            assert r.status in (200, 400, 404), (url, r.status)
            assert_inert(r.text, url)
    for value in SQL_PAYLOADS:
        q = urllib.parse.quote(value, safe="")
        for path in (f"{LIST}/{q}", f"{LIST}/{q}/giay-khen/1",
                     f"{LIST}/{s.decision}/giay-khen/{q}"):
            r = admin.get(path)
            no_5xx(r, path)
            assert r.status in (400, 404), (path, r.status)
    # Hostile recipients and choices in a real post: refused, nothing written.
    page = admin.get(LIST + "/them").text
    for bad in ["u" + v for v in SQL_PAYLOADS[:8]] + ["p0", "u-1", "p99999999999999999999", REFLECT]:
        pairs = list(dict(DECISION, number="SQL-1", csrf=csrf_of(page, LIST + "/them")).items())
        pairs.append(("recipients", bad))
        r = admin.post(LIST + "/them", pairs)
        no_5xx(r, bad)
        assert r.status == 400, (bad, r.status)
        assert_inert(r.text, bad)
    assert one(s, "SELECT count(*) FROM award_decisions") == (before,)
    with s.db() as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_attacks_awards_roles_and_forged_posts(s):
    """A hostile post with a forged token, or from a role that may not
    write, is refused and writes nothing."""
    posts = {LIST + "/them": DECISION, f"{LIST}/{s.decision}": DECISION,
             f"{LIST}/{s.decision}/thu-hoi": {"revoked_on": "22/01/2021",
                                              "revoked_reason": evil(20)},
             EMULATION + "/phong-trao": CAMPAIGN,
             EMULATION + "/dang-ky": {"year": "2020", "recipient": f"u{s.unit}",
                                      "form": "co_thi_dua", "note": evil(21)}}

    def state():
        return [one(s, f"SELECT count(*), ifnull(max(updated_at), 0) FROM {t}")
                if t == "award_decisions" else one(s, f"SELECT count(*) FROM {t}")
                for t in ("award_decisions", "award_recipients", "award_campaigns",
                          "award_registrations")]

    before = state()
    for name in ROLES:
        b = browser(s, name)
        for path, fields in posts.items():
            r = b.post(path, dict(fields, csrf="0" * 64))
            no_5xx(r, path)
            assert r.status == 403, (name, path, r.status)
        # A reader's real token for another form does not open this one.
        if name in ("hoidong", "kehoach", "baotang"):
            page = b.get(f"{LIST}/{s.decision}").text
            assert "/thu-hoi" not in page and 'name="recipients"' not in page
    assert state() == before
