#!/bin/sh
# Builds one synthetic multilingual hub with satchel and with Hugo and prints wall time and peak
# memory side by side. Everything runs on this machine: no network.
#
#   sh scripts/bench.sh [--resources N] [--seed S] [--runs N] [--dir DIR] [--out DIR]
#                       [--history-repo SITE] [--history-only]
#   sh scripts/bench.sh --scale [options of scripts/bench-scale.sh]: the scale series instead
#
# The corpus comes from the shared make-corpus.py (2,000 resources, about 10,400 Markdown pages in
# 8 languages by default) and is kept in --dir (default bench-out/) for the next run; it is made
# again only when the generator script or the options change. Each tool gets one warm-up build
# and then --runs timed builds; the table shows the median time and the largest peak RSS of the
# timed builds. The outputs go under --out (default DIR/out; a tmpfs such as /dev/shm/x takes
# the disk out of the measurement).
#
# The history pass is timed too, without its cache and with it, beside `git log --name-only`: on
# a generated repository, and with --history-repo SITE also on a real one that you cloned
# yourself (SITE: the folder whose content/ holds the pages, such as a clone of
# github.com/gohugoio/hugoDocs; nothing is fetched here). --history-only skips the builds.
#
# Every build writes into a folder of its own, and old outputs are only deleted once the timing is
# over: on ext4 without a journal, creating files soon after deleting many makes the kernel skip
# the recently freed inodes one by one, which would charge one build for the deletions before it.
set -eu

if [ "${1:-}" = --scale ]; then
	shift
	exec sh "$(dirname "$0")/bench-scale.sh" "$@"
fi

resources=2000
seed=15
runs=3
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/bench-out
out=
history_repo=
history_only=

usage() {
	echo "usage: sh scripts/bench.sh [--resources N] [--seed S] [--runs N] [--dir DIR] [--out DIR]" >&2
	echo "                           [--history-repo SITE] [--history-only]" >&2
	exit 2
}

posint() {
	case $2 in
	'' | *[!0-9]* | 0*) echo "bench: $1 needs a positive whole number, not '$2'" >&2; exit 2 ;;
	esac
}

while [ $# -gt 0 ]; do
	case $1 in
	--resources | --seed | --runs | --dir | --out | --history-repo)
		[ $# -ge 2 ] || usage
		case $1 in
		--history-repo)
			[ -d "$2/content" ] || { echo "bench: $2 has no content/ folder" >&2; exit 2; }
			history_repo=$(cd "$2" && pwd) ;;
		--resources) posint "$1" "$2"; resources=$2 ;;
		--seed) case $2 in '' | *[!0-9]*) usage ;; esac; seed=$2 ;;
		--runs) posint "$1" "$2"; runs=$2 ;;
		--dir) dir=$2 ;;
		--out) out=$2 ;;
		esac
		shift 2 ;;
	--history-only) history_only=1; shift ;;
	-h | --help) usage ;;
	*) echo "bench: unknown option '$1'" >&2; usage ;;
	esac
done

cd "$root"

# Tools. /usr/bin/time (Debian package "time") is what reports peak RSS; the shell keyword
# cannot.
if { [ -z "$history_only" ] && ! command -v hugo >/dev/null 2>&1; } || [ ! -x /usr/bin/time ]; then
	sh scripts/install-deps.sh
fi
[ -n "$history_only" ] || command -v hugo >/dev/null 2>&1 ||
	{ echo "bench: hugo is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "bench: python3 is not installed" >&2; exit 1; }
command -v git >/dev/null 2>&1 || { echo "bench: git is not installed" >&2; exit 1; }
make --no-print-directory build/satchel >/dev/null

. "$root/scripts/bench-corpus.sh"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# satchel and Hugo building the corpus (not with --history-only).
builds() {
bench_corpus bench "$dir" "$resources" "$seed"
nmd=$(find "$corpus/content" -name '*.md' ! -name '_index*' | wc -l | tr -d ' ')

[ -n "$out" ] || out=$dir/out
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Outputs of an earlier run are set aside now and deleted at the end, after the timing.
trash=$out/.trash.$$
mkdir "$trash"
for f in "$out"/*; do
	if [ -e "$f" ]; then mv "$f" "$trash/"; fi
done
logs=$out/logs
mkdir -p "$logs"
: >"$logs/satchel.times"
: >"$logs/hugo.times"

# once NAME N CMD...: build N of NAME, with @OUT@ in CMD replaced by $out/NAME-N. Build 0 is the
# warm-up (file cache, page faults, lazy library loading) and is not recorded.
once() {
	name=$1 k=$2
	shift 2
	# Write back the previous build's pages now, not during this one.
	sync
	if ! (
		for a; do
			shift
			[ "$a" = @OUT@ ] && a=$out/$name-$k
			set -- "$@" "$a"
		done
		exec /usr/bin/time -f '%e %M' -o "$logs/$name.t" "$@" >"$logs/$name.log" 2>&1
	); then
		echo "bench: $name failed:" >&2
		tail -n 20 "$logs/$name.log" >&2
		exit 1
	fi
	if [ -s "$logs/$name.log" ] && [ "$k" = 0 ]; then
		echo "bench: $name printed $(wc -l <"$logs/$name.log" | tr -d ' ') line(s); the first:"
		head -n 5 "$logs/$name.log" | sed 's/^/  /'
	fi
	[ "$k" = 0 ] || tail -n 1 "$logs/$name.t" >>"$logs/$name.times"
}

# summary NAME: sets $median (s), $peak (MiB), $all (every timed run) and $pages (index.html
# files in the last build).
summary() {
	median=$(cut -d' ' -f1 "$logs/$1.times" | sort -n | awk '{ v[NR] = $1 }
	    END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	peak=$(cut -d' ' -f2 "$logs/$1.times" | sort -n | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')
	all=$(cut -d' ' -f1 "$logs/$1.times" | paste -sd' ' -)
	pages=$(find "$out/$1-$runs" -name index.html | wc -l | tr -d ' ')
}

echo "bench: $nmd Markdown pages; $runs timed builds each after one warm-up;" \
    "$(nproc 2>/dev/null || echo '?') CPUs; output in $out"
# The two tools take turns, so a slow spell of the machine does not fall on one of them only.
# --buildFuture: satchel publishes future-dated pages, and the corpus has some.
n=0
while [ $n -le "$runs" ]; do
	once satchel "$n" build/satchel build -s "$corpus" -o @OUT@ -q
	once hugo "$n" hugo --source "$corpus" --destination @OUT@ --quiet --buildFuture
	n=$((n + 1))
done
summary satchel
s_time=$median s_mem=$peak s_pages=$pages s_all=$all
summary hugo
h_time=$median h_mem=$peak h_pages=$pages h_all=$all
hv=$(hugo version | awk '{ print $2 }')

# Keep the last build of each tool to look at.
rm -rf "$trash"
n=0
while [ $n -lt "$runs" ]; do
	rm -rf "$out/satchel-$n" "$out/hugo-$n"
	n=$((n + 1))
done

echo
printf '%-22s %8s %10s %9s   %s\n' tool pages "median s" "peak MiB" "every run (s)"
printf '%-22s %8s %10s %9s   %s\n' satchel "$s_pages" "$s_time" "$s_mem" "$s_all"
printf '%-22s %8s %10s %9s   %s\n' "hugo $hv" "$h_pages" "$h_time" "$h_mem" "$h_all"
echo
awk -v s="$s_time" -v h="$h_time" -v sm="$s_mem" -v hm="$h_mem" 'BEGIN {
	if (s > 0 && h > 0) {
		if (h >= s) printf "satchel is %.1fx faster than Hugo\n", h / s
		else printf "satchel is %.1fx slower than Hugo\n", s / h
	}
	if (sm > 0 && hm > 0) {
		if (hm >= sm) printf "satchel uses %.1fx less memory than Hugo\n", hm / sm
		else printf "satchel uses %.1fx more memory than Hugo\n", sm / hm
	}
}'
echo "(pages are index.html files; satchel also writes paginated listings, 20 entries a page,"
echo " which the corpus's minimal Hugo layouts do not ask for. Last builds: $out/satchel-$runs"
echo " and $out/hugo-$runs)"
}
if [ -z "$history_only" ]; then
	builds
else
	logs=$dir/logs
	mkdir -p "$logs"
fi

# The history pass (issue 4): one walk over a repository of 10,000 content files and 20,000
# commits (scripts/make-history-repo.py writes it once with git fast-import), without the cache,
# --runs times each: as satchel runs by default (a long history split between two processes on a
# machine with two CPUs or more), with one process (-j 1), and over the same history repacked
# by `git repack -adf` (the packs a clone gets are made that way, with other delta chains).
hrepo=$dir/history-repo
if [ ! -d "$hrepo/.git" ] || [ "$root/scripts/make-history-repo.py" -nt "$hrepo/.git" ]; then
	rm -rf "$hrepo" "$hrepo-repacked"
	python3 "$root/scripts/make-history-repo.py" "$hrepo" --files 10000 --commits 20000
fi
if [ ! -d "$hrepo-repacked/.git" ]; then
	cp -r "$hrepo" "$hrepo-repacked.tmp" && git -C "$hrepo-repacked.tmp" repack -adfq &&
		mv "$hrepo-repacked.tmp" "$hrepo-repacked"
fi
# median FILE COLUMN: the median of a column of numbers.
median() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 }
	    END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# timed_runs LABEL CMD...: runs CMD --runs times; prints the median wall and CPU (user + system)
# seconds, the peak memory and every run's wall time.
timed_runs() {
	label=$1
	shift
	: >"$logs/history.times"
	n=0
	while [ $n -lt "$runs" ]; do
		if ! /usr/bin/time -f '%e %M %U %S' -a -o "$logs/history.times" "$@" >/dev/null 2>"$logs/history.err"; then
			echo "  $label: failed: $(tail -n 1 "$logs/history.err")"
			return
		fi
		n=$((n + 1))
	done
	awk '{ printf "%s %.2f\n", $0, $3 + $4 }' "$logs/history.times" >"$logs/history.cpu"
	hpeak=$(cut -d' ' -f2 "$logs/history.times" | sort -n | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')
	echo "  $label: median $(median "$logs/history.cpu" 1) s, $(median "$logs/history.cpu" 5) s CPU," \
		"peak $hpeak MiB (every run: $(cut -d' ' -f1 "$logs/history.times" | tr '\n' ' '))"
}
history_runs() { # label site [satchel options]
	label=$1 repo=$2
	shift 2
	timed_runs "$label" build/satchel history --no-cache -q "$@" -s "$repo"
}
# history_of SITE: the cache filled, then read; and git log over the same repository.
history_cached() {
	build/satchel history -q -s "$1" >/dev/null 2>&1
	timed_runs "with its cache (a rebuild at the same commit)" build/satchel history -q -s "$1"
	timed_runs "for comparison, git log --name-only" git -C "$1" log --name-only --format=%H
	# What satchel walks: the commits that touch content/, every branch's (no simplification).
	timed_runs "git log --name-only --full-history -- content" \
		git -C "$1" log --name-only --format=%H --full-history -- content
}
echo
echo "history pass, 10000 files and 20000 commits, no cache:"
history_runs "default jobs" "$hrepo"
history_runs "one process (-j 1)" "$hrepo" -j 1
history_runs "repacked, default jobs" "$hrepo-repacked"
history_cached "$hrepo"
if [ -n "$history_repo" ]; then
	echo
	echo "history pass of $history_repo: $(git -C "$history_repo" rev-list --count HEAD) commits," \
		"$(find "$history_repo/content" -type f | wc -l | tr -d ' ') files in content/, no cache:"
	history_runs "default jobs" "$history_repo"
	history_runs "one process (-j 1)" "$history_repo" -j 1
	history_cached "$history_repo"
fi
