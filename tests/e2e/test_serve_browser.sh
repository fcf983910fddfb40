#!/bin/sh
# satchel serve in headless Chromium (tests/browser/serve.mjs): a save reloads the open pages,
# a broken front matter shows its file and line over the page and the fix takes it away, a
# message holding markup is shown as text, and a restarted server is found again. Its lines and
# its closing count are this test's. The overlay's phone screenshot is left in $SATCHEL_SHOTS
# (default /tmp/satchel-shots).
. "$(dirname "$0")/lib.sh"

browser_modules

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
