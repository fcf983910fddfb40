#!/bin/sh
# Incremental builds: `build --incremental` re-renders only the pages whose inputs changed (the
# values a page's template gets, under a hash of the templates, UI strings, site.yaml and
# satchel) and links the rest from the previous output. After each kind of edit — a page's text,
# a title that listings show, a new translation, a deleted page, a site layout, a UI string,
# site.yaml — the result must be byte-identical to a full build of the same files.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$S/"
(cd "$S" && git init -q) && commit "$S" "Demo hub"

# inc NAME: an incremental build, then a full one elsewhere; they must match byte for byte (the
# manifest that incremental builds write is kept in satchel's cache folder, not in the output). Sets $reused to the pages it did not render.
inc() {
	"$SATCHEL" build -s "$S" --incremental >"$T/out" 2>"$T/err"
	rc=$?
	reused=$(sed -n 's/.*(\([0-9]*\) pages unchanged, reused)$/\1/p' "$T/out")
	rm -rf "$T/full"
	"$SATCHEL" build -s "$S" -o "$T/full" -q 2>/dev/null
	if [ $rc -eq 0 ] && diff -r "$S/public" "$T/full" >"$T/diff" 2>&1; then
		ok "$1: same bytes as a full build (reused $reused)"
	else
		fail "$1: incremental differs from full (rc $rc): $(head -c 600 "$T/diff") $(cat "$T/err")"
	fi
}

inc "first incremental build"
check "the first renders everything" test "$reused" -eq 0
M=$(echo "$HOME"/.cache/satchel/builds/*/pages)
exists "a manifest of what each page was made from, in the cache folder" "$M"
absent "... not beside the output" "$S/.public.satchel-manifest"
absent "the manifest is not published" "$S/public/.satchel-manifest"
# Its pages (the record also names each language's search shards, kept when their texts are).
total=$(grep -c '^[^	]*\.html	' "$M")

inc "nothing changed"
check "nothing changed: every page reused" test "$reused" -eq "$total"

printf '\nOne more sentence.\n' >>"$S/content/news/barnahus-plovdiv/index.md"
inc "a page's text"
check "a page's text: only its own page re-rendered" test "$reused" -eq $((total - 1))

sed -i 's/^title: "A new Barnahus opens in Plovdiv"/title: "A Barnahus opens in Plovdiv"/' \
	"$S/content/news/barnahus-plovdiv/index.md"
inc "a title listings show"
check "a title: the page and the listings that show it, not the rest" \
	sh -c "test $reused -lt $((total - 1)) && test $reused -gt $((total / 2))"

cat >"$S/content/news/barnahus-plovdiv/index.ro.md" <<'MD'
---
title: "Un Barnahus se deschide la Plovdiv"
date: 2025-05-12
summary: "Copiii sunt ascultați o singură dată, într-un singur loc."
---
Centrul a fost deschis.
MD
inc "a new translation"

rm "$S/content/news/barnahus-plovdiv/index.ro.md"
inc "a deleted translation"
absent "the deleted translation's page is gone" "$S/public/ro/news/barnahus-plovdiv/index.html"

rm -r "$S/content/news/regional-training-sofia"
inc "a deleted page"
absent "the deleted page is gone" "$S/public/en/news/regional-training-sofia/index.html"

mkdir -p "$S/layouts/partials"
sed 's/<footer class="site-footer">/<footer class="site-footer" data-site-layout>/' \
	"$ROOT/themes/default/layouts/partials/footer.html" >"$S/layouts/partials/footer.html"
inc "a site layout"
check "a layout: every page re-rendered" test "$reused" -eq 0
contains "the site's layout is used" "$S/public/en/index.html" 'data-site-layout'
check "the record names the templates each output loaded" \
	grep -q '^en/index.html	.*partials/footer.html' "$M"

# A partial only listings include: the listings are made again, the resources' pages are not.
sed 's/<ul/<ul data-site-list/' "$ROOT/themes/default/layouts/partials/entries.html" \
	>"$S/layouts/partials/entries.html"
inc "a layout that listings include"
check "a listing partial: listings re-rendered, the rest kept" \
	sh -c "test $reused -gt 0 && test $reused -lt $((total / 2 + total / 4))"
contains "the listing partial is used" "$S/public/en/news/index.html" 'data-site-list'

mkdir -p "$S/i18n"
printf 'skip_to_content: "Skip to the content"\n' >"$S/i18n/en.yaml"
inc "a UI string"
contains "the site's string is used" "$S/public/en/index.html" 'Skip to the content'

printf 'skip_to_content: "Към съдържанието направо"\n' >"$S/i18n/bg.yaml"
inc "a UI string of one language"
check "a string of Bulgarian: the other languages' pages kept" \
	sh -c "test $reused -gt $((total / 2))"
contains "the Bulgarian string is used" "$S/public/bg/index.html" 'Към съдържанието направо'

sed -i 's/^title: ChildHub Justice Resources/title: ChildHub Justice Library/' "$S/site.yaml"
inc "site.yaml"
check "site.yaml: every page re-rendered" test "$reused" -eq 0

# Another satchel of the same version (rebuilt from other code) renders everything again.
cp "$SATCHEL" "$T/satchel-rebuilt" && printf 'rebuilt' >>"$T/satchel-rebuilt"
SATCHEL_THEMES="$ROOT/themes" "$T/satchel-rebuilt" build -s "$S" --incremental >"$T/out" 2>/dev/null
reused=$(sed -n 's/.*(\([0-9]*\) pages unchanged, reused)$/\1/p' "$T/out")
check "another satchel binary: nothing reused" test "$reused" -eq 0

# A full build replaces the output the manifest described: the manifest goes with it, so the next
# incremental build reuses nothing it cannot vouch for.
printf '\nA full build after this.\n' >>"$S/content/news/barnahus-plovdiv/index.md"
"$SATCHEL" build -s "$S" -q 2>/dev/null
absent "a full build removes the manifest of the output it replaced" "$M"
inc "incremental after a full build"
check "incremental after a full build renders everything" test "$reused" -eq 0
absent "never a manifest in the output" "$S/public/.satchel-manifest"

finish
