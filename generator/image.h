/* image: what satchel needs to know of an image, through libvips: its size in pixels, read from
 * the header only (the pixels are never decoded). Pages give every <img> its width and height
 * so the layout does not jump while images load lazily. */
#ifndef SATCHEL_IMAGE_H
#define SATCHEL_IMAGE_H

#include <stddef.h>

/* Is path's extension one of the raster or vector formats pages show (png, jpg, jpeg, gif,
 * webp, svg)? */
int image_is_image(const char *path);
/* The width and height of the image in data; 0, or -1 when libvips cannot read its header. */
int image_size(const void *data, size_t len, int *width, int *height);
/* Releases libvips (call once, at exit, after the last image_size). */
void image_shutdown(void);

#endif
