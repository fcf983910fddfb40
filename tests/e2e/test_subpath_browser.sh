#!/bin/sh
# The demo hub built with base_url https://org.example.io/hub/ and served under /hub/ alone (a
# static server that answers 404 to every other path, as a project site's host does), clicked
# through in headless Chromium by tests/browser/subpath.mjs: the root's language redirect, the
# switcher, a section, a resource, the header's search, a filter, a result, the 404 page; no
# request outside /hub/, none answered with an error. Its lines and closing count are this
# test's. Screenshots go to $SATCHEL_SHOTS (default /tmp/satchel-shots).
. "$(dirname "$0")/lib.sh"

browser_modules

S=$T/site
mkdir -p "$S"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$S/"
sed -i 's#^base_url: .*#base_url: https://org.example.io/hub/#' "$S/site.yaml"
(cd "$S" && git init -q) && commit "$S" "Demo hub under /hub/"
if ! SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q 2>"$T/build.log"; then
	cat "$T/build.log"
	fail "the demo hub builds under /hub/"
	finish
	exit 1
fi
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 300 node "$B/subpath.mjs" "$S/public"
