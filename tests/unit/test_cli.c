/* Tests for cli: options read from a table in every written form, usage errors with the closest
 * option, and the help made from the same table. */
#include "cli.h"
#include "test.h"

enum { O_SITE = 1, O_JOBS, O_QUIET, O_INCREMENTAL, O_FORMAT };

static const struct cli_opt opts[] = {
    {O_SITE, 's', "site", "DIR", "the folder that holds site.yaml"},
    {O_JOBS, 'j', "jobs", "N", "worker threads"},
    {O_QUIET, 'q', "quiet", NULL, "no summary line"},
    {O_INCREMENTAL, 0, "incremental", NULL, "re-render only what changed"},
    {O_FORMAT, 0, "format", "text|json", NULL}, /* accepted, not listed */
    {0},
};
static const struct cli_cmd cmd = {"build", "[options]", "Builds the site.", opts, "more text\n"};

/* Parses argv (NULL-terminated) into a string of "id=value" and "arg=value" items; the last
 * code returned (CLI_END, CLI_HELP or CLI_ERROR) in *last. What it printed goes to *err. */
static char *
run(char **argv, int *last, char **err)
{
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	struct cli_parser p;
	struct buf b = BUF_INIT;
	cli_init(&p, &cmd, argc, argv);
	test_capture_start();
	int id;
	while ((id = cli_next(&p)) > 0 || id == CLI_ARG)
		buf_printf(&b, "%s%d=%s", b.len ? " " : "", id, p.value ? p.value : "-");
	*err = test_capture_end();
	*last = id;
	return buf_detach(&b);
}

TEST(test_every_written_form_of_an_option)
{
	char *argv[] = {"-s", "a", "--site", "b", "--site=c", "-sd", "-j4", "--jobs", "2", "-q",
	                "--incremental", "pos", "--", "-q", NULL};
	int last;
	char *err, *got = run(argv, &last, &err);
	CHECK_STR(got, "1=a 1=b 1=c 1=d 2=4 2=2 3=- 4=- -1=pos -1=-q");
	CHECK(last == CLI_END);
	CHECK_STR(err, "");
	free(got);
	free(err);
}

TEST(test_unknown_option_names_the_closest)
{
	char *argv[] = {"--increment", NULL};
	int last;
	char *err, *got = run(argv, &last, &err);
	CHECK(last == CLI_ERROR);
	CHECK_CONTAINS(err, "satchel build: unknown option '--increment'; did you mean '--incremental'?");
	CHECK_CONTAINS(err, "satchel build --help");
	free(got);
	free(err);
	char *argv2[] = {"--zzzzzzzz=1", NULL};
	got = run(argv2, &last, &err);
	CHECK(last == CLI_ERROR);
	CHECK_STR(err, "satchel build: unknown option '--zzzzzzzz'\n(satchel build --help lists what it "
	               "takes)\n");
	free(got);
	free(err);
	/* A hidden option is accepted but never suggested. */
	char *argv3[] = {"--formt", NULL};
	got = run(argv3, &last, &err);
	CHECK(last == CLI_ERROR);
	CHECK_NOT_CONTAINS(err, "did you mean");
	free(got);
	free(err);
}

TEST(test_values_are_checked)
{
	int last;
	char *err, *got;
	char *argv[] = {"--site", NULL};
	got = run(argv, &last, &err);
	CHECK(last == CLI_ERROR);
	CHECK_CONTAINS(err, "--site needs a value (DIR)");
	free(got);
	free(err);
	char *argv2[] = {"--quiet=yes", NULL};
	got = run(argv2, &last, &err);
	CHECK(last == CLI_ERROR);
	CHECK_CONTAINS(err, "--quiet takes no value");
	free(got);
	free(err);
	char *argv3[] = {"-x", NULL};
	got = run(argv3, &last, &err);
	CHECK(last == CLI_ERROR);
	CHECK_CONTAINS(err, "unknown option '-x'");
	free(got);
	free(err);
}

TEST(test_int_and_choice)
{
	static const char *const words[] = {"text", "json", NULL};
	char *argv[] = {"-j", "12", "--jobs", "x", "--format", "json", "--format", "jsn", NULL};
	struct cli_parser p;
	int n = 0;
	cli_init(&p, &cmd, 8, argv);
	test_capture_start();
	CHECK(cli_next(&p) == O_JOBS && cli_int(&p, 0, 64, &n) == 0 && n == 12);
	CHECK(cli_next(&p) == O_JOBS && cli_int(&p, 0, 64, &n) == CLI_ERROR && n == 12);
	CHECK(cli_next(&p) == O_FORMAT && cli_choice(&p, words) == 1);
	CHECK(cli_next(&p) == O_FORMAT && cli_choice(&p, words) == CLI_ERROR);
	CHECK(cli_next(&p) == CLI_END);
	char *err = test_capture_end();
	CHECK_CONTAINS(err, "--jobs must be a whole number from 0 to 64, not 'x'");
	CHECK_CONTAINS(err, "--format is text or json, not 'jsn'; did you mean 'json'?");
	free(err);
}

TEST(test_help_is_made_from_the_table)
{
	char *argv[] = {"-s", "x", "--help", NULL};
	struct cli_parser p;
	FILE *f = tmpfile();
	int saved = dup(1);
	fflush(stdout);
	dup2(fileno(f), 1);
	cli_init(&p, &cmd, 3, argv);
	int a = cli_next(&p), b = cli_next(&p);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	CHECK(a == O_SITE && b == CLI_HELP);
	struct buf out = BUF_INIT;
	char chunk[4096];
	size_t n;
	rewind(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&out, chunk, n);
	fclose(f);
	CHECK_CONTAINS(buf_str(&out), "usage: satchel build [options]\n\nBuilds the site.\n");
	CHECK_CONTAINS(buf_str(&out), "  -s, --site DIR         the folder that holds site.yaml\n");
	CHECK_CONTAINS(buf_str(&out), "      --incremental      re-render only what changed\n");
	CHECK_CONTAINS(buf_str(&out), "  -h, --help             show this help\n");
	CHECK_CONTAINS(buf_str(&out), "\nmore text\n");
	CHECK_NOT_CONTAINS(buf_str(&out), "--format");
	buf_free(&out);
}

int
main(void)
{
	RUN(test_every_written_form_of_an_option);
	RUN(test_unknown_option_names_the_closest);
	RUN(test_values_are_checked);
	RUN(test_int_and_choice);
	RUN(test_help_is_made_from_the_table);
	return TEST_END();
}
