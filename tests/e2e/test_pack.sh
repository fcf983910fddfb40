#!/bin/sh
# satchel pack: offline zips of a built site. What each pack holds and leaves out, every URL of
# it relative and naming a file (tests/e2e/packcheck.py, Python's own HTML parser, shown to fail
# on the built site itself), the same bytes twice (sorted entries, one date, one mode), --lang
# subsets, errors for an unknown language or a missing build, no link followed out of the
# output, and a base_url with a path (/hub/). The browser side is test_pack_browser.sh.
. "$(dirname "$0")/lib.sh"

demo_site no-offline
P=$T/packs
# ls NAME ZIP: the zip's entries, one a line, in its own order.
zls() { python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; }

check "satchel pack writes one zip per language and one with all" "$SATCHEL" pack -s "$S" -o "$P" -q
for l in en bg el ro sr sr-Latn ar all; do exists "offline-$l.zip is written" "$P/offline-$l.zip"; done
zls "$P/offline-en.zip" >"$T/en.list"
for f in index.html 404.html en/index.html en/library/index.html en/facets.js en/search/index.js \
	css/satchel.css js/search.js js/library.js \
	en/by-children/what-we-want-judges-to-know/film.mp4 \
	en/by-children/what-we-want-judges-to-know/film.en.vtt \
	en/tools/individual-assessment-checklist/checklist.txt; do
	if grep -qx "$f" "$T/en.list"; then ok "the en pack holds $f"; else fail "the en pack holds $f"; fi
done
for f in '^bg/' '^ar/' 'sitemap.xml' 'robots.txt' '.satchel-output' '\.json$' '\.xml$' '^offline/'; do
	if grep -q "$f" "$T/en.list"; then fail "the en pack leaves out $f"; else ok "the en pack leaves out $f"; fi
done
if LC_ALL=C sort -c "$T/en.list"; then ok "entries are in byte order"; else fail "entries are in byte order"; fi
if grep -q '\.\.\|^/' "$T/en.list"; then fail "no entry climbs out or starts at /"; else ok "no entry climbs out or starts at /"; fi
python3 - "$P/offline-en.zip" >"$T/meta.out" 2>&1 <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = [i.filename for i in z.infolist() if i.date_time != (1980, 1, 1, 0, 0, 0) or (i.external_attr >> 16) != 0o100644]
print("bad:", bad[:5]) if bad else print("ok")
sys.exit(1 if bad else 0)
PY
if [ "$(cat "$T/meta.out")" = ok ]; then ok "every entry dated 1980-01-01, mode 0644"; else fail "every entry dated 1980-01-01, mode 0644: $(cat "$T/meta.out")"; fi

# Every URL of the pack is relative and names a file of it; the same oracle on the built site
# finds URLs from the root (it can fail).
for l in en all; do
	mkdir -p "$T/u-$l" && (cd "$T/u-$l" && unzip -q "$P/offline-$l.zip")
	if python3 "$ROOT/tests/e2e/packcheck.py" "$T/u-$l" https://hub.example.org / >"$T/check-$l.out"; then
		ok "offline-$l: every URL relative, to a file of the pack ($(tail -1 "$T/check-$l.out"))"
	else
		fail "offline-$l: every URL relative, to a file of the pack"; cat "$T/check-$l.out"
	fi
done
if python3 "$ROOT/tests/e2e/packcheck.py" "$S/public" https://hub.example.org / >/dev/null; then
	fail "the oracle finds the built site's URLs from the root"
else
	ok "the oracle finds the built site's URLs from the root"
fi
contains "the library's data is a script for file://" "$T/u-en/en/library/index.html" 'data-facets="../facets.js"'
contains "search pieces are scripts" "$T/u-en/en/library/index.html" 'data-search="../search/index.js"'
contains "a link to a folder names its index.html" "$T/u-en/en/index.html" 'href="library/index.html"'
contains "another language goes to the site online (en pack)" "$T/u-en/en/index.html" 'href="https://hub.example.org/bg/"'
contains "another language is in the all pack" "$T/u-all/en/index.html" 'href="../bg/index.html"'
contains "captions are inline (file:// loads no track)" "$T/u-en/en/by-children/what-we-want-judges-to-know/index.html" 'src="data:text/vtt;base64,'
contains "the style sheet is relative" "$T/u-en/en/index.html" 'href="../css/satchel.css"'

# The same build gives the same bytes, whenever it is packed.
sleep 1
touch "$S/public/en/index.html"
"$SATCHEL" pack -s "$S" -o "$T/again.zip" --lang en -q
if cmp -s "$P/offline-en.zip" "$T/again.zip"; then ok "the same output packs to the same bytes"; else fail "the same output packs to the same bytes"; fi

# --lang: one zip with the languages named.
check "--lang en,bg -o FILE.zip" "$SATCHEL" pack -s "$S" --lang en --lang bg -o "$T/two.zip" -q
zls "$T/two.zip" >"$T/two.list"
if grep -q '^en/index.html$' "$T/two.list" && grep -q '^bg/index.html$' "$T/two.list" &&
	! grep -q '^el/' "$T/two.list"; then ok "the zip holds en and bg, not el"; else fail "the zip holds en and bg, not el"; fi
"$SATCHEL" pack -s "$S" --lang sr-Latn -o "$T/one" -q
if [ -f "$T/one/offline-sr-Latn.zip" ] && [ "$(ls "$T/one")" = offline-sr-Latn.zip ]; then
	ok "--lang into a folder writes that language's zip alone"; else fail "--lang into a folder writes that language's zip alone: $(ls "$T/one")"; fi

# Errors.
"$SATCHEL" pack -s "$S" --lang eng -o "$T/x.zip" 2>"$T/err" >/dev/null
rc=$?
if [ $rc -eq 2 ] && grep -q "no language 'eng'; did you mean 'en'" "$T/err"; then ok "an unknown language is a usage error with a suggestion"; else fail "an unknown language is a usage error ($rc: $(cat "$T/err"))"; fi
absent "and no zip is written" "$T/x.zip"
"$SATCHEL" pack -s "$S" --from "$T/nothing" -o "$T/y.zip" 2>"$T/err" >/dev/null
rc=$?
if [ $rc -eq 1 ] && grep -q "run satchel build first" "$T/err"; then ok "no build: an error that says what to do"; else fail "no build: an error ($rc: $(cat "$T/err"))"; fi
"$SATCHEL" pack -s "$S" --langs en 2>"$T/err" >/dev/null
if [ $? -eq 2 ] && grep -q "did you mean '--lang'" "$T/err"; then ok "an unknown option suggests --lang"; else fail "an unknown option suggests --lang: $(cat "$T/err")"; fi

# No link is followed out of the output: a link to a secret and a linked folder stay out.
echo secret >"$T/secret.txt"
ln -s "$T/secret.txt" "$S/public/en/leak.txt"
ln -s "$T" "$S/public/en/leakdir"
"$SATCHEL" pack -s "$S" --lang en -o "$T/links.zip" -q
if zls "$T/links.zip" | grep -q 'leak'; then fail "symbolic links are not packed"; else ok "symbolic links are not packed"; fi
rm "$S/public/en/leak.txt" "$S/public/en/leakdir"

# A base_url with a path: URLs that carry it (/hub/en/…) and its address become relative.
H=$T/hub
mkdir -p "$H/out/en/a" "$H/out/css" "$H/out/en/search"
printf 'title: H\nbase_url: https://org.example.io/hub/\nlanguages: [{code: en}]\n' >"$H/site.yaml"
cat >"$H/out/en/index.html" <<'HTML'
<!doctype html><html><head><link rel="stylesheet" href="/hub/css/s.css"></head><body>
<a href="/hub/en/a/">a</a> <a href='https://org.example.io/hub/en/a/#x'>abs</a> <a href=/hub/en/>self</a>
<a href="/other/">outside</a> <a href="/en/a/">no base path</a> <img srcset="/hub/en/a/p.png 1x, /hub/en/a/p.png 2x" src="a/p.png">
<form action="/hub/en/"></form><div data-search="/hub/en/search/"></div></body></html>
HTML
printf '<!doctype html><p><a href="../">up</a>\n' >"$H/out/en/a/index.html"
printf 'p' >"$H/out/en/a/p.png"
printf 'a{background:url("/hub/en/a/p.png")}\n' >"$H/out/css/s.css"
printf '{"u":"/hub/en/a/","t":"x"}\n' >"$H/out/en/search/index.json"
"$SATCHEL" pack -s "$H" --from "$H/out" -o "$H/p.zip" -q
mkdir "$H/u" && (cd "$H/u" && unzip -q "$H/p.zip")
contains "/hub/en/a/ -> a/index.html" "$H/u/en/index.html" '<a href="a/index.html">a</a>'
contains "the site's address with /hub/ -> relative" "$H/u/en/index.html" "<a href='a/index.html#x'>abs</a>"
contains "an unquoted value is quoted" "$H/u/en/index.html" '<a href="index.html">self</a>'
contains "srcset" "$H/u/en/index.html" 'srcset="a/p.png 1x, a/p.png 2x"'
contains "a path outside /hub/ goes to the domain online" "$H/u/en/index.html" 'href="https://org.example.io/other/"'
contains "a path of the site without /hub/ (a build before base paths) -> relative" "$H/u/en/index.html" '<a href="a/index.html">no base path</a>'
contains "data-search names the index script" "$H/u/en/index.html" 'data-search="search/index.js"'
contains "a relative link to a folder gets index.html" "$H/u/en/a/index.html" 'href="../index.html"'
contains "CSS url() from /hub/" "$H/u/css/s.css" 'url("../en/a/p.png")'
contains "data URLs relative to their file" "$H/u/en/search/index.js" '"u":"../a/index.html"'

# offline: true — the build writes the packs and a Use offline page per language with their sizes.
contains "without offline: no Use offline link" "$S/public/en/index.html" 'class="site-footer"'
lacks "without offline: no Use offline link (footer)" "$S/public/en/index.html" 'footer-offline'
printf 'offline: true\n' >>"$S/site.yaml"
commit "$S" "Offline packs"
check "a build with offline: true" env SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q
for l in en bg ar all; do exists "the build writes offline/offline-$l.zip" "$S/public/offline/offline-$l.zip"; done
contains "the footer links the Use offline page" "$S/public/en/index.html" '<p class="footer-offline"><a href="/en/offline/">'
python3 - "$S/public" >"$T/sizes.out" 2>&1 <<'PY'
import os, re, sys
pub = sys.argv[1]
def text(n):
    if n < 1000000:
        return f"{(n + 999) // 1000} KB"
    return f"{n / 1e6:.1f} MB" if n < 100e6 else f"{n / 1e6:.0f} MB"
bad = 0
for lang in ["en", "bg", "ar"]:
    page = open(os.path.join(pub, lang, "offline", "index.html"), encoding="utf-8").read()
    found = dict(re.findall(r'<span data-pack-size="([^"]+)">([^<]*)</span>', page))
    for code in ["en", "bg", "el", "ro", "sr", "sr-Latn", "ar", "all"]:
        size = os.path.getsize(os.path.join(pub, "offline", f"offline-{code}.zip"))
        if found.get(code) != text(size) or f'href="/offline/offline-{code}.zip"' not in page:
            print(f"{lang}: {code}: page says {found.get(code)!r}, the zip is {text(size)}")
            bad += 1
print("ok" if not bad else f"{bad} wrong")
PY
if [ "$(tail -1 "$T/sizes.out")" = ok ]; then ok "each Use offline page links every pack with its true size"; else fail "the Use offline page's sizes: $(cat "$T/sizes.out")"; fi
mkdir -p "$T/b-en" && (cd "$T/b-en" && unzip -q "$S/public/offline/offline-en.zip")
contains "in the pack, the list of packs is hidden" "$T/b-en/en/offline/index.html" '<div data-pack="online" hidden>'
contains "in the pack, the page says it is the offline copy" "$T/b-en/en/offline/index.html" '<div data-pack="offline">'
contains "and links the page online" "$T/b-en/en/offline/index.html" '<a data-pack-online href="https://hub.example.org/en/offline/">'
if python3 "$ROOT/tests/e2e/packcheck.py" "$T/b-en" https://hub.example.org / >"$T/check-b.out"; then
	ok "the build's en pack: every URL relative ($(tail -1 "$T/check-b.out"))"
else
	fail "the build's en pack: every URL relative"; cat "$T/check-b.out"
fi
if zls "$S/public/offline/offline-all.zip" | grep -q '^offline/'; then fail "a pack holds no pack"; else ok "a pack holds no pack"; fi
cp "$S/public/offline/offline-all.zip" "$T/first-all.zip"
check "the same commit builds again" env SOURCE_DATE_EPOCH=1795651200 "$SATCHEL" build -s "$S" -q
if cmp -s "$T/first-all.zip" "$S/public/offline/offline-all.zip"; then ok "the same commit gives the same pack bytes"; else fail "the same commit gives the same pack bytes"; fi
"$SATCHEL" check -s "$S" >/dev/null 2>&1
ok_check=$?
if [ $ok_check -eq 0 ]; then ok "satchel check passes with offline: true (no broken link to the packs)"; else fail "satchel check passes with offline: true"; fi

finish
