/* readysock.h: the NOTIFY_SOCKET tendd gives the programs that have
 * sd_notify=true (systemd's Type=notify readiness, without systemd): one
 * abstract AF_UNIX datagram socket for them all. The kernel attaches each
 * sender's pid and uid (SO_PASSCRED), so the supervisor can tell whose
 * message it is; no file, so a program run as another user reaches it as
 * well. */
#ifndef TEND_READYSOCK_H
#define TEND_READYSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Open the socket under a name the kernel picks. Returns it (non-blocking,
 * close-on-exec) and its NOTIFY_SOCKET value ("@...") in name, or -1 with
 * the reason in err. */
int		 readysock_open(char *name, size_t namelen, char *err,
		    size_t errlen);
/* One datagram into buf (at most len - 1 bytes, NUL-terminated) and the
 * sender's pid and uid (0 and -1 when the kernel gave none). Its length
 * (0 for one too long, dropped), or -1 with errno (EAGAIN: no more). */
ssize_t		 readysock_recv(int fd, char *buf, size_t len, pid_t *pid,
		    uid_t *uid);
/* Does the message (sd_notify's newline-separated VARIABLE=value lines)
 * hold READY=1? */
bool		 readysock_says_ready(const char *msg, size_t len);

#endif
