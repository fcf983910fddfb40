# Sourced by bench.sh and bench-serve.sh: bench_corpus NAME DIR RESOURCES SEED writes the shared
# synthetic corpus (../shared/bench/make-corpus.py, or $SATCHEL_SHARED's) into
# DIR/corpus-rRESOURCES-sSEED unless it is there already from the same generator and arguments,
# and sets $corpus to it. NAME prefixes its messages. Expects $root (the repository).
bench_corpus() {
	gen=$root/../shared/bench/make-corpus.py
	if [ ! -f "$gen" ] && [ -n "${SATCHEL_SHARED:-}" ]; then
		gen=$SATCHEL_SHARED/bench/make-corpus.py
	fi
	[ -f "$gen" ] || { echo "$1: make-corpus.py not found (set SATCHEL_SHARED)" >&2; exit 1; }
	corpus=$2/corpus-r$3-s$4
	stamp="$(cksum <"$gen") $3 $4"
	if [ ! -f "$corpus/.bench-stamp" ] || [ "$(cat "$corpus/.bench-stamp")" != "$stamp" ]; then
		rm -rf "$corpus"
		echo "$1: writing the corpus ($3 resources, seed $4) to $corpus ..."
		python3 "$gen" "$corpus" --resources "$3" --seed "$4" >/dev/null
		# bench-out/ is ignored by this repository, and satchel honours the ignore rules of the
		# repository a site sits in; a repository of its own makes the corpus an ordinary site.
		git init -q "$corpus"
		printf '%s\n' "$stamp" >"$corpus/.bench-stamp"
	fi
}
