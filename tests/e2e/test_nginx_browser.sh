#!/bin/sh
# The default theme under docs/examples/nginx.conf's Content-Security-Policy: nginx serves the
# demo hub (tests/e2e/nginx.sh) and tests/browser/csp.mjs opens its pages in headless Chromium,
# uses the library's search and filters and the header's search, opens the content editor
# (/admin/, under its own policy), and checks nothing was refused.
# Its lines and its closing count are this test's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

browser_modules
demo_site
# The editor satchel writes for site.yaml's `cms:` (Decap installed by scripts/install-deps.sh).
if [ ! -f "$S/public/admin/index.html" ]; then
	fail "the demo's build wrote /admin/ (is Decap CMS installed? scripts/install-deps.sh)"
	finish
	exit 1
fi
# The same Decap with the site's generated configuration, on Decap's in-memory test backend
# (test-repo: a login that needs nothing), so that csp.mjs can open the editor and its preview
# under /admin/'s policy. A test page only: it is not part of what satchel publishes.
mkdir -p "$S/public/admin/t"
printf 'window.CMS_MANUAL_INIT = true;\n' >"$S/public/admin/t/manual.js"
cat >"$S/public/admin/t/start.js" <<'JS'
var link = document.createElement("link");
link.rel = "cms-config-url";
link.type = "text/yaml";
link.href = "../config.yml";
document.head.appendChild(link);
CMS.registerPreviewStyle("/css/satchel.css");
CMS.init({ config: { backend: { name: "test-repo" } } });
JS
cat >"$S/public/admin/t/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Decap on test-repo</title>
<link rel="icon" href="data:,"></head>
<body><script src="manual.js"></script><script src="../decap-cms.js"></script><script src="start.js"></script></body></html>
HTML
nginx_start "$S/public"
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
mkdir -p "$SATCHEL_SHOTS"
timeout 300 node "$B/csp.mjs" "$NGINX_URL" | tee "$T/csp.out"
grep -E '^csp.mjs: [0-9]+ passed, 0 failed$' "$T/csp.out" >/dev/null && [ "$FAILED" -eq 0 ]
