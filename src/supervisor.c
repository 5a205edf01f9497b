/* supervisor.c: the loop's glue. Child exits, timers, child output and
 * readiness arrive as libev events; each becomes an event of one
 * process's pure state machine (process.c), whose actions are carried out
 * here: spawn, signal, timer. Nothing here blocks and nothing polls. The
 * concerns around it have their own files above it, which call the
 * functions of supervisor.h: depends.c (depends_on=), reload.c (reread,
 * update, add, remove), orphans.c (the state file) and shutdown.c
 * (signals, the orderly shutdown). This file reaches them, and the layers
 * above them, only through the hooks tendd.c wires (struct sv_hooks).
 * Below it, the channels it reads: outlog_io.c (child output) and ready.c
 * (notification_fd=, sd_notify=). */
#include "autoconfig.h"

#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <ev.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "supervisor.h"
#include "log.h"
#include "outlog_io.h"
#include "ready.h"
#include "spawn.h"
#include "state.h"
#include "util.h"

/* See supervisor.h. Not ev_now(): that is the wall clock, which may be
 * stepped back or forth. */
double
supervisor_now(struct supervisor *sv)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return ev_now(sv->loop);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- configurations ---- */

/* See supervisor.h. */
struct config_ref *
supervisor_config_add(struct supervisor *sv, struct config *c)
{
	struct config_ref	*r = xcalloc(1, sizeof(*r));

	r->config = c;
	r->next = sv->configs;
	sv->configs = r;
	return r;
}

/* See supervisor.h. */
void
supervisor_config_gc(struct supervisor *sv)
{
	struct config_ref	**pp = &sv->configs, *r;

	while ((r = *pp) != NULL) {
		if (r->refs == 0 && r->config != sv->config) {
			*pp = r->next;
			config_free(r->config);
			free(r);
		} else
			pp = &r->next;
	}
}

/* See supervisor.h. */
struct config_ref *
supervisor_config_current(struct supervisor *sv)
{
	struct config_ref	*r;

	for (r = sv->configs; r != NULL; r = r->next)
		if (r->config == sv->config)
			return r;
	return NULL;
}

/* ---- child output (outlog_io.c) ---- */

/* See supervisor.h. */
char *
supervisor_log_path(const struct sv_proc *sp, bool err)
{
	return program_log_path(sp->sv->config, sp->p.prog, err);
}

/* What sp wrote to stdout, for its PROCESS_LOG_STDOUT events. */
static void
sv_tap_out(void *arg, const char *data, size_t len)
{
	struct sv_proc	*sp = arg;

	if (sp->sv->hooks.output != NULL)
		sp->sv->hooks.output(sp, false, data, len);
}

/* What sp wrote to stderr, for its PROCESS_LOG_STDERR events. */
static void
sv_tap_err(void *arg, const char *data, size_t len)
{
	struct sv_proc	*sp = arg;

	if (sp->sv->hooks.output != NULL)
		sp->sv->hooks.output(sp, true, data, len);
}

/* What a stream of sp should do (c->path is path, which the caller
 * frees). */
static void
sv_stream_conf(struct sv_proc *sp, bool err, struct outlog_conf *c)
{
	const struct program	*p = sp->p.prog;

	c->path = supervisor_log_path(sp, err);
	c->maxbytes = err ? p->stderr_logfile_maxbytes :
	    p->stdout_logfile_maxbytes;
	c->backups = err ? p->stderr_logfile_backups :
	    p->stdout_logfile_backups;
	c->syslog = err ? !p->redirect_stderr && p->stderr_syslog :
	    p->stdout_syslog;
	c->syslog_pri = LOG_USER | (err ? LOG_ERR : LOG_INFO);
}

/* Events of its output, or of what it says between the capture mode's
 * tokens (listener.c). */
static void
sv_stream_tap(struct sv_proc *sp, bool err)
{
	const struct program	*p = sp->p.prog;

	if (err)
		outlog_set_tap(sp->err.log, (p->stderr_events_enabled ||
		    p->stderr_capture_maxbytes > 0) && !p->redirect_stderr &&
		    sp->sv->hooks.output != NULL ? sv_tap_err : NULL, sp);
	else
		outlog_set_tap(sp->out.log, (p->stdout_events_enabled ||
		    p->stdout_capture_maxbytes > 0) &&
		    sp->sv->hooks.output != NULL ? sv_tap_out : NULL, sp);
}

/* Set a stream up for the next spawn (opens its file); -1 with why. */
static int
sv_stream_configure(struct sv_proc *sp, bool err, char *why, size_t len)
{
	struct outlog_conf	 c;
	int			 rc;

	sv_stream_conf(sp, err, &c);
	rc = outlog_configure(err ? sp->err.log : sp->out.log, &c, why, len);
	free((char *)(uintptr_t)c.path);
	sv_stream_tap(sp, err);
	return rc;
}

/* See supervisor.h. */
void
supervisor_adopt_stream(struct sv_proc *sp, bool err,
    const struct handover_stream *hs)
{
	struct outlog_conf	 c;

	sv_stream_conf(sp, err, &c);
	outlog_adopt(err ? sp->err.log : sp->out.log, &c, hs);
	free((char *)(uintptr_t)c.path);
	sv_stream_tap(sp, err);
}

/* See supervisor.h. */
int
supervisor_reopen_logs(struct supervisor *sv)
{
	size_t	i;
	int	rc = 0;

	if (log_reopen_file() == -1) {
		log_errorx("cannot reopen log file %s", log_open_error());
		rc = -1;
	}
	for (i = 0; i < sv->nprocs; i++) {
		if (outlog_reopen(sv->procs[i]->out.log) == -1)
			rc = -1;
		if (outlog_reopen(sv->procs[i]->err.log) == -1)
			rc = -1;
	}
	return rc;
}

/* See supervisor.h. */
int
supervisor_clear_logs(struct sv_proc *sp, char *why, size_t len)
{
	char	*path;
	int	 rc;

	path = supervisor_log_path(sp, false);
	rc = outlog_clear(sp->out.log, path, why, len);
	free(path);
	if (rc == -1)
		return -1;
	path = supervisor_log_path(sp, true);
	rc = outlog_clear(sp->err.log, path, why, len);
	free(path);
	return rc;
}

/* ---- the actions of the state machine ---- */

/* See supervisor.h: PA_SPAWN, through the depends_on gate. */
void
supervisor_spawn(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;
	const struct program	*p = sp->p.prog;
	struct spawn_request	 rq;
	struct proc_actions	 a;
	char			 why[512];
	int			 outw = -1, errw = -1, readyw = -1;
	int			 inr = -1, ownout = -1;
	const char		*notify_socket = NULL;
	pid_t			 pid = -1;

	if (sv->hooks.may_spawn != NULL && !sv->hooks.may_spawn(sp))
		return;
	why[0] = '\0';
	/* an event listener's stdin and stdout are its protocol's pipes */
	if (sv->hooks.stdio != NULL &&
	    sv->hooks.stdio(sp, &inr, &ownout, why, sizeof(why)) == -1)
		goto fail;
	if (sv_stream_configure(sp, false, why, sizeof(why)) == -1 ||
	    sv_stream_configure(sp, true, why, sizeof(why)) == -1)
		goto fail;
	if (ownout != -1)
		outw = ownout;
	else if (outlog_wanted(sp->out.log) &&
	    (outw = outlog_pipe(sp->out.log, why, sizeof(why))) == -1)
		goto fail;
	if (!p->redirect_stderr && outlog_wanted(sp->err.log) &&
	    (errw = outlog_pipe(sp->err.log, why, sizeof(why))) == -1)
		goto fail;
	if (p->notification_fd != 0 && (readyw = ready_pipe_open(&sp->ready,
	    sp->p.name, why, sizeof(why))) == -1)
		goto fail;
	if (p->sd_notify && (notify_socket = ready_socket(sv->ready,
	    sp->p.name, why, sizeof(why))) == NULL)
		goto fail;

	memset(&rq, 0, sizeof(rq));
	rq.prog = p;
	rq.config = sv->config;
	if (sv->base_env == NULL)
		sv->base_env = spawn_env_base(sv->config);
	rq.base_env = sv->base_env;
	rq.name = sp->p.name;
	rq.group = p->group_name;
	rq.stdin_fd = inr;
	rq.stdout_fd = outw;
	rq.stderr_fd = p->redirect_stderr ? outw : errw;
	rq.notify_fd = readyw;
	rq.notify_socket = notify_socket;
	rq.base_nofile = sv->have_base_nofile ? &sv->base_nofile : NULL;
	pid = spawn_process(&rq, why, sizeof(why));
fail:
	if (inr != -1)
		(void)close(inr);
	if (outw != -1)
		(void)close(outw);
	else if (ownout != -1)
		(void)close(ownout);
	if (errw != -1)
		(void)close(errw);
	if (readyw != -1)
		(void)close(readyw);
	if (pid == -1) {
		outlog_close_pipe(sp->out.log);
		outlog_close_pipe(sp->err.log);
		ready_pipe_close(&sp->ready);
		proc_spawn_failed(&sp->p, why[0] != '\0' ? why :
		    "unknown spawn error", &a);
		supervisor_apply(sp, &a);
		return;
	}
	outlog_start(sp->out.log);
	outlog_start(sp->err.log);
	ready_pipe_start(&sp->ready);
	/* Signals go through a pidfd: a recycled pid can never be hit. */
	sp->pidfd = pidfd_open(pid, 0);
	if (sp->pidfd != -1)
		(void)fd_cloexec(sp->pidfd);
	sp->starttime = state_proc_starttime(pid);
	if (sv->hooks.spawned != NULL)
		sv->hooks.spawned(sv);
	/* the start period counts from the spawn */
	healthstate_begin(&sp->health, p, sp->p.start_mono);
	proc_spawned(&sp->p, pid, &a);
	pidmap_put(&sv->pids, pid, sp);
	supervisor_apply(sp, &a);
}

/* Send a signal to the child (or its group) while it is still ours. */
static int
sv_kill(struct sv_proc *sp, int sig, bool group)
{
	pid_t	pid = sp->p.pid;

	if (pid <= 0)
		return -1;
	if (!group && sp->pidfd != -1) {
		if (pidfd_send_signal(sp->pidfd, sig, NULL, 0) == 0)
			return 0;
		if (errno != ENOSYS && errno != EINVAL) {
			if (errno == ESRCH)
				return 0;
			log_error("%s: cannot send signal %d to %ld",
			    sp->p.name, sig, (long)pid);
			return -1;
		}
	}
	if (kill(group ? -pid : pid, sig) == -1) {
		if (errno == ESRCH)
			return 0;	/* exiting; the reaper will tell */
		log_error("%s: cannot send signal %d to %ld", sp->p.name,
		    sig, (long)pid);
		return -1;
	}
	return 0;
}

/* See supervisor.h: what an update waits for this process to stop
 * for. */
void
supervisor_after_stop(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;
	struct proc_actions	 a;
	bool			 restart;

	if (!proc_is_stopped_state(sp->p.state) || sp->p.pid != 0)
		return;
	restart = sp->health.restart;
	sp->health.restart = false;
	if (sp->removing) {
		ev_idle_start(sv->loop, &sv->gc);
		return;
	}
	if (sp->pending != NULL) {
		sp->cref->refs--;
		sp->cref = sp->pending_cref;
		sp->p.prog = sp->pending;
		sp->pending = NULL;
		sp->pending_cref = NULL;
		outlog_close_file(sp->out.log);
		outlog_close_file(sp->err.log);
		log_info("%s: configuration updated", sp->p.name);
		if (sp->p.prog->autostart && !sv->shutting_down) {
			proc_start(&sp->p, supervisor_now(sv), time(NULL), &a);
			supervisor_apply(sp, &a);
		}
	} else if (restart && !sv->shutting_down) {
		/* the second half of a restart for health, which
		 * restart_limit= counts as it counts restarts after exits */
		memset(&a, 0, sizeof(a));
		if (proc_restart_counted(&sp->p, supervisor_now(sv), &a))
			proc_start(&sp->p, supervisor_now(sv), time(NULL), &a);
		supervisor_apply(sp, &a);
	}
}

/* See supervisor.h: the actions in order. */
void
supervisor_apply(struct sv_proc *sp, struct proc_actions *a)
{
	struct supervisor	*sv = sp->sv;
	unsigned		 i;

	for (i = 0; i < a->nlog; i++)
		log_msg(a->log[i].level, "%s", a->log[i].text);
	if (sv->hooks.state != NULL)
		for (i = 0; i < a->ntrans; i++)
			sv->hooks.state(sp, &a->trans[i]);
	if (a->flags & (PA_UNTIMER | PA_TIMER))
		ev_timer_stop(sv->loop, &sp->timer);
	if (a->flags & PA_SIGNAL) {
		(void)sv_kill(sp, a->sig, a->group);
		if (a->flags & PA_CONT)
			(void)sv_kill(sp, SIGCONT, a->group);
	}
	if (a->flags & PA_TIMER) {
		ev_timer_set(&sp->timer, a->timer_secs, 0.);
		ev_timer_start(sv->loop, &sp->timer);
	}
	if (a->flags & PA_DEFER) {	/* the respawn timer spawns it */
		ev_timer_stop(sv->loop, &sv->respawn);
		ev_timer_set(&sv->respawn, 0., 0.);
		ev_timer_start(sv->loop, &sv->respawn);
	}
	supervisor_health_follow(sp);
	if (a->flags & PA_SPAWN) {
		supervisor_spawn(sp);
		return;		/* supervisor_spawn applied the rest */
	}
	if (sv->hooks.moved != NULL)
		sv->hooks.moved(sp, a);
	if (a->changed) {
		supervisor_after_stop(sp);
		supervisor_changed(sv);
		if (proc_ends_tend(&sp->p) && sv->hooks.ended != NULL)
			sv->hooks.ended(sp);
	}
}

/* The process timer fired. */
static void
sv_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sv_proc		*sp = w->data;
	struct proc_actions	 a;

	(void)loop;
	(void)revents;
	/* No new spawns while shutting down: BACKOFF just stops. */
	if (sp->sv->shutting_down && sp->p.state == PROC_BACKOFF) {
		if (proc_stop(&sp->p, &a))
			supervisor_apply(sp, &a);
		return;
	}
	proc_timer(&sp->p, supervisor_now(sp->sv), time(NULL), &a);
	supervisor_apply(sp, &a);
}

/* The autorestarts that may spawn straight from the reaper in this loop
 * iteration: at most a batch, like the timer (sv_respawn_cb). */
#define SV_RESPAWN_BATCH	16
static bool
sv_direct_respawn(struct supervisor *sv)
{
	unsigned int	iter = ev_iteration(sv->loop);

	if (sv->shutting_down)
		return false;
	if (sv->direct_iter != iter) {
		sv->direct_iter = iter;
		sv->direct_n = 0;
	}
	if (sv->direct_n >= SV_RESPAWN_BATCH)
		return false;
	sv->direct_n++;
	return true;
}

/* ---- readiness (ready.c) ---- */

/* The first line came on sp's notification_fd. */
static void
sv_ready_pipe_cb(void *owner)
{
	struct sv_proc		*sp = owner;
	struct proc_actions	 a;

	proc_ready(&sp->p, "notification_fd", &a);
	supervisor_apply(sp, &a);
}

/* READY=1 on the NOTIFY_SOCKET makes a program RUNNING when it comes
 * from the program's process, or from another process of its process
 * group (a daemon's worker, systemd-notify run from a script) that runs
 * as the program's user: every program is in tendd's session, and one
 * may join another's process group, but it cannot take another user's
 * uid. */
static void
sv_ready_sock_cb(void *arg, pid_t pid, uid_t uid)
{
	struct supervisor	*sv = arg;
	struct proc_actions	 a;
	struct sv_proc		*sp;
	pid_t			 pgid;

	if ((sp = pidmap_get(&sv->pids, pid)) == NULL &&
	    (pgid = getpgid(pid)) > 0 &&
	    (sp = pidmap_get(&sv->pids, pgid)) != NULL &&
	    uid != (sp->p.prog->user != NULL ? sp->p.prog->uid : geteuid()))
		sp = NULL;
	if (sp == NULL || !sp->p.prog->sd_notify) {
		log_debug("READY=1 from pid %ld, which is no sd_notify "
		    "program's: ignored", (long)pid);
		return;
	}
	proc_ready(&sp->p, "READY=1", &a);
	supervisor_apply(sp, &a);
}

/* pid was reaped; called while it is still in the pid map: what its
 * program said before it exited counts before its exit does. */
static void
sv_ready_reaped(struct supervisor *sv, pid_t pid)
{
	struct sv_proc	*sp = pidmap_get(&sv->pids, pid);

	if (sp == NULL)
		return;
	if (sp->p.prog->sd_notify && sp->p.state == PROC_STARTING)
		ready_socket_reaped(sv->ready);
	ready_pipe_reaped(&sp->ready);
}

/* libev reaped a child: ours, or an orphan we are subreaper of. */
static void
sv_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct sv_proc		*sp;
	struct proc_actions	 a;
	char			 how[128];

	(void)loop;
	(void)revents;
	/* Readiness it signalled before it exited counts first (and before
	 * its pidfd goes: a transition may signal). */
	sv_ready_reaped(sv, w->rpid);
	if ((sp = pidmap_del(&sv->pids, w->rpid)) == NULL) {
		if (health_reaped(sv->health, w->rpid, w->rstatus))
			return;
		if (w->rpid == sv->helper_pid[0] ||
		    w->rpid == sv->helper_pid[1])
			return;		/* reexec.c's, which watches it */
		format_wait_status(how, sizeof(how), w->rstatus);
		log_info("reaped unknown pid %ld (%s)", (long)w->rpid, how);
		return;
	}
	if (sp->pidfd != -1) {
		(void)close(sp->pidfd);
		sp->pidfd = -1;
	}
	/* No state file write for an exit: a dead child's entry is harmless
	 * (its start time no longer matches) and the next spawn rewrites the
	 * file anyway; a restart costs one write, not two. */
	sp->starttime = 0;
	/* Everything it wrote before exiting goes to the log first. */
	outlog_drain(sp->out.log);
	outlog_drain(sp->err.log);
	proc_exited(&sp->p, w->rstatus, supervisor_now(sv), time(NULL),
	    !sv->shutting_down, sv->restart_floor, &a);
	/* An autorestart of a program that ran past the restart floor
	 * spawns here, at once: the restart gap is the reaction time users
	 * see, and a timer would cost a loop pass. Any other (held back by
	 * the floor, or past the batch of this pass) spawns from the respawn
	 * timer, STARTING without a pid until then: libev reaps in a loop at
	 * top priority, and programs that exit at once must not keep it
	 * reaping and spawning, never serving tendctl. */
	if ((a.flags & PA_SPAWN) && !sv_direct_respawn(sv))
		a.flags = (a.flags & ~PA_SPAWN) | PA_DEFER;
	supervisor_apply(sp, &a);
}

/* The autorestarts waiting since the last iteration: at most a batch per
 * iteration, round robin, so that the loop polls (and serves tendctl)
 * between two batches however many programs crash-loop. */
static void
sv_respawn_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct proc_actions	 a;
	size_t			 i, k, n = sv->nprocs, done = 0;
	double			 now = supervisor_now(sv), next = -1;

	(void)revents;
	for (k = 0; k < n; k++) {
		struct sv_proc	*sp;

		i = (sv->respawn_at + k) % n;
		sp = sv->procs[i];
		if (sp->p.state != PROC_STARTING || sp->p.pid != 0 ||
		    sp->dep_wait || sv->shutting_down)
			continue;
		if (sp->p.respawn_due > now) {
			if (next < 0 || sp->p.respawn_due < next)
				next = sp->p.respawn_due;
			continue;
		}
		if (done == SV_RESPAWN_BATCH) {
			sv->respawn_at = i;
			next = now;
			break;
		}
		proc_respawn(&sp->p, now, &a);
		supervisor_apply(sp, &a);
		done++;
	}
	if (done < SV_RESPAWN_BATCH)
		sv->respawn_at = 0;
	if (next >= 0) {
		ev_timer_set(w, next > now ? next - now : 0., 0.);
		ev_timer_start(loop, w);
	}
}

/* ---- health checks (health.c, healthstate.c) ---- */

/* While STARTING under ready_on=healthcheck, probes come this often (or
 * every healthcheck_interval if that is shorter): a program should not
 * wait an interval to be called RUNNING. */
#define SV_HEALTH_STARTING_EVERY	1.0

/* See supervisor.h. */
void
supervisor_health_follow(struct sv_proc *sp)
{
	const struct program	*p = sp->p.prog;
	double			 every;
	bool			 starting;

	if (p->health.kind == HEALTH_NONE && !sp->hprobe.active)
		return;
	starting = sp->p.state == PROC_STARTING && p->ready_on_health;
	if (p->health.kind == HEALTH_NONE || sp->p.pid == 0 ||
	    (sp->p.state != PROC_RUNNING && !starting)) {
		if (sp->hprobe.active) {
			health_probe_stop(&sp->hprobe);
			healthstate_end(&sp->health);
		}
		return;
	}
	every = p->health_interval;
	if (starting && every > SV_HEALTH_STARTING_EVERY)
		every = SV_HEALTH_STARTING_EVERY;
	health_probe_run(&sp->hprobe, p, every, every);
}

/* A probe of sp ended: what it means, carried out. */
static void
sv_health_done(void *owner, bool ok, const char *why)
{
	struct sv_proc		*sp = owner;
	struct health_out	 out;
	struct proc_actions	 a;
	unsigned		 i;

	healthstate_result(&sp->health, sp->p.prog, sp->p.name,
	    supervisor_now(sp->sv), ok, why, &out);
	for (i = 0; i < out.nlog; i++)
		log_msg(out.log[i].level, "%s", out.log[i].text);
	if (out.flags & HEALTH_CHANGED)
		supervisor_changed(sp->sv);
	if ((out.flags & HEALTH_READY) && sp->p.state == PROC_STARTING) {
		proc_ready(&sp->p, "healthcheck", &a);
		supervisor_apply(sp, &a);
	}
	if (out.flags & HEALTH_RESTART) {
		/* the usual stop (stopsignal, stopwaitsecs); started again
		 * once stopped (supervisor_after_stop) */
		if (proc_stop(&sp->p, &a))
			supervisor_apply(sp, &a);
		else
			sp->health.restart = false;
	}
}

/* An exec probe of sp: its command, run as its program is, output to
 * /dev/null. */
static pid_t
sv_health_spawn(void *owner, char *const *argv, char *why, size_t len)
{
	struct sv_proc		*sp = owner;
	struct supervisor	*sv = sp->sv;
	struct spawn_request	 rq;

	memset(&rq, 0, sizeof(rq));
	rq.prog = sp->p.prog;
	rq.config = sv->config;
	if (sv->base_env == NULL)
		sv->base_env = spawn_env_base(sv->config);
	rq.base_env = sv->base_env;
	rq.name = sp->p.name;
	rq.group = sp->p.prog->group_name;
	rq.stdin_fd = -1;
	rq.stdout_fd = -1;
	rq.stderr_fd = -1;
	rq.notify_fd = -1;
	rq.base_nofile = sv->have_base_nofile ? &sv->base_nofile : NULL;
	rq.argv = argv;
	return spawn_process(&rq, why, len);
}

/* ---- processes ---- */

/* A new process for program prog of configuration cref. */
static struct sv_proc *
sv_proc_new(struct supervisor *sv, struct config_ref *cref,
    const struct program *prog)
{
	struct sv_proc	*sp = xcalloc(1, sizeof(*sp));

	proc_init(&sp->p, prog, prog->name);
	sp->sv = sv;
	sp->cref = cref;
	sp->pidfd = -1;
	cref->refs++;
	ev_timer_init(&sp->timer, sv_timer_cb, 0., 0.);
	sp->timer.data = sp;
	ready_pipe_init(&sp->ready, sv->ready, sp);
	health_probe_init(&sp->hprobe, sv->health, sp);
	healthstate_end(&sp->health);
	sp->out.log = outlog_new(sv->loop, sp->p.name, "stdout",
	    &sp->out.dropped);
	sp->err.log = outlog_new(sv->loop, sp->p.name, "stderr",
	    &sp->err.dropped);
	return sp;
}

/* Release a process that is stopped. */
static void
sv_proc_free(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;

	if (sv->hooks.forget != NULL)
		sv->hooks.forget(sp, sv->hooks.arg);
	ev_timer_stop(sv->loop, &sp->timer);
	ready_pipe_close(&sp->ready);
	health_probe_stop(&sp->hprobe);
	if (sp->pidfd != -1)
		(void)close(sp->pidfd);
	outlog_free(sp->out.log);
	outlog_free(sp->err.log);
	sp->cref->refs--;
	if (sp->pending_cref != NULL)
		sp->pending_cref->refs--;
	proc_free(&sp->p);
	free(sp);
}

/* See supervisor.h. procs are kept in this order: status lists them so,
 * and a group or a process is found by binary search. */
int
supervisor_proc_cmp(const void *a, const void *b)
{
	const struct sv_proc	*x = *(struct sv_proc *const *)a;
	const struct sv_proc	*y = *(struct sv_proc *const *)b;
	int			 d;

	if ((d = strcmp(x->p.prog->group_name, y->p.prog->group_name)) != 0)
		return d;
	return strcmp(x->p.name, y->p.name);
}

/* See supervisor.h. */
int
supervisor_start_order(const void *a, const void *b)
{
	const struct sv_proc	*x = *(struct sv_proc *const *)a;
	const struct sv_proc	*y = *(struct sv_proc *const *)b;

	if (x->p.prog->group_priority != y->p.prog->group_priority)
		return x->p.prog->group_priority <
		    y->p.prog->group_priority ? -1 : 1;
	if (x->p.prog->priority != y->p.prog->priority)
		return x->p.prog->priority < y->p.prog->priority ? -1 : 1;
	return supervisor_proc_cmp(a, b);
}

/* Free the processes that an update removed, once they stopped. */
static void
sv_gc_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct supervisor	*sv = w->data;
	size_t			 i, n = 0;

	(void)revents;
	ev_idle_stop(loop, w);
	supervisor_sort(sv);	/* what stays, stays in order */
	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing && proc_is_stopped_state(sp->p.state) &&
		    sp->p.pid == 0) {
			log_info("%s: removed", sp->p.name);
			sv_proc_free(sp);
		} else
			sv->procs[n++] = sp;
	}
	sv->nprocs = sv->nsorted = n;
	supervisor_config_gc(sv);
	supervisor_changed(sv);
}

/* See supervisor.h. */
struct sv_proc *
supervisor_proc_add(struct supervisor *sv, const struct program *prog)
{
	struct sv_proc	*sp;

	if (sv->nprocs == sv->procs_cap) {
		sv->procs_cap = sv->procs_cap * 2 + 16;
		sv->procs = xreallocarray(sv->procs, sv->procs_cap,
		    sizeof(*sv->procs));
	}
	sp = sv_proc_new(sv, supervisor_config_current(sv), prog);
	sv->procs[sv->nprocs++] = sp;
	log_info("%s: added", sp->p.name);
	return sp;
}

/* See supervisor.h. The merge goes from the end: each newcomer's place
 * is found by binary search, and the sorted ones after it move in one
 * memmove, so adding a group costs a memmove, not a comparison for each
 * process after it. */
void
supervisor_sort(struct supervisor *sv)
{
	struct sv_proc	**tail;
	size_t		  i = sv->nsorted, j, k = sv->nprocs, lo, hi, mid, n;

	if (i == k)
		return;
	j = k - i;
	tail = xcalloc(j, sizeof(*tail));
	memcpy(tail, sv->procs + i, j * sizeof(*tail));
	qsort(tail, j, sizeof(*tail), supervisor_proc_cmp);
	/* procs[0 .. i - 1] sorted, to be placed; procs[k ..] placed; k is
	 * i + j throughout */
	while (j > 0) {
		lo = 0;
		hi = i;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (supervisor_proc_cmp(&sv->procs[mid],
			    &tail[j - 1]) > 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		n = i - lo;		/* those after tail[j - 1] */
		memmove(sv->procs + k - n, sv->procs + lo,
		    n * sizeof(*sv->procs));
		k -= n;
		i = lo;
		sv->procs[--k] = tail[--j];
	}
	free(tail);
	sv->nsorted = sv->nprocs;
}

/* The first of the sorted processes not before group (and name, unless
 * NULL), or with upper set the first after them. */
static size_t
sv_bound(const struct supervisor *sv, const char *group, const char *name,
    bool upper)
{
	size_t	lo = 0, hi = sv->nsorted, mid;
	int	d;

	while (lo < hi) {
		const struct sv_proc	*sp;

		mid = lo + (hi - lo) / 2;
		sp = sv->procs[mid];
		d = strcmp(sp->p.prog->group_name, group);
		if (d == 0 && name != NULL)
			d = strcmp(sp->p.name, name);
		if (d < 0 || (upper && d == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* See supervisor.h. */
void
supervisor_group_range(const struct supervisor *sv, const char *group,
    size_t *lo, size_t *hi)
{
	*lo = sv_bound(sv, group, NULL, false);
	*hi = sv_bound(sv, group, NULL, true);
}

/* See supervisor.h. */
struct sv_proc *
supervisor_lookup(struct supervisor *sv, const char *group, const char *name)
{
	size_t	i;

	supervisor_sort(sv);
	for (i = sv_bound(sv, group, name, false); i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (strcmp(sp->p.name, name) != 0 ||
		    strcmp(sp->p.prog->group_name, group) != 0)
			break;
		if (!sp->removing)
			return sp;
	}
	return NULL;
}

/* See supervisor.h. */
bool
supervisor_group_active(struct supervisor *sv, const char *group)
{
	size_t	i, lo, hi;

	supervisor_sort(sv);
	supervisor_group_range(sv, group, &lo, &hi);
	for (i = lo; i < hi; i++)
		if (!sv->procs[i]->removing)
			return true;
	return false;
}

/* See supervisor.h. */
bool
supervisor_start(struct sv_proc *sp)
{
	struct proc_actions	a;

	if (proc_is_running_state(sp->p.state) ||
	    sp->p.state == PROC_STOPPING)
		return false;
	proc_restart_forget(&sp->p);
	proc_start(&sp->p, supervisor_now(sp->sv), time(NULL), &a);
	supervisor_apply(sp, &a);
	return true;
}

/* See supervisor.h. */
bool
supervisor_stop(struct sv_proc *sp)
{
	struct proc_actions	a;

	sp->health.restart = false;	/* the user's stop wins */
	if (!proc_stop(&sp->p, &a))
		return false;
	supervisor_apply(sp, &a);
	return true;
}

/* See supervisor.h. */
int
supervisor_signal(struct sv_proc *sp, int sig)
{
	return sv_kill(sp, sig, false);
}

/* See supervisor.h. */
void
supervisor_changed(struct supervisor *sv)
{
	if (sv->hooks.changed != NULL)
		sv->hooks.changed(sv->hooks.arg);
}

/* See supervisor.h. */
void
supervisor_autostart(struct supervisor *sv)
{
	struct sv_proc	**order;
	size_t		  i;

	order = xcalloc(sv->nprocs + 1, sizeof(*order));
	memcpy(order, sv->procs, sv->nprocs * sizeof(*order));
	qsort(order, sv->nprocs, sizeof(*order), supervisor_start_order);
	for (i = 0; i < sv->nprocs; i++)
		if (order[i]->p.prog->autostart && order[i]->p.start_wall == 0)
			(void)supervisor_start(order[i]);
	free(order);
}

/* See supervisor.h. */
struct supervisor *
supervisor_new(struct ev_loop *loop, const char *path, struct config *c,
    const struct sv_hooks *hooks)
{
	struct supervisor	*sv = xcalloc(1, sizeof(*sv));
	struct config_ref	*ref;
	struct rlimit		 rl;
	size_t			 i;
	const char		*floor_env;

	sv->loop = loop;
	sv->hooks = *hooks;
	sv->ready = ready_new(loop, sv_ready_pipe_cb, sv_ready_sock_cb, sv);
	sv->health = health_new(loop, sv_health_done, sv_health_spawn);
	sv->config_path = xstrdup(path);
	sv->config = c;
	ref = supervisor_config_add(sv, c);
	sv->procs_cap = c->nprogs + 1;
	sv->procs = xcalloc(sv->procs_cap, sizeof(*sv->procs));
	for (i = 0; i < c->nprogs; i++)
		sv->procs[sv->nprocs++] = sv_proc_new(sv, ref, &c->progs[i]);
	qsort(sv->procs, sv->nprocs, sizeof(*sv->procs), supervisor_proc_cmp);
	sv->nsorted = sv->nprocs;

	/* Children get the limit tendd started with, not minfds. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		sv->base_nofile = rl;
		sv->have_base_nofile = true;
		if (rl.rlim_cur < c->minfds) {
			rl.rlim_cur = c->minfds;
			if (rl.rlim_max != RLIM_INFINITY &&
			    rl.rlim_cur > rl.rlim_max)
				log_warnx("minfds %u is above the hard limit "
				    "%llu", c->minfds,
				    (unsigned long long)rl.rlim_max);
			else if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
				log_warn("cannot raise the open file limit to "
				    "%u", c->minfds);
		}
	}
	/* Orphans of our programs come to us, and are reaped. */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("cannot become a subreaper");

	ev_child_init(&sv->anychild, sv_child_cb, 0, 0);
	sv->anychild.data = sv;
	ev_child_start(loop, &sv->anychild);
	ev_idle_init(&sv->gc, sv_gc_cb);
	sv->gc.data = sv;
	sv->state_path = xasprintf("%s.state", c->control);
	ev_timer_init(&sv->respawn, sv_respawn_cb, 0., 0.);
	sv->restart_floor = 1.0;
	if ((floor_env = getenv("TEND_RESTART_FLOOR")) != NULL)
		sv->restart_floor = strtod(floor_env, NULL);
	if (!(sv->restart_floor >= 0 && sv->restart_floor <= 3600))
		sv->restart_floor = 1.0;
	sv->respawn.data = sv;
	return sv;
}

/* See supervisor.h. */
void
supervisor_free(struct supervisor *sv)
{
	struct config_ref	*r;
	size_t			 i;

	memset(&sv->hooks, 0, sizeof(sv->hooks));
	ev_child_stop(sv->loop, &sv->anychild);
	ev_idle_stop(sv->loop, &sv->gc);
	ev_timer_stop(sv->loop, &sv->respawn);
	for (i = 0; i < sv->nprocs; i++)
		sv_proc_free(sv->procs[i]);
	ready_free(sv->ready);
	health_free(sv->health);
	free(sv->procs);
	pidmap_free(&sv->pids);
	while ((r = sv->configs) != NULL) {
		sv->configs = r->next;
		config_free(r->config);
		free(r);
	}
	spawn_env_free(sv->base_env);
	free(sv->config_path);
	free(sv->state_path);
	free(sv);
}
