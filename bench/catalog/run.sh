#!/usr/bin/env bash
# bench/catalog/run.sh — the catalog at scale (issue 4, "Speed — bench/catalog"; not a test).
#
# Generates DATASETS (100,000) datasets with Thai and English GD-Catalog metadata (gen.h: real
# Thai words, deterministic) and prints, per backend:
#
#   import, datasets/s           khm_catalog_import (`khomun catalog import`: validation, the
#                                dataset row, its history entry, its search entry, its tags), all
#                                in ONE write transaction, files of BATCH; also per CPU second
#   the floor, datasets/s        SQLite only, the baseline beside the import: the same rows and
#                                search text written to a fresh file by bare SQLite (prepared
#                                inserts, one FTS5 index with its unicode61 tokenizer, one
#                                transaction; no validation, history, tags, other indexes or Thai
#                                segmentation): the ceiling of any import into one SQLite file
#                                on this machine, and import / floor; then the same with a
#                                history row and the tag rows (each under its primary key)
#   latency p50/p95/p99, ms      one read transaction per call, as GET /api/v1/datasets runs it
#                                (khm_store_dataset_find, a page of LIMIT and one row more):
#                                Thai searches, English searches, searches with a filter, searches
#                                with tag / personal / another order, filtered listings, listings
#                                with tag / personal / orders — beside the baseline, one dataset
#                                read by id (khm_store_dataset_get)
#   HTTP latency p50/p95/p99     the same queries through `khomun serve` (curl, one keep-alive
#                                connection, an admin token): what a client waits, routing, the
#                                policy decision per row, JSON and the audit event included;
#                                beside GET /api/v1/datasets/{name} (get), the HTTP baseline.
#                                The admin's agency owns none of the datasets, so another
#                                agency's internal and personal ones are not theirs: a page
#                                holds what they may see ("rows a page"), fewer than the
#                                library's, none for some queries (category=personal …)
#
# SQLite always; PostgreSQL when PG* variables or KHOMUN_TEST_PG are set (a fresh database is
# created on that server and dropped at the end): `bash scripts/pg.sh bench/catalog/run.sh`.
# Targets (issue 4): import >= 20,000 datasets/s; search p95 < 10 ms.
#
# Environment:
#   KHOMUN_BIN   the binary; its directory holds libkhomun.a (default build/khomun)
#   DATASETS     datasets imported (default 100000)
#   BATCH        datasets per catalog file given to khm_catalog_import (default 5000)
#   REPS         library calls per query class (default 500)
#   HTTP_REPS    HTTP requests per query class (default 100; 0 skips HTTP)
#   LIMIT        page size (default 100, the API's default)
#   BENCH_VERBOSE=1  also each query's median (which ones are slow)
#   BENCH_RECORD=1   append one JSON line per backend to bench/results.jsonl
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KHOMUN_BIN=${KHOMUN_BIN:-build/khomun}
BUILD=$(dirname "$KHOMUN_BIN")
DATASETS=${DATASETS:-100000}
BATCH=${BATCH:-5000}
REPS=${REPS:-500}
HTTP_REPS=${HTTP_REPS:-100}
LIMIT=${LIMIT:-100}

say() { printf 'bench/catalog: %s\n' "$*"; }
die() { printf 'bench/catalog: error: %s\n' "$*" >&2; exit 1; }

[[ -x $KHOMUN_BIN ]] || die "$KHOMUN_BIN not found or not executable (run 'make' first, or set KHOMUN_BIN)"
[[ -f $BUILD/libkhomun.a ]] || die "$BUILD/libkhomun.a not found (run 'make' first, or set KHOMUN_BIN)"
for v in DATASETS BATCH REPS LIMIT; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
[[ $HTTP_REPS =~ ^[0-9]+$ ]] || die "HTTP_REPS must be a number, got '$HTTP_REPS'"
((LIMIT <= 500)) || die "LIMIT must be at most 500"
((REPS >= 10)) || die "REPS must be at least 10"
if ((HTTP_REPS > 0)) && ! command -v curl >/dev/null; then
	say "curl not found: HTTP skipped" >&2
	HTTP_REPS=0
fi

# PostgreSQL: KHOMUN_TEST_PG, or the libpq variables scripts/pg.sh exports
PG_BASE=${KHOMUN_TEST_PG:-}
if [[ -z $PG_BASE && -n ${PGHOST:-} ]]; then
	PG_BASE="postgres://${PGUSER:-postgres}@${PGHOST}:${PGPORT:-5432}/${PGDATABASE:-postgres}"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-bench-catalog.XXXXXX")
SERVER_PID=
PG_DB=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n $SERVER_PID ]]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 ]]; then
		for f in "$TMP"/*.log; do
			[[ -s $f ]] || continue
			echo "bench/catalog: last lines of $(basename "$f"):" >&2
			tail -n 10 "$f" >&2
		done
	fi
	if [[ -n $PG_DB ]]; then
		psql -X -q -d "$PG_BASE" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
	fi
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
	-o "$TMP/bench_catalog" bench/catalog/bench_catalog.c "$BUILD/libkhomun.a" \
	$(pkg-config --libs $PKGS 2>/dev/null) -ldl -lpthread -lm || die "cannot build bench/catalog/bench_catalog.c"

# --- HTTP: the same queries through khomun serve ---------------------------------------------------
urlencode() { # the query string: each byte outside [A-Za-z0-9=&._-] as %XX
	local LC_ALL=C s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9=\&._-]) out+=$c ;;
		' ') out+=%20 ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

# pct FILE P: the P-th percentile (nearest rank) of the numbers in FILE, in ms
pct() { sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; printf "%.3f", v[i] * 1000 }'; }

# http_bench TAG DATA [--db URI]: serve DATA, run HTTP_REPS requests per class from $TMP/queries-TAG
declare -A H
http_bench() {
	local tag=$1 data=$2 port token cls args n q i qs
	shift 2
	token=$(sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\(khm_[A-Za-z0-9_-]*\)".*/\1/p' "$TMP/$tag-init.json" | head -n 1)
	[[ $token =~ ^khm_ ]] || die "no admin token in the output of khomun init"
	: >"$TMP/serve-$tag.log" # (the server opens it after the fork: sed must find it before)
	"$KHOMUN_BIN" serve --data "$data" "$@" --listen 127.0.0.1:0 --log-level warn >"$TMP/serve-$tag.out" 2>"$TMP/serve-$tag.log" &
	SERVER_PID=$!
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's|^khomun: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/serve-$tag.log" | head -n 1)
		[[ -n $port ]] && break
		kill -0 "$SERVER_PID" 2>/dev/null || die "khomun serve ($tag) exited before listening"
		sleep 0.1
	done
	[[ -n $port ]] || die "khomun serve ($tag) did not start listening"
	for cls in get thai english search_filtered search_more listing listing_more; do
		args=()
		if [[ $cls == get ]]; then # the baseline: one dataset by name (GET /api/v1/datasets/{id})
			# the names of datasets the caller may see (another agency's classified ones are 403)
			mapfile -t qs < <(curl -s -H "Authorization: Bearer $token" \
				"http://127.0.0.1:$port/api/v1/datasets?limit=500&sort=-updated" | grep -o 'ds-[0-9]\{7\}' | sort -u)
			n=${#qs[@]}
			((n > 0)) || die "no dataset listed for $tag"
			for ((i = 0; i < HTTP_REPS; i++)); do
				args+=(-o /dev/null "http://127.0.0.1:$port/api/v1/datasets/${qs[i * 7 % n]}")
			done
		else
			mapfile -t qs < <(awk -F'\t' -v c="$cls" '$1 == c { print $2 }' "$TMP/queries-$tag")
			n=${#qs[@]}
			((n > 0)) || continue
			for ((i = 0; i < HTTP_REPS; i++)); do
				q=${qs[i % n]}
				args+=(-o /dev/null "http://127.0.0.1:$port/api/v1/datasets?limit=$LIMIT&$(urlencode "$q")")
			done
		fi
		# the rows a page holds for this caller, over the class's queries (another agency's
		# internal and personal datasets are not the admin's: some pages are empty over HTTP
		# that are full in the library's figures above)
		if [[ $cls != get ]]; then
			local rows=0 u
			for ((i = 0; i < n; i++)); do
				u="http://127.0.0.1:$port/api/v1/datasets?limit=$LIMIT&$(urlencode "${qs[i]}")"
				rows=$((rows + $(curl -s -H "Authorization: Bearer $token" "$u" | { grep -ao '"name":"ds-[0-9]*"' || true; } | wc -l)))
			done
			H[$tag.$cls.rows]=$(awk -v r="$rows" -v n="$n" 'BEGIN { printf "%.0f", r / n }')
		fi
		# one curl, one keep-alive connection (-o per URL: each transfer timed on its own);
		# a warm-up pass over the class's queries first
		curl -s -H "Authorization: Bearer $token" "${args[@]:0:$((3 * n))}" >/dev/null
		curl -s -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" "${args[@]}" >"$TMP/http-$tag-$cls.raw"
		if grep -qv '^200 ' "$TMP/http-$tag-$cls.raw"; then
			grep -v '^200 ' "$TMP/http-$tag-$cls.raw" | head -n 3 >&2
			die "HTTP $cls on $tag: not every answer was 200"
		fi
		awk '{ print $2 }' "$TMP/http-$tag-$cls.raw" >"$TMP/http-$tag-$cls"
		H[$tag.$cls]="$(pct "$TMP/http-$tag-$cls" 50) $(pct "$TMP/http-$tag-$cls" 95) $(pct "$TMP/http-$tag-$cls" 99)"
	done
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

# --- one backend ------------------------------------------------------------------------------------
declare -A R
run_backend() { # TAG URI [--db URI for init/serve]
	local tag=$1 uri=$2 line kv
	shift 2
	"$KHOMUN_BIN" init --data "$TMP/$tag-data" "$@" --format json >"$TMP/$tag-init.json" 2>"$TMP/$tag-init.log" ||
		die "khomun init ($tag) failed: $(cat "$TMP/$tag-init.log")"
	[[ -n $uri ]] || uri=$TMP/$tag-data/khomun.db
	say "$tag: importing $DATASETS datasets …"
	BENCH_QUERIES=$TMP/queries-$tag "$TMP/bench_catalog" "$uri" "$DATASETS" "$BATCH" "$REPS" "$LIMIT" \
		>"$TMP/lib-$tag.out" 2>"$TMP/lib-$tag.log" || die "bench_catalog failed on $tag: $(tail -n 3 "$TMP/lib-$tag.log")"
	grep -v '^RESULT ' "$TMP/lib-$tag.out"
	[[ -n ${BENCH_VERBOSE:-} ]] && grep '^bench/catalog:   ' "$TMP/lib-$tag.log"
	line=$(grep '^RESULT ' "$TMP/lib-$tag.out") || die "no RESULT line from bench_catalog on $tag"
	for kv in ${line#RESULT }; do R[$tag.${kv%%=*}]=${kv#*=}; done
	if ((HTTP_REPS > 0)); then
		http_bench "$tag" "$TMP/$tag-data" "$@"
		say "$tag: over HTTP, $HTTP_REPS requests per class (GET /api/v1/datasets?limit=$LIMIT&…, admin token, one connection):"
		local cls
		for cls in get thai english search_filtered search_more listing listing_more; do
			[[ -n ${H[$tag.$cls]:-} ]] || continue
			read -r a b c <<<"${H[$tag.$cls]}"
			printf 'bench/catalog:   %-32s p50 %7s  p95 %7s  p99 %7s ms%s\n' "$cls" "$a" "$b" "$c" \
				"${H[$tag.$cls.rows]:+  (${H[$tag.$cls.rows]} rows a page on average)}"
		done
	fi
}

say "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "SQLite as the store opens it (WAL, synchronous=FULL), file in ${TMPDIR:-/tmp}"
run_backend sqlite ""

PG_SKIP="no PG* variables or KHOMUN_TEST_PG (bash scripts/pg.sh bench/catalog/run.sh)"
if [[ -n $PG_BASE ]]; then
	if ! command -v psql >/dev/null; then
		PG_SKIP="psql not found"
	else
		PG_DB=khm_bench_catalog_$$
		if psql -X -q -v ON_ERROR_STOP=1 -d "$PG_BASE" -c "CREATE DATABASE $PG_DB TEMPLATE template0" >/dev/null 2>"$TMP/psql.log"; then
			base=${PG_BASE%%\?*}
			query=${PG_BASE#"$base"}
			rest=${base#*://}
			PG_URI="${base%%://*}://${rest%%/*}/$PG_DB$query"
			settings=$(psql -X -A -t -d "$PG_URI" -c "SELECT current_setting('server_version') || ' ' || string_agg(n || '=' || current_setting(n), ' ')
				FROM unnest(ARRAY['fsync', 'synchronous_commit', 'shared_buffers']) n")
			say "PostgreSQL $settings"
			PG_SKIP=
			run_backend postgres "$PG_URI" --db "$PG_URI"
		else
			PG_SKIP="cannot create a database: $(head -n 1 "$TMP/psql.log")"
			PG_DB=
		fi
	fi
fi
[[ -z $PG_SKIP ]] || say "PostgreSQL skipped: $PG_SKIP"

# --- the summary --------------------------------------------------------------------------------------
ok() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { if (v == "") print "-"; else if ((dir == "ge" && v + 0 >= t) || (dir == "lt" && v + 0 < t)) print "met"; else print "NOT met" }'; }
say "targets (issue 4): import >= 20000 datasets/s; search p95 < 10 ms (CPU: this process's, all of the work on SQLite, the client's share on PostgreSQL)"
for b in sqlite postgres; do
	[[ -n ${R[$b.import_per_s]:-} ]] || continue
	floor=
	((${R[$b.floor_per_s]:-0} > 0)) && floor="; bare SQLite floor ${R[$b.floor_per_s]}/s"
	say "$b: import ${R[$b.import_per_s]}/s, ${R[$b.import_per_cpu_s]} per CPU second ($(ok "${R[$b.import_per_s]}" 20000 ge)${floor}); search p95: Thai ${R[$b.thai_p95]} ms ($(ok "${R[$b.thai_p95]}" 10 lt); CPU ${R[$b.thai_cpu95]}), English ${R[$b.en_p95]} ms ($(ok "${R[$b.en_p95]}" 10 lt); CPU ${R[$b.en_cpu95]}), with a filter ${R[$b.sf_p95]} ms ($(ok "${R[$b.sf_p95]}" 10 lt); CPU ${R[$b.sf_cpu95]}); get by id p95 ${R[$b.get_p95]} ms"
done

if [[ ${BENCH_RECORD:-0} == 1 ]]; then
	for b in sqlite postgres; do
		[[ -n ${R[$b.import_per_s]:-} ]] || continue
		printf '{"bench":"catalog","ts":"%s","commit":"%s","cpus":%s,"backend":"%s","datasets":%s,"limit":%s,"import_per_s":%s,"import_per_cpu_s":%s,"get_p95_ms":%s,"thai_p50_ms":%s,"thai_p95_ms":%s,"thai_p99_ms":%s,"en_p50_ms":%s,"en_p95_ms":%s,"en_p99_ms":%s,"search_filtered_p95_ms":%s,"search_more_p95_ms":%s,"listing_p95_ms":%s,"listing_more_p95_ms":%s}\n' \
			"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$(nproc)" "$b" \
			"$DATASETS" "$LIMIT" "${R[$b.import_per_s]}" "${R[$b.import_per_cpu_s]}" "${R[$b.get_p95]}" \
			"${R[$b.thai_p50]}" "${R[$b.thai_p95]}" "${R[$b.thai_p99]}" "${R[$b.en_p50]}" "${R[$b.en_p95]}" \
			"${R[$b.en_p99]}" "${R[$b.sf_p95]}" "${R[$b.sm_p95]}" "${R[$b.list_p95]}" "${R[$b.lm_p95]}" >>bench/results.jsonl
	done
	echo "bench/catalog: recorded in bench/results.jsonl" >&2
fi
