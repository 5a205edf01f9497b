/* health.h: the probes of healthcheck=. tcp and http probes are a
 * non-blocking connect (and, for http, one request and the status line
 * of the answer) on libev watchers, inside tendd's loop: no fork. exec
 * probes are spawned like the program (by the function the owner gives)
 * and their process group is killed at the timeout. Below the
 * supervisor, as ready.c is: it knows probes, not processes; each result
 * goes to the function it was given, and healthstate.c says what it
 * means. One timer per probed process, none for the others. */
#ifndef TEND_HEALTH_H
#define TEND_HEALTH_H

#include <sys/types.h>
#include <ev.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "healthspec.h"

struct health;

/* A probe of owner ended: passed, or failed for why. */
typedef void	 health_done_fn(void *owner, bool ok, const char *why);
/* Spawn argv as owner's program would be (its user, directory,
 * environment), stdio on /dev/null: the pid, or -1 with why. */
typedef pid_t	 health_spawn_fn(void *owner, char *const *argv, char *why,
		    size_t len);

/* The probes of one process. Embedded in its owner. */
struct health_probe {
	struct health		*h;
	void			*owner;
	const struct program	*prog;		/* its healthcheck= */
	ev_timer		 timer;		/* the next probe, or the
						 * timeout of the one under
						 * way */
	ev_io			 io;		/* tcp, http: the socket (fd
						 * -1 when none) */
	pid_t			 pid;		/* exec: the probe, 0: none */
	bool			 active;	/* probes are scheduled */
	bool			 busy;		/* one is under way */
	double			 every;		/* seconds between probes */
	size_t			 sent;		/* http: request bytes sent */
	size_t			 got;		/* http: answer bytes read */
	char			 resp[HEALTHSPEC_HTTP_MAX];
};

/* The probes of loop: results go to done, exec probes are spawned by
 * spawn. */
struct health	*health_new(struct ev_loop *, health_done_fn *done,
		    health_spawn_fn *spawn);
/* Kill the exec probes still running, then free it. */
void		 health_free(struct health *);
/* A child was reaped: true when it was an exec probe (then its result
 * is given), false when it is none of ours. */
bool		 health_reaped(struct health *, pid_t pid, int status);

/* Set up the probes of owner, none scheduled. */
void		 health_probe_init(struct health_probe *, struct health *,
		    void *owner);
/* Probe prog's healthcheck= every `every` seconds, the first in
 * `first`; if probes are scheduled already, only the spacing changes
 * (from the next one on). */
void		 health_probe_run(struct health_probe *,
		    const struct program *prog, double every, double first);
/* prog, equal to the one probed (an update that left the program
 * unchanged), replaces it: the old one may be freed. The probe under
 * way goes on. */
void		 health_probe_retarget(struct health_probe *,
		    const struct program *prog);
/* No more probes: the one under way is dropped (an exec probe's group
 * killed). */
void		 health_probe_stop(struct health_probe *);

#endif
