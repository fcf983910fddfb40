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
# Page N of a listing: its hreflang alternates name page N in the other languages, where it
# exists, never their first page; its canonical is itself. English has five guides, Bulgarian
# three, two a page: English pages 1-3, Bulgarian 1-2.
G=$T/paged
mkdir -p "$G/content/guidance"
cat >"$G/site.yaml" <<'YAML'
title: Hub
base_url: https://hub.example.org/
languages:
  - {code: en, name: English}
  - {code: bg, name: Български}
taxonomies: [topics]
options: {page_size: 2, list_untranslated: false}
YAML
for n in 1 2 3 4 5; do
	printf -- '---\ntitle: "Guide %s"\ndate: 2025-03-1%s\ntopics: [t]\n---\nText.\n' $n $n >"$G/content/guidance/g$n.md"
	[ $n -le 3 ] && printf -- '---\ntitle: "Ръководство %s"\ndate: 2025-03-1%s\ntopics: [t]\n---\nТекст.\n' $n $n >"$G/content/guidance/g$n.bg.md"
done
"$SATCHEL" build -s "$G" -q 2>"$T/err"
check "paged site builds" test $? -eq 0
Q=$G/public
U=https://hub.example.org
alts() { grep -oE '<link rel="(alternate" hreflang|canonical)[^>]*>' "$1" | tr '\n' ' '; }
check "page 2 of a section: alternates to page 2, canonical itself" test "$(alts "$Q/en/guidance/page/2/index.html")" = \
	"<link rel=\"canonical\" href=\"$U/en/guidance/page/2/\"> <link rel=\"alternate\" hreflang=\"en\" href=\"$U/en/guidance/page/2/\"> <link rel=\"alternate\" hreflang=\"x-default\" href=\"$U/en/guidance/page/2/\"> <link rel=\"alternate\" hreflang=\"bg\" href=\"$U/bg/guidance/page/2/\"> "
check "page 2 in Bulgarian names page 2 in English" test "$(alts "$Q/bg/guidance/page/2/index.html")" = \
	"<link rel=\"canonical\" href=\"$U/bg/guidance/page/2/\"> <link rel=\"alternate\" hreflang=\"en\" href=\"$U/en/guidance/page/2/\"> <link rel=\"alternate\" hreflang=\"x-default\" href=\"$U/en/guidance/page/2/\"> <link rel=\"alternate\" hreflang=\"bg\" href=\"$U/bg/guidance/page/2/\"> "
check "page 3, which Bulgarian lacks, has no Bulgarian alternate" test "$(alts "$Q/en/guidance/page/3/index.html")" = \
	"<link rel=\"canonical\" href=\"$U/en/guidance/page/3/\"> <link rel=\"alternate\" hreflang=\"en\" href=\"$U/en/guidance/page/3/\"> <link rel=\"alternate\" hreflang=\"x-default\" href=\"$U/en/guidance/page/3/\"> "
contains "page 3's switcher still leads to the Bulgarian listing" "$Q/en/guidance/page/3/index.html" 'href="/bg/guidance/"'
lacks "page 3 names no Bulgarian page as its alternate" "$Q/en/guidance/page/3/index.html" "hreflang=\"bg\" href=\"$U/bg/guidance/\""
contains "page 2 of a term: alternate to the term's page 2" "$Q/en/topics/t/page/2/index.html" "<link rel=\"alternate\" hreflang=\"bg\" href=\"$U/bg/topics/t/page/2/\">"
lacks "page 3 of a term: no alternate to the Bulgarian term" "$Q/en/topics/t/page/3/index.html" "<link rel=\"alternate\" hreflang=\"bg\""
contains "first pages still name each other" "$Q/en/guidance/index.html" "<link rel=\"alternate\" hreflang=\"bg\" href=\"$U/bg/guidance/\">"
# Reading time: 200 words a minute, but Chinese and Japanese text at 500 characters a minute
# (each character was a "word" before: two to three times too long); Thai, which has no spaces,
# by its words as ICU's dictionary splits them (a sentence was one "word"); Korean by its spaces.
R=$T/reading
mkdir -p "$R/content/guidance" "$R/i18n"
cat >"$R/site.yaml" <<'YAML'
title: Hub
base_url: https://hub.example.org/
languages:
  - {code: en, name: English}
  - {code: ja, name: 日本語}
  - {code: zh, name: 中文}
  - {code: th, name: ไทย}
  - {code: ko, name: 한국어}
YAML
for l in en ja zh th ko; do
	printf 'reading_time: {one: "RT {count}", other: "RT {count}"}\n' >"$R/i18n/$l.yaml"
done
python3 - "$R/content/guidance" <<'PY'
import sys
d = sys.argv[1]
def page(name, body):
    open(f"{d}/{name}.md", "w", encoding="utf-8").write("---\ntitle: Reading\n---\n" + body + "\n")
ja = "子どもの司法手続きにおける個別評価について説明します。"  # 26 characters and a full stop
page("r", "word " * 1000)                                   # 1000 words: 5 minutes
page("r.ja", ja * 50)                                       # 1300 characters: 2.6, so 3 (was 7)
page("r.zh", "儿童司法程序中的个别评估。" * 100)               # 1200 characters: 2.4, so 3 (was 6)
page("r.th", "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ " * 100)      # 800 words: 4 (was 1)
page("r.ko", "한국어는 띄어쓰기를 합니다 " * 300)              # 900 words: 4.5, so 5
page("mixed", "word " * 300 + "\n\n" + ja * 19 + "子ども")    # 300 words + 497 characters: 1.5 + 1, so 3 (was 4)
PY
"$SATCHEL" build -s "$R" -q 2>"$T/err"
check "a site in Japanese, Chinese, Thai and Korean builds" test $? -eq 0
contains "English: 1,000 words, 5 minutes" "$R/public/en/guidance/r/index.html" "<span>RT 5</span>"
contains "Japanese: 1,300 characters, 3 minutes" "$R/public/ja/guidance/r/index.html" "<span>RT 3</span>"
contains "Chinese: 1,200 characters, 3 minutes" "$R/public/zh/guidance/r/index.html" "<span>RT 3</span>"
contains "Thai: 800 words, 4 minutes" "$R/public/th/guidance/r/index.html" "<span>RT 4</span>"
contains "Korean: 900 words, 5 minutes" "$R/public/ko/guidance/r/index.html" "<span>RT 5</span>"
contains "English with Japanese: 300 words and 497 characters, 3 minutes" "$R/public/en/guidance/mixed/index.html" "<span>RT 3</span>"
finish
