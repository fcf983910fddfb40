#!/bin/sh
# The library page in headless Chromium: the demo hub (this repository's site.yaml and content/)
# is built and tests/browser/library.mjs drives /LANG/library/ as a visitor does: the first
# result on the first screen after a search (390x844, 1280x900; en, bg, ar), the filters drawer
# with the keyboard and Escape, the column on a wide screen, live counts checked against
# facets.json, chips, the empty state, sort, cards, the address on reload and Back, axe in light
# and dark. Its lines and its closing count are this test's. Screenshots go to $SATCHEL_SHOTS
# (default /tmp/satchel-shots).
. "$(dirname "$0")/lib.sh"

browser_modules

demo_site
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 500 node "$B/library.mjs" "$S/public"
