#!/usr/bin/env python3
"""Ratings and comments per second, each committed before its reply.

Starts `sen serve` on a fresh demo data directory (loopback only, with
SEN_TEST_CAPTCHA_REVEAL=1 so that the CAPTCHA API returns its answer), then
drives the write APIs with wrk and a Lua script:

  ratings   POST /api/v1/articles/ID/rating {"stars": N}, every request with a
            new User-Agent (a new visitor: one vote per visitor and article),
            spread over every article; wrk -c CONNECTIONS.
  comments  POST /api/v1/captcha {"article_id": ID} then
            POST /api/v1/articles/ID/comments with the answer, alternating on
            each connection (one connection per wrk thread, so each comment
            uses the CAPTCHA its connection just received); every comment from
            a new User-Agent, so the per-visitor flood limit never applies.

Each is reported as successful writes per second (200 for ratings, 202 for
comments), errors (any other status, socket errors, timeouts), p50/p99
latency and the server's CPU time per write. After SIGTERM the database is
opened and the rows counted: every acknowledged write must be there, plus
at most one per connection (the replies wrk stopped waiting for).

Usage: write.py SEN_BINARY [--seconds 10] [--connections 50]
                [--comment-connections 16] [--threads N] [--synchronous normal|full]
                [--json FILE]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

CLK = os.sysconf("SC_CLK_TCK")

RATING_LUA = r"""
local ids = {%(ids)s}
local n = 0
tid = 0
local counter = 0
statuses = {}

function setup(thread)
  n = n + 1
  thread:set("tid", n)
end

function request()
  counter = counter + 1
  local aid = ids[(counter %% #ids) + 1]
  local ua = "Mozilla/5.0 (X11; Linux x86_64) SenWriteBench/%(run)s-" .. tid .. "-" .. counter
  local body = '{"stars": ' .. ((counter %% 5) + 1) .. '}'
  return wrk.format("POST", "/api/v1/articles/" .. aid .. "/rating",
                    {["User-Agent"] = ua, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
"""

COMMENT_LUA = r"""
local ids = {%(ids)s}
local n = 0
tid = 0
local counter = 0
local pending = nil   -- {id, answer, article} of the CAPTCHA to use next
local last = nil      -- "captcha" or "comment": what the connection sent last
statuses = {}
captchas = {}

function setup(thread)
  n = n + 1
  thread:set("tid", n)
end

local function ua()
  return "Mozilla/5.0 (X11; Linux x86_64) SenWriteBench/%(run)s-c" .. tid .. "-" .. counter
end

function request()
  -- wrk may call request() once more than it sends (to check the script),
  -- so the kind of the last request decides how to read the next reply.
  if pending == nil or pending.id == nil then
    counter = counter + 1
    local aid = ids[(counter %% #ids) + 1]
    pending = {article = aid}
    last = "captcha"
    return wrk.format("POST", "/api/v1/captcha",
                      {["User-Agent"] = ua(), ["Content-Type"] = "application/json"},
                      '{"article_id": ' .. aid .. '}')
  end
  local p = pending
  pending = nil
  last = "comment"
  local body = '{"name": "Người đọc ' .. tid .. '-' .. counter .. '", "email": "", ' ..
               '"body": "Bài viết rất bổ ích, cảm ơn Bảo tàng. Lần ' .. counter .. '.", ' ..
               '"captcha_id": "' .. p.id .. '", "captcha_answer": "' .. p.answer .. '"}'
  return wrk.format("POST", "/api/v1/articles/" .. p.article .. "/comments",
                    {["User-Agent"] = ua(), ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if last == "captcha" then
    local id = string.match(body, '"id"%%s*:%%s*"(%%x+)"')
    local answer = string.match(body, '"answer"%%s*:%%s*"(%%w+)"')
    captchas[status] = (captchas[status] or 0) + 1
    if id == nil or answer == nil then
      pending = nil       -- no CAPTCHA: ask again
    else
      pending.id = id
      pending.answer = answer
    end
  else
    statuses[status] = (statuses[status] or 0) + 1
  end
end
"""

# Common to both: wrk prints each thread's status counts at the end.
DONE_LUA = r"""
local threads = {}
local old_setup = setup
function setup(thread)
  table.insert(threads, thread)
  old_setup(thread)
end
function done(summary, latency, requests)
  local total = {}
  local caps = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses") or {}) do total[k] = (total[k] or 0) + v end
    for k, v in pairs(t:get("captchas") or {}) do caps[k] = (caps[k] or 0) + v end
  end
  for k, v in pairs(total) do io.write(string.format("STATUS %d %d\n", k, v)) end
  for k, v in pairs(caps) do io.write(string.format("CAPTCHA %d %d\n", k, v)) end
  io.write(string.format("LAT50 %d\nLAT99 %d\n", latency:percentile(50), latency:percentile(99)))
  io.write(string.format("ERRORS %d %d %d %d %d\n", summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"sen serve exited with {proc.returncode}")
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


def run_wrk(url, script, threads, connections, seconds, pid):
    before = cpu_ticks(pid)
    t0 = time.time()
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
                          "--timeout", "10s", "-s", script, url],
                         capture_output=True, text=True)
    wall = time.time() - t0
    cpu_s = (cpu_ticks(pid) - before) / CLK
    text = out.stdout
    if out.returncode != 0 or "requests in" not in text:
        raise SystemExit(f"wrk failed: {out.stderr}\n{text}")
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    dur = float(m.group(2)) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[m.group(3)]
    statuses = {int(k): int(v) for k, v in re.findall(r"^STATUS (\d+) (\d+)$", text, re.M)}
    captchas = {int(k): int(v) for k, v in re.findall(r"^CAPTCHA (\d+) (\d+)$", text, re.M)}
    errs = [int(x) for x in re.search(r"^ERRORS (.*)$", text, re.M).group(1).split()]
    return {
        "requests": int(m.group(1)),
        "duration_s": dur,
        "wall_s": wall,
        "statuses": statuses,
        "captchas": captchas,
        "socket_errors": {"connect": errs[0], "read": errs[1], "write": errs[2],
                          "timeout": errs[4]},
        "p50_ms": int(re.search(r"^LAT50 (\d+)$", text, re.M).group(1)) / 1000,
        "p99_ms": int(re.search(r"^LAT99 (\d+)$", text, re.M).group(1)) / 1000,
        "server_cpu_s": cpu_s,
    }


def summarise(name, r, ok_status):
    ok = r["statuses"].get(ok_status, 0)
    bad = sum(v for k, v in r["statuses"].items() if k != ok_status)
    bad += sum(v for k, v in r["captchas"].items() if k != 200)
    bad += sum(r["socket_errors"].values())
    r["ok"] = ok
    r["errors"] = bad
    r["per_s"] = ok / r["duration_s"]
    r["cpu_us_per_write"] = r["server_cpu_s"] * 1e6 / ok if ok else float("inf")
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sen")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50, help="wrk connections for ratings")
    ap.add_argument("--comment-connections", type=int, default=16,
                    help="wrk threads = connections for comments (CAPTCHA, then comment)")
    ap.add_argument("--threads", type=int, default=0, help="server threads (0: one per core)")
    ap.add_argument("--synchronous", default="normal", choices=["normal", "full"])
    ap.add_argument("--only", choices=["ratings", "comments"], default=None)
    ap.add_argument("--json", default=None, help="also write the figures here")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (make bench-deps)")

    tmp = tempfile.mkdtemp(prefix="sen-write-")
    # Started as root (the default), `sen serve` drops to its account (`sen` or
    # `nobody`), which must reach the data directory inside this folder: mkdtemp
    # makes it 0700 and root's.
    os.chmod(tmp, 0o755)
    data = os.path.join(tmp, "data")
    subprocess.run([args.sen, "init", "--data", data, "--demo"], check=True,
                   stderr=subprocess.DEVNULL)
    port = free_port()
    env = dict(os.environ, SEN_TEST_CAPTCHA_REVEAL="1", SEN_SYNCHRONOUS=args.synchronous)
    cmd = [args.sen, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", "--quiet"]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    log = open(os.path.join(tmp, "sen.log"), "w")
    sen = subprocess.Popen(cmd, env=env, stderr=log)
    results = {}
    try:
        wait_port(port, sen)
        base = f"http://127.0.0.1:{port}"
        ids = []
        after = None
        while True:
            j = json.load(urllib.request.urlopen(base + "/api/v1/articles" +
                                                 (f"?after={after}" if after else "")))
            ids += [i["id"] for i in j["items"]]
            after = j["next"]
            if not after:
                break
        run = str(int(time.time()))
        fill = {"ids": ", ".join(map(str, ids)), "run": run}
        threads = max(1, min(4, os.cpu_count() or 1))
        if args.only in (None, "ratings"):
            script = os.path.join(tmp, "ratings.lua")
            with open(script, "w") as f:
                f.write(RATING_LUA % fill + DONE_LUA)
            results["ratings"] = summarise("ratings", run_wrk(
                base + "/", script, threads, args.connections, args.seconds, sen.pid), 200)
        if args.only in (None, "comments"):
            script = os.path.join(tmp, "comments.lua")
            with open(script, "w") as f:
                f.write(COMMENT_LUA % fill + DONE_LUA)
            c = args.comment_connections
            results["comments"] = summarise("comments", run_wrk(
                base + "/", script, c, c, args.seconds, sen.pid), 202)
    finally:
        sen.send_signal(signal.SIGTERM)
        sen.wait(timeout=60)
        log.close()

    # Every acknowledged write must be in the database.
    db = sqlite3.connect(os.path.join(data, "sen.db"))
    stored_ratings = db.execute("SELECT count(*) FROM ratings").fetchone()[0]
    rating_totals = db.execute("SELECT coalesce(sum(count), 0) FROM rating_totals").fetchone()[0]
    stored_comments = db.execute("SELECT count(*) FROM comments").fetchone()[0]
    db.close()

    print(f"\nwrite benchmark: {args.seconds}s each, synchronous={args.synchronous}, "
          f"server threads {args.threads or os.cpu_count()}, {os.cpu_count()} cores")
    print(f"{'':9} {'writes/s':>9} {'ok':>8} {'errors':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'CPU us/write':>12} {'in db':>8}")
    verdicts = []
    for name, stored in (("ratings", stored_ratings), ("comments", stored_comments)):
        r = results.get(name)
        if r is None:
            continue
        r["stored"] = stored
        print(f"{name:9} {r['per_s']:>9.0f} {r['ok']:>8} {r['errors']:>7} {r['p50_ms']:>7.2f} "
              f"{r['p99_ms']:>7.2f} {r['cpu_us_per_write']:>12.1f} {stored:>8}")
        if r["errors"]:
            detail = {k: v for k, v in r["statuses"].items()}
            print(f"          statuses {detail}, captcha statuses {r['captchas']}, "
                  f"socket errors {r['socket_errors']}")
        # wrk stops at the deadline without reading the replies in flight, so up
        # to one write per connection may be stored without being counted.
        inflight = args.connections if name == "ratings" else args.comment_connections
        verdicts.append((name, r["per_s"] >= 2000, r["ok"] <= stored <= r["ok"] + inflight))
    if "ratings" in results and rating_totals != stored_ratings:
        print(f"rating_totals says {rating_totals} votes, ratings holds {stored_ratings}")
    for name, fast, kept in verdicts:
        print(f"{name}: target >= 2,000/s {'MET' if fast else 'NOT MET'}; "
              f"every acknowledged write stored: {'yes' if kept else 'NO'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"synchronous": args.synchronous, "results": results}, f, indent=1)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(kept for _, _, kept in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
