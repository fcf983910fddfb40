/* cli: one command's options as a table, and the parser and the --help text made from it, so
 * that what a command accepts, what its help lists and what "did you mean" offers never drift
 * apart. It knows nothing of what the options do: the command reads them one by one.
 *
 *     static const struct cli_opt opts[] = {
 *         {OPT_SITE, 's', "site", "DIR", "the folder that holds site.yaml (default: .)"},
 *         {OPT_QUIET, 'q', "quiet", NULL, "no summary line"},
 *         {0},
 *     };
 *     static const struct cli_cmd cmd = {"build", "[options]", "build the site into public/", opts};
 *     struct cli_parser p;
 *     cli_init(&p, &cmd, argc, argv);           // argv[0] is the first argument after the command
 *     for (int id; (id = cli_next(&p)) != CLI_END;)
 *         switch (id) {
 *         case OPT_SITE: site = p.value; break;
 *         case OPT_QUIET: quiet = 1; break;
 *         case CLI_ARG: ...p.value is a positional argument...; break;
 *         case CLI_HELP: return 0;               // the help went to stdout
 *         default: return 2;                     // CLI_ERROR: reported on stderr
 *         }
 *
 * Accepted forms: -s DIR, -sDIR, --site DIR, --site=DIR, flags -q and --quiet; "--" ends the
 * options; "-h" and "--help" anywhere print the help. Everything printed is prefixed
 * "satchel CMD:". */
#ifndef SATCHEL_CLI_H
#define SATCHEL_CLI_H

#include <stdio.h>

struct cli_opt {
	int id;                /* what cli_next returns for it: 1 or more (0 ends the table) */
	char short_name;       /* 'j' for -j, or 0 */
	const char *long_name; /* "jobs" for --jobs, or NULL */
	const char *arg;       /* the value's name in the help ("N"), or NULL for a flag */
	const char *help;      /* one line for --help; NULL hides the option from it */
};

struct cli_cmd {
	const char *name;           /* "build", "new site" */
	const char *synopsis;       /* what follows the name in the usage line: "DIR [options]" */
	const char *summary;        /* one sentence for the help and `satchel help` */
	const struct cli_opt *opts; /* ended by an entry with id 0; may be NULL */
	const char *more;           /* text printed after the options (examples), or NULL */
};

#define CLI_END 0    /* no more arguments */
#define CLI_ARG -1   /* a positional argument, in p.value */
#define CLI_HELP -2  /* -h or --help: the help is printed on stdout; exit 0 */
#define CLI_ERROR -3 /* a usage error, reported on stderr with a suggestion; exit 2 */

struct cli_parser {
	const struct cli_cmd *cmd;
	int argc;
	char **argv;
	int i;                     /* the next argument */
	int only_args;             /* after "--" */
	const char *value;         /* the option's value or the positional argument; borrowed */
	const struct cli_opt *opt; /* the option cli_next returned, or NULL */
	char shortbuf[3];          /* "-x" for messages */
	char shown[80];            /* the option as written, for messages */
};

/* argv holds the arguments after the command's name (not the program or command name). */
void cli_init(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv);
/* The next option's id, CLI_ARG, CLI_END, CLI_HELP or CLI_ERROR (see above). */
int cli_next(struct cli_parser *p);
/* Reports `satchel CMD: MESSAGE` and the pointer to --help on stderr; returns CLI_ERROR, for
 * a command that finds a value wrong (`return cli_error(&p, "...")`). */
int cli_error(struct cli_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* p.value as a whole number from min to max into *out: 0, or CLI_ERROR after reporting. */
int cli_int(struct cli_parser *p, long min, long max, int *out);
/* p.value as one of the NULL-terminated words (its index), or CLI_ERROR after reporting the
 * words and the closest one. */
int cli_choice(struct cli_parser *p, const char *const *words);
/* Prints text from column col, words wrapped before column 80 onto lines indented by indent
 * spaces, and a newline. */
void cli_wrap(FILE *f, const char *text, size_t col, size_t indent);
/* The help: usage line, summary, options (with -h, --help), then cmd->more. */
void cli_usage(const struct cli_cmd *cmd, FILE *f);
#endif
