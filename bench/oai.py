#!/usr/bin/env python3
"""OAI-PMH over a register of 1,000,000 objects, 10% of them public (issue 13):
a whole ListRecords harvest, records per second and the server's memory.

    python3 bench/oai.py build/sen                          # 1,000,000 objects
    python3 bench/oai.py build/sen --objects 200000         # a quicker run
    python3 bench/oai.py build/sen --work /tmp/rb --reuse   # the data bench/register.py made

1. Data: bench/register.py's (its generator and bulk path: `sen objects import` of
   100,000-row CSV files, the Scientific Council's acceptance through the model), then
   one object in ten of the whole register (--public, spread over the ids) marked public
   among the registered ones, in one UPDATE (bench/oai_public.c, through sen's storage
   layer): the triggers of sql/013_oai.sql make their OAI records as the card's edit page
   would. With --reuse the data made before is
   used; its public flags are set to the same share again.
2. One harvester on one keep-alive connection walks ListRecords (oai_dc) from the first
   page to the last through the resumption tokens, checking that every record comes
   once; oai.page_size is the server's default (100) unless --page-size.
3. The server's resident memory (VmRSS, /proc) is read every 0.2 s during the harvest;
   VmHWM before and after. The issue's target: >= 5,000 records/s, RSS <= 64 MB flat.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from register import prepare, sql  # noqa: E402
from search import CLK, cpu_ticks, free_port, stop_server, wait_port, work_folder  # noqa: E402

TOKEN = re.compile(rb'<resumptionToken[^>]*?completeListSize="(\d+)"[^>]*>([^<]*)</resumptionToken>')
IDENT = re.compile(rb"<header[^>]*><identifier>([^<]+)</identifier>")


def mark_public(sen, data, share):
    """Exactly share of all objects public, taken among the registered ones in
    an order that spreads them over the table; the rest not public (those shown
    before stay as deleted records), through bench/oai_public.c (the search
    index's triggers need sen's tokenizer). (objects, shown, OAI records)."""
    (total,) = sql(data, "SELECT count(*) FROM objects")[0][0]
    tool = os.path.join(os.path.dirname(sen), "bench", "oai_public")
    share_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    r = subprocess.run([tool, data, str(int(total * share))], capture_output=True, text=True,
                       env=dict(os.environ, SEN_SHARE_DIR=os.environ.get("SEN_SHARE_DIR", share_dir)))
    if r.returncode != 0:
        raise SystemExit(f"oai_public: {r.stderr[-1500:]}")
    shown, records = (int(x) for x in r.stdout.split())
    return total, shown, records


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """VmRSS of pid every period seconds until stopped."""

    def __init__(self, pid, period=0.2):
        super().__init__(daemon=True)
        self.pid, self.period, self.samples, self.done = pid, period, [], threading.Event()

    def run(self):
        while not self.done.is_set():
            self.samples.append((time.perf_counter(), status_kb(self.pid, "VmRSS")))
            self.done.wait(self.period)


def harvest(port):
    """ListRecords to the end: (records, pages, seconds, completeListSize seen first)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    query = "verb=ListRecords&metadataPrefix=oai_dc"
    seen, pages, size = set(), 0, None
    t0 = time.perf_counter()
    while query:
        conn.request("GET", "/oai?" + query)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200 or b"<error" in body:
            raise SystemExit(f"page {pages}: HTTP {r.status} {body[-400:]!r}")
        ids = IDENT.findall(body)
        dup = seen.intersection(ids)
        if dup:
            raise SystemExit(f"page {pages}: records twice: {sorted(dup)[:5]}")
        seen.update(ids)
        pages += 1
        m = TOKEN.search(body)
        if m and size is None:
            size = int(m.group(1))
        query = ("verb=ListRecords&resumptionToken=" + urllib.parse.quote(m.group(2).decode())
                 if m and m.group(2) else None)
    seconds = time.perf_counter() - t0
    conn.close()
    return len(seen), pages, seconds, size


def measure(sen, data, args, work):
    port = free_port()
    log = open(os.path.join(work, "serve-oai.log"), "w")
    cmd = [sen, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
           "--threads", str(args.threads), "--quiet"]
    if args.page_size:
        cmd += ["--set", f"oai.page_size={args.page_size}"]
    proc = subprocess.Popen(cmd, stderr=log)
    runs, total, shown, listed = [], 0, 0, 0
    try:
        wait_port(port, proc)
        # One answered request: the server has dropped root and opened the database.
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("GET", "/oai?verb=Identify")
        c.getresponse().read()
        c.close()
        total, shown, listed = mark_public(sen, data, args.public)
        print(f"  {total:,} objects, {shown:,} public ({shown / total:.0%}); {listed:,} OAI"
              f" records with the deleted ones", flush=True)
        for i in range(args.rounds):
            hwm_before = status_kb(proc.pid, "VmHWM")
            sampler = Sampler(proc.pid)
            sampler.start()
            ticks, mine = cpu_ticks(proc.pid), time.process_time()
            records, pages, seconds, size = harvest(port)
            cpu = (cpu_ticks(proc.pid) - ticks) / CLK
            client_cpu = time.process_time() - mine
            sampler.done.set()
            sampler.join()
            rss = [kb for _, kb in sampler.samples]
            run = {"records": records, "pages": pages, "s": round(seconds, 2),
                   "records_per_s": round(records / seconds),
                   "server_cpu_s": round(cpu, 2), "records_per_cpu_s": round(records / cpu),
                   "client_cpu_s": round(client_cpu, 2),
                   "complete_list_size": size,
                   "rss_mb_first": round(rss[0] / 1024, 1), "rss_mb_max": round(max(rss) / 1024, 1),
                   "rss_mb_last": round(rss[-1] / 1024, 1),
                   "hwm_mb_before": round(hwm_before / 1024, 1),
                   "hwm_mb_after": round(status_kb(proc.pid, "VmHWM") / 1024, 1)}
            if records != listed:
                raise SystemExit(f"harvested {records:,} records of {listed:,}")
            runs.append(run)
            print(f"  harvest {i + 1}: {records:,} records in {pages:,} pages, {seconds:.1f} s"
                  f" = {run['records_per_s']:,} records/s (server CPU {run['server_cpu_s']} s:"
                  f" {run['records_per_cpu_s']:,} records per CPU second; harvester CPU"
                  f" {run['client_cpu_s']} s); server RSS {run['rss_mb_first']} →"
                  f" max {run['rss_mb_max']} → {run['rss_mb_last']} MB (VmHWM"
                  f" {run['hwm_mb_before']} → {run['hwm_mb_after']} MB)", flush=True)
    finally:
        stop_server(proc, log, timeout=30)
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    return {"objects": total, "public": shown, "harvests": runs, "loadavg_after": load}


def main():
    ap = argparse.ArgumentParser(description="OAI-PMH ListRecords over 1,000,000 objects.")
    ap.add_argument("sen", help="the release build's binary (build/sen)")
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--public", type=float, default=0.10, help="share of all objects public")
    ap.add_argument("--work", default=None, help="folder for the CSV files and data (kept)")
    ap.add_argument("--reuse", action="store_true", help="with --work: the data made before")
    ap.add_argument("--rounds", type=int, default=2, help="whole harvests")
    ap.add_argument("--threads", type=int, default=2, help="server threads")
    ap.add_argument("--page-size", type=int, default=0, help="oai.page_size (0: the default)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    sen = os.path.abspath(args.sen)
    work = work_folder(args.work, "sen-bench-oai-")
    try:
        data = os.path.join(work, f"data-{args.objects}")
        if args.reuse and os.path.exists(os.path.join(data, "sen.db")):
            print(f"  reusing {data}", flush=True)
        else:
            data, _ = prepare(sen, work, args.objects)
        results = measure(sen, data, args, work)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1, ensure_ascii=False)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
