#!/usr/bin/env bash
# bench/consent/run.sh — consent records and the consent check (issue 5, "Speed — bench/consent";
# not a test). In one run, on a fresh data directory (`khomun init`, SQLite):
#
#   1. bench_consent.c (built against build/libkhomun.a): SUBJECTS (default 1,000,000) × 5
#      purposes of consent events inserted through the store in durable write transactions of
#      BATCH (10,000) events with khm_tx_batch_begin (the grant rate), the index built from
#      them, then in-process checks/s on 1 and 2 threads (token given, and with the national
#      ID's HMAC per check). The tokens are made with the agency's own pseudonym key, so the
#      server answers for the same subjects.
#   2. `khomun serve` on that directory; a custodian (an agency system) with a token; wrk
#      (-t2 -c64, DURATION s, latency percentiles) against GET /healthz and then against
#      GET /api/v1/consents/check for random seeded subjects and purposes (check.lua): req/s,
#      p99 and the ratio check/healthz, back to back against the same server.
#
# Targets (2-core machine): in-process >= 5M checks/s, HTTP check >= 70 % of /healthz req/s with
# p99 < 2 ms, grants >= 20,000/s durable. Below target is reported, not failed.
#
# Environment: KHOMUN_BIN (default build/khomun), SUBJECTS, BATCH, CHECKS (per thread, 4000000;
# 20000 with DB=),
# THREADS (server worker threads, default nproc), DURATION (s per wrk run, 10), HTTP=0 to skip
# the HTTP part, BENCH_RECORD=1 to append one JSON line to bench/results.jsonl.
#   DB=postgres://…  run on that (empty) PostgreSQL database instead of SQLite: `khomun init
#                    --db`, the records seeded there, every server on it (bench/store does this)
#                    With pg_stat_statements loaded on that server (PG_SERVER_OPTS="-c
#                    shared_preload_libraries=pg_stat_statements" bash scripts/pg.sh …), also the
#                    database statements per check: all of them (token lookup, the newest-sequences
#                    read, audit) and the newest-sequences reads alone (docs/operations/scale-out.md)
#   SERVERS=2        after the one-server figures, a second `khomun serve` on the same data
#                    directory and database and two wrk at once (one per server, summed): the
#                    scale-out figure of issue 7 (meaningful on PostgreSQL)
# The last line is machine-readable: "RESULT key=value …" (bench/store reads it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KHOMUN_BIN=${KHOMUN_BIN:-build/khomun}
SUBJECTS=${SUBJECTS:-1000000}
THREADS=${THREADS:-$(nproc)}
DURATION=${DURATION:-10}
WRK_ARGS=(-t2 -c64 "-d${DURATION}s" --latency)
BUILD=$(dirname "$KHOMUN_BIN")
PKGS="libmicrohttpd jansson sqlite3 libsodium libcrypto libpq zlib libhs libthai"

die() { printf 'bench/consent: error: %s\n' "$*" >&2; exit 1; }
[[ -x $KHOMUN_BIN ]] || die "$KHOMUN_BIN not found or not executable (run 'make' first)"
[[ $SUBJECTS =~ ^[1-9][0-9]*$ ]] || die "SUBJECTS must be a positive integer, got '$SUBJECTS'"
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a positive integer, got '$DURATION'"
if [[ ${HTTP:-1} != 0 ]]; then
	command -v wrk >/dev/null || die "wrk not found (apt-get install wrk), or set HTTP=0"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-bench-consent.XXXXXX")
SERVER_PID=
cleanup() {
	local rc=$?
	if [[ -n ${SERVER2_PID:-} ]]; then
		kill -TERM "$SERVER2_PID" 2>/dev/null || true
		wait "$SERVER2_PID" 2>/dev/null || true
	fi
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -s $TMP/serve.log ]]; then
		echo "bench/consent: last lines of the server log:" >&2
		tail -n 20 "$TMP/serve.log" >&2
	fi
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. the records and the in-process figures ---------------------------------------------------
# shellcheck disable=SC2046  # pkg-config's words are meant to split
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Iinclude $(pkg-config --cflags $PKGS) \
	-o "$TMP/bench_consent" bench/consent/bench_consent.c "$BUILD/libkhomun.a" \
	$(pkg-config --libs $PKGS) -ldl -lpthread
DBA=()
[[ -n ${DB:-} ]] && DBA=(--db "$DB")
"$KHOMUN_BIN" init --data "$TMP/data" "${DBA[@]}" --format json >"$TMP/init.json" 2>"$TMP/init.err" ||
	die "khomun init failed: $(cat "$TMP/init.err")"
# on PostgreSQL every in-process check is a strict read of the newest sequences (a round trip):
# 4M of them per figure would take hours, so the default there is 20,000
CHECKS=${CHECKS:-$([[ -n ${DB:-} ]] && echo 20000 || echo 4000000)}
BENCH_DB=${DB:-} "$TMP/bench_consent" "$TMP/data" "$SUBJECTS" "${BATCH:-10000}" "$CHECKS" |
	tee "$TMP/inproc.txt"
val() { sed -n "s/^$1=//p" "$TMP/inproc.txt"; }

[[ ${HTTP:-1} == 0 ]] && exit 0

# --- 2. over HTTP --------------------------------------------------------------------------------
"$KHOMUN_BIN" user add --data "$TMP/data" "${DBA[@]}" --name bench-system --agency demo --role custodian \
	--display-name "ระบบทดสอบความเร็ว" >/dev/null || die "khomun user add failed"
TOKEN=$("$KHOMUN_BIN" token create --data "$TMP/data" "${DBA[@]}" --user bench-system --name bench --format json |
	sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\(khm_[A-Za-z0-9_-]*\)".*/\1/p')
[[ $TOKEN =~ ^khm_[A-Za-z0-9_-]{43}$ ]] || die "no token from khomun token create"

T0=$(date +%s.%N)
"$KHOMUN_BIN" serve --data "$TMP/data" "${DBA[@]}" --listen 127.0.0.1:0 --threads "$THREADS" \
	--log-level warn >"$TMP/serve.out" 2>"$TMP/serve.log" &
SERVER_PID=$!
PORT=
for _ in $(seq 1200); do
	PORT=$(sed -n 's|^khomun: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/serve.log" | head -n 1)
	[[ -n $PORT ]] && break
	kill -0 "$SERVER_PID" 2>/dev/null || die "khomun serve exited before listening"
	sleep 0.1
done
[[ -n $PORT ]] || die "khomun serve did not listen within 120s"
START_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
BASE=http://127.0.0.1:$PORT
# the server serves at once and builds its consent index on a thread of its own (checks answer
# from the store meanwhile): the figures below are the index's, so wait until /readyz says so
# wait_index BASE PID: until the server at BASE says its consent index is ready (GET /readyz)
wait_index() {
	for _ in $(seq 3000); do
		curl -fsS "$1/readyz" 2>/dev/null | grep -q '"state": *"ready"' && return 0
		kill -0 "$2" 2>/dev/null || die "khomun serve exited while building its consent index"
		sleep 0.1
	done
	die "the consent index of $1 was not ready within 300 s (GET /readyz)"
}
wait_index "$BASE" "$SERVER_PID"
READY_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# one check by hand: the server must know the seeded subjects (subject 0, a live consent)
FIRST=$(curl -fsS -H "Authorization: Bearer $TOKEN" \
	"$BASE/api/v1/consents/check?purpose=e-newsletter&subject=1000000000009&subject_type=tnin") ||
	die "the check route failed"
[[ $FIRST == *'"allow":true'* ]] || die "subject 0 should be allowed for e-newsletter: $FIRST"

# run_wrk NAME URL MODE: wrk with check.lua; sets RPS and P99_US; keeps the output in TMP/NAME.wrk
run_wrk() {
	local out=$TMP/$1.wrk
	MODE=$3 SUBJECTS=$SUBJECTS TOKEN=$TOKEN wrk "${WRK_ARGS[@]}" -s bench/consent/check.lua "$2" \
		>"$out" 2>&1 || { cat "$out" >&2; die "wrk failed for $2"; }
	grep -q 'Non-2xx or 3xx responses' "$out" && { cat "$out" >&2; die "$2: non-2xx responses"; }
	grep -q 'Socket errors' "$out" && echo "bench/consent: warning: $2: $(grep 'Socket errors' "$out")" >&2
	RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	P99_US=$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' "$out")
	[[ $RPS =~ ^[0-9.]+$ && $P99_US =~ ^[0-9]+$ ]] || { cat "$out" >&2; die "$2: no figures in wrk's output"; }
}
# statements per check on PostgreSQL, from pg_stat_statements when the server loaded it
PGSS=0
if [[ -n ${DB:-} ]] && command -v psql >/dev/null &&
	psql -X -q -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 &&
	psql -X -q -d "$DB" -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1; then
	PGSS=1
fi
pgss_reset() { [[ $PGSS == 0 ]] || psql -X -q -d "$DB" -c "SELECT pg_stat_statements_reset()" >/dev/null; }
# pgss_per_check REQUESTS: sets STMT_PER (all statements on the database) and HEADS_PER (the
# newest-sequences reads) per request since pgss_reset
pgss_per_check() {
	STMT_PER= HEADS_PER=
	[[ $PGSS == 1 && ${1:-0} -gt 0 ]] || return 0
	local line
	line=$(psql -X -A -t -F' ' -d "$DB" -c "SELECT COALESCE(sum(calls), 0),
		COALESCE(sum(calls) FILTER (WHERE query LIKE 'SELECT (SELECT COALESCE(MAX(seq), % FROM consent_event)%'), 0)
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND query NOT LIKE '%pg_stat_statements%'")
	STMT_PER=$(awk -v a="${line%% *}" -v n="$1" 'BEGIN { printf "%.3f", a / n }')
	HEADS_PER=$(awk -v a="${line##* }" -v n="$1" 'BEGIN { printf "%.3f", a / n }')
}
wrk_requests() { awk '/ requests in / { s += $1 } END { print s + 0 }' "$@"; }

run_wrk healthz "$BASE/healthz" healthz
HEALTHZ_RPS=$RPS HEALTHZ_P99=$P99_US
pgss_reset
run_wrk check "$BASE/api/v1/consents/check" check
CHECK_RPS=$RPS CHECK_P99=$P99_US
pgss_per_check "$(wrk_requests "$TMP/check.wrk")"
CHECK_STMT=$STMT_PER CHECK_HEADS=$HEADS_PER
RATIO=$(awk -v a="$CHECK_RPS" -v b="$HEALTHZ_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')

TWO_RPS=
if [[ ${SERVERS:-1} == 2 ]]; then
	# a second server on the same directory (keys) and database, as behind a balancer
	"$KHOMUN_BIN" serve --data "$TMP/data" "${DBA[@]}" --listen 127.0.0.1:0 --threads "$THREADS" \
		--log-level warn >"$TMP/serve2.out" 2>"$TMP/serve2.log" &
	SERVER2_PID=$!
	PORT2=
	for _ in $(seq 1200); do
		PORT2=$(sed -n 's|^khomun: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/serve2.log" | head -n 1)
		[[ -n $PORT2 ]] && break
		kill -0 "$SERVER2_PID" 2>/dev/null || die "the second khomun serve exited before listening"
		sleep 0.1
	done
	[[ -n $PORT2 ]] || die "the second khomun serve did not listen within 120s"
	wait_index "http://127.0.0.1:$PORT2" "$SERVER2_PID"
	pgss_reset
	MODE=check SUBJECTS=$SUBJECTS TOKEN=$TOKEN wrk "${WRK_ARGS[@]}" -s bench/consent/check.lua \
		"$BASE/api/v1/consents/check" >"$TMP/two-a.wrk" 2>&1 &
	WA=$!
	MODE=check SUBJECTS=$SUBJECTS TOKEN=$TOKEN wrk "${WRK_ARGS[@]}" -s bench/consent/check.lua \
		"http://127.0.0.1:$PORT2/api/v1/consents/check" >"$TMP/two-b.wrk" 2>&1 &
	WB=$!
	wait "$WA" && wait "$WB" || die "wrk failed on two servers: $(cat "$TMP"/two-*.wrk)"
	for f in "$TMP"/two-a.wrk "$TMP"/two-b.wrk; do
		grep -q 'Non-2xx or 3xx responses' "$f" && { cat "$f" >&2; die "two servers: non-2xx responses"; }
	done
	TWO_RPS=$(awk '/^Requests\/sec:/ { s += $2 } END { printf "%.0f", s }' "$TMP"/two-a.wrk "$TMP"/two-b.wrk)
	TWO_P99=$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' "$TMP"/two-a.wrk "$TMP"/two-b.wrk | sort -n | tail -n 1)
	pgss_per_check "$(wrk_requests "$TMP"/two-a.wrk "$TMP"/two-b.wrk)"
	TWO_STMT=$STMT_PER TWO_HEADS=$HEADS_PER
	kill -TERM "$SERVER2_PID" 2>/dev/null || true
	wait "$SERVER2_PID" 2>/dev/null || true
fi

printf '\nbench/consent: %s subjects × 5 purposes = %s consent events\n' "$SUBJECTS" "$(val events)"
printf 'bench/consent: %-34s %12.0f /s durable (target >= 20000)\n' 'grants' "$(val grants_per_s)"
printf 'bench/consent: %-34s %12s s (server: serving after %s s, its index ready after %s s)\n' \
	'index build' "$(val index_build_seconds)" "$START_S" "$READY_S"
printf 'bench/consent: %-34s %12.0f /s (target >= 5000000)\n' 'in-process checks, 1 thread' "$(val checks_per_s_1thread)"
printf 'bench/consent: %-34s %12.0f /s\n' 'in-process checks, 2 threads' "$(val checks_per_s_2threads)"
printf 'bench/consent: %-34s %12.0f /s\n' 'with the ID HMAC, 1 thread' "$(val checks_hmac_per_s_1thread)"
printf 'bench/consent: %-34s %12.0f req/s  p99 %6.2f ms\n' 'GET /healthz' "$HEALTHZ_RPS" \
	"$(awk -v u="$HEALTHZ_P99" 'BEGIN { print u / 1000 }')"
printf 'bench/consent: %-34s %12.0f req/s  p99 %6.2f ms (target < 2 ms)\n' 'GET /api/v1/consents/check' \
	"$CHECK_RPS" "$(awk -v u="$CHECK_P99" 'BEGIN { print u / 1000 }')"
printf 'bench/consent: %-34s %12s (target >= 0.70)\n' 'ratio check/healthz' "$RATIO"
[[ -z ${CHECK_STMT:-} ]] ||
	printf 'bench/consent: %-34s %12s (newest-sequences reads: %s per check)\n' \
		'database statements per check' "$CHECK_STMT" "$CHECK_HEADS"
if [[ -n $TWO_RPS ]]; then
	printf 'bench/consent: %-34s %12.0f req/s  p99 %6.2f ms (two wrk at once, summed; %s × one server)\n' \
		'check, two servers, one database' "$TWO_RPS" "$(awk -v u="$TWO_P99" 'BEGIN { print u / 1000 }')" \
		"$(awk -v a="$TWO_RPS" -v b="$CHECK_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
	[[ -z ${TWO_STMT:-} ]] ||
		printf 'bench/consent: %-34s %12s (newest-sequences reads: %s per check)\n' \
			'statements per check, two servers' "$TWO_STMT" "$TWO_HEADS"
fi
printf 'RESULT backend=%s grants_per_s=%.0f check_rps=%.0f check_p99_us=%d healthz_rps=%.0f two_servers_check_rps=%s two_servers_p99_us=%s check_statements=%s check_heads_reads=%s two_servers_statements=%s two_servers_heads_reads=%s\n' \
	"$([[ -n ${DB:-} ]] && echo postgres || echo sqlite)" "$(val grants_per_s)" "$CHECK_RPS" "$CHECK_P99" \
	"$HEALTHZ_RPS" "${TWO_RPS:-}" "${TWO_P99:-}" "${CHECK_STMT:-}" "${CHECK_HEADS:-}" "${TWO_STMT:-}" "${TWO_HEADS:-}"

if [[ ${BENCH_RECORD:-0} == 1 ]]; then
	COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	printf '{"bench":"consent","date":"%s","commit":"%s","subjects":%d,"events":%d,"threads":%d,"cpus":%d,"duration_s":%d,"grants_per_s":%.0f,"checks_per_s_1thread":%.0f,"checks_per_s_2threads":%.0f,"checks_hmac_per_s_1thread":%.0f,"healthz_rps":%.0f,"healthz_p99_us":%d,"check_rps":%.0f,"check_p99_us":%d,"ratio":%s}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$SUBJECTS" "$(val events)" "$THREADS" "$(nproc)" \
		"$DURATION" "$(val grants_per_s)" "$(val checks_per_s_1thread)" "$(val checks_per_s_2threads)" \
		"$(val checks_hmac_per_s_1thread)" "$HEALTHZ_RPS" "$HEALTHZ_P99" "$CHECK_RPS" "$CHECK_P99" \
		"$RATIO" >>bench/results.jsonl
	echo "bench/consent: recorded in bench/results.jsonl" >&2
fi
