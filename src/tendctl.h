/* tendctl.h: what the rest of tendctl (the interactive shell) calls. */
#ifndef TEND_TENDCTL_H
#define TEND_TENDCTL_H

/* Send one command (argv[0] is the verb) to the tendd listening on fifo,
 * print its reply to stdout/stderr, and return tendctl's exit status. */
int	 ctl_run(const char *fifo, int argc, char **argv);
/* The same, quietly: stdout lines are appended to out, nothing printed. */
struct buf;
int	 ctl_run_capture(const char *fifo, int argc, char **argv,
	    struct buf *out);
/* Ctrl-C now leaves with status 0 (the shell's rule), not 130. */
void	 ctl_set_interactive(void);

#endif
