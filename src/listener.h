/* listener.h: supervisord's event listeners, run: the pools of the
 * [eventlistener:NAME] sections, the events the supervisor's hooks make
 * (process states, output, ticks, supervisor and group changes), and the
 * pipes to each listener process (its stdin gets the events, its stdout
 * says READY and RESULT). The text and the protocol are event.c's; this
 * is the I/O around them, on libev watchers, never blocking. */
#ifndef TEND_LISTENER_H
#define TEND_LISTENER_H

#include <stdbool.h>
#include <stddef.h>

#include "supervisor.h"

/* Set up the pools of sv's configuration (before anything is spawned):
 * PROCESS_GROUP_ADDED for every group, as supervisord at its start. */
void		 listener_init(struct supervisor *);
/* Free the pools and every listener's pipes (before supervisor_free). */
void		 listener_free(struct supervisor *);

/* The hooks (struct sv_hooks): see supervisor.h. */
void		 listener_state(struct sv_proc *, const struct proc_trans *);
int		 listener_stdio(struct sv_proc *, int *in, int *out, char *why,
		    size_t len);
void		 listener_output(struct sv_proc *, bool err, const char *data,
		    size_t len);
/* sp is about to be freed (from the forget hook). */
void		 listener_forget(struct sv_proc *);
/* The configuration may have changed (from the changed hook): pools
 * follow it, and groups added or removed are told. */
void		 listener_changed(struct supervisor *);
/* SUPERVISOR_STATE_CHANGE_RUNNING (running) or _STOPPING. */
void		 listener_supervisor_state(struct supervisor *, bool running);

#endif
