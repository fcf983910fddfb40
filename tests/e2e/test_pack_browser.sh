#!/bin/sh
# An offline pack opened from disk in headless Chromium: the demo hub is built and packed
# (satchel pack), the English pack and the pack of all languages are unzipped into a temporary
# folder, and tests/browser/pack.mjs opens index.html through file:// with the network off:
# language, section, resource and a course's next page followed, the library searched and
# filtered, a video's captions loaded, no request outside file:// and no console error.
. "$(dirname "$0")/lib.sh"

browser_modules
demo_site no-offline
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
# The packs of satchel pack (from the built site), and those of a build with offline: true,
# whose Use offline page is checked online too.
check "satchel pack" "$SATCHEL" pack -s "$S" -o "$T/packs" -q
mkdir -p "$T/en" && (cd "$T/en" && unzip -q "$T/packs/offline-en.zip")
printf 'offline: true\n' >>"$S/site.yaml"
commit "$S" "Offline packs"
check "a build with offline: true" env SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q
mkdir -p "$T/all" && (cd "$T/all" && unzip -q "$S/public/offline/offline-all.zip")
for l in en all; do
	if timeout 300 node "$B/pack.mjs" "$T/$l" "$([ $l = all ] && echo bg || echo en)" \
		$([ $l = all ] && echo "$S/public") >"$T/$l.out" 2>&1; then
		ok "offline-$l.zip from file:// ($(tail -1 "$T/$l.out"))"
	else
		cat "$T/$l.out"
		fail "offline-$l.zip from file://"
	fi
done
finish
