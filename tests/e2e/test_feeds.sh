#!/bin/sh
# The feeds of each language (RSS /LANG/index.xml, Atom /LANG/atom.xml, JSON Feed /LANG/feed.json)
# carry the pages dated in front matter, newest first, each with the same text in all three: the
# summary, else the title. A page without a date in front matter (a partner, a course's module,
# an about page, an event that gives only its start) is not news: it is left out, whatever date
# git gives it. The site is committed long after its news, as a site moved into git is.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S/content/news" "$S/content/partners/centre" "$S/content/training/course/01-module" \
	"$S/content/about" "$S/content/events/webinar"
cat >"$S/site.yaml" <<'YAML'
title: Hub
base_url: https://hub.example.org/
languages:
  - {code: en, name: English}
  - {code: bg, name: Български}
YAML
printf -- '---\ntitle: "Barnahus opens"\ndate: 2025-03-05\nsummary: "A new Barnahus <b>opens</b> & more."\n---\nBody.\n' \
	>"$S/content/news/barnahus.md"
printf -- '---\ntitle: "Training held"\ndate: 2025-10-16\n---\nThe first paragraph is the summary.\n\nMore.\n' \
	>"$S/content/news/training.md"
printf -- '---\ntitle: "Обучение"\n---\nПървият абзац.\n' >"$S/content/news/training.bg.md"
printf -- '---\ntitle: "Title only"\ndate: 2024-01-10\n---\n' >"$S/content/news/empty.md"
printf -- '---\ntitle: "Child Rights Centre"\n---\nA partner.\n' >"$S/content/partners/centre/index.md"
printf -- '---\ntitle: "A course"\ndate: 2024-06-01\n---\nThe course.\n' >"$S/content/training/course/index.md"
printf -- '---\ntitle: "Module 1"\n---\nThe first module.\n' >"$S/content/training/course/01-module/index.md"
printf -- '---\ntitle: "About us"\n---\nWho we are.\n' >"$S/content/about/index.md"
printf -- '---\ntitle: "Webinar"\nstart: 2027-03-18\n---\nOnline.\n' >"$S/content/events/webinar/index.md"
(cd "$S" && git init -q) && commit "$S" "The whole site, moved into git" 2026-11-26T13:55:48Z

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "site builds" test $? -eq 0
P=$S/public

check "the JSON Feed is valid JSON" python3 -m json.tool "$P/en/feed.json"
check "the feeds carry the dated pages, newest first, and nothing else" python3 - "$P" <<'PY'
import json, re, sys
p = sys.argv[1]
want = ["/en/news/training/", "/en/news/barnahus/", "/en/training/course/", "/en/news/empty/"]
urls = lambda xs: [re.sub(r"^https://hub.example.org", "", u) for u in xs]
j = json.load(open(p + "/en/feed.json"))
assert urls(i["url"] for i in j["items"]) == want, j["items"]
rss = open(p + "/en/index.xml").read()
assert urls(re.findall(r"<item>\n<title>[^<]*</title>\n<link>([^<]*)</link>", rss)) == want, rss
atom = open(p + "/en/atom.xml").read()
assert urls(re.findall(r"<entry>\n<title>[^<]*</title>\n<id>([^<]*)</id>", atom)) == want, atom
PY
for f in index.xml atom.xml feed.json; do
	lacks "$f: no date of the commit" "$P/en/$f" "2026"
	lacks "$f: no date of the commit (RSS form)" "$P/en/$f" "Nov 2026"
	lacks "$f: no partner" "$P/en/$f" "Child Rights Centre"
	lacks "$f: no module" "$P/en/$f" "Module 1"
	lacks "$f: no about page" "$P/en/$f" "About us"
	lacks "$f: no event without a date" "$P/en/$f" "Webinar"
done
contains "a translation without a date takes its source's, and is in its language's feed" "$P/bg/feed.json" \
	'"url": "https://hub.example.org/bg/news/training/", "title": "Обучение", "content_text": "Първият абзац.", "date_published": "2025-10-16T00:00:00Z"'

# JSON Feed 1.1 requires content_html or content_text: the same text the RSS description and the
# Atom summary carry, plain text (JSON-escaped, never HTML), else the title.
check "every JSON Feed item has content, the same as RSS's description and Atom's summary" python3 - "$P" <<'PY'
import html, json, re, sys
p = sys.argv[1]
for lang in ("en", "bg"):
    items = json.load(open(f"{p}/{lang}/feed.json"))["items"]
    assert items, lang
    rss = open(f"{p}/{lang}/index.xml").read()
    atom = open(f"{p}/{lang}/atom.xml").read()
    for it in items:
        text = it.get("content_text") or it.get("content_html")
        assert text, it
        assert "summary" not in it, it
        m = re.search(r"<entry>\n<title>[^<]*</title>\n<id>" + re.escape(it["url"]) + r"</id>.*?(?:<summary>([^<]*)</summary>|</entry>)", atom, re.S)
        assert m, it
        if m.group(1) is not None:
            assert html.unescape(m.group(1)) == text, (it, m.group(1))
            d = re.search(r"<link>" + re.escape(it["url"]) + r"</link>.*?<description>([^<]*)</description>", rss, re.S)
            assert html.unescape(html.unescape(d.group(1))) == text, (it, d.group(1))
        else:
            assert text == it["title"], it
PY
contains "the summary as written, as plain text" "$P/en/feed.json" \
	'"title": "Barnahus opens", "content_text": "A new Barnahus \u003cb\u003eopens\u003c/b\u003e \u0026 more."'
contains "the first paragraph when there is no summary" "$P/en/feed.json" \
	'"title": "Training held", "content_text": "The first paragraph is the summary."'
contains "the title when there is no text" "$P/en/feed.json" '"title": "Title only", "content_text": "Title only"'

# Dates: the front matter's; deterministic, the same bytes from a second build.
contains "date_published is the front matter's" "$P/en/feed.json" '"date_published": "2025-03-05T00:00:00Z"'
contains "RSS lastBuildDate is the newest item's" "$P/en/index.xml" '<lastBuildDate>Thu, 16 Oct 2025 00:00:00 +0000</lastBuildDate>'
"$SATCHEL" build -s "$S" -q -o "$T/again" 2>/dev/null
for f in en/index.xml en/atom.xml en/feed.json bg/feed.json; do
	check "$f: the same bytes from a second build" cmp "$P/$f" "$T/again/$f"
done

# Undated pages are still published and listed; only the feeds leave them out.
exists "the partner page is published" "$P/en/partners/centre/index.html"
exists "the module is published" "$P/en/training/course/01-module/index.html"
finish
