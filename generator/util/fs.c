/* fs: file-system chores for a build. */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sort.h"
#include "xalloc.h"

int
fs_path_is_safe(const char *p)
{
	if (p == NULL || *p == '\0' || *p == '/')
		return 0;
	if (strchr(p, '\\') != NULL)
		return 0;
	const char *s = p;
	for (;;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		if (e == NULL)
			return 1;
		s = e + 1;
	}
}

char *
fs_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	if (la == 0)
		return xstrdup(b);
	if (*b == '\0')
		return xstrdup(a);
	return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

int
fs_mkdir_p(const char *path)
{
	/* Deepest first: a build makes folders below ones that mostly exist already. */
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	const char *slash = strrchr(path, '/');
	if (slash == NULL || slash == path)
		return -1;
	char *parent = xstrndup(path, (size_t)(slash - path));
	int rc = fs_mkdir_p(parent);
	free(parent);
	if (rc < 0)
		return -1;
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

int
fs_read_fd_max(int fd, struct buf *out, uint64_t max)
{
	size_t start = out->len;
	struct stat st;
	/* The whole file and a byte more, for the read that finds the end: growing by a fixed step
	 * beyond that would keep every small file read in a buffer of 128 KB (buf_grow doubles). */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= max)
		buf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		if (out->cap < out->len + 2)
			buf_grow(out, 65536);
		ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0 && out->len + (size_t)n - start > max) {
			n = -1;
			errno = EFBIG;
		}
		if (n < 0) {
			out->len = start;
			out->data[start] = '\0';
			return -1;
		}
		if (n == 0) {
			out->data[out->len] = '\0'; /* an empty file too */
			return 0;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
}

int
fs_read_fd(int fd, struct buf *out)
{
	return fs_read_fd_max(fd, out, UINT64_MAX);
}

int
fs_read_file(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fs_read_fd(fd, out);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int
mkparent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL || slash == path)
		return 0;
	char *dir = xstrndup(path, (size_t)(slash - path));
	int rc = fs_mkdir_p(dir);
	free(dir);
	return rc;
}

static int
write_file(const char *path, const void *data, size_t len, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	if (fd < 0 && errno == ENOENT) {
		if (mkparent(path) < 0)
			return -1;
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	}
	if (fd < 0)
		return -1;
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

int
fs_write_file(const char *path, const void *data, size_t len)
{
	return write_file(path, data, len, O_TRUNC);
}

int
fs_create_file(const char *path, const void *data, size_t len)
{
	return write_file(path, data, len, O_EXCL);
}

int
fs_link_or_copy(const char *from, const char *to)
{
	if (link(from, to) == 0)
		return 0;
	if (errno == ENOENT && mkparent(to) == 0 && link(from, to) == 0)
		return 0;
	return fs_copy_file(from, to);
}

int
fs_copy_file(const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	int rc = fs_read_file(from, &b);
	if (rc == 0)
		rc = fs_write_file(to, b.data ? b.data : "", b.len);
	buf_free(&b);
	return rc;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int
fs_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int
fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
fs_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

struct names {
	char **v;
	size_t len, cap;
};

static void
names_add(struct names *n, char *s)
{
	if (n->len == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 64;
		n->v = xrealloc(n->v, n->cap * sizeof *n->v);
	}
	n->v[n->len++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
collect(const char *root, const char *rel, struct names *out, int depth)
{
	char *dir = *rel ? fs_join(root, rel) : xstrdup(root);
	DIR *d = opendir(dir);
	if (d == NULL) {
		free(dir);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *r = *rel ? fs_join(rel, de->d_name) : xstrdup(de->d_name);
		/* The entry's type as the folder gives it (no lstat per file), or asked when it
		 * gives none; a link is neither a folder nor a file here. */
		int type = de->d_type;
		if (type == DT_UNKNOWN) {
			char *full = fs_join(root, r);
			struct stat st;
			type = lstat(full, &st) < 0 ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR
			       : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
			free(full);
		}
		if (type == DT_DIR && depth < 64) {
			collect(root, r, out, depth + 1);
			free(r);
		} else if (type == DT_REG) {
			names_add(out, r);
		} else {
			free(r);
		}
	}
	closedir(d);
	free(dir);
}

int
fs_walk(const char *root, int (*fn)(const char *rel, void *payload), void *payload)
{
	struct names n = {0};
	int rc = 0;
	collect(root, "", &n, 0);
	sort_array(n.v, n.len, sizeof *n.v, cmp_str);
	for (size_t i = 0; i < n.len; i++) {
		if (rc == 0)
			rc = fn(n.v[i], payload);
		free(n.v[i]);
	}
	free(n.v);
	return rc;
}

int
fs_editor_litter(const char *name)
{
	size_t n = strlen(name);
	if (strcmp(name, "4913") == 0 || n == 0 || name[n - 1] == '~')
		return 1;
	if (name[0] == '#' || strncmp(name, ".#", 2) == 0 || strncmp(name, ".goutputstream-", 15) == 0)
		return 1;
	if (n > 4 && name[0] == '.' && strncmp(name + n - 4, ".sw", 3) == 0 && name[n - 1] >= 'a' &&
	    name[n - 1] <= 'z')
		return 1;
	if (n > 5 && strcmp(name + n - 5, ".swpx") == 0)
		return 1;
	return strstr(name, "___jb_tmp___") != NULL || strstr(name, "___jb_old___") != NULL ||
	       (n > 9 && strcmp(name + n - 9, ".kate-swp") == 0);
}
