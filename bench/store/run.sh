#!/usr/bin/env bash
# bench/store/run.sh — the same workload on SQLite and on PostgreSQL in one run (not a test;
# issue 7, "Speed — bench/store"). Prints one table, SQLite beside PostgreSQL, and PG/SQLite:
#
#   store round trip, µs                khm_store_ping (a trivial query): what every statement
#                                       pays at least — the loopback round trip on PostgreSQL
#   agencies created/s                  khm_agency_create through the library, write transactions
#                                       of BATCH (1000) rows
#   catalog datasets imported/s         khm_catalog_import (`khomun catalog import`): GD-Catalog
#                                       validation, the dataset row, its history entry and its Thai
#                                       search-index entry; BATCH datasets per file and transaction
#   audit appends/s, durable            khm_audit_writer, AUDIT_THREADS (8) threads each enqueue
#                                       EVENTS events, waiting on their last ticket every WINDOW
#                                       (512) events, as bench/audit does
#   GET /api/v1/whoami req/s            wrk -t2 -c64 -dDURATION against one `khomun serve`; on
#                                       PostgreSQL also against two servers on the same database
#                                       (two wrk at once, one per server, summed)
#
#   consent grants/s, durable           bench/consent/run.sh (bench_consent.c: CONSENT_SUBJECTS ×
#                                       5 purposes of consent events in transactions of 10,000)
#   GET /api/v1/consents/check req/s    the same script's wrk run (check.lua: random seeded
#                                       subjects, 64 connections) against one server; on PostgreSQL
#                                       also two servers on one database (two wrk at once, summed)
#
# PostgreSQL: with KHOMUN_TEST_PG set, that server is used (a fresh database is created on it for
# each part and dropped at the end). Otherwise the script runs itself again under
# `PG_SERVER_OPTS= bash scripts/pg.sh`, i.e. a throw-away PostgreSQL 15 with its durable defaults
# (fsync, synchronous_commit, full_page_writes on), not pg.sh's fsync=off test settings. If
# PostgreSQL cannot be started, the SQLite figures are printed and PostgreSQL is reported skipped.
# The server settings in force are queried and printed.
#
# Environment:
#   KHOMUN_BIN      the binary; its directory holds libkhomun.a (default build/khomun)
#   AGENCIES        agencies created per backend (default 50000)
#   BATCH           agencies / datasets per transaction (default 1000)
#   DATASETS        catalog datasets imported per backend (default 20000)
#   EVENTS          audit events per writer thread (default 20000: 8 threads → 160,000 events)
#   AUDIT_THREADS   audit writer threads (default 8)
#   WINDOW          events a thread has in flight before it waits (default 512)
#   SERVER_THREADS  worker threads of each `khomun serve` (default: nproc)
#   DURATION        seconds per wrk run (default 5)
#   CONSENT_SUBJECTS  data subjects seeded for the consent figures (default 100000)
#   BENCH_RECORD    1 = append one JSON line to bench/results.jsonl
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KHOMUN_BIN=${KHOMUN_BIN:-build/khomun}
BUILD=$(dirname "$KHOMUN_BIN")
AGENCIES=${AGENCIES:-50000}
DATASETS=${DATASETS:-20000}
BATCH=${BATCH:-1000}
EVENTS=${EVENTS:-20000}
AUDIT_THREADS=${AUDIT_THREADS:-8}
WINDOW=${WINDOW:-512}
SERVER_THREADS=${SERVER_THREADS:-$(nproc)}
DURATION=${DURATION:-5}
WRK_ARGS=(-t2 -c64 "-d${DURATION}s")

say() { printf 'bench/store: %s\n' "$*"; }
die() { printf 'bench/store: error: %s\n' "$*" >&2; exit 1; }

[[ -x $KHOMUN_BIN ]] || die "$KHOMUN_BIN not found or not executable (run 'make' first, or set KHOMUN_BIN)"
[[ -f $BUILD/libkhomun.a ]] || die "$BUILD/libkhomun.a not found (run 'make' first, or set KHOMUN_BIN)"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
for v in AGENCIES BATCH EVENTS AUDIT_THREADS WINDOW SERVER_THREADS DURATION; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
((AUDIT_THREADS <= 64)) || die "AUDIT_THREADS must be at most 64"

# --- PostgreSQL: start a throw-away server through scripts/pg.sh unless one is given ------------
# The inner run (under pg.sh) touches $BENCH_STORE_MARKER as soon as it starts: if pg.sh exits
# without having run it, PostgreSQL did not start, and the SQLite half runs alone.
if [[ -z ${KHOMUN_TEST_PG:-} && -z ${BENCH_STORE_NO_PG:-} ]]; then
	MARKER=$(mktemp "${TMPDIR:-/tmp}/khomun-bench-store-pg.XXXXXX")
	trap 'rm -f "$MARKER"' EXIT
	rc=0
	# PG_SERVER_OPTS set and empty: PostgreSQL's durable defaults (pg.sh's default is fsync=off)
	BENCH_STORE_MARKER=$MARKER BENCH_STORE_PG_SOURCE="scripts/pg.sh (throw-away cluster)" \
		PG_SERVER_OPTS='' bash scripts/pg.sh bash bench/store/run.sh || rc=$?
	if [[ -s $MARKER ]]; then
		exit "$rc"
	fi
	rm -f "$MARKER"
	trap - EXIT
	say "PostgreSQL could not be started through scripts/pg.sh (exit status $rc): running SQLite only" >&2
	BENCH_STORE_NO_PG="PostgreSQL could not be started (scripts/pg.sh exit status $rc)" \
		exec bash bench/store/run.sh
fi
[[ -n ${BENCH_STORE_MARKER:-} ]] && echo started >"$BENCH_STORE_MARKER"

PG_BASE=${KHOMUN_TEST_PG:-}
PG_SOURCE=${BENCH_STORE_PG_SOURCE:-KHOMUN_TEST_PG}
PG_SKIP=${BENCH_STORE_NO_PG:-}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-bench-store.XXXXXX")
SERVER_PIDS=()
WRK_PIDS=()
PG_DBS=()

stop_pid() {
	local pid=$1 name=$2
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "bench/store: $name ($pid) did not stop on SIGTERM within 5s; sending SIGKILL" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	local p
	for p in "${WRK_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	for p in "${SERVER_PIDS[@]}"; do stop_pid "$p" server; done
	if [[ $rc -ne 0 ]]; then
		for f in "$TMP"/*.log; do
			[[ -s $f ]] || continue
			echo "bench/store: last lines of $(basename "$f"):" >&2
			tail -n 10 "$f" >&2
		done
	fi
	for d in "${PG_DBS[@]}"; do
		psql -X -q -d "$PG_BASE" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
	done
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build ----------------------------------------------------------------------------------------
PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)
[[ -n $PKGS ]] || die "no PKGS line in the Makefile"
SAN=()
# shellcheck disable=SC2054  # one -fsanitize argument, the comma is part of it
case $BUILD in *asan*) SAN=(-fsanitize=address,undefined) ;; *tsan*) SAN=(-fsanitize=thread) ;; esac
# shellcheck disable=SC2046,SC2086  # pkg-config's words are meant to split
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g "${SAN[@]}" -Iinclude $(pkg-config --cflags $PKGS 2>/dev/null) \
	-o "$TMP/bench_store" bench/store/bench_store.c "$BUILD/libkhomun.a" \
	$(pkg-config --libs $PKGS 2>/dev/null) -ldl -lpthread || die "cannot build bench/store/bench_store.c"

# --- PostgreSQL databases and settings -------------------------------------------------------------
# pg_uri NAME: $PG_BASE with its database replaced by NAME (query string kept)
pg_uri() {
	local base=${PG_BASE%%\?*} query=${PG_BASE#"${PG_BASE%%\?*}"} rest host
	rest=${base#*://}
	host=${base%%://*}://${rest%%/*}
	printf '%s/%s%s' "$host" "$1" "$query"
}
PG_SETTINGS=
if [[ -z $PG_SKIP ]]; then
	if ! command -v psql >/dev/null; then
		PG_SKIP="psql not found (install postgresql-client-15)"
	else
		for part in lib http consent; do
			db=khm_bench_store_$$_$part
			if psql -X -q -v ON_ERROR_STOP=1 -d "$PG_BASE" -c "CREATE DATABASE $db TEMPLATE template0" \
				>/dev/null 2>"$TMP/psql.err"; then
				PG_DBS+=("$db")
			else
				PG_SKIP="cannot create a database on ${PG_BASE%%\?*}: $(head -n 1 "$TMP/psql.err")"
				break
			fi
		done
	fi
fi
if [[ -z $PG_SKIP ]]; then
	PG_LIB=$(pg_uri "${PG_DBS[0]}")
	PG_HTTP=$(pg_uri "${PG_DBS[1]}")
	PG_CONSENT=$(pg_uri "${PG_DBS[2]}")
	PG_VERSION=$(psql -X -A -t -d "$PG_LIB" -c "SELECT split_part(current_setting('server_version'), ' ', 1)")
	PG_SETTINGS=$(psql -X -A -t -d "$PG_LIB" -c "SELECT string_agg(n || '=' || current_setting(n), ' ' ORDER BY o)
		FROM unnest(ARRAY['fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method',
		                  'shared_buffers', 'max_connections']) WITH ORDINALITY AS t(n, o)")
	PG_DURABLE=1
	for s in fsync synchronous_commit full_page_writes; do
		[[ " $PG_SETTINGS " == *" $s=on "* ]] || PG_DURABLE=0
	done
fi

# --- 1 + 2: the library ---------------------------------------------------------------------------
declare -A R # R[backend.key] = value, from bench_store's RESULT line
run_lib() {
	local backend=$1 uri=$2 line kv
	"$TMP/bench_store" "$uri" "$AGENCIES" "$BATCH" "$EVENTS" "$AUDIT_THREADS" "$WINDOW" "$DATASETS" \
		>"$TMP/lib-$backend.out" 2>"$TMP/lib-$backend.log" || die "bench_store failed on $backend: $(tail -n 3 "$TMP/lib-$backend.log")"
	line=$(grep '^RESULT ' "$TMP/lib-$backend.out") || die "no RESULT line from bench_store on $backend"
	for kv in ${line#RESULT }; do R[$backend.${kv%%=*}]=${kv#*=}; done
}
mkdir -p "$TMP/sqlite"
run_lib sqlite "$TMP/sqlite/khomun.db"
[[ -n $PG_SKIP ]] || run_lib postgres "$PG_LIB"

# --- 3: HTTP --------------------------------------------------------------------------------------
# init_data NAME [--db URI]: khomun init into $TMP/NAME; sets TOKEN
init_data() {
	local name=$1
	shift
	"$KHOMUN_BIN" init --data "$TMP/$name" "$@" --format json >"$TMP/$name-init.json" 2>"$TMP/$name-init.log" ||
		die "khomun init failed: $(cat "$TMP/$name-init.log")"
	TOKEN=$(sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\(khm_[A-Za-z0-9_-]*\)".*/\1/p' "$TMP/$name-init.json" | head -n 1)
	[[ $TOKEN =~ ^khm_[A-Za-z0-9_-]{43}$ ]] || die "no admin token (.token) in the output of khomun init --format json"
}

# start_server TAG DATA [--db URI]: khomun serve on a free loopback port; sets PORT
start_server() {
	local tag=$1 data=$2 pid
	shift 2
	"$KHOMUN_BIN" serve --data "$TMP/$data" "$@" --listen 127.0.0.1:0 --threads "$SERVER_THREADS" \
		--log-level warn >"$TMP/$tag.out" 2>"$TMP/serve-$tag.log" &
	pid=$!
	SERVER_PIDS+=("$pid")
	PORT=
	for _ in $(seq 100); do
		PORT=$(sed -n 's|^khomun: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/serve-$tag.log" | head -n 1)
		[[ -n $PORT ]] && return 0
		kill -0 "$pid" 2>/dev/null || die "khomun serve ($tag) exited before listening"
		sleep 0.1
	done
	die "khomun serve ($tag) did not print 'khomun: listening on http://127.0.0.1:PORT' within 10s"
}

# wrk_start TAG PORT: wrk on whoami in the background (output in $TMP/TAG.wrk)
wrk_start() {
	wrk "${WRK_ARGS[@]}" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/api/v1/whoami" \
		>"$TMP/$1.wrk" 2>&1 &
	WRK_PIDS+=("$!")
}
# wrk_wait TAG…: waits for the wrk runs started, checks each, sets RPS to their Requests/sec
# summed (not in $(…): the wrk processes are children of this shell)
wrk_wait() {
	local pid sum=0 rps f
	for pid in "${WRK_PIDS[@]}"; do wait "$pid" || die "wrk failed: $(cat "$TMP"/*.wrk)"; done
	WRK_PIDS=()
	for f in "$@"; do
		f=$TMP/$f.wrk
		if grep -q 'Non-2xx or 3xx responses' "$f"; then
			cat "$f" >&2
			die "wrk saw non-2xx responses; the figures are not valid"
		fi
		grep -q 'Socket errors' "$f" &&
			echo "bench/store: warning: $(basename "$f" .wrk): $(grep 'Socket errors' "$f" | sed 's/^[[:space:]]*//')" >&2
		rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
		[[ $rps =~ ^[0-9]+(\.[0-9]+)?$ ]] || { cat "$f" >&2; die "no Requests/sec in wrk output"; }
		sum=$(awk -v a="$sum" -v b="$rps" 'BEGIN { printf "%.0f", a + b }')
	done
	RPS=$sum
}

init_data sqlite-data
start_server sqlite sqlite-data
wrk_start sqlite "$PORT"
wrk_wait sqlite
R[sqlite.whoami1]=$RPS
stop_pid "${SERVER_PIDS[0]}" server
SERVER_PIDS=()

if [[ -z $PG_SKIP ]]; then
	init_data pg-data --db "$PG_HTTP"
	start_server pg-a pg-data --db "$PG_HTTP"
	PORT_A=$PORT
	wrk_start pg-one "$PORT_A"
	wrk_wait pg-one
	R[postgres.whoami1]=$RPS
	# the second server shares the data directory (keys) and the database, as behind a balancer
	start_server pg-b pg-data --db "$PG_HTTP"
	PORT_B=$PORT
	wrk_start pg-two-a "$PORT_A"
	wrk_start pg-two-b "$PORT_B"
	wrk_wait pg-two-a pg-two-b
	R[postgres.whoami2]=$RPS
	for p in "${SERVER_PIDS[@]}"; do stop_pid "$p" server; done
	SERVER_PIDS=()
fi

# --- consent: grants and the check over HTTP, by bench/consent/run.sh ------------------------------
# consent_run BACKEND [ENV…]: runs it with a short check load; its RESULT line into R[BACKEND.consent_*]
consent_run() {
	local backend=$1 line kv
	shift
	env "$@" KHOMUN_BIN="$KHOMUN_BIN" SUBJECTS="${CONSENT_SUBJECTS:-100000}" CHECKS=200000 \
		DURATION="$DURATION" THREADS="$SERVER_THREADS" bash bench/consent/run.sh \
		>"$TMP/consent-$backend.log" 2>&1 || { tail -n 20 "$TMP/consent-$backend.log" >&2; die "bench/consent failed on $backend"; }
	line=$(grep '^RESULT ' "$TMP/consent-$backend.log") || die "no RESULT line from bench/consent on $backend"
	for kv in ${line#RESULT }; do R[$backend.consent_${kv%%=*}]=${kv#*=}; done
}
consent_run sqlite
[[ -n $PG_SKIP ]] || consent_run postgres DB="$PG_CONSENT" SERVERS=2

# --- the table --------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }
row() { # label sqlite pg
	local pg=${3:-} r
	r=$(ratio "$pg" "$2")
	[[ -n $pg ]] || pg=skipped
	printf 'bench/store: %-46s %10s %12s %10s\n' "$1" "$2" "$pg" "$r"
}
pgv() { [[ -n $PG_SKIP ]] || printf '%s' "${R[postgres.$1]:-}"; }

say "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "SQLite ${R[sqlite.sqlite_version]}: as the store opens it — WAL, synchronous=FULL, file in ${TMPDIR:-/tmp}"
if [[ -n $PG_SKIP ]]; then
	say "PostgreSQL skipped: $PG_SKIP"
else
	say "PostgreSQL $PG_VERSION from $PG_SOURCE, same host: $PG_SETTINGS"
	((PG_DURABLE)) ||
		say "note: PostgreSQL is NOT on its durable settings (fsync/synchronous_commit/full_page_writes off): its figures are flattered"
fi
printf 'bench/store: %-46s %10s %12s %10s\n' "" "SQLite" "PostgreSQL" "PG/SQLite"
row "store round trip (khm_store_ping), us" "${R[sqlite.ping_us]}" "$(pgv ping_us)"
row "agencies created/s" "${R[sqlite.agencies_per_s]}" "$(pgv agencies_per_s)"
row "catalog datasets imported/s" "${R[sqlite.datasets_per_s]}" "$(pgv datasets_per_s)"
row "audit appends/s, durable ($AUDIT_THREADS threads)" "${R[sqlite.audit_per_s]}" "$(pgv audit_per_s)"
row "GET /api/v1/whoami req/s, one server" "${R[sqlite.whoami1]}" "$(pgv whoami1)"
if [[ -z $PG_SKIP ]]; then
	printf 'bench/store: %-46s %10s %12s %10s  (two servers / one on PG: %s)\n' \
		"GET /api/v1/whoami req/s, two servers, one DB" "-" "${R[postgres.whoami2]}" \
		"$(ratio "${R[postgres.whoami2]}" "${R[sqlite.whoami1]}")" "$(ratio "${R[postgres.whoami2]}" "${R[postgres.whoami1]}")"
fi
row "consent grants/s, durable" "${R[sqlite.consent_grants_per_s]}" "$(pgv consent_grants_per_s)"
row "GET /api/v1/consents/check req/s, one server" "${R[sqlite.consent_check_rps]}" "$(pgv consent_check_rps)"
if [[ -z $PG_SKIP ]]; then
	printf 'bench/store: %-46s %10s %12s %10s  (two servers / one on PG: %s)\n' \
		"consents/check req/s, two servers, one DB" "-" "${R[postgres.consent_two_servers_check_rps]}" \
		"$(ratio "${R[postgres.consent_two_servers_check_rps]}" "${R[sqlite.consent_check_rps]}")" \
		"$(ratio "${R[postgres.consent_two_servers_check_rps]}" "${R[postgres.consent_check_rps]}")"
fi
say "agencies: $AGENCIES rows, khm_agency_create, $BATCH per write transaction"
say "catalog: $DATASETS datasets through khm_catalog_import (validation, history, Thai search index), $BATCH per file and transaction"
say "audit: $((EVENTS * AUDIT_THREADS)) events, window $WINDOW; events per commit: SQLite ${R[sqlite.events_per_commit]}$([[ -n $PG_SKIP ]] || printf ', PostgreSQL %s' "${R[postgres.events_per_commit]}")"
say "whoami: wrk ${WRK_ARGS[*]} per server, $SERVER_THREADS server threads each; token lookup + an audit event per request;$([[ -n $PG_SKIP ]] || printf ' the two-server figure is two wrk at once, summed;') server(s) and wrk share this host's $(nproc) CPUs"
say "consent: bench/consent/run.sh with ${CONSENT_SUBJECTS:-100000} subjects × 5 purposes; grants in transactions of 10,000; the check with random seeded subjects, wrk -t2 -c64 per server; on PostgreSQL each check also needs a read of the newest consent sequences started after it arrived, shared by the checks waiting at that moment (strict across servers, docs/operations/scale-out.md)"

if [[ ${BENCH_RECORD:-0} == 1 ]]; then
	n() { if [[ -n ${1:-} ]]; then printf '%s' "$1"; else printf 'null'; fi; }
	PG_JSON=null DURABLE_JSON=null
	if [[ -z $PG_SKIP ]]; then
		PG_JSON="\"$PG_VERSION\"" DURABLE_JSON=false
		((PG_DURABLE)) && DURABLE_JSON=true
	fi
	printf '{"bench":"store","date":"%s","commit":"%s","cpus":%d,"server_threads":%d,"duration_s":%d,"wrk":"%s","postgres":%s,"pg_durable":%s,"sqlite_agencies_per_s":%s,"pg_agencies_per_s":%s,"sqlite_audit_per_s":%s,"pg_audit_per_s":%s,"sqlite_whoami_rps":%s,"pg_whoami_rps":%s,"pg_two_servers_whoami_rps":%s,"sqlite_ping_us":%s,"pg_ping_us":%s,"sqlite_datasets_per_s":%s,"pg_datasets_per_s":%s,"sqlite_consent_grants_per_s":%s,"pg_consent_grants_per_s":%s,"sqlite_consent_check_rps":%s,"pg_consent_check_rps":%s,"pg_two_servers_consent_check_rps":%s}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		"$(nproc)" "$SERVER_THREADS" "$DURATION" "${WRK_ARGS[*]:0:2}" \
		"$PG_JSON" "$DURABLE_JSON" \
		"${R[sqlite.agencies_per_s]}" "$(n "$(pgv agencies_per_s)")" \
		"${R[sqlite.audit_per_s]}" "$(n "$(pgv audit_per_s)")" \
		"${R[sqlite.whoami1]}" "$(n "$(pgv whoami1)")" "$(n "$(pgv whoami2)")" \
		"${R[sqlite.ping_us]}" "$(n "$(pgv ping_us)")" \
		"${R[sqlite.datasets_per_s]}" "$(n "$(pgv datasets_per_s)")" \
		"${R[sqlite.consent_grants_per_s]}" "$(n "$(pgv consent_grants_per_s)")" \
		"${R[sqlite.consent_check_rps]}" "$(n "$(pgv consent_check_rps)")" \
		"$(n "$(pgv consent_two_servers_check_rps)")" >>bench/results.jsonl
	echo "bench/store: recorded in bench/results.jsonl" >&2
fi
