#!/bin/sh
# The language chooser at / as a browser sees it: headless Chromium with a preferred language is
# sent to that language's home page; with a language the site lacks it stays on the chooser.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
"$SATCHEL" build -s "$S" -q 2>/dev/null || fail "site builds"
PORT=$((20000 + $$ % 20000))
python3 -m http.server "$PORT" --bind 127.0.0.1 -d "$S/public" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T"' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do
	python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
	sleep 0.3
done

page_lang() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --user-data-dir="$T/chr-$1" --lang="$1" \
		--accept-lang="$1" --virtual-time-budget=4000 --dump-dom "http://127.0.0.1:$PORT/" \
		2>/dev/null | grep -o '<html[^>]*>' | head -n 1
}
got=$(page_lang bg)
case "$got" in *'lang="bg"'*) ok "a Bulgarian browser lands on /bg/" ;; *) fail "Bulgarian browser got: $got" ;; esac
got=$(page_lang ar)
case "$got" in *'lang="ar"'*'dir="rtl"'*) ok "an Arabic browser lands on the right-to-left /ar/" ;; *) fail "Arabic browser got: $got" ;; esac
got=$(page_lang de)
case "$got" in *data-root*) ok "a German browser stays on the chooser" ;; *) fail "German browser got: $got" ;; esac

# The library filters in the browser from facets.json; the choice comes from the query string.
lib() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --user-data-dir="$T/chr-lib$2" \
		--virtual-time-budget=4000 --dump-dom "http://127.0.0.1:$PORT/en/library/$1" 2>/dev/null
}
lib "?topics=barnahus" 1 >"$T/lib1.html"
contains "library: a facet narrows the list" "$T/lib1.html" 'data-count="">1<'
contains "library: the matching resource is listed" "$T/lib1.html" 'href="/en/tools/checklist/">Assessment checklist</a>'
lacks "library: a resource without the term is not" "$T/lib1.html" 'class="result-link" href="/en/guidance/assessment/"'
lib "" 2 >"$T/lib2.html"
contains "library: no facet lists everything" "$T/lib2.html" 'data-count="">2<'
finish
