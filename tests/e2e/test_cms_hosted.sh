#!/bin/sh
# The content editor set up for each hosted backend (docs/cms.md), tested as far as a machine
# without the forges allows: the demo hub built once per backend with site.yaml's `cms:` (GitHub
# through an OAuth proxy, GitLab with PKCE, Gitea with PKCE and its own API address, Forgejo with
# the editorial workflow, git-gateway), then tests/browser/cms-hosted.mjs opens each /admin/ under a host name that is not
# loopback and checks Decap's login for that backend, no request elsewhere before the click, and
# that the click goes to the configured address (intercepted: nothing reaches the network).
. "$(dirname "$0")/lib.sh"

browser_modules
demo_site no-offline

# site NAME CMS_YAML BACKEND_YAML [TOP_YAML]: the demo with `cms:` set to CMS_YAML, built into $T/NAME.
site() {
	sd=$T/$1
	cp -R "$S" "$sd"
	rm -rf "$sd/public"
	# The demo's own cms: block (a key and the lines indented under it) is replaced.
	awk 'BEGIN{skip=0} /^cms:/{skip=1; next} skip && /^[ \t#]/{next} {skip=0; print}' "$S/site.yaml" >"$sd/site.yaml"
	printf 'cms:\n%s\n' "$2" >>"$sd/site.yaml"
	commit "$sd" "cms: $1"
	if "$SATCHEL" build -s "$sd" -q 2>"$T/$1.log" && [ -f "$sd/public/admin/config.yml" ]; then
		ok "$1: satchel writes /admin/ for cms: backend $1"
	else
		fail "$1: satchel writes /admin/ for cms: backend $1: $(head -n 3 "$T/$1.log")"
		finish
		exit 1
	fi
}

site github "  backend: github
  repo: owner/hub
  branch: main
  base_url: https://auth.example.org" "name: github
repo: owner/hub
branch: main
base_url: https://auth.example.org"
site gitlab "  backend: gitlab
  repo: group/hub
  branch: main
  auth_type: pkce
  app_id: 5f1e2d3c4b5a
  base_url: https://gitlab.example.org
  api_root: https://gitlab.example.org/api/v4" "name: gitlab
repo: group/hub
branch: main
auth_type: pkce
app_id: 5f1e2d3c4b5a
base_url: https://gitlab.example.org
api_root: https://gitlab.example.org/api/v4"
site gitea "  backend: gitea
  repo: owner/hub
  branch: main
  app_id: 0a1b2c3d-4e5f-6789-abcd-ef0123456789
  base_url: https://git.example.org
  api_root: https://git.example.org/api/v1" "name: gitea
repo: owner/hub
branch: main
app_id: 0a1b2c3d-4e5f-6789-abcd-ef0123456789
base_url: https://git.example.org
api_root: https://git.example.org/api/v1"
# Forgejo (Codeberg too) has its own Decap backend, with the editorial workflow; it takes the
# forge's address from api_root.
site forgejo "  backend: forgejo
  repo: owner/hub
  branch: main
  app_id: 9f8e7d6c-5b4a-4321-8765-43210fedcba9
  api_root: https://codeberg.example.org/api/v1
  workflow: editorial" "name: forgejo
repo: owner/hub
branch: main
app_id: 9f8e7d6c-5b4a-4321-8765-43210fedcba9
api_root: https://codeberg.example.org/api/v1" "publish_mode: editorial_workflow"
site git-gateway "  backend: git-gateway
  branch: main" "name: git-gateway
branch: main"

# hosted.js in the real Decap: the github site's admin (Decap and the generated config) on
# Decap's in-memory test backend, made to answer a missing file with an error as a forge does,
# with hosted.js's wrapper (/admin/h/) and without it (/admin/h0/, the failing control). The
# repository holds a hand-written page: guidance/alpha/index.md and its index.bg.md.
for v in h h0; do
	hd=$T/github/public/admin/$v
	mkdir -p "$hd"
	printf 'window.CMS_MANUAL_INIT = true;\n' >"$hd/manual.js"
	cp "$ROOT/themes/default/admin/hosted.js" "$hd/hosted.js"
	wrap=true
	[ "$v" = h0 ] && wrap=false
	cat >"$hd/start.js" <<JS
// Decap's test backend lists a folder by its whole path as one key and reads a file by its
// path's parts: both name the same object.
var guidance = { alpha: {
	"index.md": { content: "---\\ntitle: Alpha in English\\nsummary: The English text.\\n---\\nBody in English.\\n" },
	"index.bg.md": { content: "---\\ntitle: Алфа на български\\n---\\nТекст.\\n" } } };
window.repoFiles = { content: { guidance: guidance }, "content/guidance": guidance };
var link = document.createElement("link");
link.rel = "cms-config-url";
link.type = "text/yaml";
link.href = "../config.yml";
document.head.appendChild(link);
var b = CMS.getBackend("test-repo"), init = b.init;
b.init = function (config, opts) {
	var impl = init(config, opts), get = impl.getEntry;
	impl.getEntry = function (p) {
		return get.call(impl, p).then(function (e) {
			if (e.data === undefined) throw Object.assign(new Error("Not Found: " + p), { status: 404 });
			return e;
		});
	};
	return $wrap ? satchelHosted.wrap(impl, satchelHosted.defaultLocale(config)) : impl;
};
CMS.init({ config: { backend: { name: "test-repo" } } });
JS
	cat >"$hd/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hosted.js on test-repo</title><link rel="icon" href="data:,"></head>
<body><script src="manual.js"></script><script src="../decap-cms.js"></script><script src="hosted.js"></script><script src="start.js"></script></body></html>
HTML
done

cat >"$T/cases.json" <<JSON
[
 {"name": "github", "public": "$T/github/public", "login": "Login with GitHub", "click": "popup", "mapping": true,
  "backend": {"name": "github", "repo": "owner/hub", "branch": "main", "base_url": "https://auth.example.org"}},
 {"name": "gitlab", "public": "$T/gitlab/public", "login": "Login with GitLab", "click": "oauth/authorize",
  "backend": {"name": "gitlab", "repo": "group/hub", "branch": "main", "auth_type": "pkce", "app_id": "5f1e2d3c4b5a",
   "base_url": "https://gitlab.example.org", "api_root": "https://gitlab.example.org/api/v4"}},
 {"name": "gitea", "public": "$T/gitea/public", "login": "Login with Gitea", "click": "login/oauth/authorize",
  "backend": {"name": "gitea", "repo": "owner/hub", "branch": "main", "app_id": "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
   "base_url": "https://git.example.org", "api_root": "https://git.example.org/api/v1"}},
 {"name": "forgejo", "public": "$T/forgejo/public", "login": "Login with Forgejo", "click": "login/oauth/authorize",
  "backend": {"name": "forgejo", "repo": "owner/hub", "branch": "main", "app_id": "9f8e7d6c-5b4a-4321-8765-43210fedcba9",
   "api_root": "https://codeberg.example.org/api/v1"}, "workflow": true, "base_url": "https://codeberg.example.org"},
 {"name": "git-gateway", "public": "$T/git-gateway/public", "login": "Login",
  "backend": {"name": "git-gateway", "branch": "main"}}
]
JSON
SATCHEL_SHOTS=${SATCHEL_SHOTS:-/tmp/satchel-shots}
export SATCHEL_SHOTS
mkdir -p "$SATCHEL_SHOTS"
timeout 600 node "$B/cms-hosted.mjs" "$T/cases.json" | tee "$T/hosted.out"
if grep -E '^cms-hosted.mjs: [0-9]+ passed, 0 failed$' "$T/hosted.out" >/dev/null; then
	ok "cms-hosted.mjs: every check passed"
else
	fail "cms-hosted.mjs: every check passed"
fi
finish
