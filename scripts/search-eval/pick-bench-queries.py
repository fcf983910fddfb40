#!/usr/bin/env python3
"""Writes queries-bench.tsv: queries on the shared bench corpus whose answer is known.

    pick-bench-queries.py CORPUS > scripts/search-eval/queries-bench.tsv

make-corpus.py (../shared/bench) fills pages with pseudo-words drawn at random from each
language's alphabet, so a word of six letters or more is nearly always found on one page only.
For resources spread over the corpus (every 149th, rotating through the languages that have a
version), this picks words that occur, folded (lower case, no accents), in no other page of
that language: two from the title (a title query), one from the last paragraph (a word deep in
the page), and a title word with two inner letters swapped (a typo). The page is then the one
expected. Only Markdown is read; the choice is deterministic. Run once and committed, so the
query set stays the same; search-eval.sh checks the corpus it builds is the one used here.
"""
import os
import re
import sys
import unicodedata

LANGS = ["en", "bg", "el", "ro", "sr", "ar", "hu", "nl"]


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c)).replace("ς", "σ")


def split(md):
    m = re.match(r"---\n(.*?)\n---\n(.*)", md, re.S)
    front, body = m.group(1), m.group(2)
    title = re.search(r'^title: "(.*)"$', front, re.M).group(1)
    summary = re.search(r'^summary: "(.*)"$', front, re.M).group(1)
    return title, summary, body


def words(s):
    return re.findall(r"\w+", s)


def main():
    corpus = sys.argv[1]
    pages = {l: [] for l in LANGS}  # lang -> [(url, title, summary, body)]
    for sec in sorted(os.listdir(os.path.join(corpus, "content"))):
        d = os.path.join(corpus, "content", sec)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not os.path.isdir(os.path.join(d, name)):
                continue
            for lang in LANGS:
                f = os.path.join(d, name, "index.md" if lang == "en" else f"index.{lang}.md")
                if os.path.exists(f):
                    t, s, b = split(open(f, encoding="utf-8").read())
                    pages[lang].append((f"/{lang}/{sec}/{name}/", t, s, b))
    df = {}
    for lang, ps in pages.items():
        c = {}
        for u, t, s, b in ps:
            for w in set(fold(x) for x in words(t + " " + s + " " + b)):
                c[w] = c.get(w, 0) + 1
        df[lang] = c
    print("# Queries on the shared bench corpus (make-corpus.py --resources 2000 --seed 15), for")
    print("# scripts/search-eval.sh; written by pick-bench-queries.py (see there how). Same columns")
    print("# as queries-demo.tsv: LANGUAGE, QUERY, EXPECTED, WHAT IT TRIES. The corpus they were picked on")
    print("# (its .bench-stamp: make-corpus.py's cksum, --resources, --seed):")
    stamp = os.path.join(corpus, ".bench-stamp")
    print("# corpus-stamp: " + (open(stamp).read().strip() if os.path.exists(stamp) else "unknown"))
    rot = {"title": 0, "deep": 1, "typo": 2}
    n = 0
    for i, lang in enumerate(["en", "bg", "el", "ro", "sr", "ar", "hu", "nl", "en", "bg", "el",
                              "ro", "sr", "en", "ar"]):
        ps = pages[lang]
        u, t, s, b = ps[(i * 149 + 37) % len(ps)]
        uniq = lambda ws: [w for w in ws if len(fold(w)) >= 6 and df[lang][fold(w)] == 1]
        tw = uniq(words(t))
        last = [p for p in b.strip().split("\n\n") if not p.startswith(("#", "|", "-", ">"))][-1]
        dw = uniq(words(re.sub(r"\(.*?\)", "", last)))
        if len(tw) >= 2:
            print(f"{lang}\t{tw[0]} {tw[-1]}\t{u}\ttwo rare title words")
            n += 1
        if dw:
            print(f"{lang}\t{dw[len(dw) // 2]}\t{u}\tone word from the last paragraph")
            n += 1
        if tw:
            w = max(tw, key=len)
            if len(w) >= 7:
                k = len(w) // 2
                typo = w[:k] + w[k + 1] + w[k] + w[k + 2:]
                if fold(typo) not in df[lang]:
                    print(f"{lang}\t{typo}\t{u}\ttypo (two inner letters swapped) of a title word")
                    n += 1
    print(f"{n} queries", file=sys.stderr)


if __name__ == "__main__":
    main()
