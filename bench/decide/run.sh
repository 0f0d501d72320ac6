#!/usr/bin/env bash
# bench/decide/run.sh — decisions per second of the policy decision point (khm_access_decide),
# in-process, with the shipped default policy, beside a baseline in the same process (an indirect
# call comparing two agency ids). Not a test. Target: >= 5,000,000 decisions/s on one thread.
#
# Environment:
#   KHOMUN_BIN    the binary; its directory holds libkhomun.a (default build/khomun)
#   DURATION      seconds per measurement (default 2)
#   THREADS       threads for the parallel figure (default nproc)
#   BENCH_RECORD  1 = append one JSON line to bench/results.jsonl
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KHOMUN_BIN=${KHOMUN_BIN:-build/khomun}
BUILD=$(dirname "$KHOMUN_BIN")
DURATION=${DURATION:-2}
THREADS=${THREADS:-$(nproc)}
TARGET=5000000

die() { printf 'bench/decide: error: %s\n' "$*" >&2; exit 1; }

[[ -f $BUILD/libkhomun.a ]] || die "$BUILD/libkhomun.a not found (run 'make' first, or set KHOMUN_BIN)"
[[ $DURATION =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "DURATION must be a number of seconds, got '$DURATION'"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer, got '$THREADS'"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-bench-decide.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# the libraries libkhomun links with, as the Makefile names them
PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)
[[ -n $PKGS ]] || die "no PKGS line in the Makefile"
SAN=()
case $BUILD in *asan*) SAN=(-fsanitize=address,undefined) ;; *tsan*) SAN=(-fsanitize=thread) ;; esac
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 "${SAN[@]}" -Iinclude $(pkg-config --cflags $PKGS 2>/dev/null) \
	-o "$TMP/decide_bench" bench/decide/decide_bench.c "$BUILD/libkhomun.a" \
	$(pkg-config --libs $PKGS 2>/dev/null) -lpthread || die "cannot build bench/decide/decide_bench.c"

"$TMP/decide_bench" "$DURATION" "$THREADS" | tee "$TMP/out" | grep -v '^RESULT' | sed 's/^/bench\/decide: /'
line=$(grep '^RESULT' "$TMP/out") || die "no RESULT line"
rate=$(sed -n 's/.* decisions_per_s=\([0-9]*\).*/\1/p' <<<"$line")
printf 'bench/decide: target >= %s decisions/s on one thread\n' "$TARGET"
if ((rate < TARGET)); then
	echo "bench/decide: note: $rate decisions/s is below the target $TARGET" >&2
fi

if [[ ${BENCH_RECORD:-0} == 1 ]]; then
	COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	get() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$line"; }
	printf '{"bench":"decide","date":"%s","commit":"%s","cpus":%d,"duration_s":%s,"threads":%d,"decisions_per_s":%s,"allow_per_s":%s,"deny_per_s":%s,"baseline_per_s":%s,"threaded_per_s":%s}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$(nproc)" "$DURATION" "$THREADS" \
		"$rate" "$(get allow_per_s)" "$(get deny_per_s)" "$(get baseline_per_s)" "$(get threaded_per_s)" >>bench/results.jsonl
	echo "bench/decide: recorded in bench/results.jsonl" >&2
fi
