#!/usr/bin/env python3
"""check_xss.py PUBLIC [BASELINE]: fails (exit 1, one line per finding) when any file in the
built site PUBLIC could run script in a visitor's browser: a <script> element the theme does not
write itself, an on* attribute, a javascript:/vbscript:/data: URL, an element that loads or
embeds other documents, markup inside an element a browser may read as text or as markup, a
JSON-LD block that a value could close early, or HTML carried in a feed or JSON file that does
any of these.

Pages are parsed as a browser parses them: html5lib implements the WHATWG tokenizer and tree
builder (foreign content, <noscript> with scripting on, comments such as <!-->, </script >...).
The theme's own scripts are known exactly: a <script src> whose src is one of the theme's files
(/js/*.js, or a src the BASELINE build, the same site without payloads, has), and an inline
script whose text is byte for byte one that BASELINE has. An inline script matches nothing by
its attributes: JSON-LD (type application/ld+json, which no browser runs) must parse as JSON
and hold no '<'; any other inline script must be in BASELINE.

Needs html5lib (Debian: python3-html5lib, in scripts/install-deps.sh). An interpreter without
it (a pyenv build that does not see Debian's packages) hands over to /usr/bin/python3."""
import hashlib
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

try:
    import html5lib
except ImportError:
    SYSTEM = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(SYSTEM) and os.access(SYSTEM, os.X_OK) \
            and not os.environ.get("CHECK_XSS_REEXEC"):
        os.environ["CHECK_XSS_REEXEC"] = "1"
        os.execv(SYSTEM, [SYSTEM, os.path.abspath(__file__)] + sys.argv[1:])
    print("check_xss: needs html5lib (Debian package python3-html5lib; run scripts/install-deps.sh)",
          file=sys.stderr)
    sys.exit(2)

THEME_SCRIPT_SRCS = {"/js/satchel.js", "/js/search.js", "/js/library.js"}
JSONLD = "application/ld+json"
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "background", "data", "codebase",
             "cite", "longdesc", "manifest", "ping", "lowsrc", "dynsrc", "srcdoc", "icon",
             "archive", "classid", "profile", "usemap"}
BANNED = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal", "param",
          "isindex"}
# Raw text elements: a browser reads their content as text in one context and as markup in
# another (scripting on or off, HTML or foreign content, an older or newer parser), so markup
# inside them is a mutation-XSS risk even where this parse sees text. (title and textarea decode
# entities, so their text holds the '<' of an escaped &lt; and is left alone.)
TEXT_ELEMENTS = {"style", "xmp", "noscript", "noembed", "noframes", "plaintext", "iframe"}
# SVG animation can set an attribute (href) to a script URL.
ANIMATION = {"set", "animate", "animatetransform", "animatemotion", "discard"}
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


def local(name):
    """An element's or attribute's name without its namespace: svg's script is a script."""
    return name.split("}")[-1].split(":")[-1].lower()


def text_of(el):
    """The text inside el, as a browser's textContent (children's text and tails included)."""
    return "".join(el.itertext())


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Allowed:
    """The theme's own scripts: srcs and the hashes of inline texts, from BASELINE."""

    def __init__(self):
        self.srcs = set(THEME_SCRIPT_SRCS)
        self.inline = set()


def parse(text):
    # scripting=True: a browser with script on, the one an attack targets (<noscript> is text).
    p = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    return p.parse(text, scripting=True)


def record_html(text, allowed):
    for el in parse(text).iter():
        if not isinstance(el.tag, str) or local(el.tag) != "script":
            continue
        src = el.get("src")
        if src is not None:
            allowed.srcs.add(src)
        elif (el.get("type") or "").strip().lower() != JSONLD:
            allowed.inline.add(digest(text_of(el)))


def check_script(el, bad, allowed):
    html_ns = not el.tag.startswith("{")
    src = el.get("src")
    href = el.get("href") or next((v for k, v in el.attrib.items() if local(k) == "href"), None)
    text = text_of(el)
    if not html_ns and (src is not None or href is not None or text.strip()):
        bad("a <script> in foreign content (%s): %r" % (el.tag, text[:80] or href))
        return
    if src is not None:
        if src not in allowed.srcs or text.strip():
            bad("a <script src=%r> the theme does not write" % src)
        return
    kind = (el.get("type") or "").strip().lower()
    if kind == JSONLD:
        # json() escapes <, > and &: a '<' here means a value could end the element.
        if "<" in text:
            bad("'<' inside a JSON-LD block")
        if "\u2028" in text or "\u2029" in text:
            bad("U+2028/2029 unescaped inside a JSON-LD block")
        try:
            json.loads(text)
        except ValueError as e:
            bad("JSON-LD block does not parse (closed early?): %s" % e)
        return
    if digest(text) not in allowed.inline:
        bad("an inline <script> the theme does not write: %r" % text[:80])


def satchel_redirect(attrs):
    """satchel's own redirect pages (redirects.c): a refresh, at once, to a path of this site
    (one '/', never '//' or a scheme), exactly as they write it."""
    return attrs.get("http-equiv", "") == "refresh" and \
        re.fullmatch(r"0; url=/(?![/\\])[^\s:\\]*", attrs.get("content", "")) is not None


def check_element(el, bad, allowed):
    tag = local(el.tag)
    attrs = {}
    for k, v in el.attrib.items():
        attrs.setdefault(local(k), v or "")
    if tag == "script":
        check_script(el, bad, allowed)
    if tag in BANNED:
        bad("<%s> element" % tag)
    if tag in TEXT_ELEMENTS and re.search(r"<[a-zA-Z/!?]", text_of(el)):
        bad("markup inside <%s>, which a browser may read as markup: %r" % (tag, text_of(el)[:80]))
    if tag == "meta" and attrs.get("http-equiv", "").strip().lower() in ("refresh", "set-cookie",
                                                                          "content-security-policy") \
            and not satchel_redirect(attrs):
        bad("<meta http-equiv=%s>" % attrs["http-equiv"])
    if tag in ANIMATION and local(attrs.get("attributename", "")) in ("href", "src") or \
            tag in ANIMATION and any(bad_url(attrs.get(a, "")) for a in ("to", "from", "by")) or \
            tag in ANIMATION and any(bad_url(p) for p in attrs.get("values", "").split(";")):
        bad("<%s> that can set a URL: %r" % (tag, attrs))
    for k, v in el.attrib.items():
        name = local(k)
        v = v or ""
        if name.startswith("on"):
            bad("event handler attribute %s=%r on <%s>" % (k, v, tag))
        elif name in URL_ATTRS and (bad_url(v) or name == "srcdoc"):
            bad("%s=%r on <%s>" % (k, v, tag))
        elif name in ("srcset", "imagesrcset"):
            for part in v.split(","):
                if part.strip() and bad_url(part.strip().split()[0]):
                    bad("%s=%r on <%s>" % (k, v, tag))
        elif name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(|behavior\s*:|-moz-binding", v, re.I):
            bad("style=%r on <%s>" % (v, tag))


def check_html(where, text, allowed):
    def bad(what):
        findings.append("%s: %s" % (where, what))
    for el in parse(text).iter():
        if isinstance(el.tag, str):  # comments have a function as their tag
            check_element(el, bad, allowed)


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
    allowed = Allowed()
    if len(sys.argv) > 2:
        for path in walk(sys.argv[2]):
            if path.endswith((".html", ".htm")):
                with open(path, encoding="utf-8", errors="replace") as fh:
                    record_html(fh.read(), allowed)
    nfiles = 0
    for path in walk(public):
        rel = os.path.relpath(path, public)
        with open(path, "rb") as fh:
            data = fh.read()
        text = data.decode("utf-8", errors="replace")
        if path.endswith((".html", ".htm", ".xhtml", ".svg")):
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
