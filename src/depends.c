/* depends.c: depends_on=. Before each spawn the gate looks at the
 * processes of the programs named: all RUNNING, spawn; some on their way,
 * wait (STARTING without a pid, said in status); one FATAL or unknown,
 * the start fails as a spawn error does. The verdict is an input of the
 * state machine (proc_deps). Waiters are looked at again from the loop
 * after any change of state, through a per-program summary rather than a
 * scan per waiter. At shutdown, processes that others still running
 * depend on stop last. */
#include "autoconfig.h"

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "depends.h"
#include "log.h"
#include "supervisor.h"
#include "util.h"

struct depends {
	ev_timer	 timer;		/* a state changed while processes
					 * wait: look again from the loop */
	size_t		 nwait;		/* processes with dep_wait */
};

/* Is there a [program:name] in the current configuration? */
static bool
depends_has_program(const struct supervisor *sv, const char *name)
{
	size_t	i;

	for (i = 0; i < sv->config->nprogs; i++)
		if (strcmp(sv->config->progs[i].program_name, name) == 0)
			return true;
	return false;
}

/* Can sp be spawned: are all the processes of the programs it depends on
 * RUNNING? On the first look (start) those that are stopped are started
 * (not FATAL ones: tend gave up on them, and so does sp); later looks
 * start only those that never ran (added by an update meanwhile), so
 * that "tendctl stop db" is not undone behind the user's back. The name
 * of one that failed, or that is in no configuration, goes to why. */
static enum proc_deps
depends_look(struct sv_proc *sp, bool first, char *why, size_t len)
{
	struct supervisor	*sv = sp->sv;
	const struct strlist	*deps = &sp->p.prog->depends_on;
	enum proc_deps		 r = PROC_DEPS_READY;
	size_t			 k, i;
	bool			 found;

	for (k = 0; k < deps->n; k++) {
		found = false;
		for (i = 0; i < sv->nprocs; i++) {
			struct sv_proc	*q = sv->procs[i];

			if (q->removing || strcmp(q->p.prog->program_name,
			    deps->v[k]) != 0)
				continue;
			found = true;
			if (q->p.state == PROC_RUNNING)
				continue;
			if (q->p.state == PROC_FATAL) {
				(void)snprintf(why, len, "dependency %s is "
				    "FATAL", q->p.name);
				return PROC_DEPS_FAILED;
			}
			r = PROC_DEPS_WAIT;
			if ((first || q->p.start_wall == 0) &&
			    proc_is_stopped_state(q->p.state) &&
			    !sv->shutting_down) {
				log_info("%s: starting %s, which it depends "
				    "on", sp->p.name, q->p.name);
				(void)supervisor_start(q);
			}
		}
		/* one an update is adding now comes with its group */
		if (!found && depends_has_program(sv, deps->v[k]))
			r = PROC_DEPS_WAIT;
		else if (!found) {
			(void)snprintf(why, len, "dependency %s is not in the "
			    "configuration", deps->v[k]);
			return PROC_DEPS_FAILED;
		}
	}
	return r;
}

/* sp no longer waits. */
static void
depends_unwait(struct sv_proc *sp)
{
	if (sp->dep_wait) {
		sp->dep_wait = false;
		sp->sv->deps->nwait--;
	}
}

/* See depends.h. The look is an input of the state machine (proc_deps),
 * which says whether to spawn, wait or fail. */
bool
depends_gate(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;
	struct proc_actions	 a;
	enum proc_deps		 deps = PROC_DEPS_READY;
	char			 why[256];
	bool			 spawn;

	if (sp->p.prog->depends_on.n == 0 && !sp->dep_wait)
		return true;
	why[0] = '\0';
	if (sp->p.prog->depends_on.n > 0)	/* none: an update took them */
		deps = depends_look(sp, !sp->dep_wait, why, sizeof(why));
	spawn = proc_deps(&sp->p, deps, sp->dep_wait, why, supervisor_now(sv),
	    time(NULL), &a);
	if ((a.flags & PA_DEPWAIT) && !sp->dep_wait) {
		sp->dep_wait = true;
		sv->deps->nwait++;
	} else if (!(a.flags & PA_DEPWAIT))
		depends_unwait(sp);
	supervisor_apply(sp, &a);
	return spawn;
}

/* Per [program:] name, for the waiters' look: are all its processes
 * RUNNING, and is there one the gate must act on (FATAL, or stopped
 * without ever having run)? */
struct depends_sum {
	const char	*name;
	bool		 all_running;
	bool		 decisive;
};

static int
depends_sum_cmp(const void *a, const void *b)
{
	return strcmp(((const struct depends_sum *)a)->name,
	    ((const struct depends_sum *)b)->name);
}

/* The summary of every program, sorted by name; *n entries. */
static struct depends_sum *
depends_sum_build(struct supervisor *sv, size_t *n)
{
	struct depends_sum	*v = xcalloc(sv->nprocs + 1, sizeof(*v));
	size_t			 i, k = 0;

	for (i = 0; i < sv->nprocs; i++) {
		const struct sv_proc	*q = sv->procs[i];

		if (q->removing)
			continue;
		v[k].name = q->p.prog->program_name;
		v[k].all_running = q->p.state == PROC_RUNNING;
		v[k].decisive = q->p.state == PROC_FATAL ||
		    (q->p.start_wall == 0 && proc_is_stopped_state(q->p.state));
		k++;
	}
	qsort(v, k, sizeof(*v), depends_sum_cmp);
	*n = 0;
	for (i = 0; i < k; i++) {
		if (*n > 0 && strcmp(v[*n - 1].name, v[i].name) == 0) {
			v[*n - 1].all_running &= v[i].all_running;
			v[*n - 1].decisive |= v[i].decisive;
		} else
			v[(*n)++] = v[i];
	}
	return v;
}

/* Must the gate look at sp again: could it go on, or fail? A waiter whose
 * dependencies are all still on their way is skipped: a cold start of
 * many programs changes states often while others wait. */
static bool
depends_sum_worth(const struct sv_proc *sp, const struct depends_sum *v,
    size_t n)
{
	const struct strlist		*deps = &sp->p.prog->depends_on;
	const struct depends_sum	*e;
	struct depends_sum		 key = { NULL, false, false };
	bool				 ready = true;
	size_t				 k;

	for (k = 0; k < deps->n; k++) {
		key.name = deps->v[k];
		if ((e = bsearch(&key, v, n, sizeof(*v), depends_sum_cmp)) ==
		    NULL || e->decisive)
			return true;
		ready &= e->all_running;
	}
	return ready;
}

/* A state changed: spawn the waiting processes whose dependencies are up
 * (from the loop, not from inside the transition that changed it). */
static void
depends_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct depends_sum	*sum;
	size_t			 i, nsum;

	(void)loop;
	(void)revents;
	if (sv->deps->nwait == 0)
		return;
	sum = depends_sum_build(sv, &nsum);
	for (i = 0; i < sv->nprocs && sv->deps->nwait > 0; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (!sp->dep_wait)
			continue;
		if (sp->p.state != PROC_STARTING || sp->p.pid != 0 ||
		    sv->shutting_down) {
			/* stopped meanwhile, or no spawn any more */
			depends_unwait(sp);
			continue;
		}
		/* the summary may be stale once one spawns: that only makes
		 * a waiter looked at for nothing, or at the next change */
		if (depends_sum_worth(sp, sum, nsum))
			supervisor_spawn(sp);
	}
	free(sum);
}

/* See depends.h. */
void
depends_after(struct sv_proc *sp, const struct proc_actions *a)
{
	struct supervisor	*sv = sp->sv;

	/* only STARTING without a pid waits (stopped meanwhile) */
	if (sp->dep_wait && (sp->p.state != PROC_STARTING || sp->p.pid != 0))
		depends_unwait(sp);
	if (a->changed && sv->deps->nwait > 0 &&
	    !ev_is_active(&sv->deps->timer))
		ev_timer_start(sv->loop, &sv->deps->timer);
}

/* See depends.h. */
void
depends_needed(struct supervisor *sv, struct strlist *needed)
{
	size_t	i, k;

	for (i = 0; i < sv->nprocs; i++) {
		const struct sv_proc	*q = sv->procs[i];

		if (proc_is_stopped_state(q->p.state))
			continue;
		for (k = 0; k < q->p.prog->depends_on.n; k++)
			strlist_add(needed, q->p.prog->depends_on.v[k]);
	}
}

/* See depends.h. */
bool
depends_is_needed(const struct sv_proc *sp, const struct strlist *needed)
{
	size_t	k;

	for (k = 0; k < needed->n; k++)
		if (strcmp(needed->v[k], sp->p.prog->program_name) == 0)
			return true;
	return false;
}

/* See depends.h. */
void
depends_init(struct supervisor *sv)
{
	sv->deps = xcalloc(1, sizeof(*sv->deps));
	ev_timer_init(&sv->deps->timer, depends_timer_cb, 0., 0.);
	sv->deps->timer.data = sv;
}

/* See depends.h. */
void
depends_free(struct supervisor *sv)
{
	if (sv->deps == NULL)
		return;
	ev_timer_stop(sv->loop, &sv->deps->timer);
	free(sv->deps);
	sv->deps = NULL;
}
