#!/bin/sh
# A small site in a git repository: pages, URLs, translations, alternates, listings with
# untranslated resources, feeds, sitemap, static files, and byte-identical rebuilds.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
mkdir -p "$S/static/img"
printf 'резюме\n' >"$S/content/guidance/assessment/summary.bg.txt"
printf 'logo' >"$S/static/img/logo.txt"
(cd "$S" && git init -q && commit . "first")

out=$("$SATCHEL" build -s "$S" -j 2 2>"$T/err")
rc=$?
check "build exits 0" test $rc -eq 0
case "$out" in *"pages (en "*"bg "*"ar "*) ok "summary line names pages per language" ;; *) fail "summary line: $out" ;; esac
P=$S/public
exists "English page" "$P/en/guidance/assessment/index.html"
exists "Bulgarian page at its translated slug" "$P/bg/guidance/individualna-otsenka/index.html"
absent "no Bulgarian page at the English slug" "$P/bg/guidance/assessment/index.html"
absent "no duplicate page for an untranslated resource" "$P/bg/tools/checklist/index.html"
contains "html lang" "$P/bg/guidance/individualna-otsenka/index.html" '<html lang="bg"'
contains "rtl direction for Arabic" "$P/ar/index.html" 'dir="rtl"'
contains "hreflang alternate to English" "$P/bg/guidance/individualna-otsenka/index.html" 'hreflang="en" href="https://hub.example.org/en/guidance/assessment/"'
contains "hreflang x-default" "$P/en/guidance/assessment/index.html" 'hreflang="x-default"'
contains "switcher links the translation" "$P/en/guidance/assessment/index.html" 'href="/bg/guidance/individualna-otsenka/"'
contains "link to content file becomes URL" "$P/en/guidance/assessment/index.html" 'href="/en/tools/checklist/"'
contains "link in bg page to untranslated page goes to English" "$P/bg/guidance/individualna-otsenka/index.html" 'href="/en/tools/checklist/"'
contains "bundle file link" "$P/en/guidance/assessment/index.html" 'href="/en/guidance/assessment/form.txt"'
exists "bundle file copied" "$P/en/guidance/assessment/form.txt"
contains "heading id" "$P/en/guidance/assessment/index.html" 'id="who-takes-part"'
contains "Cyrillic heading id" "$P/bg/guidance/individualna-otsenka/index.html" 'id="кой-участва"'
contains "bg listing shows the untranslated resource" "$P/bg/tools/index.html" 'Assessment checklist'
contains "untranslated entry links to English" "$P/bg/tools/index.html" 'href="/en/tools/checklist/"'
contains "untranslated entry says its language" "$P/bg/tools/index.html" 'hreflang="en"'
exists "term page" "$P/bg/topics/individual-assessment/index.html"
exists "taxonomy page" "$P/en/topics/index.html"
exists "root page" "$P/index.html"
contains "root offers every language" "$P/index.html" 'href="/ar/"'
exists "404 page" "$P/404.html"
exists "robots.txt" "$P/robots.txt"
contains "robots names the sitemap" "$P/robots.txt" 'Sitemap: https://hub.example.org/sitemap.xml'
contains "sitemap has hreflang" "$P/sitemap.xml" 'hreflang="bg" href="https://hub.example.org/bg/guidance/individualna-otsenka/"'
contains "RSS feed per language" "$P/bg/index.xml" '<language>bg</language>'
contains "Atom feed per language" "$P/en/atom.xml" 'Individual assessment'
lacks "Bulgarian feed has no English-only page" "$P/bg/index.xml" 'Assessment checklist'
contains "page lists its bundle files with format and size" "$P/en/guidance/assessment/index.html" 'form.txt <span class="file-meta">(TXT, 1 KB, <span lang="en">English</span>)'
contains "translation lists the bundle files too" "$P/bg/guidance/individualna-otsenka/index.html" 'href="/en/guidance/assessment/form.txt"'
contains "a file's language comes from its name" "$P/en/guidance/assessment/index.html" 'hreflang="bg" download>summary.bg.txt <span class="file-meta">(TXT, 1 KB, <span lang="bg">Български</span>)'
check "JSON Feed is valid JSON" python3 -m json.tool "$P/en/feed.json"
contains "JSON Feed 1.1" "$P/en/feed.json" '"version": "https://jsonfeed.org/version/1.1"'
contains "JSON Feed attachment with size" "$P/en/feed.json" '"url": "https://hub.example.org/en/guidance/assessment/form.txt", "mime_type": "text/plain", "title": "form.txt", "size_in_bytes": 5'
check "facets file is valid JSON" python3 -m json.tool "$P/bg/facets.json"
check "facets list every resource shown in the language with its terms" python3 -c "
import json, sys
d = json.load(open('$P/bg/facets.json'))
items = {i['u']: i for i in d['items']}
assert items['/bg/guidance/individualna-otsenka/']['f']['topics'] == ['individual-assessment'], items
assert items['/en/tools/checklist/']['l'] == 'en'
terms = {t['name']: t['count'] for t in d['taxonomies'][0]['terms']}
assert terms == {'individual-assessment': 2, 'barnahus': 1}, terms
"
contains "library page links every term without JavaScript" "$P/bg/library/index.html" 'href="/bg/topics/barnahus/"'
exists "static file copied" "$P/img/logo.txt"
exists "theme CSS copied" "$P/css/satchel.css"
check "no temporary folder left" sh -c "! ls -a '$S' | grep -q '^\.public'"

# A BOM and CRLF line endings, and an empty Markdown file, build like any other file.
printf '\357\273\277---\r\ntitle: "Windows file"\r\ndate: 2025-05-05\r\n---\r\n## Heading\r\n\r\nText.\r\n' \
	>"$S/content/guidance/crlf.md"
: >"$S/content/guidance/empty.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "BOM, CRLF and empty files build" test $? -eq 0
contains "CRLF front matter read" "$P/en/guidance/crlf/index.html" "<h1>Windows file</h1>"
contains "CRLF body heading id" "$P/en/guidance/crlf/index.html" 'id="heading"'
exists "empty file gives a page" "$P/en/guidance/empty/index.html"
(cd "$S" && git add -A && git commit -qm "more files")

# The same commit gives the same bytes (built once at this commit: the files just committed now
# have a history, so the build before the commit differs).
"$SATCHEL" build -s "$S" -q 2>/dev/null
cp -R "$P" "$T/first"
"$SATCHEL" build -s "$S" -j 1 -q 2>/dev/null
check "rebuild is byte-identical" diff -r "$T/first" "$P"

# An easy-read version named in front matter: both pages say so, in the reader's language.
mkdir -p "$S/content/guidance/assessment-easy"
printf -- '---\ntitle: "Assessment made easy"\n---\nShort words.\n' >"$S/content/guidance/assessment-easy/index.md"
sed -i 's|^summary: "How to assess a child.s needs."|&\neasy_read: ../assessment-easy/index.md|' "$S/content/guidance/assessment/index.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "page names its easy-read version" "$P/en/guidance/assessment/index.html" 'An easy-to-read version of this page: <a href="/en/guidance/assessment-easy/">Assessment made easy</a>'
contains "easy-read page names the full version" "$P/en/guidance/assessment-easy/index.html" 'This is a simplified version of: <a href="/en/guidance/assessment/">Individual assessment</a>'
contains "translation links the easy-read version in its language" "$P/bg/guidance/individualna-otsenka/index.html" 'href="/en/guidance/assessment-easy/" lang="en" hreflang="en">Assessment made easy</a>'
printf -- '---\ntitle: Bad\neasy_read: ../nowhere/index.md\n---\n' >"$S/content/guidance/bad.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "easy_read naming a missing page is an error" "$T/err" "content/guidance/bad.md:3:12: error: 'easy_read' must name another page's file"
rm "$S/content/guidance/bad.md"
(cd "$S" && git add -A && git commit -qm "easy read")

# list_untranslated: false keeps listings to the language's own pages.
printf 'options:\n  list_untranslated: false\n' >>"$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a site without untranslated listings builds" test $? -eq 0
cat "$T/err"
lacks "list_untranslated off hides untranslated entries" "$P/bg/guidance/index.html" 'Assessment checklist'
absent "no bg tools section without bg pages" "$P/bg/tools/index.html"

# A site outside git still builds, with a warning.
N=$T/nogit
minisite "$N"
"$SATCHEL" build -s "$N" -q 2>"$T/err"
check "site outside git builds" test -f "$N/public/en/guidance/assessment/index.html"
contains "warning that git features are off" "$T/err" "git-based features"

# A file of the site at the address of one satchel makes is an error naming it, whether it comes
# from content/ (before the pages are written) or static/ (after); public/ stays as it was. The
# site's static/ may still replace the theme's own files (its stylesheet).
C=$T/clash
minisite "$C"
"$SATCHEL" build -s "$C" -q 2>/dev/null
before=$(find "$C/public" -type f | sort | xargs cat | cksum)
for f in content/robots.txt content/en/facets.json content/bg/feed.json static/robots.txt \
	static/sitemap.xml static/en/index.xml static/en/guidance/index.html static/en/atom.xml; do
	mkdir -p "$C/$(dirname "$f")"
	printf '{"planted": true}\n' >"$C/$f"
	"$SATCHEL" build -s "$C" -q 2>"$T/err"
	rc=$?
	check "$f at a file satchel makes: the build fails" test $rc -eq 1
	contains "$f at a file satchel makes: named" "$T/err" "$f: error: is published at /"
	rm -f "$C/$f"
done
check "public/ as it was after the clashes" test "$(find "$C/public" -type f | sort | xargs cat | cksum)" = "$before"
mkdir -p "$C/static/css"
printf 'body { color: #123456 }\n' >"$C/static/css/satchel.css"
"$SATCHEL" build -s "$C" -q 2>"$T/err"
check "the site's static/ replaces the theme's stylesheet" test $? -eq 0
contains "the site's stylesheet is published" "$C/public/css/satchel.css" "#123456"

finish
