#!/bin/sh
# Redirects in headless Chromium (tests/browser/redirects.mjs): a site whose pages moved and
# changed slug in git, with an alias; every rule of its _redirects, followed from the old address
# on a host that serves the files as they are, ends at the page. Its lines and count are this
# test's.
. "$(dirname "$0")/lib.sh"

browser_modules

S=$T/repo
minisite "$S"
(cd "$S" && git init -q && commit . "first version" 2025-01-01T10:00:00Z)
(cd "$S" && git mv content/guidance/assessment content/guidance/needs-assessment)
sed -i 's/^slug: individualna-otsenka/slug: otsenka-na-nuzhdite/' \
	"$S/content/guidance/needs-assessment/index.bg.md"
sed -i 's/^date: 2025-02-01/date: 2025-02-01\naliases: [\/old\/checklist\/, earlier-checklist]/' \
	"$S/content/tools/checklist/index.md"
commit "$S" "move, new slug, aliases" 2025-02-01T10:00:00Z
"$SATCHEL" build -s "$S" -q 2>/dev/null || fail "the site builds"
timeout 300 node "$B/redirects.mjs" "$S/public"
