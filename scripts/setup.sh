#!/bin/sh
# Installs what conflictmap needs on Debian 12 (as root; elsewhere it only checks), then
# configures and builds into build/ (or BUILD_DIR).  Called by demo.sh, test.sh and bench.sh;
# BUILD_DIR, BUILD_TYPE and CMAKE_ARGS may be set by the caller; SETUP_ONLY=1 installs only.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
packages="gcc make cmake pkg-config libgdal-dev libgeos-dev libcairo2-dev libpango1.0-dev libglib2.0-dev
          libproj-dev zlib1g-dev libpng-dev libwebp-dev libssl-dev libharfbuzz-dev fonts-noto-core
          poppler-utils libxml2-utils qpdf mupdf-tools python3-pdfminer"
# shellcheck disable=SC2086
"$root/scripts/apt-need.sh" setup $packages
[ -z "${SETUP_ONLY:-}" ] || exit 0
build="$root/${BUILD_DIR:-build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)"
