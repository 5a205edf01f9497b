/* shell.h: tendctl's commands, one from the command line or many at the
 * interactive prompt (tendctl without a command). */
#ifndef TEND_SHELL_H
#define TEND_SHELL_H

/* Run one command: tendctl's own verbs (help, edit; quit and exit do
 * nothing) here, the others by the tendd at fifo. conf is the
 * configuration file (NULL with -s). Returns the exit status. */
int	 shell_command(const char *conf, const char *fifo, int argc,
	    char **argv);
/* Run the command of tendctl's arguments as supervisorctl does: joined
 * with spaces into one line, which is read as at the prompt
 * (verbs_parse_line), so that `tendctl "signal USR1" web` is `tendctl
 * signal USR1 web`. Only `edit` takes its arguments as given: a file name
 * may hold spaces. Returns the exit status. */
int	 shell_args(const char *conf, const char *fifo, int argc, char **argv);
/* Read commands at a "tend> " prompt and run each as shell_command does
 * until quit, exit or end of input. Returns 0, always: supervisorctl's
 * interactive mode exits 0 whatever its commands returned. */
int	 shell_run(const char *conf, const char *fifo);

#endif
