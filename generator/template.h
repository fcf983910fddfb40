/* template: theme templates — HTML with embedded Lua — compiled once into Lua functions, cached,
 * and run in a sandbox. Only this module includes Lua. It knows nothing of pages or languages:
 * data arrives as struct value trees and helpers are registered by the caller.
 *
 * Syntax (a template is UTF-8 text):
 *   {{ expr }}            the value of a Lua expression, HTML-escaped (nil prints nothing; a value
 *                         made by raw() or a VALUE_STRING with .html set is printed as is)
 *   {% statements %}      Lua statements: {% for _, p in ipairs(pages) do %} … {% end %}
 *   {# comment #}         nothing
 *   {%- … -%} {{- … -}}   a dash trims the whitespace (newlines included) on that side
 *   {% extends "base.html" %}     first tag of a template: render base.html with this template's blocks
 *   {% block name %}…{% endblock %}  a named block; a child's block replaces the base's default
 *   {% include "partials/nav.html" %}  render another template here with the same variables
 * Built-in functions: raw(s), escape(s), json(v) (JSON text safe inside <script>), urlencode(s),
 *   partial(name, vars) (rendered text, already safe), len(x), join(list, sep), default(v, d),
 *   plus every helper registered with tmpl_engine_add_helper, and string, table, math (no random),
 *   utf8, pairs, ipairs, next, select, type, tostring, tonumber, error, assert, pcall.
 * Absent on purpose: os, io, require, load, loadstring, dofile, loadfile, debug, package,
 *   collectgarbage, getmetatable, setmetatable, rawequal, string.dump, math.random. */
#ifndef SATCHEL_TEMPLATE_H
#define SATCHEL_TEMPLATE_H

#include <stddef.h>

#include "util/buf.h"
#include "value.h"

struct tmpl_engine;

struct tmpl_opts {
	/* Directories searched for a template name, first match wins (site layouts before theme
	 * layouts). Borrowed; must outlive the engine. */
	const char *const *dirs;
	size_t ndirs;
	/* Bytes the Lua state may hold; 0 means 256 MiB. */
	size_t mem_limit;
	/* CPU time one tmpl_render may take, in milliseconds; 0 means 2000. A render started from
	 * inside another one on the same thread (a helper rendering with a second engine) shares
	 * the outer render's time. */
	unsigned long time_limit_ms;
	/* Variables visible to every render of this engine (for example `site`), or NULL.
	 * Borrowed; must outlive the engine. Converted to Lua once. */
	const struct value *globals;
};

#define TMPL_OPTS_INIT {NULL, 0, 0, 0, NULL}

/* A helper callable from templates. args are the Lua arguments converted to values (borrowed,
 * valid during the call); payload is the one passed to tmpl_render. Returns a new value owned by
 * the engine (NULL means nil), or sets *err (malloc'd message) to raise a template error. */
typedef struct value *(*tmpl_helper_fn)(void *payload, const struct value *const *args,
                                        size_t nargs, char **err);

/* One engine per thread: it owns a Lua state. Returns NULL only if Lua cannot start. */
struct tmpl_engine *tmpl_engine_new(const struct tmpl_opts *opts);
void tmpl_engine_free(struct tmpl_engine *e);
void tmpl_engine_add_helper(struct tmpl_engine *e, const char *name, tmpl_helper_fn fn);

/* Names what the next renders are for ("content/x/index.md (/en/x/)"), or NULL for nothing. An
 * error that the data rather than the template causes (the time or memory limit) names it, since
 * the template's line alone does not say which page to look at. Copied. */
void tmpl_engine_set_subject(struct tmpl_engine *e, const char *subject);

/* Does a template with this name exist in the search path? */
int tmpl_exists(struct tmpl_engine *e, const char *name);

/* Renders template `name` with the entries of map `vars` as variables and appends the text to out.
 * A VALUE_REF inside vars points at a value that outlives the engine: it is converted to Lua once
 * and reused by later renders, read-only (a template that tries to change it fails), until the
 * engine holds a quarter of its memory limit: then the kept conversions are dropped between two
 * renders and made again as renders need them, so that all the entries of a big site's listings
 * never have to fit in the limit at once. One made
 * with value_new_ref_once, and everything else in vars, is converted on each call.
 * On error (compile error, runtime error, too much CPU time, too much memory) reports
 * `template-path:line: message` through diag, leaves out as it was, and returns -1. */
int tmpl_render(struct tmpl_engine *e, const char *name, const struct value *vars, void *payload,
                struct buf *out);

/* Appends the names of the templates the renders since the last call used — the layout, what
 * it extends, what it includes and partial() renders — each once, in first use order, each
 * followed by '\n'; and forgets them. What an output was made from (deps.h). */
void tmpl_take_used(struct tmpl_engine *e, struct buf *out);

/* Compiles template text to Lua source (exposed for tests). Returns 0, or -1 with *err set
 * (malloc'd "line N: message"). *out receives the Lua source; on failure its length is as it
 * was, but it may have grown: the caller frees it either way. */
int tmpl_compile(const char *text, size_t len, struct buf *out, char **err);

#endif
