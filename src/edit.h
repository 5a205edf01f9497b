/* edit.h: tendctl edit, visudo-style editing of the configuration. */
#ifndef TEND_EDIT_H
#define TEND_EDIT_H

/* tendctl edit [-y] [NAME|FILE]: conf is the main configuration file,
 * fifo the control FIFO (for reread/update). Returns the exit status. */
int	 edit_run(const char *conf, const char *fifo, int argc, char **argv);

#endif
