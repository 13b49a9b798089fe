#!/usr/bin/env bash
# Runs every libFuzzer target of a build for a set time and reports what it reached.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]      (make fuzz FUZZ_SECONDS=N)
#
# BUILD_DIR is configured with CC=clang -Dfuzz=true, so it holds
# tests/fuzz/fuzz_NAME for every fuzz_targets entry. Each target runs for
# SECONDS (default 60) over a COPY of tests/fuzz/corpus/NAME plus a scratch
# folder that receives the new inputs, so the kept corpus only changes when
# something crashes. Per target it reports executions, libFuzzer's final
# "cov:" (edges) and "ft:" (features), how many new corpus files it wrote,
# and any crash. A crash, leak, timeout or out-of-memory input is copied into
# tests/fuzz/corpus/NAME/ as a regression case (so `make test` replays it)
# and the run fails.
#
# Environment: FUZZ_TARGETS="http json" runs only those; FUZZ_KEEP=1 keeps the
# work folder (its path is printed).
set -u

build=${1:?usage: run.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus_root=$root/tests/fuzz/corpus

case $seconds in
'' | *[!0-9]*) echo "run.sh: SECONDS must be a number, not '$seconds'" >&2; exit 2 ;;
esac

# The longest input worth trying for each target: about the largest input
# the real parser accepts (request targets, config and body caps), since
# longer inputs only slow the search down.
max_len_for() {
	case $1 in
	http) echo 8192 ;;          # HTTP_MAX_PATH and a header's worth of cookies
	cursor | text) echo 4096 ;;
	widgets | tmpl) echo 16384 ;;
	config) echo 65536 ;;       # CONFIG_MAX_FILE
	json | import | markdown) echo 65536 ;;
	*) echo 8192 ;;
	esac
}

shopt -s nullglob
targets=()
for bin in "$build"/tests/fuzz/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	name=${bin##*/fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then
		continue
	fi
	targets+=("$name")
done
if [ ${#targets[@]} -eq 0 ]; then
	echo "run.sh: no fuzz_* binaries in $build/tests/fuzz (configure with CC=clang -Dfuzz=true)" >&2
	exit 2
fi

work=$(mktemp -d /tmp/sen-fuzz-XXXXXX)
if [ -z "${FUZZ_KEEP:-}" ]; then
	trap 'rm -rf "$work"' EXIT
else
	echo "work folder: $work"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
rows=()
echo "Fuzzing ${#targets[@]} targets for ${seconds}s each: ${targets[*]}"
for name in "${targets[@]}"; do
	dir=$work/$name
	mkdir -p "$dir/new" "$dir/seed" "$dir/crash"
	[ -d "$corpus_root/$name" ] && cp -r "$corpus_root/$name/." "$dir/seed/"
	seeds=$(find "$dir/seed" -type f | wc -l)
	max_len=$(max_len_for "$name")
	log=$dir/fuzz.log
	# The scratch folder comes first: libFuzzer writes new inputs there.
	"$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len="$max_len" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/crash/" "$dir/new" "$dir/seed" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	# The last status line ("#N DONE cov: E ft: F corp: ...") has the totals.
	status=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: [0-9]+' | tail -1)
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
	new=$(find "$dir/new" -type f | wc -l)
	crashes=("$dir"/crash/*)
	result=ok
	if [ ${#crashes[@]} -gt 0 ]; then
		result="CRASH"
		mkdir -p "$corpus_root/$name"
		for c in "${crashes[@]}"; do
			cp "$c" "$corpus_root/$name/${c##*/}"
			echo "  $name: kept ${c##*/} in tests/fuzz/corpus/$name/ (replayed by make test)"
		done
		echo "  --- $name: end of the fuzzer's log ---"
		grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$log" | head -30 | sed 's/^/  /'
		failed=1
	elif [ $rc -ne 0 ]; then
		result="failed (exit $rc)"
		tail -20 "$log" | sed 's/^/  /'
		failed=1
	fi
	[ -n "${FUZZ_KEEP:-}" ] || rm -rf "$dir/new" "$dir/seed"
	rows+=("$(printf '%-10s %10s %7s %8s %6s %6s  %s' "$name" "${runs:-?}" "${cov:-?}" \
		"${ft:-?}" "$seeds" "$new" "$result")")
	echo "${rows[-1]}"
done

echo
echo "Fuzzing summary (${seconds}s per target)"
printf '%-10s %10s %7s %8s %6s %6s  %s\n' target runs cov ft seeds new result
for r in "${rows[@]}"; do
	echo "$r"
done
if [ $failed -ne 0 ]; then
	echo "fuzz: FAILED (crash inputs were added to tests/fuzz/corpus/)"
	exit 1
fi
echo "fuzz: every target ran ${seconds}s without a crash"
