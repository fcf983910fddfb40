#!/bin/sh
# Markdown written for GitHub in headless Chromium (tests/browser/elsewhere.mjs) on
# tests/fixtures/elsewhere: no request to another host before a click, the YouTube and Vimeo
# players after one (youtube-nocookie.com, player.vimeo.com with dnt=1), a plain link without
# script, axe clean in light and dark. Its lines and closing count are this test's.
. "$(dirname "$0")/lib.sh"

browser_modules

S=$T/site
cp -R "$ROOT/tests/fixtures/elsewhere" "$S"
(cd "$S" && git init -q) && commit "$S" "written elsewhere"
if ! "$SATCHEL" build -s "$S" -q 2>"$T/build.log"; then
	cat "$T/build.log"
	fail "the fixture builds"
	finish
	exit 1
fi
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
mkdir -p "$SATCHEL_SHOTS"
timeout 300 node "$B/elsewhere.mjs" "$S/public"
