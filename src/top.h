/* top.h: `tendctl top`, a live view of tendd's processes: their state,
 * and the CPU% and memory of each one's process tree, sampled from
 * /proc by tendctl (tendd does nothing for it but status --json). */
#ifndef TEND_TOP_H
#define TEND_TOP_H

/* argv[0] is "top"; returns tendctl's exit status. */
int	 top_run(const char *fifo, int argc, char **argv);

#endif
