#!/bin/sh
# The release binary under valgrind: no invalid access, no leak, on a good build and a failing one.
. "$(dirname "$0")/lib.sh"

BIN=$ROOT/build/satchel
S=$T/site
minisite "$S"
(cd "$S" && git init -q && commit . "first")
vg() { valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 "$@"; }

vg "$BIN" build -s "$S" -q -j 2 2>"$T/vg1"
rc=$?
check "valgrind-clean good build" test $rc -eq 0
[ $rc -eq 0 ] || cat "$T/vg1"

printf -- '---\ntitle: [broken\n---\n' >"$S/content/tools/checklist/index.md"
vg "$BIN" build -s "$S" -q -j 2 2>"$T/vg2"
rc=$?
check "valgrind-clean failing build exits 1" test $rc -eq 1
[ $rc -eq 1 ] || cat "$T/vg2"

vg "$BIN" build -s "$S" --ref HEAD -o "$T/out" -q 2>"$T/vg3"
rc=$?
check "valgrind-clean --ref build" test $rc -eq 0
[ $rc -eq 0 ] || cat "$T/vg3"
# The demo hub: content types, ICU search words and Snowball stems, image sizes through libvips
# (PNG, JPEG and SVG). librsvg and GLib keep one-time type registrations that valgrind calls
# "possibly lost", so here only definite and indirect leaks count.
D=$T/demo
mkdir -p "$D"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$D/"
valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=99 "$BIN" build -s "$D" -q -j 2 2>"$T/vg4"
rc=$?
check "valgrind-clean demo hub build (types, search, images)" test $rc -eq 0
[ $rc -eq 0 ] || cat "$T/vg4"
finish
