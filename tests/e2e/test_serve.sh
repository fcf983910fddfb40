#!/bin/sh
# satchel serve over HTTP (curl): media types, folders and 404 pages per language, paths that
# would leave the output (raw and encoded), the address it binds, drafts in the preview but
# not in a build, nothing written in the site, rebuilds after a save (an editor's litter and a
# commit included), what a build's event names (the saves it took in; the files it changed
# after a body save, a title shown in the section's listing, a save of the same bytes), an error
# shown to pages then cleared by the fix, and Ctrl-C removing the private folder. The
# browser's side is test_serve_browser.sh.
. "$(dirname "$0")/lib.sh"

# Private folders go here, not in the machine's /tmp.
TMPDIR=$T/tmp
export TMPDIR
mkdir -p "$TMPDIR"
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

S=$T/site
minisite "$S"
mkdir -p "$S/content/news/plans" "$S/static/files" "$S/static/img"
cat >"$S/content/news/plans/index.md" <<'MD'
---
title: "Plans not yet published"
date: 2025-04-01
draft: true
---
Draft body text.
MD
printf '%%PDF-1.4\n%%%%EOF\n' >"$S/static/files/guide.pdf"
printf 'wOF2fontbytes' >"$S/static/files/font.woff2"
printf '\000\000\000\030ftypmp42' >"$S/static/files/clip.mp4"
printf 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n' >"$S/static/files/clip.en.vtt"
printf '{"a": 1}\n' >"$S/static/files/data.json"
echo 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==' | base64 -d >"$S/static/img/dot.webp"
echo 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' |
	base64 -d >"$S/static/img/photo.png"
(cd "$S" && git init -q) && commit "$S" "A site"

# serve_start NAME [OPTIONS]: starts satchel serve on the site with a free port (through
# $SERVE_WRAP, a command it runs in, when set); sets URL, PID,
# PRIV (its private folder) and LOG (stdout; stderr is $LOG.err) once it answers.
serve_start() {
	LOG=$T/$1.out
	shift
	${SERVE_WRAP:-} "$SATCHEL" serve -s "$S" -p 0 "$@" >"$LOG" 2>"$LOG.err" &
	PID=$!
	PIDS="$PIDS $PID"
	URL=
	i=0
	while [ $i -lt 300 ]; do
		URL=$(grep -o 'http://[^ ]*/' "$LOG" 2>/dev/null | head -n 1)
		[ -n "$URL" ] && break
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.2
		i=$((i + 1))
	done
	PRIV=$(sed -n 's/.* into \(.*satchel-serve-[A-Za-z0-9]*\)\( (in memory)\)\{0,1\}$/\1/p' "$LOG" | head -n 1)
}
# serve_stop [SIGNAL]: stops it; sets RC to its exit status.
serve_stop() {
	kill -"${1:-INT}" "$PID" 2>/dev/null
	wait "$PID"
	RC=$?
}
status() { curl -s --path-as-is -o /dev/null -w '%{http_code}' "$@"; }
ctype() { curl -s -o /dev/null -w '%{content_type}' "$URL$1"; }
# wait_for SECONDS COMMAND...: retries the command until it succeeds.
wait_for() {
	n=$(($1 * 5))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
page_has() { curl -s "$URL$1" | grep -qF -- "$2"; }
rebuilds() { grep -c ': ok in \|error.* in ' "$LOG" "$LOG.err" | awk -F: '{ s += $NF } END { print s }'; }

# ---- usage ----
"$SATCHEL" serve --help >"$T/help" 2>&1 && contains "serve --help prints its usage" "$T/help" "usage: satchel serve [options]"
contains "serve --help says how to build on disk (TMPDIR)" "$T/help" "unless TMPDIR is set"
"$SATCHEL" serve --frobnicate >/dev/null 2>"$T/bad"
[ $? -eq 2 ] && ok "an unknown option is a usage error" || fail "an unknown option exits 2"
contains "an unknown option is named" "$T/bad" "unknown option '--frobnicate'"

serve_start one
if [ -z "$URL" ]; then
	cat "$LOG" "$LOG.err"
	fail "satchel serve starts and prints its address"
	finish
	exit 1
fi
ok "satchel serve starts and prints its address"
if grep -q 'first build: ok' "$LOG"; then ok "the first build succeeds"; else
	fail "the first build fails: $(cat "$LOG.err")"; fi
case $URL in http://127.0.0.1:*) ok "it listens on 127.0.0.1 by default" ;; *) fail "default address: $URL" ;; esac
PORT=${URL#http://127.0.0.1:}
PORT=${PORT%/}
case $PRIV in "$TMPDIR"/satchel-serve-*) ok "it builds into a private folder under \$TMPDIR" ;; *) fail "private folder: '$PRIV'" ;; esac
exists "the private folder exists while it runs" "$PRIV/site/en/index.html"

# ---- media types ----
# satchel re-encodes SVG and icons as raster images: these two are put in the output directly.
mkdir -p "$PRIV/site/x"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$PRIV/site/x/logo.svg"
printf '\000\000\001\000' >"$PRIV/site/x/favicon.ico"
for pair in "en/|text/html; charset=utf-8" "css/satchel.css|text/css; charset=utf-8" \
	"js/satchel.js|text/javascript; charset=utf-8" "files/data.json|application/json" \
	"sitemap.xml|application/xml" "en/index.xml|application/rss+xml" \
	"en/atom.xml|application/atom+xml" "img/photo.png|image/png" "img/dot.webp|image/webp" "x/logo.svg|image/svg+xml" "x/favicon.ico|image/x-icon" "files/guide.pdf|application/pdf" "files/font.woff2|font/woff2" \
	"files/clip.mp4|video/mp4" "files/clip.en.vtt|text/vtt; charset=utf-8" \
	"en/guidance/assessment/form.txt|text/plain; charset=utf-8"; do
	path=${pair%%|*} want=${pair#*|}
	got=$(ctype "$path")
	[ "$got" = "$want" ] && ok "media type of /$path is $want" || fail "media type of /$path: '$got', not '$want'"
done
curl -sD "$T/h1" -o /dev/null "${URL}en/"
if grep -qi '^Cache-Control: no-store' "$T/h1"; then ok "served files are not cached"; else fail "no Cache-Control: no-store"; fi

# ---- folders, 404, HEAD ----
curl -sD "$T/h2" -o /dev/null "${URL}en/guidance"
if head -n 1 "$T/h2" | grep -q ' 301' && grep -qi '^Location: /en/guidance/' "$T/h2"; then
	ok "/dir redirects to /dir/"
else fail "/dir does not redirect to /dir/ ($(head -n 1 "$T/h2"))"; fi
[ "$(status "${URL}en/guidance/")" = 200 ] && ok "/dir/ serves its index.html" || fail "/dir/ is not served"
[ "$(status "${URL}css/")" = 404 ] && ok "a folder without index.html is a 404" || fail "a folder without index.html answers $(status "${URL}css/")"
curl -s "${URL}css/" >"$T/css"
contains "no folder listing: the 404 page instead" "$T/css" 'data-file="404.html"'
lacks "no folder listing: no file named" "$T/css" "satchel.css<"
[ "$(status "${URL}bg/no-such-page/")" = 404 ] && ok "a missing page is status 404" || fail "missing page status"
curl -s "${URL}bg/no-such-page/" >"$T/404bg"
contains "a missing page under /bg/ gets the Bulgarian 404 page" "$T/404bg" 'lang="bg"'
curl -s "${URL}ar/nothing" >"$T/404ar"
contains "a missing page under /ar/ gets the Arabic 404 page" "$T/404ar" 'lang="ar" dir="rtl"'
curl -s "${URL}no-language/here" >"$T/404root"
contains "a missing page elsewhere gets the root 404 page" "$T/404root" 'data-file="404.html"'
curl -s "${URL}en/guidance/assessment/index.html/" -o /dev/null -w '%{http_code}' >"$T/fileslash"
contains "a file with a trailing slash is a 404" "$T/fileslash" 404
curl -sI "${URL}en/" >"$T/head"
if head -n 1 "$T/head" | grep -q ' 200' && grep -qi '^Content-Length: [1-9]' "$T/head"; then ok "HEAD answers with headers"; else fail "HEAD"; fi
[ "$(curl -s -X POST -o /dev/null -w '%{http_code}' "${URL}en/")" = 405 ] && ok "POST is refused (405)" || fail "POST is not refused"

# ---- the reload script: in served pages, not in the built output ----
curl -s "${URL}en/guidance/assessment/" >"$T/page"
contains "served pages load the reload script" "$T/page" '<script src="/_satchel/reload.js" data-token="'
contains "the script knows the page's file" "$T/page" 'data-file="en/guidance/assessment/index.html"'
lacks "the built output does not hold the script tag" "$PRIV/site/en/guidance/assessment/index.html" "_satchel"
[ "$(ctype _satchel/reload.js)" = "text/javascript; charset=utf-8" ] && ok "the reload script is served" || fail "reload script"
curl -s "${URL}_satchel/reload.js" >"$T/reload.js"
lacks "the reload script makes no outside request" "$T/reload.js" "http"

# ---- paths that would leave the output ----
echo "secret" >"$PRIV/secret.txt"
ln -s /etc/passwd "$PRIV/site/en/passwd.txt"
ln -s "$PRIV" "$PRIV/site/en/up"
for p in "../secret.txt" "en/../../secret.txt" "%2e%2e/secret.txt" "%2E%2E/secret.txt" \
	"en/%2e%2e/%2e%2e/secret.txt" "..%2fsecret.txt" "en%2f..%2f..%2fsecret.txt" \
	"..%5csecret.txt" "en\\..\\..\\secret.txt" "en/%00/../../secret.txt" "en/index.html%00.txt" \
	"./en/" "en//guidance/" "%2e/en/" "en/%2E%2e/" "%252e%252e/secret.txt" "en/passwd.txt" \
	"en/up/secret.txt" "en/up/"; do
	code=$(status "$URL$p")
	body=$(curl -s --path-as-is "$URL$p")
	case "$code:$body" in
	200:* | *secret* | *root:*) fail "/$p is served ($code)" ;;
	*) ok "/$p is refused ($code)" ;;
	esac
done
[ "$(status "${URL}%2e%2e/secret.txt")" = 400 ] && ok "an encoded .. is a 400" || fail "encoded .. status"
[ "$(status -H 'Host: evil.example' "${URL}en/")" = 403 ] && ok "another Host is refused (DNS rebinding)" || fail "Host check"
[ "$(status -H "Host: localhost:$PORT" "${URL}en/")" = 200 ] && ok "localhost:PORT is answered" || fail "localhost host"

# ---- the address ----
if curl -s -m 3 -o /dev/null "http://127.0.0.2:$PORT/"; then fail "answers on 127.0.0.2 too"; else ok "nothing answers on 127.0.0.2"; fi
if curl -s -m 3 -o /dev/null -g "http://[::1]:$PORT/"; then fail "answers on ::1 too"; else ok "nothing answers on ::1"; fi

# ---- drafts ----
curl -s "${URL}en/news/plans/" >"$T/draft"
contains "a draft is served in the preview" "$T/draft" "Draft body text."
contains "with the draft banner" "$T/draft" 'class="draft-banner"'
"$SATCHEL" build -s "$S" -o "$T/built" -q 2>/dev/null
absent "satchel build leaves the draft out" "$T/built/en/news/plans/index.html"
rm -rf "$T/built"

# ---- a port that is taken ----
"$SATCHEL" serve -s "$S" -p "$PORT" >"$T/taken.out" 2>"$T/taken.err"
[ $? -eq 1 ] && ok "a port in use is an error" || fail "a port in use does not fail"
contains "the error says the port is in use" "$T/taken.err" "port $PORT on 127.0.0.1 is in use"

# ---- rebuilds ----
PAGE=$S/content/guidance/assessment/index.md
sed 's/Who takes part/Who takes part today/' "$PAGE" >"$PAGE.new" && cat "$PAGE.new" >"$PAGE" && rm "$PAGE.new"
if wait_for 60 page_has en/guidance/assessment/ "Who takes part today"; then ok "a save is rebuilt and served"; else fail "a save is not rebuilt"; fi
contains "the terminal names the saved file" "$LOG" "content/guidance/assessment/index.md: ok in"

# An editor's atomic save: a temporary file renamed onto the page; and vim's litter.
n0=$(rebuilds)
python3 - "$PAGE" <<'PY'
import os, sys
page = sys.argv[1]
d = os.path.dirname(page)
text = open(page).read().replace("Who takes part today", "Who takes part (renamed)")
for litter in ("4913", ".index.md.swp", "index.md~"):
    open(os.path.join(d, litter), "w").close()
os.remove(os.path.join(d, "4913"))
tmp = os.path.join(d, ".index.md.tmp123")
with open(tmp, "w") as f:
    f.write(text)
os.rename(tmp, page)
PY
if wait_for 60 page_has en/guidance/assessment/ "Who takes part (renamed)"; then ok "a save by rename is rebuilt"; else fail "a save by rename"; fi
sleep 1
n1=$(rebuilds)
[ "$n1" -eq $((n0 + 1)) ] && ok "one rebuild for one save" || fail "a save gave $((n1 - n0)) rebuilds"
lacks "the temporary file is not named as a change" "$LOG" ".index.md.tmp123"
touch "$S/content/guidance/assessment/.index.md.swp" "$S/content/guidance/assessment/index.md~"
echo x >"$S/content/guidance/assessment/4913"
rm -f "$S/content/guidance/assessment/"*~ "$S/content/guidance/assessment/.index.md.swp" \
	"$S/content/guidance/assessment/4913"
echo x >"$S/public-notes.txt"
sleep 1.5
rm -f "$S/public-notes.txt"
touch "$S/content/guidance/assessment/.index.md.swp" "$S/content/guidance/assessment/index.md~" \
	"$S/content/guidance/assessment/#index.md#"
if "$SATCHEL" build -s "$S" -o "$T/built2" -q 2>"$T/litter.err"; then ok "an editor's swap file and backup are not the site's"; else
	fail "editor litter fails a build: $(head -n 1 "$T/litter.err")"; fi
absent "a swap file is not published" "$T/built2/en/guidance/assessment/.index.md.swp"
rm -rf "$T/built2" "$S/content/guidance/assessment/.index.md.swp" "$S/content/guidance/assessment/index.md~" \
	"$S/content/guidance/assessment/#index.md#"
[ "$(rebuilds)" -eq "$n1" ] && ok "swap files, backups, vim's 4913 and other top-level files are no change" ||
	fail "editor litter rebuilt the site"

# A new folder with a page in it.
mkdir -p "$S/content/guidance/new-one"
printf -- '---\ntitle: "Brand new guidance"\ndate: 2025-05-01\n---\nFresh.\n' >"$S/content/guidance/new-one/index.md"
if wait_for 60 page_has en/guidance/new-one/ "Fresh."; then ok "a page in a new folder is built"; else fail "a page in a new folder"; fi

# A commit (HEAD's branch moves): the site is rebuilt.
n2=$(rebuilds)
commit "$S" "More" 2025-06-01T10:00:00Z
if wait_for 60 sh -c "[ \$(grep -c 'everything: ok in' '$LOG') -ge 1 ]"; then ok "a commit rebuilds the site"; else fail "a commit is not seen"; fi

# ---- what a build's event names: the saves it took in ("saved"), the files it changed ----
# (pages reload on "changed"; a client knows its own save's rebuild by "saved").
curl -sN -m 300 "${URL}_satchel/events" >"$T/ev2" &
EV2=$!
PIDS="$PIDS $EV2"
SAVED='"saved":["content/guidance/assessment/index.md"]'
# saved_events: how many events so far name the page's save alone.
saved_events() { grep -cF -- "$SAVED" "$T/ev2"; }
wait_for 30 grep -q '"ok":true' "$T/ev2" # the current state, sent on connecting
n0=$(saved_events)
printf '\nBring the case file along.\n' >>"$PAGE"
if wait_for 60 sh -c "[ \$(grep -cF -- '$SAVED' '$T/ev2') -gt $n0 ]"; then ok "a body save's event names the saved file"; else
	fail "no event names content/guidance/assessment/index.md as saved: $(tail -c 600 "$T/ev2")"; fi
grep -F -- "$SAVED" "$T/ev2" | tail -n 1 >"$T/ev-body"
contains "a body save's event is a good build" "$T/ev-body" '"ok":true'
contains "a body save's event names the page's file as changed" "$T/ev-body" '"en/guidance/assessment/index.html"'
lacks "a body save's event does not name an unrelated page" "$T/ev-body" '"en/tools/checklist/index.html"'
lacks "a body save's event does not name the section's listing" "$T/ev-body" '"en/guidance/index.html"'
if page_has en/guidance/assessment/ "Bring the case file along."; then ok "the page is served with the new text"; else
	fail "the page is not served with the new text"; fi
# A title: the pages that show it change too, the section's listing among them.
n1=$(saved_events)
sed 's/^title: "Individual assessment"$/title: "Individual assessment, step by step"/' "$PAGE" >"$PAGE.new" &&
	cat "$PAGE.new" >"$PAGE" && rm "$PAGE.new"
if wait_for 60 sh -c "[ \$(grep -cF -- '$SAVED' '$T/ev2') -gt $n1 ]"; then ok "a title save's event names the saved file"; else
	fail "no event for the title save: $(tail -c 600 "$T/ev2")"; fi
grep -F -- "$SAVED" "$T/ev2" | tail -n 1 >"$T/ev-title"
contains "a title save's event names the section's listing as changed" "$T/ev-title" '"en/guidance/index.html"'
contains "a title save's event names the page as changed" "$T/ev-title" '"en/guidance/assessment/index.html"'
if page_has en/guidance/ "Individual assessment, step by step"; then ok "the listing page is served with the new title"; else
	fail "the listing page does not show the new title"; fi
# Saved with the same bytes: a build that changed nothing says so (no page reloads), not "unknown".
n2=$(saved_events)
cat "$PAGE" >"$T/same" && cat "$T/same" >"$PAGE"
if wait_for 60 sh -c "[ \$(grep -cF -- '$SAVED' '$T/ev2') -gt $n2 ]"; then ok "a save of the same bytes is rebuilt"; else
	fail "no event for a save of the same bytes"; fi
grep -F -- "$SAVED" "$T/ev2" | tail -n 1 >"$T/ev-same"
contains "a build that changed nothing names no file (not null: every page would reload)" "$T/ev-same" '"changed":[]'
kill "$EV2" 2>/dev/null
ne=$(grep -c 'everything: ok in' "$LOG")
commit "$S" "Edits seen by serve" 2025-06-02T10:00:00Z
wait_for 60 sh -c "[ \$(grep -c 'everything: ok in' '$LOG') -gt $ne ]" || fail "the second commit is not rebuilt"

# ---- an error, shown to pages, then fixed ----
curl -sN -m 120 "${URL}_satchel/events" >"$T/events" &
EV=$!
PIDS="$PIDS $EV"
sleep 1
CHK=$S/content/tools/checklist/index.md
cp "$CHK" "$T/checklist.good"
printf -- '---\ntitle: "Assessment checklist"\n---\nSee [out](../../../../../<script>alert("q")</script>%ss.md).\n' "'" >"$CHK"
if wait_for 60 grep -q '"ok":false' "$T/events"; then ok "a failed build is sent to pages"; else fail "no failed build event"; fi
contains "the event names the file and line" "$T/events" '"path":"content/tools/checklist/index.md","line":4'
contains "the message is escaped in the event" "$T/events" '\u003cscript\u003ealert(\"q\")\u003c/script\u003e'
lacks "no raw <script> in the event" "$T/events" "<script>alert"
contains "the terminal shows file:line: error" "$LOG.err" "content/tools/checklist/index.md:4: error: link '../../../../../<script>alert(\"q\")</script>'s.md' leads out of the site"
[ "$(status "${URL}en/tools/checklist/")" = 200 ] && ok "the last good build is still served" || fail "the last good build is not served"
cp "$T/checklist.good" "$CHK"
if wait_for 60 sh -c "tail -n 2 '$T/events' | grep -q '\"ok\":true'"; then ok "the fix is sent to pages"; else fail "no good build after the fix"; fi
kill "$EV" 2>/dev/null

# ---- nothing written in the site ----
(cd "$S" && git status --porcelain --ignored) >"$T/status"
if [ ! -s "$T/status" ]; then ok "nothing is written in the site's folder"; else
	fail "the site's folder changed: $(head -n 3 "$T/status")"; fi
absent "no public/ in the site" "$S/public"

# ---- Ctrl-C ----
serve_stop INT
[ "$RC" = 0 ] && ok "Ctrl-C exits 0" || fail "Ctrl-C exit status $RC"
absent "Ctrl-C removes the private folder" "$PRIV"
contains "it says so" "$LOG" "stopped; $PRIV removed"
if grep -q 'Sanitizer\|LeakSanitizer' "$LOG.err"; then fail "sanitizer report: $(grep -m 1 Sanitizer "$LOG.err")"; else ok "no sanitizer report"; fi

# ---- --bind, SIGTERM, and a stale private folder ----
mkdir -p "$TMPDIR/satchel-serve-stale1/site"
: >"$TMPDIR/satchel-serve-stale1/.lock"
serve_start two --bind 127.0.0.2 -q
case $URL in http://127.0.0.2:*) ok "--bind 127.0.0.2 listens there" ;; *) fail "--bind: $URL" ;; esac
P2=${URL#http://127.0.0.2:}
P2=${P2%/}
[ "$(status "${URL}en/")" = 200 ] && ok "it answers on 127.0.0.2" || fail "no answer on 127.0.0.2"
if curl -s -m 3 -o /dev/null "http://127.0.0.1:$P2/"; then fail "answers on 127.0.0.1 too"; else ok "nothing answers on 127.0.0.1"; fi
absent "a stale private folder (its lock free) is removed" "$TMPDIR/satchel-serve-stale1"
lacks "-q prints no rebuild line" "$LOG" "first build: ok"
serve_stop TERM
[ "$RC" = 0 ] && ok "SIGTERM exits 0" || fail "SIGTERM exit status $RC"
absent "SIGTERM removes the private folder" "$PRIV"

# ---- a site that does not build at first ----
cp "$S/site.yaml" "$T/site.yaml.good"
printf 'title: "Test hub\n' >"$S/site.yaml"
serve_start three
contains "a first build that fails is reported" "$LOG.err" "site.yaml:"
[ "$(status "${URL}en/")" = 503 ] && ok "before any good build pages answer 503" || fail "no good build: $(status "${URL}en/")"
curl -s "${URL}en/" >"$T/503"
contains "with the reload script, to show the errors" "$T/503" "/_satchel/reload.js"
curl -sN -m 3 "${URL}_satchel/events" >"$T/events3"
contains "the event stream says the build failed" "$T/events3" '"ok":false,"token":null'
cp "$T/site.yaml.good" "$S/site.yaml"
if wait_for 60 sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '${URL}en/') = 200 ]"; then
	ok "fixing site.yaml builds and serves the site"; else fail "site.yaml fixed, still not served"; fi
serve_stop INT

# ---- where the private folder goes without $TMPDIR: a memory file system ----
# (the first build of thousands of pages writes thousands of files: far cheaper in tmpfs)
ON_DISK_TMPDIR=$TMPDIR
unset TMPDIR
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ]; then
	XDG=$(mktemp -d /dev/shm/satchel-e2e-xdg.XXXXXX)
	trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T" "$XDG"' EXIT
	XDG_RUNTIME_DIR=$XDG
	export XDG_RUNTIME_DIR
	mkdir -p "$XDG/satchel-serve-stale2/site"
	: >"$XDG/satchel-serve-stale2/.lock"
	serve_start mem
	case $PRIV in "$XDG"/satchel-serve-*) ok "without \$TMPDIR it builds under \$XDG_RUNTIME_DIR (a tmpfs)" ;;
	*) fail "without \$TMPDIR, private folder '$PRIV' is not under $XDG" ;; esac
	contains "it says the build is in memory" "$LOG" "into $PRIV (in memory)"
	[ "$(status "${URL}en/")" = 200 ] && ok "the build in memory is served" || fail "the build in memory is not served"
	absent "a stale private folder under \$XDG_RUNTIME_DIR is removed" "$XDG/satchel-serve-stale2"
	serve_stop INT
	[ "$RC" = 0 ] && ok "Ctrl-C exits 0 (in memory)" || fail "Ctrl-C exit status $RC (in memory)"
	absent "Ctrl-C removes the private folder in memory" "$PRIV"

	# $TMPDIR, when set, wins: the user chose.
	TMPDIR=$ON_DISK_TMPDIR
	export TMPDIR
	serve_start tmpdir-wins
	case $PRIV in "$TMPDIR"/satchel-serve-*) ok "\$TMPDIR wins over \$XDG_RUNTIME_DIR" ;;
	*) fail "with \$TMPDIR set, private folder '$PRIV'" ;; esac
	if [ "$(stat -f -c %T "$TMPDIR")" != tmpfs ]; then
		lacks "a \$TMPDIR on disk is not called memory" "$LOG" "(in memory)"
	fi
	serve_stop INT
	absent "Ctrl-C removes it" "$PRIV"
	unset TMPDIR

	# An $XDG_RUNTIME_DIR on disk is not used: /dev/shm or /tmp instead.
	if [ "$(stat -f -c %T "$T")" != tmpfs ]; then
		XDG_RUNTIME_DIR=$T/xdg-disk
		mkdir -p "$XDG_RUNTIME_DIR"
		serve_start xdg-disk
		case $PRIV in
		/dev/shm/satchel-serve-* | /tmp/satchel-serve-*) ok "an \$XDG_RUNTIME_DIR on disk is not used (/dev/shm or /tmp instead)" ;;
		*) fail "with \$XDG_RUNTIME_DIR on disk, private folder '$PRIV'" ;; esac
		serve_stop INT
		absent "Ctrl-C removes that private folder" "$PRIV"
	else
		echo "note: $T is a tmpfs; the \$XDG_RUNTIME_DIR-on-disk test is skipped"
	fi
	unset XDG_RUNTIME_DIR
	rm -rf "$XDG"
else
	echo "note: /dev/shm is not a writable tmpfs; the memory tests are skipped"
fi
TMPDIR=$ON_DISK_TMPDIR
export TMPDIR

# ---- a full memory file system: a build error like any other, and serve keeps running ----
# A 1 MiB tmpfs as $TMPDIR, mounted in a mount namespace of serve's own (root only).
SMALL=$T/small
mkdir -p "$SMALL"
if unshare -m sh -c 'mount -t tmpfs -o size=1m tmpfs "$1"' sh "$SMALL" 2>/dev/null; then
	printf '%s\n' 'd=$1' 'shift' 'mount -t tmpfs -o size=1m tmpfs "$d" && exec "$@"' >"$T/in-small.sh"
	SERVE_WRAP="unshare -m sh $T/in-small.sh $SMALL"
	TMPDIR=$SMALL
	serve_start full
	SERVE_WRAP=
	TMPDIR=$ON_DISK_TMPDIR
	if grep -q 'first build: ok' "$LOG"; then ok "a site builds in a 1 MiB tmpfs"; else fail "the first build in a 1 MiB tmpfs: $(head -n 3 "$LOG.err")"; fi
	curl -sN -m 60 "${URL}_satchel/events" >"$T/events-full" &
	EVF=$!
	PIDS="$PIDS $EVF"
	wait_for 30 grep -q '"ok":true' "$T/events-full"
	head -c 3000000 /dev/zero >"$S/static/files/big.bin"
	if wait_for 60 grep -q '"ok":false' "$T/events-full"; then ok "a build that fills the file system is a failed build for pages"; else
		fail "no failed build event when the file system is full"; fi
	contains "the terminal says: file: error: cannot write: No space left on device" "$LOG.err" ": error: cannot write: No space left on device"
	contains "the event says it too" "$T/events-full" 'cannot write: No space left on device'
	contains "the terminal says where the room ran out and what to do" "$LOG.err" "satchel: error: $PRIV is full (it is in memory); free some room, or start satchel serve again with TMPDIR set to a folder on disk"
	contains "so does the event, for the page" "$T/events-full" '"path":null,"line":0,"col":0,"error":true,"text":"'"$PRIV"' is full (it is in memory)'
	[ "$(status "${URL}en/")" = 200 ] && ok "the last good build is still served after ENOSPC" || fail "not served after ENOSPC"
	rm -f "$S/static/files/big.bin"
	if wait_for 60 sh -c "tail -n 2 '$T/events-full' | grep -q '\"ok\":true'"; then ok "removing the big file builds again"; else
		fail "no good build after removing the big file"; fi
	kill "$EVF" 2>/dev/null
	serve_stop INT
	[ "$RC" = 0 ] && ok "Ctrl-C exits 0 after ENOSPC" || fail "Ctrl-C exit status $RC after ENOSPC"
	if grep -q 'Sanitizer' "$LOG.err"; then fail "sanitizer report: $(grep -m 1 Sanitizer "$LOG.err")"; else ok "no sanitizer report after ENOSPC"; fi

	# A memory file system without room for the output (4x content/ and static/, and 256 MiB)
	# is passed over: a small $XDG_RUNTIME_DIR for /dev/shm; both small, /tmp, said in a line.
	unset TMPDIR
	XDG_RUNTIME_DIR=$SMALL
	export XDG_RUNTIME_DIR
	SERVE_WRAP="unshare -m sh $T/in-small.sh $SMALL"
	serve_start small-xdg
	case $PRIV in /dev/shm/satchel-serve-*) ok "a small \$XDG_RUNTIME_DIR is passed over for /dev/shm" ;;
	*) [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && fail "with a small \$XDG_RUNTIME_DIR, private folder '$PRIV'" ;; esac
	serve_stop INT
	absent "Ctrl-C removes it" "$PRIV"
	printf '%s\n' 'd=$1' 'shift' 'mount -t tmpfs -o size=1m tmpfs "$d" && mount -t tmpfs -o size=1m tmpfs /dev/shm && exec "$@"' >"$T/in-small2.sh"
	SERVE_WRAP="unshare -m sh $T/in-small2.sh $SMALL"
	serve_start small-both
	SERVE_WRAP=
	case $PRIV in /tmp/satchel-serve-*) ok "no memory file system with room: it builds in /tmp" ;;
	*) fail "no room in memory, private folder '$PRIV'" ;; esac
	contains "and says so in one line" "$LOG" "satchel serve: not enough memory for the output in $SMALL (1 MiB free, "
	lacks "not called memory" "$LOG" "(in memory)"
	grep -q 'first build: ok' "$LOG" && ok "it builds there" || fail "the build in /tmp: $(head -n 3 "$LOG.err")"
	serve_stop INT
	absent "Ctrl-C removes it" "$PRIV"
	unset XDG_RUNTIME_DIR
	TMPDIR=$ON_DISK_TMPDIR
	export TMPDIR
else
	echo "note: cannot mount a tmpfs in a mount namespace (not root?); the ENOSPC test is skipped"
fi

# A folder past the watch limit: its saves are not seen, and a build that a seen save starts
# reads every file again (the engine otherwise takes the files not saved from its last run).
SATCHEL_UNWATCHED=content/tools/checklist
export SATCHEL_UNWATCHED
serve_start unwatched
unset SATCHEL_UNWATCHED
contains "the folder past the limit is named" "$LOG.err" "too many folders for fs.inotify.max_user_watches"
sed -i 's/^title: .*/title: "A title saved where nobody watches"/' "$S/content/tools/checklist/index.md"
sleep 1
printf '\nA sentence saved where serve watches.\n' >>"$S/content/guidance/assessment/index.md"
wait_for 30 page_has en/guidance/assessment/ "A sentence saved where serve watches" &&
	ok "a save in a watched folder is built" || fail "the watched save: $(tail -n 3 "$LOG")"
page_has en/tools/checklist/ "A title saved where nobody watches" &&
	ok "and that build took in the save it did not see" || fail "the unseen save was lost"
serve_stop INT
git -C "$S" checkout -q -- content
finish
