# Sen - two commands on a fresh Debian 12 machine:
#   make run    installs what is missing, builds, creates ./data with demo content, serves :8080
#   make test   installs what is missing, builds with ASan+UBSan, runs every test
# Other targets: build, fuzz, bench, bench-register, check-hard, clean.

SHELL := /bin/bash
DATA ?= data
LISTEN ?= 127.0.0.1:8080

# Debian packages the build and the tests need. `make deps` installs the
# missing ones (as root, or through sudo).
BUILD_PKGS := gcc meson ninja-build pkg-config python3 \
	libmicrohttpd-dev libsqlite3-dev libcmark-dev libutf8proc-dev libsodium-dev \
	libgd-dev libmagic-dev libjansson-dev libcmocka-dev libvips-dev fonts-dejavu-core \
	libcsv-dev libzip-dev libxml2-dev libxlsxwriter-dev libqrencode-dev \
	zlib1g-dev libbrotli-dev
# xmllint (libxml2-utils) validates every OAI-PMH answer against tests/oai's schemas and
# HTTP::OAI (libhttp-oai-perl) harvests the demo collection (tests/http/test_oai.py).
TEST_PKGS := clang curl chromium poppler-utils zbar-tools libxml2-utils libhttp-oai-perl
# The browser tests (tests/browser) run Debian's Chromium through playwright-core
# from npm; Node.js and npm come from Debian only when none is installed.
NODE_PKGS := $(if $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo y),,nodejs npm)
# linux-perf profiles the uncached page (bench/README.md, "Where the uncached article page spends its time").
BENCH_PKGS := wrk nginx-light time linux-perf
# The long hardening checks (tests/check_hard.sh).
CHECK_PKGS := sqlmap slowhttptest tesseract-ocr wrk

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${db:Status-Abbrev}' $$p 2>/dev/null | grep -q '^ii' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

.PHONY: all deps vendor test-deps browser-deps bench-deps build run test browser-test fuzz fuzz-build bench bench-register check-hard clean

all: build

deps:
	$(call install_missing,$(BUILD_PKGS))

# The deep-zoom viewer (OpenSeadragon), pinned by themes/default/vendor's
# package-lock.json: fetched with npm ci and copied into the served static
# folder (themes/default/static/vendor/, never committed); again when the lock
# file changes.
VENDOR_OSD := themes/default/vendor/node_modules/openseadragon/build/openseadragon
VENDOR_STATIC := themes/default/static/vendor/openseadragon
vendor: $(VENDOR_STATIC)/openseadragon.min.js

$(VENDOR_STATIC)/openseadragon.min.js: themes/default/vendor/package-lock.json
	$(call install_missing,$(NODE_PKGS))
	npm ci --prefix themes/default/vendor --no-audit --no-fund
	rm -rf $(VENDOR_STATIC) && mkdir -p $(VENDOR_STATIC)
	cp -r $(VENDOR_OSD)/openseadragon.min.js $(VENDOR_OSD)/images $(VENDOR_STATIC)/
	cp themes/default/vendor/node_modules/openseadragon/LICENSE.txt $(VENDOR_STATIC)/

test-deps: deps browser-deps vendor
	$(call install_missing,$(TEST_PKGS))

# playwright-core, pinned by tests/browser/package-lock.json; again when the lock file changes.
browser-deps: deps
	$(call install_missing,chromium $(NODE_PKGS))
	@if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then \
	  npm ci --prefix tests/browser --no-audit --no-fund && touch tests/browser/node_modules; \
	fi

# Only the browser scenarios, against the sanitizer build (see tests/browser/README.md).
browser-test: test-deps
	@[ -f build-test/build.ninja ] || meson setup build-test -Db_sanitize=address,undefined -Db_lundef=false --werror
	ninja -C build-test
	node tests/browser/run.mjs build-test/sen

bench-deps: deps
	$(call install_missing,$(BENCH_PKGS))

build: deps vendor
	@[ -f build/build.ninja ] || meson setup build --buildtype=release -Dtests=false
	ninja -C build

run: build
	@[ -f $(DATA)/sen.db ] || ./build/sen init --data $(DATA) --demo
	./build/sen serve --data $(DATA) --listen $(LISTEN)

# Sanitizer build, warnings as errors; every unit, fuzz-replay and end-to-end test.
test: test-deps
	@[ -f build-test/build.ninja ] || meson setup build-test -Db_sanitize=address,undefined -Db_lundef=false --werror
	ninja -C build-test
	python3 tests/run_all.py build-test

# libFuzzer over every parser, FUZZ_SECONDS per target; crash inputs join the
# kept corpus (replayed by `make test`) and fail the run.
# Everything in build-fuzz gets coverage instrumentation and ASan/UBSan, not
# just the fuzz_*.c files: otherwise libFuzzer sees no edge of the parsers
# (cov stays near 20) and a parser's own overflow goes unreported.
FUZZ_MESON := -Dfuzz=true -Dtests=true -Dc_args=-fsanitize=fuzzer-no-link \
	-Db_sanitize=address,undefined -Db_lundef=false

fuzz: test-deps fuzz-build
	tests/fuzz/run.sh build-fuzz $${FUZZ_SECONDS:-60}

fuzz-build:
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz $(FUZZ_MESON)
	@meson configure build-fuzz $(FUZZ_MESON) >/dev/null
	ninja -C build-fuzz

bench: bench-deps build
	bench/run.sh

# The register at 1,000,000 objects (issue 12; half an hour or more, several GB
# in a temporary folder): BENCH_ARGS="--objects 200000" for a quicker run.
bench-register: bench-deps build
	python3 bench/register.py build/sen $(BENCH_ARGS)

# The long part of issue 6: fuzzing (FUZZ_SECONDS per target, default 120),
# sqlmap, slowhttptest, OCR of CAPTCHAs, a minute of load; ends with a table.
check-hard: test-deps build
	$(call install_missing,$(CHECK_PKGS))
	@[ -f build-test/build.ninja ] || meson setup build-test -Db_sanitize=address,undefined -Db_lundef=false --werror
	ninja -C build-test
	$(MAKE) fuzz-build
	FUZZ_SECONDS=$${FUZZ_SECONDS:-120} tests/check_hard.sh

clean:
	rm -rf build build-test build-fuzz
