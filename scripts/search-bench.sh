#!/bin/sh
# The search index's cost on one core beside its floor, on the shared bench corpus (made in
# bench-out/ when missing) or on SITE's content/. Usage: sh scripts/search-bench.sh [SITE]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then
	site=$1
else
	. "$root/scripts/bench-corpus.sh"
	bench_corpus search-bench "$root/bench-out" 2000 15
	site=$corpus
fi
exec "$root/build/search-bench" "$site/content"
