#!/bin/sh
# The default theme under docs/examples/nginx.conf's Content-Security-Policy: nginx serves the
# demo hub (tests/e2e/nginx.sh) and tests/browser/csp.mjs opens its pages in headless Chromium,
# uses the library's search and filters and the header's search, opens the content editor
# (/admin/, under its own policy), and checks nothing was refused.
# Its lines and its closing count are this test's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"
. "$(dirname "$0")/cms_handmade.sh"

browser_modules
demo_site
# The editor satchel writes for site.yaml's `cms:`; a hand-made one (the same files) if this
# build writes none.
if [ ! -f "$S/public/admin/index.html" ]; then
	if [ ! -f "${DECAP_DIST:-$ROOT/themes/default/admin/node_modules/decap-cms/dist}/decap-cms.js" ]; then
		fail "Decap CMS is installed (scripts/install-deps.sh runs npm ci in themes/default/admin)"
		finish
		exit 1
	fi
	handmade_admin "$S/public" "name: github
repo: owner/hub
branch: main
base_url: https://auth.example.org"
fi
nginx_start "$S/public"
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
mkdir -p "$SATCHEL_SHOTS"
timeout 300 node "$B/csp.mjs" "$NGINX_URL" | tee "$T/csp.out"
grep -E '^csp.mjs: [0-9]+ passed, 0 failed$' "$T/csp.out" >/dev/null && [ "$FAILED" -eq 0 ]
