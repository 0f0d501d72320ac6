#!/usr/bin/env bash
# bench/consent/run.sh — consent records and the consent check (issue 5, "Speed — bench/consent";
# not a test). Builds bench_consent.c against build/libkhomun.a and runs it on a fresh SQLite
# file: SUBJECTS (default 1,000,000) × 5 purposes of consent events inserted through the store
# in durable write transactions of BATCH (10,000) events with khm_tx_batch_begin (the grant
# rate), the index built from them, then in-process checks/s on 1 and 2 threads (token given,
# and with the national ID's HMAC per check). The HTTP part (wrk of the check route beside
# /healthz) is not scripted yet.
#
# Environment: KHOMUN_BIN (default build/khomun), SUBJECTS, BATCH, CHECKS (per thread, 4000000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BUILD=$(dirname "${KHOMUN_BIN:-build/khomun}")
PKGS="libmicrohttpd jansson sqlite3 libsodium libcrypto libpq zlib libhs libthai"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck disable=SC2046  # pkg-config's words are meant to split
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Iinclude $(pkg-config --cflags $PKGS) \
    -o "$TMP/bench_consent" bench/consent/bench_consent.c "$BUILD/libkhomun.a" \
    $(pkg-config --libs $PKGS) -ldl -lpthread
"$TMP/bench_consent" "$TMP/k.db" "${SUBJECTS:-1000000}" "${BATCH:-10000}" "${CHECKS:-4000000}"
