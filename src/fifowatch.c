/* fifowatch.c: inotify on the directory of one path. Only events that name
 * the path, or concern the directory itself, reach the callback; the
 * directory's other files (the state file rewritten on every spawn, logs)
 * cost a read and a name comparison each, never a busy loop. */
#include "autoconfig.h"

#include <sys/inotify.h>
#include <errno.h>
#include <ev.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fifowatch.h"
#include "log.h"
#include "util.h"

#define FIFOWATCH_MASK	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
			 IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | \
			 IN_ONLYDIR)

struct fifowatch {
	struct ev_loop	*loop;
	int		 fd;		/* inotify instance */
	int		 wd;		/* watch on dir, -1 when lost */
	char		*dir;
	char		*base;
	fifowatch_fn	 fn;
	void		*arg;
	ev_io		 io;
};

/* (Re)arm the watch on the directory. */
static int
fifowatch_arm(struct fifowatch *w)
{
	w->wd = inotify_add_watch(w->fd, w->dir, FIFOWATCH_MASK);
	return w->wd == -1 ? -1 : 0;
}

/* The inotify fd is readable: drain it, then call back once if any event
 * concerned our path or its directory. */
static void
fifowatch_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct fifowatch	*w = io->data;
	_Alignas(struct inotify_event) char buf[4096];
	const struct inotify_event *ev;
	bool			 hit = false, lost = false;
	ssize_t			 n;
	size_t			 off;

	(void)loop;
	(void)revents;
	for (;;) {
		n = read(w->fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* EAGAIN: drained */
		for (off = 0; off + sizeof(*ev) <= (size_t)n;
		    off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)(buf + off);
			if (ev->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF |
			    IN_MOVE_SELF))
				hit = true;
			if (ev->mask & IN_IGNORED)
				lost = true;
			else if (ev->len > 0 && strcmp(ev->name, w->base) == 0)
				hit = true;
		}
	}
	if (lost)
		w->wd = -1;	/* the kernel dropped it with the directory */
	if (hit || lost)
		w->fn(w->arg);	/* may recreate the directory */
	if (w->wd == -1 && fifowatch_arm(w) == -1)
		log_error("cannot watch %s any more", w->dir);
}

/* See fifowatch.h. */
struct fifowatch *
fifowatch_new(struct ev_loop *loop, const char *path, fifowatch_fn fn,
    void *arg, char *err, size_t errlen)
{
	struct fifowatch	*w = xcalloc(1, sizeof(*w));
	char			*a = xstrdup(path), *b = xstrdup(path);

	w->loop = loop;
	w->dir = xstrdup(dirname(a));
	w->base = xstrdup(basename(b));
	free(a);
	free(b);
	w->fn = fn;
	w->arg = arg;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd == -1 || fifowatch_arm(w) == -1) {
		(void)snprintf(err, errlen, "cannot watch %s: %s", w->dir,
		    strerror(errno));
		fifowatch_free(w);
		return NULL;
	}
	ev_io_init(&w->io, fifowatch_cb, w->fd, EV_READ);
	w->io.data = w;
	ev_io_start(loop, &w->io);
	return w;
}

/* See fifowatch.h. */
void
fifowatch_free(struct fifowatch *w)
{
	if (w == NULL)
		return;
	if (ev_is_active(&w->io))
		ev_io_stop(w->loop, &w->io);
	if (w->fd != -1)
		(void)close(w->fd);
	free(w->dir);
	free(w->base);
	free(w);
}
