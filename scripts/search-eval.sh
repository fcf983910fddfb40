#!/bin/sh
# Measures satchel's search beside Pagefind's on the same built sites: the demo hub and the
# shared bench corpus. Prints Markdown: what it took to build and index each site, then per site
# and language recall@5, MRR@5 and the KB a query downloads, satchel / Pagefind side by side.
#
#   sh scripts/search-eval.sh [--only demo|bench] [--dir DIR] [--corpus DIR] [--work DIR]
#
# For each site: satchel builds it into WORK/NAME; Pagefind (the npm package pinned in
# scripts/search-eval/package.json, installed there by `npm ci`) indexes that output
# (`pagefind --site WORK/NAME`, under /usr/bin/time -v for its time and peak memory); then
# scripts/search-eval/eval.mjs serves it on 127.0.0.1 and runs every query of
# scripts/search-eval/queries-NAME.tsv through satchel's library page and through Pagefind's
# API in headless Chromium (/usr/bin/chromium, or $CHROMIUM). eval.mjs says how queries are run,
# scored and their bytes counted. The results go to WORK/NAME.json, every query's line to
# WORK/details.md, the tables to WORK/report.md and to standard output.
#
# --dir: where the bench corpus is kept (default bench-out/, shared with scripts/bench.sh; it is
# written there by scripts/bench-corpus.sh when missing or stale). --corpus: an existing corpus
# to use as it is (only read). --work: default DIR/search-eval. Exits non-zero when a build,
# Pagefind or the browser fails, or an engine answers nothing; wrong answers are results.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/scripts/search-eval
only=
dir=$root/bench-out
corpus=
work=
resources=2000
seed=15

usage() {
	echo "usage: sh scripts/search-eval.sh [--only demo|bench] [--dir DIR] [--corpus DIR] [--work DIR]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--only | --dir | --corpus | --work)
		[ $# -ge 2 ] || usage
		case $1 in
		--only) case $2 in demo | bench) only=$2 ;; *) usage ;; esac ;;
		--dir) dir=$2 ;;
		--corpus) corpus=$2 ;;
		--work) work=$2 ;;
		esac
		shift 2 ;;
	-h | --help) usage ;;
	*) echo "search-eval: unknown option '$1'" >&2; usage ;;
	esac
done

say() { echo "search-eval: $*" >&2; }
die() { say "$*"; exit 1; }

cd "$root"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	sh scripts/install-deps.sh
fi
command -v node >/dev/null 2>&1 || die "node is not installed"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || die "no Chromium at ${CHROMIUM:-/usr/bin/chromium} (set CHROMIUM)"

# Pagefind and playwright-core, at the versions package-lock.json pins.
if [ ! -d "$here/node_modules" ] ||
	[ -n "$(find "$here/package-lock.json" -newer "$here/node_modules" 2>/dev/null)" ]; then
	say "npm ci in scripts/search-eval ..."
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed"
	touch "$here/node_modules"
fi
# The binary itself, so that /usr/bin/time measures it and not the node wrapper.
pagefind=
for f in "$here"/node_modules/@pagefind/*/bin/pagefind_extended "$here"/node_modules/@pagefind/*/bin/pagefind; do
	if [ -x "$f" ]; then pagefind=$f; break; fi
done
[ -n "$pagefind" ] || pagefind=$here/node_modules/.bin/pagefind
pfver=$("$pagefind" --version 2>/dev/null | awk '{ print $NF }')

make --no-print-directory build/satchel >/dev/null || die "make build/satchel failed"
[ -n "$work" ] || work=$dir/search-eval
mkdir -p "$work"
work=$(cd "$work" && pwd)
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev (with uncommitted changes)"; fi

sites=
if [ "$only" != bench ]; then sites="demo"; fi
if [ "$only" != demo ]; then
	if [ -n "$corpus" ]; then
		[ -f "$corpus/site.yaml" ] || die "$corpus: no site.yaml (not a bench corpus)"
		corpus=$(cd "$corpus" && pwd)
	else
		. "$root/scripts/bench-corpus.sh"
		mkdir -p "$dir"
		dir=$(cd "$dir" && pwd)
		bench_corpus search-eval "$dir" "$resources" "$seed"
	fi
	# The bench queries name pages of one corpus: that generator, --resources 2000 --seed 15.
	want=$(sed -n 's/^# corpus-stamp: //p' "$here/queries-bench.tsv")
	if [ -f "$corpus/.bench-stamp" ] && [ "$(cat "$corpus/.bench-stamp")" != "$want" ]; then
		say "warning: $corpus was made by another make-corpus.py or other options ($(cat "$corpus/.bench-stamp"), the queries were picked on $want): expect misses"
	fi
	sites="$sites bench"
fi

# secs_mib FILE: "S s, M MiB" from /usr/bin/time -v's report.
secs_mib() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
	    /Maximum resident set size/ { m = $2 }
	    END { printf "%.1f s, %.0f MiB", s, m / 1024 }' "$1"
}
size_of() { # files and MB of a list of folders
	find "$@" -type f 2>/dev/null | awk 'END { printf "%d files", NR }'
	du -skc "$@" 2>/dev/null | tail -n 1 | awk '{ printf ", %.1f MB", $1 / 1024 }'
}

rows=
set -- # the results files, NAME=FILE, for report.mjs
for site in $sites; do
	out=$work/$site
	case $site in
	demo) src=$root ;;
	bench) src=$corpus ;;
	esac
	rm -rf "$out" "$work/$site.json"
	say "$site: satchel build ..."
	/usr/bin/time -v -o "$work/$site.satchel.time" build/satchel build -s "$src" -o "$out" -q \
		>"$work/$site.satchel.log" 2>&1 || { tail -n 20 "$work/$site.satchel.log" >&2; die "$site: satchel build failed"; }
	pages=$(find "$out" -name index.html | wc -l | tr -d ' ')
	s_search=$(size_of "$out"/*/search)
	# The same build without the search index (SATCHEL_NO_SEARCH=1), for what indexing costs.
	# One run each on a busy machine: a hint, not a benchmark.
	rm -rf "$out.nosearch"
	SATCHEL_NO_SEARCH=1 /usr/bin/time -v -o "$work/$site.nosearch.time" build/satchel build -s "$src" \
		-o "$out.nosearch" -q >"$work/$site.nosearch.log" 2>&1 || { tail -n 20 "$work/$site.nosearch.log" >&2; die "$site: satchel build (no search) failed"; }
	if [ -e "$(find "$out.nosearch" -path '*/search/*' -print -quit)" ]; then
		nosearch="– (this satchel ignores SATCHEL_NO_SEARCH)"
	else
		nosearch=$(secs_mib "$work/$site.nosearch.time")
	fi
	rm -rf "$out.nosearch"
	say "$site: pagefind --site $out ..."
	/usr/bin/time -v -o "$work/$site.pagefind.time" "$pagefind" --site "$out" \
		>"$work/$site.pagefind.log" 2>&1 || { tail -n 20 "$work/$site.pagefind.log" >&2; die "$site: pagefind failed"; }
	p_index=$(size_of "$out/pagefind")
	rows="$rows
| $site | $pages | $(secs_mib "$work/$site.satchel.time") | $nosearch | $s_search | $(secs_mib "$work/$site.pagefind.time") | $p_index |"
	say "$site: $(grep -v '^#' "$here/queries-$site.tsv" | grep -c .) queries in headless Chromium ..."
	node "$here/eval.mjs" --site "$out" --queries "$here/queries-$site.tsv" --json "$work/$site.json" ||
		die "$site: eval.mjs failed"
	set -- "$@" "$site=$work/$site.json"
done

{
	echo "## satchel search beside Pagefind $pfver"
	echo
	echo "satchel $rev, $(date -u +%Y-%m-%d), $(nproc 2>/dev/null || echo '?') CPUs;" \
		"headless $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -n 1)."
	echo
	echo "| site | HTML pages | satchel build: time, peak | the same without the index | satchel search index | Pagefind indexing: time, peak | Pagefind index |"
	echo "|---|---:|---:|---:|---:|---:|---:|$rows"
	echo
	echo "(Whole-site builds, one run each, SATCHEL_NO_SEARCH=1 for the one without the index: see"
	echo "make bench for build times. Pagefind indexes satchel's output after it, in the same folder.)"
	echo
	echo "Queries: scripts/search-eval/queries-*.tsv (language, query, pages expected). recall@5: share of"
	echo "the expected pages in the top 5; MRR@5: mean of 1/rank of the first expected page in the top 5."
	echo "KB: response bodies as a gzipping server sends them (eval.mjs), for satchel what its search"
	echo "loads (/LANG/search/ and scripts the home page does not load), for Pagefind all of /pagefind/;"
	echo "\"first\" is the first query in a fresh browser context, scripts included."
	echo
	node "$here/report.mjs" "$@"
} >"$work/report.md"
node "$here/report.mjs" --details "$@" >"$work/details.md"
cat "$work/report.md"
echo
say "every query: $work/details.md; raw results: $work/*.json"
