/* ready.c: the channels of programs that say when they are up.
 * notification_fd= (as s6's notification-fd) gives the child the write
 * end of a pipe: the first newline on it is the news. sd_notify= gives it
 * a NOTIFY_SOCKET (one datagram socket for them all, readysock.c) on
 * which READY=1 is. Both are read by libev watchers, a bounded amount per
 * callback; the news goes to the supervisor's functions, which decide
 * whose it is and make the program RUNNING (proc_ready). */
#include "autoconfig.h"

#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ready.h"
#include "readysock.h"
#include "spawn.h"
#include "util.h"

struct ready {
	struct ev_loop	*loop;
	ready_pipe_fn	*fn;		/* hears the pipes */
	ready_sock_fn	*sock_fn;	/* hears the socket ... */
	void		*arg;		/* ... with this */
	ev_io		 sock;		/* the NOTIFY_SOCKET of sd_notify=
					 * programs; fd -1 until the first
					 * needs it */
	char		 name[64];	/* its address, for NOTIFY_SOCKET= */
};

/* ---- notification_fd= ---- */

/* See ready.h; also once the line came or the pipe closed. */
void
ready_pipe_close(struct ready_pipe *rp)
{
	if (rp->io.fd == -1)
		return;
	ev_io_stop(rp->r->loop, &rp->io);
	(void)close(rp->io.fd);
	ev_io_set(&rp->io, -1, EV_READ);
}

/* Read what the child wrote on its notification_fd: the first newline
 * is the news; EOF ends the wait (it may still exit or be stopped).
 * Bytes before the newline are ignored, and bounded per call. */
static void
ready_pipe_read(struct ready_pipe *rp)
{
	char	buf[512];
	ssize_t	n;
	int	i;

	for (i = 0; i < 16; i++) {
		n = read(rp->io.fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n > 0 && memchr(buf, '\n', (size_t)n) == NULL)
			continue;
		ready_pipe_close(rp);
		if (n > 0)
			rp->r->fn(rp->io.data);
		return;
	}
}

static void
ready_pipe_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	ready_pipe_read((struct ready_pipe *)w);
}

/* See ready.h. */
void
ready_pipe_init(struct ready_pipe *rp, struct ready *r, void *owner)
{
	ev_io_init(&rp->io, ready_pipe_cb, -1, EV_READ);
	rp->io.data = owner;
	rp->r = r;
}

/* See ready.h. */
int
ready_pipe_open(struct ready_pipe *rp, const char *name, char *why,
    size_t len)
{
	int	fds[2];

	ready_pipe_close(rp);
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		if (!spawn_out_of_fds(errno, name, why, len))
			(void)snprintf(why, len, "couldn't make the "
			    "notification_fd pipe for '%s': %s", name,
			    strerror(errno));
		return -1;
	}
	ev_io_set(&rp->io, fds[0], EV_READ);
	return fds[1];
}

/* See ready.h. */
void
ready_pipe_start(struct ready_pipe *rp)
{
	if (rp->io.fd != -1)
		ev_io_start(rp->r->loop, &rp->io);
}

/* See ready.h. */
void
ready_pipe_reaped(struct ready_pipe *rp)
{
	if (rp->io.fd != -1) {
		ready_pipe_read(rp);
		ready_pipe_close(rp);
	}
}

/* ---- NOTIFY_SOCKET ---- */

/* Datagrams on the NOTIFY_SOCKET: each READY=1 goes to sock_fn with the
 * sender's pid and uid. */
static void
ready_sock_read(struct ready *r)
{
	char	buf[4096];
	ssize_t	n;
	pid_t	pid;
	uid_t	uid;
	int	i;

	for (i = 0; i < 64; i++) {
		if ((n = readysock_recv(r->sock.fd, buf, sizeof(buf), &pid,
		    &uid)) == -1)
			return;
		if (pid <= 0 || !readysock_says_ready(buf, (size_t)n))
			continue;
		r->sock_fn(r->arg, pid, uid);
	}
}

static void
ready_sock_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	ready_sock_read(w->data);
}

/* See ready.h. */
const char *
ready_socket(struct ready *r, const char *name, char *why, size_t len)
{
	char	err[256];
	int	fd;

	if (r->sock.fd != -1)
		return r->name;
	if ((fd = readysock_open(r->name, sizeof(r->name), err,
	    sizeof(err))) == -1) {
		(void)snprintf(why, len, "couldn't open the NOTIFY_SOCKET for "
		    "'%s': %s", name, err);
		return NULL;
	}
	ev_io_set(&r->sock, fd, EV_READ);
	ev_io_start(r->loop, &r->sock);
	return r->name;
}

/* See ready.h. */
void
ready_socket_reaped(struct ready *r)
{
	if (r->sock.fd != -1)
		ready_sock_read(r);
}

/* See ready.h. */
struct ready *
ready_new(struct ev_loop *loop, ready_pipe_fn *fn, ready_sock_fn *sock_fn,
    void *arg)
{
	struct ready	*r = xcalloc(1, sizeof(*r));

	r->loop = loop;
	r->fn = fn;
	r->sock_fn = sock_fn;
	r->arg = arg;
	ev_io_init(&r->sock, ready_sock_cb, -1, EV_READ);
	r->sock.data = r;
	return r;
}

/* See ready.h. */
void
ready_free(struct ready *r)
{
	if (r == NULL)
		return;
	if (r->sock.fd != -1) {
		ev_io_stop(r->loop, &r->sock);
		(void)close(r->sock.fd);
	}
	free(r);
}

/* ---- live re-exec (reexec.c) ---- */

/* See ready.h. */
int
ready_pipe_fd(const struct ready_pipe *rp)
{
	return rp->io.fd;
}

/* See ready.h. */
void
ready_pipe_adopt(struct ready_pipe *rp, int fd)
{
	ready_pipe_close(rp);
	if (fd == -1)
		return;
	ev_io_set(&rp->io, fd, EV_READ);
	ev_io_start(rp->r->loop, &rp->io);
}

/* See ready.h. */
int
ready_socket_fd(const struct ready *r, const char **name)
{
	*name = r->name;
	return r->sock.fd;
}

/* See ready.h. */
void
ready_socket_adopt(struct ready *r, int fd, const char *name)
{
	if (fd == -1 || r->sock.fd != -1 || name == NULL ||
	    strlen(name) >= sizeof(r->name))
		return;
	(void)strcpy(r->name, name);
	ev_io_set(&r->sock, fd, EV_READ);
	ev_io_start(r->loop, &r->sock);
}
