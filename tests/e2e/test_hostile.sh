#!/bin/sh
# Hostile and broken input from a partner: nothing in Markdown, front matter, file names or git
# metadata can run script in a visitor's browser (tests/e2e/check_xss.py reads every file in
# public/), nothing outside the site is read, and odd sizes and encodings either build or fail
# with `path:line: error:`, never a crash, a hang or a half-written public/.
. "$(dirname "$0")/lib.sh"

CHECK_XSS=$ROOT/tests/e2e/check_xss.py
# build DIR [ARGS]: a build that a hang fails instead of stalling the suite.
build() {
	d=$1
	shift
	timeout 120 "$SATCHEL" build -s "$d" -q "$@" 2>"$T/err"
}

# The theme's own <script> elements, from a site without payloads.
B=$T/baseline
minisite "$B"
build "$B" || fail "the baseline site builds"

# xss_site DIR UNSAFE: a site with the payloads in every field a partner writes, in file names,
# in the git author's name and in the commit message. UNSAFE true also puts them in raw HTML.
xss_site() {
	mkdir -p "$1"
	python3 - "$1" "$2" "$T" <<'PY'
import json, os, sys
d, unsafe, tmp = sys.argv[1], sys.argv[2] == "true", sys.argv[3]
J = "document.title='PW'+'NED'"  # visible in the DOM when it runs; the text alone never says PWNED
P = [
    "<script>%s</script>" % J,
    "\"><svg onload=%s>" % J,
    "'><img src=x onerror=%s>" % J,
    "</title><script>%s</script>" % J,
    "</script><script>%s</script>" % J,
    "</textarea></noscript><img src=x onerror=alert(1)//",
    "<img src=x onerror=alert(1)//",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "` onmouseover=alert(1) `",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java&#x09;script:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "{{ os.execute('touch %s/pwned-template') }}" % tmp,
    "{%% os.execute('touch %s/pwned-code') %%}" % tmp,
    "{{ \"sat\" .. \"chel49x\" }}",
    "\u2028\u2029</script><script>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<details open ontoggle=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<style>@import 'javascript:alert(1)';</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</script>",
    "<video><source onerror=alert(1)></video>",
    "]]><script>alert(1)</script><![CDATA[",
    "<x onclick=alert(1)>click</x>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">e</a>",
    "<img src=\"x` `<script>alert(1)</script>\"` `>",
    "<div style=\"background:url(javascript:alert(1))\">s</div>",
]
assert len(P) >= 30
def q(s):
    return json.dumps(s, ensure_ascii=True)  # JSON is YAML: every payload in one quoted scalar
def put(rel, text):
    path = os.path.join(d, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
put("site.yaml", """title: %s
base_url: https://hub.example.org/
default_language: en
languages:
  - {code: en, name: English}
  - {code: bg, name: %s}
taxonomies: [topics, audiences]
sections: [guidance, events, news]
edit_url: https://forge.example.org/hub/edit/{branch}/{path}
options: {unsafe_html: %s}
history: {contributors: all, changes: public}  # names and subjects are payloads too
params: {description: %s, license: %s}
""" % (q("Hub " + P[3]), q("Bg " + P[1]), "true" if unsafe else "false", q(P[0]), q(P[4])))
# Markdown: links, images, autolinks, reference links and link titles with each URL payload.
urls = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)",
        "&#x01;javascript:alert(1)", "jav&#x0A;ascript:alert(1)", "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
        "javascript&colon;alert(1)", " javascript:alert(1)", "%6Aavascript:alert(1)"]
body = []
for i, u in enumerate(urls):
    body.append("[link %d](%s) and [angle %d](<%s>) and ![img %d](%s)" % (i, u, i, u, i, u))
    body.append("")
    body.append("[ref %d][r%d]" % (i, i))
    body.append("")
    body.append("[r%d]: %s \"t%d\"" % (i, u, i))
    body.append("")
body += [
    "<javascript:alert(1)> and <vbscript:msgbox(1)> and www.example.org/<script>alert(1)</script>",
    "",
    "![\" onerror=\"alert(1)](x.png) ![' onerror='alert(1)](x.png) ![<img src=x onerror=alert(1)>](x.png)",
    "",
    "[title](https://example.org \"\\\" onmouseover=\\\"alert(1)\") [t2](https://example.org '\\' onmouseover=alert(1)')",
    "",
    "## Heading <img src=x onerror=alert(1)> %s" % P[1],
    "",
    "## Custom {#\"><svg/onload=alert(1)>}",
    "",
    "## `</h2><script>alert(1)</script>`",
    "",
    "```html\n<script>alert(1)</script>\n```",
    "",
]
for p in P:
    body.append("Text: " + p)
    body.append("")
if unsafe:
    # Raw HTML blocks and inline HTML, which only the sanitiser stands between and the browser.
    for p in P:
        body.append("<div>\n" + p + "\n</div>")
        body.append("")
        body.append(p)
        body.append("")
        body.append("Inline " + p + " end.")
        body.append("")
    body += [
        "<img src=x onerror=\"%s\">" % J, "",
        "<a href=\"javascript:%s\">click</a>" % J, "",
        "<a href=\"  jAvAsCrIpT&colon;alert(1)\">c</a>", "",
        "<a href=\"java\tscript:alert(1)\">tab</a>", "",
        "<style>body{background:red}</style>", "",
        "<form action=\"javascript:alert(1)\"><input type=submit></form>", "",
        "<svg><script>%s</script></svg>" % J, "",
        "<svg><style><img src=x onerror=alert(1)></style></svg>", "",
        "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>", "",
        "<!-- <script>alert(1)</script> -->", "",
        "<!--><script>alert(1)</script>-->", "",
        "<![CDATA[<script>alert(1)</script>]]>", "",
        "<img src=\"x\" alt=\"ok\" onerror=alert(1) />", "",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">", "",
        "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>", "",
        "<a href=\"http://example.org\" onclick=alert(1)>fine link</a>", "",
        "<p title=\"</p><script>alert(1)</script>\">t</p>", "",
        "<video poster=javascript:alert(1)><source src=\"javascript:alert(1)\"></video>", "",
        "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>", "",
        "<div\n onmouseover=alert(1)>multi-line tag</div>", "",
        "<img/src=x/onerror=alert(1)>", "",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">d</a>", "",
    ]
fm = """---
title: %s
summary: %s
date: 2025-03-01
topics: [%s]
audiences: [%s]
authors: [%s]
image_alt: %s
---
""" % (q("Title " + P[0] + P[3] + P[21]), q("Summary " + P[1] + P[4] + P[22]),
       ", ".join(q(p) for p in P[:12]), q(P[12]), ", ".join(q(p) for p in P[12:20]), q(P[2]))
put("content/guidance/payloads/index.md", fm + "\n".join(body) + "\n")
put("content/guidance/payloads/index.bg.md", """---
title: %s
slug: %s
summary: %s
topics: [%s]
---
Bg %s
""" % (q("Bg " + P[0]), q("bg-" + P[1]), q(P[4]), q(P[1]), P[0]))
put("content/guidance/_index.md", "---\ntitle: %s\n---\nSection %s\n" % (q("Section " + P[0]), P[1]))
put("content/_index.md", "---\ntitle: %s\nsummary: %s\n---\nHome %s\n" % (q("Home " + P[3]), q(P[4]), P[0]))
put("content/events/meet/index.md", """---
title: %s
start: 2025-05-01
place: %s
online: "https://example.org/?q=%%22%%3E%%3Cscript%%3E"
---
Event %s
""" % (q("Event " + P[1]), q(P[0] + P[2]), P[3]))
put("content/news/item/index.md", "---\ntitle: %s\ndate: 2025-04-01\nsummary: %s\n---\n%s\n"
    % (q("News " + P[21]), q(P[36]), P[35]))
# File names: every byte but '/' and NUL is legal in a name.
put("content/news/\"><svg onload=alert(1)>.md", "---\ntitle: by file name\ndate: 2025-04-02\n---\nx\n")
put("content/news/x' onmouseover='alert(1) y.md", "---\ntitle: quote in name\ndate: 2025-04-03\n---\nx\n")
put("content/guidance/payloads/<img src=x onerror=alert(1)>.txt", "a download\n")
PY
	(cd "$1" && git init -q && git add -A &&
		GIT_AUTHOR_NAME='"><script>alert(1)</script>' GIT_AUTHOR_EMAIL='x"><svg/onload=alert(1)>@e.org' \
			git commit -qm '<img src=x onerror=alert(1)> "></script><script>alert(1)</script>')
}

# a) Raw HTML off: nothing a partner writes becomes script.
X=$T/xss
xss_site "$X" false
build "$X"
check "payload site builds (raw HTML off)" test $? -eq 0
python3 "$CHECK_XSS" "$X/public" "$B/public" >"$T/xss.out" 2>&1
check "raw HTML off: no script, handler or script URL in any output file" test $? -eq 0
head -20 "$T/xss.out"
absent "template syntax in content is not run ({{ }})" "$T/pwned-template"
absent "template syntax in content is not run ({% %})" "$T/pwned-code"
check "template syntax in content stays text" sh -c "! grep -rq 'satchel49x' '$X/public'"
check "payload pages were written" test -f "$X/public/en/guidance/payloads/index.html"
contains "a file name with markup builds as text" "$X/public/en/news/index.html" "by file name"
# git itself drops <, > and " from an author's name; the commit message keeps them, as text.
contains "the commit message is text" "$X/public/en/changes/index.html" \
	'<p class="change-summary">&lt;img src=x onerror=alert(1)&gt; &quot;&gt;&lt;/script&gt;'


# b) Raw HTML on: the same payloads, also as raw HTML blocks and inline HTML, pass the sanitiser.
U=$T/unsafe
xss_site "$U" true
build "$U"
check "payload site builds (raw HTML on)" test $? -eq 0
python3 "$CHECK_XSS" "$U/public" "$B/public" >"$T/xss.out" 2>&1
check "raw HTML on: no script, handler or script URL in any output file" test $? -eq 0
head -20 "$T/xss.out"
P=$U/public/en/guidance/payloads/index.html
contains "raw HTML on: harmless markup is kept" "$P" '<a href="http://example.org">fine link</a>'
contains "raw HTML on: an image keeps its source, not its handler" "$P" 'src="x" alt="ok">'

# The same page in headless Chromium: the payloads set document.title to PWNED if any runs.
if command -v chromium >/dev/null 2>&1; then
	for page in "$P" "$X/public/en/guidance/payloads/index.html"; do
		timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
			--disable-component-update --no-first-run --user-data-dir="$T/chr" \
			--virtual-time-budget=3000 --dump-dom "file://$page" >"$T/dom.html" 2>/dev/null
		check "browser: the page loads ($page)" grep -q 'Title' "$T/dom.html"
		lacks "browser: no payload ran ($page)" "$T/dom.html" "PWNED"
	done
fi

# c) Paths: nothing outside the site is read or linked to.
S=$T/paths
minisite "$S"
(cd "$S" && git init -q) && commit "$S" "Paths"
build "$S" || fail "the paths site builds"
cp -R "$S/public" "$T/good"
# refused NAME MESSAGE [ARGS]: the build fails with MESSAGE, public/ as it was, no /etc/passwd.
refused() {
	name=$1
	msg=$2
	shift 2
	build "$S" "$@"
	rc=$?
	check "$name: exits non-zero" test $rc -eq 1
	contains "$name: message" "$T/err" "$msg"
	check "$name: previous public/ intact" diff -r "$T/good" "$S/public"
	check "$name: nothing of /etc/passwd in the output" sh -c "! grep -rq 'root:x:0:0' '$S/public'"
}
F=$S/content/guidance/assessment/index.md
cp "$F" "$T/orig.md"
printf -- '---\ntitle: A\n---\nText.\n\nSee [it](../../../../etc/passwd).\n' >"$F"
refused "link out of the site" "content/guidance/assessment/index.md:6: error: link '../../../../etc/passwd' leads out of the site"
printf -- '---\ntitle: A\n---\n![it](../../../../../etc/passwd)\n' >"$F"
refused "image out of the site" "content/guidance/assessment/index.md:4: error: link '../../../../../etc/passwd' leads out of the site"
printf -- '---\ntitle: A\nimage: ../../../../x.png\nimage_alt: x\n---\nx\n' >"$F"
refused "front-matter image out of the site" "content/guidance/assessment/index.md:3:8: error: 'image' must be the name of a file beside the page"
printf -- '---\ntitle: A\nimage: /etc/passwd\nimage_alt: x\n---\nx\n' >"$F"
refused "front-matter image at an absolute path" "content/guidance/assessment/index.md:3:8: error: 'image' must be the name of a file beside the page"
printf -- '---\ntitle: A\ntype: partner\nlogo: ../../etc/passwd\n---\nx\n' >"$F"
refused "front-matter file out of the site" "content/guidance/assessment/index.md:4:7: error: 'logo' must be the name of a file beside the page"
printf -- '---\ntitle: A\ntype: partner\nlogo: /etc/passwd\n---\nx\n' >"$F"
refused "front-matter file at an absolute path" "content/guidance/assessment/index.md:4:7: error: 'logo' must be the name of a file beside the page"
printf -- '---\ntitle: A\neasy_read: ../../../../../etc/passwd\n---\nx\n' >"$F"
refused "easy-read version out of the site" "content/guidance/assessment/index.md:3:12: error: 'easy_read' must name another page's file"
cp "$T/orig.md" "$F"
ln -s /etc/passwd "$S/content/guidance/assessment/passwd.txt"
refused "symlink to /etc/passwd" "content/guidance/assessment/passwd.txt: error: symbolic link; satchel publishes no links (replace it by the file)"
rm "$S/content/guidance/assessment/passwd.txt"
ln -s /etc "$S/content/etc"
refused "symlink to a folder outside" "content/etc: error: symbolic link; satchel publishes no links"
rm "$S/content/etc"
(cd "$S" && ln -s ../../../../../etc/passwd content/guidance/assessment/p.txt) && commit "$S" "A link out"
rm "$S/content/guidance/assessment/p.txt"
refused "symlink out in a commit (--ref HEAD)" "content/guidance/assessment/p.txt: error: symbolic link; satchel publishes no links" --ref HEAD
# A slug or a file name with dots stays a name inside public/.
printf -- '---\ntitle: Dots\nslug: ../../../../../../tmp/satchel-escape\n---\nx\n' >"$S/content/guidance/x..y.md"
build "$S"
check "a file name and a slug with .. build" test $? -eq 0
check "and everything written is inside public/" sh -c "! ls /tmp/satchel-escape* 2>/dev/null"
exists "the dotted page lands inside public/" "$S/public/en/guidance/tmp-satchel-escape/index.html"

# d) Size and encoding. (test_errors.sh has invalid UTF-8 in a body, 10,000 nested quotes, a
# 3,000-level list and two files with one URL; these are the rest.)
D=$T/enc
minisite "$D"
build "$D" || fail "the encoding site builds"
cp -R "$D/public" "$T/lf"
F=$D/content/guidance/assessment/index.md
cp "$F" "$T/orig.md"
: >"$D/content/guidance/empty.md"
build "$D"
check "an empty .md builds" test $? -eq 0
exists "an empty .md makes a page" "$D/public/en/guidance/empty/index.html"
rm "$D/content/guidance/empty.md"
build "$D" || fail "the encoding site builds again"
cp "$D/site.yaml" "$T/site.yaml"
: >"$D/site.yaml"
build "$D"
check "an empty site.yaml fails" test $? -eq 1
contains "an empty site.yaml says why, with its line" "$T/err" "site.yaml:1: error: site.yaml must be a mapping"
check "an empty site.yaml leaves public/ as it was" diff -r "$T/lf" "$D/public"
printf '\357\273\277' | cat - "$T/site.yaml" >"$D/site.yaml"
build "$D"
check "a BOM in site.yaml is skipped" test $? -eq 0
check "a BOM in site.yaml changes nothing" diff -r "$T/lf" "$D/public"
cp "$T/site.yaml" "$D/site.yaml"
printf '\357\273\277' | cat - "$T/orig.md" >"$F"
build "$D"
check "a BOM in a .md is skipped" test $? -eq 0
check "a BOM in a .md changes nothing" diff -r "$T/lf" "$D/public"
cp "$T/orig.md" "$F"
# CRLF in every text file satchel reads gives the same site as LF.
find "$D" -path "$D/.git" -prune -o -path "$D/public" -prune -o -type f \( -name '*.md' -o -name '*.yaml' \) \
	-exec sed -i 's/$/\r/' {} +
check "CRLF line endings were written" grep -q "$(printf '\r')" "$D/site.yaml"
build "$D"
check "CRLF everywhere builds" test $? -eq 0
check "CRLF gives the same output as LF" diff -r "$T/lf" "$D/public"
find "$D" -path "$D/.git" -prune -o -path "$D/public" -prune -o -type f \( -name '*.md' -o -name '*.yaml' \) \
	-exec sed -i 's/\r$//' {} +
printf -- '---\ntitle: "Bad \377 title"\n---\nx\n' >"$F"
build "$D"
check "invalid UTF-8 in front matter fails" test $? -eq 1
contains "invalid UTF-8 in front matter names the line" "$T/err" "content/guidance/assessment/index.md:2: error: invalid UTF-8"
check "invalid UTF-8 leaves public/ as it was" diff -r "$T/lf" "$D/public"
cp "$T/orig.md" "$F"
# One slug twice in one language: both files are named.
printf -- '---\ntitle: "Оценка 2"\nslug: individualna-otsenka\n---\nx\n' >"$D/content/guidance/other.bg.md"
build "$D"
check "a duplicate slug in one language fails" test $? -eq 1
contains "a duplicate slug names both files" "$T/err" "content/guidance/other.bg.md:1: error: this page and content/guidance/assessment/index.bg.md both have the URL /bg/guidance/individualna-otsenka/"
rm "$D/content/guidance/other.bg.md"
# 20 MB of Markdown and a 10,000-level list: built within the timeout, in bounded memory.
python3 - "$D/content/guidance" <<'PY'
import os, random, sys
r = random.Random(1)
words = "child justice hearing barnahus court protection guidance assessment interview".split()
out, size, i = ["---\ntitle: Big\n---\n"], 0, 0
while size < 20 * 1024 * 1024:
    i += 1
    if i % 50 == 0:
        s = "## Section %d\n\n" % i
    elif i % 7 == 0:
        s = "- item [link](https://example.org/%d) *em* **strong**\n- second `code`\n\n" % i
    else:
        s = " ".join(r.choice(words) for _ in range(60)) + ".\n\n"
    out.append(s)
    size += len(s)
open(os.path.join(sys.argv[1], "big.md"), "w").write("".join(out))
open(os.path.join(sys.argv[1], "deep.md"), "w").write(
    "---\ntitle: deep\n---\n" + "".join("  " * k + "- x\n" for k in range(10000)))
PY
python3 - "$SATCHEL" "$D" "$T/err" >"$T/rss" <<'PY'
import resource, subprocess, sys, time
t = time.time()
with open(sys.argv[3], "w") as err:
    rc = subprocess.run(["timeout", "120", sys.argv[1], "build", "-s", sys.argv[2], "-q"],
                        stderr=err).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, round(time.time() - t, 1))
PY
read -r rc mb secs <"$T/rss"
echo "# 20 MB Markdown and a 10,000-level list: exit $rc, $secs s, peak $mb MB"
check "20 MB of Markdown and a 10,000-level list build" test "$rc" -eq 0
check "in less than 1.5 GB (sanitizer builds included)" test "$mb" -lt 1536
exists "the big page is written" "$D/public/en/guidance/big/index.html"
exists "the deep page is written" "$D/public/en/guidance/deep/index.html"

# Front matter of 100,000 keys and a list of 100,000 items: each key used to be compared with
# every earlier one (about a minute; longer under the sanitizers); now the build takes a second or
# two, so a 30-second timeout is a bound the old code blows by far. A duplicate key among them is
# still found, at its line.
K=$T/keys
minisite "$K"
python3 - "$K/content/guidance" "$T" <<'PY'
import sys
keys = "".join("key%d: value %d\n" % (i, i) for i in range(100000))
page = lambda extra: "---\ntitle: Keys\n" + keys + extra + "---\nBody\n"
open(sys.argv[1] + "/keys.md", "w").write(page(""))
open(sys.argv[2] + "/keys-dup.md", "w").write(page("key5: again\n"))
items = "".join("  - item %d\n" % i for i in range(100000))
open(sys.argv[1] + "/items.md", "w").write("---\ntitle: Items\nitems:\n" + items + "---\nBody\n")
PY
timeout 30 "$SATCHEL" build -s "$K" -q 2>"$T/err"
check "100,000 front matter keys and list items build in linear time" test $? -eq 0
exists "... the page with 100,000 keys is written" "$K/public/en/guidance/keys/index.html"
cp "$T/keys-dup.md" "$K/content/guidance/keys.md"
timeout 30 "$SATCHEL" build -s "$K" -q 2>"$T/err"
check "a duplicate among 100,000 keys fails, in time" test $? -eq 1
contains "... naming its line" "$T/err" "content/guidance/keys.md:100003:1: error: duplicate key 'key5'"

# e) A site layout stuck inside one Lua library call (a pattern that backtracks without end runs
# no Lua instruction, so the time limit's hook never runs): satchel stops with a message a few
# CPU seconds after the limit instead of hanging; public/ is left as it was, and the next build
# clears the temporary folder the stopped one left.
L=$T/stuck
minisite "$L"
(cd "$L" && git init -q) && commit "$L" "stuck"
"$SATCHEL" build -s "$L" -q 2>/dev/null
cp "$L/public/en/index.html" "$T/stuck-before.html"
mkdir -p "$L/layouts"
cp "$ROOT/themes/default/layouts/base.html" "$L/layouts/base.html"
printf '{{ string.find(string.rep("a", 40000), string.rep("a-", 40) .. "b") }}\n' >>"$L/layouts/base.html"
timeout 120 "$SATCHEL" build -s "$L" -q 2>"$T/err"
rc=$?
check "a template stuck in a pattern ends the build with status 1, not a hang" test "$rc" -eq 1
contains "... saying why" "$T/err" "satchel: error: a template ran too long inside one library call"
grep -Eq 'library call \(a string pattern that backtracks without end\?\) while rendering (content/[^ ]*\.md )?\(?/' "$T/err"
check "... and naming the page it was rendering" test $? -eq 0
check "... and public/ is left as it was" cmp "$T/stuck-before.html" "$L/public/en/index.html"
rm "$L/layouts/base.html"
"$SATCHEL" build -s "$L" -q 2>/dev/null
check "the next build clears the stopped build's temporary folder" \
	test -z "$(find "$L" -maxdepth 1 -name '.public.tmp.*')"

# f) Control characters (C0 but tab, LF and CR; DEL; C1) never reach a page, a feed, a JSON file
# or the search index: in front matter as YAML escapes ("\x1c", "\u0085", "\e", "\0"), raw in the
# body, in a code block and in a heading, in a taxonomy term, in a site.yaml title, in a derived
# language's text, in the git author and subject. Each becomes a space, with a warning at the
# file's line; a file name holding one is refused (tests/e2e/test_source.sh).
C=$T/controls
minisite "$C"
cat >"$C/site.yaml" <<'YAML'
title: "Test\x1chub"
base_url: https://hub.example.org/
languages:
  - {code: en, name: English}
  - {code: bg, name: Български}
  - {code: ar, name: العربية, direction: rtl}
  - {code: sr, name: Српски, locale: sr-Cyrl}
  - {code: sr-Latn, name: Srpski, from: sr, transliterate: Serbian-Latin/BGN}
taxonomies: [topics]
params: {description: "Hub\x1cdescription"}
YAML
python3 - "$C/content/guidance" <<'PY'
import sys
d = sys.argv[1]
ctl = "".join(chr(c) for c in [0x1c, 0x01, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f, 0x00])
fm = ('---\ntitle: "File\\x1csep \\u0085nel \\e esc \\0 nul \\x9b csi"\ndate: 2025-03-20\n'
      'summary: "Sum\\x01mary \\N line"\ntopics: ["cont\\x1frol"]\n"ke\\x1cy": v\n---\n')
body = ("## Head" + ctl + "ing\n\nBody" + ctl + "text, tab\tstays.\n\n```\ncode" + ctl + "\n```\n\n"
        "| a" + chr(0x1c) + " | b |\n|---|---|\n| c" + chr(0x85) + " | d |\n")
open(d + "/ctl.md", "w", encoding="utf-8").write(fm + body)
open(d + "/ctl.sr.md", "w", encoding="utf-8").write(
    '---\ntitle: "Ћирилица\\x1cћ"\ndate: 2025-03-20\n---\nТекст' + ctl + "ћ.\n")
PY
(cd "$C" && git init -q && git add -A && GIT_AUTHOR_NAME="$(printf 'Ana\033[31m\302\205Ed')" \
	git commit -qm "$(printf 'Subject\034with\302\233controls')")
build "$C"
check "a site with control characters builds" test $? -eq 0
contains "... and says where, in the body" "$T/err" "content/guidance/ctl.md:8:8: warning: control character U+001C replaced by a space, and 37 more in this file"
contains "... and in front matter" "$T/err" "content/guidance/ctl.md:2:8: warning: control character U+001C replaced by a space"
contains "... and in site.yaml" "$T/err" "site.yaml:1:8: warning: control character U+001C replaced by a space"
python3 - "$C/public" <<'PY' && ok "no control character in any page, feed, JSON file or index" || fail "no control character in any page, feed, JSON file or index"
import pathlib, re, sys
bad, seen = [], 0
for f in pathlib.Path(sys.argv[1]).rglob("*"):
    if not f.is_file() or f.suffix not in (".html", ".xml", ".json", ".txt", ""):
        continue
    t = f.read_bytes().decode("utf-8", "replace")
    raw = sorted({hex(ord(c)) for c in t if (ord(c) < 0x20 and c not in "\t\n\r") or 0x7f <= ord(c) <= 0x9f})
    esc = sorted(set(re.findall(r"\\u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])", t)) - {"\\u000a", "\\u000d", "\\u0009"})
    esc = [e for e in esc if e.lower() not in ("\\u000a", "\\u000d", "\\u0009")]
    if raw or esc:
        bad.append((str(f), raw, esc))
    seen += 1
if bad: print(bad, file=sys.stderr)
sys.exit(1 if bad or seen < 50 else 0)
PY
H=$C/public/en/guidance/ctl/index.html
contains "the title keeps its words apart" "$H" "File sep  nel   esc   nul   csi"
contains "the body keeps its words apart, and its tab" "$H" "text, tab	stays."
# Twelve control characters are twelve spaces, and GitHub's id keeps each space as a '-'.
contains "the heading's id" "$H" 'id="head------------ing"'
check "the feeds are well-formed XML" python3 -c "
import xml.dom.minidom as m
for f in ('index.xml', 'atom.xml'): m.parse('$C/public/en/' + f)"
check "the JSON files parse" python3 -c "
import json, glob
for f in glob.glob('$C/public/*/*.json'): json.load(open(f))"
contains "the derived language's text too" "$C/public/sr-Latn/guidance/ctl/index.html" "Tekst"

finish
