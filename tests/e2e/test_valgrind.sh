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
# satchel loads none of libvips' optional modules (generator/image.c init): on AMD processors
# the JPEG XL one (libhwy) runs an instruction valgrind cannot run as it loads, and their
# decoders would read uploads satchel refuses. Checked from the dynamic loader's own log, with an
# image in the site so that libvips starts; valgrind below is never skipped.
echo "# libvips modules are not loaded (the demo build below runs under valgrind on Intel and AMD alike)"
mkdir -p "$T/mod/content/about"
cp "$S/site.yaml" "$T/mod/"
printf -- '---\ntitle: About\n---\n![a photo](photo.jpg)\n' >"$T/mod/content/about/index.md"
cp "$ROOT/tests/fixtures/photo-gps.jpg" "$T/mod/content/about/photo.jpg"
LD_DEBUG=files "$BIN" build -s "$T/mod" -q -j 1 2>"$T/ld" >/dev/null
grep 'vips-modules' "$T/ld" | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u >"$T/mods"
check "the build ran and libvips started (libvips itself in the loader's log)" grep -q 'libvips' "$T/ld"
check "no libvips module is loaded: $(tr '\n' ' ' <"$T/mods")" test ! -s "$T/mods"
# The demo hub: content types, ICU search words and Snowball stems, image sizes through libvips
# (PNG, JPEG and SVG). librsvg and GLib keep one-time type registrations that valgrind calls
# "possibly lost", so here only definite and indirect leaks count.
D=$T/demo
mkdir -p "$D"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$D/"
valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=99 "$BIN" build -s "$D" -q -j 2 2>"$T/vg4"
rc=$?
check "valgrind-clean demo hub build (types, search, images)" test $rc -eq 0
[ $rc -eq 0 ] || cat "$T/vg4"
finish
