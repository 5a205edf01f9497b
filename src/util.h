/* util.h: small shared helpers: checked allocation, growable strings,
 * fd flags, signal names, time formatting, value parsers. */
#ifndef TEND_UTIL_H
#define TEND_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define printflike(f, a)	__attribute__((format(printf, f, a)))
#define nitems(a)		(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) printflike(1, 2);
/* If err is EMFILE or ENFILE, supervisord's "too many open files to spawn
 * 'NAME'" into buf, and true: one message for every descriptor a spawn
 * needs (pipes, log files, /dev/null, the fork itself). */
bool	 spawn_out_of_fds(int err, const char *name, char *buf, size_t len);

/* A growable byte string, always NUL-terminated. buf_init makes data a
 * valid "" without allocating; a zeroed struct is accepted too (data is
 * NULL until the first add). buf_free leaves it as after buf_init. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
void	 buf_init(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addstr(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...) printflike(2, 3);
void	 buf_vprintf(struct buf *, const char *, va_list) printflike(2, 0);
void	 buf_consume(struct buf *, size_t);	/* drop n bytes from the front */
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);
char	*buf_steal(struct buf *);		/* caller owns data; buf reset */

/* A growable list of owned strings; v is NULL-terminated (usable as an
 * argv or envp) once a string was added. Start from a zeroed struct; the
 * allocated size of v follows from n, so only strlist_* may grow it. */
struct strlist {
	char	**v;
	size_t	  n;
};
void	 strlist_add(struct strlist *, const char *);
void	 strlist_addf(struct strlist *, const char *, ...) printflike(2, 3);
void	 strlist_free(struct strlist *);

int	 fd_cloexec(int);
int	 fd_nonblock(int);
/* write(2) all of it, through EINTR and short writes; -1 with errno
 * (EAGAIN on a non-blocking descriptor, ENOSPC, EPIPE...). */
int	 fd_write_all(int fd, const void *data, size_t len);
/* read(2) until end of file, through EINTR, appending to b; -1 with errno
 * (EFBIG once b holds more than max bytes). */
int	 fd_read_all(int fd, struct buf *b, size_t max);
/* fsync the directory dir (relative to dirfd, or AT_FDCWD), e.g. after a
 * rename into it, so that the rename outlives a power loss; -1 with errno.
 * fsync_parent_dir: the directory holding path. */
int	 fsync_dir_at(int dirfd, const char *dir);
int	 fsync_parent_dir(const char *path);

/* "TERM", "SIGTERM", "term", "15" -> 15; -1 if unknown. Also "RTMIN",
 * "RTMIN+n", "RTMAX", "RTMAX-n" (with or without SIG, any case). */
int	 signal_parse(const char *);
/* 15 -> "SIGTERM"; NULL if unknown (real-time signals: "SIGRTMIN+n").
 * Names of standard signals are static strings; "SIGRTMIN+n" is written
 * into the buffer (16 bytes are enough) and NULL returned if it is short. */
const char *signal_name(int, char *, size_t);

/* supervisord's str(timedelta): "0:01:02", "1 day, 2:03:04", "3 days, 0:00:00". */
void	 format_uptime(char *, size_t, long long secs);
/* Describe a wait status as supervisord does: "exit status 1",
 * "terminated by SIGSEGV (core dumped)". */
void	 format_wait_status(char *, size_t, int status);

/* Value parsers: return 0 on success, -1 with *err set to a static reason. */
int	 parse_bool(const char *, bool *, const char **err);
int	 parse_uint(const char *, unsigned long long max, unsigned long long *,
	    const char **err);
int	 parse_int(const char *, long long min, long long max, long long *,
	    const char **err);
int	 parse_octal(const char *, unsigned max, unsigned *, const char **err);
/* The length of the white space character at p, UTF-8 encoded: what
 * Python's str.isspace() accepts (so str.split() and str.strip() split or
 * strip there), 0 if p starts with anything else. One table for tendctl's
 * command line and the names the configuration accepts. */
size_t	 utf8_space(const char *p);

#endif
