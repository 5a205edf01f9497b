/* control.h: the control FIFO server and the reply channel of each
 * request. */
#ifndef TEND_CONTROL_H
#define TEND_CONTROL_H

#include <sys/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct supervisor;
struct control;
struct control_reply;

/* Create (or take over a stale) FIFO at path and listen on it. Returns
 * NULL with the reason in err. */
struct control	*control_open(struct supervisor *, const char *path,
		    unsigned mode, gid_t gid, char *err, size_t errlen);
/* Stop listening and remove the FIFO (if it is still ours). */
void		 control_close(struct control *);
/* No reply still being written. */
bool		 control_idle(const struct control *);

/* Reply to one request: lines for tendctl's stdout (1) or stderr (2),
 * then the exit status, after which the channel closes once flushed. */
void		 control_line(struct control_reply *, int stream,
		    const char *, ...) printflike(3, 4);
void		 control_finish(struct control_reply *, int code);
/* Raw bytes for tendctl's standard output, printed as they are. */
void		 control_data(struct control_reply *, const void *, size_t);
/* Reply bytes queued and not yet taken by the reader. */
size_t		 control_pending(const struct control_reply *);
/* The reader went away (checked without writing), or was dropped for
 * taking nothing for too long: only control_finish may still be called. */
bool		 control_gone(struct control_reply *);
/* A reply that goes on until the reader leaves (tail -f): never dropped
 * for a big queue (its sender bounds what it queues), but dropped when
 * its reader takes nothing for a minute while the FIFO is full, so that
 * a reader that never reads does not hold tendd's fds for ever. It counts
 * as one of its user's open replies as long as it lasts. */
void		 control_set_streaming(struct control_reply *);

#endif
