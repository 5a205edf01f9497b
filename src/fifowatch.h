/* fifowatch.h: notice, without polling, when a path (the control FIFO) is
 * removed, renamed or replaced: inotify on its directory, read by a libev
 * io watcher. */
#ifndef TEND_FIFOWATCH_H
#define TEND_FIFOWATCH_H

#include <ev.h>

struct fifowatch;

/* Called when something happened to the path or to its directory; the
 * callback checks what is there now (lstat) and may recreate it. */
typedef void (*fifowatch_fn)(void *arg);

/* Watch path's directory. Returns NULL with the reason in err (the caller
 * logs it and goes on without the watch). */
struct fifowatch	*fifowatch_new(struct ev_loop *, const char *path,
			    fifowatch_fn, void *arg, char *err, size_t errlen);
void			 fifowatch_free(struct fifowatch *);

#endif
