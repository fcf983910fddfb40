/* fuzz_template: a theme template's bytes through tmpl_compile (tags, trimming, comments,
 * extends/block/include, Lua long strings and quotes), then, when it compiles, rendered by a
 * fresh engine with the time and memory limits on and a small value tree, next to a base layout
 * and a partial it can extend or include. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "template.h"
#include "util/buf.h"
#include "value.h"

static char dir[256];
static const char *dirs[1];
static struct value *vars;

static void
put(const char *name, const char *text, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		abort();
}

static void
cleanup(void)
{
	static const char *const names[] = {"t.html", "base.html", "partials/p.html"};
	char path[512];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/partials", dir);
	rmdir(path);
	rmdir(dir);
	value_free(vars);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence();
	fuzz_tmpdir(dir, sizeof dir, "tmpl");
	char sub[512];
	snprintf(sub, sizeof sub, "%s/partials", dir);
	mkdir(sub, 0700);
	dirs[0] = dir;
	static const char base[] = "<title>{% block title %}{{ title }}{% endblock %}</title>\n"
	                           "{% block main %}{{ n }}{% endblock %}\n";
	static const char part[] = "<li>{{ title }}</li>";
	put("base.html", base, sizeof base - 1);
	put("partials/p.html", part, sizeof part - 1);
	vars = value_new_map();
	value_map_set_string(vars, "title", "A <b>title</b> & more");
	value_map_set_int(vars, "n", 3);
	value_map_set_bool(vars, "draft", 0);
	struct value *pages = value_map_set(vars, "pages", value_new_list());
	for (int i = 0; i < 2; i++) {
		struct value *p = value_list_push(pages, value_new_map());
		value_map_set_string(p, "title", i ? "Второ" : "first");
		value_map_set(p, "html", value_new_html("<p>safe</p>"));
	}
	atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf lua = BUF_INIT;
	char *err = NULL;
	const char *text = (const char *)data;
	int rc = tmpl_compile(text, size, &lua, &err);
	if (rc != 0 && (err == NULL || strncmp(err, "line ", 5) != 0))
		abort();
	free(err);
	buf_free(&lua);
	if (rc == 0) {
		put("t.html", text, size);
		/* A fresh engine each time: engines cache what they compiled by name. The limits are
		 * smaller than satchel's so that a template looping or growing for ever ends quickly. */
		struct tmpl_opts o = TMPL_OPTS_INIT;
		o.dirs = dirs;
		o.ndirs = 1;
		o.mem_limit = 16u << 20;
		o.time_limit_ms = 50;
		struct tmpl_engine *e = tmpl_engine_new(&o);
		if (e == NULL)
			abort();
		struct buf out = BUF_INIT;
		size_t before = diag_error_count();
		rc = tmpl_render(e, "t.html", vars, NULL, &out);
		fuzz_check_reported(rc, before, "tmpl_render");
		if (rc != 0 && out.len != 0)
			abort(); /* a failed render leaves out as it was */
		buf_free(&out);
		tmpl_engine_free(e);
	}
	fuzz_done();
	return 0;
}
