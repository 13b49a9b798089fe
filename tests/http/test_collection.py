"""Issue 13, the online collection: /hien-vat (the register's registered and
public objects, facets whose counts follow the other filters, the folded word
search, keyset pages, every filter in the URL), /hien-vat/ID (the visitor's
fields and never the museum's own: value, notes, storage place, donor's
contact; related objects; VisualArtwork / CreativeWork JSON-LD), its print
view, the sitemap, and the objects on the search page (/tim-kiem?loai=).

The demo's ten named objects are public; the module makes more public through
the back office (the card's edit page, and a correction for the class, the
origin and a hostile name), as a curator would."""
import html as htmllib
import json
import re
import urllib.parse

from admin_client import csrf_of
from register_users import browser, one, rows, setup_module, teardown_module  # noqa: F401
from test_register_correction import form_of
from test_register_edit import full_card

XSS = "<script>alert('hv')</script>"
SECRET_VALUE = "9.876.543"
SECRET_NOTE = "Ghi chú nội bộ: két số 7"
MORE_PUBLIC = 20          # registered 2020 objects made public here
PAGE = 24                 # objects on a page of the list


def visible(text):
    return htmllib.unescape(text)


def cards(html):
    """(id, name) of the objects listed on a page."""
    return [(int(i), htmllib.unescape(n)) for i, n in
            re.findall(r'<h3 class="card-title"><a href="/hien-vat/(\d+)">([^<]*)</a>', html)]


def facet(html, param):
    """{label: count} of one facet's values, and the chosen label or None."""
    m = re.search(rf'<section class="coll-facet" data-facet="{param}">(.*?)</section>', html, re.S)
    if m is None:
        return {}, None
    values, chosen = {}, None
    for attrs, label, count in re.findall(
            r'<a href="[^"]*" rel="nofollow"([^>]*)>([^<]*) <span class="count">\(([\d.,]+)\)</span>',
            m.group(1)):
        label = htmllib.unescape(label)
        values[label] = int(count.replace(".", "").replace(",", ""))
        if "aria-current" in attrs:
            chosen = label
    return values, chosen


def total(html):
    m = re.search(r'<p class="coll-count" role="status">([^<]*)', html)
    assert m, "no count on the page"
    return int(re.search(r"[\d.,]+", m.group(1)).group(0).replace(".", "").replace(",", ""))


def page(s, **params):
    return s.get("/hien-vat?" + urllib.parse.urlencode(params))


def make_public(b, oid, **extra):
    path = f"/admin/so-dang-ky/{oid}/sua"
    p = b.get(path)
    assert p.status == 200, p.status
    form = {"csrf": csrf_of(p.text, path), "value": SECRET_VALUE, "notes": SECRET_NOTE,
            "public": "1"}
    form.update(extra)
    r = b.post(path, form)
    assert r.status == 303, visible(r.text)[-600:]


def correct(b, oid, **changes):
    path = f"/admin/so-dang-ky/{oid}/dinh-chinh"
    p = b.get(path)
    assert p.status == 200, p.status
    form = form_of(p.text)
    form.update(changes, csrf=csrf_of(p.text, path), why="Bổ sung theo hồ sơ hiện vật")
    r = b.post(path, form)
    assert r.status == 303, visible(r.text)[-600:]


STATE = {}


def prepared(s):
    """The module's objects, made once: MORE_PUBLIC registered 2020 objects
    made public (value and notes set: the museum's own), one of them corrected
    into a cổ vật from Mường Phăng, another given a hostile name; one object
    still in intake marked public (it must stay out: not registered)."""
    if STATE:
        return STATE
    b = browser(s, "baotang")
    ids = [r[0] for r in rows(s, "SELECT id FROM objects WHERE reg_number IS NOT NULL"
                                    " AND public = 0 AND status = 'main' ORDER BY id LIMIT ?",
                                 MORE_PUBLIC)]
    assert len(ids) == MORE_PUBLIC
    for oid in ids:
        make_public(b, oid)
    correct(b, ids[0], **{"class": "co_vat", "origin_place": "Mường Phăng"})
    correct(b, ids[1], name="Mũ " + XSS, description="Mô tả " + XSS)
    (intake_id,) = one(s, "SELECT id FROM objects WHERE status = 'intake' ORDER BY id LIMIT 1")
    make_public(b, intake_id, **full_card(public="1"))
    STATE.update(ids=ids, old=ids[0], xss=ids[1], intake=intake_id)
    return STATE


def public_registered(s):
    return {r[0] for r in rows(s, "SELECT id FROM objects WHERE public = 1"
                                     " AND reg_number IS NOT NULL")}


# ---- the list ------------------------------------------------------------------------

def test_collection_lists_public_registered_objects_in_pages(s):
    st = prepared(s)
    expected = public_registered(s)
    assert len(expected) == 10 + MORE_PUBLIC
    seen, url, pages = [], "/hien-vat", 0
    while url:
        r = s.get(url)
        assert r.status == 200, (url, r.status)
        assert total(r.text) == len(expected)
        got = cards(r.text)
        assert 0 < len(got) <= PAGE
        seen += [i for i, _ in got]
        m = re.search(r'<a rel="next" href="([^"]+)"', r.text)
        url = htmllib.unescape(m.group(1)) if m else None
        if url:
            assert "sau=" in url
        pages += 1
        assert pages < 10
    assert pages == 2
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))
    assert set(seen) == expected
    assert st["intake"] not in seen               # public flag, but not registered
    # the second page links back to the first
    second = s.get("/hien-vat?sau=" + str(seen[PAGE - 1]))
    assert [i for i, _ in cards(second.text)] == seen[PAGE:]
    assert 'href="/hien-vat"' in second.text


def test_collection_facets_count_under_the_other_filters(s):
    prepared(s)
    r = page(s)
    classes, chosen = facet(r.text, "phan-loai")
    assert chosen is None
    assert classes == {"Di vật": 10, "Cổ vật": 1}   # the 2020 objects have no class but one
    materials, _ = facet(r.text, "chat-lieu")
    assert sum(materials.values()) == 10 + MORE_PUBLIC
    modes, _ = facet(r.text, "hinh-thuc")
    assert sum(modes.values()) == 10 + MORE_PUBLIC and "Hiến tặng" in modes
    origins, _ = facet(r.text, "xuat-xu")
    assert origins == {"Điện Biên Phủ": 10 + MORE_PUBLIC - 1, "Mường Phăng": 1}
    datings, _ = facet(r.text, "nien-dai")
    assert datings["1954"] == MORE_PUBLIC and datings["1953-1954"] == 9
    # Metal: the list shrinks, the material facet keeps every material (its
    # own filter is not applied to it), the others count metal objects only.
    r = page(s, **{"chat-lieu": "KL"})
    assert r.status == 200
    n_metal = materials["Kim loại và hợp kim"]
    assert total(r.text) == n_metal
    assert all(i in public_registered(s) for i, _ in cards(r.text))
    m2, chosen = facet(r.text, "chat-lieu")
    assert m2 == materials and chosen == "Kim loại và hợp kim"
    modes_metal, _ = facet(r.text, "hinh-thuc")
    assert sum(modes_metal.values()) == n_metal
    # Two filters combined: each facet counts under the other one.
    r = page(s, **{"chat-lieu": "KL", "hinh-thuc": "hien_tang"})
    both = total(r.text)
    assert both == modes_metal["Hiến tặng"]
    m3, _ = facet(r.text, "chat-lieu")
    r_mode = page(s, **{"hinh-thuc": "hien_tang"})
    assert m3 == facet(r_mode.text, "chat-lieu")[0]          # materials under the mode alone
    assert facet(r.text, "hinh-thuc")[0] == modes_metal      # modes under the material alone
    # the chosen filters are shown, each with the link that removes it
    assert 'href="/hien-vat?hinh-thuc=hien_tang"' in r.text   # removes the material
    assert 'href="/hien-vat?chat-lieu=KL"' in r.text          # removes the mode
    assert "Bỏ mọi bộ lọc" in r.text
    # class and origin
    r = page(s, **{"phan-loai": "co_vat"})
    assert [i for i, _ in cards(r.text)] == [STATE["old"]]
    r = page(s, **{"xuat-xu": "Mường Phăng", "phan-loai": "co_vat"})
    assert [i for i, _ in cards(r.text)] == [STATE["old"]]
    r = page(s, **{"xuat-xu": "Mường Phăng", "phan-loai": "di_vat"})
    assert cards(r.text) == [] and total(r.text) == 0
    assert "Không có hiện vật nào" in r.text
    # a chosen value that finds nothing stays on its facet, to be undone
    assert facet(r.text, "phan-loai")[1] == "Di vật"


def test_collection_words_fold_and_combine(s):
    prepared(s)
    for q in ("mu coi", "Mũ cối", "MU COI", "mũ cối"):
        r = page(s, q=q)
        assert r.status == 200, q
        names = [n for _, n in cards(r.text)]
        assert "Mũ cối của chiến sĩ Đại đoàn 308" in names, (q, names)
        assert all("Mũ" in n or "mũ" in n.lower() for n in names), names
    # words and a facet together
    r = page(s, q="bi dong", **{"chat-lieu": "KL"})
    assert "Bi đông nhôm" in [n for _, n in cards(r.text)]
    r = page(s, q="bi dong", **{"chat-lieu": "G"})
    assert cards(r.text) == []
    # the registration number finds its object
    (number,) = one(s, "SELECT reg_number FROM objects WHERE id = 3")
    assert [i for i, _ in cards(page(s, q=number).text)] == [3]
    # what a visitor must not probe: storage places and donors are not searched
    for q in ("Kho chính", "Giá A", "Lò Văn Inh", "0239 3861 204"):
        r = page(s, q=q)
        assert r.status == 200 and total(r.text) == 0, q
    # the words stay in the box and in every facet link
    r = page(s, q="bi dong")
    assert 'value="bi dong"' in r.text
    assert "q=bi%20dong&amp;chat-lieu=KL" in r.text


def test_collection_bad_parameters_are_400_naming_the_field(s):
    prepared(s)
    cases = [({"phan-loai": "quy_hiem"}, "Phân loại"), ({"hinh-thuc": "cuop"}, "Hình thức thu nhận"),
             ({"trung-bay": "abc"}, "Trưng bày"), ({"trung-bay": "-3"}, "Trưng bày"),
             ({"sau": "abc"}, "sau"), ({"sau": "0"}, "sau"),
             ({"xuat-xu": "x" * 400}, "Xuất xứ"), ({"q": "a" * 300}, "200")]
    for params, word in cases:
        r = page(s, **params)
        assert r.status == 400, params
        text = visible(r.text)
        assert 'role="alert"' in r.text and word in text, (params, text[-400:])
        assert r.header("cache-control") == "no-store"
    # what was chosen is kept in the form
    r = page(s, q="mũ cối", **{"phan-loai": "quy_hiem"})
    assert 'value="mũ cối"' in r.text and 'name="phan-loai" value="quy_hiem"' in r.text
    # a filter given twice: the same value is one, two values are refused
    r = s.get("/hien-vat?chat-lieu=KL&chat-lieu=KL")
    assert r.status == 200 and total(r.text) > 0
    r = s.get("/hien-vat?chat-lieu=KL&chat-lieu=G")
    assert r.status == 400 and "Chất liệu" in visible(r.text) and "hai lần" in visible(r.text)
    # values nobody has find nothing (not an error)
    for params in ({"chat-lieu": "ZZ"}, {"nien-dai": "thế kỷ XXX"}, {"trung-bay": "12345"}):
        r = page(s, **params)
        assert r.status == 200 and total(r.text) == 0, params
    # hostile bytes never make a 500
    for raw in ("%00", "%ff", "%C0%AF", "'%20OR%201=1--", "%22%29%29%20OR%20(%22", "*", "NEAR(a"):
        for name in ("q", "chat-lieu", "nien-dai", "xuat-xu", "phan-loai", "sau"):
            r = s.get(f"/hien-vat?{name}={raw}")
            assert r.status in (200, 400), (name, raw, r.status)


def test_collection_escapes_and_english(s):
    st = prepared(s)
    r = page(s, q="mu")
    assert XSS not in r.text and "Mũ &lt;script&gt;" in r.text
    r = s.get(f"/hien-vat/{st['xss']}")
    assert r.status == 200 and XSS not in r.text and "&lt;script&gt;" in r.text
    ld = jsonld(r.text)
    assert ld["name"] == "Mũ " + XSS                    # JSON-LD holds the text, escaped for <script>
    assert "</script>" not in re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                        r.text, re.S).group(1)
    en = s.get("/hien-vat?lang=en")
    assert en.status == 200 and "Online collection" in en.text and "Material" in en.text
    assert "Acquisition mode" in en.text and "Donation" in en.text
    assert re.search(r"\d+ objects", en.text)
    one_en = s.get("/hien-vat/1?lang=en")
    assert "Registration number" in one_en.text and "Related objects" in one_en.text
    assert s.get("/hien-vat?lang=vi").status == 200


def test_vocabularies_in_english(s):
    """Materials (the museum's list), classes and acquisition modes are shown
    in English on English pages, and as the museum writes them in Vietnamese."""
    prepared(s)
    (code, name) = one(s, "SELECT m.code, m.name FROM objects o JOIN materials m"
                          " ON m.code = o.material_code WHERE o.id = 1")
    assert (code, name) == ("ĐD", "Dệt may: vải, len, lụa")
    try:
        en = s.get("/hien-vat?lang=en")
        materials, _ = facet(en.text, "chat-lieu")
        assert "Textiles: cloth, wool, silk" in materials and name not in materials, materials
        assert not any(v in materials for v in ("Kim loại và hợp kim", "Giấy", "Gỗ"))
        assert "Donation" in facet(en.text, "hinh-thuc")[0]
        chosen = s.get("/hien-vat?" + urllib.parse.urlencode({"chat-lieu": code, "lang": "en"}))
        assert facet(chosen.text, "chat-lieu")[1] == "Textiles: cloth, wool, silk"
        obj = htmllib.unescape(s.get("/hien-vat/1?lang=en").text)
        assert "Textiles: cloth, wool, silk" in obj and name not in obj
        hits = htmllib.unescape(s.get("/tim-kiem?" + urllib.parse.urlencode(
            {"q": "mu coi", "loai": "hien-vat", "lang": "en"})).text)
        assert "Textiles: cloth, wool, silk" in hits and name not in hits
    finally:
        vi = s.get("/hien-vat?lang=vi")
    assert name in facet(vi.text, "chat-lieu")[0]
    assert name in htmllib.unescape(s.get("/hien-vat/1?lang=vi").text)


def jsonld(html):
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "no JSON-LD"
    return json.loads(m.group(1))


# ---- one object ------------------------------------------------------------------------

def test_object_page_fields_and_nothing_internal(s):
    st = prepared(s)
    # object 1 (the demo's hat): donor with a phone, stored in Hộp 1 of Kho chính
    phone, address = one(s, "SELECT d.phone, d.address FROM objects o JOIN acquisitions a"
                            " ON a.id = o.acquisition_id JOIN donors d ON d.id = a.donor_id"
                            " WHERE o.id = 1")
    (place,) = one(s, "SELECT l.name FROM objects o JOIN locations l ON l.id = o.location_id"
                      " WHERE o.id = 1")
    b = browser(s, "baotang")
    make_public(b, 1, value="4.321.000", notes=SECRET_NOTE)
    for path in ("/hien-vat/1", "/hien-vat/1/in", "/hien-vat/1?lang=en"):
        r = s.get(path)
        assert r.status == 200, path
        text = visible(r.text)
        assert "Mũ cối của chiến sĩ Đại đoàn 308" in text
        for secret in (phone, address, place, "Kho chính", "4.321.000", "4321000", SECRET_NOTE,
                       "Phòng Nghiệp vụ"):
            assert secret not in text, (path, secret)
    r = s.get("/hien-vat/1")
    text = visible(r.text)
    (number,) = one(s, "SELECT reg_number FROM objects WHERE id = 1")
    for shown in (number, "Số đăng ký", "Chất liệu", "Dệt may: vải, len, lụa", "Niên đại",
                  "1953-1954", "Xuất xứ", "Điện Biên Phủ", "cao 14 cm", "310 g", "Di vật",
                  "Đại đoàn 308", "Chiến dịch Điện Biên Phủ 1954", "Mũ cối đan tre bọc vải"):
        assert shown in text, shown
    ld = jsonld(r.text)
    assert ld["@type"] == "VisualArtwork" and ld["identifier"] == number
    assert ld["url"].endswith("/hien-vat/1") and ld["name"].startswith("Mũ cối")
    flat = json.dumps(ld, ensure_ascii=False)
    for secret in (phone, address, place, "4321000", SECRET_NOTE):
        assert secret not in flat, secret
    assert not {"value", "notes", "location", "donor", "sourceOrganization"} & set(ld)
    # a document is a CreativeWork
    (doc,) = one(s, "SELECT id FROM objects WHERE kind = 'tai_lieu' AND public = 1"
                    " AND reg_number IS NOT NULL ORDER BY id LIMIT 1")
    assert jsonld(s.get(f"/hien-vat/{doc}").text)["@type"] == "CreativeWork"
    # related objects: others sharing the campaign, never itself
    near = re.search(r'<section class="object-near".*?</section>', r.text, re.S)
    assert near and "/hien-vat/2" in near.group(0) and 'href="/hien-vat/1"' not in near.group(0)
    # print view: the fields on paper, no menu
    p = s.get("/hien-vat/1/in")
    assert 'class="print-view"' in p.text and "site-nav" not in p.text
    assert number in visible(p.text) and "noindex" in p.text
    assert st["ids"]


def test_object_not_public_or_unknown_is_404(s):
    st = prepared(s)
    (private,) = one(s, "SELECT id FROM objects WHERE public = 0 AND reg_number IS NOT NULL"
                        " ORDER BY id LIMIT 1")
    bodies = set()
    for path in (f"/hien-vat/{private}", f"/hien-vat/{st['intake']}", "/hien-vat/99999999",
                 f"/hien-vat/{private}/in", "/hien-vat/abc", "/hien-vat/0", "/hien-vat/-1",
                 "/hien-vat/1x"):
        r = s.get(path)
        assert r.status == 404, path
    for path in (f"/hien-vat/{private}", "/hien-vat/99999999"):
        bodies.add(s.get(path).body)
    assert len(bodies) == 1                      # nothing tells private from missing
    # taking the flag off hides it again at once
    b = browser(s, "baotang")
    oid = st["ids"][-1]
    assert s.get(f"/hien-vat/{oid}").status == 200
    path = f"/admin/so-dang-ky/{oid}/sua"
    p = b.get(path)
    r = b.post(path, {"csrf": csrf_of(p.text, path), "value": SECRET_VALUE, "notes": SECRET_NOTE})
    assert r.status == 303
    assert s.get(f"/hien-vat/{oid}").status == 404
    assert oid not in [i for i, _ in cards(page(s, q=one(s, "SELECT reg_number FROM objects"
                                                          " WHERE id = ?", oid)[0]).text)]
    make_public(b, oid)
    assert s.get(f"/hien-vat/{oid}").status == 200


def test_collection_headers_menu_and_sitemap(s):
    prepared(s)
    r = s.get("/hien-vat")
    assert r.header("x-content-type-options") == "nosniff"
    assert "default-src 'self'" in r.header("content-security-policy")
    assert r.header("x-frame-options") == "SAMEORIGIN"
    assert '<a href="/hien-vat" aria-current="page">Hiện vật</a>' in r.text
    home = s.get("/")
    assert '<a href="/hien-vat">Hiện vật</a>' in home.text
    # every filter is a plain link or a GET form: no script needed
    assert '<form class="search-form coll-search" action="/hien-vat" method="get"' in r.text
    sm = s.get("/sitemap.xml").text
    locs = re.findall(r"<loc>([^<]+)</loc>", sm)
    paths = {urllib.parse.urlsplit(u).path for u in locs}
    assert "/hien-vat" in paths
    assert {f"/hien-vat/{i}" for i in public_registered(s)} <= paths
    (private,) = one(s, "SELECT id FROM objects WHERE public = 0 ORDER BY id LIMIT 1")
    assert f"/hien-vat/{private}" not in paths


# ---- the search page ------------------------------------------------------------------

def test_search_page_looks_in_objects(s):
    prepared(s)
    r = s.get("/tim-kiem?" + urllib.parse.urlencode({"q": "mu coi"}))
    assert r.status == 200
    kinds = re.search(r'<nav class="search-kinds".*?</nav>', r.text, re.S).group(0)
    assert "loai=bai-viet" in kinds and "loai=hien-vat" in kinds
    other = re.search(r'<section class="search-other".*?</section>', r.text, re.S)
    assert other and 'href="/hien-vat/1"' in other.group(0)
    r = s.get("/tim-kiem?" + urllib.parse.urlencode({"q": "chien si", "loai": "hien-vat"}))
    assert r.status == 200
    hits = re.findall(r'<h3 class="search-item-title"><a href="/hien-vat/(\d+)">', r.text)
    assert len(hits) == 10                                  # a page of ten
    assert 'aria-current="page">Hiện vật' in r.text
    assert '<h2 class="search-hit-title">' not in r.text     # no articles in this list
    assert 'rel="next"' in r.text and "loai=hien-vat&amp;trang=2" in r.text
    r2 = s.get("/tim-kiem?" + urllib.parse.urlencode({"q": "chien si", "loai": "hien-vat",
                                                      "trang": 2}))
    hits2 = re.findall(r'<h3 class="search-item-title"><a href="/hien-vat/(\d+)">', r2.text)
    assert hits2 and not set(hits) & set(hits2)
    assert set(int(h) for h in hits + hits2) <= public_registered(s)
    # articles only: the article list as before, no objects
    r = s.get("/tim-kiem?" + urllib.parse.urlencode({"q": "dien bien", "loai": "bai-viet"}))
    assert '<h2 class="search-hit-title">' in r.text and "search-item-title" not in r.text
    assert 'value="bai-viet" selected' in r.text
    r = s.get("/tim-kiem?q=x&loai=tat-ca")
    assert r.status == 400 and "loai" in visible(r.text)
    # a storage place finds no object from the search box either
    r = s.get("/tim-kiem?" + urllib.parse.urlencode({"q": "Kho chính", "loai": "hien-vat"}))
    assert r.status == 200 and "search-item-title" not in r.text


# ---- exhibitions ----------------------------------------------------------------------

def test_collection_exhibition_facet_and_object_page(s):
    from test_exhibitions import alert, new_exhibition, sub
    prepared(s)
    b = browser(s, "baotang")
    # public objects standing in no open exhibition (the demo has some on show)
    free = [r[0] for r in rows(s, "SELECT id FROM objects_shown WHERE id NOT IN"
                                  " (SELECT object_id FROM exhibition_objects WHERE placed = 1)"
                                  " ORDER BY id LIMIT 4")]
    assert len(free) == 4
    a, b2, c, other = free
    shown = new_exhibition(b, s, title="Hiện vật kể chuyện " + XSS)
    hidden = new_exhibition(b, s, title="Nội bộ chưa công bố", public="")
    for url, oid in ((shown, a), (shown, b2), (hidden, c)):
        r = sub(b, url, action="object", object_id=str(oid), position="1", label_vi="", label_en="")
        assert r.status == 303, alert(r)
    sid, hid = shown.rsplit("/", 1)[1], hidden.rsplit("/", 1)[1]
    r = page(s)
    values, _ = facet(r.text, "trung-bay")
    assert values.get("Hiện vật kể chuyện " + XSS) == 2
    assert "Nội bộ chưa công bố" not in values                # the hidden one is not a facet
    assert XSS not in r.text
    r = page(s, **{"trung-bay": sid})
    assert sorted(i for i, _ in cards(r.text)) == sorted([a, b2])
    assert facet(r.text, "trung-bay")[1] == "Hiện vật kể chuyện " + XSS
    # materials counted within the exhibition
    assert sum(facet(r.text, "chat-lieu")[0].values()) == 2
    r = page(s, **{"trung-bay": hid})
    assert r.status == 200 and total(r.text) == 0
    one_page = s.get(f"/hien-vat/{a}")
    assert f'href="/trung-bay/{sid}"' in one_page.text and "Đã trưng bày tại" in one_page.text
    assert f"/trung-bay/{hid}" not in one_page.text and "Nội bộ chưa công bố" not in one_page.text
    assert f"/trung-bay/{sid}" not in s.get(f"/hien-vat/{other}").text    # not shown there
