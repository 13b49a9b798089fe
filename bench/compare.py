#!/usr/bin/env python3
"""Sen against nginx, side by side in one run, on the same bytes.

Starts `sen serve` on a fresh demo data directory, saves each page it serves
(default: the seed article, the home page, a category listing and a search
page) as a static file, serves those files from nginx with the same number of
workers, loads each with wrk (same connections and duration, loopback) and
prints req/s, p50/p99 latency and the server's CPU time per request
(utime+stime of the server processes from /proc), then the Sen/nginx ratios.
Quote the ratios: these machines are shared and noisy.

Compression is on for both, for fairness: wrk sends `Accept-Encoding: gzip`
(--encoding), nginx has `gzip on` (its default gzip_comp_level 1, compressing
the file at every request; nginx-light has no brotli) and Sen compresses as it
does for readers (gzip level 5 for a page rendered now; a page from its page
cache keeps its compressed copy, so a hit compresses nothing).

With --no-cache, each page is also measured against a second `sen serve`
started with SEN_PAGE_CACHE=0 (every request renders the page): the uncached
ratio beside the cached one, in the same run and against the same nginx
figures. The load average before and after is printed: quote it.

Usage: compare.py SEN_BINARY [--no-cache] [--pages article,home,listing,search]
                  [--path PATH --label NAME] [--encoding gzip|br|identity]
                  [--connections 50] [--seconds 10] [--threads 2] [--data DIR]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CLK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc=None, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except FileNotFoundError:
            pass
    return total


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


def parse_latency(text, label):
    m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return None
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v


def run_wrk(url, pids, connections, seconds, threads, headers=()):
    before = cpu_ticks(pids)
    t0 = time.time()
    # A browser's User-Agent, so Sen counts every view as it would for readers
    # (requests without one are treated as crawlers and not counted).
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-H", "User-Agent: Mozilla/5.0 (X11; Linux x86_64) sen-bench"]
                         + list(headers) + [url],
                         capture_output=True, text=True).stdout
    wall = time.time() - t0
    after = cpu_ticks(pids)
    reqs = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    cpu_us = (after - before) * 1e6 / CLK
    return {
        "requests": reqs,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": parse_latency(out, "50"),
        "p99_ms": parse_latency(out, "99"),
        "cpu_us_per_req": cpu_us / reqs if reqs else float("inf"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "wall_s": wall,
    }


def find_pages(port, names):
    """{name: path} of the pages to measure, from the running server."""
    base = f"http://127.0.0.1:{port}"
    items = json.load(urllib.request.urlopen(f"{base}/api/v1/articles"))["items"]
    seed = [i for i in items if i["slug"] == "hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021"]
    article = urllib.parse.urlsplit((seed or items)[0]["url"]).path
    every = {
        "article": article,
        "home": "/",
        "listing": "/" + article.split("/")[1],
        "search": "/tim-kiem?q=" + urllib.parse.quote("bảo tàng"),
    }
    return {n: every[n] for n in names}


def start_sen(binary, data, threads, tmp, env=None, label="sen"):
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
                             "--threads", str(threads), "--quiet"],
                            stderr=open(os.path.join(tmp, f"{label}.log"), "w"),
                            env=dict(os.environ, **(env or {})))
    wait_port(port, proc)
    return proc, port


def stop_sen(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def nginx_conf(tmp, root, port, threads, gzip):
    gz = ""
    if gzip:
        # nginx's defaults but for the switch itself: level 1, text/html
        # always, no gzip_static (the copy is compressed at every request).
        gz = "gzip on; gzip_min_length 860; gzip_vary on;"
    return f"""
user root;
worker_processes {threads};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types {{ text/html html; }}
  charset utf-8;
  {gz}
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def measure(url, pids, args, headers):
    # Warm up, then measure.
    subprocess.run(["wrk", "-t1", "-c4", "-d1s"] + headers + [url], capture_output=True)
    return run_wrk(url, pids, args.connections, args.seconds, 2, headers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sen")
    ap.add_argument("--path", default=None, help="one page to load instead of --pages")
    ap.add_argument("--label", default=None, help="name of that page")
    ap.add_argument("--pages", default="article,home,listing,search",
                    help="comma-separated: article, home, listing, search")
    ap.add_argument("--no-cache", action="store_true",
                    help="also measure every page with the page cache off (SEN_PAGE_CACHE=0)")
    ap.add_argument("--encoding", default="gzip", choices=["gzip", "br", "identity"],
                    help="what wrk accepts from Sen (nginx: gzip unless identity)")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2, help="server threads / nginx workers")
    ap.add_argument("--data", default=None, help="existing data directory (default: fresh demo)")
    ap.add_argument("--json", default=None, help="also write the figures here")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="sen-bench-")
    os.chmod(tmp, 0o755)
    data = args.data
    if data is None:
        data = os.path.join(tmp, "data")
        subprocess.run([args.sen, "init", "--data", data, "--demo"], check=True,
                       stderr=subprocess.DEVNULL)
    load_before = load_average()
    sen, sport = start_sen(args.sen, data, args.threads, tmp)
    nginx = None
    results = {}
    sen_h = [] if args.encoding == "identity" else ["-H", f"Accept-Encoding: {args.encoding}"]
    ngx_h = [] if args.encoding == "identity" else ["-H", "Accept-Encoding: gzip"]
    try:
        if args.path:
            pages = {args.label or "page": args.path}
        else:
            pages = find_pages(sport, [p for p in args.pages.split(",") if p])
        root = os.path.join(tmp, "www")
        os.makedirs(root)
        sizes = {}
        for name, path in pages.items():
            html = urllib.request.urlopen(f"http://127.0.0.1:{sport}{path}").read()
            sizes[name] = len(html)
            with open(os.path.join(root, f"{name}.html"), "wb") as f:
                f.write(html)
        nport = free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(nginx_conf(tmp, root, nport, args.threads, args.encoding != "identity"))
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp, "-g", "daemon off;"])
        wait_port(nport, nginx)
        time.sleep(0.3)
        npids = [nginx.pid] + children(nginx.pid)
        for name, path in pages.items():
            results[name] = {
                "path": path, "bytes": sizes[name],
                "sen": measure(f"http://127.0.0.1:{sport}{path}", [sen.pid], args, sen_h),
                "nginx": measure(f"http://127.0.0.1:{nport}/{name}.html", npids, args, ngx_h),
            }
        stop_sen(sen)
        sen = None
        if args.no_cache:
            sen, sport = start_sen(args.sen, data, args.threads, tmp, {"SEN_PAGE_CACHE": "0"},
                                   "sen-nocache")
            for name, path in pages.items():
                results[name]["sen_uncached"] = measure(f"http://127.0.0.1:{sport}{path}",
                                                        [sen.pid], args, sen_h)
    finally:
        if sen is not None:
            stop_sen(sen)
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
    load_after = load_average()

    print(f"\nc={args.connections}, {args.seconds}s each, {args.threads} server threads/workers, "
          f"{os.cpu_count()} cores; Sen asked for {args.encoding}, nginx "
          f"{'gzip (gzip on, level 1)' if args.encoding != 'identity' else 'identity'}; "
          f"load average before {load_before}, after {load_after}")
    print(f"{'page':8} {'server':13} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU us/req':>11} "
          f"{'sen/nginx':>10} {'non-2xx':>8}")
    verdicts = []
    for name, r in results.items():
        base = r["nginx"]["cpu_us_per_req"]
        rows = [("sen", r["sen"]), ("sen uncached", r.get("sen_uncached")), ("nginx", r["nginx"])]
        for label, m in rows:
            if m is None:
                continue
            ratio = m["cpu_us_per_req"] / base if label != "nginx" else 1.0
            m["cpu_ratio"] = ratio
            print(f"{name:8} {label:13} {m['rps']:>9.0f} {m['p50_ms']:>8.2f} {m['p99_ms']:>8.2f} "
                  f"{m['cpu_us_per_req']:>11.1f} {ratio:>9.2f}x {m['non_2xx']:>8}")
        print(f"{'':8} {r['path']} ({r['bytes']} bytes of HTML)")
        verdicts.append((name, r["sen"]["cpu_ratio"]))
    for name, ratio in verdicts:
        print(f"target ({name}, cached: Sen CPU/request <= nginx CPU/request): "
              f"{'MET' if ratio <= 1.0 else 'NOT MET'} ({ratio:.2f}x)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"encoding": args.encoding, "load_before": load_before,
                       "load_after": load_after, "pages": results}, f, indent=1)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    import urllib.parse
    main()
