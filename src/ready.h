/* ready.h: readiness of the programs that say when they are up: a line
 * on their notification_fd= pipe (s6's notification-fd), or READY=1 on
 * the NOTIFY_SOCKET of sd_notify= programs. Either becomes proc_ready()
 * of the process. */
#ifndef TEND_READY_H
#define TEND_READY_H

#include <sys/types.h>
#include <stddef.h>

struct supervisor;
struct sv_proc;

/* Set up (supervisor_new) and tear down (supervisor_free) the socket's
 * watcher; the socket itself is opened at the first spawn that needs
 * it. */
void		 ready_init(struct supervisor *);
void		 ready_free(struct supervisor *);
/* Set up sp's notification_fd watcher (no pipe yet). */
void		 ready_proc_init(struct sv_proc *);
/* Before a spawn of sp: a pipe for its notification_fd, whose write end
 * is returned for the child; -1 with why. */
int		 ready_pipe(struct sv_proc *, char *why, size_t len);
/* Before a spawn of sp: the NOTIFY_SOCKET value, the socket opened at the
 * first call; NULL with why. */
const char	*ready_socket(struct sv_proc *, char *why, size_t len);
/* The spawn worked: watch the pipe, if any. */
void		 ready_start(struct sv_proc *);
/* Stop listening on sp's pipe: the spawn failed, or sp is freed. */
void		 ready_close(struct sv_proc *);
/* pid was reaped; call while it is still in the pid map: what its
 * process said before it exited counts before its exit does. */
void		 ready_reaped(struct supervisor *, pid_t);

#endif
