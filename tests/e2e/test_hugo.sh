#!/bin/sh
# A site written for Hugo (tests/fixtures/hugo-site: its hugo.yaml beside an added site.yaml)
# builds: a language keyed "gr" with locale el (URLs /gr/, pages lang="el"), Arabic's direction
# from ICU, NAME.LANG.md translations and translationKey, _index.md sections ordered by weight,
# drafts left out, JSON front matter, description as the summary, an unknown type: and
# shortcodes as warnings at their line. Then Open Graph and Twitter card tags (page image, site
# default, none, translations, RTL), and the errors a Hugo site meets (TOML front matter, a key
# that is not BCP 47 without locale:, two keys for one language, a missing site image).
. "$(dirname "$0")/lib.sh"

S=$T/site
cp -R "$ROOT/tests/fixtures/hugo-site" "$S"
(cd "$S" && git init -q) && commit "$S" "A Hugo site, with site.yaml added"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "the Hugo site builds" test $? -eq 0
P=$S/public
contains "a shortcode is a warning at its line and column" "$T/err" \
	"content/docs/getting-started.md:9:1: warning: Hugo shortcode {{< youtube >}} is not run: it is shown as text (write a link to the video alone in its paragraph instead)"
contains "... a {{% %}} one too, lines counted from the file's top" "$T/err" \
	"content/docs/interviewing.md:10:1: warning: Hugo shortcode {{% notice %}} is not run"
contains "... and one cmark would take for HTML" "$T/err" \
	"content/docs/interviewing.md:14:1: warning: Hugo shortcode {{< figure >}} is not run"
contains "an unknown type is a warning; the page is built with the default layout" "$T/err" \
	"content/about.md:3:7: warning: unknown type 'landing' (one of guidance, tool, child-made, course, module, news, event, partner, project): the page is built with the default layout"
check "no other message (shortcodes in code are examples, not warned)" test "$(wc -l <"$T/err")" -eq 5
[ "$(wc -l <"$T/err")" -eq 5 ] || cat "$T/err"

# Languages: URLs keep Hugo's key, pages declare the language the locale says.
G=$P/gr/docs/getting-started/index.html
exists "the gr pages are under /gr/" "$G"
contains "... and declare Greek" "$G" '<html lang="el" dir="ltr">'
contains "hreflang is the tag, the URL the key" "$P/en/docs/getting-started/index.html" \
	'<link rel="alternate" hreflang="el" href="https://field-notes.example.org/gr/docs/getting-started/">'
lacks "... never hreflang=gr" "$P/en/docs/getting-started/index.html" 'hreflang="gr"'
contains "the theme's Greek strings serve the gr pages" "$P/gr/index.html" "Μετάβαση στο περιεχόμενο"
contains "the feed's language is el" "$P/gr/index.xml" "<language>el</language>"
contains "the search index is Greek's" "$P/gr/search/index.json" '"lang":"el"'
contains "the root chooser offers el" "$P/index.html" 'hreflang="el"'
contains "Arabic is right to left though site.yaml does not say" "$P/ar/index.html" '<html lang="ar" dir="rtl">'
# Content: NAME.LANG.md, translationKey, _index.md, weight, draft, JSON front matter, description.
contains "a NAME.ar.md file is the Arabic version" "$P/ar/docs/interviewing/index.html" "مقابلة الأطفال"
contains "translationKey pairs files of different names" "$P/en/blog/first-steps/index.html" \
	'hreflang="el" href="https://field-notes.example.org/gr/blog/protes-meres/"'
contains "_index.md gives the section its title" "$P/gr/docs/index.html" "<h1>Τεκμηρίωση</h1>"
python3 - "$P/en/docs/index.html" <<'PY' && ok "weight orders the section" || fail "weight orders the section"
import sys
h = open(sys.argv[1], encoding="utf-8").read()
a, b, c = (h.index(f'href="/en/docs/{n}/"') for n in ("getting-started", "interviewing", "checklist"))
sys.exit(0 if a < b < c else 1)
PY
absent "a draft is left out" "$P/en/docs/unfinished"
lacks "... and unlisted" "$P/en/docs/index.html" "Not ready yet"
contains "JSON front matter is read" "$P/en/docs/checklist/index.html" "<h1>Checklist</h1>"
contains "... description is the summary" "$P/en/docs/checklist/index.html" \
	'<meta name="description" content="Front matter in JSON, as Hugo allows.">'
contains "the page of an unknown type is built" "$P/en/about/index.html" "Who writes these notes."
I=$P/en/docs/interviewing/index.html
contains "a shortcode shows as text" "$I" "<p>{{% notice tip %}}"
contains "... one cmark would drop as HTML too" "$I" "<p>{{&lt;figure src=&quot;/images/share.png&quot; title=&quot;A room&quot;&gt;}}</p>"
contains "a shortcode in a code span is left as written" "$I" "<code>{{&lt; youtube id &gt;}}</code>"
contains "... and in a fenced block" "$I" '<code class="language-go-html-template">{{&lt; highlight go &gt;}}'
"$SATCHEL" check -s "$S" >"$T/check" 2>&1
contains "satchel check: no broken link" "$T/check" "0 errors"

# Open Graph and Twitter cards.
F=$P/en/blog/first-steps/index.html
contains "og:image: the page's image, processed, absolute" "$F" \
	'<meta property="og:image" content="https://field-notes.example.org/en/blog/first-steps/cover-960.png">'
contains "... its size" "$F" '<meta property="og:image:width" content="960">'
contains "... its height" "$F" '<meta property="og:image:height" content="540">'
contains "... its alt text" "$F" '<meta property="og:image:alt" content="A notebook open on a desk">'
contains "a large card with an image" "$F" '<meta name="twitter:card" content="summary_large_image">'
contains "og:locale in Facebook's ll_CC, from ICU's likely subtags" "$F" '<meta property="og:locale" content="en_US">'
contains "og:locale:alternate for the translation" "$F" '<meta property="og:locale:alternate" content="el_GR">'
lacks "... and for no language the page is not in" "$F" 'content="ar_EG"'
A=$P/en/about/index.html
contains "without its own image: site.yaml's image" "$A" \
	'<meta property="og:image" content="https://field-notes.example.org/images/share.png">'
contains "... with site.yaml's image_alt" "$A" '<meta property="og:image:alt" content="Field notes, a handbook for practitioners">'
R=$P/ar/docs/interviewing/index.html
contains "an RTL page: og:locale ar_EG" "$R" '<meta property="og:locale" content="ar_EG">'
contains "... its alternate en_US" "$R" '<meta property="og:locale:alternate" content="en_US">'
contains "... and the page is rtl" "$R" '<html lang="ar" dir="rtl">'
contains "the gr home's alternates name el_GR's others" "$P/gr/index.html" '<meta property="og:locale:alternate" content="ar_EG">'
cp -R "$S" "$T/noimg"
sed -i '/^image/d' "$T/noimg/site.yaml"
"$SATCHEL" build -s "$T/noimg" -q 2>/dev/null
contains "no image at all: a summary card" "$T/noimg/public/en/about/index.html" '<meta name="twitter:card" content="summary">'
lacks "... and no og:image" "$T/noimg/public/en/about/index.html" 'og:image'

printf -- '---\ntitle: Both\ntranslationKey: a\ntranslation_key: b\n---\n' >"$S/content/docs/both.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "translationKey and translation_key at once: a warning" "$T/err" \
	"content/docs/both.md:3: warning: both 'translationKey' (Hugo's) and 'translation_key': 'translation_key' is used"
rm "$S/content/docs/both.md"
"$SATCHEL" build -s "$S" -q 2>/dev/null

# What a Hugo site meets that satchel refuses, each at its line; the last public/ stays.
cp -R "$P" "$T/good"
printf '+++\ntitle = "Old"\ndraft = false\n+++\n\nText.\n' >"$S/content/docs/toml.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "TOML front matter fails the build" test $? -ne 0
contains "... saying how to convert, at file:1:1" "$T/err" \
	'content/docs/toml.md:1:1: error: TOML front matter (between +++ lines) is not read: satchel reads YAML between --- lines; convert it, for a whole Hugo site with `hugo convert toYAML --unsafe`, or by hand: +++ becomes ---, key = value becomes key: value (line 2: title = "Old" becomes title: "Old"), and a [table] a nested mapping'
check "... and the previous public/ stays" diff -r "$T/good" "$P"
rm "$S/content/docs/toml.md"
printf '{\n  "title": "Open"\n\nText.\n' >"$S/content/docs/open.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "JSON front matter never closed" "$T/err" "content/docs/open.md:1:1: error: JSON front matter opened with { is never closed with }"
rm "$S/content/docs/open.md"
cp "$S/site.yaml" "$T/site.yaml"
sed -i 's/  - {code: gr, locale: el, name: Ελληνικά}/  - {code: gr, name: Ελληνικά}/' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "a key that is not BCP 47 needs locale:" "$T/err" \
	"site.yaml:11:12: error: unknown language code 'gr'; a key that is not a BCP 47 tag needs 'locale:' to say its language ({code: gr, locale: el})"
cp "$T/site.yaml" "$S/site.yaml"
sed -i 's/^  - {code: ar}/  - {code: ar}\n  - {code: el}/' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "two keys for one language" "$T/err" "error: languages 'gr' and 'el' are both el: give one another 'locale'"
cp "$T/site.yaml" "$S/site.yaml"
sed -i 's/^  - {code: gr, locale: el/  - {code: "g\/r", locale: el/' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "a key is letters, digits and -" "$T/err" "error: language code 'g/r' must be letters, digits and '-'"
cp "$T/site.yaml" "$S/site.yaml"
sed -i 's/^image: images\/share.png/image: images\/gone.png/' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "site.yaml's image must be there" "$T/err" "site.yaml:6:8: error: 'image': there is no file static/images/gone.png"
sed -i 's/^image: images\/gone.png/image: https:\/\/cdn.example.com\/x.png/' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "... and no other host's" "$T/err" "site.yaml:6:8: error: 'image' must be a file of this site (in static/), not an address"
check "after all of it, public/ is the good build" diff -r "$T/good" "$P"
finish
