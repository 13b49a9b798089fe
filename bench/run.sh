#!/usr/bin/env bash
# Runs every benchmark against the release build (make bench).
set -euo pipefail
cd "$(dirname "$0")/.."
# The article, home, listing and search pages, cached and uncached, against
# nginx with gzip on, in one run.
python3 bench/compare.py build/sen --no-cache "$@"
