#!/bin/sh
# Quick start: install what is missing, build, and render the default map of Libya
# (19 December 2019) to out/libya-control.png and out/libya-control.pdf.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
mkdir -p "$root/out"
"$root/build/conflictmap" render -o "$root/out/libya-control.png"
"$root/build/conflictmap" render -o "$root/out/libya-control.pdf"
echo "demo: wrote $root/out/libya-control.png and $root/out/libya-control.pdf"
