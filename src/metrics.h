/* metrics.h: tendd's state in the Prometheus text exposition format
 * (version 0.0.4), for `tendctl metrics` and metrics_file=.
 * Pure: the caller takes a snapshot, this only formats it. */
#ifndef TEND_METRICS_H
#define TEND_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "process.h"
#include "util.h"

/* One process, as the caller saw it. */
struct metrics_proc {
	const char		*name;		/* namespec shown by status */
	const char		*group;		/* its group (the program name
						 * when it has none) */
	enum proc_state		 state;
	long long		 start_time;	/* Unix time of the last spawn,
						 * 0: never spawned */
	unsigned long		 restarts;	/* spawns after the first */
	bool			 exited;	/* exit_status is meaningful */
	int			 exit_status;	/* last exit code, -1: a signal
						 * or an exit too quickly */
	unsigned long long	 dropped_stdout; /* log bytes lost */
	unsigned long long	 dropped_stderr;
	bool			 health;	/* it has a healthcheck= */
	int			 healthy;	/* -1: no probe result since
						 * its spawn, 0: failing,
						 * 1: passing */
	unsigned		 health_failures; /* failed probes in a row */
};

/* The daemon. */
struct metrics_daemon {
	const char		*version;	/* PACKAGE_VERSION */
	bool			 up;		/* false in the last file written
						 * before tendd exits */
};

/* Append the exposition of d and the n processes of procs to b: every
 * family with its HELP and TYPE lines, samples grouped by family, one
 * tend_process_state sample per state for each process (1 for its
 * state, 0 for the others). */
void	 metrics_format(struct buf *b, const struct metrics_daemon *d,
	    const struct metrics_proc *procs, size_t n);

/* Append s to b as a label value: backslash, double quote and line feed
 * escaped as \\, \" and \n. */
void	 metrics_label_value(struct buf *b, const char *s);

#endif
