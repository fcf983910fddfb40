#!/bin/sh
# The default theme's search.js without a browser: tests/browser/search-unit.mjs runs its pure
# functions (folding, word splitting, one-edit test, piece choice, postings, matching, excerpt,
# phrase) and a whole query against a small index in memory, with plain node. Its lines and its
# closing count are this test's.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1; then
	fail "node is installed (scripts/install-deps.sh installs it)"
	finish
	exit 1
fi
timeout 120 node "$ROOT/tests/browser/search-unit.mjs"
