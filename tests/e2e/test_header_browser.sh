#!/bin/sh
# The default theme's page shell in headless Chromium (tests/browser/header.mjs): the phone's
# menu (click, keyboard, Escape, focus), 44 px targets in the header, menus and footer at 390 px,
# the header's search, the contents folded on a phone and beside the text on a desktop, a
# checklist ticked, kept over a reload, printed and cleared, the brand from site.yaml, fallback
# cards in Arabic, table cells. Its lines and closing count are this test's.
. "$(dirname "$0")/lib.sh"

browser_modules

demo_site

SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
timeout 300 node "$B/header.mjs" "$S/public"
