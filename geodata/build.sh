#!/bin/sh
# Rebuild the bundled shapefiles from Debian's and npm's packages (see SOURCES.md).
# Needs: qgis-common (Natural Earth admin-1), python3-gdal, npm (world-atlas 2.0.2).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=""
  for p in qgis-common python3-gdal; do
    dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
  done
  command -v npm >/dev/null || need="$need npm"
  [ -z "$need" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent world-atlas@2.0.2 >/dev/null && tar xzf world-atlas-2.0.2.tgz)
cd "$here"
/usr/bin/python3 src/build.py /usr/share/qgis/resources/data/world_map.gpkg \
  "$work/package"
echo "geodata: rebuilt districts.shp, libya.shp, neighbours.shp, inset.shp in $here"
