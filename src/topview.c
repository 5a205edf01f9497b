/* topview.c: the pure part of `tendctl top` (see topview.h): status
 * --json read, /proc stat lines read, trees summed, rows sorted, frames
 * formatted. No syscalls. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topview.h"
#include "util.h"

/* The value after "key": in one object of status --json, NULL if none.
 * Keys follow '{' or ',' outside strings; inside a string a quote is
 * escaped, so ,"key": never matches there. */
static const char *
top_field(const char *obj, const char *key)
{
	char		 pat[40];
	const char	*p;

	(void)snprintf(pat, sizeof(pat), "\"%s\":", key);
	for (p = obj; (p = strstr(p, pat)) != NULL; p++)
		if (p > obj && (p[-1] == '{' || p[-1] == ','))
			return p + strlen(pat);
	return NULL;
}

/* A JSON string at p, unescaped (\uXXXX below 0x80 only: status --json
 * escapes nothing else). NULL if p is not a string. */
static char *
top_string(const char *p)
{
	struct buf	 b;
	unsigned	 u;
	char		*s;

	if (p == NULL || *p != '"')
		return NULL;
	buf_init(&b);
	for (p++; *p != '"'; p++) {
		if (*p == '\0') {
			buf_free(&b);
			return NULL;
		}
		if (*p != '\\') {
			buf_addc(&b, *p);
			continue;
		}
		p++;
		if (*p == 'u' && sscanf(p + 1, "%4x", &u) == 1 && u < 0x80) {
			buf_addc(&b, (char)u);
			p += 4;
		} else if (*p == '\0') {
			buf_free(&b);
			return NULL;
		} else
			buf_addc(&b, *p);
	}
	s = xstrdup(b.data != NULL ? b.data : "");
	buf_free(&b);
	return s;
}

/* One object into r; false if it is not one of status --json. */
static bool
top_parse_object(const char *obj, struct top_row *r)
{
	const char	*p;
	char		*state;

	memset(r, 0, sizeof(*r));
	r->cpu = -1;
	r->healthy = -1;
	if ((r->name = top_string(top_field(obj, "name"))) == NULL)
		return false;
	if ((state = top_string(top_field(obj, "state"))) == NULL)
		return false;
	(void)snprintf(r->state, sizeof(r->state), "%s", state);
	free(state);
	if ((p = top_field(obj, "pid")) == NULL ||
	    sscanf(p, "%ld", &r->pid) != 1)
		return false;
	if ((p = top_field(obj, "uptime")) == NULL ||
	    sscanf(p, "%lld", &r->uptime) != 1)
		return false;
	if ((p = top_field(obj, "restarts")) == NULL ||
	    sscanf(p, "%lu", &r->restarts) != 1)
		return false;
	if ((p = top_field(obj, "healthy")) != NULL)
		r->healthy = strncmp(p, "true", 4) == 0 ? 1 :
		    strncmp(p, "false", 5) == 0 ? 0 : -1;
	return true;
}

/* See topview.h. */
long
top_parse_status(const char *text, struct top_row **rows)
{
	struct top_row	*v = NULL;
	size_t		 n = 0, cap = 0;
	const char	*p = text, *nl;
	char		*line;
	bool		 ok;

	while (*p != '\0') {
		size_t	ll;

		nl = strchr(p, '\n');
		ll = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (ll > 0 && p[0] == '{') {
			if (n == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			line = xmalloc(ll + 1);
			memcpy(line, p, ll);
			line[ll] = '\0';
			ok = top_parse_object(line, &v[n]);
			free(line);
			if (!ok) {
				free(v[n].name);
				top_rows_free(v, n);
				*rows = NULL;
				return -1;
			}
			n++;
		} else if (ll > 0 && p[0] != '[' && p[0] != ']') {
			top_rows_free(v, n);
			*rows = NULL;
			return -1;
		}
		p += ll + (nl != NULL ? 1 : 0);
	}
	*rows = v;
	return (long)n;
}

/* See topview.h. */
void
top_rows_free(struct top_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(rows[i].name);
	free(rows);
}

/* See topview.h. The command (comm) is in parentheses and may hold any
 * byte, ')' too: the fields follow the last ')'. */
bool
top_parse_stat(const char *line, struct top_stat *st)
{
	const char		*p;
	char			 state;
	unsigned long long	 ut, stime;
	long			 rss;

	if (sscanf(line, "%ld", &st->pid) != 1 ||
	    (p = strrchr(line, ')')) == NULL)
		return false;
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt
	 * cmajflt utime stime cutime cstime priority nice threads
	 * itrealvalue starttime vsize rss */
	if (sscanf(p + 1, " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu %*d %*d %*d %*d %*d %*d %*u %*u %ld", &state,
	    &st->ppid, &ut, &stime, &rss) != 5)
		return false;
	st->ticks = ut + stime;
	st->rss = rss > 0 ? (unsigned long long)rss : 0;
	return true;
}

/* See topview.h. A pid is in the tree when following its parents
 * reaches root (at most n steps: a loop ends there). */
bool
top_tree_sum(const struct top_stat *procs, size_t n, long root,
    unsigned long long *ticks, unsigned long long *rss)
{
	size_t	i, j, steps;
	long	p;
	bool	found = false;

	*ticks = 0;
	*rss = 0;
	for (i = 0; i < n; i++) {
		for (p = procs[i].pid, steps = 0; p > 0 && p != root &&
		    steps <= n; steps++) {
			for (j = 0; j < n && procs[j].pid != p; j++)
				;
			p = j < n ? procs[j].ppid : 0;
		}
		if (p != root)
			continue;
		if (procs[i].pid == root)
			found = true;
		*ticks += procs[i].ticks;
		*rss += procs[i].rss;
	}
	return found;
}

/* See topview.h. */
bool
top_sort_key(int key, enum top_sort *s)
{
	switch (key) {
	case 'n':
		*s = TOP_SORT_NAME;
		return true;
	case 'c':
		*s = TOP_SORT_CPU;
		return true;
	case 'm':
		*s = TOP_SORT_MEM;
		return true;
	default:
		return false;
	}
}

static int
top_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct top_row *)a)->name,
	    ((const struct top_row *)b)->name);
}

static int
top_cmp_cpu(const void *a, const void *b)
{
	const struct top_row	*x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu > y->cpu ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
top_cmp_mem(const void *a, const void *b)
{
	const struct top_row	*x = a, *y = b;

	if (x->rss != y->rss)
		return x->rss > y->rss ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* See topview.h. */
void
top_sort_rows(struct top_row *rows, size_t n, enum top_sort s)
{
	if (n < 2)
		return;
	qsort(rows, n, sizeof(*rows), s == TOP_SORT_CPU ? top_cmp_cpu :
	    s == TOP_SORT_MEM ? top_cmp_mem : top_cmp_name);
}

/* See topview.h. */
void
top_format_bytes(unsigned long long v, char *out, size_t len)
{
	static const char	 units[] = "KMGT";
	double			 d = (double)v / 1024;
	int			 u = 0;

	if (v < 1024) {
		(void)snprintf(out, len, "%lluB", v);
		return;
	}
	while (d >= 1024 && u < 3) {
		d /= 1024;
		u++;
	}
	(void)snprintf(out, len, "%.1f%c", d, units[u]);
}

/* A percent, or "-" before a second sample. */
static void
top_format_cpu(double cpu, char *out, size_t len)
{
	if (cpu < 0)
		(void)snprintf(out, len, "-");
	else
		(void)snprintf(out, len, "%.1f", cpu);
}

/* Append line (without '\n') cut at width, then '\n'. */
static void
top_line(struct buf *b, const char *line, size_t width)
{
	size_t	len = strlen(line);

	if (width > 0 && len > width)
		len = width;
	buf_add(b, line, len);
	buf_addc(b, '\n');
}

/* The count of rows per state, in the order first seen. */
static void
top_states(struct buf *b, const struct top_row *rows, size_t n)
{
	size_t	i, j, k;
	bool	seen;

	for (i = 0; i < n; i++) {
		for (j = 0, seen = false; j < i && !seen; j++)
			seen = strcmp(rows[j].state, rows[i].state) == 0;
		if (seen)
			continue;
		for (j = i, k = 0; j < n; j++)
			k += strcmp(rows[j].state, rows[i].state) == 0;
		buf_printf(b, "%s%s %zu", b->len > 0 ? ", " : "",
		    rows[i].state, k);
	}
}

/* See topview.h. */
void
top_format(struct buf *out, const struct top_daemon *d,
    const struct top_row *rows, size_t n, enum top_sort s, size_t width)
{
	struct buf	 line, states;
	char		 cpu[32], mem[32], up[32], pid[24];
	size_t		 i;

	buf_init(&line);
	buf_init(&states);
	top_states(&states, rows, n);
	top_format_cpu(d->cpu, cpu, sizeof(cpu));
	top_format_bytes(d->rss, mem, sizeof(mem));
	buf_printf(&line, "tendd pid %ld  cpu %s%%  mem %s  %zu process%s%s%s%s"
	    "  sort: %s", d->pid, cpu, mem, n, n == 1 ? "" : "es",
	    n > 0 ? " (" : "", n > 0 ? states.data : "", n > 0 ? ")" : "",
	    s == TOP_SORT_CPU ? "cpu" : s == TOP_SORT_MEM ? "mem" : "name");
	top_line(out, line.data, width);
	buf_reset(&line);
	buf_printf(&line, "%-24s %-9s %7s %10s %6s %8s %8s %s", "NAME",
	    "STATE", "PID", "UPTIME", "CPU%", "MEM", "RESTARTS", "HEALTH");
	top_line(out, line.data, width);
	for (i = 0; i < n; i++) {
		const struct top_row	*r = &rows[i];
		const char		*health;

		buf_reset(&line);
		if (r->pid > 0) {
			(void)snprintf(pid, sizeof(pid), "%ld", r->pid);
			(void)snprintf(up, sizeof(up), "%lld:%02lld:%02lld",
			    r->uptime / 3600, r->uptime / 60 % 60,
			    r->uptime % 60);
			top_format_cpu(r->cpu, cpu, sizeof(cpu));
			top_format_bytes(r->rss, mem, sizeof(mem));
		} else {
			(void)snprintf(pid, sizeof(pid), "-");
			(void)snprintf(up, sizeof(up), "-");
			(void)snprintf(cpu, sizeof(cpu), "-");
			(void)snprintf(mem, sizeof(mem), "-");
		}
		health = r->healthy < 0 ? "-" : r->healthy ? "healthy" :
		    "failing";
		buf_printf(&line, "%-24s %-9s %7s %10s %6s %8s %8lu %s",
		    r->name, r->state, pid, up, cpu, mem, r->restarts, health);
		top_line(out, line.data, width);
	}
	buf_free(&line);
	buf_free(&states);
}
