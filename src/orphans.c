/* orphans.c: the state file and the orphans of a previous tendd. Every
 * spawn marks the file dirty and it is written (atomically, state.c)
 * once per loop iteration, from a prepare watcher: a restart costs one
 * write. At start, before anything is spawned, the children a killed
 * tendd left running are read back from it and stopped: they cannot be
 * adopted (not our children: no exit status, no output pipes). That
 * waits for them in poll(), before the loop runs. */
#include "autoconfig.h"

#include <sys/pidfd.h>
#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orphans.h"
#include "log.h"
#include "state.h"
#include "supervisor.h"
#include "util.h"

/* ---- the state file ---- */

/* Write the pids of every live child, atomically. */
static void
orphans_prep_cb(struct ev_loop *loop, ev_prepare *w, int revents)
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
		log_warn("cannot write the state file %s", sv->state_path);
	state_free(&st);
}

/* See orphans.h. */
void
orphans_init(struct supervisor *sv)
{
	ev_prepare_init(&sv->state_prep, orphans_prep_cb);
	sv->state_prep.data = sv;
}

/* See orphans.h. */
void
orphans_free(struct supervisor *sv)
{
	ev_prepare_stop(sv->loop, &sv->state_prep);
}

/* See orphans.h. */
void
orphans_record(struct supervisor *sv)
{
	if (sv->state_path != NULL)
		ev_prepare_start(sv->loop, &sv->state_prep);
}

/* ---- orphans of a previous tendd ---- */

/* Is e, now, a process group tendd made: its leader alive with the
 * recorded start time, pid == recorded pgid == its pgid? Asked again right
 * before every signal to the group. */
static bool
orphans_ours(const struct state_entry *e)
{
	return state_orphan_ours(e, getpgid(e->pid),
	    state_proc_starttime(e->pid));
}

/* Signal an orphan: its group while it still is ours, else its leader
 * alone, through the pidfd (which names the very process found to be
 * ours: it may have left the group since). */
static void
orphans_signal(int pidfd, const struct state_entry *e, int sig)
{
	if (orphans_ours(e))
		(void)kill(-e->pgid, sig);
	else
		(void)pidfd_send_signal(pidfd, sig, NULL, 0);
}

/* qsort order of processes by name, then as in procs: the state file
 * names a process by its name alone, and the first in procs is its. */
static int
orphans_name_cmp(const void *a, const void *b)
{
	const struct sv_proc	*x = *(struct sv_proc *const *)a;
	const struct sv_proc	*y = *(struct sv_proc *const *)b;
	int			 d;

	if ((d = strcmp(x->p.name, y->p.name)) != 0)
		return d;
	return supervisor_proc_cmp(a, b);
}

/* The first process called name in byname (n, sorted by name), or
 * NULL. */
static struct sv_proc *
orphans_find(struct sv_proc **byname, size_t n, const char *name)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(byname[mid]->p.name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(byname[lo]->p.name, name) == 0 ?
	    byname[lo] : NULL;
}

/* See orphans.h. The orphans cannot be adopted (they are no longer our
 * children, so their exit status and their output pipes are gone): each
 * one still alive with its recorded start time gets its program's stop
 * signal on its whole process group, then SIGKILL, before anything is
 * started, so a program never runs twice. The file is trusted only as
 * tendd's own (state_read), and a group is signalled only while its
 * leader is the process recorded (orphans_ours): never a process a
 * forged or stale file names. */
void
supervisor_reap_orphans(struct supervisor *sv)
{
	struct state	 st;
	struct sv_proc	**byname;
	struct pollfd	*pfds;
	double		*deadline, now, next;
	bool		*killed;
	char		 err[512];
	size_t		 i, n = 0, alive = 0;
	int		 rc;

	if (sv->state_path == NULL)
		return;
	rc = state_read(sv->state_path, &st, err, sizeof(err));
	if (rc == -1)
		log_warnx("ignoring the state file: %s", err);
	if (rc != 0)
		return;
	byname = xcalloc(sv->nprocs + 1, sizeof(*byname));
	for (i = 0; i < sv->nprocs; i++)
		if (!sv->procs[i]->removing)
			byname[n++] = sv->procs[i];
	qsort(byname, n, sizeof(*byname), orphans_name_cmp);
	pfds = xcalloc(st.n + 1, sizeof(*pfds));
	deadline = xcalloc(st.n + 1, sizeof(*deadline));
	killed = xcalloc(st.n + 1, sizeof(*killed));
	now = ev_time();
	for (i = 0; i < st.n; i++) {
		struct state_entry	*e = &st.v[i];
		struct sv_proc		*sp = orphans_find(byname, n, e->name);
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
		if (!orphans_ours(e)) {
			if (state_proc_starttime(e->pid) == e->starttime)
				log_warnx("state file: pid %ld ('%s') is not the "
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
		log_warnx("killing orphan of a previous tendd: '%s' (pid %ld)",
		    e->name, (long)e->pid);
		orphans_signal(pfds[i].fd, e, sig);
		orphans_signal(pfds[i].fd, e, SIGCONT);
		alive++;
	}
	while (alive > 0) {
		now = ev_time();
		next = now + 3600;
		for (i = 0; i < st.n; i++) {
			if (pfds[i].fd == -1)
				continue;
			if (now >= deadline[i] && !killed[i]) {
				log_warnx("killing '%s' (%ld) with SIGKILL",
				    st.v[i].name, (long)st.v[i].pid);
				orphans_signal(pfds[i].fd, &st.v[i], SIGKILL);
				killed[i] = true;
				deadline[i] = now + 5;
			} else if (now >= deadline[i]) {
				log_errorx("orphan '%s' (%ld) survives SIGKILL",
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
	free(byname);
	state_free(&st);
	orphans_record(sv);
}

