#!/bin/sh
# Installs Debian's Chromium for the web edition's browser tests (as root; elsewhere it only
# checks) and the pinned npm tools of web/ (eslint, puppeteer-core, axe-core) from
# web/package-lock.json.  puppeteer-core never downloads a browser: the tests drive
# /usr/bin/chromium.  Called by scripts/test.sh before the build, so .ci/run gets it too.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
# nodejs may come from elsewhere with npm inside it: only ask apt for them when there is none
packages="chromium"
command -v npm >/dev/null || packages="$packages nodejs npm"
# shellcheck disable=SC2086
"$root/scripts/apt-need.sh" browser-setup $packages
cd "$root/web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
