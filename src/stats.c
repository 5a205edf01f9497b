/* stats.c: the supervisor seen from outside: a snapshot of every process
 * for metrics.c (`tendctl metrics` and metrics_file=), and systemd's
 * STATUS= line with the count of processes in each state.
 *
 * Both are refreshed at most once per loop iteration, from a prepare
 * watcher armed by stats_changed(): a burst of changes (`stop all`) costs
 * one file write. The file is written to a new temporary beside PATH
 * (safe_replace: a random name made with O_EXCL, so a FIFO or a link
 * planted in node_exporter's directory is never opened) and renamed over
 * PATH, so node_exporter's textfile collector never reads half a file; a
 * failed write is logged once (and its recovery), never retried in a
 * loop. */
#include "autoconfig.h"

#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "process.h"
#include "safeopen.h"
#include "supervisor.h"
#include "verbs.h"

struct stats {
	struct supervisor	*sv;
	ev_prepare		 prep;		/* armed while dirty */
	char			*status;	/* last STATUS= sent */
	char			*failed_path;	/* file whose write failed,
						 * NULL when the last worked */
};

/* The group a process belongs to: its [group:], or for a [program:] in
 * none, the program's name. */
static const char *
stats_group(const struct sv_proc *sp)
{
	return sp->p.prog->group_name;
}

/* See stats.h. */
void
stats_metrics(struct supervisor *sv, bool up, struct buf *b)
{
	struct metrics_daemon	 d = { PACKAGE_VERSION, up };
	struct metrics_proc	*mp;
	char			**names, spec[VERBS_NAMESPEC_SIZE];
	size_t			 i, n = 0;

	mp = xcalloc(sv->nprocs + 1, sizeof(*mp));
	names = xcalloc(sv->nprocs + 1, sizeof(*names));
	for (i = 0; i < sv->nprocs; i++) {
		const struct sv_proc	*sp = sv->procs[i];
		const char		*group = stats_group(sp);

		if (sp->removing)
			continue;
		/* the namespec, as `tendctl status` prints it */
		names[n] = xstrdup(verbs_namespec(group, sp->p.name, spec,
		    sizeof(spec)));
		mp[n].name = names[n];
		mp[n].group = group;
		mp[n].state = sp->p.state;
		mp[n].start_time = (long long)sp->p.start_wall;
		mp[n].restarts = sp->p.restarts;
		mp[n].exited = sp->p.stop_wall != 0;
		mp[n].exit_status = sp->p.exitstatus;
		mp[n].dropped_stdout = sp->out.dropped;
		mp[n].dropped_stderr = sp->err.dropped;
		mp[n].health = sp->p.prog->health.kind != HEALTH_NONE;
		mp[n].healthy = sp->health.healthy;
		mp[n].health_failures = sp->health.failures;
		n++;
	}
	metrics_format(b, &d, mp, n);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(mp);
}

/* Replace path with the metrics, atomically. Returns -1 with the
 * reason in why. */
static int
stats_write_file(struct supervisor *sv, const char *path, bool up,
    char *why, size_t len)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	stats_metrics(sv, up, &b);
	rc = safe_replace(path, b.data, b.len, 0644, false, why, len);
	buf_free(&b);
	return rc;
}

/* Write metrics_file= (if set); say so once when it starts or stops
 * failing. */
static void
stats_update_file(struct stats *st, bool up)
{
	const char	*path = st->sv->config->metrics_file;
	char		 why[1024];

	if (path == NULL)
		return;
	if (stats_write_file(st->sv, path, up, why, sizeof(why)) == -1) {
		if (st->failed_path == NULL ||
		    strcmp(st->failed_path, path) != 0) {
			log_errorx("metrics_file: cannot write %s: %s", path,
			    why);
			free(st->failed_path);
			st->failed_path = xstrdup(path);
		}
		return;
	}
	if (st->failed_path != NULL) {
		log_info("metrics_file: %s written again", path);
		free(st->failed_path);
		st->failed_path = NULL;
	}
}

/* STATUS=: how many processes are in each state. */
static void
stats_update_status(struct stats *st)
{
	static const enum proc_state	 order[] = {
		PROC_RUNNING, PROC_STARTING, PROC_BACKOFF, PROC_STOPPING,
		PROC_STOPPED, PROC_EXITED, PROC_FATAL, PROC_UNKNOWN,
	};
	struct supervisor		*sv = st->sv;
	size_t				 count[nitems(order)] = { 0 };
	size_t				 i, s, total = 0;
	const char			*sep = ":";
	struct buf			 b;

	for (i = 0; i < sv->nprocs; i++) {
		if (sv->procs[i]->removing)
			continue;
		total++;
		for (s = 0; s < nitems(order); s++)
			if (sv->procs[i]->p.state == order[s])
				count[s]++;
	}
	buf_init(&b);
	buf_printf(&b, "%zu process%s", total, total == 1 ? "" : "es");
	for (s = 0; s < nitems(order); s++) {
		if (count[s] == 0)
			continue;
		buf_printf(&b, "%s %zu %s", sep, count[s],
		    proc_state_name(order[s]));
		sep = ",";
	}
	if (st->status == NULL || strcmp(st->status, b.data) != 0) {
		notify_send("STATUS=%s", b.data);
		free(st->status);
		st->status = buf_steal(&b);
	}
	buf_free(&b);
}

/* Once per loop iteration after a change. */
static void
stats_prep_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct stats	*st = w->data;

	(void)revents;
	ev_prepare_stop(loop, w);
	stats_update_file(st, true);
	stats_update_status(st);
}

/* See stats.h. */
struct stats *
stats_new(struct supervisor *sv)
{
	struct stats	*st = xcalloc(1, sizeof(*st));

	st->sv = sv;
	ev_prepare_init(&st->prep, stats_prep_cb);
	st->prep.data = st;
	stats_changed(st);
	return st;
}

/* See stats.h. */
void
stats_changed(struct stats *st)
{
	if (st != NULL && !ev_is_active(&st->prep))
		ev_prepare_start(st->sv->loop, &st->prep);
}

/* See stats.h. */
void
stats_free(struct stats *st)
{
	if (st == NULL)
		return;
	ev_prepare_stop(st->sv->loop, &st->prep);
	stats_update_file(st, false);
	stats_update_status(st);
	free(st->status);
	free(st->failed_path);
	free(st);
}
