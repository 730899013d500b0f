#!/bin/sh
# check-potfiles.sh — every file with translatable strings is in po/POTFILES.in,
# every file listed there exists, and the list is sorted.
#
# Usage: check-potfiles.sh [SOURCE_ROOT]   (TAP output, exit 1 on a problem)
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

root=${1:-$(dirname "$0")/..}
cd "$root" || exit 1

potfiles=po/POTFILES.in
listed=$(mktemp)
trap 'rm -f "$listed"' EXIT
grep -v -e '^#' -e '^[[:space:]]*$' "$potfiles" > "$listed"

status=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; status=1; }

# Code and UI files that mark strings for translation (the file defining _()
# and the core's plural helper, src/core/lanyard-i18n*, marks nothing).
mark='(^|[^A-Za-z0-9_])(N|C|NC)?_\(|ngettext \(("|$)'
marked=$(for f in $(grep -rlE --include='*.c' --include='*.h' "$mark" src 2>/dev/null); do
           grep -vE '^#[[:space:]]*define' "$f" | grep -qE "$mark" && echo "$f"
         done
         grep -rl --include='*.ui' 'translatable="yes"' src 2>/dev/null)
# Data files translated through their ITS rules.
data=$(find data -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml' 2>/dev/null)

for f in $(printf '%s\n%s\n' "$marked" "$data" | sort -u); do
  [ -n "$f" ] || continue
  if grep -qxF "$f" "$listed"; then
    ok "$f is listed"
  else
    not_ok "$f has translatable strings but is not in $potfiles"
  fi
done

while read -r f; do
  if [ -e "$f" ]; then
    ok "$f exists"
  else
    not_ok "$f is listed in $potfiles but does not exist"
  fi
done < "$listed"

if LC_ALL=C sort -c "$listed" 2>/dev/null; then
  ok "$potfiles is sorted"
else
  not_ok "$potfiles is not sorted (LC_ALL=C sort)"
fi

echo "1..$n"
exit $status
