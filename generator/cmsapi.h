/* cmsapi: the local backend of the browser editor (Decap CMS) — the protocol decap-server's
 * local proxy speaks at POST /api/v1 (actions info, entriesByFolder, entriesByFiles, getEntry,
 * persistEntry, getMedia, getMediaFile, persistMedia, deleteFile, deleteFiles,
 * getDeployPreview), answered from the site's own folder. Owns the JSON of the requests and
 * answers, which files a request may read or write (the build's path rules: entries are .md
 * under content/, media the types the build publishes under content/ or static/uploads/, never
 * a symbolic link anywhere on the way), the default language's file name (DIR/index.md is shown
 * to the editor as DIR/index.DEFAULT.md), translated_from, and one git commit per save (through
 * source.c). HTTP, who may call (loopback, Host, Origin) and when rebuilds run are serve.c's.
 * Not thread-safe: the caller runs one request at a time. */
#ifndef SATCHEL_CMSAPI_H
#define SATCHEL_CMSAPI_H

#include <stddef.h>

#include "util/buf.h"

struct config;
struct cmsapi;

/* The biggest request body answered (an upload is base64 in JSON: about 48 MiB of file). */
#define CMSAPI_MAX_BODY (64u << 20)

/* An API for the site in site_dir (copied). Never NULL. */
struct cmsapi *cmsapi_new(const char *site_dir);
void cmsapi_free(struct cmsapi *a);

/* Does the site want the editor's local backend? */
int cmsapi_enabled(const struct config *cfg);

/* Answers one request: body is its JSON (len bytes, not NUL-terminated). out gets the JSON
 * answer (appended); the return value is the HTTP status: 200, 4xx with {"error": why} for a
 * request refused (400 not JSON, 409 a save git cannot commit, 413 too big, 422 a bad or
 * refused parameter, a path the build would refuse, an unknown action), 500 for a failure. */
int cmsapi_handle(struct cmsapi *a, const char *body, size_t len, struct buf *out);

#endif
