/* fs: the file-system chores of a build — safe relative paths, folders, whole-file reads and
 * writes, removing trees, and the atomic swap of the output folder. */
#ifndef SATCHEL_FS_H
#define SATCHEL_FS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Is p a relative path that stays below its root: not empty, no leading '/', no '\\', no NUL,
 * no "." or ".." component, no empty component? */
int fs_path_is_safe(const char *p);
/* Joins a and b with one '/'; the caller frees. */
char *fs_join(const char *a, const char *b);
/* Creates a folder and its parents (mode 0755). 0 or -1 with errno. */
int fs_mkdir_p(const char *path);
/* Appends everything readable from fd to out (out is left as it was on error). 0 or -1. */
int fs_read_fd(int fd, struct buf *out);
/* The same, but -1 with errno EFBIG, out as it was, once more than max bytes have come. */
int fs_read_fd_max(int fd, struct buf *out, uint64_t max);
/* Appends the whole file to out. 0 or -1 with errno. */
int fs_read_file(const char *path, struct buf *out);
/* Writes data to path, creating parent folders. 0 or -1 with errno. */
int fs_write_file(const char *path, const void *data, size_t len);
/* The same for a file that must not exist yet: -1 with errno EEXIST when it does. */
int fs_create_file(const char *path, const void *data, size_t len);
/* Copies a file, creating parent folders. 0 or -1 with errno. */
int fs_copy_file(const char *from, const char *to);
/* A hard link to from at to (parent folders made), else a copy. 0 or -1. */
int fs_link_or_copy(const char *from, const char *to);
/* Removes a file or a whole tree; a missing path is not an error. 0 or -1 with errno. */
int fs_rm_rf(const char *path);
int fs_is_dir(const char *path);
int fs_exists(const char *path);
/* Calls fn for every regular file below root (path relative to root), sorted by byte order.
 * A missing root gives no calls. Non-zero from fn stops the walk and is returned. */
int fs_walk(const char *root, int (*fn)(const char *rel, void *payload), void *payload);

/* Is this file name an editor's, never a site's: vim's probe file 4913 and swap files (.x.swp,
 * .x.swo, ...), backups (x~), Emacs's #x# and .#x, Kate's .kate-swp, JetBrains' ___jb_tmp___
 * and ___jb_old___, gedit's .goutputstream-*? A working tree is listed without them, and
 * satchel serve does not rebuild for them. */
int fs_editor_litter(const char *name);

#endif
