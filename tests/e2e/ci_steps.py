#!/usr/bin/env python3
"""ci_steps.py: the shell steps of a CI example of docs/examples/, as one POSIX script.

Usage: ci_steps.py KIND FILE EVENT [NAME=VALUE...] > script.sh

KIND is github (GitHub Actions and Forgejo Actions: one syntax), gitlab or woodpecker; EVENT is
push or pull_request (a merge request on GitLab). The script runs, in order and in the current
folder (the job's workspace), exactly the commands the file gives for that event: each step's
`run:` (GitHub, with bash -e as GitHub does), each job's before_script + script (GitLab, bash
-e), each step's commands (Woodpecker, sh -e), with the environment the file sets. What a CI
service does itself is done the nearest way here: a checkout is a full `git clone` of
$SITE_REPO (the history, as fetch-depth: 0 / GIT_DEPTH 0 / depth 0 ask), an uploaded artifact
must exist, a deployment by GitHub's own action is left out (and said so).

NAME=VALUE replaces the value of a variable the file sets (SATCHEL_REPO, PREFIX, ...) and gives
the values of ${{ github.X }} / ${{ secrets.X }} expressions (github.server_url=..., a
secret as secrets.PAGES_TOKEN=...). A NAME the file does not set is an error, so the test
cannot quietly run something other than the file.

Each step prints "step: NAME" before it runs; a step that fails stops the script with
"step failed: NAME" and the step's status.
"""
import re
import shlex
import sys

import yaml


def die(msg):
    print(f"ci_steps.py: {msg}", file=sys.stderr)
    sys.exit(2)


kind, path, event = sys.argv[1:4]
sets = dict(a.split("=", 1) for a in sys.argv[4:])
used = set()
doc = yaml.load(open(path, encoding="utf-8"), Loader=yaml.BaseLoader)  # every scalar a string
out = ["set -u", 'ci_root=$(pwd)']
n = 0


def value(name, v):
    """A variable's value from the file, or the test's replacement for it."""
    if name in sets:
        used.add(name)
        return sets[name]
    return v


def expr(s):
    """${{ github.X }} and ${{ secrets.X }} in a value, from the test's NAME=VALUE."""
    def sub(m):
        key = m.group(1).strip()
        if key not in sets:
            die(f"{path}: no value given for ${{{{ {key} }}}}")
        used.add(key)
        return sets[key]
    return re.sub(r"\$\{\{([^}]*)\}\}", sub, s)


def cond(s):
    """A GitHub `if:` of the forms the examples use, for this event."""
    if s is None:
        return True
    py = s.replace("${{", "").replace("}}", "")
    py = py.replace("github.event_name", repr(event)).replace("always()", "True")
    py = py.replace("&&", " and ").replace("||", " or ")
    if re.search(r"[A-Za-z_]+\.", py):
        die(f"{path}: cannot evaluate if: {s}")
    return bool(eval(py, {"__builtins__": {}}, {"True": True}))


def step(name, env, body, shell):
    global n
    n += 1
    f = f"ci-step-{n}.sh"
    out.append(f"echo {shlex.quote('step: ' + name)}")
    out.append(f"cat >\"$ci_root/../{f}\" <<'CI_STEP_EOF'\n{body.rstrip()}\nCI_STEP_EOF")
    exports = "".join(f"export {k}={shlex.quote(v)}; " for k, v in env.items())
    out.append(f"({exports}cd \"$ci_root\" && {shell} \"$ci_root/../{f}\") || "
               f"{{ rc=$?; echo {shlex.quote('step failed: ' + name)} \"(status $rc)\"; exit 1; }}")


def checkout():
    out.append("echo 'step: checkout (git clone of $SITE_REPO, the whole history)'")
    out.append('git clone -q "$SITE_REPO" "$ci_root" || { echo "step failed: checkout"; exit 1; }')
    # A container job runs as root in a workspace its runner's user (GitHub: 1001) owns; so
    # does this one, when run as root, so that git's and libgit2's ownership checks meet it.
    out.append('if [ "$(id -u)" = 0 ]; then chown -R 1001:1001 "$ci_root"; fi')


if kind == "github":
    env0 = {k: value(k, expr(v)) for k, v in (doc.get("env") or {}).items()}
    for jname, job in doc["jobs"].items():
        if not cond(job.get("if")):
            out.append(f"echo {shlex.quote(f'job {jname}: not for {event}')}")
            continue
        jenv = dict(env0, **{k: value(k, expr(v)) for k, v in (job.get("env") or {}).items()})
        for i, s in enumerate(job.get("steps") or []):
            name = s.get("name") or s.get("uses") or f"step {i + 1}"
            if not cond(s.get("if")):
                out.append(f"echo {shlex.quote(f'step: {name}: not for {event}')}")
                continue
            if "run" in s:
                senv = dict(jenv, **{k: value(k, expr(v)) for k, v in (s.get("env") or {}).items()})
                step(name, senv, s["run"], "bash -e")
                continue
            uses = s["uses"]
            w = s.get("with") or {}
            if re.match(r"(https://[^/]+/)?actions/checkout@", uses):
                if w.get("fetch-depth") != "0":
                    die(f"{path}: checkout without fetch-depth: 0 (satchel needs the history)")
                checkout()
            elif re.match(r"actions/upload-(pages-)?artifact@", uses):
                what = w["path"] + ("/index.html" if "pages" in uses else "")
                out.append(f"echo {shlex.quote(f'step: {uses} (the file is there: {what})')}")
                out.append(f"test -f \"$ci_root\"/{shlex.quote(what)} || {{ echo {shlex.quote(f'step failed: {uses}: no {what}')}; exit 1; }}")
            elif re.match(r"actions/deploy-pages@", uses):
                out.append(f"echo {shlex.quote(f'step: {uses}: GitHub deploys the artifact; not run here')}")
            else:
                die(f"{path}: unknown action {uses}")
elif kind == "gitlab":
    variables = {k: value(k, v) for k, v in (doc.get("variables") or {}).items()}
    ci = {"CI_PIPELINE_SOURCE": "merge_request_event" if event == "pull_request" else "push",
          "CI_COMMIT_BRANCH": "main" if event == "push" else "", "CI_DEFAULT_BRANCH": "main"}
    if variables.get("GIT_DEPTH") != "0":
        die(f"{path}: GIT_DEPTH is not 0 (satchel needs the history)")
    checkout()
    before = (doc.get("default") or {}).get("before_script") or []
    for jname, job in doc.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        ok = False
        for r in job.get("rules") or [{}]:
            e = r.get("if")
            if e is None:
                ok = True
                break
            py = re.sub(r"\$([A-Z_]+)", lambda m: repr(ci.get(m.group(1), "")), e)
            ok = bool(eval(py, {"__builtins__": {}}))
            if ok:
                break
        if not ok:
            out.append(f"echo {shlex.quote(f'job {jname}: not for {event}')}")
            continue
        body = "\n".join(before + job["script"])
        step(f"job {jname}", dict(variables, **ci), body, "bash -e")
        for p in ((job.get("artifacts") or {}).get("paths") or []):
            out.append(f"test -e \"$ci_root\"/{shlex.quote(p)} || {{ echo {shlex.quote(f'step failed: job {jname}: no artifact {p}')}; exit 1; }}")
elif kind == "woodpecker":
    wev = event
    ci = {"CI_PIPELINE_EVENT": wev, "CI_COMMIT_SHA": sets.get("CI_COMMIT_SHA", "0" * 40),
          "CI_REPO_CLONE_URL": sets.get("CI_REPO_CLONE_URL", "")}
    used.update(k for k in ("CI_COMMIT_SHA", "CI_REPO_CLONE_URL") if k in sets)

    def when(w):
        if w is None:
            return True
        for alt in (w if isinstance(w, list) else [w]):
            evs = alt.get("event")
            evs = evs if isinstance(evs, list) else [evs]
            if wev in evs and (wev != "push" or alt.get("branch") in (None, "main")):
                return True
        return False

    if not when(doc.get("when")):
        die(f"{path}: the pipeline does not run on {wev}")
    clone = (doc.get("clone") or [{}])[0].get("settings") or {}
    if clone.get("depth") != "0":
        die(f"{path}: clone depth is not 0 (satchel needs the history)")
    checkout()
    for s in doc["steps"]:
        if not when(s.get("when")):
            out.append(f"echo {shlex.quote('step: ' + s['name'] + ': not for ' + wev)}")
            continue
        env = {}
        for k, v in (s.get("environment") or {}).items():
            if isinstance(v, dict) and "from_secret" in v:
                key = f"secrets.{v['from_secret']}"
                if key not in sets:
                    die(f"{path}: no value given for secret {v['from_secret']}")
                used.add(key)
                env[k] = sets[key]
            else:
                env[k] = value(k, v)
        for c in s["commands"]:
            if "${" in c:
                die(f"{path}: Woodpecker would fill in ${{...}} before the shell: {c}")
        step(s["name"], dict(env, **ci), "\n".join(s["commands"]), "sh -e")
else:
    die(f"unknown kind {kind}")

# A name is for this file when the file uses it, whether or not this event's steps do.
text = open(path, encoding="utf-8").read()
unused = {k for k in sets if (f"{k}:" not in text and f"${k}" not in text if "." not in k else
                              k not in text and f"from_secret: {k.split('.', 1)[1]}" not in text)}
if unused:
    die(f"{path}: sets no {', '.join(sorted(unused))}")
out.append("echo 'all steps passed'")
print("\n".join(out))
