#!/usr/bin/env bash
# Installs everything KT Desktop needs on a fresh Debian/Ubuntu machine (as root, or with sudo):
# the system libraries Qt needs, fonts, poppler-utils (PDF tests), then a virtual environment
# in .venv with the pinned Python packages.  Usage:
#   bash scripts/setup.sh          # the program
#   bash scripts/setup.sh --test   # the program and what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."
extra=""
[ "${1:-}" = "--test" ] && extra="[test]"

apt_pkgs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 \
 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libglib2.0-0 fonts-dejavu-core poppler-utils\
 binutils"
# Building the frozen program (scripts/test.sh does) trims Qt's ICU data with ICU's icupkg.
[ "${1:-}" = "--test" ] && apt_pkgs="$apt_pkgs icu-devtools"
# The test command runs the date-sensitive tests again with the clock moved (libfaketime).
[ "${1:-}" = "--test" ] && apt_pkgs="$apt_pkgs faketime"
# The printing tests start a private CUPS (tests/cups_server.py) with cups-pdf printers.
[ "${1:-}" = "--test" ] && apt_pkgs="$apt_pkgs cups cups-client cups-bsd printer-driver-cups-pdf"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $apt_pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Memasang paket sistem:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

py=${PYTHON:-python3}
# Debian's own python3 ships venv without ensurepip until python3-venv is installed.
if ! "$py" -c "import ensurepip" >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    python3-venv >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
