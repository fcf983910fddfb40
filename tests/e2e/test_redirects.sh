#!/bin/sh
# Redirects nobody has to write: a page's old addresses, from git's record of its renames and
# slug changes (translations too), and from front-matter aliases, become redirect pages,
# _redirects lines and nginx map lines; check reports addresses claimed twice, chains and loops.
. "$(dirname "$0")/lib.sh"

S=$T/repo
minisite "$S"
(cd "$S" && git init -q && commit . "first version" 2025-01-01T10:00:00Z)
# The bundle moves (its English URL changes; the Bulgarian one has a slug and keeps it).
(cd "$S" && git mv content/guidance/assessment content/guidance/needs-assessment)
commit "$S" "move the assessment guide" 2025-02-01T10:00:00Z
MOVED=$(git -C "$S" rev-parse HEAD)
# The Bulgarian slug changes.
sed -i 's/^slug: individualna-otsenka/slug: otsenka-na-nuzhdite/' \
	"$S/content/guidance/needs-assessment/index.bg.md"
commit "$S" "a clearer Bulgarian slug" 2025-03-01T10:00:00Z
# The checklist moves twice: both old addresses lead to where it is now (no chain).
mkdir -p "$S/content/guidance"
(cd "$S" && git mv content/tools/checklist content/guidance/checklist)
commit "$S" "checklist under guidance" 2025-04-01T10:00:00Z
(cd "$S" && git mv content/guidance/checklist content/guidance/assessment-checklist)
commit "$S" "checklist renamed" 2025-05-01T10:00:00Z
# Aliases: site-absolute and relative (from the page's parent, as Hugo reads them).
cat >"$S/content/guidance/needs-assessment/index.md" <<'MD'
---
title: "Individual assessment"
date: 2025-03-14
aliases: [/old/assessment/, legacy-assessment, /en/assessment.html]
topics: [individual-assessment]
---
## Who takes part

See the [checklist](../assessment-checklist/index.md) and [the form](form.txt).
MD
sed -i 's|../../tools/checklist/index.md|../assessment-checklist/index.md|' \
	"$S/content/guidance/needs-assessment/index.bg.md"
commit "$S" "aliases" 2025-06-01T10:00:00Z

P=$S/public
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "the site builds" test $? -eq 0
R=$P/en/guidance/assessment/index.html
exists "a redirect page at the moved page's old URL" "$R"
contains "it refreshes to the new URL" "$R" '<meta http-equiv="refresh" content="0; url=/en/guidance/needs-assessment/">'
contains "its canonical is the new URL, absolute" "$R" '<link rel="canonical" href="https://hub.example.org/en/guidance/needs-assessment/">'
contains "it is in the page's language" "$R" '<html lang="en" dir="ltr">'
contains "it is not indexed" "$R" '<meta name="robots" content="noindex">'
contains "it says so and links the page by its title" "$R" 'It is now here: <a href="/en/guidance/needs-assessment/">Individual assessment</a>'
B=$P/bg/guidance/individualna-otsenka/index.html
exists "the translation's old slug redirects" "$B"
contains "to its new slug" "$B" 'url=/bg/guidance/otsenka-na-nuzhdite/'
contains "in Bulgarian" "$B" '<html lang="bg" dir="ltr">'
absent "a slug kept through a move gives no redirect" "$P/bg/guidance/assessment/index.html"
contains "the new page is there" "$P/en/guidance/needs-assessment/index.html" "Individual assessment"
C1=$P/en/tools/checklist/index.html
C2=$P/en/guidance/checklist/index.html
contains "a page moved twice: the first old URL leads to the last" "$C1" 'url=/en/guidance/assessment-checklist/'
contains "and so does the second" "$C2" 'url=/en/guidance/assessment-checklist/'
contains "site-absolute alias" "$P/old/assessment/index.html" 'url=/en/guidance/needs-assessment/'
contains "relative alias, from the page's parent" "$P/en/guidance/legacy-assessment/index.html" 'url=/en/guidance/needs-assessment/'
contains "alias to an .html file" "$P/en/assessment.html" 'url=/en/guidance/needs-assessment/'
contains "_redirects: the move" "$P/_redirects" "/en/guidance/assessment/ /en/guidance/needs-assessment/ 301"
contains "_redirects: the slug" "$P/_redirects" "/bg/guidance/individualna-otsenka/ /bg/guidance/otsenka-na-nuzhdite/ 301"
contains "_redirects: the chain collapsed" "$P/_redirects" "/en/tools/checklist/ /en/guidance/assessment-checklist/ 301"
contains "_redirects: an alias" "$P/_redirects" "/old/assessment/ /en/guidance/needs-assessment/ 301"
contains "nginx map line" "$P/_redirects.nginx.map" '"/en/guidance/assessment/" "/en/guidance/needs-assessment/";'
contains "nginx map says how to include it" "$P/_redirects.nginx.map" 'map $uri $satchel_redirect'
awk '{print $1}' "$P/_redirects" >"$T/froms"
check "no redirect leads to another redirect" sh -c "! awk '{print \$2}' '$P/_redirects' | grep -qxF -f '$T/froms'"
lacks "redirect pages are not in the sitemap" "$P/sitemap.xml" "/en/guidance/assessment/<"

# Every page links to the redirect's target; the link check passes (check exits 0).
"$SATCHEL" check -s "$S" >"$T/check" 2>&1
check "check passes on the moved site" test $? -eq 0

# --ref: an older commit knows only the history before it.
"$SATCHEL" build -s "$S" --ref "$MOVED" -o "$T/old" -q 2>/dev/null
contains "--ref: the move is redirected" "$T/old/en/guidance/assessment/index.html" 'url=/en/guidance/needs-assessment/'
lacks "--ref: the later slug change is not (the page is there)" "$T/old/bg/guidance/individualna-otsenka/index.html" 'http-equiv="refresh"'
absent "--ref: nor the later alias" "$T/old/old/assessment/index.html"

# Determinism: the same commit gives the same bytes, working tree, --ref, again (and from cache).
"$SATCHEL" build -s "$S" --ref HEAD -o "$T/a" -q 2>/dev/null
"$SATCHEL" build -s "$S" -o "$T/b" -q 2>/dev/null
rm -rf "$S/.git/satchel"
"$SATCHEL" build -s "$S" -o "$T/c" -q 2>/dev/null
check "working tree and --ref give the same output" diff -r "$T/a" "$T/b"
check "a build without the history cache gives the same output" diff -r "$T/b" "$T/c"

# Sub-path: every redirect carries base_url's path.
H=$T/hub
cp -r "$S" "$H"
sed -i 's|^base_url: .*|base_url: https://org.example.io/hub/|' "$H/site.yaml"
"$SATCHEL" build -s "$H" -q 2>/dev/null
contains "sub-path: refresh carries the path" "$H/public/en/guidance/assessment/index.html" 'url=/hub/en/guidance/needs-assessment/'
contains "sub-path: canonical too" "$H/public/en/guidance/assessment/index.html" 'href="https://org.example.io/hub/en/guidance/needs-assessment/"'
contains "sub-path: _redirects both sides" "$H/public/_redirects" "/hub/en/guidance/assessment/ /hub/en/guidance/needs-assessment/ 301"

# A live page at an old address wins: no redirect page over it, and a warning names it.
L=$T/live
cp -r "$S" "$L"
mkdir -p "$L/content/guidance/assessment"
printf -- '---\ntitle: "A new assessment page"\n---\nNew.\n' >"$L/content/guidance/assessment/index.md"
"$SATCHEL" build -s "$L" -q 2>"$T/err"
check "a live page at an old URL builds" test $? -eq 0
contains "the live page is kept" "$L/public/en/guidance/assessment/index.html" "A new assessment page"
contains "a warning says so" "$T/err" "content/guidance/needs-assessment/index.md: warning: its old URL /en/guidance/assessment/ (as content/guidance/assessment/index.md) is another page's now"
lacks "no _redirects line for it" "$L/public/_redirects" "/en/guidance/assessment/ "

# check: an alias that is a live page's address, two aliases on one address, bad aliases.
X=$T/clash
cp -r "$S" "$X"
cat >"$X/content/guidance/assessment-checklist/index.md" <<'MD'
---
title: "Assessment checklist"
date: 2025-02-01
aliases:
  - /en/guidance/needs-assessment/
  - /old/assessment/
  - ../../escape/
  - https://evil.example/x/
  - /a?b=1
---
Checklist.
MD
"$SATCHEL" check -s "$X" >"$T/check" 2>&1
check "check fails on clashing aliases" test $? -eq 1
contains "alias on a live page: file:line" "$T/check" "content/guidance/assessment-checklist/index.md:5:5: error: alias '/en/guidance/needs-assessment/' is the address of a page or file of the site, which keeps it"
contains "two aliases on one address: file:line" "$T/check" "content/guidance/needs-assessment/index.md:4:11: error: alias '/old/assessment/' is also the alias at content/guidance/assessment-checklist/index.md:6"
contains "an alias with .. is refused" "$T/check" "index.md:7:5: error: alias '../../escape/' has a . or .. segment"
contains "an alias with a host is refused" "$T/check" "index.md:8:5: error: alias 'https://evil.example/x/' is an address with a scheme or host"
contains "an alias with a query is refused" "$T/check" "index.md:9:5: error: alias '/a?b=1' has a query or a fragment"
"$SATCHEL" build -s "$X" -q 2>/dev/null
check "build fails on them too" test $? -ne 0
check "and the previous public/ stays" diff -r "$S/public" "$X/public"
absent "nothing escaped the output" "$X/escape"

# The site's own static/_redirects: its rules come first; one into a redirect is a chain
# (written collapsed, a warning); two that send to each other are a loop (an error).
U=$T/user
cp -r "$S" "$U"
mkdir -p "$U/static"
printf '# hand-written\n/very-old /en/guidance/assessment/ 301\n/feed/* /en/index.xml 301\n' >"$U/static/_redirects"
"$SATCHEL" check -s "$U" >"$T/check" 2>&1
check "a chain is no error" test $? -eq 0
contains "a chain is a warning, file:line" "$T/check" "static/_redirects:2: warning: redirect chain: /very-old → /en/guidance/assessment/ is itself redirected; written as /very-old → /en/guidance/needs-assessment/"
"$SATCHEL" build -s "$U" -q 2>/dev/null
contains "the chain is written collapsed" "$U/public/_redirects" "/very-old /en/guidance/needs-assessment/ 301"
contains "a rule with a splat is kept as written" "$U/public/_redirects" "/feed/* /en/index.xml 301"
contains "the site's comment is kept" "$U/public/_redirects" "# hand-written"
contains "satchel's rules follow" "$U/public/_redirects" "/en/guidance/assessment/ /en/guidance/needs-assessment/ 301"
printf '/p /q 301\n/q /p 301\n' >"$U/static/_redirects"
"$SATCHEL" check -s "$U" >"$T/check" 2>&1
check "a loop fails check" test $? -eq 1
contains "a loop is an error, file:line" "$T/check" "static/_redirects:1: error: redirect loop: /p → /q comes back to itself"

# Hostile: a title and an old slug made to break out of the redirect page; the XSS oracle reads
# every file (the refresh satchel writes, to a path of the site, is the one it accepts).
Z=$T/hostile
cp -r "$S" "$Z"
mkdir -p "$Z/content/guidance/evil"
printf -- '---\ntitle: "<img src=x onerror=alert(1)> \\"></a><script>alert(1)</script>"\nslug: "\\"><script>alert(2)</script>"\n---\nx\n' \
	>"$Z/content/guidance/evil/index.md"
commit "$Z" "hostile" 2025-07-01T10:00:00Z
(cd "$Z" && git mv content/guidance/evil content/guidance/evil2)
sed -i 's|^slug: .*|slug: "javascript:alert(3)"|' "$Z/content/guidance/evil2/index.md"
commit "$Z" "hostile move" 2025-08-01T10:00:00Z
"$SATCHEL" build -s "$Z" -q 2>/dev/null
check "the hostile site builds" test $? -eq 0
contains "a redirect from the hostile old slug (slugified) is written" \
	"$Z/public/en/guidance/script-alert-2-script/index.html" 'url=/en/guidance/javascript-alert-3/'
lacks "the hostile title is escaped in it" "$Z/public/en/guidance/script-alert-2-script/index.html" "<script>alert(1)"
contains "the hostile old path redirects too" "$Z/public/_redirects" "/en/guidance/script-alert-2-script/ /en/guidance/javascript-alert-3/ 301"
python3 "$ROOT/tests/e2e/check_xss.py" "$Z/public" "$P" >"$T/xss.out" 2>&1
check "no redirect page can run script (check_xss.py)" test $? -eq 0

# A site with no history and no aliases writes no redirect files (nothing changes for it).
N=$T/plain
minisite "$N"
"$SATCHEL" build -s "$N" -q 2>/dev/null
absent "no _redirects without redirects" "$N/public/_redirects"
absent "no nginx map without redirects" "$N/public/_redirects.nginx.map"

finish
