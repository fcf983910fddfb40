#!/bin/sh
# The library's search in headless Chromium: the demo hub (this repository's site.yaml and
# content/) is built and tests/browser/search.mjs types queries into /LANG/library/ and reads the
# results (a title word, a word deep in a long guide, typos, Romanian without diacritics, Latin
# on Cyrillic sites and back, Greek without accents, Arabic; excerpt marks, sub-result anchors,
# the live count, facets with words, show more, stale answers, keyboard, axe). Its lines and
# its closing count are this test's. Screenshots go to $SATCHEL_SHOTS (default /tmp/satchel-shots).
. "$(dirname "$0")/lib.sh"

browser_modules

demo_site
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 400 node "$B/search.mjs" "$S/public"
