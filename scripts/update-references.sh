#!/bin/sh
# Regenerates the reference images of tests/test_reference.c (tests/ref/*.png) from the
# renderer as it is now.  Look at every image that changed before committing it: a
# reference is what a human has agreed the map should look like.
#   scripts/update-references.sh [BUILD_DIR]     (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
cmake -S "$root" -B "$build" -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target test_reference
cd "$build/tests"
CM_UPDATE_REFERENCES=1 TMPDIR="$PWD" ./test_reference --verbose
git -C "$root" status --short -- tests/ref
