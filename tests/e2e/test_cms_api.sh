#!/bin/sh
# The browser editor's local backend: satchel serve answering Decap CMS's proxy protocol at
# POST /api/v1 on a copy of the demo hub in a fresh git repository. A guidance page and its
# Bulgarian translation saved with an image in one persistEntry become the files a partner
# writes by hand (index.md, index.bg.md, the image beside), in one commit by the configured
# author with Decap's message; a later save of the translation alone sets translated_from; the
# result checks with no warning and is served in both languages; paths with .., links, types
# the build refuses, another Host or Origin are refused.
. "$(dirname "$0")/lib.sh"

TMPDIR=$T/tmp
export TMPDIR
mkdir -p "$TMPDIR"
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

S=$T/site
mkdir -p "$S"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$S/"
sed -i '/^offline:/d' "$S/site.yaml"
(cd "$S" && git init -q) && commit "$S" "Demo hub"
printf 'uncommitted\n' >"$S/static/notes.txt" # someone's work in progress: left alone

"$SATCHEL" serve -s "$S" -p 0 >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
PIDS="$PID"
URL=
i=0
while [ $i -lt 600 ]; do
	URL=$(grep -o 'http://[^ ]*/' "$T/serve.out" 2>/dev/null | head -n 1)
	[ -n "$URL" ] && break
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
if [ -z "$URL" ]; then
	cat "$T/serve.err"
	fail "satchel serve starts"
	finish
	exit 1
fi
API=${URL}api/v1
api() { python3 "$ROOT/tests/e2e/cmsapi_client.py" "$API" "$@"; }
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
rebuilds() { grep -c ': ok in ' "$T/serve.out"; }

# ---- info and reading ----
api info '{}' >"$T/info"
contains "info says a local git backend" "$T/info" '200 {"repo":"site","publish_modes":["simple"],"type":"local_git"}'
api entriesByFolder '{"branch":"main","folder":"content/guidance","extension":"md","depth":2}' >"$T/list"
contains "index.md is listed as index.en.md" "$T/list" '"path":"content/guidance/individual-assessment/index.en.md"'
contains "translations are listed as they are" "$T/list" '"path":"content/guidance/individual-assessment/index.bg.md"'
grep -o '"path":"[^"]*"' "$T/list" >"$T/paths"
lacks "a section's _index.md is not an entry" "$T/paths" '_index'
[ "$(grep -c . "$T/paths")" -eq "$(ls "$S"/content/guidance/*/index*.md | wc -l)" ] && ok "every page file of the section is listed" || fail "listed $(grep -c . "$T/paths") files"
lacks "index.md itself is not listed" "$T/list" 'individual-assessment/index.md"'
SHA=$(sha256sum "$S/content/guidance/individual-assessment/index.md" | cut -d' ' -f1)
contains "file.id is the content's SHA-256" "$T/list" "\"id\":\"$SHA\""
api getEntry '{"branch":"main","path":"content/guidance/individual-assessment/index.en.md"}' >"$T/get"
contains "getEntry of index.en.md reads index.md" "$T/get" 'Individual assessment of children in criminal proceedings'
api getDeployPreview '{"branch":"main","collection":"guidance","slug":"x"}' >"$T/dp"
contains "getDeployPreview is null" "$T/dp" '200 null'
api frobnicate '{}' >"$T/unk"
contains "an unknown action is 422" "$T/unk" '422 {"error":"Unknown action frobnicate"}'

# ---- a page, its translation and an image in one save ----
PNG=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
EN='---\ntitle: Talking with a child witness\ndate: 2025-05-02\nsummary: How to prepare and hold an interview with a child witness.\n---\nKeep it short.\n\n![A quiet interview room](room.png)\n'
BG='---\ntitle: Разговор с дете свидетел\ndate: 2025-05-02\nsummary: Как да се подготви и проведе разговор с дете свидетел.\n---\nКратко.\n\n![Тиха стая за разговор](room.png)\n'
n0=$(rebuilds)
api persistEntry "{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"child-witness\",\"path\":\"content/guidance/child-witness/index.en.md\",\"raw\":\"$EN\"},{\"slug\":\"child-witness\",\"path\":\"content/guidance/child-witness/index.bg.md\",\"raw\":\"$BG\"}],\"assets\":[{\"path\":\"content/guidance/child-witness/room.png\",\"content\":\"$PNG\",\"encoding\":\"base64\"}],\"options\":{\"commitMessage\":\"Create Guidance \\u201cchild-witness\\u201d\\nsecond line\",\"useWorkflow\":false,\"status\":\"\"}}" >"$T/save1"
contains "persistEntry answers as decap-server" "$T/save1" '200 {"message":"entry persisted"}'
P=$S/content/guidance/child-witness
exists "the default language is written as index.md" "$P/index.md"
absent "no index.en.md" "$P/index.en.md"
exists "the translation is index.bg.md" "$P/index.bg.md"
exists "the image is beside" "$P/room.png"
if printf '%s' "$PNG" | base64 -d | cmp -s - "$P/room.png"; then ok "the image's bytes"; else fail "the image's bytes"; fi
printf '%b' "$EN" | cmp -s - "$P/index.md" && ok "index.md holds what the editor sent" || fail "index.md content"
lacks "a translation saved with its source has no translated_from" "$P/index.bg.md" "translated_from"
(cd "$S" && git log -1 --format='%an <%ae>|%cn|%s|%P' && git show --name-only --format= HEAD) >"$T/log1"
contains "one commit by the configured author" "$T/log1" "Ana Editor <ana@example.org>|Ana Editor|Create Guidance “child-witness”|"
contains "the commit holds index.md" "$T/log1" "content/guidance/child-witness/index.md"
contains "the commit holds index.bg.md" "$T/log1" "content/guidance/child-witness/index.bg.md"
contains "the commit holds the image" "$T/log1" "content/guidance/child-witness/room.png"
[ "$(wc -l <"$T/log1")" -eq 4 ] && ok "the commit holds those three files only" || fail "commit files: $(cat "$T/log1")"
[ "$(cd "$S" && git rev-list --count HEAD)" -eq 2 ] && ok "one save is one commit" || fail "commits: $(cd "$S" && git rev-list --count HEAD)"
(cd "$S" && git status --porcelain) >"$T/status1"
[ "$(cat "$T/status1")" = "?? static/notes.txt" ] && ok "git status is clean but for the other work" || fail "git status: $(cat "$T/status1")"
if wait_for 60 page_has en/guidance/child-witness/ "Talking with a child witness"; then ok "the preview rebuilds with the page"; else fail "the page is not served"; fi
if wait_for 60 page_has bg/guidance/child-witness/ "Разговор с дете свидетел"; then ok "and its Bulgarian translation"; else fail "the bg page is not served"; fi
sleep 1
n1=$(rebuilds)
[ $((n1 - n0)) -eq 1 ] && ok "a save (files and commit) is one rebuild" || fail "a save rebuilt $((n1 - n0)) times"
api getEntry '{"branch":"main","path":"content/guidance/child-witness/index.en.md"}' >"$T/get2"
contains "the new page reads back under index.en.md" "$T/get2" 'Talking with a child witness'

# ---- the translation alone: translated_from ----
SRC=$(cd "$S" && git rev-parse HEAD)
BG2='---\ntitle: Разговор с дете свидетел\ndate: 2025-05-02\nsummary: Как да се подготви и проведе разговор с дете-свидетел.\n---\nКратко и ясно.\n\n![Тиха стая за разговор](room.png)\n'
api persistEntry "{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"child-witness\",\"path\":\"content/guidance/child-witness/index.bg.md\",\"raw\":\"$BG2\"}],\"assets\":[],\"options\":{\"commitMessage\":\"Update Guidance “child-witness”\",\"useWorkflow\":false,\"status\":\"\"}}" >"$T/save2"
contains "the translation is saved" "$T/save2" '200 {"message":"entry persisted"}'
contains "a translation saved alone follows its source's commit" "$P/index.bg.md" "translated_from: $SRC"
contains "the rest of the translation is as sent" "$P/index.bg.md" "Кратко и ясно."
(cd "$S" && git show --name-only --format='%s' HEAD) >"$T/log2"
[ "$(cat "$T/log2" | tr '\n' '|')" = "Update Guidance “child-witness”||content/guidance/child-witness/index.bg.md|" ] && ok "the second save is its own commit of index.bg.md" || fail "second commit: $(cat "$T/log2")"

# ---- media ----
api persistMedia "{\"branch\":\"main\",\"asset\":{\"path\":\"static/uploads/dot.png\",\"content\":\"$PNG\",\"encoding\":\"base64\"},\"options\":{\"commitMessage\":\"Upload “dot.png”\"}}" >"$T/media"
contains "persistMedia answers the file" "$T/media" '"encoding":"base64","path":"static/uploads/dot.png","name":"dot.png"}'
api getMedia '{"branch":"main","mediaFolder":"content/guidance/child-witness"}' >"$T/getmedia"
contains "getMedia lists the image beside the page" "$T/getmedia" '"name":"room.png"'
lacks "getMedia lists no page" "$T/getmedia" 'index.md'
api deleteFile '{"branch":"main","path":"static/uploads/dot.png","options":{"commitMessage":"Delete “dot.png”"}}' >"$T/del"
contains "deleteFile answers as decap-server" "$T/del" '200 {"message":"deleted file static/uploads/dot.png"}'
absent "the file is gone" "$S/static/uploads/dot.png"
(cd "$S" && git log -1 --format=%s) | grep -qF "Delete “dot.png”" && ok "the deletion is a commit" || fail "no deletion commit"

# ---- the result is a hand-written page ----
"$SATCHEL" check -s "$S" >"$T/check.out" 2>&1
grep -q "child-witness" "$T/check.out" && fail "satchel check says something of the new page: $(grep child-witness "$T/check.out")" || ok "satchel check has nothing to say of the saved page"
"$SATCHEL" check -s "$S" --format json >"$T/check.json" 2>/dev/null
python3 - "$T/check.json" <<'PY' && ok "satchel check: zero warnings, zero errors" || fail "satchel check: $(tail -n 5 "$T/check.out")"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["errors"] == 0 and d["warnings"] == 0 else 1)
PY

"$SATCHEL" build -s "$S" -o "$T/out" -q >/dev/null 2>&1
contains "a build has the page in English" "$T/out/en/guidance/child-witness/index.html" "Talking with a child witness"
contains "and in Bulgarian" "$T/out/bg/guidance/child-witness/index.html" "Разговор с дете свидетел"
contains "with the image's alt text" "$T/out/bg/guidance/child-witness/index.html" 'alt="Тиха стая за разговор"'

# ---- refusals ----
refused() { # NAME ACTION PARAMS STATUS TEXT
	api "$2" "$3" >"$T/r"
	if grep -q "^$4 {\"error\":" "$T/r" && grep -qF -- "$5" "$T/r"; then ok "$1"; else fail "$1: $(head -c 300 "$T/r")"; fi
}
mkdir -p "$T/outside"
ln -s "$T/outside" "$S/content/guidance/linked"
ln -s "$S/site.yaml" "$S/content/guidance/child-witness/site.md"
E='"raw":"---\\ntitle: x\\n---\\n"'
for p in '../site.yaml' 'content/../site.yaml' 'content/guidance/../../site.yaml' '/etc/passwd.md' 'content/guidance\\..\\x.md' 'content/.git/x.md' 'content/guidance/.GIT/config.md' 'site.yaml' 'themes/default/x.md' 'content//x.md' 'content/./x.md'; do
	refused "persistEntry refuses $p" persistEntry "{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"x\",\"path\":\"$p\",$E}],\"assets\":[],\"options\":{\"commitMessage\":\"x\",\"useWorkflow\":false,\"status\":\"\"}}" 422 ""
done
refused "a folder that is a symbolic link is refused" persistEntry "{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"x\",\"path\":\"content/guidance/linked/index.md\",$E}],\"assets\":[],\"options\":{\"commitMessage\":\"x\",\"useWorkflow\":false,\"status\":\"\"}}" 422 "symbolic link"
absent "nothing was written through the link" "$T/outside/index.md"
refused "a file that is a symbolic link is refused" persistEntry "{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"x\",\"path\":\"content/guidance/child-witness/site.md\",$E}],\"assets\":[],\"options\":{\"commitMessage\":\"x\",\"useWorkflow\":false,\"status\":\"\"}}" 422 "symbolic link"
contains "site.yaml is untouched" "$S/site.yaml" "default_language: en"
refused "a folder that is a link is not read" getEntry '{"branch":"main","path":"content/guidance/linked/x.md"}' 422 "content/guidance/linked is a symbolic link"
refused "a file that is a link is not read" getEntry '{"branch":"main","path":"content/guidance/child-witness/site.md"}' 422 "symbolic link"
api entriesByFolder '{"branch":"main","folder":"content/guidance","extension":"md","depth":3}' >"$T/r"
lacks "a listing does not go through a link" "$T/r" "linked"
refused "an HTML asset is refused" persistMedia "{\"branch\":\"main\",\"asset\":{\"path\":\"static/uploads/x.html\",\"content\":\"PGI+\",\"encoding\":\"base64\"},\"options\":{\"commitMessage\":\"x\"}}" 422 "not published"
refused "a script asset is refused" persistEntry "{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"x\",\"path\":\"content/guidance/x/index.md\",$E}],\"assets\":[{\"path\":\"content/guidance/x/a.js\",\"content\":\"eA==\",\"encoding\":\"base64\"}],\"options\":{\"commitMessage\":\"x\",\"useWorkflow\":false,\"status\":\"\"}}" 422 "a .js file is not published"
absent "a refused save writes nothing" "$S/content/guidance/x"
refused "media outside content/ and static/uploads/ is refused" persistMedia "{\"branch\":\"main\",\"asset\":{\"path\":\"static/x.png\",\"content\":\"$PNG\",\"encoding\":\"base64\"},\"options\":{\"commitMessage\":\"x\"}}" 422 "static/uploads"
refused "an entry that is not .md is refused" getEntry '{"branch":"main","path":"content/guidance/x.txt"}' 422 ".md"
refused "a bad JSON body is 400" -raw '{"action":"info"' 400 "not JSON"
refused "a lone surrogate is refused" -raw '{"action":"info","x":"\ud800"}' 400 "not JSON"
api -raw '{"action":"info","x":"\ud83d\ude00 \/"}' >"$T/r"
contains "a surrogate pair and \\/ are read" "$T/r" '"type":"local_git"'
LONG=$(python3 -c 'print("content/" + "a" * 300 + "/index.md")')
refused "a name over 255 bytes is refused" getEntry "{\"branch\":\"main\",\"path\":\"$LONG\"}" 422 "longer than"
refused "a name that is not UTF-8 is refused" -raw "$(printf '{"action":"getEntry","params":{"path":"content/\377.md"}}')" 400 "not JSON"
refused "a control character in a name is refused" getEntry '{"branch":"main","path":"content/a\u0001b.md"}' 422 "control character"
api info '{}' --host evil.example:80 >"$T/r"
contains "another Host is refused" "$T/r" "403 {\"error\":\"this preview answers to its own address only"
api info '{}' --origin http://evil.example >"$T/r"
contains "another Origin is refused" "$T/r" "403 {\"error\":\"the editor's backend answers pages of this preview only"
api info '{}' --origin "${URL%/}" >"$T/r"
contains "serve's own Origin is answered" "$T/r" '"type":"local_git"'
api info '{}' --ctype text/plain >"$T/r"
contains "a body that is not JSON by type is 415" "$T/r" "415 {\"error\":"
python3 "$ROOT/tests/e2e/cmsapi_client.py" "$API" info '{}' --method GET >"$T/r"
grep -q '^405' "$T/r" && ok "GET /api/v1 is 405" || fail "GET /api/v1: $(cat "$T/r")"
python3 - "$API" >"$T/r" <<'PY'
import http.client, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
c.putrequest("POST", u.path)
c.putheader("Content-Type", "application/json")
c.putheader("Content-Length", str(65 << 20))
c.endheaders()
r = c.getresponse()
print(r.status, r.read().decode())
PY
contains "a body over 64 MiB is 413" "$T/r" '413 {"error":'
(cd "$S" && git log --format=%s) | grep -c . >"$T/ncommits"
[ "$(cat "$T/ncommits")" -eq 5 ] && ok "refused requests made no commit" || fail "commits: $(cat "$T/ncommits")"

# ---- no identity: the save is refused, nothing written ----
git config --global --unset user.name
git config --global --unset user.email
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
refused "with no git identity a save is refused" persistEntry "{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"y\",\"path\":\"content/guidance/y/index.en.md\",$E}],\"assets\":[],\"options\":{\"commitMessage\":\"x\",\"useWorkflow\":false,\"status\":\"\"}}" 409 "user.name"
absent "and nothing is written" "$S/content/guidance/y"

kill "$PID"
wait "$PID" 2>/dev/null
if grep -q "Sanitizer\|runtime error" "$T/serve.err"; then fail "serve under ASan/UBSan: $(grep -m 3 'Sanitizer\|runtime error\|#[0-9]' "$T/serve.err")"; else ok "serve ran and stopped clean under the sanitizers"; fi
finish
