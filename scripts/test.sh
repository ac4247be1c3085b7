#!/bin/sh
# Install what is missing (Chromium and npm tools for the web edition too), build with
# warnings as errors, render the default map, and run the whole test suite.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
# Chromium and the web edition's npm tools, for its browser tests and lint
"$root/scripts/browser-setup.sh"
CMAKE_ARGS="-DCM_WERROR=ON -DBUILD_TESTING=ON" "$root/scripts/demo.sh"
cd "$root/build"
ctest --output-on-failure -j 2
