#!/bin/sh
# The default theme's admin/hosted.js without a browser: tests/browser/hosted-unit.mjs runs its
# path mapping (DIR/index.md seen as DIR/index.DEFAULT.md by Decap's hosted backends) against a
# fake forge in memory, with plain node. Its lines and its closing count are this test's.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1; then
	fail "node is installed (scripts/install-deps.sh installs it)"
	finish
	exit 1
fi
timeout 120 node "$ROOT/tests/browser/hosted-unit.mjs"
