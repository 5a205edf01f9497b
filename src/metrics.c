/* metrics.c: tendd's state in the Prometheus text exposition format
 * (0.0.4: https://prometheus.io/docs/instrumenting/exposition_formats/).
 *
 * Pure: it formats a snapshot the caller took; no syscalls, no libev.
 *
 * Every family is written whole (HELP, TYPE, then all its samples) so that
 * a strict parser, promtool and node_exporter's textfile collector accept
 * it. A process's state is one sample per state, 1 for the current one, the
 * way node_exporter's systemd collector exposes unit states: an alert on
 * tend_process_state{state="FATAL"} == 1 needs no knowledge of codes. */
#include "metrics.h"

/* Every state a process can be in, in supervisord's order. */
static const enum proc_state metrics_states[] = {
	PROC_STOPPED, PROC_STARTING, PROC_RUNNING, PROC_BACKOFF,
	PROC_STOPPING, PROC_EXITED, PROC_FATAL, PROC_UNKNOWN,
};

/* Does some process have a healthcheck=? */
static bool
metrics_any_health(const struct metrics_proc *procs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (procs[i].health)
			return true;
	return false;
}

/* See metrics.h. */
void
metrics_label_value(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_addstr(b, "\\\\");
		else if (*s == '"')
			buf_addstr(b, "\\\"");
		else if (*s == '\n')
			buf_addstr(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

/* The HELP and TYPE lines of a family. help has no backslash or LF. */
static void
metrics_family(struct buf *b, const char *name, const char *type,
    const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{name="...",group="..." and the opening of a sample, without the
 * closing brace: callers add more labels or close it. */
static void
metrics_proc_labels(struct buf *b, const char *metric,
    const struct metrics_proc *p)
{
	buf_printf(b, "%s{name=\"", metric);
	metrics_label_value(b, p->name);
	buf_addstr(b, "\",group=\"");
	metrics_label_value(b, p->group);
	buf_addc(b, '"');
}

/* See metrics.h. */
void
metrics_format(struct buf *b, const struct metrics_daemon *d,
    const struct metrics_proc *procs, size_t n)
{
	size_t	i, s;

	metrics_family(b, "tend_up", "gauge",
	    "1 while tendd runs, 0 in the file it leaves when it exits.");
	buf_printf(b, "tend_up %d\n", d->up ? 1 : 0);

	metrics_family(b, "tend_build_info", "gauge",
	    "Always 1; the version of tendd is a label.");
	buf_addstr(b, "tend_build_info{version=\"");
	metrics_label_value(b, d->version);
	buf_addstr(b, "\"} 1\n");

	metrics_family(b, "tend_process_state", "gauge",
	    "1 for the state the process is in, 0 for the other states.");
	for (i = 0; i < n; i++) {
		for (s = 0; s < nitems(metrics_states); s++) {
			metrics_proc_labels(b, "tend_process_state", &procs[i]);
			buf_printf(b, ",state=\"%s\"} %d\n",
			    proc_state_name(metrics_states[s]),
			    procs[i].state == metrics_states[s] ? 1 : 0);
		}
	}

	metrics_family(b, "tend_process_start_time_seconds", "gauge",
	    "Unix time the process was last spawned, 0 if never.");
	for (i = 0; i < n; i++) {
		metrics_proc_labels(b, "tend_process_start_time_seconds",
		    &procs[i]);
		buf_printf(b, "} %lld\n", procs[i].start_time);
	}

	metrics_family(b, "tend_process_restarts_total", "counter",
	    "Spawns of the process after its first one.");
	for (i = 0; i < n; i++) {
		metrics_proc_labels(b, "tend_process_restarts_total",
		    &procs[i]);
		buf_printf(b, "} %lu\n", procs[i].restarts);
	}

	metrics_family(b, "tend_process_exit_status", "gauge",
	    "Exit code of the last exit, -1 for a signal or an exit within "
	    "startsecs; absent until the process first exits.");
	for (i = 0; i < n; i++) {
		if (!procs[i].exited)
			continue;
		metrics_proc_labels(b, "tend_process_exit_status", &procs[i]);
		buf_printf(b, "} %d\n", procs[i].exit_status);
	}

	if (metrics_any_health(procs, n)) {	/* only then */
		metrics_family(b, "tend_process_healthy", "gauge",
		    "1 when the last health probe passed, 0 when it failed; "
		    "absent without a probe result since the spawn.");
		for (i = 0; i < n; i++) {
			if (!procs[i].health || procs[i].healthy < 0)
				continue;
			metrics_proc_labels(b, "tend_process_healthy",
			    &procs[i]);
			buf_printf(b, "} %d\n", procs[i].healthy);
		}
		metrics_family(b, "tend_process_health_failures", "gauge",
		    "Failed health probes in a row (that count: not in the "
		    "start period).");
		for (i = 0; i < n; i++) {
			if (!procs[i].health)
				continue;
			metrics_proc_labels(b, "tend_process_health_failures",
			    &procs[i]);
			buf_printf(b, "} %u\n", procs[i].health_failures);
		}
	}

	metrics_family(b, "tend_log_dropped_bytes_total", "counter",
	    "Bytes of program output that could not be written to its log.");
	for (i = 0; i < n; i++) {
		metrics_proc_labels(b, "tend_log_dropped_bytes_total",
		    &procs[i]);
		buf_printf(b, ",stream=\"stdout\"} %llu\n",
		    procs[i].dropped_stdout);
		metrics_proc_labels(b, "tend_log_dropped_bytes_total",
		    &procs[i]);
		buf_printf(b, ",stream=\"stderr\"} %llu\n",
		    procs[i].dropped_stderr);
	}
}
