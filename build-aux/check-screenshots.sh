#!/bin/sh
# check-screenshots.sh SCREENSHOTS_DIR_PARENT METAINFO — the AppStream screenshots are real:
# every <image> of the (merged) metainfo names a picture in data/screenshots of the width and
# height it declares, and every picture in data/screenshots is named there. TAP output.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

datadir=$1
metainfo=$2
n=0
status=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; status=1; }

# PNG: width and height are the big-endian words at bytes 16 and 20 (the IHDR chunk)
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{printf "%d %d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }

images=$(sed -n 's|.*<image[^>]*width="\([0-9]*\)" height="\([0-9]*\)"[^>]*>[^<]*/\([^/<]*\)</image>.*|\3 \1 \2|p' "$metainfo")
[ -n "$images" ] && ok "the metainfo names screenshots" || not_ok "the metainfo names no screenshot"

echo "$images" | while read -r name width height; do
  [ -n "$name" ] || continue
  f=$datadir/screenshots/$name
  if [ ! -f "$f" ]; then
    echo "not ok - $name is named in the metainfo but not in data/screenshots"
    continue
  fi
  size=$(png_size "$f")
  if [ "$size" = "$width $height" ]; then
    echo "ok - $name is ${width}x$height as declared"
  else
    echo "not ok - $name is $size, the metainfo says $width $height"
  fi
done > "${TMPDIR:-/tmp}/check-screenshots.$$"
while read -r line; do
  case $line in
    "ok - "*) ok "${line#ok - }" ;;
    *) not_ok "${line#not ok - }" ;;
  esac
done < "${TMPDIR:-/tmp}/check-screenshots.$$"
rm -f "${TMPDIR:-/tmp}/check-screenshots.$$"

for f in "$datadir"/screenshots/*.png; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  if echo "$images" | grep -q "^$name "; then ok "$name is named in the metainfo"; else not_ok "$name is not named in the metainfo"; fi
done

echo "1..$n"
exit $status
