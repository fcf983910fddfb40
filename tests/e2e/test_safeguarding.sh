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
finish
