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

struct handover;
struct handover_proc;

/* Set up the pools of sv's configuration (before anything is spawned):
 * PROCESS_GROUP_ADDED for every group, as supervisord at its start;
 * not after a live re-exec (handed), whose old image told them. */
void		 listener_init(struct supervisor *, bool handed);
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

/* Live re-exec: the listener state of sp (its pipes, its protocol
 * state, the event it has and what is left to write of it) into hp, and
 * the pools' (their serials, their buffered events, the daemon's next
 * serial) into h; and back in the new image: listener_adopt_proc for
 * each process taken over, then listener_adopt, which sends what can be
 * sent. listener_drop closes the pipes of a record nobody takes. */
void		 listener_export_proc(const struct sv_proc *,
		    struct handover_proc *);
void		 listener_export(const struct supervisor *, struct handover *);
void		 listener_adopt_proc(struct sv_proc *,
		    const struct handover_proc *);
void		 listener_adopt(struct supervisor *, const struct handover *);
void		 listener_drop(const struct handover_proc *);

#endif
