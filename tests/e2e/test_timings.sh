#!/bin/sh
# build --timings: after the build, a table on stderr of where the time went — every phase (load,
# history, Markdown, render, search index, feeds, images, write, packs, links, swap, other) with
# wall seconds, share and CPU seconds, the total, then the theme's templates with their calls and
# times, most costly first. The table's form is checked, never its values: every phase there
# once, numbers that parse, phases adding up to the total, templates that exist in the theme.
# Also with --incremental; nothing of it on stdout, and nothing without the option.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
(cd "$S" && git init -q) && commit "$S" "hub"

# table FILE LABEL: the checks every table passes.
table() {
	f=$1 label=$2
	check "$label: the heading says the total and the threads" \
		grep -qE '^satchel: where the time went: [0-9.]+ s, [0-9.]+ s of CPU, [0-9]+ worker threads?$' "$f"
	for p in load history Markdown render "search index" feeds images write packs links swap other total; do
		n=$(grep -cE "^$p +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]%  *[0-9]+\.[0-9]{3}( |\$)" "$f")
		check "$label: phase '$p' is there once, its numbers parse" test "$n" -eq 1
	done
	# The phases (all but total) add up to the total, within the rounding of 12 figures.
	check "$label: the phases add up to the total" awk '
		/^phase / { on = 1; next }
		on && /^total / { total = $2; share = $3; exit }
		on { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+$/) { sum += $i; break } }
		END { d = sum - total; if (d < 0) d = -d; exit !(total > 0 && d <= 0.012 && share == "100.0%") }' "$f"
	# Templates: a heading, then rows NAME CALLS SELF MEAN SHARE INCL, most costly first. (No
	# {3} in awk: mawk has no intervals.)
	awk '/^template +calls/ { on = 1; next } on && NF == 6 { print }' "$f" >"$T/rows"
	check "$label: templates are listed" test -s "$T/rows"
	check "$label: every template row's numbers parse" awk '
		!($2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+\.[0-9][0-9][0-9]$/ && $4 ~ /^[0-9]+\.[0-9][0-9][0-9]$/ &&
		  $5 ~ /^[0-9]+\.[0-9]%$/ && $6 ~ /^[0-9]+\.[0-9][0-9][0-9]$/) { bad = 1 }
		END { exit bad }' "$T/rows"
	check "$label: most costly first" awk 'NR > 1 && $3 > prev { bad = 1 } { prev = $3 } END { exit bad }' "$T/rows"
	check "$label: each template called at least once" awk '$2 < 1 { bad = 1 } END { exit bad }' "$T/rows"
	missing=
	while read -r name rest; do
		[ -f "$ROOT/themes/default/layouts/$name" ] || [ -f "$S/layouts/$name" ] || missing="$missing $name"
	done <"$T/rows"
	check "$label: every template named is one of the theme's (missing:$missing)" test -z "$missing"
	check "$label: the layout of every page and its base are there" grep -qE '^base\.html ' "$T/rows"
	check "$label: ... and a partial" grep -qE '^partials/' "$T/rows"
}

"$SATCHEL" build -s "$S" -o "$T/out" --timings >"$T/stdout" 2>"$T/stderr"
check "build --timings works" test $? -eq 0
table "$T/stderr" "build"
lacks "stdout keeps the summary line alone" "$T/stdout" "where the time went"
contains "... which is still there" "$T/stdout" "satchel: "
check "one thread: the heading says so" sh -c \
	"'$SATCHEL' build -s '$S' -o '$T/out1' -j 1 --timings 2>&1 >/dev/null | grep -q ' 1 worker thread\$'"

"$SATCHEL" build -s "$S" -o "$T/inc" --incremental --timings >/dev/null 2>"$T/inc1"
check "--incremental --timings, the first build" test $? -eq 0
table "$T/inc1" "incremental, first"
printf '\nOne more line.\n' >>"$S/content/guidance/assessment/index.md"
"$SATCHEL" build -s "$S" -o "$T/inc" --incremental --timings >/dev/null 2>"$T/inc2"
check "--incremental --timings, the next build" test $? -eq 0
table "$T/inc2" "incremental, next"
# Fewer pages rendered the second time: fewer template calls.
c1=$(awk '/^base\.html / { print $2 }' "$T/inc1")
c2=$(awk '/^base\.html / { print $2 }' "$T/inc2")
check "the next incremental build renders fewer pages ($c1, then $c2)" test "${c2:-0}" -lt "${c1:-0}"

"$SATCHEL" build -s "$S" -o "$T/plain" >/dev/null 2>"$T/plain.err"
check "without --timings: no table" sh -c "! grep -q 'where the time went' '$T/plain.err'"
check "--help names --timings" sh -c "'$SATCHEL' build --help | grep -q -- '--timings'"

finish
