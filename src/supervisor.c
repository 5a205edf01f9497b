/* supervisor.c: the loop's glue. Child exits, timers and child output
 * arrive as libev events; each becomes an event of one process's pure state
 * machine (process.c), whose actions are carried out here: spawn, signal,
 * timer. Nothing here blocks and nothing polls. */
#include "autoconfig.h"

#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "control.h"
#include "log.h"
#include "spawn.h"
#include "state.h"
#include "supervisor.h"
#include "util.h"

#define OUTPUT_CHUNK	65536		/* bytes read from a pipe at a time */
#define OUTPUT_BUDGET	(1u << 20)	/* bytes per stream per iteration */

static void	sv_apply(struct sv_proc *, struct proc_actions *);

/* ---- the state file ---- */

/* Something to record: write the state file before the loop sleeps. */
static void
sv_state_dirty(struct supervisor *sv)
{
	if (sv->state_path != NULL)
		ev_prepare_start(sv->loop, &sv->state_prep);
}

/* Write the pids of every live child, atomically. */
static void
sv_state_prep_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct state		 st = { NULL, 0 };
	size_t			 i;

	(void)revents;
	ev_prepare_stop(loop, w);
	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->p.pid > 0 && sp->starttime != 0)
			state_add(&st, sp->p.pid, sp->p.pid, sp->starttime,
			    sp->p.name);
	}
	if (state_write(sv->state_path, &st) == -1)
		log_warn("cannot write the state file %s: %s", sv->state_path,
		    strerror(errno));
	state_free(&st);
}

/* See supervisor.h. The orphans cannot be adopted (they are no longer our
 * children, so their exit status and their output pipes are gone): each
 * one still alive with its recorded start time gets its program's stop
 * signal on its whole process group, then SIGKILL, before anything is
 * started, so a program never runs twice. */
void
supervisor_reap_orphans(struct supervisor *sv)
{
	struct state	 st;
	struct pollfd	*pfds;
	double		*deadline, now, next;
	bool		*killed;
	char		 err[512];
	size_t		 i, alive = 0;
	int		 rc;

	if (sv->state_path == NULL)
		return;
	rc = state_read(sv->state_path, &st, err, sizeof(err));
	if (rc == -1)
		log_warn("ignoring the state file: %s", err);
	if (rc != 0)
		return;
	pfds = xcalloc(st.n + 1, sizeof(*pfds));
	deadline = xcalloc(st.n + 1, sizeof(*deadline));
	killed = xcalloc(st.n + 1, sizeof(*killed));
	now = ev_time();
	for (i = 0; i < st.n; i++) {
		struct state_entry	*e = &st.v[i];
		struct sv_proc		*sp = supervisor_find(sv, e->name);
		int			 sig = SIGTERM;

		pfds[i].fd = -1;
		if (state_proc_starttime(e->pid) != e->starttime)
			continue;	/* gone, or a recycled pid */
		pfds[i].fd = pidfd_open(e->pid, 0);
		if (pfds[i].fd == -1)
			continue;
		(void)fd_cloexec(pfds[i].fd);
		pfds[i].events = POLLIN;
		deadline[i] = now + 10;
		if (sp != NULL) {
			sig = sp->p.prog->stopsignal;
			deadline[i] = now + sp->p.prog->stopwaitsecs;
		}
		log_warn("killing orphan of a previous tendd: '%s' (pid %ld)",
		    e->name, (long)e->pid);
		(void)kill(-e->pgid, sig);
		(void)kill(-e->pgid, SIGCONT);
		alive++;
	}
	while (alive > 0) {
		now = ev_time();
		next = now + 3600;
		for (i = 0; i < st.n; i++) {
			if (pfds[i].fd == -1)
				continue;
			if (now >= deadline[i] && !killed[i]) {
				log_warn("killing '%s' (%ld) with SIGKILL",
				    st.v[i].name, (long)st.v[i].pid);
				(void)kill(-st.v[i].pgid, SIGKILL);
				(void)pidfd_send_signal(pfds[i].fd, SIGKILL,
				    NULL, 0);
				killed[i] = true;
				deadline[i] = now + 5;
			} else if (now >= deadline[i]) {
				log_error("orphan '%s' (%ld) survives SIGKILL",
				    st.v[i].name, (long)st.v[i].pid);
				(void)close(pfds[i].fd);
				pfds[i].fd = -1;
				alive--;
				continue;
			}
			if (deadline[i] < next)
				next = deadline[i];
		}
		if (alive == 0)
			break;
		rc = poll(pfds, st.n, (int)((next - now) * 1000) + 1);
		if (rc == -1 && errno != EINTR)
			break;
		for (i = 0; rc > 0 && i < st.n; i++) {
			if (pfds[i].fd != -1 && (pfds[i].revents & POLLIN)) {
				(void)close(pfds[i].fd);
				pfds[i].fd = -1;
				alive--;
			}
		}
	}
	for (i = 0; i < st.n; i++)
		if (pfds[i].fd != -1)
			(void)close(pfds[i].fd);
	free(killed);
	free(deadline);
	free(pfds);
	state_free(&st);
	sv_state_dirty(sv);
}

/* Monotonic seconds, for every timeout. */
static double
sv_now(struct supervisor *sv)
{
	return ev_now(sv->loop);
}

/* ---- configurations ---- */

/* Track a configuration that processes may point into. */
static struct config_ref *
sv_config_add(struct supervisor *sv, struct config *c)
{
	struct config_ref	*r = xcalloc(1, sizeof(*r));

	r->config = c;
	r->next = sv->configs;
	sv->configs = r;
	return r;
}

/* Free configurations nothing uses any more. */
static void
sv_config_gc(struct supervisor *sv)
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

/* Find the ref of the current configuration. */
static struct config_ref *
sv_config_current(struct supervisor *sv)
{
	struct config_ref	*r;

	for (r = sv->configs; r != NULL; r = r->next)
		if (r->config == sv->config)
			return r;
	return NULL;
}

/* ---- child output ---- */

/* Write all of buf to fd; count what could not be written. */
static void
sv_stream_write(struct sv_proc *sp, struct sv_stream *s, const char *data,
    size_t len)
{
	ssize_t	n;

	while (len > 0 && s->logfd != -1) {
		n = write(s->logfd, data, len);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (s->dropped == 0)
			log_warn("%s: cannot write its output: %s (bytes are "
			    "dropped and counted)", sp->p.name,
			    n == -1 ? strerror(errno) : "short write");
		break;
	}
	s->dropped += len;
}

/* Read what the child wrote and append it to its log. */
static void
sv_stream_drain(struct sv_proc *sp, struct sv_stream *s)
{
	char	buf[OUTPUT_CHUNK];
	size_t	budget = OUTPUT_BUDGET;
	ssize_t	n;

	while (s->fd != -1 && budget > 0) {
		n = read(s->fd, buf, sizeof(buf));
		if (n > 0) {
			sv_stream_write(sp, s, buf, (size_t)n);
			budget -= (size_t)n < budget ? (size_t)n : budget;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		/* EOF (every writer gone) or an error: stop watching. */
		ev_io_stop(sp->sv->loop, &s->io);
		(void)close(s->fd);
		s->fd = -1;
	}
}

/* A child's stdout or stderr has data. */
static void
sv_stream_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sv_proc	*sp = w->data;

	(void)loop;
	(void)revents;
	sv_stream_drain(sp, w == &sp->out.io ? &sp->out : &sp->err);
}

/* Close a stream's pipe (and its log file too when all is set). */
static void
sv_stream_close(struct sv_proc *sp, struct sv_stream *s, bool logtoo)
{
	if (s->fd != -1) {
		ev_io_stop(sp->sv->loop, &s->io);
		(void)close(s->fd);
		s->fd = -1;
	}
	if (logtoo && s->logfd != -1) {
		(void)close(s->logfd);
		s->logfd = -1;
	}
}

/* The log file of one stream: path, or NULL for NONE. */
static char *
sv_log_path(struct sv_proc *sp, bool err)
{
	const struct program	*p = sp->p.prog;
	const char		*v = err ? p->stderr_logfile : p->stdout_logfile;

	if (v != NULL)
		return v[0] == '\0' ? NULL : xstrdup(v);
	return xasprintf("%s/%s-%s.log", sp->sv->config->childlogdir,
	    sp->p.name, err ? "stderr" : "stdout");
}

/* Open a stream's log (append) if it is not open. */
static int
sv_stream_open_log(struct sv_proc *sp, struct sv_stream *s, bool err,
    char *why, size_t len)
{
	char	*path;

	if (s->logfd != -1)
		return 0;
	if ((path = sv_log_path(sp, err)) == NULL)
		return 0;
	s->logfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NOCTTY, 0644);
	if (s->logfd == -1) {
		(void)snprintf(why, len, "couldn't open log file %s: %s", path,
		    strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* A pipe for one stream: the read end is ours (non-blocking). */
static int
sv_stream_pipe(struct sv_proc *sp, struct sv_stream *s, int *childfd,
    char *why, size_t len)
{
	int	fds[2];

	if (pipe2(fds, O_CLOEXEC) == -1) {
		if (errno == EMFILE || errno == ENFILE)
			(void)snprintf(why, len, "too many open files to spawn "
			    "'%s'", sp->p.name);
		else
			(void)snprintf(why, len, "unknown error making "
			    "dispatchers for '%s': %s", sp->p.name,
			    strerror(errno));
		return -1;
	}
	if (fd_nonblock(fds[0]) == -1) {
		(void)snprintf(why, len, "unknown error making dispatchers for "
		    "'%s': %s", sp->p.name, strerror(errno));
		(void)close(fds[0]);
		(void)close(fds[1]);
		return -1;
	}
	s->fd = fds[0];
	*childfd = fds[1];
	return 0;
}

/* ---- spawning ---- */

/* Carry out PA_SPAWN. */
static void
sv_spawn(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;
	const struct program	*p = sp->p.prog;
	struct spawn_request	 rq;
	struct proc_actions	 a;
	char			 why[512];
	int			 outw = -1, errw = -1;
	bool			 want_out, want_err;
	pid_t			 pid = -1;

	why[0] = '\0';
	sv_stream_close(sp, &sp->out, false);
	sv_stream_close(sp, &sp->err, false);
	if (sv_stream_open_log(sp, &sp->out, false, why, sizeof(why)) == -1)
		goto fail;
	if (!p->redirect_stderr &&
	    sv_stream_open_log(sp, &sp->err, true, why, sizeof(why)) == -1)
		goto fail;
	want_out = sp->out.logfd != -1;
	want_err = !p->redirect_stderr && sp->err.logfd != -1;
	if (want_out && sv_stream_pipe(sp, &sp->out, &outw, why,
	    sizeof(why)) == -1)
		goto fail;
	if (want_err && sv_stream_pipe(sp, &sp->err, &errw, why,
	    sizeof(why)) == -1)
		goto fail;

	memset(&rq, 0, sizeof(rq));
	rq.prog = p;
	rq.config = sv->config;
	rq.name = sp->p.name;
	rq.group = p->name;
	rq.stdout_fd = outw;
	rq.stderr_fd = p->redirect_stderr ? outw : errw;
	rq.base_nofile = sv->have_base_nofile ? &sv->base_nofile : NULL;
	pid = spawn_process(&rq, why, sizeof(why));
fail:
	if (outw != -1)
		(void)close(outw);
	if (errw != -1)
		(void)close(errw);
	if (pid == -1) {
		sv_stream_close(sp, &sp->out, false);
		sv_stream_close(sp, &sp->err, false);
		proc_spawn_failed(&sp->p, why[0] != '\0' ? why :
		    "unknown spawn error", &a);
		sv_apply(sp, &a);
		return;
	}
	if (sp->out.fd != -1) {
		ev_io_set(&sp->out.io, sp->out.fd, EV_READ);
		ev_io_start(sv->loop, &sp->out.io);
	}
	if (sp->err.fd != -1) {
		ev_io_set(&sp->err.io, sp->err.fd, EV_READ);
		ev_io_start(sv->loop, &sp->err.io);
	}
	/* Signals go through a pidfd: a recycled pid can never be hit. */
	sp->pidfd = pidfd_open(pid, 0);
	if (sp->pidfd != -1)
		(void)fd_cloexec(sp->pidfd);
	sp->starttime = state_proc_starttime(pid);
	sv_state_dirty(sv);
	proc_spawned(&sp->p, pid, &a);
	sv_apply(sp, &a);
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
			log_error("%s: cannot send signal %d to %ld: %s",
			    sp->p.name, sig, (long)pid, strerror(errno));
			return -1;
		}
	}
	if (kill(group ? -pid : pid, sig) == -1) {
		if (errno == ESRCH)
			return 0;	/* exiting; the reaper will tell */
		log_error("%s: cannot send signal %d to %ld: %s", sp->p.name,
		    sig, (long)pid, strerror(errno));
		return -1;
	}
	return 0;
}

/* After a change: updates waiting for this process to stop. */
static void
sv_after_stop(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;
	struct proc_actions	 a;

	if (!proc_is_stopped_state(sp->p.state) || sp->p.pid != 0)
		return;
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
		sv_stream_close(sp, &sp->out, true);
		sv_stream_close(sp, &sp->err, true);
		log_info("%s: configuration updated", sp->p.name);
		if (sp->p.prog->autostart && !sv->shutting_down) {
			proc_start(&sp->p, sv_now(sv), time(NULL), &a);
			sv_apply(sp, &a);
		}
	}
}

static void	sv_shutdown_step(struct supervisor *);

/* Carry out a transition's actions, in order. */
static void
sv_apply(struct sv_proc *sp, struct proc_actions *a)
{
	struct supervisor	*sv = sp->sv;
	unsigned		 i;

	for (i = 0; i < a->nlog; i++)
		log_msg(a->log[i].level, "%s", a->log[i].text);
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
	if (a->flags & PA_SPAWN) {
		sv_spawn(sp);
		return;		/* sv_spawn applied the rest */
	}
	if (a->changed) {
		sv_after_stop(sp);
		supervisor_changed(sv);
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
			sv_apply(sp, &a);
		return;
	}
	proc_timer(&sp->p, sv_now(sp->sv), time(NULL), &a);
	sv_apply(sp, &a);
}

/* libev reaped a child: ours, or an orphan we are subreaper of. */
static void
sv_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct sv_proc		*sp = NULL;
	struct proc_actions	 a;
	char			 how[128];
	size_t			 i;

	(void)loop;
	(void)revents;
	for (i = 0; i < sv->nprocs; i++) {
		if (sv->procs[i]->p.pid == w->rpid) {
			sp = sv->procs[i];
			break;
		}
	}
	if (sp == NULL) {
		format_wait_status(how, sizeof(how), w->rstatus);
		log_info("reaped unknown pid %ld (%s)", (long)w->rpid, how);
		return;
	}
	if (sp->pidfd != -1) {
		(void)close(sp->pidfd);
		sp->pidfd = -1;
	}
	sp->starttime = 0;
	sv_state_dirty(sv);
	/* Everything it wrote before exiting goes to the log first. */
	sv_stream_drain(sp, &sp->out);
	sv_stream_drain(sp, &sp->err);
	proc_exited(&sp->p, w->rstatus, sv_now(sv), time(NULL),
	    !sv->shutting_down, &a);
	sv_apply(sp, &a);
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
	sp->out.fd = sp->err.fd = -1;
	sp->out.logfd = sp->err.logfd = -1;
	ev_io_init(&sp->out.io, sv_stream_cb, -1, EV_READ);
	sp->out.io.data = sp;
	ev_io_init(&sp->err.io, sv_stream_cb, -1, EV_READ);
	sp->err.io.data = sp;
	return sp;
}

/* Release a process that is stopped. */
static void
sv_proc_free(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;

	commands_forget(sv, sp);
	ev_timer_stop(sv->loop, &sp->timer);
	if (sp->pidfd != -1)
		(void)close(sp->pidfd);
	sv_stream_close(sp, &sp->out, true);
	sv_stream_close(sp, &sp->err, true);
	sp->cref->refs--;
	if (sp->pending_cref != NULL)
		sp->pending_cref->refs--;
	proc_free(&sp->p);
	free(sp);
}

/* Keep procs sorted by name. */
static int
sv_proc_cmp(const void *a, const void *b)
{
	const struct sv_proc	*x = *(struct sv_proc *const *)a;
	const struct sv_proc	*y = *(struct sv_proc *const *)b;

	return strcmp(x->p.name, y->p.name);
}

/* Order for starting: priority, then name. */
static int
sv_prio_cmp(const void *a, const void *b)
{
	const struct sv_proc	*x = *(struct sv_proc *const *)a;
	const struct sv_proc	*y = *(struct sv_proc *const *)b;

	if (x->p.prog->priority != y->p.prog->priority)
		return x->p.prog->priority < y->p.prog->priority ? -1 : 1;
	return strcmp(x->p.name, y->p.name);
}

/* Free the processes that an update removed, once they stopped. */
static void
sv_gc_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct supervisor	*sv = w->data;
	size_t			 i, n = 0;

	(void)revents;
	ev_idle_stop(loop, w);
	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing && proc_is_stopped_state(sp->p.state) &&
		    sp->p.pid == 0) {
			log_info("%s: removed", sp->p.name);
			sv_proc_free(sp);
		} else
			sv->procs[n++] = sp;
	}
	sv->nprocs = n;
	sv_config_gc(sv);
	supervisor_changed(sv);
}

/* See supervisor.h. */
struct sv_proc *
supervisor_find(struct supervisor *sv, const char *name)
{
	size_t	i;

	for (i = 0; i < sv->nprocs; i++)
		if (!sv->procs[i]->removing &&
		    strcmp(sv->procs[i]->p.name, name) == 0)
			return sv->procs[i];
	return NULL;
}

/* See supervisor.h. */
bool
supervisor_start(struct sv_proc *sp)
{
	struct proc_actions	a;

	if (proc_is_running_state(sp->p.state) ||
	    sp->p.state == PROC_STOPPING)
		return false;
	proc_start(&sp->p, sv_now(sp->sv), time(NULL), &a);
	sv_apply(sp, &a);
	return true;
}

/* See supervisor.h. */
bool
supervisor_stop(struct sv_proc *sp)
{
	struct proc_actions	a;

	if (!proc_stop(&sp->p, &a))
		return false;
	sv_apply(sp, &a);
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
	commands_poke(sv);
	if (sv->shutting_down)
		sv_shutdown_step(sv);
}

/* See supervisor.h. */
void
supervisor_autostart(struct supervisor *sv)
{
	struct sv_proc	**order;
	size_t		  i;

	order = xcalloc(sv->nprocs + 1, sizeof(*order));
	memcpy(order, sv->procs, sv->nprocs * sizeof(*order));
	qsort(order, sv->nprocs, sizeof(*order), sv_prio_cmp);
	for (i = 0; i < sv->nprocs; i++)
		if (order[i]->p.prog->autostart && order[i]->p.start_wall == 0)
			(void)supervisor_start(order[i]);
	free(order);
}

/* ---- update ---- */

/* See supervisor.h. */
int
supervisor_update(struct supervisor *sv, struct strlist *errs)
{
	struct config		*nc;
	struct config_ref	*ref;
	struct strlist		 warns = { NULL, 0 };
	size_t			 i, n;

	nc = config_load(sv->config_path, errs, &warns);
	for (i = 0; i < warns.n; i++)
		log_warn("%s", warns.v[i]);
	strlist_free(&warns);
	if (nc == NULL)
		return -1;
	ref = sv_config_add(sv, nc);
	sv->config = nc;

	n = sv->nprocs;
	for (i = 0; i < n; i++) {
		struct sv_proc		*sp = sv->procs[i];
		const struct program	*np = config_find(nc, sp->p.name);

		if (sp->removing)
			continue;
		if (sp->pending_cref != NULL) {
			sp->pending_cref->refs--;
			sp->pending_cref = NULL;
			sp->pending = NULL;
		}
		if (np == NULL) {
			log_info("%s: disappeared from the configuration",
			    sp->p.name);
			sp->removing = true;
			if (!supervisor_stop(sp))
				sv_after_stop(sp);
		} else if (program_equal(np, sp->p.prog)) {
			sp->cref->refs--;
			sp->cref = ref;
			ref->refs++;
			sp->p.prog = np;
		} else {
			log_info("%s: changed", sp->p.name);
			sp->pending = np;
			sp->pending_cref = ref;
			ref->refs++;
			if (!supervisor_stop(sp))
				sv_after_stop(sp);
		}
	}
	for (i = 0; i < nc->nprogs; i++) {
		struct sv_proc	*sp = supervisor_find(sv, nc->progs[i].name);

		if (sp != NULL)
			continue;
		sp = sv_proc_new(sv, ref, &nc->progs[i]);
		sv->procs = xreallocarray(sv->procs, sv->nprocs + 1,
		    sizeof(*sv->procs));
		sv->procs[sv->nprocs++] = sp;
		log_info("%s: added", sp->p.name);
	}
	qsort(sv->procs, sv->nprocs, sizeof(*sv->procs), sv_proc_cmp);
	if (!sv->shutting_down)
		supervisor_autostart(sv);
	sv_config_gc(sv);
	supervisor_changed(sv);
	return 0;
}

/* ---- signals and shutdown ---- */

/* Once everything is stopped: leave when the replies are written. */
static void
sv_shutdown_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct supervisor	*sv = w->data;
	static int		 ticks;

	(void)revents;
	if (control_idle(sv->control) || ++ticks > 100)
		ev_break(loop, EVBREAK_ALL);
}

/* Stop the highest remaining priority; leave when nothing runs. */
static void
sv_shutdown_step(struct supervisor *sv)
{
	size_t	i;
	int	prio = INT_MIN;
	bool	waiting = false;

	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->p.state == PROC_STOPPING)
			waiting = true;
		else if (proc_is_running_state(sp->p.state) &&
		    sp->p.prog->priority > prio)
			prio = sp->p.prog->priority;
	}
	if (waiting)
		return;
	if (prio != INT_MIN) {
		for (i = 0; i < sv->nprocs; i++) {
			struct sv_proc	*sp = sv->procs[i];

			if (proc_is_running_state(sp->p.state) &&
			    sp->p.prog->priority == prio)
				(void)supervisor_stop(sp);
		}
		return;
	}
	if (!ev_is_active(&sv->shutdown_timer)) {
		ev_timer_set(&sv->shutdown_timer, 0., 0.02);
		ev_timer_start(sv->loop, &sv->shutdown_timer);
	}
}

/* See supervisor.h. */
void
supervisor_shutdown(struct supervisor *sv)
{
	if (sv->shutting_down)
		return;
	sv->shutting_down = true;
	log_info("stopping all processes");
	sv_shutdown_step(sv);
}

/* SIGTERM, SIGINT, SIGHUP, SIGUSR2. */
static void
sv_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct strlist		 errs = { NULL, 0 };
	size_t			 i;
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
		log_warn("received %s indicating exit request", name);
		supervisor_shutdown(sv);
		break;
	case SIGHUP:
		if (sv->shutting_down) {
			log_warn("received %s during shutdown: ignored", name);
			break;
		}
		log_warn("received %s indicating restart request", name);
		if (supervisor_update(sv, &errs) == -1) {
			for (i = 0; i < errs.n; i++)
				log_error("%s", errs.v[i]);
			log_error("configuration not reloaded: nothing changed");
		}
		strlist_free(&errs);
		break;
	case SIGUSR2:
		log_info("received %s indicating log reopen request", name);
		for (i = 0; i < sv->nprocs; i++) {
			struct sv_proc	*sp = sv->procs[i];
			char		 why[512];

			if (sp->out.logfd != -1) {
				(void)close(sp->out.logfd);
				sp->out.logfd = -1;
				(void)sv_stream_open_log(sp, &sp->out, false,
				    why, sizeof(why));
			}
			if (sp->err.logfd != -1) {
				(void)close(sp->err.logfd);
				sp->err.logfd = -1;
				(void)sv_stream_open_log(sp, &sp->err, true,
				    why, sizeof(why));
			}
		}
		break;
	default:
		break;
	}
}

/* See supervisor.h. */
struct supervisor *
supervisor_new(struct ev_loop *loop, const char *path, struct config *c)
{
	struct supervisor	*sv = xcalloc(1, sizeof(*sv));
	struct config_ref	*ref;
	struct rlimit		 rl;
	size_t			 i;

	sv->loop = loop;
	sv->config_path = xstrdup(path);
	sv->config = c;
	ref = sv_config_add(sv, c);
	sv->procs = xcalloc(c->nprogs + 1, sizeof(*sv->procs));
	for (i = 0; i < c->nprogs; i++)
		sv->procs[sv->nprocs++] = sv_proc_new(sv, ref, &c->progs[i]);
	qsort(sv->procs, sv->nprocs, sizeof(*sv->procs), sv_proc_cmp);

	/* Children get the limit tendd started with, not minfds. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		sv->base_nofile = rl;
		sv->have_base_nofile = true;
		if (rl.rlim_cur < c->minfds) {
			rl.rlim_cur = c->minfds;
			if (rl.rlim_max != RLIM_INFINITY &&
			    rl.rlim_cur > rl.rlim_max)
				log_warn("minfds %u is above the hard limit "
				    "%llu", c->minfds,
				    (unsigned long long)rl.rlim_max);
			else if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
				log_warn("cannot raise the open file limit to "
				    "%u: %s", c->minfds, strerror(errno));
		}
	}
	/* Orphans of our programs come to us, and are reaped. */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("cannot become a subreaper: %s", strerror(errno));

	ev_signal_init(&sv->sigterm, sv_signal_cb, SIGTERM);
	ev_signal_init(&sv->sigint, sv_signal_cb, SIGINT);
	ev_signal_init(&sv->sighup, sv_signal_cb, SIGHUP);
	ev_signal_init(&sv->sigusr2, sv_signal_cb, SIGUSR2);
	sv->sigterm.data = sv->sigint.data = sv->sighup.data = sv;
	sv->sigusr2.data = sv;
	ev_signal_start(loop, &sv->sigterm);
	ev_signal_start(loop, &sv->sigint);
	ev_signal_start(loop, &sv->sighup);
	ev_signal_start(loop, &sv->sigusr2);
	ev_child_init(&sv->anychild, sv_child_cb, 0, 0);
	sv->anychild.data = sv;
	ev_child_start(loop, &sv->anychild);
	ev_idle_init(&sv->gc, sv_gc_cb);
	sv->gc.data = sv;
	sv->state_path = xasprintf("%s.state", c->control);
	ev_prepare_init(&sv->state_prep, sv_state_prep_cb);
	sv->state_prep.data = sv;
	ev_timer_init(&sv->shutdown_timer, sv_shutdown_timer_cb, 0., 0.);
	sv->shutdown_timer.data = sv;
	(void)sv_config_current;
	return sv;
}

/* See supervisor.h. */
void
supervisor_free(struct supervisor *sv)
{
	struct config_ref	*r;
	size_t			 i;

	commands_free_all(sv);
	ev_signal_stop(sv->loop, &sv->sigterm);
	ev_signal_stop(sv->loop, &sv->sigint);
	ev_signal_stop(sv->loop, &sv->sighup);
	ev_signal_stop(sv->loop, &sv->sigusr2);
	ev_child_stop(sv->loop, &sv->anychild);
	ev_idle_stop(sv->loop, &sv->gc);
	ev_timer_stop(sv->loop, &sv->shutdown_timer);
	ev_prepare_stop(sv->loop, &sv->state_prep);
	for (i = 0; i < sv->nprocs; i++)
		sv_proc_free(sv->procs[i]);
	free(sv->procs);
	while ((r = sv->configs) != NULL) {
		sv->configs = r->next;
		config_free(r->config);
		free(r);
	}
	free(sv->config_path);
	free(sv->state_path);
	free(sv);
}
