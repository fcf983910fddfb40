/* image: libvips, header only. */
#include "image.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <vips/vips.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ready;

static void
init(void)
{
	ready = VIPS_INIT("satchel") == 0;
	if (ready) {
		/* Partner content is not trusted: only the loaders libvips marks safe, and no cache. */
		vips_block_untrusted_set(TRUE);
		/* ... but logos are SVG: librsvg reads them (without fetching anything). */
		vips_operation_block_set("VipsForeignLoadSvg", FALSE);
		vips_cache_set_max(0);
	}
}

int
image_is_image(const char *path)
{
	static const char *const exts[] = {"png", "jpg", "jpeg", "gif", "webp", "svg"};
	const char *dot = strrchr(path, '.');
	if (dot == NULL || strchr(dot, '/') != NULL)
		return 0;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (strcasecmp(dot + 1, exts[i]) == 0)
			return 1;
	return 0;
}

int
image_size(const void *data, size_t len, int *width, int *height)
{
	pthread_once(&once, init);
	if (!ready || len == 0)
		return -1;
	VipsImage *im = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (im == NULL) {
		vips_error_clear();
		return -1;
	}
	*width = vips_image_get_width(im);
	*height = vips_image_get_height(im);
	g_object_unref(im);
	return *width > 0 && *height > 0 ? 0 : -1;
}

void
image_shutdown(void)
{
	if (ready)
		vips_shutdown();
}
