#!/usr/bin/env python3
"""subpath_crawl.py: every URL of a built site served under a sub-path stays under it.

usage: subpath_crawl.py OUTPUT-DIR BASE-URL   (BASE-URL such as https://org.example.io/hub/)

Reads EVERY file of the output and collects the URLs it carries:
  - HTML: every attribute that holds a URL (href, src, srcset, imagesrcset, action, formaction,
    poster, data, content of og:/twitter: meta, and every data-* attribute whose value is a path
    or an address), CSS url() in style attributes and <style>, string values in inline JSON
    (<script type="application/ld+json">) and site paths in inline scripts;
  - CSS: url(...);
  - JSON: every string value that is a path from / or an address;
  - XML (feeds, sitemap): every attribute and text that is a path from / or an address;
  - JS: string literals that are paths of the site ("/en/x", '/css/y');
  - text files: addresses (robots.txt's Sitemap:).
A URL of the site's own host (or a path from /, or a relative URL resolved against the file's
own address) must lead under the base path. Prints each URL outside it with the file, and exits
1 when there is one; prints how many URLs of each kind it looked at, so a crawler that saw
nothing is seen to (and fails: fewer than --min URLs is an error).
"""
import html.parser
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "cite", "background",
             "manifest", "ping", "xlink:href"}
SRCSET_ATTRS = {"srcset", "imagesrcset"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
JS_PATH = re.compile(r"""(["'`])(/[A-Za-z0-9_%.~-][^"'`\s]*)\1""")
TEXT_ADDR = re.compile(r"""https?://[^\s"'<>]+""")


class Crawl:
    def __init__(self, out, base):
        self.out = out
        b = urlsplit(base)
        self.scheme_host = (b.scheme, b.netloc.lower())
        self.origin = f"{b.scheme}://{b.netloc}"
        self.path = b.path if b.path.endswith("/") else b.path + "/"
        self.bad = []
        self.seen = {}

    def served(self, rel):
        """The address a file of the output is served at."""
        rel = rel.replace(os.sep, "/")
        if rel.endswith("index.html"):
            rel = rel[: -len("index.html")]
        return self.origin + self.path + rel

    def url(self, kind, where, u, relative_ok=True):
        u = u.strip()
        if not u or u.startswith(("#", "data:", "mailto:", "tel:", "javascript:", "blob:")):
            return
        self.seen[kind] = self.seen.get(kind, 0) + 1
        if not relative_ok and not (u.startswith("/") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", u)):
            return
        a = urljoin(where, u)
        p = urlsplit(a)
        if p.scheme not in ("http", "https") or p.netloc.lower() != self.scheme_host[1]:
            return  # another host: not the site's
        path = p.path or "/"
        if not (path + "/").startswith(self.path) and path + "/" != self.path:
            self.bad.append((where, kind, u))

    def srcset(self, where, v):
        for cand in v.split(","):
            cand = cand.strip()
            if cand:
                self.url("srcset", where, cand.split()[0])

    def css(self, where, text):
        for m in CSS_URL.finditer(text):
            self.url("css url()", where, m.group(2))

    def js(self, where, text):
        # Comments are no URLs ("// the index under base (\"/en/search/\")"): whole-line ones and
        # /* */ blocks go; a string holding "//" (an address) stays as it is.
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"(?m)^\s*//.*$", "", text)
        for m in JS_PATH.finditer(text):
            self.url("js string", where, m.group(2), relative_ok=False)

    def json_value(self, where, v, kind="json"):
        if isinstance(v, dict):
            for x in v.values():
                self.json_value(where, x, kind)
        elif isinstance(v, list):
            for x in v:
                self.json_value(where, x, kind)
        elif isinstance(v, str):
            if re.match(r"^/[^/\s]", v) or re.match(r"^https?://", v) or v == "/":
                self.url(kind, where, v, relative_ok=False)

    def text_addrs(self, where, text, kind):
        for m in TEXT_ADDR.finditer(text):
            self.url(kind, where, m.group(0).rstrip(".,;)"), relative_ok=False)


class Page(html.parser.HTMLParser):
    def __init__(self, crawl, where):
        super().__init__(convert_charrefs=True)
        self.c = crawl
        self.where = where
        self.script = None  # the type of the <script> being read
        self.style = False
        self.buf = []

    def handle_starttag(self, tag, attrs):
        c, w = self.c, self.where
        a = dict(attrs)
        if tag == "base" and a.get("href"):
            self.where = urljoin(w, a["href"])
        for k, v in attrs:
            if v is None:
                continue
            if k in URL_ATTRS:
                c.url(f"<{tag} {k}>", w, v)
            elif k in SRCSET_ATTRS:
                c.srcset(w, v)
            elif k == "style":
                c.css(w, v)
            elif k.startswith("data-"):
                # data-* holds URLs for the scripts (data-facets, data-search) among other things:
                # what looks like a path or an address is one; JSON is read as JSON.
                s = v.strip()
                if s[:1] in "[{":
                    try:
                        c.json_value(w, json.loads(s), f"<{tag} {k}> json")
                    except ValueError:
                        pass
                elif re.match(r"^(/|\./|\.\./|https?://)", s):
                    c.url(f"<{tag} {k}>", w, s)
            elif k == "content" and tag == "meta" and re.match(r"^https?://", v.strip()):
                c.url("<meta content>", w, v)
        if tag == "script":
            self.script = (a.get("type") or "text/javascript").lower()
            self.buf = []
        elif tag == "style":
            self.style = True
            self.buf = []

    def handle_endtag(self, tag):
        text = "".join(self.buf)
        if tag == "script" and self.script is not None:
            if "json" in self.script:
                try:
                    self.c.json_value(self.where, json.loads(text), "inline json")
                except ValueError:
                    self.c.bad.append((self.where, "inline json", "unreadable JSON"))
            else:
                self.c.js(self.where, text)
            self.script = None
        elif tag == "style" and self.style:
            self.c.css(self.where, text)
            self.style = False

    def handle_data(self, data):
        if self.script is not None or self.style:
            self.buf.append(data)


def main():
    args = sys.argv[1:]
    minimum = 100
    if len(args) >= 2 and args[0] == "--min":
        minimum = int(args[1])
        args = args[2:]
    out, base = args
    c = Crawl(out, base)
    files = 0
    for dirpath, dirs, names in os.walk(out):
        dirs.sort()
        for name in sorted(names):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, out)
            where = c.served(rel)
            ext = os.path.splitext(name)[1].lower()
            if ext not in (".html", ".css", ".js", ".json", ".xml", ".txt", ".yml"):
                continue
            # Decap CMS's own bundle (admin/decap-cms.js and its chunks): its strings are its
            # routes and API paths, not the site's addresses. admin/index.html, admin.js,
            # hosted.js and the configs are satchel's and are crawled.
            if rel.startswith("admin" + os.sep) and name.endswith("decap-cms.js"):
                continue
            files += 1
            with open(full, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if ext == ".html":
                Page(c, where).feed(text)
            elif ext == ".css":
                c.css(where, text)
            elif ext == ".js":
                c.js(where, text)
            elif ext == ".yml":
                # the editor's configs: every value that is an address (public_folder, proxy_url,
                # site_url...)
                for m in re.finditer(r"(?m)^\s*-?\s*[a-z_]+:\s*'?([^'\s#]+)'?\s*$", text):
                    c.json_value(where, m.group(1), "yml")
            elif ext == ".json":
                try:
                    c.json_value(where, json.loads(text))
                except ValueError:
                    c.bad.append((where, "json", "unreadable JSON"))
            elif ext == ".xml":
                try:
                    root = ET.fromstring(text)
                except ET.ParseError:
                    c.bad.append((where, "xml", "unreadable XML"))
                    continue
                for el in root.iter():
                    for k, v in el.attrib.items():
                        if re.match(r"^(/[^/\s]|https?://)", v):
                            c.url(f"xml @{k.split('}')[-1]}", where, v, relative_ok=False)
                    t = (el.text or "").strip()
                    if re.match(r"^(/[^/\s]|https?://)\S*$", t):
                        c.url("xml text", where, t, relative_ok=False)
                    elif "<" in t:  # escaped HTML in a feed's description
                        Page(c, where).feed(t)
            else:
                c.text_addrs(where, text, "text")
    total = sum(c.seen.values())
    print(f"subpath_crawl: {files} files, {total} URLs: " +
          ", ".join(f"{k} {n}" for k, n in sorted(c.seen.items())))
    for where, kind, u in c.bad[:40]:
        print(f"outside {c.path}: {u}  ({kind} in {where})")
    if len(c.bad) > 40:
        print(f"... and {len(c.bad) - 40} more")
    if total < minimum:
        print(f"subpath_crawl: only {total} URLs looked at (fewer than {minimum})")
        return 1
    return 1 if c.bad else 0


if __name__ == "__main__":
    sys.exit(main())
