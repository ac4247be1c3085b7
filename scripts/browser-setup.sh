#!/bin/sh
# Installs Debian's Chromium for the web edition's browser tests (as root; elsewhere it only
# checks) and the pinned npm tools of web/ (eslint, puppeteer-core, axe-core) from
# web/package-lock.json.  puppeteer-core never downloads a browser: the tests drive
# /usr/bin/chromium.  Called by scripts/test.sh before the build, so .ci/run gets it too.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
packages="chromium nodejs npm"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# nodejs may come from elsewhere with npm inside it: only ask apt for npm when there is none
if command -v npm >/dev/null; then missing=$(echo "$missing" | sed 's/ npm//; s/ nodejs//'); fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "browser-setup: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "browser-setup: missing packages:$missing (run this script as root to install them)" >&2
    exit 1
  fi
fi
cd "$root/web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
