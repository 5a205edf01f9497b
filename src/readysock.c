/* readysock.c: see readysock.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "autoconfig.h"

#include "readysock.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* See readysock.h. The kernel picks the name (autobind): abstract names
 * are per network namespace, so a fixed one would clash between two
 * tendds that are both pid 1 in containers sharing a network, and anyone
 * could take it first. */
int
readysock_open(char *name, size_t namelen, char *err, size_t errlen)
{
	struct sockaddr_un	sa;
	socklen_t		salen = sizeof(sa_family_t);
	int			fd, on = 1;
	size_t			n;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		(void)snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sa, salen) == -1) {
		(void)snprintf(err, errlen, "%s", strerror(errno));
		(void)close(fd);
		return -1;
	}
	salen = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &salen) == -1) {
		(void)snprintf(err, errlen, "%s", strerror(errno));
		(void)close(fd);
		return -1;
	}
	n = salen - offsetof(struct sockaddr_un, sun_path);
	if (n < 2 || n >= namelen || sa.sun_path[0] != '\0' ||
	    memchr(sa.sun_path + 1, '\0', n - 1) != NULL) {
		(void)snprintf(err, errlen, "unexpected autobind name");
		(void)close(fd);
		return -1;
	}
	name[0] = '@';
	memcpy(name + 1, sa.sun_path + 1, n - 1);
	name[n] = '\0';
	return fd;
}

/* See readysock.h. */
ssize_t
readysock_recv(int fd, char *buf, size_t len, pid_t *pid, uid_t *uid)
{
	union {
		struct cmsghdr	hdr;
		char		space[CMSG_SPACE(sizeof(struct ucred))];
	}		 ctl;
	struct iovec	 iov;
	struct msghdr	 msg;
	struct cmsghdr	*c;
	struct ucred	 cred;
	ssize_t		 n;

	*pid = 0;
	*uid = (uid_t)-1;
	iov.iov_base = buf;
	iov.iov_len = len - 1;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &ctl;
	msg.msg_controllen = sizeof(ctl);
	do {
		n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	buf[n] = '\0';
	/* Room for the credentials only: descriptors sent along (FDSTORE=1)
	 * do not fit, and the kernel drops them. */
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len == CMSG_LEN(sizeof(cred))) {
			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
			*pid = cred.pid;
			*uid = cred.uid;
		}
	}
	/* a truncated datagram is not a message to act on */
	if (msg.msg_flags & MSG_TRUNC) {
		buf[0] = '\0';
		return 0;
	}
	return n;
}

/* See readysock.h. */
bool
readysock_says_ready(const char *msg, size_t len)
{
	const char	*p = msg, *end = msg + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl - p == 7 && memcmp(p, "READY=1", 7) == 0)
			return true;
		p = nl + 1;
	}
	return false;
}
