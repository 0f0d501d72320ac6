#!/usr/bin/env bash
# bench/discover/run.sh — data-subject discovery (issue 5, PDPA s.30 right of access: "a targeted
# scan over stored resources … it must be fast — measure it"; not a test).
#
# A demo data directory (`khomun init --demo`, SQLite) gets DISCOVER_MB MiB of synthetic people
# files (bench/scan/gen.c: CSV, JSON Lines and Thai prose, about one personal-data value per 200
# bytes, every national ID with a valid check digit) as resources of the Ministry of Public
# Health's chronic-patient register, beside the demo's own file that holds the planted subject
# (1101000000009, its first row). The subject is planted again in the middle of the last file in
# another written form ("1 1010 00000 00 9"). Then, for an access request (`khomun requests add`):
#
#   khomun requests discover ID --subject 1-1010-00000-00-9   every registered file of the agency
#                               scanned for that ID in any written form (the scanner restricted
#                               to TH_TNIN, each finding normalised and compared)
#
# beside, over the same files in the page cache: `cat` (reading them), `rg -c -F` and `grep -c -F`
# for the ID's plain digits (one written form only: a lower bound of the work). Prints GB/s and
# the ratios, and checks the answer: the files found must be the demo file and the planted one.
#
# Environment: KHOMUN_BIN (default build/khomun), DISCOVER_MB (default 512), DISCOVER_FILES (8),
# REPS (3: the best of REPS runs of each), BENCH_RECORD=1 to append a JSON line to
# bench/results.jsonl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

KHOMUN_BIN=${KHOMUN_BIN:-build/khomun}
MB=${DISCOVER_MB:-512}
NFILES=${DISCOVER_FILES:-8}
REPS=${REPS:-3}
PLANTED=1101000000009

die() { printf 'bench/discover: error: %s\n' "$*" >&2; exit 1; }
[[ -x $KHOMUN_BIN ]] || die "$KHOMUN_BIN not found or not executable (run 'make' first)"
[[ $MB =~ ^[1-9][0-9]*$ && $NFILES =~ ^[1-9][0-9]*$ && $REPS =~ ^[1-9][0-9]*$ ]] ||
	die "DISCOVER_MB, DISCOVER_FILES and REPS must be positive integers"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-bench-discover.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
D=$TMP/data

# --- the files ---------------------------------------------------------------------------------
GEN=build/bench/scan_gen # shared with bench/scan
mkdir -p build/bench
if [[ ! -x $GEN || bench/scan/gen.c -nt $GEN ]]; then
	${CC:-cc} -std=c11 -O2 -o "$GEN" bench/scan/gen.c || die "cannot build bench/scan/gen.c"
fi
SEEDS=()
for f in /work/shared/seed/*.txt ../shared/seed/*.txt; do [[ -f $f ]] && SEEDS+=("$f"); done
mkdir -p "$TMP/files"
"$GEN" "$TMP/files" "$MB" "$NFILES" "${SEEDS[@]}" >"$TMP/gen" || die "the generator failed"
FILES=()
while IFS= read -r f; do FILES+=("$f"); done < <(find "$TMP/files" -maxdepth 1 -type f -name 'corpus_*' | sort)
LAST=${FILES[${#FILES[@]} - 1]}
# the subject again, mid-file, in another written form (a line of the file's own kind)
half=$(($(stat -c %s "$LAST") / 2))
{
	head -c "$half" "$LAST" | sed '$d'
	case $LAST in
	*.csv) printf 'สมชาย,ใจดี,1 1010 00000 00 9,0812345678,somchai@example.go.th\n' ;;
	*.jsonl) printf '{"name":"สมชาย ใจดี","citizen_id":"1 1010 00000 00 9"}\n' ;;
	*) printf 'ผู้ป่วยเลขประจำตัวประชาชน 1 1010 00000 00 9 มาตามนัด\n' ;;
	esac
	tail -c "+$((half + 1))" "$LAST" | sed '1d'
} >"$TMP/planted" && mv "$TMP/planted" "$LAST"

"$KHOMUN_BIN" init --data "$D" --demo --format json >/dev/null 2>"$TMP/init.err" ||
	die "khomun init --demo failed: $(cat "$TMP/init.err")"
for f in "${FILES[@]}"; do
	"$KHOMUN_BIN" resource add chronic-patient-register "$f" --data "$D" >/dev/null 2>"$TMP/add.err" ||
		die "khomun resource add $f failed: $(cat "$TMP/add.err")"
done
BYTES=$(cat "${FILES[@]}" | wc -c)
REQ=$("$KHOMUN_BIN" requests add --data "$D" --agency moph --type access --channel email \
	--subject 1-1010-00000-00-9 --format json | sed -n 's/^  "id": "\([0-9a-f-]*\)".*/\1/p' | head -n 1)
[[ -n $REQ ]] || die "no request id from khomun requests add"

cat "${FILES[@]}" >/dev/null # the page cache holds them from here on

# best_of CMD...: the shortest wall time of REPS runs, in seconds (output kept in OUT: TMP/out)
best_of() {
	local best= t0 t
	for _ in $(seq "$REPS"); do
		t0=$(date +%s%N)
		"$@" >"${OUT:-$TMP/out}" 2>"$TMP/err" || [[ $? == 1 && ($1 == grep || $1 == rg) ]] || { cat "$TMP/err" >&2; die "$1 failed"; }
		t=$(($(date +%s%N) - t0))
		[[ -z $best || $t -lt $best ]] && best=$t
	done
	awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}
gbs() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.2f", (s > 0 ? b / s / 1e9 : 0) }'; }

T_DISC=$(best_of "$KHOMUN_BIN" requests discover "$REQ" --data "$D" --subject 1-1010-00000-00-9)
cp "$TMP/out" "$TMP/discovery.json"
T_CAT=$(OUT=/dev/null best_of cat "${FILES[@]}")
T_RG=
command -v rg >/dev/null && T_RG=$(best_of rg -c -F "$PLANTED" "${FILES[@]}")
T_GREP=$(best_of grep -c -F "$PLANTED" "${FILES[@]}")

# the answer: the demo's register file and the planted file, nothing else
FOUND=$(grep -o '"matches": *[0-9]*' "$TMP/discovery.json" | wc -l)
SCANNED=$(sed -n 's/.*"files_scanned": *\([0-9]*\).*/\1/p' "$TMP/discovery.json" | head -n 1)
[[ $FOUND == 2 ]] || { cat "$TMP/discovery.json" >&2; die "expected 2 files holding the subject, found $FOUND"; }

printf 'bench/discover: %s files of the agency, %s MB (+ the demo file), %s scanned; the subject found in %s\n' \
	"$NFILES" "$MB" "${SCANNED:-?}" "$FOUND"
printf 'bench/discover: %-40s %8s s  %6s GB/s\n' 'khomun requests discover' "$T_DISC" "$(gbs "$T_DISC")"
printf 'bench/discover: %-40s %8s s  %6s GB/s\n' 'cat (reading the files)' "$T_CAT" "$(gbs "$T_CAT")"
[[ -z $T_RG ]] || printf 'bench/discover: %-40s %8s s  %6s GB/s\n' "rg -c -F $PLANTED" "$T_RG" "$(gbs "$T_RG")"
printf 'bench/discover: %-40s %8s s  %6s GB/s\n' "grep -c -F $PLANTED" "$T_GREP" "$(gbs "$T_GREP")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf 'bench/discover: ratios (time of the baseline / discovery): cat %s, %sgrep -F %s\n' \
	"$(ratio "$T_CAT" "$T_DISC")" "${T_RG:+rg -F $(ratio "$T_RG" "$T_DISC"), }" "$(ratio "$T_GREP" "$T_DISC")"
printf 'RESULT bytes=%s discover_s=%s cat_s=%s rg_s=%s grep_s=%s\n' "$BYTES" "$T_DISC" "$T_CAT" "${T_RG:-}" "$T_GREP"

if [[ ${BENCH_RECORD:-0} == 1 ]]; then
	printf '{"bench":"discover","date":"%s","commit":"%s","bytes":%s,"files":%s,"discover_s":%s,"cat_s":%s,"rg_s":%s,"grep_s":%s}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		"$BYTES" "$NFILES" "$T_DISC" "$T_CAT" "${T_RG:-null}" "$T_GREP" >>bench/results.jsonl
	echo "bench/discover: recorded in bench/results.jsonl" >&2
fi
