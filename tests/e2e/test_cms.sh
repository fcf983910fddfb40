#!/bin/sh
# The editor at /admin/ (site.yaml cms:, generator/cms.c): the demo hub's build has Decap CMS's
# files and a config per language that reads as YAML; nothing of it asks another host or shows in
# the sitemap, search or offline packs; a site without cms: has no /admin/; without Decap
# installed the build warns and succeeds; two builds give the same bytes; the base path is in
# every URL; cms: mistakes stop the build at their line; Decap in Chromium takes the config.
. "$(dirname "$0")/lib.sh"

DIST=$ROOT/themes/default/admin/node_modules/decap-cms/dist
if [ ! -f "$DIST/decap-cms.js" ]; then
	fail "Decap CMS is installed in themes/default/admin (scripts/install-deps.sh)"
	finish
	exit 1
fi

demo_site
P=$S/public
A=$P/admin
for f in index.html admin.js admin.css config.yml config.bg.yml config.el.yml config.ro.yml config.sr.yml \
	config.ar.yml decap-cms.js decap-cms.js.LICENSE.txt; do
	exists "the demo has /admin/$f" "$A/$f"
done
absent "no config for a transliterated language" "$A/config.sr-Latn.yml"
check "Decap's chunks and WebAssembly are there" test "$(ls "$A" | grep -c '^[0-9]*\.decap-cms\.js$')" -gt 10 -a "$(ls "$A" | grep -c '\.wasm$')" -eq 2
check "no source maps and no cms.js twin" test -z "$(ls "$A" | grep -E '\.map$|^cms\.js')"
check "the chunks are Decap's, byte for byte" cmp "$A/decap-cms.js" "$DIST/decap-cms.js"

python3 - "$A" >"$T/yaml.out" 2>&1 <<'PY'
import sys, yaml, os
a = sys.argv[1]
want = {"config.yml": "en", "config.bg.yml": "bg", "config.el.yml": "gr", "config.ro.yml": "ro",
        "config.sr.yml": "sr_Cyrl", "config.ar.yml": "en"}
for name, loc in want.items():
    c = yaml.safe_load(open(os.path.join(a, name), encoding="utf-8"))
    assert c["locale"] == loc, (name, c["locale"])
    assert c["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main",
        "commit_messages": c["backend"]["commit_messages"]}, c["backend"]
    assert c["i18n"]["locales"] == ["en", "bg", "el", "ro", "sr", "ar"], c["i18n"]
    cols = {x["name"]: x for x in c["collections"]}
    assert list(cols)[:3] == ["guidance", "tools", "by-children"], list(cols)
    f = {x["name"]: x for x in cols["by-children"]["fields"]}
    assert f["consent"]["required"] is True and f["pseudonym"]["required"] is True
    assert f["publisher"]["widget"] == "relation" and f["publisher"]["collection"] == "partners"
print("ok")
PY
check "every config reads as YAML with its Decap locale, backend, languages and collections" grep -qx ok "$T/yaml.out" || cat "$T/yaml.out"
contains "the Bulgarian config's labels are Bulgarian" "$A/config.bg.yml" "label: Насоки"
contains "admin.js knows the languages and the preview style" "$A/admin.js" '"styles":["/css/satchel.css","/css/brand.css"]'
contains "index.html loads admin.js before Decap" "$A/index.html" '<script src="admin.js"></script>
<script src="decap-cms.js"></script>'
contains "the admin is not for search engines" "$A/index.html" 'noindex'
contains "index.html links the theme's admin.css" "$A/index.html" '<link rel="stylesheet" href="admin.css">'
check "admin.css is the theme's, byte for byte" cmp "$A/admin.css" "$ROOT/themes/default/admin/admin.css"
# Outside addresses: none in satchel's files but the site's own address (Decap's bundle names
# its own documentation in strings, and requests nothing by itself).
grep -ohE '(https?:)?//[a-zA-Z0-9.-]+' "$A/index.html" "$A/admin.js" "$A"/config*.yml | sort -u >"$T/hosts"
check "no other host in index.html, admin.js and the configs" test -z "$(grep -v '^https://hub.example.org$' "$T/hosts")"

lacks "the sitemap has no /admin/" "$P/sitemap.xml" "/admin"
check "the search has no /admin/" test -z "$(grep -rl '/admin/' "$P"/*/search 2>/dev/null)"
check "no feed names /admin/" test -z "$(find "$P" -name '*.xml' -exec grep -l '/admin/' {} +)"
python3 - "$P/offline" >"$T/zip.out" 2>&1 <<'PY'
import sys, zipfile, glob
zs = glob.glob(sys.argv[1] + "/*.zip")
assert zs, "no packs"
for z in zs:
    bad = [n for n in zipfile.ZipFile(z).namelist() if "admin/" in n]
    assert not bad, (z, bad[:3])
print("ok")
PY
check "no offline pack holds admin/" grep -qx ok "$T/zip.out" || cat "$T/zip.out"

# satchel check: the admin is no problem.
(cd "$S" && "$SATCHEL" check) >"$T/check.log" 2>&1
lacks "satchel check says nothing of /admin/" "$T/check.log" "admin"

# Two builds, the same bytes.
find "$A" -type f | sort | xargs cksum >"$T/one"
"$SATCHEL" build -s "$S" -q -o "$T/again" 2>/dev/null
(cd "$T/again/admin" && find . -type f | sort | xargs cksum) | sed 's|\./||' >"$T/two"
(cd "$A" && find . -type f | sort | xargs cksum) | sed 's|\./||' >"$T/one"
check "a second build writes the same /admin/ bytes" cmp "$T/one" "$T/two"

# A site without cms: has no /admin/.
M=$T/mini
minisite "$M"
"$SATCHEL" build -s "$M" -q 2>"$T/mini.log"
absent "without cms: no /admin/" "$M/public/admin"

# With cms: and a base path: every URL under it.
cat >>"$M/site.yaml" <<'YAML'
cms:
  backend: local
YAML
sed -i 's|^base_url: .*|base_url: https://org.example.io/hub/|' "$M/site.yaml"
"$SATCHEL" build -s "$M" -q 2>"$T/mini.log"
contains "proxy_url under the base path" "$M/public/admin/config.yml" "proxy_url: /hub/api/v1"
contains "public_folder under the base path" "$M/public/admin/config.yml" "public_folder: /hub/uploads"
contains "admin.js's base and styles under the base path" "$M/public/admin/admin.js" '"base":"/hub/"'
contains "the preview style under the base path" "$M/public/admin/admin.js" '"/hub/css/satchel.css"'

# Without Decap installed: a warning at cms:'s line, what to run, a build, no /admin/.
mkdir -p "$T/themes"
tar -C "$ROOT/themes" --exclude=default/admin/node_modules -cf - default | tar -C "$T/themes" -xf -
line=$(grep -n '^cms:' "$M/site.yaml" | cut -d: -f1)
SATCHEL_THEMES=$T/themes "$SATCHEL" build -s "$M" -q -o "$T/nodecap" 2>"$T/nodecap.log"
check "without Decap the build succeeds" test $? -eq 0
contains "the warning names site.yaml's cms: line" "$T/nodecap.log" "site.yaml:$line:"
contains "the warning says what to run" "$T/nodecap.log" "scripts/install-deps.sh"
absent "without Decap no /admin/" "$T/nodecap/admin"
exists "without Decap the site is built" "$T/nodecap/en/index.html"

# A site's own copy of the default theme, where npm never ran: Decap comes from the default theme.
cp -R "$M" "$T/own"
rm -rf "$T/own/public"
mkdir -p "$T/own/themes"
cp -R "$T/themes/default" "$T/own/themes/local"
printf 'theme: local\n' >>"$T/own/site.yaml"
"$SATCHEL" build -s "$T/own" -q 2>"$T/own.log"
check "a site's own theme without Decap builds" test $? -eq 0
exists "its /admin/ has Decap from the default theme" "$T/own/public/admin/decap-cms.js"
lacks "and no warning that Decap is missing" "$T/own.log" "not installed"

# cms: mistakes: the build stops at their line, the output as it was.
cp "$M/site.yaml" "$T/good.yaml"
printf 'cms:\n  backend: ftp\n' >"$T/bad.tail"
sed '/^cms:/,$d' "$T/good.yaml" >"$M/site.yaml"
cat "$T/bad.tail" >>"$M/site.yaml"
line=$(grep -n 'backend: ftp' "$M/site.yaml" | cut -d: -f1)
before=$(find "$M/public" -type f | sort | xargs cat | cksum)
"$SATCHEL" build -s "$M" -q 2>"$T/bad.log"
check "a bad backend fails the build" test $? -ne 0
contains "the error is at the backend's line and column" "$T/bad.log" "site.yaml:$line:12: error: cms.backend must be local, github"
check "the output is as it was" test "$(find "$M/public" -type f | sort | xargs cat | cksum)" = "$before"
sed -i 's/backend: ftp/backnd: local/' "$M/site.yaml"
"$SATCHEL" build -s "$M" -q 2>"$T/bad.log"
contains "an unknown key is an error with a suggestion" "$T/bad.log" "unknown key 'backnd' in cms; did you mean 'backend'?"

# Decap in Chromium takes the generated config (a smoke check; the editing is cmsbrowser's).
browser_modules
SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
mkdir -p "$SHOTS"
if (cd "$ROOT/tests/browser" && node cms-smoke.mjs "$P" bg "$SHOTS/15-cmsconfig-admin-bg.png") >"$T/smoke.log" 2>&1; then
	ok "Decap accepts the config in Chromium ($(tail -1 "$T/smoke.log"))"
else
	cat "$T/smoke.log"
	fail "Decap accepts the config in Chromium"
fi

finish
