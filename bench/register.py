#!/usr/bin/env python3
"""The register at 1,000,000 objects (issue 12): how it was made and what it costs.

    python3 bench/register.py build/sen                       # 1,000,000 objects
    python3 bench/register.py build/sen --objects 200000      # a quicker run
    python3 bench/register.py build/sen --work /tmp/rb --reuse  # measure again, same data

1. Data. `sen init --demo`, then CSV files of 100,000 rows each (fixed seed: the
   same files every run) entered with `sen objects import` itself: every row and
   cell checked, then donors, acquisitions, moves and the search index written by
   the model in one transaction per file. Each file's import is timed (the issue's
   "CSV import of 100,000 rows checked and stored, <= 60 s"; the last one runs
   against a register of 900,000). Then objects are accepted by the Scientific
   Council through the model (bench/register_accept.c calls council_decide for
   each: number, register log entry and hash, decision, search index; 5,000
   decisions a transaction): every id ending in 8 into the reference register
   (100,000 objects, the list that is exported), and into the main register
   the others whose id does not end in 0, all of them or the first
   --accept-main; the rest stay in the intake book.
2. Latency of the back office's list, one client on one keep-alive connection
   (signed in as an admin): first page and keyset pages at random depths,
   the filters (status, material, both), and the search that ignores marks
   (alone and with a filter); a first pass, then --rounds timed passes.
3. Server CPU per request (/proc, wrk -t1 -c4) of object cards at random
   against the demo's article pages, in the same run, alternating, the page
   cache off (SEN_PAGE_CACHE=0: every page rendered).
4. Export of the 100,000 objects of the reference register as XLSX and CSV: `sen objects
   export` under /usr/bin/time -v (peak RSS), and the back office's
   /admin/so-dang-ky/xuat (the server's peak RSS, VmHWM, before and after).
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search import CLK, Client, cpu_ticks, free_port, stop_server, summary, wait_port, work_folder, \
    wrk_ratio  # noqa: E402

CHUNK = 100_000
PASSWORD = "Sổ đăng ký một triệu hiện vật 1954"

# ---- the generator --------------------------------------------------------------------

# (name, material code, kind, weight in g, height in cm): what a museum of the
# Điện Biên Phủ campaign holds, papers and photos being the commonest.
THINGS = [
    ("Mũ cối", "ĐD", "hien_vat", 300, 14), ("Bi đông", "KL", "hien_vat", 450, 20),
    ("Xe đạp thồ", "KL", "hien_vat", 18000, 110), ("Thư gửi mẹ", "G", "tai_lieu", 5, 0),
    ("Thư gửi gia đình", "G", "tai_lieu", 5, 0), ("Ảnh chụp đơn vị", "PA", "tai_lieu", 8, 12),
    ("Ảnh chân dung", "PA", "tai_lieu", 6, 9), ("Bản đồ tác chiến", "G", "tai_lieu", 40, 0),
    ("Nhật ký chiến trường", "G", "tai_lieu", 150, 18), ("Giấy khen", "G", "tai_lieu", 6, 0),
    ("Huân chương Chiến sĩ vẻ vang", "KL", "hien_vat", 30, 5), ("Huy hiệu Chiến sĩ Điện Biên", "KL", "hien_vat", 12, 3),
    ("Áo trấn thủ", "ĐD", "hien_vat", 900, 70), ("Dép cao su", "NH", "hien_vat", 400, 3),
    ("Ba lô con cóc", "ĐD", "hien_vat", 700, 45), ("Ống nhòm", "KL", "hien_vat", 1200, 18),
    ("Bát sắt tráng men", "KL", "hien_vat", 250, 7), ("Ca uống nước", "KL", "hien_vat", 200, 10),
    ("Xẻng cá nhân", "KL", "hien_vat", 1100, 60), ("Cuốc chim", "KL", "hien_vat", 2000, 50),
    ("Đòn gánh", "TN", "hien_vat", 1500, 160), ("Gùi mây", "TN", "hien_vat", 800, 55),
    ("Quang gánh", "TN", "hien_vat", 900, 80), ("Súng trường K44", "KL", "hien_vat", 4000, 102),
    ("Vỏ đạn pháo 105 ly", "KL", "hien_vat", 6000, 37), ("Lựu đạn chày", "KL", "hien_vat", 600, 30),
    ("Dù tiếp tế", "ĐD", "hien_vat", 9000, 0), ("Điện đài", "KL", "hien_vat", 12000, 40),
    ("Bình tông", "KL", "hien_vat", 500, 22), ("Võng dù", "ĐD", "hien_vat", 1200, 0),
    ("Tranh cổ động", "HH", "hien_vat", 300, 80), ("Ký họa chiến trường", "HH", "tai_lieu", 20, 30),
    ("Bát gốm", "S", "hien_vat", 350, 8), ("Chai thủy tinh", "S", "hien_vat", 400, 25),
    ("Hòm gỗ đựng đạn", "ĐM", "hien_vat", 5000, 40), ("Bàn gỗ chỉ huy", "ĐM", "hien_vat", 25000, 75),
    ("Bao da súng ngắn", "DA", "hien_vat", 300, 20), ("Thắt lưng da", "DA", "hien_vat", 250, 0),
    ("Cối đá giã gạo", "Đ", "hien_vat", 15000, 35), ("Mảnh xác máy bay", "KL", "hien_vat", 3000, 0),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
            "Lò", "Quàng", "Lường", "Cầm", "Tòng", "Điêu", "Mùa", "Giàng"]
MIDDLES = ["Văn", "Thị", "Đình", "Đức", "Hữu", "Quang", "Minh", "Ngọc", "Xuân", "Thanh", "Công", "Bá"]
GIVENS = ["Hùng", "Xuân", "Giót", "Đàn", "Can", "Tâm", "Thịnh", "Vinh", "Lan", "Hoa", "Sơn", "Hải",
          "Bình", "Dũng", "Chiến", "Thắng", "Lợi", "Mai", "Cúc", "Phương", "Kiên", "Nam", "Bắc", "Trung"]
UNITS = ["Đại đoàn 308", "Đại đoàn 312", "Đại đoàn 316", "Đại đoàn 304", "Đại đoàn 351",
         "Trung đoàn 174", "Trung đoàn 98", "Tiểu đoàn 251", "Dân công hỏa tuyến Thanh Hóa",
         "Dân công Phú Thọ", "Thanh niên xung phong"]
ORGS = ["Bảo tàng tỉnh Điện Biên", "Hội Cựu chiến binh huyện Điện Biên", "UBND xã Mường Phăng",
        "Bảo tàng Lịch sử Quân sự Việt Nam", "Trường THPT Phan Đình Giót", "Ban Quản lý di tích"]
PLACES = ["Mường Phăng", "Mường Thanh", "Him Lam", "Độc Lập", "Hồng Cúm", "đồi A1", "Tuần Giáo",
          "Thanh Hóa", "Phú Thọ", "Nghệ An", "Hà Nội", "Lai Châu", "Sơn La", "Yên Bái"]
MODES = ["hiến tặng"] * 6 + ["sưu tầm"] * 3 + ["mua", "điều chuyển", "khai quật", "trao đổi", "thu hồi"]
SPOTS = ["Kho chính > Phòng 1 > Giá A > Hộp 1", "Kho chính > Phòng 1 > Giá A > Hộp 2",
         "Kho chính > Phòng 1 > Giá A > Hộp 3", "Kho chính > Phòng 1 > Giá A", "Kho chính > Phòng 1",
         "Kho tham khảo > Phòng 2 > Giá C", "Nhà trưng bày chính", ""]
DATINGS = ["1953", "1954", "1953–1954", "1950–1954", "1946–1954", "thế kỷ XX"]
HEADER = ("Tên hiện vật;Chất liệu;Loại;Phương thức thu nhận;Ngày thu nhận;Người/đơn vị giao;"
          "Số biên bản;Cao (cm);Trọng lượng (g);Số lượng;Niên đại;Xuất xứ;Mô tả;Giá trị (đồng);Vị trí")


def person(rng):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"


def generate(path, first, n, seed):
    """n import rows: acquisitions of 1 to 30 objects from one donor (a
    person, or now and then an organisation), dated 1975-2024."""
    rng = random.Random(seed)
    rows, done = [HEADER], 0
    while done < n:
        size = min(n - done, rng.choice((1, 1, 2, 3, 5, 8, 12, 20, 30)))
        mode = rng.choice(MODES)
        donor = rng.choice(ORGS) if rng.random() < 0.1 else person(rng)
        year = rng.randint(1975, 2024)
        date = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
        handover = f"BB-{year}-{first + done:07d}"
        owner, unit = person(rng), rng.choice(UNITS)
        for _ in range(size):
            name, code, kind, grams, cm = rng.choice(THINGS)
            label = rng.choice((f"{name} của {owner}", f"{name} - {owner}", f"{name} {unit}", name))
            weight = f"{grams * rng.uniform(0.7, 1.3):.0f}".replace(".", ",")
            height = f"{cm * rng.uniform(0.8, 1.2):.1f}".replace(".", ",") if cm else ""
            desc = (f"{name} của {owner}, {unit}, dùng trong Chiến dịch Điện Biên Phủ năm 1954, "
                    f"{rng.choice(['còn tốt', 'bị gỉ một phần', 'rách mép', 'ố vàng', 'sứt một góc'])}. "
                    f"Gia đình ở {rng.choice(PLACES)} giữ gìn cho đến khi trao tặng bảo tàng.")
            value = f"{rng.randint(1, 500) * 10000:,}".replace(",", ".") + " đ" if mode == "mua" else ""
            rows.append(";".join([label, code, "tài liệu" if kind == "tai_lieu" else "hiện vật",
                                  mode, date, donor, handover, height, weight,
                                  str(rng.choice((1, 1, 1, 1, 2, 3))), rng.choice(DATINGS),
                                  rng.choice(PLACES), desc, value, rng.choice(SPOTS)]))
        done += size
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


# ---- the data directory ----------------------------------------------------------------

def sql(data, *statements):
    db = sqlite3.connect(os.path.join(data, "sen.db"), timeout=60)
    try:
        out = [db.execute(s).fetchall() for s in statements]
        db.commit()
        return out
    finally:
        db.close()


def register_in_bulk(sen, data, main_max):
    """Objects of the intake book accepted by the Scientific Council through
    the model (bench/register_accept.c, built next to sen): one in ten (id
    ending in 8) to the reference collection (register TK), 100,000 of
    1,000,000; main_max (None: all) of those with ids ending in 1-7 or 9 to
    the main one (HV)."""
    (session,) = sql(data, "SELECT min(id) FROM council_sessions")[0][0]
    regs = dict(sql(data, "SELECT code, id FROM registers")[0])
    tool = os.path.join(os.path.dirname(sen), "bench", "register_accept")
    t0 = time.time()
    share = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    r = subprocess.run([tool, data, str(session), str(regs["HV"]), str(regs["TK"])]
                       + ([str(main_max)] if main_max is not None else []),
                       capture_output=True, text=True,
                       env=dict(os.environ, SEN_SHARE_DIR=os.environ.get("SEN_SHARE_DIR", share)))
    if r.returncode != 0:
        raise SystemExit(f"register_accept: {r.stderr[-1500:]}")
    return int(r.stdout.strip()), time.time() - t0


def prepare(sen, work, n, resume=False, main_max=None):
    """The data directory of n objects (see the top of this file); with
    resume, the files not yet imported into the one made before."""
    data = os.path.join(work, f"data-{n}")
    done = 0
    if resume and os.path.exists(os.path.join(data, "sen.db")):
        # The generator's hand-over numbers: BB-year-row.
        (done,) = sql(data, "SELECT count(*) FROM objects o JOIN acquisitions a"
                            " ON a.id = o.acquisition_id WHERE a.handover_no GLOB 'BB-[0-9][0-9][0-9][0-9]-*'")[0][0]
        done = done // CHUNK * CHUNK
        print(f"  resuming {data}: {done:,} objects imported before", flush=True)
    else:
        shutil.rmtree(data, ignore_errors=True)
        subprocess.run([sen, "init", "--demo", "--data", data], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r = subprocess.run([sen, "user", "add", "bench", "--role", "admin", "--data", data],
                           input=PASSWORD + "\n", text=True, capture_output=True)
        if r.returncode != 0:
            raise SystemExit(r.stderr)
    imports = []
    for k in range(done, n, CHUNK):
        csv = os.path.join(work, f"objects-{k // CHUNK:02d}.csv")
        if not os.path.exists(csv):
            generate(csv, k, min(CHUNK, n - k), seed=12 + k // CHUNK)
        run = time_v([sen, "objects", "import", csv, "--data", data])
        run["file"] = os.path.basename(csv)
        with open("/proc/loadavg") as f:
            run["loadavg"] = f.read().split()[0]
        imports.append(run)
        print(f"  {csv}: {run['said']} in {run['s']} s ({min(CHUNK, n - k) / run['s']:,.0f} rows/s),"
              f" CPU {run['cpu_s']} s, peak RSS {run['peak_rss_mb']} MB, load {run['loadavg']}",
              flush=True)
    accepted, bulk = register_in_bulk(sen, data, main_max)
    sql(data, "PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(os.path.join(data, "sen.db"))
    print(f"  {accepted:,} accepted by the council in {bulk:.1f} s; database {size / 1e6:.0f} MB",
          flush=True)
    return data, {"imports": imports, "accepted": accepted, "accept_s": round(bulk, 1),
                  "db_mb": round(size / 1e6)}


# ---- measuring -------------------------------------------------------------------------

def sign_in(client):
    client.conn.request("GET", "/admin/dang-nhap")
    r = client.conn.getresponse()
    body = r.read()
    if r.getheader("Set-Cookie"):   # the form's CSRF cookie
        client.headers["Cookie"] = r.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrf": token, "name": "bench", "password": PASSWORD,
                                   "next": "/admin"})
    client.conn.request("POST", "/admin/dang-nhap", body=form, headers=dict(
        client.headers, **{"Content-Type": "application/x-www-form-urlencoded"}))
    r = client.conn.getresponse()
    r.read()
    cookie = r.getheader("Set-Cookie")
    if r.status != 303 or not cookie:
        raise SystemExit(f"sign-in: HTTP {r.status}")
    client.headers["Cookie"] = cookie.split(";", 1)[0]


def list_queries(rng, top):
    deep = [rng.randint(1000, top) for _ in range(12)]
    q = urllib.parse.quote
    return {
        "list": ["/admin/so-dang-ky"] + [f"/admin/so-dang-ky?truoc={d}" for d in deep[:11]],
        "filter": [f"/admin/so-dang-ky?trang-thai={s}" for s in ("intake", "main", "reference")]
        + [f"/admin/so-dang-ky?chat-lieu={q(m)}" for m in ("KL", "G", "PA", "Đ")]
        + [f"/admin/so-dang-ky?trang-thai=intake&chat-lieu={q(m)}" for m in ("KL", "DA")]
        + [f"/admin/so-dang-ky?trang-thai=main&truoc={d}" for d in deep[:3]],
        "search": [f"/admin/so-dang-ky?q={q(w)}" for w in (
            "mu coi", "bi đông", "xe dap tho", "thư gửi mẹ", "anh chan dung", "Mường Phăng",
            "nguyen van hung", "Đại đoàn 308", "ong nhom", "BTĐBP.HV.012345", "giay khen", "kim loai")],
        "search + filter": [f"/admin/so-dang-ky?q={q(w)}&trang-thai={s}" for w, s in (
            ("mu coi", "main"), ("xe dap tho", "intake"), ("thu gui me", "reference"),
            ("dep cao su", "main"), ("Him Lam", "intake"), ("lo thi lan", "main"))]
        + [f"/admin/so-dang-ky?q={q(w)}&chat-lieu=KL" for w in ("bi dong", "mu coi", "Tuần Giáo")]
        + [f"/admin/so-dang-ky?q={q(w)}&truoc={d}" for w, d in (("ba lo", deep[4]), ("thu", deep[5]),
                                                                 ("dan cong", deep[6]))],
    }


def time_list(client, queries, rounds, pid):
    per, first = {k: [] for k in queries}, []
    c0 = cpu_ticks(pid)
    for paths in queries.values():
        for p in paths:
            t0 = time.perf_counter()
            status, body = client.get(p)
            first.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise SystemExit(f"{p}: HTTP {status}: {body[:300]!r}")
    c1 = cpu_ticks(pid)
    # The server's CPU per kind too: on a loaded machine it moves much less
    # than the latencies, which include waiting for a core.
    ticks = {k: 0 for k in queries}
    for _ in range(rounds):
        for kind, paths in queries.items():
            k0 = cpu_ticks(pid)
            for p in paths:
                t0 = time.perf_counter()
                client.get(p)
                per[kind].append((time.perf_counter() - t0) * 1000)
            ticks[kind] += cpu_ticks(pid) - k0
    c2 = cpu_ticks(pid)
    every = [x for v in per.values() for x in v]
    out = {"all": summary(every), "first": summary(first)}
    out["all"]["cpu_ms"] = round((c2 - c1) * 1000 / CLK / len(every), 2)
    out["first"]["cpu_ms"] = round((c1 - c0) * 1000 / CLK / len(first), 2)
    for kind, v in per.items():
        out[kind] = summary(v)
        out[kind]["cpu_ms"] = round(ticks[kind] * 1000 / CLK / len(v), 2)
    slowest = sorted(((statistics_max(per, k, i, len(queries[k])), queries[k][i])
                      for k in queries for i in range(len(queries[k]))), reverse=True)[:5]
    out["slowest"] = [{"ms": round(ms, 1), "path": urllib.parse.unquote(p)} for ms, p in slowest]
    return out


def statistics_max(per, kind, i, count):
    """The slowest of the timed passes over query i of kind."""
    return max(per[kind][i::count])


def show_list(lst):
    for kind in [k for k in lst if k != "slowest"]:
        v = lst[kind]
        print(f"  {kind:16s} p50 {v['p50_ms']:7.2f} ms  p95 {v['p95_ms']:7.2f} ms  "
              f"max {v['max_ms']:7.2f} ms  (n={v['n']})" + (
                  f"  server CPU {v['cpu_ms']} ms/request" if "cpu_ms" in v else ""), flush=True)
    for s in lst["slowest"]:
        print(f"    slowest: {s['ms']} ms {s['path']}", flush=True)


def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))


def time_v(cmd):
    """Runs cmd under /usr/bin/time -v: {"s": wall seconds, "cpu_s": user + system,
    "peak_rss_mb", "said": stdout}."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{cmd}: {r.stderr[-1500:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    cpu = sum(float(re.search(rf"{k} time \(seconds\): ([\d.]+)", r.stderr).group(1))
              for k in ("User", "System"))
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return {"s": round(seconds, 1), "cpu_s": round(cpu, 1), "peak_rss_mb": round(rss / 1024, 1),
            "said": r.stdout.strip()}


def measure(sen, data, args, work):
    res = {}
    for fmt in ("xlsx", "csv"):
        out = os.path.join(work, f"reference.{fmt}")
        run = time_v([sen, "objects", "export", out, "--status", "reference", "--data", data])
        run["file_mb"] = round(os.path.getsize(out) / 1e6, 1)
        res[f"cli_export_{fmt}"] = run
        print(f"  sen objects export {fmt}: {run['said']} {run['s']} s (CPU {run['cpu_s']} s), "
              f"peak RSS {run['peak_rss_mb']} MB, file {run['file_mb']} MB", flush=True)
    port = free_port()
    env = dict(os.environ, SEN_PAGE_CACHE="0")
    log = open(os.path.join(work, "serve.log"), "w")
    proc = subprocess.Popen([sen, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
                             "--threads", str(args.threads), "--quiet"], env=env, stderr=log)
    try:
        wait_port(port, proc)
        client = Client(port)
        sign_in(client)
        (top,) = sql(data, "SELECT max(id) FROM objects")[0][0]
        rng = random.Random(12)
        res["list"] = time_list(client, list_queries(rng, top), args.rounds, proc.pid)
        show_list(res["list"])
        cards = [f"/admin/so-dang-ky/{rng.randint(1, top)}" for _ in range(400)]
        articles = [a["url"].split("/", 3)[3] for a in json.loads(
            client.get("/api/v1/articles?limit=50")[1])["items"]]
        articles = ["/" + p for p in articles]
        base = f"http://127.0.0.1:{port}"
        cookie = ("-H", f"Cookie: {client.headers['Cookie']}")
        res["card_vs_article"] = wrk_ratio(base, "card", cards, articles, proc.pid, args.seconds,
                                           work, cookie)
        for fmt in ("xlsx", "csv"):
            before = vm_hwm_kb(proc.pid)
            t0 = time.perf_counter()
            long = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            long.request("GET", f"/admin/so-dang-ky/xuat?dinh-dang={fmt}&trang-thai=reference",
                         headers=client.headers)
            r = long.getresponse()
            status, body = r.status, r.read()
            long.close()
            seconds = time.perf_counter() - t0
            after = vm_hwm_kb(proc.pid)
            res[f"web_export_{fmt}"] = {"status": status, "s": round(seconds, 1),
                                        "bytes": len(body), "server_hwm_mb_before": round(before / 1024, 1),
                                        "server_hwm_mb_after": round(after / 1024, 1)}
            print(f"  web export {fmt}: HTTP {status}, {len(body) / 1e6:.1f} MB in {seconds:.1f} s; "
                  f"server peak RSS {before / 1024:.0f} → {after / 1024:.0f} MB", flush=True)
        with open("/proc/loadavg") as f:
            res["loadavg_after"] = f.read().split()[:3]
        return res
    finally:
        stop_server(proc, log, timeout=30)


def main():
    ap = argparse.ArgumentParser(description="The register at 1,000,000 objects (issue 12).")
    ap.add_argument("sen", help="the release build's binary (build/sen)")
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--work", default=None, help="folder for the CSV files and data (kept)")
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the list queries")
    ap.add_argument("--threads", type=int, default=2, help="server threads")
    ap.add_argument("--seconds", type=int, default=8, help="wrk run per page kind")
    ap.add_argument("--reuse", action="store_true", help="with --work: the data made before")
    ap.add_argument("--accept-main", type=int, default=None,
                    help="accept at most this many objects into the main register (default: all)")
    ap.add_argument("--resume", action="store_true",
                    help="with --work: import the files an interrupted run did not")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    sen = os.path.abspath(args.sen)
    work = work_folder(args.work, "sen-bench-register-")
    with open("/proc/loadavg") as f:
        results = {"objects": args.objects, "loadavg_before": f.read().split()[:3]}
    try:
        data = os.path.join(work, f"data-{args.objects}")
        if args.reuse and os.path.exists(os.path.join(data, "sen.db")):
            print(f"  reusing {data}", flush=True)
        else:
            data, made = prepare(sen, work, args.objects, args.resume, args.accept_main)
            results.update(made)
        results.update(measure(sen, data, args, work))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1, ensure_ascii=False)
    finally:
        if not (args.work):
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
