#!/bin/sh
# Taxonomies satchel fills itself: `years` from each page's date and `languages` from the
# languages a resource exists in, unless front matter sets them.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
sed -i 's/^taxonomies: \[topics\]/taxonomies: [topics, languages, years]/' "$S/site.yaml"
printf -- '---\ntitle: "Old note"\ndate: 2019-05-01\nyears: [archive]\n---\n' >"$S/content/guidance/old.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "site with computed taxonomies builds" test $? -eq 0
P=$S/public
contains "year term from the date" "$P/en/years/2025/index.html" 'href="/en/guidance/assessment/"'
contains "front matter overrides the computed year" "$P/en/years/archive/index.html" 'href="/en/guidance/old/"'
absent "no 2019 term when front matter says otherwise" "$P/en/years/2019/index.html"
contains "language term lists a resource in that language" "$P/en/languages/bg/index.html" 'href="/en/guidance/assessment/"'
lacks "language term leaves out a resource not in it" "$P/en/languages/bg/index.html" 'href="/en/tools/checklist/"'
contains "languages are named in themselves" "$P/en/languages/index.html" '>Български</a>'
finish
