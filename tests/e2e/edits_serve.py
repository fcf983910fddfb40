#!/usr/bin/env python3
"""edits_serve.py SITE A [save|stop]: test_edits.sh's driver for `satchel serve` (EDITS_DRIVER), used
by test_edits_serve.sh. One server for the whole run, kept in $EDITS_WORK (pid, address, private
folder, its event stream in a file that a `curl -N` appends to):

- the first call writes the driver's own page (SYNC_DIR; edits.py leaves it alone through
  EDITS_KEEP), starts `satchel serve -s SITE -p 0` with TMPDIR=$EDITS_WORK/tmp, waits for its
  address and first build, and copies the private folder's site/ into A;
- `save` (after a round of edits) rewrites the end of its page's body: the last save, made
  after every edit of the round; the next call (or one without `save` before it, which saves
  first) waits for the build event whose "saved" list names that page (a build that took it in also took in every save before it), which must be a good
  build, checks that the page is served with the new text, and copies the private folder into A
  (the files as built: served HTML carries the reload script, the folder does not);
- `stop` sends SIGINT, waits for the server to exit cleanly (its "stopped" line, no sanitizer
  report) and puts the page back as last committed.

A failure prints why on stderr and exits 1. The body's first 300 words never change, so a round
whose other saves are body edits too stays on the engine's quick path (a page's body alone)."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

SITE, A = sys.argv[1], sys.argv[2]
STOP = len(sys.argv) > 3 and sys.argv[3] == "stop"
SAVE = len(sys.argv) > 3 and sys.argv[3] == "save"
WORK = os.environ.get("EDITS_WORK") or sys.exit("edits_serve.py: EDITS_WORK is not set")
SATCHEL = os.environ.get("SATCHEL") or sys.exit("edits_serve.py: SATCHEL is not set")
SYNC_DIR = os.environ.get("EDITS_KEEP", "content/guidance/edits-sync")
SYNC = SYNC_DIR + "/index.md"
WAIT = float(os.environ.get("EDITS_SERVE_WAIT", "240"))  # seconds for a build, under ASan and load
STATE = os.path.join(WORK, "serve.json")
LOG, ERR, EVENTS = (os.path.join(WORK, n) for n in ("serve.out", "serve.err", "events"))

# 320 fixed words first: what search, listings and feeds take of a page stays the same.
OPENING = " ".join(("Words that stay the same in every round of the test %d." % i) for i in range(32))


def die(msg):
    sys.stderr.write("edits_serve.py: %s\nthe server's last lines:\n%s\n" % (msg, tail(LOG, 600)))
    sys.exit(1)


def alive(pid):
    if not pid:  # never 0: kill(0, ...) is our own process group
        return False
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def write_sync(n):
    text = ('---\ntitle: "Edits sync page"\ndate: 2026-01-02\nsummary: "The driver\'s own page."\n'
            "---\n\n%s\n\nSync %d.\n" % (OPENING, n))
    p = os.path.join(SITE, SYNC)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def events():
    """The build events received so far, parsed, in order."""
    out = []
    try:
        with open(EVENTS, encoding="utf-8") as f:
            for line in f:
                if line.startswith("data: ") and line.endswith("\n"):
                    out.append(json.loads(line[6:]))
    except FileNotFoundError:
        pass
    return out


def wait_event(after, want, what):
    """The first event past the first `after` that want() accepts; fails after WAIT seconds or
    when the server is gone."""
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        ev = events()
        for e in ev[after:]:
            if "saved" not in e:
                die("a build event without \"saved\": %s" % e)
            if want(e):
                return e
        if not alive(st["pid"]):
            die("the server exited while waiting for %s: %s" % (what, tail(ERR)))
        time.sleep(0.05)
    die("no build event for %s in %d s (events: %s)" % (what, WAIT, ev[after:]))


def tail(path, n=1200):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()[-n:]
    except FileNotFoundError:
        return ""


def fetch(path):
    with urllib.request.urlopen(st["url"] + path, timeout=60) as r:
        return r.read().decode("utf-8", "replace")


def copy_out(e):
    if not e["ok"]:
        die("the build failed: %s" % e["messages"])
    if os.path.lexists(A):
        shutil.rmtree(A)
    shutil.copytree(os.path.join(st["priv"], "site"), A, symlinks=True)


def save():
    with open(STATE + ".new", "w") as f:
        json.dump(st, f)
    os.replace(STATE + ".new", STATE)


st = None
if os.path.exists(STATE):
    with open(STATE) as f:
        st = json.load(f)

if STOP:
    if st is None or st.get("stopped"):
        sys.exit(0)
    st["stopped"] = True
    save()
    if not alive(st["pid"]):
        if alive(st["curl"]):
            os.kill(st["curl"], signal.SIGTERM)
        die("the server had exited before it was stopped: %s" % tail(ERR))
    os.kill(st["pid"], signal.SIGINT)
    end = time.monotonic() + 120
    while alive(st["pid"]) and time.monotonic() < end:
        time.sleep(0.1)
    if alive(st["curl"]):
        os.kill(st["curl"], signal.SIGTERM)
    # Put the page back as committed (or remove it, never committed): the site stays clean.
    if subprocess.run(["git", "-C", SITE, "checkout", "-q", "--", SYNC], stderr=subprocess.DEVNULL).returncode:
        shutil.rmtree(os.path.join(SITE, SYNC_DIR), ignore_errors=True)
    if alive(st["pid"]):
        os.kill(st["pid"], signal.SIGKILL)
        die("the server did not stop on SIGINT within 120 s")
    if os.environ.get("EDITS_SERVE_LOG"):  # the server's terminal, kept (its builds' times)
        shutil.copy(LOG, os.environ["EDITS_SERVE_LOG"])
    err = tail(ERR, 100000)
    if re.search(r"Sanitizer|runtime error:", err):
        die("sanitizer report: %s" % err[-2000:])
    if "stopped; %s removed" % st["priv"] not in tail(LOG, 100000) or os.path.exists(st["priv"]):
        die("the server did not exit cleanly: %s %s" % (tail(LOG, 400), tail(ERR, 400)))
    sys.exit(0)

if st is None:
    # The first call: start the server.
    os.makedirs(os.path.join(WORK, "tmp"), exist_ok=True)
    write_sync(0)
    env = dict(os.environ, TMPDIR=os.path.join(WORK, "tmp"))
    with open(LOG, "w") as out, open(ERR, "w") as err:
        p = subprocess.Popen([SATCHEL, "serve", "-s", SITE, "-p", "0"], stdin=subprocess.DEVNULL,
                             stdout=out, stderr=err, env=env, start_new_session=True)
    st = {"pid": p.pid, "curl": 0, "round": 0}
    save()
    end = time.monotonic() + WAIT
    url = None
    while time.monotonic() < end:
        m = re.search(r"(http://[^ ]*/) ", tail(LOG, 100000))
        if m:
            url = m.group(1)
            break
        if p.poll() is not None:
            die("satchel serve exited (%s): %s" % (p.returncode, tail(ERR)))
        time.sleep(0.1)
    if url is None:
        die("satchel serve printed no address in %d s" % WAIT)
    m = re.search(r" into (.*satchel-serve-[A-Za-z0-9]+)(?: \(in memory\))?\n", tail(LOG, 100000))
    if m is None:
        die("satchel serve did not say where it builds: %s" % tail(LOG))
    st["url"], st["priv"] = url, m.group(1)
    with open(EVENTS, "w") as ev:
        c = subprocess.Popen(["curl", "-sN", url + "_satchel/events"], stdin=subprocess.DEVNULL,
                             stdout=ev, stderr=subprocess.DEVNULL, start_new_session=True)
    st["curl"] = c.pid
    save()
    # The first build ends before the address is printed: its event is the first one sent.
    copy_out(wait_event(0, lambda e: True, "the first build"))
    sys.exit(0)

# A round: the last save (`save`, before the full build starts), then the build that took it in.
if SAVE or st.get("seen") is None:
    st["round"] += 1
    st["seen"] = len(events())
    save()
    write_sync(st["round"])
    if SAVE:
        sys.exit(0)
e = wait_event(st["seen"], lambda e: SYNC in (e.get("saved") or []), "the save of " + SYNC)
st["seen"] = None
save()
url = SYNC_DIR[len("content/"):] + "/"
for lang in ("en",):
    if "Sync %d." % st["round"] not in fetch(lang + "/" + url):
        die("/%s/%s is not served with the new text after its build" % (lang, url))
copy_out(e)
