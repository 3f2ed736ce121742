#!/usr/bin/env bash
# Installs what the tests need (system packages and .venv), then runs every check:
# the layer contract (import-linter), ruff, the whole pytest suite, and the frozen build
# (PyInstaller) with its self-test, so that a resource missing from build.spec fails here and
# not on a secretary's laptop.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
.venv/bin/lint-imports
.venv/bin/ruff check kt_desktop tests scripts
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
mkdir -p build
echo "Building the frozen program (build.spec) and running its self-test…"
.venv/bin/pyinstaller --noconfirm --log-level WARN build.spec > build/pyinstaller.log 2>&1 \
  || { tail -40 build/pyinstaller.log; exit 1; }
dist/kt-desktop/kt-desktop --self-test
