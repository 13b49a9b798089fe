"""Issue 3: "Tin liên quan" (related news) with editors' pins and exclusions from the
command line, and the "Liên kết website" block managed with `sen links`."""
import json
import os
import re
import time
import urllib.parse

from harness import Server

UA = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) SenTest/related"}
SEED_SLUG = "hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021"


def setup_module(sen):
    s = Server(sen).start()
    items = s.all = s.published_articles()
    s.seed = [i for i in items if i["slug"] == SEED_SLUG][0]
    return s


def teardown_module(s):
    s.close()


def path_of(url):
    return urllib.parse.urlsplit(url).path


def related_api(s, aid):
    r = s.get(f"/api/v1/articles/{aid}")
    assert r.status == 200
    return r.json()["related"]


def related_section(html):
    m = re.search(r'<section class="block related" id="tin-lien-quan"[^>]*>(.*?)</section>', html, re.S)
    assert m, "no related section"
    sec = m.group(1)
    assert "Tin liên quan</h2>" in sec
    return re.findall(r'<li><a href="([^"]+)">([^<]*)</a>', sec)


def page(s, path):
    r = s.get(path, headers=UA)
    assert r.status == 200, (path, r.status)
    return r.text


def sen_ok(s, *args):
    r = s.run(*args, "--data", s.data)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    return r.stdout


def sen_fails(s, code, *args):
    r = s.run(*args, "--data", s.data)
    assert r.returncode == code, (args, r.returncode, r.stdout, r.stderr)
    return r.stderr


# ---- related news ------------------------------------------------------------------

def test_related_on_the_seed_article(s):
    # Earlier cases change pins from another process (the CLI); the server's
    # page cache shows such writes after at most a second.
    time.sleep(1.1)
    seed = s.seed
    html = page(s, path_of(seed["url"]))
    links = related_section(html)
    assert len(links) == 5, links
    own = path_of(seed["url"])
    assert own not in [u for u, _ in links], "an article is never related to itself"
    assert len(set(u for u, _ in links)) == 5, "no duplicates"
    # Every entry is a real, published article page.
    known = {path_of(i["url"]): i["title"] for i in s.all}
    for u, title in links:
        assert u in known, u
    # The API lists the same articles in the same order.
    api = related_api(s, seed["id"])
    assert [path_of(r["url"]) for r in api] == [u for u, _ in links]
    assert all(set(r) >= {"id", "title", "url"} for r in api)
    assert seed["id"] not in [r["id"] for r in api]


def test_related_is_never_empty_and_never_itself(s):
    for item in s.all:
        rel = related_api(s, item["id"])
        assert 1 <= len(rel) <= 5, (item["id"], rel)
        assert len(rel) == min(5, len(s.all) - 1)
        assert item["id"] not in [r["id"] for r in rel]


def test_related_scores_shared_words(s):
    """The seed article reports collecting 135 documents and artefacts in 2020: the
    article about appraising those 135 artefacts comes first."""
    titles = [r["title"] for r in related_api(s, s.seed["id"])]
    assert "135 tài liệu, hiện vật" in titles[0], titles


def test_pin_and_exclude_from_the_command_line(s):
    seed = s.seed
    before = related_api(s, seed["id"])
    ids = [r["id"] for r in before]
    outsider = [i for i in s.all if i["id"] not in ids and i["id"] != seed["id"]][-1]
    victim = ids[1]
    try:
        out = sen_ok(s, "related", "pin", str(seed["id"]), str(outsider["id"]))
        assert "Đã ghim" in out
        after = related_api(s, seed["id"])
        assert after[0]["id"] == outsider["id"], after
        assert len(after) == 5
        out = sen_ok(s, "related", "exclude", str(seed["id"]), str(victim))
        assert "Đã loại" in out
        after = related_api(s, seed["id"])
        assert victim not in [r["id"] for r in after]
        assert after[0]["id"] == outsider["id"] and len(after) == 5
        # The page follows once its one-second cache has expired.
        time.sleep(1.1)
        links = related_section(page(s, path_of(seed["url"])))
        assert links[0][0] == path_of(outsider["url"]), links
        assert path_of([i for i in s.all if i["id"] == victim][0]["url"]) not in [u for u, _ in links]
        # The command line shows what readers see.
        out = sen_ok(s, "related", "list", str(seed["id"]))
        lines = [l for l in out.splitlines() if re.match(r"\d+\. #", l)]
        assert len(lines) == 5 and lines[0].startswith(f"1. #{outsider['id']} "), out
        assert f"#{victim} " not in out
        # Pinning is one-way: the outsider's own list has no pin.
        other = related_api(s, outsider["id"])
        assert other[0]["id"] != outsider["id"] and len(other) == 5
        # Clearing one choice, then all of them, restores the computed list.
        out = sen_ok(s, "related", "clear", str(seed["id"]), str(victim))
        assert victim in [r["id"] for r in related_api(s, seed["id"])]
        sen_ok(s, "related", "clear", str(seed["id"]))
        assert [r["id"] for r in related_api(s, seed["id"])] == ids
        out = sen_ok(s, "related", "clear", str(seed["id"]))
        assert "không có lựa chọn" in out
    finally:
        s.run("related", "clear", str(seed["id"]), "--data", s.data)


def test_related_command_errors(s):
    sid = str(s.seed["id"])
    before = [r["id"] for r in related_api(s, s.seed["id"])]
    err = sen_fails(s, 1, "related", "pin", sid, sid)
    assert "chính nó" in err
    err = sen_fails(s, 1, "related", "pin", sid, "987654")
    assert "Không có bài viết" in err
    err = sen_fails(s, 1, "related", "exclude", "987654", sid)
    assert "Không có bài viết" in err
    err = sen_fails(s, 1, "related", "list", "987654")
    assert "Không có bài viết #987654" in err
    for bad in ("abc", "0", "-5", "1.5", "99999999999999999999"):
        err = sen_fails(s, 1, "related", "pin", sid, bad)
        assert "không hợp lệ" in err, (bad, err)
    sen_fails(s, 2, "related")
    sen_fails(s, 2, "related", "pin", sid)
    sen_fails(s, 2, "related", "pin", sid, sid, sid)
    sen_fails(s, 2, "related", "shuffle", sid)
    sen_fails(s, 2, "related", "list", sid, "--bogus")
    for cmd in ("related", "links"):
        r = s.run(cmd, "--help")
        assert r.returncode == 0 and "Cách dùng" in r.stdout, cmd
    # No choice was stored by any of these.
    assert [r["id"] for r in related_api(s, s.seed["id"])] == before


def test_related_index_built_after_import(ctx):
    """`sen import` does not index related news; `sen serve` indexes what is missing when
    it starts, so two imported articles about the same thing find each other even when a
    newer article of the same category exists."""
    s = Server(ctx.sen, demo=False)
    try:
        f = os.path.join(s.data, "a.jsonl")
        rows = [
            {"title": "Trưng bày chuyên đề gốm sứ Chu Đậu", "category": "Trưng bày",
             "body": "Bảo tàng giới thiệu hơn 100 hiện vật gốm sứ Chu Đậu, men lam, thế kỷ XV.",
             "published_at": "2021-03-01T08:00:00+07:00"},
            {"title": "Sưu tầm bình gốm sứ Chu Đậu men lam", "category": "Trưng bày",
             "body": "Hiện vật gốm sứ Chu Đậu men lam vừa được sưu tầm tại Hải Dương.",
             "published_at": "2021-01-01T08:00:00+07:00"},
        ] + [
            {"title": f"Giải bóng chuyền hơi thiếu niên lần thứ {n}", "category": "Trưng bày",
             "body": f"Giải thể thao lần thứ {n} dành cho thiếu niên các xã vùng cao.",
             "published_at": f"2021-0{n + 3}-01T08:00:00+07:00"}
            for n in range(1, 6)
        ]
        with open(f, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        assert s.run("import", "articles", f, "--data", s.data).returncode == 0
        s.start()
        assert "related news: indexed 7 articles" in s.read_log()
        items = s.get("/api/v1/articles").json()["items"]
        by_title = {i["title"]: i for i in items}
        a = by_title["Trưng bày chuyên đề gốm sứ Chu Đậu"]
        b = by_title["Sưu tầm bình gốm sứ Chu Đậu men lam"]
        # b is the oldest article of the category: only shared words put it first.
        assert related_api(s, a["id"])[0]["id"] == b["id"]
        assert related_api(s, b["id"])[0]["id"] == a["id"]
        links = related_section(page(s, path_of(a["url"])))
        assert links[0][0] == path_of(b["url"])
    finally:
        s.close()


# ---- links ------------------------------------------------------------------------

def sidebar_links(html):
    m = re.search(r'<section class="widget widget-links" id="lien-ket-website">(.*?)</section>',
                  html, re.S)
    assert m, "no links block"
    assert "Liên kết website" in m.group(1)
    return re.findall(r'<li><a href="([^"]*)"([^>]*)>([^<]*)</a></li>', m.group(1))


def listed(s):
    out = sen_ok(s, "links", "list")
    rows = []
    for line in out.splitlines()[1:]:
        parts = line.split()
        rows.append((int(parts[0]), int(parts[1]), parts[-1]))
    return rows


def test_links_add_list_move_remove(s):
    before = listed(s)
    assert len(before) == 8 and [r[0] for r in before] == list(range(1, 9))
    out = sen_ok(s, "links", "add", "Bảo tàng Hồ Chí Minh", "https://baotanghochiminh.vn")
    new_id = int(re.search(r"#(\d+)", out).group(1))
    out2 = sen_ok(s, "links", "add", "Tin hoạt động của Bảo tàng", "/tin-hoat-dong")
    internal_id = int(re.search(r"#(\d+)", out2).group(1))
    try:
        rows = listed(s)
        assert rows[-2] == (9, new_id, "https://baotanghochiminh.vn")
        assert rows[-1] == (10, internal_id, "/tin-hoat-dong")
        time.sleep(1.1)
        side = sidebar_links(page(s, "/"))
        assert [u for u, _, _ in side] == [r[2] for r in rows]
        ext = [x for x in side if x[0] == "https://baotanghochiminh.vn"][0]
        assert 'rel="noopener noreferrer"' in ext[1] and ext[2] == "Bảo tàng Hồ Chí Minh"
        internal = [x for x in side if x[0] == "/tin-hoat-dong"][0]
        assert "rel=" not in internal[1], "a link inside the site opens normally"
        # Every page carries the block, in the same order.
        art = sidebar_links(page(s, path_of(s.seed["url"])))
        assert art == side

        out = sen_ok(s, "links", "move", str(new_id), "1")
        rows = listed(s)
        assert rows[0][1] == new_id and [r[0] for r in rows] == list(range(1, 11))
        out = sen_ok(s, "links", "move", str(internal_id), "3")
        rows = listed(s)
        assert rows[2][1] == internal_id
        time.sleep(1.1)
        side = sidebar_links(page(s, "/"))
        assert [u for u, _, _ in side] == [r[2] for r in rows]
        assert side[0][0] == "https://baotanghochiminh.vn" and side[2][0] == "/tin-hoat-dong"
    finally:
        sen_ok(s, "links", "remove", str(new_id))
        sen_ok(s, "links", "remove", str(internal_id))
    rows = listed(s)
    assert [r[1] for r in rows] == [r[1] for r in before]
    assert [r[0] for r in rows] == list(range(1, 9))
    time.sleep(1.1)
    side = sidebar_links(page(s, "/"))
    assert "https://baotanghochiminh.vn" not in [u for u, _, _ in side]
    assert len(side) == 8


def test_links_refuse_unsafe_urls(s):
    before = listed(s)
    for url, why in [("javascript:alert(1)", "phải bắt đầu bằng http://"),
                     ("JavaScript:alert(1)", "phải bắt đầu bằng http://"),
                     ("data:text/html,<b>x</b>", "ký tự không hợp lệ"),
                     ("//evil.example", "phải bắt đầu bằng http://"),
                     ("https://user@evil.example", "@"),
                     ('https://x.vn/" onmouseover="alert(1)', "ký tự không hợp lệ"),
                     ("", "không được để trống")]:
        err = sen_fails(s, 1, "links", "add", "Liên kết xấu", url)
        assert "Không thêm được liên kết" in err and why in err, (url, err)
    err = sen_fails(s, 1, "links", "add", "   ", "https://ok.vn")
    assert "Tên liên kết không được để trống" in err
    err = sen_fails(s, 1, "links", "add", "x" * 201, "https://ok.vn")
    assert "dài quá" in err
    assert listed(s) == before, "nothing was stored"


def test_links_command_errors(s):
    err = sen_fails(s, 1, "links", "remove", "987654")
    assert "Không có liên kết #987654" in err
    err = sen_fails(s, 1, "links", "move", "987654", "1")
    assert "Không có liên kết #987654" in err
    err = sen_fails(s, 1, "links", "remove", "abc")
    assert "không hợp lệ" in err
    err = sen_fails(s, 1, "links", "move", str(listed(s)[0][1]), "đầu")
    assert "Vị trí không hợp lệ" in err
    sen_fails(s, 2, "links")
    sen_fails(s, 2, "links", "add", "chỉ có tên")
    sen_fails(s, 2, "links", "list", "thừa")
    sen_fails(s, 2, "links", "xoay")
    r = s.run("links", "list", "--data", os.path.join(s.data, "khong-co"))
    assert r.returncode == 1 and "sen init" in r.stderr
