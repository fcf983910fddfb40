#!/bin/sh
# Content types over the demo hub (this repository's site.yaml and content/): each type's layout
# (tool files first, child-made video with captions, course modules, events split into upcoming
# and past at the build's SOURCE_DATE_EPOCH, partners and projects linked both ways), countries
# named by ICU, image sizes, the CSS+JS weight of a page, and schema errors on a broken copy.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S"
cp -R "$ROOT/site.yaml" "$ROOT/content" "$ROOT/static" "$S/"
(cd "$S" && git init -q) && commit "$S" "Demo hub"
SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q 2>"$T/err"
check "the demo hub builds" test $? -eq 0
check "without a warning" test ! -s "$T/err"
[ -s "$T/err" ] && cat "$T/err"
SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" check -s "$S" >"$T/check" 2>&1
check "satchel check finds nothing wrong in the demo hub" test $? -eq 0
contains "... and says so" "$T/check" "0 errors, 0 warnings in 0 files"
P=$S/public

# Tool: the files to download lead, each naming format, size and language; a print button.
TOOL=$P/en/tools/individual-assessment-checklist/index.html
contains "tool kicker names its kind" "$TOOL" '<p class="kicker">Tool · Checklist</p>'
contains "tool download names format, size and language" "$TOOL" \
	'checklist.txt <span class="file-meta">(TXT, 2 KB, <span lang="en">English</span>)</span></a>'
python3 - "$TOOL" <<'PY' && ok "tool downloads come before the text" || fail "tool downloads come before the text"
import sys
h = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if 0 < h.index('class="downloads"') < h.index('<div class="content">') else 1)
PY
contains "tool offers printing" "$TOOL" 'data-print hidden>Print this page</button>'

# Child-made material: the creator by pseudonym, age range, group and country only; an HTML5
# video with poster and a captions track per language, the reader's first; no autoplay, no
# embed from elsewhere.
VID=$P/bg/by-children/kakvo-iskame-da-znayat-sadiite/index.html
EN_VID=$P/en/by-children/what-we-want-judges-to-know/index.html
contains "video with poster, not autoplaying" "$EN_VID" '<video controls preload="none" playsinline poster="/en/by-children/what-we-want-judges-to-know/poster.jpg" width="480" height="270">'
contains "English captions first and default on the English page" "$EN_VID" \
	'<track kind="captions" src="/en/by-children/what-we-want-judges-to-know/film.en.vtt" srclang="en" label="English" default>'
contains "Bulgarian captions default on the Bulgarian page" "$VID" \
	'<track kind="captions" src="/en/by-children/what-we-want-judges-to-know/film.bg.vtt" srclang="bg" label="Български" default>'
contains "the other captions are offered too" "$VID" 'srclang="en" label="English">'
lacks "no autoplay" "$VID" "autoplay"
lacks "no third-party embed" "$VID" "<iframe"
contains "creator by pseudonym and age range" "$EN_VID" '<dt>Made by</dt><dd>Sky, aged 14–17</dd>'
contains "creator's country named by ICU in Bulgarian" "$VID" '<dd>България</dd>'
lacks "the video and captions are not listed as downloads" "$EN_VID" 'class="downloads"'
DRAW=$P/en/by-children/a-safe-room-to-talk/index.html
contains "drawing with its alt text and size" "$DRAW" 'width="800" height="600" decoding="async">'
python3 - "$DRAW" <<'PY' && ok "the drawing has a description" || fail "the drawing has a description"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<img src="[^"]*drawing.png" alt="([^"]*)"', h)
sys.exit(0 if m and len(m.group(1)) > 20 else 1)
PY

# Course: ordered modules with previous/next and progress; the section lists the course only.
C=$P/en/training/introduction-to-child-friendly-justice
contains "course lists its modules in order" "$C/index.html" '<li><a href="/en/training/introduction-to-child-friendly-justice/01-principles/">'
contains "module shows its place" "$C/02-hearing-the-child/index.html" '<progress id="course-progress" max="3" value="2">'
contains "module links the previous" "$C/02-hearing-the-child/index.html" 'href="/en/training/introduction-to-child-friendly-justice/01-principles/" rel="prev"'
contains "module links the next" "$C/02-hearing-the-child/index.html" 'href="/en/training/introduction-to-child-friendly-justice/03-working-together/" rel="next"'
contains "module breadcrumb names the course" "$C/02-hearing-the-child/index.html" '<li><a href="/en/training/introduction-to-child-friendly-justice/">Introduction to child-friendly justice</a></li>'
lacks "training lists the course, not its modules" "$P/en/training/index.html" '01-principles'
python3 - "$C/index.html" <<'PY' && ok "course JSON-LD has its modules" || fail "course JSON-LD has its modules"
import json, re, sys
d = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', open(sys.argv[1], encoding="utf-8").read(), re.S).group(1))
sys.exit(0 if d["@type"] == "Course" and [p["position"] for p in d["hasPart"]] == [1, 2, 3] else 1)
PY

# Events split at the build's "now" (SOURCE_DATE_EPOCH 2026-11-26): the 2025 workshop is past.
E=$P/en/events/index.html
python3 - "$E" <<'PY' && ok "events: upcoming soonest first, past below" || fail "events: upcoming soonest first, past below"
import sys
h = open(sys.argv[1], encoding="utf-8").read()
up, past = h.index('data-events="upcoming"'), h.index('data-events="past"')
w, c, p = h.index("webinar-individual-assessment"), h.index("regional-conference-thessaloniki"), h.index("barnahus-workshop-plovdiv")
sys.exit(0 if up < w < c < past < p else 1)
PY
# (ICU puts a narrow no-break space before "г.": the check takes the parts around it.)
contains "event date in the reader's locale" "$P/bg/events/uebinar-individualna-otsenka/index.html" '<time datetime="2027-03-18T10:00:00+02:00">18 март 2027'
contains "event time as written (+02:00), not in UTC" "$P/bg/events/uebinar-individualna-otsenka/index.html" ' в 10:00 ч.</time>'
python3 - "$P/en/events/webinar-individual-assessment/index.html" <<'PY' && ok "event JSON-LD: start, end, online" || fail "event JSON-LD: start, end, online"
import json, re, sys
d = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', open(sys.argv[1], encoding="utf-8").read(), re.S).group(1))
sys.exit(0 if d["@type"] == "Event" and d["startDate"] == "2027-03-18T10:00:00+02:00" and d["location"]["@type"] == "VirtualLocation" and d["eventAttendanceMode"].endswith("OnlineEventAttendanceMode") else 1)
PY
SOURCE_DATE_EPOCH=1735725600 "$SATCHEL" build -s "$S" -q -o "$T/early" 2>/dev/null
python3 - "$T/early/en/events/index.html" <<'PY' && ok "built in January 2025, every event is upcoming" || fail "built in January 2025, every event is upcoming"
import sys
h = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if h.index("barnahus-workshop-plovdiv") < h.index('data-events="past"') else 1)
PY
contains "home shows upcoming events only" "$P/en/index.html" 'href="/en/events/webinar-individual-assessment/">'
lacks "home leaves out past events" "$P/en/index.html" 'href="/en/events/barnahus-workshop-plovdiv/">'

# Partners and projects: a resource links its publisher and project; they list it back.
G=$P/en/guidance/individual-assessment/index.html
contains "resource names its publisher" "$G" '<dt>Published by</dt>'
contains "partner lists what it published" "$P/en/partners/sofia-child-rights-centre/index.html" 'href="/en/guidance/individual-assessment/">'
contains "project lists its resources" "$P/en/projects/child-friendly-justice-in-see/index.html" 'href="/en/tools/individual-assessment-checklist/">'
contains "partner logo (an SVG, published as PNG) has its size and 2x" "$P/en/partners/sofia-child-rights-centre/index.html" 'logo.png" alt="" srcset="/en/partners/sofia-child-rights-centre/logo.png 120w, /en/partners/sofia-child-rights-centre/logo-240.png 240w" sizes="120px" width="120" height="120">'

# Facets: countries named by ICU in each language, language terms marked with their language,
# the resource types taxonomy.
contains "country term in Bulgarian from ICU" "$P/bg/countries/gr/index.html" '<span class="kicker">Държави</span> Гърция</h1>'
contains "country term in Arabic from ICU" "$P/ar/countries/ro/index.html" ' رومانيا</h1>'
contains "language term title carries its language" "$P/en/languages/index.html" 'lang="bg"'
exists "resource types taxonomy" "$P/en/types/child-made/index.html"
absent "events are not a resource type" "$P/en/types/event"
contains "library facet for the age band" "$P/en/library/index.html" 'value="12-17"'

# The library's terms: languages in site.yaml's order (the switcher's), in facets.json, on the
# library page and on the languages taxonomy page, in every language; years newest first. A
# card's picture (the page's image, else its video's poster) at its smallest published width,
# and the formats of its files.
python3 - "$P" "$S/site.yaml" <<'PY' && ok "library terms: languages as the switcher orders them, years newest first" || fail "library terms: languages as the switcher orders them, years newest first"
import json, re, sys
P, site = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
codes = re.findall(r"^  - code: (\S+)", site, re.M)
order = [c.lower() for c in codes]
for code in codes:
    d = json.load(open(f"{P}/{code}/facets.json", encoding="utf-8"))
    tax = {t["name"]: [x["name"] for x in t["terms"]] for t in d["taxonomies"]}
    langs = tax["languages"]
    assert len(langs) > 2 and langs == [c for c in order if c in langs], (code, langs)
    assert tax["years"] == sorted(tax["years"], reverse=True) and len(tax["years"]) > 1, (code, tax["years"])
    lib = open(f"{P}/{code}/library/index.html", encoding="utf-8").read()
    on_page = re.findall(r'name="languages" value="([^"]+)"', lib)
    assert on_page == langs, (code, on_page)
    page = open(f"{P}/{code}/languages/index.html", encoding="utf-8").read()
    listed = re.findall(rf'href="/{re.escape(code)}/languages/([^"/]+)/"', page)
    assert [l for l in listed if l in langs] == langs, (code, listed)
PY
python3 - "$P" <<'PY' && ok "library cards: the image or poster at its smallest width, sized; the formats of the files" || fail "library cards: the image or poster at its smallest width, sized; the formats of the files"
import json, os, sys
P = sys.argv[1]
for code in ("en", "bg", "ar"):
    items = json.load(open(f"{P}/{code}/facets.json", encoding="utf-8"))["items"]
    pics = sorted(it["i"]["u"] for it in items if "i" in it)
    assert pics == ["/en/by-children/a-safe-room-to-talk/drawing-480.png", "/en/by-children/what-we-want-judges-to-know/poster.jpg"], pics
    room = next(it["i"] for it in items if "drawing" in it.get("i", {}).get("u", ""))
    assert (room["w"], room["h"]) == (480, 360) and room["webp"] == "/en/by-children/a-safe-room-to-talk/drawing-480.webp", room
    film = next(it for it in items if "poster" in it.get("i", {}).get("u", ""))
    assert (film["i"]["w"], film["i"]["h"]) == (480, 270) and film["x"] == ["MP4"], film
    assert sorted(tuple(it["x"]) for it in items if "x" in it) == [("MP4",), ("TXT",)], items
    for it in items:
        if "i" in it:
            assert os.path.exists(P + it["i"]["u"]) and os.path.exists(P + it["i"]["webp"]), it
PY
python3 - "$P" <<'PY' && ok "listing cards (home, section, terms) carry the same picture, sized, lazy, with its WebP" || fail "listing cards (home, section, terms) carry the same picture, sized, lazy, with its WebP"
import os, re, sys
P = sys.argv[1]
for page in ("en/by-children", "bg/by-children", "ar/by-children", "en/topics/child-participation"):
    html = open(f"{P}/{page}/index.html", encoding="utf-8").read()
    cards = re.findall(r'<li class="entry[^"]*">(.*?)</li>', html, re.S)
    pics = [c for c in cards if "<picture" in c]
    assert len(pics) >= 2 and all('class="entry-title"' in c for c in pics), (page, len(cards), len(pics))
    for c in pics:
        img = re.search(r'<img src="([^"]+)" alt="" width="(\d+)" height="(\d+)" loading="lazy"', c)
        webp = re.search(r'<source type="image/webp" srcset="([^"]+)">', c)
        assert img and webp and os.path.exists(P + img.group(1)) and os.path.exists(P + webp.group(1)), c
    assert any("drawing-480.png\" alt=\"\" width=\"480\" height=\"360\"" in c for c in pics), page
PY

# Weight: what a page loads of CSS and JS, compressed, stays under 30 KB (the library page
# loads the most).
W=$(cat "$P/css/satchel.css" "$P/js/satchel.js" "$P/js/search.js" "$P/js/library.js" | gzip -9 | wc -c)
check "CSS and JS of a page under 30 KB compressed ($W bytes)" test "$W" -lt 30720

# A broken copy: the schema stops the build with file:line and the site stays as it was.
sed -i 's/^pseudonym: .*//' "$S/content/by-children/a-safe-room-to-talk/index.md"
sed -i 's/^start: .*/start: next spring/' "$S/content/events/webinar-individual-assessment/index.md"
cp "$P/en/index.html" "$T/before.html"
"$SATCHEL" build -s "$S" -q 2>"$T/err2"
check "a schema error fails the build" test $? -ne 0
contains "missing field at file:1" "$T/err2" "content/by-children/a-safe-room-to-talk/index.md:1: error: 'pseudonym' is missing: every child-made needs it"
contains "wrong field at file:line:col" "$T/err2" "content/events/webinar-individual-assessment/index.md:4:8: error: 'start' must be a date"
check "previous public/ intact" cmp "$P/en/index.html" "$T/before.html"

finish
