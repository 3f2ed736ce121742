#!/usr/bin/env bash
# Installs what the tests need (system packages and .venv), then runs the checks and the
# whole suite: the layer contract (import-linter), ruff, and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
.venv/bin/lint-imports
.venv/bin/ruff check kt_desktop tests scripts
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
