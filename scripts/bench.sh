#!/bin/sh
# Benchmark: every row of the performance targets (README, "Performance"), measured in one
# run on a Release build.  Ratios are timed in alternating pairs (A B, then B A, ...), one pair
# after another in each of RUNS rounds (default 5), and reported as the median of the
# per-pair ratios of wall time; absolute rows (the million-row ledger and zone) as medians of
# the same samples.  bench/timeit.c measures wall time to the microsecond, CPU time and peak
# RSS (wait4).
# MapServer's map2img, the peer (../shared/bench, or PEER=DIR: its README), is timed in the
# same run; as root the script installs it (apt-get install mapserver-bin) when it is missing.
# The stress inputs (a 1,000,000-row ledger, a 20,000-place gazetteer, a 1,000,000-vertex
# zone, the densified map) are made by scripts/bench-inputs.sh.
# The series rows are one pair each (SERIES_FRAMES daily frames at 96 dpi, default 2000,
# against 100; and the same on one core, taskset -c 0, against both: the command line draws
# on every core, a frame a core).
# BASELINE=/path/to/an/older/conflictmap adds pairs of ours against it, each build on its own
# bundled data (BASELINE_SRC: the older source tree, default two levels above the binary).
# Output: a table on stdout and build-release/bench/results.txt.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
frames=${SERIES_FRAMES:-2000}
peer=${PEER:-$root/../shared/bench}
BUILD_DIR=build-release BUILD_TYPE=Release CMAKE_ARGS="-DBUILD_TESTING=OFF" \
  "$root/scripts/setup.sh" >/dev/null
if [ "$(id -u)" = 0 ]; then
  command -v ogr2ogr >/dev/null || apt-get install -y -qq gdal-bin >/dev/null
  if ! command -v map2img >/dev/null && [ -x "$peer/peers/mapserver.sh" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      mapserver-bin fonts-dejavu-core libpng-dev >/dev/null || echo "bench: mapserver-bin not installed" >&2
  fi
fi
rel="$root/build-release"
work="$rel/bench"
cm="$rel/conflictmap"
out="$work/out"
rm -rf "$work" && mkdir -p "$out"
cc -O2 "$root/bench/timeit.c" -o "$work/timeit"
"$root/scripts/bench-inputs.sh" "$root" "$work/in"
in="$work/in"
ms=""
if command -v map2img >/dev/null && [ -x "$peer/peers/mapserver.sh" ]; then ms="$peer/peers/mapserver.sh"; fi

# name|command (no quoted arguments: word splitting is wanted)
cases="png|$cm render -q -o $out/map.png
pdf|$cm render -q -o $out/map.pdf
tiny|$cm render -q --dpi 8.55 -o $out/tiny.png
stress-png|$cm render -q $in/stress/stress.map -o $out/stress.png
stress-pdf|$cm render -q $in/stress/stress.map -o $out/stress.pdf
gazetteer|$cm render -q $in/places-20k.map -o $out/gazetteer.png
ledger|$cm render -q $in/ledger-1m.map -o $out/ledger.png
zone|$cm render -q $in/zone-1m.map -o $out/zone.png
web|$cm web -q --from 2019-04-01 --to 2020-03-23 --step 1w -o $out/web.html"
# pairs: A|B (B empty: A alone, for its absolute figures)
pairs="stress-png|png
stress-pdf|pdf
gazetteer|png
web|pdf
ledger|
zone|"
if [ -n "$ms" ]; then
  cases="$cases
ms-png|$ms $out/ms.png
ms-pdf|$ms $out/ms.pdf
ms-tiny|$ms $out/ms-tiny.png tiny"
  pairs="png|ms-png
pdf|ms-pdf
tiny|ms-tiny
$pairs"
else
  pairs="png|
pdf|
tiny|
$pairs"
fi
if [ -n "${BASELINE:-}" ]; then
  b="$BASELINE"
  bsrc=${BASELINE_SRC:-$(cd "$(dirname "$BASELINE")/.." && pwd)}
  "$root/scripts/bench-inputs.sh" "$bsrc" "$work/base-in"
  bin="$work/base-in"
  cases="$cases
base-png|$b render -q -o $out/base.png
base-pdf|$b render -q -o $out/base.pdf
base-tiny|$b render -q --dpi 8.55 -o $out/base-tiny.png
base-stress-png|$b render -q $bin/stress/stress.map -o $out/base-stress.png
base-gazetteer|$b render -q $bin/places-20k.map -o $out/base-gazetteer.png
base-ledger|$b render -q $bin/ledger-1m.map -o $out/base-ledger.png
base-zone|$b render -q $bin/zone-1m.map -o $out/base-zone.png"
  pairs="$pairs
png|base-png
pdf|base-pdf
tiny|base-tiny
stress-png|base-stress-png
gazetteer|base-gazetteer
ledger|base-ledger
zone|base-zone"
fi

cmd_of() { echo "$cases" | awk -F'|' -v n="$1" '$1 == n { print $2; exit }'; }
samples="$work/samples.txt"
: > "$samples"
run() { # run ROUND PAIR NAME
  # shellcheck disable=SC2046
  "$work/timeit" "$samples" "$1:$2:$3" $(cmd_of "$3") >/dev/null </dev/null
}

# one unmeasured pass: the system's file and font caches (nothing of ours is cached); the
# generated inputs were just written, so their cases are not run twice
echo "$cases" | while IFS='|' read -r name cmd; do
  case "$name" in *gazetteer|*ledger|*zone) continue ;; esac
  # shellcheck disable=SC2086
  $cmd >/dev/null </dev/null
done
i=0
while [ "$i" -lt "$runs" ]; do
  p=0
  echo "$pairs" | while IFS='|' read -r a b; do
    p=$((p + 1))
    if [ -z "$b" ]; then run "$i" "$p" "$a"
    elif [ $((i % 2)) = 0 ]; then run "$i" "$p" "$a"; run "$i" "$p" "$b"
    else run "$i" "$p" "$b"; run "$i" "$p" "$a"; fi
  done
  i=$((i + 1))
  printf '\rbench: round %d of %d' "$i" "$runs" >&2
done
echo >&2

# the series: SERIES_FRAMES daily frames against 100, once each, in a pair
series() { # series NAME FRAMES [COMMAND PREFIX...]
  d="$out/$1"; rm -rf "$d"; mkdir -p "$d"
  to=$(date -u -d "2019-03-01 + $(($2 - 1)) days" +%F)
  n=$1; f=$2; shift 2
  "$work/timeit" "$samples" "0:s:$n" "$@" "$cm" series -q --from 2019-03-01 --to "$to" --step 1d \
    --dpi 96 -o "$d/%Y-%m-%d.png" >/dev/null
  [ "$(ls "$d" | wc -l)" = "$f" ] || { echo "bench: $n wrote $(ls "$d" | wc -l) of $f frames" >&2; exit 1; }
  rm -rf "$d"
}
printf 'bench: series of 100 and %d frames\n' "$frames" >&2
series series-100 100
series series-n "$frames"
jobs=no
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  jobs=yes
  series series-n-1core "$frames" taskset -c 0
fi

awk -v runs="$runs" -v frames="$frames" -v ms="${ms:+yes}" -v jobs="$jobs" '
function median(list,   a, n, i, j, t) {
  n = split(list, a, " "); if (!n) return -1
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
    if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
{ split($1, k, ":"); r = k[1]; p = k[2]; c = k[3]
  wall[c] = wall[c] " " $2; cpu[c] = cpu[c] " " ($3 + $4); rss[c] = rss[c] " " $5
  w[r, p, c] = $2; seen[c] = 1; inpair[p, c] = 1; pairs[p] = 1 }
function ratio(a, b,   p, r, list) { # median over rounds of a/b timed in the same pair
  list = ""
  for (p in pairs) if ((p, a) in inpair && (p, b) in inpair)
    for (r = 0; r < runs; r++) if ((r, p, a) in w && (r, p, b) in w) list = list " " w[r, p, a] / w[r, p, b]
  return median(list) }
function row(what, target, value, unit, ok) {
  if (value < 0) { printf "| %s | %s | not measured | |\n", what, target; return }
  printf "| %s | %s | %.2f%s | %s |\n", what, target, value, unit, ok ? "met" : "**not met**" }
END {
  for (c in seen) { mw[c] = median(wall[c]); mc[c] = median(cpu[c]); mr[c] = median(rss[c]) / 1024 }
  printf "Medians of %d rounds (series: one run each)\n\n| case | wall s | cpu s | peak MiB |\n| --- | --- | --- | --- |\n", runs
  n = split("png pdf tiny stress-png stress-pdf gazetteer web ledger zone ms-png ms-pdf ms-tiny series-100 series-n series-n-1core base-png base-pdf base-tiny base-stress-png base-gazetteer base-ledger base-zone", order, " ")
  for (i = 1; i <= n; i++) if (order[i] in seen)
    printf "| %s | %.3f | %.3f | %.1f |\n", order[i] == "series-n" ? "series-" frames : order[i] == "series-n-1core" ? "series-" frames ", 1 core" : order[i], mw[order[i]], mc[order[i]], mr[order[i]]
  printf "\n| target | wanted | measured | |\n| --- | --- | --- | --- |\n"
  v = ms ? ratio("png", "ms-png") : -1;  row("A4 300 dpi PNG / MapServer PNG", "<= 0.6x", v, "x", v <= 0.6)
  v = ms ? ratio("pdf", "ms-pdf") : -1;  row("A4 PDF, fonts embedded / MapServer PDF", "<= 1.0x", v, "x", v <= 1.0)
  v = ms ? ratio("tiny", "ms-tiny") : -1; row("start-up, 100 x 71 px PNG / MapServer tiny", "<= 1.0x", v, "x", v <= 1.0)
  v = ratio("stress-png", "png"); row("stress map PNG / default PNG", "<= 1.5x", v, "x", v <= 1.5)
  v = ratio("stress-pdf", "pdf"); row("stress map PDF / default PDF", "<= 1.5x", v, "x", v <= 1.5)
  row("1,000,000-row ledger, load + render (wall; cpu " sprintf("%.2f", mc["ledger"]) " s)", "<= 3 s", mw["ledger"], " s", mw["ledger"] <= 3)
  row("1,000,000-row ledger, peak", "<= 250 MiB", mr["ledger"], " MiB", mr["ledger"] <= 250)
  v = ratio("gazetteer", "png"); row("20,000-place gazetteer / default PNG", "<= 1.5x", v, "x", v <= 1.5)
  row("1,000,000-vertex zone (wall; cpu " sprintf("%.2f", mc["zone"]) " s)", "<= 2 s", mw["zone"], " s", mw["zone"] <= 2)
  row("1,000,000-vertex zone, peak", "<= 200 MiB", mr["zone"], " MiB", mr["zone"] <= 200)
  row("peak memory, A4 PNG", "<= 80 MiB", mr["png"], " MiB", mr["png"] <= 80)
  v = mw["series-n"] / mw["series-100"] * 2000 / frames
  row("series of " frames " frames / 100 (scaled to 2,000)", "<= 21x", v, "x", v <= 21)
  v = mr["series-n"] / mr["series-100"]; row("series peak, " frames " / 100 frames", "<= 1.2x", v, "x", v <= 1.2)
  v = jobs == "yes" ? mw["series-n-1core"] / mw["series-n"] : -1
  row("series, 1 core / 2 cores", ">= 1.7x", v, "x", v >= 1.7)
  v = ratio("web", "pdf"); row("web edition, 52 weekly dates / one PDF page", "<= 2x", v, "x", v <= 2)
  if ("base-png" in seen) {
    printf "\nAgainst the baseline (median per-pair ratios, ours / baseline)\n\n"
    split("png pdf tiny stress-png gazetteer ledger zone", bn, " ")
    for (i = 1; i <= 7; i++) printf "  %-12s %.2fx  (peak %.1f against %.1f MiB)\n", bn[i], ratio(bn[i], "base-" bn[i]), mr[bn[i]], mr["base-" bn[i]]
  }
}' "$samples" | tee "$work/results.txt"
