#!/usr/bin/env python3
"""linkwalk.py OUT [BASE_URL]: every internal link of a built site, checked against its files.

Reads every .html file under OUT with Python's own HTML parser (not satchel's tokeniser, so the
two check each other) and resolves each href, src, srcset, imagesrcset, action, formaction,
poster, object data, data-facets and data-search (a folder: its index.json) against the page's
URL. A link into the site (relative, from /, or under BASE_URL) must name a file of OUT: a path
ending in '/' its index.html, another a file or a folder with an index.html. Prints
`PAGE-URL: broken link to PATH` for each and exits 1 when there is any; prints the number of
pages and links checked on stderr."""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

ATTRS = {"href", "src", "action", "formaction", "poster", "data-facets"}


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ATTRS or (name == "data" and tag == "object"):
                self.found.append((value, "index.html"))
            elif name == "data-search":
                self.found.append((value.strip() or "./", "index.json"))
            elif name in ("srcset", "imagesrcset"):
                for cand in value.split(","):
                    parts = cand.split()
                    if parts:
                        self.found.append((parts[0], "index.html"))

    handle_startendtag = handle_starttag


def main():
    out = sys.argv[1]
    base = sys.argv[2] if len(sys.argv) > 2 else "https://site.invalid/"
    base_parts = urlsplit(base)
    files = set()
    pages = []
    for d, _, names in os.walk(out):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), out).replace(os.sep, "/")
            files.add(rel)
            if n.endswith(".html"):
                pages.append(rel)
    pages.sort()
    broken, links = 0, 0
    for rel in pages:
        url = "/" + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)
        p = Links()
        with open(os.path.join(out, rel), encoding="utf-8") as f:
            p.feed(f.read())
        seen = set()
        for value, index in p.found:
            v = value.strip()
            if v == "" or v.startswith("#"):
                continue
            target = urlsplit(urljoin(base_parts.scheme + "://" + base_parts.netloc + url, v))
            if (target.scheme, target.netloc.lower()) != (base_parts.scheme, base_parts.netloc.lower()):
                continue
            path = unquote(target.path) or "/"
            links += 1
            r = path[1:]
            if path.endswith("/"):
                ok = (r + index) in files
            else:
                ok = r in files or (r + "/" + index) in files
            if not ok and index == "index.json" and path.endswith("/"):
                path += index
            if not ok and path not in seen:
                seen.add(path)
                broken += 1
                print(f"{url}: broken link to {path}")
    print(f"linkwalk: {len(pages)} pages, {links} internal links, {broken} broken", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
