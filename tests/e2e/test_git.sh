#!/bin/sh
# Building from git: the working tree with uncommitted edits, --ref for an older commit, a tag and
# a branch read from the object database, and --repo cloning a local path and a file:// URL.
. "$(dirname "$0")/lib.sh"

S=$T/repo
minisite "$S"
(cd "$S" && git init -q && commit . "first version" 2025-01-01T10:00:00Z && git tag v1)
sed -i 's/title: "Individual assessment"/title: "Individual assessment (revised)"/' \
	"$S/content/guidance/assessment/index.md"
commit "$S" "revise title" 2025-02-01T10:00:00Z
(cd "$S" && git branch stable v1)
printf '\nUncommitted paragraph.\n' >>"$S/content/guidance/assessment/index.md"

E=$S/public/en/guidance/assessment/index.html
"$SATCHEL" build -s "$S" -q 2>/dev/null
contains "working tree includes uncommitted edits" "$E" "Uncommitted paragraph."
contains "working tree has the latest title" "$E" "Individual assessment (revised)"

"$SATCHEL" build -s "$S" --ref v1 -q 2>/dev/null
lacks "--ref tag sees the old title" "$E" "(revised)"
lacks "--ref ignores uncommitted edits" "$E" "Uncommitted paragraph."
contains "--ref tag builds the page" "$E" "Individual assessment"

"$SATCHEL" build -s "$S" --ref stable -q 2>/dev/null
lacks "--ref branch sees its commit" "$E" "(revised)"

"$SATCHEL" build -s "$S" --ref HEAD -q 2>/dev/null
contains "--ref HEAD has the committed title" "$E" "(revised)"
lacks "--ref HEAD has no uncommitted edits" "$E" "Uncommitted paragraph."

"$SATCHEL" build -s "$S" --ref no-such-ref -q 2>"$T/err"
check "unknown ref fails" test $? -ne 0
contains "unknown ref is named" "$T/err" "no-such-ref"
contains "failed build leaves public/ as it was" "$E" "(revised)"

# --repo: a local path and a file:// URL, into a cache folder, offline.
W=$T/work
mkdir -p "$W"
(cd "$W" && "$SATCHEL" build --repo "$S" --cache "$T/cache" -q 2>/dev/null)
contains "--repo local path builds HEAD" "$W/public/en/guidance/assessment/index.html" "(revised)"
check "--repo made a cache clone" sh -c "ls '$T/cache' | grep -q ."
(cd "$W" && "$SATCHEL" build --repo "file://$S" --ref stable --cache "$T/cache2" -o "$W/out" -q 2>/dev/null)
lacks "--repo file:// URL with --ref branch" "$W/out/en/guidance/assessment/index.html" "(revised)"
contains "--repo file:// URL builds" "$W/out/en/guidance/assessment/index.html" "Individual assessment"

# A new commit in the origin is fetched into the existing cache.
sed -i 's/(revised)/(third)/' "$S/content/guidance/assessment/index.md"
commit "$S" "third title" 2025-03-01T10:00:00Z
(cd "$W" && "$SATCHEL" build --repo "$S" --cache "$T/cache" -q 2>/dev/null)
contains "--repo fetches new commits" "$W/public/en/guidance/assessment/index.html" "(third)"

# The same commit gives the same bytes, whether from the working tree or the object database.
C=$T/clean
git clone -q "$S" "$C"
"$SATCHEL" build -s "$C" -o "$T/a" -q 2>/dev/null
"$SATCHEL" build -s "$C" --ref HEAD -o "$T/b" -q 2>/dev/null
check "working tree and --ref give identical output" diff -r "$T/a" "$T/b"

# A site in a folder its repository ignores is built as a plain folder, with a warning, not as
# an empty site.
G=$T/outer
mkdir -p "$G"
(cd "$G" && git init -q && printf 'hub/\n' >.gitignore && commit . "ignore hub")
minisite "$G/hub"
"$SATCHEL" build -s "$G/hub" -q 2>"$T/err"
exists "ignored site folder still builds its pages" "$G/hub/public/en/guidance/assessment/index.html"
contains "ignored site folder warns" "$T/err" "the site folder is ignored by the git repository"

finish
