/* log.c: the daemon's own messages, in supervisord's activity-log format
 *	2026-11-25 18:58:43,123 INFO spawned: 'web' with pid 123
 * to stderr and/or a log file. Every line is one write() so concurrent
 * appenders never interleave; the file is opened O_NONBLOCK so a FIFO or a
 * pipe behind /dev/stdout that nobody drains costs a dropped line, never a
 * stalled loop. Control characters are escaped: one record, one line.
 * Every function keeps errno as it found it, except log_open_file's error. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "log.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "outlog.h"
#include "safeopen.h"

/* How long a line that was cut short by a full pipe may wait to be
 * finished (a line <= PIPE_BUF is never cut: it goes whole or not at all). */
#define LOG_TAIL_POLLS		10
#define LOG_TAIL_POLL_MS	10

static struct {
	const char	*progname;	/* "tendd": prefix of plain stderr lines */
	int		 level;		/* messages above it are discarded */
	bool		 to_stderr;	/* copy each line to fd 2 */
	bool		 plain;		/* stderr lines as "progname: message" */
	int		 fd;		/* log file, or -1 */
	unsigned long long dropped;	/* lines not written whole */
	char		*path;		/* of the log file, for reopen */
	char		 openwhy[PATH_MAX + 128];	/* why it failed */
	unsigned long long maxbytes;	/* rotate past this; 0: never */
	unsigned	 backups;
	unsigned long long size;	/* bytes in the file */
	bool		 rotating;	/* maxbytes > 0, a regular file */
	bool		 syslog;	/* copy messages to syslog */
	char		 sockpath[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int		 sock;		/* datagram socket, -1 until used */
	unsigned long long syslog_dropped;
} log_state = {
	.progname = "tend",
	.level = LOG_LVL_INFO,
	.to_stderr = true,
	.plain = false,
	.fd = -1,
	.dropped = 0,
	.sockpath = "/dev/log",
	.sock = -1,
};

static void	log_emit(int, bool, bool, const char *, va_list)
		    printflike(4, 0);
static void	log_vmsg(int, const char *, va_list) printflike(2, 0);

/* Config names and line tags, indexed by enum log_level. */
static const struct {
	const char	*name;		/* loglevel= value */
	const char	*tag;		/* in the line, as supervisord writes it */
} log_levels[] = {
	[LOG_LVL_CRIT] = { "critical", "CRIT" },
	[LOG_LVL_ERROR] = { "error", "ERRO" },
	[LOG_LVL_WARN] = { "warn", "WARN" },
	[LOG_LVL_INFO] = { "info", "INFO" },
	[LOG_LVL_DEBUG] = { "debug", "DEBG" },
	[LOG_LVL_TRACE] = { "trace", "TRAC" },
};

/* "info", "INFO", "warning", "blather" ... -> level, or -1. */
int
log_level_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < nitems(log_levels); i++) {
		if (strcasecmp(s, log_levels[i].name) == 0)
			return (int)i;
	}
	if (strcasecmp(s, "warning") == 0)
		return LOG_LVL_WARN;
	if (strcasecmp(s, "blather") == 0)
		return LOG_LVL_TRACE;
	return -1;
}

/* LOG_LVL_INFO -> "info"; NULL for a number that is no level. */
const char *
log_level_name(int level)
{
	if (level < 0 || (size_t)level >= nitems(log_levels))
		return NULL;
	return log_levels[level].name;
}

/* Set who we are, what to show and whether stderr gets a copy. */
void
log_init(const char *progname, int level, bool to_stderr)
{
	int	saved = errno;

	log_state.progname = progname != NULL ? progname : "tend";
	log_state.level = level;
	log_state.to_stderr = to_stderr;
	/* localtime_r need not read TZ by itself */
	tzset();
	errno = saved;
}

/* Open (or reopen, for SIGUSR2) the log file; the old one stays in use if
 * the new one cannot be opened. -1 with errno on failure. */
int
log_open_file(const char *path)
{
	int	fd, saved;

	/* the directory may be writable by others: no link, no FIFO, no
	 * file of theirs (safeopen.h); /dev/stdout is fine where root put it */
	fd = safe_open(path, O_WRONLY | O_APPEND | O_CREAT, 0640, SAFE_ANYKIND,
	    NULL, log_state.openwhy, sizeof(log_state.openwhy));
	if (fd == -1)
		return -1;
	saved = errno;
	log_close_file();
	log_state.fd = fd;
	if (log_state.path != path) {
		free(log_state.path);
		log_state.path = xstrdup(path);
	}
	log_set_rotation(log_state.maxbytes, log_state.backups);
	errno = saved;
	return 0;
}

/* See log.h. */
void
log_set_rotation(unsigned long long maxbytes, unsigned backups)
{
	struct stat	st, lst;
	int		saved = errno;

	log_state.maxbytes = maxbytes;
	log_state.backups = backups;
	log_state.rotating = false;
	log_state.size = 0;
	if (log_state.fd != -1 && fstat(log_state.fd, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		log_state.size = (unsigned long long)st.st_size;
		log_state.rotating = maxbytes > 0 && log_state.path != NULL &&
		    lstat(log_state.path, &lst) == 0 && S_ISREG(lst.st_mode);
	}
	errno = saved;
}

/* See log.h. */
const char *
log_open_error(void)
{
	return log_state.openwhy;
}

/* See log.h. */
const char *
log_file_path(void)
{
	return log_state.fd != -1 ? log_state.path : NULL;
}

/* See log.h. */
int
log_reopen_file(void)
{
	if (log_state.path == NULL)
		return 0;
	return log_open_file(log_state.path);
}

/* Rotate the file before a line of len bytes would overfill it. */
static void
log_rotate_if_full(size_t len)
{
	char	why[512];
	int	fd;

	if (!log_state.rotating || log_state.size == 0 ||
	    log_state.size + len <= log_state.maxbytes)
		return;
	if (outlog_shift(log_state.path, log_state.backups, why,
	    sizeof(why)) == -1) {
		log_state.rotating = false;	/* keep writing where we are */
		return;
	}
	fd = safe_open(log_state.path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC,
	    0640, 0, NULL, why, sizeof(why));
	if (fd == -1)
		return;		/* the old (renamed) file takes the line */
	(void)close(log_state.fd);
	log_state.fd = fd;
	log_state.size = 0;
}

/* See log.h. */
void
log_syslog_socket(const char *path)
{
	(void)snprintf(log_state.sockpath, sizeof(log_state.sockpath), "%s",
	    path);
	if (log_state.sock != -1) {
		(void)close(log_state.sock);
		log_state.sock = -1;
	}
}

/* See log.h. */
void
log_set_syslog(bool on)
{
	log_state.syslog = on;
}

/* See log.h. */
unsigned long long
log_syslog_dropped(void)
{
	return log_state.syslog_dropped;
}

/* See log.h. Unconnected sendto: a restarted syslogd is found again. */
int
log_syslog(int pri, const char *tag, const char *msg, size_t len)
{
	struct sockaddr_un	 sun;
	struct buf		 b;
	struct tm		 tm;
	time_t			 now = time(NULL);
	char			 date[32];
	ssize_t			 n;
	int			 saved = errno, rc = 0;

	if (log_state.sock == -1) {
		log_state.sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, 0);
		if (log_state.sock == -1) {
			log_state.syslog_dropped++;
			errno = saved;
			return -1;
		}
	}
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%b %e %H:%M:%S", &tm) == 0)
		(void)strcpy(date, "Jan  1 00:00:00");
	buf_init(&b);
	buf_printf(&b, "<%d>%s %s: ", pri, date, tag);
	buf_add(&b, msg, len);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)memcpy(sun.sun_path, log_state.sockpath,
	    sizeof(sun.sun_path) - 1);
	do {
		n = sendto(log_state.sock, b.data, b.len, MSG_DONTWAIT |
		    MSG_NOSIGNAL, (struct sockaddr *)&sun, sizeof(sun));
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		log_state.syslog_dropped++;
		rc = -1;
	}
	buf_free(&b);
	errno = saved;
	return rc;
}

/* Stop writing to the log file. */
void
log_close_file(void)
{
	int	saved = errno;

	if (log_state.fd != -1) {
		/* Linux closes the fd even when close() fails; the lines
		 * already written are not ours to recover */
		(void)close(log_state.fd);
		log_state.fd = -1;
	}
	log_state.size = 0;
	log_state.rotating = false;
	errno = saved;
}

/* Show messages at or below level from now on. */
void
log_set_level(int level)
{
	log_state.level = level;
}

/* Turn the copy to stderr on or off. */
void
log_set_stderr(bool on)
{
	log_state.to_stderr = on;
}

/* Choose "progname: message" rather than the timestamped format on stderr. */
void
log_set_stderr_plain(bool on)
{
	log_state.plain = on;
}

/* Lines that could not be written whole, to stderr or to the file. */
unsigned long long
log_dropped(void)
{
	return log_state.dropped;
}

/* Write all of p; a full pipe may delay finishing a started line a little,
 * never forever. 0, or -1 when (part of) the line was lost. */
static int
log_write_all(int fd, const char *p, size_t len)
{
	struct pollfd	pfd;
	size_t		off = 0;
	ssize_t		n;
	int		polls = 0;

	while (off < len) {
		n = write(fd, p + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		/* nothing written yet: drop the line whole, don't wait */
		if (n == 0 || off == 0 || polls >= LOG_TAIL_POLLS ||
		    (errno != EAGAIN && errno != EWOULDBLOCK))
			return -1;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		polls++;
		if (poll(&pfd, 1, LOG_TAIL_POLL_MS) == -1 && errno != EINTR)
			return -1;
	}
	return 0;
}

/* Append msg with control characters escaped as \n, \t, \r, \xNN. */
static void
log_escape(struct buf *b, const char *msg)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;

	for (p = (const unsigned char *)msg; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != 0x7f) {
			buf_addc(b, (char)*p);
			continue;
		}
		buf_addc(b, '\\');
		switch (*p) {
		case '\n':
			buf_addc(b, 'n');
			break;
		case '\t':
			buf_addc(b, 't');
			break;
		case '\r':
			buf_addc(b, 'r');
			break;
		default:
			buf_addc(b, 'x');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 0xf]);
			break;
		}
	}
}

/* Append "2026-11-25 18:58:43,123 INFO " in local time. */
static void
log_stamp(struct buf *b, int level)
{
	struct timespec	ts;
	struct tm	tm;
	char		date[32];

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1) {
		ts.tv_sec = 0;
		ts.tv_nsec = 0;
	}
	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		(void)strcpy(date, "0000-00-00 00:00:00");
	buf_printf(b, "%s,%03ld %s ", date, ts.tv_nsec / 1000000L,
	    log_levels[level].tag);
}

/* Send one formatted message where it belongs. level must be a valid one;
 * stderr_too: also to fd 2; plain_stderr: in the "progname: " form. */
static void
log_emit(int level, bool stderr_too, bool plain_stderr, const char *fmt,
    va_list ap)
{
	struct buf	msg, line;

	buf_init(&msg);
	buf_vprintf(&msg, fmt, ap);
	buf_init(&line);

	if (stderr_too) {
		if (plain_stderr)
			buf_printf(&line, "%s: ", log_state.progname);
		else
			log_stamp(&line, level);
		log_escape(&line, msg.data);
		buf_addc(&line, '\n');
		if (log_write_all(STDERR_FILENO, line.data, line.len) == -1)
			log_state.dropped++;
		buf_reset(&line);
	}
	if (log_state.fd != -1) {
		log_stamp(&line, level);
		log_escape(&line, msg.data);
		buf_addc(&line, '\n');
		log_rotate_if_full(line.len);
		if (log_write_all(log_state.fd, line.data, line.len) == -1)
			log_state.dropped++;
		else
			log_state.size += line.len;
		buf_reset(&line);
	}
	if (log_state.syslog) {
		static const int	pri[] = {
			[LOG_LVL_CRIT] = LOG_CRIT, [LOG_LVL_ERROR] = LOG_ERR,
			[LOG_LVL_WARN] = LOG_WARNING, [LOG_LVL_INFO] = LOG_INFO,
			[LOG_LVL_DEBUG] = LOG_DEBUG, [LOG_LVL_TRACE] = LOG_DEBUG,
		};
		char			tag[64];

		log_escape(&line, msg.data);
		(void)snprintf(tag, sizeof(tag), "%s[%ld]", log_state.progname,
		    (long)getpid());
		(void)log_syslog(LOG_DAEMON | pri[level], tag, line.data,
		    line.len);
	}
	buf_free(&line);
	buf_free(&msg);
}

/* Log at level (out-of-range levels count as CRIT or TRACE) unless it is
 * filtered out. */
static void
log_vmsg(int level, const char *fmt, va_list ap)
{
	int	saved = errno;

	if (level < LOG_LVL_CRIT)
		level = LOG_LVL_CRIT;
	if (level > LOG_LVL_TRACE)
		level = LOG_LVL_TRACE;
	if (level <= log_state.level &&
	    (log_state.to_stderr || log_state.fd != -1 || log_state.syslog))
		log_emit(level, log_state.to_stderr, log_state.plain, fmt, ap);
	errno = saved;
}

/* Log a message at any level. */
void
log_msg(int level, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

/* Log at level, with ": strerror(errnum)" after the message. */
static void
log_vmsg_errno(int level, int errnum, const char *fmt, va_list ap)
{
	struct buf	msg;

	buf_init(&msg);
	buf_vprintf(&msg, fmt, ap);
	buf_printf(&msg, ": %s", strerror(errnum));
	log_msg(level, "%s", msg.data);
	buf_free(&msg);
	errno = errnum;
}

#define LOG_LEVEL_FUNCS(name, level)					\
void									\
name(const char *fmt, ...)						\
{									\
	int	saved = errno;						\
	va_list	ap;							\
									\
	va_start(ap, fmt);						\
	log_vmsg_errno(level, saved, fmt, ap);				\
	va_end(ap);							\
}									\
									\
void									\
name##x(const char *fmt, ...)						\
{									\
	va_list	ap;							\
									\
	va_start(ap, fmt);						\
	log_vmsg(level, fmt, ap);					\
	va_end(ap);							\
}

/* log_crit/log_critx, log_error/log_errorx, log_warn/log_warnx */
LOG_LEVEL_FUNCS(log_crit, LOG_LVL_CRIT)
LOG_LEVEL_FUNCS(log_error, LOG_LVL_ERROR)
LOG_LEVEL_FUNCS(log_warn, LOG_LVL_WARN)

/* Log at INFO. */
void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_INFO, fmt, ap);
	va_end(ap);
}

/* Log at DEBG. */
void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_DEBUG, fmt, ap);
	va_end(ap);
}

/* Log at TRAC. */
void
log_trace(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_TRACE, fmt, ap);
	va_end(ap);
}

/* "progname: message" on stderr (and a CRIT line in the log file, if one
 * is open), then exit(1). */
void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_CRIT, true, true, fmt, ap);
	va_end(ap);
	exit(1);
}
