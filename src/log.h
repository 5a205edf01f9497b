/* log.h: the daemon's own messages (and tendctl's errors).
 * Levels follow supervisord: critical, error, warn, info, debug, trace. */
#ifndef TEND_LOG_H
#define TEND_LOG_H

#include "util.h"

enum log_level {
	LOG_LVL_CRIT = 0,
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
	LOG_LVL_TRACE,
};

/* "critical", "error", "warn", "info", "debug", "trace" (also "blather"
 * as trace, "warning" as warn), any case -> level, or -1. */
int	 log_level_parse(const char *);
/* LOG_LVL_INFO -> "info"; NULL when the number is no level. */
const char *log_level_name(int);

/* Messages at or below level go to stderr (if to_stderr) and to the file
 * (if one is open). Errors opening the file are returned, not logged. */
void	 log_init(const char *progname, int level, bool to_stderr);
int	 log_open_file(const char *path);	/* -1 and errno on failure */
/* Why the last log_open_file() or log_reopen_file() failed: the path and
 * the reason (a refused link, FIFO, foreign file...). */
const char *log_open_error(void);
void	 log_close_file(void);
void	 log_set_level(int);
void	 log_set_stderr(bool);
/* stderr lines as "PROGNAME: message" (tendctl) instead of the timestamped
 * activity-log format (tendd -n, like supervisord -n). Default: off. */
void	 log_set_stderr_plain(bool);
/* Lines that could not be written whole (full disk, undrained pipe). */
unsigned long long log_dropped(void);
/* Rotate the log file when a line would take it past maxbytes (0:
 * never), keeping backups copies (outlog.c's names). Only a path that is a
 * regular file is rotated. */
void	 log_set_rotation(unsigned long long maxbytes, unsigned backups);
/* The log file's path (for maintail), NULL when there is none. */
const char *log_file_path(void);
/* Open the file at the same path again (SIGUSR2, tendctl reopen). */
int	 log_reopen_file(void);	/* -1 and errno on failure */

/* Syslog: datagrams to a unix socket (default /dev/log), never blocking;
 * what the socket does not take at once is counted and dropped. */
void	 log_syslog_socket(const char *path);
/* Copy tendd's own messages to syslog (ident progname, facility daemon). */
void	 log_set_syslog(bool);
/* Send one message "<pri>Mmm dd hh:mm:ss tag: msg"; pri is facility |
 * level as in <syslog.h>. 0, or -1 when it was dropped. */
int	 log_syslog(int pri, const char *tag, const char *msg, size_t len);
unsigned long long log_syslog_dropped(void);

void	 log_msg(int level, const char *, ...) printflike(2, 3);
/* As OpenBSD's log.c: log_crit, log_error and log_warn append ": " and
 * strerror(errno) as it was on entry; the x forms do not. */
void	 log_crit(const char *, ...) printflike(1, 2);
void	 log_critx(const char *, ...) printflike(1, 2);
void	 log_error(const char *, ...) printflike(1, 2);
void	 log_errorx(const char *, ...) printflike(1, 2);
void	 log_warn(const char *, ...) printflike(1, 2);
void	 log_warnx(const char *, ...) printflike(1, 2);
void	 log_info(const char *, ...) printflike(1, 2);
void	 log_debug(const char *, ...) printflike(1, 2);
void	 log_trace(const char *, ...) printflike(1, 2);
/* Print to stderr and exit(1); for start-up only. */
_Noreturn void fatal(const char *, ...) printflike(1, 2);

#endif
