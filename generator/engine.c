/* engine: one site's build state, and the chain from source to a folder of files. */
#include "engine.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "catalog.h"
#include "cms.h"
#include "filetype.h"
#include "history.h"
#include "linkcheck.h"
#include "pack.h"
#include "image.h"
#include "media.h"
#include "render.h"
#include "site.h"
#include "types.h"
#include "yml.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/timing.h"
#include "util/xalloc.h"

#ifndef SATCHEL_DATADIR
#define SATCHEL_DATADIR "/usr/local/share/satchel"
#endif

/* What a run made that a later one may reuse (the quick path for a saved page body): the model,
 * the UI strings, the types, the layouts' folders, and render's state (Markdown results, plan,
 * view, template engines). Valid while the folder holds that run's output. */
struct kept {
	struct site *site;
	struct catalog *cat;
	struct types types;
	char *layouts[2];
	const char *dirs[2];
	uint64_t *strings_fp;
	struct render *rd;
};

static void
kept_free(struct kept *k)
{
	if (k == NULL)
		return;
	render_free(k->rd); /* first: it borrows the rest */
	site_free(k->site);
	types_free(&k->types);
	catalog_free(k->cat);
	free(k->layouts[0]);
	free(k->layouts[1]);
	free(k->strings_fp);
	free(k);
}

struct engine {
	struct engine_opts o;
	struct kept *kept;
	uint64_t git_stamp; /* of the repository when kept was made */
	struct engine_source_opts so;
	char *site_dir, *outdir;
	struct diag *diag; /* the engine's own, or NULL: the caller's current one */
	struct source *src;
	/* The history, kept between runs while HEAD and the index are as they were. */
	struct history *history;
	char *history_key;
	struct buf image_record; /* engine_run: the last good run's image record */
	struct deps record;      /* engine_run: the last good run's dependency record */
	char **changed;          /* engine_run: outputs the last run wrote or removed */
	size_t nchanged;
	/* engine_run: every file in outdir, as the runs left it (known: since the last good run,
	 * so that the next need not walk the folder to find what is no longer made). */
	struct map outputs;
	int outputs_known;
	size_t rendered; /* pages the last run rendered */
	struct kept *dead; /* what the run before kept, replaced: freed by engine_tidy */
};

const char *
engine_base_path(const struct engine *e)
{
	return e->kept != NULL && e->kept->site != NULL ? e->kept->site->cfg->base_path : "";
}

static char *
exe_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(path);
}

char *
engine_find_theme(const char *name)
{
	char *candidates[5] = {0};
	char *dir = exe_dir();
	const char *env = getenv("SATCHEL_THEMES");
	size_t n = 0;
	if (env != NULL && *env)
		candidates[n++] = xasprintf("%s/%s", env, name);
	if (dir != NULL) {
		candidates[n++] = xasprintf("%s/../themes/%s", dir, name);        /* build/satchel */
		candidates[n++] = xasprintf("%s/../../themes/%s", dir, name);     /* build/asan/satchel */
		candidates[n++] = xasprintf("%s/../share/satchel/themes/%s", dir, name); /* installed */
	}
	candidates[n++] = xasprintf("%s/themes/%s", SATCHEL_DATADIR, name);
	char *found = NULL;
	for (size_t i = 0; i < n; i++) {
		char *layouts = fs_join(candidates[i], "layouts");
		if (found == NULL && fs_is_dir(layouts))
			found = realpath(candidates[i], NULL);
		free(layouts);
		free(candidates[i]);
	}
	free(dir);
	return found;
}

/* A file published as it is (not an image, which is re-encoded) must carry no GPS position,
 * serial number or comment: satchel cannot clean it, so the editor does. 0, or -1 after the
 * error at path. */
static int
metadata_clean(const char *path, const void *data, size_t len)
{
	char *found = filetype_scan(data, len);
	if (found == NULL)
		return 0;
	diag_error(path, 0, 0, "holds %s and is not published: remove its metadata (exiftool -all= "
	           "FILE; then rewrite a PDF, e.g. qpdf FILE out.pdf, since exiftool only hides a "
	           "PDF's old metadata) and commit it again", found);
	free(found);
	return -1;
}

/* Publishes a file as it is (not an image) at rel in outdir: the metadata scan first, then the
 * file is created, never written over. 0 when written; 1 when a file is already at rel (the
 * caller knows whose it may be); -1 after reporting at path. */
static int
publish_as_is(const char *path, const struct buf *b, const char *outdir, const char *rel)
{
	if (metadata_clean(path, b->data, b->len) < 0)
		return -1;
	char *to = fs_join(outdir, rel);
	int rc = fs_create_file(to, buf_str(b), b->len) == 0 ? 0 : errno == EEXIST ? 1 : -1;
	if (rc < 0)
		diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
	free(to);
	return rc;
}

/* A file of the site at the address of one satchel makes (a page, a feed, an index). */
static void
clash(const char *path, const char *rel)
{
	diag_error(path, 0, 0, "is published at /%s, where satchel writes a file of its own; rename "
	           "or move it", rel);
}

struct copy_ctx {
	struct source *src;
	const char *from; /* site-relative prefix being copied, e.g. "static" */
	const char *outdir;
	const struct render *held; /* satchel's files kept in memory (render_holds), or NULL */
	size_t files;
	struct buf b;
	char **images; /* the images among them, left for media */
	size_t nimages;
};

static int
copy_from_source(const char *path, void *payload)
{
	struct copy_ctx *c = payload;
	if (image_is_image(path)) {
		c->images = xrealloc(c->images, (c->nimages + 1) * sizeof *c->images);
		c->images[c->nimages++] = xstrdup(path);
		return 0;
	}
	if (strcmp(path, "static/_redirects") == 0)
		return 0; /* taken into satchel's own _redirects (redirects.c) */
	buf_reset(&c->b);
	if (source_read(c->src, path, &c->b) < 0) {
		diag_error(path, 0, 0, "cannot read the file");
		return 0;
	}
	const char *rel = path + strlen(c->from) + 1;
	switch (c->held && render_holds(c->held, rel) ? 1 : publish_as_is(path, &c->b, c->outdir, rel)) {
	case 0: c->files++; break;
	case 1: clash(path, rel); break;
	}
	return 0;
}

struct disk_copy {
	const char *root;
	const char *outdir;
	const struct render *held; /* as in copy_ctx */
	struct source *src; /* the site, whose static/ files win over the theme's */
	size_t files;
	size_t from_len; /* a theme in the site's themes/: paths are the site's, listed and read
	                  * through src, and this much ("themes/NAME/static") is cut for the URL */
};

static int
copy_from_disk(const char *path_in, void *payload)
{
	struct disk_copy *c = payload;
	const char *rel = c->from_len ? path_in + c->from_len + 1 : path_in;
	char *from = c->from_len ? xstrdup(path_in) : fs_join(c->root, rel);
	char *path = NULL;
	struct buf b = BUF_INIT;
	if (c->from_len ? source_read(c->src, from, &b) < 0 : fs_read_file(from, &b) < 0)
		diag_error(from, 0, 0, "cannot read: %s", strerror(errno));
	else switch (c->held && render_holds(c->held, rel) ? 1 : publish_as_is(from, &b, c->outdir, rel)) {
	case 0: c->files++; break;
	case 1: /* unless the site's own static file of that name is there: it wins */
		if (!source_exists(c->src, (path = fs_join("static", rel))))
			clash(from, rel);
		break;
	}
	buf_free(&b);
	free(path);
	free(from);
	return 0;
}

/* Files that a commit's tree holds for the theme side of the site (layouts/, i18n/, themes/) are
 * written to a scratch folder, since templates are read from disk. */
struct export_ctx {
	struct source *src;
	const char *dir;
	struct buf b;
};

static int
export_one(const char *path, void *payload)
{
	struct export_ctx *e = payload;
	buf_reset(&e->b);
	if (source_read(e->src, path, &e->b) == 0) {
		char *to = fs_join(e->dir, path);
		if (fs_write_file(to, buf_str(&e->b), e->b.len) < 0)
			diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
		free(to);
	}
	return 0;
}

/* Reads the UI strings file of language code into b, from the theme's folder (theme_dir) or the
 * site (src): i18n/CODE.yaml, else that of its nearest parent in the same script (pt-BR: pt;
 * sr-ME: sr-Latn). Returns the path read (the caller frees), or NULL. */
static char *
read_strings(const char *theme_dir, struct source *src, const char *code, struct buf *b)
{
	char parents[2][I18N_TAG_MAX];
	size_t n = i18n_language_parents(code, parents);
	for (size_t i = 0; i <= n; i++) {
		char *rel = xasprintf("i18n/%s.yaml", i == 0 ? code : parents[i - 1]);
		char *path = theme_dir ? fs_join(theme_dir, rel) : NULL;
		buf_reset(b);
		int rc = path ? fs_read_file(path, b) : source_read(src, rel, b);
		if (rc == 0) {
			if (path == NULL)
				return rel;
			free(rel);
			return path;
		}
		free(path);
		free(rel);
	}
	return NULL;
}

/* Loads the UI strings; fps gets per language a fingerprint of the files its strings come
 * from: its own (theme's, then site's), the default language's (the fallback) and, for a
 * derived language, its source's. */
static void
load_catalog(struct catalog *cat, const struct config *cfg, const char *theme_dir,
             struct source *src, uint64_t *fps)
{
	struct buf b = BUF_INIT;
	uint64_t *own = xcalloc(cfg->nlangs, sizeof *own);
	for (size_t l = 0; l < cfg->nlangs; l++) {
		own[l] = DEPS_SEED;
		/* A derived language (sr-Latn from sr) takes the theme's strings of its source,
		 * transliterated with the site's own over them, rather than the theme's file for it:
		 * that file serves sites where the language is not derived. */
		size_t from = cfg->langs[l].from;
		char *path = NULL;
		if (from != SIZE_MAX)
			path = read_strings(theme_dir, src, cfg->langs[from].tag, &b);
		if (path == NULL && (path = read_strings(theme_dir, src, cfg->langs[l].tag, &b))) {
			catalog_load(cat, l, path, buf_str(&b), b.len);
			own[l] = deps_hash(deps_hash_str(own[l], path), buf_str(&b), b.len);
		}
		free(path);
		/* The site's own by its key (a Hugo site's i18n/gr.yaml), else by the tag (el.yaml). */
		if ((path = read_strings(NULL, src, cfg->langs[l].code, &b)) != NULL ||
		    (strcmp(cfg->langs[l].tag, cfg->langs[l].code) != 0 &&
		     (path = read_strings(NULL, src, cfg->langs[l].tag, &b)) != NULL)) {
			catalog_load(cat, l, path, buf_str(&b), b.len);
			own[l] = deps_hash(deps_hash_str(own[l], path), buf_str(&b), b.len);
		}
		free(path);
	}
	size_t def = config_lang(cfg, cfg->default_lang)->index;
	for (size_t l = 0; l < cfg->nlangs; l++) {
		uint64_t h = deps_hash_u64(deps_hash_u64(DEPS_SEED, own[l]), own[def]);
		if (cfg->langs[l].from != SIZE_MAX)
			h = deps_hash_str(deps_hash_u64(h, own[cfg->langs[l].from]), cfg->langs[l].transliterate);
		fps[l] = h;
	}
	free(own);
	/* A derived language's strings are its source's, transliterated, where it has none. */
	for (size_t l = 0; l < cfg->nlangs; l++)
		if (cfg->langs[l].from != SIZE_MAX)
			catalog_derive(cat, l, cfg->langs[l].from, cfg->langs[l].transliterate);
	buf_free(&b);
}

struct hash_ctx {
	const char *root;
	uint64_t h;
	struct buf b;
	struct source *src;
};

static void
hash_add(struct hash_ctx *c, const char *name, const struct buf *b)
{
	c->h = deps_hash_str(c->h, name);
	c->h = deps_hash(c->h, b->data ? b->data : "", b->len);
}

static int
hash_disk_file(const char *rel, void *payload)
{
	struct hash_ctx *c = payload;
	char *path = fs_join(c->root, rel);
	buf_reset(&c->b);
	if (fs_read_file(path, &c->b) == 0)
		hash_add(c, rel, &c->b);
	free(path);
	return 0;
}

static int
hash_source_file(const char *path, void *payload)
{
	struct hash_ctx *c = payload;
	buf_reset(&c->b);
	if (source_read(c->src, path, &c->b) == 0)
		hash_add(c, path, &c->b);
	return 0;
}

/* What every output shares, for the dependency record: satchel itself (its version and the
 * bytes of the running program), site.yaml, the theme
 * (its folder and content types), the withdrawal list, and what the caller set (drafts, the
 * folder in the repository and the branch, for edit links). */
static uint64_t
config_fp(struct source *src, const char *theme_dir, int drafts)
{
	struct hash_ctx c = {NULL, DEPS_SEED, BUF_INIT, src};
	c.h = deps_hash_str(c.h, "satchel " SATCHEL_VERSION);
	/* satchel itself, not only its version: a rebuilt binary may render otherwise. */
	if (fs_read_file("/proc/self/exe", &c.b) == 0)
		c.h = deps_hash(c.h, c.b.data ? c.b.data : "", c.b.len);
	buf_reset(&c.b);
	c.h = deps_hash_str(c.h, theme_dir);
	c.h = deps_hash_u64(c.h, (uint64_t)drafts);
	c.h = deps_hash_str(c.h, source_prefix(src));
	c.h = deps_hash_str(c.h, source_branch(src));
	hash_source_file("site.yaml", &c);
	source_list(src, "safeguarding", hash_source_file, &c);
	c.root = theme_dir;
	hash_disk_file("types.yaml", &c);
	buf_free(&c.b);
	return c.h;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org), else the commit's time, else the clock. */
static int64_t
build_now(const struct source *src)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (e != NULL && *e) {
		long long v = strtoll(e, &end, 10);
		if (*end == '\0' && v >= 0)
			return (int64_t)v;
		diag_warning(NULL, 0, 0, "SOURCE_DATE_EPOCH is not a number of seconds; ignored");
	}
	if (source_commit_time(src) >= 0)
		return source_commit_time(src);
	return (int64_t)time(NULL);
}

/* The theme's content types (types.yaml), then site.yaml's `types:` over them. */
static int
load_types(struct types *t, const char *theme_dir, const struct config *cfg)
{
	char *path = fs_join(theme_dir, "types.yaml");
	struct buf b = BUF_INIT;
	int rc = 0;
	if (fs_read_file(path, &b) == 0) {
		struct value *v = NULL;
		if (yml_parse(path, buf_str(&b), b.len, 0, &v) < 0 || types_add(t, path, v) < 0)
			rc = -1;
		value_free(v);
	}
	if (cfg->types != NULL && types_add(t, "site.yaml", cfg->types) < 0)
		rc = -1;
	if (rc == 0 && types_check(t, cfg->types ? "site.yaml" : path) < 0)
		rc = -1;
	buf_free(&b);
	free(path);
	return rc;
}

static int
list_nothing(const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return 0;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the engine value ---- */

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct engine *
engine_new_from(const struct engine_opts *o, const struct engine_source_opts *so)
{
	struct engine *e = xcalloc(1, sizeof *e);
	e->o = *o;
	e->site_dir = xstrdup(o->site_dir ? o->site_dir : ".");
	e->outdir = dup_or_null(o->outdir);
	e->o.site_dir = e->site_dir;
	e->o.outdir = e->outdir;
	if (so != NULL) {
		e->so.ref = dup_or_null(so->ref);
		e->so.repo = dup_or_null(so->repo);
		e->so.cache_dir = dup_or_null(so->cache_dir);
		e->so.subdir = dup_or_null(so->subdir);
		e->so.check = so->check;
		e->so.caller_diag = so->caller_diag;
	}
	if (!e->so.caller_diag) {
		e->diag = diag_new();
		struct diag *was = diag_use(e->diag);
		diag_keep(1, !o->quiet);
		diag_use(was);
	}
	return e;
}

struct engine *
engine_new(const struct engine_opts *o)
{
	return engine_new_from(o, NULL);
}

static void
free_changed(struct engine *e)
{
	for (size_t i = 0; i < e->nchanged; i++)
		free(e->changed[i]);
	free(e->changed);
	e->changed = NULL;
	e->nchanged = 0;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	free_changed(e);
	map_free(&e->outputs);
	kept_free(e->dead);
	kept_free(e->kept);
	source_free(e->src);
	history_free(e->history);
	free(e->history_key);
	buf_free(&e->image_record);
	deps_free(&e->record);
	diag_free(e->diag);
	free((char *)e->so.ref);
	free((char *)e->so.repo);
	free((char *)e->so.cache_dir);
	free((char *)e->so.subdir);
	free(e->site_dir);
	free(e->outdir);
	free(e);
}

int
engine_open(struct engine *e)
{
	if (e->src != NULL)
		return 0;
	struct source_opts so = SOURCE_OPTS_INIT;
	so.site_dir = e->site_dir;
	so.ref = e->so.ref;
	so.repo_url = e->so.repo;
	so.cache_dir = e->so.cache_dir;
	so.subdir = e->so.subdir;
	if (source_open(&e->src, &so) < 0) {
		e->src = NULL;
		return -1;
	}
	return 0;
}

struct source *
engine_source(struct engine *e)
{
	return e->src;
}

const struct diag_msg *
engine_messages(const struct engine *e, size_t *n)
{
	if (e->diag == NULL) {
		*n = 0;
		return NULL;
	}
	struct diag *was = diag_use(e->diag);
	const struct diag_msg *m = diag_collected(n);
	diag_use(was);
	return m;
}

void
engine_tidy(struct engine *e)
{
	kept_free(e->dead);
	e->dead = NULL;
}

size_t
engine_rendered(const struct engine *e)
{
	return e->rendered;
}

const char *const *
engine_changed(const struct engine *e, size_t *n)
{
	*n = e->nchanged;
	return (const char *const *)e->changed;
}

/* The history of the commit built, walked (or read from its cache) once and kept while the
 * source's commit is the same: it is the history of that commit, nothing else. */
static int
load_history(struct engine *e, int nthreads, const struct history **out)
{
	const char *head = source_commit(e->src);
	char *key = xasprintf("%s\n%s", head ? head : "", source_prefix(e->src) ? source_prefix(e->src) : "");
	if (e->history_key == NULL || strcmp(e->history_key, key) != 0) {
		history_free(e->history);
		e->history = NULL;
		free(e->history_key);
		e->history_key = NULL;
		if (history_load(e->src, nthreads, &e->history) < 0) {
			free(key);
			return -1;
		}
		e->history_key = key;
	} else {
		free(key);
	}
	*out = e->history;
	return 0;
}

/* Markdown's relative links are judged at their source line (site_resolve_link). */
static void
skip_link(void *payload, const char *page_url, const char *href)
{
	linkcheck_skip(payload, page_url, href);
}

int
engine_build(struct engine *e, struct engine_build *b)
{
	struct kept *k = xcalloc(1, sizeof *k);
	struct render_stats st = {0};
	char *theme_dir = NULL, *scratch = NULL, *site_root = NULL, *theme_listed = NULL;

	const struct history *history = NULL;
	struct media *media = NULL;
	int rc = -1;
	int nthreads = e->o.nthreads > 0 ? e->o.nthreads : pool_default_threads();
	size_t errors_before = diag_error_count();
	const char *tmpdir = b->dir;

	if (engine_open(e) < 0)
		goto out;
	timing_mark("open");
	struct source *src = e->src;
	struct config *config;
	if (site_config(src, &config) < 0)
		goto out;
	config->drafts = e->o.drafts;
	const struct config *cfg = config;
	struct source_limits limits = {SOURCE_FILE_SIZE, SOURCE_TEXT_SIZE};
	if (cfg->file_size_limit > 0)
		limits.file_size = cfg->file_size_limit;
	if (cfg->text_size_limit > 0)
		limits.text_size = cfg->text_size_limit;
	source_set_limits(src, &limits);

	/* Where the site's own theme-side files are on disk. */
	if (source_root(src) != NULL && e->so.ref == NULL) {
		/* Read from disk by the templates: listed only so that what the listing refuses
		 * there (a symbolic link) is refused as it is in a commit. */
		site_root = xstrdup(source_root(src));
		source_list(src, "layouts", list_nothing, NULL);
		source_list(src, "themes", list_nothing, NULL);
	} else {
		char tmpl[] = "/tmp/satchel-site-XXXXXX";
		if (mkdtemp(tmpl) == NULL) {
			diag_error(NULL, 0, 0, "cannot make a scratch folder: %s", strerror(errno));
			config_free(config);
			goto out;
		}
		scratch = xstrdup(tmpl);
		struct export_ctx ex = {src, scratch, BUF_INIT};
		source_list(src, "layouts", export_one, &ex);
		source_list(src, "themes", export_one, &ex);
		buf_free(&ex.b);
		site_root = xstrdup(scratch);
	}
	char *own = xasprintf("%s/themes/%s", site_root, cfg->theme);
	char *own_layouts = fs_join(own, "layouts");
	if (fs_is_dir(own_layouts)) {
		theme_dir = xstrdup(own);
		/* Its folder on disk is the site's working tree, not a scratch export of a commit. */
		if (scratch == NULL)
			theme_listed = xasprintf("themes/%s/static", cfg->theme);
	} else
		theme_dir = engine_find_theme(cfg->theme);
	free(own_layouts);
	free(own);
	if (theme_dir == NULL) {
		diag_error("site.yaml", 0, 0,
		           "theme '%s' not found (in themes/ of the site or beside satchel; set "
		           "SATCHEL_THEMES to the folder that holds it)", cfg->theme);
		config_free(config);
		goto out;
	}
	if (load_types(&k->types, theme_dir, cfg) < 0) {
		config_free(config);
		goto out;
	}
	timing_mark("config, types");
	if (load_history(e, nthreads, &history) < 0) {
		config_free(config);
		goto out;
	}
	timing_mark("history");
	struct site_prev prev = {e->kept ? e->kept->site : NULL, b->changed, b->nchanged,
	                         b->same_git};
	if (site_load_prev(src, config, &k->types, history, b->changed ? &prev : NULL, nthreads,
	                   &k->site) < 0)
		goto out;
	timing_mark("model");
	struct site *site = k->site;
	k->layouts[0] = fs_join(site_root, "layouts");
	k->layouts[1] = fs_join(theme_dir, "layouts");
	k->dirs[0] = k->layouts[0];
	k->dirs[1] = k->layouts[1];

	k->cat = catalog_new(cfg->nlangs, config_lang(cfg, cfg->default_lang)->index);
	k->strings_fp = xcalloc(cfg->nlangs, sizeof *k->strings_fp);
	load_catalog(k->cat, cfg, theme_dir, src, k->strings_fp);
	timing_mark("strings");
	if (diag_error_count() > errors_before)
		goto out;

	/* Content files first: pages list them with their sizes (and images' widths). */
	struct buf fb = BUF_INIT;
	size_t nfiles = 0, nimages = 0;
	media = media_new(src, tmpdir, b->prev_dir, b->image_cache);
	media_set_progress(media, b->progress);
	for (size_t i = 0; i < site->nfiles; i++)
		media_claim(media, site->files[i].url, site->files[i].path);
	struct site_file **images = xcalloc(site->nfiles + 1, sizeof *images);
	for (size_t i = 0; i < site->nfiles; i++) {
		struct site_file *f = &site->files[i];
		/* Partner content: only what a resource hub publishes, never active content. */
		char *refused = filetype_refused(f->path);
		if (refused != NULL) {
			diag_error(f->path, 0, 0, "%s", refused);
			free(refused);
			continue;
		}
		if (image_is_image(f->path)) {
			images[nimages++] = f;
			continue;
		}
		buf_reset(&fb);
		if (source_read(src, f->path, &fb) < 0) {
			diag_error(f->path, 0, 0, "cannot read the file");
			continue;
		}
		f->size = fb.len;
		f->type = filetype_published_type(f->url, fb.data, fb.len);
		switch (publish_as_is(f->path, &fb, tmpdir, f->url + 1)) {
		case 0: nfiles++; break;
		case 1: clash(f->path, f->url + 1); break;
		}
	}
	buf_free(&fb);
	nfiles += media_publish_files(media, images, nimages, nthreads);
	free(images);

	timing_mark("content files");
	struct render_opts ro = {tmpdir, k->dirs, 2, nthreads, build_now(src), source_prefix(src),
	                         source_branch(src), b->record, b->prev_dir ? b->prev : NULL,
	                         b->prev_dir, b->keep, 0, 0, k->strings_fp, b->progress, NULL, 0,
	                         !b->retain}; /* once: a retained build's texts are read again */
	if (b->record != NULL) {
		ro.config_fp = config_fp(src, theme_dir, e->o.drafts);
		ro.history_fp = deps_hash_str(DEPS_SEED, e->history_key);
	}
	/* The previous run's Markdown, for the pages whose text and lookups are the same. */
	ro.prev_md = e->kept != NULL ? e->kept->rd : NULL;
	/* Keeping a folder up to date: satchel's files wait in memory, to be written where they
	 * differ from it (engine_run), rather than all into the scratch folder first. */
	ro.hold = b->keep && b->prev_dir != NULL;
	k->rd = render_new(site, k->cat, &ro);
	/* The Markdown is made: a build that keeps no record and no model for a next run reads
	 * the pages' texts no more (a record's facts and a next run's reuse compare them). They
	 * are a tenth of the heap at its peak (the search pass); trimming hands their pages back,
	 * since the worker threads allocate in arenas of their own and would not reuse them. */
	if (b->record == NULL && !b->retain) {
		site_drop_texts(site);
#ifdef __GLIBC__
		malloc_trim(0);
#endif
	}
	timing_mark("render_new");
	render_run(k->rd, &st);
	timing_mark("render_run");

	/* Static files: the site's, then the theme's where the site has none of that name. Neither
	 * replaces a file made from content or by satchel. */
	const struct render *held = ro.hold ? k->rd : NULL;
	struct copy_ctx cc = {src, "static", tmpdir, held, 0, BUF_INIT, NULL, 0};
	source_list(src, "static", copy_from_source, &cc);
	char *theme_static = fs_join(theme_dir, "static");
	struct disk_copy dc = {theme_static, tmpdir, held, src, 0, 0};
	if (theme_listed != NULL) { /* the site's own, on disk: what the site's listing admits */
		dc.from_len = strlen(theme_listed);
		source_list(src, theme_listed, copy_from_disk, &dc);
	} else {
		fs_walk(theme_static, copy_from_disk, &dc);
	}
	free(theme_static);
	nfiles += dc.files + cc.files;
	buf_free(&cc.b);
	nfiles += media_publish_paths(media, cc.images, cc.nimages, "static", nthreads);
	for (size_t i = 0; i < cc.nimages; i++)
		free(cc.images[i]);
	free(cc.images);

	timing_mark("static");
	/* cmsconfig: the editor at /admin/ when site.yaml has cms: (cms.h); a site's own theme
	 * without an admin/ folder takes the default theme's. */
	if (cfg->cms != NULL) {
		char *admin = fs_join(theme_dir, "admin");
		char *dflt = engine_find_theme("default");
		char *cms_theme = fs_is_dir(admin) ? xstrdup(theme_dir) : dflt ? xstrdup(dflt) : NULL;
		size_t cms_files = 0;
		if (cms_theme != NULL &&
		    cms_build(site, k->cat, cms_theme, dflt, tmpdir, &cms_files) == 0)
			nfiles += cms_files;
		free(cms_theme);
		free(dflt);
		free(admin);
		timing_mark("cms");
	}
	/* pack: offline: true writes the packs of the finished output into it, before the link
	 * check, which finds them (not for serve, which keeps a folder up to date; check, which
	 * publishes nothing, gets empty files in their place). */
	if (cfg->offline && !b->keep && diag_error_count() == errors_before) {
		pack_build(tmpdir, cfg, e->so.check);
		timing_mark("packs");
	}
	if (b->check_links && !b->keep && diag_error_count() == errors_before) {
		struct linkcheck *lc = linkcheck_new(cfg->base_url);
		render_judged_links(k->rd, skip_link, lc);
		linkcheck_dir(lc, tmpdir, nthreads);
		linkcheck_free(lc);
		timing_mark("links");
	}
	b->pages = st.pages;
	st.pages = NULL;
	b->npages_langs = cfg->nlangs;
	struct buf pl = BUF_INIT;
	for (size_t l = 0; l < cfg->nlangs; l++)
		buf_printf(&pl, "%s%s %zu", l ? ", " : "", cfg->langs[l].code, b->pages[l]);
	b->per_lang = buf_detach(&pl);
	b->files = st.files + nfiles;
	b->reused = st.reused;
	b->rendered = st.rendered;
	if (diag_error_count() == errors_before)
		rc = 0;
out:
	media_free(media, &b->image_record);
	if (scratch != NULL)
		fs_rm_rf(scratch);
	free(scratch);
	free(st.pages);

	free(site_root);
	free(theme_dir);
	free(theme_listed);
	/* A good run's state is kept for the next (engine_run); what render borrows of the
	 * source (its prefix and branch) lives as long as e->src. */
	if (rc == 0 && b->retain) {
		/* The run before's, freed when the caller has time for it (engine_tidy). */
		kept_free(e->dead);
		e->dead = e->kept;
		e->kept = k;
	} else {
		kept_free(k);
	}
	timing_mark("engine's end"); /* what was freed: other */
	return rc;
}

/* ---- engine_run: keeping one folder up to date ---- */

struct sync_ctx {
	struct engine *e;
	const struct deps *kept; /* outputs left in place */
	const char *from, *to;
	struct map made; /* relative paths of the new build */
	struct buf a, b;
	int failed;
};

static void
add_changed(struct engine *e, const char *rel)
{
	if ((e->nchanged & (e->nchanged - 1)) == 0)
		e->changed = xrealloc(e->changed, (e->nchanged ? e->nchanged * 2 : 1) * sizeof *e->changed);
	e->changed[e->nchanged++] = xstrdup(rel);
}

/* A file of the new build: moved into place (rename(2) replaces atomically) when it differs. */
static int
sync_new(const char *rel, void *payload)
{
	struct sync_ctx *c = payload;
	map_put(&c->made, rel, c);
	char *from = fs_join(c->from, rel), *to = fs_join(c->to, rel);
	buf_reset(&c->a);
	buf_reset(&c->b);
	int same = fs_read_file(to, &c->b) == 0 && fs_read_file(from, &c->a) == 0 &&
	           c->a.len == c->b.len && memcmp(buf_str(&c->a), buf_str(&c->b), c->a.len) == 0;
	if (!same) {
		char *dir = xstrdup(to);
		*strrchr(dir, '/') = '\0';
		if (fs_mkdir_p(dir) < 0 || rename(from, to) < 0) {
			diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
			c->failed = 1;
		} else {
			add_changed(c->e, rel);
		}
		free(dir);
	}
	free(from);
	free(to);
	return 0;
}

static int
sync_list(const char *rel, void *payload)
{
	struct sync_ctx *c = payload;
	add_changed(c->e, rel);
	map_put(&c->made, rel, c);
	return 0;
}

/* Files of the new build kept in memory: each written (through a temporary name, rename(2)
 * replacing atomically) where it differs from the folder's; on the run's threads. */
struct held_sync {
	const char *to;
	const struct render_file *files;
	int *wrote; /* per file: 1 written, 0 as it was, -1 failed */
};

static void
sync_held_one(size_t i, int worker, void *payload)
{
	struct held_sync *h = payload;
	const struct render_file *f = &h->files[i];
	char *to = fs_join(h->to, f->rel);
	struct buf b = BUF_INIT;
	(void)worker;
	if (fs_read_file(to, &b) == 0 && b.len == f->len && memcmp(buf_str(&b), f->data, f->len) == 0) {
		h->wrote[i] = 0;
	} else {
		char *tmp = xasprintf("%s.satchel-new", to);
		if (fs_write_file(tmp, f->data, f->len) < 0 || rename(tmp, to) < 0) {
			diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
			unlink(tmp);
			h->wrote[i] = -1;
		} else {
			h->wrote[i] = 1;
		}
		free(tmp);
	}
	buf_free(&b);
	free(to);
}

static void
sync_held(struct sync_ctx *c, const struct render_file *files, size_t n, int nthreads)
{
	struct held_sync h = {c->to, files, xcalloc(n + 1, sizeof *h.wrote)};
	for (size_t i = 0; i < n; i++)
		map_put(&c->made, files[i].rel, c);
	pool_run(n, nthreads, sync_held_one, &h);
	for (size_t i = 0; i < n; i++) {
		if (h.wrote[i] == 1)
			add_changed(c->e, files[i].rel);
		else if (h.wrote[i] < 0)
			c->failed = 1;
	}
	free(h.wrote);
}

static int
sync_list_quiet(const char *rel, void *payload)
{
	struct sync_ctx *c = payload;
	map_put(&c->made, rel, c);
	return 0;
}

/* A file of outdir: removed when the new build made it no more. */
static int
sync_old(const char *rel, void *payload)
{
	struct sync_ctx *c = payload;
	if (map_get(&c->made, rel) != NULL || deps_get(c->kept, rel) != NULL)
		return 0;
	char *to = fs_join(c->to, rel);
	if (unlink(to) == 0) {
		add_changed(c->e, rel);
		/* Folders left empty go too, as a fresh build would not have them. */
		for (char *slash = strrchr(to, '/'); slash != NULL && slash > to + strlen(c->to);
		     slash = strrchr(to, '/')) {
			*slash = '\0';
			if (rmdir(to) < 0)
				break;
		}
	}
	free(to);
	return 0;
}

/* The quick path: every path changed is a page's file whose front matter is byte for byte as it
 * was, so the model is the same but for those texts. Only their Markdown is made again and only
 * their outputs are rendered (render_update). 0 done; -1 after errors (nothing written); 1 when
 * it does not apply (and what was kept may no longer match: the caller drops it). */
/* A stamp of the repository's state — HEAD, the index, the reflog of HEAD, packed refs — that
 * changes with a commit, a checkout or a reset: git's record of the pages changes with it. */
static uint64_t
git_stamp(const struct source *src)
{
	char *dir = source_git_dir(src);
	uint64_t h = DEPS_SEED;
	static const char *const names[] = {"HEAD", "index", "logs/HEAD", "packed-refs"};
	for (size_t i = 0; dir != NULL && i < sizeof names / sizeof *names; i++) {
		char *path = fs_join(dir, names[i]);
		struct stat st;
		if (stat(path, &st) == 0) {
			h = deps_hash_u64(h, (uint64_t)st.st_size);
			h = deps_hash_u64(h, (uint64_t)st.st_mtim.tv_sec);
			h = deps_hash_u64(h, (uint64_t)st.st_mtim.tv_nsec);
			h = deps_hash_u64(h, (uint64_t)st.st_ino);
		}
		h = deps_hash_u64(h, i);
		free(path);
	}
	free(dir);
	return h;
}

static int
quick_run(struct engine *e, const char *const *changed, size_t nchanged)
{
	struct kept *k = e->kept;
	if (k == NULL || changed == NULL || nchanged == 0 || e->src == NULL ||
	    git_stamp(e->src) != e->git_stamp)
		return 1;
	struct site *s = k->site;
	struct page **pages = xcalloc(nchanged * s->cfg->nlangs + 1, sizeof *pages);
	char **texts = xcalloc(nchanged + 1, sizeof *texts);
	size_t *lens = xcalloc(nchanged + 1, sizeof *lens);
	size_t n = 0;
	int rc = 0;
	struct buf b = BUF_INIT;
	/* First whether every change is a body's alone; the model is changed for all or none, or
	 * what was kept would hold texts its Markdown results were not made from. */
	for (size_t i = 0; i < nchanged && rc == 0; i++) {
		struct page *p = map_get(&s->pages_by_src, changed[i]);
		buf_reset(&b);
		if (p == NULL || p->derived || source_read(e->src, changed[i], &b) < 0) {
			rc = 1;
			break;
		}
		if (b.len == p->text_len && memcmp(buf_str(&b), p->text, b.len) == 0)
			continue; /* saved as it was */
		if (!site_body_only(s, p, buf_str(&b), b.len)) {
			rc = 1;
			break;
		}
		lens[i] = b.len;
		texts[i] = buf_detach(&b);
	}
	buf_free(&b);
	for (size_t i = 0; i < nchanged && rc == 0; i++) {
		if (texts[i] == NULL)
			continue;
		struct page *p = map_get(&s->pages_by_src, changed[i]);
		size_t got = site_replace_body(s, p, texts[i], lens[i], pages + n);
		if (got == 0) { /* cannot be: it was asked */
			rc = -1;
			break;
		}
		texts[i] = NULL;
		n += got;
	}
	for (size_t i = 0; i < nchanged; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	if (rc == 0 && n > 0)
		rc = render_update(k->rd, pages, n, e->outdir, &e->record, &e->changed, &e->nchanged);
	if (rc == 0)
		e->rendered = e->nchanged; /* every page it renders, it writes */
	free(pages);
	return rc;
}

int
engine_run(struct engine *e, const char *const *changed, size_t nchanged)
{
	double t0 = now();
	struct diag *was = diag_use(e->diag);
	diag_reset();
	free_changed(e);
	e->rendered = 0;
	if (e->outdir == NULL) {
		diag_error(NULL, 0, 0, "the engine has no output folder");
		diag_use(was);
		return -1;
	}
	timing_mark("(between runs)");
	engine_tidy(e);
	int rc = quick_run(e, changed, nchanged);
	timing_mark("quick path");
	if (rc <= 0) {
		if (rc < 0) { /* the texts kept are not what the folder shows */
			kept_free(e->kept);
			e->kept = NULL;
			deps_free(&e->record);
			e->outputs_known = 0;
		} else if (!e->o.quiet) {
			printf("satchel: %zu files changed in %.3f s\n", e->nchanged, now() - t0);
		}
		diag_use(was);
		return rc;
	}
	/* What the last run kept stays until this one's Markdown pass has taken what it can of
	 * it (engine_build replaces it after a good build); the rest of it is not used. */
	struct kept *old = e->kept;
	/* The working tree may have changed in any way: read it afresh. */
	source_free(e->src);
	e->src = NULL;
	rc = -1;
	char *tmp = xasprintf("%s.run.XXXXXX", e->outdir);
	struct engine_build b = {0};
	struct deps record = DEPS_INIT;
	if (mkdtemp(tmp) == NULL) {
		diag_error(tmp, 0, 0, "cannot make a folder: %s", strerror(errno));
		goto out;
	}
	int have = fs_is_dir(e->outdir);
	b.dir = tmp;
	b.prev_dir = have ? e->outdir : NULL;
	b.image_cache = have && e->image_record.len ? buf_str(&e->image_record) : NULL;
	b.prev = &e->record;
	b.keep = 1;
	b.retain = 1;
	uint64_t stamp_was = e->git_stamp;
	if (engine_open(e) == 0)
		e->git_stamp = git_stamp(e->src);
	b.same_git = e->kept != NULL && stamp_was == e->git_stamp;
	timing_mark("source");
	b.record = &record;
	b.changed = changed;
	b.nchanged = nchanged;
	if (engine_build(e, &b) < 0)
		goto out;
	timing_mark("engine_build done");
	if (have && fs_mkdir_p(e->outdir) < 0) {
		diag_error(e->outdir, 0, 0, "cannot make the folder: %s", strerror(errno));
		goto out;
	}
	struct sync_ctx c = {e, &record, tmp, e->outdir, MAP_INIT, BUF_INIT, BUF_INIT, 0};
	if (!have) {
		/* The first run: the folder is the new one, whole. */
		fs_walk(tmp, sync_list, &c);
		if (rmdir(e->outdir) < 0 && errno != ENOENT) {
			diag_error(e->outdir, 0, 0, "cannot replace: %s", strerror(errno));
			c.failed = 1;
		} else if (rename(tmp, e->outdir) < 0) {
			diag_error(e->outdir, 0, 0, "cannot write: %s", strerror(errno));
			c.failed = 1;
		}
	} else {
		fs_walk(tmp, sync_new, &c);
		size_t nheld = 0;
		struct render_file *held = render_take_held(e->kept->rd, &nheld);
		sync_held(&c, held, nheld, e->o.nthreads > 0 ? e->o.nthreads : pool_default_threads());
		for (size_t i = 0; i < nheld; i++) {
			free(held[i].rel);
			free(held[i].data);
		}
		free(held);
		timing_mark("  sync: new files");
		/* What is no longer made: among the files the folder had, those neither made again
		 * nor kept in place. */
		if (e->outputs_known) {
			for (size_t i = 0; i < e->outputs.cap; i++)
				if (e->outputs.keys[i] != NULL)
					sync_old(e->outputs.keys[i], &c);
		} else {
			fs_walk(e->outdir, sync_old, &c);
		}
	}
	timing_mark("  sync: old files");
	/* The folder now: what was made, and what was kept in place of what it had. */
	if (!c.failed) {
		for (size_t i = 0; have && e->outputs_known && i < e->outputs.cap; i++)
			if (e->outputs.keys[i] != NULL && deps_get(&record, e->outputs.keys[i]) != NULL)
				map_put(&c.made, e->outputs.keys[i], &c);
		if (have && !e->outputs_known) /* what the walk found and left */
			fs_walk(e->outdir, sync_list_quiet, &c);
		map_free(&e->outputs);
		e->outputs = c.made;
		c.made = (struct map)MAP_INIT;
		e->outputs_known = 1;
	} else {
		e->outputs_known = 0;
	}
	timing_mark("  sync: outputs");
	map_free(&c.made);
	buf_free(&c.a);
	buf_free(&c.b);
	buf_reset(&e->image_record);
	buf_add(&e->image_record, b.image_record.data ? b.image_record.data : "", b.image_record.len);
	if (!c.failed && diag_error_count() == 0) {
		rc = 0;
		deps_free(&e->record);
		e->record = record;
		record = (struct deps)DEPS_INIT;
	} else {
		/* Partly written: what the folder holds is no longer what the record says. */
		deps_free(&e->record);
		kept_free(e->kept);
		e->kept = NULL;
		e->outputs_known = 0;
	}
	e->rendered = b.rendered;
	timing_mark("record");
	if (rc == 0 && !e->o.quiet) {
		size_t total = 0;
		for (size_t l = 0; l < b.npages_langs; l++)
			total += b.pages[l];
		printf("satchel: %zu pages (%zu rendered), %zu files changed in %.2f s\n", total,
		       b.rendered, e->nchanged, now() - t0);
	}
out:
	if (old != NULL && e->kept == old) { /* the build failed: nothing of it is kept */
		kept_free(old);
		e->kept = NULL;
	}
	if (fs_is_dir(tmp))
		fs_rm_rf(tmp);
	free(tmp);
	free(b.pages);
	free(b.per_lang);
	buf_free(&b.image_record);
	deps_free(&record);
	timing_mark("done");
	diag_use(was);
	return rc;
}
