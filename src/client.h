/* client.h: tendctl talking to tendd: one request, its reply printed. */
#ifndef TEND_CLIENT_H
#define TEND_CLIENT_H

struct buf;

/* Catch SIGINT, SIGTERM and SIGHUP (the reply FIFO is removed, a tail -f
 * ends), ignore SIGPIPE. Once, before the first client_run. */
void	 client_signals(void);
/* Send one command (argv[0] is the verb) to the tendd listening on fifo,
 * print its reply to stdout/stderr, and return tendctl's exit status. */
int	 client_run(const char *fifo, int argc, char **argv);
/* The same, quietly: stdout lines are appended to out, nothing printed. */
int	 client_run_capture(const char *fifo, int argc, char **argv,
	    struct buf *out);
/* Ctrl-C now leaves with status 0 (the shell's rule), not 130. */
void	 client_set_interactive(void);

#endif
