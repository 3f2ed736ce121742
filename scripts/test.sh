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
# Two worker processes (pytest-xdist): the machine the suite must run on has two cores.
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 "$@"
# A cheap guard against tests that pass only on some days: the modules that reason about
# months, years, ages and "today" run again with the whole process's clock (Python, SQLite
# and Qt alike) moved by libfaketime to a new year's day, to a leap day, and to 03.00 WIB
# on a new year's day while UTC (the laptop) still reads 31 December.
if [ "$#" -eq 0 ]; then
  for day in "2027-01-01 10:00:00" "2028-02-29 10:00:00"; do
    echo "Date-sensitive tests with the clock at $day UTC…"
    TZ=UTC faketime -f "@$day" .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 \
      tests/test_receiver.py tests/test_reports_monthly.py tests/test_reports_annual.py \
      tests/test_dashboard.py tests/test_trainings.py tests/test_activities.py \
      tests/test_members_rules.py tests/test_nik.py tests/test_cli_profile.py
  done
  echo "Tests of today's date with the clock at 03.00 WIB on 1 January, 31 December in UTC…"
  TZ=UTC faketime -f "@2027-12-31 20:00:00" .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 \
    tests/test_kas.py tests/test_dues.py tests/test_dashboard.py tests/test_reports_monthly.py \
    tests/test_members_rules.py
fi
mkdir -p build
echo "Building the frozen program (build.spec) and running its self-test…"
.venv/bin/pyinstaller --noconfirm --log-level WARN build.spec > build/pyinstaller.log 2>&1 \
  || { tail -40 build/pyinstaller.log; exit 1; }
dist/kt-desktop/kt-desktop --self-test
