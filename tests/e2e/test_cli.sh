#!/bin/sh
# The command line: every command answers --help (exit 0, on stdout) with its own usage, as does
# `satchel help CMD`; unknown commands, options, values, site.yaml keys, types and fields name the
# closest one; usage errors exit 2; YAML mistakes are reported at their line with the fix.
. "$(dirname "$0")/lib.sh"

for c in build check serve new history translations version help; do
	"$SATCHEL" "$c" --help >"$T/out" 2>"$T/err"
	check "$c --help: exit 0" test $? -eq 0
	contains "$c --help: its own usage on stdout" "$T/out" "usage: satchel $c"
	check "$c --help: nothing on stderr" test ! -s "$T/err"
	"$SATCHEL" "$c" -h >"$T/out2" 2>/dev/null
	check "$c -h: the same" cmp -s "$T/out" "$T/out2"
	"$SATCHEL" help "$c" >"$T/out3" 2>/dev/null
	check "help $c: the same" cmp -s "$T/out" "$T/out3"
done
"$SATCHEL" build --help >"$T/out"
contains "build --help: --incremental" "$T/out" "--incremental"
contains "build --help: -j, --jobs N" "$T/out" "-j, --jobs N"
"$SATCHEL" check --help >"$T/out"
contains "check --help: --format" "$T/out" "--format text|json"
"$SATCHEL" new --help >"$T/out"
contains "new --help: both forms" "$T/out" "satchel new TYPE PATH"
# --help wins wherever it stands, and runs nothing.
"$SATCHEL" build -s "$T/nowhere" --help >/dev/null 2>&1
check "--help after other options: exit 0, no build" test $? -eq 0
absent "... nothing built" "$T/nowhere"
"$SATCHEL" --help >"$T/out" 2>/dev/null
check "satchel --help: exit 0" test $? -eq 0
for c in build check serve new history translations; do
	contains "satchel --help lists $c" "$T/out" "  $c "
done
"$SATCHEL" >/dev/null 2>"$T/err"
check "no command: exit 2" test $? -eq 2
contains "... with the usage on stderr" "$T/err" "usage: satchel COMMAND"
"$SATCHEL" --version >"$T/out"
contains "--version" "$T/out" "satchel "

# Suggestions and exit status 2 for every usage error.
usage_error() { # NAME EXPECTED-TEXT ARGS...
	name=$1 want=$2
	shift 2
	"$SATCHEL" "$@" >"$T/out" 2>"$T/err"
	check "$name: exit 2" test $? -eq 2
	contains "$name: message" "$T/err" "$want"
	check "$name: nothing on stdout" test ! -s "$T/out"
}
usage_error "misspelt command" "unknown command 'biuld'; did you mean 'build'?" biuld
usage_error "misspelt command, case" "unknown command 'Check'; did you mean 'check'?" Check
usage_error "unknown command, nothing close" "unknown command 'zzzzzz'" zzzzzz
usage_error "serve: misspelt option" "unknown option '--prot'; did you mean '--port'?" serve --prot 3
usage_error "serve: a port out of range" "65536" serve -p 65536
usage_error "help of an unknown command" "unknown command 'buidl'; did you mean 'build'?" help buidl
usage_error "misspelt option" "unknown option '--increment'; did you mean '--incremental'?" build --increment
usage_error "misspelt option of check" "unknown option '--formt'; did you mean '--format'?" check --formt json
usage_error "the start of an option" "unknown option '--incr'; did you mean '--incremental'?" build --incr
usage_error "an option of another command" "unknown option '--no-cache'" build --no-cache
usage_error "misspelt history option" "did you mean '--no-cache'?" history --nocache
usage_error "misspelt translations option" "did you mean '--fail-on'?" translations --fail-no missing
usage_error "a value that is not a choice" "--format is text or json, not 'jsn'; did you mean 'json'?" check --format jsn
usage_error "--fail-on" "--fail-on is outdated or missing, not 'outdate'; did you mean 'outdated'?" translations --fail-on outdate
usage_error "a number that is not one" "--jobs must be a whole number" build -j many
usage_error "a missing value" "--site needs a value" build --site
usage_error "a flag with a value" "--incremental takes no value" build --incremental=yes
usage_error "a stray argument" "takes no argument ('public')" build public
usage_error "new without what" "what to write" new
usage_error "new with too much" "not also" new site a b
usage_error "version takes nothing" "takes no argument" version now
"$SATCHEL" build --increment 2>"$T/err" >/dev/null
contains "the pointer to --help" "$T/err" "satchel build --help"
# --opt=value and -jN are the same as --opt value and -j N.
S=$T/site
minisite "$S"
"$SATCHEL" build --site="$S" -j2 -q 2>"$T/err"
check "--site=DIR and -j2" test $? -eq 0
exists "... built" "$S/public/en/index.html"

# site.yaml keys, content types and front-matter fields name the closest.
cp "$S/site.yaml" "$T/site.yaml"
printf 'langauge_default: en\noptions:\n  page_sise: 10\n' >>"$S/site.yaml"
sed -i 's/^    direction: rtl/    directon: rtl/' "$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "a misspelt setting" "$T/err" "site.yaml:13: warning: unknown setting 'langauge_default' ignored"
contains "a misspelt option" "$T/err" "site.yaml:15: warning: unknown option 'page_sise' ignored; did you mean 'page_size'?"
contains "a misspelt language setting" "$T/err" "site.yaml:11: warning: unknown language setting 'directon' ignored; did you mean 'direction'?"
cp "$T/site.yaml" "$S/site.yaml"
printf 'history:\n  contributor: off\n' >>"$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a misspelt history key fails" test $? -ne 0
contains "... naming the closest" "$T/err" "unknown key 'contributor' in history; did you mean 'contributors'?"
cp "$T/site.yaml" "$S/site.yaml"
G=$S/content/guidance/assessment/index.md
cp "$G" "$T/g.md"
sed -i 's/^summary:/sumary:/; s/^date: 2025-03-14/date: 2025-03-14\ntype: guidence/' "$G"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "a misspelt type (a warning: Hugo sites name layouts with type)" "$T/err" "content/guidance/assessment/index.md:4:7: warning: unknown type 'guidence' (one of"
contains "... built as its section's" "$T/err" "the page is built with the type of its section"
contains "... naming the closest" "$T/err" "did you mean 'guidance'?"
sed -i '/^type:/d' "$G"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "a misspelt field" "$T/err" "content/guidance/assessment/index.md:4: warning: 'sumary' is not a field of a guidance; did you mean 'summary'?"
cp "$T/g.md" "$G"

# YAML: the usual mistakes, at their own line (front matter lines counted in the file), with the fix.
"$SATCHEL" build -s "$S" -q 2>/dev/null
cp -R "$S/public" "$T/good"
yaml_error() { # NAME EXPECTED FRONT-MATTER (printf format)
	printf -- "$3" >"$G"
	"$SATCHEL" build -s "$S" -q 2>"$T/err"
	check "$1: fails" test $? -ne 0
	contains "$1: file:line and the fix" "$T/err" "content/guidance/assessment/index.md:$2"
	check "$1: public/ intact" diff -r "$T/good" "$S/public"
	cp "$T/g.md" "$G"
}
yaml_error "a colon in a value" '3:8: error: YAML: a colon inside a value must be quoted; put the value in quotes: title: "Note: read this"' \
	'---\ndate: 2025-03-14\ntitle: Note: read this\n---\nBody\n'
yaml_error "an unclosed quote" '2:8: error: YAML: the double quote that opens this value is never closed; end the value with it: title: "Note"' \
	'---\ntitle: "Note\ndate: 2025-03-14\n---\nBody\n'
yaml_error "a tab indenting" "4:1: error: YAML: a tab indents this line; YAML indents with spaces only" \
	'---\ntitle: x\nparams:\n\tcolour: red\n---\nBody\n'
yaml_error "no space after the colon" "2:6: error: YAML: put a space after the colon: title: Note" \
	'---\ntitle:Note\ndate: 2025-03-14\n---\nBody\n'
yaml_error "a list item out of line" "5:2: error: YAML: this list item is indented 1 space, the one above (line 4) 2" \
	'---\ntitle: x\ntopics:\n  - a\n - b\n---\nBody\n'
yaml_error "a list under a key with a value" "3:1: error: YAML: a list item here, but 'topics' above already has a value" \
	'---\ntopics: a\n- b\n---\nBody\n'
yaml_error "a key indented under a value" "3:3: error: YAML: this line is indented more than 'title' above (line 2)" \
	'---\ntitle: x\n  summary: y\n---\nBody\n'
yaml_error "an unclosed front matter" "1:1: error: front matter opened with --- is never closed with ---: put a line with --- after its last field (line 3)" \
	'---\ntitle: x\ndate: 2025-03-14\n\nBody\n'
cp "$T/site.yaml" "$S/site.yaml"
printf 'edit_url: https://x.example.org/edit: {path}\n' >>"$S/site.yaml"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
contains "site.yaml: a colon in a value" "$T/err" "site.yaml:13:11: error: YAML: a colon inside a value must be quoted"
cp "$T/site.yaml" "$S/site.yaml"

finish
