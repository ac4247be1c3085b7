#!/bin/sh
# apt-need.sh WHO PACKAGE...: installs the Debian packages of the list that are missing (as
# root, with apt-get); elsewhere it names them and fails.  WHO prefixes its messages.
set -eu
who=$1
shift
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "$who: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "$who: missing packages:$missing (run this script as root to install them)" >&2
  exit 1
fi
