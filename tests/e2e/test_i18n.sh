#!/bin/sh
# Locale behaviour as a reader sees it: dates and plurals in the page's language, titles sorted by
# the language's collation, UI strings from the theme, overridden by the site, falling back to
# the default language's string for a language the theme does not cover.
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
contains "language without theme strings falls back to the default language" "$P/nl/index.html" "Skip to content"
contains "base_url without slash still gives clean permalinks" "$P/en/tools/apple/index.html" 'href="https://hub.example.org/bg/tools/apple/"'
finish
