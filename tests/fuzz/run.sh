#!/bin/sh
# Runs each libFuzzer target for a bounded time (`make fuzz`). Usage: run.sh SECONDS TARGET...
# A target fuzzes from tests/fuzz/corpus/NAME (with tests/fuzz/dict/NAME.dict when there is one);
# what it finds that adds coverage is merged back into that corpus, and every crash, leak,
# timeout or out-of-memory input is written to tests/fuzz/regressions/NAME/.
set -u
secs=$1
shift
here=$(dirname "$0")
# Small inputs mutate faster, and a committed corpus of small files stays small.
max_len=8192
status=0
tmp=${TMPDIR:-/tmp}
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=$here/corpus/$name
	regs=$here/regressions/$name
	mkdir -p "$corpus" "$regs"
	set -- -max_len=$max_len -timeout=10 -rss_limit_mb=2048
	[ -f "$here/dict/$name.dict" ] && set -- "$@" -dict="$here/dict/$name.dict"
	new=$(mktemp -d "$tmp/satchel-fuzz.XXXXXX")
	log=$new.log
	# The targets' scratch folders: libFuzzer's _Exit leaves them behind.
	TMPDIR=$new.tmp
	export TMPDIR
	mkdir -p "$TMPDIR"
	"$bin" "$@" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$regs/" \
		"$new" "$corpus" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		status=1
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -n 20
	fi
	before=$(ls "$corpus" | wc -l)
	# The smallest set of inputs that reaches every edge the corpus and the new finds reach (hit
	# counts left out: with them the set is several times larger). Named seeds (hand-written or
	# from the demo hub) stay as they are; the inputs libFuzzer named by their SHA-1 are replaced
	# by what the merge kept.
	fresh=$(mktemp -d "$tmp/satchel-fuzz.XXXXXX")
	if "$bin" "$@" -merge=1 -use_counters=0 "$fresh" "$corpus" "$new" >>"$log" 2>&1; then
		seeds=$new.seeds
		: >"$seeds"
		for f in "$corpus"/*; do
			b=${f##*/}
			case $b in
			*[!0-9a-f]*) sha1sum <"$f" | cut -c1-40 >>"$seeds" ;;
			*) [ ${#b} -eq 40 ] && rm -f "$f" ;;
			esac
		done
		for f in "$fresh"/*; do
			[ -e "$f" ] || continue
			grep -qx "${f##*/}" "$seeds" || mv "$f" "$corpus/"
		done
		rm -f "$seeds"
	fi
	rm -rf "$fresh"
	after=$(ls "$corpus" | wc -l)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	echo "$name: ${secs}s, ${runs:-?} runs, ${speed:-?} exec/s, corpus $before -> $after files," \
		"exit $rc"
	rm -rf "$new" "$log" "$TMPDIR"
done
exit $status
