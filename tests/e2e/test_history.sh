#!/bin/sh
# Git history on pages: a site in a repository with scripted commits by several authors (one
# known by two addresses, joined by .mailmap), a rename and a translation; pages show the
# published and updated dates and the contributors git knows, an "edit this page" link from
# site.yaml's pattern; the walk is cached per commit; --ref builds an older state; a shallow clone
# builds with a warning.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
printf 'edit_url: "https://forge.example.org/hub/edit/{branch}/{path}"\n' >>"$S/site.yaml"
# The minisite's guidance page names a date in front matter; the tool does not.
sed -i '/^date:/d' "$S/content/tools/checklist/index.md"
cd "$S" || exit 1
git init -q
commit "$S" "first" "2025-01-10T09:00:00Z"
printf '\nMore steps.\n' >>content/tools/checklist/index.md
(git add -A && GIT_AUTHOR_NAME="Boris" GIT_AUTHOR_EMAIL="boris@old.example" \
	GIT_AUTHOR_DATE=2025-02-20T09:00:00Z GIT_COMMITTER_DATE=2025-02-20T09:00:00Z git commit -qm "steps")
mkdir -p content/tools/list
git mv content/tools/checklist/index.md content/tools/list/index.md
commit "$S" "rename" "2025-03-05T09:00:00Z"
printf 'Boris Petrov <boris@new.example>\nBoris Petrov <boris@new.example> <boris@old.example>\n' >.mailmap
printf '\nA last step.\n' >>content/tools/list/index.md
(git add -A && GIT_AUTHOR_NAME="Boris P." GIT_AUTHOR_EMAIL="boris@new.example" \
	GIT_AUTHOR_DATE=2025-04-15T09:00:00Z GIT_COMMITTER_DATE=2025-04-15T09:00:00Z git commit -qm "last step")
git tag v1 HEAD~1
cd - >/dev/null || exit 1

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "build exits 0" test $? -eq 0
P=$S/public/en/tools/list/index.html
contains "published: the first commit, across the rename" "$P" 'Published <time datetime="2025-01-10">January 10, 2025</time>'
contains "updated: the last commit" "$P" 'Updated <time datetime="2025-04-15">April 15, 2025</time>'
contains "contributors after .mailmap, most commits first" "$P" 'Contributors: Ana Editor, Boris Petrov</p>'
contains "edit link from the pattern" "$P" 'href="https://forge.example.org/hub/edit/main/content/tools/list/index.md" rel="nofollow">Edit this page</a>'
contains "front matter date wins over git" "$S/public/en/guidance/assessment/index.html" 'Published <time datetime="2025-03-14">'
contains "Bulgarian dates in Bulgarian" "$S/public/bg/guidance/individualna-otsenka/index.html" 'Автори: Ana Editor'
ls "$S"/.git/satchel/history-*.tsv >/dev/null 2>&1
check "the walk is cached in the repository" test $? -eq 0

# satchel history: a line per file, then how it got them.
"$SATCHEL" history -s "$S" >"$T/hist" 2>"$T/hist.err"
contains "satchel history lists a file with its commits, days and contributors" "$T/hist" \
	"$(printf 'content/tools/list/index.md\t4\t2025-01-10\t2025-04-15\tAna Editor, Boris Petrov')"
contains "satchel history says it read the cache" "$T/hist.err" "files read from the cache in"

# The cache gives the same site.
cp -R "$S/public" "$T/first"
"$SATCHEL" build -s "$S" -q 2>/dev/null
check "a build from the cache is byte-identical" diff -r "$T/first" "$S/public"

# An older commit: its own history.
"$SATCHEL" build -s "$S" --ref v1 -o "$T/v1" -q 2>/dev/null
contains "--ref: the history up to that commit" "$T/v1/en/tools/list/index.html" 'Updated <time datetime="2025-03-05">'
lacks "--ref: no later contributor" "$T/v1/en/tools/list/index.html" 'Boris P.'

# Translations that fell behind: the English source changes after the Bulgarian translation.
cd "$S" || exit 1
printf '\nA new paragraph.\n' >>content/guidance/assessment/index.md
commit "$S" "source grows" "2025-05-01T09:00:00Z"
# A typo fix that says it leaves translations as they are does not count.
sed -i 's/How to assess/How to assess/' content/guidance/assessment/index.md
printf '\n' >>content/guidance/assessment/index.md
(git add -A && GIT_AUTHOR_DATE=2025-05-02T09:00:00Z GIT_COMMITTER_DATE=2025-05-02T09:00:00Z \
	git commit -qm "Fix a typo" -m "Translations: unaffected")
cd - >/dev/null || exit 1
"$SATCHEL" build -s "$S" -q 2>/dev/null
BG=$S/public/bg/guidance/individualna-otsenka/index.html
contains "an outdated translation says so, in its language, linking the source" "$BG" \
	'Оригиналът е променен веднъж (на 1 май 2025'
contains "the notice links the current source" "$BG" 'href="/en/guidance/assessment/" lang="en" hreflang="en">Individual assessment</a>'
lacks "the source itself has no notice" "$S/public/en/guidance/assessment/index.html" 'class="outdated"'
"$SATCHEL" translations -s "$S" >"$T/tr" 2>&1
contains "satchel translations: outdated, behind once, since the day" "$T/tr" "outdated 1 since 2025-05-01"
contains "satchel translations: missing" "$T/tr" "missing"
"$SATCHEL" translations -s "$S" --format json >"$T/tr.json"
check "satchel translations --format json" python3 -c "
import json
d = json.load(open('$T/tr.json'))
r = {x['key']: x for x in d['resources']}
assert r['guidance/assessment']['status']['bg'] == {'state': 'outdated', 'behind': 1, 'since': '2025-05-01'}, r
assert r['guidance/assessment']['status']['en'] == {'state': 'source'}
assert r['tools/list']['status']['bg'] == {'state': 'missing'}
"
"$SATCHEL" translations -s "$S" --fail-on outdated >/dev/null
check "--fail-on outdated fails while one is" test $? -eq 1
ED=$S/public/en/editors/translations/index.html
contains "the editors' status page shows the outdated translation" "$ED" '<td class="state-outdated"><a href="/bg/guidance/individualna-otsenka/">1 change behind since 2025-05-01</a></td>'
contains "the editors' status page shows what is missing" "$ED" '<td class="state-missing">missing</td>'
contains "the editors' status page is not for search engines" "$ED" '<meta name="robots" content="noindex">'
lacks "nor in the sitemap" "$S/public/sitemap.xml" 'editors'
# The translator catches up.
cd "$S" || exit 1
printf '\nНов абзац.\n' >>content/guidance/assessment/index.bg.md
commit "$S" "translation catches up" "2025-06-01T09:00:00Z"
cd - >/dev/null || exit 1
"$SATCHEL" translations -s "$S" --fail-on outdated >/dev/null
check "--fail-on outdated passes once it caught up" test $? -eq 0
"$SATCHEL" translations -s "$S" --fail-on missing >/dev/null
check "--fail-on missing still fails (the tool has no Bulgarian version)" test $? -eq 1
"$SATCHEL" build -s "$S" -q 2>/dev/null
lacks "no notice once it caught up" "$BG" 'class="outdated"'
# translated_from decides: a later typo fix in the translation does not make it current.
caught=$(git -C "$S" rev-parse --short=10 HEAD)
cd "$S" || exit 1
printf '\nOne more paragraph.\n' >>content/guidance/assessment/index.md
commit "$S" "source grows again" "2025-07-01T09:00:00Z"
sed -i "s/^title: \"Индивидуална оценка\"/&\ntranslated_from: $caught/" content/guidance/assessment/index.bg.md
commit "$S" "typo in the translation" "2025-08-01T09:00:00Z"
cd - >/dev/null || exit 1
"$SATCHEL" translations -s "$S" >"$T/tr2" 2>&1
contains "translated_from: behind the source's change after that commit" "$T/tr2" "outdated 1 since 2025-07-01"
sed -i "s/^translated_from: .*/translated_from: 0123456789/" "$S/content/guidance/assessment/index.bg.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err3"
contains "translated_from naming no commit is a warning at its line" "$T/err3" \
	"content/guidance/assessment/index.bg.md:3:18: warning: 'translated_from' names no commit of this site's history"

# Recent changes: a page and an Atom feed per language, newest first, naming the pages.
"$SATCHEL" build -s "$S" -q 2>/dev/null
CH=$S/public/bg/changes/index.html
contains "recent changes list the latest commit first" "$CH" '<p class="change-summary">typo in the translation</p>'
contains "recent changes name the page in the reader's language" "$CH" 'href="/bg/guidance/individualna-otsenka/">Индивидуална оценка</a>'
contains "a change to an untranslated page links the version there is" "$S/public/bg/changes/index.html" 'href="/en/tools/list/" lang="en" hreflang="en">'
contains "the rename is one change to the page under its new name" "$S/public/en/changes/index.html" '<p class="change-summary">rename</p>'
check "the changes feed is Atom" python3 -c "
import xml.etree.ElementTree as E
f = E.parse('$S/public/en/changes.xml').getroot()
ns = {'a': 'http://www.w3.org/2005/Atom'}
titles = [e.find('a:title', ns).text for e in f.findall('a:entry', ns)]
assert titles[0] == 'typo in the translation' and 'rename' in titles, titles
"
contains "every page's footer links the recent changes" "$S/public/en/index.html" 'href="/en/changes/">Recent changes</a>'

# A shallow clone builds, saying its dates may be incomplete.
git clone -q --depth 1 "file://$S" "$T/shallow"
"$SATCHEL" build -s "$T/shallow" -q 2>"$T/err2"
check "a shallow clone builds" test $? -eq 0
contains "a shallow clone warns" "$T/err2" "warning: this is a shallow clone: dates and contributors come from the commits it has and may be incomplete"

finish
