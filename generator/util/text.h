/* text: control characters in UTF-8 text that comes from a site's files, and a string test. */
#ifndef SATCHEL_TEXT_H
#define SATCHEL_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* What text_controls found: how many, and the first one's code point and offset. */
struct text_controls {
	size_t count;
	uint32_t first_cp;
	size_t first_off; /* in the text as it was */
};

/* Replaces, in place, each control character of s[0..n) other than tab, LF and CR — C0
 * (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F, two bytes in UTF-8) — by one space, and
 * returns the new length (a C1 character's two bytes become one; s[new length] is then NUL). They are invisible, and HTML, XML and JSON forbid or must escape them
 * (an XML feed holding U+001C is not well-formed). Bytes that are not valid UTF-8 are left as
 * they are. When found is not NULL it says what was replaced. */
size_t text_controls_to_spaces(char *s, size_t n, struct text_controls *found);
/* The offset of the first such control character in s[0..n), or n when there is none. */
size_t text_find_control(const char *s, size_t n);

/* Does s end with suffix? */
int text_has_suffix(const char *s, const char *suffix);

#endif
