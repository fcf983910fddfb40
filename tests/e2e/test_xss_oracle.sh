#!/bin/sh
# The XSS oracle (tests/e2e/check_xss.py) tested on known-bad pages: each page below holds one
# way to run script in a browser and must be flagged; the theme's own pages must pass. A check
# that cannot fail is no check: test_hostile.sh relies on this one.
. "$(dirname "$0")/lib.sh"

CHECK_XSS=$ROOT/tests/e2e/check_xss.py

# The theme's own pages, from a clean site: the baseline, and clean on their own.
B=$T/baseline
minisite "$B"
"$SATCHEL" build -s "$B" -q 2>/dev/null || fail "the clean site builds"
python3 "$CHECK_XSS" "$B/public" "$B/public" >"$T/out" 2>&1
check "a clean site passes, against itself" test $? -eq 0
python3 "$CHECK_XSS" "$B/public" >"$T/out" 2>&1
check "a clean site passes, without a baseline" test $? -eq 0
grep -q 'src="/js/satchel.js"' "$B/public/en/index.html" && grep -q 'application/ld+json' \
	"$B/public/en/guidance/assessment/index.html"
check "the clean pages do hold the theme's scripts and a JSON-LD block" test $? -eq 0

# bad NAME HTML: a copy of a theme page with HTML put in its body must be flagged.
PAGE=$B/public/en/guidance/assessment/index.html
bad() {
	rm -rf "$T/p" && mkdir -p "$T/p"
	python3 - "$PAGE" "$T/p/index.html" "$2" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
i = page.index("<main")
i = page.index(">", i) + 1
open(sys.argv[2], "w", encoding="utf-8").write(page[:i] + sys.argv[3] + page[i:])
PY
	python3 "$CHECK_XSS" "$T/p" "$B/public" >"$T/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'index.html: ' "$T/out"; then ok "flagged: $1"; else
		fail "not flagged (exit $rc): $1"
		cat "$T/out"
	fi
}

bad "an inline <script> without attributes" '<script>alert(1)</script>'
bad "an inline <script> with the theme's own attribute (defer)" '<script defer>alert(1)</script>'
bad "a <script> in odd case" '<ScRiPt>alert(1)</sCrIpT>'
bad "a <script> with whitespace and a slash" "<script
>alert(1)</script
>"
bad "a <script/x> (a slash for a space)" '<script/x>alert(1)</script>'
bad "a <script> of another src" '<script src="https://evil.example/x.js"></script>'
bad "a <script> with the theme's src and a body" '<script src="/js/satchel.js">alert(1)</script>'
bad "a <script> whose type is not JSON-LD" '<script type="module">alert(1)</script>'
bad "a <script> in SVG" '<svg><script>alert(1)</script></svg>'
bad "a <script> in SVG with an entity" '<svg><script>alert&#40;1)</script></svg>'
bad "an <img onerror>" '<img src=x onerror=alert(1)>'
bad "an event handler in odd case" '<p OnMouseOver="alert(1)">x</p>'
bad "<svg onload>" '<svg onload=alert(1)></svg>'
bad "javascript: in href" '<a href="javascript:alert(1)">x</a>'
bad "javascript: in href with entities and a tab" '<a href="jav&#x09;ascr&#105;pt&colon;alert(1)">x</a>'
bad "javascript: in href with leading controls and spaces" '<a href=" &#1;javascript:alert(1)">x</a>'
bad "javascript: in an SVG xlink:href" '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'
bad "an SVG <set> that makes href a script URL" '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>'
bad "<iframe srcdoc>" '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'
bad "<meta http-equiv=refresh>" '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
bad "<meta refresh> as satchel writes it, to another host" '<meta http-equiv="refresh" content="0; url=//evil.example/">'
bad "<meta refresh> as satchel writes it, to a scheme" '<meta http-equiv="refresh" content="0; url=/x/javascript:alert(1)">'
bad "<base href>" '<base href="https://evil.example/">'
bad "a JSON-LD block closed early" '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>'
bad "a JSON-LD block that is not JSON" '<script type="application/ld+json">alert(1)</script>'
bad "<object data>" '<object data="https://evil.example/x.swf"></object>'
bad "<embed>" '<embed src="https://evil.example/x.swf">'
bad "<form action=javascript:>" '<form action="javascript:alert(1)"><button>x</button></form>'
bad "<button formaction=javascript:>" '<form><button formaction="javascript:alert(1)">x</button></form>'
bad "a data:text/html link" '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'
bad "a <script> inside <template>" '<template><script>alert(1)</script></template>'
bad "a <noscript> that a script-on browser ends inside an attribute" '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'
bad "<!--> (an empty comment) before a handler" '<!--><img src=x onerror=alert(1)>-->'
bad "a comment closed by --!>" '<!-- x --!><img src=x onerror=alert(1)>-->'
bad "</script > with a space ends the script" '<script type="application/ld+json">{}</script ><script>alert(1)</script>'
bad "math/style mutation XSS" '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>'
bad "markup inside <noembed>" '<noembed><img src=x onerror=alert(1)></noembed>'
bad "style with url()" '<p style="background:url(javascript:alert(1))">x</p>'

# A feed carrying HTML: the same checks reach inside it.
rm -rf "$T/p" && mkdir -p "$T/p"
printf '<?xml version="1.0"?><rss><channel><item><description>&lt;script&gt;alert(1)&lt;/script&gt;</description></item></channel></rss>\n' >"$T/p/index.xml"
python3 "$CHECK_XSS" "$T/p" "$B/public" >"$T/out" 2>&1
check "flagged: a script in a feed's HTML" test $? -eq 1
printf '{"items": [{"content_html": "<script>alert(1)</script>"}]}\n' >"$T/p/index.xml"
mv "$T/p/index.xml" "$T/p/feed.json"
python3 "$CHECK_XSS" "$T/p" "$B/public" >"$T/out" 2>&1
check "flagged: a script in JSON Feed's content_html" test $? -eq 1

finish
