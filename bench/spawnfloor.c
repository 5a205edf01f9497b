/* spawnfloor.c: the physical floor of "start N programs" on this machine.
 *
 *	spawnfloor N READYFILE [PROGRAM ARG...]	(default: /bin/sleep 100000)
 *
 * A bare loop of N posix_spawn() calls (glibc uses clone(CLONE_VM|
 * CLONE_VFORK), so each call returns once the child has exec'd). Then it
 * writes "N SECONDS\n" to READYFILE (the time the loop took, by its own
 * clock) and waits. On SIGTERM, SIGINT or SIGHUP it sends SIGTERM to every
 * child it started (by pid; they are its own unreaped children, so the pids
 * cannot have been reused), reaps them all and exits 0. No config parsing,
 * no state, no pipes, no process groups: whatever a supervisor spends above
 * this is its own cost. Built by bench/run with `cc -O2`. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char **argv)
{
	static char	*defargv[] = { "/bin/sleep", "100000", NULL };
	char		**cargv = defargv;
	sigset_t	 set, old;
	struct timespec	 t0, t1;
	pid_t		*pids;
	long		 n, i, started = 0;
	int		 sig, rc;
	FILE		*f;
	char		 tmp[4096];

	if (argc < 3 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: spawnfloor N READYFILE [PROGRAM ARG...]\n");
		return 2;
	}
	if (argc > 3)
		cargv = argv + 3;
	if ((pids = calloc((size_t)n, sizeof(*pids))) == NULL)
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked here, so a stop request waits for sigwait(); the children
	 * get the default mask back through posix_spawnattr. */
	sigprocmask(SIG_BLOCK, &set, &old);

	posix_spawnattr_t	attr;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &old);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		rc = posix_spawn(&pids[i], cargv[0], NULL, &attr, cargv,
		    environ);
		if (rc != 0) {
			fprintf(stderr, "spawnfloor: posix_spawn #%ld: %s\n",
			    i, strerror(rc));
			break;
		}
		started++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	/* Written aside, then renamed: the reader sees all or nothing. */
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	if ((f = fopen(tmp, "w")) != NULL) {
		fprintf(f, "%ld %.6f\n", started, (double)(t1.tv_sec -
		    t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (fclose(f) == 0)
			(void)rename(tmp, argv[2]);
	}
	if (sigwait(&set, &sig) != 0)
		sig = SIGTERM;
	for (i = 0; i < started; i++)
		(void)kill(pids[i], SIGTERM);
	for (i = 0; i < started; i++)
		while (waitpid(pids[i], NULL, 0) == -1 && errno == EINTR)
			;
	free(pids);
	return started == n ? 0 : 1;
}
