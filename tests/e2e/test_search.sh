#!/bin/sh
# The search index (docs/search-format.md) of the demo hub: every page a visitor can open is a
# document, full text (a word from deep inside a long guide), the surface map (Romanian), the
# transliterations (Latin to Serbian Cyrillic and Bulgarian), facets items first, fragment anchors
# that the pages have, and nothing left out for safeguarding.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S"
cp -R "$ROOT/content" "$ROOT/site.yaml" "$ROOT/static" "$S/"
[ -d "$ROOT/safeguarding" ] && cp -R "$ROOT/safeguarding" "$S/"
(cd "$S" && git init -q && git add -A && git commit -qm hub)
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "the demo hub builds" test $? -eq 0
P=$S/public

cat >"$T/check.py" <<'PY'
import json, os, re, sys
P, S = sys.argv[1], sys.argv[2]
failed = 0
def ok(cond, name):
    global failed
    print(("ok " if cond else "FAIL ") + name)
    failed += 0 if cond else 1

def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)

def man(L):
    return load(f"{P}/{L}/search/index.json")

def piece(L, s):
    # the last piece that begins at or before s, in UTF-8 byte order, as the client finds it
    at = [i for i, p in enumerate(man(L)["pieces"]) if p.encode() <= s.encode()]
    if not at:
        return {"t": {}, "w": {}}
    return load(f"{P}/{L}/search/t/{at[-1]}.json")

def docs_of(L, q):
    """The doc ids a folded query word reaches (exact term or surface form)."""
    pc = piece(L, q)
    terms = [q] if q in pc["t"] else []
    w = pc["w"].get(q)
    if w:
        terms += w if isinstance(w, list) else [w]
    ids = set()
    for t in terms:
        post = piece(L, t)["t"].get(t, [])
        d = 0
        for i in range(0, len(post), 2):
            d += post[i]
            ids.add(d)
    return ids

def frag(L, i):
    return load(f"{P}/{L}/search/f/{i}.json")

def urls_of(L, q):
    return {frag(L, i)["u"] for i in docs_of(L, q)}

langs = [d for d in sorted(os.listdir(P)) if os.path.isfile(f"{P}/{d}/search/index.json")]
ok(len(langs) >= 7, "every language has a search index (%s)" % " ".join(langs))

m = man("en")
ok(m["v"] == 1 and m["lang"] == "en" and re.fullmatch(r"[0-9a-f]{16}", m["id"]) is not None,
   "the manifest names its version, language and id")
ok(m["pieces"] == sorted(m["pieces"], key=lambda s: s.encode()), "pieces are sorted by bytes")
ok(all(os.path.isfile(f"{P}/en/search/t/{i}.json") for i in range(len(m["pieces"]))),
   "every listed piece exists")
ok(m["pieces"][:1] == [""] and len(set(m["pieces"])) == len(m["pieces"]), "the first piece begins at the start; no two at one key")

en = [frag("en", i)["u"] for i in range(m["docs"])]
for kind in ["/en/news/", "/en/events/", "/en/partners/", "/en/projects/"]:
    ok(any(u.startswith(kind) and u != kind for u in en), "a page under %s is a document" % kind)
for url in ["/en/about/", "/en/training/introduction-to-child-friendly-justice/01-principles/"]:
    ok(url in en, "%s is a document" % url)

facets = load(f"{P}/en/facets.json")["items"]
ok(m["items"] == len(facets) and all(frag("en", i)["u"] == facets[i]["u"] for i in range(len(facets))),
   "doc i is facets item i")
ok(en[len(facets):] == sorted(en[len(facets):]), "the other documents follow in URL order")

# A word from deep inside a long guide: past its first 300 words, nowhere before.
src = open(f"{S}/content/guidance/individual-assessment/index.md", encoding="utf-8").read()
body = src.split("\n---", 1)[1] if src.startswith("---") else src
body = re.sub(r"\]\([^)]*\)", "]", body)  # link destinations are no text
words = re.findall(r"[A-Za-z]+", body)
early = {w.lower() for w in words[:300]}
deep = sorted({w.lower() for w in words[300:] if len(w) >= 7 and w.lower() not in early})
hit = [w for w in deep if "/en/guidance/individual-assessment/" in urls_of("en", w)]
ok(len(deep) > 0 and len(hit) == len(deep),
   "words from deep inside a long guide are indexed (%d of %d: %s)" % (len(hit), len(deep), " ".join(deep[:5])))

# Romanian: the title's word and its form in text are one term.
ro = urls_of("ro", "audierea")
ok(any("/ro/guidance/" in u for u in ro), "Romanian 'audierea' reaches the guide titled with it")
pc = piece("ro", "audierea")
ok(pc["w"].get("audierea") in pc["t"] or pc["w"].get("audierea") is not None, "'audierea' maps to a term")

# Cross-script.
sr = urls_of("sr", "procena")
ok(any(u.startswith("/sr/") for u in sr), "Latin 'procena' reaches a Serbian Cyrillic page")
srl = urls_of("sr-Latn", "процена")
ok(any(u.startswith("/sr-Latn/") for u in srl), "Cyrillic 'процена' reaches a Serbian Latin page")
bg = urls_of("bg", "barnahus")
ok(any(u.startswith("/bg/") and frag("bg", i)["l"] == "bg" for i in docs_of("bg", "barnahus") for u in [frag("bg", i)["u"]]),
   "'barnahus' reaches a Bulgarian page")
ok(len(urls_of("bg", "otsenka")) > 0, "'otsenka' reaches Bulgarian pages")

# Fragments: anchors the pages have.
missing = []
nsec = 0
for L in langs:
    ml = man(L)
    for i in range(ml["docs"]):
        p = f"{P}/{L}/search/f/{i}.json"
        if not os.path.isfile(p):
            continue
        f = load(p)
        html = open(f"{P}{f['u']}index.html", encoding="utf-8").read()
        for a, h, t in f["x"]:
            if a:
                nsec += 1
                if ('id="%s"' % a) not in html:
                    missing.append(f["u"] + "#" + a)
ok(nsec > 20 and not missing, "fragment sections (%d) link to anchors their pages have %s" % (nsec, missing[:3]))
sys.exit(1 if failed else 0)
PY
python3 "$T/check.py" "$P" "$S" >"$T/out" 2>&1
rc=$?
cat "$T/out"
while read -r line; do
	case $line in
	ok\ *) PASSED=$((PASSED + 1)) ;;
	FAIL\ *) FAILED=$((FAILED + 1)) ;;
	esac
done <"$T/out"
[ $rc -eq 0 ] || [ "$FAILED" -gt 0 ] || fail "the checks ran"

finish
