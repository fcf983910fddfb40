/* cli: table-driven options for every command, their --help and their "did you mean". */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/suggest.h"

void
cli_init(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv)
{
	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
}

static void
vreport(const struct cli_cmd *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "satchel %s: ", cmd->name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n(satchel %s --help lists what it takes)\n", cmd->name);
}

int
cli_error(struct cli_parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(p->cmd, fmt, ap);
	va_end(ap);
	return CLI_ERROR;
}

static int
nopts(const struct cli_cmd *cmd)
{
	int n = 0;
	while (cmd->opts != NULL && cmd->opts[n].id != 0)
		n++;
	return n;
}

/* "unknown option '--increment'; did you mean '--incremental'?" — compared without the
 * dashes, so "-increment" and "--increment" find the same name. */
static int
unknown_option(struct cli_parser *p, const char *arg, size_t len)
{
	struct buf word = BUF_INIT;
	const char *w = arg;
	while (*w == '-')
		w++;
	buf_add(&word, w, len - (size_t)(w - arg));
	int n = nopts(p->cmd);
	const char **cands = calloc((size_t)n + 2, sizeof *cands);
	if (cands == NULL)
		abort();
	int k = 0;
	for (int i = 0; i < n; i++)
		if (p->cmd->opts[i].long_name != NULL && p->cmd->opts[i].help != NULL)
			cands[k++] = p->cmd->opts[i].long_name;
	cands[k++] = "help";
	const char *best = suggest_closest(buf_str(&word), cands);
	if (best != NULL)
		cli_error(p, "unknown option '%.*s'; did you mean '--%s'?", (int)len, arg, best);
	else
		cli_error(p, "unknown option '%.*s'", (int)len, arg);
	free(cands);
	buf_free(&word);
	return CLI_ERROR;
}

/* The value of an option: the rest of its argument (inline), else the next argument. */
static int
take_value(struct cli_parser *p, const struct cli_opt *o, const char *inl, const char *as_written)
{
	if (inl != NULL) {
		p->value = inl;
		return o->id;
	}
	if (p->i >= p->argc)
		return cli_error(p, "%s needs a value (%s)", as_written, o->arg);
	p->value = p->argv[p->i++];
	return o->id;
}

int
cli_next(struct cli_parser *p)
{
	p->value = NULL;
	p->opt = NULL;
	if (p->i >= p->argc)
		return CLI_END;
	const char *a = p->argv[p->i++];
	if (p->only_args || a[0] != '-' || a[1] == '\0') {
		p->value = a;
		return CLI_ARG;
	}
	if (strcmp(a, "--") == 0) {
		p->only_args = 1;
		return cli_next(p);
	}
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		cli_usage(p->cmd, stdout);
		return CLI_HELP;
	}
	int n = nopts(p->cmd);
	if (a[1] == '-') {
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		for (int i = 0; i < n; i++) {
			const struct cli_opt *o = &p->cmd->opts[i];
			if (o->long_name == NULL || strlen(o->long_name) != len ||
			    memcmp(o->long_name, name, len) != 0)
				continue;
			p->opt = o;
			if (o->arg == NULL) {
				if (eq != NULL)
					return cli_error(p, "--%s takes no value", o->long_name);
				return o->id;
			}
			return take_value(p, o, eq ? eq + 1 : NULL, a);
		}
		return unknown_option(p, a, eq ? (size_t)(eq - a) : strlen(a));
	}
	for (int i = 0; i < n; i++) {
		const struct cli_opt *o = &p->cmd->opts[i];
		if (o->short_name == 0 || o->short_name != a[1])
			continue;
		p->opt = o;
		p->shortbuf[0] = '-';
		p->shortbuf[1] = a[1];
		if (o->arg == NULL) {
			if (a[2] != '\0')
				return cli_error(
				    p, "%s takes no value (write each option on its own: -%c -%c…)",
				    p->shortbuf, a[1], a[2]);
			return o->id;
		}
		return take_value(p, o, a[2] ? a + 2 : NULL, p->shortbuf);
	}
	return unknown_option(p, a, strlen(a));
}

/* How the option was written, for messages: "--jobs" or "-j". */
static const char *
shown(struct cli_parser *p)
{
	char *b = p->shown;
	if (p->opt != NULL && p->opt->long_name != NULL)
		snprintf(b, sizeof p->shown, "--%s", p->opt->long_name);
	else if (p->opt != NULL)
		snprintf(b, sizeof p->shown, "-%c", p->opt->short_name);
	else
		snprintf(b, sizeof p->shown, "the argument");
	return b;
}

int
cli_int(struct cli_parser *p, long min, long max, int *out)
{
	char *end = NULL;
	errno = 0;
	long v = p->value ? strtol(p->value, &end, 10) : 0;
	if (p->value == NULL || end == p->value || *end != '\0' || errno != 0 || v < min || v > max)
		return cli_error(p, "%s must be a whole number from %ld to %ld, not '%s'", shown(p),
		                 min, max, p->value ? p->value : "");
	*out = (int)v;
	return 0;
}

int
cli_choice(struct cli_parser *p, const char *const *words)
{
	struct buf all = BUF_INIT;
	for (int i = 0; words[i] != NULL; i++) {
		if (p->value != NULL && strcmp(p->value, words[i]) == 0) {
			buf_free(&all);
			return i;
		}
		buf_printf(&all, "%s%s", i == 0 ? "" : words[i + 1] ? ", " : " or ", words[i]);
	}
	const char *best = suggest_closest(p->value ? p->value : "", words);
	if (best != NULL)
		cli_error(p, "%s is %s, not '%s'; did you mean '%s'?", shown(p), buf_str(&all),
		          p->value ? p->value : "", best);
	else
		cli_error(p, "%s is %s, not '%s'", shown(p), buf_str(&all),
		          p->value ? p->value : "");
	buf_free(&all);
	return CLI_ERROR;
}

void
cli_wrap(FILE *f, const char *text, size_t col, size_t indent)
{
	const size_t width = 79;
	const char *p = text;
	while (*p) {
		size_t word = strcspn(p, " \n");
		if (col > indent && col + word > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		}
		fwrite(p, 1, word, f);
		col += word;
		p += word;
		if (*p == '\n') {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
			p++;
		} else if (*p == ' ') {
			p++;
			if (col + 1 + strcspn(p, " \n") <= width) {
				fputc(' ', f);
				col++;
			} else if (*p) {
				fprintf(f, "\n%*s", (int)indent, "");
				col = indent;
			}
		}
	}
	fputc('\n', f);
}

void
cli_usage(const struct cli_cmd *cmd, FILE *f)
{
	static const struct cli_opt help = {1, 'h', "help", NULL, "show this help"};
	fprintf(f, "usage: satchel %s%s%s\n\n", cmd->name,
	        cmd->synopsis && *cmd->synopsis ? " " : "", cmd->synopsis ? cmd->synopsis : "");
	cli_wrap(f, cmd->summary ? cmd->summary : "", 0, 0);
	fputs("\noptions:\n", f);
	int n = nopts(cmd);
	for (int i = 0; i <= n; i++) {
		const struct cli_opt *o = i < n ? &cmd->opts[i] : &help;
		if (o->help == NULL)
			continue;
		struct buf left = BUF_INIT;
		if (o->short_name)
			buf_printf(&left, "-%c%s", o->short_name, o->long_name ? ", " : "");
		else
			buf_puts(&left, "    ");
		if (o->long_name)
			buf_printf(&left, "--%s", o->long_name);
		if (o->arg)
			buf_printf(&left, " %s", o->arg);
		/* A long left column puts the help on its own line. */
		if (left.len > 22)
			fprintf(f, "  %s\n%25s", buf_str(&left), "");
		else
			fprintf(f, "  %-22s ", buf_str(&left));
		cli_wrap(f, o->help, 25, 25);
		buf_free(&left);
	}
	if (cmd->more != NULL)
		fprintf(f, "\n%s", cmd->more);
}
