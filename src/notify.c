/* notify.c: tell systemd (Type=notify) how tendd is doing, the way
 * sd_notify(3) does but without libsystemd: one datagram of
 * VARIABLE=value lines per message to the AF_UNIX socket named by
 * $NOTIFY_SOCKET, a path or, when it starts with '@', an abstract name.
 *
 * The socket is non-blocking: if systemd's queue is full the message is
 * dropped, never waited for. NOTIFY_SOCKET itself is left in tendd's
 * environment for a re-exec; spawn.c keeps it from the programs. */
#include "notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int			notify_fd = -1;
static struct sockaddr_un	notify_addr;
static socklen_t		notify_addrlen;
static bool			notify_failing;	/* the last send failed */

/* See notify.h. */
int
notify_open(char *err, size_t errlen)
{
	const char	*name = getenv("NOTIFY_SOCKET");
	size_t		 len;

	if (name == NULL || name[0] == '\0')
		return 0;
	len = strlen(name);
	if (name[0] != '/' && name[0] != '@') {
		(void)snprintf(err, errlen, "NOTIFY_SOCKET=%s: not an absolute "
		    "path or an abstract socket name", name);
		return -1;
	}
	if (len >= sizeof(notify_addr.sun_path)) {
		(void)snprintf(err, errlen, "NOTIFY_SOCKET=%s: name too long",
		    name);
		return -1;
	}
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, name, len);
	if (name[0] == '@')
		notify_addr.sun_path[0] = '\0';	/* abstract: no NUL at end */
	else
		len++;				/* a path: count its NUL */
	notify_addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    len);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (notify_fd == -1) {
		(void)snprintf(err, errlen, "NOTIFY_SOCKET: socket: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* See notify.h. */
void
notify_send(const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;
	ssize_t		n;

	if (notify_fd == -1)
		return;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	do
		n = sendto(notify_fd, b.data, b.len, MSG_NOSIGNAL,
		    (const struct sockaddr *)&notify_addr, notify_addrlen);
	while (n == -1 && errno == EINTR);
	if (n == -1 && !notify_failing)
		log_warn("cannot notify systemd (NOTIFY_SOCKET)");
	else if (n != -1 && notify_failing)
		log_info("notifying systemd works again");
	notify_failing = n == -1;
	log_debug("notify: %s", b.data);
	buf_free(&b);
}

/* See notify.h. */
void
notify_ready(void)
{
	notify_send("READY=1");
}

/* See notify.h. MONOTONIC_USEC lets systemd (253 and later,
 * Type=notify-reload) tell this reload from an earlier one. */
void
notify_reloading(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1) {
		notify_send("RELOADING=1");
		return;
	}
	notify_send("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL);
}

/* See notify.h. */
void
notify_stopping(void)
{
	notify_send("STOPPING=1");
}

/* See notify.h. */
void
notify_close(void)
{
	if (notify_fd != -1)
		(void)close(notify_fd);
	notify_fd = -1;
}
