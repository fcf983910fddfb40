#!/bin/sh
# Accessibility and interaction of the default theme in headless Chromium: the demo hub (this
# repository's site.yaml and content/) is built and tests/browser/a11y.mjs runs axe-core on
# every kind of page, left to right and right to left, at phone and desktop sizes, and tries the
# language switcher and the skip link. Its lines and its closing count are this test's.
# Screenshots are left in $SATCHEL_SHOTS (default /tmp/satchel-shots) for a human to look at.
. "$(dirname "$0")/lib.sh"

browser_modules

demo_site

SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 300 node "$B/a11y.mjs" "$S/public"
