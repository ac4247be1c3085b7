#!/bin/sh
# Runs one libFuzzer target for SECONDS: scripts/fuzz.sh keyfile|ledger|render|provenance|tables SECONDS
# Builds with clang into build-fuzz/; the corpus grows in build-fuzz/corpus-TARGET, seeded
# from tests/fuzz/corpus/TARGET; crashes land in build-fuzz/ as crash-*.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
SETUP_ONLY=1 "$root/scripts/setup.sh" >/dev/null
target=${1:?usage: fuzz.sh keyfile|ledger|render|provenance|tables SECONDS}
seconds=${2:-60}
case "$target" in keyfile|ledger|render|provenance|tables) ;; *) echo "fuzz.sh: unknown target $target" >&2; exit 2;; esac
if ! command -v clang-14 >/dev/null || [ ! -d /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux ]; then
  [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-14 libclang-rt-14-dev >/dev/null
fi
build="$root/build-fuzz"
CC=clang-14 cmake -S "$root" -B "$build" -DCM_FUZZ=ON -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target "fuzz_$target" >/dev/null
corpus="$build/corpus-$target"
mkdir -p "$corpus"
cp -n "$root/tests/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true
cd "$build"
rm -f crash-* timeout-* oom-*
# leaks in GDAL's and fontconfig's one-time caches are not ours: report ours through tests
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  "./fuzz_$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 "$corpus" 2>&1 |
  grep -E "^#[0-9]+ +DONE|^Done|stat::|ERROR|SUMMARY|crash-|Test unit written" || true
# failures are written where the target ran; each run starts clean, so any file is this run's
for f in "$build"/crash-* "$build"/timeout-* "$build"/oom-*; do
  if [ -e "$f" ]; then
    echo "fuzz.sh: $target found a failure: $f" >&2
    exit 1
  fi
done
echo "fuzz.sh: $target ran ${seconds}s with no failure"
