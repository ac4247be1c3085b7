#!/bin/sh
# Benchmark: a Release build renders each case RUNS times (default 7), interleaved so that
# machine noise spreads evenly, and reports the median and range of wall time, CPU time and
# peak memory (bench/timeit.c: wall time to the microsecond, CPU and peak RSS from wait4), with each case's ratio to the floor (cairo filling an A4 300 dpi surface and
# writing it with cairo_surface_write_to_png) measured in the same run.
# Output: a table on stdout and build-release/bench/results.json.
# BASELINE=/path/to/an/older/conflictmap adds the same cases run by that binary, interleaved
# with ours, each with --no-cache (a build from before the load cache went reads every input
# afresh, as every run does now), so the two are compared in one run.  Each build draws its
# own bundled data (an older build may not read today's); BASELINE_SRC names the older
# source tree, whose geodata its stress map is made from (default: two levels above the
# binary).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-7}
BUILD_DIR=build-release BUILD_TYPE=Release CMAKE_ARGS="-DBUILD_TESTING=OFF" \
  "$root/scripts/setup.sh" >/dev/null
command -v ogr2ogr >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq gdal-bin >/dev/null; }
rel="$root/build-release"
work="$rel/bench"
rm -rf "$work" && mkdir -p "$work/stress"
cc -O2 "$root/bench/floor.c" -o "$work/floor" $(pkg-config --cflags --libs cairo)
cc -O2 "$root/bench/timeit.c" -o "$work/timeit"

# the stress map: the real districts, border and neighbours densified along their edges
geo="$root/geodata"
for layer in districts libya neighbours; do
  # densifying can cross a ring over itself where it doubles back: repair once, here
  ogr2ogr -q -segmentize 0.0002 -makevalid -lco ENCODING=UTF-8 "$work/stress/$layer.shp" "$geo/$layer.shp"
done
sed -e "s|^file = districts.shp|file = $work/stress/districts.shp|" \
    -e "s|^file = libya.shp|file = $work/stress/libya.shp|" \
    -e "s|^file = neighbours.shp|file = $work/stress/neighbours.shp|" \
    -e "s|^file = \([a-z_]*\.[a-z]*\)$|file = $geo/\1|" \
    -e "/^styles = /s|\.\./|$root/|g" "$geo/libya.map" > "$work/stress/stress.map"
if [ -n "${BASELINE:-}" ]; then
  bsrc=${BASELINE_SRC:-$(cd "$(dirname "$BASELINE")/.." && pwd)}
  sed -e "s|^file = districts.shp|file = $work/stress/districts.shp|" \
      -e "s|^file = libya.shp|file = $work/stress/libya.shp|" \
      -e "s|^file = neighbours.shp|file = $work/stress/neighbours.shp|" \
      -e "s|^file = \([a-z_]*\.[a-z]*\)$|file = $bsrc/geodata/\1|" \
      -e "/^styles = /s|\.\./|$bsrc/|g" "$bsrc/geodata/libya.map" > "$work/stress/base-stress.map"
fi
vertices=$("$rel/conflictmap" check "$work/stress/stress.map" >/dev/null && \
  ogrinfo -q -al -geom=SUMMARY "$work/stress/districts.shp" | \
  awk '/POLYGON|LINEARRING/ { for (i = 1; i <= NF; i++) if ($i == "points") n += $(i-1); \
                              for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/ && $(i+1) ~ /^points/) m += $i } \
       END { print (m > n ? m : n) }')

cm="$rel/conflictmap"
out="$work/out"
mkdir -p "$out"
# name|format-of-floor-ratio|command
cases="floor|png|$work/floor $out/floor.png
png|png|$cm render -q -o $out/map.png
pdf|pdf|$cm render -q -o $out/map.pdf
svg|svg|$cm render -q -o $out/map.svg
tiny-png|png|$cm render -q --dpi 8.55 -o $out/tiny.png
series-52-pdf|pdf|$cm series -q --from 2019-06-03 --to 2020-05-25 --step 1w -o $out/series.pdf
stress-png|png|$cm render -q $work/stress/stress.map -o $out/stress.png
stress-pdf|pdf|$cm render -q $work/stress/stress.map -o $out/stress.pdf"
if [ -n "${BASELINE:-}" ]; then
  b="$BASELINE"
  cases="$cases
base-png|png|$b render -q --no-cache -o $out/base.png
base-pdf|pdf|$b render -q --no-cache -o $out/base.pdf
base-tiny-png|png|$b render -q --no-cache --dpi 8.55 -o $out/base-tiny.png
base-series-52-pdf|pdf|$b series -q --no-cache --from 2019-06-03 --to 2020-05-25 --step 1w -o $out/base-series.pdf
base-stress-png|png|$b render -q --no-cache $work/stress/base-stress.map -o $out/base-stress.png
base-stress-pdf|pdf|$b render -q --no-cache $work/stress/base-stress.map -o $out/base-stress.pdf"
fi

# one unmeasured pass: the system's file and font caches (nothing of ours is cached)
echo "$cases" | while IFS='|' read -r name kind cmd; do
  # shellcheck disable=SC2086
  $cmd >/dev/null
done

samples="$work/samples.txt"
: > "$samples"
i=0
while [ "$i" -lt "$runs" ]; do
  echo "$cases" | while IFS='|' read -r name kind cmd; do
    # word splitting of $cmd is wanted: the cases hold no quoted arguments
    # shellcheck disable=SC2086
    "$work/timeit" "$samples" "$name" $cmd >/dev/null
  done
  i=$((i + 1))
  printf '\rbench: round %d of %d' "$i" "$runs" >&2
done
echo >&2

# medians and ranges; ratios to the floor and to the single-page cases
awk -v runs="$runs" -v vertices="$vertices" -v json="$work/results.json" '
function median(list, n,   a, i, j, t) {
  split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
    if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function lo(list,   a, n, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
function hi(list,   a, n, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
{ if (!($1 in wall)) order[++k] = $1
  wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4); rss[$1] = rss[$1] " " $5; cnt[$1]++ }
END {
  for (i = 1; i <= k; i++) { c = order[i]; mw[c] = median(wall[c], cnt[c]); mc[c] = median(cpu[c], cnt[c]); mr[c] = median(rss[c], cnt[c]) }
  printf "%-19s %8s %15s %8s %9s %9s\n", "case", "wall s", "range", "cpu s", "peak MiB", "x floor"
  printf "{\n  \"runs\": %d,\n  \"stress_vertices\": %d,\n  \"cases\": {\n", runs, vertices > json
  for (i = 1; i <= k; i++) {
    c = order[i]
    printf "%-19s %8.3f %7.3f-%-7.3f %8.3f %9.1f %9.2f\n", c, mw[c], lo(wall[c]), hi(wall[c]), mc[c], mr[c] / 1024, mw[c] / mw["floor"]
    printf "    \"%s\": {\"wall_median\": %.4f, \"wall_min\": %.4f, \"wall_max\": %.4f, \"cpu_median\": %.4f, \"peak_kib_median\": %d, \"ratio_to_floor\": %.3f}%s\n", \
      c, mw[c], lo(wall[c]), hi(wall[c]), mc[c], mr[c], mw[c] / mw["floor"], i < k ? "," : "" > json
  }
  printf "  },\n  \"targets\": {\n" > json
  printf "\nTargets (medians, this run):\n"
  t[1] = "png / floor <= 0.6";          v[1] = mw["png"] / mw["floor"];        ok[1] = v[1] <= 0.6
  t[2] = "pdf / floor <= 0.35";         v[2] = mw["pdf"] / mw["floor"];        ok[2] = v[2] <= 0.35
  t[3] = "tiny-png / floor <= 0.25";    v[3] = mw["tiny-png"] / mw["floor"];   ok[3] = v[3] <= 0.25
  t[4] = "series-52 / pdf <= 4";        v[4] = mw["series-52-pdf"] / mw["pdf"]; ok[4] = v[4] <= 4
  t[5] = "stress-png / png <= 2";       v[5] = mw["stress-png"] / mw["png"];   ok[5] = v[5] <= 2
  t[6] = "stress-pdf / pdf <= 2";       v[6] = mw["stress-pdf"] / mw["pdf"];   ok[6] = v[6] <= 2
  t[7] = "png peak MiB <= 100";         v[7] = mr["png"] / 1024;               ok[7] = v[7] <= 100
  for (i = 1; i <= 7; i++) {
    printf "  %-30s %8.2f  %s\n", t[i], v[i], ok[i] ? "met" : "NOT met"
    printf "    \"%s\": {\"value\": %.3f, \"met\": %s}%s\n", t[i], v[i], ok[i] ? "true" : "false", i < 7 ? "," : "" > json
  }
  printf "  }\n}\n" > json
  if ("base-png" in mw) {
    printf "\nAgainst the baseline (its cold runs), this run:\n"
    split("png pdf tiny-png series-52-pdf stress-png stress-pdf", names, " ")
    for (i = 1; i <= 6; i++)
      printf "  %-16s %.3f s against %.3f s: %.2f x\n", names[i], mw[names[i]], mw["base-" names[i]], mw[names[i]] / mw["base-" names[i]]
    printf "  png peak MiB     %.1f against %.1f\n", mr["png"] / 1024, mr["base-png"] / 1024
  }
  printf "\nstress map: %d vertices in its districts; results in %s\n", vertices, json
}' "$samples"
