/* pidmap.h: pid -> pointer, for the reaper.
 *
 * tendd reaps any child (one ev_child for pid 0) and has to find whose
 * child it was: a scan over every process costs O(N) per exit, which a
 * crash storm at N=10 000 turns into O(N^2). This is an open-addressing
 * table (linear probing, backward-shift deletion, at most half full):
 * O(1) per spawn and per exit, no tombstones to clean up. Pure: no
 * syscalls, so check_pidmap tests it without forking. */
#ifndef TEND_PIDMAP_H
#define TEND_PIDMAP_H

#include <stddef.h>
#include <sys/types.h>

struct pidmap_slot {
	pid_t	 pid;		/* 0: empty */
	void	*val;
};

struct pidmap {
	struct pidmap_slot	*v;	/* NULL until the first put */
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
};

/* A zeroed struct is an empty map; pidmap_free leaves it so. */
void	 pidmap_free(struct pidmap *);
/* Map pid (> 0) to val (not NULL), replacing an earlier value. */
void	 pidmap_put(struct pidmap *, pid_t, void *val);
/* The value of pid, or NULL. */
void	*pidmap_get(const struct pidmap *, pid_t);
/* Remove pid; its value, or NULL if it was not there. */
void	*pidmap_del(struct pidmap *, pid_t);

#endif
