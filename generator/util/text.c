/* text: control characters in UTF-8 text that comes from a site's files, and a string test. */
#include "util/text.h"

#include <string.h>

/* The length of the control character at s (at most n bytes) that goes, or 0. */
static size_t
control_at(const unsigned char *s, size_t n, uint32_t *cp)
{
	if ((s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r') || s[0] == 0x7f) {
		*cp = s[0];
		return 1;
	}
	if (s[0] == 0xc2 && n >= 2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*cp = s[1];
		return 2;
	}
	return 0;
}

size_t
text_find_control(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	for (size_t i = 0; i < n; i++)
		if ((u[i] < 0x20 || u[i] == 0x7f || u[i] == 0xc2) && control_at(u + i, n - i, &cp) > 0)
			return i;
	return n;
}

size_t
text_controls_to_spaces(char *s, size_t n, struct text_controls *found)
{
	size_t i = text_find_control(s, n), o = i, count = 0;
	unsigned char *u = (unsigned char *)s;
	uint32_t cp;
	if (found != NULL)
		*found = (struct text_controls){0, 0, n};
	if (i == n)
		return n;
	while (i < n) {
		size_t k = (u[i] < 0x20 || u[i] == 0x7f || u[i] == 0xc2) ? control_at(u + i, n - i, &cp) : 0;
		if (k == 0) {
			u[o++] = u[i++];
			continue;
		}
		if (count++ == 0 && found != NULL) {
			found->first_cp = cp;
			found->first_off = i;
		}
		u[o++] = ' ';
		i += k;
	}
	if (found != NULL)
		found->count = count;
	if (o < n)
		s[o] = '\0'; /* a NUL-terminated text stays one */
	return o;
}

int
text_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}
