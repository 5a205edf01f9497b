/* tendctl.h: what the rest of tendctl (the interactive shell) calls. */
#ifndef TEND_TENDCTL_H
#define TEND_TENDCTL_H

/* Send one command (argv[0] is the verb) to the tendd listening on fifo,
 * print its reply to stdout/stderr, and return tendctl's exit status. */
int	 ctl_run(const char *fifo, int argc, char **argv);

#endif
