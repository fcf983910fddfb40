#!/usr/bin/env python3
"""edits.py SITE SEED ROUND: applies 1-3 random edits to a copy of the demo hub, for
test_edits.sh. The same SITE state, SEED and ROUND give the same edits. Prints one line per edit
(what it did), for the test's report. Every edit leaves a site that builds (warnings allowed).

Edits: a page's body (text, a heading, a link to another page), title, summary, date (or an
event's start), topics, slug (its URL), weight (its place in listings), draft flag; a new page, a new translation, a deleted translation, a
deleted page, a renamed page folder; a layout of the site's own theme (a partial, a type's
layout, a page layout), a site layouts/ override made or removed; a UI string (i18n/LANG.yaml);
site.yaml (a param, page_size, a language's title, the site's title); a static file (text or
image, added, changed or removed; the theme's CSS); a bundle file (text, PDF or PNG, added,
changed or removed).

EDITS_ONLY=a,b draws only these edits, EDITS_SKIP=a,b never these (names without `e_`);
EDITS_KEEP=DIR (site-relative) is a folder of content no edit touches (a driver's own page)."""
import os
import random
import re
import shutil
import struct
import sys
import zlib

SITE, SEED, ROUND = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random("%s:%d" % (SEED, ROUND))
C = os.path.join(SITE, "content")
THEME = os.path.join(SITE, "themes", "local")
LANGS = ["bg", "el", "ro", "sr", "sr-Latn", "ar"]
WORDS = ("child court hearing support family interview rights school judge lawyer safe room "
         "assessment protection voice trust report social worker police witness").split()
# Sections where a new page needs only a title (guidance, news, tools have no required field).
NEW_IN = ["guidance", "news", "tools"]


def rel(p):
    return os.path.relpath(p, SITE)


def words(n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def read(p):
    with open(p, encoding="utf-8") as f:
        return f.read()


def write(p, s):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(s)


KEEP = os.environ.get("EDITS_KEEP")
KEEP = os.path.join(SITE, KEEP) if KEEP else None


def md_files(pattern=None):
    out = []
    for d, dirs, files in os.walk(C):
        dirs.sort()
        if KEEP and (d == KEEP or d.startswith(KEEP + os.sep)):
            continue
        for f in sorted(files):
            if f.endswith(".md") and (pattern is None or re.fullmatch(pattern, f)):
                out.append(os.path.join(d, f))
    return out


def split(text):
    """(front matter lines, body) of a content file."""
    m = re.match(r"---\n(.*?\n)---\n(.*)", text, re.S)
    return (m.group(1).splitlines(), m.group(2)) if m else ([], text)


def join(fm, body):
    return "---\n" + "\n".join(fm) + "\n---\n" + body


def set_key(fm, key, value):
    """Replaces a top-level key's line (and its indented continuation lines) or adds it."""
    for i, line in enumerate(fm):
        if line.startswith(key + ":"):
            j = i + 1
            while j < len(fm) and fm[j].startswith((" ", "-")):
                j += 1
            fm[i:j] = [] if value is None else ["%s: %s" % (key, value)]
            return
    if value is not None:
        fm.append("%s: %s" % (key, value))


def get_key(fm, key):
    for line in fm:
        if line.startswith(key + ":"):
            return line[len(key) + 1:].strip()
    return None


def edit_fm(path, key, value):
    fm, body = split(read(path))
    set_key(fm, key, value)
    write(path, join(fm, body))


def is_safeguarded(p):
    return os.sep + "by-children" + os.sep in p


def pages(sources_only=False, any_section=False):
    pat = r"index\.md" if sources_only else r"index(\.[A-Za-z-]+)?\.md"
    return [p for p in md_files(pat) if any_section or not is_safeguarded(p)]


def page_dirs():
    """Page folders no other file's front matter names (deleting one leaves a valid site)."""
    named = ""
    for p in md_files():
        named += "\n".join(split(read(p))[0]) + "\n"
    out = []
    for p in pages(sources_only=True):
        d = os.path.dirname(p)
        name = os.path.basename(d)
        if os.path.dirname(d) == C or name in named:
            continue
        # A folder with a page folder below it (a course's modules) stays.
        if any(os.path.isdir(os.path.join(d, x)) for x in os.listdir(d)):
            continue
        out.append(d)
    return out


def png(w, h):
    rgb = bytes(rng.randrange(256) for _ in range(3))
    raw = b"".join(b"\0" + rgb * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf(text):
    body = "BT /F1 12 Tf 20 100 Td (%s) Tj ET" % text
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >>",
            "<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)]
    out, offs = "%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += "%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    x = len(out)
    out += "xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += "".join("%010d 00000 n \n" % o for o in offs)
    out += "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return out.encode()


# Each edit returns what it did, or None when it does not apply (another is drawn).

def e_body():
    p = rng.choice(md_files())
    fm, body = split(read(p))
    kind = rng.choice(["text", "heading", "link"])
    if kind == "text":
        body += "\n%s %s.\n" % (words(1).capitalize(), words(8))
    elif kind == "heading":
        body += "\n## %s %d\n\n%s.\n" % (words(2).capitalize(), ROUND, words(6))
    else:
        to = rng.choice(pages(any_section=True))
        body += "\nSee [%s](%s).\n" % (words(2), os.path.relpath(to, os.path.dirname(p)))
    write(p, join(fm, body))
    return "body (%s): %s" % (kind, rel(p))


def e_title():
    p = rng.choice(md_files())
    t = "%s %d" % (words(3).capitalize(), ROUND)
    edit_fm(p, "title", '"%s"' % t)
    return "title: %s -> %s" % (rel(p), t)


def e_summary():
    p = rng.choice(pages())
    edit_fm(p, "summary", '"%s."' % words(7).capitalize())
    return "summary: " + rel(p)


def e_date():
    p = rng.choice(pages(sources_only=True))
    d = "20%02d-%02d-%02d" % (rng.randrange(20, 27), rng.randrange(1, 13), rng.randrange(1, 29))
    fm, _ = split(read(p))
    key = "start" if get_key(fm, "start") is not None and "events" in p else "date"
    edit_fm(p, key, d)
    return "%s: %s -> %s" % (key, rel(p), d)


def e_topics():
    p = rng.choice(pages(sources_only=True))
    pool = ["barnahus", "child-victims", "procedural-safeguards", "individual-assessment",
            "multidisciplinary-cooperation", "new-term-%d" % ROUND]
    terms = sorted(rng.sample(pool, rng.randrange(0, 4)))
    edit_fm(p, "topics", "[%s]" % ", ".join(terms) if terms else None)
    return "topics: %s -> %s" % (rel(p), terms)


def e_slug():
    p = rng.choice(pages())
    slug = "s-%d-%d" % (ROUND, rng.randrange(1000))
    edit_fm(p, "slug", slug)
    return "slug: %s -> %s" % (rel(p), slug)


def e_weight():
    p = rng.choice(pages(sources_only=True))
    w = rng.randrange(-3, 10)
    edit_fm(p, "weight", str(w))
    return "weight: %s -> %d" % (rel(p), w)


def e_draft():
    # Not an event's source: its translations take the required `start` from it, and a draft
    # source leaves them without (an error, rightly).
    p = rng.choice([p for p in pages() if not (p.endswith(os.sep + "index.md") and "events" in p)])
    fm, _ = split(read(p))
    on = get_key(fm, "draft") != "true"
    edit_fm(p, "draft", "true" if on else None)
    return "draft %s: %s" % ("on" if on else "off", rel(p))


def e_new_page():
    d = os.path.join(C, rng.choice(NEW_IN), "new-%d-%d" % (ROUND, rng.randrange(100)))
    if os.path.exists(d):
        return None
    t = "%s %d" % (words(3).capitalize(), ROUND)
    write(os.path.join(d, "index.md"),
          '---\ntitle: "%s"\ndate: 2026-%02d-%02d\nsummary: "%s."\ntopics: [barnahus, new-term-%d]\n'
          '---\n\n%s.\n\n## %s\n\n%s.\n' % (t, rng.randrange(1, 13), rng.randrange(1, 29),
                                           words(6), ROUND, words(12), words(2), words(9)))
    return "new page: %s (%s)" % (rel(d), t)


def e_new_translation():
    p = rng.choice(pages(sources_only=True))
    d = os.path.dirname(p)
    free = [l for l in LANGS if not os.path.exists(os.path.join(d, "index.%s.md" % l))]
    if not free:
        return None
    lang = rng.choice(free)
    write(os.path.join(d, "index.%s.md" % lang), '---\ntitle: "%s %s"\nsummary: "%s."\n---\n\n%s.\n'
          % (lang, words(3), words(5), words(10)))
    return "new translation: %s/index.%s.md" % (rel(d), lang)


def e_delete_translation():
    ts = [p for p in md_files(r"_?index\.[A-Za-z-]+\.md") if not is_safeguarded(p)]
    if not ts:
        return None
    p = rng.choice(ts)
    os.remove(p)
    return "deleted translation: " + rel(p)


def e_delete_page():
    ds = page_dirs()
    if not ds:
        return None
    d = rng.choice(ds)
    shutil.rmtree(d)
    return "deleted page: " + rel(d)


def e_rename_page():
    ds = page_dirs()
    if not ds:
        return None
    d = rng.choice(ds)
    to = "%s-r%d" % (d, ROUND)
    os.rename(d, to)
    return "renamed: %s -> %s" % (rel(d), os.path.basename(to))


def layouts(base):
    out = []
    for d, dirs, files in os.walk(base):
        dirs.sort()
        out += [os.path.join(d, f) for f in sorted(files) if f.endswith(".html")]
    return out


def mark(text):
    """The layout with a marker attribute put on one of its elements."""
    spots = [m.start() for m in re.finditer(r'class="', text)]
    if not spots:
        return None
    at = rng.choice(spots)
    return text[:at] + 'data-r%d="%s" ' % (ROUND, words(1)) + text[at:]


def e_layout():
    own = os.path.join(SITE, "layouts")
    kind = rng.choice(["theme", "theme", "override", "drop-override"])
    if kind == "drop-override":
        made = layouts(own)
        if not made:
            return None
        p = rng.choice(made)
        os.remove(p)
        return "layout override removed: " + rel(p)
    src = rng.choice(layouts(os.path.join(THEME, "layouts")))
    text = mark(read(src))
    if text is None:
        return None
    to = src if kind == "theme" else os.path.join(own, os.path.relpath(src, os.path.join(THEME, "layouts")))
    write(to, text)
    return "layout (%s): %s" % (kind, rel(to))


def ui_keys():
    keys = []
    for line in read(os.path.join(THEME, "i18n", "en.yaml")).splitlines():
        m = re.match(r'([a-z_]+): "[^"{}]*"$', line)
        if m:
            keys.append(m.group(1))
    return keys


def e_ui_string():
    lang = rng.choice(["en"] + LANGS)
    p = os.path.join(SITE, "i18n", lang + ".yaml")
    lines = read(p).splitlines() if os.path.exists(p) else []
    if lines and rng.random() < 0.3:
        gone = lines.pop(rng.randrange(len(lines)))
        write(p, "".join(l + "\n" for l in lines))
        return "UI string removed: %s %s" % (rel(p), gone.split(":")[0])
    key = rng.choice(ui_keys())
    lines = [l for l in lines if not l.startswith(key + ":")] + ['%s: "%s %d"' % (key, words(2), ROUND)]
    write(p, "".join(l + "\n" for l in lines))
    return "UI string: %s %s" % (rel(p), key)


def e_site_yaml():
    p = os.path.join(SITE, "site.yaml")
    text = read(p)
    kind = rng.choice(["param", "page_size", "language title", "title"])
    if kind == "param":
        text = re.sub(r'(?m)^  description: .*$', '  description: "%s."' % words(6), text)
    elif kind == "page_size":
        n = rng.choice([2, 3, 5, 20])
        text = re.sub(r"(?m)^  page_size: .*\n", "", text)
        text = text.replace("options:\n", "options:\n  page_size: %d\n" % n)
        kind += " %d" % n
    elif kind == "language title":
        titles = list(re.finditer(r"(?m)^    title: .*$", text))
        m = rng.choice(titles)
        text = text[:m.start()] + '    title: "%s %d"' % (words(3), ROUND) + text[m.end():]
    else:
        text = re.sub(r"(?m)^title: .*$", 'title: "%s %d"' % (words(2), ROUND), text)
    write(p, text)
    return "site.yaml: " + kind


def e_static():
    d = os.path.join(SITE, "static")
    # Files of static/ itself (what this script writes there); the demo's static/images/ holds
    # the logo site.yaml names, which a removal would turn into a build error.
    have = sorted(f for f in os.listdir(d) if os.path.isfile(os.path.join(d, f))) if os.path.isdir(d) else []
    kind = rng.choice(["text", "image", "theme css", "remove"])
    if kind == "remove":
        if not have:
            return None
        f = rng.choice(have)
        os.remove(os.path.join(d, f))
        return "static removed: static/" + f
    if kind == "theme css":
        css = os.path.join(THEME, "static", "css")
        p = os.path.join(css, rng.choice(sorted(os.listdir(css))))
        with open(p, "a", encoding="utf-8") as f:
            f.write("/* %s */\n" % words(3))
        return "theme static: " + rel(p)
    os.makedirs(d, exist_ok=True)
    if kind == "text":
        name = "notes-%d.txt" % rng.randrange(3)
        write(os.path.join(d, name), words(10) + "\n")
    else:
        name = "picture-%d.png" % rng.randrange(2)
        with open(os.path.join(d, name), "wb") as f:
            f.write(png(rng.randrange(8, 40), rng.randrange(8, 40)))
    return "static %s: static/%s" % (kind, name)


def e_bundle():
    p = rng.choice(pages(sources_only=True))
    d = os.path.dirname(p)
    mine = sorted(f for f in os.listdir(d) if f.startswith("extra-"))
    kind = rng.choice(["txt", "pdf", "png", "remove"])
    if kind == "remove":
        if not mine:
            return None
        os.remove(os.path.join(d, mine[0]))
        return "bundle file removed: %s/%s" % (rel(d), mine[0])
    name = "extra-%d.%s" % (rng.randrange(2), kind)
    with open(os.path.join(d, name), "wb") as f:
        if kind == "txt":
            f.write((words(rng.randrange(3, 30)) + "\n").encode())
        elif kind == "pdf":
            f.write(pdf(words(4)))
        else:
            f.write(png(rng.randrange(8, 40), rng.randrange(8, 40)))
    if rng.random() < 0.5:  # shown in the page, not only listed among its files
        fm, body = split(read(p))
        link = "![%s](%s)" % (words(2), name) if kind == "png" else "[%s](%s)" % (words(2), name)
        write(p, join(fm, body + "\n" + link + "\n"))
    return "bundle %s: %s/%s" % (kind, rel(d), name)


EDITS = [e_body, e_title, e_summary, e_date, e_topics, e_slug, e_weight, e_draft, e_new_page, e_new_translation,
         e_delete_translation, e_delete_page, e_rename_page, e_layout, e_ui_string, e_site_yaml,
         e_static, e_bundle]

# EDITS_ONLY=title,layout narrows the draw (to chase a failure); EDITS_SKIP=draft leaves edits out
# (a preview publishes drafts and a build does not).
only = os.environ.get("EDITS_ONLY")
if only:
    EDITS = [e for e in EDITS if e.__name__[2:] in only.split(",")]
skip = os.environ.get("EDITS_SKIP")
if skip:
    EDITS = [e for e in EDITS if e.__name__[2:] not in skip.split(",")]

done = 0
want = rng.randrange(1, 4)
for _ in range(50):
    if done == want:
        break
    what = rng.choice(EDITS)()
    if what is not None:
        print(what)
        done += 1
