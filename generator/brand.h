/* brand: the stylesheet that carries site.yaml's brand_color, published as /css/brand.css so that
 * pages need no inline <style> and a Content-Security-Policy of style-src 'self' holds. */
#ifndef SATCHEL_BRAND_H
#define SATCHEL_BRAND_H

#include "util/buf.h"

/* Where the build publishes the stylesheet, relative to the output folder. */
#define BRAND_CSS_PATH "css/brand.css"

/* Appends the stylesheet: the custom properties --brand and --on-brand the theme's satchel.css
 * reads. color and fg are "#rrggbb" as config.c checked them (nothing else can reach CSS). */
void brand_css(struct buf *out, const char *color, const char *fg);

#endif
