#!/bin/sh
# docs/examples/nginx.conf, as published, serving the demo hub: nginx (Debian's) started on a
# loopback port by tests/e2e/nginx.sh with only `root` and `listen` replaced. Checks with curl:
# the security headers (a Content-Security-Policy without 'unsafe-inline') on pages, files and
# 404s; gzip on the fly; the 404 page in the language of the path, with status 404, and the
# root one for the rest; cache lifetimes (pages short, css/js an hour, media a day, search pieces
# asked with ?v= for a year); redirects without host; dot files hidden. And the build itself:
# no page holds what that policy would refuse (inline <style>, style="", inline scripts, event
# handler attributes, javascript: URLs), and the brand colours are in /css/brand.css.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

demo_site
P=$S/public

# ---- the build: nothing a style-src/script-src 'self' policy refuses
# Every <script> either has src= or is a JSON-LD data block; no <style>, style="", on*="".
python3 - "$P" >"$T/inline.txt" <<'PY'
import html.parser, os, sys
bad = []
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "style":
            bad.append(f"{self.f}: <style>")
        if tag == "script" and "src" not in a and a.get("type") != "application/ld+json":
            bad.append(f"{self.f}: inline <script {a}>")
        for k, v in attrs:
            if k == "style" or k.startswith("on"):
                bad.append(f"{self.f}: {tag} {k}=")
            if k in ("href", "src", "action") and v and v.strip().lower().startswith("javascript:"):
                bad.append(f"{self.f}: {k}=javascript:")
n = 0
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        if f.endswith(".html"):
            p = P(); p.f = os.path.relpath(os.path.join(d, f), sys.argv[1]); n += 1
            p.feed(open(os.path.join(d, f), encoding="utf-8").read())
print(n, "pages")
print("\n".join(bad[:20]))
sys.exit(1 if bad or n < 100 else 0)
PY
if [ $? -eq 0 ]; then ok "no page of the demo has an inline style, inline script or handler ($(head -n 1 "$T/inline.txt"))"; else
	fail "no page of the demo has an inline style, inline script or handler:"
	sed 's/^/    /' "$T/inline.txt" | head -n 12
fi
contains "the brand colours are in /css/brand.css" "$P/css/brand.css" ":root{--brand:#005f61;--on-brand:#ffffff}"
contains "pages link /css/brand.css" "$P/en/index.html" '<link rel="stylesheet" href="/css/brand.css">'
# A site without brand_color gets no brand.css and no link to it.
M=$T/mini
minisite "$M"
(cd "$M" && git init -q) && commit "$M" "Mini"
"$SATCHEL" build -s "$M" -q 2>"$T/mini.log" || cat "$T/mini.log"
absent "without brand_color, no /css/brand.css" "$M/public/css/brand.css"
lacks "without brand_color, no link to it" "$M/public/en/index.html" "brand.css"

# The content editor's folder (site.yaml `cms:`); a stand-in when this build has none, for the
# headers nginx sends there.
if [ ! -f "$P/admin/index.html" ]; then
	mkdir -p "$P/admin"
	printf '<!doctype html><title>Content editor</title>\n' >"$P/admin/index.html"
	printf 'backend:\n  name: github\n' >"$P/admin/config.yml"
fi

nginx_start "$P"

# get PATH [CURL ARGS...]: headers in $T/h, body in $T/b, status in $CODE.
get() {
	p=$1
	shift
	CODE=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$@" "$NGINX_URL$p")
}
# header NAME REGEX: the last answer has a header matching the extended regex (case-insensitive
# name, as HTTP has it).
header() {
	if grep -iE "^$2" "$T/h" >/dev/null; then ok "$1"; else
		fail "$1 (no header ^$2 in: $(tr -d '\r' <"$T/h" | tr '\n' '|'))"
	fi
}
noheader() {
	if ! grep -iE "^$2" "$T/h" >/dev/null; then ok "$1"; else fail "$1 ($(grep -iE "^$2" "$T/h"))"; fi
}
status() { if [ "$CODE" = "$2" ]; then ok "$1"; else fail "$1 (status $CODE, want $2)"; fi; }

# ---- security headers, on a page, a file and a 404
for u in /en/ /css/satchel.css /bg/no-such-page/; do
	get "$u"
	header "$u: Content-Security-Policy with script-src 'self'" "content-security-policy: .*script-src 'self';"
	header "$u: CSP with style-src 'self'" "content-security-policy: .*style-src 'self';"
	header "$u: CSP with frame-ancestors 'none'" "content-security-policy: .*frame-ancestors 'none'"
	# the players satchel.js loads for a clicked video placeholder, and nothing else
	header "$u: CSP frame-src is the two players" "content-security-policy: .*frame-src https://www.youtube-nocookie.com https://player.vimeo.com;"
	noheader "$u: CSP without 'unsafe-inline' or 'unsafe-eval'" "content-security-policy: .*unsafe-"
	header "$u: X-Content-Type-Options nosniff" "x-content-type-options: nosniff"
	header "$u: Referrer-Policy" "referrer-policy: strict-origin-when-cross-origin"
	header "$u: Permissions-Policy" "permissions-policy: camera=\(\)"
	noheader "$u: no Strict-Transport-Security over plain HTTP" "strict-transport-security"
	noheader "$u: no nginx version" "server: nginx/"
done

# ---- the content editor (/admin/) has its own, wider policy, and only there
for u in /admin/ /admin/config.yml; do
	get "$u"
	header "$u: CSP with script-src 'self' 'unsafe-eval' (Decap compiles its config schema)" "content-security-policy: .*script-src 'self' 'unsafe-eval';"
	header "$u: CSP with style-src 'self' 'unsafe-inline' (Decap's <style> elements)" "content-security-policy: .*style-src 'self' 'unsafe-inline';"
	noheader "$u: no inline script allowed" "content-security-policy: .*script-src[^;]*unsafe-inline"
	header "$u: CSP with connect-src 'self'" "content-security-policy: .*connect-src 'self';"
	header "$u: CSP with object-src 'none' and frame-ancestors 'none'" "content-security-policy: .*object-src 'none'.*frame-ancestors 'none'"
	header "$u: X-Content-Type-Options nosniff (repeated: add_header in a location drops the server's)" "x-content-type-options: nosniff"
	header "$u: Referrer-Policy" "referrer-policy: strict-origin-when-cross-origin"
	header "$u: Permissions-Policy" "permissions-policy: camera=\(\)"
	header "$u: Cache-Control" "cache-control: public, max-age="
	header "$u: X-Robots-Tag noindex" "x-robots-tag: noindex"
done
get /admin/
status "/admin/ is 200" 200
get /admin/config.yml
header "/admin/config.yml is text/yaml in UTF-8" "content-type: text/yaml; charset=utf-8"
get /admin
header "/admin redirects to /admin/" "location: /admin/"
get /admin/no-such-file.js
status "a file missing under /admin/ is a 404" 404
noheader "and it is the site's 404 page, under the strict policy" "content-security-policy: .*unsafe-"
for u in /administration/ /en/admin/ /css/satchel.css; do
	get "$u"
	noheader "$u: the strict policy (no unsafe-) outside /admin/" "content-security-policy: .*unsafe-"
	noheader "$u: no X-Robots-Tag outside /admin/" "x-robots-tag"
done

# ---- pages
get /en/
status "/en/ is 200" 200
check "/en/ is the English home" grep -q '<html lang="en"' "$T/b"
header "/en/ is text/html; charset=utf-8" "content-type: text/html; charset=utf-8"
get /
status "/ (the language chooser) is 200" 200
get /en
status "/en redirects" 301
header "/en redirects to /en/ with no host or port" "location: /en/"

# ---- compression
get /css/satchel.css -H "Accept-Encoding: gzip"
header "satchel.css is gzipped for a browser that asks" "content-encoding: gzip"
header "with Vary: Accept-Encoding" "vary: accept-encoding"
if gzip -dc <"$T/b" | cmp -s - "$P/css/satchel.css"; then ok "the gzipped satchel.css unzips to the file"; else
	fail "the gzipped satchel.css unzips to the file"; fi
get /css/satchel.css
noheader "satchel.css is not gzipped for a client that does not ask" "content-encoding"
for u in /en/ /js/search.js /en/facets.json /en/search/t/0.json /en/atom.xml /sitemap.xml; do
	get "$u" -H "Accept-Encoding: gzip"
	header "$u is gzipped" "content-encoding: gzip"
done
get /images/logo.webp -H "Accept-Encoding: gzip"
noheader "a WebP image is not gzipped again" "content-encoding"
get /en/search/index.json -H "Accept-Encoding: gzip"
noheader "a file under 512 bytes is not gzipped (gzip_min_length)" "content-encoding"

# ---- the 404 page in the reader's language
# notfound PATH LANG TEXT: status 404, the page in LANG (html lang and its translated title).
notfound() {
	get "$1"
	status "$1 is 404" 404
	if grep -q "<html lang=\"$2\"" "$T/b" && grep -qF "$3" "$T/b"; then ok "$1 gets the $2 404 page"; else
		fail "$1 gets the $2 404 page (got: $(grep -o '<html[^>]*>' "$T/b") $(grep -o '<h1>[^<]*' "$T/b"))"
	fi
}
title() { sed -n 's/^not_found_title: *//p' "$ROOT/themes/default/i18n/$1.yaml" | tr -d '"'; }
notfound /bg/no-such-page/ bg "$(title bg)"
notfound /bg/guidance/gone/deeper/x.pdf bg "$(title bg)"
notfound /ar/missing ar "$(title ar)"
notfound /sr-Latn/nema/ sr-Latn "$(title sr-Latn)"
notfound /el/ξεχασμένη/ el "$(title el)"
notfound /no-such-page en "$(title en)"
notfound /xx/missing/ en "$(title en)"
notfound /training-old/x/ en "$(title en)"
check "the bg and en 404 titles differ (the check above can tell them apart)" \
	test "$(title bg)" != "$(title en)"
get /bg/no-such-page/
header "a 404 carries the CSP too" "content-security-policy: "
get /.satchel-output
status "the build's .satchel-output marker is hidden" 404

# ---- cache lifetimes
get /en/
header "pages are cached 5 minutes" "cache-control: public, max-age=300$(printf '\r')?$"
header "and revalidated by ETag" "etag: "
get /css/satchel.css
header "css (not fingerprinted) an hour" "cache-control: public, max-age=3600"
get /js/library.js
header "js an hour" "cache-control: public, max-age=3600"
get /images/logo.webp
header "images a day" "cache-control: public, max-age=86400"
get /en/by-children/what-we-want-judges-to-know/film.en.vtt
header "captions a day" "cache-control: public, max-age=86400"
header "captions are text/vtt" "content-type: text/vtt"
id=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$P/en/search/index.json")
get "/en/search/t/0.json?v=$id"
status "a search piece asked with ?v=ID is there" 200
header "a search piece asked with ?v=ID is kept a year" "cache-control: public, max-age=31536000, immutable"
get /en/search/t/0.json
header "the same piece without ?v= only 5 minutes" "cache-control: public, max-age=300"
get /en/search/index.json
header "the search manifest (which names the id) 5 minutes" "cache-control: public, max-age=300"
get "/en/facets.json?v=$id"
header "?v= on another file changes nothing" "cache-control: public, max-age=300"

# ---- the commented sub-path recipe, uncommented: the same build copied to sites/hub/ and served
# under /hub/ beside the site at / (what nginx does with it; the links inside are the build's).
nginx_stop
python3 - "$ROOT/docs/examples/nginx.conf" "$T" >"$T/subpath.conf" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
start = next(i for i, l in enumerate(lines) if "---- Or under a sub-path" in l)
out = []
for i, l in enumerate(lines):
    m = re.match(r'^(\s*)# (\s*(location |root |try_files |error_page |map \$|default |\}|"~\^/hub/).*)$', l)
    if i > start and m:
        l = m.group(1) + m.group(2)
    out.append(l.replace("/srv/satchel/sites;", sys.argv[2] + "/sites;"))
print("\n".join(out))
PY
mkdir -p "$T/sites"
cp -R "$P" "$T/sites/hub"
nginx_start "$P" "$T/subpath.conf"
get /hub/en/
status "sub-path: /hub/en/ is 200" 200
check "sub-path: /hub/en/ is the English home" grep -q '<html lang="en"' "$T/b"
header "sub-path: with the CSP" "content-security-policy: .*script-src 'self';"
notfound /hub/bg/no-such-page/ bg "$(title bg)"
notfound /hub/ar/missing ar "$(title ar)"
notfound /hub/no-such-page en "$(title en)"
notfound /hub/xx/missing en "$(title en)"
get /hub/bg/no-such-page/
header "sub-path: a 404 carries the CSP too" "content-security-policy: "
get "/hub/en/search/t/0.json?v=$id"
header "sub-path: a search piece with ?v=ID is kept a year" "cache-control: public, max-age=31536000, immutable"
get /hub/en
header "sub-path: /hub/en redirects to /hub/en/" "location: /hub/en/"
get /en/
status "sub-path: the site at / is still served" 200

finish
