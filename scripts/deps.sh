#!/usr/bin/env bash
# deps.sh — install what a fresh Debian 12 machine lacks to build, test, benchmark and fuzz
# Khomun. Idempotent: does nothing when everything is present. As root it installs with apt-get
# (and npm for the test tools); otherwise it prints the command to run and exits non-zero.
#   scripts/deps.sh        everything (tests, PostgreSQL test server, fuzzing, benchmarks)
#   scripts/deps.sh build  only what building and running khomun needs (make run)
set -euo pipefail
cd "$(dirname "$0")/.."

# build and run (libpq: the PostgreSQL backend is linked in)
PKGS=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
      libssl-dev libpq-dev zlib1g-dev libvectorscan-dev libthai-dev libthai-data)
if [ "${1:-all}" != build ]; then
    PKGS+=(
      # unit tests, CLI tests, format check
      sqlite3 libcmocka-dev clang-format
      # the throw-away PostgreSQL test server of scripts/pg.sh
      postgresql-15 postgresql-client-15
      # fuzzing (libFuzzer) and TSan builds
      clang libclang-rt-14-dev
      # benchmarks (bench/scan: ripgrep as its baseline, /usr/bin/time for peak RSS)
      wrk curl ca-certificates ripgrep time)
fi

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${1:-all}" != build ]; then
    command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "deps: missing packages: ${missing[*]}" >&2
        echo "deps: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    echo "deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node test tools (OpenAPI lint, the cross-checks' reference implementations), pinned by
# tests/package-lock.json; installed here, never
# during a test run.
[ "${1:-all}" = build ] && exit 0
if [ ! -f tests/node_modules/.package-lock.json ] ||
   [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
    echo "deps: npm ci in tests/" >&2
    (cd tests && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
