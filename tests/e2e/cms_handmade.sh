# cms_handmade.sh: a hand-made /admin/ for tests of the hosted backends and of the nginx policy
# while satchel does not write one itself (site.yaml `cms:`, issue 15). Source it after lib.sh.
#
# handmade_admin PUBLIC BACKEND_YAML [TOP_YAML]: writes PUBLIC/admin/ as the shared design describes it:
# index.html loading decap-cms.js then admin.js (no inline script), admin.js, config.yml with the
# given `backend:` block and one i18n folder collection, and Decap's files from the theme's
# node_modules (or $DECAP_DIST).
handmade_admin() {
	a=$1/admin
	dist=${DECAP_DIST:-$ROOT/themes/default/admin/node_modules/decap-cms/dist}
	mkdir -p "$a"
	cp "$dist/decap-cms.js" "$dist/decap-cms.js.LICENSE.txt" "$a/"
	cp "$dist"/*.decap-cms.js "$dist"/*.wasm "$a/" 2>/dev/null
	cp "$ROOT/themes/default/admin/hosted.js" "$a/"
	printf 'window.CMS_MANUAL_INIT = true;\n' >"$a/manual.js"
	cat >"$a/index.html" <<'HTML'
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Content editor</title>
</head>
<body>
<script src="manual.js"></script>
<script src="decap-cms.js"></script>
<script src="hosted.js"></script>
<script src="admin.js"></script>
</body>
</html>
HTML
	cat >"$a/admin.js" <<'JS'
(function () {
	var link = document.createElement("link");
	link.rel = "cms-config-url";
	link.type = "text/yaml";
	link.href = "config.yml";
	document.head.appendChild(link);
	var loop = /^(localhost|127\.0\.0\.1|\[::1\])$/.test(location.hostname);
	CMS.registerPreviewStyle("/css/satchel.css");
	CMS.init(loop ? { config: { local_backend: { url: location.origin + "/api/v1" } } } : {});
})();
JS
	{
		echo "backend:"
		printf '%s\n' "$2" | sed 's/^/  /'
		[ -n "${3:-}" ] && printf '%s\n' "$3"
		cat <<'YAML'
locale: en
media_folder: static/images
public_folder: /images
i18n:
  structure: multiple_files
  locales: [en, bg]
  default_locale: en
collections:
  - name: guidance
    label: Guidance
    folder: content/guidance
    path: "{{slug}}/index"
    extension: md
    format: frontmatter
    create: true
    media_folder: ""
    public_folder: ""
    i18n: true
    fields:
      - {label: Title, name: title, widget: string, i18n: true}
      - {label: Summary, name: summary, widget: text, i18n: true, required: false}
      - {label: Body, name: body, widget: markdown, i18n: true}
YAML
	} >"$a/config.yml"
}
