/* shutdown.c: signals and the orderly shutdown. SIGTERM, SIGINT, SIGQUIT
 * (supervisord's too: container listeners send it) and SIGHUP are loop
 * events (ev_signal), handled here like the verbs that do
 * the same. The shutdown stops one priority at a time, from the highest,
 * and within it what no running process depends on first; each change of
 * state brings the next step (shutdown_step, from the changed hook), and
 * once nothing runs the loop ends as soon as the replies are written (or
 * after 2 s). */
#include "autoconfig.h"

#include <ev.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "shutdown.h"
#include "depends.h"
#include "log.h"
#include "notify.h"
#include "reload.h"
#include "supervisor.h"
#include "util.h"

struct shutdown {
	ev_signal	 sigterm;	/* orderly shutdown */
	ev_signal	 sigint;
	ev_signal	 sigquit;	/* supervisord's: like SIGTERM */
	ev_signal	 sighup;	/* reread and apply, like update */
	ev_signal	 sigusr2;	/* reopen logs */
	ev_timer	 timer;		/* bounds the final reply flush */
	ev_timer	 end_timer;	/* a shutdown_on= program ended:
					 * shut down from the loop */
	bool		 stepping;	/* in shutdown_step */
	bool		 restep;	/* ...and it must look again */
};

/* See shutdown.h: the container's main program is gone, or tend gave
 * up on it. The first one sets the exit status; the shutdown itself runs
 * from the loop, as a transition may be applied while the caller walks
 * the processes. */
void
shutdown_ended_by(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;

	if (sv->shutting_down || ev_is_active(&sv->shutdown->end_timer))
		return;
	sv->exit_code = proc_tend_exit_code(&sp->p);
	log_warnx("%s entered %s state and has shutdown_on=%s: stopping "
	    "everything; tendd will exit with status %d", sp->p.name,
	    proc_state_name(sp->p.state), sp->p.prog->shutdown_on ==
	    SHUTDOWN_ON_FATAL ? "fatal" : "exit", sv->exit_code);
	ev_timer_start(sv->loop, &sv->shutdown->end_timer);
}

/* The loop came round after shutdown_ended_by. */
static void
shutdown_end_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	supervisor_shutdown(w->data);
}

/* Once everything is stopped: leave when the replies are written. */
static void
shutdown_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct supervisor	*sv = w->data;
	static int		 ticks;

	(void)revents;
	if (sv->hooks.idle == NULL || sv->hooks.idle(sv->hooks.arg) ||
	    ++ticks > 100)
		ev_break(loop, EVBREAK_ALL);
}

static void	shutdown_step1(struct supervisor *);

/* See shutdown.h. A stop that takes effect at once (a process that was
 * not running yet) comes back here through the changed hook: that is
 * taken as a request for one more pass, not a recursion as deep as the
 * processes. */
void
shutdown_step(struct supervisor *sv)
{
	if (sv->shutdown->stepping) {
		sv->shutdown->restep = true;
		return;
	}
	sv->shutdown->stepping = true;
	do {
		sv->shutdown->restep = false;
		shutdown_step1(sv);
	} while (sv->shutdown->restep);
	sv->shutdown->stepping = false;
}

/* Stop the highest remaining priority (of what no running process
 * depends on); leave when nothing runs. */
static void
shutdown_step1(struct supervisor *sv)
{
	struct strlist	needed = { NULL, 0 };
	size_t		i;
	int		prio = INT_MIN, pass;
	bool		waiting = false;

	for (i = 0; i < sv->nprocs; i++)
		if (sv->procs[i]->p.state == PROC_STOPPING)
			waiting = true;
	if (waiting)
		return;
	/* The highest priority left, among the processes nothing running
	 * depends on (if a cycle left none, among them all). */
	depends_needed(sv, &needed);
	for (pass = 0; pass < 2 && prio == INT_MIN; pass++) {
		for (i = 0; i < sv->nprocs; i++) {
			struct sv_proc	*sp = sv->procs[i];

			if (proc_is_running_state(sp->p.state) &&
			    sp->p.prog->priority > prio &&
			    (pass == 1 || !depends_is_needed(sp, &needed)))
				prio = sp->p.prog->priority;
		}
		if (prio != INT_MIN) {
			for (i = 0; i < sv->nprocs; i++) {
				struct sv_proc	*sp = sv->procs[i];

				if (proc_is_running_state(sp->p.state) &&
				    sp->p.prog->priority == prio && (pass == 1 ||
				    !depends_is_needed(sp, &needed)))
					(void)supervisor_stop(sp);
			}
		}
	}
	strlist_free(&needed);
	if (prio != INT_MIN)
		return;
	if (!ev_is_active(&sv->shutdown->timer)) {
		ev_timer_set(&sv->shutdown->timer, 0., 0.02);
		ev_timer_start(sv->loop, &sv->shutdown->timer);
	}
}

/* See shutdown.h. */
void
supervisor_shutdown(struct supervisor *sv)
{
	if (sv->shutting_down)
		return;
	sv->shutting_down = true;
	if (sv->hooks.stopping != NULL)
		sv->hooks.stopping(sv->hooks.arg);
	notify_stopping();
	log_info("stopping all processes");
	shutdown_step(sv);
}

/* SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR2. */
static void
shutdown_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct strlist		 errs = { NULL, 0 };
	char			 buf[32];
	const char		*name;

	(void)loop;
	(void)revents;
	if ((name = signal_name(w->signum, buf, sizeof(buf))) == NULL) {
		(void)snprintf(buf, sizeof(buf), "signal %d", w->signum);
		name = buf;
	}
	switch (w->signum) {
	case SIGTERM:
	case SIGINT:
	case SIGQUIT:
		log_warnx("received %s indicating exit request", name);
		supervisor_shutdown(sv);
		break;
	case SIGHUP:
		if (sv->shutting_down) {
			log_warnx("received %s during shutdown: ignored", name);
			break;
		}
		log_warnx("received %s indicating restart request", name);
		notify_reloading();
		/* a bad config is logged by supervisor_reread */
		(void)supervisor_update(sv, &errs);
		notify_ready();
		strlist_free(&errs);
		break;
	case SIGUSR2:
		log_info("received %s indicating log reopen request", name);
		(void)supervisor_reopen_logs(sv);
		break;
	default:
		break;
	}
}

/* See shutdown.h. */
void
shutdown_init(struct supervisor *sv)
{
	struct shutdown	*sd = xcalloc(1, sizeof(*sd));

	sv->shutdown = sd;
	ev_signal_init(&sd->sigterm, shutdown_signal_cb, SIGTERM);
	ev_signal_init(&sd->sigint, shutdown_signal_cb, SIGINT);
	ev_signal_init(&sd->sigquit, shutdown_signal_cb, SIGQUIT);
	ev_signal_init(&sd->sighup, shutdown_signal_cb, SIGHUP);
	ev_signal_init(&sd->sigusr2, shutdown_signal_cb, SIGUSR2);
	sd->sigterm.data = sd->sigint.data = sd->sighup.data = sv;
	sd->sigquit.data = sv;
	sd->sigusr2.data = sv;
	ev_signal_start(sv->loop, &sd->sigterm);
	ev_signal_start(sv->loop, &sd->sigint);
	ev_signal_start(sv->loop, &sd->sigquit);
	ev_signal_start(sv->loop, &sd->sighup);
	ev_signal_start(sv->loop, &sd->sigusr2);
	ev_timer_init(&sd->timer, shutdown_timer_cb, 0., 0.);
	sd->timer.data = sv;
	ev_timer_init(&sd->end_timer, shutdown_end_timer_cb, 0., 0.);
	sd->end_timer.data = sv;
}

/* See shutdown.h. */
void
shutdown_free(struct supervisor *sv)
{
	struct shutdown	*sd = sv->shutdown;

	if (sd == NULL)
		return;
	ev_signal_stop(sv->loop, &sd->sigterm);
	ev_signal_stop(sv->loop, &sd->sigint);
	ev_signal_stop(sv->loop, &sd->sigquit);
	ev_signal_stop(sv->loop, &sd->sighup);
	ev_signal_stop(sv->loop, &sd->sigusr2);
	ev_timer_stop(sv->loop, &sd->timer);
	ev_timer_stop(sv->loop, &sd->end_timer);
	free(sd);
	sv->shutdown = NULL;
}
