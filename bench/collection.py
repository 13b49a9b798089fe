#!/usr/bin/env python3
"""The online collection over a register of 1,000,000 objects, 10% public (issue 13):
the facet page's latency and the object page's cost against an article page.

    python3 bench/collection.py build/sen --data DIR       # a register bench/oai.py made
    python3 bench/collection.py build/sen --objects 200000  # make one (bench/register.py's
                                                            # generator, bench/oai.py's 10%)

1. Data: bench/register.py's generator and bulk path, then one object in ten marked
   public through bench/oai_public.c (as bench/oai.py does); or --data, a data folder
   one of them made (it is migrated on start: sql/015 fills collection_items).
2. Latency of /hien-vat with its counts, one client on one keep-alive connection, the
   page cache off (SEN_PAGE_CACHE=0: every page counted and rendered): the first page,
   each facet's values one at a time, two facets together, words (alone and with a
   facet), keyset pages at random depths; a first pass, then --rounds timed passes.
   The issue's target: p95 <= 50 ms.
3. Server CPU per request (/proc, wrk -t1 -c4, the method of bench/README.md) of
   object pages at random against the demo's article pages, alternating, in the same
   run: the issue's target is a ratio <= 2.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oai import mark_public  # noqa: E402
from register import prepare, sql  # noqa: E402
from search import CLK, Client, cpu_ticks, free_port, stop_server, summary, wait_port, \
    work_folder, wrk_ratio  # noqa: E402


def facet_queries(data, rng, top_id):
    """(kind, path) of the pages a visitor browses."""
    def values(column):
        return [r[0] for r in sql(data, f"SELECT {column}, count(*) FROM collection_items"
                                        f" GROUP BY 1 ORDER BY 2 DESC LIMIT 6")[0]]
    facets = {"phan-loai": values("class"), "chat-lieu": values("material_code"),
              "nien-dai": values("dating"), "hinh-thuc": values("mode"),
              "xuat-xu": values("origin_place")}
    q = [("first page", "/hien-vat")]
    for name, vals in facets.items():
        for v in vals:
            if v:
                q.append(("one facet", "/hien-vat?" + urllib.parse.urlencode({name: v})))
    for _ in range(20):
        a, b = rng.sample(sorted(facets), 2)
        va, vb = rng.choice(facets[a]), rng.choice(facets[b])
        if va and vb:
            q.append(("two facets", "/hien-vat?" + urllib.parse.urlencode({a: va, b: vb})))
    for words in ("mu coi", "thư gửi mẹ", "bi dong", "anh chup don vi", "huy hieu"):
        q.append(("words", "/hien-vat?" + urllib.parse.urlencode({"q": words})))
        q.append(("words + facet", "/hien-vat?" + urllib.parse.urlencode(
            {"q": words, "chat-lieu": rng.choice(facets["chat-lieu"])})))
    for _ in range(20):
        q.append(("keyset page", f"/hien-vat?sau={rng.randint(1, top_id)}"))
    return q


def time_pages(client, queries, rounds, pid):
    """Latency of each kind of page, and the server's CPU per page of the kind
    (its CPU ticks summed over the kind's requests: wall times on a loaded
    machine say more about the load than about the page)."""
    for _, path in queries:          # first pass: warm caches, check answers
        status, _ = client.get(path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
    per, ticks = {}, {}
    for _ in range(rounds):
        for kind, path in queries:
            t0, c0 = time.perf_counter(), cpu_ticks(pid)
            status, _ = client.get(path)
            ms = (time.perf_counter() - t0) * 1000
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
            for k in (kind, "all"):
                per.setdefault(k, []).append(ms)
                ticks[k] = ticks.get(k, 0) + cpu_ticks(pid) - c0
    out = {k: summary(v) for k, v in per.items()}
    for k, s in out.items():
        s["cpu_ms_per_page"] = round(ticks[k] / CLK * 1000 / s["n"], 2)
    return out


def measure(sen, data, args, work):
    res = {}
    port = free_port()
    env = dict(os.environ, SEN_PAGE_CACHE="0")
    log = open(os.path.join(work, "serve-collection.log"), "w")
    proc = subprocess.Popen([sen, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
                             "--threads", str(args.threads), "--quiet"], env=env, stderr=log)
    try:
        wait_port(port, proc, timeout=600)
        client = Client(port)
        while client.get("/hien-vat")[0] != 200:
            time.sleep(1)
        (shown,) = sql(data, "SELECT count(*) FROM collection_items")[0][0]
        (total,) = sql(data, "SELECT count(*) FROM objects")[0][0]
        res["objects"], res["public"] = total, shown
        print(f"  {total:,} objects, {shown:,} in the online collection; load average"
              f" {os.getloadavg()[0]:.1f}", flush=True)
        ids = [r[0] for r in sql(data, "SELECT object_id FROM collection_items")[0]]
        rng = random.Random(13)
        res["loadavg_before"] = [round(x, 2) for x in os.getloadavg()]
        res["facet_page"] = time_pages(client, facet_queries(data, rng, max(ids)), args.rounds,
                                       proc.pid)
        for kind, s in res["facet_page"].items():
            print(f"  {kind:14} n={s['n']:4}  p50 {s['p50_ms']:7.2f} ms  p95 {s['p95_ms']:7.2f} ms"
                  f"  max {s['max_ms']:7.2f} ms  server CPU {s['cpu_ms_per_page']:6.2f} ms/page",
                  flush=True)
        objects = [f"/hien-vat/{rng.choice(ids)}" for _ in range(400)]
        articles = ["/" + a["url"].split("/", 3)[3] for a in json.loads(
            client.get("/api/v1/articles?limit=50")[1])["items"]]
        base = f"http://127.0.0.1:{port}"
        res["object_vs_article"] = wrk_ratio(base, "object", objects, articles, proc.pid,
                                             args.seconds, work)
        res["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        return res
    finally:
        stop_server(proc, log, timeout=30)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sen")
    ap.add_argument("--data", help="a data folder made by bench/register.py or bench/oai.py")
    ap.add_argument("--work", help="where to keep data and results (default: a new temp folder)")
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--public", type=float, default=0.10)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    sen = os.path.abspath(args.sen)
    work = work_folder(args.work, "sen-collection-")
    if args.data:
        data = os.path.abspath(args.data)
    else:
        data, _ = prepare(sen, work, args.objects)
        mark_public(sen, data, args.public)
    res = measure(sen, data, args, work)
    out = os.path.join(work, "collection.json")
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
    print(f"  results: {out}")


if __name__ == "__main__":
    main()
