#!/usr/bin/env bash
# Runs the HTTP API tests (Node 20 built-ins only) against build/khomun, or $KHOMUN_BIN.
#   bash tests/api/run.sh            from the repository root (or anywhere)
#   KHOMUN_BIN=/path/to/khomun bash tests/api/run.sh
# Extra arguments go to `node --test` (e.g. --test-name-pattern=token).
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
node --test --test-concurrency=1 "$@" tests/api/
exit $?
