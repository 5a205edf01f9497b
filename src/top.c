/* top.c: `tendctl top` (see top.h): the samples of /proc and of status
 * --json, and the ncurses screen or the one --batch frame. Formatting
 * and sorting are topview.c's. */
#include "autoconfig.h"

#include <ctype.h>
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "protocol.h"
#include "top.h"
#include "topview.h"
#include "util.h"

/* One sample: /proc, the rows, and when. */
struct top_sample {
	struct top_stat	*procs;
	size_t		 nprocs;
	struct top_row	*rows;
	size_t		 nrows;
	double		 when;		/* CLOCK_MONOTONIC, seconds */
};

static double
top_now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every process of /proc (one that exits meanwhile is left out). */
static void
top_read_proc(struct top_sample *s)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[300], line[1024];
	ssize_t		 r;
	size_t		 cap = 0;
	int		 fd;

	s->procs = NULL;
	s->nprocs = 0;
	if ((d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		/* procfs, read by the client: no user can put a link here */
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		do
			r = read(fd, line, sizeof(line) - 1);
		while (r == -1 && errno == EINTR);
		(void)close(fd);
		if (r <= 0)
			continue;
		line[r] = '\0';
		if (s->nprocs == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			s->procs = xreallocarray(s->procs, cap,
			    sizeof(*s->procs));
		}
		if (top_parse_stat(line, &s->procs[s->nprocs]))
			s->nprocs++;
	}
	(void)closedir(d);
}

/* status --json into s->rows; false (and a message) if tendd did not
 * answer with it. */
static bool
top_read_status(const char *fifo, struct top_sample *s)
{
	char		*argv[] = { "status", "--json", NULL };
	struct buf	 out;
	struct top_row	*rows;
	long		 n;
	int		 code;

	buf_init(&out);
	code = client_run_capture(fifo, 2, argv, &out);
	if (code != 0 && code != TEND_EXIT_STATUS_NOT_RUNNING) {
		buf_free(&out);
		return false;
	}
	n = top_parse_status(out.data, &rows);
	buf_free(&out);
	if (n < 0) {
		(void)fprintf(stderr, "tendctl: top: status --json: "
		    "unexpected reply\n");
		return false;
	}
	s->rows = rows;
	s->nrows = (size_t)n;
	return true;
}

static void
top_sample_free(struct top_sample *s)
{
	free(s->procs);
	top_rows_free(s->rows, s->nrows);
	memset(s, 0, sizeof(*s));
}

/* CPU% of a tree between two samples: ticks over elapsed time. */
static double
top_cpu(const struct top_sample *prev, const struct top_sample *cur,
    long pid, unsigned long long ticks, bool tree)
{
	unsigned long long	 t0, rss;
	long			 hz = sysconf(_SC_CLK_TCK);
	double			 dt;

	if (prev == NULL || hz <= 0 || (dt = cur->when - prev->when) <= 0)
		return -1;
	if (tree) {
		if (!top_tree_sum(prev->procs, prev->nprocs, pid, &t0, &rss))
			return -1;
	} else {
		size_t	i;

		for (i = 0; i < prev->nprocs && prev->procs[i].pid != pid; i++)
			;
		if (i == prev->nprocs)
			return -1;
		t0 = prev->procs[i].ticks;
	}
	if (ticks < t0)
		return -1;
	return (double)(ticks - t0) / (double)hz / dt * 100.0;
}

/* Fill in the CPU% and memory of cur's rows and of tendd. */
static void
top_measure(const struct top_sample *prev, struct top_sample *cur,
    struct top_daemon *d)
{
	unsigned long long	 ticks, rss;
	long			 page = sysconf(_SC_PAGESIZE);
	size_t			 i;

	if (page <= 0)
		page = 4096;
	for (i = 0; i < cur->nrows; i++) {
		struct top_row	*r = &cur->rows[i];

		if (r->pid <= 0 || !top_tree_sum(cur->procs, cur->nprocs,
		    r->pid, &ticks, &rss))
			continue;
		r->rss = rss * (unsigned long long)page;
		r->cpu = top_cpu(prev, cur, r->pid, ticks, true);
	}
	d->cpu = -1;
	d->rss = 0;
	for (i = 0; i < cur->nprocs && cur->procs[i].pid != d->pid; i++)
		;
	if (i < cur->nprocs) {
		d->rss = cur->procs[i].rss * (unsigned long long)page;
		d->cpu = top_cpu(prev, cur, d->pid, cur->procs[i].ticks,
		    false);
	}
}

/* A sample after prev (NULL: the first). */
static bool
top_sample(const char *fifo, const struct top_sample *prev,
    struct top_sample *cur, struct top_daemon *d)
{
	memset(cur, 0, sizeof(*cur));
	if (!top_read_status(fifo, cur))
		return false;
	cur->when = top_now();
	top_read_proc(cur);
	top_measure(prev, cur, d);
	return true;
}

/* tendd's pid, from `pid`. Returns 0, or the exit status (that of an
 * unreachable tendd: client.c said why). */
static int
top_daemon_pid(const char *fifo, long *pid)
{
	char		*argv[] = { "pid", NULL };
	struct buf	 out;
	int		 code;

	buf_init(&out);
	code = client_run_capture(fifo, 1, argv, &out);
	if (code == 0 && (sscanf(out.data, "%ld", pid) != 1 || *pid <= 0)) {
		(void)fprintf(stderr, "tendctl: top: pid: unexpected reply\n");
		code = TEND_EXIT_GENERIC;
	}
	buf_free(&out);
	return code;
}

static void
top_sleep(double secs)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* --batch: two samples half a second apart, one frame. */
static int
top_batch(const char *fifo, struct top_daemon *d)
{
	struct top_sample	a, b;
	struct buf		out;
	int			code = 0;

	if (!top_sample(fifo, NULL, &a, d))
		return TEND_EXIT_GENERIC;
	top_sleep(0.5);
	if (!top_sample(fifo, &a, &b, d)) {
		top_sample_free(&a);
		return TEND_EXIT_GENERIC;
	}
	top_sort_rows(b.rows, b.nrows, TOP_SORT_NAME);
	buf_init(&out);
	top_format(&out, d, b.rows, b.nrows, TOP_SORT_NAME, 0);
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) == EOF)
		code = TEND_EXIT_GENERIC;
	buf_free(&out);
	top_sample_free(&a);
	top_sample_free(&b);
	return code;
}

/* Draw one frame on the screen. */
static void
top_draw(const struct top_daemon *d, struct top_sample *s, enum top_sort by)
{
	struct buf	 out;
	const char	*p, *nl;
	int		 y = 0, rows, cols;

	getmaxyx(stdscr, rows, cols);
	top_sort_rows(s->rows, s->nrows, by);
	buf_init(&out);
	top_format(&out, d, s->rows, s->nrows, by,
	    cols > 0 ? (size_t)cols : 0);
	(void)erase();
	for (p = out.data; y < rows && (nl = strchr(p, '\n')) != NULL;
	    p = nl + 1, y++) {
		if (y == 1)
			(void)attron(A_REVERSE);
		(void)mvaddnstr(y, 0, p, (int)(nl - p));
		if (y == 1)
			(void)attroff(A_REVERSE);
	}
	if (rows > 0)
		(void)mvaddstr(rows - 1, 0,
		    "c: cpu  m: mem  n: name  q: quit");
	(void)refresh();
	buf_free(&out);
}

/* A SIGINT, SIGTERM or SIGHUP sent to the live view: its number. */
static volatile sig_atomic_t	top_stop;

static void
top_signal(int sig)
{
	top_stop = sig;
}

/* The live view: a sample every interval, a redraw on each and on each
 * key; q (or Ctrl-C, read as a key) quits. */
static int
top_screen(const char *fifo, struct top_daemon *d, double interval)
{
	struct sigaction	 sa, old[3];
	static const int	 sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	int			 i;
	struct top_sample	 prev, cur;
	enum top_sort		 by = TOP_SORT_NAME;
	double			 next;
	int			 code = 0;

	if (!top_sample(fifo, NULL, &prev, d))
		return TEND_EXIT_GENERIC;
	if (initscr() == NULL) {
		(void)fprintf(stderr, "tendctl: top: cannot use the "
		    "terminal\n");
		top_sample_free(&prev);
		return TEND_EXIT_GENERIC;
	}
	/* a signal from outside ends the view as q does: the terminal is
	 * given back (endwin) before tendctl exits */
	top_stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = top_signal;
	(void)sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		(void)sigaction(sigs[i], &sa, &old[i]);
	(void)raw();
	(void)noecho();
	(void)keypad(stdscr, TRUE);
	(void)curs_set(0);
	top_draw(d, &prev, by);
	next = top_now() + interval;
	for (;;) {
		int	ch, ms = (int)((next - top_now()) * 1000);

		timeout(ms > 0 ? ms : 0);
		ch = getch();
		if (ch == 'q' || ch == 'Q' || ch == 3 || top_stop)
			break;
		if (ch == ERR || top_now() >= next) {
			if (!top_sample(fifo, &prev, &cur, d)) {
				code = TEND_EXIT_GENERIC;
				break;
			}
			top_sample_free(&prev);
			prev = cur;
			next = top_now() + interval;
		} else
			(void)top_sort_key(ch, &by);
		top_draw(d, &prev, by);
	}
	(void)endwin();
	for (i = 0; i < 3; i++)
		(void)sigaction(sigs[i], &old[i], NULL);
	top_sample_free(&prev);
	if (top_stop)
		code = 128 + (int)top_stop;
	return code;
}

/* See top.h. */
int
top_run(const char *fifo, int argc, char **argv)
{
	struct top_daemon	 d = { 0, -1, 0 };
	double			 interval = 1;
	char			*end;
	bool			 batch = false;
	int			 i, code;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--batch") == 0 ||
		    strcmp(argv[i], "-b") == 0)
			batch = true;
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			errno = 0;
			interval = strtod(argv[++i], &end);
			if (errno != 0 || *end != '\0' || end == argv[i] ||
			    !(interval >= 0.1 && interval <= 3600)) {
				(void)fprintf(stderr, "Error: top -d: %s is "
				    "not a number of seconds from 0.1 to "
				    "3600\n", argv[i]);
				return TEND_EXIT_GENERIC;
			}
		} else {
			(void)fprintf(stderr, "Error: top: unknown argument "
			    "%s\nusage: top [--batch] [-d <secs>]\n", argv[i]);
			return TEND_EXIT_GENERIC;
		}
	}
	if ((code = top_daemon_pid(fifo, &d.pid)) != 0)
		return code;
	if (batch || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		return top_batch(fifo, &d);
	return top_screen(fifo, &d, interval);
}
