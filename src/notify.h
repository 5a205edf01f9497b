/* notify.h: systemd's service notification protocol (sd_notify(3))
 * without libsystemd. Every function is a no-op unless $NOTIFY_SOCKET was
 * set when notify_open ran. */
#ifndef TEND_NOTIFY_H
#define TEND_NOTIFY_H

#include "util.h"

/* Read $NOTIFY_SOCKET ("/path" or "@abstract") and open a datagram socket
 * to it. Returns 0 (also when there is nothing to notify), or -1 with the
 * reason in err. */
int	 notify_open(char *err, size_t errlen);
/* Send one message: lines of VARIABLE=value, as sd_notify(3) takes them.
 * Never blocks; a failure is logged once and otherwise ignored. */
void	 notify_send(const char *fmt, ...) printflike(1, 2);
/* READY=1, RELOADING=1 (with MONOTONIC_USEC=), STOPPING=1. */
void	 notify_ready(void);
void	 notify_reloading(void);
void	 notify_stopping(void);
/* Close the socket; later calls do nothing. */
void	 notify_close(void);

#endif
