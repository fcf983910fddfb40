#!/bin/sh
# Bad input: each case must fail with `path:line[:column]: message`, exit non-zero, and leave the
# previous public/ exactly as it was.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
"$SATCHEL" build -s "$S" -q 2>/dev/null || fail "the good site builds"
cp -R "$S/public" "$T/good"

# count_matches NAME: "build failed with N errors" counts the `error:` lines printed, no more (a
# message repeated word for word is printed once) and no fewer.
count_matches() {
	n=$(sed -n 's/^satchel: build failed with \([0-9]*\) errors*;.*/\1/p' "$T/err")
	lines=$(grep -c ': error: ' "$T/err")
	if [ "${n:-none}" = "$lines" ]; then ok "$1: N errors = $lines lines"; else
		fail "$1: 'build failed with ${n:-?} errors' after $lines error lines"
	fi
}

# expect_failure NAME EXPECTED-MESSAGE: builds, expects failure, the message, an intact public/
# and a count of errors that matches what was printed.
expect_failure() {
	"$SATCHEL" build -s "$S" -q 2>"$T/err"
	rc=$?
	check "$1: exits non-zero" test $rc -ne 0
	contains "$1: message" "$T/err" "$2"
	check "$1: previous public/ intact" diff -r "$T/good" "$S/public"
	check "$1: no temporary folder left" sh -c "! ls -a '$S' | grep -q '^\.public'"
	count_matches "$1"
}

F=$S/content/guidance/assessment/index.md
cp "$F" "$T/orig.md"

printf -- '---\ntitle: "Broken\ndate: 2025-01-01\n---\nBody\n' >"$F"
expect_failure "malformed YAML" "content/guidance/assessment/index.md:2:"
cp "$T/orig.md" "$F"

printf -- '---\ntitle: Fine\ndate: 2025-01-01\nBody without a closing line\n' >"$F"
expect_failure "missing closing ---" "content/guidance/assessment/index.md:1:1: error: front matter opened with --- is never closed"
cp "$T/orig.md" "$F"

printf -- '---\ntitle: Fine\n---\nline two\nbad \377 byte\n' >"$F"
expect_failure "invalid UTF-8" "content/guidance/assessment/index.md:5: error: invalid UTF-8"
cp "$T/orig.md" "$F"

printf -- '---\ntitle: [a, list]\n---\nBody\n' >"$F"
expect_failure "wrong type" "content/guidance/assessment/index.md:2:8: error: 'title' must be text, not a list"
printf -- '---\ntitle: [a, list]\ndate: soon\n---\nBody\n' >"$F"
printf -- '---\ntitle: "Broken\n---\n' >"$S/content/guidance/other.md"
expect_failure "errors in two files" "content/guidance/other.md:2:"
rm "$S/content/guidance/other.md"
cp "$T/orig.md" "$F"

printf -- '---\ntitle: Date\ndate: 2025-13-45\n---\nBody\n' >"$F"
expect_failure "bad date" "content/guidance/assessment/index.md:3:7: error: 'date' must be a date"
cp "$T/orig.md" "$F"

cp "$F" "$S/content/guidance/assessment/index.xx.md"
expect_failure "unknown language in file name" "content/guidance/assessment/index.xx.md:1: error: unknown language code 'xx'"
rm "$S/content/guidance/assessment/index.xx.md"

cp "$S/site.yaml" "$T/site.yaml"
sed -i 's/code: bg/code: qqq-Zzzz-1/' "$S/site.yaml"
expect_failure "unknown language code in site.yaml" "site.yaml:7:11: error: unknown language code 'qqq-Zzzz-1'"
cp "$T/site.yaml" "$S/site.yaml"

printf 'title: [unclosed\n' >"$S/site.yaml"
expect_failure "malformed site.yaml" "site.yaml:1:8: error: YAML: while parsing a flow sequence"
cp "$T/site.yaml" "$S/site.yaml"

# The header's logo is a file of static/: a name that is not there fails at its line.
printf 'logo: images/missing.svg\n' >>"$S/site.yaml"
expect_failure "a logo that is not in static/" "site.yaml:13:7: error: 'logo': there is no file static/images/missing.svg"
mkdir -p "$S/static/images"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>\n' >"$S/static/images/missing.svg"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "with the file there it builds" test $? -eq 0
contains "and the header shows it, published as PNG" "$S/public/en/index.html" '<img class="site-logo" src="/images/missing.png" alt="">'
rm -rf "$T/good" && cp -R "$S/public" "$T/good"
printf 'brand_color: #005f61\n' >>"$S/site.yaml"
expect_failure "a brand colour YAML reads as a comment" "site.yaml:14:13: error: 'brand_color' must be a colour written \"#rrggbb\" or \"#rgb\", in quotes"
cp "$T/site.yaml" "$S/site.yaml"
rm -r "$S/static"
"$SATCHEL" build -s "$S" -q 2>/dev/null || fail "the good site builds again"
rm -rf "$T/good" && cp -R "$S/public" "$T/good"

mkdir -p "$S/layouts"
printf '<html>\n{{ page.title }}\n{{ nosuch.field }}\n</html>\n' >"$S/layouts/page.html"
expect_failure "template error names file and line" "layouts/page.html:3:"
printf '<html>\n{%% while true do end %%}\n</html>\n' >"$S/layouts/page.html"
expect_failure "runaway template loop is stopped" "layouts/page.html:2: error: template ran too long"

# An error from a template that ran out of time or memory names the page it was rendering: the
# template's line alone does not say which page's data made it run away.
printf '<html>\n{%% if page.title == "Individual assessment" then while true do end end %%}\n{{ page.title }}\n</html>\n' >"$S/layouts/page.html"
expect_failure "a runaway template names the page" "layouts/page.html:2: error: template ran too long while rendering content/guidance/assessment/index.md (/en/guidance/assessment/)"
printf '<html>\n{%% if page.title == "Individual assessment" then local s = string.rep("x", 300000000) end %%}\n{{ page.title }}\n</html>\n' >"$S/layouts/page.html"
expect_failure "a template out of memory names the page" "error: out of memory (the template memory limit is 268435456 bytes) while rendering content/guidance/assessment/index.md (/en/guidance/assessment/)"

# An included template that does not compile: its file and line, once, and nothing leaked
# (LeakSanitizer, in the sanitizer build the tests use, used to report the compiled prelude).
mkdir -p "$S/layouts/partials"
printf '<html>\n{%% include "partials/broken.html" %%}\n{{ page.title }}\n</html>\n' >"$S/layouts/page.html"
for broken in '{% block x %}' '{{ page.title' '{% endblock %}' '{% include %}' '{% if %}'; do
	printf 'one\ntwo\n%s\nfour\n' "$broken" >"$S/layouts/partials/broken.html"
	expect_failure "included template with $broken" "layouts/partials/broken.html:3"
	lacks "included template with $broken: nothing leaks" "$T/err" "LeakSanitizer"
done
rm -r "$S/layouts/partials"
printf '<html>\n\n{{ os.execute("touch %s/pwned") }}\n</html>\n' "$T" >"$S/layouts/page.html"
expect_failure "template cannot reach os" "layouts/page.html:3:"
absent "sandboxed template ran no command" "$T/pwned"
rm -r "$S/layouts"

cat >"$S/content/guidance/other.md" <<'MD'
---
title: Other
slug: assessment
---
MD
expect_failure "two files claim one URL" "both have the URL /en/guidance/assessment/"
rm "$S/content/guidance/other.md"

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "fixed site builds again" test $? -eq 0

# Odd but valid input builds, without a crash and without burying the output in warnings.
python3 - "$S/content/odd" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
def w(name, text):
    open(os.path.join(d, name), "w").write(text)
w("deep.md", "---\ntitle: deep\n---\n" + "".join("  " * i + "- x\n" for i in range(3000)))
w("quotes.md", "---\ntitle: q\n---\n" + ">" * 10000 + " deep\n")
w("links.md", "---\ntitle: links\n---\n" + "See [gone](../gone/index.md).\n\n" * 2000)
w("nul.md", "---\ntitle: n\n---\nabc\0def\n")
w("empty-front-matter.md", "---\n---\n")
PY
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "deep nesting, NUL bytes and empty front matter build" test $? -eq 0
exists "deeply nested list page written" "$S/public/en/odd/deep/index.html"
check "2000 broken links give at most 21 lines about the file" test "$(grep -c 'content/odd/links.md' "$T/err")" -le 21
contains "the rest are summed up" "$T/err" "content/odd/links.md: warning: more warnings about this file are not shown"

finish
