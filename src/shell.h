/* shell.h: tendctl's interactive mode (tendctl without a command). */
#ifndef TEND_SHELL_H
#define TEND_SHELL_H

/* Read commands at a "tend> " prompt and run each against the tendd at
 * fifo until quit, exit or end of input. Returns 0, always: supervisorctl's
 * interactive mode exits 0 whatever its commands returned. */
int	 shell_run(const char *fifo);

#endif
