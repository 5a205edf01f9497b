/* state.h: the state file that lets a restarted tendd find the children
 * of a previous instance that was killed (kill -9, OOM) and make sure no
 * program ever runs twice.
 *
 * One line per live child, written atomically (temp file + rename):
 *	tend-state 1
 *	PID PGID STARTTIME NAME
 * STARTTIME is field 22 of /proc/PID/stat (clock ticks since boot), so a
 * recycled pid is never mistaken for our child. Parsing is strict and
 * bounded (a line longer than STATE_MAX_LINE is an error).
 *
 * The file names processes root will kill, so it is trusted only as
 * tendd's own (issue 12): written 0600 through safe_replace, read only if
 * safe_open finds it tendd's user's, mode 0600, regular with one link, in
 * a directory nobody else can write; and an entry is acted on only while
 * state_orphan_ours() holds (a group leader with the recorded start
 * time). */
#ifndef TEND_STATE_H
#define TEND_STATE_H

#include <sys/types.h>
#include <stdbool.h>
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
/* May the process group of entry e be killed as an orphan of ours, given
 * what the system says now (getpgid(e->pid), state_proc_starttime(e->pid))?
 * Only a group leader tendd made: pid == recorded pgid == its pgid now,
 * and the start time recorded (not 0: gone). */
bool	 state_orphan_ours(const struct state_entry *, pid_t pgid_now,
	    unsigned long long start_now);

/* I/O. */
unsigned long long state_proc_starttime(pid_t);	/* 0: gone */
/* Replace the file (mode 0600, through safe_replace); -1 with errno. */
int	 state_write(const char *path, const struct state *);
/* 1: no file; 0: read; -1 with err: unreadable, malformed, or refused
 * (not tendd's user's regular file with mode 0600 and one link, in a
 * directory only root or tendd's user can write: safe_open). */
int	 state_read(const char *path, struct state *, char *err, size_t);

#endif
