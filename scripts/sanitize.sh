#!/bin/sh
# The whole test suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer
# (any finding fails), in build-asan/; then the default render under valgrind memcheck, which
# must report no errors and nothing definitely lost; then the PNG writer's threads (a threads=2 PNG: bands drawn on a started
# thread while the caller's feeds libpng) under ThreadSanitizer, in build-tsan/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
SETUP_ONLY=1 "$root/scripts/setup.sh"
if ! command -v valgrind >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
fi
BUILD_DIR=build-asan BUILD_TYPE=Debug CMAKE_ARGS="-DCM_SANITIZE=ON -DBUILD_TESTING=ON -DCM_WERROR=ON" \
  "$root/scripts/setup.sh" >/dev/null
# leaks are valgrind's job below: GDAL and fontconfig keep process-lifetime caches that
# LeakSanitizer would report as ours
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd "$root/build-asan" && ctest --output-on-failure -j 2)

echo "sanitize: valgrind memcheck on the default render, as PNG and as PDF"
out=$(mktemp -d)
for pass in png pdf; do
  log="$out/memcheck-$pass.log"
  valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --suppressions="$root/tests/valgrind.supp" \
    --show-leak-kinds=definite --log-file="$log" \
    "$root/build/conflictmap" render -q --dpi 100 -o "$out/map.$pass" || {
      cat "$log"; echo "sanitize: valgrind found errors ($pass)" >&2; exit 1; }
  echo "$pass: $(grep -E "ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== //')"
  grep -E "definitely lost" "$log" || true
done
rm -rf "$out"

echo "sanitize: ThreadSanitizer on a threads=2 PNG"
# gcc, not clang: its runtime is a shared library, so the shared library (linked with
# --no-undefined) links too.  The page drawn is plain cairo: Pango, HarfBuzz and cairo's
# pools synchronise through atomics and futexes in uninstrumented libraries, which
# ThreadSanitizer cannot see, and a full map drawn on two threads is reported from inside
# them; GSlice likewise, hence always-malloc.
tsan="$root/build-tsan"
CC=gcc cmake -S "$root" -B "$tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
  -DCMAKE_C_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread \
  >/dev/null
cmake --build "$tsan" -j "$(nproc)" --target test_output >/dev/null
G_SLICE=always-malloc TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
  TMPDIR="$tsan" "$tsan/tests/test_output" -p /output/png/threads
echo "sanitize: clean"
