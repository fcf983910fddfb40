# lib.sh: helpers for satchel's end-to-end tests (POSIX sh). Source it, call the checks, end with
# `finish`, which prints "N passed, N failed" and sets the exit status.
set -u
: "${SATCHEL:?SATCHEL must name the satchel binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/satchel-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT
PASSED=0
FAILED=0
export GIT_AUTHOR_NAME="Ana Editor" GIT_AUTHOR_EMAIL="ana@example.org"
export GIT_COMMITTER_NAME="Ana Editor" GIT_COMMITTER_EMAIL="ana@example.org"
export GIT_AUTHOR_DATE="2025-01-01T10:00:00Z" GIT_COMMITTER_DATE="2025-01-01T10:00:00Z"
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home"
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global user.name "Ana Editor"
git config --global user.email "ana@example.org"

ok() { PASSED=$((PASSED + 1)); echo "ok $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }

# check NAME COMMAND...: passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else fail "$name"; fi
}
# contains NAME FILE TEXT: the file holds the fixed string.
contains() {
	if [ -f "$2" ] && grep -qF -- "$3" "$2"; then ok "$1"; else
		fail "$1 ($2 lacks: $3)"
	fi
}
lacks() {
	if [ -f "$2" ] && ! grep -qF -- "$3" "$2"; then ok "$1"; else
		fail "$1 ($2 holds or is missing: $3)"
	fi
}
exists() { if [ -e "$2" ]; then ok "$1"; else fail "$1 (no $2)"; fi; }
absent() { if [ ! -e "$2" ]; then ok "$1"; else fail "$1 ($2 exists)"; fi; }

# commit DIR MESSAGE [DATE]: commits everything in DIR.
commit() {
	d=${3:-2025-01-01T10:00:00Z}
	(cd "$1" && git add -A && GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -qm "$2")
}

# minisite DIR: a small two-language site (en, bg) with a section, a bundle and a translation.
minisite() {
	mkdir -p "$1/content/guidance/assessment" "$1/content/tools/checklist"
	cat >"$1/site.yaml" <<'YAML'
title: Test hub
base_url: https://hub.example.org/
default_language: en
languages:
  - code: en
    name: English
  - code: bg
    name: Български
  - code: ar
    name: العربية
    direction: rtl
taxonomies: [topics]
YAML
	cat >"$1/content/guidance/assessment/index.md" <<'MD'
---
title: "Individual assessment"
date: 2025-03-14
summary: "How to assess a child's needs."
topics: [individual-assessment]
---
## Who takes part

See the [checklist](../../tools/checklist/index.md) and [the form](form.txt).
MD
	printf 'form\n' >"$1/content/guidance/assessment/form.txt"
	cat >"$1/content/guidance/assessment/index.bg.md" <<'MD'
---
title: "Индивидуална оценка"
date: 2025-03-14
slug: individualna-otsenka
topics: [individual-assessment]
---
## Кой участва

Вижте [списъка](../../tools/checklist/index.md).
MD
	cat >"$1/content/tools/checklist/index.md" <<'MD'
---
title: "Assessment checklist"
date: 2025-02-01
topics: [individual-assessment, barnahus]
---
- [x] Talk to the child
MD
}

# The browser tests' pinned packages (tests/browser: playwright-core, axe-core), fetched again
# only when the lock file changed; B names that folder. Without node and npm the test fails.
browser_modules() {
	B=$ROOT/tests/browser
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		fail "node and npm are installed (scripts/install-deps.sh installs them)"
		finish
		exit 1
	fi
	if [ ! -d "$B/node_modules" ] ||
		[ -n "$(find "$B/package-lock.json" -newer "$B/node_modules" 2>/dev/null)" ]; then
		if ! (cd "$B" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1; then
			cat "$T/npm.log"
			fail "npm ci in tests/browser"
			finish
			exit 1
		fi
		touch "$B/node_modules"
	fi
}

# The demo hub (this repository's site.yaml and content/) committed in S=$T/site and built.
# "Now" for upcoming and past events is the day the browser checks were written, not the
# fixture commit's date, so pages show both lists as a visitor would.
# demo_site [no-offline]: the demo hub committed and built in $S; with no-offline, without its
# offline packs (site.yaml's `offline: true` taken out).
demo_site() {
	S=$T/site
	mkdir -p "$S"
	cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$S/"
	if [ "${1:-}" = no-offline ]; then
		sed -i '/^offline:/d' "$S/site.yaml"
	fi
	(cd "$S" && git init -q) && commit "$S" "Demo hub"
	if ! SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q 2>"$T/build.log"; then
		cat "$T/build.log"
		fail "the demo hub builds"
		finish
		exit 1
	fi
}

finish() {
	echo "$(basename "$0"): $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
