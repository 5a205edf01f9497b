/* summary.c: `tendd -t` prints what a valid configuration will do, so that
 * someone editing tend.ini sees the effect of defaults and expansions:
 * where the FIFO, the pid file and every log end up, and the programs in
 * the order they start. Pure: formats a struct config, nothing else. */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "event.h"
#include "log.h"

/* 52428800 -> "50MB", as supervisord writes sizes. */
static void
summary_size(struct buf *b, unsigned long long n)
{
	if (n != 0 && n % (1024ULL * 1024 * 1024) == 0)
		buf_printf(b, "%lluGB", n / (1024ULL * 1024 * 1024));
	else if (n != 0 && n % (1024ULL * 1024) == 0)
		buf_printf(b, "%lluMB", n / (1024ULL * 1024));
	else if (n != 0 && n % 1024 == 0)
		buf_printf(b, "%lluKB", n / 1024);
	else
		buf_printf(b, "%llu bytes", n);
}

/* " (rotated at 50MB, 10 backups)" or " (never rotated)". */
static void
summary_rotation(struct buf *b, unsigned long long maxbytes,
    unsigned backups)
{
	if (maxbytes == 0) {
		buf_addstr(b, " (never rotated)");
		return;
	}
	buf_addstr(b, " (rotated at ");
	summary_size(b, maxbytes);
	buf_printf(b, ", %u backup%s)", backups, backups == 1 ? "" : "s");
}

/* An event listener pool's events (the types its events= named, and
 * those under them) and buffer. */
static void
summary_events(struct buf *b, const struct program *p)
{
	int	t;

	buf_addstr(b, "    events: ");
	for (t = 0; t < EVENT_NTYPES; t++)
		if (p->events & EVENT_BIT(t))
			buf_printf(b, " %s", event_name((enum event_type)t));
	buf_printf(b, " (pool buffer: %u)\n", p->buffer_size);
}

/* One output stream of a program: its file, or none. */
static void
summary_stream(struct buf *b, const struct config *c, const struct program *p,
    bool err)
{
	char			*path = program_log_path(c, p, err);

	buf_printf(b, "    %s:  ", err ? "stderr" : "stdout");
	if (err && p->redirect_stderr) {
		buf_addstr(b, "with stdout (redirect_stderr)\n");
		return;
	}
	buf_addstr(b, path != NULL ? path : "discarded (NONE)");
	if (path != NULL)
		summary_rotation(b, err ? p->stderr_logfile_maxbytes :
		    p->stdout_logfile_maxbytes, err ? p->stderr_logfile_backups :
		    p->stdout_logfile_backups);
	if (err ? p->stderr_syslog : p->stdout_syslog)
		buf_addstr(b, ", and syslog");
	buf_addc(b, '\n');
	free(path);
}

/* Start order of groups: priority, then supervisord's sequence. */
static int
summary_group_cmp(const void *a, const void *b)
{
	const struct group_conf	*x = *(const struct group_conf *const *)a;
	const struct group_conf	*y = *(const struct group_conf *const *)b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A group of its own, not one [program:] alone under its name. */
static bool
summary_real_group(const struct config *c, const struct group_conf *g)
{
	return g->nprocs != 1 || strcmp(c->progs[g->first].name, g->name) != 0;
}

/* One program (process): its namespec, command, identity, output. */
static void
summary_program(struct buf *b, const struct config *c,
    const struct group_conf *g, const struct program *p)
{
	size_t	i;

	if (summary_real_group(c, g))
		buf_printf(b, "  %s:%s", g->name, p->name);
	else
		buf_printf(b, "  %s", p->name);
	buf_printf(b, " (priority %d, %s", p->priority,
	    p->autostart ? "autostart" : "started by hand");
	if (p->notification_fd != 0)
		buf_printf(b, ", ready when it writes a line to fd %u",
		    p->notification_fd);
	if (p->sd_notify)
		buf_addstr(b, ", ready when it sends READY=1 to NOTIFY_SOCKET");
	if (p->ready_on_health)
		buf_addstr(b, ", ready when its health check passes");
	if (p->restart_limit.count != 0)
		buf_printf(b, ", FATAL after %u restarts in %u s",
		    p->restart_limit.count, p->restart_limit.secs);
	if (p->shutdown_on != SHUTDOWN_ON_NEVER)
		buf_addstr(b, p->shutdown_on == SHUTDOWN_ON_FATAL ?
		    ", tendd exits if it goes FATAL" :
		    ", tendd exits when it ends");
	buf_addstr(b, ")\n");
	/* the argv execve gets (no shell runs it), on one line that
	 * shlex.split() reads back */
	buf_addstr(b, "    command: ");
	cmdline_join(b, p->argv);
	buf_addc(b, '\n');
	if (p->listener)
		summary_events(b, p);
	for (i = 0; i < p->depends_on.n; i++)
		buf_printf(b, "%s%s%s", i == 0 ? "    after:   " : ", ",
		    p->depends_on.v[i], i + 1 == p->depends_on.n ?
		    " (depends_on)\n" : "");
	if (p->health.kind != HEALTH_NONE)
		buf_printf(b, "    health:  %s every %u s (timeout %u s); %u "
		    "failures in a row%s: %s\n", p->health.text,
		    p->health_interval, p->health_timeout, p->health_retries,
		    p->health_start_period == 0 ? "" : " after the start period",
		    p->health_restart ? "restart" : "report");
	if (p->user != NULL)
		buf_printf(b, "    user:    %s\n", p->user);
	if (p->directory != NULL)
		buf_printf(b, "    cwd:     %s\n", p->directory);
	summary_stream(b, c, p, false);
	summary_stream(b, c, p, true);
}

/* See summary.h. */
void
summary_format(struct buf *b, const struct config *c)
{
	const struct group_conf	**order;
	const char		 *lvl = log_level_name(c->loglevel);
	size_t			  i, j, ngroups = 0;

	buf_printf(b, "configuration OK: %s\n", c->file);
	buf_printf(b, "control FIFO:  %s (mode %04o", c->control,
	    c->control_mode);
	if (c->control_group != NULL)
		buf_printf(b, ", group %s", c->control_group);
	buf_addstr(b, ")\n");
	buf_printf(b, "pid file:      %s\n", c->pidfile != NULL ? c->pidfile :
	    "none");
	buf_addstr(b, "tendd log:     ");
	if (c->logfile == NULL)
		buf_addstr(b, c->nodaemon ? "standard error" :
		    "standard error under -n, none when daemonized");
	else if (strcmp(c->logfile, "syslog") == 0)
		buf_addstr(b, "syslog");
	else {
		buf_addstr(b, c->logfile);
		summary_rotation(b, c->logfile_maxbytes, c->logfile_backups);
	}
	if (c->syslog && (c->logfile == NULL ||
	    strcmp(c->logfile, "syslog") != 0))
		buf_addstr(b, ", and syslog");
	buf_printf(b, "; level %s\n", lvl != NULL ? lvl : "?");
	buf_printf(b, "child logs:    %s (childlogdir, for AUTO)\n",
	    c->childlogdir);
	buf_printf(b, "metrics file:  %s\n", c->metrics_file != NULL ?
	    c->metrics_file : "none");

	order = xcalloc(c->ngroups + 1, sizeof(*order));
	for (i = 0; i < c->ngroups; i++)
		order[i] = &c->groups[i];
	qsort(order, c->ngroups, sizeof(*order), summary_group_cmp);
	for (i = 0; i < c->ngroups; i++)
		if (summary_real_group(c, order[i]))
			ngroups++;
	if (ngroups > 0) {
		buf_printf(b, "%zu group%s:\n", ngroups, ngroups == 1 ? "" :
		    "s");
		for (i = 0; i < c->ngroups; i++) {
			const struct group_conf	*g = order[i];

			if (!summary_real_group(c, g))
				continue;
			buf_printf(b, "  %s (priority %d):", g->name,
			    g->priority);
			for (j = 0; j < g->nprocs; j++)
				buf_printf(b, " %s", c->progs[g->first + j].name);
			buf_addc(b, '\n');
		}
	}
	buf_printf(b, "%zu process%s, in start order:\n", c->nprogs,
	    c->nprogs == 1 ? "" : "es");
	for (i = 0; i < c->ngroups; i++)
		for (j = 0; j < order[i]->nprocs; j++)
			summary_program(b, c, order[i],
			    &c->progs[order[i]->first + j]);
	free(order);
}
