#!/usr/bin/env python3
"""Search and page cost with many articles (issue 4).

For each size (default 1,000 and 100,000 articles):
  1. generates that many realistic Vietnamese articles as JSON Lines (titles,
     summaries and Markdown bodies built from museum and history vocabulary
     and place names, with full diacritics; a fixed random seed, so every run
     writes the same file), then `sen init` and `sen import articles` on a
     fresh data directory, showing the importer's progress and timing it;
  2. starts `sen serve` (page cache off: SEN_PAGE_CACHE=0, so every page is
     rendered), waits until the related-news widget has indexed the imported
     articles in the background (its steady state), and, from one client on
     one keep-alive connection, times a mix of one-word, multi-word,
     accentless and phrase queries on /api/v1/search: a first pass (every
     word new to the server) reported apart, then --rounds timed passes
     (p50/p95/p99/max, overall and per kind);
  3. loads random article pages and random listing pages (category pages at
     random depths through their keyset cursors) with wrk and reports the
     server's CPU time per request (utime+stime from /proc).

Usage: search.py SEN_BINARY [--sizes 1000,100000] [--rounds 3] [--seconds 10]
                 [--threads 2] [--work DIR] [--keep] [--json FILE]
Quote the figures with the machine they ran on: these machines are shared.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

CLK = os.sysconf("SC_CLK_TCK")
VN = timezone(timedelta(hours=7))

# ---- vocabulary -------------------------------------------------------------------------

CATEGORIES = [("Tin hoạt động", 5), ("Trưng bày - Triển lãm", 3), ("Sưu tầm - Hiện vật", 3),
              ("Giáo dục - Trải nghiệm", 2), ("Thông báo", 1)]
SUBJECTS = ["Bảo tàng Chiến thắng lịch sử Điện Biên Phủ", "Bảo tàng tỉnh", "Ban Giám đốc Bảo tàng",
            "Phòng Nghiệp vụ", "Phòng Trưng bày", "Phòng Giáo dục - Truyền thông",
            "Hội đồng khoa học", "Sở Văn hóa, Thể thao và Du lịch", "Đoàn công tác của Bảo tàng",
            "các nhà nghiên cứu", "viên chức Bảo tàng", "Đoàn Thanh niên", "Ban Quản lý di tích",
            "Trung tâm Văn hóa tỉnh", "Hội Cựu chiến binh", "Công đoàn cơ sở",
            "Ủy ban nhân dân huyện", "Thư viện tỉnh", "các cựu chiến binh", "Đảng ủy Sở"]
VERBS = ["tổ chức", "tiếp nhận", "trưng bày", "giới thiệu", "sưu tầm", "bảo quản", "phục dựng",
         "số hóa", "khảo sát", "thẩm định", "tu bổ", "phối hợp thực hiện", "hướng dẫn",
         "tuyên truyền về", "kiểm kê", "chỉnh lý", "xây dựng", "biên soạn", "phát hành",
         "bàn giao", "nghiệm thu", "đón tiếp", "khai mạc", "tổng kết"]
OBJECTS = ["hiện vật", "tài liệu", "hình ảnh tư liệu", "kỷ vật", "bản đồ tác chiến",
           "di tích lịch sử", "chuyên đề", "triển lãm ảnh", "bộ sưu tập", "hồ sơ khoa học",
           "sa bàn", "khẩu pháo cao xạ", "xe đạp thồ", "quân phục", "thư từ thời chiến",
           "huân chương", "lá cờ truyền thống", "bức ảnh", "cuốn nhật ký", "bản thảo",
           "mô hình chiến hào", "phim tài liệu", "ấn phẩm", "tờ rơi", "bài thuyết minh",
           "hiện vật kim loại", "đồ gốm", "trang phục dân tộc", "nhạc cụ dân gian", "con đường"]
PLACES = ["Điện Biên Phủ", "Mường Phăng", "Mường Thanh", "Him Lam", "Độc Lập", "Hồng Cúm",
          "Tuần Giáo", "Lai Châu", "Sơn La", "Hà Nội", "Thái Nguyên", "Tuyên Quang", "Hòa Bình",
          "Đà Nẵng", "Huế", "Thành phố Hồ Chí Minh", "Pá Khoang", "Nậm Rốm", "Mường Nhé",
          "Tủa Chùa", "Điện Biên Đông", "Quảng Trị", "Đắk Lắk", "Cao Bằng", "Lạng Sơn",
          "Mường Lay", "Nậm Pồ", "Mường Chà", "Mường Ảng", "Thanh Hóa", "Nghệ An", "Phú Thọ",
          "Yên Bái", "Lào Cai", "Hà Giang", "Bắc Kạn", "Quảng Bình", "Kon Tum", "Gia Lai",
          "Cần Thơ", "Hải Phòng", "Nam Định", "Thái Bình", "Ninh Bình", "Hưng Yên"]
LANDMARKS = ["đồi A1", "hầm Đờ Cát", "cầu Mường Thanh", "đồi Độc Lập", "cứ điểm Him Lam",
             "Sở chỉ huy chiến dịch Mường Phăng", "nghĩa trang liệt sĩ đồi A1",
             "tượng đài Chiến thắng", "trận địa pháo Nà Nham", "sân bay Mường Thanh",
             "đồi C1", "đồi D1", "đường kéo pháo", "hầm chỉ huy", "đèo Pha Đin"]
PEOPLE = ["Đại tướng Võ Nguyên Giáp", "Chủ tịch Hồ Chí Minh", "anh hùng Phan Đình Giót",
          "anh hùng Tô Vĩnh Diện", "anh hùng Bế Văn Đàn", "anh hùng Trần Can",
          "nữ anh hùng Bùi Thị Cúc", "các chiến sĩ Điện Biên", "dân công hỏa tuyến",
          "thanh niên xung phong", "bộ đội Cụ Hồ", "các nghệ nhân", "đồng bào các dân tộc"]
TOPICS = ["Chiến dịch Điện Biên Phủ", "lịch sử kháng chiến", "văn hóa các dân tộc Tây Bắc",
          "truyền thống cách mạng", "di sản văn hóa", "chiến thắng lịch sử", "công tác bảo tàng",
          "giáo dục truyền thống", "du lịch lịch sử", "nghệ thuật quân sự", "hậu phương kháng chiến",
          "đường Trường Sơn", "thời kỳ đổi mới", "văn hóa Thái", "văn hóa Mông", "lễ hội truyền thống"]
TIMES = ["Sáng ngày {d}/{m}", "Chiều ngày {d}/{m}", "Trong tháng {m}", "Nhân dịp kỷ niệm {n} năm",
         "Đầu năm {y}", "Cuối năm {y}", "Trong năm {y}", "Vừa qua", "Ngày {d}/{m}/{y}",
         "Dịp Tết Nguyên đán", "Nhân Ngày Di sản văn hóa Việt Nam", "Trong đợt cao điểm"]
COMPLEMENTS = ["có giá trị lịch sử đặc biệt", "được bảo quản cẩn thận", "thu hút đông đảo du khách",
               "góp phần giáo dục truyền thống cho thế hệ trẻ", "mang ý nghĩa sâu sắc",
               "theo đúng quy trình chuyên môn", "với sự tham gia của nhiều đơn vị",
               "nhận được sự quan tâm của dư luận", "đạt kết quả tốt", "vượt kế hoạch đề ra",
               "trong không khí trang trọng", "bằng nhiều hình thức phong phú",
               "phục vụ nhu cầu tham quan, nghiên cứu", "được đánh giá cao",
               "lần đầu tiên được công bố", "do gia đình cựu chiến binh hiến tặng"]
AUDIENCES = ["học sinh", "sinh viên", "du khách", "cán bộ, đảng viên", "đoàn viên thanh niên",
             "người dân địa phương", "các cựu chiến binh", "khách quốc tế", "các em thiếu nhi"]
TAGS = ["Điện Biên Phủ", "hiện vật", "trưng bày", "giáo dục", "di tích", "tư liệu", "kỷ niệm",
        "du lịch", "sưu tầm", "bảo quản", "số hóa", "văn hóa", "lịch sử", "cựu chiến binh",
        "học sinh", "triển lãm", "Võ Nguyên Giáp", "Mường Phăng", "đồi A1", "hầm Đờ Cát"]


def zipf_pick(rng, items, s=1.0):
    """A random item, the first ones far more often (word use is Zipf-like)."""
    weights = zipf_pick.cache.get((id(items), s))
    if weights is None:
        weights = [1.0 / (i + 1) ** s for i in range(len(items))]
        zipf_pick.cache[(id(items), s)] = weights
    return rng.choices(items, weights)[0]


zipf_pick.cache = {}


def cap(s):
    return s[:1].upper() + s[1:]


def sentence(rng, y):
    t = rng.randrange(9)
    d, m, n = rng.randint(1, 28), rng.randint(1, 12), rng.choice([50, 60, 65, 67, 70])
    when = zipf_pick(rng, TIMES).format(d=d, m=m, y=y, n=n)
    subj, verb, obj = zipf_pick(rng, SUBJECTS), zipf_pick(rng, VERBS), zipf_pick(rng, OBJECTS)
    place, topic, comp = zipf_pick(rng, PLACES), zipf_pick(rng, TOPICS), zipf_pick(rng, COMPLEMENTS)
    if t == 0:
        return f"{when}, {subj} đã {verb} {rng.randint(2, 300)} {obj} về {topic} tại {place}."
    if t == 1:
        return f"{cap(subj)} {verb} {obj} {comp}."
    if t == 2:
        return f"Các {obj} gắn với {zipf_pick(rng, PEOPLE)} {comp}."
    if t == 3:
        return (f"Đây là dịp để {zipf_pick(rng, AUDIENCES)} tìm hiểu về {topic} và "
                f"{zipf_pick(rng, LANDMARKS)}.")
    if t == 4:
        return f"{when}, đoàn đã đến thăm {zipf_pick(rng, LANDMARKS)} và dâng hương tưởng niệm."
    if t == 5:
        return (f"Theo {subj}, trong số {obj} được {verb} có nhiều {zipf_pick(rng, OBJECTS)} "
                f"từ {place} {comp}.")
    if t == 6:
        return f"{cap(zipf_pick(rng, PEOPLE))} từng chiến đấu tại {zipf_pick(rng, LANDMARKS)}."
    if t == 7:
        return f"Hoạt động {verb} {obj} tại {place} {comp}, góp phần quảng bá {topic}."
    return f"{cap(zipf_pick(rng, AUDIENCES))} đến từ {place} bày tỏ xúc động khi xem {obj}."


def make_article(rng, i, start, span):
    when = start + timedelta(seconds=rng.randrange(span))
    y = when.year
    kind = rng.randrange(4)
    obj, place, topic = zipf_pick(rng, OBJECTS), zipf_pick(rng, PLACES), zipf_pick(rng, TOPICS)
    if kind == 0:
        title = f"{cap(zipf_pick(rng, VERBS))} {obj} về {topic} tại {place}"
    elif kind == 1:
        title = f"Trưng bày chuyên đề “{cap(topic)}” tại {place}"
    elif kind == 2:
        title = f"{cap(zipf_pick(rng, SUBJECTS))} {zipf_pick(rng, VERBS)} {obj} năm {y}"
    else:
        title = f"Đoàn {zipf_pick(rng, AUDIENCES)} tham quan {zipf_pick(rng, LANDMARKS)}"
    paragraphs = []
    for _ in range(rng.randint(4, 7)):
        paragraphs.append(" ".join(sentence(rng, y) for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.3:
        paragraphs.insert(2, "\n".join(f"- {cap(zipf_pick(rng, OBJECTS))} từ {zipf_pick(rng, PLACES)}"
                                       for _ in range(3)))
    if rng.random() < 0.2:
        paragraphs[1] = f"**{cap(zipf_pick(rng, LANDMARKS))}**. " + paragraphs[1]
    return {
        "title": title,
        "summary": sentence(rng, y),
        "body": "\n\n".join(paragraphs),
        "category": rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0],
        "published_at": when.isoformat(timespec="seconds"),
        "tags": rng.sample(TAGS, rng.randint(1, 4)),
    }


def generate(path, n, seed=4):
    rng = random.Random(seed)
    start = datetime(2005, 1, 1, 8, 0, tzinfo=VN)
    span = int((datetime(2024, 12, 31, tzinfo=VN) - start).total_seconds())
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(make_article(rng, i, start, span), ensure_ascii=False))
            f.write("\n")


# The queries readers type: four kinds, 12 each.
QUERIES = {
    "one-word": ["pháo", "hầm", "Mường", "gốm", "nhật ký", "huân chương", "Giáp", "dân công",
                 "bảo tàng", "hiện vật", "Huế", "đường"],
    "multi-word": ["bảo tàng điện biên", "hiện vật chiến dịch", "Đại tướng Võ Nguyên Giáp",
                   "xe đạp thồ Tuần Giáo", "trưng bày chuyên đề lịch sử", "học sinh tham quan đồi A1",
                   "số hóa tài liệu", "văn hóa Thái Mường Lay", "cựu chiến binh hiến tặng kỷ vật",
                   "phim tài liệu kháng chiến", "bộ sưu tập đồ gốm", "lễ hội truyền thống Tây Bắc"],
    "accentless": ["dien bien phu", "muong phang", "vo nguyen giap", "hien vat", "ham do cat",
                   "cau muong thanh", "xe dap tho", "bao tang tinh", "to vinh dien", "den pha din",
                   "trang phuc dan toc", "quan phuc"],
    "phrase": ['"hầm Đờ Cát"', '"cầu Mường Thanh"', '"bao tang chien thang"',
               '"Đại tướng Võ Nguyên Giáp"', '"xe đạp thồ"', '"đồi A1"', '"trận địa pháo"',
               '"văn hóa các dân tộc Tây Bắc"', '"dan cong hoa tuyen"', '"hiện vật kim loại"',
               '"sân bay Mường Thanh"', '"đường kéo pháo"'],
}

# ---- processes ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def prepare(sen, work, n, reuse=False):
    data = os.path.join(work, f"data-{n}")
    jsonl = os.path.join(work, f"articles-{n}.jsonl")
    if reuse and os.path.exists(os.path.join(data, "sen.db")):
        print(f"  reusing {data} (no import timed)", flush=True)
        size = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data)
                   if f.startswith("sen.db"))
        return data, None, size
    if not os.path.exists(jsonl):
        t0 = time.time()
        generate(jsonl, n)
        print(f"  generated {n:,} articles ({os.path.getsize(jsonl) / 1e6:.0f} MB) "
              f"in {time.time() - t0:.1f} s", flush=True)
    shutil.rmtree(data, ignore_errors=True)
    subprocess.run([sen, "init", "--data", data], check=True, stdout=subprocess.DEVNULL)
    t0 = time.time()
    # The importer's own progress line goes to stderr (SEN_PROGRESS: also
    # when stderr is not a terminal).
    subprocess.run([sen, "import", "articles", jsonl, "--data", data], check=True,
                   env=dict(os.environ, SEN_PROGRESS="1"))
    seconds = time.time() - t0
    wal = os.path.join(data, "sen.db-wal")
    wal_mb = os.path.getsize(wal) / 1e6 if os.path.exists(wal) else 0
    # `sen import` leaves its one big transaction in the WAL; a running
    # server copies it back only by and by, and reads are slower meanwhile.
    # The figures are for the steady state, so copy it back now.
    import sqlite3
    db = sqlite3.connect(os.path.join(data, "sen.db"))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = os.path.getsize(os.path.join(data, "sen.db"))
    print(f"  imported in {seconds:.1f} s ({n / seconds:,.0f} articles/s); "
          f"database {size / 1e6:.0f} MB (the WAL held {wal_mb:.0f} MB after the import; "
          f"checkpointed)", flush=True)
    return data, seconds, size


class Client:
    """One keep-alive connection, as one reader's browser would use."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {}   # sent with every request (a session cookie)

    def get(self, path):
        for attempt in (0, 1):
            try:
                self.conn.request("GET", path, headers=self.headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def time_queries(client, rounds, pid=None):
    per_kind, totals, first = {k: [] for k in QUERIES}, {}, []
    # The first pass meets every word for the first time (sen_rank counts its
    # articles then, unless the warm-up did); it is reported apart as "first".
    # Server CPU per query is reported too: on a shared machine it moves
    # less with the load than the latency does.
    c0 = cpu_ticks(pid) if pid else 0
    for kind, qs in QUERIES.items():
        for q in qs:
            t0 = time.perf_counter()
            client.get("/api/v1/search?q=" + urllib.parse.quote(q))
            first.append((time.perf_counter() - t0) * 1000)
    c1 = cpu_ticks(pid) if pid else 0
    for _ in range(rounds):
        for kind, qs in QUERIES.items():
            for q in qs:
                t0 = time.perf_counter()
                status, body = client.get("/api/v1/search?q=" + urllib.parse.quote(q))
                ms = (time.perf_counter() - t0) * 1000
                if status != 200:
                    raise SystemExit(f"search {q!r}: HTTP {status}: {body[:200]!r}")
                per_kind[kind].append(ms)
                totals[q] = json.loads(body)["total"]
    c2 = cpu_ticks(pid) if pid else 0
    every = [x for v in per_kind.values() for x in v]
    out = {"all": summary(every), "first": summary(first)}
    if pid:
        out["first"]["cpu_ms"] = round((c1 - c0) * 1000 / CLK / len(first), 2)
        out["all"]["cpu_ms"] = round((c2 - c1) * 1000 / CLK / len(every), 2)
    for k, v in per_kind.items():
        out[k] = summary(v)
    out["matches"] = totals
    return out


def summary(v):
    return {"n": len(v), "p50_ms": round(pct(v, 50), 2), "p95_ms": round(pct(v, 95), 2),
            "p99_ms": round(pct(v, 99), 2), "max_ms": round(max(v), 2),
            "mean_ms": round(statistics.mean(v), 2)}


def sample_paths(client, n_articles, rng, count=400):
    """Random article pages and random listing pages (category pages at random
    depths, through the keyset cursor of a random article)."""
    articles, listings = [], []
    tries = 0
    while len(articles) < count and tries < count * 4:
        tries += 1
        aid = rng.randint(1, n_articles)
        status, body = client.get(f"/api/v1/articles/{aid}")
        if status != 200:
            continue
        a = json.loads(body)
        articles.append(urllib.parse.urlsplit(a["url"]).path)
        ts = int(datetime.fromisoformat(a["published_at"]).timestamp())
        listings.append(f"/{a['category']}?sau={ts}-{a['id']}")
    cats = sorted({p.split("?")[0] for p in listings})
    listings += cats  # first pages too
    return articles, listings


def wrk_cpu(url_base, paths, pid, seconds, work, name, extra=()):
    script = os.path.join(work, f"{name}.lua")
    with open(script, "w") as f:
        f.write("paths = {\n" + ",\n".join(json.dumps(p) for p in paths) + "\n}\n")
        f.write("math.randomseed(4)\nrequest = function()\n"
                "  return wrk.format(nil, paths[math.random(#paths)])\nend\n")
    before = cpu_ticks(pid)
    out = subprocess.run(["wrk", "-t1", "-c4", f"-d{seconds}s", "-s", script, *extra, url_base],
                         capture_output=True, text=True).stdout
    after = cpu_ticks(pid)
    reqs = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"requests": reqs, "rps": rps, "non_2xx": int(bad.group(1)) if bad else 0,
            "cpu_us_per_req": round((after - before) * 1e6 / CLK / reqs, 1) if reqs else None}


def wrk_ratio(base, kind, pages, articles, pid, seconds, work, extra=(), passes=2):
    """Server CPU per request of pages against article pages (wrk_cpu),
    alternating in the same run, passes times: [{kind, "article", "ratio"}].
    extra goes with the pages only (a session cookie)."""
    runs = []
    for i in range(passes):
        page = wrk_cpu(base, pages, pid, seconds, work, f"{kind}-{i}", extra)
        art = wrk_cpu(base, articles, pid, seconds, work, f"articles-{i}")
        runs.append({kind: page, "article": art,
                     "ratio": round(page["cpu_us_per_req"] / art["cpu_us_per_req"], 2)})
        print(f"  {kind} {page['cpu_us_per_req']} µs CPU/request ({page['non_2xx']} non-2xx), "
              f"article {art['cpu_us_per_req']} µs ({art['non_2xx']} non-2xx): "
              f"{runs[-1]['ratio']}×", flush=True)
    return runs


def wait_related_index(data, proc, timeout=3600):
    """The related-news widget indexes imported articles in the background
    (src/portal/visits.c), and each article page recomputes its list while
    that goes on. Pages are measured once it is done: the steady state."""
    import sqlite3
    db = sqlite3.connect(f"file:{os.path.join(data, 'sen.db')}?mode=ro", uri=True)
    t0 = time.time()
    try:
        while time.time() - t0 < timeout:
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}")
            try:
                total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
                done = db.execute("SELECT count(*) FROM related_state").fetchone()[0]
            except sqlite3.OperationalError:
                return 0.0   # no related-news widget in this build
            if done >= total:
                return time.time() - t0
            print(f"\r  waiting for the related-news index: {done:,}/{total:,}", end="",
                  flush=True)
            time.sleep(2)
        raise SystemExit("the related-news index did not finish")
    finally:
        db.close()


def wait_warm_up(log_path, proc, timeout):
    """`sen serve` counts the most common words ahead for the ranking, on a
    background thread at start-up (search_warm_start, src/model/search_warm.c),
    and logs "search: counted N common words ahead in T ms" when done. The
    figures are for a server that has been up for a while, so wait for it
    (a build without the warm-up never logs it: then timeout seconds pass)."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        with open(log_path, encoding="utf-8", errors="replace") as f:
            m = re.search(r"search: counted (\d+) common words ahead in (\d+) ms", f.read())
        if m:
            return int(m.group(1)), int(m.group(2))
        time.sleep(0.5)
    return None


def measure(sen, data, n, args, work):
    port = free_port()
    env = dict(os.environ, SEN_PAGE_CACHE="0")
    log_path = os.path.join(work, f"serve-{n}.log")
    log = open(log_path, "w")
    proc = subprocess.Popen([sen, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
                             "--threads", str(args.threads), "--quiet"], env=env, stderr=log)
    try:
        wait_port(port, proc)
        waited = wait_related_index(data, proc)
        if waited > 1:
            print(f"\n  related-news index done after {waited:.0f} s", flush=True)
        warm = wait_warm_up(log_path, proc, args.warm_wait)
        if warm:
            print(f"  warm-up: {warm[0]:,} common words counted ahead in {warm[1]:,} ms",
                  flush=True)
        client = Client(port)
        res = {"search": time_queries(client, args.rounds, proc.pid)}
        res["warm_up"] = {"words": warm[0], "ms": warm[1]} if warm else None
        rng = random.Random(7)
        articles, listings = sample_paths(client, n, rng)
        base = f"http://127.0.0.1:{port}"
        res["article_page"] = wrk_cpu(base, articles, proc.pid, args.seconds, work, f"articles-{n}")
        res["listing_page"] = wrk_cpu(base, listings, proc.pid, args.seconds, work, f"listings-{n}")
        return res
    finally:
        stop_server(proc, log)


def work_folder(given, prefix):
    """The folder given (made if missing), or a new temporary one."""
    if given:
        os.makedirs(given, exist_ok=True)
        return given
    work = tempfile.mkdtemp(prefix=prefix)
    # Started as root (the default), `sen serve` drops to its account (`sen` or
    # `nobody`), which must reach the data directory inside this folder: mkdtemp
    # makes it 0700 and root's.
    os.chmod(work, 0o755)
    return work


def stop_server(proc, log, timeout=20):
    """SIGTERM, then SIGKILL past timeout seconds; closes the server's log."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sen")
    ap.add_argument("--sizes", default="1000,100000")
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the 48 queries")
    ap.add_argument("--seconds", type=int, default=10, help="wrk run per page kind")
    ap.add_argument("--threads", type=int, default=2, help="server threads")
    ap.add_argument("--work", default=None, help="folder for JSONL and data (kept)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--reuse", action="store_true",
                    help="with --work: use data already imported there (import not timed)")
    ap.add_argument("--warm-wait", type=float, default=60,
                    help="seconds to wait for the search warm-up's log line")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    sen = os.path.abspath(args.sen)
    work = work_folder(args.work, "sen-bench-search-")
    results = {}
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            print(f"== {n:,} articles", flush=True)
            data, seconds, size = prepare(sen, work, n, args.reuse)
            r = measure(sen, data, n, args, work)
            r["import_s"] = round(seconds, 1) if seconds is not None else None
            r["db_mb"] = round(size / 1e6)
            results[n] = r
            s = r["search"]
            print(f"  search p50 {s['all']['p50_ms']} ms, p95 {s['all']['p95_ms']} ms, "
                  f"p99 {s['all']['p99_ms']} ms, max {s['all']['max_ms']} ms "
                  f"({s['all']['n']} queries); server CPU {s['all'].get('cpu_ms')} ms/query, "
                  f"first pass {s['first'].get('cpu_ms')} ms/query")
            for kind in list(QUERIES) + ["first"]:
                print(f"    {kind:11s} p50 {s[kind]['p50_ms']:7.2f} ms  p95 {s[kind]['p95_ms']:7.2f} ms"
                      f"  max {s[kind]['max_ms']:7.2f} ms")
            for page in ("article_page", "listing_page"):
                p = r[page]
                print(f"  {page}: {p['cpu_us_per_req']} µs CPU/request, {p['rps']:.0f} req/s, "
                      f"{p['non_2xx']} non-2xx")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1, ensure_ascii=False)
    finally:
        if not (args.keep or args.work):
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
