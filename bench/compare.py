#!/usr/bin/env python3
"""Sen against nginx, side by side in one run, on the same HTML bytes.

Starts `sen serve` on a fresh demo data directory, saves the page it serves
(default: the seed article) as a static file, serves that file from nginx
with the same number of workers, loads each with wrk (same connections and
duration, loopback) and prints req/s, p50/p99 latency and the server's CPU
time per request (utime+stime of the server processes from /proc), then the
Sen/nginx ratios. Quote the ratios: these machines are shared and noisy.

Usage: compare.py SEN_BINARY [--path PATH] [--connections 50] [--seconds 10]
                  [--threads 2] [--data DIR] [--label NAME]
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


def run_wrk(url, pids, connections, seconds, threads):
    before = cpu_ticks(pids)
    t0 = time.time()
    # A browser's User-Agent, so Sen counts every view as it would for readers
    # (requests without one are treated as crawlers and not counted).
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-H", "User-Agent: Mozilla/5.0 (X11; Linux x86_64) sen-bench", url],
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sen")
    ap.add_argument("--path", default=None, help="page to load (default: the seed article)")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2, help="server threads / nginx workers")
    ap.add_argument("--data", default=None, help="existing data directory (default: fresh demo)")
    ap.add_argument("--label", default="article page")
    ap.add_argument("--json", default=None, help="also write the figures here")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="sen-bench-")
    os.chmod(tmp, 0o755)
    data = args.data
    if data is None:
        data = os.path.join(tmp, "data")
        subprocess.run([args.sen, "init", "--data", data, "--demo"], check=True,
                       stderr=subprocess.DEVNULL)
    sport, nport = free_port(), free_port()
    sen = subprocess.Popen([args.sen, "serve", "--data", data, "--listen", f"127.0.0.1:{sport}",
                            "--threads", str(args.threads), "--quiet"],
                           stderr=open(os.path.join(tmp, "sen.log"), "w"))
    nginx = None
    try:
        wait_port(sport, sen)
        path = args.path
        if path is None:
            items = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sport}/api/v1/articles"))["items"]
            seed = [i for i in items if i["slug"] == "hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021"]
            path = urllib.parse.urlsplit((seed or items)[0]["url"]).path
        html = urllib.request.urlopen(f"http://127.0.0.1:{sport}{path}").read()
        root = os.path.join(tmp, "www")
        os.makedirs(root)
        with open(os.path.join(root, "page.html"), "wb") as f:
            f.write(html)
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
user root;
worker_processes {args.threads};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types {{ text/html html; }}
  charset utf-8;
  server {{ listen 127.0.0.1:{nport}; root {root};
           location / {{ try_files /page.html =404; }} }}
}}
""")
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp, "-g", "daemon off;"])
        wait_port(nport, nginx)
        time.sleep(0.3)
        npids = [nginx.pid] + children(nginx.pid)
        # Warm both up, then measure each in turn.
        subprocess.run(["wrk", "-t1", "-c4", "-d1s", f"http://127.0.0.1:{sport}{path}"], capture_output=True)
        subprocess.run(["wrk", "-t1", "-c4", "-d1s", f"http://127.0.0.1:{nport}/page.html"], capture_output=True)
        rs = run_wrk(f"http://127.0.0.1:{sport}{path}", [sen.pid], args.connections, args.seconds, 2)
        rn = run_wrk(f"http://127.0.0.1:{nport}/page.html", npids, args.connections, args.seconds, 2)
    finally:
        sen.send_signal(signal.SIGTERM)
        sen.wait(timeout=30)
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)

    print(f"\n{args.label}: {path} ({len(html)} bytes of HTML), c={args.connections}, "
          f"{args.seconds}s each, {args.threads} server threads/workers, {os.cpu_count()} cores")
    print(f"{'':8} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'CPU us/req':>11} {'non-2xx':>8}")
    for name, r in (("sen", rs), ("nginx", rn)):
        print(f"{name:8} {r['rps']:>10.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
              f"{r['cpu_us_per_req']:>11.1f} {r['non_2xx']:>8}")
    ratio = {
        "rps": rs["rps"] / rn["rps"],
        "p50": rs["p50_ms"] / rn["p50_ms"],
        "p99": rs["p99_ms"] / rn["p99_ms"],
        "cpu_per_req": rs["cpu_us_per_req"] / rn["cpu_us_per_req"],
    }
    print(f"{'sen/nginx':8} {ratio['rps']:>10.2f} {ratio['p50']:>8.2f} {ratio['p99']:>8.2f} "
          f"{ratio['cpu_per_req']:>11.2f}")
    verdict = "MET" if ratio["cpu_per_req"] <= 1.0 else "NOT MET"
    print(f"target (Sen CPU/request <= nginx CPU/request): {verdict}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"path": path, "sen": rs, "nginx": rn, "ratio": ratio}, f, indent=1)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    import urllib.parse
    main()
