#!/bin/sh
# satchel serve in headless Chromium (tests/browser/serve.mjs): a save reloads the open pages,
# a broken front matter shows its file and line over the page and the fix takes it away, a
# message holding markup is shown as text, and a restarted server is found again. Its lines and
# its closing count are this test's. The overlay's phone screenshot is left in $SATCHEL_SHOTS
# (default /tmp/satchel-shots).
. "$(dirname "$0")/lib.sh"

B=$ROOT/tests/browser
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	fail "node and npm are installed (scripts/install-deps.sh installs them)"
	finish
	exit 1
fi
# The pinned playwright-core, fetched again only when the lock file changed.
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

# Private folders go here, not in the machine's /tmp.
TMPDIR=$T/tmp
export TMPDIR
mkdir -p "$TMPDIR"
S=$T/site
minisite "$S"
(cd "$S" && git init -q) && commit "$S" "A site"
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 600 node "$B/serve.mjs" "$SATCHEL" "$S"
rc=$?
set -- "$TMPDIR"/satchel-serve-*
[ -e "$1" ] && { echo "FAIL a private folder is left: $1"; rc=1; }
exit $rc
