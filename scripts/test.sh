#!/usr/bin/env bash
# Sets everything up, lints with ruff and runs the whole test suite on SQLite, then on PostgreSQL when one answers.
# PostgreSQL: SILKBRIDGE_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/silkbridge).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test

echo "== ruff"
.venv/bin/ruff check .

echo "== tests on SQLite"
env -u SILKBRIDGE_DATABASE_URL .venv/bin/python -m pytest "$@"

pg_url=${SILKBRIDGE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/silkbridge}
if .venv/bin/python - "$pg_url" <<'PY'
import sys, psycopg
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
try:
    psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password, dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipping the PostgreSQL run", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($pg_url)"
  SILKBRIDGE_DATABASE_URL="$pg_url" .venv/bin/python -m pytest -m "not browser" "$@"
fi
