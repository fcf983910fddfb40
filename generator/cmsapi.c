/* cmsapi: Decap CMS's local backend protocol over the site's folder (see cmsapi.h). jansson reads
 * the JSON (libyaml, which reads JSON front matter, refuses a surrogate pair such as
 * \ud83d\ude00 that any JSON writer may send); GLib does the base64 and the SHA-256. */
#include "cmsapi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>

#include "config.h"
#include "filetype.h"
#include "frontmatter.h"
#include "scaffold.h"
#include "source.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "value.h"

#define MAX_PATH_BYTES 1024 /* a path longer than this is refused, as is a name over NAME_MAX */
#define MAX_SUBJECT 200     /* bytes of a commit's subject line */
#define MAX_DEPTH 64        /* JSON nesting */
#define MAX_FILE (48u << 20) /* a file read back as base64 fits CMSAPI_MAX_BODY */

struct cmsapi {
	char *site_dir;
	struct config *cfg; /* site.yaml as read for this request, or NULL */
};

int
cmsapi_enabled(const struct config *cfg)
{
	/* Any cms: backend: on loopback the admin saves through serve whichever forge it names
	 * (admin.js adds Decap's local_backend there), so editing locally needs no forge account. */
	return cfg != NULL && cfg->cms != NULL;
}

struct cmsapi *
cmsapi_new(const char *site_dir)
{
	struct cmsapi *a = xcalloc(1, sizeof *a);
	a->site_dir = xstrdup(site_dir);
	source_git_begin(); /* the HTTP threads' libgit2 state goes with each thread */
	return a;
}

void
cmsapi_free(struct cmsapi *a)
{
	if (a == NULL)
		return;
	free(a->site_dir);
	free(a);
	source_git_end();
}

/* ---- JSON in ---- */

/* jansson's value as the site's value model, or NULL past MAX_DEPTH. jansson has already refused
 * what is not JSON: bytes that are not UTF-8, lone surrogates, \u0000 (no path nor text here holds
 * NUL), raw control characters and keys given twice. */
static struct value *
from_json(const json_t *j, int depth)
{
	if (depth > MAX_DEPTH)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
	case JSON_ARRAY: {
		int map = json_is_object(j);
		struct value *v = map ? value_new_map() : value_new_list();
		size_t n = map ? json_object_size(j) : json_array_size(j);
		void *it = map ? json_object_iter((json_t *)j) : NULL;
		for (size_t i = 0; i < n; i++) {
			const json_t *x = map ? json_object_iter_value(it) : json_array_get(j, i);
			struct value *item = from_json(x, depth + 1);
			if (item == NULL) {
				value_free(v);
				return NULL;
			}
			if (map) {
				value_map_set(v, json_object_iter_key(it), item);
				it = json_object_iter_next((json_t *)j, it);
			} else {
				value_list_push(v, item);
			}
		}
		return v;
	}
	case JSON_STRING:
		return value_new_stringn(json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return value_new_int((int64_t)json_integer_value(j));
	case JSON_REAL:
		return value_new_float(json_real_value(j));
	case JSON_TRUE:
		return value_new_bool(1);
	case JSON_FALSE:
		return value_new_bool(0);
	case JSON_NULL:
		break;
	}
	return value_new_null();
}

/* The whole of text as one JSON value, or NULL. */
static struct value *
json_parse(const char *text, size_t len)
{
	json_error_t err;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL)
		return NULL;
	struct value *v = from_json(j, 0);
	json_decref(j);
	return v;
}

/* ---- JSON out ---- */

static void
put_string(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	buf_add_json_escaped(b, s, n);
	buf_putc(b, '"');
}

static void
put_str(struct buf *b, const char *s)
{
	put_string(b, s, strlen(s));
}

static int
fail(struct buf *out, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* {"error": why} in place of whatever the answer held so far; returns status. */
static int
fail(struct buf *out, int status, const char *fmt, ...)
{
	struct buf why = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&why, fmt, ap);
	va_end(ap);
	buf_reset(out);
	buf_puts(out, "{\"error\":");
	/* a message may quote a name that is not UTF-8: made valid, so the JSON is */
	char *valid = g_utf8_make_valid(buf_str(&why), (gssize)why.len);
	put_str(out, valid);
	g_free(valid);
	buf_putc(out, '}');
	buf_free(&why);
	return status;
}

static void
put_sha256(struct buf *b, const struct buf *data)
{
	char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)buf_str(data),
	                                        data->len);
	put_str(b, sum);
	g_free(sum);
}

/* ---- which paths, and following no link ---- */

enum kind { K_ENTRY = 1, K_MEDIA = 2, K_FOLDER = 4 };

static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] != '\0';
}

/* Why the editor may not have path (as kinds allow), or NULL; malloc'd. */
static char *
refused(const char *path, int kinds)
{
	if (strlen(path) > MAX_PATH_BYTES)
		return xasprintf("the path is longer than %d bytes", MAX_PATH_BYTES);
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n > NAME_MAX)
			return xasprintf("a name in the path is longer than %d bytes", NAME_MAX);
		p += n + (p[n] == '/');
	}
	char *why = source_path_refused(path);
	if (why != NULL)
		return why;
	if ((kinds & K_FOLDER) &&
	    (strcmp(path, "content") == 0 || under(path, "content") || strcmp(path, "static/uploads") == 0 ||
	     under(path, "static/uploads")))
		return NULL;
	if ((kinds & K_ENTRY) && under(path, "content") && text_has_suffix(path, ".md"))
		return NULL;
	if ((kinds & K_MEDIA) && (under(path, "content") || under(path, "static/uploads"))) {
		if (text_has_suffix(path, ".md"))
			return xstrdup("a page is not a media file");
		return filetype_refused(path);
	}
	if (kinds & K_FOLDER)
		return xstrdup("the editor reads folders under content/ and static/uploads/ only");
	if (kinds == K_ENTRY && under(path, "content"))
		return xstrdup("an entry is a .md file");
	return xstrdup(kinds & K_MEDIA ? "the editor writes pages (.md) and their media under "
	                                 "content/, and media under static/uploads/, only"
	                               : "the editor reads and writes pages (.md) under content/ only");
}

/* Opens the folder dir (site-relative; "" for the site) component by component, following no
 * symbolic link; with create, making what is missing. A descriptor, or -1 with *why (NULL when
 * it is simply not there). */
static int
open_folder(const struct cmsapi *a, const char *dir, int create, char **why)
{
	int fd = open(a->site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*why = NULL;
	if (fd < 0) {
		*why = xasprintf("cannot open the site: %s", strerror(errno));
		return -1;
	}
	for (const char *p = dir; *p;) {
		size_t n = strcspn(p, "/");
		char *name = xstrndup(p, n);
		struct stat st;
		int there = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (!there && create && mkdirat(fd, name, 0755) == 0)
			there = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		int next = -1;
		if (there && S_ISLNK(st.st_mode))
			*why = xasprintf("%.*s is a symbolic link, which satchel never follows",
			                 (int)(p - dir + n), dir);
		else if (there && !S_ISDIR(st.st_mode))
			*why = xasprintf("%.*s is not a folder", (int)(p - dir + n), dir);
		else if (there)
			next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (there && next < 0 && *why == NULL)
			*why = xasprintf("%.*s: %s", (int)(p - dir + n), dir,
			                 errno == ELOOP ? "a symbolic link, which satchel never follows"
			                                : strerror(errno));
		free(name);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		p += n + (p[n] == '/');
	}
	return fd;
}

/* The folder and the name of a site-relative path: "a/b/c" -> "a/b", "c". */
static void
split(const char *path, char **dir, const char **name)
{
	const char *slash = strrchr(path, '/');
	*dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
	*name = slash ? slash + 1 : path;
}

/* Reads a regular file: 0; 1 when it is not there; -1 with *why when refused. */
static int
read_file(const struct cmsapi *a, const char *path, struct buf *out, char **why)
{
	char *dir;
	const char *name;
	split(path, &dir, &name);
	int dfd = open_folder(a, dir, 0, why);
	free(dir);
	if (dfd < 0)
		return *why ? -1 : 1;
	int rc = 1;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 && errno == ELOOP) {
		*why = xasprintf("%s is a symbolic link, which satchel never follows", path);
		rc = -1;
	} else if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		*why = xasprintf("%s is not a file", path);
		rc = -1;
	} else if (fd >= 0 && fs_read_fd_max(fd, out, MAX_FILE) < 0) {
		*why = xasprintf("%s: %s", path, errno == EFBIG ? "over 48 MiB, too big for the editor"
		                                                : strerror(errno));
		rc = -1;
	} else if (fd >= 0)
		rc = 0;
	if (fd >= 0)
		close(fd);
	close(dfd);
	return rc;
}

/* Is there a regular file at path (no link on the way)? */
static int
is_file(const struct cmsapi *a, const char *path)
{
	char *dir, *why = NULL;
	const char *name;
	split(path, &dir, &name);
	int dfd = open_folder(a, dir, 0, &why);
	free(dir);
	free(why);
	if (dfd < 0)
		return 0;
	struct stat st;
	int ok = fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
	close(dfd);
	return ok;
}

/* Writes a file whole (a temporary file renamed over it, so a rebuild never reads half of it),
 * making its folders. 0, or -1 with *why. */
static int
write_file(const struct cmsapi *a, const char *path, const void *data, size_t len, char **why)
{
	char *dir;
	const char *name;
	split(path, &dir, &name);
	int dfd = open_folder(a, dir, 1, why);
	free(dir);
	if (dfd < 0) {
		if (*why == NULL)
			*why = xasprintf("%s: cannot make its folder", path);
		return -1;
	}
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
		*why = xasprintf("%s is %s", path,
		                 S_ISLNK(st.st_mode) ? "a symbolic link, which satchel never follows"
		                                     : "not a file");
		close(dfd);
		return -1;
	}
	char tmp[64];
	snprintf(tmp, sizeof tmp, ".satchel-cms-%ld.tmp", (long)getpid());
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	int rc = -1;
	if (fd < 0) {
		*why = xasprintf("%s: %s", path, strerror(errno));
	} else {
		const char *p = data;
		size_t left = len;
		while (left > 0) {
			ssize_t w = write(fd, p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			p += w;
			left -= (size_t)w;
		}
		int err = left > 0 ? errno : 0;
		if (close(fd) < 0 && err == 0)
			err = errno;
		if (err == 0 && renameat(dfd, tmp, dfd, name) == 0)
			rc = 0;
		else {
			*why = xasprintf("%s: %s", path, strerror(err ? err : errno));
			unlinkat(dfd, tmp, 0);
		}
	}
	close(dfd);
	return rc;
}

/* Why write_file or delete_file would refuse path (a link or a folder at it, a link or a file on
 * the way), or NULL; malloc'd. A save asks before it changes anything, so that a refused path
 * is the request's fault (422) and leaves the site as it was. */
static char *
unwritable(const struct cmsapi *a, const char *path)
{
	char *dir, *why = NULL;
	const char *name;
	split(path, &dir, &name);
	int dfd = open_folder(a, dir, 0, &why);
	free(dir);
	if (dfd < 0)
		return why; /* NULL: a folder not there yet, which the write makes */
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
		why = xasprintf("%s is %s", path,
		                S_ISLNK(st.st_mode) ? "a symbolic link, which satchel never follows"
		                                    : "not a file");
	close(dfd);
	return why;
}

/* Removes a file (a missing one is no error). 0, or -1 with *why. */
static int
delete_file(const struct cmsapi *a, const char *path, char **why)
{
	char *dir;
	const char *name;
	split(path, &dir, &name);
	int dfd = open_folder(a, dir, 0, why);
	free(dir);
	if (dfd < 0)
		return *why ? -1 : 0;
	struct stat st;
	int rc = 0;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISREG(st.st_mode)) {
			*why = xasprintf("%s is %s", path, S_ISLNK(st.st_mode) ? "a symbolic link" : "not a file");
			rc = -1;
		} else if (unlinkat(dfd, name, 0) < 0) {
			*why = xasprintf("%s: %s", path, strerror(errno));
			rc = -1;
		}
	}
	close(dfd);
	return rc;
}

/* ---- the default language's file name ---- */

/* For DIR/index.LANG.md: LANG (malloc'd), else NULL. */
static char *
index_lang(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (strncmp(base, "index.", 6) != 0 || n <= 9 || strcmp(base + n - 3, ".md") != 0)
		return NULL;
	return xstrndup(base + 6, n - 9);
}

/* The file on disk that a path of the editor's stands for: DIR/index.DEFAULT.md is DIR/index.md
 * unless only DIR/index.DEFAULT.md is there; any other path is itself. The caller frees. */
static char *
disk_path(const struct cmsapi *a, const char *path)
{
	char *lang = index_lang(path);
	int dflt = lang != NULL && a->cfg != NULL && strcmp(lang, a->cfg->default_lang) == 0;
	free(lang);
	if (!dflt || is_file(a, path))
		return xstrdup(path);
	const char *base = strrchr(path, '/');
	return xasprintf("%.*sindex.md", base ? (int)(base - path + 1) : 0, path);
}

/* The path the editor is shown for a file on disk: DIR/index.md as DIR/index.DEFAULT.md (when
 * that is not there itself). The caller frees. */
static char *
shown_path(const struct cmsapi *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (a->cfg == NULL || strcmp(base, "index.md") != 0)
		return xstrdup(path);
	char *shown = xasprintf("%.*sindex.%s.md", (int)(base - path), path, a->cfg->default_lang);
	if (is_file(a, shown)) {
		free(shown);
		return xstrdup(path);
	}
	return shown;
}

/* ---- answers ---- */

static const char *
param_str(const struct value *params, const char *key)
{
	const struct value *v = params ? value_map_get(params, key) : NULL;
	return v != NULL && v->type == VALUE_STRING ? v->u.str.s : NULL;
}

/* One entry as decap-server gives it: {data, file: {path, label, id}}; data and id null when
 * the file cannot be read. */
static void
put_entry(struct cmsapi *a, struct buf *out, const char *path, const char *label)
{
	char *disk = disk_path(a, path), *why = NULL;
	struct buf data = BUF_INIT;
	int ok = read_file(a, disk, &data, &why) == 0;
	buf_puts(out, "{\"data\":");
	if (ok) {
		char *valid = g_utf8_make_valid(buf_str(&data), (gssize)data.len);
		put_str(out, valid);
		g_free(valid);
	} else
		buf_puts(out, "null");
	buf_puts(out, ",\"file\":{\"path\":");
	put_str(out, path);
	if (label != NULL) {
		buf_puts(out, ",\"label\":");
		put_str(out, label);
	}
	buf_puts(out, ",\"id\":");
	if (ok)
		put_sha256(out, &data);
	else
		buf_puts(out, "null");
	buf_puts(out, "}}");
	buf_free(&data);
	free(why);
	free(disk);
}

/* A media file as decap-server gives it: {id, content (base64), encoding, path, name}. */
static int
put_media(struct cmsapi *a, struct buf *out, const char *path, char **why)
{
	struct buf data = BUF_INIT;
	int r = read_file(a, path, &data, why);
	if (r != 0) {
		if (r > 0)
			*why = xasprintf("%s: no such file", path);
		buf_free(&data);
		return -1;
	}
	buf_puts(out, "{\"id\":");
	put_sha256(out, &data);
	buf_puts(out, ",\"content\":\"");
	gchar *b64 = g_base64_encode((const guchar *)buf_str(&data), data.len);
	buf_puts(out, b64);
	g_free(b64);
	buf_puts(out, "\",\"encoding\":\"base64\",\"path\":");
	put_str(out, path);
	buf_puts(out, ",\"name\":");
	const char *base = strrchr(path, '/');
	put_str(out, base ? base + 1 : path);
	buf_putc(out, '}');
	buf_free(&data);
	return 0;
}

struct names {
	char **v;
	size_t n, cap;
};

static void
names_push(struct names *l, char *s)
{
	if (l->n == l->cap)
		l->v = xrealloc(l->v, (l->cap = l->cap ? 2 * l->cap : 16) * sizeof *l->v);
	l->v[l->n++] = s;
}

static void
names_free(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
cmp_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The regular files below dir (site-relative) down to depth levels, sorted, that want(path)
 * admits; no link is followed and no name the build refuses is listed. */
static void
list_files(struct cmsapi *a, const char *dir, int depth, int (*want)(const char *, void *),
           void *payload, struct names *out)
{
	if (depth <= 0)
		return;
	char *why = NULL;
	int fd = open_folder(a, dir, 0, &why);
	free(why);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	struct names here = {0};
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			names_push(&here, xstrdup(de->d_name));
	if (here.n > 1)
		qsort(here.v, here.n, sizeof *here.v, cmp_name);
	for (size_t i = 0; i < here.n; i++) {
		char *rel = xasprintf("%s/%s", dir, here.v[i]);
		char *bad = source_path_refused(rel);
		struct stat st;
		if (bad == NULL && fstatat(dirfd(d), here.v[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISDIR(st.st_mode))
				list_files(a, rel, depth - 1, want, payload, out);
			else if (S_ISREG(st.st_mode) && want(rel, payload)) {
				names_push(out, rel);
				rel = NULL;
			}
		}
		free(bad);
		free(rel);
	}
	names_free(&here);
	closedir(d);
}

/* A page of a folder collection: DIR/index.md or DIR/index.LANG.md with the extension asked. */
static int
want_entry(const char *path, void *payload)
{
	const char *ext = payload;
	const char *base = strrchr(path, '/') + 1;
	size_t n = strlen(base), e = strlen(ext);
	if (strncmp(base, "index.", 6) != 0 || n <= e || strcmp(base + n - e, ext) != 0 ||
	    base[n - e - 1] != '.')
		return 0;
	char *why = refused(path, K_ENTRY);
	free(why);
	return why == NULL;
}

/* A file that moves with its entry's folder: a page or a media file. */
static int
want_any(const char *path, void *payload)
{
	(void)payload;
	char *why = refused(path, K_ENTRY | K_MEDIA);
	free(why);
	return why == NULL;
}

static int
want_media(const char *path, void *payload)
{
	(void)payload;
	char *why = refused(path, K_MEDIA);
	free(why);
	return why == NULL;
}

/* A folder Decap names, without its trailing slashes, or NULL with the refusal in out and *rc. */
static char *
folder_param(const char *folder, struct buf *out, int *rc)
{
	char *f = xstrdup(folder);
	for (size_t n = strlen(f); n > 0 && f[n - 1] == '/'; n--)
		f[n - 1] = '\0';
	char *why = refused(f, K_FOLDER);
	if (why == NULL)
		return f;
	*rc = fail(out, 422, "%s: %s", folder, why);
	free(why);
	free(f);
	return NULL;
}

static int
entries_by_folder(struct cmsapi *a, const struct value *params, struct buf *out)
{
	const char *folder = param_str(params, "folder"), *ext = param_str(params, "extension");
	const struct value *dv = params ? value_map_get(params, "depth") : NULL;
	if (folder == NULL || ext == NULL || dv == NULL || dv->type != VALUE_INT)
		return fail(out, 422, "entriesByFolder needs folder, extension and depth");
	int rc;
	char *f = folder_param(folder, out, &rc);
	if (f == NULL)
		return rc;
	int depth = dv->u.i > 100 ? 100 : (int)dv->u.i;
	struct names files = {0};
	list_files(a, f, depth, want_entry, (void *)ext, &files);
	buf_putc(out, '[');
	for (size_t i = 0; i < files.n; i++) {
		char *shown = shown_path(a, files.v[i]);
		if (i)
			buf_putc(out, ',');
		put_entry(a, out, shown, NULL);
		free(shown);
	}
	buf_putc(out, ']');
	names_free(&files);
	free(f);
	return 200;
}

/* Checks each path of a list of {path, label}: 0, or a failure already written. */
static int
entries_by_files(struct cmsapi *a, const struct value *params, struct buf *out)
{
	const struct value *files = params ? value_map_get(params, "files") : NULL;
	if (files == NULL || files->type != VALUE_LIST)
		return fail(out, 422, "entriesByFiles needs files");
	for (size_t i = 0; i < files->u.list.len; i++) {
		const char *p = param_str(files->u.list.items[i], "path");
		if (p == NULL)
			return fail(out, 422, "each of files needs a path");
		char *why = refused(p, K_ENTRY);
		if (why != NULL) {
			int rc = fail(out, 422, "%s: %s", p, why);
			free(why);
			return rc;
		}
	}
	buf_putc(out, '[');
	for (size_t i = 0; i < files->u.list.len; i++) {
		const struct value *f = files->u.list.items[i];
		if (i)
			buf_putc(out, ',');
		put_entry(a, out, param_str(f, "path"), param_str(f, "label"));
	}
	buf_putc(out, ']');
	return 200;
}

static int
get_entry(struct cmsapi *a, const struct value *params, struct buf *out)
{
	const char *p = param_str(params, "path");
	if (p == NULL)
		return fail(out, 422, "getEntry needs a path");
	char *why = refused(p, K_ENTRY);
	if (why != NULL) {
		int rc = fail(out, 422, "%s: %s", p, why);
		free(why);
		return rc;
	}
	/* a file the build would refuse (a link on the way) is said, not passed off as missing */
	char *disk = disk_path(a, p);
	struct buf data = BUF_INIT;
	int r = read_file(a, disk, &data, &why);
	buf_free(&data);
	free(disk);
	if (r < 0) {
		int rc = fail(out, 422, "%s", why);
		free(why);
		return rc;
	}
	put_entry(a, out, p, NULL);
	return 200;
}

/* ---- saves ---- */

/* One file a save writes. */
struct write {
	char *path; /* on disk */
	char *data;
	size_t len;
};

struct save {
	struct write *w;
	size_t nw, capw;
	struct names touched; /* every path the commit takes */
	char *message;
	int git; /* 1: commit; 0: a plain folder */
};

static void
save_free(struct save *s)
{
	for (size_t i = 0; i < s->nw; i++) {
		free(s->w[i].path);
		free(s->w[i].data);
	}
	free(s->w);
	names_free(&s->touched);
	free(s->message);
}

static int
has_name(const struct names *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* A path the commit takes, once. */
static void
touch(struct save *s, const char *path)
{
	if (!has_name(&s->touched, path))
		names_push(&s->touched, xstrdup(path));
}

static void
save_add(struct save *s, char *path, char *data, size_t len)
{
	if (s->nw == s->capw)
		s->w = xrealloc(s->w, (s->capw = s->capw ? 2 * s->capw : 8) * sizeof *s->w);
	s->w[s->nw++] = (struct write){path, data, len};
	touch(s, path);
}

/* The commit's message: the first line of what the editor sent, control characters as spaces,
 * at most MAX_SUBJECT bytes (cut at a character), never empty. */
static char *
subject(const char *msg)
{
	struct buf b = BUF_INIT;
	const char *s = msg ? msg : "";
	s += strspn(s, " \t\r\n");
	size_t n = strcspn(s, "\r\n");
	buf_add(&b, s, n);
	char *valid = g_utf8_make_valid(buf_str(&b), (gssize)b.len);
	buf_free(&b);
	for (char *p = valid; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (strlen(valid) > MAX_SUBJECT) {
		const char *end = valid + MAX_SUBJECT;
		while (end > valid && ((unsigned char)*end & 0xc0) == 0x80)
			end--;
		valid[end - valid] = '\0';
	}
	size_t len = strlen(valid);
	while (len > 0 && valid[len - 1] == ' ')
		valid[--len] = '\0';
	char *out = len ? xasprintf("%s\n", valid) : xstrdup("Edit with satchel serve\n");
	g_free(valid);
	return out;
}

/* Is the body a base64 text, as Decap's uploads are? */
static int
base64_ok(const char *s, size_t n)
{
	size_t pad = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '=')
			pad++;
		else if (pad || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		                  (c >= '0' && c <= '9') || c == '+' || c == '/'))
			return 0;
	}
	return pad <= 2 && n % 4 == 0;
}

/* An asset {path, content, encoding: base64} into the save, or a failure written. */
static int
add_asset(struct save *s, const struct value *asset, struct buf *out)
{
	const char *p = param_str(asset, "path"), *enc = param_str(asset, "encoding");
	const struct value *c = asset ? value_map_get(asset, "content") : NULL;
	if (p == NULL || c == NULL || c->type != VALUE_STRING)
		return fail(out, 422, "an asset needs path, content and encoding");
	if (enc == NULL || strcmp(enc, "base64") != 0)
		return fail(out, 422, "%s: the encoding must be base64", p);
	char *why = refused(p, K_MEDIA);
	if (why != NULL) {
		int rc = fail(out, 422, "%s: %s", p, why);
		free(why);
		return rc;
	}
	if (!base64_ok(c->u.str.s, c->u.str.len))
		return fail(out, 422, "%s: the content is not base64", p);
	gsize n = 0;
	guchar *bytes = g_base64_decode(c->u.str.s, &n);
	char *data = xmalloc(n + 1);
	memcpy(data, bytes, n);
	g_free(bytes);
	save_add(s, xstrdup(p), data, n);
	return 0;
}

/* text with its top-level translated_from set to commit (or, with commit NULL, removed). The
 * front matter is Decap's YAML between --- lines; one without is given one. Malloc'd. */
static char *
set_translated_from(const char *text, size_t len, const char *commit, size_t *outlen)
{
	struct buf b = BUF_INIT;
	const char *end = text + len, *body = text;
	if (len >= 4 && strncmp(text, "---\n", 4) == 0) {
		const char *p = text + 4;
		buf_puts(&b, "---\n");
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl + 1 : end;
			if ((size_t)(le - p) >= 3 && strncmp(p, "---", 3) == 0 &&
			    (le - p == 3 || p[3] == '\n' || (p[3] == '\r' && le - p == 5))) {
				body = p;
				break;
			}
			if (!(strncmp(p, "translated_from:", 16) == 0))
				buf_add(&b, p, (size_t)(le - p));
			if (nl == NULL) { /* no closing line: leave the text as it is */
				buf_reset(&b);
				body = text;
				break;
			}
			p = le;
		}
		if (body == text) {
			buf_add(&b, text, len);
			*outlen = b.len;
			return buf_detach(&b);
		}
		if (commit != NULL)
			buf_printf(&b, "translated_from: %s\n", commit);
	} else if (commit != NULL) {
		buf_printf(&b, "---\ntranslated_from: %s\n---\n", commit);
	}
	buf_add(&b, body, (size_t)(end - body));
	*outlen = b.len;
	return buf_detach(&b);
}

/* The source of a translation DIR/index.LANG.md (LANG a site language other than the default):
 * the file on disk it translates (malloc'd), else NULL. */
static char *
translation_source(struct cmsapi *a, const char *path)
{
	char *lang = index_lang(path);
	int tr = lang != NULL && a->cfg != NULL && strcmp(lang, a->cfg->default_lang) != 0 &&
	         config_lang(a->cfg, lang) != NULL;
	free(lang);
	if (!tr)
		return NULL;
	const char *base = strrchr(path, '/');
	char *src = xasprintf("%.*sindex.%s.md", base ? (int)(base - path + 1) : 0, path,
	                      a->cfg->default_lang);
	char *disk = disk_path(a, src);
	free(src);
	return disk;
}

/* Sets translated_from in each translation the save writes whose source it leaves as it is
 * (the commit its source last had, HEAD: as satchel translate); where the source changes in the
 * same save, the translation's own commit says what it follows, and translated_from goes. */
/* Front matter values alike, a map's keys in any order (Decap writes them in its fields' order). */
static int
same_value(const struct value *x, const struct value *y)
{
	if (x->type != y->type)
		return 0;
	switch (x->type) {
	case VALUE_BOOL:
		return x->u.b == y->u.b;
	case VALUE_INT:
		return x->u.i == y->u.i;
	case VALUE_FLOAT:
		return x->u.f == y->u.f;
	case VALUE_STRING:
		return x->u.str.len == y->u.str.len && memcmp(x->u.str.s, y->u.str.s, x->u.str.len) == 0;
	case VALUE_LIST:
		if (x->u.list.len != y->u.list.len)
			return 0;
		for (size_t i = 0; i < x->u.list.len; i++)
			if (!same_value(x->u.list.items[i], y->u.list.items[i]))
				return 0;
		return 1;
	case VALUE_MAP:
		if (x->u.map.len != y->u.map.len)
			return 0;
		for (size_t i = 0; i < x->u.map.len; i++) {
			const struct value *o = value_map_get(y, x->u.map.keys[i]);
			if (o == NULL || !same_value(x->u.map.vals[i], o))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* A body without the blank lines and spaces around it. */
static void
trimmed(const char *text, size_t len, size_t off, const char **p, size_t *n)
{
	const char *b = text + (off < len ? off : len), *e = text + len;
	while (b < e && (*b == '\n' || *b == '\r' || *b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*p = b;
	*n = (size_t)(e - b);
}

/* Whether an entry Decap sends says what its file on disk says already. Decap sends every
 * language's file of an entry on each save, each written anew in its own YAML style; a
 * translation nobody touched must not be rewritten, or its commit would make it look as new as
 * the source it has fallen behind. */
static int
unchanged_entry(const struct cmsapi *a, const char *path, const char *data, size_t len)
{
	struct buf disk = BUF_INIT;
	char *why = NULL;
	int same = 0;
	if (read_file(a, path, &disk, &why) == 0) {
		struct fm_doc x = {0}, y = {0};
		diag_quiet(1);
		int ok = fm_parse(path, buf_str(&disk), disk.len, &x) == 0 &&
		         fm_parse(path, data, len, &y) == 0;
		diag_quiet(0);
		if (ok && same_value(x.meta, y.meta)) {
			const char *bx, *by;
			size_t nx, ny;
			trimmed(buf_str(&disk), disk.len, x.body_off, &bx, &nx);
			trimmed(data, len, y.body_off, &by, &ny);
			same = nx == ny && memcmp(bx, by, nx) == 0;
		}
		fm_doc_free(&x);
		fm_doc_free(&y);
	}
	free(why);
	buf_free(&disk);
	return same;
}

/* An entry with nothing in it: Decap sends one for each language the editor left empty (raw
 * "\n"); written, it would publish a page without a title in that language. */
static int
blank_entry(const char *path, const char *data, size_t len)
{
	struct fm_doc d = {0};
	diag_quiet(1);
	int ok = fm_parse(path, data, len, &d) == 0;
	diag_quiet(0);
	int blank = 0;
	if (ok) {
		size_t keys = d.meta->u.map.len - (value_map_get(d.meta, "translated_from") != NULL);
		const char *b;
		size_t n;
		trimmed(data, len, d.body_off, &b, &n);
		blank = keys == 0 && n == 0;
	}
	fm_doc_free(&d);
	return blank;
}

static void
mark_translations(struct cmsapi *a, struct save *s)
{
	for (size_t i = 0; i < s->nw; i++) {
		if (!text_has_suffix(s->w[i].path, ".md"))
			continue;
		char *src = translation_source(a, s->w[i].path);
		if (src == NULL)
			continue;
		int same_save = 0;
		for (size_t k = 0; k < s->nw; k++)
			same_save |= strcmp(s->w[k].path, src) == 0;
		char head[41] = "";
		struct buf text = BUF_INIT, why = BUF_INIT;
		char *err = NULL;
		if (!same_save && s->git && read_file(a, src, &text, &err) == 0)
			scaffold_translated_from(a->site_dir, src, &text, head);
		if (same_save || head[0] != '\0') {
			size_t n = 0;
			char *t = set_translated_from(s->w[i].data, s->w[i].len, same_save ? NULL : head, &n);
			free(s->w[i].data);
			s->w[i].data = t;
			s->w[i].len = n;
		}
		free(err);
		buf_free(&text);
		buf_free(&why);
		free(src);
	}
}

/* Writes the save's files and makes its one commit; the answer is the caller's. */
static int
save_run(struct cmsapi *a, struct save *s, struct buf *out)
{
	/* every path it writes or removes first, so that a refusal changes nothing */
	for (size_t i = 0; i < s->touched.n; i++) {
		char *why = unwritable(a, s->touched.v[i]);
		for (size_t k = 0; why == NULL && k < s->nw; k++)
			if (under(s->w[k].path, s->touched.v[i]))
				why = xasprintf("%s is a file and the folder of %s", s->touched.v[i],
				                s->w[k].path);
		if (why != NULL) {
			int rc = fail(out, 422, "%s", why);
			free(why);
			return rc;
		}
	}
	for (size_t i = 0; i < s->nw; i++) {
		char *why = NULL;
		if (write_file(a, s->w[i].path, s->w[i].data, s->w[i].len, &why) < 0) {
			int rc = fail(out, 500, "%s", why);
			free(why);
			return rc;
		}
	}
	return 0;
}

static int
commit(struct cmsapi *a, struct save *s, struct buf *out)
{
	if (!s->git || s->touched.n == 0)
		return 0;
	char id[41], *why = NULL;
	if (source_git_commit(a->site_dir, (const char *const *)s->touched.v, s->touched.n,
	                      s->message, id, &why) < 0) {
		int rc = fail(out, 500, "the files are written but not committed: %s", why);
		free(why);
		return rc;
	}
	return 0;
}

/* Starts a save: is the site in git, and does git know who saves? 0, or a failure written. */
static int
save_begin(struct cmsapi *a, struct save *s, const struct value *params, struct buf *out)
{
	const struct value *opts = params ? value_map_get(params, "options") : NULL;
	s->message = subject(param_str(opts, "commitMessage"));
	char head[41], *why = NULL;
	int g = source_git_editor(a->site_dir, head, &why);
	if (g < 0) {
		int rc = fail(out, 409, "%s", why);
		free(why);
		return rc;
	}
	s->git = g;
	return 0;
}

static int
persist_entry(struct cmsapi *a, const struct value *params, struct buf *out)
{
	struct save s = {0};
	struct names from = {0}, to = {0};
	int rc = 0;
	const struct value *files = params ? value_map_get(params, "dataFiles") : NULL;
	const struct value *entry = params ? value_map_get(params, "entry") : NULL;
	const struct value *assets = params ? value_map_get(params, "assets") : NULL;
	const struct value *opts = params ? value_map_get(params, "options") : NULL;
	const struct value *one[1] = {entry};
	const struct value *const *items = NULL;
	size_t nitems = 0;
	if (files != NULL && files->type == VALUE_LIST) {
		items = (const struct value *const *)files->u.list.items;
		nitems = files->u.list.len;
	} else if (entry != NULL && entry->type == VALUE_MAP) {
		items = one;
		nitems = 1;
	}
	if (nitems == 0 || (assets != NULL && assets->type != VALUE_LIST))
		return fail(out, 422, "persistEntry needs dataFiles (or entry) and assets");
	if ((rc = save_begin(a, &s, params, out)) != 0)
		goto out;
	int renames = 1;
	for (size_t i = 0; i < nitems; i++) {
		const char *p = param_str(items[i], "path"), *np = param_str(items[i], "newPath");
		const struct value *raw = items[i] ? value_map_get(items[i], "raw") : NULL;
		if (p == NULL || raw == NULL || raw->type != VALUE_STRING) {
			rc = fail(out, 422, "each data file needs path and raw");
			goto out;
		}
		const char *bad = p;
		char *why = refused(p, K_ENTRY);
		if (why == NULL && np != NULL)
			why = refused(bad = np, K_ENTRY);
		if (why != NULL) {
			rc = fail(out, 422, "%s: %s", bad, why);
			free(why);
			goto out;
		}
		renames &= np != NULL;
		char *disk = disk_path(a, np ? np : p);
		if (blank_entry(disk, raw->u.str.s, raw->u.str.len) ||
		    (np == NULL && unchanged_entry(a, disk, raw->u.str.s, raw->u.str.len))) {
			free(disk);
			continue;
		}
		char *data = xmalloc(raw->u.str.len + 1);
		memcpy(data, raw->u.str.s, raw->u.str.len + 1);
		save_add(&s, disk, data, raw->u.str.len);
		if (np != NULL) {
			names_push(&from, disk_path(a, p));
			names_push(&to, xstrdup(disk));
		}
	}
	for (size_t i = 0; assets != NULL && i < assets->u.list.len; i++)
		if ((rc = add_asset(&s, assets->u.list.items[i], out)) != 0)
			goto out;
	mark_translations(a, &s);
	/* A renamed entry: its folder's other files (media, translations not in this save) move
	 * with it, as decap-server moves them (hasSubfolders, the default). */
	const struct value *hs = opts ? value_map_get(opts, "hasSubfolders") : NULL;
	int subfolders = !(hs != NULL && hs->type == VALUE_BOOL && !hs->u.b);
	if (renames && from.n > 0) {
		for (size_t i = 0; i < from.n; i++) {
			char *why = NULL;
			if (strcmp(from.v[i], to.v[i]) == 0)
				continue;
			char *fdir, *tdir;
			const char *fname, *tname;
			split(from.v[i], &fdir, &fname);
			split(to.v[i], &tdir, &tname);
			struct names moved = {0};
			if (subfolders && strcmp(fdir, tdir) != 0)
				list_files(a, fdir, 1, want_any, NULL, &moved);
			for (size_t k = 0; k < moved.n; k++) {
				struct buf data = BUF_INIT;
				const char *name = strrchr(moved.v[k], '/') + 1;
				char *dest = xasprintf("%s/%s", tdir, name);
				/* what the save writes itself is newer than the file it moves */
				if (!has_name(&s.touched, dest) && read_file(a, moved.v[k], &data, &why) == 0) {
					size_t n = data.len;
					save_add(&s, dest, buf_detach(&data), n);
					touch(&s, moved.v[k]);
				} else
					free(dest);
				buf_free(&data);
				free(why);
				why = NULL;
			}
			names_free(&moved);
			touch(&s, from.v[i]);
			free(fdir);
			free(tdir);
		}
	}
	if ((rc = save_run(a, &s, out)) != 0)
		goto out;
	/* the old files of a rename go once the new ones are written */
	for (size_t i = 0; i < s.touched.n; i++) {
		int written = 0;
		for (size_t k = 0; k < s.nw; k++)
			written |= strcmp(s.w[k].path, s.touched.v[i]) == 0;
		char *why = NULL;
		if (!written && delete_file(a, s.touched.v[i], &why) < 0) {
			rc = fail(out, 500, "%s", why);
			free(why);
			goto out;
		}
	}
	/* a renamed entry's old folder goes when nothing is left in it */
	for (size_t i = 0; renames && i < from.n; i++) {
		char *fdir, *parent, *why = NULL;
		const char *fname, *dname;
		split(from.v[i], &fdir, &fname);
		split(fdir, &parent, &dname);
		int pfd = open_folder(a, parent, 0, &why);
		if (pfd >= 0) {
			unlinkat(pfd, dname, AT_REMOVEDIR); /* fails, as it should, when not empty */
			close(pfd);
		}
		free(why);
		free(parent);
		free(fdir);
	}
	if ((rc = commit(a, &s, out)) != 0)
		goto out;
	buf_puts(out, "{\"message\":\"entry persisted\"}");
	rc = 200;
out:
	names_free(&from);
	names_free(&to);
	save_free(&s);
	return rc;
}

static int
persist_media(struct cmsapi *a, const struct value *params, struct buf *out)
{
	struct save s = {0};
	int rc;
	const struct value *asset = params ? value_map_get(params, "asset") : NULL;
	if (asset == NULL || asset->type != VALUE_MAP)
		return fail(out, 422, "persistMedia needs an asset");
	if ((rc = save_begin(a, &s, params, out)) != 0 || (rc = add_asset(&s, asset, out)) != 0 ||
	    (rc = save_run(a, &s, out)) != 0 || (rc = commit(a, &s, out)) != 0)
		goto out;
	char *why = NULL;
	if (put_media(a, out, s.w[0].path, &why) < 0) {
		rc = fail(out, 500, "%s", why);
		free(why);
		goto out;
	}
	rc = 200;
out:
	save_free(&s);
	return rc;
}

static int
delete_files(struct cmsapi *a, const struct value *params, struct buf *out, int many)
{
	struct save s = {0};
	int rc;
	const struct value *list = params ? value_map_get(params, "paths") : NULL;
	const struct value *pv = params ? value_map_get(params, "path") : NULL;
	const struct value *const *items = many && list && list->type == VALUE_LIST
	                                       ? (const struct value *const *)list->u.list.items
	                                       : &pv;
	size_t n = many ? (list && list->type == VALUE_LIST ? list->u.list.len : 0) : pv != NULL;
	if (n == 0)
		return fail(out, 422, many ? "deleteFiles needs paths" : "deleteFile needs a path");
	for (size_t i = 0; i < n; i++) {
		if (items[i] == NULL || items[i]->type != VALUE_STRING)
			return fail(out, 422, "a path is a string");
		char *why = refused(items[i]->u.str.s, K_ENTRY | K_MEDIA);
		if (why != NULL) {
			rc = fail(out, 422, "%s: %s", items[i]->u.str.s, why);
			free(why);
			return rc;
		}
	}
	if ((rc = save_begin(a, &s, params, out)) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char *disk = disk_path(a, items[i]->u.str.s), *why = unwritable(a, disk);
		free(disk);
		if (why != NULL) {
			rc = fail(out, 422, "%s", why);
			free(why);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		char *disk = disk_path(a, items[i]->u.str.s), *why = NULL;
		touch(&s, disk);
		int r = delete_file(a, disk, &why);
		free(disk);
		if (r < 0) {
			rc = fail(out, 422, "%s", why);
			free(why);
			goto out;
		}
	}
	if ((rc = commit(a, &s, out)) != 0)
		goto out;
	buf_puts(out, many ? "{\"message\":\"deleted files " : "{\"message\":\"deleted file ");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, ", ");
		buf_add_json_escaped(out, items[i]->u.str.s, items[i]->u.str.len);
	}
	buf_puts(out, "\"}");
	rc = 200;
out:
	save_free(&s);
	return rc;
}

static int
get_media(struct cmsapi *a, const struct value *params, struct buf *out)
{
	const char *folder = param_str(params, "mediaFolder");
	if (folder == NULL)
		return fail(out, 422, "getMedia needs a mediaFolder");
	int rc;
	char *f = folder_param(folder, out, &rc);
	if (f == NULL)
		return rc;
	struct names files = {0};
	char *why = NULL;
	list_files(a, f, 1, want_media, NULL, &files);
	buf_putc(out, '[');
	size_t put = 0;
	for (size_t i = 0; i < files.n; i++) {
		struct buf one = BUF_INIT;
		if (put_media(a, &one, files.v[i], &why) == 0) {
			if (put++)
				buf_putc(out, ',');
			buf_add(out, one.data, one.len);
		}
		free(why);
		why = NULL;
		buf_free(&one);
	}
	buf_putc(out, ']');
	names_free(&files);
	free(f);
	return 200;
}

static int
get_media_file(struct cmsapi *a, const struct value *params, struct buf *out)
{
	const char *p = param_str(params, "path");
	if (p == NULL)
		return fail(out, 422, "getMediaFile needs a path");
	char *why = refused(p, K_MEDIA);
	if (why == NULL && put_media(a, out, p, &why) == 0)
		return 200;
	int rc = fail(out, 422, "%s: %s", p, why);
	free(why);
	return rc;
}

static int
info(struct cmsapi *a, struct buf *out)
{
	char head[41], *why = NULL;
	int g = source_git_editor(a->site_dir, head, &why);
	free(why);
	char *real = realpath(a->site_dir, NULL);
	const char *name = real ? strrchr(real, '/') + 1 : a->site_dir;
	buf_puts(out, "{\"repo\":");
	put_str(out, name[0] ? name : "/");
	buf_puts(out, ",\"publish_modes\":[\"simple\"],\"type\":");
	/* a repository whose saves cannot be committed (no identity) is still git: the save says why */
	buf_puts(out, g != 0 ? "\"local_git\"}" : "\"local_fs\"}");
	free(real);
	return 200;
}

int
cmsapi_handle(struct cmsapi *a, const char *body, size_t len, struct buf *out)
{
	if (len > CMSAPI_MAX_BODY)
		return fail(out, 413, "the request is over %u MiB", CMSAPI_MAX_BODY >> 20);
	struct value *req = json_parse(body, len);
	if (req == NULL || req->type != VALUE_MAP) {
		value_free(req);
		return fail(out, 400, "the request is not JSON (an object, in UTF-8)");
	}
	const char *action = param_str(req, "action");
	const struct value *params = value_map_get(req, "params");
	if (params != NULL && params->type != VALUE_MAP)
		params = NULL;
	/* site.yaml as it is now: its default language names the editor's default file */
	char *yaml = fs_join(a->site_dir, "site.yaml");
	struct buf text = BUF_INIT;
	a->cfg = NULL;
	int rc = 0;
	if (fs_read_file(yaml, &text) < 0 || config_load("site.yaml", buf_str(&text), text.len, &a->cfg) < 0)
		rc = fail(out, 500, "site.yaml cannot be read; satchel serve shows why");
	else if (!cmsapi_enabled(a->cfg))
		rc = fail(out, 404, "the editor's local backend is off: site.yaml has no cms: (docs/cms.md)");
	else if (action == NULL)
		rc = fail(out, 422, "the request has no action");
	else if (strcmp(action, "info") == 0)
		rc = info(a, out);
	else if (strcmp(action, "entriesByFolder") == 0)
		rc = entries_by_folder(a, params, out);
	else if (strcmp(action, "entriesByFiles") == 0)
		rc = entries_by_files(a, params, out);
	else if (strcmp(action, "getEntry") == 0)
		rc = get_entry(a, params, out);
	else if (strcmp(action, "persistEntry") == 0)
		rc = persist_entry(a, params, out);
	else if (strcmp(action, "getMedia") == 0)
		rc = get_media(a, params, out);
	else if (strcmp(action, "getMediaFile") == 0)
		rc = get_media_file(a, params, out);
	else if (strcmp(action, "persistMedia") == 0)
		rc = persist_media(a, params, out);
	else if (strcmp(action, "deleteFile") == 0)
		rc = delete_files(a, params, out, 0);
	else if (strcmp(action, "deleteFiles") == 0)
		rc = delete_files(a, params, out, 1);
	else if (strcmp(action, "getDeployPreview") == 0) {
		buf_puts(out, "null");
		rc = 200;
	} else {
		char *valid = g_utf8_make_valid(action, -1);
		rc = fail(out, 422, "Unknown action %s", valid);
		g_free(valid);
	}
	config_free(a->cfg);
	a->cfg = NULL;
	buf_free(&text);
	free(yaml);
	value_free(req);
	return rc;
}
