#!/usr/bin/env python3
"""An exhibition page's server CPU against an article page's (issue 13).

    python3 bench/exhibition.py build-rel/sen [--seconds 10] [--work DIR]

`sen init --demo` (the seed's 2020 exhibitions, their objects and photos, the
book), then `sen serve` with the page cache off (SEN_PAGE_CACHE=0: every page
rendered), and bench/search.py's wrk_ratio: server CPU per request (/proc,
wrk -t1 -c4) of the public exhibition pages (/trung-bay/ID) and of the list
(/trung-bay) against the demo's article pages, alternating in the same run,
twice. Results in WORK/exhibition.json; quoted in bench/README.md.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search import free_port, stop_server, wait_port, work_folder, wrk_ratio  # noqa: E402


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return r.read().decode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sen")
    ap.add_argument("--work", help="where to keep data and results (default: a new temp folder)")
    ap.add_argument("--seconds", type=int, default=10, help="wrk run per page kind")
    ap.add_argument("--threads", type=int, default=2, help="server threads")
    args = ap.parse_args()
    sen = os.path.abspath(args.sen)
    work = work_folder(args.work, "sen-exhibition-")
    data = os.path.join(work, "data")
    subprocess.run([sen, "init", "--data", data, "--demo"], check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "serve-exhibition.log"), "w")
    proc = subprocess.Popen([sen, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
                             "--threads", str(args.threads), "--quiet"],
                            env=dict(os.environ, SEN_PAGE_CACHE="0"), stderr=log)
    try:
        wait_port(port, proc, timeout=120)
        shows = sorted(set(re.findall(r'href="(/trung-bay/\d+)"', get(base, "/trung-bay"))))
        if not shows:
            raise SystemExit("the demo lists no public exhibition")
        articles = ["/" + a["url"].split("/", 3)[3] for a in json.loads(
            get(base, "/api/v1/articles?limit=50"))["items"]]
        print(f"  {len(shows)} exhibition pages, {len(articles)} article pages", flush=True)
        res = {"exhibitions": len(shows), "articles": len(articles),
               "exhibition_vs_article": wrk_ratio(base, "exhibition", shows, articles, proc.pid,
                                                  args.seconds, work),
               "list_vs_article": wrk_ratio(base, "list", ["/trung-bay"], articles, proc.pid,
                                            args.seconds, work),
               "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
    finally:
        stop_server(proc, log, timeout=30)
    out = os.path.join(work, "exhibition.json")
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
    print(f"  results: {out}")


if __name__ == "__main__":
    main()
