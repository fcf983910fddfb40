/* serve: `satchel serve`, the live preview an editor keeps open while writing. */
#ifndef SATCHEL_SERVE_H
#define SATCHEL_SERVE_H

/* Runs `satchel serve` with the arguments that follow the word "serve" (argv[0] is the first
 * option, not the program). Returns the exit status: 0 after Ctrl-C (SIGINT or SIGTERM), 2 for
 * a usage error, 1 when the server cannot start. */
int serve_main(int argc, char **argv);

#endif
