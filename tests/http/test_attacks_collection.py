"""Issue 13: the attack suite of the museum's public face, end to end.

setup_module plants hostile text (script tags, event handlers, template
syntax, SQL) through the back office into every field the public pages show:
an exhibition (title, venue and province elsewhere, curators, description,
an object's label text, a visitor entry's note), a publication (title,
authors, publisher, description) and a public object's related entity. Then:

1. every public page that shows them (/trung-bay, /trung-bay/ID, /an-pham,
   /an-pham/ID, /hien-vat with the exhibition facet chosen, the object page
   and its print view, the search page, the feeds, the sitemap, the IIIF
   manifest, OAI-PMH's records and sets) is parsed: no payload runs, each is
   shown escaped, and the usual security headers are there;
2. SQL-ish input in every filter parameter of /hien-vat, the search page and
   OAI-PMH, and oversized, repeated and malformed query parameters: a clear
   400 (or the protocol's error), never a 500;
3. path traversal and huge regions in IIIF paths (test_iiif's list): 400 or
   404, never a file outside the tile folder."""
import html as htmllib
import json
import os
import re
import urllib.parse

from admin_client import Browser, accounts_module
from register_users import one
from test_attacks_admin import SQL_PAYLOADS, assert_inert, evil, no_5xx
from test_exhibitions import NEW as EXH_NEW, day, record, sub
from test_iiif import ATTACKS as IIIF_ATTACKS, public_photo
from test_oai import edit_card
from test_publications import NEW as PUB_NEW, form as pub_form
from test_register_roles import PASSWORDS, ROLES

_setup, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

EXHIBITION = {"title": evil(31), "curators": evil(32), "description": evil(33),
              "venue": evil(34), "province": '"><svg onload=alert(35)>'}
LABEL, LABEL_EN = evil(36), evil(38)
VISIT_NOTE = evil(37)
PUBLICATION = {"title": evil(41), "authors": evil(42), "publisher": evil(43),
               "description": evil(44)}
RELATED = evil(51)
STATE = {}


def setup_module(sen):
    s = _setup(sen)
    b = browser(s, "baotang")
    # An exhibition held elsewhere (venue and province typed), open now.
    r = b.post(EXH_NEW, record(b, kind="luu_dong", **EXHIBITION))
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    url = r.header("location").split("?")[0]
    eid = int(url.rsplit("/", 1)[1])
    (oid,) = one(s, "SELECT id FROM objects WHERE public = 1 AND status = 'main' AND id NOT IN"
                    " (SELECT object_id FROM exhibition_objects WHERE placed = 1) ORDER BY id LIMIT 1")
    r = sub(b, url, action="object", object_id=str(oid), position="1", label_vi=LABEL,
            label_en=LABEL_EN)
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    r = sub(b, url, action="visit", counted_on=day(-1), visitors="12", note=VISIT_NOTE)
    assert r.status == 303, re.findall(r'role="alert">([^<]*)', r.text)
    r = b.post(PUB_NEW, pub_form(b, **PUBLICATION))
    assert r.status == 303, r.text[-600:]
    pid = int(r.header("location").split("?")[0].rsplit("/", 1)[1])
    edit_card(s, oid, public="1", related_kind="event", related_name=RELATED)
    STATE.update(eid=eid, pid=pid, oid=oid)
    return s


def public(s, path, status=200):
    r = Browser(s).get(path)
    no_5xx(r, path)
    assert r.status == status, (path, r.status, r.text[:300])
    if (r.header("content-type") or "").startswith("text/html"):
        assert_inert(r.text, path)
        csp = r.header("content-security-policy")
        assert csp and "object-src 'none'" in csp and "unsafe-inline" not in csp, (path, csp)
        assert r.header("x-frame-options") == "SAMEORIGIN", path
    assert r.header("x-content-type-options") == "nosniff", path
    return r


def shown(text, payload, where):
    """The payload is on the page, escaped as the templates write it."""
    esc = htmllib.escape(payload, quote=True)
    assert esc in text or esc.replace("&#x27;", "&#39;") in text, (where, payload[:12])


def test_attacks_collection_stored_xss_public_pages(s):
    eid, pid, oid = STATE["eid"], STATE["pid"], STATE["oid"]
    pages = {
        "/trung-bay": [EXHIBITION["title"]],
        f"/trung-bay/{eid}": list(EXHIBITION.values()) + [LABEL, LABEL_EN],
        "/an-pham": [PUBLICATION["title"]],
        f"/an-pham/{pid}": list(PUBLICATION.values()),
        "/hien-vat?" + urllib.parse.urlencode({"trung-bay": eid}): [EXHIBITION["title"]],
        f"/hien-vat/{oid}": [RELATED, EXHIBITION["title"]],
        f"/hien-vat/{oid}/in": [RELATED],
        "/tim-kiem?" + urllib.parse.urlencode({"q": "X31"}): [EXHIBITION["title"]],
        "/tim-kiem?" + urllib.parse.urlencode({"q": "X41", "loai": "an-pham"}): [PUBLICATION["title"]],
    }
    for lang in ("vi", "en"):
        for path, payloads in pages.items():
            sep = "&" if "?" in path else "?"
            r = public(s, f"{path}{sep}lang={lang}")
            for p in payloads:
                if p != (LABEL_EN if lang == "vi" else LABEL):   # each label in its language
                    shown(r.text, p, f"{path} ({lang})")
    # JSON-LD holds the text as data, and no </script> closes its block early.
    for path in (f"/trung-bay/{eid}", f"/an-pham/{pid}", f"/hien-vat/{oid}"):
        text = public(s, path).text
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            assert "<script" not in block.lower() and "</" not in block, path
            json.loads(block)


def test_attacks_collection_feeds_sitemap_manifest_oai(s):
    eid, pid, oid = STATE["eid"], STATE["pid"], STATE["oid"]
    for path, payload in (("/trung-bay/rss.xml", EXHIBITION["title"]),
                          ("/trung-bay/atom.xml", EXHIBITION["title"]),
                          ("/an-pham/rss.xml", PUBLICATION["title"]),
                          ("/an-pham/atom.xml", PUBLICATION["title"])):
        r = public(s, path)
        assert "<script>" not in r.text and "<img src=x" not in r.text, path
        assert payload[:4] in r.text and "&lt;script&gt;" in r.text, path
    sitemap = public(s, "/sitemap.xml").text
    assert f"/trung-bay/{eid}</loc>" in sitemap and f"/an-pham/{pid}</loc>" in sitemap
    manifest = public(s, f"/hien-vat/{oid}/manifest.json")
    assert manifest.header("content-type").startswith("application/ld+json")
    json.loads(manifest.text)
    sets = public(s, "/oai?verb=ListSets").text
    assert "<script>" not in sets and EXHIBITION["title"][:4] in sets and "&lt;script&gt;" in sets
    rec = public(s, f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:127.0.0.1:object/{oid}")
    assert "<script>" not in rec.text and "<img src=x" not in rec.text


# Every filter parameter of the public lists, and what each may hold.
LIST_PARAMS = {
    "/hien-vat": ["phan-loai", "chat-lieu", "nien-dai", "hinh-thuc", "trung-bay", "xuat-xu", "q",
                  "sau"],
    "/tim-kiem": ["q", "loai", "trang", "chuyen-muc"],
    "/oai": ["verb", "metadataPrefix", "from", "until", "set", "identifier", "resumptionToken"],
}


def test_attacks_collection_sql_and_bad_parameters(s):
    anon = Browser(s)
    (before,) = one(s, "SELECT count(*) FROM objects")
    for path, names in LIST_PARAMS.items():
        for name in names:
            for payload in SQL_PAYLOADS + ['"><script>alert(1)</script>']:
                q = {name: payload}
                if path == "/oai" and name != "verb":
                    q["verb"] = "ListRecords"
                url = f"{path}?{urllib.parse.urlencode(q)}"
                r = anon.get(url)
                no_5xx(r, url)
                assert r.status in (200, 400, 404), (url, r.status)
                assert "<script>alert(1)" not in r.text, url
            # Oversized (but under the server's URL limit) and repeated values.
            for q in ({name: "9" * 4000}, {name: "ắ" * 1500}):
                url = f"{path}?{urllib.parse.urlencode(q)}"
                r = anon.get(url)
                no_5xx(r, url)
                assert r.status in (200, 400, 404, 414), (url, r.status)
            url = f"{path}?{name}=a&{name}=b"
            r = anon.get(url)
            no_5xx(r, url)
            assert r.status in (200, 400), (url, r.status)
    # Malformed encodings are refused before any handler.
    for path in LIST_PARAMS:
        for raw in ("%C3%28", "%FF", "%00", "%ED%A0%80"):
            url = f"{path}?q={raw}"
            r = anon.get(url)
            assert r.status == 400, (url, r.status)
    # Facets with a value given twice, or unknown: a clear 400 naming the field.
    r = anon.get("/hien-vat?chat-lieu=KL&chat-lieu=G")
    assert r.status == 400 and "Chất liệu" in htmllib.unescape(r.text)
    for bad in ("/trung-bay/1%20OR%201=1", "/an-pham/1'--", "/hien-vat/1;DROP", "/trung-bay/-1",
                "/an-pham/99999999999999999999999", "/hien-vat/0x10/in"):
        r = anon.get(bad)
        assert r.status in (400, 404), (bad, r.status)
    assert one(s, "SELECT count(*) FROM objects") == (before,)
    assert one(s, "SELECT count(*) FROM exhibitions WHERE id = ?", STATE["eid"]) == (1,)


def test_attacks_collection_iiif_paths(s):
    oid, mid = public_photo(s)
    with open(os.path.join(s.data, "sen.db"), "rb") as f:
        head = f.read(16)
    for attack in IIIF_ATTACKS:
        path = attack.format(m=mid, o=oid)
        r = s.get(path)
        assert r.status in (400, 404, 414), (path, r.status)
        assert head not in r.body and b"root:" not in r.body, path
    for path in (f"/hien-vat/{oid}/manifest.json/..%2F..%2Fsen.ini", f"/hien-vat/..%2F{oid}/manifest.json",
                 f"/hien-vat/{oid}%2Fmanifest.json"):
        r = s.get(path)
        assert r.status in (400, 404), (path, r.status)
    assert s.get(f"/iiif/{mid}/info.json").status == 200
