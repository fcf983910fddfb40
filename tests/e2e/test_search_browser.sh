#!/bin/sh
# The library's search in headless Chromium: the demo hub (this repository's site.yaml and
# content/) is built and tests/browser/search.mjs types queries into /LANG/library/ and reads the
# results (a title word, a word deep in a long guide, typos, Romanian without diacritics, Latin
# on Cyrillic sites and back, Greek without accents, Arabic; excerpt marks, sub-result anchors,
# the live count, facets with words, show more, stale answers, keyboard, axe). Its lines and
# its closing count are this test's. Screenshots go to $SATCHEL_SHOTS (default /tmp/satchel-shots).
. "$(dirname "$0")/lib.sh"

B=$ROOT/tests/browser
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	fail "node and npm are installed (scripts/install-deps.sh installs them)"
	finish
	exit 1
fi
# The pinned playwright-core and axe-core, fetched again only when the lock file changed.
if [ ! -d "$B/node_modules" ] ||
	[ -n "$(find "$B/package-lock.json" -newer "$B/node_modules" 2>/dev/null)" ]; then
	if ! (cd "$B" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1; then
		cat "$T/npm.log"
		fail "npm ci in tests/browser"
		finish
		exit 1
	fi
	touch "$B/node_modules"
fi

S=$T/site
mkdir -p "$S"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$S/"
(cd "$S" && git init -q) && commit "$S" "Demo hub"
if ! SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q 2>"$T/build.log"; then
	cat "$T/build.log"
	fail "the demo hub builds"
	finish
	exit 1
fi
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 400 node "$B/search.mjs" "$S/public"
