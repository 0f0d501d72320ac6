#!/usr/bin/env bash
# test.sh — run every test suite of `make test` and end with one line "N passed, N failed".
# Suites: public headers compile alone, cmocka unit tests (mirroring src/lib), CLI golden tests,
# the fuzz targets' smoke run,
# API tests against a real `khomun serve` (Node's test runner), cross-checks of scanner rules
# against independent implementations (Node's test runner, tests/cross/), and the OpenAPI lint.
# BUILD selects the build directory (build, build/asan, …); the binaries must be built already.
# With KHOMUN_TEST_PG set (bash scripts/pg.sh make test) the PostgreSQL unit tests run and the
# API tests run against PostgreSQL; without it they are counted as skipped, never as passed.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export KHOMUN_BIN=${KHOMUN_BIN:-$PWD/$BUILD/khomun}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
LOG=$BUILD/test-logs
mkdir -p "$LOG"
passed=0
failed=0
failures=()

count() { # suite-name passed failed [skipped]
    passed=$((passed + $2))
    failed=$((failed + $3))
    if [ "$3" -gt 0 ]; then failures+=("$1 ($3)"); fi
    printf '%-28s %4d passed, %d failed' "$1" "$2" "$3"
    if [ "${4:-0}" -gt 0 ]; then printf ', %d skipped' "$4"; fi
    printf '\n'
}

if [ -n "${KHOMUN_TEST_PG:-}" ]; then
    echo "store backend: PostgreSQL (KHOMUN_TEST_PG=${KHOMUN_TEST_PG%%\?*})"
else
    echo "store backend: SQLite (PostgreSQL tests skipped; bash scripts/pg.sh make test runs them)"
fi

# 1. every public header compiles on its own
if make --no-print-directory -s headertest BUILD="$BUILD" >"$LOG/headertest.log" 2>&1; then
    count headertest "$(ls include/khomun/*.h | wc -l)" 0
else
    cat "$LOG/headertest.log"
    count headertest 0 1
fi

# 2. unit tests: one cmocka binary per src/lib file
up=0 uf=0 us=0
for t in $(find "$BUILD/tests/unit" -type f -perm -u+x | sort); do
    name=${t#"$BUILD"/tests/unit/}
    out="$LOG/unit-${name//\//-}.log"
    "$t" >"$out" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
    p=${p:-0} f=${f:-0} s=${s:-0}
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed or sanitizer report
    if [ "$f" -gt 0 ]; then
        echo "--- unit/$name failed:"; tail -n 40 "$out"
    fi
    up=$((up + p)) uf=$((uf + f)) us=$((us + s))
done
count "unit (cmocka)" $up $uf $us

# 3. CLI golden tests
if [ -f tests/cli/run.sh ]; then
    bash tests/cli/run.sh >"$LOG/cli.log" 2>&1
    line=$(grep -E '^cli: [0-9]+ passed, [0-9]+ failed' "$LOG/cli.log" | tail -n1)
    p=$(echo "$line" | sed -E 's/cli: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    if [ -z "$line" ]; then p=0 f=1; fi
    [ "$f" -gt 0 ] && grep -E '^not ok|^#' "$LOG/cli.log" | head -n 40
    count "cli (golden)" "$p" "$f"
fi

# 3b. fuzz targets, smoke run: each over its seed corpus, 300 random inputs and 300 mutations of
# the seeds (tests/fuzz/replay.c; fixed seed). `make fuzz` is the real fuzzing.
fp=0 ff=0
for t in $(find "$BUILD/tests/fuzz" -maxdepth 1 -type f -perm -u+x 2>/dev/null | sort); do
    name=$(basename "$t")
    out="$LOG/fuzz-$name.log"
    if "$t" -n 300 tests/fuzz/corpus/"$name"/* >"$out" 2>&1; then
        fp=$((fp + 1))
    else
        ff=$((ff + 1))
        echo "--- fuzz/$name failed:"; tail -n 20 "$out"
    fi
done
count "fuzz (smoke)" $fp $ff

# 4. API tests against a real server on a random loopback port
node --test --test-concurrency=1 tests/api/ >"$LOG/api.log" 2>&1
p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$LOG/api.log" | tail -n1)
f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$LOG/api.log" | tail -n1)
s=$(sed -n 's/^# skipped \([0-9]*\)/\1/p' "$LOG/api.log" | tail -n1)
p=${p:-0} f=${f:-1} s=${s:-0}
[ "$f" -gt 0 ] && grep -E -A 12 '^ *not ok' "$LOG/api.log" | head -n 80
count "api (node:test)" "$p" "$f" "$s"

# 5. cross-checks of scanner rules against independent implementations (npm packages pinned in
#    tests/package.json: cd tests && npm ci)
node --test tests/cross/ >"$LOG/cross.log" 2>&1
p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$LOG/cross.log" | tail -n1)
f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$LOG/cross.log" | tail -n1)
p=${p:-0} f=${f:-1}
[ "$f" -gt 0 ] && grep -E -A 12 '^ *not ok' "$LOG/cross.log" | head -n 60
count "cross (node:test)" "$p" "$f"

# 6. the OpenAPI document passes @redocly/cli lint (recommended rules, no warnings)
if (cd tests && ./node_modules/.bin/redocly lint ../docs/openapi.json --config redocly.yaml \
        --format stylish) >"$LOG/openapi.log" 2>&1 &&
    ! grep -Eq '[0-9]+:[0-9]+ +warning|You have [0-9]+ warning' "$LOG/openapi.log"; then
    count "openapi (redocly lint)" 1 0
else
    cat "$LOG/openapi.log"
    count "openapi (redocly lint)" 0 1
fi

echo
if [ $failed -gt 0 ]; then echo "failed suites: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
