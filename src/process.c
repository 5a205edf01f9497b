/* process.c: the supervisord state machine of one process, as pure
 * transitions. See process.h. */
#include "autoconfig.h"

#include <sys/wait.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "process.h"
#include "util.h"

#define EXITED_TOO_QUICKLY "Exited too quickly (process log may have details)"

/* Reset an action set before a transition fills it. */
static void
proc_actions_clear(struct proc_actions *a)
{
	memset(a, 0, sizeof(*a));
}

/* Queue one log line with the transition's actions. */
static void printflike(3, 4)
proc_log(struct proc_actions *a, int level, const char *fmt, ...)
{
	va_list ap;

	if (a->nlog >= PROC_MAXLOG)
		return;
	a->log[a->nlog].level = level;
	va_start(ap, fmt);
	(void)vsnprintf(a->log[a->nlog].text, sizeof(a->log[a->nlog].text),
	    fmt, ap);
	va_end(ap);
	a->nlog++;
}

/* Enter a state, remembering that it changed. */
static void
proc_set_state(struct proc *p, enum proc_state s, struct proc_actions *a)
{
	if (p->state != s) {
		a->changed = true;
		if (a->ntrans < PROC_MAXTRANS)
			a->trans[a->ntrans++] = (struct proc_trans){ p->state,
			    s, p->pid, p->backoff, true };
	}
	p->state = s;
}

/* supervisord's state names. */
const char *
proc_state_name(enum proc_state s)
{
	switch (s) {
	case PROC_STOPPED:	return "STOPPED";
	case PROC_STARTING:	return "STARTING";
	case PROC_RUNNING:	return "RUNNING";
	case PROC_BACKOFF:	return "BACKOFF";
	case PROC_STOPPING:	return "STOPPING";
	case PROC_EXITED:	return "EXITED";
	case PROC_FATAL:	return "FATAL";
	case PROC_UNKNOWN:	return "UNKNOWN";
	}
	return "UNKNOWN";
}

/* RUNNING_STATES of supervisord's states.py. */
bool
proc_is_running_state(enum proc_state s)
{
	return s == PROC_RUNNING || s == PROC_BACKOFF || s == PROC_STARTING;
}

/* STOPPED_STATES of supervisord's states.py. */
bool
proc_is_stopped_state(enum proc_state s)
{
	return s == PROC_STOPPED || s == PROC_EXITED || s == PROC_FATAL ||
	    s == PROC_UNKNOWN;
}

/* See process.h. */
bool
proc_ends_tend(const struct proc *p)
{
	switch (p->prog->shutdown_on) {
	case SHUTDOWN_ON_FATAL:
		return p->state == PROC_FATAL;
	case SHUTDOWN_ON_EXIT:
		return p->state == PROC_FATAL || p->state == PROC_EXITED;
	default:
		return false;
	}
}

/* See process.h. */
int
proc_tend_exit_code(const struct proc *p)
{
	int	code = 0;

	if (p->waited && WIFEXITED(p->waitstatus))
		code = WEXITSTATUS(p->waitstatus);
	else if (p->waited && WIFSIGNALED(p->waitstatus))
		code = 128 + WTERMSIG(p->waitstatus);
	if (code == 0 && p->state == PROC_FATAL)
		code = 1;
	return code;
}

/* A new process in STOPPED, never started. */
void
proc_init(struct proc *p, const struct program *prog, const char *name)
{
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->name = xstrdup(name);
	p->state = PROC_STOPPED;
}

/* Release what proc_init allocated. */
void
proc_free(struct proc *p)
{
	free(p->name);
	p->name = NULL;
	free(p->rl_times);
	p->rl_times = NULL;
	p->rl_cap = p->rl_len = p->rl_next = p->rl_secs = 0;
}

/* BACKOFF after a failed start: wait 1 s more each time, or give up. */
static void
proc_backoff(struct proc *p, struct proc_actions *a)
{
	p->backoff++;		/* the BACKOFF event tells the new count */
	proc_set_state(p, PROC_BACKOFF, a);
	if (p->backoff > p->prog->startretries) {
		p->backoff = 0;
		proc_set_state(p, PROC_FATAL, a);
		a->flags |= PA_UNTIMER;
		proc_log(a, LOG_LVL_INFO, "gave up: %s entered FATAL state, "
		    "too many start retries too quickly", p->name);
		return;
	}
	a->flags |= PA_TIMER;
	a->timer_secs = p->backoff;
}

/* STOPPED/EXITED/FATAL/BACKOFF -> STARTING: ask the caller to spawn. */
void
proc_start(struct proc *p, double now, time_t wall, struct proc_actions *a)
{
	proc_actions_clear(a);
	if (p->start_wall != 0)
		p->restarts++;
	p->start_mono = now;
	p->start_wall = wall != 0 ? wall : 1;
	p->killing = false;
	p->waited = false;
	p->spawnerr[0] = '\0';
	proc_set_state(p, PROC_STARTING, a);
	a->flags |= PA_SPAWN | PA_UNTIMER;
}

/* The fork worked: wait startsecs before calling it RUNNING. */
void
proc_spawned(struct proc *p, pid_t pid, struct proc_actions *a)
{
	proc_actions_clear(a);
	p->pid = pid;
	p->spawnerr[0] = '\0';
	proc_log(a, LOG_LVL_INFO, "spawned: '%s' with pid %ld", p->name,
	    (long)pid);
	/* With notification_fd or sd_notify the program says when it is up
	 * (proc_ready): no startsecs timer. */
	if (program_says_ready(p->prog))
		return;
	if (p->prog->startsecs == 0) {
		p->backoff = 0;
		proc_set_state(p, PROC_RUNNING, a);
		proc_log(a, LOG_LVL_INFO, "success: %s entered RUNNING state, "
		    "process has stayed up for > than 0 seconds (startsecs)",
		    p->name);
		a->flags |= PA_UNTIMER;
		return;
	}
	a->flags |= PA_TIMER;
	a->timer_secs = p->prog->startsecs;
}

/* See process.h. */
void
proc_ready(struct proc *p, const char *how, struct proc_actions *a)
{
	proc_actions_clear(a);
	if (p->state != PROC_STARTING || p->pid == 0)
		return;
	p->backoff = 0;
	proc_set_state(p, PROC_RUNNING, a);
	proc_log(a, LOG_LVL_INFO, "success: %s entered RUNNING state, "
	    "process is ready (%s)", p->name, how);
	a->flags |= PA_UNTIMER;
}

/* A start that failed before the program ran, for why. */
static void
proc_start_failed(struct proc *p, const char *why, struct proc_actions *a)
{
	p->pid = 0;
	(void)snprintf(p->spawnerr, sizeof(p->spawnerr), "%s", why);
	proc_log(a, LOG_LVL_INFO, "spawnerr: %s", why);
	proc_backoff(p, a);
}

/* The spawn failed before the program ran: a failed start. */
void
proc_spawn_failed(struct proc *p, const char *why, struct proc_actions *a)
{
	proc_actions_clear(a);
	proc_start_failed(p, why, a);
}

/* See process.h. A dependency that failed fails the start as a spawn
 * error does: BACKOFF, then FATAL. */
bool
proc_deps(struct proc *p, enum proc_deps deps, bool waiting, const char *why,
    double now, time_t wall, struct proc_actions *a)
{
	proc_actions_clear(a);
	if (p->state != PROC_STARTING || p->pid != 0)
		return false;
	switch (deps) {
	case PROC_DEPS_READY:
		if (waiting) {
			p->start_mono = now;
			p->start_wall = wall != 0 ? wall : 1;
		}
		return true;
	case PROC_DEPS_WAIT:
		a->flags |= PA_DEPWAIT;
		if (!waiting) {
			a->changed = true;	/* status says what it waits for */
			proc_log(a, LOG_LVL_INFO, "%s: waiting for the programs "
			    "it depends on (depends_on)", p->name);
		}
		return false;
	case PROC_DEPS_FAILED:
		break;
	}
	proc_start_failed(p, why, a);
	return false;
}

static void	proc_exited1(struct proc *, int, double, time_t, bool, double,
		    struct proc_actions *);

/* restart_limit=COUNT/SECS: may p be restarted after an exit at now?
 * Yes while fewer than COUNT autorestarts came in the last SECS seconds
 * (the restart is then counted); no, and the count starts over, when
 * COUNT did. A limit changed by an update starts a new count. */
static bool
proc_restart_allowed(struct proc *p, double now)
{
	const struct restart_limit *rl = &p->prog->restart_limit;
	unsigned	oldest;

	if (rl->count == 0)
		return true;
	if (p->rl_cap != rl->count) {
		free(p->rl_times);
		p->rl_times = xcalloc(rl->count, sizeof(*p->rl_times));
		p->rl_cap = rl->count;
		p->rl_len = p->rl_next = 0;
	}
	if (p->rl_secs != rl->secs) {
		p->rl_secs = rl->secs;
		p->rl_len = p->rl_next = 0;
	}
	if (p->rl_len == p->rl_cap) {
		oldest = p->rl_next;	/* a full ring's oldest is overwritten next */
		if (now - p->rl_times[oldest] < (double)rl->secs) {
			p->rl_len = p->rl_next = 0;
			return false;
		}
	} else
		p->rl_len++;
	p->rl_times[p->rl_next] = now;
	p->rl_next = (p->rl_next + 1) % p->rl_cap;
	return true;
}

/* The child is gone: decide between STOPPED, BACKOFF and EXITED. Its
 * STOPPED or EXITED event names the pid it had, and whether the exit was
 * expected. */
void
proc_exited(struct proc *p, int status, double now, time_t wall,
    bool restart_ok, double restart_floor, struct proc_actions *a)
{
	pid_t		pid = p->pid;
	unsigned	i;
	int		code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

	proc_exited1(p, status, now, wall, restart_ok, restart_floor, a);
	for (i = 0; i < a->ntrans; i++) {
		if (a->trans[i].to != PROC_EXITED &&
		    a->trans[i].to != PROC_STOPPED)
			continue;
		a->trans[i].pid = pid;
		a->trans[i].expected = program_exitcode_expected(p->prog, code);
	}
}

static void
proc_exited1(struct proc *p, int status, double now, time_t wall,
    bool restart_ok, double restart_floor, struct proc_actions *a)
{
	char		 how[128];
	int		 code = -1;
	bool		 expected, too_quickly, was_throttled = p->throttled;
	double		 last = p->start_mono;
	enum autorestart ar = p->prog->autorestart;

	proc_actions_clear(a);
	/* an autorestart comes restart_floor after the spawn at the soonest */
	p->throttled = now - last < restart_floor;
	p->respawn_due = p->throttled ? last + restart_floor : now;
	p->pid = 0;
	p->stop_wall = wall;
	p->waitstatus = status;
	p->waited = true;
	format_wait_status(how, sizeof(how), status);
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	expected = program_exitcode_expected(p->prog, code);
	/* a program that says when it is ready failed to start if it
	 * exits before it did, however long it ran */
	too_quickly = program_says_ready(p->prog) || (now >= p->start_mono &&
	    now - p->start_mono < (double)p->prog->startsecs);

	if (p->killing || p->state == PROC_STOPPING) {
		p->killing = false;
		p->exitstatus = code;
		proc_set_state(p, PROC_STOPPED, a);
		a->flags |= PA_UNTIMER;
		proc_log(a, expected ? LOG_LVL_INFO : LOG_LVL_WARN,
		    "stopped: %s (%s)", p->name, how);
		return;
	}
	if (p->state == PROC_STARTING && too_quickly) {
		p->exitstatus = -1;
		(void)snprintf(p->spawnerr, sizeof(p->spawnerr), "%s",
		    EXITED_TOO_QUICKLY);
		proc_log(a, LOG_LVL_WARN, "exited: %s (%s; not expected)",
		    p->name, how);
		a->flags |= PA_UNTIMER;
		proc_backoff(p, a);
		return;
	}
	p->backoff = 0;
	p->exitstatus = code;
	a->flags |= PA_UNTIMER;
	proc_set_state(p, PROC_EXITED, a);
	if (expected) {
		proc_log(a, LOG_LVL_INFO, "exited: %s (%s; expected)", p->name,
		    how);
	} else {
		(void)snprintf(p->spawnerr, sizeof(p->spawnerr),
		    "Bad exit code %d", code);
		proc_log(a, LOG_LVL_WARN, "exited: %s (%s; not expected)",
		    p->name, how);
	}
	if (!restart_ok)
		return;
	if (ar == AUTORESTART_TRUE ||
	    (ar == AUTORESTART_UNEXPECTED && !expected)) {
		struct proc_actions	start;

		if (!proc_restart_counted(p, now, a))
			return;

		proc_start(p, now, wall, &start);
		a->flags |= start.flags;
		if (start.ntrans > 0 && a->ntrans < PROC_MAXTRANS)
			a->trans[a->ntrans++] = start.trans[0];
		if (!p->throttled)
			return;
		a->flags = (a->flags & ~PA_SPAWN) | PA_DEFER;
		if (!was_throttled)
			proc_log(a, LOG_LVL_INFO, "%s: exits %.3f s after its "
			    "start: restarted at most every %.1f s (restart "
			    "floor)", p->name, now - last, restart_floor);
	}
}

/* See process.h. */
void
proc_restart_times(const struct proc *p, struct buf *b)
{
	unsigned	i;

	for (i = 0; i < p->rl_len; i++)
		buf_printf(b, "%s%.6f", i == 0 ? "" : ",", p->rl_times[
		    (p->rl_next + p->rl_cap - p->rl_len + i) % p->rl_cap]);
}

/* See process.h. */
void
proc_restart_times_set(struct proc *p, const char *s)
{
	unsigned	count = p->prog->restart_limit.count;
	double		t;
	char		*end;

	free(p->rl_times);
	p->rl_times = NULL;
	p->rl_cap = p->rl_len = p->rl_next = 0;
	if (count == 0 || s == NULL || *s == '\0')
		return;
	p->rl_times = xcalloc(count, sizeof(*p->rl_times));
	p->rl_cap = count;
	p->rl_secs = p->prog->restart_limit.secs;
	for (;;) {
		t = strtod(s, &end);
		if (end == s || (*end != ',' && *end != '\0'))
			break;
		p->rl_times[p->rl_next] = t;
		p->rl_next = (p->rl_next + 1) % count;
		if (p->rl_len < count)
			p->rl_len++;
		if (*end == '\0')
			break;
		s = end + 1;
	}
}

/* See process.h. */
void
proc_restart_forget(struct proc *p)
{
	p->rl_len = p->rl_next = 0;
}

/* See process.h. */
bool
proc_restart_counted(struct proc *p, double now, struct proc_actions *a)
{
	if (proc_restart_allowed(p, now))
		return true;
	(void)snprintf(p->spawnerr, sizeof(p->spawnerr),
	    "restarted %u time%s in %u s", p->prog->restart_limit.count,
	    p->prog->restart_limit.count == 1 ? "" : "s",
	    p->prog->restart_limit.secs);
	proc_set_state(p, PROC_FATAL, a);
	a->flags |= PA_UNTIMER;
	proc_log(a, LOG_LVL_WARN, "gave up: %s %s", p->name, p->spawnerr);
	return false;
}

/* See process.h. */
void
proc_respawn(struct proc *p, double now, struct proc_actions *a)
{
	proc_actions_clear(a);
	if (p->state != PROC_STARTING || p->pid != 0 || now < p->respawn_due)
		return;
	p->start_mono = now;	/* startsecs count from the spawn */
	a->flags |= PA_SPAWN;
}

/* The process timer: startsecs passed, a backoff delay ended, or
 * stopwaitsecs ran out. */
void
proc_timer(struct proc *p, double now, time_t wall, struct proc_actions *a)
{
	switch (p->state) {
	case PROC_STARTING:
		proc_actions_clear(a);
		p->backoff = 0;
		proc_set_state(p, PROC_RUNNING, a);
		proc_log(a, LOG_LVL_INFO, "success: %s entered RUNNING state, "
		    "process has stayed up for > than %u seconds (startsecs)",
		    p->name, p->prog->startsecs);
		break;
	case PROC_BACKOFF:
		proc_start(p, now, wall, a);
		break;
	case PROC_STOPPING:
		proc_actions_clear(a);
		if (p->pid == 0)
			break;
		proc_log(a, LOG_LVL_WARN, "killing '%s' (%ld) with SIGKILL",
		    p->name, (long)p->pid);
		a->flags |= PA_SIGNAL;
		a->sig = SIGKILL;
		a->group = p->prog->killasgroup;
		break;
	default:
		proc_actions_clear(a);
		break;
	}
}

/* Administrative stop: BACKOFF stops at once, a live child gets its stop
 * signal, SIGCONT, and stopwaitsecs before SIGKILL. */
bool
proc_stop(struct proc *p, struct proc_actions *a)
{
	char		 buf[32];
	const char	*signame;

	proc_actions_clear(a);
	if (p->state == PROC_BACKOFF) {
		proc_set_state(p, PROC_STOPPED, a);
		a->flags |= PA_UNTIMER;
		proc_log(a, LOG_LVL_DEBUG, "Attempted to kill %s, which is in "
		    "BACKOFF state.", p->name);
		return true;
	}
	if (p->state != PROC_STARTING && p->state != PROC_RUNNING)
		return false;
	if (p->state == PROC_STARTING && p->pid == 0) {
		/* an autorestart not spawned yet: nothing to signal */
		proc_set_state(p, PROC_STOPPED, a);
		a->flags |= PA_UNTIMER;
		return true;
	}
	if (p->pid == 0)
		return false;
	signame = signal_name(p->prog->stopsignal, buf, sizeof(buf));
	if (signame == NULL) {
		(void)snprintf(buf, sizeof(buf), "%d", p->prog->stopsignal);
		signame = buf;
	}
	proc_log(a, LOG_LVL_DEBUG, "killing %s (%ld) with signal %s", p->name,
	    (long)p->pid, signame);
	p->killing = true;
	proc_set_state(p, PROC_STOPPING, a);
	a->flags |= PA_SIGNAL | PA_CONT | PA_TIMER;
	a->sig = p->prog->stopsignal;
	a->group = p->prog->stopasgroup;
	a->timer_secs = p->prog->stopwaitsecs;
	return true;
}

/* The third column of `status`. */
void
proc_describe(const struct proc *p, time_t wall, char *out, size_t len)
{
	char		up[64];
	struct tm	tm;
	long long	secs;

	out[0] = '\0';
	switch (p->state) {
	case PROC_RUNNING:
		secs = (long long)wall - (long long)p->start_wall;
		format_uptime(up, sizeof(up), secs < 0 ? 0 : secs);
		(void)snprintf(out, len, "pid %ld, uptime %s", (long)p->pid, up);
		break;
	case PROC_BACKOFF:
	case PROC_FATAL:
		if (p->spawnerr[0] != '\0')
			(void)snprintf(out, len, "%s", p->spawnerr);
		else
			(void)snprintf(out, len,
			    "unknown error (try \"tail %s\")", p->name);
		break;
	case PROC_STOPPED:
	case PROC_EXITED:
		if (p->start_wall == 0) {
			(void)snprintf(out, len, "Not started");
			break;
		}
		if (localtime_r(&p->stop_wall, &tm) == NULL ||
		    strftime(out, len, "%b %d %I:%M %p", &tm) == 0)
			out[0] = '\0';
		break;
	default:
		break;
	}
}
