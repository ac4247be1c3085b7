#!/bin/sh
# Installs into a temporary prefix, builds examples/report.c against it with pkg-config and
# runs it, checks the man page, and renders the default map with the installed CLI from a
# folder outside the source tree, with the source tree out of reach by name.
set -eu
build=$1
src=$2
extra=${3:-}  # compiler flags a sanitized build needs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
# move the installed tree: nothing may depend on where it was installed
mv "$tmp/prefix" "$tmp/moved"
prefix="$tmp/moved"
pcdir=$(dirname "$(find "$prefix" -name conflictmap.pc)")
export PKG_CONFIG_PATH="$pcdir"
pkg-config --exists conflictmap || { echo "no conflictmap.pc" >&2; exit 1; }
cc $extra -Wall -Wextra -Werror "$src/examples/report.c" $(pkg-config --cflags --libs conflictmap pangocairo) \
  -Wl,-rpath,"$(pkg-config --variable=libdir conflictmap)" -o "$tmp/report"
mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere"
"$tmp/report" "$tmp/report.pdf"
pages=$(pdfinfo "$tmp/report.pdf" | awk '/^Pages:/ { print $2 }')
[ "$pages" = 2 ] || { echo "report.pdf has $pages pages, not 2" >&2; exit 1; }
pdftotext "$tmp/report.pdf" - | grep -q "Government of National Accord (GNA)" || {
  echo "the report's map page lacks the legend" >&2; exit 1; }
# the static library links too (its dependencies stay shared: Debian ships no static GDAL)
cc $extra "$src/examples/report.c" -o "$tmp/report-static" \
  $(pkg-config --cflags conflictmap pangocairo) "$(pkg-config --variable=libdir conflictmap)/libconflictmap.a" \
  $(pkg-config --libs gdal pangocairo pangoft2 fontconfig glib-2.0 proj geos zlib libpng libcrypto libwebpmux cairo) -lm -ldl
# a static program has no library beside the data to find it from: it is told where it is
CONFLICTMAP_DATA="$(pkg-config --variable=datadir conflictmap)" "$tmp/report-static" "$tmp/static.pdf"
# the installed CLI finds its data beside itself, from any folder
"$prefix/bin/conflictmap" render -q --dpi 30 -o map.png
[ -s map.png ] || { echo "the installed CLI wrote no map" >&2; exit 1; }
"$prefix/bin/conflictmap" info map.png | grep -q "^date *2019-12-19" || { echo "no provenance" >&2; exit 1; }
# init finds the installed world and house style: its project renders from here
"$prefix/bin/conflictmap" init "$src/geodata/districts.shp" --key key --name name_en -o proj -q
grep -q "^styles = $prefix/share/conflictmap/styles/base.ini" proj/districts.map || {
  echo "init's map does not name the installed house style" >&2; exit 1; }
"$prefix/bin/conflictmap" render -q --dpi 30 proj/districts.map -o proj.png
[ -s proj.png ] || { echo "init's project did not render" >&2; exit 1; }
# the man page is well-formed troff
man_page=$(find "$prefix" -name conflictmap.1)
[ -n "$man_page" ] || { echo "no man page installed" >&2; exit 1; }
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$man_page" 2>&1)
  [ -z "$warnings" ] || { echo "man page: $warnings" >&2; exit 1; }
fi
# bash completion is installed and loads
comp=$(find "$prefix" -path '*bash-completion/completions/conflictmap')
[ -n "$comp" ] && bash -c ". '$comp' && complete -p conflictmap" >/dev/null
echo "1 passed, 0 failed"
