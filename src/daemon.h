/* daemon.h: the classic daemon recipe and the pid file. */
#ifndef TEND_DAEMON_H
#define TEND_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

/* Detach: umask, fork (the parent waits for readiness and exits with it),
 * setsid, fork again, chdir /, close inherited fds, 0-2 on /dev/null.
 * Returns in the daemon with the write end of the readiness pipe; the
 * launching process never returns. */
int	 daemon_detach(unsigned umask_value);
/* Tell the launching process: ok (msg NULL) or the start-up error. */
void	 daemon_ready(int fd, const char *errmsg);

/* Create and lock the pid file with our pid. Returns a locked fd, or -1
 * with the reason in err ("already running (pid N)"). */
int	 daemon_pidfile_open(const char *path, char *err, size_t errlen);
/* Remove it, if it is still ours. */
void	 daemon_pidfile_close(int fd, const char *path);

#endif
