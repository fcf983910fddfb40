#!/bin/sh
# Machine-readable metadata in the default theme: schema.org JSON-LD on every page kind (types,
# languages, translations, files, audiences, countries, publisher, licence), Dublin Core <meta>
# tags on resource pages, and a title that tries to end the <script> element.
. "$(dirname "$0")/lib.sh"

S=$T/site
minisite "$S"
sed 's/^taxonomies: .*/taxonomies: [topics, countries, audiences]/' "$S/site.yaml" >"$T/site.yaml"
mv "$T/site.yaml" "$S/site.yaml"
mkdir -p "$S/content/news/barnahus-opens" "$S/content/news/xss" "$S/content/partners/jpn"
cat >"$S/content/partners/jpn/index.md" <<'MD'
---
title: "Justice Partners Network"
website: "https://partners.example.org/"
---
A network.
MD
cat >"$S/content/news/barnahus-opens/index.md" <<'MD'
---
title: "A Barnahus opens"
date: 2025-04-02
updated: 2025-04-10
summary: "Children are heard once, in one place."
topics: [barnahus]
countries: [bg, xk]
audiences: [judges, social-workers]
publisher: jpn
license: "https://creativecommons.org/licenses/by/4.0/"
---
The centre opened today.
MD
cat >"$S/content/news/xss/index.md" <<'MD'
---
title: "Bad </script><script>alert(1)</script> & co"
date: 2025-04-03
summary: "</script><script>alert(2)</script>"
publisher: ../../partners/jpn/index.md
---
Text.
MD
(cd "$S" && git init -q && commit . "first")

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "build exits 0" test $? -eq 0
P=$S/public

# jl NAME FILE PYTHON-EXPRESSION: the file holds exactly one JSON-LD script element, its text
# parses as JSON, and the expression is true with the data bound to `d`.
jl() {
	if python3 - "$2" "$3" >"$T/jl" 2>&1 <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
if len(blocks) != 1:
    sys.exit("%d JSON-LD blocks" % len(blocks))
d = json.loads(blocks[0])
if not eval(sys.argv[2], {"d": d}):
    sys.exit("false: " + json.dumps(d, ensure_ascii=False)[:600])
PY
	then ok "$1"; else fail "$1 ($2: $(cat "$T/jl"))"; fi
}

EN=$P/en/guidance/assessment/index.html
BG=$P/bg/guidance/individualna-otsenka/index.html
NEWS=$P/en/news/barnahus-opens/index.html
BAD=$P/en/news/xss/index.html

# Every page kind has one well-formed block.
for f in "$P/index.html" "$P/en/index.html" "$P/bg/index.html" "$P/en/guidance/index.html" "$EN" \
	"$P/en/topics/index.html" "$P/en/topics/individual-assessment/index.html" \
	"$P/en/countries/xk/index.html" "$P/404.html"; do
	jl "JSON-LD parses: ${f#$P/}" "$f" 'd["@context"] == "https://schema.org"'
done
if python3 - "$P" >"$T/all" 2>&1 <<'PY'
import json, os, re, sys
bad, n = [], 0
for top, _, names in os.walk(sys.argv[1]):
    for name in names:
        if not name.endswith(".html"):
            continue
        path = os.path.join(top, name)
        n += 1
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                            open(path, encoding="utf-8").read(), re.S)
        try:
            if len(blocks) != 1:
                raise ValueError("%d blocks" % len(blocks))
            json.loads(blocks[0])
        except ValueError as e:
            bad.append("%s: %s" % (os.path.relpath(path, sys.argv[1]), e))
print("\n".join(bad))
sys.exit(1 if bad or n < 20 else 0)
PY
then ok "one well-formed JSON-LD block in every HTML file"; else
	fail "one well-formed JSON-LD block in every HTML file: $(head -n 5 "$T/all")"
fi

# Resource pages.
jl "page is a LearningResource" "$EN" 'd["@type"] == "LearningResource"'
jl "page @id and url are the permalink" "$EN" \
	'd["@id"] == d["url"] == "https://hub.example.org/en/guidance/assessment/"'
jl "page name, description, date" "$EN" \
	'd["name"] == "Individual assessment" and d["description"] == "How to assess a child'"'"'s needs." and d["datePublished"] == "2025-03-14"'
jl "page inLanguage" "$EN" 'd["inLanguage"] == "en"'
jl "page is part of the language's site" "$EN" \
	'd["isPartOf"] == {"@type": "WebSite", "@id": "https://hub.example.org/en/", "name": "Test hub", "url": "https://hub.example.org/en/"}'
jl "page keywords are topic titles" "$EN" 'len(d["keywords"]) == 1 and isinstance(d["keywords"][0], str)'
jl "publisher defaults to the site" "$EN" \
	'd["publisher"] == {"@type": "Organization", "name": "Test hub", "url": "https://hub.example.org/"}'
jl "no licence unless given" "$EN" '"license" not in d'
jl "English page lists its translation" "$EN" \
	'd["workTranslation"] == [{"@type": "CreativeWork", "@id": "https://hub.example.org/bg/guidance/individualna-otsenka/", "inLanguage": "bg"}]'
jl "default-language page is no translation" "$EN" '"translationOfWork" not in d'
jl "bundle file as MediaObject" "$EN" \
	'{"@type": "MediaObject", "name": "form.txt", "contentUrl": "https://hub.example.org/en/guidance/assessment/form.txt", "encodingFormat": "text/plain", "contentSize": "1 KB", "inLanguage": "en"} in d["encoding"]'
jl "Bulgarian page inLanguage" "$BG" 'd["inLanguage"] == "bg" and d["name"] == "Индивидуална оценка"'
jl "Bulgarian page is a translation of the English one" "$BG" \
	'd["translationOfWork"] == {"@type": "CreativeWork", "@id": "https://hub.example.org/en/guidance/assessment/", "inLanguage": "en"}'
jl "Bulgarian page lists the English version" "$BG" \
	'[w["@id"] for w in d["workTranslation"]] == ["https://hub.example.org/en/guidance/assessment/"]'
jl "Bulgarian page is part of the Bulgarian site" "$BG" 'd["isPartOf"]["@id"] == "https://hub.example.org/bg/"'
jl "untranslated page has no translations" "$P/en/tools/checklist/index.html" \
	'"workTranslation" not in d and "translationOfWork" not in d and "encoding" not in d'

# A news item with publisher, licence, countries and audiences.
jl "news item is a NewsArticle" "$NEWS" 'd["@type"] == "NewsArticle" and d["headline"] == "A Barnahus opens"'
jl "dateModified from updated" "$NEWS" 'd["datePublished"] == "2025-04-02" and d["dateModified"] == "2025-04-10"'
jl "publisher is the partner page named in front matter" "$NEWS" 'd["publisher"] == {"@type": "Organization", "name": "Justice Partners Network", "url": "https://hub.example.org/en/partners/jpn/"}'
jl "licence from front matter" "$NEWS" 'd["license"] == "https://creativecommons.org/licenses/by/4.0/"'
jl "countries as Country with ISO codes" "$NEWS" \
	'[(c["@type"], c["identifier"]) for c in d["spatialCoverage"]] == [("Country", "BG"), ("Country", "XK")] and all(c["name"] for c in d["spatialCoverage"])'
jl "audiences as Audience" "$NEWS" \
	'[a["@type"] for a in d["audience"]] == ["Audience", "Audience"] and all(a["audienceType"] for a in d["audience"])'
jl "countries and audiences are not keywords" "$NEWS" 'len(d["keywords"]) == 1'
jl "publisher named by its file" "$BAD" \
	'd["publisher"]["url"] == "https://hub.example.org/en/partners/jpn/"'
jl "the partner is an Organization with its website" "$P/en/partners/jpn/index.html" \
	'd["@type"] == "Organization" and d["sameAs"] == "https://partners.example.org/" and "publisher" not in d'

# Listings and home pages.
jl "root is the multilingual WebSite" "$P/index.html" \
	'd["@type"] == "WebSite" and d["url"] == "https://hub.example.org/" and d["inLanguage"] == ["en", "bg", "ar"] and [p["url"] for p in d["hasPart"]] == ["https://hub.example.org/en/", "https://hub.example.org/bg/", "https://hub.example.org/ar/"]'
jl "home is a WebSite" "$P/bg/index.html" \
	'd["@type"] == "WebSite" and d["@id"] == d["url"] == "https://hub.example.org/bg/" and d["inLanguage"] == "bg" and d["name"] == "Test hub"'
jl "section is a CollectionPage" "$P/bg/guidance/index.html" \
	'd["@type"] == "CollectionPage" and d["url"] == "https://hub.example.org/bg/guidance/" and d["inLanguage"] == "bg" and d["name"]'
jl "taxonomy is a CollectionPage" "$P/en/countries/index.html" \
	'd["@type"] == "CollectionPage" and d["url"] == "https://hub.example.org/en/countries/"'
jl "term is a CollectionPage" "$P/ar/topics/individual-assessment/index.html" \
	'd["@type"] == "CollectionPage" and d["inLanguage"] == "ar"'
jl "404 claims no URL" "$P/404.html" 'd["@type"] == "WebPage" and "url" not in d and "@id" not in d'

# A title cannot end the script element: < is \u003c in the JSON text, the data is intact.
jl "hostile title stays data" "$BAD" \
	'd["name"] == "Bad </script><script>alert(1)</script> & co" and d["description"] == "</script><script>alert(2)</script>"'
contains "hostile title escaped as \\u003c" "$BAD" '"name":"Bad \u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e \u0026 co"'
lacks "no injected script" "$BAD" '<script>alert('

# Dublin Core.
contains "DC schema link" "$NEWS" '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">'
contains "DC.title" "$NEWS" '<meta name="DC.title" content="A Barnahus opens">'
contains "DC.language" "$BG" '<meta name="DC.language" content="bg">'
contains "DC.date" "$NEWS" '<meta name="DC.date" content="2025-04-02">'
contains "DC.description" "$NEWS" '<meta name="DC.description" content="Children are heard once, in one place.">'
contains "DC.publisher from the partner page" "$NEWS" '<meta name="DC.publisher" content="Justice Partners Network">'
contains "DC.publisher defaults to the site" "$EN" '<meta name="DC.publisher" content="Test hub">'
contains "partner page lists what it published" "$P/en/partners/jpn/index.html" 'href="/en/news/barnahus-opens/">A Barnahus opens</a>'
check "DC.subject per topic" test "$(grep -c '<meta name="DC.subject"' "$P/en/tools/checklist/index.html")" -eq 2
contains "DC.coverage BG" "$NEWS" '<meta name="DC.coverage" content="BG">'
contains "DC.coverage XK" "$NEWS" '<meta name="DC.coverage" content="XK">'
contains "DC.rights" "$NEWS" '<meta name="DC.rights" content="https://creativecommons.org/licenses/by/4.0/">'
lacks "no DC.rights without a licence" "$EN" 'DC.rights'
contains "DC.type" "$EN" '<meta name="DC.type" content="Text">'
contains "DC title escaped" "$BAD" '<meta name="DC.title" content="Bad &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co">'
lacks "no Dublin Core on listings" "$P/en/guidance/index.html" 'DC.title'

finish
