#!/bin/sh
# Runs every unit test binary given and every end-to-end test in tests/e2e/, then prints one
# closing line "N passed, N failed". Usage: tests/run.sh BUILD_DIR UNIT_BIN...
set -u
build=$1
shift
passed=0
failed=0
failures=""
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# run KIND NAME COMMAND...: runs one test binary or script and adds up its closing line.
run() {
	kind=$1
	name=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
	f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=0
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $rc -ne 0 ]; then
		printf '%s\n' "$out" | grep -v '^ok ' | tail -n 60
		failures="$failures $name"
	fi
	echo "$kind $name: $p passed, $f failed"
}

for t in "$@"; do
	run unit "$(basename "$t")" "$t"
done
SATCHEL="$(pwd)/$build/satchel"
export SATCHEL
for t in tests/e2e/test_*.sh; do
	[ -e "$t" ] || continue
	run e2e "$(basename "$t")" sh "$t"
done
[ -z "$failures" ] || echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
