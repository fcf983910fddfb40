#!/bin/sh
# A site published under a sub-path (base_url https://org.example.io/hub/, as a GitHub or GitLab
# Pages project site is): every URL of every output file stays under /hub/ — pages, assets,
# feeds, sitemap, facets and search index, scripts, Markdown links an author wrote from / — as
# subpath_crawl.py reads them all; the crawler is shown failing on known-bad files first. Then
# what knows the base path beside the build: satchel check (a link outside it is broken) and
# satchel serve (the site under /hub/, / leads there). A root base_url keeps paths from /.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CRAWL="$PY $ROOT/tests/e2e/subpath_crawl.py"
HUB=https://org.example.io/hub/

# A PNG of w x h pixels, for an image the build publishes at several widths.
png() {
	"$PY" - "$1" "$2" "$3" <<'PYEOF'
import struct, sys, zlib
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
raw = b"".join(b"\0" + bytes((x * 7 + y) % 256 for x in range(w * 3)) for y in range(h))
with open(path, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PYEOF
}

# ---- the fixture: the mini site under /hub/, with links an author writes from / ----
F=$T/fixture
minisite "$F"
sed -i "s#^base_url: .*#base_url: $HUB#" "$F/site.yaml"
printf 'cms: {backend: local}\n' >>"$F/site.yaml" # the editor's /admin/ under /hub/ too
png "$F/content/guidance/assessment/drawing.png" 1200 60
cat >>"$F/content/guidance/assessment/index.md" <<'MD'

Written from the site's root: [the checklist](/en/tools/checklist/), [the list](/en/tools/) and
[the library](/en/library/?q=form#results); written with the base path already:
[once more](/hub/en/tools/checklist/).

![A drawing of the room](drawing.png)
MD
mkdir -p "$F/static/files"
printf 'files\n' >"$F/static/files/note.txt"
(cd "$F" && git init -q) && commit "$F" "A site under /hub/"
if "$SATCHEL" build -s "$F" -q 2>"$T/fixture.log"; then ok "the fixture under /hub/ builds"; else
	cat "$T/fixture.log"
	fail "the fixture under /hub/ builds"
fi
P=$F/public
A=$P/en/guidance/assessment/index.html
contains "an author's /en/tools/checklist/ carries the base path" "$A" 'href="/hub/en/tools/checklist/"'
contains "an author's /en/tools/ carries it too" "$A" 'href="/hub/en/tools/"'
contains "an author's link keeps its query and fragment" "$A" 'href="/hub/en/library/?q=form#results"'
lacks "a link written with the base path is not given it twice" "$A" '/hub/hub/'
contains "a relative link to a page carries it" "$A" 'href="/hub/en/tools/checklist/"'
contains "a file beside the page carries it" "$A" 'href="/hub/en/guidance/assessment/form.txt"'
contains "a Markdown image carries it" "$A" 'src="/hub/en/guidance/assessment/drawing.png"'
contains "its srcset carries it on every candidate" "$A" 'srcset="/hub/en/guidance/assessment/drawing-480.png 480w'
contains "its WebP srcset too" "$A" '<source type="image/webp" srcset="/hub/en/guidance/assessment/drawing-480.webp 480w'
contains "the stylesheet carries it" "$A" 'href="/hub/css/satchel.css"'
contains "the script carries it" "$A" 'src="/hub/js/satchel.js"'
contains "the canonical address is base_url's" "$A" 'rel="canonical" href="https://org.example.io/hub/en/guidance/assessment/"'
contains "hreflang alternates too" "$A" 'hreflang="bg" href="https://org.example.io/hub/bg/guidance/individualna-otsenka/"'
contains "JSON-LD's addresses have the path once" "$A" '"url":"https://org.example.io/hub/en/guidance/assessment/"'
lacks "JSON-LD never has it twice" "$A" 'org.example.io/hub/hub/'
contains "the root's language choice leads under it" "$P/index.html" 'href="/hub/en/"'
contains "the 404 page's links carry it" "$P/404.html" 'href="/hub/en/"'
contains "the library's facets address carries it" "$P/en/library/index.html" 'data-facets="/hub/en/facets.json"'
contains "the library's search index address carries it" "$P/en/library/index.html" 'data-search="/hub/en/search/"'
contains "the library's scripts carry it" "$P/en/library/index.html" 'src="/hub/js/library.js"'
contains "facets.json's items carry it" "$P/en/facets.json" '"u":"/hub/en/guidance/assessment/"'
if grep -rqF '"u":"/hub/en/guidance/assessment/"' "$P/en/search/f"; then ok "the search index's documents carry it"; else
	fail "the search index's documents carry it"
fi
contains "the sitemap's addresses are base_url's" "$P/sitemap.xml" '<loc>https://org.example.io/hub/en/guidance/assessment/</loc>'
contains "the feed's addresses are base_url's" "$P/en/index.xml" '<link>https://org.example.io/hub/en/guidance/assessment/</link>'
contains "robots.txt names the sitemap under it" "$P/robots.txt" 'Sitemap: https://org.example.io/hub/sitemap.xml'
if $CRAWL --min 200 "$P" "$HUB" >"$T/crawl-fixture.txt"; then ok "every URL of the fixture's output is under /hub/"; else
	head -n 20 "$T/crawl-fixture.txt"
	fail "every URL of the fixture's output is under /hub/"
fi

# ---- the crawler fails on what leaks out, in every kind of file ----
B=$T/bad
cp -R "$P" "$B"
sed -i 's#href="/hub/css/satchel.css"#href="/css/satchel.css"#' "$B/en/index.html"
sed -i 's#srcset="/hub/en/guidance/assessment/drawing-480.png#srcset="/en/guidance/assessment/drawing-480.png#' "$B/en/guidance/assessment/index.html"
sed -i 's#data-facets="/hub/en/facets.json"#data-facets="/en/facets.json"#' "$B/en/library/index.html"
sed -i 's#"u":"/hub/en/guidance/assessment/"#"u":"/en/guidance/assessment/"#' "$B/en/facets.json"
sed -i 's#<loc>https://org.example.io/hub/en/#<loc>https://org.example.io/en/#' "$B/sitemap.xml"
printf '.x{background:url(/images/x.png)}\n' >>"$B/css/satchel.css"
printf 'fetch("/en/search/index.json");\n' >>"$B/js/satchel.js"
sed -i 's#href="/hub/en/"#href="../../en/"#' "$B/bg/index.html" # leaves /hub/ from /hub/bg/
sed -i 's#^public_folder: /hub/uploads#public_folder: /uploads#' "$B/admin/config.yml"
$CRAWL --min 200 "$B" "$HUB" >"$T/crawl-bad.txt"
rc=$?
if [ "$rc" -ne 0 ]; then ok "the crawler fails on a leaked URL"; else fail "the crawler fails on a leaked URL"; fi
for what in "/css/satchel.css  (<link href> in $HUB""en/)" "/en/guidance/assessment/drawing-480.png  (srcset" \
	"/en/facets.json  (<form data-facets>" "/en/guidance/assessment/  (json in $HUB""en/facets.json)" \
	"https://org.example.io/en/  (xml text" "/images/x.png  (css url()" "/en/search/index.json  (js string" \
	"../../en/  (<a href> in $HUB""bg/)" "/uploads  (yml"; do
	contains "the crawler names $(echo "$what" | cut -c1-40)" "$T/crawl-bad.txt" "$what"
done

# ---- satchel check: a link outside the base path leads nowhere of the site ----
C=$T/check
cp -R "$F" "$C"
rm -rf "$C/public"
cat >>"$C/content/tools/checklist/index.md" <<'MD'

[Outside the hub](https://org.example.io/en/guidance/assessment/) and
[inside it](https://org.example.io/hub/en/guidance/assessment/).
MD
commit "$C" "A link outside /hub/"
"$SATCHEL" check -s "$C" >"$T/check.out" 2>&1
contains "check reports the link outside the base path" "$T/check.out" 'broken link to /en/guidance/assessment/'
lacks "check takes the link inside it" "$T/check.out" 'broken link to /hub/en/guidance/assessment/'

# ---- a root base_url keeps its paths from / ----
for base in https://org.example.io/ /; do
	R=$T/root-$(echo "$base" | tr -c 'a-z' '_')
	cp -R "$F" "$R"
	rm -rf "$R/public"
	sed -i "s#^base_url: .*#base_url: $base#" "$R/site.yaml"
	commit "$R" "At the root"
	"$SATCHEL" build -s "$R" -q 2>/dev/null
	contains "base_url $base: an author's link from / as written" "$R/public/en/guidance/assessment/index.html" 'href="/en/tools/checklist/"'
	contains "base_url $base: the stylesheet from /" "$R/public/en/guidance/assessment/index.html" 'href="/css/satchel.css"'
	contains "base_url $base: facets from /" "$R/public/en/facets.json" '"u":"/en/guidance/assessment/"'
done

# ---- satchel serve: the site under /hub/ ----
if command -v curl >/dev/null 2>&1; then
	"$SATCHEL" serve -s "$F" -p 0 >"$T/serve.out" 2>"$T/serve.err" &
	SPID=$!
	URL=
	i=0
	while [ $i -lt 300 ] && [ -z "$URL" ]; do
		URL=$(sed -n 's/^satchel serve: \(http[^ ]*\) .*/\1/p' "$T/serve.out" | head -n 1)
		sleep 0.2
		i=$((i + 1))
	done
	case $URL in
	http://*/hub/) ok "serve prints the address under /hub/" ;;
	*) fail "serve prints the address under /hub/ (got '$URL')" ;;
	esac
	ORIGIN=${URL%hub/}
	code() { curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$ORIGIN$1"; }
	[ "$(code '')" = "302 ${ORIGIN}hub/" ] && ok "serve: / leads to /hub/" || fail "serve: / leads to /hub/ ($(code ''))"
	[ "$(code 'hub')" = "302 ${ORIGIN}hub/" ] && ok "serve: /hub leads to /hub/" || fail "serve: /hub leads to /hub/ ($(code 'hub'))"
	[ "$(code 'hub/en/')" = "200 " ] && ok "serve: /hub/en/ is the home" || fail "serve: /hub/en/ is the home ($(code 'hub/en/'))"
	[ "$(code 'hub/css/satchel.css')" = "200 " ] && ok "serve: /hub/css/satchel.css" || fail "serve: /hub/css/satchel.css"
	[ "$(code 'en/')" = "404 " ] && ok "serve: /en/ (outside /hub/) is not found" || fail "serve: /en/ is not found ($(code 'en/'))"
	[ "$(code 'hub/en/nothing/')" = "404 " ] && ok "serve: a missing page under /hub/ is 404" || fail "serve: a missing page under /hub/ is 404"
	curl -s "${ORIGIN}hub/en/nothing/" >"$T/serve404.html"
	contains "serve: the 404 page's links carry /hub/" "$T/serve404.html" 'href="/hub/en/"'
	kill -INT "$SPID" 2>/dev/null
	wait "$SPID"
fi

# ---- the demo hub under /hub/, every file crawled ----
D=$T/demo
mkdir -p "$D"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$D/"
sed -i "s#^base_url: .*#base_url: $HUB#" "$D/site.yaml"
(cd "$D" && git init -q) && commit "$D" "Demo hub under /hub/"
if SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$D" -q 2>"$T/demo.log"; then ok "the demo hub builds under /hub/"; else
	cat "$T/demo.log"
	fail "the demo hub builds under /hub/"
fi
lacks "the demo's build finds no broken link under /hub/" "$T/demo.log" 'broken link'
if $CRAWL --min 20000 "$D/public" "$HUB" >"$T/crawl-demo.txt"; then ok "every URL of the demo's output is under /hub/"; else
	head -n 20 "$T/crawl-demo.txt"
	fail "every URL of the demo's output is under /hub/"
fi
cat "$T/crawl-demo.txt" | head -n 1

finish
