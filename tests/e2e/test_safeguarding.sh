#!/bin/sh
# Safeguarding (issue 5): a child-made material is published only with a valid consent record;
# missing or run-out consent and the withdrawal list leave it out of everything (pages in every
# language, its files, feeds, search, sitemap); --strict fails instead; front matter that could
# name a child is an error; `satchel check` reports it all, grouped and counted, or as JSON.
. "$(dirname "$0")/lib.sh"

export SOURCE_DATE_EPOCH=1795651200 # 2026-11-25
S=$T/site
mkdir -p "$S/content/by-children/drawing" "$S/content/by-children/expired" \
	"$S/content/by-children/withdrawn" "$S/content/by-children/no-consent" \
	"$S/content/by-children/no-guardian" "$S/content/guidance/guide" "$S/safeguarding"
cat >"$S/site.yaml" <<'YAML'
title: Hub
base_url: https://hub.example.org/
default_language: en
languages:
  - {code: en, name: English}
  - {code: bg, name: Български}
sections: [{name: by-children, type: child-made}, guidance]
YAML
# material NAME TITLE WORDS CONSENT-LINES: a child-made text with a bundle file.
material() {
	{
		printf -- '---\ntitle: "%s"\ndate: 2026-01-10\nmedium: text\npseudonym: "%s"\n' "$2" "${PSEUDO:-Lark}"
		printf 'age_range: "%s"\ncountry: RS\n%s---\n%s\n' "${AGES:-9-11}" "$4" "$3"
	} >"$S/content/by-children/$1/index.md"
	printf '%s file\n' "$3" >"$S/content/by-children/$1/words.txt"
}
VALID='consent:
  child: true
  guardian: true
  given: 2026-01-01
  review: 2027-06-01
  recorded_by: "Workshop lead"
  reference: "Form 14, kept by the partner"
'
material drawing "Room drawing" "Quokka daylight words." "$VALID"
sed 's/Room drawing/Стая/' "$S/content/by-children/drawing/index.md" | grep -v '^consent\|^  ' \
	>"$S/content/by-children/drawing/index.bg.md"
material expired "Expired poem" "Zebrafish expired words." 'consent: {child: true, guardian: true, given: 2025-01-01, review: 2026-01-01, recorded_by: "CAB coordinator"}
'
printf -- '---\ntitle: "Изтекло"\n---\nZebrafish на български.\n' >"$S/content/by-children/expired/index.bg.md"
cp "$ROOT/content/by-children/a-safe-room-to-talk/drawing.png" "$S/content/by-children/expired/secret-picture.png"
cp "$ROOT/content/by-children/what-we-want-judges-to-know/film.mp4" "$S/content/by-children/withdrawn/secret-film.mp4"
material withdrawn "Withdrawn song" "Narwhal withdrawn words." "$VALID"
printf -- '---\ntitle: "Оттеглено"\n---\nNarwhal на български.\n' >"$S/content/by-children/withdrawn/index.bg.md"
material no-consent "Unconsented story" "Axolotl unconsented words." ""
material no-guardian "Guardianless story" "Pangolin guardianless words." 'consent: {child: true, given: 2026-01-01, review: 2027-01-01, recorded_by: "X"}
'
cat >"$S/content/guidance/guide/index.md" <<'MD'
---
title: "Guide"
date: 2025-02-01
---
## Part one

See [the song](../../by-children/withdrawn/index.md) and [the room](../../by-children/drawing/index.md).
MD
cat >"$S/safeguarding/withdrawn.yaml" <<'YAML'
- path: by-children/withdrawn
  date: 2026-11-20
  note: the guardian asked
YAML
(cd "$S" && git init -q) && commit "$S" "hub"

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a site with materials left out builds" test $? -eq 0
P=$S/public
exists "a material with valid consent is published" "$P/en/by-children/drawing/index.html"
exists "in every language" "$P/bg/by-children/drawing/index.html"
exists "with its files" "$P/en/by-children/drawing/words.txt"
for w in Zebrafish Narwhal Axolotl Pangolin; do
	if grep -rqF "$w" "$P"; then fail "no trace of '$w' anywhere in public/"; else ok "no trace of '$w' anywhere in public/"; fi
done
for d in expired withdrawn no-consent no-guardian; do
	absent "no page of $d (en)" "$P/en/by-children/$d"
	absent "no page of $d (bg)" "$P/bg/by-children/$d"
done
# The search index holds words folded and stemmed (lower case): no trace in any case.
for w in Zebrafish Narwhal Axolotl Pangolin; do
	if grep -rqiF "$w" "$P"/*/search; then fail "no search piece or fragment holds '$w'"; else ok "no search piece or fragment holds '$w'"; fi
done
if grep -rqiF "drawing" "$P/en/search/t" && grep -rqF "Room drawing" "$P/en/search/f"; then
	ok "the search index has the published material"
else
	fail "the search index has the published material"
fi
if find "$P" -name "secret-*" | grep -q .; then
	fail "no image or video of a left-out material is published"
else
	ok "no image or video of a left-out material is published"
fi
if grep -rqE 'by-children/(expired|withdrawn|no-consent|no-guardian)' "$P"; then
	fail "no link, feed entry, search entry or sitemap URL names a left-out material"
else
	ok "no link, feed entry, search entry or sitemap URL names a left-out material"
fi
contains "feeds still list the published material" "$P/en/index.xml" "Room drawing"
contains "run-out consent is reported at its line" "$T/err" \
	"content/by-children/expired/index.md:8: warning: left out of the site, in every language and with its files: consent ran out on 2026-01-01"
contains "missing consent is reported" "$T/err" \
	"content/by-children/no-consent/index.md:1: warning: left out of the site, in every language and with its files: no consent record"
contains "consent without a guardian is reported" "$T/err" \
	"content/by-children/no-guardian/index.md:8: warning: left out of the site, in every language and with its files: the record does not give a parent's or guardian's consent"
contains "a link to withdrawn material is reported" "$T/err" \
	"content/guidance/guide/index.md:7: warning: link to '../../by-children/withdrawn/index.md', which is left out for safeguarding"
lacks "a withdrawn material is not itself a warning" "$T/err" "withdrawn.yaml"
contains "the consent record's private fields never reach a page" "$P/en/by-children/drawing/index.html" "Room drawing"
if grep -rqF "Form 14" "$P" || grep -rqF "Workshop lead" "$P"; then
	fail "who recorded consent is not published"
else
	ok "who recorded consent is not published"
fi

# --strict: the same site fails, and the output above is left as it was.
cp "$P/en/index.html" "$T/before.html"
"$SATCHEL" build -s "$S" -q --strict 2>"$T/err"
check "--strict fails on a material left out" test $? -ne 0
contains "--strict reports it as an error" "$T/err" "content/by-children/expired/index.md:8: error: left out of the site"
check "--strict leaves public/ as it was" cmp "$T/before.html" "$P/en/index.html"

# The withdrawal list applies to builds of a commit (--ref) too, and a path that matches nothing
# is a warning: a misspelt entry would leave the material published.
printf -- '- by-children/withdrawn\n- by-children/withdrawm\n' >"$S/safeguarding/withdrawn.yaml"
commit "$S" "typo"
"$SATCHEL" build -s "$S" --ref HEAD -q 2>"$T/err"
check "a build of a commit succeeds" test $? -eq 0
absent "the commit's withdrawal list applies" "$P/en/by-children/withdrawn"
contains "a withdrawal that names nothing is reported" "$T/err" \
	"safeguarding/withdrawn.yaml:2: warning: 'by-children/withdrawm' names no page or folder of the site"
printf 'withdrawn: [by-children/withdrawn, ../../etc]\n' >"$S/safeguarding/withdrawn.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a withdrawal outside content/ is an error" test $? -ne 0
contains "... at its line" "$T/err" "safeguarding/withdrawn.yaml:1:"
printf -- '- by-children/withdrawn\n' >"$S/safeguarding/withdrawn.yaml"

# `satchel check`: every problem is an error, grouped by file and counted; JSON for tools.
"$SATCHEL" check -s "$S" >"$T/check" 2>&1
check "check exits 1 on errors" test $? -eq 1
contains "check lists run-out consent as an error" "$T/check" \
	"content/by-children/expired/index.md:8: error: left out of the site"
contains "check counts" "$T/check" "4 errors, 0 warnings in 4 files"
check "check publishes nothing" cmp "$T/before.html" "$P/en/index.html"
"$SATCHEL" check -s "$S" --format json >"$T/check.json" 2>&1
python3 - "$T/check.json" <<'PY' && ok "check --format json gives counts and problems by file" || fail "check --format json gives counts and problems by file"
import json, sys
d = json.load(open(sys.argv[1]))
files = {f["path"]: f["problems"] for f in d["files"]}
p = files["content/by-children/expired/index.md"][0]
sys.exit(0 if d["errors"] == 4 and d["warnings"] == 0 and p["line"] == 8 and p["severity"] == "error"
         and p["message"].startswith("left out of the site") else 1)
PY

# Consent near its review date: published, with a warning to renew it.
sed -i 's/review: 2027-06-01/review: 2026-12-10/' "$S/content/by-children/drawing/index.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
exists "consent close to its review date still publishes" "$P/en/by-children/drawing/index.html"
contains "... with a warning to review it" "$T/err" \
	"content/by-children/drawing/index.md:8: warning: consent is to be reviewed by 2026-12-10"
SOURCE_DATE_EPOCH=1797033600 "$SATCHEL" build -s "$S" -q 2>"$T/err" # 2026-12-11
absent "the day after the review date it is left out" "$P/en/by-children/drawing"

# Front matter that could identify a child is an error, at its line.
bad() { # NAME LINE-IN-FRONT-MATTER EXPECTED
	material drawing "Room drawing" "Quokka daylight words." "$VALID$2
"
	"$SATCHEL" build -s "$S" -q 2>"$T/err"
	check "$1 fails the build" test $? -ne 0
	contains "$1 is reported" "$T/err" "$3"
}
PSEUDO="Maria Petrova" bad "a full name as pseudonym" '' \
	"content/by-children/drawing/index.md:5:12: error: 'pseudonym' looks like a full name"
bad "a Cyrillic full name" 'creator: "Мария Петрова"' \
	"content/by-children/drawing/index.md:15:10: error: 'creator' looks like a full name"
bad "a school in the group" 'group: "Primary School No. 5, Sofia"' \
	"content/by-children/drawing/index.md:15:8: error: 'group' names a school"
bad "a Bulgarian school" 'group: "151 СУ, училище в София"' "error: 'group' names a school"
bad "a birth date key" 'birth_date: 2015-03-07' \
	"content/by-children/drawing/index.md:15: error: 'birth_date' could identify a child"
AGES="07.03.2015" bad "an exact date in the age range" '' "content/by-children/drawing/index.md:6:12: error: 'age_range'"
bad "a school key" 'school: "No. 5"' "error: 'school' could identify a child"
material drawing "Room drawing" "Quokka daylight words." "${VALID}group: \"Children's workshop, Belgrade\"
"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a pseudonym and a workshop's name are fine" test $? -eq 0
# Issue 10: consent is asked by what a material is, not by the `type:` its own file declares; a
# left-out material takes every file beside it (a single-file page's too) and every link to it;
# a version pointing at it is a warning, not a failed build.
S=$T/s2
P=$S/public
mkdir -p "$S/content/by-children/disguised" "$S/content/by-children/kidpartner" \
	"$S/content/guidance/partner" "$S/content/guidance/twin" "$S/content/guidance/kidbundle" \
	"$S/content/guidance/kidbundle2/extra" "$S/content/guidance/links" "$S/content/guidance/full" \
	"$S/content/by-children/cf"
cp "$T/site/site.yaml" "$S/site.yaml"
fm() { printf -- '---\ntitle: "%s"\ndate: 2026-01-10\n%s---\n%s\n' "$1" "$2" "$3"; }
KID='medium: text
pseudonym: "Lark"
age_range: "9-11"
country: RS
'
# A page of the child-made section that says it is guidance.
fm "Disguised" "type: guidance
" "Okapi disguised words." >"$S/content/by-children/disguised/index.md"
printf 'Okapi file\n' >"$S/content/by-children/disguised/okapi-notes.txt"
# An English guidance page that joins a child-made Bulgarian version by translation_key.
fm "Partner" "type: guidance
translation_key: by-children/kidpartner
" "Tapir partner words." >"$S/content/guidance/partner/index.md"
fm "Партньор" "" "Tapir на български." >"$S/content/by-children/kidpartner/index.bg.md"
# A guidance page whose translation says it is child-made.
fm "Twin" "" "Dugong twin words." >"$S/content/guidance/twin/index.md"
fm "Близнак" "type: child-made
$KID" "Dugong на български." >"$S/content/guidance/twin/index.bg.md"
# A page inside a child-made bundle that says it is guidance; one that moved its key away.
fm "Kid bundle" "type: child-made
$KID$VALID" "Koala bundle words." >"$S/content/guidance/kidbundle/index.md"
fm "Notes" "type: guidance
" "Wombat notes words." >"$S/content/guidance/kidbundle/notes.md"
fm "Kid bundle 2" "type: child-made
$KID" "Quokka2 bundle words." >"$S/content/guidance/kidbundle2/index.md"
fm "Extra" "type: guidance
translation_key: elsewhere/extra
" "Quetzal extra words." >"$S/content/guidance/kidbundle2/extra/index.md"
# A single-file child-made page without consent, and the files beside it.
fm "Story" "$KID" "Ibex story words. ![the drawing](story-drawing.png) [notes](sub/ibex-notes.txt)" \
	>"$S/content/by-children/story.md"
cp "$ROOT/content/by-children/a-safe-room-to-talk/drawing.png" "$S/content/by-children/story.png"
cp "$ROOT/content/by-children/a-safe-room-to-talk/drawing.png" "$S/content/by-children/story-drawing.png"
printf 'WEBVTT\n\n00:00.000 --> 00:01.000\nIbex caption\n' >"$S/content/by-children/story.en.vtt"
mkdir -p "$S/content/by-children/sub"
printf 'Ibex notes\n' >"$S/content/by-children/sub/ibex-notes.txt"
printf 'kept\n' >"$S/content/by-children/storyteller.txt"
# A single-file page withdrawn: its picture goes too.
fm "Poem" "$KID$VALID" "Gecko poem words." >"$S/content/by-children/poem.md"
cp "$ROOT/content/by-children/a-safe-room-to-talk/drawing.png" "$S/content/by-children/poem.png"
mkdir -p "$S/safeguarding" && printf -- '- by-children/poem\n' >"$S/safeguarding/withdrawn.yaml"
# Links to all of it from another page, in every form.
cat >"$S/content/guidance/links/index.md" <<'MD'
---
title: "Links"
date: 2025-02-01
---
Read [the story text](../../by-children/story.md) and [the caption](../../by-children/story.en.vtt).
See ![a drawing](../../by-children/story.png) and [the folder](../../by-children/disguised/).
Also [the absolute one](/en/by-children/story/) and [its file](/by-children/story.png).
And [the poem](../../by-children/poem.md) with [its picture](../../by-children/poem.png).
By [its address](https://HUB.example.org/en/by-children/story/), [over http](http://hub.example.org/by-children/story.png), [host-relative](//hub.example.org/en/by-children/disguised/),
[encoded](/en/by-children/%73tory/), [dotted](/en/guidance/../by-children/story/), [climbing](/../en/by-children/story/), [backslashed](/en\\by-children\\story/),
[relative encoded](../../by-children/%64isguised/) and bare: <https://hub.example.org/en/by-children/story/>, https://hub.example.org/en/by-children/cf/.
MD
# A full version whose child-friendly version has run out of consent.
fm "Full" "child_friendly: ../../by-children/cf/index.md
" "Full version words." >"$S/content/guidance/full/index.md"
fm "Child-friendly" "$KID"'consent: {child: true, guardian: true, given: 2025-01-01, review: 2026-01-01, recorded_by: "X"}
' "Lemur child-friendly words." >"$S/content/by-children/cf/index.md"
(cd "$S" && git init -q) && commit "$S" "hub"
"$SATCHEL" build -s "$S" -q 2>"$T/err2"
check "a site whose child-friendly version ran out of consent still builds" test $? -eq 0
for w in Okapi Tapir Dugong Wombat Quetzal Ibex Gecko Lemur; do
	if [ ! -d "$P/en" ] || grep -rqF "$w" "$P"; then fail "consent by what it is: no trace of '$w' in public/"; else ok "consent by what it is: no trace of '$w' in public/"; fi
done
contains "a material with consent in a child-made bundle stays" "$P/en/guidance/kidbundle/index.html" "Koala"
contains "a guidance page of a child-made section needs consent" "$T/err2" \
	"content/by-children/disguised/index.md:1: warning: left out of the site"
if [ ! -d "$P/en" ] || find "$P" -name "story.*" -o -name "story-*" -o -name "poem*" -o -name "*notes*" | grep -q .; then
	fail "the files beside a left-out single-file page are left out"
	find "$P" -name "story.*" -o -name "story-*" -o -name "poem*" -o -name "*notes*"
else
	ok "the files beside a left-out single-file page are left out"
fi
exists "a file that only starts like the page's name stays" "$P/by-children/storyteller.txt"
if [ ! -d "$P/en" ] || grep -rqE 'by-children(/|\\|%5[Cc])(story|%73tory|disguised|%64isguised|poem|cf|kidpartner)|story\.(png|en)|kidbundle2' "$P"; then
	fail "no published byte names a left-out material's path"
	grep -rlE 'by-children(/|\\|%5[Cc])(story|%73tory|disguised|%64isguised|poem|cf|kidpartner)|story\.(png|en)|kidbundle2' "$P" | head -5
else
	ok "no published byte names a left-out material's path"
fi
L=$P/en/guidance/links/index.html
contains "a link to a left-out page keeps its text" "$L" "the story text"
contains "... its file's too" "$L" "the caption"
contains "... an absolute one's too" "$L" "the absolute one"
contains "... one by the site's full address too" "$L" "its address"
lacks "a left-out link whose text was its address leaves no address" "$L" "hub.example.org/en/by-children"
lacks "no link is left with an empty address" "$L" 'href=""'
lacks "no image of a left-out material is shown" "$L" "<img"
for n in 5:../../by-children/story.md 5:../../by-children/story.en.vtt 6:../../by-children/story.png \
	6:../../by-children/disguised/ 7:/en/by-children/story/ 7:/by-children/story.png \
	8:../../by-children/poem.md 8:../../by-children/poem.png \
	9:https://HUB.example.org/en/by-children/story/ 9:http://hub.example.org/by-children/story.png \
	9://hub.example.org/en/by-children/disguised/ 10:/en/by-children/%73tory/ \
	10:/en/guidance/../by-children/story/ 10:/../en/by-children/story/ \
	11:../../by-children/%64isguised/ 11:https://hub.example.org/en/by-children/story/; do
	contains "a link to '${n#*:}' is a warning at its line" "$T/err2" \
		"content/guidance/links/index.md:${n%%:*}: warning: link to '${n#*:}', which is left out for safeguarding"
done
contains "child_friendly naming a left-out version is a warning at its line" "$T/err2" \
	"content/guidance/full/index.md:4:17: warning: 'child_friendly' names a version that is left out"
contains "the full version is published" "$P/en/guidance/full/index.html" "Full version words"
"$SATCHEL" build -s "$S" -q --strict 2>"$T/err2"
check "--strict refuses a version left out" test $? -ne 0
# The group field is read for names as the pseudonym is.
S=$T/site
P=$S/public
bad "a shouted name in the group" 'group: "MARIA PETROVA"' \
	"content/by-children/drawing/index.md:15:8: error: 'group' looks like a full name"
bad "a surname first in the group" 'group: "Petrova, Maria"' "error: 'group' looks like a full name"
bad "a name with a particle" 'creator: "Maria van der Berg"' "error: 'creator' looks like a full name"
bad "a Cyrillic name in capitals" 'group: "МАРИЯ ПЕТРОВА"' "error: 'group' looks like a full name"
bad "a name with a zero-width space" "$(printf 'pseudonym2: x\ncreator: "Ma\342\200\213ria Pe\302\255trova"')" \
	"error: 'creator' looks like a full name"
material drawing "Room drawing" "Quokka daylight words." "${VALID}group: \"Child Advisory Board, Sofia\"
"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a board's name in the group is fine" test $? -eq 0
finish
