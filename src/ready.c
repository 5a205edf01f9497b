/* ready.c: programs that say when they are up. notification_fd= (as
 * s6's notification-fd) gives the child the write end of a pipe: the
 * first newline on it makes the program RUNNING. sd_notify= gives it a
 * NOTIFY_SOCKET (one datagram socket for them all, readysock.c) on which
 * READY=1 does. Both are read by libev watchers, a bounded amount per
 * callback; the verdict goes through proc_ready() and supervisor_apply(). */
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
#include "log.h"
#include "pidmap.h"
#include "process.h"
#include "readysock.h"
#include "spawn.h"
#include "supervisor.h"
#include "util.h"

struct ready {
	ev_io	 sock;		/* the NOTIFY_SOCKET of sd_notify= programs;
				 * fd -1 until the first needs it */
	char	 name[64];	/* its address, for NOTIFY_SOCKET= */
};

/* ---- notification_fd= ---- */

/* See ready.h; also once the line came or the pipe closed. */
void
ready_close(struct sv_proc *sp)
{
	if (sp->ready.fd == -1)
		return;
	ev_io_stop(sp->sv->loop, &sp->ready);
	(void)close(sp->ready.fd);
	ev_io_set(&sp->ready, -1, EV_READ);
}

/* Read what the child wrote on its notification_fd: the first newline
 * makes it RUNNING; EOF ends the wait (it may still exit or be stopped).
 * Bytes before the newline are ignored, and bounded per call. */
static void
ready_read(struct sv_proc *sp)
{
	struct proc_actions	a;
	char			buf[512];
	ssize_t			n;
	int			i;

	for (i = 0; i < 16; i++) {
		n = read(sp->ready.fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n > 0 && memchr(buf, '\n', (size_t)n) == NULL)
			continue;
		ready_close(sp);
		if (n > 0) {
			proc_ready(&sp->p, "notification_fd", &a);
			supervisor_apply(sp, &a);
		}
		return;
	}
}

static void
ready_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	ready_read(w->data);
}

/* Datagrams on the NOTIFY_SOCKET of sd_notify= programs: READY=1 makes a
 * program RUNNING when it comes from the program's process, or from
 * another process of its process group (a daemon's worker, systemd-notify
 * run from a script) that runs as the program's user: every program is
 * in tendd's session, and one may join another's process group, but it
 * cannot take another user's uid. */
static void
ready_sock_read(struct supervisor *sv)
{
	struct proc_actions	 a;
	struct sv_proc		*sp;
	char			 buf[4096];
	ssize_t			 n;
	pid_t			 pid, pgid;
	uid_t			 uid;
	int			 i;

	for (i = 0; i < 64; i++) {
		if ((n = readysock_recv(sv->ready->sock.fd, buf, sizeof(buf),
		    &pid, &uid)) == -1)
			return;
		if (pid <= 0 || !readysock_says_ready(buf, (size_t)n))
			continue;
		if ((sp = pidmap_get(&sv->pids, pid)) == NULL &&
		    (pgid = getpgid(pid)) > 0 &&
		    (sp = pidmap_get(&sv->pids, pgid)) != NULL &&
		    uid != (sp->p.prog->user != NULL ? sp->p.prog->uid :
		    geteuid()))
			sp = NULL;
		if (sp == NULL || !sp->p.prog->sd_notify) {
			log_debug("READY=1 from pid %ld, which is no "
			    "sd_notify program's: ignored", (long)pid);
			continue;
		}
		proc_ready(&sp->p, "READY=1", &a);
		supervisor_apply(sp, &a);
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
ready_socket(struct sv_proc *sp, char *why, size_t len)
{
	struct ready	*r = sp->sv->ready;
	char		 err[256];
	int		 fd;

	if (r->sock.fd != -1)
		return r->name;
	if ((fd = readysock_open(r->name, sizeof(r->name), err,
	    sizeof(err))) == -1) {
		(void)snprintf(why, len, "couldn't open the NOTIFY_SOCKET for "
		    "'%s': %s", sp->p.name, err);
		return NULL;
	}
	ev_io_set(&r->sock, fd, EV_READ);
	ev_io_start(sp->sv->loop, &r->sock);
	return r->name;
}

/* See ready.h. */
int
ready_pipe(struct sv_proc *sp, char *why, size_t len)
{
	int	fds[2];

	ready_close(sp);
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		if (!spawn_out_of_fds(errno, sp->p.name, why, len))
			(void)snprintf(why, len, "couldn't make the "
			    "notification_fd pipe for '%s': %s", sp->p.name,
			    strerror(errno));
		return -1;
	}
	ev_io_set(&sp->ready, fds[0], EV_READ);
	return fds[1];
}

/* See ready.h. */
void
ready_proc_init(struct sv_proc *sp)
{
	ev_io_init(&sp->ready, ready_cb, -1, EV_READ);
	sp->ready.data = sp;
}

/* See ready.h. */
void
ready_start(struct sv_proc *sp)
{
	if (sp->ready.fd != -1)
		ev_io_start(sp->sv->loop, &sp->ready);
}

/* See ready.h. A READY=1 sent just before the exit is found through the
 * pid map, so it is read before the pid leaves it. */
void
ready_reaped(struct supervisor *sv, pid_t pid)
{
	struct sv_proc	*sp = pidmap_get(&sv->pids, pid);

	if (sp == NULL)
		return;
	if (sv->ready->sock.fd != -1 && sp->p.prog->sd_notify &&
	    sp->p.state == PROC_STARTING)
		ready_sock_read(sv);
	if (sp->ready.fd != -1) {
		ready_read(sp);
		ready_close(sp);
	}
}

/* See ready.h. */
void
ready_init(struct supervisor *sv)
{
	sv->ready = xcalloc(1, sizeof(*sv->ready));
	ev_io_init(&sv->ready->sock, ready_sock_cb, -1, EV_READ);
	sv->ready->sock.data = sv;
}

/* See ready.h. */
void
ready_free(struct supervisor *sv)
{
	if (sv->ready == NULL)
		return;
	if (sv->ready->sock.fd != -1) {
		ev_io_stop(sv->loop, &sv->ready->sock);
		(void)close(sv->ready->sock.fd);
	}
	free(sv->ready);
	sv->ready = NULL;
}
