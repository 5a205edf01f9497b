/* control.c: the control FIFO. It lives in a trusted directory (root's or
 * ours, nobody else may write there; checked at start), is opened O_RDWR
 * so it never reports EOF, read by a libev io watcher, and framed by
 * protocol.c: a request runs from its start byte (RS) to its LF, with a
 * PIPE_BUF cap; what comes before the last RS of a line, and unterminated
 * bytes left when the FIFO is drained, are garbage, counted and logged at
 * most once a second. Each request names a reply FIFO, which is opened
 * O_WRONLY|O_NONBLOCK|O_NOFOLLOW, checked with fstat, and written without
 * ever blocking: a reader that takes nothing for CONTROL_STALL_SECS while
 * its FIFO is full is dropped (CONTROL_STREAM_STALL_SECS for tail -f, whose
 * reader may be a pager paused for a while), and a user other than root
 * has at most CONTROL_MAX_PER_USER replies open at once, so that nobody
 * can use up tendd's file descriptors; the others are served. */
#include "autoconfig.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "fifowatch.h"
#include "log.h"
#include "protocol.h"
#include "safeopen.h"
#include "util.h"

#define CONTROL_MAX_PENDING	(8u << 20)	/* reply bytes buffered per
						 * request */
#define CONTROL_STALL_SECS	10.0		/* a reader that stalls is
						 * dropped */
#define CONTROL_STREAM_STALL_SECS 60.0		/* ... or follows a log (a
						 * pager) */
#define CONTROL_READ_BUDGET	(64u << 10)	/* bytes per loop iteration */
#define CONTROL_MAX_PER_USER	32		/* open replies of one user
						 * (not root) */
#define CONTROL_BAD_LOG_SECS	1.0		/* at most one bad-request
						 * line per */

/* The reply to one request, on the FIFO the request named. */
struct control_reply {
	struct control		*ctl;
	struct control_reply	*next;
	int			 fd;		/* reply FIFO, -1 once dropped */
	struct buf		 out;		/* records not yet written */
	ev_io			 io;		/* EV_WRITE while out is not
						 * empty */
	ev_timer		 stall;		/* no progress: drop */
	bool			 finished;	/* exit status queued */
	bool			 streaming;	/* tail -f: its sender bounds
						 * out */
	bool			 counted;	/* in its user's count of
						 * replies */
	uid_t			 uid;		/* the reply FIFO's owner */
};

/* Open replies of one user, for CONTROL_MAX_PER_USER. */
struct user_count {
	uid_t		 uid;
	unsigned	 n;
};

/* Bad requests since the last line about them. */
struct bad_input {
	unsigned long	 count;
	unsigned long long bytes;
	ev_tstamp	 first;		/* the first of them */
	ev_tstamp	 logged;	/* the last line */
	bool		 ever;		/* a line was logged */
	char		 last[256];	/* why the last one was bad */
	ev_timer	 flush;		/* logs the count a second later */
};

struct control {
	struct ev_loop		*loop;
	control_dispatch_fn	*dispatch;	/* runs each request */
	void			*arg;		/* ... given this */
	char			*path;
	char			*replydir;	/* where reply FIFOs live */
	int			 replyfd;	/* that directory,
						 * O_DIRECTORY */
	int			 fd;
	int			 reservefd;	/* /dev/null, given up at
						 * EMFILE */
	unsigned		 mode;		/* to make the FIFO again */
	gid_t			 gid;
	struct fifowatch	*watch;		/* notices its removal */
	bool			 foreign;	/* replaced by a stranger */
	dev_t			 dev;	/* identity of our FIFO, for removal */
	ino_t			 ino;
	ev_io			 io;
	ev_prepare		 flush;		/* writes queued lines before
						 * the loop sleeps */
	struct proto_framer	 framer;
	struct control_reply	*replies;	/* open ones */
	struct user_count	*users;		/* users with open replies */
	size_t			 nusers;
	struct bad_input	 bad;
};

static void	control_reply_flush(struct control_reply *);

/* The count of open replies of uid (created at 0 if missing). */
static struct user_count *
control_user(struct control *ctl, uid_t uid, bool create)
{
	size_t	i;

	for (i = 0; i < ctl->nusers; i++)
		if (ctl->users[i].uid == uid)
			return &ctl->users[i];
	if (!create)
		return NULL;
	ctl->users = xreallocarray(ctl->users, ctl->nusers + 1,
	    sizeof(*ctl->users));
	ctl->users[ctl->nusers].uid = uid;
	ctl->users[ctl->nusers].n = 0;
	return &ctl->users[ctl->nusers++];
}

/* Root and tendd's own user are not counted: the cap is for the others. */
static bool
control_user_limited(uid_t uid)
{
	return uid != 0 && uid != geteuid();
}

/* The reply fd is closed: it no longer counts for its user. */
static void
control_reply_uncount(struct control_reply *c)
{
	struct control		*ctl = c->ctl;
	struct user_count	*u;

	if (!c->counted)
		return;
	c->counted = false;
	u = control_user(ctl, c->uid, false);
	if (u == NULL)
		return;
	if (--u->n == 0)
		*u = ctl->users[--ctl->nusers];
}

/* Log the bad requests counted since the last line, in one line. */
static void
control_bad_flush(struct control *ctl)
{
	struct bad_input	*b = &ctl->bad;
	ev_tstamp		 now = ev_now(ctl->loop);

	ev_timer_stop(ctl->loop, &b->flush);
	if (b->count == 0)
		return;
	if (b->count == 1)
		log_warnx("control: bad request (%llu bytes): %s", b->bytes,
		    b->last);
	else
		log_warnx("control: %lu bad requests (%llu bytes) in the last "
		    "%.1f s (last: %s)", b->count, b->bytes,
		    now > b->first ? now - b->first : 0., b->last);
	b->count = 0;
	b->bytes = 0;
	b->logged = now;
	b->ever = true;
}

/* A second after the last line: log what was counted since. */
static void
control_bad_flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	control_bad_flush(w->data);
}

/* Count one bad request of len bytes: a line at once if none was logged
 * for CONTROL_BAD_LOG_SECS, else one line with the count when that second
 * is over.
 * Anyone who may write to the FIFO can send garbage as fast as tendd
 * reads it; the log must not grow with it. */
static void printflike(3, 4)
control_bad(struct control *ctl, unsigned long long len, const char *fmt,
    ...)
{
	struct bad_input	*b = &ctl->bad;
	ev_tstamp		 now = ev_now(ctl->loop), wait;
	va_list			 ap;

	if (b->count++ == 0)
		b->first = now;
	b->bytes += len;
	va_start(ap, fmt);
	(void)vsnprintf(b->last, sizeof(b->last), fmt, ap);
	va_end(ap);
	wait = b->logged + CONTROL_BAD_LOG_SECS - now;
	/* or the clock jumped */
	if (!b->ever || wait <= 0. || wait > CONTROL_BAD_LOG_SECS)
		control_bad_flush(ctl);
	else if (!ev_is_active(&b->flush)) {
		ev_timer_set(&b->flush, wait, 0.);
		ev_timer_start(ctl->loop, &b->flush);
	}
}

/* Keep one fd in reserve, so that a request can still be answered when
 * tendd is out of fds (EMFILE): it is closed to open the reply FIFO and
 * taken again once a reply is done. */
static void
control_reserve(struct control *ctl)
{
	if (ctl->reservefd == -1)
		ctl->reservefd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Unlink and free a reply that is complete or dropped. */
static void
control_reply_free(struct control_reply *c)
{
	struct control	*ctl = c->ctl;
	struct control_reply	**pp;

	for (pp = &ctl->replies; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	ev_io_stop(ctl->loop, &c->io);
	ev_timer_stop(ctl->loop, &c->stall);
	if (c->fd != -1)
		(void)close(c->fd);
	control_reply_uncount(c);
	buf_free(&c->out);
	free(c);
	control_reserve(ctl);
}

/* Stop writing a reply; its command may still be running. */
static void
control_reply_drop(struct control_reply *c, const char *why)
{
	/* a reader that leaves is how every tail -f ends: no warning */
	if (strcmp(why, "reader went away") == 0)
		log_debug("control: dropping a client%s (uid %lu): %s",
		    c->streaming ? " that follows a log" : "",
		    (unsigned long)c->uid, why);
	else
		log_warnx("control: dropping a client%s (uid %lu): %s",
		    c->streaming ? " that follows a log" : "",
		    (unsigned long)c->uid, why);
	ev_io_stop(c->ctl->loop, &c->io);
	ev_timer_stop(c->ctl->loop, &c->stall);
	if (c->fd != -1)
		(void)close(c->fd);
	c->fd = -1;
	control_reply_uncount(c);
	buf_reset(&c->out);
	if (c->finished)
		control_reply_free(c);
}

/* The reply FIFO became writable. */
static void
control_reply_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct control_reply	*c = w->data;

	(void)loop;
	(void)revents;
	control_reply_flush(c);
}

/* The reader made no progress for too long. */
static void
control_reply_stall_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct control_reply	*c = w->data;

	(void)loop;
	(void)revents;
	control_reply_drop(c, "reply reader stalled");
}

/* Write as much as the FIFO takes; wait for EV_WRITE for the rest. */
static void
control_reply_flush(struct control_reply *c)
{
	struct ev_loop	*loop = c->ctl->loop;
	ssize_t		 n;

	while (c->fd != -1 && c->out.len > 0) {
		n = write(c->fd, c->out.data, c->out.len);
		if (n > 0) {
			buf_consume(&c->out, (size_t)n);
			ev_timer_stop(loop, &c->stall);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			ev_io_start(loop, &c->io);
			/* tail -f too: a follower whose reader takes
			 * nothing would hold two fds for ever */
			if (!ev_is_active(&c->stall)) {
				ev_timer_set(&c->stall, c->streaming ?
				    CONTROL_STREAM_STALL_SECS :
				    CONTROL_STALL_SECS, 0.);
				ev_timer_start(loop, &c->stall);
			}
			return;
		}
		control_reply_drop(c, n == -1 && errno == EPIPE ?
		    "reader went away" : "write error");
		return;
	}
	ev_io_stop(loop, &c->io);
	ev_timer_stop(loop, &c->stall);
	if (c->finished && c->out.len == 0)
		control_reply_free(c);
}

/* Queue one output line. */
void
control_line(struct control_reply *c, int stream, const char *fmt, ...)
{
	struct buf	line;
	va_list		ap;

	if (c->fd == -1)
		return;
	buf_init(&line);
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	proto_reply_line(&c->out, stream, line.len > 0 ? line.data : "");
	buf_free(&line);
	if (c->out.len > CONTROL_MAX_PENDING && !c->streaming) {
		control_reply_drop(c, "reply too large for a reader this slow");
		return;
	}
	/* Batch: a status of 1000 lines is a few writes, not 1000. */
	if (c->out.len >= 32768)
		control_reply_flush(c);
	else
		ev_prepare_start(c->ctl->loop, &c->ctl->flush);
}

/* Before the loop sleeps: write what the commands queued. */
static void
control_flush_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct control	*ctl = w->data;
	struct control_reply	*c, *next;

	(void)revents;
	ev_prepare_stop(loop, w);
	for (c = ctl->replies; c != NULL; c = next) {
		next = c->next;
		if (c->fd != -1 && c->out.len > 0 && !ev_is_active(&c->io))
			control_reply_flush(c);
	}
}

/* See control.h. */
void
control_data(struct control_reply *c, const void *data, size_t len)
{
	if (c->fd == -1 || len == 0)
		return;
	proto_reply_data(&c->out, data, len);
	if (c->out.len > CONTROL_MAX_PENDING && !c->streaming) {
		control_reply_drop(c, "reply too large for a reader this slow");
		return;
	}
	control_reply_flush(c);
}

/* See control.h. */
size_t
control_pending(const struct control_reply *c)
{
	return c->out.len;
}

/* See control.h. A FIFO whose reader left reports POLLERR to the writer
 * even when nothing is being written. */
bool
control_gone(struct control_reply *c)
{
	struct pollfd	pfd;

	if (c->fd == -1)
		return true;
	pfd.fd = c->fd;
	pfd.events = 0;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP |
	    POLLNVAL)) != 0) {
		control_reply_drop(c, "reader went away");
		return true;
	}
	return false;
}

/* See control.h. */
void
control_set_streaming(struct control_reply *c)
{
	struct ev_loop	*loop = c->ctl->loop;

	c->streaming = true;
	if (ev_is_active(&c->stall)) {	/* full already: the longer bound */
		ev_timer_stop(loop, &c->stall);
		ev_timer_set(&c->stall, CONTROL_STREAM_STALL_SECS, 0.);
		ev_timer_start(loop, &c->stall);
	}
}

/* Queue the exit status: the last record. */
void
control_finish(struct control_reply *c, int code)
{
	c->finished = true;
	if (c->fd == -1) {
		control_reply_free(c);
		return;
	}
	proto_reply_exit(&c->out, code);
	control_reply_flush(c);
}

/* Open the reply FIFO a request names: only a private FIFO of the reply
 * directory, never following a link, never creating anything. */
static int
control_open_reply(struct control *ctl, const char *name, uid_t *uid,
    char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	fd = openat(ctl->replyfd, name, O_WRONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC | O_NOCTTY);
	if (fd == -1 && (errno == EMFILE || errno == ENFILE) &&
	    ctl->reservefd != -1) {
		log_warnx("control: out of file descriptors: answering with "
		    "the reserve one");
		(void)close(ctl->reservefd);
		ctl->reservefd = -1;
		fd = openat(ctl->replyfd, name, O_WRONLY | O_NONBLOCK |
		    O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	}
	if (fd == -1) {
		(void)snprintf(err, errlen, "%s/%s: %s", ctl->replydir, name,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode)) {
		(void)snprintf(err, errlen, "%s/%s: not a FIFO", ctl->replydir,
		    name);
		(void)close(fd);
		return -1;
	}
	if ((st.st_mode & 077) != 0 || st.st_nlink != 1) {
		(void)snprintf(err, errlen, "%s/%s: not a private FIFO (mode "
		    "%03o, %lu links)", ctl->replydir, name,
		    (unsigned)(st.st_mode & 0777), (unsigned long)st.st_nlink);
		(void)close(fd);
		return -1;
	}
	*uid = st.st_uid;
	return fd;
}

/* The reply directory, in the control directory dirfd: ours, mode 1733
 * (anyone may create a FIFO in it, nobody but us may list it). dir is its
 * path, for messages. */
static int
control_open_replydir(int dirfd, const char *dir, char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	if (mkdirat(dirfd, PROTO_REPLY_DIR, 01733) == -1 && errno != EEXIST) {
		(void)snprintf(err, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	fd = openat(dirfd, PROTO_REPLY_DIR, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		(void)snprintf(err, errlen, "cannot open %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || st.st_uid != geteuid()) {
		(void)snprintf(err, errlen, "%s is not owned by tendd's user",
		    dir);
		(void)close(fd);
		return -1;
	}
	if (fchmod(fd, 01733) == -1) {
		(void)snprintf(err, errlen, "cannot set the mode of %s: %s",
		    dir, strerror(errno));
		(void)close(fd);
		return -1;
	}
	return fd;
}

/* Too many replies of this user are open: say so in the reply, with one
 * write that never waits, and close it. Whoever sends requests naming a
 * FIFO he never reads must not hold a descriptor of tendd's per request. */
static void
control_refuse(int fd, uid_t uid)
{
	struct buf	b;
	char		text[160];

	(void)snprintf(text, sizeof(text), "tendd refused the request: uid "
	    "%lu has %d requests in progress already (a tail -f counts until "
	    "it ends)", (unsigned long)uid, CONTROL_MAX_PER_USER);
	buf_init(&b);
	proto_reply_ack(&b);
	proto_reply_line(&b, 2, text);
	proto_reply_exit(&b, TEND_EXIT_GENERIC);
	if (write(fd, b.data, b.len) == -1) {
		/* full or gone: the refusal is logged anyway */
	}
	buf_free(&b);
	(void)close(fd);
}

/* What the framer hands over: one request, or garbage. */
static void
control_request(const char *line, size_t len, const char *junk, void *arg)
{
	struct control		*ctl = arg;
	struct proto_request	 rq;
	struct user_count	*u = NULL;
	struct control_reply	*c;
	const char		*why;
	char			 err[512];
	uid_t			 uid;
	int			 fd;

	if (junk != NULL) {
		control_bad(ctl, len, "%s", junk);
		return;
	}
	if (proto_request_decode(line, len, &rq, &why) == -1) {
		control_bad(ctl, len + 2, "%s", why);
		return;
	}
	if ((fd = control_open_reply(ctl, rq.reply, &uid, err,
	    sizeof(err))) == -1) {
		control_bad(ctl, len + 2, "cannot reply to %s request: %s",
		    rq.argv[0], err);
		proto_request_free(&rq);
		return;
	}
	if (control_user_limited(uid)) {
		u = control_user(ctl, uid, true);
		if (u->n >= CONTROL_MAX_PER_USER) {
			control_bad(ctl, len + 2, "%s request refused: uid %lu "
			    "has %u replies open", rq.argv[0],
			    (unsigned long)uid, u->n);
			control_refuse(fd, uid);
			proto_request_free(&rq);
			return;
		}
	}
	c = control_reply_adopt(ctl, fd, uid);
	if (u != NULL) {
		u->n++;
		c->counted = true;
	}
	log_debug("control: %s request", rq.argv[0]);
	proto_reply_ack(&c->out);
	control_reply_flush(c);
	ctl->dispatch(ctl->arg, c, rq.argc, rq.argv);
	proto_request_free(&rq);
}

/* Requests arrived on the FIFO. */
static void
control_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct control	*ctl = w->data;
	char		 chunk[4096];
	size_t		 budget = CONTROL_READ_BUDGET, dropped;
	ssize_t		 n;

	(void)loop;
	(void)revents;
	while (budget > 0) {
		n = read(ctl->fd, chunk, sizeof(chunk));
		if (n > 0) {
			proto_framer_feed(&ctl->framer, chunk, (size_t)n,
			    control_request, ctl);
			budget -= (size_t)n < budget ? (size_t)n : budget;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			/* Requests are atomic writes: what is left now is
			 * garbage and must not prefix the next request. */
			dropped = proto_framer_drained(&ctl->framer);
			if (dropped > 0)
				control_bad(ctl, dropped, "unterminated");
			return;
		}
		log_errorx("control: read %s: %s", ctl->path,
		    n == 0 ? "end of file" : strerror(errno));
		return;
	}
}

/* The control FIFO's directory, made (mode 0755, ours) if it is missing:
 * refused, as sshd's StrictModes does, unless it and every directory above
 * it are root's or ours and nobody else may write in them (or they are
 * sticky, as /tmp): another user who can rename entries there could put
 * his FIFO in the place of ours, or plant the state file tendd reads.
 * Returns an O_PATH descriptor and *base, the FIFO's name in it; -1 with
 * err. */
static int
control_open_dir(const char *path, const char **base, char *err,
    size_t errlen)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, why[512];
	int		 fd;

	if (slash == NULL) {
		dir = xstrdup(".");
		*base = path;
	} else {
		dir = slash == path ? xstrdup("/") :
		    xstrndup(path, (size_t)(slash - path));
		*base = slash + 1;
	}
	fd = safe_open_dir(dir, true, 0755, why, sizeof(why));
	if (fd == -1)
		(void)snprintf(err, errlen, "control %s: refusing its "
		    "directory: %s", path, why);
	free(dir);
	return fd;
}

/* Create the FIFO base in dirfd (path, for messages; absent now) and open
 * it O_RDWR: it never reports EOF. Returns the fd and its identity in st,
 * or -1 with err. */
static int
control_make_fifo(int dirfd, const char *base, const char *path,
    unsigned mode, gid_t gid, struct stat *stp, char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	if (mkfifoat(dirfd, base, 0600) == -1) {
		(void)snprintf(err, errlen, "cannot create control %s: %s",
		    path, strerror(errno));
		return -1;
	}
	fd = openat(dirfd, base, O_RDWR | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1) {
		(void)snprintf(err, errlen, "cannot open control %s: %s", path,
		    strerror(errno));
		(void)unlinkat(dirfd, base, 0);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode) ||
	    st.st_uid != geteuid() || st.st_nlink != 1) {
		(void)snprintf(err, errlen, "control %s was replaced while "
		    "being created", path);
		(void)close(fd);
		return -1;
	}
	if (gid != (gid_t)-1 && fchown(fd, (uid_t)-1, gid) == -1) {
		(void)snprintf(err, errlen, "cannot set the group of %s: %s",
		    path, strerror(errno));
		(void)close(fd);
		(void)unlinkat(dirfd, base, 0);
		return -1;
	}
	if (fchmod(fd, (mode_t)mode) == -1) {
		(void)snprintf(err, errlen, "cannot set the mode of %s: %s",
		    path, strerror(errno));
		(void)close(fd);
		(void)unlinkat(dirfd, base, 0);
		return -1;
	}
	*stp = st;
	return fd;
}

/* The control FIFO's directory changed (fifowatch): if our FIFO is gone,
 * make a new one at once; if something else took its place, say so once
 * and make a new FIFO when it is removed. */
static void
control_recheck(void *arg)
{
	struct control	*ctl = arg;
	struct stat	 st;
	const char	*base;
	char		 err[1024];
	int		 fd, dirfd;

	if (lstat(ctl->path, &st) == 0) {
		if (st.st_dev == ctl->dev && st.st_ino == ctl->ino)
			return;		/* still ours */
		if (!ctl->foreign)
			log_errorx("control %s was replaced by %s that tendd "
			    "did not make: tendctl cannot reach tendd until "
			    "it is removed", ctl->path,
			    S_ISFIFO(st.st_mode) ? "a FIFO" :
			    S_ISREG(st.st_mode) ? "a regular file" :
			    S_ISLNK(st.st_mode) ? "a symbolic link" :
			    "something");
		ctl->foreign = true;
		return;
	}
	if (errno != ENOENT) {
		log_error("control %s", ctl->path);
		return;
	}
	dirfd = control_open_dir(ctl->path, &base, err, sizeof(err));
	fd = dirfd == -1 ? -1 : control_make_fifo(dirfd, base, ctl->path,
	    ctl->mode, ctl->gid, &st, err, sizeof(err));
	if (fd == -1) {
		log_errorx("control %s was removed and cannot be made again: "
		    "%s", ctl->path, err);
		if (dirfd != -1)
			(void)close(dirfd);
		return;
	}
	ev_io_stop(ctl->loop, &ctl->io);
	(void)close(ctl->fd);
	(void)proto_framer_drained(&ctl->framer);
	ctl->fd = fd;
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	ev_io_set(&ctl->io, fd, EV_READ);
	ev_io_start(ctl->loop, &ctl->io);
	log_warnx("control %s was %s: made a new one", ctl->path,
	    ctl->foreign ? "replaced" : "removed");
	ctl->foreign = false;
	/* Its whole directory went: the reply directory too. */
	if (fstat(ctl->replyfd, &st) == 0 && st.st_nlink == 0) {
		fd = control_open_replydir(dirfd, ctl->replydir, err,
		    sizeof(err));
		if (fd == -1)
			log_errorx("%s", err);
		else {
			(void)close(ctl->replyfd);
			ctl->replyfd = fd;
		}
	}
	(void)close(dirfd);
}

/* A FIFO is at base in dirfd: another tendd's (refused) or a stale one
 * (removed). 0, or -1 with err. */
static int
control_take_stale(int dirfd, const char *base, const char *path,
    char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	if (!S_ISFIFO(st.st_mode)) {
		(void)snprintf(err, errlen, "control %s exists and is not a "
		    "FIFO", path);
		return -1;
	}
	/* Someone reading it is another tendd: do not steal. */
	fd = openat(dirfd, base, O_WRONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd != -1) {
		(void)close(fd);
		(void)snprintf(err, errlen, "another tendd is already running "
		    "on %s", path);
		return -1;
	}
	if (errno != ENXIO) {
		(void)snprintf(err, errlen, "control %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (unlinkat(dirfd, base, 0) == -1) {
		(void)snprintf(err, errlen, "cannot remove stale control %s: "
		    "%s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The server of the FIFO fd (identity st) at path, its reply directory
 * replydir (taken) open as replyfd. */
static struct control *
control_new(struct ev_loop *loop, const char *path, unsigned mode,
    gid_t gid, int fd, const struct stat *st, char *replydir, int replyfd,
    control_dispatch_fn *dispatch, void *arg, char *err, size_t errlen)
{
	struct control	*ctl;

	ctl = xcalloc(1, sizeof(*ctl));
	ctl->loop = loop;
	ctl->dispatch = dispatch;
	ctl->arg = arg;
	ctl->path = xstrdup(path);
	ctl->replydir = replydir;
	ctl->replyfd = replyfd;
	ctl->fd = fd;
	ctl->reservefd = -1;
	control_reserve(ctl);
	ctl->dev = st->st_dev;
	ctl->ino = st->st_ino;
	/* a request is RS, at most this much, LF: one atomic write */
	proto_framer_init(&ctl->framer, PROTO_MAX_REQUEST - 2);
	ev_timer_init(&ctl->bad.flush, control_bad_flush_cb,
	    CONTROL_BAD_LOG_SECS, 0.);
	ctl->bad.flush.data = ctl;
	ev_prepare_init(&ctl->flush, control_flush_cb);
	ctl->flush.data = ctl;
	ev_io_init(&ctl->io, control_io_cb, fd, EV_READ);
	ctl->io.data = ctl;
	ev_io_start(loop, &ctl->io);
	ctl->mode = mode;
	ctl->gid = gid;
	ctl->watch = fifowatch_new(loop, path, control_recheck, ctl, err,
	    errlen);
	if (ctl->watch == NULL)
		log_warnx("%s: a removed control FIFO will not be noticed",
		    err);
	return ctl;
}

/* See control.h. */
struct control *
control_open(struct ev_loop *loop, const char *path, unsigned mode,
    gid_t gid, control_dispatch_fn *dispatch, void *arg, char *err,
    size_t errlen)
{
	struct stat	 st;
	const char	*base;
	char		*replydir;
	int		 dirfd, fd, replyfd;

	if ((dirfd = control_open_dir(path, &base, err, errlen)) == -1)
		return NULL;
	if (control_take_stale(dirfd, base, path, err, errlen) == -1 ||
	    (fd = control_make_fifo(dirfd, base, path, mode, gid, &st, err,
	    errlen)) == -1) {
		(void)close(dirfd);
		return NULL;
	}
	replydir = proto_reply_dir(path);
	replyfd = control_open_replydir(dirfd, replydir, err, errlen);
	if (replyfd == -1) {
		(void)close(fd);
		(void)unlinkat(dirfd, base, 0);
		(void)close(dirfd);
		free(replydir);
		return NULL;
	}
	(void)close(dirfd);
	return control_new(loop, path, mode, gid, fd, &st, replydir, replyfd,
	    dispatch, arg, err, errlen);
}

/* ---- live re-exec (reexec.c) ---- */

/* See control.h. */
void
control_listen(struct control *ctl, bool on)
{
	if (on)
		ev_io_start(ctl->loop, &ctl->io);
	else
		ev_io_stop(ctl->loop, &ctl->io);
}

/* See control.h. */
int
control_export(const struct control *ctl, int *replyfd)
{
	*replyfd = ctl->replyfd;
	return ctl->fd;
}

/* See control.h. */
struct control *
control_adopt(struct ev_loop *loop, const char *path, unsigned mode,
    gid_t gid, int fd, int replyfd, control_dispatch_fn *dispatch,
    void *arg, char *err, size_t errlen)
{
	struct stat	st, dst;

	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode) ||
	    st.st_uid != geteuid()) {
		(void)snprintf(err, errlen, "control %s: descriptor %d is not "
		    "tendd's FIFO", path, fd);
		return NULL;
	}
	if (fstat(replyfd, &dst) == -1 || !S_ISDIR(dst.st_mode)) {
		(void)snprintf(err, errlen, "control %s: descriptor %d is not "
		    "its reply directory", path, replyfd);
		return NULL;
	}
	return control_new(loop, path, mode, gid, fd, &st,
	    proto_reply_dir(path), replyfd, dispatch, arg, err, errlen);
}

/* See control.h. */
bool
control_only(const struct control *ctl, const struct control_reply *c)
{
	const struct control_reply	*r;

	for (r = ctl->replies; r != NULL; r = r->next)
		if (r != c || r->out.len > 0)
			return false;
	return true;
}

/* See control.h. */
int
control_reply_export(const struct control_reply *c, uid_t *uid)
{
	*uid = c->uid;
	return c->fd;
}

/* See control.h. */
struct control_reply *
control_reply_adopt(struct control *ctl, int fd, uid_t uid)
{
	struct control_reply	*c = xcalloc(1, sizeof(*c));

	c->ctl = ctl;
	c->fd = fd;
	c->uid = uid;
	buf_init(&c->out);
	ev_io_init(&c->io, control_reply_io_cb, fd, EV_WRITE);
	c->io.data = c;
	ev_timer_init(&c->stall, control_reply_stall_cb, CONTROL_STALL_SECS,
	    0.);
	c->stall.data = c;
	c->next = ctl->replies;
	ctl->replies = c;
	return c;
}

/* True when no reply is waiting to be written. */
bool
control_idle(const struct control *ctl)
{
	return ctl == NULL || ctl->replies == NULL;
}

/* See control.h. */
void
control_close(struct control *ctl)
{
	struct control_reply	*c, *next;
	struct stat	 st;

	if (ctl == NULL)
		return;
	ev_io_stop(ctl->loop, &ctl->io);
	ev_prepare_stop(ctl->loop, &ctl->flush);
	control_bad_flush(ctl);		/* the last count is not lost */
	fifowatch_free(ctl->watch);
	for (c = ctl->replies; c != NULL; c = next) {
		next = c->next;
		c->finished = true;
		control_reply_free(c);
	}
	if (lstat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino)
		(void)unlink(ctl->path);
	(void)close(ctl->fd);
	(void)close(ctl->replyfd);
	if (ctl->reservefd != -1)
		(void)close(ctl->reservefd);
	(void)rmdir(ctl->replydir);	/* only if no client is left in it */
	proto_framer_free(&ctl->framer);
	free(ctl->users);
	free(ctl->replydir);
	free(ctl->path);
	free(ctl);
}
