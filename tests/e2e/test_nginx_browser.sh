#!/bin/sh
# The default theme under docs/examples/nginx.conf's Content-Security-Policy: nginx serves the
# demo hub (tests/e2e/nginx.sh) and tests/browser/csp.mjs opens its pages in headless Chromium,
# uses the library's search and filters and the header's search, and checks nothing was refused.
# Its lines and its closing count are this test's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

browser_modules
demo_site
nginx_start "$S/public"
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
mkdir -p "$SATCHEL_SHOTS"
timeout 300 node "$B/csp.mjs" "$NGINX_URL" | tee "$T/csp.out"
grep -E '^csp.mjs: [0-9]+ passed, 0 failed$' "$T/csp.out" >/dev/null && [ "$FAILED" -eq 0 ]
