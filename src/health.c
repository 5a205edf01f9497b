/* health.c: running the probes of healthcheck= (see health.h).
 *
 * One ev_timer per probed process does both jobs: between probes it
 * waits for the next one, during a probe it is the timeout. The next
 * probe is `every` seconds after the end of the last, so probes of one
 * process never overlap. A tcp or http probe is a socket watched for
 * writing (the connect), then, for http, for reading; an exec probe is a
 * child whose exit the supervisor's reaper hands over (health_reaped):
 * libev reaps every child in one place. */
#include "autoconfig.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "health.h"
#include "log.h"
#include "pidmap.h"
#include "util.h"

struct health {
	struct ev_loop	*loop;
	health_done_fn	*done;
	health_spawn_fn	*spawn;
	struct pidmap	 pids;		/* exec probe pid -> its probe, or
					 * &gone once it was given up */
	char		 gone;		/* marks a probe given up on */
};

/* See health.h. */
struct health *
health_new(struct ev_loop *loop, health_done_fn *done, health_spawn_fn *spawn)
{
	struct health	*h = xcalloc(1, sizeof(*h));

	h->loop = loop;
	h->done = done;
	h->spawn = spawn;
	return h;
}

/* See health.h: a probe left running would outlive tendd. */
void
health_free(struct health *h)
{
	size_t	i;

	if (h == NULL)
		return;
	for (i = 0; i < h->pids.cap; i++)
		if (h->pids.v[i].pid > 0 &&
		    kill(-h->pids.v[i].pid, SIGKILL) == -1 && errno != ESRCH)
			log_warn("health: cannot kill probe %ld",
			    (long)h->pids.v[i].pid);
	pidmap_free(&h->pids);
	free(h);
}

/* strerror(e) starting in lowercase, as the rest of a status line. */
static void
health_errstr(int e, char *out, size_t len)
{
	(void)snprintf(out, len, "%s", strerror(e));
	if (out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'a' && out[1] <= 'z')
		out[0] = (char)(out[0] - 'A' + 'a');
}

/* Drop what the probe under way holds: its socket, its child (whose
 * group is killed; the reaper still comes, and is told it was ours). */
static void
health_probe_drop(struct health_probe *hp)
{
	struct health	*h = hp->h;

	if (hp->io.fd != -1) {
		ev_io_stop(h->loop, &hp->io);
		(void)close(hp->io.fd);
		ev_io_set(&hp->io, -1, EV_WRITE);
	}
	if (hp->pid > 0) {
		if (kill(-hp->pid, SIGKILL) == -1 && errno != ESRCH)
			log_warn("health: cannot kill the probe of %s (pid "
			    "%ld)", hp->prog->name, (long)hp->pid);
		pidmap_put(&h->pids, hp->pid, &h->gone);
		hp->pid = 0;
	}
	hp->busy = false;
}

/* The probe under way ended: drop it, schedule the next, tell the owner
 * (last: the owner may stop the probes). */
static void
health_probe_end(struct health_probe *hp, bool ok, const char *why)
{
	health_probe_drop(hp);
	ev_timer_stop(hp->h->loop, &hp->timer);
	ev_timer_set(&hp->timer, hp->every, 0.);
	ev_timer_start(hp->h->loop, &hp->timer);
	hp->h->done(hp->owner, ok, why);
}

/* The answer so far of an http probe: the end once the status line is
 * in (or cannot be), else wait for more. */
static void
health_http_read(struct health_probe *hp)
{
	const struct healthspec	*s = &hp->prog->health;
	int			 code, rc;

	for (;;) {
		char	why[320];
		ssize_t	n;

		n = read(hp->io.fd, hp->resp + hp->got,
		    sizeof(hp->resp) - hp->got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n == -1) {
			health_errstr(errno, why, sizeof(why));
			health_probe_end(hp, false, why);
			return;
		}
		hp->got += (size_t)n;
		rc = healthspec_http_status(hp->resp, hp->got, &code);
		if (rc == 0 && n > 0)
			continue;
		if (rc == 1 && code >= 200 && code < 400) {
			health_probe_end(hp, true, NULL);
			return;
		}
		if (rc == 1)
			(void)snprintf(why, sizeof(why), "http %d from %s",
			    code, s->text);
		else if (rc == 0)
			(void)snprintf(why, sizeof(why), "connection closed "
			    "without an answer from %s", s->text);
		else
			(void)snprintf(why, sizeof(why), "no HTTP answer from "
			    "%s", s->text);
		health_probe_end(hp, false, why);
		return;
	}
}

/* Send what is left of the request of an http probe; then read. */
static void
health_http_write(struct health_probe *hp)
{
	struct buf	req;

	buf_init(&req);
	healthspec_http_request(&hp->prog->health, &req);
	while (hp->sent < req.len) {
		ssize_t	n;

		n = send(hp->io.fd, req.data + hp->sent, req.len - hp->sent,
		    MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			char	why[320];

			health_errstr(errno, why, sizeof(why));
			buf_free(&req);
			health_probe_end(hp, false, why);
			return;
		}
		hp->sent += (size_t)n;
	}
	if (hp->sent == req.len) {
		ev_io_stop(hp->h->loop, &hp->io);
		ev_io_set(&hp->io, hp->io.fd, EV_READ);
		ev_io_start(hp->h->loop, &hp->io);
	}
	buf_free(&req);
}

/* The socket of a probe is ready: the connect ended, or (http) the
 * request may go on, or the answer came. */
static void
health_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct health_probe	*hp = w->data;
	int			 err = 0;
	socklen_t		 len = sizeof(err);

	(void)loop;
	(void)revents;
	if (w->events & EV_READ) {
		health_http_read(hp);
		return;
	}
	if (hp->sent == 0) {	/* the connect ended */
		if (getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		if (err != 0) {
			char	why[320];

			health_errstr(err, why, sizeof(why));
			health_probe_end(hp, false, why);
			return;
		}
		if (hp->prog->health.kind == HEALTH_TCP) {
			health_probe_end(hp, true, NULL);
			return;
		}
	}
	health_http_write(hp);
}

/* Begin a tcp or http probe: a non-blocking connect. */
static void
health_connect(struct health_probe *hp)
{
	const struct healthspec	*s = &hp->prog->health;
	char			 why[320];
	int			 fd;

	fd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		health_errstr(errno, why, sizeof(why));
		log_warn("health: %s: socket", hp->prog->name);
		health_probe_end(hp, false, why);
		return;
	}
	hp->sent = 0;
	hp->got = 0;
	ev_io_set(&hp->io, fd, EV_WRITE);
	/* EINTR: the connect goes on without us, as EINPROGRESS */
	if (connect(fd, (const struct sockaddr *)&s->addr, s->addrlen) == -1 &&
	    errno != EINPROGRESS && errno != EINTR) {
		health_errstr(errno, why, sizeof(why));
		health_probe_end(hp, false, why);
		return;
	}
	ev_io_start(hp->h->loop, &hp->io);
}

/* Begin an exec probe. */
static void
health_exec(struct health_probe *hp)
{
	char	err[256];
	pid_t	pid;

	err[0] = '\0';
	pid = hp->h->spawn(hp->owner, hp->prog->health.argv, err, sizeof(err));
	if (pid == -1) {
		char	why[320];

		(void)snprintf(why, sizeof(why), "%s", err[0] != '\0' ? err :
		    "cannot spawn the check");
		health_probe_end(hp, false, why);
		return;
	}
	hp->pid = pid;
	pidmap_put(&hp->h->pids, pid, hp);
}

/* See health.h. */
bool
health_reaped(struct health *h, pid_t pid, int status)
{
	struct health_probe	*hp;
	char			 how[128], why[320];

	if (h->pids.n == 0 || (hp = pidmap_del(&h->pids, pid)) == NULL)
		return false;
	if ((void *)hp == (void *)&h->gone)
		return true;
	hp->pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		health_probe_end(hp, true, NULL);
		return true;
	}
	format_wait_status(how, sizeof(how), status);
	(void)snprintf(why, sizeof(why), "%s: %s", hp->prog->health.argv[0],
	    how);
	health_probe_end(hp, false, why);
	return true;
}

/* The timer: the next probe is due, or the one under way took too
 * long. */
static void
health_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct health_probe	*hp = w->data;

	(void)revents;
	if (hp->busy) {
		char	why[64];

		(void)snprintf(why, sizeof(why), "timed out after %u s",
		    hp->prog->health_timeout);
		health_probe_end(hp, false, why);
		return;
	}
	hp->busy = true;
	ev_timer_set(w, (double)hp->prog->health_timeout, 0.);
	ev_timer_start(loop, w);
	if (hp->prog->health.kind == HEALTH_EXEC)
		health_exec(hp);
	else
		health_connect(hp);
}

/* See health.h. */
void
health_probe_init(struct health_probe *hp, struct health *h, void *owner)
{
	memset(hp, 0, sizeof(*hp));
	hp->h = h;
	hp->owner = owner;
	ev_timer_init(&hp->timer, health_timer_cb, 0., 0.);
	hp->timer.data = hp;
	ev_io_init(&hp->io, health_io_cb, -1, EV_WRITE);
	hp->io.data = hp;
}

/* See health.h. */
void
health_probe_run(struct health_probe *hp, const struct program *prog,
    double every, double first)
{
	hp->every = every;
	if (hp->active && hp->prog == prog)
		return;
	health_probe_stop(hp);
	hp->prog = prog;
	hp->active = true;
	ev_timer_set(&hp->timer, first, 0.);
	ev_timer_start(hp->h->loop, &hp->timer);
}

/* See health.h. */
void
health_probe_stop(struct health_probe *hp)
{
	if (!hp->active)
		return;
	health_probe_drop(hp);
	ev_timer_stop(hp->h->loop, &hp->timer);
	hp->active = false;
}

/* See health.h. */
void
health_probe_retarget(struct health_probe *hp, const struct program *prog)
{
	hp->prog = prog;
}
