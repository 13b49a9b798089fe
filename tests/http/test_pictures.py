"""Issue 17, pictures: every picture gets its variants (widths for srcset, WebP beside
the original's format) whichever way it came in: `sen init --demo`, `sen import
articles`, uploads (test_media), and pictures of an existing database through `sen media
variants` or, slowly, the server's own worker. Pages show them as <picture> with WebP
srcset, sizes, width and height, pictures placed in the article text included.
"""
import json
import os
import re
import time
import urllib.parse

from harness import Server
from test_media import png

WIDTHS = (320, 800, 1600)  # MEDIA_IMAGE_WIDTHS


def expected(width, mime):
    """How many variants a complete picture has (src/model/media_image.c)."""
    return len({min(w, width) for w in WIDTHS}) * (1 if mime == "image/webp" else 2)


def pictures(s):
    with s.db() as c:
        return c.execute("SELECT m.id, m.mime, m.width, (SELECT count(*) FROM media_variants v"
                         " WHERE v.media_id = m.id) FROM media m ORDER BY m.id").fetchall()


def incomplete(s):
    return [p[0] for p in pictures(s) if p[3] < expected(p[2], p[1])]


def variant_files(s):
    with s.db() as c:
        return [r[0] for r in c.execute("SELECT file FROM media_variants ORDER BY file")]


def drop_variants(s, where="1"):
    """What a database from before looks like: the rows and files of the variants gone."""
    with s.db() as c:
        gone = [r[0] for r in c.execute(f"SELECT file FROM media_variants WHERE {where}")]
        c.execute(f"DELETE FROM media_variants WHERE {where}")
    for f in gone:
        os.unlink(os.path.join(s.data, "media", f))
    return gone


def setup_module(sen):
    return Server(sen)  # `sen init --demo`, not started


def teardown_module(s):
    s.close()


def test_demo_pictures_have_variants(s):
    pics = pictures(s)
    assert len(pics) >= 20, pics
    assert incomplete(s) == []
    files = variant_files(s)
    assert sum(f.endswith(".webp") for f in files) * 2 == len(files), files[:6]
    for f in files:
        assert os.path.getsize(os.path.join(s.data, "media", f)) > 0, f


def test_import_makes_variants(main):
    s = Server(main.sen, demo=False)
    try:
        for name, (w, h) in {"lon.png": (1000, 600), "nho.png": (300, 200)}.items():
            with open(os.path.join(s.data, name), "wb") as f:
                f.write(png(w, h))
        # lon.png is placed in the text with no words at all ("Chèn vào nội dung"
        # with an empty caption); nho.png is listed under the text.
        line = {"title": "Ảnh nhập từ cổng cũ", "body": "Mở đầu.\n\n![](lon.png)\n\nHết.",
                "category": "Tin", "published_at": "2020-01-01T08:00:00+07:00",
                "images": [{"src": "lon.png"}, {"src": "nho.png", "caption": "Bình gốm"}]}
        path = os.path.join(s.data, "a.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        r = s.run("import", "articles", path, "--data", s.data)
        assert r.returncode == 0, r.stderr
        pics = pictures(s)
        assert len(pics) == 2 and incomplete(s) == [], pics
        # 1000 wide: 320, 800 and its own 1000 (never enlarged); 300 wide: one width.
        assert sorted(p[3] for p in pics) == [2, 6], pics
        assert r.stdout.strip().endswith("Đã nhập 1 bài viết."), r.stdout
        with s.db() as c:
            c.execute("UPDATE media SET credit = 'Ảnh: Bảo tàng <Điện Biên>' WHERE id = ?",
                      (pics[0][0],))
        s.start()
        page = s.get(urllib.parse.urlsplit(s.published_articles()[0]["url"]).path).text
        body = page[page.index('<div class="article-body">'):page.index("</article>")]
        placed = body[body.index("Mở đầu."):body.index("Hết.")]
        # The picture in the text: WebP and PNG at every width, sizes, width and height,
        # lazy, the credit (escaped), and the title for alt since nothing else says more.
        assert placed.count("<figure") == 1 and "<picture>" in placed, placed
        assert re.search(r'<source type="image/webp" srcset="/media/\w+-320\.webp 320w, '
                         r'/media/\w+-800\.webp 800w, /media/\w+-1000\.webp 1000w" sizes="', placed), placed
        assert re.search(r'<img src="/media/\w+-800\.png" srcset="/media/\w+-320\.png 320w, ', placed)
        assert 'alt="Ảnh nhập từ cổng cũ"' in placed and 'width="800" height="480"' in placed, placed
        assert 'loading="lazy"' in placed
        assert '<span class="figure-credit">Ảnh: Bảo tàng &lt;Điện Biên&gt;</span>' in placed, placed
        assert not re.search(r'src="/media/\w+\.png"', placed), "the original is still sent"
        # The other picture is listed under the text, with its caption as alt.
        after = body[body.index("Hết."):]
        assert after.count("<figure") == 1 and 'alt="Bình gốm"' in after, after
        assert "<figcaption>Bình gốm</figcaption>" in after, after
    finally:
        s.close()


def test_command_fills_what_is_missing_and_then_nothing(s):
    before = variant_files(s)
    n = len(pictures(s))
    first = pictures(s)[0][0]
    drop_variants(s, f"media_id <> {first}")
    assert len(incomplete(s)) == n - 1
    r = s.run("media", "variants", "--data", s.data)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{n - 1} ảnh thiếu bản thu nhỏ." in r.stdout, r.stdout
    assert f"Ảnh {n - 1}/{n - 1} " in r.stdout, r.stdout
    assert f"Đã làm bản thu nhỏ cho {n - 1} ảnh; 0 ảnh lỗi." in r.stdout, r.stdout
    assert incomplete(s) == [] and variant_files(s) == before
    stamps = {f: os.stat(os.path.join(s.data, "media", f)).st_mtime_ns for f in before}
    again = s.run("media", "variants", "--data", s.data)
    assert again.returncode == 0 and again.stdout == "Mọi ảnh đã có đủ bản thu nhỏ.\n", again.stdout
    assert {f: os.stat(os.path.join(s.data, "media", f)).st_mtime_ns for f in before} == stamps


def test_server_fills_missing_variants_itself(s):
    last = pictures(s)[-1][0]
    drop_variants(s, f"media_id = {last}")
    assert incomplete(s) == [last]
    s.start()
    try:
        deadline = time.time() + 90
        while incomplete(s) and time.time() < deadline:
            time.sleep(0.5)
        assert incomplete(s) == [], "the worker did not complete the picture"
    finally:
        s.stop_cleanly()
