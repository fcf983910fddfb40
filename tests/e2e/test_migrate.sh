#!/bin/sh
# docs/migrate.md, run: the Hugo fixture without its site.yaml takes the one the guide gives and
# builds with the warnings the guide shows; the guide's script turns Hugo's content directory
# per language into NAME.LANG.md files that build as translations; the MkDocs fixture, moved by
# the guide's steps, builds without a warning, its .md links resolved and none broken.
. "$(dirname "$0")/lib.sh"

DOC=$ROOT/docs/migrate.md
# block NAME: the code block under `<!-- migrate: NAME -->` in the guide, unindented.
block() {
	awk -v m="<!-- migrate: $1 -->" '
		index($0, m) { on = 1; next }
		on && /^ *```/ { if (inside) exit; inside = 1; match($0, /^ */); ind = RLENGTH; next }
		inside { print substr($0, ind + 1) }' "$DOC"
}

# Hugo: the fixture as Hugo had it, then the guide's site.yaml.
H=$T/hugo
cp -R "$ROOT/tests/fixtures/hugo-site" "$H"
rm "$H/site.yaml"
(cd "$H" && git init -q) && commit "$H" "A Hugo site"
"$SATCHEL" build -s "$H" -q 2>"$T/err"
check "a Hugo site alone does not build" test $? -ne 0
contains "... it needs site.yaml" "$T/err" "a site needs site.yaml beside content/"
block hugo-site.yaml >"$H/site.yaml"
check "the guide has the Hugo site.yaml" grep -q "code: gr, locale: el" "$H/site.yaml"
commit "$H" "site.yaml"
"$SATCHEL" build -s "$H" -q 2>"$T/err"
check "with the guide's site.yaml it builds" test $? -eq 0
for w in "content/docs/getting-started.md:9:1: warning: Hugo shortcode {{< youtube >}} is not run" \
	"content/docs/interviewing.md:10:1: warning: Hugo shortcode {{% notice %}} is not run" \
	"content/docs/interviewing.md:14:1: warning: Hugo shortcode {{< figure >}} is not run" \
	"content/about.md:3:7: warning: unknown type 'landing'"; do
	contains "the warning the guide shows: ${w%%:*}" "$T/err" "$w"
	check "... and the guide shows it" grep -qF -- "${w#*warning: }" "$DOC"
done
exists "the gr pages" "$H/public/gr/docs/getting-started/index.html"
"$SATCHEL" check -s "$H" >"$T/check" 2>&1
contains "satchel check finds no error" "$T/check" "0 errors"

# Hugo's content directory per language, through the guide's script.
C=$T/dirs
mkdir -p "$C/content/en/docs/guide" "$C/content/no/docs/guide" "$C/content/fa/docs"
printf -- '---\ntitle: Home\n---\n' >"$C/content/en/_index.md"
printf -- '---\ntitle: Hjem\n---\n' >"$C/content/no/_index.md"
printf -- '---\ntitle: خانه\n---\n' >"$C/content/fa/_index.md"
printf -- '---\ntitle: Docs\n---\n' >"$C/content/en/docs/_index.md"
printf -- '---\ntitle: Intro\n---\nSee [the guide](guide/).\n' >"$C/content/en/docs/intro.md"
printf -- '---\ntitle: Innledning\n---\nText.\n' >"$C/content/no/docs/intro.md"
printf -- '---\ntitle: مقدمه\n---\nText.\n' >"$C/content/fa/docs/intro.md"
printf -- '---\ntitle: Guide\nimage: pic.png\n---\nText.\n' >"$C/content/en/docs/guide/index.md"
printf -- '---\ntitle: Veiledning\n---\nText.\n' >"$C/content/no/docs/guide/index.md"
cp "$ROOT/tests/fixtures/hugo-site/static/images/share.png" "$C/content/en/docs/guide/pic.png"
printf 'title: Dirs\nbase_url: https://dirs.example.org/\ndefault_language: en\nlanguages:\n  - {code: en}\n  - {code: "no"}\n  - {code: fa}\nsections: [docs]\n' >"$C/site.yaml"
(cd "$C" && git init -q) && commit "$C" "Hugo, a content directory per language"
block contentdirs >"$T/dirs.sh"
check "the guide has the script" grep -q 'git mv' "$T/dirs.sh"
(cd "$C" && sh "$T/dirs.sh")
check "the script ran" test $? -eq 0
exists "a translation became NAME.LANG.md" "$C/content/docs/intro.no.md"
exists "... a bundle's page index.LANG.md" "$C/content/docs/guide/index.no.md"
exists "the default language's tree moved up" "$C/content/docs/intro.md"
exists "... with its bundle's files" "$C/content/docs/guide/pic.png"
absent "no language folder is left" "$C/content/en"
commit "$C" "content directories merged"
sed -i 's|(guide/)|(guide/index.md)|' "$C/content/docs/intro.md"
"$SATCHEL" build -s "$C" -q 2>"$T/err"
check "it builds" test $? -eq 0
check "... without a warning" test ! -s "$T/err"
cat "$T/err"
contains "the Norwegian page is a translation" "$C/public/en/docs/intro/index.html" 'hreflang="no" href="https://dirs.example.org/no/docs/intro/"'
contains "... the Persian one too, right to left" "$C/public/fa/docs/intro/index.html" '<html lang="fa" dir="rtl">'

# MkDocs: the guide's steps.
M=$T/mkdocs
cp -R "$ROOT/tests/fixtures/mkdocs-site" "$M"
(cd "$M" && git init -q) && commit "$M" "An MkDocs site"
block mkdocs-steps >"$T/mk.sh"
check "the guide has the MkDocs steps" grep -q 'git mv docs content' "$T/mk.sh"
(cd "$M" && sh "$T/mk.sh")
check "the steps ran" test $? -eq 0
"$SATCHEL" build -s "$M" -q 2>"$T/err"
check "the MkDocs site builds" test $? -eq 0
check "... without a warning" test ! -s "$T/err"
cat "$T/err"
P=$M/public/en
contains "index.md is the home page" "$P/index.html" 'Start with <a href="/en/getting-started/">getting started</a>'
contains "a link into a folder resolves" "$P/index.html" '<a href="/en/guide/install/">guide</a>'
contains "a link with an anchor resolves" "$P/getting-started/index.html" '<a href="/en/guide/install/#requirements">requirements</a>'
contains "a link up and across resolves" "$P/guide/basics/index.html" '<a href="/en/getting-started/#next-steps">next steps</a>'
contains "a link to ../index.md is the home" "$P/guide/basics/index.html" '<a href="/en/">home</a>'
contains "the first heading is the title" "$P/guide/install/index.html" "<h1>Installing</h1>"
check "... shown once" test "$(grep -c '<h1' "$P/guide/install/index.html")" -eq 1
contains "a setext heading too" "$P/guide/basics/index.html" "<h1>Everyday use</h1>"
contains "the nav's section title" "$P/guide/index.html" "<h1>Guide</h1>"
python3 - "$P/guide/index.html" <<'PY' && ok "the nav's order, by weight" || fail "the nav's order, by weight"
import sys
h = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if h.index('href="/en/guide/install/"') < h.index('href="/en/guide/basics/"') else 1)
PY
"$SATCHEL" check -s "$M" >"$T/check" 2>&1
check "satchel check passes" test $? -eq 0
contains "... no broken link" "$T/check" "0 errors, 0 warnings"
# The oracle: a dead link is found.
printf '\nSee [gone](gone.md).\n' >>"$M/content/guide/basics.md"
"$SATCHEL" check -s "$M" >"$T/check" 2>&1
contains "a link to a missing .md is reported" "$T/check" "content/guide/basics.md:"
contains "... as missing" "$T/check" "gone.md"
finish
