#!/usr/bin/env python3
"""packcheck.py: the oracle of an offline pack, read with Python's own HTML parser (not satchel's
tokeniser). Usage: packcheck.py DIR ORIGIN BASE_PATH

DIR is an unzipped pack (or, to show the oracle fails, a built site). Every URL of every HTML
file (href, src, srcset, poster, action, data-facets, data-search, a meta refresh), every CSS
url() and every string of the library's data scripts (.js under LANG/search/, LANG/facets.js)
and of .json files must be
  - not from the root ("/x"), nor protocol-relative ("//host"),
  - not the site's own address (ORIGIN + BASE_PATH …) when it names a file the pack holds,
  - when relative, a file of DIR (never a folder: file:// shows no index.html by itself).
Prints one line per problem (at most 40) and "packcheck: N URLs, N problems"; exits 1 on any.
"""
import html.parser
import json
import os
import re
import sys
import urllib.parse

root, origin, base_path = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
problems = []
checked = 0
URL_ATTRS = {"href", "src", "poster", "action", "formaction", "data-facets", "data-search", "cite"}


def in_pack(rel):
    p = os.path.join(root, rel)
    return os.path.isfile(p) or os.path.isfile(os.path.join(p, "index.html"))


def judge(where, url, page_dir):
    global checked
    url = url.strip()
    if not url or url.startswith("#") or re.match(r"^(data|mailto|tel|javascript):", url, re.I):
        return
    checked += 1
    if url.startswith("//"):
        problems.append(f"{where}: protocol-relative URL {url}")
        return
    if url.startswith("/"):
        problems.append(f"{where}: URL from the root {url}")
        return
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        own = origin + base_path
        if origin and url.lower().startswith(own.lower()):
            rel = urllib.parse.unquote(urllib.parse.urlsplit(url).path)[len(base_path):]
            if rel and in_pack(rel.rstrip("/")):
                problems.append(f"{where}: the site's own address for a file of the pack: {url}")
        return
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    if not path:
        return
    target = os.path.normpath(os.path.join(page_dir, path))
    if not target.startswith(os.path.normpath(root)):
        problems.append(f"{where}: leaves the pack: {url}")
    elif not os.path.isfile(target):
        problems.append(f"{where}: names no file of the pack: {url}")


class Page(html.parser.HTMLParser):
    def __init__(self, where, page_dir):
        super().__init__(convert_charrefs=True)
        self.where, self.dir = where, page_dir

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-pack-online" in a:
            return  # the page online, on purpose (the Use offline page inside a pack)
        for k, v in attrs:
            if v is None:
                continue
            if k in URL_ATTRS:
                if k == "data-search" and not v.startswith("/") and "://" not in v:
                    v = v if v.endswith(".js") or v.endswith(".json") else v + "index.json"
                judge(f"{self.where} <{tag} {k}>", v, self.dir)
            elif k in ("srcset", "imagesrcset"):
                for cand in v.split(","):
                    if cand.strip():
                        judge(f"{self.where} <{tag} {k}>", cand.split()[0], self.dir)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.*)$", a.get("content") or "", re.I)
            if m:
                judge(f"{self.where} <meta refresh>", m.group(1).strip("'\""), self.dir)


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)


for dirpath, dirs, files in os.walk(root):
    dirs.sort()
    for f in sorted(files):
        full = os.path.join(dirpath, f)
        rel = os.path.relpath(full, root)
        with open(full, "rb") as fh:
            data = fh.read()
        if f.endswith(".html"):
            Page(rel, dirpath).feed(data.decode("utf-8", "replace"))
        elif f.endswith(".css"):
            for m in re.finditer(r"url\(\s*['\"]?([^'\")]*)", data.decode("utf-8", "replace")):
                judge(f"{rel} url()", m.group(1), dirpath)
        elif f.endswith(".json") or (f.endswith(".js") and data.startswith(b"(self.satchelPack")):
            text = data.decode("utf-8", "replace")
            if f.endswith(".js"):
                text = text[text.index("=", text.index("]")) + 1:].rstrip().rstrip(";")
            try:
                value = json.loads(text)
            except ValueError as e:
                problems.append(f"{rel}: not JSON data: {e}")
                continue
            for s in strings(value):
                if s.startswith("/") or s.lower().startswith((origin + base_path).lower()) and origin:
                    if s.startswith("/") or in_pack(urllib.parse.urlsplit(s).path[len(base_path):]):
                        judge(f"{rel} (data)", s, dirpath)
                elif re.match(r"^(\.\./)*[^:\s]*index\.html$", s):
                    judge(f"{rel} (data)", s, dirpath)

for p in problems[:40]:
    print(p)
print(f"packcheck: {checked} URLs, {len(problems)} problems")
sys.exit(1 if problems else 0)
