#!/bin/sh
# A language derived by ICU transliteration: Serbian Latin from Serbian Cyrillic. Partners write
# Serbian once; the hub publishes both scripts with their own URLs, switcher entries and hreflang,
# and a hand-written sr-Latn file wins over the derived text.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S/content/guidance/a" "$S/content/guidance/b"
cat >"$S/site.yaml" <<'YAML'
title: Hub
base_url: https://hub.example.org/
languages:
  - {code: en, name: English}
  - {code: sr, name: Српски, locale: sr-Cyrl}
  - {code: sr-Latn, name: Srpski, from: sr, transliterate: Serbian-Latin/BGN}
YAML
printf -- '---\ntitle: Assessment\n---\nText.\n' >"$S/content/guidance/a/index.md"
printf -- '---\ntitle: "Дечја заштита"\ndate: 2025-03-14\n---\n## Љубав и њега\n\nВидите [други](../b/index.md).\n' \
	>"$S/content/guidance/a/index.sr.md"
printf -- '---\ntitle: Second\n---\nText.\n' >"$S/content/guidance/b/index.md"
printf -- '---\ntitle: "Друга страна"\n---\nТекст.\n' >"$S/content/guidance/b/index.sr.md"
printf -- '---\ntitle: "Ručno pisana"\n---\nNapisano rukom.\n' >"$S/content/guidance/b/index.sr-Latn.md"

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "site with a derived language builds" test $? -eq 0
P=$S/public
L=$P/sr-Latn/guidance/a/index.html
contains "derived page in Latin script" "$L" "<h1>Dečja zaštita</h1>"
contains "derived heading id in Latin" "$L" 'id="ljubav-i-njega"'
contains "derived page declares its language" "$L" '<html lang="sr-Latn"'
contains "derived date in the Latin locale" "$L" "14. mart 2025."
contains "derived link goes to the derived language" "$L" 'href="/sr-Latn/guidance/b/"'
contains "derived UI strings transliterated" "$L" "Početna"
contains "Cyrillic page keeps Cyrillic" "$P/sr/guidance/a/index.html" "<h1>Дечја заштита</h1>"
contains "hreflang for the derived version" "$P/en/guidance/a/index.html" 'hreflang="sr-Latn" href="https://hub.example.org/sr-Latn/guidance/a/"'
contains "switcher offers the derived version" "$P/sr/guidance/a/index.html" 'href="/sr-Latn/guidance/a/"'
contains "hand-written sr-Latn wins" "$P/sr-Latn/guidance/b/index.html" "Napisano rukom."
lacks "hand-written sr-Latn is not replaced" "$P/sr-Latn/guidance/b/index.html" "Druga strana"
# ћ comes out of Serbian-Latin/BGN as c and a combining acute: the derived text is NFC (ć, U+0107)
# in the page, its title, its heading id, the feeds and the search index.
mkdir -p "$S/content/guidance/c"
printf -- '---\ntitle: "Учешће деце"\ndate: 2025-03-15\nsummary: "Већина ће наћи"\n---\n## Предстојећи сусрет\n\nЋуприја и ћерка.\n' \
	>"$S/content/guidance/c/index.sr.md"
printf -- '---\ntitle: Participation\n---\nText.\n' >"$S/content/guidance/c/index.md"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "site with ć to derive builds" test $? -eq 0
C=$P/sr-Latn/guidance/c/index.html
contains "derived title with ć" "$C" "<h1>Učešće dece</h1>"
contains "derived heading id with ć" "$C" 'id="predstojeći-susret"'
contains "derived body with Ć and ć" "$C" "Ćuprija i ćerka."
check "every file of the derived language is NFC" python3 -c "
import sys, unicodedata, pathlib
bad = [str(f) for f in pathlib.Path('$P/sr-Latn').rglob('*') if f.is_file() and f.suffix in ('.html', '.xml', '.json', '')
       and not unicodedata.is_normalized('NFC', f.read_bytes().decode('utf-8', 'replace'))]
sys.exit('not NFC: ' + ' '.join(bad) if bad else 0)"

cp "$S/site.yaml" "$T/site.yaml"
sed -i 's/from: sr,/from: xx,/' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "unknown source language fails" test $? -ne 0
contains "unknown source language is reported" "$T/err" "site.yaml:6:41: error: 'from' must name another language"
cp "$T/site.yaml" "$S/site.yaml"
sed -i 's|Serbian-Latin/BGN|No-Such/Transform|' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "unknown transform is reported" "$T/err" "unknown ICU transform 'No-Such/Transform'"
finish
