/* topview.h: the pure part of `tendctl top`: the rows read from
 * `status --json`, a /proc/PID/stat line read, a process tree summed,
 * the rows sorted and one frame formatted. No syscalls. */
#ifndef TEND_TOPVIEW_H
#define TEND_TOPVIEW_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* One process, as status --json gives it, and what top measured. */
struct top_row {
	char		*name;		/* namespec, malloc'd */
	char		 state[16];
	long		 pid;		/* 0: none */
	long long	 uptime;	/* seconds */
	unsigned long	 restarts;
	int		 healthy;	/* -1 no probe, 0 failing, 1 healthy */
	double		 cpu;		/* percent; < 0: not measured yet */
	unsigned long long rss;		/* bytes, of the whole tree */
};

/* Read status --json's reply (one object per line) into rows (malloc'd,
 * free with top_rows_free). Returns the count, -1 if a line is not such
 * an object. */
long	 top_parse_status(const char *text, struct top_row **rows);
void	 top_rows_free(struct top_row *, size_t);

/* One process of /proc, as top needs it. */
struct top_stat {
	long			pid, ppid;
	unsigned long long	ticks;	/* utime + stime */
	unsigned long long	rss;	/* pages */
};
/* Read a /proc/PID/stat line. False if it is not one. */
bool	 top_parse_stat(const char *line, struct top_stat *);
/* The sums over root and its descendants among procs[0..n): ticks and
 * rss pages. False if root is not there. */
bool	 top_tree_sum(const struct top_stat *, size_t n, long root,
	    unsigned long long *ticks, unsigned long long *rss);

enum top_sort {
	TOP_SORT_NAME,
	TOP_SORT_CPU,
	TOP_SORT_MEM,
};
/* The sort a key selects ('n', 'c', 'm'); false for another key. */
bool	 top_sort_key(int key, enum top_sort *);
/* Sort rows: by name; by CPU% or memory, highest first, then name. */
void	 top_sort_rows(struct top_row *, size_t, enum top_sort);

/* tendd itself, for the top line. */
struct top_daemon {
	long			pid;
	double			cpu;	/* < 0: not measured yet */
	unsigned long long	rss;	/* bytes */
};
/* One frame: the tendd line, the column heads, one line per row, each
 * line cut at width columns (0: not cut) and ending in '\n'. */
void	 top_format(struct buf *, const struct top_daemon *,
	    const struct top_row *, size_t, enum top_sort, size_t width);
/* Bytes as top shows them: 512B, 4.0K, 12.3M, 1.5G. */
void	 top_format_bytes(unsigned long long, char *, size_t);

#endif
