/* tendd.c: main: options, configuration, daemonizing, the loop. It owns
 * the order of start-up and teardown, and ties the layers together: the
 * control FIFO hands requests to the verbs (commands.c); the supervisor's
 * hooks reach its parts (depends.c, orphans.c, shutdown.c) and tell the
 * verbs, the metrics and the control FIFO what changed. Nothing below
 * calls up by name. */
#include "autoconfig.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "control.h"
#include "daemon.h"
#include "depends.h"
#include "handover.h"
#include "log.h"
#include "listener.h"
#include "logcmd.h"
#include "notify.h"
#include "orphans.h"
#include "reexec.h"
#include "reload.h"
#include "shutdown.h"
#include "stats.h"
#include "summary.h"
#include "spawn.h"
#include "supervisor.h"
#include "util.h"

#ifndef TEND_SYSCONFDIR
#define TEND_SYSCONFDIR "/etc"
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static _Noreturn void
usage(FILE *f, int code)
{
	(void)fprintf(f, "usage: tendd [-c file] [-n] [-t] [--strict] [-v] "
	    "[-h] [--accepts-state N]\n"
	    "  -c file   configuration (default %s/tend/tend.ini)\n"
	    "  -n        stay in the foreground, log to stderr\n"
	    "  -t        check the configuration and exit\n"
	    "  --strict  unknown keys and sections, keys and sections given "
	    "twice are errors\n"
	    "  -v, --version  print the version and exit\n"
	    "  --accepts-state N  exit 0 if this tendd reads live re-exec "
	    "state version N\n"
	    "  -h        print this help and exit\n", TEND_SYSCONFDIR);
	exit(code);
}

/* -t: what the configuration sets up, for people editing it. */
static void
print_summary(const struct config *c)
{
	struct buf	b;

	buf_init(&b);
	summary_format(&b, c);
	(void)fputs(b.data, stdout);
	buf_free(&b);
}

/* minfds and minprocs, as supervisord's set_rlimits_or_exit: make the
 * hard limit at least min (which needs privilege when it is below), and
 * the soft one too when soft is set; or say why tendd cannot start. */
static int
raise_limit(int resource, const char *key, const char *what, unsigned min,
    bool soft, char *err, size_t len)
{
	struct rlimit		rl;
	unsigned long long	old;

	if (getrlimit(resource, &rl) == -1) {
		(void)snprintf(err, len, "%s: cannot read the limit of %s: %s",
		    key, what, strerror(errno));
		return -1;
	}
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < min) {
		old = (unsigned long long)rl.rlim_max;
		rl.rlim_max = min;
		if (setrlimit(resource, &rl) == -1) {
			(void)snprintf(err, len, "%s=%u is above the hard limit "
			    "of %s (%llu) and tendd cannot raise it: %s (raise "
			    "the limit before starting tendd, or lower %s)",
			    key, min, what, old, strerror(errno), key);
			return -1;
		}
	}
	if (soft && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < min) {
		rl.rlim_cur = min;
		if (setrlimit(resource, &rl) == -1) {
			(void)snprintf(err, len, "%s=%u: cannot raise the limit "
			    "of %s: %s", key, min, what, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* -c FILE as an absolute path, since tendd daemonizes into / and reads
 * the file again on reread, update, SIGHUP and reload (issue 12). Only
 * the directory of a relative FILE goes through realpath(), which is what
 * %(here)s always was; FILE itself, a symbolic link maybe, is read anew
 * each time. NULL, and why in err, when FILE cannot be found. */
static char *
abs_config_path(const char *path, char *err, size_t len)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, *real, *abs;
	struct stat	 st;

	if (stat(path, &st) == -1) {
		(void)snprintf(err, len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (path[0] == '/')
		return xstrdup(path);
	dir = slash == NULL ? xstrdup(".") : xstrndup(path,
	    (size_t)(slash - path));
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL) {
		(void)snprintf(err, len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	abs = xasprintf("%s/%s", strcmp(real, "/") == 0 ? "" : real,
	    slash == NULL ? path : slash + 1);
	free(real);
	return abs;
}

/* reload: everything is stopped and cleaned up; become a new tendd with
 * the same pid and arguments, which reads everything anew (argv names
 * the configuration by its absolute path: a daemon's directory is /).
 * Returns only when exec fails. */
static void
reexec(char **argv)
{
	sigset_t	all;

	if (setenv("TEND_REEXEC", "1", 1) == -1)
		return;
	(void)sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
	(void)execv("/proc/self/exe", argv);
	(void)fprintf(stderr, "tendd: reload: cannot exec /proc/self/exe: "
	    "%s\n", strerror(errno));
}

/* A root tendd passes its environment to every program: say so when it
 * holds variables that change what a program loads or runs. */
static void
warn_dangerous_env(void)
{
	char	**e;
	size_t	  n;

	for (e = environ; *e != NULL; e++) {
		n = strcspn(*e, "=");
		if (strncmp(*e, "LD_", 3) == 0 ||
		    (n == 8 && strncmp(*e, "BASH_ENV", n) == 0) ||
		    (n == 3 && strncmp(*e, "ENV", n) == 0))
			log_warnx("running as root with %.*s set: every program "
			    "inherits it (unset it before starting tendd)",
			    (int)(n > 64 ? 64 : n), *e);
	}
}

/* --accepts-state N: can this binary take over from an image that
 * writes handover version N (tendctl reexec asks before the exec)? */
static int
accepts_state(const char *arg)
{
	unsigned long long	v;
	const char		*err;

	if (parse_uint(arg, ULONG_MAX, &v, &err) == -1) {
		(void)fprintf(stderr, "tendd: --accepts-state %s: %s\n", arg,
		    err);
		return 2;
	}
	if (!handover_accepts((unsigned long)v)) {
		(void)fprintf(stderr, "tendd %s reads live re-exec state "
		    "versions %d to %d, not %llu\n", PACKAGE_VERSION,
		    HANDOVER_MIN_VERSION, HANDOVER_VERSION, v);
		return 1;
	}
	(void)printf("tendd %s reads live re-exec state version %llu%s\n",
	    PACKAGE_VERSION, v, reexec_under_valgrind() ? " " REEXEC_VALGRIND :
	    "");
	return 0;
}

/* The layers of the running daemon, from the top; what the hooks get. */
struct tendd {
	struct commands		*cmds;		/* the verbs and their jobs */
	struct control		*ctl;		/* the control FIFO */
	struct stats		*stats;		/* metrics_file=, STATUS= */
	struct supervisor	*sv;		/* the processes */
};

/* A request from the control FIFO: the verbs run it. */
static void
tendd_request(void *arg, struct control_reply *c, int argc, char **argv)
{
	struct tendd	*t = arg;

	commands_dispatch(t->cmds, c, argc, argv);
}

/* The supervisor's changed hook: jobs waiting on processes move on, the
 * metrics are refreshed, a shutdown takes its next step. */
static void
tendd_changed(void *arg)
{
	struct tendd	*t = arg;

	if (t->cmds != NULL)
		commands_poke(t->cmds);
	listener_changed(t->sv);
	stats_changed(t->stats);
	if (t->sv->shutting_down)
		shutdown_step(t->sv);
}

/* The supervisor's forget hook: a process is about to be freed. */
static void
tendd_forget(struct sv_proc *sp, void *arg)
{
	struct tendd	*t = arg;

	if (t->cmds != NULL)
		commands_forget(t->cmds, sp);
	listener_forget(sp);
}

/* The supervisor's idle hook: the shutdown ends once replies are
 * written. */
static bool
tendd_idle(void *arg)
{
	struct tendd	*t = arg;

	return control_idle(t->ctl);
}

/* tendctl reexec: reexec.c does it. */
static void
tendd_reexec(void *arg, struct control_reply *c, const char *path)
{
	(void)arg;
	reexec_request(c, path);
}

/* The supervisor's stopping hook: a tail -f never ends by itself. */
static void
tendd_stopping(void *arg)
{
	struct tendd	*t = arg;

	logcmd_shutdown();
	listener_supervisor_state(t->sv, false);
}

/* Free the layers from the top down: a job still waiting is answered
 * (status 1) while its reply can be written, then the control FIFO goes;
 * the supervisor's parts go before it. */
static void
tendd_stop(struct tendd *t)
{
	reexec_bind(NULL, NULL, NULL);
	commands_free(t->cmds);
	t->cmds = NULL;
	control_close(t->ctl);
	t->ctl = NULL;
	stats_free(t->stats);		/* the last metrics: tend_up 0 */
	t->stats = NULL;
	shutdown_free(t->sv);
	listener_free(t->sv);
	orphans_free(t->sv);
	depends_free(t->sv);
	supervisor_free(t->sv);
	t->sv = NULL;
}

/* Make the layers from the bottom up: the supervisor of c (which it
 * takes, also on failure) and its parts, tied to the files above by its
 * hooks; the verbs; the control FIFO that hands them requests (the one
 * handed over by a live re-exec, h, if not NULL). -1 with err. */
static int
tendd_start(struct tendd *t, struct ev_loop *loop, const char *path,
    struct config *c, const struct handover *h, char *err, size_t len)
{
	const struct sv_hooks	hooks = {
		.may_spawn = depends_gate,	/* depends_on= */
		.moved = depends_after,
		.spawned = orphans_record,	/* the state file */
		.ended = shutdown_ended_by,	/* shutdown_on= */
		.changed = tendd_changed,
		.forget = tendd_forget,
		.idle = tendd_idle,
		.stopping = tendd_stopping,
		.state = listener_state,	/* event listeners */
		.stdio = listener_stdio,
		.output = listener_output,
		.reexec = tendd_reexec,		/* live re-exec */
		.arg = t,
	};

	t->sv = supervisor_new(loop, path, c, &hooks);
	depends_init(t->sv);
	orphans_init(t->sv);
	shutdown_init(t->sv);
	listener_init(t->sv, h != NULL);
	t->cmds = commands_new(t->sv);
	if (h != NULL)
		t->ctl = control_adopt(loop, c->control, c->control_mode,
		    c->control_group != NULL ? c->control_gid : (gid_t)-1,
		    h->control_fd, h->control_dirfd, tendd_request, t, err,
		    len);
	else
		t->ctl = control_open(loop, c->control, c->control_mode,
		    c->control_group != NULL ? c->control_gid : (gid_t)-1,
		    tendd_request, t, err, len);
	if (t->ctl == NULL) {
		tendd_stop(t);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char		*arg = TEND_SYSCONFDIR "/tend/tend.ini";
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'v' },
		{ "accepts-state", required_argument, NULL, 'A' },
		{ "handover", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct config_opts	 opts;
	char			*path, *again_argv[6];
	bool			 opt_n = false;
	struct strlist		 errs = { NULL, 0 }, warns = { NULL, 0 };
	struct config		*c;
	struct tendd		 t = { NULL, NULL, NULL, NULL };
	struct ev_loop		*loop;
	char			 err[1024];
	bool			 foreground = false, check = false, again;
	char			*pidpath = NULL;
	int			 ch, readyfd = -1, pidfd = -1, rc;
	int			 handfd = -1;
	char			 handfail[1280] = "";
	struct handover		 hand;
	bool			 handed = false;
	sigset_t		 none;
	long long		 ll;
	const char		*perr;
	size_t			 i;

	memset(&opts, 0, sizeof opts);
	while ((ch = getopt_long(argc, argv, "c:ntvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'S':
			opts.strict = true;
			break;
		case 'A':
			return accepts_state(optarg);
		case 'H':	/* internal: a live re-exec's state */
			if (parse_int(optarg, 3, INT_MAX, &ll, &perr) == -1) {
				(void)fprintf(stderr, "tendd: --handover %s: "
				    "%s\n", optarg, perr);
				return 2;
			}
			handfd = (int)ll;
			break;
		case 'c':
			arg = optarg;
			break;
		case 'n':
			foreground = opt_n = true;
			break;
		case 't':
			check = true;
			break;
		case 'v':
			(void)printf("tendd %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout, 0);
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);

	log_init("tendd", LOG_LVL_INFO, true);
	/* A live re-exec: the state first, before anything is opened (if it
	 * cannot be read, every descriptor it named is closed) */
	handover_init(&hand);
	if (handfd != -1) {
		if (reexec_read(handfd, &hand, err, sizeof(err)) == 0)
			handed = true;
		else
			(void)snprintf(handfail, sizeof(handfail), "live re-exec "
			    "failed: %s: starting afresh (the children of the "
			    "old image are stopped as after a crash, then "
			    "started again)", err);
		if (handfail[0] != '\0')
			(void)fprintf(stderr, "tendd: %s\n", handfail);
	}
	if ((path = abs_config_path(arg, err, sizeof(err))) == NULL) {
		(void)fprintf(stderr, "tendd: cannot read the configuration: "
		    "%s\n", err);
		return 1;
	}
	c = config_load_opts(path, &opts, &errs, &warns);
	for (i = 0; i < warns.n; i++)
		(void)fprintf(stderr, "tendd: warning: %s\n", warns.v[i]);
	/* before anything runs as root in them; -t only looks */
	if (c != NULL && supervisor_check_dirs(c, !check, &errs) == -1) {
		config_free(c);
		c = NULL;
	}
	if (c == NULL) {
		for (i = 0; i < errs.n; i++)
			(void)fprintf(stderr, "tendd: %s\n", errs.v[i]);
		(void)fprintf(stderr, "tendd: %s: %zu error%s, configuration "
		    "not loaded\n", path, errs.n, errs.n == 1 ? "" : "s");
		strlist_free(&errs);
		strlist_free(&warns);
		free(path);
		return 1;
	}
	if (check) {
		print_summary(c);
		config_free(c);
		strlist_free(&warns);
		free(path);
		return 0;
	}
	if (c->nodaemon)
		foreground = true;
	/* started again by reload: detached already if it was a daemon */
	if ((again = getenv("TEND_REEXEC") != NULL))
		(void)unsetenv("TEND_REEXEC");
	if (handfd != -1)
		again = true;	/* a live re-exec: same pid, detached */

	/* Whoever launched us keeps its fds; children never see them. */
	(void)close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (!foreground && !again)
		readyfd = daemon_detach(c->umask);
	else
		(void)umask((mode_t)c->umask);
	/* the stdio slots of every spawn, while low numbers are free */
	if (spawn_init() == -1) {
		(void)snprintf(err, sizeof(err), "cannot open /dev/null: %s",
		    strerror(errno));
		goto startfail;
	}
	log_init("tendd", c->loglevel, foreground);
	log_syslog_socket(c->syslog_socket);
	/* logfile=syslog is supervisord's way of saying syslog=true */
	log_set_syslog(c->syslog || (c->logfile != NULL &&
	    strcmp(c->logfile, "syslog") == 0));
	log_set_rotation(c->logfile_maxbytes, c->logfile_backups);
	if (c->logfile != NULL && strcmp(c->logfile, "syslog") != 0 &&
	    log_open_file(c->logfile) == -1) {
		(void)snprintf(err, sizeof(err), "cannot open log file %s",
		    log_open_error());
		goto startfail;
	}
	for (i = 0; i < warns.n; i++)
		log_warnx("%s", warns.v[i]);
	if (handfail[0] != '\0')	/* in the log too: a daemon's stderr
					 * is /dev/null */
		log_critx("%s", handfail);
	if (notify_open(err, sizeof(err)) == -1)
		log_warnx("%s: systemd will not hear from tendd", err);
	if (handed && hand.pidfile_fd != -1 && c->pidfile != NULL) {
		/* its lock (flock: of the open file) stays ours */
		pidpath = xstrdup(c->pidfile);
		pidfd = hand.pidfile_fd;
		(void)fd_cloexec(pidfd);
	} else if (c->pidfile != NULL) {
		pidpath = xstrdup(c->pidfile);
		pidfd = daemon_pidfile_open(pidpath, err, sizeof(err));
		if (pidfd == -1)
			goto startfail;
	}
	reexec_setup(path, opt_n, opts.strict, pidfd);

	/* Reply FIFOs whose reader vanished must not kill us. */
	(void)signal(SIGPIPE, SIG_IGN);
	(void)signal(SIGXFSZ, SIG_IGN);
	loop = ev_default_loop(EVFLAG_AUTO);
	if (loop == NULL) {
		(void)snprintf(err, sizeof(err), "cannot initialise libev");
		goto startfail;
	}
	if (raise_limit(RLIMIT_NOFILE, "minfds", "open files", c->minfds,
	    false, err, sizeof(err)) == -1 ||
	    raise_limit(RLIMIT_NPROC, "minprocs", "processes", c->minprocs,
	    true, err, sizeof(err)) == -1)
		goto startfail;
	if (tendd_start(&t, loop, path, c, handed ? &hand : NULL, err,
	    sizeof(err)) == -1) {
		c = NULL;		/* freed with the supervisor */
		goto startfail;
	}
	t.sv->config_strict = opts.strict;
	log_info("tendd %s started with pid %ld", PACKAGE_VERSION,
	    (long)getpid());
	if (getuid() == 0) {
		log_info("running as root: programs run as root unless they "
		    "set user=");
		warn_dangerous_env();
	}
	reexec_bind(t.sv, t.ctl, t.cmds);
	if (handed)
		reexec_adopt(t.sv, t.ctl, &hand);
	else
		supervisor_reap_orphans(t.sv);
	daemon_ready(readyfd, NULL);
	notify_ready();
	t.stats = stats_new(t.sv);
	if (!handed) {
		listener_supervisor_state(t.sv, true);
		supervisor_autostart(t.sv);
	}
	/* the old image blocked every signal across its exec; the handlers
	 * are in place now, and take what came meanwhile */
	(void)sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	ev_run(loop, 0);

	/* Everything is stopped: a late SIGTERM must not kill us halfway
	 * through removing the FIFO and the pid file (libev's handlers are
	 * about to go). */
	(void)signal(SIGTERM, SIG_IGN);
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGHUP, SIG_IGN);
	(void)signal(SIGQUIT, SIG_IGN);
	log_info("tendd exiting");
	/* Every child is stopped: nothing for a next instance to clean up. */
	if (t.sv->state_path != NULL)
		(void)unlink(t.sv->state_path);
	again = t.sv->reexec;
	rc = t.sv->exit_code;
	tendd_stop(&t);
	/* ev_signal_stop() gave SIGTERM back its default action. */
	(void)signal(SIGTERM, SIG_IGN);
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGHUP, SIG_IGN);
	(void)signal(SIGQUIT, SIG_IGN);
	notify_close();
	daemon_pidfile_close(pidfd, pidpath);
	free(pidpath);
	strlist_free(&warns);
	ev_loop_destroy(loop);
	log_close_file();
	if (again) {
		/* the same options, and the file by its absolute path */
		i = 0;
		again_argv[i++] = argv[0];
		again_argv[i++] = (char *)(uintptr_t)"-c";
		again_argv[i++] = path;
		if (opt_n)
			again_argv[i++] = (char *)(uintptr_t)"-n";
		if (opts.strict)
			again_argv[i++] = (char *)(uintptr_t)"--strict";
		again_argv[i] = NULL;
		reexec(again_argv);
		rc = 1;
	}
	free(path);
	return rc;

startfail:
	log_errorx("%s", err);
	handover_free(&hand);
	daemon_ready(readyfd, err);
	daemon_pidfile_close(pidfd, pidpath);
	free(pidpath);
	if (c != NULL)
		config_free(c);
	strlist_free(&warns);
	free(path);
	return 1;
}
