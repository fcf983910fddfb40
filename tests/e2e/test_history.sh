#!/bin/sh
# Git history on pages: a site in a repository with scripted commits by several authors (one
# known by two addresses, joined by .mailmap), a rename and a translation; pages show the
# published and updated dates and the contributors git knows, an "edit this page" link from
# site.yaml's pattern; the walk is cached per commit; --ref builds an older state; a shallow clone
# builds with a warning. Then what git's record may publish (site.yaml's history: no names, no
# commit messages, never an address, by default), and a history whose dates run backwards
# (a rebase, a wrong clock), counted by the graph.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
printf 'edit_url: "https://forge.example.org/hub/edit/{branch}/{path}"\n' >>"$S/site.yaml"
# This part checks what git tells, so the site publishes all of it.
printf 'history: {contributors: all, changes: public}\n' >>"$S/site.yaml"
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

# ---- What git reveals: only what site.yaml's history allows, never an address ----
R=$T/reveal
minisite "$R"
sed -i '/^date:/d' "$R/content/tools/checklist/index.md"
cd "$R" || exit 1
git init -q
commit "$R" "SUBJ-one internal note on case 4411" "2025-01-10T09:00:00Z"
printf '\nMore.\n' >>content/tools/checklist/index.md
(git add -A && GIT_AUTHOR_NAME="mira@example.org" GIT_AUTHOR_EMAIL="mira@example.org" \
	GIT_AUTHOR_DATE=2025-02-01T09:00:00Z GIT_COMMITTER_DATE=2025-02-01T09:00:00Z \
	git commit -qm "SUBJ-two asked by mira@example.org")
printf 'Boris Petrov <boris@new.example> <boris@old.example>\n' >.mailmap
printf '\nAnd more.\n' >>content/tools/checklist/index.md
(git add -A && GIT_AUTHOR_NAME="Boris" GIT_AUTHOR_EMAIL="boris@old.example" \
	GIT_AUTHOR_DATE=2025-03-01T09:00:00Z GIT_COMMITTER_DATE=2025-03-01T09:00:00Z \
	git commit -qm "SUBJ-three Boris fixes")
cd - >/dev/null || exit 1
# history_build NAME SETTINGS: builds R with `history:` set as given (or not at all) into $T/NAME.
history_build() {
	sed -i '/^history:/d' "$R/site.yaml"
	[ -n "$2" ] && printf 'history: %s\n' "$2" >>"$R/site.yaml"
	"$SATCHEL" build -s "$R" -o "$T/$1" -q 2>"$T/$1.err"
}
# nowhere NAME DIR TEXT: no file under DIR holds TEXT.
nowhere() {
	if grep -rqF -- "$3" "$2"; then fail "$1 ($(grep -rlF -- "$3" "$2" | head -3 | tr '\n' ' ')holds: $3)"; else ok "$1"; fi
}
history_build def ""
check "default: builds" test $? -eq 0
D=$T/def
nowhere "default: no commit subject anywhere (pages, feeds, JSON)" "$D" "SUBJ-"
nowhere "default: no author name anywhere" "$D" "Ana Editor"
nowhere "default: not even a name .mailmap gives" "$D" "Boris"
nowhere "default: no address anywhere" "$D" "@example.org"
nowhere "default: no address anywhere (old)" "$D" "@old.example"
lacks "default: no contributors line" "$D/en/tools/checklist/index.html" 'class="meta contributors"'
contains "default: recent changes list days" "$D/en/changes/index.html" '<time datetime="2025-03-01">March 1, 2025</time></p>'
contains "default: recent changes name the pages" "$D/en/changes/index.html" '>Assessment checklist</a>'
lacks "default: recent changes carry no subject" "$D/en/changes/index.html" 'change-summary'
check "default: the changes feed names the pages, not the commits" python3 -c "
import xml.etree.ElementTree as E
f = E.parse('$D/en/changes.xml').getroot()
ns = {'a': 'http://www.w3.org/2005/Atom'}
t = [e.find('a:title', ns).text for e in f.findall('a:entry', ns)]
assert t[0] == 'Assessment checklist' and len(t) == 3, t
"
contains "default: the footer links the recent changes" "$D/en/index.html" 'href="/en/changes/">Recent changes</a>'

history_build mailmap "{contributors: mailmap}"
contains "mailmap: a name .mailmap gives is shown" "$T/mailmap/en/tools/checklist/index.html" 'Contributors: Boris Petrov</p>'
nowhere "mailmap: a name it does not give is not" "$T/mailmap" "Ana Editor"
nowhere "mailmap: names stay off the changes list (titles)" "$T/mailmap/en/changes" "Boris"

history_build all "{contributors: all}"
contains "all: every name, most commits first" "$T/all/en/tools/checklist/index.html" 'Contributors: Ana Editor, Boris Petrov</p>'
nowhere "all: a name that is an address is never shown" "$T/all" "mira"
nowhere "all: no address anywhere" "$T/all" "@example.org"
nowhere "all: still no subject (changes: titles)" "$T/all" "SUBJ-"

history_build public "{contributors: all, changes: public}"
P=$T/public/en/changes/index.html
contains "public: subjects on the changes page" "$P" '<p class="change-summary">SUBJ-three Boris fixes</p>'
contains "public: an address in a subject is taken out" "$P" '<p class="change-summary">SUBJ-two asked by …</p>'
contains "public: authors on the changes page" "$P" '· Boris Petrov</p>'
nowhere "public: still no address anywhere" "$T/public" "@example.org"
check "public: the feed's entries are the subjects, with author and pages" python3 -c "
import xml.etree.ElementTree as E
f = E.parse('$T/public/en/changes.xml').getroot()
ns = {'a': 'http://www.w3.org/2005/Atom'}
e = f.findall('a:entry', ns)
assert e[0].find('a:title', ns).text == 'SUBJ-three Boris fixes'
assert e[0].find('a:summary', ns).text == 'Boris Petrov: Assessment checklist', e[0].find('a:summary', ns).text
"
history_build pubnonames "{changes: public}"
contains "public, contributors off: subjects" "$T/pubnonames/en/changes/index.html" 'SUBJ-three'
nowhere "public, contributors off: no names" "$T/pubnonames" "Boris Petrov"

history_build editors "{changes: editors, contributors: all}"
E=$T/editors/en/editors/changes/index.html
contains "editors: the subjects on the editors' page" "$E" '<p class="change-summary">SUBJ-one internal note on case 4411</p>'
contains "editors: not for search engines" "$E" '<meta name="robots" content="noindex">'
absent "editors: no public changes page" "$T/editors/en/changes"
absent "editors: no changes feed" "$T/editors/en/changes.xml"
absent "editors: no page in other languages" "$T/editors/bg/editors/changes"
lacks "editors: not in the sitemap" "$T/editors/sitemap.xml" 'changes'
lacks "editors: not linked from the footer" "$T/editors/en/index.html" 'changes/'
check "editors: the subjects are on that page only" sh -c "[ \"\$(grep -rlF SUBJ- '$T/editors')\" = '$E' ]"

history_build off "{changes: off}"
absent "off: no changes page" "$T/off/en/changes"
absent "off: no changes feed" "$T/off/en/changes.xml"
lacks "off: no footer link" "$T/off/en/index.html" 'changes/'

history_build bad "{contributors: everyone}"
check "an unknown value fails the build" test $? -eq 1
contains "an unknown value is an error at its place" "$T/bad.err" \
	"site.yaml:13:25: error: history.contributors must be one of off, mailmap, all, not everyone"
history_build bad2 "{changes: all}"
contains "an unknown changes value is an error at its place" "$T/bad2.err" \
	"site.yaml:13:20: error: history.changes must be one of titles, editors, off, public, not all"
history_build bad3 "{contributor: all}"
contains "an unknown key in history is an error" "$T/bad3.err" "site.yaml:13: error: unknown key 'contributor' in history"

# ---- Backdated commits: the graph decides, not the dates ----
B=$T/backdated
minisite "$B"
# No dates in front matter: git's, and the translation's the source's.
sed -i '/^date:/d' "$B/content/guidance/assessment/index.md" "$B/content/guidance/assessment/index.bg.md" \
	"$B/content/tools/checklist/index.md"
mv "$B/content/guidance/assessment/index.bg.md" "$T/bg.md"
mv "$B/content/tools/checklist" "$T/checklist"
cd "$B" || exit 1
git init -q
commit "$B" "start" "2025-03-01T09:00:00Z"
mkdir -p content/tools && mv "$T/checklist" content/tools/old
commit "$B" "checklist" "2025-03-02T09:00:00Z"
cp "$T/bg.md" content/guidance/assessment/index.bg.md
# A source with a date in front matter, its translation without one.
mkdir -p content/about
printf -- '---\ntitle: About\ndate: 2024-11-05\n---\nAbout.\n' >content/about/index.md
printf -- '---\ntitle: За нас\n---\nЗа нас.\n' >content/about/index.bg.md
commit "$B" "translation" "2025-06-01T09:00:00Z"
# A rebase with old dates: both dates older than the parent's, a source change and a rename.
printf '\nA new paragraph.\n' >>content/guidance/assessment/index.md
git mv content/tools/old content/tools/checklist
(git add -A && GIT_AUTHOR_NAME="Boris" GIT_AUTHOR_EMAIL="boris@old.example" \
	GIT_AUTHOR_DATE=2025-01-15T09:00:00Z GIT_COMMITTER_DATE=2025-01-15T09:00:00Z git commit -qm "old-dated")
back=$(git rev-parse --short=10 HEAD)
cd - >/dev/null || exit 1
printf 'history: {contributors: all}\n' >>"$B/site.yaml"
"$SATCHEL" build -s "$B" -q 2>"$T/b.err"
check "backdated: builds" test $? -eq 0
contains "backdated: published is the first commit in the graph, not the oldest date" \
	"$B/public/en/guidance/assessment/index.html" 'Published <time datetime="2025-03-01">'
contains "backdated: a translation without a date takes its source's" \
	"$B/public/bg/guidance/individualna-otsenka/index.html" '<time datetime="2025-03-01">'
contains "a translation without a date takes its source's front matter date" \
	"$B/public/bg/about/index.html" '<time datetime="2024-11-05">'
contains "backdated: the translation is behind the later (older-dated) source change" \
	"$B/public/bg/guidance/individualna-otsenka/index.html" 'class="outdated"'
"$SATCHEL" translations -s "$B" >"$T/btr" 2>&1
contains "backdated: satchel translations says outdated, since the change's own day" "$T/btr" "outdated 1 since 2025-01-15"
contains "backdated: the rename is followed to the commit that added the file" \
	"$B/public/en/tools/checklist/index.html" 'Contributors: Ana Editor, Boris</p>'
"$SATCHEL" history -s "$B" >"$T/bhist" 2>/dev/null
contains "backdated: satchel history: first and last by the graph" "$T/bhist" \
	"$(printf 'content/guidance/assessment/index.md\t2\t2025-03-01\t2025-01-15')"
contains "backdated: the renamed file has both commits" "$T/bhist" \
	"$(printf 'content/tools/checklist/index.md\t2\t2025-03-02\t2025-01-15')"
check "backdated: the newest commit leads the recent changes" sh -c \
	"grep -o 'id=\"c-[0-9a-f]*\"' '$B/public/en/changes/index.html' | head -1 | grep -q '$back'"

finish
