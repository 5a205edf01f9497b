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
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "control.h"
#include "log.h"
#include "logcmd.h"
#include "notify.h"
#include "outlog_io.h"
#include "readysock.h"
#include "safeopen.h"
#include "spawn.h"
#include "state.h"
#include "stats.h"
#include "supervisor.h"
#include "util.h"

static void	sv_apply(struct sv_proc *, struct proc_actions *);
static void	sv_spawn(struct sv_proc *);
static void	sv_ready_cb(struct ev_loop *, ev_io *, int);
static void	sv_ready_close(struct sv_proc *);

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

/* Is e, now, a process group tendd made: its leader alive with the
 * recorded start time, pid == recorded pgid == its pgid? Asked again right
 * before every signal to the group. */
static bool
sv_orphan_ours(const struct state_entry *e)
{
	return state_orphan_ours(e, getpgid(e->pid),
	    state_proc_starttime(e->pid));
}

/* Signal an orphan: its group while it still is ours, else its leader
 * alone, through the pidfd (which names the very process found to be
 * ours: it may have left the group since). */
static void
sv_orphan_signal(int pidfd, const struct state_entry *e, int sig)
{
	if (sv_orphan_ours(e))
		(void)kill(-e->pgid, sig);
	else
		(void)pidfd_send_signal(pidfd, sig, NULL, 0);
}

/* See supervisor.h. The orphans cannot be adopted (they are no longer our
 * children, so their exit status and their output pipes are gone): each
 * one still alive with its recorded start time gets its program's stop
 * signal on its whole process group, then SIGKILL, before anything is
 * started, so a program never runs twice. The file is trusted only as
 * tendd's own (state_read), and a group is signalled only while its
 * leader is the process recorded (sv_orphan_ours): never a process a
 * forged or stale file names. */
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
		/* Again, now that the pidfd holds the process: if it is the
		 * recorded one now, the pidfd names it. */
		if (!sv_orphan_ours(e)) {
			if (state_proc_starttime(e->pid) == e->starttime)
				log_warn("state file: pid %ld ('%s') is not the "
				    "leader of process group %ld: not killed",
				    (long)e->pid, e->name, (long)e->pgid);
			(void)close(pfds[i].fd);
			pfds[i].fd = -1;
			continue;
		}
		pfds[i].events = POLLIN;
		deadline[i] = now + 10;
		if (sp != NULL) {
			sig = sp->p.prog->stopsignal;
			deadline[i] = now + sp->p.prog->stopwaitsecs;
		}
		log_warn("killing orphan of a previous tendd: '%s' (pid %ld)",
		    e->name, (long)e->pid);
		sv_orphan_signal(pfds[i].fd, e, sig);
		sv_orphan_signal(pfds[i].fd, e, SIGCONT);
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
				sv_orphan_signal(pfds[i].fd, &st.v[i], SIGKILL);
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

/* Monotonic seconds, for every duration (startsecs). Not ev_now(): that is
 * the wall clock, which may be stepped back or forth. */
static double
sv_now(struct supervisor *sv)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return ev_now(sv->loop);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

/* ---- child output (outlog_io.c) ---- */

/* See supervisor.h. */
char *
supervisor_log_path(const struct sv_proc *sp, bool err)
{
	return program_log_path(sp->sv->config, sp->p.prog, err);
}

/* Set a stream up for the next spawn (opens its file); -1 with why. */
static int
sv_stream_configure(struct sv_proc *sp, bool err, char *why, size_t len)
{
	const struct program	*p = sp->p.prog;
	struct outlog_conf	 c;
	char			*path = supervisor_log_path(sp, err);
	int			 rc;

	c.path = path;
	c.maxbytes = err ? p->stderr_logfile_maxbytes :
	    p->stdout_logfile_maxbytes;
	c.backups = err ? p->stderr_logfile_backups :
	    p->stdout_logfile_backups;
	c.syslog = err ? !p->redirect_stderr && p->stderr_syslog :
	    p->stdout_syslog;
	c.syslog_pri = LOG_USER | (err ? LOG_ERR : LOG_INFO);
	rc = outlog_configure(err ? sp->err.log : sp->out.log, &c, why, len);
	free(path);
	return rc;
}

/* See supervisor.h. */
int
supervisor_reopen_logs(struct supervisor *sv)
{
	size_t	i;
	int	rc = 0;

	if (log_reopen_file() == -1) {
		log_error("cannot reopen log file %s", log_open_error());
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

/* ---- spawning ---- */

/* ---- readiness (notification_fd=, as s6's notification-fd) ---- */

/* Stop listening for readiness: the line came, the pipe closed, or the
 * child is gone. */
static void
sv_ready_close(struct sv_proc *sp)
{
	if (sp->ready.fd == -1)
		return;
	ev_io_stop(sp->sv->loop, &sp->ready);
	(void)close(sp->ready.fd);
	ev_io_set(&sp->ready, -1, EV_READ);
}

/* Read what the child wrote on its notification_fd: the first newline
 * makes it RUNNING; EOF ends the wait (it may still exit or be stopped).
 * Bytes before the newline are ignored, and bounded per call. */
static void
sv_ready_read(struct sv_proc *sp)
{
	struct proc_actions	a;
	char			buf[512];
	ssize_t			n;
	int			i;

	for (i = 0; i < 16; i++) {
		n = read(sp->ready.fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n > 0 && memchr(buf, '\n', (size_t)n) == NULL)
			continue;
		sv_ready_close(sp);
		if (n > 0) {
			proc_ready(&sp->p, "notification_fd", &a);
			sv_apply(sp, &a);
		}
		return;
	}
}

static void
sv_ready_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	sv_ready_read(w->data);
}

/* Datagrams on the NOTIFY_SOCKET of sd_notify= programs: READY=1 makes a
 * program RUNNING when it comes from the program's process, or from
 * another process of its process group (a daemon's worker, systemd-notify
 * run from a script) that runs as the program's user: every program is
 * in tendd's session, and one may join another's process group, but it
 * cannot take another user's uid. */
static void
sv_readysock_read(struct supervisor *sv)
{
	struct proc_actions	 a;
	struct sv_proc		*sp;
	char			 buf[4096];
	ssize_t			 n;
	pid_t			 pid, pgid;
	uid_t			 uid;
	int			 i;

	for (i = 0; i < 64; i++) {
		if ((n = readysock_recv(sv->readysock.fd, buf, sizeof(buf),
		    &pid, &uid)) == -1)
			return;
		if (pid <= 0 || !readysock_says_ready(buf, (size_t)n))
			continue;
		if ((sp = pidmap_get(&sv->pids, pid)) == NULL &&
		    (pgid = getpgid(pid)) > 0 &&
		    (sp = pidmap_get(&sv->pids, pgid)) != NULL &&
		    uid != (sp->p.prog->user != NULL ? sp->p.prog->uid :
		    geteuid()))
			sp = NULL;
		if (sp == NULL || !sp->p.prog->sd_notify) {
			log_debug("READY=1 from pid %ld, which is no "
			    "sd_notify program's: ignored", (long)pid);
			continue;
		}
		proc_ready(&sp->p, "READY=1", &a);
		sv_apply(sp, &a);
	}
}

static void
sv_readysock_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	sv_readysock_read(w->data);
}

/* The NOTIFY_SOCKET value for a spawn of sp, opening the socket at the
 * first sd_notify= program; NULL with why if it cannot be. */
static const char *
sv_readysock(struct sv_proc *sp, char *why, size_t len)
{
	struct supervisor	*sv = sp->sv;
	char			 err[256];
	int			 fd;

	if (sv->readysock.fd != -1)
		return sv->readysock_name;
	if ((fd = readysock_open(sv->readysock_name,
	    sizeof(sv->readysock_name), err, sizeof(err))) == -1) {
		(void)snprintf(why, len, "couldn't open the NOTIFY_SOCKET for "
		    "'%s': %s", sp->p.name, err);
		return NULL;
	}
	ev_io_set(&sv->readysock, fd, EV_READ);
	ev_io_start(sv->loop, &sv->readysock);
	return sv->readysock_name;
}

/* A pipe for the child's notification_fd; its read end starts being
 * watched once the spawn worked. -1 with why. */
static int
sv_ready_pipe(struct sv_proc *sp, char *why, size_t len)
{
	int	fds[2];

	sv_ready_close(sp);
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		if (!spawn_out_of_fds(errno, sp->p.name, why, len))
			(void)snprintf(why, len, "couldn't make the "
			    "notification_fd pipe for '%s': %s", sp->p.name,
			    strerror(errno));
		return -1;
	}
	ev_io_set(&sp->ready, fds[0], EV_READ);
	return fds[1];
}

/* ---- dependencies (depends_on=) ---- */

enum sv_deps { DEPS_READY, DEPS_WAIT, DEPS_FAILED };

/* Is there a [program:name] in the current configuration? */
static bool
sv_config_has_program(const struct supervisor *sv, const char *name)
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
static enum sv_deps
sv_deps(struct sv_proc *sp, bool first, char *why, size_t len)
{
	struct supervisor	*sv = sp->sv;
	const struct strlist	*deps = &sp->p.prog->depends_on;
	enum sv_deps		 r = DEPS_READY;
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
				return DEPS_FAILED;
			}
			r = DEPS_WAIT;
			if ((first || q->p.start_wall == 0) &&
			    proc_is_stopped_state(q->p.state) &&
			    !sv->shutting_down) {
				log_info("%s: starting %s, which it depends "
				    "on", sp->p.name, q->p.name);
				(void)supervisor_start(q);
			}
		}
		/* one an update is adding now comes with its group */
		if (!found && sv_config_has_program(sv, deps->v[k]))
			r = DEPS_WAIT;
		else if (!found) {
			(void)snprintf(why, len, "dependency %s is not in the "
			    "configuration", deps->v[k]);
			return DEPS_FAILED;
		}
	}
	return r;
}

/* Whether sp may be spawned now; if not, it waits (dep_wait) or its start
 * fails. */
static bool
sv_deps_gate(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;
	struct proc_actions	 a;
	char			 why[256];

	if (sp->p.prog->depends_on.n == 0) {
		if (sp->dep_wait) {	/* an update took them away */
			sp->dep_wait = false;
			sv->ndepwait--;
		}
		return true;
	}
	switch (sv_deps(sp, !sp->dep_wait, why, sizeof(why))) {
	case DEPS_READY:
		if (sp->dep_wait) {
			sp->dep_wait = false;
			sv->ndepwait--;
			/* startsecs and the uptime count from the spawn */
			sp->p.start_mono = sv_now(sv);
			sp->p.start_wall = time(NULL);
		}
		return true;
	case DEPS_WAIT:
		if (!sp->dep_wait) {
			sp->dep_wait = true;
			sv->ndepwait++;
			log_info("%s: waiting for the programs it depends on "
			    "(depends_on)", sp->p.name);
			/* a dependency started above may be RUNNING (or
			 * FATAL) already: look again from the loop */
			if (!ev_is_active(&sv->dep_timer))
				ev_timer_start(sv->loop, &sv->dep_timer);
			supervisor_changed(sv);
		}
		return false;
	default:
		if (sp->dep_wait) {
			sp->dep_wait = false;
			sv->ndepwait--;
		}
		proc_spawn_failed(&sp->p, why, &a);
		sv_apply(sp, &a);
		return false;
	}
}

/* Per [program:] name, for the waiters' look: are all its processes
 * RUNNING, and is there one the gate must act on (FATAL, or stopped
 * without ever having run)? */
struct sv_depsum {
	const char	*name;
	bool		 all_running;
	bool		 decisive;
};

static int
sv_depsum_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sv_depsum *)a)->name,
	    ((const struct sv_depsum *)b)->name);
}

/* The summary of every program, sorted by name; *n entries. */
static struct sv_depsum *
sv_depsum_build(struct supervisor *sv, size_t *n)
{
	struct sv_depsum	*v = xcalloc(sv->nprocs + 1, sizeof(*v));
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
	qsort(v, k, sizeof(*v), sv_depsum_cmp);
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
sv_depsum_worth(const struct sv_proc *sp, const struct sv_depsum *v,
    size_t n)
{
	const struct strlist	*deps = &sp->p.prog->depends_on;
	const struct sv_depsum	*e;
	struct sv_depsum	 key = { NULL, false, false };
	bool			 ready = true;
	size_t			 k;

	for (k = 0; k < deps->n; k++) {
		key.name = deps->v[k];
		if ((e = bsearch(&key, v, n, sizeof(*v), sv_depsum_cmp)) ==
		    NULL || e->decisive)
			return true;
		ready &= e->all_running;
	}
	return ready;
}

/* A state changed: spawn the waiting processes whose dependencies are up
 * (from the loop, not from inside the transition that changed it). */
static void
sv_dep_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct sv_depsum	*sum;
	size_t			 i, nsum;

	(void)loop;
	(void)revents;
	sum = sv_depsum_build(sv, &nsum);
	for (i = 0; i < sv->nprocs && sv->ndepwait > 0; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (!sp->dep_wait)
			continue;
		if (sp->p.state != PROC_STARTING || sp->p.pid != 0 ||
		    sv->shutting_down) {
			/* stopped meanwhile */
			sp->dep_wait = false;
			sv->ndepwait--;
			continue;
		}
		/* the summary may be stale once one spawns: that only makes
		 * a waiter looked at for nothing, or at the next change */
		if (sv_depsum_worth(sp, sum, nsum))
			sv_spawn(sp);
	}
	free(sum);
}

/* Carry out PA_SPAWN. */
static void
sv_spawn(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;
	const struct program	*p = sp->p.prog;
	struct spawn_request	 rq;
	struct proc_actions	 a;
	char			 why[512];
	int			 outw = -1, errw = -1, readyw = -1;
	const char		*notify_socket = NULL;
	pid_t			 pid = -1;

	if (!sv_deps_gate(sp))
		return;
	why[0] = '\0';
	if (sv_stream_configure(sp, false, why, sizeof(why)) == -1 ||
	    sv_stream_configure(sp, true, why, sizeof(why)) == -1)
		goto fail;
	if (outlog_wanted(sp->out.log) &&
	    (outw = outlog_pipe(sp->out.log, why, sizeof(why))) == -1)
		goto fail;
	if (!p->redirect_stderr && outlog_wanted(sp->err.log) &&
	    (errw = outlog_pipe(sp->err.log, why, sizeof(why))) == -1)
		goto fail;
	if (p->notification_fd != 0 &&
	    (readyw = sv_ready_pipe(sp, why, sizeof(why))) == -1)
		goto fail;
	if (p->sd_notify &&
	    (notify_socket = sv_readysock(sp, why, sizeof(why))) == NULL)
		goto fail;

	memset(&rq, 0, sizeof(rq));
	rq.prog = p;
	rq.config = sv->config;
	if (sv->base_env == NULL)
		sv->base_env = spawn_env_base(sv->config);
	rq.base_env = sv->base_env;
	rq.name = sp->p.name;
	rq.group = p->group_name;
	rq.stdout_fd = outw;
	rq.stderr_fd = p->redirect_stderr ? outw : errw;
	rq.notify_fd = readyw;
	rq.notify_socket = notify_socket;
	rq.base_nofile = sv->have_base_nofile ? &sv->base_nofile : NULL;
	pid = spawn_process(&rq, why, sizeof(why));
fail:
	if (outw != -1)
		(void)close(outw);
	if (errw != -1)
		(void)close(errw);
	if (readyw != -1)
		(void)close(readyw);
	if (pid == -1) {
		outlog_close_pipe(sp->out.log);
		outlog_close_pipe(sp->err.log);
		sv_ready_close(sp);
		proc_spawn_failed(&sp->p, why[0] != '\0' ? why :
		    "unknown spawn error", &a);
		sv_apply(sp, &a);
		return;
	}
	outlog_start(sp->out.log);
	outlog_start(sp->err.log);
	if (sp->ready.fd != -1)
		ev_io_start(sv->loop, &sp->ready);
	/* Signals go through a pidfd: a recycled pid can never be hit. */
	sp->pidfd = pidfd_open(pid, 0);
	if (sp->pidfd != -1)
		(void)fd_cloexec(sp->pidfd);
	sp->starttime = state_proc_starttime(pid);
	sv_state_dirty(sv);
	proc_spawned(&sp->p, pid, &a);
	pidmap_put(&sv->pids, pid, sp);
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
		outlog_close_file(sp->out.log);
		outlog_close_file(sp->err.log);
		log_info("%s: configuration updated", sp->p.name);
		if (sp->p.prog->autostart && !sv->shutting_down) {
			proc_start(&sp->p, sv_now(sv), time(NULL), &a);
			sv_apply(sp, &a);
		}
	}
}

static void	sv_shutdown_step(struct supervisor *);

/* sp ended and its shutdown_on= says tendd ends with it (the container's
 * main program is gone, or tend gave up on it). The first one sets the
 * exit status; the shutdown itself runs from the loop, as a transition
 * may be applied while the caller walks the processes. */
static void
sv_ended_by(struct sv_proc *sp)
{
	struct supervisor	*sv = sp->sv;

	if (sv->shutting_down || ev_is_active(&sv->end_timer))
		return;
	sv->exit_code = proc_tend_exit_code(&sp->p);
	log_warn("%s entered %s state and has shutdown_on=%s: stopping "
	    "everything; tendd will exit with status %d", sp->p.name,
	    proc_state_name(sp->p.state), sp->p.prog->shutdown_on ==
	    SHUTDOWN_ON_FATAL ? "fatal" : "exit", sv->exit_code);
	ev_timer_start(sv->loop, &sv->end_timer);
}

/* The loop came round after sv_ended_by. */
static void
sv_end_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	supervisor_shutdown(w->data);
}

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
		if (proc_ends_tend(&sp->p))
			sv_ended_by(sp);
		if (sv->ndepwait > 0 && !ev_is_active(&sv->dep_timer))
			ev_timer_start(sv->loop, &sv->dep_timer);
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

/* libev reaped a child: ours, or an orphan we are subreaper of. */
static void
sv_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct supervisor	*sv = w->data;
	struct sv_proc		*sp = NULL;
	struct proc_actions	 a;
	char			 how[128];
	double			 last, now;

	(void)loop;
	(void)revents;
	/* A READY=1 sent just before the exit counts first (its sender is
	 * found through the pid map, so before the pid leaves it). */
	if (sv->readysock.fd != -1 &&
	    (sp = pidmap_get(&sv->pids, w->rpid)) != NULL &&
	    sp->p.prog->sd_notify && sp->p.state == PROC_STARTING)
		sv_readysock_read(sv);
	if ((sp = pidmap_del(&sv->pids, w->rpid)) == NULL) {
		format_wait_status(how, sizeof(how), w->rstatus);
		log_info("reaped unknown pid %ld (%s)", (long)w->rpid, how);
		return;
	}
	/* A readiness line it wrote counts before its exit does (and before
	 * its pidfd goes: a transition may signal). */
	if (sp->ready.fd != -1) {
		sv_ready_read(sp);
		sv_ready_close(sp);
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
	last = sp->p.start_mono;
	now = sv_now(sv);
	proc_exited(&sp->p, w->rstatus, now, time(NULL),
	    !sv->shutting_down, &a);
	/* The restart floor (like s6 and runit): a program that exits less
	 * than restart_floor seconds after its spawn is restarted that long
	 * after the spawn, not at once; a crash loop costs little. */
	sp->respawn_due = now;
	if (now - last < sv->restart_floor) {
		sp->respawn_due = last + sv->restart_floor;
		if ((a.flags & PA_SPAWN) && !sp->throttled)
			log_info("%s: exits %.3f s after its start: restarted "
			    "at most every %.1f s (restart floor)", sp->p.name,
			    now - last, sv->restart_floor);
		sp->throttled = true;
	} else
		sp->throttled = false;
	/* An autorestart of a program that ran past the restart floor
	 * spawns here, at once: the restart gap is the reaction time users
	 * see, and a timer would cost a loop pass. Any other (throttled, or
	 * past the batch of this pass) spawns from the respawn timer,
	 * STARTING without a pid until then: libev reaps in a loop at top
	 * priority, and programs that exit at once must not keep it reaping
	 * and spawning, never serving tendctl. */
	if ((a.flags & PA_SPAWN) && !sp->throttled &&
	    sv_direct_respawn(sv)) {
		sp->p.start_mono = now;	/* startsecs count from the spawn */
	} else if (a.flags & PA_SPAWN) {
		a.flags &= ~PA_SPAWN;
		ev_timer_stop(sv->loop, &sv->respawn);
		ev_timer_set(&sv->respawn, 0., 0.);
		ev_timer_start(sv->loop, &sv->respawn);
	}
	sv_apply(sp, &a);
}

/* The autorestarts waiting since the last iteration: at most a batch per
 * iteration, round robin, so that the loop polls (and serves tendctl)
 * between two batches however many programs crash-loop. */
static void
sv_respawn_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct supervisor	*sv = w->data;
	size_t			 i, k, n = sv->nprocs, done = 0;
	double			 now = sv_now(sv), next = -1;

	(void)revents;
	for (k = 0; k < n; k++) {
		struct sv_proc	*sp;

		i = (sv->respawn_at + k) % n;
		sp = sv->procs[i];
		if (sp->p.state != PROC_STARTING || sp->p.pid != 0 ||
		    sp->dep_wait || sv->shutting_down)
			continue;
		if (sp->respawn_due > now) {
			if (next < 0 || sp->respawn_due < next)
				next = sp->respawn_due;
			continue;
		}
		if (done == SV_RESPAWN_BATCH) {
			sv->respawn_at = i;
			next = now;
			break;
		}
		sp->p.start_mono = now;	/* startsecs count from the spawn */
		sv_spawn(sp);
		done++;
	}
	if (done < SV_RESPAWN_BATCH)
		sv->respawn_at = 0;
	if (next >= 0) {
		ev_timer_set(w, next > now ? next - now : 0., 0.);
		ev_timer_start(loop, w);
	}
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
	ev_io_init(&sp->ready, sv_ready_cb, -1, EV_READ);
	sp->ready.data = sp;
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

	commands_forget(sv, sp);
	ev_timer_stop(sv->loop, &sp->timer);
	sv_ready_close(sp);
	if (sp->dep_wait)
		sv->ndepwait--;
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

/* Keep procs sorted by group, then name (status lists them so). */
static int
sv_proc_cmp(const void *a, const void *b)
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
	return sv_proc_cmp(a, b);
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
	stats_changed(sv->stats);
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
	qsort(order, sv->nprocs, sizeof(*order), supervisor_start_order);
	for (i = 0; i < sv->nprocs; i++)
		if (order[i]->p.prog->autostart && order[i]->p.start_wall == 0)
			(void)supervisor_start(order[i]);
	free(order);
}

/* ---- reread and update, by group as supervisord's ---- */

/* The program a process will run once an update in progress is done. */
static const struct program *
sv_target(const struct sv_proc *sp)
{
	return sp->pending != NULL ? sp->pending : sp->p.prog;
}

/* See supervisor.h. */
struct sv_proc *
supervisor_lookup(struct supervisor *sv, const char *group, const char *name)
{
	size_t	i;

	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (!sp->removing && strcmp(sp->p.name, name) == 0 &&
		    strcmp(sp->p.prog->group_name, group) == 0)
			return sp;
	}
	return NULL;
}

/* See supervisor.h. */
bool
supervisor_group_active(struct supervisor *sv, const char *group)
{
	size_t	i;

	for (i = 0; i < sv->nprocs; i++)
		if (!sv->procs[i]->removing &&
		    strcmp(sv->procs[i]->p.prog->group_name, group) == 0)
			return true;
	return false;
}

/* See supervisor.h. */
int
supervisor_check_dirs(const struct config *c, bool create,
    struct strlist *errs)
{
	char	why[PATH_MAX + 256];
	size_t	i;
	bool	autolog = false;
	int	fd;

	for (i = 0; i < c->nprogs && !autolog; i++)
		autolog = c->progs[i].stdout_logfile == NULL ||
		    (c->progs[i].stderr_logfile == NULL &&
		    !c->progs[i].redirect_stderr);
	if (!autolog)
		return 0;
	fd = safe_open_dir(c->childlogdir, create, 0750, why, sizeof(why));
	if (fd == -1 && !create && errno == ENOENT)
		return 0;		/* tendd -t: made at start */
	if (fd == -1) {
		strlist_addf(errs, "[tend] childlogdir = %s: %s (AUTO log "
		    "files go there, written by root)", c->childlogdir, why);
		return -1;
	}
	(void)close(fd);
	return 0;
}

/* See supervisor.h. */
int
supervisor_reread(struct supervisor *sv, struct strlist *errs)
{
	struct config	*nc;
	struct strlist	 warns = { NULL, 0 };
	size_t		 i;

	nc = config_load(sv->config_path, errs, &warns);
	for (i = 0; i < warns.n; i++)
		log_warn("%s", warns.v[i]);
	strlist_free(&warns);
	if (nc != NULL && supervisor_check_dirs(nc, true, errs) == -1) {
		config_free(nc);
		nc = NULL;
	}
	if (nc == NULL) {
		for (i = 0; errs != NULL && i < errs->n; i++)
			log_error("%s", errs->v[i]);
		log_error("%s: configuration not reloaded: nothing changed",
		    sv->config_path);
		return -1;
	}
	(void)sv_config_add(sv, nc);
	sv->config = nc;
	spawn_env_free(sv->base_env);
	sv->base_env = NULL;
	sv_config_gc(sv);
	return 0;
}

/* The active group differs from gc, its definition in sv->config. */
static bool
sv_group_changed(struct supervisor *sv, const struct group_conf *gc)
{
	const struct program	*np, *op;
	size_t			 i, n = 0;

	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing || strcmp(sp->p.prog->group_name,
		    gc->name) != 0)
			continue;
		n++;
		op = sv_target(sp);
		np = config_find_process(sv->config, gc->name, sp->p.name);
		if (np == NULL || !program_equal(np, op) ||
		    np->group_priority != op->group_priority)
			return true;
	}
	return n != gc->nprocs;
}

/* qsort order of groups as supervisord keeps them: priority, then the
 * order of their sections. */
static int
sv_gconf_cmp(const void *a, const void *b)
{
	const struct group_conf	*x = *(const struct group_conf *const *)a;
	const struct group_conf	*y = *(const struct group_conf *const *)b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* See supervisor.h. */
void
supervisor_diff(struct supervisor *sv, struct strlist *added,
    struct strlist *changed, struct strlist *removed)
{
	const struct group_conf	**order;
	const struct config	 *nc = sv->config;
	const char		 *last = NULL;
	size_t			  i;

	order = xcalloc(nc->ngroups + 1, sizeof(*order));
	for (i = 0; i < nc->ngroups; i++)
		order[i] = &nc->groups[i];
	qsort(order, nc->ngroups, sizeof(*order), sv_gconf_cmp);
	for (i = 0; i < nc->ngroups; i++) {
		if (!supervisor_group_active(sv, order[i]->name))
			strlist_add(added, order[i]->name);
		else if (sv_group_changed(sv, order[i]))
			strlist_add(changed, order[i]->name);
	}
	free(order);
	/* procs are sorted by group: each active group once */
	for (i = 0; i < sv->nprocs; i++) {
		const char	*g = sv->procs[i]->p.prog->group_name;

		if (sv->procs[i]->removing || (last != NULL &&
		    strcmp(last, g) == 0))
			continue;
		last = g;
		if (config_find_group(nc, g) == NULL)
			strlist_add(removed, g);
	}
}

/* Add a process for prog of the current configuration. */
static struct sv_proc *
sv_proc_add(struct supervisor *sv, const struct program *prog)
{
	struct sv_proc	*sp;

	sp = sv_proc_new(sv, sv_config_current(sv), prog);
	sv->procs = xreallocarray(sv->procs, sv->nprocs + 1,
	    sizeof(*sv->procs));
	sv->procs[sv->nprocs++] = sp;
	log_info("%s: added", sp->p.name);
	return sp;
}

/* See supervisor.h. A process whose definition did not change keeps
 * running; a changed one is stopped and started again with the new one;
 * a removed one is stopped and freed; a new one is started if autostart. */
void
supervisor_apply_group(struct supervisor *sv, const char *group)
{
	struct config_ref	 *ref = sv_config_current(sv);
	const struct group_conf	 *gc = config_find_group(sv->config, group);
	const struct program	 *np;
	struct sv_proc		**added;
	size_t			  i, n = sv->nprocs, nadded = 0;

	for (i = 0; i < n; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing || strcmp(sp->p.prog->group_name, group) != 0)
			continue;
		np = gc != NULL ? config_find_process(sv->config, group,
		    sp->p.name) : NULL;
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
	added = xcalloc((gc != NULL ? gc->nprocs : 0) + 1, sizeof(*added));
	for (i = 0; gc != NULL && i < gc->nprocs; i++) {
		np = &sv->config->progs[gc->first + i];
		if (supervisor_lookup(sv, group, np->name) == NULL)
			added[nadded++] = sv_proc_add(sv, np);
	}
	qsort(sv->procs, sv->nprocs, sizeof(*sv->procs), sv_proc_cmp);
	qsort(added, nadded, sizeof(*added), supervisor_start_order);
	for (i = 0; i < nadded && !sv->shutting_down; i++)
		if (added[i]->p.prog->autostart)
			(void)supervisor_start(added[i]);
	free(added);
	sv_config_gc(sv);
	supervisor_changed(sv);
}

/* See supervisor.h. */
bool
supervisor_group_settled(struct supervisor *sv, const char *group)
{
	size_t	i;

	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (strcmp(sp->p.prog->group_name, group) != 0)
			continue;
		if (sp->pending != NULL)
			return false;
		if (sp->removing && (sp->p.pid != 0 ||
		    !proc_is_stopped_state(sp->p.state)))
			return false;
	}
	return true;
}

/* See supervisor.h. */
int
supervisor_remove_group(struct supervisor *sv, const char *group)
{
	size_t	i;
	bool	found = false;

	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing || strcmp(sp->p.prog->group_name, group) != 0)
			continue;
		found = true;
		if (!proc_is_stopped_state(sp->p.state) || sp->p.pid != 0)
			return 1;
	}
	if (!found)
		return -1;
	for (i = 0; i < sv->nprocs; i++)
		if (strcmp(sv->procs[i]->p.prog->group_name, group) == 0)
			sv->procs[i]->removing = true;
	ev_idle_start(sv->loop, &sv->gc);
	return 0;
}

/* See supervisor.h. */
int
supervisor_update(struct supervisor *sv, struct strlist *errs)
{
	struct strlist	added = { NULL, 0 }, changed = { NULL, 0 };
	struct strlist	removed = { NULL, 0 };
	size_t		i;

	if (supervisor_reread(sv, errs) == -1)
		return -1;
	supervisor_diff(sv, &added, &changed, &removed);
	for (i = 0; i < removed.n; i++)
		supervisor_apply_group(sv, removed.v[i]);
	for (i = 0; i < changed.n; i++)
		supervisor_apply_group(sv, changed.v[i]);
	for (i = 0; i < added.n; i++)
		supervisor_apply_group(sv, added.v[i]);
	strlist_free(&added);
	strlist_free(&changed);
	strlist_free(&removed);
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

/* The [program:] names that a process not yet stopped depends on: those
 * wait until it is (dependents stop first). */
static void
sv_still_needed(struct supervisor *sv, struct strlist *needed)
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

static bool
sv_is_needed(const struct sv_proc *sp, const struct strlist *needed)
{
	size_t	k;

	for (k = 0; k < needed->n; k++)
		if (strcmp(needed->v[k], sp->p.prog->program_name) == 0)
			return true;
	return false;
}

static void	sv_shutdown_step1(struct supervisor *);

/* Stop what may be stopped next. A stop that takes effect at once (a
 * process that was not running yet) comes back here through
 * supervisor_changed: that is taken as a request for one more pass, not
 * a recursion as deep as the processes. */
static void
sv_shutdown_step(struct supervisor *sv)
{
	if (sv->stepping) {
		sv->restep = true;
		return;
	}
	sv->stepping = true;
	do {
		sv->restep = false;
		sv_shutdown_step1(sv);
	} while (sv->restep);
	sv->stepping = false;
}

/* Stop the highest remaining priority (of what no running process
 * depends on); leave when nothing runs. */
static void
sv_shutdown_step1(struct supervisor *sv)
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
	sv_still_needed(sv, &needed);
	for (pass = 0; pass < 2 && prio == INT_MIN; pass++) {
		for (i = 0; i < sv->nprocs; i++) {
			struct sv_proc	*sp = sv->procs[i];

			if (proc_is_running_state(sp->p.state) &&
			    sp->p.prog->priority > prio &&
			    (pass == 1 || !sv_is_needed(sp, &needed)))
				prio = sp->p.prog->priority;
		}
		if (prio != INT_MIN) {
			for (i = 0; i < sv->nprocs; i++) {
				struct sv_proc	*sp = sv->procs[i];

				if (proc_is_running_state(sp->p.state) &&
				    sp->p.prog->priority == prio &&
				    (pass == 1 || !sv_is_needed(sp, &needed)))
					(void)supervisor_stop(sp);
			}
		}
	}
	strlist_free(&needed);
	if (prio != INT_MIN)
		return;
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
	logcmd_shutdown();
	notify_stopping();
	log_info("stopping all processes");
	sv_shutdown_step(sv);
}

/* SIGTERM, SIGINT, SIGHUP, SIGUSR2. */
static void
sv_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
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
		log_warn("received %s indicating exit request", name);
		supervisor_shutdown(sv);
		break;
	case SIGHUP:
		if (sv->shutting_down) {
			log_warn("received %s during shutdown: ignored", name);
			break;
		}
		log_warn("received %s indicating restart request", name);
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

/* See supervisor.h. */
struct supervisor *
supervisor_new(struct ev_loop *loop, const char *path, struct config *c)
{
	struct supervisor	*sv = xcalloc(1, sizeof(*sv));
	struct config_ref	*ref;
	struct rlimit		 rl;
	size_t			 i;
	const char		*floor_env;

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
	ev_timer_init(&sv->respawn, sv_respawn_cb, 0., 0.);
	sv->restart_floor = 1.0;
	if ((floor_env = getenv("TEND_RESTART_FLOOR")) != NULL)
		sv->restart_floor = strtod(floor_env, NULL);
	if (!(sv->restart_floor >= 0 && sv->restart_floor <= 3600))
		sv->restart_floor = 1.0;
	sv->respawn.data = sv;
	ev_timer_init(&sv->shutdown_timer, sv_shutdown_timer_cb, 0., 0.);
	sv->shutdown_timer.data = sv;
	ev_timer_init(&sv->end_timer, sv_end_timer_cb, 0., 0.);
	sv->end_timer.data = sv;
	ev_timer_init(&sv->dep_timer, sv_dep_timer_cb, 0., 0.);
	sv->dep_timer.data = sv;
	ev_io_init(&sv->readysock, sv_readysock_cb, -1, EV_READ);
	sv->readysock.data = sv;
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
	ev_timer_stop(sv->loop, &sv->end_timer);
	ev_timer_stop(sv->loop, &sv->dep_timer);
	if (sv->readysock.fd != -1) {
		ev_io_stop(sv->loop, &sv->readysock);
		(void)close(sv->readysock.fd);
	}
	ev_prepare_stop(sv->loop, &sv->state_prep);
	ev_timer_stop(sv->loop, &sv->respawn);
	for (i = 0; i < sv->nprocs; i++)
		sv_proc_free(sv->procs[i]);
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
