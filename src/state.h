/* state.h: the state file that lets a restarted tendd find the children
 * of a previous instance that was killed (kill -9, OOM) and make sure no
 * program ever runs twice.
 *
 * One line per live child, written atomically (temp file + rename):
 *	tend-state 1
 *	PID PGID STARTTIME NAME
 * STARTTIME is field 22 of /proc/PID/stat (clock ticks since boot), so a
 * recycled pid is never mistaken for our child. Parsing is strict and
 * bounded (a line longer than STATE_MAX_LINE is an error). */
#ifndef TEND_STATE_H
#define TEND_STATE_H

#include <sys/types.h>
#include <stddef.h>

#include "util.h"

#define STATE_MAGIC	"tend-state 1"
#define STATE_MAX_LINE	512
#define STATE_MAX_ENTRIES 1000000

struct state_entry {
	pid_t			 pid;
	pid_t			 pgid;
	unsigned long long	 starttime;
	char			*name;
};

struct state {
	struct state_entry	*v;
	size_t			 n;
};

/* Pure parts. */
void	 state_add(struct state *, pid_t, pid_t, unsigned long long,
	    const char *name);
void	 state_format(const struct state *, struct buf *);
/* Returns -1 with *err (a static reason) and the 1-based line in *line. */
int	 state_parse(const char *text, size_t len, struct state *,
	    const char **err, size_t *line);
void	 state_free(struct state *);
/* Field 22 of a /proc/PID/stat line (after the last ')'); 0 on error. */
unsigned long long state_stat_starttime(const char *stat);

/* I/O. */
unsigned long long state_proc_starttime(pid_t);	/* 0: gone */
int	 state_write(const char *path, const struct state *);	/* -1, errno */
int	 state_read(const char *path, struct state *, char *err, size_t);

#endif
