#!/usr/bin/env python3
"""check_xss.py PUBLIC [BASELINE]: fails (exit 1, one line per finding) when any file in the
built site PUBLIC could run script in a visitor's browser: a <script> element the theme does not
write itself, an on* attribute, a javascript:/vbscript:/data: URL, an element that loads or
embeds other documents, a JSON-LD block that a value could close early, or HTML carried in a
feed or JSON file that does any of these. BASELINE, a build of the same site without payloads,
gives the theme's own <script> elements; without it only the ones named in THEME_SCRIPTS pass."""
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

THEME_SCRIPTS = {("src", "/js/satchel.js"), ("src", "/js/library.js"), ("type", "application/ld+json")}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "background", "data", "codebase",
             "xlink:href", "cite", "longdesc", "manifest", "ping", "lowsrc", "dynsrc"}
BANNED = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"}
# JSON keys whose strings are HTML (JSON Feed) or URLs that script follows.
JSON_HTML_KEYS = {"content_html", "html", "summary_html"}
JSON_URL_KEYS = {"url", "u", "href", "link", "external_url", "image", "banner_image", "icon",
                 "favicon", "home_page_url", "feed_url", "next_url", "contentUrl", "thumbnailUrl",
                 "@id", "sameAs"}

findings = []


def bad_url(value):
    """Does the URL, as a browser reads it, run script or carry a document of its own?"""
    v = html.unescape(value)
    # The URL parser strips leading and trailing C0 controls and spaces, and tabs and newlines
    # anywhere.
    v = re.sub(r"[\t\n\r]", "", v).strip("".join(chr(c) for c in range(0x21)))
    v = v.lower()
    if v.startswith(("javascript:", "vbscript:", "livescript:")):
        return True
    # data:, is the theme's empty favicon.
    if v.startswith("data:") and v != "data:," and not re.match(r"data:image/(png|gif|jpe?g|webp|avif);", v):
        return True
    return False


def scripts_of(attrs):
    key = set()
    for k, v in attrs:
        if k in ("src", "type"):
            key.add((k, v or ""))
    return frozenset(key)


class Checker(HTMLParser):
    def __init__(self, where, allowed_scripts, record=None):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.allowed = allowed_scripts
        self.record = record
        self.in_script = None
        self.script_text = []

    def bad(self, what):
        if self.record is None:  # the baseline only lends its <script> elements
            findings.append("%s: %s" % (self.where, what))

    def handle_starttag(self, tag, attrs):
        self.check_tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.check_tag(tag, attrs)

    def check_tag(self, tag, attrs):
        tag = tag.lower()
        if tag == "script":
            key = scripts_of(attrs)
            if self.record is not None:
                self.record.add(key)
            elif key not in self.allowed and not key <= THEME_SCRIPTS:
                self.bad("a <script> the theme does not write: %r" % (attrs,))
            self.in_script = dict(attrs).get("type", "")
            self.script_text = []
        if tag in BANNED:
            self.bad("<%s> element" % tag)
        if tag == "meta":
            d = {k.lower(): (v or "") for k, v in attrs}
            if d.get("http-equiv", "").lower() == "refresh":
                self.bad("<meta http-equiv=refresh>")
        for k, v in attrs:
            k = k.lower()
            v = v or ""
            if k.startswith("on"):
                self.bad("event handler attribute %s=%r on <%s>" % (k, v, tag))
            elif k in URL_ATTRS and bad_url(v):
                self.bad("%s=%r on <%s>" % (k, v, tag))
            elif k in ("srcset", "imagesrcset"):
                for part in v.split(","):
                    if part.strip() and bad_url(part.strip().split()[0]):
                        self.bad("%s=%r on <%s>" % (k, v, tag))
            elif k == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", v, re.I):
                self.bad("style=%r on <%s>" % (v, tag))
            elif k in ("formaction", "action") and bad_url(v):
                self.bad("%s=%r" % (k, v))

    def handle_endtag(self, tag):
        if tag.lower() == "script" and self.in_script is not None:
            text = "".join(self.script_text)
            if self.in_script == "application/ld+json":
                # json() escapes <, > and &: a '<' here means a value could end the element.
                if "<" in text:
                    self.bad("'<' inside a JSON-LD block")
                if "\u2028" in text or "\u2029" in text:
                    self.bad("U+2028/2029 unescaped inside a JSON-LD block")
                try:
                    json.loads(text)
                except ValueError as e:
                    self.bad("JSON-LD block does not parse (closed early?): %s" % e)
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is not None:
            self.script_text.append(data)


def check_html(where, text, allowed, record=None):
    p = Checker(where, allowed, record)
    p.feed(text)
    p.close()


def check_json_value(where, v, key, allowed):
    if isinstance(v, dict):
        for k, x in v.items():
            check_json_value(where, x, k, allowed)
    elif isinstance(v, list):
        for x in v:
            check_json_value(where, x, key, allowed)
    elif isinstance(v, str):
        if key in JSON_HTML_KEYS:
            check_html("%s (%s)" % (where, key), v, allowed)
        if key in JSON_URL_KEYS and bad_url(v):
            findings.append("%s: %s=%r" % (where, key, v))


def check_xml(where, text, allowed):
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        findings.append("%s: XML does not parse: %s" % (where, e))
        return
    for el in root.iter():
        name = el.tag.split("}")[-1].lower()
        if name == "script" or name in BANNED:
            findings.append("%s: <%s> element in XML" % (where, name))
        for k, v in el.attrib.items():
            k = k.split("}")[-1].lower()
            if k.startswith("on") or (k in URL_ATTRS and bad_url(v)):
                findings.append("%s: %s=%r in XML" % (where, k, v))
        # RSS descriptions and Atom type="html" constructs carry HTML as escaped text, which a
        # feed reader renders; Atom's default type and RSS titles are plain text.
        is_html = (name in ("description", "encoded") or el.attrib.get("type") == "html")
        if is_html and el.text:
            check_html("%s <%s>" % (where, name), el.text, allowed)


def walk(public):
    for d, _, files in os.walk(public):
        for f in sorted(files):
            yield os.path.join(d, f)


def main():
    public = sys.argv[1]
    allowed = set()
    if len(sys.argv) > 2:
        for path in walk(sys.argv[2]):
            if path.endswith((".html", ".htm")):
                with open(path, encoding="utf-8", errors="replace") as fh:
                    check_html(path, fh.read(), allowed, record=allowed)
    nfiles = 0
    for path in walk(public):
        rel = os.path.relpath(path, public)
        with open(path, "rb") as fh:
            data = fh.read()
        text = data.decode("utf-8", errors="replace")
        if path.endswith((".html", ".htm", ".svg")):
            check_html(rel, text, allowed)
        elif path.endswith((".xml", ".rss", ".atom")):
            check_xml(rel, text, allowed)
        elif path.endswith(".json"):
            try:
                check_json_value(rel, json.loads(text), "", allowed)
            except ValueError as e:
                findings.append("%s: JSON does not parse: %s" % (rel, e))
        else:
            continue
        nfiles += 1
    for f in findings:
        print(f)
    print("check_xss: %d files, %d findings" % (nfiles, len(findings)), file=sys.stderr)
    return 1 if findings or nfiles == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
