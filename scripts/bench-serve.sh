#!/bin/sh
# Times satchel serve on the shared bench corpus (the one scripts/bench.sh builds, about 10,400
# pages by default) and prints the figures; a benchmark, not a timed test.
#
#   sh scripts/bench-serve.sh [--resources N] [--seed S] [--edits N] [--dir DIR]
#
# - first start: from starting `satchel serve` to its address being printed (its first build
#   done), as a user starts it (TMPDIR unset: in memory when a tmpfs has room) and with TMPDIR
#   on disk (DIR/serve-tmp), beside a full `satchel build -q` of the same site (after one
#   warm-up build);
# - body save: from writing one page's body to the reload event reaching a client of
#   /_satchel/events, --edits times (default 10); the median, the fastest and the slowest;
# - title in a listing: from changing the title of a page that its section's first listing
#   page shows to that listing page, fetched over HTTP, showing the new title; --edits times
#   (each after the last one's build), the median, the fastest and the slowest.
# The corpus is made as bench.sh makes it (kept in --dir, default bench-out/) and copied to a
# scratch site under DIR that the edits change; the corpus itself is never edited.
set -eu

resources=2000
seed=15
edits=10
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/bench-out

usage() {
	echo "usage: sh scripts/bench-serve.sh [--resources N] [--seed S] [--edits N] [--dir DIR]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $2 in '' | *[!0-9]*) [ "$1" = --dir ] || usage ;; esac
	case $1 in
	--resources) resources=$2 ;;
	--seed) seed=$2 ;;
	--edits) edits=$2 ;;
	--dir) dir=$2 ;;
	*) usage ;;
	esac
	shift 2
done

cd "$root"
command -v python3 >/dev/null 2>&1 || { echo "bench-serve: python3 is not installed" >&2; exit 1; }
make --no-print-directory build/satchel >/dev/null

. "$root/scripts/bench-corpus.sh"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bench_corpus bench-serve "$dir" "$resources" "$seed"

site=$dir/serve-site
disk_tmp=$dir/serve-tmp
rm -rf "$site" "$dir/serve-out" "$disk_tmp"
cp -a "$corpus" "$site"
mkdir -p "$disk_tmp"
nmd=$(find "$site/content" -name '*.md' ! -name '_index*' | wc -l | tr -d ' ')
echo "bench-serve: $nmd Markdown pages; $(nproc 2>/dev/null || echo '?') CPUs"

# A full build, after a warm-up one.
build/satchel build -s "$site" -o "$dir/serve-out" -q >/dev/null 2>&1 || true
rm -rf "$dir/serve-out"
t0=$(date +%s.%N)
build/satchel build -s "$site" -o "$dir/serve-out" -q >/dev/null 2>&1 ||
	{ echo "bench-serve: the corpus does not build" >&2; exit 1; }
t1=$(date +%s.%N)
rm -rf "$dir/serve-out" "$dir/.serve-out.satchel-images" "$dir/serve-out.satchel-manifest"
full=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')

pid=
trap 'if [ -n "$pid" ]; then kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; fi; rm -rf "$site" "$disk_tmp" "$dir/serve-disk.log" "$dir/serve-disk.log.err"' EXIT
# start_serve LOG [VAR=VALUE...]: starts satchel serve on the site with that environment (TMPDIR
# unset unless given); sets pid, url and first (seconds until its address was printed).
start_serve() {
	log=$1
	shift
	t0=$(date +%s.%N)
	env -u TMPDIR "$@" build/satchel serve -s "$site" -p 0 >"$log" 2>"$log.err" &
	pid=$!
	url=
	while [ -z "$url" ]; do
		kill -0 $pid 2>/dev/null || { cat "$log" "$log.err" >&2; exit 1; }
		url=$(grep -o 'http://[^ ]*/' "$log" 2>/dev/null | head -n 1 || true)
		[ -n "$url" ] || sleep 0.05
	done
	t1=$(date +%s.%N)
	first=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

# A first start with TMPDIR on disk (stopped at once), then one as a user starts it (TMPDIR
# unset: in memory when a tmpfs has room), which the edits below then use.
start_serve "$dir/serve-disk.log" TMPDIR="$disk_tmp"
first_disk=$first
kill -INT $pid
wait $pid || true
pid=
log=$dir/serve.log
start_serve "$log"
if grep -q '(in memory)$' "$log"; then
	first_label="first start (serve, in memory):"
else
	first_label="first start (serve, TMPDIR unset; NOT in memory: $(sed -n 's/^satchel serve: not enough memory/not enough memory/p' "$log" | head -n 1)):"
fi

python3 - "$url" "$site" "$edits" "$first" "$full" "$first_disk" "$first_label" <<'PY'
import http.client, os, re, statistics, sys, threading, time, urllib.parse, urllib.request

url, site, edits, first, full = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
first_disk, first_label = sys.argv[6], sys.argv[7]
u = urllib.parse.urlparse(url)

# An event-stream client: each build event's arrival time, in a list the edits wait on.
events, cond = [], threading.Condition()
def listen():
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("GET", "/_satchel/events")
    r = c.getresponse()
    for line in r:
        if line.startswith(b"data: "):
            with cond:
                events.append((time.monotonic(), b'"ok":true' in line))
                cond.notify_all()
threading.Thread(target=listen, daemon=True).start()
def wait_event(after):
    with cond:
        while len(events) <= after:
            if not cond.wait(timeout=600):
                sys.exit("bench-serve: no reload event in 10 minutes")
        return events[after]
with cond:  # the state sent on connecting
    while not events:
        cond.wait(timeout=30)

# One page of the first section, listed on the section's first listing page.
sec = sorted(d for d in os.listdir(os.path.join(site, "content"))
             if os.path.isdir(os.path.join(site, "content", d)))[0]
listing = urllib.request.urlopen(f"{url}en/{sec}/").read().decode()
slugs = re.findall(rf'href="/en/{sec}/([^/"]+)/"', listing)
page = next(os.path.join(site, "content", sec, s, "index.md") for s in slugs
            if os.path.exists(os.path.join(site, "content", sec, s, "index.md")))
text = open(page, encoding="utf-8").read()

times = []
for i in range(edits):
    n = len(events)
    t0 = time.monotonic()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text + f"\nEdit number {i} of the body.\n")
    t, ok = wait_event(n)
    if not ok:
        sys.exit("bench-serve: the edit failed the build")
    times.append(t - t0)

# Titles: each a new one, timed from the write to the listing page served with it; then the
# build's event is awaited so that the next change starts from a quiet server.
titles = []
for i in range(edits):
    new = f"Retitled for the benchmark {i} {int(time.time())}"
    n = len(events)
    t0 = time.monotonic()
    with open(page, "w", encoding="utf-8") as f:
        f.write(re.sub(r'^title: .*$', f'title: "{new}"', text, count=1, flags=re.M))
    while True:
        if new in urllib.request.urlopen(f"{url}en/{sec}/").read().decode():
            break
        if time.monotonic() - t0 > 600:
            sys.exit("bench-serve: the new title never showed in the listing")
        time.sleep(0.01)
    titles.append(time.monotonic() - t0)
    wait_event(n)
with open(page, "w", encoding="utf-8") as f:
    f.write(text)

ms = lambda s: f"{s * 1000:.0f} ms"
print()
print(f"{first_label:<40} {first} s   (to its address; target: no slower than a full build)")
print(f"{'first start (serve, TMPDIR on disk):':<40} {first_disk} s")
print(f"{'full build (satchel build -q):':<40} {full} s")
print(f"body save to reload event, median of {edits}: {ms(statistics.median(times))}"
      f"   (fastest {ms(min(times))}, slowest {ms(max(times))}; target 100 ms)")
print(f"title change to its listing page, median of {edits}: {ms(statistics.median(titles))}"
      f"   (fastest {ms(min(titles))}, slowest {ms(max(titles))}; target 1 s)")
print(f"(edited {os.path.relpath(page, site)}; listing /en/{sec}/)")
PY
