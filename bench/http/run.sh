#!/usr/bin/env bash
# bench/http/run.sh — HTTP benchmark (not a test): an authenticated API route against the
# unauthenticated hello route, measured back to back by wrk against one `khomun serve`.
#
#   GET /healthz          no store access, no auth: the server's ceiling (baseline)
#   GET /api/v1/whoami    bearer-token lookup (hash + store read) + JSON response
#
# Prints both rates and whoami/healthz. Targets: ratio >= 0.60, healthz >= 100000 req/s.
#
# Environment:
#   KHOMUN_BIN    binary to run (default build/khomun; relative paths are from the repo root)
#   THREADS       server worker threads (default: nproc)
#   DURATION      seconds per wrk run (default 10)
#   BENCH_RECORD  1 = append one JSON line to bench/results.jsonl
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KHOMUN_BIN=${KHOMUN_BIN:-build/khomun}
THREADS=${THREADS:-$(nproc)}
DURATION=${DURATION:-10}
WRK_ARGS=(-t2 -c64 "-d${DURATION}s")
TARGET_RATIO=0.60
TARGET_HEALTHZ=100000

die() { printf 'bench/http: error: %s\n' "$*" >&2; exit 1; }

[[ -x $KHOMUN_BIN ]] || die "$KHOMUN_BIN not found or not executable (run 'make' first, or set KHOMUN_BIN)"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a positive integer number of seconds, got '$DURATION'"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer, got '$THREADS'"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-bench-http.XXXXXX")
SERVER_PID=

cleanup() {
	local rc=$?
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "bench/http: server did not stop on SIGTERM within 5s; sending SIGKILL" >&2
			kill -KILL "$SERVER_PID" 2>/dev/null || true
		fi
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -s $TMP/serve.log ]]; then
		echo "bench/http: last lines of the server log:" >&2
		tail -n 20 "$TMP/serve.log" >&2
	fi
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- data directory and admin token -------------------------------------------------------------
"$KHOMUN_BIN" init --data "$TMP/data" --format json >"$TMP/init.json" 2>"$TMP/init.err" ||
	die "khomun init failed: $(cat "$TMP/init.err")"
if command -v node >/dev/null; then
	TOKEN=$(node -e '
		const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
		if (typeof j.token !== "string") process.exit(1);
		process.stdout.write(j.token);' <"$TMP/init.json") || TOKEN=
else
	TOKEN=$(sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\(khm_[A-Za-z0-9_-]*\)".*/\1/p' "$TMP/init.json" | head -n 1)
fi
[[ $TOKEN =~ ^khm_[A-Za-z0-9_-]{43}$ ]] || die "no admin token (.token) in the output of khomun init --format json"

# --- server --------------------------------------------------------------------------------------
"$KHOMUN_BIN" serve --data "$TMP/data" --listen 127.0.0.1:0 --threads "$THREADS" \
	--log-level warn >"$TMP/serve.out" 2>"$TMP/serve.log" &
SERVER_PID=$!

PORT=
for _ in $(seq 100); do
	PORT=$(sed -n 's|^khomun: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/serve.log" | head -n 1)
	[[ -n $PORT ]] && break
	kill -0 "$SERVER_PID" 2>/dev/null || die "khomun serve exited before listening"
	sleep 0.1
done
[[ -n $PORT ]] || die "khomun serve did not print 'khomun: listening on http://127.0.0.1:PORT' within 10s"
BASE=http://127.0.0.1:$PORT

# --- measurements --------------------------------------------------------------------------------
# run_wrk NAME URL [wrk args...]: runs wrk, keeps its output in $TMP/NAME.wrk, prints Requests/sec.
run_wrk() {
	local url=$2 out=$TMP/$1.wrk rps
	shift 2
	wrk "${WRK_ARGS[@]}" "$@" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed for $url"; }
	if grep -q 'Non-2xx or 3xx responses' "$out"; then
		cat "$out" >&2
		die "$url: wrk saw non-2xx responses ($(sed -n 's/.*Non-2xx or 3xx responses:[[:space:]]*//p' "$out")); the figures are not valid"
	fi
	if grep -q 'Socket errors' "$out"; then
		echo "bench/http: warning: $url: $(grep 'Socket errors' "$out" | sed 's/^[[:space:]]*//')" >&2
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	[[ $rps =~ ^[0-9]+(\.[0-9]+)?$ ]] || { cat "$out" >&2; die "$url: no Requests/sec in wrk output"; }
	printf '%s\n' "$rps"
}

HEALTHZ_RPS=$(run_wrk healthz "$BASE/healthz")
WHOAMI_RPS=$(run_wrk whoami "$BASE/api/v1/whoami" -H "Authorization: Bearer $TOKEN")
RATIO=$(awk -v a="$WHOAMI_RPS" -v b="$HEALTHZ_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')

printf 'bench/http: %-25s %9.0f req/s\n' 'GET /healthz' "$HEALTHZ_RPS"
printf 'bench/http: %-25s %9.0f req/s\n' 'GET /api/v1/whoami (auth)' "$WHOAMI_RPS"
printf 'bench/http: %-25s %8s  (target >= %s; healthz target >= %s)\n' \
	'ratio whoami/healthz' "$RATIO" "$TARGET_RATIO" "$TARGET_HEALTHZ"

# Below target is reported, not failed: a benchmark is not a test.
awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { exit !(r < t) }' &&
	echo "bench/http: note: ratio $RATIO is below the target $TARGET_RATIO" >&2
awk -v h="$HEALTHZ_RPS" -v t="$TARGET_HEALTHZ" 'BEGIN { exit !(h < t) }' &&
	echo "bench/http: note: healthz $HEALTHZ_RPS req/s is below the target $TARGET_HEALTHZ" >&2

if [[ ${BENCH_RECORD:-0} == 1 ]]; then
	COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	printf '{"bench":"http","date":"%s","commit":"%s","threads":%d,"cpus":%d,"duration_s":%d,"wrk":"%s","healthz_rps":%.0f,"whoami_rps":%.0f,"ratio":%s}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$THREADS" "$(nproc)" "$DURATION" "${WRK_ARGS[*]:0:2}" \
		"$HEALTHZ_RPS" "$WHOAMI_RPS" "$RATIO" >>bench/results.jsonl
	echo "bench/http: recorded in bench/results.jsonl" >&2
fi
