#!/bin/sh
# Nothing a build writes lands in the site's folder but public/: satchel's records (the image
# record, the pages' manifest of incremental builds) go to a cache folder named after the
# output's canonical path, $XDG_CACHE_HOME/satchel/builds/HASH/ (else ~/.cache/…, or
# --cache DIR/builds/HASH/). Without one (no HOME, read-only) a build still works, without caches.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
python3 - "$S/content/guidance/assessment/photo.png" <<'PY'
import struct, sys, zlib
w, h = 64, 48
raw = b"".join(b"\0" + b"".join(bytes((x * 4, y * 5, 128)) for x in range(w)) for y in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                             + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
printf '\n![A photo](photo.png)\n' >>"$S/content/guidance/assessment/index.md"
printf 'public/\n' >"$S/.gitignore"
(cd "$S" && git init -q) && commit "$S" "Mini hub"
PAGE=$S/public/en/guidance/assessment/index.html

# clean NAME: git sees nothing new in the site (public/ is ignored), and nothing ignored either
# but public/.
clean() {
	st=$(git -C "$S" status --porcelain --ignored | grep -v '^!! public/$')
	if [ -z "$st" ]; then ok "$1"; else fail "$1: $(echo "$st" | head -3 | tr '\n' ' ')"; fi
}

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a build" test $? -eq 0
clean "after a build, the site holds nothing new but public/"
"$SATCHEL" build -s "$S" --incremental -q 2>"$T/err"
clean "after build --incremental too"
"$SATCHEL" check -s "$S" >/dev/null 2>&1
clean "after check too"
C=$(echo "$HOME"/.cache/satchel/builds/*)
check "one cache folder for the output" test -d "$C"
exists "... with the image record" "$C/images"
exists "... and the pages' manifest" "$C/pages"
check "... private to its user" sh -c "stat -c %a '$C' | grep -qx 700"
if grep -rqF "$(sha256sum "$S/content/guidance/assessment/photo.png" | cut -c1-64)" "$S/public"; then
	fail "no hash of an original is published"
else
	ok "no hash of an original is published"
fi

# The image record is used: a width it says (and the file's digest still vouches for) is what
# the page gets, so the image was not made again.
awk -F'\t' 'BEGIN{OFS="\t"} /photo/ {$3 = 777} {print}' "$C/images" >"$T/images" && cp "$T/images" "$C/images"
"$SATCHEL" build -s "$S" -q 2>/dev/null
contains "a rebuild takes the image from the record, not from libvips" "$PAGE" 'width="777"'

# The same output named otherwise (relative, trailing slash, through ..) shares the folder.
(cd "$S" && "$SATCHEL" build -o ./public/ -q 2>/dev/null && "$SATCHEL" build -s ../site -o ../site/content/../public -q 2>/dev/null)
check "one output, however it is named, one cache folder" test "$(ls "$HOME/.cache/satchel/builds" | wc -l)" -eq 1

# XDG_CACHE_HOME, and --cache DIR (which also holds --repo's clones), move it.
XDG_CACHE_HOME=$T/xdg "$SATCHEL" build -s "$S" -q 2>/dev/null
check "XDG_CACHE_HOME is used" sh -c "ls $T/xdg/satchel/builds/*/images"
"$SATCHEL" build -s "$S" --cache "$T/mine" -q 2>/dev/null
check "--cache DIR is used (DIR/builds/HASH)" sh -c "ls $T/mine/builds/*/images"

# An output elsewhere: nothing at all is written in the site's folder.
rm -rf "$S/public"
before=$(cd "$S" && find . -path ./.git -prune -o -print | LC_ALL=C sort | md5sum)
"$SATCHEL" build -s "$S" -o "$T/elsewhere" -q 2>/dev/null
"$SATCHEL" build -s "$S" -o "$T/elsewhere" --incremental -q 2>/dev/null
"$SATCHEL" check -s "$S" >/dev/null 2>&1
after=$(cd "$S" && find . -path ./.git -prune -o -print | LC_ALL=C sort | md5sum)
check "with -o elsewhere, nothing is written in the site's folder" test "$before" = "$after"
absent "... nor beside that output" "$T/.elsewhere.satchel-images"
absent "... nor its manifest" "$T/.elsewhere.satchel-manifest"

# No cache folder to be had: the build works without one, and says nothing about it.
(unset HOME XDG_CACHE_HOME; "$SATCHEL" build -s "$S" -o "$T/nohome" --incremental -q) 2>"$T/err"
check "no HOME: the build works" test $? -eq 0
check "... quietly" test ! -s "$T/err"
mkdir -p "$T/ro" && chmod 555 "$T/ro"
XDG_CACHE_HOME=$T/ro/cache "$SATCHEL" build -s "$S" -o "$T/rocache" --incremental -q 2>"$T/err"
rc=$?
if [ "$(id -u)" -eq 0 ]; then # root writes anywhere: a file where the folder would be instead
	printf 'x' >"$T/file"
	XDG_CACHE_HOME=$T/file "$SATCHEL" build -s "$S" -o "$T/rocache" --incremental -q 2>"$T/err"
	rc=$?
fi
check "a cache that cannot be made: the build works" test $rc -eq 0
check "... quietly" test ! -s "$T/err"
exists "... and publishes" "$T/rocache/en/index.html"

# Records an older satchel left beside the output are removed (git would take them).
printf 'old\n' >"$S/.public.satchel-images"
printf 'old\n' >"$S/.public.satchel-manifest"
"$SATCHEL" build -s "$S" -q 2>/dev/null
absent "an older satchel's image record beside public/ is removed" "$S/.public.satchel-images"
absent "... and its pages' manifest" "$S/.public.satchel-manifest"
clean "... so the site is clean again"

# A manifest describes the output it was written with. Another build with another cache (an
# older satchel, another user) replaces the output; an incremental build must then reuse
# nothing, even when the files are as its manifest last saw them.
F=$S/content/guidance/assessment/index.md
cp "$F" "$T/page.md"
"$SATCHEL" build -s "$S" --incremental -q 2>/dev/null
printf '\nA sentence only the other build saw.\n' >>"$F"
XDG_CACHE_HOME=$T/other "$SATCHEL" build -s "$S" -q 2>/dev/null
cp "$T/page.md" "$F"
"$SATCHEL" build -s "$S" --incremental 2>/dev/null >"$T/out"
lacks "an output another build replaced is not trusted by an old manifest" "$PAGE" 'only the other build saw'
contains "... nothing is reused" "$T/out" '(0 pages unchanged, reused)'

finish
