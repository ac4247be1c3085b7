#!/bin/sh
# The benchmark's generated stress inputs: bench-inputs.sh SRC_ROOT OUT_DIR writes into OUT_DIR
#   ledger-1m.csv   a ledger of 1,000,000 rows over every district, town and site key of the
#                   bundled map, one day after another from 1986 (map: ledger-1m.map)
#   places-20k.csv  a gazetteer of 20,000 places of rank 3 and 4, all label candidates, spread
#                   over Libya's box (map: places-20k.map)
#   zone-1m.geojson one zone of control of 1,000,000 vertices around Tripoli (map: zone-1m.map)
#   stress/         the bundled districts, border and neighbours densified along their edges
#                   to over a million vertices (map: stress/stress.map)
# Every map is the bundled geodata/libya.map with one input swapped; the random parts come from
# awk's srand with a fixed seed, so the inputs are the same on every run.
set -eu
src=$1
out=$2
geo="$src/geodata"
mkdir -p "$out/stress"

# a map file: the bundled one, its relative paths made absolute, one [section]'s file swapped
mkmap() { # mkmap SECTION FILE OUT.map
  awk -v sec="[$1]" -v file="$2" -v geo="$geo" -v root="$src" '
    /^\[/ { cur = $0 }
    /^file = / { if (cur == sec) { print "file = " file; next } else { sub(/^file = /, "file = " geo "/") } }
    /^styles = / { gsub(/\.\.\//, root "/") }
    { print }' "$geo/libya.map" > "$3"
}

keys="$out/keys.txt"
{
  ogrinfo -q -al "$geo/districts.shp" | awk -F' = ' '/^  key \(String\)/ { print $2 }'
  awk -F, 'NR > 1 { print "town:" $1 }' "$geo/places.csv"
  awk -F, 'NR > 1 { print "site:" $1 }' "$geo/sites.csv"
} > "$keys"
[ -s "$keys" ] || { echo "bench-inputs.sh: no region keys read from $geo" >&2; exit 1; }
src_id=$(awk -F, 'NR == 2 { print $1 }' "$geo/sources.csv")

# 1,000,000 rows: every key gets a row on some days, in date order within each key
awk -v n=1000000 -v src="$src_id" '
  function civil(z,   era, doe, yoe, y, doy, mp, d, m) { # days since 1970-01-01 -> Y-M-D
    z += 719468; era = int(z / 146097); doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9
    return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d) }
  { key[++k] = $0 }
  END {
    srand(18); print "date,region,controller,status,parties,source,confidence,note"
    day = 5844 # 1986-01-01
    for (i = 0; i < n; day++) {
      date = civil(day)
      for (j = 1; j <= k && i < n; j++) {
        if (rand() < 0.15) continue
        c = rand() < 0.5 ? "GNA" : "LNA"
        if (rand() < 0.05) print date "," key[j] ",GNA,contested,GNA;LNA," src ",reported,"
        else print date "," key[j] "," c ",held,," src ",assessed,generated row " i
        i++
      }
    }
  }' "$keys" > "$out/ledger-1m.csv"
mkmap control "$out/ledger-1m.csv" "$out/ledger-1m.map"

# 20,000 places after the bundled ones (which the ledger names): names of two or three words,
# rank 3 or 4, anywhere in Libya's box
awk -v n=20000 '{ print } END {
  srand(20000); split("Bir Qasr Wadi Ain Hun Suq Zawiyat Jabal Marsa Ras Sidi Bani", w, " ")
  for (i = 1; i <= n; i++) {
    name = w[int(rand() * 12) + 1] " " sprintf("%c%c%c", 65 + int(rand() * 26), 97 + int(rand() * 26), 97 + int(rand() * 26))
    if (rand() < 0.3) name = name " " i
    printf "g%05d,%s,قرية %d,town,%d,%.5f,%.5f,\n", i, name, i, rand() < 0.2 ? 3 : 4, 9.5 + rand() * 15.5, 20 + rand() * 13
  } }' "$geo/places.csv" > "$out/places-20k.csv"
mkmap places "$out/places-20k.csv" "$out/places-20k.map"

# a zone of 1,000,000 vertices: a ring around Tripoli with a ripple, so no two are in line
awk -v n=1000000 -v src="$src_id" 'BEGIN {
  printf "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"id\": 1, "
  printf "\"properties\": {\"label\": \"Generated zone\", \"controller\": \"LNA\", \"status\": \"held\", "
  printf "\"parties\": null, \"valid_from\": \"2019-04-06\", \"valid_until\": null, \"source\": \"%s\"}, ", src
  printf "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [["
  pi = atan2(0, -1)
  for (i = 0; i <= n; i++) {
    t = 2 * pi * (i % n) / n; r = 0.9 + 0.05 * sin(t * 997)
    printf "%s[%.7f,%.7f]", i ? "," : "", 13.1 + 1.2 * r * cos(t), 32.0 + 0.8 * r * sin(t)
  }
  print "]]}}]}" }' > "$out/zone-1m.geojson"
mkmap zones "$out/zone-1m.geojson" "$out/zone-1m.map"

# the stress map: the real districts, border and neighbours densified along their edges
for layer in districts libya neighbours; do
  # densifying can cross a ring over itself where it doubles back: repair once, here
  ogr2ogr -q -overwrite -segmentize 0.0002 -makevalid -lco ENCODING=UTF-8 \
    "$out/stress/$layer.shp" "$geo/$layer.shp"
done
awk -v geo="$geo" -v root="$src" -v st="$out/stress" '
  /^file = (districts|libya|neighbours)\.shp$/ { sub(/^file = /, "file = " st "/"); print; next }
  /^file = / { sub(/^file = /, "file = " geo "/") }
  /^styles = / { gsub(/\.\.\//, root "/") }
  { print }' "$geo/libya.map" > "$out/stress/stress.map"
