"""Issue 17: responses compressed with gzip and brotli, BREACH-safe.

Every public text answer (HTML pages, CSS, JavaScript, JSON, feeds, sitemap,
OAI-PMH) of more than 860 bytes goes in the coding the request's
Accept-Encoding prefers (brotli, then gzip; q=0 refuses one) with
`Vary: Accept-Encoding`, and decoding it gives back exactly the bytes sent to
a client that accepts none. Pictures and small bodies go as they are. HEAD
answers with the headers of the GET, static files keep one ETag per coding
(If-None-Match gives 304 only for the coding held), and a Range header is
ignored (no Range support: the whole coded body answers 200). The back office
answers signed-in staff with CSRF tokens beside what they typed: never
compressed (docs/SECURITY.md, "Compression and BREACH").
"""
import ctypes
import gzip
import re
import urllib.parse

from admin_client import Browser, accounts_module, csrf_of

PASSWORDS = {"quantri": "mật-khẩu-nén-2026-dài"}
ROLES = {"quantri": "admin"}
setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

_brotli = ctypes.CDLL("libbrotlidec.so.1")
_brotli.BrotliDecoderDecompress.argtypes = [ctypes.c_size_t, ctypes.c_char_p,
                                            ctypes.POINTER(ctypes.c_size_t), ctypes.c_char_p]


def unbrotli(data, limit=32 << 20):
    """Brotli-decodes data with Debian's libbrotlidec (no Python module needed)."""
    out = ctypes.create_string_buffer(limit)
    size = ctypes.c_size_t(limit)
    assert _brotli.BrotliDecoderDecompress(len(data), data, ctypes.byref(size), out) == 1, \
        "not a valid brotli stream"
    return out.raw[:size.value]


def decode(r):
    enc = r.header("content-encoding")
    if enc == "br":
        return unbrotli(r.body)
    if enc == "gzip":
        return gzip.decompress(r.body)
    assert enc is None, enc
    return r.body


def get(s, path, ae=None, headers=None, method="GET"):
    h = dict(headers or {})
    if ae is not None:
        h["Accept-Encoding"] = ae
    return s.request(method, path, headers=h)


def vary_has_encoding(r):
    return any(v.strip().lower() == "accept-encoding"
               for v in (r.header("vary") or "").split(","))


def article_path(s):
    items = s.get("/api/v1/articles").json()["items"]
    return urllib.parse.urlsplit(items[0]["url"]).path


def static_paths(s):
    html = s.get("/").text
    css = re.search(r'href="(/static/css/site\.css[^"]*)"', html).group(1)
    # The article page brings the comment form's script.
    js = re.search(r'src="(/static/js/[^"]+\.js[^"]*)"', s.get(article_path(s)).text).group(1)
    return css, js


def public_text_urls(s):
    css, js = static_paths(s)
    cat = s.get("/api/v1/articles").json()["items"][0]["url"]
    category = "/" + urllib.parse.urlsplit(cat).path.split("/")[1]
    return {
        "home": "/", "article": article_path(s), "listing": category,
        "search": "/tim-kiem?q=b%E1%BA%A3o+t%C3%A0ng", "collection": "/hien-vat",
        "css": css, "js": js, "json": "/api/v1/articles", "rss": "/rss.xml",
        "atom": "/atom.xml", "sitemap": "/sitemap.xml",
        "oai": "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    }


# Values that change from one answer to the next on the same page: the
# comment form's time token, the CAPTCHA picture's number, OAI-PMH's clock.
VOLATILE = re.compile(rb'(name="t" value=")[^"]*|(ma-xac-thuc/moi\.png\?bai=\d+&amp;n=)\d+'
                      rb'|(<responseDate>)[^<]*')


def same_page(a, b):
    return VOLATILE.sub(rb"\1\2\3", a) == VOLATILE.sub(rb"\1\2\3", b)


def test_every_text_type_compressed_and_decodes_to_the_same_bytes(s):
    for name, path in public_text_urls(s).items():
        plain = get(s, path)
        assert plain.status == 200, (name, path, plain.status)
        assert plain.header("content-encoding") is None, (name, plain.header("content-encoding"))
        assert len(plain.body) > 860, (name, len(plain.body))
        assert vary_has_encoding(plain), (name, plain.header("vary"))
        for ae, want in (("gzip", "gzip"), ("br", "br"), ("gzip, deflate, br", "br")):
            r = get(s, path, ae)
            assert r.status == 200, (name, ae, r.status)
            assert r.header("content-encoding") == want, (name, ae, r.header("content-encoding"))
            assert vary_has_encoding(r), (name, ae, r.header("vary"))
            assert int(r.header("content-length")) == len(r.body) < len(plain.body), name
            body = decode(r)
            assert body == plain.body or same_page(body, plain.body), (name, ae)
            assert r.header("content-type") == plain.header("content-type"), name


def test_quality_values_choose_the_coding(s):
    path = "/"
    cases = [("br;q=0, gzip", "gzip"), ("gzip;q=0, br", "br"), ("gzip;q=0, br;q=0", None),
             ("*;q=0", None), ("identity", None), ("*", "br"), ("br;q=0, *", "gzip"),
             ("gzip;q=0.8, br;q=0.5", "gzip"), ("GZIP", "gzip"), ("deflate", None),
             ("br;q=1.5, gzip;q=0.1", "gzip"), ("x-gzip", "gzip")]
    for ae, want in cases:
        r = get(s, path, ae)
        assert r.status == 200
        assert r.header("content-encoding") == want, (ae, r.header("content-encoding"))
        assert vary_has_encoding(r), ae


def test_pictures_and_small_bodies_go_as_they_are(s):
    html = s.get("/").text
    media = re.findall(r'/media/[0-9a-f]+(?:-\d+)?\.(?:png|jpg|jpeg|webp)', html)
    assert media, "the demo home page shows pictures"
    for path in media[:3]:
        r = get(s, path, "gzip, br")
        assert r.status == 200, path
        assert r.header("content-type").startswith("image/"), path
        assert r.header("content-encoding") is None, path
    # The favicon is a few hundred bytes of SVG: not worth a compressor.
    icon = re.search(r'href="(/static/img/favicon\.svg[^"]*)"', html).group(1)
    r = get(s, icon, "gzip, br")
    assert r.status == 200 and len(r.body) < 860
    assert r.header("content-encoding") is None
    # A 404 page is small too.
    r = get(s, "/khong-co-trang-nay/that-su", "br")
    assert r.status == 404 and r.header("content-encoding") is None


def test_head_answers_with_the_headers_of_get(s):
    for path in ("/", static_paths(s)[0], "/rss.xml"):
        for ae in ("br", "gzip", None):
            g = get(s, path, ae)
            h = get(s, path, ae, method="HEAD")
            assert h.status == 200 and h.body == b"", (path, ae)
            for name in ("content-encoding", "content-length", "content-type", "vary", "etag"):
                assert h.header(name) == g.header(name), (path, ae, name, h.header(name),
                                                          g.header(name))


def test_static_files_have_an_etag_per_coding(s):
    css = static_paths(s)[0]
    tags = {}
    for ae in ("br", "gzip", None):
        r = get(s, css, ae)
        assert r.status == 200 and r.header("etag"), ae
        tags[ae] = r.header("etag")
    assert len(set(tags.values())) == 3, tags
    assert tags["br"].endswith('-br"') and tags["gzip"].endswith('-gz"')
    # The coding held is the coding asked: 304.
    for ae in ("br", "gzip", None):
        r = get(s, css, ae, {"If-None-Match": tags[ae]})
        assert r.status == 304 and r.body == b"", (ae, r.status)
        assert r.header("etag") == tags[ae], ae
        assert vary_has_encoding(r), ae
    # Holding the gzip copy while asking for brotli: the brotli copy, 200.
    r = get(s, css, "br", {"If-None-Match": tags["gzip"]})
    assert r.status == 200 and r.header("content-encoding") == "br"
    assert unbrotli(r.body) == get(s, css).body
    r = get(s, css, None, {"If-None-Match": tags["br"]})
    assert r.status == 200 and r.header("content-encoding") is None


def test_range_is_ignored_and_the_whole_coded_body_answers(s):
    css = static_paths(s)[0]
    plain = get(s, css).body
    for path, ae in ((css, "gzip"), (css, "br"), ("/", "gzip")):
        r = get(s, path, ae, {"Range": "bytes=0-9"})
        assert r.status == 200, (path, r.status)
        assert r.header("content-range") is None
        body = decode(r)
        if path == css:
            assert body == plain
        else:
            assert body.lower().startswith(b"<!doctype html>"), body[:40]
            assert body.rstrip().endswith(b"</html>"), body[-40:]


def test_a_cached_page_goes_out_compressed_the_same_way_twice(s):
    path = article_path(s)
    first = get(s, path, "br")
    second = get(s, path, "br")
    assert first.header("content-encoding") == second.header("content-encoding") == "br"
    assert same_page(unbrotli(first.body), unbrotli(second.body))
    g = get(s, path, "gzip")
    assert g.header("content-encoding") == "gzip"
    assert same_page(gzip.decompress(g.body), unbrotli(second.body))


def test_breach_back_office_answers_with_secrets_are_never_compressed(s):
    b = browser(s, "quantri")
    # A signed-in list page reflecting the query, with forms carrying CSRF tokens.
    reflected = "chuoi-phan-chieu-xyz"
    for path in ("/admin", "/admin/bai-viet?q=" + reflected, "/admin/tai-khoan",
                 "/admin/bai-viet/moi"):
        r = b.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert r.status == 200, (path, r.status)
        assert r.header("content-encoding") is None, (path, r.header("content-encoding"))
    r = b.get("/admin/bai-viet?q=" + reflected, headers={"Accept-Encoding": "gzip, br"})
    assert r.status == 200 and reflected in r.text
    assert 'name="csrf"' in r.text, "the page carries a CSRF token (the secret)"
    assert len(r.body) > 860, "large enough that it would otherwise be compressed"
    # A form shown again with the visitor's input and an error: not compressed.
    page = b.get("/admin/tai-khoan")
    token = csrf_of(page.text, "/admin/tai-khoan/them")
    r = b.post("/admin/tai-khoan/them", {"csrf": token, "name": reflected, "role": "editor",
                                          "password": "password1234",
                                          "confirm": "password1234"},
               headers={"Accept-Encoding": "gzip, br"})
    assert r.status == 400, r.status
    assert f'value="{reflected}"' in r.text and 'name="csrf"' in r.text
    assert r.header("content-encoding") is None
    # The login page carries a token too, before anyone signs in.
    anon = Browser(s)
    r = anon.get("/admin/dang-nhap", headers={"Accept-Encoding": "gzip, br"})
    assert r.status == 200 and 'name="csrf"' in r.text
    assert r.header("content-encoding") is None
    # The public search page reflects the query too, but carries no secret
    # (the same page for every reader): compressed.
    r = anon.get("/tim-kiem?q=" + reflected, headers={"Accept-Encoding": "gzip, br"})
    assert r.header("content-encoding") == "br"
    text = unbrotli(r.body).decode()
    assert reflected in text and 'name="csrf"' not in text
