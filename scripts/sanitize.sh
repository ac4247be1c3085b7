#!/bin/sh
# The whole test suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer
# (any finding fails), in build-asan/; then the default render under valgrind memcheck, read
# through GDAL and then from the load cache, which must report no errors and nothing
# definitely lost.
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

echo "sanitize: valgrind memcheck on the default render, read afresh and from the load cache"
out=$(mktemp -d)
for pass in miss hit; do
  log="$out/memcheck-$pass.log"
  CONFLICTMAP_CACHE="$out/cache" valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --suppressions="$root/tests/valgrind.supp" \
    --show-leak-kinds=definite --log-file="$log" \
    "$root/build/conflictmap" render -q --dpi 100 -o "$out/map.png" || {
      cat "$log"; echo "sanitize: valgrind found errors ($pass)" >&2; exit 1; }
  echo "$pass: $(grep -E "ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== //')"
  grep -E "definitely lost" "$log" || true
done
rm -rf "$out"
echo "sanitize: clean"
