#!/usr/bin/env python3
"""Writes a git repository with a long history for the history benchmark, through git fast-import.

    python3 scripts/make-history-repo.py DIR [--files N] [--commits N] [--seed S]

The first commit adds N content files (content/sectionK/resource-I/index.md and a translation for
every third); each later commit, by one of eight authors an hour after the previous one, edits
one to three files, and every 200th renames one. Deterministic for a seed.
"""
import argparse
import os
import random
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", a.dir], check=True)
    paths = []
    for i in range(a.files):
        sec = i % 10
        if i % 3 == 2:
            paths.append("content/section%d/resource-%05d/index.bg.md" % (sec, i - 1))
        else:
            paths.append("content/section%d/resource-%05d/index.md" % (sec, i))
    authors = [("Author %d" % k, "author%d@example.org" % k) for k in range(8)]
    t = 1600000000
    out = []

    def blob(text):
        data = text.encode()
        out.append(b"data %d\n" % len(data))
        out.append(data + b"\n")

    def commit(n, who, msg, ops):
        nonlocal t
        t += 3600
        name, email = who
        out.append(b"commit refs/heads/main\n")
        out.append(("author %s <%s> %d +0000\n" % (name, email, t)).encode())
        out.append(("committer %s <%s> %d +0000\n" % (name, email, t)).encode())
        blob(msg)
        out.extend(ops)

    def modify(path, text):
        data = text.encode()
        return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)

    ops = [modify("site.yaml", "title: History bench\n")]
    for p in paths:
        ops.append(modify(p, "---\ntitle: %s\n---\nVersion 0 of %s.\n" % (p, p)))
    commit(0, authors[0], "first", ops)
    for n in range(1, a.commits):
        ops = []
        if n % 200 == 0:
            k = rnd.randrange(len(paths))
            old = paths[k]
            new = old.replace("/index", "-moved%d/index" % n)
            ops.append(("R %s %s\n" % (old, new)).encode())
            paths[k] = new
        else:
            for _ in range(rnd.randint(1, 3)):
                p = paths[rnd.randrange(len(paths))]
                ops.append(modify(p, "---\ntitle: %s\n---\nVersion %d of %s.\n" % (p, n, p)))
        commit(n, authors[rnd.randrange(len(authors))], "change %d" % n, ops)
    r = subprocess.run(["git", "-C", a.dir, "fast-import", "--quiet"], input=b"".join(out))
    if r.returncode != 0:
        sys.exit("fast-import failed")
    subprocess.run(["git", "-C", a.dir, "checkout", "-q", "main"], check=True)


if __name__ == "__main__":
    main()
