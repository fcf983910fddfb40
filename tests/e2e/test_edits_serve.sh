#!/bin/sh
# Random edits through the long-lived engine of `satchel serve`: test_edits.sh with one server
# for the whole run (tests/e2e/edits_serve.py drives it), whose private folder, after the build
# each round's saves caused, must be byte-identical to a fresh `satchel build` of the same files.
# Every other round is left uncommitted, so that a round of body edits reaches the engine's quick
# path rather than the whole run a commit causes. Draft edits are left out: the preview
# publishes drafts and a build does not. SEED, ROUNDS, EDITS_ONLY as in test_edits.sh.
EDITS_DRIVER="python3 $(cd "$(dirname "$0")" && pwd)/edits_serve.py"
EDITS_SKIP=${EDITS_SKIP:-draft}
EDITS_KEEP=content/guidance/edits-sync
EDITS_COMMIT=${EDITS_COMMIT:-2}
# The preview makes no offline packs (a zip of the whole site on every save): the demo without
# them, so that a build is what the preview should match.
EDITS_NO_OFFLINE=1
export EDITS_DRIVER EDITS_SKIP EDITS_KEEP EDITS_COMMIT EDITS_NO_OFFLINE
exec sh "$(dirname "$0")/test_edits.sh"
