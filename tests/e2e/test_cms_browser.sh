#!/bin/sh
# The content editor (Decap CMS at /admin/) against `satchel serve`'s local backend in headless
# Chromium (tests/browser/cms.mjs), on the demo hub in a fresh git repository with a configured
# user: a guidance page made in English with its Bulgarian translation and an image; then here,
# the files it wrote, their front matter, the commit and its author, and `satchel check` on the
# result; a child-made material without consent refused; `..` paths refused by the backend.
# Screenshots go to $SATCHEL_SHOTS (default /tmp/satchel-shots) as cms-*.png.
. "$(dirname "$0")/lib.sh"

browser_modules
DIST=$ROOT/themes/default/admin/node_modules/decap-cms/dist
if [ ! -f "$DIST/decap-cms.js" ]; then
	fail "decap-cms is installed in themes/default/admin (scripts/install-deps.sh)"
	finish
	exit 1
fi

TMPDIR=$T/tmp
export TMPDIR
mkdir -p "$TMPDIR"
demo_site no-offline
# The editor's own identity, as git config gives it (not the environment lib.sh sets for fixtures).
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE
git -C "$S" config user.name "Vera Editor"
git -C "$S" config user.email "vera@example.org"
before=$(git -C "$S" rev-parse HEAD)
SLUG=hearing-rooms-for-children
P=$S/content/guidance/$SLUG
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS

if timeout 900 node "$B/cms.mjs" "$SATCHEL" "$S" "$SLUG"; then
	ok "cms.mjs passes"
else
	fail "cms.mjs passes"
fi

# The files: written as a partner would by hand. English is index.md, not index.en.md.
exists "the English file is index.md" "$P/index.md"
absent "no index.en.md beside it" "$P/index.en.md"
exists "the Bulgarian file is index.bg.md" "$P/index.bg.md"
exists "the image is beside the page" "$P/room.png"
check "the image is the uploaded file" cmp "$P/room.png" "$B/fixtures/room.png"
# fm FILE: the front matter of FILE, between its --- lines.
fm() { sed -n '2,/^---$/p' "$1" | sed '$d'; }
fm "$P/index.md" >"$T/en.fm" 2>/dev/null
fm "$P/index.bg.md" >"$T/bg.fm" 2>/dev/null
contains "the English title" "$T/en.fm" "title: Hearing rooms for children"
contains "the date" "$T/en.fm" "date: 2026-11-02"
contains "the image, by its name beside the page" "$T/en.fm" "image: room.png"
contains "the image's description" "$T/en.fm" "image_alt: A bright room with a sofa, a low table and a big window"
lacks "no translated_from in the source" "$T/en.fm" "translated_from"
contains "the English body" "$P/index.md" "Children are heard in a room that feels safe."
contains "the Bulgarian title (as the second save left it)" "$T/bg.fm" "title: Стаи за изслушване на деца и младежи"
contains "the Bulgarian image description" "$T/bg.fm" "image_alt: Светла стая с диван, ниска масичка и голям прозорец"
contains "the Bulgarian body" "$P/index.bg.md" "Децата се изслушват в стая, в която се чувстват в безопасност."
lacks "the translation does not repeat the date (shared)" "$T/bg.fm" "date:"
lacks "nor the image (shared)" "$T/bg.fm" "image: "
# Only the languages the editor wrote: Decap sends "\n" for each language left empty.
for l in el ro sr ar sr-Latn; do
	absent "no empty index.$l.md for a language left untouched" "$P/index.$l.md"
done
# Only these fields in the translation: title, image_alt, translated_from (and a body).
extra=$(sed 's/:.*//' "$T/bg.fm" | grep -v -e '^title$' -e '^image_alt$' -e '^translated_from$' -e '^summary$' | tr '\n' ' ')
if [ -z "$extra" ]; then ok "the translation holds only translatable fields"; else
	fail "the translation holds only translatable fields (also: $extra)"
fi

# The commits: one per save (two saves: both files, then the translation alone), by the editor's
# git identity as git config gives it, naming the page; nothing else changed.
git -C "$S" log --reverse --format='%H%x09%an <%ae>%x09%cn <%ce>%x09%s' "$before..HEAD" >"$T/log"
cat "$T/log"
n=$(wc -l <"$T/log")
check "two saves made two commits ($n)" test "$n" -eq 2
if [ "$n" -ge 1 ] && ! grep -qv 'Vera Editor <vera@example.org>	Vera Editor <vera@example.org>' "$T/log"; then
	ok "every commit is by the editor's git identity"
else
	fail "every commit is by the editor's git identity"
fi
check "every commit message names the page" test "$(grep -c "$SLUG" "$T/log")" -eq "$n"
first=$(sed -n 1p "$T/log" | cut -f1)
second=$(sed -n 2p "$T/log" | cut -f1)
git -C "$S" diff --name-only "$before" "$first" >"$T/changed"
if [ "$(sort "$T/changed" | tr '\n' ' ')" = "content/guidance/$SLUG/index.bg.md content/guidance/$SLUG/index.md content/guidance/$SLUG/room.png " ]; then
	ok "the first commit holds exactly the page's files"
else
	fail "the first commit holds exactly the page's files (got: $(tr '\n' ' ' <"$T/changed"))"
fi
check "the second commit changes the translation only" \
	test "$(git -C "$S" diff --name-only "$first" "$second" 2>/dev/null)" = "content/guidance/$SLUG/index.bg.md"
# translated_from: a translation saved with its source has none (that commit says they match);
# a translation saved alone follows the commit of the source it was written from.
git -C "$S" show "$first:content/guidance/$SLUG/index.bg.md" >"$T/bg1" 2>/dev/null
lacks "a translation saved with its source has no translated_from" "$T/bg1" "translated_from"
tf=$(sed -n 's/^translated_from: *"\{0,1\}\([0-9a-f]*\)"\{0,1\}$/\1/p' "$T/bg.fm")
case $first in
"$tf"*) if [ ${#tf} -ge 7 ]; then ok "a translation saved alone follows the source's commit ($tf)"; else
	fail "a translation saved alone follows the source's commit (got '$tf')"; fi ;;
*) fail "a translation saved alone follows the source's commit $first (got '$tf')" ;;
esac
check "the content is clean after the saves" test -z "$(git -C "$S" status --porcelain -- content)"
check "nothing of the refused child-made material was written" \
	test -z "$(git -C "$S" diff --name-only "$before" HEAD -- content/by-children)"
absent "the refused .. paths wrote nothing" "$S/escaped.md"
absent "nor beside the site" "$T/escaped.md"

# The rebuilt site: the page in both languages; `satchel check` finds nothing to say about it.
if SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q 2>"$T/build.log"; then
	ok "the site builds after the editor's saves"
else
	fail "the site builds after the editor's saves ($(head -3 "$T/build.log"))"
fi
contains "the English page is built" "$S/public/en/guidance/$SLUG/index.html" "Hearing rooms for children"
contains "the Bulgarian page is built" "$S/public/bg/guidance/$SLUG/index.html" "Стаи за изслушване на деца и младежи"
contains "the Bulgarian page's image has its description" "$S/public/bg/guidance/$SLUG/index.html" \
	'content="Светла стая с диван, ниска масичка и голям прозорец"'
"$SATCHEL" check -s "$S" >"$T/check.out" 2>&1
cat "$T/check.out"
grep -F "guidance/$SLUG" "$T/check.out" >"$T/check.page"
if [ ! -s "$T/check.page" ]; then ok "satchel check says nothing about the editor's page"; else
	fail "satchel check says nothing about the editor's page: $(head -3 "$T/check.page")"
fi
contains "satchel check: no error, no warning on the demo with the editor's page" "$T/check.out" "0 errors, 0 warnings"
# The oracle of the lines above: the same page with a link to nowhere in its body is reported.
cp -R "$P" "$S/content/guidance/oracle-copy"
printf '\n[a link](../nowhere/index.md)\n' >>"$S/content/guidance/oracle-copy/index.md"
"$SATCHEL" check -s "$S" >"$T/check2.out" 2>&1
if grep -qF "guidance/oracle-copy/index.md" "$T/check2.out"; then ok "(oracle) satchel check reports a fault in such a page"; else
	fail "(oracle) satchel check reports a fault in such a page: $(tail -3 "$T/check2.out")"
fi
rm -rf "$S/content/guidance/oracle-copy"

set -- "$TMPDIR"/satchel-serve-*
[ -e "$1" ] && fail "a private folder of serve is left: $1"
finish
