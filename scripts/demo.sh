#!/usr/bin/env bash
# Sets everything up and serves the demo forum on http://127.0.0.1:8000/ (pass --port N to change).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/silkbridge demo "$@"
