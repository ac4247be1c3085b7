#!/bin/sh
# Install what is missing, build with warnings as errors, render the default map, and run
# the whole test suite.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
CMAKE_ARGS="-DCM_WERROR=ON -DBUILD_TESTING=ON" "$root/scripts/demo.sh"
cd "$root/build"
ctest --output-on-failure -j 2
