/* healthstate.h: what the results of a process's health probes mean:
 * the start period, failures in a row against healthcheck_retries, when
 * to act, and the words for the log and status. Pure: health.c runs the
 * probes, the supervisor carries out what this decides. */
#ifndef TEND_HEALTHSTATE_H
#define TEND_HEALTHSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* The health of one process since its spawn: all of it, in one struct
 * that a re-exec hands over as it is. */
struct health_state {
	int		 healthy;	/* -1: no result since the spawn (or no
					 * check), 0: failing, 1: passing */
	unsigned	 failures;	/* failed probes in a row that count */
	unsigned long	 probes;	/* probes since the spawn */
	double		 start_end;	/* monotonic end of the start period */
	bool		 started;	/* the start period is over (it ends
					 * early at the first pass) */
	bool		 reported;	/* "unhealthy:" was logged for this
					 * run of failures */
	bool		 restart;	/* a restart for health is under way:
					 * start again once stopped */
	char		 why[200];	/* the last failure */
};

/* What the caller must do after a result. */
enum {
	HEALTH_READY = 1 << 0,		/* it passed: a process STARTING under
					 * ready_on=healthcheck is RUNNING */
	HEALTH_RESTART = 1 << 1,	/* stop it gracefully, then start it */
	HEALTH_CHANGED = 1 << 2,	/* what status says of it changed */
};

struct health_out {
	unsigned	 flags;
	unsigned	 nlog;
	struct {
		int	 level;		/* LOG_LVL_* */
		char	 text[320];
	}		 log[2];
};

/* The process was spawned at now (monotonic): no results yet, the start
 * period begins. Keeps a restart under way. */
void		 healthstate_begin(struct health_state *,
		    const struct program *, double now);
/* No probe runs any more (the process left RUNNING/STARTING): no
 * health to show. */
void		 healthstate_end(struct health_state *);
/* A probe of process name ended at now: passed (ok), or failed for why. */
void		 healthstate_result(struct health_state *,
		    const struct program *, const char *name, double now,
		    bool ok, const char *why, struct health_out *);
/* What status adds after "pid 12, uptime 0:03:00": "" while it passes
 * (so the line stays supervisord's), else "unhealthy (2 of 3 failed:
 * connection refused)". */
void		 healthstate_describe(const struct health_state *,
		    const struct program *, char *out, size_t len);

#endif
