#!/bin/sh
# Accessibility and interaction of the default theme in headless Chromium: the demo hub (this
# repository's site.yaml and content/) is built and tests/browser/a11y.mjs runs axe-core on
# every kind of page, left to right and right to left, at phone and desktop sizes, and tries the
# language switcher and the skip link. Its lines and its closing count are this test's.
# Screenshots are left in $SATCHEL_SHOTS (default /tmp/satchel-shots) for a human to look at.
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
# "Now" for upcoming and past events: the day these checks were written, not the fixture
# commit's date, so the screenshots show both lists as a visitor would.
if ! SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q 2>"$T/build.log"; then
	cat "$T/build.log"
	fail "the demo hub builds"
	finish
	exit 1
fi

SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 300 node "$B/a11y.mjs" "$S/public"
