#!/usr/bin/env bash
# Runs every benchmark against the release build (make bench).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 bench/compare.py build/sen --label "seed article page" "$@"
python3 bench/compare.py build/sen --path / --label "home page" "$@"
