#!/bin/sh
# Content that uses no content types (issue 13): a folder of articles with title, date and tags
# (tests/fixtures/anycontent, nested folders, a translation, a page linking to others). The
# library lists its pages with tags as a facet, the library's search files exist for every
# language whose pages point at them, no internal link of public/ leads nowhere (checked by
# linkwalk.py, itself tried on known-bad pages first), and `satchel check` reports a dead link
# that a template makes, at the page's URL.
. "$(dirname "$0")/lib.sh"

WALK="$ROOT/tests/e2e/linkwalk.py"
BASE=https://notes.example.org/

# The walker must be able to fail: a dead href, a dead srcset candidate, a search folder without
# its index.json, a relative link out of its folder and an absolute link to the site's own host.
B=$T/bad
mkdir -p "$B/en/a" "$B/en/search" "$B/img"
printf 'x' >"$B/img/p.png"
printf '<a href="/en/a/">ok</a><a href="https://elsewhere.example/x/">other host</a>' >"$B/index.html"
printf '<img src="/img/p.png" srcset="/img/p.png 1x, /img/gone.png 2x" alt="">' >"$B/en/a/index.html"
printf '<form data-search="/en/search/"></form><a href="../../nowhere/">x</a>' >>"$B/en/a/index.html"
printf '<a href="https://notes.example.org/en/missing/">x</a><a href="#top">top</a>' >>"$B/en/a/index.html"
printf '<form data-search=""></form>' >"$B/en/index.html"
python3 "$WALK" "$B" "$BASE" >"$T/bad.out" 2>&1
check "linkwalk fails on dead links" test $? -eq 1
contains "... a dead srcset candidate" "$T/bad.out" "/en/a/: broken link to /img/gone.png"
contains "... a search folder without index.json" "$T/bad.out" "/en/a/: broken link to /en/search/index.json"
contains "... a relative link" "$T/bad.out" "/en/a/: broken link to /nowhere/"
contains "... the site's own address" "$T/bad.out" "/en/a/: broken link to /en/missing/"
contains "... an empty search folder (the page's own)" "$T/bad.out" "/en/: broken link to /en/index.json"
lacks "... but not another host" "$T/bad.out" "elsewhere"
lacks "... nor a link that exists" "$T/bad.out" "to /en/a/"

S=$T/site
cp -R "$ROOT/tests/fixtures/anycontent" "$S"
(cd "$S" && git init -q) && commit "$S" "articles"
"$SATCHEL" build -s "$S" >"$T/build.out" 2>&1
check "an untyped site builds" test $? -eq 0
lacks "... without a broken link warning" "$T/build.out" "broken link"
P=$S/public

# The library lists the articles (nested ones and a guide's part too), not the about page.
F=$P/en/facets.json
for u in /en/blog/hello/ /en/blog/2024/spring/planting/ /en/docs/guide/ /en/docs/guide/install/; do
	contains "the library lists $u" "$F" "\"u\":\"$u\""
done
lacks "... but not a page outside the sections" "$F" "/en/about/"
contains "a date as Jekyll writes it (2024-01-15 08:00:00 +0100)" "$F" '"d":"2024-01-15","s":"blog"'
contains "German's library lists the translation" "$P/de/facets.json" "\"u\":\"/de/blog/2024/spring/planting/\""
contains "tags are a facet" "$F" '"name":"tags","title":"Tags"'
contains "... with their terms" "$F" '"name":"garden"'
contains "categories too" "$F" '"name":"categories"'
lacks "a taxonomy no page uses is no facet" "$F" '"name":"topics"'
exists "a tag's page" "$P/en/tags/garden/index.html"
contains "the library page offers the tag" "$P/en/library/index.html" 'value="garden"'

# Search: every page that points at a search index or facets file finds it (the walker
# checks data-search and data-facets), and every language with a library page has both.
for l in en de; do
	exists "$l has a search index" "$P/$l/search/index.json"
	exists "$l has facets" "$P/$l/facets.json"
done
grep -q 'data-search="/en/search/"' "$P/en/library/index.html"
check "the library page points at its search index" test $? -eq 0

# A page without a title in front matter (or without front matter, as MkDocs's) takes the
# heading its text opens with, which then leaves the text (one <h1> on the page).
contains "a title from the opening heading" "$F" '"t":"Frequently asked questions","u":"/en/docs/guide/faq/"'
contains "... a Setext one too" "$F" '"t":"No front matter","u":"/en/docs/setext/"'
n=$(grep -c '<h1' "$P/en/docs/guide/faq/index.html")
check "... which leaves the text" test "$n" -eq 1
contains "... the rest stays" "$P/en/docs/guide/faq/index.html" '<h2 id="tools">'

# A section without _index.md is named after its folder as a reader would write it.
contains "a section named after its folder" "$P/en/blog/hello/index.html" '>Blog</a>'

# The footer links the taxonomies that have pages, and no other.
contains "the footer links tags" "$P/en/blog/hello/index.html" 'href="/en/tags/"'
lacks "... not topics, which has no page" "$P/en/blog/hello/index.html" 'href="/en/topics/"'
absent "... (there is none)" "$P/en/topics"

python3 "$WALK" "$P" "$BASE" >"$T/walk.out" 2>"$T/walk.err"
check "no internal link of public/ leads nowhere" test $? -eq 0
cat "$T/walk.out"

"$SATCHEL" check -s "$S" >"$T/check.out" 2>&1
check "check passes the untyped site" test $? -eq 0
lacks "... with no broken link" "$T/check.out" "broken link"

# A template of the site's own that makes a dead link, on every page: check reports it once,
# at the first page's URL, with how many other pages have it; a plain build warns; --strict fails.
mkdir -p "$S/layouts/partials"
sed 's|<p class="footer-site">|<p><a href="{{ lang.url }}imprint/">Imprint</a></p>\n&|' \
	"$ROOT/themes/default/layouts/partials/footer.html" >"$S/layouts/partials/footer.html"
commit "$S" "imprint link"
"$SATCHEL" check -s "$S" >"$T/check.out" 2>&1
check "check fails on a dead link a template makes" test $? -eq 1
grep -E '^/[^ ]*: error: broken link to /en/imprint/ \(and on [0-9]+ other pages\)$' "$T/check.out" >/dev/null
check "... at a page's URL, once, with the count" test $? -eq 0
contains "... in German too" "$T/check.out" "error: broken link to /de/imprint/"
"$SATCHEL" check -s "$S" --format json >"$T/check.json" 2>&1
contains "... in JSON too" "$T/check.json" '"message":"broken link to /en/imprint/'
"$SATCHEL" build -s "$S" >"$T/build.out" 2>&1
check "a build only warns" test $? -eq 0
contains "... and says so" "$T/build.out" "warning: broken link to /en/imprint/"
"$SATCHEL" build --strict -s "$S" >"$T/build.out" 2>&1
check "build --strict fails" test $? -eq 1

# What a search box may point at: the library page and the search index, only when made.
printf '<p data-box="{{ site.library_url or "" }}|{{ site.search_url or "" }}"></p>\n' \
	>"$S/layouts/partials/footer.html"
commit "$S" "a search box"
"$SATCHEL" build -s "$S" -q 2>/dev/null
contains "site.library_url and site.search_url" "$P/de/blog/index.html" 'data-box="/de/library/|/de/search/"'
SATCHEL_NO_SEARCH=1 "$SATCHEL" build -s "$S" -q 2>/dev/null
contains "... no search_url without an index" "$P/de/blog/index.html" 'data-box="/de/library/|"'
absent "... (there is none)" "$P/de/search"
lacks "... and the library page names no index to fetch" "$P/de/library/index.html" 'data-search='
SATCHEL_NO_SEARCH=1 "$SATCHEL" build --strict -s "$S" >"$T/build.out" 2>&1
check "... so a strict build without an index has no dead link" test $? -eq 0

# A Markdown link to a page that is not there is dead in the output as well.
rm -r "$S/layouts"
printf '\nSee [the gone page](/en/blog/gone/).\n' >>"$S/content/blog/hello.md"
commit "$S" "a dead link in the text"
"$SATCHEL" check -s "$S" >"$T/check.out" 2>&1
check "check fails on a dead link in the text" test $? -eq 1
contains "... at the page's URL" "$T/check.out" "/en/blog/hello/: error: broken link to /en/blog/gone/"
# A relative link to a missing content file is Markdown's to report, at its line: once.
printf '\nAnd [a lost page](lost.md).\n' >>"$S/content/blog/hello.md"
commit "$S" "a link to a missing file"
"$SATCHEL" check -s "$S" >"$T/check.out" 2>&1
contains "a relative link to a missing page is reported at its line" "$T/check.out" \
	"content/blog/hello.md:11: error: link to a missing page 'lost.md'"
lacks "... and not again at the page's URL" "$T/check.out" "lost.md ("
lacks "... in any form" "$T/check.out" "broken link to /en/blog/hello/lost.md"

finish
