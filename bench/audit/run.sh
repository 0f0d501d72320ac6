#!/usr/bin/env bash
# bench/audit/run.sh — the audit trail's hot paths, each beside its baseline (not a test). Builds
# bench/audit/bench_audit.c against libkhomun.a and prints, in one run:
#
#   durable appends/s through the group-commit writer (THREADS threads enqueue and wait on their
#   tickets) beside bare SQLite inserts of the same rows into the same table with the same
#   durability (WAL, synchronous=FULL) and the same transaction size, and the ratio;
#   verify speed (events/s) over the chain just written (THREADS × EVENTS events);
#   SHA-256 of one event (32-byte link + 250 bytes): OpenSSL as the chain uses it, OpenSSL with
#   the digest fetched once, libsodium.
#
# Targets (issue 6): >= 100000 durable events/s; verify >= 1000000 events/s.
#
# Environment:
#   KHOMUN_BIN    the binary; its directory holds libkhomun.a (default build/khomun)
#   EVENTS        events per writer thread (default 40000: 8 threads → 320,000 events)
#   THREADS       writer threads (default 8)
#   WINDOW        events a thread has in flight before it waits on its last ticket (default 512)
#   BENCH_DIR     where the databases go (default a fresh directory under $TMPDIR): put it on
#                 the disk you mean to measure, durability is the point
#   BENCH_RECORD  1 = append one JSON line to bench/results.jsonl
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KHOMUN_BIN=${KHOMUN_BIN:-build/khomun}
BUILD=$(dirname "$KHOMUN_BIN")
EVENTS=${EVENTS:-40000}
THREADS=${THREADS:-8}
WINDOW=${WINDOW:-512}
TARGET_WRITE=100000
TARGET_VERIFY=1000000

die() { printf 'bench/audit: error: %s\n' "$*" >&2; exit 1; }

[[ -f $BUILD/libkhomun.a ]] || die "$BUILD/libkhomun.a not found (run 'make' first, or set KHOMUN_BIN)"
for v in EVENTS THREADS WINDOW; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
((THREADS <= 64)) || die "THREADS must be at most 64"
((EVENTS * THREADS >= 200000)) ||
	echo "bench/audit: note: EVENTS × THREADS < 200000; verify speed is measured on fewer events" >&2

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-bench-audit.XXXXXX")
DIR=${BENCH_DIR:-$TMP}
cleanup() {
	[[ -z ${BENCH_DIR:-} ]] || rm -f "$DIR"/audit.db* "$DIR"/bare.db*
	rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$DIR"

# the libraries libkhomun links with, as the Makefile names them
PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)
[[ -n $PKGS ]] || die "no PKGS line in the Makefile"
SAN=()
case $BUILD in *asan*) SAN=(-fsanitize=address,undefined) ;; *tsan*) SAN=(-fsanitize=thread) ;; esac
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g "${SAN[@]}" -Iinclude $(pkg-config --cflags $PKGS 2>/dev/null) \
	-o "$TMP/bench_audit" bench/audit/bench_audit.c "$BUILD/libkhomun.a" \
	$(pkg-config --libs $PKGS 2>/dev/null) -ldl -lpthread || die "cannot build bench/audit/bench_audit.c"

"$TMP/bench_audit" "$DIR" "$EVENTS" "$THREADS" "$WINDOW" | tee "$TMP/out" | grep -v '^RESULT '
line=$(grep '^RESULT ' "$TMP/out") || die "no RESULT line from bench_audit"
get() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$line"; }
WRITER=$(get writer) VERIFY=$(get verify)
printf 'bench/audit: targets: durable >= %s events/s, verify >= %s events/s\n' "$TARGET_WRITE" "$TARGET_VERIFY"
((WRITER >= TARGET_WRITE)) || echo "bench/audit: note: durable appends $WRITER events/s are below the target $TARGET_WRITE" >&2
((VERIFY >= TARGET_VERIFY)) || echo "bench/audit: note: verify $VERIFY events/s is below the target $TARGET_VERIFY" >&2

if [[ ${BENCH_RECORD:-0} == 1 ]]; then
	COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	printf '{"bench":"audit","date":"%s","commit":"%s","cpus":%d,"threads":%d,"events":%d,"window":%d,"writer_eps":%s,"bare_eps":%s,"events_per_commit":%s,"verify_eps":%s,"sha256_openssl_eps":%s,"sha256_openssl_fetched_eps":%s,"sha256_sodium_eps":%s}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$(nproc)" "$THREADS" "$((EVENTS * THREADS))" "$WINDOW" \
		"$WRITER" "$(get bare)" "$(get batch)" "$VERIFY" "$(get sha_openssl)" "$(get sha_fetched)" \
		"$(get sha_sodium)" >>bench/results.jsonl
	echo "bench/audit: recorded in bench/results.jsonl" >&2
fi
