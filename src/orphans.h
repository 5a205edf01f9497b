/* orphans.h: the state file (the pid, process group and start time of
 * every live child, written atomically) and, at start, the orphans a
 * killed tendd left running, read back from it and stopped. */
#ifndef TEND_ORPHANS_H
#define TEND_ORPHANS_H

struct supervisor;

/* Set up (tendd.c, after supervisor_new) and tear down (before
 * supervisor_free) the writer. */
void		 orphans_init(struct supervisor *);
void		 orphans_free(struct supervisor *);
/* A child was spawned (the supervisor's spawned hook): write the state
 * file before the loop sleeps. */
void		 orphans_record(struct supervisor *);
/* Kill what a killed previous instance left running (from the state
 * file), before anything is started. */
void		 supervisor_reap_orphans(struct supervisor *);

#endif
