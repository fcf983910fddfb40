#!/bin/sh
# satchel check (issue 5): links between pages and #anchors that lead nowhere in every language,
# images without alt text, links to files that are not there, pages missing a required
# language; grouped by file and counted, as JSON too; exit 1 on errors, 0 on a clean site; the
# build only warns about the same things, and --strict fails.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S/content/guidance/a" "$S/content/guidance/b"
cat >"$S/site.yaml" <<'YAML'
title: Hub
base_url: https://hub.example.org/
default_language: en
languages:
  - {code: en, name: English}
  - {code: bg, name: Български}
required_languages: [en, bg]
YAML
cat >"$S/content/guidance/a/index.md" <<'MD'
---
title: "A"
date: 2025-01-01
---
## First part

[Here](#first-part), [B's part](../b/index.md#second-part) and [the form](form.txt).
MD
printf 'form\n' >"$S/content/guidance/a/form.txt"
cat >"$S/content/guidance/a/index.bg.md" <<'MD'
---
title: "А"
date: 2025-01-01
---
## Първа част

[Тук](#първа-част) и [Б](../b/index.md#second-part).
MD
cat >"$S/content/guidance/b/index.md" <<'MD'
---
title: "B"
date: 2025-01-01
---
## Second part
MD
cat >"$S/content/guidance/b/index.bg.md" <<'MD'
---
title: "Б"
date: 2025-01-01
---
## Втора част {#second-part}
MD
(cd "$S" && git init -q) && commit "$S" "hub"

"$SATCHEL" check -s "$S" >"$T/out" 2>&1
check "a clean site passes check" test $? -eq 0
contains "... and says so" "$T/out" "0 errors, 0 warnings in 0 files"
absent "check publishes nothing" "$S/public"

# Break it in each way.
cat >>"$S/content/guidance/a/index.md" <<'MD'

[Nowhere](#no-such-part), [B's lost part](../b/index.md#lost), [a gone page](../c/index.md),
[a lost file](lost.pdf).

![](form-scan.png)
MD
printf '\n[Липсва](#липсваща-част)\n' >>"$S/content/guidance/a/index.bg.md"
mkdir -p "$S/content/guidance/c2" && printf -- '---\ntitle: "C2"\n---\nOnly English.\n' >"$S/content/guidance/c2/index.md"
commit "$S" "broken"
"$SATCHEL" check -s "$S" >"$T/out" 2>&1
check "check exits 1 on errors" test $? -eq 1
A=content/guidance/a/index.md
contains "an anchor missing on the page itself" "$T/out" "$A:9: error: link to '#no-such-part': there is no heading with that id"
contains "an anchor missing on another page" "$T/out" "$A:9: error: link to '#lost' on content/guidance/b/index.md: there is no heading with that id"
contains "a link to a missing page" "$T/out" "$A:9: error: link to a missing page '../c/index.md'"
contains "a link to a missing file" "$T/out" "$A:10: error: link to a missing file 'lost.pdf'"
contains "an image without alt text" "$T/out" "$A:12: error: image without alt text"
contains "an anchor missing in the Bulgarian version" "$T/out" "content/guidance/a/index.bg.md:9: error: link to '#липсваща-част'"
lacks "a Cyrillic anchor that exists is fine" "$T/out" "#първа-част"
contains "a page missing a required language" "$T/out" \
	"content/guidance/c2/index.md:1: error: no Български version: bg is one of the site's required languages"
contains "grouped by file and counted" "$T/out" "8 errors, 0 warnings in 3 files"
python3 - "$T/out" <<'PY' && ok "one file's problems come together, in line order" || fail "one file's problems come together, in line order"
import sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if ": error: " in l]
files = [l.split(":")[0] for l in lines]
seen = []
for f in files:
    if not seen or seen[-1] != f:
        seen.append(f)
ok = len(seen) == len(set(seen))
a = [int(l.split(":")[1]) for l in lines if l.startswith("content/guidance/a/index.md:")]
sys.exit(0 if ok and a == sorted(a) else 1)
PY
"$SATCHEL" check -s "$S" --format json >"$T/out.json" 2>&1
python3 - "$T/out.json" <<'PY' && ok "check --format json" || fail "check --format json"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["errors"] == 8 and len(d["files"]) == 3 and all(
    p["severity"] == "error" for f in d["files"] for p in f["problems"]) else 1)
PY

"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "the build only warns" test $? -eq 0
contains "... the same problems" "$T/err" "$A:9: warning: link to '#no-such-part'"
"$SATCHEL" build -s "$S" -q --strict 2>"$T/err"
check "build --strict fails on them" test $? -ne 0
contains "... as errors" "$T/err" "content/guidance/c2/index.md:1: error: no Български version"
finish
