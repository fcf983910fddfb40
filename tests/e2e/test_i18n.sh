#!/bin/sh
# Locale behaviour as a reader sees it: dates and plurals in the page's language, titles sorted by
# the language's collation, UI strings from the theme, overridden by the site, falling back to
# the default language's string for a language the theme does not cover; the languages the theme
# ships get its strings, their names and their direction without site.yaml spelling them out.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S/content/tools" "$S/i18n"
cat >"$S/site.yaml" <<'YAML'
title: Hub
base_url: https://hub.example.org
languages:
  - {code: en, name: English}
  - {code: bg, name: Български}
  - {code: nl, name: Nederlands}
  - {code: is, name: Íslenska}
YAML
printf -- '---\ntitle: Tools\nsort_by: title\n---\n' >"$S/content/tools/_index.md"
for t in cherry:Череша apple:Ябълка Banana:Банан; do
	en=${t%%:*}
	bg=${t#*:}
	printf -- '---\ntitle: "%s"\ndate: 2025-03-14\n---\nText.\n' "$en" >"$S/content/tools/$en.md"
	printf -- '---\ntitle: "%s"\ndate: 2025-03-14\n---\nТекст.\n' "$bg" >"$S/content/tools/$en.bg.md"
done
printf 'home: "Към началото"\n' >"$S/i18n/bg.yaml"

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "site builds" test $? -eq 0
P=$S/public

order() { grep -oE "$2" "$1" | tr '\n' ' '; }
got=$(order "$P/en/tools/index.html" '>(apple|Banana|cherry)<')
case "$got" in ">apple< >Banana< >cherry< ") ok "English titles in collation order, not byte order" ;; *) fail "English order: $got" ;; esac
got=$(order "$P/bg/tools/index.html" '>(Банан|Череша|Ябълка)<')
case "$got" in ">Банан< >Череша< >Ябълка< ") ok "Bulgarian titles in Bulgarian order" ;; *) fail "Bulgarian order: $got" ;; esac

contains "Bulgarian date" "$P/bg/tools/apple/index.html" "14 март 2025"
contains "English date" "$P/en/tools/apple/index.html" "March 14, 2025"
contains "site i18n overrides the theme string" "$P/bg/tools/apple/index.html" "Към началото"
contains "theme string in English" "$P/en/tools/apple/index.html" "Skip to content"
contains "language without theme strings falls back to the default language" "$P/is/index.html" "Skip to content"
contains "Dutch interface text from the theme" "$P/nl/index.html" "Naar de inhoud"
lacks "no English interface text in Dutch" "$P/nl/index.html" "Skip to content"

# Languages listed by code alone: the theme's strings (plural forms by CLDR), the name in the
# language itself and the direction from ICU (Persian is right to left); sr-Latn on its own (not
# derived) gets Latin Serbian.
S2=$T/site2
mkdir -p "$S2/content/tools"
printf 'title: Hub\nbase_url: https://hub.example.org/\nlanguages: [{code: en}, {code: pl}, {code: ja}, {code: fa}, {code: sr-Latn}]\n' >"$S2/site.yaml"
words=$(yes słowo | head -n 600 | tr '\n' ' ')
printf -- '---\ntitle: Apple\ndate: 2025-03-14\n---\nText.\n' >"$S2/content/tools/apple.md"
for l in pl ja fa sr-Latn; do
	printf -- '---\ntitle: "Apple %s"\ndate: 2025-03-14\n---\n%s\n' "$l" "$words" >"$S2/content/tools/apple.$l.md"
done
"$SATCHEL" build -s "$S2" -q 2>"$T/err2"
check "a site in pl, ja, fa and sr-Latn builds" test $? -eq 0
P2=$S2/public
contains "Polish interface text" "$P2/pl/tools/apple/index.html" "Przejdź do treści"
contains "Polish plural form for 3 (few)" "$P2/pl/tools/apple/index.html" "3 minuty czytania"
contains "Japanese interface text" "$P2/ja/tools/apple/index.html" "本文へ移動"
contains "Persian interface text" "$P2/fa/tools/apple/index.html" "رفتن به محتوا"
contains "Persian in Persian digits" "$P2/fa/tools/apple/index.html" "۳ دقیقه مطالعه"
contains "Persian pages are right to left" "$P2/fa/tools/apple/index.html" 'lang="fa" dir="rtl"'
contains "Polish pages stay left to right" "$P2/pl/tools/apple/index.html" 'lang="pl" dir="ltr"'
contains "Serbian Latin interface text" "$P2/sr-Latn/tools/apple/index.html" "Pređi na sadržaj"
for name in Polski 日本語 فارسی "Srpski (latinica)"; do
	contains "the switcher names $name in itself" "$P2/en/tools/apple/index.html" ">$name<"
done
lacks "no English interface text in Japanese" "$P2/ja/tools/apple/index.html" "Skip to content"

# sr-Latn derived from sr: the site's own Serbian strings reach it, transliterated, over the
# theme's Latin file (which serves sites like the one above).
S3=$T/site3
mkdir -p "$S3/content" "$S3/i18n"
printf 'title: Hub\nlanguages:\n  - {code: sr}\n  - {code: sr-Latn, from: sr, transliterate: Serbian-Latin/BGN}\n' >"$S3/site.yaml"
printf -- '---\ntitle: Почетна\n---\nТекст.\n' >"$S3/content/_index.md"
printf -- '---\ntitle: О нама\n---\nТекст.\n' >"$S3/content/about.md"
printf 'skip_to_content: "Иди на садржај"\n' >"$S3/i18n/sr.yaml"
"$SATCHEL" build -s "$S3" -q 2>"$T/err3"
check "a site with a derived sr-Latn builds" test $? -eq 0
contains "site's Serbian string in Cyrillic" "$S3/public/sr/about/index.html" "Иди на садржај"
contains "site's Serbian string reaches the derived Latin" "$S3/public/sr-Latn/about/index.html" "Idi na sadržaj"
contains "theme's Serbian strings, transliterated" "$S3/public/sr-Latn/about/index.html" "Navigaciona putanja"
# A regional code takes its language's strings when the script is the same (pt-BR: pt, the site's
# own i18n/pt.yaml included; sr-ME: sr-Latn, never the Cyrillic sr).
S4=$T/site4
mkdir -p "$S4/content" "$S4/i18n"
printf 'title: Hub\nlanguages: [{code: en}, {code: pt-BR}, {code: sr-ME}]\n' >"$S4/site.yaml"
printf -- '---\ntitle: About\n---\nText.\n' >"$S4/content/about.md"
for l in pt-BR sr-ME; do printf -- '---\ntitle: About %s\n---\nText.\n' "$l" >"$S4/content/about.$l.md"; done
printf 'breadcrumbs: "Trilha de navegação"\n' >"$S4/i18n/pt.yaml"
"$SATCHEL" build -s "$S4" -q 2>"$T/err4"
check "a site in pt-BR and sr-ME builds" test $? -eq 0
contains "pt-BR gets the theme's Portuguese" "$S4/public/pt-BR/about/index.html" "Saltar para o conteúdo"
contains "pt-BR gets the site's Portuguese" "$S4/public/pt-BR/about/index.html" "Trilha de navegação"
contains "sr-ME gets Latin Serbian" "$S4/public/sr-ME/about/index.html" "Pređi na sadržaj"

contains "base_url without slash still gives clean permalinks" "$P/en/tools/apple/index.html" 'href="https://hub.example.org/bg/tools/apple/"'
finish
