#!/usr/bin/env bash
# pg.sh — run a command against a throw-away PostgreSQL 15 cluster.
#
#   bash scripts/pg.sh CMD [ARG…]        e.g.  bash scripts/pg.sh make SANITIZE=address test
#
# Starts a fresh cluster (Debian's postgresql-15) in a temporary directory on a free loopback
# port, with fsync off (test data only), creates the database "khomun", exports PGHOST, PGPORT,
# PGUSER, PGDATABASE and KHOMUN_TEST_PG=postgres://postgres@127.0.0.1:PORT/khomun, runs CMD,
# then stops the server and removes the directory on any exit. The exit status is CMD's.
# As root the server runs as the 'postgres' system user (initdb refuses root).
# PG_BIN overrides the server binaries' directory (default /usr/lib/postgresql/15/bin);
# PG_SERVER_OPTS the server settings (default: fsync, synchronous_commit and full_page_writes
# off — fast and not crash-safe; PG_SERVER_OPTS= gives PostgreSQL's durable defaults).
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: bash scripts/pg.sh CMD [ARG...]" >&2
    exit 2
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_SERVER_OPTS=${PG_SERVER_OPTS-"-c fsync=off -c synchronous_commit=off -c full_page_writes=off"}
for b in initdb pg_ctl pg_isready; do
    if [ ! -x "$PG_BIN/$b" ]; then
        echo "pg.sh: $PG_BIN/$b not found: install postgresql-15 (bash scripts/deps.sh)" >&2
        exit 2
    fi
done
if ! command -v psql >/dev/null 2>&1; then
    echo "pg.sh: psql not found: install postgresql-client-15 (bash scripts/deps.sh)" >&2
    exit 2
fi

run_pg() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 ||
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    # cd / : runuser keeps the working directory, which 'postgres' may not be allowed to enter
    run_pg() { (cd / && runuser -u postgres -- "$@"); }
fi

PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/khomun-pg.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PGTMP"; fi
chmod 700 "$PGTMP"

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -f "$PGTMP/data/postmaster.pid" ]; then
        run_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# a loopback port nobody listens on (bash's /dev/tcp connect fails on a free one)
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_pg "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PGTMP/initdb.log" 2>&1 || {
    cat "$PGTMP/initdb.log" >&2
    exit 1
}

started=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    port_free "$port" || continue
    if run_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 \
        -o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c max_connections=200 \
            $PG_SERVER_OPTS" \
        start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" -ne 1 ]; then
    echo "pg.sh: PostgreSQL did not start; server log:" >&2
    tail -n 20 "$PGTMP/server.log" >&2 || true
    exit 1
fi
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 10

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=khomun
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE khomun' >/dev/null
export KHOMUN_TEST_PG="postgres://postgres@127.0.0.1:$port/khomun"
echo "pg.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port," \
    "KHOMUN_TEST_PG=$KHOMUN_TEST_PG" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
