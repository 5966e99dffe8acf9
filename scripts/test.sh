#!/usr/bin/env bash
# Runs the whole test suite (after scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q -n 2 --timeout 600 "$@"
