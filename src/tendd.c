/* tendd.c: main: options, configuration, daemonizing, the loop. */
#include "autoconfig.h"

#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "daemon.h"
#include "log.h"
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
	(void)fprintf(f, "usage: tendd [-c file] [-n] [-t] [-v] [-h]\n"
	    "  -c file  configuration (default %s/tend/tend.ini)\n"
	    "  -n       stay in the foreground, log to stderr\n"
	    "  -t       check the configuration and exit\n"
	    "  -v       print the version and exit\n"
	    "  -h       print this help and exit\n", TEND_SYSCONFDIR);
	exit(code);
}

/* -t: what the configuration sets up, for people editing it. */
static void
print_summary(const struct config *c)
{
	size_t	i;

	(void)printf("configuration OK: %s\n", c->file);
	(void)printf("control %s (mode %04o)\n", c->control, c->control_mode);
	if (c->pidfile != NULL)
		(void)printf("pidfile %s\n", c->pidfile);
	(void)printf("logfile %s\n", c->logfile != NULL ? c->logfile :
	    "(none)");
	for (i = 0; i < c->nprogs; i++) {
		const struct program	*p = &c->progs[i];

		(void)printf("program %s: priority %d, %s, %s\n", p->name,
		    p->priority, p->autostart ? "autostart" : "manual",
		    p->command);
	}
}

int
main(int argc, char **argv)
{
	const char		*path = TEND_SYSCONFDIR "/tend/tend.ini";
	struct strlist		 errs = { NULL, 0 }, warns = { NULL, 0 };
	struct config		*c;
	struct supervisor	*sv;
	struct ev_loop		*loop;
	char			 err[1024];
	bool			 foreground = false, check = false;
	char			*pidpath = NULL;
	int			 ch, readyfd = -1, pidfd = -1;
	size_t			 i;

	while ((ch = getopt(argc, argv, "c:ntvh")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			foreground = true;
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
	c = config_load(path, &errs, &warns);
	for (i = 0; i < warns.n; i++)
		(void)fprintf(stderr, "tendd: warning: %s\n", warns.v[i]);
	if (c == NULL) {
		for (i = 0; i < errs.n; i++)
			(void)fprintf(stderr, "tendd: %s\n", errs.v[i]);
		(void)fprintf(stderr, "tendd: %s: %zu error%s, configuration "
		    "not loaded\n", path, errs.n, errs.n == 1 ? "" : "s");
		strlist_free(&errs);
		strlist_free(&warns);
		return 1;
	}
	if (check) {
		print_summary(c);
		config_free(c);
		strlist_free(&warns);
		return 0;
	}
	if (c->nodaemon)
		foreground = true;

	/* Whoever launched us keeps its fds; children never see them. */
	(void)close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (!foreground)
		readyfd = daemon_detach(c->umask);
	else
		(void)umask((mode_t)c->umask);
	log_init("tendd", c->loglevel, foreground);
	if (c->logfile != NULL && log_open_file(c->logfile) == -1) {
		(void)snprintf(err, sizeof(err), "cannot open log file %s: %s",
		    c->logfile, strerror(errno));
		goto startfail;
	}
	for (i = 0; i < warns.n; i++)
		log_warn("%s", warns.v[i]);
	if (c->pidfile != NULL) {
		pidpath = xstrdup(c->pidfile);
		pidfd = daemon_pidfile_open(pidpath, err, sizeof(err));
		if (pidfd == -1)
			goto startfail;
	}

	/* Reply FIFOs whose reader vanished must not kill us. */
	(void)signal(SIGPIPE, SIG_IGN);
	(void)signal(SIGXFSZ, SIG_IGN);
	loop = ev_default_loop(EVFLAG_AUTO);
	if (loop == NULL) {
		(void)snprintf(err, sizeof(err), "cannot initialise libev");
		goto startfail;
	}
	sv = supervisor_new(loop, path, c);
	sv->control = control_open(sv, c->control, c->control_mode,
	    c->control_group != NULL ? c->control_gid : (gid_t)-1, err,
	    sizeof(err));
	if (sv->control == NULL) {
		supervisor_free(sv);
		c = NULL;
		goto startfail;
	}
	log_info("tendd %s started with pid %ld", PACKAGE_VERSION,
	    (long)getpid());
	if (getuid() == 0)
		log_info("running as root: programs run as root unless they "
		    "set user=");
	supervisor_reap_orphans(sv);
	daemon_ready(readyfd, NULL);
	readyfd = -1;
	supervisor_autostart(sv);
	ev_run(loop, 0);

	log_info("tendd exiting");
	control_close(sv->control);
	sv->control = NULL;
	/* Every child is stopped: nothing for a next instance to clean up. */
	if (sv->state_path != NULL)
		(void)unlink(sv->state_path);
	supervisor_free(sv);
	daemon_pidfile_close(pidfd, pidpath);
	free(pidpath);
	strlist_free(&warns);
	ev_loop_destroy(loop);
	log_close_file();
	return 0;

startfail:
	log_error("%s", err);
	daemon_ready(readyfd, err);
	daemon_pidfile_close(pidfd, pidpath);
	free(pidpath);
	if (c != NULL)
		config_free(c);
	strlist_free(&warns);
	return 1;
}
