/* control.h: the control FIFO server and the reply channel of each
 * request. A transport: it knows requests and replies, and hands each
 * request to the function it was opened with. */
#ifndef TEND_CONTROL_H
#define TEND_CONTROL_H

#include <sys/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct ev_loop;
struct control;
struct control_reply;

/* Run one request (argv[0] is its verb, argv[argc] NULL; both are freed
 * on return): the reply is finished with control_finish, now or later. */
typedef void	 control_dispatch_fn(void *arg, struct control_reply *,
		    int argc, char **argv);

/* Create (or take over a stale) FIFO at path and listen on it in loop;
 * each request goes to dispatch with arg. Returns NULL with the reason in
 * err. */
struct control	*control_open(struct ev_loop *, const char *path,
		    unsigned mode, gid_t gid, control_dispatch_fn *dispatch,
		    void *arg, char *err, size_t errlen);
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

/* ---- live re-exec (reexec.c) ---- */
/* Read the FIFO or not (requests wait in it meanwhile). */
void		 control_listen(struct control *, bool on);
/* The FIFO's descriptor, and its reply directory's in *replyfd: they
 * stay open across the exec, so a client that writes meanwhile waits in
 * the FIFO and is served by the new image. */
int		 control_export(const struct control *, int *replyfd);
/* In the new image: serve the FIFO at path from the descriptors of
 * control_export. NULL with err if they are not what they should be. */
struct control	*control_adopt(struct ev_loop *, const char *path,
		    unsigned mode, gid_t gid, int fd, int replyfd,
		    control_dispatch_fn *dispatch, void *arg, char *err,
		    size_t errlen);
/* No reply is open but c, and c has nothing queued. */
bool		 control_only(const struct control *,
		    const struct control_reply *);
/* The reply FIFO of c (-1 if its reader left) and its owner: the new
 * image finishes the reply (control_reply_adopt). */
int		 control_reply_export(const struct control_reply *, uid_t *);
/* A reply to the client of reply FIFO fd (owner uid): each request's,
 * and the reexec client's in the new image. */
struct control_reply *control_reply_adopt(struct control *, int fd,
		    uid_t uid);

#endif
