#!/bin/sh
# Random edits: an output kept up to date after each round of edits is byte-identical to a full
# build of the same files. A copy of the demo hub (content/, site.yaml, the default theme as the
# site's own theme `local`, so that layouts and its CSS can be edited; i18n/ and layouts/
# overrides appear as edits make them) is committed in a git repository, one commit a round
# (see EDITS_COMMIT) at fixed dates, and built with SOURCE_DATE_EPOCH fixed. Each round applies
# 1-3 edits drawn by tests/e2e/edits.py (a body, title, summary, date, topics, slug, weight,
# draft flag, new page, new or deleted translation, deleted or renamed page folder, layout or
# partial, UI string, site.yaml, static file, bundle file; its header lists them), then brings
# output A (the site's public/) up to date and makes B elsewhere afresh with `satchel build`,
# and compares the two trees (file lists, then bytes). The first difference fails the test with
# the seed, the round, its edits and the first differing file. At the end git must see nothing
# new in the site but public/: satchel keeps its records elsewhere.
#
#   SEED=N      the draw (default: a new one each run, printed; rerun with SEED=N to reproduce)
#   ROUNDS=N    rounds (default 12)
#   EDITS_ONLY=title,layout   draw only these edits (names as in edits.py without `e_`);
#   EDITS_SKIP=draft          never these; EDITS_KEEP=DIR a content folder no edit touches
#   EDITS_COMMIT=N            commit every Nth round only (default 1), and the last: the other
#               rounds leave their edits in the working tree, as an editor does between commits
#   EDITS_DRIVER='CMD'        how A is brought up to date: run as `CMD SITE A` before the first
#               round and after each (exit status 0, or the test fails with its stderr), and as
#               `CMD SITE A stop` at the end (and on exit), whose failure fails the test too.
#               It may keep one process over all rounds (state in $EDITS_WORK, an empty folder
#               of the test's) and may save files in the site itself (its own page, kept out of
#               the edits with EDITS_KEEP) when run as `CMD SITE A save`, after each round's
#               edits and before B is built. The output marker .satchel-output (a build's, not a
#               preview's) is then not compared.
#               Default: `satchel build -s SITE -o A --incremental`. tests/e2e/edits_serve.py is
#               the driver for `satchel serve` (test_edits_serve.sh).
. "$(dirname "$0")/lib.sh"

SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
ROUNDS=${ROUNDS:-12}
EDITS_COMMIT=${EDITS_COMMIT:-1}
echo "# SEED=$SEED ROUNDS=$ROUNDS EDITS_COMMIT=$EDITS_COMMIT${EDITS_DRIVER:+ EDITS_DRIVER=$EDITS_DRIVER}"
export SOURCE_DATE_EPOCH=1795651200 # 2026-11-25: the demo's consent records are valid

S=$T/site
A=$S/public # the site's own output, so that what a build leaves in the site shows in git
B=$T/B
mkdir -p "$S/themes"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$S/"
if [ "${EDITS_NO_OFFLINE:-}" = 1 ]; then
	sed -i '/^offline:/d' "$S/site.yaml"
fi
# The theme as a site would copy it: without npm's tree for Decap (the build takes Decap from the
# default theme).
tar -C "$ROOT/themes" --exclude=default/admin/node_modules -cf - default | tar -C "$S/themes" -xf -
mv "$S/themes/default" "$S/themes/local"
printf 'theme: local\n' >>"$S/site.yaml"
printf 'public/\n' >"$S/.gitignore"
(cd "$S" && git init -q) && commit "$S" "Demo hub" 2026-01-01T10:00:00Z

EDITS_WORK=$T/driver
export EDITS_WORK
mkdir -p "$EDITS_WORK"
if [ -n "${EDITS_DRIVER:-}" ]; then
	trap '$EDITS_DRIVER "$S" "$A" stop >/dev/null 2>&1; rm -rf "$T"' EXIT
fi

driver_incremental() {
	"$SATCHEL" build -s "$1" -o "$2" --incremental -q
}
update_a() {
	if [ -n "${EDITS_DRIVER:-}" ]; then
		$EDITS_DRIVER "$S" "$A"
	else
		driver_incremental "$S" "$A"
	fi
}

# same ROUND WHAT: A and B hold the same files with the same bytes, else one failure that says
# where they first differ. With a driver (the preview), the search indexes' pieces and manifests
# (LANG/search/t/, LANG/search/index.json) are not compared: serve's quick path writes a body
# edit's page and search fragments, and the postings wait for its next full run (README).
same() {
	lag='^$'
	[ -n "${EDITS_DRIVER:-}" ] && lag='^\./[^/]+/search/(t(/.*)?|index\.json)$'
	(cd "$A" && find . | LC_ALL=C sort | grep -vx "${EDITS_DRIVER:+./.satchel-output}" | grep -vE "$lag") >"$T/a.list"
	(cd "$B" && find . | LC_ALL=C sort | grep -vx "${EDITS_DRIVER:+./.satchel-output}" | grep -vE "$lag") >"$T/b.list"
	if ! diff "$T/a.list" "$T/b.list" >"$T/diff"; then
		fail "$1: the files differ (< only in A, > only in B): $(grep '^[<>]' "$T/diff" | head -5 | tr '\n' ' ')"
		return 1
	fi
	if ! diff -r --no-dereference ${EDITS_DRIVER:+-x .satchel-output -x t -x index.json} "$A" "$B" >"$T/diff" 2>&1; then
		first=$(sed -n '1s/^diff -r --no-dereference \(-x [^ ]* \)\{0,1\}\([^ ]*\) .*/\2/p;1s/^Binary files \([^ ]*\) .*/\1/p' "$T/diff")
		fail "$1: first differing file ${first#"$A"/}: $(head -c 1200 "$T/diff")"
		return 1
	fi
	ok "$1"
}

update_a >"$T/out" 2>"$T/err" || fail "first build of A: $(head -c 600 "$T/err")"
round=1
while [ "$round" -le "$ROUNDS" ]; do
	if ! python3 "$ROOT/tests/e2e/edits.py" "$S" "$SEED" "$round" >"$T/edits" 2>"$T/err"; then
		fail "round $round: edits.py failed: $(cat "$T/err")"
		break
	fi
	day=$(printf '2026-02-%02dT10:00:00Z' "$((round % 28 + 1))")
	if [ $((round % EDITS_COMMIT)) -eq 0 ] || [ "$round" -eq "$ROUNDS" ]; then
		(cd "$S" && git add -A && GIT_AUTHOR_DATE=$day GIT_COMMITTER_DATE=$day git commit -q --allow-empty -m "Round $round")
	else
		echo "(not committed)" >>"$T/edits"
	fi
	edits=$(tr '\n' ';' <"$T/edits")
	rm -rf "$B"
	# A driver's own last save first, so that B has it too.
	[ -z "${EDITS_DRIVER:-}" ] || $EDITS_DRIVER "$S" "$A" save >/dev/null 2>"$T/err" ||
		fail "round $round: the driver's save failed: $(head -c 600 "$T/err")"
	# Both at once: they share nothing but the site, which neither writes.
	"$SATCHEL" build -s "$S" -o "$B" -q >/dev/null 2>"$T/errb" &
	full=$!
	update_a >/dev/null 2>"$T/err"
	rca=$?
	wait $full
	rcb=$?
	if [ $rcb -ne 0 ]; then
		fail "round $round: the full build failed (SEED=$SEED; edits: $edits): $(grep error "$T/errb" | head -3)"
		break
	fi
	if [ $rca -ne 0 ]; then
		fail "round $round: bringing A up to date failed (SEED=$SEED; edits: $edits): $(head -c 600 "$T/err")"
		break
	fi
	same "round $round (SEED=$SEED): $edits" || break
	round=$((round + 1))
done

if [ -n "${EDITS_DRIVER:-}" ]; then
	if $EDITS_DRIVER "$S" "$A" stop >/dev/null 2>"$T/err"; then ok "the driver stops cleanly"; else
		fail "the driver does not stop cleanly: $(head -c 1500 "$T/err")"; fi
fi
# The files satchel writes must not land in the site but in public/ (its .gitignore's only line).
# (After a round that failed, its edits may be uncommitted: nothing to check then.)
[ "$round" -gt "$ROUNDS" ] && check "the site's folder is as committed" test -z "$(git -C "$S" status --porcelain --ignored | grep -vx '!! public/')"

finish
