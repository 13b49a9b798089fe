"""Issue 13, OAI-PMH 2.0 at /oai: the six verbs over the online collection in
oai_dc, sets, from/until, resumption tokens (cursor, completeListSize,
expiry, forged ones, records changing during a harvest), persistent deleted
records, every error code of the protocol, GET and POST. Every answer is
validated with xmllint against the official schemas kept in tests/oai
(OAI-PMH.xsd with oai_dc.xsd, simple DC and xml.xsd). Debian's HTTP::OAI
harvester harvests the whole demo collection through resumption tokens.

The server lists 3 records a page (oai.page_size), so the demo's 10 public
objects take 4 pages."""
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

from admin_client import csrf_of, signed_in, start_with_users
from harness import TRUSTED_PROXY, ROOT, Server, free_port
from register_users import PASSWORDS, ROLES, one

SCHEMA = os.path.join(ROOT, "tests", "oai", "answers.xsd")
HARVEST = os.path.join(ROOT, "tests", "oai", "harvest.pl")
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
PAGE = 3
XSS = "<b>Đội \"A1\" & 'B'</b>"


def setup_module(sen):
    port = free_port()
    args = TRUSTED_PROXY + ["--set", f"oai.page_size={PAGE}",
                            "--set", f"site.base_url=http://127.0.0.1:{port}"]
    s = Server(sen, demo=True, args=args)
    s.port = port
    from admin_client import add_user
    for name, password in PASSWORDS.items():
        r = add_user(s, name, ROLES[name], password, display=None)
        assert r.returncode == 0, r.stderr
    s.start()
    s.browsers = {}
    s.sen = sen
    return s


def teardown_module(s):
    s.close()


# ---- asking and reading ------------------------------------------------------------------

def validate(body):
    """Fails unless body is valid against OAI-PMH.xsd + oai_dc.xsd."""
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(body)
        path = f.name
    try:
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", SCHEMA, path],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    assert r.returncode == 0, (r.stderr, body[:3000])


def oai(s, method="GET", **args):
    """Asks /oai (args in the query, or a POSTed form); checks status, type and
    schema; returns the parsed root element."""
    query = urllib.parse.urlencode(args)
    if method == "GET":
        r = s.get("/oai" + ("?" + query if query else ""))
    else:
        r = s.request("POST", "/oai", body=query,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 200, (args, r.status, r.body[:500])
    assert r.header("content-type") == "text/xml; charset=utf-8", r.header("content-type")
    assert r.header("x-content-type-options") == "nosniff"
    validate(r.body)
    return ET.fromstring(r.body)


def raw(s, query):
    """Asks /oai with a query string written by hand (repeated arguments)."""
    r = s.get("/oai?" + query)
    assert r.status == 200, (query, r.status)
    validate(r.body)
    return ET.fromstring(r.body)


def error(root):
    e = root.find("o:error", NS)
    return e.get("code") if e is not None else None


def request_attrs(root):
    return dict(root.find("o:request", NS).attrib)


def identifiers(root, verb):
    path = "o:ListRecords/o:record/o:header" if verb == "ListRecords" else "o:ListIdentifiers/o:header"
    return [h.find("o:identifier", NS).text for h in root.findall(path, NS)]


def token_of(root, verb):
    return root.find(f"o:{verb}/o:resumptionToken", NS)


def harvest(s, verb="ListIdentifiers", **args):
    """Follows the tokens to the end: (identifiers in order, token elements)."""
    ids, tokens = [], []
    root = oai(s, verb=verb, metadataPrefix="oai_dc", **args)
    while True:
        assert error(root) is None, ET.tostring(root)[:500]
        ids += identifiers(root, verb)
        t = token_of(root, verb)
        if t is None:
            return ids, tokens
        tokens.append(t)
        if not t.text:
            return ids, tokens
        root = oai(s, verb=verb, resumptionToken=t.text)


def public_ids(s):
    db = s.db()
    try:
        return [r[0] for r in db.execute(
            "SELECT id FROM objects WHERE public = 1 AND status IN ('main', 'reference')"
            " ORDER BY id")]
    finally:
        db.close()


def ident(oid):
    return f"oai:127.0.0.1:object/{oid}"


def utc(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def curator(s):
    return signed_in(s, "baotang", PASSWORDS["baotang"])


def edit_card(s, oid, **fields):
    """Posts the card's edit page as the curator (a registered object: value,
    notes, public flag, related entities); 303 expected."""
    b = curator(s)
    path = f"/admin/so-dang-ky/{oid}/sua"
    page = b.get(path)
    assert page.status == 200, page.status
    form = {"csrf": csrf_of(page.text, path), "value": "0", "notes": ""}
    form.update(fields)
    r = b.post(path, form)
    assert r.status == 303, r.text[-800:]


# ---- the verbs -----------------------------------------------------------------------------

def test_identify_from_settings(s):
    root = oai(s, verb="Identify")
    i = root.find("o:Identify", NS)
    assert i.find("o:repositoryName", NS).text == "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ"
    assert i.find("o:baseURL", NS).text == f"http://127.0.0.1:{s.port}/oai"
    assert i.find("o:protocolVersion", NS).text == "2.0"
    assert i.find("o:adminEmail", NS).text == "webmaster@127.0.0.1"
    assert i.find("o:deletedRecord", NS).text == "persistent"
    assert i.find("o:granularity", NS).text == "YYYY-MM-DDThh:mm:ssZ"
    (earliest,) = one(s, "SELECT min(datestamp) FROM oai_records")
    assert i.find("o:earliestDatestamp", NS).text == utc(earliest)
    assert request_attrs(root) == {"verb": "Identify"}
    assert root.find("o:request", NS).text == f"http://127.0.0.1:{s.port}/oai"


def test_list_metadata_formats(s):
    for args in ({}, {"identifier": ident(1)}):
        root = oai(s, verb="ListMetadataFormats", **args)
        f = root.findall("o:ListMetadataFormats/o:metadataFormat", NS)
        assert [x.find("o:metadataPrefix", NS).text for x in f] == ["oai_dc"]
        assert f[0].find("o:metadataNamespace", NS).text == NS["oai_dc"]
    root = oai(s, verb="ListMetadataFormats", identifier=ident(99999))
    assert error(root) == "idDoesNotExist"


def test_list_sets_by_class(s):
    root = oai(s, verb="ListSets")
    sets = {x.find("o:setSpec", NS).text: x.find("o:setName", NS).text
            for x in root.findall("o:ListSets/o:set", NS)}
    assert sets["class:di_vat"] == "Di vật" and sets["class:bao_vat"] == "Bảo vật quốc gia"
    ids, _ = harvest(s, set="class:di_vat")
    (n,) = one(s, "SELECT count(*) FROM oai_records WHERE class = 'di_vat'")
    assert len(ids) == n > 0
    assert error(oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc",
                     set="class:bao_vat")) == "noRecordsMatch"
    assert error(oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc",
                     set="exhibition:999")) == "noRecordsMatch"


def test_get_record_maps_the_card(s):
    oid = public_ids(s)[0]
    edit_card(s, oid, public="1", value="7.500.000", notes="Ghi chú nội bộ kho",
              related_kind="person", related_name="Chiến sĩ " + XSS)
    root = oai(s, verb="GetRecord", identifier=ident(oid), metadataPrefix="oai_dc")
    rec = root.find("o:GetRecord/o:record", NS)
    assert rec.find("o:header", NS).get("status") is None
    dc = rec.find("o:metadata/oai_dc:dc", NS)

    def values(name):
        return [e.text for e in dc.findall(f"dc:{name}", NS)]
    name, reg, dating, place, desc = one(
        s, "SELECT name, reg_number, dating, origin_place, description FROM objects WHERE id = ?",
        oid)
    assert values("title")[0] == name
    assert "Chiến sĩ " + XSS in values("creator")            # escaped, and read back whole
    assert "Di vật" in values("subject")
    assert values("description") == [desc] and values("date") == [dating]
    assert f"http://127.0.0.1:{s.port}/hien-vat/{oid}" in values("identifier")
    assert reg in values("identifier") and any(reg in v for v in values("source"))
    assert values("language") == ["vi"] and place in values("coverage")
    assert "PhysicalObject" in values("type") and values("format") and values("rights")
    body = s.get(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={ident(oid)}").text
    # What the museum keeps to itself never leaves: value, notes, storage, donor.
    assert "7500000" not in body and "7.500.000" not in body and "Ghi chú nội bộ" not in body
    assert "Kho chính" not in body and "<b>" not in body
    assert "&lt;b&gt;Đội" in body
    # The same in a POSTed form.
    root = oai(s, "POST", verb="GetRecord", identifier=ident(oid), metadataPrefix="oai_dc")
    assert root.find("o:GetRecord/o:record/o:header/o:identifier", NS).text == ident(oid)
    # The edit moved this record's datestamp to now, and lists end before the
    # current second: the next cases list it only from the next second on.
    time.sleep(1.1)


def test_list_records_and_identifiers_page_by_page(s):
    expected = [ident(i) for i in public_ids(s)]
    for verb in ("ListIdentifiers", "ListRecords"):
        ids, tokens = harvest(s, verb)
        assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids)), ids
        pages = -(-len(expected) // PAGE)
        assert len(tokens) == pages - 1 + (1 if pages > 1 else 0)
        assert [int(t.get("cursor")) for t in tokens] == [PAGE * i for i in range(len(tokens))]
        assert {int(t.get("completeListSize")) for t in tokens} == {len(expected)}
        assert all(t.get("expirationDate") for t in tokens[:-1]) and not tokens[-1].text
    # POST walks the same list.
    root = oai(s, "POST", verb="ListRecords", metadataPrefix="oai_dc")
    assert identifiers(root, "ListRecords") == ids[:PAGE]


def test_from_until_seconds_and_days(s):
    ids = public_ids(s)
    base = 1577836800    # 2020-01-01T00:00:00Z
    db = s.db()
    with db:
        for n, oid in enumerate(ids):
            db.execute("UPDATE oai_records SET datestamp = ? WHERE object_id = ?",
                       (base + n * 86400 + 3600, oid))
    db.close()

    def listed(**args):
        root = oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc", **args)
        if error(root) == "noRecordsMatch":
            return []
        got, _ = harvest(s, **args)
        return got
    assert listed(**{"from": "2020-01-02", "until": "2020-01-03"}) == [ident(ids[1]), ident(ids[2])]
    assert listed(**{"from": "2020-01-02T01:00:00Z", "until": "2020-01-02T01:00:00Z"}) == [
        ident(ids[1])]
    assert listed(**{"from": "2020-01-02T01:00:01Z", "until": "2020-01-03T00:59:59Z"}) == []
    assert listed(until="2020-01-01") == [ident(ids[0])]
    assert listed(**{"from": "2020-01-05"}) == [ident(i) for i in ids[4:]]
    root = oai(s, verb="ListRecords", metadataPrefix="oai_dc", until="2019-12-31T23:59:59Z")
    assert error(root) == "noRecordsMatch"
    assert request_attrs(root)["until"] == "2019-12-31T23:59:59Z"
    assert error(oai(s, verb="ListRecords", metadataPrefix="oai_dc",
                     **{"from": "2100-01-01"})) == "noRecordsMatch"


def test_withdrawn_object_stays_as_deleted_record(s):
    oid = public_ids(s)[-1]
    edit_card(s, oid)                       # the public box left unticked
    assert one(s, "SELECT public FROM objects WHERE id = ?", oid) == (0,)
    time.sleep(1.1)                         # lists end before the current second
    root = oai(s, verb="GetRecord", identifier=ident(oid), metadataPrefix="oai_dc")
    rec = root.find("o:GetRecord/o:record", NS)
    assert rec.find("o:header", NS).get("status") == "deleted"
    assert rec.find("o:metadata", NS) is None
    (ds,) = one(s, "SELECT datestamp FROM oai_records WHERE object_id = ?", oid)
    root = oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": utc(ds)})
    heads = root.findall("o:ListIdentifiers/o:header", NS)
    assert [(h.find("o:identifier", NS).text, h.get("status")) for h in heads] == [
        (ident(oid), "deleted")]
    root = oai(s, verb="ListRecords", metadataPrefix="oai_dc", **{"from": utc(ds)})
    assert root.find("o:ListRecords/o:record/o:metadata", NS) is None
    # The object page is gone, the record is not; shown again, it is a record again.
    edit_card(s, oid, public="1")
    root = oai(s, verb="GetRecord", identifier=ident(oid), metadataPrefix="oai_dc")
    assert root.find("o:GetRecord/o:record/o:header", NS).get("status") is None
    # An object never shown is no record at all.
    (hidden,) = one(s, "SELECT id FROM objects WHERE public = 0 AND id NOT IN"
                       " (SELECT object_id FROM oai_records) LIMIT 1")
    assert error(oai(s, verb="GetRecord", identifier=ident(hidden),
                     metadataPrefix="oai_dc")) == "idDoesNotExist"


def test_records_changing_during_a_harvest(s):
    time.sleep(1.1)
    start = oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first = identifiers(start, "ListIdentifiers")
    size = int(token_of(start, "ListIdentifiers").get("completeListSize"))
    began = start.find("o:responseDate", NS).text
    rest_before = [i for i in (ident(x) for x in public_ids(s)) if i not in first]
    sent, later = first[0], rest_before[-1]
    # One record already sent and one still to come change now.
    edit_card(s, int(sent.rsplit("/", 1)[1]), public="1", related_kind="event",
              related_name="Trận đồi A1")
    edit_card(s, int(later.rsplit("/", 1)[1]), public="1", related_kind="event",
              related_name="Trận đồi C1")
    ids, t = list(first), token_of(start, "ListIdentifiers")
    sizes = [size]
    while t is not None and t.text:
        root = oai(s, verb="ListIdentifiers", resumptionToken=t.text)
        ids += identifiers(root, "ListIdentifiers")
        t = token_of(root, "ListIdentifiers")
        assert int(t.get("cursor")) == len(ids) - len(identifiers(root, "ListIdentifiers"))
        sizes.append(int(t.get("completeListSize")))
    # No record twice; the one that changed before it was sent moved out of
    # this harvest, and the last completeListSize says what was sent.
    assert len(ids) == len(set(ids)) and sent in ids and later not in ids
    assert sizes[-1] == len(ids) == size - 1
    # The next incremental harvest, from the first answer's responseDate,
    # has both changed records.
    time.sleep(1.1)
    again, _ = harvest(s, **{"from": began})
    assert sent in again and later in again


def test_incremental_harvests_lose_and_repeat_nothing(s):
    """A harvester asks from= the previous answer's responseDate. A record
    changed in the second of that answer (before or after it) must come in
    exactly one of the two harvests, and a record that did not change in
    neither twice: lists end before the current second, from= and until=
    take whole seconds inclusive."""
    time.sleep(1.1)
    everything, _ = harvest(s, **{"from": "2000-01-01"})
    assert sorted(everything) == sorted(ident(i) for i in public_ids(s))
    sent = int(everything[0].rsplit("/", 1)[1])
    for name in ("Đồi Độc Lập", "Đồi Him Lam"):
        # At the start of a second: the change and the first harvest most
        # likely share it (whichever way it falls, the counts below hold).
        time.sleep(1 - time.time() % 1 + 0.02)
        edit_card(s, sent, public="1", related_kind="event", related_name=name)
        (ds,) = one(s, "SELECT datestamp FROM oai_records WHERE object_id = ?", sent)
        first = oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": utc(ds)})
        began = first.find("o:responseDate", NS).text
        h1 = [] if error(first) == "noRecordsMatch" else harvest(s, **{"from": utc(ds)})[0]
        assert began >= utc(ds)
        if began == utc(ds):
            assert h1 == [], h1             # the current second is not listed yet
        time.sleep(1.1)
        h2, _ = harvest(s, **{"from": began})
        assert (h1 + h2).count(ident(sent)) == 1, (name, began, utc(ds), h1, h2)
        assert set(h1 + h2) == {ident(sent)}, (h1, h2)
        # until= the first answer's second and from= the next: the same split.
        assert ident(sent) not in harvest(s, until=utc(ds - 1))[0]
        assert ident(sent) in harvest(s, **{"from": utc(ds), "until": utc(ds)})[0]


# ---- errors -----------------------------------------------------------------------------

BAD_ARGUMENTS = [
    "verb=Identify&metadataPrefix=oai_dc",                      # not an argument of Identify
    "verb=ListRecords",                                          # metadataPrefix missing
    "verb=GetRecord&metadataPrefix=oai_dc",                      # identifier missing
    "verb=ListRecords&metadataPrefix=oai_dc&colour=red",         # unknown argument
    "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",   # repeated
    "verb=ListRecords&metadataPrefix=oai_dc&from=2020-13-01",
    "verb=ListRecords&metadataPrefix=oai_dc&from=2020-02-30",
    "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
    "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01T00:00:00",     # no Z
    "verb=ListRecords&metadataPrefix=oai_dc&from=%2B020-01-01",
    "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2020-02-01T00:00:00Z",
    "verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2020-01-01",
    "verb=ListRecords&metadataPrefix=oai_dc&set=class%20di_vat",
    "verb=ListRecords&metadataPrefix=oai%20dc",
    "verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc",   # the token is exclusive
    "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + "x" * 300,
    "verb=GetRecord&metadataPrefix=oai_dc&identifier=%3Cscript%3E",
    "verb=ListRecords&metadataPrefix=oai_dc&set=" + "a" * 300,
]


def test_every_error_code(s):
    for q in ("", "verb=Foo", "verb=identify", "verb=Identify&verb=Identify",
              "verb=ListSets&verb=Foo&x=1", "verb=" + "L" * 1000):
        root = raw(s, q)
        assert error(root) == "badVerb", q
        assert request_attrs(root) == {}, q          # the base URL alone
    for q in BAD_ARGUMENTS:
        root = raw(s, q)
        assert error(root) == "badArgument", (q, ET.tostring(root)[:400])
        assert request_attrs(root) == {}, q
    assert error(oai(s, verb="ListRecords", metadataPrefix="marc21")) == "cannotDisseminateFormat"
    assert error(oai(s, verb="GetRecord", identifier=ident(1),
                     metadataPrefix="mods")) == "cannotDisseminateFormat"
    for bad in ("oai:example.org:object/1", ident(0), ident("abc"), "oai:127.0.0.1:object/01"):
        root = oai(s, verb="GetRecord", identifier=bad, metadataPrefix="oai_dc")
        assert error(root) == "idDoesNotExist", bad
        assert request_attrs(root)["identifier"] == bad
    assert error(oai(s, verb="ListSets", resumptionToken="x")) == "badResumptionToken"
    # Tokens: forged, altered, of another verb, made up.
    first = oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc")
    good = token_of(first, "ListIdentifiers").text
    flipped = good[:20] + ("A" if good[20] != "A" else "B") + good[21:]
    for bad in (flipped, good[:-2], "x" * 40, "AAAA", "%%%", "a" * 300):
        root = oai(s, verb="ListIdentifiers", resumptionToken=bad)
        assert error(root) == "badResumptionToken", bad
    assert error(oai(s, verb="ListRecords", resumptionToken=good)) == "badResumptionToken"
    assert error(oai(s, verb="ListIdentifiers", resumptionToken=good)) is None
    assert error(oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc",
                     **{"from": "2100-01-01T00:00:00Z"})) == "noRecordsMatch"
    # Nothing here is a server error.
    assert "500" not in [ln.split()[4] for ln in s.read_log().splitlines()
                         if " access " in ln and len(ln.split()) > 4]


def test_token_expiry_and_sets_off(main):
    s = Server(main.sen, demo=True, args=["--set", "oai.page_size=2", "--set", "oai.token_ttl=1",
                                     "--set", "oai.sets=0"]).start()
    try:
        root = oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc")
        t = token_of(root, "ListIdentifiers")
        assert t.get("expirationDate") and t.get("completeListSize") == "10"
        assert error(oai(s, verb="ListIdentifiers", resumptionToken=t.text)) is None
        time.sleep(2.2)
        assert error(oai(s, verb="ListIdentifiers", resumptionToken=t.text)) == "badResumptionToken"
        # Without sets: ListSets and a set argument say so; headers name no set.
        assert error(oai(s, verb="ListSets")) == "noSetHierarchy"
        assert error(oai(s, verb="ListRecords", metadataPrefix="oai_dc",
                         set="class:di_vat")) == "noSetHierarchy"
        assert root.find("o:ListIdentifiers/o:header/o:setSpec", NS) is None
        s.stop_cleanly()
    finally:
        s.close()


def test_harvester_gets_every_public_object_once(s):
    r = subprocess.run(["perl", HARVEST, f"http://127.0.0.1:{s.port}/oai"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = [ln.split("\t") for ln in r.stdout.splitlines()]
    live = [i for i, title in lines if title != "deleted"]
    assert sorted(live) == sorted(ident(i) for i in public_ids(s))
    assert len(live) == len(set(live)) and len(lines) > PAGE
    names = dict(lines)
    (name,) = one(s, "SELECT name FROM objects WHERE id = ?", public_ids(s)[1])
    assert names[ident(public_ids(s)[1])] == name


def test_server_stays_clean(s):
    assert re.search(r"ERROR: AddressSanitizer|runtime error:", s.read_log()) is None


def test_sets_by_exhibition(s):
    """A public exhibition made on the back office's pages is a set of the
    public objects in it; withdrawn from the portal, it is no set."""
    b = curator(s)
    (hall,) = one(s, "SELECT id FROM locations WHERE kind = 'exhibit' ORDER BY id LIMIT 1")
    form = {"action": "save", "title": "Điện Biên Phủ " + XSS, "kind": "chuyen_de",
            "location_id": str(hall), "venue": "", "province": "", "opens_on": "01/03/2020",
            "closes_on": "30/04/2020", "curators": "", "description": "", "public": "1"}
    new = "/admin/trung-bay/them"
    r = b.post(new, dict(form, csrf=csrf_of(b.get(new).text, new)))
    assert r.status == 303, r.text[-600:]
    url = r.header("location").split("?")[0]
    eid = int(url.rsplit("/", 1)[1])
    oid = public_ids(s)[2]
    r = b.post(url, {"csrf": csrf_of(b.get(url).text, url), "action": "object",
                     "object_id": str(oid), "position": "1", "label_vi": "", "label_en": ""})
    assert r.status == 303, r.text[-600:]
    time.sleep(1.1)
    root = oai(s, verb="ListSets")
    sets = {x.find("o:setSpec", NS).text: x.find("o:setName", NS).text
            for x in root.findall("o:ListSets/o:set", NS)}
    assert sets[f"exhibition:{eid}"] == "Điện Biên Phủ " + XSS
    ids, _ = harvest(s, set=f"exhibition:{eid}")
    assert ids == [ident(oid)]
    root = oai(s, verb="GetRecord", identifier=ident(oid), metadataPrefix="oai_dc")
    specs = [e.text for e in root.findall("o:GetRecord/o:record/o:header/o:setSpec", NS)]
    # Its class, this exhibition, and the demo's public exhibitions it is in.
    (shown,) = one(s, "SELECT count(*) FROM exhibition_objects x JOIN exhibitions e"
                   " ON e.id = x.exhibition_id WHERE x.object_id = ? AND e.public = 1", oid)
    assert specs[0] == "class:di_vat" and f"exhibition:{eid}" in specs, specs
    assert len(specs) == 1 + shown and len(set(specs)) == len(specs), specs
    # Joining it moved the record's datestamp (its sets changed).
    (ds,) = one(s, "SELECT datestamp FROM oai_records WHERE object_id = ?", oid)
    assert ds >= int(time.time()) - 5
    # Withdrawn from the portal: no set, nothing in it.
    form.pop("public")
    r = b.post(url, dict(form, csrf=csrf_of(b.get(url).text, url)))
    assert r.status == 303, r.text[-600:]
    assert f"exhibition:{eid}" not in [x.text for x in oai(s, verb="ListSets").findall(
        "o:ListSets/o:set/o:setSpec", NS)]
    assert error(oai(s, verb="ListIdentifiers", metadataPrefix="oai_dc",
                     set=f"exhibition:{eid}")) == "noRecordsMatch"
