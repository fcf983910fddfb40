/* brand: the stylesheet that carries site.yaml's brand_color (see brand.h). */
#include "brand.h"

void
brand_css(struct buf *out, const char *color, const char *fg)
{
	buf_printf(out, "/* site.yaml brand_color, with the text colour satchel chose to read on it */\n"
	           ":root{--brand:%s;--on-brand:%s}\n", color, fg);
}
