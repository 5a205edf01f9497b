/* reexec.c: live re-exec (reexec.h). The old image checks the new binary
 * with two runs of it as children, watched by the loop (never waited
 * for): `PATH --version` must exit 0, and `PATH --accepts-state N` must
 * say it reads this image's handover version; a binary that fails either
 * is refused and nothing changes. Then the jobs still waiting are ended
 * with a line saying why, the control FIFO is no longer read (clients
 * that come now wait in it for the new image), the replies being written
 * are let finish, and the state goes into a memfd: handover.c's blob,
 * which lists every descriptor that must survive. Those alone lose
 * FD_CLOEXEC right before execve(); if execve fails they get it back and
 * tendd carries on.
 *
 * Signals are blocked across the exec: a SIGCHLD or a SIGTERM that comes
 * meanwhile stays pending and reaches the new image's handlers once they
 * are in place (execve keeps the mask and the pending set).
 *
 * Event listeners cross like programs: their pipes stay open, their
 * protocol state, the event each has (and what is left to write of
 * it) and every pool's buffer and serials go into the handover
 * (listener.c). Not carried: an update in progress (refused); see
 * tendd.8. */
#include "autoconfig.h"

#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "reexec.h"
#include "commands.h"
#include "control.h"
#include "handover.h"
#include "listener.h"
#include "log.h"
#include "logcmd.h"
#include "notify.h"
#include "outlog_io.h"
#include "protocol.h"
#include "ready.h"
#include "supervisor.h"
#include "util.h"

#define REEXEC_CHECK_SECS	10.0	/* each run of the new binary */
#define REEXEC_DRAIN_SECS	3.0	/* replies being written, at most */
#define REEXEC_DRAIN_POLL	0.005
#define REEXEC_OUT_MAX		1024	/* of a check's output, kept */

enum reexec_step {
	REEXEC_IDLE,
	REEXEC_CHECK,		/* PATH --version and PATH --accepts-state N
				 * run, side by side */
	REEXEC_DRAIN,		/* replies are finishing */
};

/* One run of the new binary. */
struct reexec_check {
	const char	*arg;		/* "--version", "--accepts-state" */
	pid_t		 pid;		/* 0 once reaped */
	int		 outfd;		/* its output, -1 once read */
	int		 status;	/* its wait status */
	bool		 killed;	/* at the deadline */
	ev_child	 cw;
	char		 out[REEXEC_OUT_MAX];	/* its first line */
};

static struct {
	char			*self;		/* the binary tendd runs */
	char			*config_path;
	bool			 foreground;
	bool			 strict;
	int			 pidfd;
	struct supervisor	*sv;
	struct control		*ctl;
	struct commands		*cmds;

	/* the re-exec in progress */
	enum reexec_step	 step;
	struct control_reply	*c;		/* who asked */
	char			*target;	/* the binary to exec */
	struct reexec_check	 chk[2];	/* --version, --accepts-state */
	char			 config_why[1024];	/* the files changed:
						 * why ("" if not) */
	ev_timer		 tw;		/* the checks' deadline, or the
						 * drain's poll */
	double			 drain_until;
} rx = { .pidfd = -1 };

/* ---- set-up ---- */

/* See reexec.h. */
void
reexec_setup(const char *config_path, bool foreground, bool strict,
    int pidfd)
{
	char	buf[PATH_MAX];
	ssize_t	n;
	size_t	dl = strlen(" (deleted)");

	free(rx.self);
	rx.self = NULL;
	/* now, while the file is the one running: a later `make install`
	 * leaves /proc/self/exe saying "(deleted)" */
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		if ((size_t)n > dl && strcmp(buf + n - dl, " (deleted)") == 0)
			buf[n - dl] = '\0';
		rx.self = xstrdup(buf);
	} else
		log_warn("cannot read /proc/self/exe: tendctl reexec needs a "
		    "path");
	free(rx.config_path);
	rx.config_path = xstrdup(config_path);
	rx.foreground = foreground;
	rx.strict = strict;
	rx.pidfd = pidfd;
}

/* See reexec.h. */
void
reexec_bind(struct supervisor *sv, struct control *ctl,
    struct commands *cmds)
{
	rx.sv = sv;
	rx.ctl = ctl;
	rx.cmds = cmds;
	if (sv == NULL && rx.step != REEXEC_IDLE) {
		ev_child_stop(ev_default_loop(0), &rx.chk[0].cw);
		ev_child_stop(ev_default_loop(0), &rx.chk[1].cw);
		ev_timer_stop(ev_default_loop(0), &rx.tw);
		rx.step = REEXEC_IDLE;
		rx.c = NULL;
	}
}

/* ---- refusals ---- */

/* Finish the request with why (and forget it). */
static void
reexec_refuse(const char *fmt, ...) printflike(1, 2);
static void
reexec_refuse(const char *fmt, ...)
{
	char	why[1024];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_warnx("reexec refused: %s", why);
	if (rx.c != NULL) {
		control_line(rx.c, 2, "tendd: reexec refused: %s", why);
		control_finish(rx.c, TEND_EXIT_GENERIC);
	}
	rx.c = NULL;
	rx.step = REEXEC_IDLE;
	free(rx.target);
	rx.target = NULL;
}

/* See reexec.h. */
bool
reexec_under_valgrind(void)
{
	const char	*pre = getenv("LD_PRELOAD");

#ifdef HAVE_VALGRIND_VALGRIND_H
	if (RUNNING_ON_VALGRIND)
		return true;
#endif
	return pre != NULL && strstr(pre, "vgpreload") != NULL;
}

/* What cannot cross the exec: a reason, or NULL. */
static const char *
reexec_busy(const struct supervisor *sv)
{
	size_t	i;

	if (sv->shutting_down)
		return "tendd is shutting down";
	for (i = 0; i < sv->nprocs; i++) {
		const struct sv_proc	*sp = sv->procs[i];

		if (sp->removing || sp->pending != NULL)
			return "an update is still in progress (processes "
			    "are being replaced or removed): try again once "
			    "it is done";
	}
	return NULL;
}

/* Does the configuration on disk still give what runs? 0, or -1 with
 * why: the new image reads the files again, and must find the programs
 * it takes over. */
static int
reexec_config_same(struct supervisor *sv, char *why, size_t len)
{
	struct strlist		 errs = { NULL, 0 }, warns = { NULL, 0 };
	struct config_opts	 opts;
	struct config		*nc;
	const struct config	*oc = sv->config;
	size_t			 i, j, n = 0;
	int			 rc = -1;

	memset(&opts, 0, sizeof(opts));
	opts.strict = sv->config_strict;
	nc = config_load_opts(sv->config_path, &opts, &errs, &warns);
	if (nc == NULL) {
		(void)snprintf(why, len, "the configuration %s no longer loads "
		    "(%s): the new image could not start", sv->config_path,
		    errs.n > 0 ? errs.v[0] : "unknown error");
		goto out;
	}
	if (strcmp(nc->control, oc->control) != 0 ||
	    (nc->pidfile == NULL) != (oc->pidfile == NULL) ||
	    (nc->pidfile != NULL && strcmp(nc->pidfile, oc->pidfile) != 0)) {
		(void)snprintf(why, len, "the configuration files changed "
		    "since they were loaded ([tend] control or pidfile): "
		    "restore them, or restart tendd");
		goto out;
	}
	for (i = 0; i < sv->nprocs; i++) {
		const struct program	*p = sv->procs[i]->p.prog;
		const struct program	*q = NULL;

		n++;
		if (i < nc->nprogs && strcmp(nc->progs[i].name, p->name) == 0
		    && strcmp(nc->progs[i].group_name, p->group_name) == 0)
			q = &nc->progs[i];
		for (j = 0; q == NULL && j < nc->nprogs; j++)
			if (strcmp(nc->progs[j].name, p->name) == 0 &&
			    strcmp(nc->progs[j].group_name,
			    p->group_name) == 0)
				q = &nc->progs[j];
		if (q == NULL || !program_equal(p, q)) {
			(void)snprintf(why, len, "the configuration files "
			    "changed since they were loaded (%s %s): run "
			    "tendctl reread and update first, or undo the edit",
			    q == NULL ? "no more" : "program", p->name);
			goto out;
		}
	}
	if (n != nc->nprogs) {
		(void)snprintf(why, len, "the configuration files changed "
		    "since they were loaded (programs were added): run "
		    "tendctl reread and update first, or undo the edit");
		goto out;
	}
	rc = 0;
out:
	if (nc != NULL)
		config_free(nc);
	strlist_free(&errs);
	strlist_free(&warns);
	return rc;
}

/* ---- the checks of the new binary ---- */

static void	reexec_child_cb(struct ev_loop *, ev_child *, int);
static void	reexec_timer_cb(struct ev_loop *, ev_timer *, int);
static void	reexec_exec(void);

/* Run target with one or two arguments as check k, its output into a
 * pipe; only async-signal-safe calls in the child. -1 with why. */
static int
reexec_run(int k, const char *a1, const char *a2, char *why, size_t len)
{
	struct ev_loop		*loop = ev_default_loop(0);
	struct reexec_check	*ck = &rx.chk[k];
	char			*argv[4];
	int			 fds[2], sig, nullfd;
	struct sigaction	 sa;
	sigset_t		 none;
	pid_t			 pid;

	argv[0] = rx.target;
	argv[1] = (char *)(uintptr_t)a1;
	argv[2] = (char *)(uintptr_t)a2;
	argv[3] = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		(void)snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&none);
	if ((pid = fork()) == -1) {
		(void)snprintf(why, len, "fork: %s", strerror(errno));
		(void)close(fds[0]);
		(void)close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		for (sig = 1; sig < NSIG; sig++)
			(void)sigaction(sig, &sa, NULL);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		nullfd = open("/dev/null", O_RDONLY);
		if (nullfd > 0)
			(void)dup2(nullfd, 0);
		if (dup2(fds[1], 1) == -1 || dup2(fds[1], 2) == -1)
			_exit(127);
		(void)execv(rx.target, argv);
		_exit(127);
	}
	(void)close(fds[1]);
	(void)fd_nonblock(fds[0]);
	ck->arg = a1;
	ck->pid = pid;
	ck->outfd = fds[0];
	ck->killed = false;
	ck->out[0] = '\0';
	rx.sv->helper_pid[k] = pid;
	ev_child_init(&ck->cw, reexec_child_cb, pid, 0);
	ck->cw.data = ck;
	ev_child_start(loop, &ck->cw);
	return 0;
}

/* The first line of what a check printed, made printable. */
static void
reexec_output(struct reexec_check *ck)
{
	char	buf[REEXEC_OUT_MAX];
	ssize_t	n;
	size_t	i, got = 0;

	while (got < sizeof(buf) - 1) {
		n = read(ck->outfd, buf + got, sizeof(buf) - 1 - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	(void)close(ck->outfd);
	ck->outfd = -1;
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f)
			buf[i] = '?';
	(void)snprintf(ck->out, sizeof(ck->out), "%s", buf);
}

/* Both checks ended: go on, or refuse. */
static void
reexec_checked(struct ev_loop *loop)
{
	const struct reexec_check	*v = &rx.chk[0], *a = &rx.chk[1];
	char				 how[128];

	ev_timer_stop(loop, &rx.tw);
	if (a->arg == NULL) {		/* the second could not run */
		reexec_refuse("%s", rx.config_why);
		return;
	}
	if (v->killed || a->killed) {
		reexec_refuse("%s did not answer %s within %.0f s", rx.target,
		    v->killed ? v->arg : a->arg, REEXEC_CHECK_SECS);
		return;
	}
	if (!WIFEXITED(v->status) || WEXITSTATUS(v->status) != 0) {
		format_wait_status(how, sizeof(how), v->status);
		reexec_refuse("%s --version failed (%s)%s%s: not a working "
		    "tendd", rx.target, how, v->out[0] != '\0' ? ": " : "",
		    v->out);
		return;
	}
	log_info("reexec: %s is %s", rx.target, v->out);
	if (!WIFEXITED(a->status) || WEXITSTATUS(a->status) != 0) {
		format_wait_status(how, sizeof(how), a->status);
		reexec_refuse("%s does not read this tendd's state (handover "
		    "version %d): %s%s%s", rx.target, HANDOVER_VERSION,
		    a->out, a->out[0] != '\0' ? "; " : "", how);
		return;
	}
	if (rx.config_why[0] != '\0') {
		reexec_refuse("%s", rx.config_why);
		return;
	}
	/* valgrind runs the new image only if it follows execs: then the
	 * check ran under it too, and said so */
	if (reexec_under_valgrind() && strstr(a->out, REEXEC_VALGRIND) ==
	    NULL) {
		reexec_refuse("tendd runs under valgrind, which does not follow "
		    "execs: the new image would run without it (run valgrind "
		    "with --trace-children=yes)");
		return;
	}
	/* Checked: from here on the re-exec goes through (or execve
	 * fails). Jobs and followers end now; new requests wait in the
	 * FIFO for the new image. */
	notify_reloading();
	log_info("re-executing %s (generation %lu, handover version %d)",
	    rx.target, rx.sv->generation + 1, HANDOVER_VERSION);
	commands_abort(rx.cmds, "tendd is re-executing: this command was "
	    "ended before it was done; run it again");
	logcmd_abort("tendd is re-executing: tail -f ended; run it again");
	control_listen(rx.ctl, false);
	rx.step = REEXEC_DRAIN;
	if (control_only(rx.ctl, rx.c)) {
		reexec_exec();		/* no reply to wait for */
		return;
	}
	rx.drain_until = supervisor_now(rx.sv) + REEXEC_DRAIN_SECS;
	ev_timer_init(&rx.tw, reexec_timer_cb, REEXEC_DRAIN_POLL,
	    REEXEC_DRAIN_POLL);
	ev_timer_start(loop, &rx.tw);
}

/* A check ended. */
static void
reexec_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct reexec_check	*ck = w->data;

	(void)revents;
	ev_child_stop(loop, w);
	rx.sv->helper_pid[ck - rx.chk] = 0;
	ck->pid = 0;
	ck->status = w->rstatus;
	reexec_output(ck);
	if (rx.chk[0].pid == 0 && rx.chk[1].pid == 0)
		reexec_checked(loop);
}

/* The checks took too long (kill them: their exits end the step), or
 * the drain polls the replies. */
static void
reexec_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	int	k;

	(void)revents;
	if (rx.step != REEXEC_DRAIN) {
		for (k = 0; k < 2; k++) {
			if (rx.chk[k].pid > 0) {
				rx.chk[k].killed = true;
				(void)kill(rx.chk[k].pid, SIGKILL);
			}
		}
		return;
	}
	if (!control_only(rx.ctl, rx.c) &&
	    supervisor_now(rx.sv) < rx.drain_until)
		return;
	if (!control_only(rx.ctl, rx.c))
		log_warnx("reexec: replies still being written after %.0f s "
		    "are cut", REEXEC_DRAIN_SECS);
	ev_timer_stop(loop, w);
	reexec_exec();
}

/* See reexec.h. */
void
reexec_request(struct control_reply *c, const char *path)
{
	struct stat	 st;
	const char	*busy;
	char		 why[512], num[16];

	if (rx.step != REEXEC_IDLE) {
		control_line(c, 2, "tendd: reexec refused: a re-exec is in "
		    "progress already");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	rx.c = c;
	rx.config_why[0] = '\0';
	if (path == NULL && rx.self == NULL) {
		reexec_refuse("tendd does not know its own binary: name it "
		    "(tendctl reexec PATH)");
		return;
	}
	rx.target = xstrdup(path != NULL ? path : rx.self);
	if (rx.target[0] != '/') {
		reexec_refuse("%s: the path must be absolute", rx.target);
		return;
	}
	if ((busy = reexec_busy(rx.sv)) != NULL) {
		reexec_refuse("%s", busy);
		return;
	}
	if (stat(rx.target, &st) == -1) {
		reexec_refuse("%s: %s", rx.target, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		reexec_refuse("%s: not a regular file", rx.target);
		return;
	}
	if ((st.st_mode & 0111) == 0 || access(rx.target, X_OK) == -1) {
		reexec_refuse("%s: not executable", rx.target);
		return;
	}
	/* both runs at once; the configuration is compared meanwhile */
	rx.chk[0].arg = rx.chk[1].arg = NULL;
	(void)snprintf(num, sizeof(num), "%d", HANDOVER_VERSION);
	if (reexec_run(0, "--version", NULL, why, sizeof(why)) == -1) {
		reexec_refuse("cannot run %s: %s", rx.target, why);
		return;
	}
	if (reexec_run(1, "--accepts-state", num, why, sizeof(why)) == -1) {
		rx.chk[0].killed = true;
		(void)kill(rx.chk[0].pid, SIGKILL);
		(void)snprintf(rx.config_why, sizeof(rx.config_why),
		    "cannot run %s: %s", rx.target, why);
	}
	rx.step = REEXEC_CHECK;
	ev_timer_init(&rx.tw, reexec_timer_cb, REEXEC_CHECK_SECS, 0.);
	ev_timer_start(rx.sv->loop, &rx.tw);
	if (rx.config_why[0] == '\0' && reexec_config_same(rx.sv,
	    rx.config_why, sizeof(rx.config_why)) == -1 &&
	    rx.config_why[0] == '\0')
		(void)snprintf(rx.config_why, sizeof(rx.config_why),
		    "the configuration changed");
}

/* ---- the exec ---- */

/* The state of sv in h. */
static void
reexec_export(struct handover *h, const char **notify_name)
{
	struct supervisor	*sv = rx.sv;
	struct ev_loop		*loop = sv->loop;
	double			 now = supervisor_now(sv);
	uid_t			 uid;
	size_t			 i;

	h->generation = sv->generation + 1;
	h->self = xstrdup(rx.target);
	h->sent_mono = now;
	h->control_fd = control_export(rx.ctl, &h->control_dirfd);
	h->pidfile_fd = rx.pidfd;
	h->notify_fd = ready_socket_fd(sv->ready, notify_name);
	if (h->notify_fd != -1)
		h->notify_name = xstrdup(*notify_name);
	h->reply_fd = control_reply_export(rx.c, &uid);
	h->reply_uid = (long)uid;
	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc		*sp = sv->procs[i];
		struct handover_proc	*hp;
		struct buf		 times;
		char			*key;

		key = xasprintf("%s:%s", sp->p.prog->group_name, sp->p.name);
		hp = handover_add_proc(h, key);
		free(key);
		hp->state = (int)sp->p.state;
		hp->pid = (long)sp->p.pid;
		hp->backoff = sp->p.backoff;
		hp->start_mono = sp->p.start_mono;
		hp->start_wall = (long long)sp->p.start_wall;
		hp->stop_wall = (long long)sp->p.stop_wall;
		hp->killing = sp->p.killing;
		hp->exitstatus = sp->p.exitstatus;
		hp->waitstatus = sp->p.waitstatus;
		hp->waited = sp->p.waited;
		hp->spawnerr = xstrdup(sp->p.spawnerr);
		hp->restarts = sp->p.restarts;
		hp->respawn_due = sp->p.respawn_due;
		hp->throttled = sp->p.throttled;
		/* libev's timers run on its monotonic clock, which is
		 * CLOCK_MONOTONIC's: the remaining time plus now is the
		 * deadline on CLOCK_MONOTONIC, which survives execve */
		hp->timer_due = ev_is_active(&sp->timer) ? now +
		    ev_timer_remaining(loop, &sp->timer) : 0;
		if (hp->timer_due == 0 && ev_is_active(&sp->timer))
			hp->timer_due = now;
		hp->starttime = sp->starttime;
		hp->dep_wait = sp->dep_wait;
		hp->readyfd = ready_pipe_fd(&sp->ready);
		buf_init(&times);
		proc_restart_times(&sp->p, &times);
		if (times.len > 0)
			hp->restart_times = buf_steal(&times);
		buf_free(&times);
		hp->health = sp->health.healthy + 1;
		hp->health_failures = sp->health.failures;
		hp->health_probes = sp->health.probes;
		hp->health_start_end = sp->health.start_end;
		hp->health_started = sp->health.started;
		hp->health_reported = sp->health.reported;
		hp->health_restart = sp->health.restart;
		if (sp->health.why[0] != '\0')
			hp->health_why = xstrdup(sp->health.why);
		outlog_export(sp->out.log, &hp->out);
		outlog_export(sp->err.log, &hp->err);
		listener_export_proc(sp, hp);
	}
	listener_export(sv, h);
}

/* Set or clear FD_CLOEXEC (the only descriptor flag) on n
 * descriptors: one call each, which counts with thousands. */
static void
reexec_cloexec(const int *fds, size_t n, bool on)
{
	size_t	i;

	for (i = 0; i < n; i++)
		(void)fcntl(fds[i], F_SETFD, on ? FD_CLOEXEC : 0);
}

/* Write the state, exec the new image; on return execve failed and
 * tendd goes on. */
static void
reexec_exec(void)
{
	struct handover	 h;
	struct buf	 b;
	const char	*nname = NULL;
	char		*argv[10], fdarg[16];
	int		*fds = NULL, mfd = -1, saved;
	size_t		 nfds, i = 0;
	sigset_t	 all, old;

	handover_init(&h);
	buf_init(&b);
	reexec_export(&h, &nname);
	handover_format(&h, &b);
	nfds = handover_fds(&h, NULL, 0);
	fds = xcalloc(nfds + 1, sizeof(*fds));
	(void)handover_fds(&h, fds, nfds);
	mfd = memfd_create("tend-handover", MFD_CLOEXEC);
	if (mfd == -1 || fd_write_all(mfd, b.data, b.len) == -1 ||
	    lseek(mfd, 0, SEEK_SET) == -1) {
		saved = errno;
		log_errorx("reexec: cannot write the handover: %s",
		    strerror(saved));
		goto fail;
	}
	fds[nfds++] = mfd;
	(void)snprintf(fdarg, sizeof(fdarg), "%d", mfd);
	argv[i++] = rx.target;
	argv[i++] = (char *)(uintptr_t)"-c";
	argv[i++] = rx.config_path;
	if (rx.foreground)
		argv[i++] = (char *)(uintptr_t)"-n";
	if (rx.strict)
		argv[i++] = (char *)(uintptr_t)"--strict";
	argv[i++] = (char *)(uintptr_t)"--handover";
	argv[i++] = fdarg;
	argv[i] = NULL;
	log_info("reexec: handing %zu processes and %zu descriptors over to "
	    "%s", h.nprocs, nfds, rx.target);
	reexec_cloexec(fds, nfds, false);
	(void)sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	(void)execv(rx.target, argv);
	saved = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	reexec_cloexec(fds, nfds, true);
	log_errorx("reexec: cannot exec %s: %s; carrying on", rx.target,
	    strerror(saved));
fail:
	if (mfd != -1)
		(void)close(mfd);
	free(fds);
	handover_free(&h);
	buf_free(&b);
	control_listen(rx.ctl, true);
	notify_ready();
	reexec_refuse("cannot exec %s: %s", rx.target, strerror(saved));
}

/* ---- the new image ---- */

/* See reexec.h. */
int
reexec_read(int fd, struct handover *h, char *why, size_t len)
{
	struct buf	b;
	char		reason[512];
	int		rc = -1;

	handover_init(h);
	buf_init(&b);
	if (lseek(fd, 0, SEEK_SET) == -1 ||
	    fd_read_all(fd, &b, HANDOVER_MAX_BYTES) == -1)
		(void)snprintf(why, len, "cannot read the handover (fd %d): "
		    "%s", fd, strerror(errno));
	else if (handover_parse(b.data, b.len, h, reason,
	    sizeof(reason)) == -1)
		(void)snprintf(why, len, "the handover is not readable: %s",
		    reason);
	else
		rc = 0;
	(void)close(fd);
	buf_free(&b);
	if (rc == -1)
		(void)close_range(3, ~0U, 0);
	return rc;
}

/* The process a record names, NULL if the configuration has none. */
static struct sv_proc *
reexec_find(struct supervisor *sv, const char *key)
{
	const char	*colon = strchr(key, ':');
	char		*group;
	struct sv_proc	*sp;

	if (colon == NULL)
		return NULL;
	group = xstrndup(key, (size_t)(colon - key));
	sp = supervisor_lookup(sv, group, colon + 1);
	free(group);
	return sp;
}

/* Close the descriptors of a record nobody takes over. */
static void
reexec_drop(const struct handover_proc *hp)
{
	const int	fds[] = { hp->readyfd, hp->out.pipefd, hp->out.filefd,
			    hp->err.pipefd, hp->err.filefd };
	size_t		i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] != -1)
			(void)close(fds[i]);
	listener_drop(hp);
}

/* Take one process over. */
static void
reexec_take(struct supervisor *sv, struct sv_proc *sp,
    const struct handover_proc *hp, double now, bool *respawn)
{
	sp->p.state = (enum proc_state)hp->state;
	sp->p.pid = (pid_t)hp->pid;
	sp->p.backoff = hp->backoff;
	sp->p.start_mono = hp->start_mono;
	sp->p.start_wall = (time_t)hp->start_wall;
	sp->p.stop_wall = (time_t)hp->stop_wall;
	sp->p.killing = hp->killing;
	sp->p.exitstatus = hp->exitstatus;
	sp->p.waitstatus = hp->waitstatus;
	sp->p.waited = hp->waited;
	(void)snprintf(sp->p.spawnerr, sizeof(sp->p.spawnerr), "%s",
	    hp->spawnerr != NULL ? hp->spawnerr : "");
	sp->p.restarts = hp->restarts;
	sp->p.respawn_due = hp->respawn_due;
	sp->p.throttled = hp->throttled;
	sp->starttime = hp->starttime;
	proc_restart_times_set(&sp->p, hp->restart_times);
	sp->health.healthy = hp->health - 1;
	sp->health.failures = hp->health_failures;
	sp->health.probes = hp->health_probes;
	sp->health.start_end = hp->health_start_end;
	sp->health.started = hp->health_started;
	sp->health.reported = hp->health_reported;
	sp->health.restart = hp->health_restart;
	(void)snprintf(sp->health.why, sizeof(sp->health.why), "%s",
	    hp->health_why != NULL ? hp->health_why : "");
	if (sp->p.pid > 0) {
		pidmap_put(&sv->pids, sp->p.pid, sp);
		sp->pidfd = pidfd_open(sp->p.pid, 0);	/* close-on-exec */
	}
	if (hp->timer_due > 0) {
		ev_timer_set(&sp->timer, hp->timer_due > now ?
		    hp->timer_due - now : 0., 0.);
		ev_timer_start(sv->loop, &sp->timer);
	}
	/* a held back autorestart, or one waiting for its depends_on: the
	 * respawn timer spawns it when due, through the depends_on gate */
	if (sp->p.state == PROC_STARTING && sp->p.pid == 0)
		*respawn = true;
	ready_pipe_adopt(&sp->ready, hp->readyfd);
	supervisor_adopt_stream(sp, false, &hp->out);
	supervisor_adopt_stream(sp, true, &hp->err);
	/* its probes again, each a full interval from now: a probe under
	 * way was a connection of the old image's, closed by the exec */
	supervisor_health_follow(sp);
	listener_adopt_proc(sp, hp);
}

/* See reexec.h. */
void
reexec_adopt(struct supervisor *sv, struct control *ctl, struct handover *h)
{
	struct control_reply	*c;
	struct sv_proc		*sp;
	double			 now, ms;
	size_t			 i, kept = 0;
	bool			 respawn = false;

	ev_now_update(sv->loop);
	now = supervisor_now(sv);
	sv->generation = h->generation;
	for (i = 0; i < h->nprocs; i++) {
		const struct handover_proc	*hp = &h->procs[i];

		if ((sp = reexec_find(sv, hp->name)) == NULL) {
			if (hp->pid > 0)
				log_errorx("reexec: %s (pid %ld) is in no "
				    "program of the configuration: it runs on "
				    "unsupervised", hp->name, hp->pid);
			reexec_drop(hp);
			continue;
		}
		reexec_take(sv, sp, hp, now, &respawn);
		kept += hp->pid > 0;
	}
	ready_socket_adopt(sv->ready, h->notify_fd, h->notify_name);
	listener_adopt(sv, h);
	if (respawn) {
		ev_timer_set(&sv->respawn, 0., 0.);
		ev_timer_start(sv->loop, &sv->respawn);
	}
	/* the state file and the metrics say the same as before */
	if (sv->hooks.spawned != NULL)
		sv->hooks.spawned(sv);
	/* a child that exited during the exec is a zombie whose SIGCHLD
	 * may have come before libev's handler: reap once */
	ev_feed_signal_event(sv->loop, SIGCHLD);
	ms = (now - h->sent_mono) * 1000;
	log_info("re-executed %s: generation %lu, %zu processes running "
	    "kept, handover in %.1f ms", h->self, h->generation, kept, ms);
	if (h->reply_fd != -1) {
		c = control_reply_adopt(ctl, h->reply_fd, (uid_t)h->reply_uid);
		control_line(c, 1, "tendd re-executed %s (generation %lu, %zu "
		    "processes running kept, %.1f ms)", h->self,
		    h->generation, kept, ms);
		control_finish(c, 0);
	}
	handover_free(h);
	supervisor_changed(sv);
}
