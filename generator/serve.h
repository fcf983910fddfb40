/* serve: `satchel serve`, the live preview an editor keeps open while writing. */
#ifndef SATCHEL_SERVE_H
#define SATCHEL_SERVE_H

#define SERVE_PORT 1414 /* the default port (Hugo's is 1313: both can run side by side) */
#define SERVE_PORT_TRIES 10 /* without a port given, the next ones are tried when one is taken */

struct serve_opts {
	const char *site_dir; /* NULL: "." */
	const char *bind;     /* NULL: 127.0.0.1, this computer only */
	int port;             /* -1: SERVE_PORT or one of the next free ones; 0: any free port */
	int nthreads;         /* 0: one per CPU */
	int quiet;            /* the address and errors only, not a line per rebuild */
};

/* Runs the preview until SIGINT or SIGTERM. Returns the exit status: 0 after Ctrl-C, 1 when
 * the server cannot start. */
int serve_run(const struct serve_opts *o);

#endif
