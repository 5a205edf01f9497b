/* outlog_io.c: one output stream of one process, from the child's pipe to
 * its log file and/or syslog, inside the loop and never blocking it.
 *
 * The read end of the pipe is non-blocking and watched by an ev_io: a
 * pipe written by every line wakes the loop at every write. A stream that
 * turns out busy (a wakeup found OUTLOG_BATCH_BYTES, or came within
 * OUTLOG_BUSY_GAP of the previous one) is read on ticks instead, until
 * OUTLOG_QUIET_SECS of ticks brought less than OUTLOG_BATCH_BYTES and put
 * it back on its ev_io: a child
 * streaming output costs one wakeup per tick, not one per write, and a
 * line waits one tick (at most OUTLOG_TICK_MAX). The ticks come from a
 * timerfd (libev's timers have the millisecond steps of epoll_wait, and
 * a 1 MiB pipe fills faster than that), made for the busy spell only, so
 * that a quiet stream holds no timer and no descriptor; each tick is set
 * so that a quarter of the pipe fills meanwhile, at the rate seen, within
 * OUTLOG_TICK_MIN (a 1 MiB pipe then holds 2.5 GB/s) and OUTLOG_TICK_MAX. A pipe
 * found half full at a tick is grown to OUTLOG_PIPE_MAX when the limits
 * allow, and shrunk back when the stream goes quiet, so that only busy
 * streams hold big pipes. A read or splice that returns less than asked
 * for emptied the pipe: the drain ends there, without a last call that
 * would only say EAGAIN. When
 * the bytes need not be looked at (a regular file, no syslog, no tap for
 * PROCESS_LOG events, nothing held
 * back, and the file far enough from maxbytes that no line can reach it)
 * they move with splice(2) from the pipe into the file; otherwise
 * they are read, and outlog_cut() says how many may be written before the
 * next rotation so that files are cut at line boundaries. An unfinished
 * last line near maxbytes is held back (at most OUTLOG_LINE_MAX bytes, at
 * most OUTLOG_FLUSH_SECS) in case its end arrives.
 *
 * A busy stream splices through a relay: a private pipe, taken in a busy
 * spell once a tick moves OUTLOG_BATCH_BYTES, and given back with it. A splice from the child's pipe into a
 * file holds that pipe's lock while it copies into the page cache, and the
 * writer waits meanwhile; a splice into the relay moves page references
 * only (the lock is held briefly), and the copy then runs from the relay
 * while the writer goes on. Each byte is still copied once. The relay is
 * spliced into the file up to OUTLOG_LINE_MAX before maxbytes; what it
 * holds past that point is read and goes the read path's way (cut at a
 * line end, rotation, the rest into the next file). The relay is empty
 * whenever the loop waits: a rotation, a reopen or a close never finds
 * bytes in it. A busy spell costs three descriptors (the timerfd and the
 * relay's two ends; a relay only for a stream spliced into a file, and
 * none whose descriptors would land in the top quarter of RLIMIT_NOFILE),
 * OUTLOG_TICKERS_MAX spells at most: with 10 000 programs, as with one, a
 * quiet stream holds only its pipe's read end.
 *
 * Regular files are opened without O_APPEND (splice refuses it) and
 * written at their current size, read with fstat once per wakeup, so an
 * external truncation (logrotate's copytruncate) is followed at once.
 * A write that fails drops the bytes, counts them, warns (rate-limited),
 * closes the file and retries it OUTLOG_RETRY_SECS later; meanwhile the
 * pipe is still drained so the child never blocks on a broken disk. A
 * file that is not regular (a tty, a FIFO, /dev/stdout) is opened
 * O_NONBLOCK; when it is full the pipe is not read until it drains, so the
 * child waits as it would writing there itself, and the loop never does. */
#include "autoconfig.h"

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handover.h"
#include "log.h"
#include "outlog.h"
#include "outlog_io.h"
#include "safeopen.h"
#include "util.h"

#define OUTLOG_CHUNK		65536		/* bytes read at a time */
#define OUTLOG_BUDGET		(4u << 20)	/* bytes per stream per wakeup */
#define OUTLOG_PIPE_SIZE	(1 << 20)	/* F_SETPIPE_SZ wish */
#define OUTLOG_PIPE_MAX		(4 << 20)	/* ... for a busy stream */
#define OUTLOG_SPLICE_MAX	(256u << 10)	/* bytes per splice call */
#define OUTLOG_TICK_MIN		0.0001		/* a busy stream is read ... */
#define OUTLOG_TICK_MAX		0.01		/* ... this often */
#define OUTLOG_BUSY_GAP		0.001		/* wakeups this close: busy */
#define OUTLOG_QUIET_SECS	0.05		/* empty ticks this long: quiet */
#define OUTLOG_BATCH_BYTES	(16u << 10)	/* a wakeup finding this is busy */
#define OUTLOG_TICKERS_MAX	128		/* busy streams at a time, in all */
#define OUTLOG_FLUSH_SECS	1.0		/* an unfinished line waits this long */
#define OUTLOG_RETRY_SECS	1.0		/* reopen after a failed write */
#define OUTLOG_WARN_SECS	60.0		/* one drop warning a minute */
#define OUTLOG_SYSLOG_MAX	2048		/* longest syslog message */
#define OUTLOG_MODE		0640		/* of a new log file */

struct outlog {
	struct ev_loop		*loop;
	char			*name;		/* process: messages, syslog tag */
	const char		*chan;		/* "stdout" or "stderr" */
	unsigned long long	*dropped;	/* the caller's counter */

	char			*path;		/* NULL: no file */
	uint64_t		 maxbytes;	/* 0, or when not rotating */
	unsigned		 backups;
	bool			 to_syslog;
	int			 syslog_pri;

	int			 pipefd;	/* read end, -1 when none */
	int			 pipesz;	/* its capacity */
	bool			 nogrow;	/* F_SETPIPE_SZ refused to grow it */
	ev_io			 rio;		/* read when readable ... */
	int			 tfd;		/* ... or, when busy, on the ticks
						 * of this timerfd (else -1) */
	ev_io			 tio;		/* watches tfd */
	int			 relay[2];	/* while busy: a private pipe the
						 * child's bytes are spliced into
						 * (page moves) before the file
						 * (-1 when none) */
	size_t			 relaysz;	/* its capacity */
	size_t			 relay_len;	/* bytes in it */
	ev_tstamp		 woke_at;	/* the last wakeup or tick */
	ev_tstamp		 window_at;	/* a spell's bytes are counted ... */
	size_t			 window_bytes;	/* ... since then: this many */

	int			 fd;		/* the file, -1 when closed */
	bool			 regular;	/* pwrite/splice at size */
	bool			 rotating;	/* maxbytes > 0 and a real file */
	bool			 can_splice;
	uint64_t		 size;		/* bytes in the file */
	bool			 broken;	/* a write failed: retry later */
	ev_timer		 retry;

	struct buf		 carry;		/* read, not yet written */
	ev_timer		 flush;		/* writes an unfinished line */
	ev_io			 wio;		/* a full non-regular file */
	struct buf		 sysline;	/* the syslog line being built */

	void			(*tap)(void *, const char *, size_t);
	void			*tap_arg;	/* tap(tap_arg, bytes, n): every
						 * chunk read (PROCESS_LOG
						 * events); no splice then */
	int			 lasterr;	/* errno of the last failure */
	char			*why;		/* why the last open failed */
	bool			 recovering;	/* reopened after a failure */
	ev_tstamp		 warned_at;	/* last drop warning, 0: none */
	unsigned long long	 warned_drops;	/* *dropped when it was given */
};

/* outlog_drain moves all a pipe can hold in one pump */
_Static_assert(OUTLOG_BUDGET >= OUTLOG_PIPE_MAX, "budget below pipe size");

static size_t	outlog_pump(struct outlog *, size_t budget, bool all);

/* Streams on ticks now: each holds a descriptor, and descriptors are
 * for spawns first; the busy streams past the cap stay on their ev_io. */
static unsigned	outlog_tickers;

/* Count bytes that could not be kept (the reason is lasterr); warn at
 * most once a minute, and at once when a new failure (n == 0) began. */
static void
outlog_drop(struct outlog *o, size_t n)
{
	ev_tstamp	now = ev_now(o->loop);

	*o->dropped += n;
	if (o->warned_at != 0 && now - o->warned_at < OUTLOG_WARN_SECS)
		return;
	if (n == 0 && o->warned_at != 0)
		return;
	if (n == 0)
		log_warnx("%s: cannot write %s log %s: %s; output is dropped "
		    "and counted until it can be written again", o->name,
		    o->chan, o->path != NULL ? o->path : "(none)",
		    o->why != NULL ? o->why : strerror(o->lasterr));
	else
		log_warnx("%s: cannot write %s log %s: %s; %llu more bytes of "
		    "output dropped (%llu in all)", o->name, o->chan,
		    o->path != NULL ? o->path : "(none)",
		    o->why != NULL ? o->why : strerror(o->lasterr),
		    *o->dropped - o->warned_drops, *o->dropped);
	o->warned_at = now;
	o->warned_drops = *o->dropped;
}

/* Open the file at path and learn what it is. -1 and errno, the reason
 * kept in o->why for the drop warning. tendd is root and the directory
 * may be the program's user's: safe_open refuses a link, a FIFO or a file
 * of someone else's planted there (an O_TRUNC is an ftruncate after the
 * checks). */
static int
outlog_open_file(struct outlog *o, bool truncate)
{
	struct stat	st, lst;
	char		why[PATH_MAX + 128];
	int		fd, saved;

	fd = safe_open(o->path, O_WRONLY | O_CREAT | (truncate ? O_TRUNC : 0),
	    OUTLOG_MODE, SAFE_ANYKIND, &st, why, sizeof(why));
	if (fd == -1) {
		saved = errno;
		free(o->why);
		o->why = xstrdup(why);
		errno = saved;
		return -1;
	}
	free(o->why);
	o->why = NULL;
	o->fd = fd;
	o->regular = S_ISREG(st.st_mode);
	o->size = o->regular ? (uint64_t)st.st_size : 0;
	/* Rename only a file of its own: never /dev/stdout or a link. */
	o->rotating = o->regular && o->maxbytes > 0 &&
	    lstat(o->path, &lst) == 0 && S_ISREG(lst.st_mode);
	o->can_splice = o->regular;
	if (o->regular) {
		/* O_NONBLOCK means nothing to a regular file; keep it off
		 * so that splice sees a plain descriptor */
		int	fl = fcntl(fd, F_GETFL);

		if (fl != -1 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1)
			o->can_splice = false;
	}
	return 0;
}

/* Give the relay back. It is empty between wakeups; closed while it
 * still holds bytes (a rotation that met a full FIFO while the relay's
 * rest was being fed to the file), those are dropped and counted. */
static void
outlog_relay_close(struct outlog *o)
{
	if (o->relay[0] == -1)
		return;
	if (o->relay_len > 0)
		outlog_drop(o, o->relay_len);
	(void)close(o->relay[0]);
	(void)close(o->relay[1]);
	o->relay[0] = o->relay[1] = -1;
	o->relay_len = 0;
}

/* A stream turned busy: take a relay pipe for it, unless its descriptors
 * would land in the top quarter of the table (left to spawns and their
 * pipes). Without one, bytes are spliced straight into the file. */
static void
outlog_relay_open(struct outlog *o)
{
	struct rlimit	rl;
	int		fds[2], n;

	if (o->relay[0] != -1)
		return;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_debug("%s: no relay pipe for the busy %s stream: %s",
		    o->name, o->chan, strerror(errno));
		return;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)fds[1] >= rl.rlim_cur / 4 * 3) {
		(void)close(fds[0]);
		(void)close(fds[1]);
		return;
	}
	if ((n = fcntl(fds[1], F_SETPIPE_SZ, OUTLOG_PIPE_SIZE)) == -1 &&
	    (n = fcntl(fds[1], F_GETPIPE_SZ)) == -1)
		n = 65536;
	o->relay[0] = fds[0];
	o->relay[1] = fds[1];
	o->relaysz = (size_t)n;
	o->relay_len = 0;
}

/* End a busy spell: no tick, no timerfd, no relay. A spell lasts until
 * its ticks find the stream quiet, or its pipe ends. */
static void
outlog_untick(struct outlog *o)
{
	outlog_relay_close(o);
	ev_io_stop(o->loop, &o->tio);
	if (o->tfd != -1) {
		(void)close(o->tfd);
		o->tfd = -1;
		outlog_tickers--;
	}
}

/* Read the pipe when it becomes readable, not on ticks (unless a full
 * FIFO or tty is waited for: then the child waits on its pipe). A spell's
 * timerfd, if any, is kept (its watcher stopped) until outlog_untick. */
static void
outlog_watch(struct outlog *o)
{
	ev_io_stop(o->loop, &o->tio);
	if (o->pipefd == -1 || ev_is_active(&o->wio) ||
	    ev_is_active(&o->rio))
		return;
	ev_io_set(&o->rio, o->pipefd, EV_READ);
	ev_io_start(o->loop, &o->rio);
}

/* Read the pipe neither way (a full FIFO or tty is waited for). */
static void
outlog_unwatch(struct outlog *o)
{
	ev_io_stop(o->loop, &o->rio);
	outlog_untick(o);
}

/* Have the next tick in secs. Setting a timerfd also clears its expiry:
 * one call a tick. -1 and errno. */
static int
outlog_arm(struct outlog *o, ev_tstamp secs)
{
	struct itimerspec	its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)secs;
	its.it_value.tv_nsec = (long)((secs - (ev_tstamp)(time_t)secs) * 1e9);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec < 1000)
		its.it_value.tv_nsec = 1000;	/* 0 would disarm it */
	return timerfd_settime(o->tfd, 0, &its, NULL);
}

/* Ask for a pipe of size bytes; pipesz says what it is. */
static void
outlog_resize_pipe(struct outlog *o, int size)
{
	int	n;

	if (o->pipefd == -1 || o->pipesz == size)
		return;
	if ((n = fcntl(o->pipefd, F_SETPIPE_SZ, size)) == -1) {
		/* EBUSY: what is in it would not fit a smaller one (try
		 * again next time); else (EPERM: the user's pipe limits)
		 * it keeps its size for good */
		if (errno != EBUSY && size > o->pipesz) {
			o->nogrow = true;
			log_debug("%s: cannot grow the busy %s pipe: %s",
			    o->name, o->chan, strerror(errno));
		}
		return;
	}
	o->pipesz = n;
}

/* Begin a busy spell, if not begun: a timerfd (a tick that moves
 * OUTLOG_BATCH_BYTES adds a relay). false: no timerfd to be had (no
 * descriptor left, or too many spells). */
static bool
outlog_spell(struct outlog *o)
{
	if (o->tfd != -1)
		return true;
	if (outlog_tickers >= OUTLOG_TICKERS_MAX)
		return false;
	o->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (o->tfd == -1) {
		log_debug("%s: no timerfd for the busy %s pipe: %s", o->name,
		    o->chan, strerror(errno));
		return false;
	}
	outlog_tickers++;
	o->window_at = ev_now(o->loop);
	o->window_bytes = 0;
	return true;
}

/* The stream is busy: read it on ticks rather than at each write. Without
 * a timerfd it stays as it is, costing only wakeups. */
static void
outlog_batch(struct outlog *o)
{
	if (!outlog_spell(o))
		return;
	if (outlog_arm(o, OUTLOG_BUSY_GAP / 2) == -1) {
		log_debug("%s: cannot set the %s timerfd: %s", o->name,
		    o->chan, strerror(errno));
		outlog_untick(o);
		return;
	}
	ev_io_stop(o->loop, &o->rio);
	ev_io_set(&o->tio, o->tfd, EV_READ);
	ev_io_start(o->loop, &o->tio);
}

/* The stream went quiet: back to its ev_io and its usual pipe size. */
static void
outlog_quiet(struct outlog *o)
{
	outlog_untick(o);
	outlog_watch(o);
	if (o->pipesz > OUTLOG_PIPE_SIZE)
		outlog_resize_pipe(o, OUTLOG_PIPE_SIZE);
}

/* Close the file, stop waiting on it. */
static void
outlog_shut_file(struct outlog *o)
{
	ev_io_stop(o->loop, &o->wio);
	if (o->fd != -1) {
		(void)close(o->fd);
		o->fd = -1;
	}
	/* the pipe is still drained (and dropped) meanwhile */
	if (!ev_is_active(&o->tio))
		outlog_watch(o);
}

/* A write failed: drop what waits, close, try again later. */
static void
outlog_fail(struct outlog *o, int err)
{
	o->lasterr = err;
	o->recovering = false;
	outlog_drop(o, o->carry.len);
	buf_reset(&o->carry);
	outlog_shut_file(o);
	o->broken = true;
	if (!ev_is_active(&o->retry)) {
		ev_timer_set(&o->retry, OUTLOG_RETRY_SECS, 0.);
		ev_timer_start(o->loop, &o->retry);
	}
}

/* A write worked: say so once after a failure. */
static void
outlog_wrote(struct outlog *o)
{
	if (!o->recovering)
		return;
	o->recovering = false;
	log_info("%s: %s log %s is writable again (%llu bytes of output "
	    "dropped in all)", o->name, o->chan, o->path, *o->dropped);
}

/* Rotate: F -> F.1 ... F.N, or empty F when there are no backups. */
static int
outlog_rotate(struct outlog *o)
{
	char	why[PATH_MAX * 2 + 64];

	(void)close(o->fd);
	o->fd = -1;
	if (outlog_shift(o->path, o->backups, why, sizeof(why)) == -1) {
		int	saved = errno;

		log_warnx("%s: cannot rotate %s log: %s", o->name, o->chan, why);
		errno = saved;
		return -1;
	}
	if (outlog_open_file(o, true) == -1)
		return -1;
	log_debug("%s: rotated %s log %s", o->name, o->chan, o->path);
	return 0;
}

/* Write what waits as far as rotation rules and the file allow. force:
 * an unfinished last line goes too. */
static void
outlog_flush(struct outlog *o, bool force)
{
	enum outlog_act	act;
	size_t		n;
	ssize_t		w;

	while (o->carry.len > 0) {
		if (o->fd == -1 || ev_is_active(&o->wio))
			break;
		act = o->rotating ? outlog_cut(o->size, o->maxbytes,
		    o->carry.data, o->carry.len, OUTLOG_LINE_MAX, force, &n) :
		    OUTLOG_WRITE;
		if (!o->rotating)
			n = o->carry.len;
		if (act == OUTLOG_WAIT)
			break;
		if (act == OUTLOG_ROTATE) {
			if (outlog_rotate(o) == -1) {
				outlog_fail(o, errno);
				return;
			}
			continue;
		}
		if (o->regular)
			w = pwrite(o->fd, o->carry.data, n, (off_t)o->size);
		else
			w = write(o->fd, o->carry.data, n);
		if (w > 0) {
			outlog_wrote(o);
			buf_consume(&o->carry, (size_t)w);
			if (o->regular)
				o->size += (uint64_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    !o->regular) {
			/* the reader of a FIFO or tty is slow: wait for it,
			 * and let the child wait on its pipe meanwhile */
			outlog_unwatch(o);
			ev_io_set(&o->wio, o->fd, EV_WRITE);
			ev_io_start(o->loop, &o->wio);
			return;
		}
		outlog_fail(o, w == 0 ? ENOSPC : errno);
		return;
	}
	if (o->carry.len > 0 && o->fd != -1 && !ev_is_active(&o->flush) &&
	    !ev_is_active(&o->wio)) {
		ev_timer_set(&o->flush, OUTLOG_FLUSH_SECS, 0.);
		ev_timer_start(o->loop, &o->flush);
	} else if (o->carry.len == 0 && o->sysline.len == 0) {
		ev_timer_stop(o->loop, &o->flush);
	}
}

/* Send a line (without its LF) to syslog. */
static void
outlog_syslog_line(struct outlog *o, const char *s, size_t n)
{
	if (log_syslog(o->syslog_pri, o->name, s, n) == -1)
		log_debug("%s: a syslog line was dropped", o->name);
}

/* Cut new bytes into syslog lines; force sends an unfinished one. */
static void
outlog_syslog_feed(struct outlog *o, const char *p, size_t n, bool force)
{
	const char	*nl;
	size_t		 take;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		take = nl != NULL ? (size_t)(nl - p) : n;
		if (o->sysline.len + take > OUTLOG_SYSLOG_MAX)
			take = OUTLOG_SYSLOG_MAX - o->sysline.len;
		buf_add(&o->sysline, p, take);
		p += take;
		n -= take;
		if (n > 0 && *p == '\n') {
			p++;
			n--;
		} else if (o->sysline.len < OUTLOG_SYSLOG_MAX) {
			break;
		}
		outlog_syslog_line(o, o->sysline.data != NULL ?
		    o->sysline.data : "", o->sysline.len);
		buf_reset(&o->sysline);
	}
	if (force && o->sysline.len > 0) {
		outlog_syslog_line(o, o->sysline.data, o->sysline.len);
		buf_reset(&o->sysline);
	}
	/* an unfinished line goes out after a quiet while */
	if (o->sysline.len > 0 && !ev_is_active(&o->flush)) {
		ev_timer_set(&o->flush, OUTLOG_FLUSH_SECS, 0.);
		ev_timer_start(o->loop, &o->flush);
	}
}

/* The pipe hit EOF or failed: stop reading it. */
static void
outlog_end_pipe(struct outlog *o)
{
	outlog_unwatch(o);
	if (o->pipefd != -1) {
		(void)close(o->pipefd);
		o->pipefd = -1;
	}
	outlog_flush(o, true);
	outlog_syslog_feed(o, "", 0, true);
}

/* Pass on bytes of the stream: to syslog, and to the file (or count
 * them as dropped while it is broken). */
static void
outlog_take(struct outlog *o, const char *p, size_t n)
{
	if (o->to_syslog)
		outlog_syslog_feed(o, p, n, false);
	if (o->fd != -1) {
		buf_add(&o->carry, p, n);
		outlog_flush(o, false);
	} else if (o->broken) {
		outlog_drop(o, n);
	}
}

/* See outlog_io.h. The pipe's reader waits while the file does (the
 * child then waits on its pipe); a feeder cannot, so what it brings
 * while that much is held back is dropped and counted. */
void
outlog_feed(struct outlog *o, const char *p, size_t n)
{
	if (o->carry.len >= 2 * OUTLOG_LINE_MAX) {
		outlog_drop(o, n);
		return;
	}
	outlog_take(o, p, n);
}

/* Move what the relay holds into the file: by splice up to
 * OUTLOG_LINE_MAX before maxbytes, and the rest by the read path, which
 * cuts the file at a line boundary and rotates (the relay never carries
 * bytes across a rotation). The relay is empty on return. -1 when the
 * file failed (what the relay held is counted as dropped) or the rest
 * went by the read path: go on reading, not splicing. */
static int
outlog_relay_out(struct outlog *o, char *chunk, size_t chunksz)
{
	uint64_t	 room;
	loff_t		 off;
	ssize_t		 n;
	size_t		 want;

	while (o->relay_len > 0) {
		want = o->relay_len;
		if (o->fd != -1 && o->rotating) {
			room = o->size + OUTLOG_LINE_MAX < o->maxbytes ?
			    o->maxbytes - o->size - OUTLOG_LINE_MAX : 0;
			if (room < want)
				want = (size_t)room;
		}
		if (o->fd == -1 || !o->can_splice || want == 0)
			break;
		off = (loff_t)o->size;
		n = splice(o->relay[0], NULL, o->fd, &off, want,
		    SPLICE_F_MOVE);
		if (n > 0) {
			outlog_wrote(o);
			o->size += (uint64_t)n;
			o->relay_len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EINVAL || errno == ENOSYS ||
		    errno == EBADF)) {
			/* this file system cannot: read and write instead */
			o->can_splice = false;
			break;
		}
		/* a full disk or a failing one: what waits is lost */
		if (n == 0)
			errno = ENOSPC;
		log_debug("%s: %zu bytes of the %s relay cannot be written: %s",
		    o->name, o->relay_len, o->chan, strerror(errno));
		outlog_fail(o, errno);
		break;
	}
	if (o->relay_len == 0)
		return 0;
	/* near maxbytes (or the file failed): through the read path,
	 * which writes whole lines, rotates, and counts what it drops */
	if (o->fd != -1 && o->rotating)
		log_debug("%s: %zu bytes of the %s relay cross a rotation "
		    "point: cut at a line end", o->name, o->relay_len,
		    o->chan);
	while (o->relay_len > 0 && o->relay[0] != -1) {
		n = read(o->relay[0], chunk, o->relay_len < chunksz ?
		    o->relay_len : chunksz);
		if (n > 0) {
			o->relay_len -= (size_t)n;
			outlog_take(o, chunk, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		/* cannot be: the relay said it held them (closing it
		 * counts them as dropped) */
		log_warn("%s: %s relay", o->name, o->chan);
		outlog_relay_close(o);
		break;
	}
	return -1;
}

/* Move bytes by splice, without looking at them. Returns 1 when the pipe
 * is empty or ended, 0 to go on by reading, and lowers budget. all: go
 * on until splice says EAGAIN, do not trust a short one.
 * A busy stream goes through its relay: the child's pipe into the relay
 * (page references move, the writer's pipe is locked briefly), then the
 * relay into the file (the copy into the page cache, while the writer
 * goes on into its own pipe; outlog_relay_out cuts at maxbytes). Without
 * a relay the pipe goes straight into the file while no line can reach
 * maxbytes; that splice locks the pipe while it copies, so the writer is
 * let in every OUTLOG_SPLICE_MAX bytes. */
static int
outlog_splice(struct outlog *o, size_t *budget, bool all, char *chunk,
    size_t chunksz)
{
	uint64_t	 limit;
	loff_t		 off;
	ssize_t		 n;
	size_t		 want;
	bool		 relay;

	for (;;) {
		if (*budget == 0)
			return 1;
		relay = o->relay[0] != -1;
		want = relay ? o->relaysz : OUTLOG_SPLICE_MAX;
		if (*budget < want)
			want = *budget;
		if (!relay && o->rotating) {
			if (o->size + OUTLOG_LINE_MAX >= o->maxbytes)
				return 0;
			limit = o->maxbytes - o->size - OUTLOG_LINE_MAX;
			if (limit < want)
				want = (size_t)limit;
		}
		off = (loff_t)o->size;
		n = relay ? splice(o->pipefd, NULL, o->relay[1], NULL, want,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK) :
		    splice(o->pipefd, NULL, o->fd, &off, want,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0) {
			*budget -= (size_t)n < *budget ? (size_t)n : *budget;
			if (relay) {
				o->relay_len = (size_t)n;
				if (outlog_relay_out(o, chunk, chunksz) == -1)
					return 0;
			} else {
				outlog_wrote(o);
				o->size += (uint64_t)n;
			}
			/* short: the pipe is empty now (or a signal came, or
			 * the disk is full: the next call says so) */
			if ((size_t)n < want && !all)
				return 1;
			continue;
		}
		if (n == 0) {
			outlog_end_pipe(o);
			return 1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 1;
		if (relay) {
			/* cannot be for two pipes; go without the relay */
			log_debug("%s: %s relay: %s", o->name, o->chan,
			    strerror(errno));
			outlog_relay_close(o);
			return 0;
		}
		if (errno == EINVAL || errno == ENOSYS || errno == EBADF) {
			/* this file system cannot: read and write instead */
			o->can_splice = false;
			return 0;
		}
		/* a real write error: the bytes are still in the pipe and
		 * the read path drops and counts them */
		outlog_fail(o, errno);
		return 0;
	}
}

/* Read what the child wrote, within budget bytes, and pass it on.
 * Returns the bytes taken from the pipe. all: read until EAGAIN (the
 * child is gone), not until a short read (which a signal can cause). */
static size_t
outlog_pump(struct outlog *o, size_t budget, bool all)
{
	struct stat	 st;
	char		 chunk[OUTLOG_CHUNK];
	ssize_t		 n;
	size_t		 left = budget;

	/* follow an external truncation (copytruncate) or append; once a
	 * wakeup, and a busy stream wakes once a tick, not once a write */
	if (o->fd != -1 && o->regular && fstat(o->fd, &st) == 0)
		o->size = (uint64_t)st.st_size;
	while (o->pipefd != -1 && left > 0) {
		if (o->fd != -1 && o->can_splice && !o->to_syslog &&
		    o->tap == NULL && o->carry.len == 0 &&
		    outlog_splice(o, &left, all, chunk, sizeof(chunk)) == 1)
			break;
		if (o->pipefd == -1 || left == 0)
			break;
		/* held back bytes are bounded: wait for the file */
		if (o->fd != -1 && (o->carry.len >= OUTLOG_LINE_MAX ||
		    ev_is_active(&o->wio)))
			break;
		n = read(o->pipefd, chunk, sizeof(chunk));
		if (n > 0) {
			left -= (size_t)n < left ? (size_t)n : left;
			if (o->tap != NULL)
				o->tap(o->tap_arg, chunk, (size_t)n);
			outlog_take(o, chunk, (size_t)n);
			/* short: the pipe is empty now */
			if ((size_t)n < sizeof(chunk) && !all)
				break;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* EOF: every writer is gone */
		outlog_end_pipe(o);
		break;
	}
	return budget - left;
}

/* The pipe is readable. */
static void
outlog_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct outlog	*o = w->data;
	ev_tstamp	 now = ev_now(loop);
	size_t		 moved;

	(void)revents;
	moved = outlog_pump(o, OUTLOG_BUDGET, false);
	/* still read this way (the pipe did not end, no full FIFO is
	 * waited for), and a lot came, or it came soon after the last:
	 * the child streams, wait a tick between reads */
	if (ev_is_active(&o->rio) && (moved >= OUTLOG_BATCH_BYTES ||
	    now - o->woke_at < OUTLOG_BUSY_GAP))
		outlog_batch(o);
	else if (ev_is_active(&o->rio))
		outlog_untick(o);	/* a spell, if any, is over */
	o->woke_at = now;
}

/* A tick of a busy stream. */
static void
outlog_tick_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct outlog	*o = w->data;
	ev_tstamp	 now = ev_now(loop), next;
	double		 rate;
	size_t		 moved;

	(void)revents;
	moved = outlog_pump(o, OUTLOG_BUDGET, false);
	if (!ev_is_active(w))		/* the pipe ended, or a FIFO is full */
		return;
	/* the spell ends when OUTLOG_QUIET_SECS brought less than
	 * OUTLOG_BATCH_BYTES: not at the first empty tick (a busy writer
	 * can be off the CPU for a while, many of them on few cores), and
	 * not never for a writer of a few bytes every tick or so */
	o->window_bytes += moved;
	if (now - o->window_at >= OUTLOG_QUIET_SECS) {
		if (o->window_bytes < OUTLOG_BATCH_BYTES) {
			outlog_quiet(o);
			return;
		}
		o->window_at = now;
		o->window_bytes = 0;
	}
	if (moved == 0) {
		if (outlog_arm(o, OUTLOG_TICK_MAX) == -1)
			outlog_quiet(o);
		return;
	}
	/* a stream that moves this much a tick, spliced into a file: the
	 * relay is worth its two descriptors */
	if (moved >= OUTLOG_BATCH_BYTES && o->relay[0] == -1 && o->fd != -1 &&
	    o->can_splice && !o->to_syslog && o->tap == NULL)
		outlog_relay_open(o);
	/* half full in one tick: the writer could fill it before the next
	 * one and wait; a bigger pipe is cheaper than shorter ticks */
	if (!o->nogrow && o->pipesz < OUTLOG_PIPE_MAX &&
	    moved >= (size_t)o->pipesz / 2)
		outlog_resize_pipe(o, OUTLOG_PIPE_MAX);
	/* a quarter of the pipe by the next tick at this rate (a pipe
	 * found full says the rate was higher: the tick gets shorter) */
	next = OUTLOG_TICK_MAX;
	if (now > o->woke_at) {
		rate = (double)moved / (now - o->woke_at);
		next = (double)o->pipesz / 4 / rate;
	}
	o->woke_at = now;
	if (next < OUTLOG_TICK_MIN)
		next = OUTLOG_TICK_MIN;
	else if (next > OUTLOG_TICK_MAX)
		next = OUTLOG_TICK_MAX;
	if (outlog_arm(o, next) == -1) {
		log_debug("%s: cannot set the %s timerfd: %s", o->name,
		    o->chan, strerror(errno));
		outlog_untick(o);
		outlog_watch(o);
	}
}

/* A full FIFO or tty took bytes again. */
static void
outlog_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct outlog	*o = w->data;

	(void)revents;
	ev_io_stop(loop, w);
	outlog_flush(o, false);
	if (!ev_is_active(&o->wio) && o->pipefd != -1 &&
	    !ev_is_active(&o->rio)) {
		outlog_watch(o);
		(void)outlog_pump(o, OUTLOG_BUDGET, false);
	}
}

/* An unfinished line waited long enough. */
static void
outlog_flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct outlog	*o = w->data;

	(void)loop;
	(void)revents;
	outlog_flush(o, true);
	outlog_syslog_feed(o, "", 0, true);
}

/* Time to try the file again after a failed write. */
static void
outlog_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct outlog	*o = w->data;

	(void)loop;
	(void)revents;
	if (o->path == NULL || !o->broken)
		return;
	if (outlog_open_file(o, false) == -1) {
		o->lasterr = errno;
		outlog_drop(o, 0);
		ev_timer_set(&o->retry, OUTLOG_RETRY_SECS, 0.);
		ev_timer_start(o->loop, &o->retry);
		return;
	}
	o->broken = false;
	o->recovering = true;
}

/* See outlog_io.h. */
struct outlog *
outlog_new(struct ev_loop *loop, const char *name, const char *chan,
    unsigned long long *dropped)
{
	struct outlog	*o = xcalloc(1, sizeof(*o));

	o->loop = loop;
	o->name = xstrdup(name);
	o->chan = chan;
	o->dropped = dropped;
	o->pipefd = -1;
	o->fd = -1;
	buf_init(&o->carry);
	buf_init(&o->sysline);
	ev_io_init(&o->rio, outlog_read_cb, -1, EV_READ);
	o->rio.data = o;
	o->tfd = -1;
	o->relay[0] = o->relay[1] = -1;
	ev_io_init(&o->tio, outlog_tick_cb, -1, EV_READ);
	o->tio.data = o;
	ev_io_init(&o->wio, outlog_write_cb, -1, EV_WRITE);
	o->wio.data = o;
	ev_timer_init(&o->flush, outlog_flush_cb, 0., 0.);
	o->flush.data = o;
	ev_timer_init(&o->retry, outlog_retry_cb, 0., 0.);
	o->retry.data = o;
	return o;
}

/* See outlog_io.h. */
void
outlog_free(struct outlog *o)
{
	if (o == NULL)
		return;
	outlog_close_pipe(o);
	outlog_flush(o, true);
	outlog_close_file(o);
	buf_free(&o->carry);
	buf_free(&o->sysline);
	free(o->why);
	free(o->path);
	free(o->name);
	free(o);
}

/* See outlog_io.h. */
int
outlog_configure(struct outlog *o, const struct outlog_conf *c, char *why,
    size_t whylen)
{
	bool	same = o->path != NULL && c->path != NULL &&
		    strcmp(o->path, c->path) == 0;

	o->to_syslog = c->syslog;
	o->syslog_pri = c->syslog_pri;
	o->backups = c->backups;
	if (!same || o->maxbytes != c->maxbytes) {
		outlog_flush(o, true);
		outlog_close_file(o);
		free(o->path);
		o->path = c->path != NULL ? xstrdup(c->path) : NULL;
	}
	o->maxbytes = c->maxbytes;
	if (o->path == NULL || (o->fd != -1 && !o->broken))
		return 0;
	if (o->fd != -1)
		outlog_shut_file(o);
	if (outlog_open_file(o, false) == -1) {
		/* supervisord's make_dispatchers opens the log files and the
		 * pipes alike: out of fds, either gets its message. */
		if (!spawn_out_of_fds(errno, o->name, why, whylen))
			(void)snprintf(why, whylen,
			    "couldn't open log file %s: %s", o->path, o->why);
		return -1;
	}
	o->broken = false;
	ev_timer_stop(o->loop, &o->retry);
	return 0;
}

/* See outlog_io.h. */
bool
outlog_wanted(const struct outlog *o)
{
	return o->path != NULL || o->to_syslog || o->tap != NULL;
}

/* See outlog_io.h. */
void
outlog_set_tap(struct outlog *o, void (*fn)(void *, const char *, size_t),
    void *arg)
{
	o->tap = fn;
	o->tap_arg = arg;
}

/* See outlog_io.h. */
int
outlog_pipe(struct outlog *o, char *why, size_t whylen)
{
	int	fds[2];

	if (o->pipefd != -1) {
		(void)outlog_pump(o, OUTLOG_BUDGET, true);
		outlog_close_pipe(o);
	}
	if (pipe2(fds, O_CLOEXEC) == -1) {
		if (!spawn_out_of_fds(errno, o->name, why, whylen))
			(void)snprintf(why, whylen, "unknown error making "
			    "dispatchers for '%s': %s", o->name,
			    strerror(errno));
		return -1;
	}
	if (fd_nonblock(fds[0]) == -1) {
		(void)snprintf(why, whylen, "unknown error making dispatchers "
		    "for '%s': %s", o->name, strerror(errno));
		(void)close(fds[0]);
		(void)close(fds[1]);
		return -1;
	}
	/* a burst fits in the pipe while we are busy; a smaller pipe (the
	 * limit in /proc/sys/fs/pipe-max-size) only costs speed */
	if ((o->pipesz = fcntl(fds[0], F_SETPIPE_SZ, OUTLOG_PIPE_SIZE)) == -1) {
		log_debug("%s: cannot grow the %s pipe: %s", o->name, o->chan,
		    strerror(errno));
		if ((o->pipesz = fcntl(fds[0], F_GETPIPE_SZ)) == -1)
			o->pipesz = 65536;
	}
	o->nogrow = false;
	o->pipefd = fds[0];
	return fds[1];
}

/* See outlog_io.h. */
void
outlog_start(struct outlog *o)
{
	o->woke_at = 0;
	outlog_watch(o);
}

/* See outlog_io.h. */
void
outlog_close_pipe(struct outlog *o)
{
	outlog_unwatch(o);
	if (o->pipefd != -1) {
		(void)close(o->pipefd);
		o->pipefd = -1;
	}
}

/* See outlog_io.h. */
void
outlog_drain(struct outlog *o)
{
	/* the pipe holds at most OUTLOG_PIPE_MAX: one budget is all the
	 * child wrote, and a grandchild that keeps writing cannot hold
	 * the exit back */
	if (o->pipefd != -1)
		(void)outlog_pump(o, OUTLOG_BUDGET, true);
	outlog_flush(o, true);
	if (o->to_syslog)
		outlog_syslog_feed(o, "", 0, true);
}

/* See outlog_io.h. */
void
outlog_close_file(struct outlog *o)
{
	ev_timer_stop(o->loop, &o->flush);
	ev_timer_stop(o->loop, &o->retry);
	outlog_shut_file(o);
	o->broken = false;
}

/* See outlog_io.h. */
int
outlog_reopen(struct outlog *o)
{
	if (o->path == NULL || (o->fd == -1 && !o->broken))
		return 0;
	outlog_flush(o, true);
	outlog_shut_file(o);
	if (outlog_open_file(o, false) == -1) {
		int	saved = errno;

		outlog_fail(o, saved);
		errno = saved;
		return -1;
	}
	o->broken = false;
	ev_timer_stop(o->loop, &o->retry);
	return 0;
}

/* See outlog_io.h. supervisord removes the file and opens a new one;
 * tend empties the one it holds, so that a link planted at the path
 * meanwhile is never followed (and a reader's tail -f sees a truncation).
 * A file not held is opened with the same checks, never created. */
int
outlog_clear(struct outlog *o, const char *path, char *why, size_t whylen)
{
	int	fd;

	if (path == NULL)
		return 0;
	if (o->path != NULL && strcmp(o->path, path) == 0 && o->fd != -1) {
		buf_reset(&o->carry);
		if (!o->regular)
			return 0;
		if (ftruncate(o->fd, 0) == -1) {
			(void)snprintf(why, whylen, "%s: %s", path,
			    strerror(errno));
			return -1;
		}
		o->size = 0;
		return 0;
	}
	fd = safe_open(path, O_WRONLY | O_TRUNC, 0, 0, NULL, why, whylen);
	if (fd == -1)
		return errno == ENOENT ? 0 : -1;
	(void)close(fd);
	return 0;
}

/* ---- live re-exec (reexec.c) ---- */

/* See outlog_io.h. A busy spell's relay is empty between wakeups (and
 * this runs between them): giving it back loses nothing; the next wakeup
 * of the new image starts a spell again if the stream is still busy. */
void
outlog_export(struct outlog *o, struct handover_stream *hs)
{
	outlog_untick(o);
	if (o->pipefd != -1 && !ev_is_active(&o->wio))
		outlog_watch(o);
	hs->pipefd = o->pipefd;
	hs->filefd = o->fd;
	hs->size = o->size;
	hs->broken = o->broken;
	hs->pipesz = o->pipesz;
	hs->regular = o->regular;
	hs->rotating = o->rotating;
	hs->can_splice = o->can_splice;
	handover_set_bytes(&hs->carry, o->carry.data, o->carry.len);
	handover_set_bytes(&hs->sysline, o->sysline.data, o->sysline.len);
}

/* See outlog_io.h. No system call per stream: with thousands of them
 * a re-exec would pay for each (the descriptors are close-on-exec
 * already: tendd.c marks every inherited one at start). */
void
outlog_adopt(struct outlog *o, const struct outlog_conf *c,
    const struct handover_stream *hs)
{
	free(o->path);
	o->path = c->path != NULL ? xstrdup(c->path) : NULL;
	o->maxbytes = c->maxbytes;
	o->backups = c->backups;
	o->to_syslog = c->syslog;
	o->syslog_pri = c->syslog_pri;
	buf_reset(&o->carry);
	buf_add(&o->carry, hs->carry.p, hs->carry.len);
	buf_reset(&o->sysline);
	buf_add(&o->sysline, hs->sysline.p, hs->sysline.len);
	if (hs->filefd != -1) {
		o->fd = hs->filefd;
		o->regular = hs->regular;
		o->size = hs->size;
		o->rotating = hs->rotating && o->maxbytes > 0 &&
		    o->path != NULL;
		o->can_splice = hs->can_splice;
	}
	if (hs->broken && o->path != NULL) {
		o->broken = true;
		if (o->fd != -1)
			outlog_shut_file(o);
		ev_timer_set(&o->retry, OUTLOG_RETRY_SECS, 0.);
		ev_timer_start(o->loop, &o->retry);
	}
	if (hs->pipefd != -1) {
		o->pipesz = hs->pipesz > 0 ? hs->pipesz : 65536;
		o->nogrow = false;
		o->pipefd = hs->pipefd;
		outlog_start(o);
	}
	if (o->carry.len > 0 || o->sysline.len > 0) {
		ev_timer_set(&o->flush, OUTLOG_FLUSH_SECS, 0.);
		ev_timer_start(o->loop, &o->flush);
	}
}
