"""Issue 13, deep zoom and IIIF: every photo of an object card gets a tile set
(libvips dzsave, IIIF Image API 3 level 0) made once in the background; the
demo's photos have theirs after `sen init --demo`. /iiif/ID/info.json and
the tiles are served only for photos of public objects, with CORS for viewers
on other sites and long caching; every path is read strictly (traversal,
encoded slashes, huge regions: 400 or 404, never 500, never a file outside
the tile folder). /hien-vat/ID/manifest.json is the object's IIIF
Presentation 3 manifest."""
import json
import math
import os
import re
import time

from register_users import browser, one, rows, set_public, setup_module, teardown_module  # noqa: F401

TILE_CACHE = re.compile(r"public, max-age=(\d+)")


def json_ld(r, context):
    """The JSON-LD of a 200 answer with a IIIF context, open to other sites."""
    assert r.status == 200
    assert r.header("content-type").startswith(f'application/ld+json;profile="{context}"')
    assert r.header("access-control-allow-origin") == "*"
    return json.loads(r.text)


def public_photo(s):
    """(object id, media id) of a public object's lead photo with its tiles."""
    r = one(s, "SELECT o.id, om.media_id FROM objects o JOIN object_media om ON om.object_id = o.id"
               " JOIN media_tiles t ON t.media_id = om.media_id WHERE o.public = 1 AND t.state = 1"
               " AND om.lead = 1 ORDER BY o.id LIMIT 1")
    assert r is not None, "the demo has no public object with a tiled photo"
    return r


def tile_urls(info):
    """Every tile URL OpenSeadragon asks for (its IIIFTileSource, level 0,
    version 3), relative to the service id."""
    w, h = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    urls = []
    for sf in info["tiles"][0]["scaleFactors"]:
        lw, lh = math.ceil(w / sf), math.ceil(h / sf)
        if lw < tile and lh < tile:
            size = "max" if (lw, lh) == (w, h) else f"{lw},{lh}"
            urls.append(f"full/{size}/0/default.jpg")
            continue
        step = tile * sf
        for y in range(math.ceil(lh / tile)):
            for x in range(math.ceil(lw / tile)):
                rx, ry = x * step, y * step
                rw, rh = min(step, w - rx), min(step, h - ry)
                region = "full" if (rx, ry, rw, rh) == (0, 0, w, h) else f"{rx},{ry},{rw},{rh}"
                sw, sh = min(tile, lw - x * tile), min(tile, lh - y * tile)
                size = "max" if (sw, sh) == (w, h) else f"{sw},{sh}"
                urls.append(f"{region}/{size}/0/default.jpg")
    return urls


def test_demo_photos_have_tiles(s):
    got = rows(s, "SELECT om.media_id, t.state FROM object_media om"
                  " LEFT JOIN media_tiles t ON t.media_id = om.media_id")
    assert len(got) >= 3, got
    assert all(state == 1 for _, state in got), got
    for mid, _ in got:
        folder = os.path.join(s.data, "media", "iiif", str(mid))
        assert os.path.isfile(os.path.join(folder, "info.json"))
    # Nothing half-made or temporary is left beside them.
    assert not [n for n in os.listdir(os.path.join(s.data, "media", "iiif")) if n.startswith(".")]


def test_info_json(s):
    _, mid = public_photo(s)
    r = s.get(f"/iiif/{mid}/info.json")
    info = json_ld(r, "http://iiif.io/api/image/3/context.json")
    assert int(TILE_CACHE.search(r.header("cache-control")).group(1)) >= 3600
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["type"] == "ImageService3" and info["profile"] == "level0"
    assert info["protocol"] == "http://iiif.io/api/image"
    assert re.fullmatch(rf"https?://[^/]+/iiif/{mid}", info["id"]), info["id"]
    w, h = one(s, "SELECT width, height FROM media_tiles WHERE media_id = ?", mid)
    assert (info["width"], info["height"]) == (w, h)
    assert info["tiles"][0]["width"] == 512 and 1 in info["tiles"][0]["scaleFactors"]


def test_every_tile_a_viewer_asks_for_is_served(s):
    _, mid = public_photo(s)
    info = s.get(f"/iiif/{mid}/info.json").json()
    urls = tile_urls(info)
    assert len(urls) >= 6
    for u in urls:
        r = s.get(f"/iiif/{mid}/{u}")
        assert r.status == 200, (u, r.status)
        assert r.header("content-type") == "image/jpeg"
        assert r.body[:3] == b"\xff\xd8\xff"
        assert r.header("access-control-allow-origin") == "*"
        assert int(TILE_CACHE.search(r.header("cache-control")).group(1)) >= 86400 * 30
    # Conditional requests are answered 304 like other files.
    r = s.get(f"/iiif/{mid}/{urls[0]}")
    again = s.get(f"/iiif/{mid}/{urls[0]}", headers={"If-None-Match": r.header("etag")})
    assert again.status == 304


def test_private_objects_photos_are_404(s):
    oid, mid = public_photo(s)
    info = s.get(f"/iiif/{mid}/info.json").json()
    tile = tile_urls(info)[0]
    others = rows(s, "SELECT count(*) FROM object_media om JOIN objects o ON o.id = om.object_id"
                     " WHERE om.media_id = ? AND o.id <> ? AND o.public = 1", mid, oid)[0][0]
    assert others == 0
    curator = browser(s, "baotang")
    set_public(curator, oid, False)
    try:
        for path in (f"/iiif/{mid}/info.json", f"/iiif/{mid}/{tile}",
                     f"/hien-vat/{oid}/manifest.json"):
            r = s.get(path)
            assert r.status == 404, (path, r.status)
            assert "access-control-allow-origin" not in r.headers
    finally:
        set_public(curator, oid, True)
    assert s.get(f"/iiif/{mid}/info.json").status == 200
    # A library picture that is no object's photo, and ids that do not exist.
    free = one(s, "SELECT id FROM media WHERE id NOT IN (SELECT media_id FROM object_media)"
                  " ORDER BY id LIMIT 1")[0]
    for path in (f"/iiif/{free}/info.json", "/iiif/999999/info.json",
                 "/iiif/999999/0,0,512,512/512,512/0/default.jpg", "/hien-vat/999999/manifest.json"):
        assert s.get(path).status == 404, path


ATTACKS = [
    "/iiif/{m}/../../sen.db",
    "/iiif/{m}/..%2f..%2fsen.db/512,512/0/default.jpg",
    "/iiif/{m}/%2e%2e/%2e%2e/0/default.jpg",
    "/iiif/{m}/%2e%2e%2f%2e%2e%2f%2e%2e%2fsen.db/max/0/default.jpg",
    "/iiif/..%2F{m}/info.json",
    "/iiif/{m}%2Finfo.json",
    "/iiif/{m}/0,0,512,512/512,512/0/..%2F..%2F..%2Finfo.json",
    "/iiif/{m}/0,0,512,512/512,512/0/default.jpg%00",
    "/iiif/{m}/0,0,512,512/512,512/0%2Fdefault.jpg/x",
    "/iiif/{m}//512,512/0/default.jpg",
    "/iiif/{m}/%2Fetc%2Fpasswd/512,512/0/default.jpg",
    "/iiif/{m}/0,0,512,512/512,512/0/default.jpg/extra",
    "/iiif/{m}/info.json/x",
    "/iiif/{m}/.info.json",
    "/iiif/-1/info.json",
    "/iiif/0/info.json",
    "/iiif/1e3/info.json",
    "/iiif/99999999999999999999999/info.json",
    "/iiif/{m}/0,0,99999999,99999999/512,512/0/default.jpg",
    "/iiif/{m}/0,0,100000,100000/512,512/0/default.jpg",
    "/iiif/{m}/0,0,512,512/99999,99999/0/default.jpg",
    "/iiif/{m}/full/full/0/default.jpg",
    "/iiif/{m}/full/max/0/default.jpg",
    "/iiif/{m}/full/^max/0/default.jpg",
    "/iiif/{m}/pct:0,0,100,100/max/0/default.jpg",
    "/iiif/{m}/square/512,/0/default.jpg",
    "/iiif/{m}/0,0,512,512/512,/0/default.jpg",
    "/iiif/{m}/0,0,512,512/512,512/90/default.jpg",
    "/iiif/{m}/0,0,512,512/512,512/!0/default.jpg",
    "/iiif/{m}/0,0,512,512/512,512/0/gray.jpg",
    "/iiif/{m}/0,0,512,512/512,512/0/default.png",
    "/iiif/{m}/0,0,512,512/512,512/0/default.jpg.jpg",
    "/iiif/{m}/-0,0,512,512/512,512/0/default.jpg",
    "/iiif/{m}/00,0,512,512/512,512/0/default.jpg",
    "/iiif/{m}/0,0,512,512/512,512/0/" + "a" * 3000 + ".jpg",
    "/iiif/{m}/" + ",".join(["1"] * 2000) + "/512,512/0/default.jpg",
    "/hien-vat/{o}/manifest.json/..",
    "/hien-vat/..%2F{o}/manifest.json",
    "/hien-vat/{o}x/manifest.json",
]


def test_hostile_paths_are_400_or_404(s):
    oid, mid = public_photo(s)
    with open(os.path.join(s.data, "sen.db"), "rb") as f:
        db_head = f.read(16)
    for attack in ATTACKS:
        path = attack.format(m=mid, o=oid)
        r = s.get(path)
        assert r.status in (400, 404, 414), (path, r.status)
        assert db_head not in r.body and b"root:" not in r.body
        assert "access-control-allow-origin" not in r.headers, path
    # The server is still answering, and logged no crash.
    assert s.get(f"/iiif/{mid}/info.json").status == 200


def test_manifest(s):
    oid, mid = public_photo(s)
    r = s.get(f"/hien-vat/{oid}/manifest.json")
    m = json_ld(r, "http://iiif.io/api/presentation/3/context.json")
    base = re.match(r"(https?://[^/]+)/", m["id"]).group(1)
    assert m["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert m["type"] == "Manifest" and m["id"] == f"{base}/hien-vat/{oid}/manifest.json"
    name = one(s, "SELECT name FROM objects WHERE id = ?", oid)[0]
    assert m["label"] == {"vi": [name], "en": [name]}
    assert m["rights"] == "http://rightsstatements.org/vocab/InC/1.0/"
    rs = m["requiredStatement"]
    assert rs["label"]["vi"] == ["Nguồn"] and rs["label"]["en"] == ["Attribution"]
    assert rs["value"]["vi"][0] and rs["value"]["en"][0]
    assert m["homepage"][0]["id"] == f"{base}/hien-vat/{oid}"
    # Metadata: public fields in both languages, never what the museum
    # keeps to itself.
    labels = [e["label"]["en"][0] for e in m["metadata"]]
    assert "Registration number" in labels and "Material" in labels
    for e in m["metadata"]:
        assert set(e) == {"label", "value"} and set(e["label"]) == {"vi", "en"}
    text = r.text.lower()
    value, notes = one(s, "SELECT value, notes FROM objects WHERE id = ?", oid)
    for secret in ("giá trị", "ghi chú", "vị trí", "donor", "kho ", "storage"):
        assert secret not in text, secret
    if notes:
        assert notes.lower() not in text
    # One canvas per photo, in order with the lead first; each paints its
    # picture and points at the tile service.
    photos = rows(s, "SELECT media_id FROM object_media WHERE object_id = ?"
                     " ORDER BY lead DESC, position", oid)
    assert len(m["items"]) == len(photos)
    for i, (canvas, (pid,)) in enumerate(zip(m["items"], photos), 1):
        assert canvas["type"] == "Canvas" and canvas["id"].endswith(f"/canvas/{i}")
        assert canvas["width"] > 0 and canvas["height"] > 0 and canvas["label"]
        page = canvas["items"][0]
        assert page["type"] == "AnnotationPage" and page["id"].startswith(canvas["id"])
        ann = page["items"][0]
        assert ann["type"] == "Annotation" and ann["motivation"] == "painting"
        assert ann["target"] == canvas["id"]
        body = ann["body"]
        assert body["type"] == "Image" and body["format"] in ("image/jpeg", "image/png")
        assert s.get(body["id"][len(base):]).status == 200
        svc = body["service"][0]
        assert svc == {"id": f"{base}/iiif/{pid}", "type": "ImageService3", "profile": "level0"}
        info = s.get(f"/iiif/{pid}/info.json").json()
        assert info["id"] == svc["id"]
        assert (canvas["width"], canvas["height"]) == (info["width"], info["height"])
    ids = [c["id"] for c in m["items"]]
    assert len(set(ids)) == len(ids)
    assert photos[0][0] == mid


def test_new_photo_gets_tiles_in_the_background(s):
    """A photo added to a card through the back office is tiled by the
    worker without anything else to do."""
    from admin_client import csrf_of
    b = browser(s, "baotang")
    oid = one(s, "SELECT id FROM objects WHERE public = 1 AND NOT EXISTS (SELECT 1 FROM"
                 " object_media p WHERE p.object_id = objects.id) ORDER BY id LIMIT 1")[0]
    mid = one(s, "SELECT id FROM media WHERE id NOT IN (SELECT media_id FROM object_media)"
                 " AND mime LIKE 'image/%' AND id NOT IN (SELECT media_id FROM media_jobs)"
                 " ORDER BY id LIMIT 1")[0]
    page = b.get(f"/admin/so-dang-ky/{oid}/anh")
    token = csrf_of(page.text, f"/admin/so-dang-ky/{oid}/anh")
    r = b.post(f"/admin/so-dang-ky/{oid}/anh", [("csrf", token), ("action", "add"), ("q", ""),
                                               ("media", str(mid))])
    assert r.status == 303, r.text[:300]
    deadline = time.time() + 60
    while time.time() < deadline:
        got = one(s, "SELECT state FROM media_tiles WHERE media_id = ?", mid)
        if got and got[0] == 1:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("no tiles within 60 s")
    assert s.get(f"/iiif/{mid}/info.json").status == 200
    m = s.get(f"/hien-vat/{oid}/manifest.json").json()
    assert m["items"][0]["items"][0]["items"][0]["body"]["service"][0]["id"].endswith(f"/iiif/{mid}")
