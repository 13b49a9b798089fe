#!/usr/bin/env python3
"""Runs every test suite of a build; closing line "N passed, N failed, N skipped".

Counts individual cases: each cmocka case, each fuzz-replay binary, each
end-to-end case, each browser scenario. A binary that dies before printing its
summary counts as one failure; a test that says it cannot run here (meson's
SKIP, exit status 77; a cmocka skip(); harness.Skip; the browser's Skip) counts
as skipped, with its reason printed by its runner. Exit status is non-zero when
anything failed.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_meson(build):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1:strict_string_checks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    subprocess.run(["meson", "test", "-C", build, "--print-errorlogs",
                    "--suite", "unit", "--suite", "fuzz-replay"], env=env)
    passed = failed = skipped = 0
    log = os.path.join(build, "meson-logs", "testlog.json")
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            t = json.loads(line)
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            ok = t.get("result") == "OK"
            if t.get("result") == "SKIP":
                skipped += 1
                print(f"SKIPPED: {t.get('name')}")
                continue
            # cmocka prints one "[       OK ] name", "[  FAILED  ] name" or
            # "[  SKIPPED ] name" per case, and lists the failed and skipped
            # again in its summary (whose count lines end in "test(s)").
            p = len(re.findall(r"^\[       OK \] ", out, re.M))
            fl = len({l for l in re.findall(r"^\[  (?:FAILED|ERROR)   ?\] (.*)$", out, re.M)
                      if "test(s)" not in l})
            sk = len({l for l in re.findall(r"^\[  SKIPPED \] (.*)$", out, re.M)
                      if "test(s)" not in l})
            skipped += sk
            if p or fl or sk:
                if not ok and fl == 0:
                    fl = 1  # crashed, leaked or failed after its cases
                    print(f"FAILED after its cases: {t.get('name')}")
                passed += p
                failed += fl
            elif ok:
                passed += 1
            else:
                failed += 1
                print(f"FAILED: {t.get('name')}")
    return passed, failed, skipped


def counts_of(runner, r):
    """(passed, failed, skipped) from a runner's closing line; a runner that
    printed none, or exited non-zero with no failure counted, failed once."""
    m = re.search(r"^" + runner + r": (\d+) passed, (\d+) failed, (\d+) skipped$",
                  r.stdout, re.M)
    if not m:
        print(f"FAIL {runner}: no closing line")
        return 0, 1, 0
    p, f, k = (int(x) for x in m.groups())
    if r.returncode != 0 and f == 0:
        f = 1
    return p, f, k


def run_e2e(build):
    sen = os.path.join(build, "sen")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "http", "run.py"), sen],
                       stdout=subprocess.PIPE, text=True)
    sys.stdout.write(r.stdout)
    return counts_of("e2e", r)


def run_browser(build):
    """tests/browser: headless Chromium driven by playwright-core (`make test-deps`
    installs both). Missing node_modules is one failure, never a silent skip."""
    here = os.path.join(ROOT, "tests", "browser")
    if not os.path.isdir(os.path.join(here, "node_modules", "playwright-core")):
        print("FAIL browser: tests/browser/node_modules is missing; run `make test-deps` "
              "(npm ci --prefix tests/browser)")
        return 0, 1, 0
    sen = os.path.join(build, "sen")
    try:
        r = subprocess.run(["node", os.path.join(here, "run.mjs"), sen], stdout=subprocess.PIPE, text=True)
    except FileNotFoundError:
        print("FAIL browser: `node` is not installed; run `make test-deps`")
        return 0, 1, 0
    sys.stdout.write(r.stdout)
    return counts_of("browser", r)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build-test"
    passed = failed = skipped = 0
    for part in (run_meson, run_e2e, run_browser):
        p, f, k = part(build)
        print(f"{part.__name__[4:]}: {p} passed, {f} failed, {k} skipped")
        passed += p
        failed += f
        skipped += k
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
