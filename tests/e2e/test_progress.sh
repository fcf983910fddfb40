#!/bin/sh
# Progress: a build over a second on a terminal shows how far it has come on stderr
# ("satchel: pages 1200/3500"), written over in place at most ten times a second and cleared at
# the end; nothing when stderr is not a terminal, or with -q. The terminal is script(1)'s pty.
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null 2>&1; then
	echo "# script (util-linux) is missing: skipped"
	finish
	exit
fi
S=$T/site
N=${PROGRESS_PAGES:-400}
mkdir -p "$S/content/news"
printf 'title: Big hub\nbase_url: https://hub.example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: bg, name: Български}\n' >"$S/site.yaml"
python3 - "$S/content/news" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "item-%04d" % i)
    os.makedirs(d)
    body = "\n\n".join("Paragraph %d of item %d, with *some* text to render." % (k, i) for k in range(6))
    for lang in ("", ".bg"):
        with open(os.path.join(d, "index%s.md" % lang), "w") as f:
            f.write('---\ntitle: "Item %d%s"\ndate: 2025-01-%02d\n---\n\n%s\n' % (i, lang, i % 28 + 1, body))
PY
(cd "$S" && git init -q) && commit "$S" "Big hub"

# On a terminal, one thread: over a second.
start=$(date +%s%N)
script -qec "'$SATCHEL' build -s '$S' -o '$T/out' -j 1" /dev/null >"$T/tty" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "# the build on a terminal took $ms ms"
check "the build on a terminal works" test $rc -eq 0
check "... over a second, so that progress can show" test "$ms" -gt 1000
check "it shows pages done / total" grep -qaE 'satchel: pages [0-9]+/[0-9]+' "$T/tty"
total=$(grep -aoE 'satchel: pages [0-9]+/[0-9]+' "$T/tty" | tail -1 | cut -d/ -f2)
check "... out of every page ($total)" test "${total:-0}" -gt "$N"
check "... written over in place (a carriage return, no new line)" sh -c "! grep -aE 'satchel: (pages|Markdown|images) [0-9]+/[0-9]+' '$T/tty' | grep -aqv \"\$(printf '\\r')\""
lines=$(grep -aoE 'satchel: (pages|Markdown|images) [0-9]+/' "$T/tty" | wc -l)
check "at most ten lines a second ($lines in $ms ms)" test "$lines" -le $((ms / 100 + 1))
# The last progress line, then the line cleared (carriage return, erase to its end), then the
# summary from its first column.
check "cleared at the end, before the summary" python3 -c "
import re, sys
t = open(sys.argv[1], 'rb').read()
sys.exit(not re.search(rb'satchel: (?:pages|Markdown|images) [0-9]+/[0-9]+\\x1b\\[K\\r\\r\\x1b\\[Ksatchel: [0-9]+ pages \\(', t))" "$T/tty"

script -qec "'$SATCHEL' build -s '$S' -o '$T/out' -j 1 -q" /dev/null >"$T/tty-q" 2>&1
check "with -q: no progress" sh -c "! grep -aq 'satchel: pages' '$T/tty-q'"
"$SATCHEL" build -s "$S" -o "$T/out" -j 1 >"$T/out.txt" 2>"$T/err"
check "stderr not a terminal: no progress" sh -c "! grep -aq 'satchel: pages' '$T/err'"
check "... and no control characters" sh -c "! grep -aq \"\$(printf '\\r')\" '$T/err'"

# A short build on a terminal shows nothing: the first second is quiet.
minisite "$T/mini"
(cd "$T/mini" && git init -q) && commit "$T/mini" "Mini"
script -qec "'$SATCHEL' build -s '$T/mini' -o '$T/mini-out'" /dev/null >"$T/tty-mini" 2>&1
check "a build under a second: no progress" sh -c "! grep -aqE 'satchel: (pages|Markdown|images) ' '$T/tty-mini'"

finish
