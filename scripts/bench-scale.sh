#!/bin/sh
# The scale series: builds the shared synthetic corpus at several sizes (500, 2,000, 8,000 and
# 30,000 resources by default; the last is about ChildHub's size) with satchel and with Hugo,
# one after the other at each size, and prints how time and peak memory grow with the site.
#
#   sh scripts/bench-scale.sh [--sizes "500 2000 8000 30000"] [--seed S] [--runs N]
#                             [--dir DIR] [--out DIR] [--no-hugo] [--keep-free MIB] [--satchel BIN]
#                             [--resume]
#   (also: sh scripts/bench.sh --scale [the same options]; make bench-scale)
#
# --dir is where the corpora are (DIR/corpus-rN-sS, made there by scripts/bench-corpus.sh when
# missing or made by another generator, and kept for the next run; default bench-out/). The 30,000
# one is about 157,000 Markdown files and 1.8 GB. --out is where the builds write (default
# DIR/out-scale); every output is deleted once its build is measured, since the largest are
# 13 GB (satchel) and 3.4 GB (Hugo). --runs (default 1) builds each tool that many times at each
# size after one warm-up build of the first size; the table has the median time and the
# largest peak.
#
# A build is skipped, and the table says so, when the memory it would take (the peak of the
# previous size scaled by the number of pages, plus 15%) does not fit in what the kernel
# reports as available less --keep-free MiB (default 2048): the machine may be shared, and a build
# killed for want of memory tells nothing. --satchel measures another build of satchel (a copy
# of an older commit's, say) instead of this tree's build/satchel. --resume keeps the sizes that
# the last run into the same --out measured (OUT/logs/scale.tsv) and measures only the others. pages are the Markdown files of the corpus (every
# language's), the same count for both tools; ratio is Hugo's time (memory) over satchel's.
set -eu

sizes="500 2000 8000 30000"
seed=15
runs=1
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/bench-out
out=
hugo=1
keep_free=2048
satchel=
resume=0

usage() {
	echo "usage: sh scripts/bench-scale.sh [--sizes \"N ...\"] [--seed S] [--runs N] [--dir DIR]" \
		"[--out DIR] [--no-hugo] [--keep-free MIB] [--satchel BIN] [--resume]" >&2
	exit 2
}

posint() {
	case $2 in
	'' | *[!0-9]* | 0*) echo "bench-scale: $1 needs a positive whole number, not '$2'" >&2; exit 2 ;;
	esac
}

while [ $# -gt 0 ]; do
	case $1 in
	--sizes | --seed | --runs | --dir | --out | --keep-free | --satchel)
		[ $# -ge 2 ] || usage
		case $1 in
		--sizes)
			for n in $2; do posint "$1" "$n"; done
			[ -n "$(echo $2)" ] || usage
			sizes=$2 ;;
		--seed) case $2 in '' | *[!0-9]*) usage ;; esac; seed=$2 ;;
		--runs) posint "$1" "$2"; runs=$2 ;;
		--dir) dir=$2 ;;
		--out) out=$2 ;;
		--satchel) satchel=$2 ;;
		--keep-free) case $2 in '' | *[!0-9]*) usage ;; esac; keep_free=$2 ;;
		esac
		shift 2 ;;
	--no-hugo) hugo=0; shift ;;
	--resume) resume=1; shift ;;
	-h | --help) usage ;;
	*) echo "bench-scale: unknown option '$1'" >&2; usage ;;
	esac
done

cd "$root"
if [ "$hugo" = 1 ] && ! command -v hugo >/dev/null 2>&1 || [ ! -x /usr/bin/time ]; then
	sh scripts/install-deps.sh
fi
[ "$hugo" = 0 ] || command -v hugo >/dev/null 2>&1 || { echo "bench-scale: hugo is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-scale: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "bench-scale: python3 is not installed" >&2; exit 1; }
command -v git >/dev/null 2>&1 || { echo "bench-scale: git is not installed" >&2; exit 1; }
if [ -z "$satchel" ]; then
	make --no-print-directory build/satchel >/dev/null
	satchel=$root/build/satchel
fi
[ -x "$satchel" ] || { echo "bench-scale: $satchel is not a program" >&2; exit 1; }

. "$root/scripts/bench-corpus.sh"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ -n "$out" ] || out=$dir/out-scale
mkdir -p "$out"
out=$(cd "$out" && pwd)
logs=$out/logs
mkdir -p "$logs"
results=$logs/scale.tsv
if [ "$resume" = 1 ] && [ -f "$results" ]; then
	mv "$results" "$results.old"
else
	: >"$results.old"
fi
: >"$results"

# MiB the kernel says could be had now without swapping.
avail_mib() {
	awk '/^MemAvailable:/ { printf "%d", $2 / 1024 }' /proc/meminfo
}

# build NAME SIZE K CMD...: one build, @OUT@ in CMD being a fresh output folder; appends
# "seconds peak-KiB" to $logs/NAME-SIZE.times unless K is 0 (a warm-up), then deletes the output
# and lets the disk settle, so the next build is not charged for it.
build() {
	name=$1 size=$2 k=$3
	shift 3
	o=$out/$name-$size-$k
	rm -rf "$o"
	sync
	if ! (
		for a; do
			shift
			[ "$a" = @OUT@ ] && a=$o
			set -- "$@" "$a"
		done
		exec /usr/bin/time -f '%e %M %U %S' -o "$logs/$name.t" "$@" >"$logs/$name-$size.log" 2>&1
	); then
		echo "bench-scale: $name failed at $size resources:" >&2
		tail -n 20 "$logs/$name-$size.log" >&2
		rm -rf "$o"
		return 1
	fi
	[ "$k" = 0 ] || tail -n 1 "$logs/$name.t" >>"$logs/$name-$size.times"
	rm -rf "$o"
	sync
}

# fits PEAK_MIB PAGES_THEN PAGES_NOW: would a build that took PEAK_MIB for PAGES_THEN pages fit
# now, at PAGES_NOW pages? Sets $need (MiB).
fits() {
	need=$(awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%d", m * b / a * 1.15 }')
	[ "$need" -le $(($(avail_mib) - keep_free)) ]
}

# median FILE [FIELD] / peak FILE / cpu FILE: of the "seconds KiB user sys" lines.
median() {
	cut -d' ' -f1 "$1" | sort -n | awk '{ v[NR] = $1 }
	    END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
cpu() {
	awk '{ print $3 + $4 }' "$1" | sort -n | awk '{ v[NR] = $1 }
	    END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
peak() {
	cut -d' ' -f2 "$1" | sort -n | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }'
}

# The corpora first: making the large ones takes minutes, and none of it belongs in a timing.
for size in $sizes; do
	bench_corpus bench-scale "$dir" "$size" "$seed"
done

echo "bench-scale: sizes $sizes (resources); $runs timed build(s) each; $(nproc 2>/dev/null || echo '?')" \
	"CPUs; $(avail_mib) MiB available; corpora in $dir, builds in $out"
# One warm-up of each tool on the first size (lazy library loading, Hugo's first start).
set -- $sizes
corpus=$dir/corpus-r$1-s$seed
build satchel "$1" 0 "$satchel" build -s "$corpus" -o @OUT@ -q || exit 1
[ "$hugo" = 0 ] || build hugo "$1" 0 hugo --source "$corpus" --destination @OUT@ --quiet --buildFuture || exit 1
s_prev_mem= s_prev_pages= h_prev_mem= h_prev_pages=
for size in $sizes; do
	corpus=$dir/corpus-r$size-s$seed
	# Measured by the run before (--resume): taken as it was.
	old=$(awk -F '\t' -v n="$size" '$1 == n' "$results.old" | tail -n 1)
	if [ -n "$old" ]; then
		printf '%s\n' "$old" >>"$results"
		echo "bench-scale: $size resources: kept from the last run"
		pages=$(echo "$old" | cut -f2)
		v=$(echo "$old" | cut -f4)
		case $v in *[!0-9]* | '') ;; *) s_prev_mem=$v s_prev_pages=$pages ;; esac
		v=$(echo "$old" | cut -f6)
		case $v in *[!0-9]* | '') ;; *) h_prev_mem=$v h_prev_pages=$pages ;; esac
		continue
	fi
	pages=$(find "$corpus/content" -name '*.md' ! -name '_index*' | wc -l | tr -d ' ')
	rm -f "$logs/satchel-$size.times" "$logs/hugo-$size.times"
	s_time=- s_mem=- s_cpu=- h_time=- h_mem=- h_cpu=-
	k=1
	while [ $k -le "$runs" ]; do
		if [ -z "$s_prev_mem" ] || fits "$s_prev_mem" "$s_prev_pages" "$pages"; then
			build satchel "$size" "$k" "$satchel" build -s "$corpus" -o @OUT@ -q || s_time=failed
		else
			echo "bench-scale: satchel at $size resources skipped: about $need MiB needed," \
				"$(avail_mib) available (keeping $keep_free free)"
			s_time=skipped
		fi
		if [ "$hugo" = 1 ]; then
			if [ -z "$h_prev_mem" ] || fits "$h_prev_mem" "$h_prev_pages" "$pages"; then
				build hugo "$size" "$k" hugo --source "$corpus" --destination @OUT@ --quiet --buildFuture ||
					h_time=failed
			else
				echo "bench-scale: hugo at $size resources skipped: about $need MiB needed," \
					"$(avail_mib) available (keeping $keep_free free)"
				h_time=skipped
			fi
		fi
		k=$((k + 1))
	done
	if [ -s "$logs/satchel-$size.times" ]; then
		s_time=$(median "$logs/satchel-$size.times") s_mem=$(peak "$logs/satchel-$size.times")
		s_cpu=$(cpu "$logs/satchel-$size.times")
		s_prev_mem=$s_mem s_prev_pages=$pages
	fi
	if [ -s "$logs/hugo-$size.times" ]; then
		h_time=$(median "$logs/hugo-$size.times") h_mem=$(peak "$logs/hugo-$size.times")
		h_cpu=$(cpu "$logs/hugo-$size.times")
		h_prev_mem=$h_mem h_prev_pages=$pages
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$pages" "$s_time" "$s_mem" "$h_time" "$h_mem" \
		"$s_cpu" "$h_cpu" >>"$results"
	echo "bench-scale: $size resources, $pages pages: satchel $s_time s ($s_cpu s CPU) $s_mem MiB;" \
		"hugo $h_time s ($h_cpu s CPU) $h_mem MiB"
done

echo
awk -F '\t' -v hugo="$hugo" -v hv="$([ "$hugo" = 0 ] || hugo version | awk '{ print $2 }')" '
function num(x) { return x ~ /^[0-9.]+$/ }
function per(v, p) { return num(v) && p > 0 ? sprintf("%.1f", v * 1000 / p) : "-" }
function ratio(h, s) { return num(h) && num(s) && s > 0 ? sprintf("%.1fx", h / s) : "-" }
{
	n++; res[n] = $1; pages[n] = $2; st[n] = $3; sm[n] = $4; ht[n] = $5; hm[n] = $6; sc[n] = $7; hc[n] = $8
}
END {
	printf "%-9s %7s | %-42s", "", "", "satchel"
	if (hugo) printf " | %-42s | %s", "hugo " hv, "hugo / satchel"
	printf "\n%-9s %7s | %7s %7s %8s %8s %8s", "resources", "pages", "seconds", "CPU s", "peak MiB", "MiB/1000", "s/1000"
	if (hugo) printf " | %7s %7s %8s %8s %8s | %6s %6s", "seconds", "CPU s", "peak MiB", "MiB/1000", "s/1000", "time", "memory"
	printf "\n"
	for (i = 1; i <= n; i++) {
		printf "%-9s %7s | %7s %7s %8s %8s %8s", res[i], pages[i], st[i], sc[i], sm[i], per(sm[i], pages[i]),
		    per(st[i], pages[i])
		if (hugo)
			printf " | %7s %7s %8s %8s %8s | %6s %6s", ht[i], hc[i], hm[i], per(hm[i], pages[i]),
			    per(ht[i], pages[i]), ratio(ht[i], st[i]), ratio(hm[i], sm[i])
		printf "\n"
	}
	# Linear growth keeps the per-page columns flat: the largest size against the smallest.
	for (t = 0; t < 2; t++) {
		if (t == 1 && !hugo) break
		a = 0; b = 0
		for (i = 1; i <= n; i++) if (num(t ? hm[i] : sm[i])) { if (!a) a = i; b = i }
		if (a && b > a)
			printf "%s%s from %d to %d pages (%.1fx): time %.1fx (CPU %.1fx), peak memory %.1fx\n",
			    t ? "" : "\n", t ? "hugo" : "satchel", pages[a], pages[b], pages[b] / pages[a],
			    t ? ht[b] / ht[a] : st[b] / st[a], t ? hc[b] / hc[a] : sc[b] / sc[a],
			    t ? hm[b] / hm[a] : sm[b] / sm[a]
	}
	print "(seconds: wall time; CPU s: user + system; pages: the Markdown files, every language)"
}' "$results"
rm -f "$results.old"
