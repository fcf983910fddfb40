#!/bin/sh
# `make install PREFIX=…` installs the binary and the default theme, and the installed binary
# builds a site that has no theme of its own.
. "$(dirname "$0")/lib.sh"

make -s -C "$ROOT" install PREFIX="$T/prefix" >"$T/log" 2>&1
check "make install succeeds" test $? -eq 0
exists "binary installed" "$T/prefix/bin/satchel"
exists "default theme installed" "$T/prefix/share/satchel/themes/default/layouts/base.html"
S=$T/site
minisite "$S"
(cd "$S" && git init -q && commit . "first")
"$T/prefix/bin/satchel" build -s "$S" -q 2>"$T/err"
check "installed satchel builds a site without a theme" test $? -eq 0
contains "page rendered with the installed default theme" "$S/public/en/guidance/assessment/index.html" '/css/satchel.css'
exists "theme static files published" "$S/public/css/satchel.css"
# The editor: Decap's files come with the theme, not npm's whole tree.
check "npm's tree is not installed" test ! -e "$T/prefix/share/satchel/themes/default/admin/node_modules/react"
printf 'cms: {backend: local}\n' >>"$S/site.yaml"
(cd "$S" && commit . "cms")
"$T/prefix/bin/satchel" build -s "$S" -q 2>"$T/err"
check "installed satchel builds the editor" test $? -eq 0
exists "/admin/ with Decap" "$S/public/admin/decap-cms.js"
exists "/admin/ config" "$S/public/admin/config.yml"
finish
