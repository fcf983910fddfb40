#!/bin/sh
# What the source layer lets through and where the output goes: no symbolic link is followed, in
# a working tree or a commit; .git, safeguarding/, ignored files and satchel's own records are
# never published; file names are UTF-8 without control characters; base_url is http(s); a file
# over the size limit or a Git LFS pointer is an error named before it is read; -o deletes
# nothing that satchel did not make; builds at once (in containers too) leave a whole public/.
. "$(dirname "$0")/lib.sh"

build() {
	d=$1
	shift
	timeout 120 "$SATCHEL" build -s "$d" -q "$@" 2>"$T/err"
}

S=$T/site
minisite "$S"
mkdir -p "$S/safeguarding" "$S/static" "$S/content/guidance/withdrawn"
printf -- '- guidance/withdrawn\n' >"$S/safeguarding/withdrawn.yaml"
printf -- '---\ntitle: Gone\n---\nNarwhal withdrawn words.\n' >"$S/content/guidance/withdrawn/index.md"
printf 'body{}\n' >"$S/static/site.css"
printf '[remote "origin"]\n\turl = https://ci:SECRET-TOKEN@forge.example.org/hub.git\n' >"$T/token"
(cd "$S" && git init -q) && commit "$S" "site"
cat "$T/token" >>"$S/.git/config"
build "$S" || fail "the site builds"
cp -R "$S/public" "$T/good"

# refused NAME MESSAGE [ARGS]: the build fails naming the path, public/ stays as it was, and
# nothing secret or withdrawn is published.
refused() {
	name=$1
	msg=$2
	shift 2
	build "$S" "$@"
	rc=$?
	check "$name: exits 1" test $rc -eq 1
	contains "$name: names it" "$T/err" "$msg"
	check "$name: public/ as it was" diff -r "$T/good" "$S/public"
	check "$name: no secret published" sh -c "! grep -rqe SECRET-TOKEN -e Narwhal -e 'guidance/withdrawn' '$S/public'"
}
LINK="error: symbolic link; satchel publishes no links (replace it by the file)"

# 1. Symbolic links: every kind, every place, working tree and commit alike.
# link_case NAME PATH TARGET: PATH (site-relative) links to TARGET; refused as is, then
# committed and refused by --ref HEAD, then removed.
link_case() {
	(cd "$S" && mkdir -p "$(dirname "$2")" && ln -s "$3" "$2")
	refused "$1 (working tree)" "$2: $LINK"
	commit "$S" "link $1"
	refused "$1 (--ref HEAD)" "$2: $LINK" --ref HEAD
	rm "$S/$2"
	commit "$S" "unlink $1"
}
link_case "link to a file in the site" content/guidance/assessment/copy.txt form.txt
link_case "link to a folder in the site" content/tools/alias ../guidance/assessment
link_case "link to .git/config" content/guidance/assessment/config.txt ../../../.git/config
link_case "link to .git" content/tools/git ../../.git
link_case "link to safeguarding/withdrawn.yaml" content/guidance/assessment/w.txt ../../../safeguarding/withdrawn.yaml
link_case "link to safeguarding/" static/sg ../safeguarding
link_case "link to a withdrawn page" content/tools/checklist/gone.md ../../guidance/withdrawn/index.md
link_case "dangling link" content/guidance/assessment/nowhere.pdf missing.pdf
link_case "link loop" content/guidance/loop loop
link_case "link in static/" static/token.txt ../.git/config
link_case "link in i18n/" i18n/en.yaml ../safeguarding/withdrawn.yaml
link_case "link in layouts/" layouts/base.html ../.git/config
link_case "link to a theme" themes/default "$ROOT/themes/default"
# The places themselves.
mv "$S/content" "$S/content-real" && ln -s content-real "$S/content"
refused "content/ is a link" "content: $LINK"
rm "$S/content" && mv "$S/content-real" "$S/content"
rm -rf "$S/content-real"
mv "$S/site.yaml" "$S/site-real.yaml" && ln -s site-real.yaml "$S/site.yaml"
refused "site.yaml is a link" "site.yaml: $LINK"
rm "$S/site.yaml" && mv "$S/site-real.yaml" "$S/site.yaml"
mv "$S/safeguarding/withdrawn.yaml" "$T/w.yaml" && ln -s "$T/w.yaml" "$S/safeguarding/withdrawn.yaml"
refused "withdrawn.yaml is a link (not read as absent)" "safeguarding/withdrawn.yaml: $LINK"
rm "$S/safeguarding/withdrawn.yaml" && mv "$T/w.yaml" "$S/safeguarding/withdrawn.yaml"
# Hard links, in a working tree (git stores none).
ln "$S/safeguarding/withdrawn.yaml" "$S/content/guidance/assessment/w.txt"
refused "a hard link to safeguarding/withdrawn.yaml" "content/guidance/assessment/w.txt: error: a hard link to a file of safeguarding/ or to .git/config"
rm "$S/content/guidance/assessment/w.txt"
ln "$S/.git/config" "$S/static/config.txt"
refused "a hard link to .git/config" "static/config.txt: error: a hard link to a file of safeguarding/ or to .git/config"
rm "$S/static/config.txt"
# 1b. The same refusal, by the same name, whether satchel opens a path in one openat2 call or walks
# it component by component (SATCHEL_NO_OPENAT2=1, as where the kernel has no openat2): a folder
# link in the middle of a content path, one deeper down, a file link, and folders read by name
# (i18n/, safeguarding/) that are links.
mkdir -p "$T/elsewhere/sub" "$T/i18n-real"
printf -- '---\ntitle: Elsewhere\n---\nNarwhal elsewhere.\n' >"$T/elsewhere/index.md"
cp "$T/elsewhere/index.md" "$T/elsewhere/sub/index.md"
printf 'read_more: Narwhal\n' >"$T/i18n-real/en.yaml"
for way in openat2 walk; do
	[ $way = walk ] && export SATCHEL_NO_OPENAT2=1
	ln -s "$T/elsewhere" "$S/content/a"
	refused "a folder link in the middle of content/a/index.md ($way)" "content/a: $LINK"
	rm "$S/content/a"
	ln -s assessment "$S/content/guidance/y"
	refused "a folder link in the middle of content/guidance/y/index.md ($way)" \
		"content/guidance/y: $LINK"
	rm "$S/content/guidance/y"
	ln -s "$T/elsewhere/index.md" "$S/content/guidance/f.md"
	refused "a file link ($way)" "content/guidance/f.md: $LINK"
	rm "$S/content/guidance/f.md"
	rmdir "$S/i18n" 2>/dev/null # left empty by the case of i18n/en.yaml above
	ln -s "$T/i18n-real" "$S/i18n"
	refused "i18n/ is a link, read by name ($way)" "i18n: $LINK"
	rm "$S/i18n"
	mv "$S/safeguarding" "$T/sg-real" && ln -s "$T/sg-real" "$S/safeguarding"
	refused "safeguarding/ is a link, not read as absent ($way)" "safeguarding: $LINK"
	rm "$S/safeguarding" && mv "$T/sg-real" "$S/safeguarding"
	unset SATCHEL_NO_OPENAT2
done
# Which way was taken: one openat2 call per page where the kernel has it, none when told not to.
if command -v strace >/dev/null && strace -f -qq -o /dev/null true 2>/dev/null; then
	strace -f -qq -e trace=openat2 -o "$T/st1" "$SATCHEL" build -s "$S" -q 2>/dev/null
	pages=$(find "$S/content" -name '*.md' | wc -l)
	opened=$(grep -c 'openat2(.*content/.*\.md"' "$T/st1")
	check "pages are opened with openat2 ($opened calls, $pages pages)" test "$opened" -ge "$pages"
	SATCHEL_NO_OPENAT2=1 strace -f -qq -e trace=openat2 -o "$T/st2" "$SATCHEL" build -s "$S" -q \
		2>/dev/null
	check "SATCHEL_NO_OPENAT2=1: no openat2 call" test "$(grep -c 'openat2(' "$T/st2")" -eq 0
fi
build "$S"
check "without the links the site builds again" test $? -eq 0

# 2. Never published, whatever path leads there.
mkdir -p "$S/content/guidance/nested/.git" "$S/static/.git" "$S/content/guidance/CaSe/.GIT"
cp "$T/token" "$S/content/guidance/nested/.git/config"
cp "$T/token" "$S/static/.git/config"
cp "$T/token" "$S/content/guidance/CaSe/.GIT/config"
printf 'gitdir: ../../../.git/modules/sub\n' >"$S/content/guidance/assessment/.git"
printf 'SECRET-TOKEN\n' >"$S/static/.satchel-manifest"
printf 'SECRET-TOKEN\n' >"$S/content/guidance/.satchel-output"
printf 'SECRET-TOKEN\n' >"$S/static/.public.satchel-images"
printf '*.secret\ndrafts/\n' >"$S/.gitignore"
printf 'SECRET-TOKEN\n' >"$S/content/guidance/assessment/notes.secret"
printf 'SECRET-TOKEN\n' >"$S/static/keys.secret"
mkdir -p "$S/content/drafts" && printf -- '---\ntitle: Draft\n---\nSECRET-TOKEN\n' >"$S/content/drafts/index.md"
build "$S"
check "a site with .git folders, ignored files and satchel's records builds" test $? -eq 0
check "none of them is published" sh -c "! grep -rq SECRET-TOKEN '$S/public'"
absent "no nested .git" "$S/public/en/guidance/nested/.git"
absent "no .git of static/" "$S/public/.git"
absent "no .GIT in another case" "$S/public/en/guidance/CaSe/.GIT"
absent "no ignored file beside a page" "$S/public/en/guidance/assessment/notes.secret"
absent "no ignored file in static/" "$S/public/keys.secret"
absent "no ignored folder's page" "$S/public/en/drafts/index.html"
check "the output's own marker is satchel's, not static/'s" grep -q "made by satchel" "$S/public/.satchel-output"
absent "no .public.satchel-images from static/" "$S/public/.public.satchel-images"
absent "safeguarding/ is not published" "$S/public/safeguarding"
check "no withdrawn.yaml under any name" sh -c "! grep -rq 'guidance/withdrawn' '$S/public'"
rm -rf "$S/content/guidance/nested" "$S/static/.git" "$S/content/guidance/CaSe" \
	"$S/content/guidance/assessment/.git" # git commits none of them
commit "$S" "records"
build "$S" --ref HEAD
check "a commit with satchel's records builds" test $? -eq 0
check "none of them is published from the commit" sh -c "! grep -rq SECRET-TOKEN '$S/public'"
rm -rf "$S/content/guidance/nested" "$S/static/.git" "$S/content/guidance/CaSe" \
	"$S/content/guidance/assessment/.git" "$S/static/.satchel-manifest" \
	"$S/content/guidance/.satchel-output" "$S/static/.public.satchel-images" \
	"$S/content/guidance/assessment/notes.secret" "$S/static/keys.secret" "$S/content/drafts"
commit "$S" "records gone"
build "$S" && cp -R "$S/public" "$T/good2" && rm -rf "$T/good" && mv "$T/good2" "$T/good"

# 2b. A theme kept in the site's themes/ is the site's: its static files are published only as
# the site's listing lets them through (no ignored file, no .git, none of satchel's records),
# from a working tree as from a commit.
cp -R "$ROOT/themes/default" "$S/themes_own" && mkdir -p "$S/themes" && mv "$S/themes_own" "$S/themes/own"
cp "$S/site.yaml" "$T/site.yaml.theme"
printf 'theme: own\n' >>"$S/site.yaml"
printf 'SECRET-TOKEN\n' >"$S/themes/own/static/keys.secret" # *.secret is ignored
commit "$S" "own theme"
mkdir -p "$S/themes/own/static/.git"
cp "$T/token" "$S/themes/own/static/.git/config"
printf 'SECRET-TOKEN\n' >"$S/themes/own/static/.satchel-manifest"
build "$S"
check "a site with its own theme builds" test $? -eq 0
exists "... its theme's static files are published" "$S/public/css"
check "... not its ignored ones, .git or satchel's records" sh -c "! grep -rq SECRET-TOKEN '$S/public'"
absent "... no ignored file of the theme's static/" "$S/public/keys.secret"
absent "... no .git of the theme's static/" "$S/public/.git"
build "$S" --ref HEAD
check "... from a commit alike" sh -c "! grep -rq SECRET-TOKEN '$S/public'"
rm -rf "$S/themes" && cp "$T/site.yaml.theme" "$S/site.yaml"
commit "$S" "no own theme"
build "$S" && cp -R "$S/public" "$T/good2" && rm -rf "$T/good" && mv "$T/good2" "$T/good"

# 3. File names that are not UTF-8, or hold control characters.
touch "$S/content/guidance/assessment/bad$(printf '\377').pdf"
refused "a name that is not UTF-8" "content/guidance/assessment/bad\\xFF.pdf: error: file name is not valid UTF-8 or holds a control character"
commit "$S" "bad name"
refused "a name that is not UTF-8 (--ref HEAD)" "content/guidance/assessment/bad\\xFF.pdf: error: file name is not valid UTF-8" --ref HEAD
rm "$S/content/guidance/assessment/bad"*
touch "$S/content/guidance/assessment/esc$(printf '\033')[31m.pdf"
refused "a name with a control character" "content/guidance/assessment/esc\\x1B[31m.pdf: error: file name is not valid UTF-8 or holds a control character"
rm "$S/content/guidance/assessment/esc"*
# The other control characters: C0 (U+001C, U+0001), DEL and C1 (U+0085, U+009B), in a file
# beside a page and in a page's own name; the message shows each byte of one as \xHH.
for c in '\034:\x1C' '\001:\x01' '\177:\x7F' '\302\205:\xC2\x85' '\302\233:\xC2\x9B'; do
	n="ctl$(printf "${c%%:*}")x"
	shown="ctl${c#*:}x"
	touch "$S/content/guidance/assessment/$n.pdf"
	refused "a file name holding $shown" "content/guidance/assessment/$shown.pdf: error: file name is not valid UTF-8 or holds a control character"
	rm "$S/content/guidance/assessment/$n.pdf"
	printf -- '---\ntitle: x\n---\n' >"$S/content/guidance/$n.md"
	refused "a page's file name holding $shown" "content/guidance/$shown.md: error: file name is not valid UTF-8 or holds a control character"
	rm "$S/content/guidance/$n.md"
done
mkdir -p "$S/static/dir$(printf '\300\257')"
touch "$S/static/dir$(printf '\300\257')/x.css"
refused "a folder named in overlong UTF-8" "static/dir\\xC0\\xAF: error: file name is not valid UTF-8"
rm -rf "$S/static/dir"*
commit "$S" "names fixed"

# 4. base_url.
cp "$S/site.yaml" "$T/site.yaml"
sed -i 's|^base_url: .*|base_url: "javascript:alert(1)//"|' "$S/site.yaml"
refused "base_url javascript:" "site.yaml:2:11: error: 'base_url' must be a web address that starts with https:// or http://"
cp "$T/site.yaml" "$S/site.yaml"

# 7. Sizes and LFS pointers, checked before reading.
truncate -s 2G "$S/content/guidance/assessment/huge.pdf"
python3 - "$SATCHEL" "$S" "$T/err" >"$T/rss" <<'PY'
import resource, subprocess, sys
with open(sys.argv[3], "w") as err:
    rc = subprocess.run(["timeout", "120", sys.argv[1], "build", "-s", sys.argv[2], "-q"], stderr=err).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
read -r rc mb <"$T/rss"
echo "# a sparse 2 GB file: exit $rc, peak $mb MB"
check "a 2 GB file over the default limit fails the build" test "$rc" -eq 1
contains "... naming it and the limit" "$T/err" "content/guidance/assessment/huge.pdf: error: 2.1 GB is more than the limit of 200 MB for one file (limits: file_size in site.yaml)"
check "... without reading it (peak under 1 GB)" test "$mb" -lt 1000
check "... public/ as it was" diff -r "$T/good" "$S/public"
rm "$S/content/guidance/assessment/huge.pdf"
printf 'limits:\n  file_size: 10MB\n' >>"$S/site.yaml"
head -c 300000000 /dev/zero >"$S/content/guidance/assessment/zeros.pdf"
commit "$S" "a big blob that compresses well, and a limit"
rm "$S/content/guidance/assessment/zeros.pdf"
cp "$T/site.yaml" "$S/site.yaml"
python3 - "$SATCHEL" "$S" "$T/err" >"$T/rss" <<'PY'
import resource, subprocess, sys
with open(sys.argv[3], "w") as err:
    rc = subprocess.run(["timeout", "120", sys.argv[1], "build", "-s", sys.argv[2], "-q", "--ref", "HEAD"], stderr=err).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
read -r rc mb <"$T/rss"
echo "# a 300 MB committed blob, limit 10 MB: exit $rc, peak $mb MB"
check "a committed blob over the limit fails a --ref build" test "$rc" -eq 1
contains "... naming it" "$T/err" "content/guidance/assessment/zeros.pdf: error: 300 MB is more than the limit of 10 MB for one file"
check "... without inflating it (peak under 300 MB)" test "$mb" -lt 300
commit "$S" "no big blob"
head -c 3000 /dev/zero | tr '\0' x >"$S/content/guidance/assessment/page.md"
sed -i '1i ---\ntitle: P\n---' "$S/content/guidance/assessment/page.md"
printf 'limits: {text_size: 2KB}\n' >>"$S/site.yaml"
refused "Markdown over text_size" "content/guidance/assessment/page.md: error: 3.0 KB is more than the limit of 2.0 KB for one Markdown or YAML file (limits: text_size in site.yaml)"
rm "$S/content/guidance/assessment/page.md"
cp "$T/site.yaml" "$S/site.yaml"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n' >"$S/content/guidance/assessment/film.mp4"
refused "a Git LFS pointer" "content/guidance/assessment/film.mp4: error: is a Git LFS pointer, not the file: run git lfs pull (satchel does not fetch LFS objects)"
commit "$S" "lfs"
refused "a Git LFS pointer (--ref HEAD)" "content/guidance/assessment/film.mp4: error: is a Git LFS pointer" --ref HEAD
cp "$S/content/guidance/assessment/film.mp4" "$S/static/logo.png"
rm "$S/content/guidance/assessment/film.mp4"
refused "a Git LFS pointer in static/" "static/logo.png: error: is a Git LFS pointer"
rm "$S/static/logo.png"
commit "$S" "no lfs"

# 5. -o deletes nothing satchel did not make.
mkdir -p "$T/other" "$HOME/docs"
printf 'keep\n' >"$T/other/keep.txt"
printf 'keep\n' >"$HOME/docs/keep.txt"
before=$(cd "$T" && find . -path ./err -prune -o -print | sort | md5sum)
out_refused() {
	name=$1
	msg=$2
	shift 2
	(cd "$S" && timeout 120 "$SATCHEL" build -q -o "$@" 2>"$T/err")
	rc=$?
	check "-o $name: exits 1" test $rc -eq 1
	contains "-o $name: says why" "$T/err" "$msg"
	check "-o $name: nothing deleted or made" test "$before" = "$(cd "$T" && find . -path ./err -prune -o -print | sort | md5sum)"
}
out_refused "the site folder" "the output folder is the site folder or holds it" .
out_refused ".." "the output folder is the site folder or holds it" ..
out_refused "/" "the output folder is the site folder or holds it" /
out_refused "the site folder by a long way" "the output folder is the site folder or holds it" ./content/../
out_refused "content/" "the output folder is inside the site folder" content
out_refused "a new folder inside the site" "the output folder is inside the site folder" static/out
out_refused ".git" "the output folder is inside the site folder" .git
out_refused "\$HOME" "holds files satchel did not make (it has no .satchel-output)" "$HOME"
out_refused "a folder of other files" "holds files satchel did not make" "$T/other"
out_refused "a file" "the output folder is not a folder" "$T/other/keep.txt"
ln -s "$T/other" "$T/olink"
before=$(cd "$T" && find . -path ./err -prune -o -print | sort | md5sum)
out_refused "a link to a folder" "the output folder is a symbolic link" "$T/olink"
(cd "$S" && "$SATCHEL" build -q -o "$T/new/out")
check "-o a new folder builds" test $? -eq 0
exists "... with the marker" "$T/new/out/.satchel-output"
check "... readable by a web server (0755)" test "$(stat -c %a "$T/new/out")" = 755
(cd "$S" && "$SATCHEL" build -q -o "$T/new/out")
check "-o the same folder again builds" test $? -eq 0
mkdir "$T/empty"
(cd "$S" && "$SATCHEL" build -q -o "$T/empty")
check "-o an empty folder builds" test $? -eq 0
absent "no temporary folder left" "$(find "$T/new" "$T" -maxdepth 1 -name '.*.tmp.*' | head -1)"

# 6. Temporary folders and builds at once.
# A build in another container (another PID namespace) with the same process id as this one:
# its temporary folder is locked, and survives; a stale one (no lock) is cleared.
P=$S/public
mkdir -p "$S/.public.tmp.1" "$S/.public.tmp.stale"
touch "$S/.public.tmp.1/alive" "$S/.public.tmp.stale/dead"
python3 -c 'import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$S/.public.tmp.1" "$T/locked" &
holder=$!
while [ ! -e "$T/locked" ]; do sleep 0.1; done
if unshare -Upf --map-root-user true 2>/dev/null; then
	unshare -Upf --map-root-user "$SATCHEL" build -s "$S" -q 2>"$T/err"
	check "a build as process 1 of a new PID namespace succeeds" test $? -eq 0
	exists "... and leaves another container's build (process 1 too) alone" "$S/.public.tmp.1/alive"
else
	echo "# unshare unavailable: the namespace case runs in this namespace"
	build "$S"
	exists "a build leaves a locked temporary folder alone" "$S/.public.tmp.1/alive"
fi
absent "... and clears a stale one" "$S/.public.tmp.stale"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
build "$S"
absent "once its build is gone, its folder is stale and cleared" "$S/.public.tmp.1"
n=$(find "$P" -type f | wc -l)
# Builds at once, to one output, from one namespace and from two (same process ids).
for round in 1 2 3; do
	pids=""
	for k in 1 2 3; do
		if [ "$round" -eq 3 ] && unshare -Upf --map-root-user true 2>/dev/null; then
			unshare -Upf --map-root-user "$SATCHEL" build -s "$S" -q -j 1 2>"$T/err.$k" &
		else
			"$SATCHEL" build -s "$S" -q -j 1 2>"$T/err.$k" &
		fi
		pids="$pids $!"
	done
	okc=0
	for p in $pids; do wait "$p" && okc=$((okc + 1)); done
	check "builds at once (round $round): all succeed" test "$okc" -eq 3
	[ "$okc" -eq 3 ] || cat "$T/err.1" "$T/err.2" "$T/err.3"
	check "builds at once (round $round): public/ is whole" test "$(find "$P" -type f | wc -l)" -eq "$n"
	exists "builds at once (round $round): marker there" "$P/.satchel-output"
	check "builds at once (round $round): no temporary folder left" \
		test -z "$(find "$S" -maxdepth 1 -name '.public.tmp.*')"
done

finish
