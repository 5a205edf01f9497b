/* healthspec.h: what a healthcheck= value asks for, and the bytes of an
 * HTTP probe. Pure: no syscalls, no DNS (a host is a numeric IPv4 or IPv6
 * address or "localhost", checked when the configuration is read, so
 * tendd's loop never waits for a resolver). */
#ifndef TEND_HEALTHSPEC_H
#define TEND_HEALTHSPEC_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stddef.h>

struct buf;

enum healthspec_kind {
	HEALTH_NONE = 0,	/* no healthcheck= */
	HEALTH_TCP,		/* tcp:HOST:PORT: a connect is enough */
	HEALTH_HTTP,		/* http://HOST[:PORT]/PATH: 2xx or 3xx */
	HEALTH_EXEC,		/* exec:COMMAND ARGS: exit 0 */
};

struct healthspec {
	enum healthspec_kind	 kind;
	char			*text;	/* the value, as given (expanded) */
	struct sockaddr_storage	 addr;	/* tcp, http: where to connect */
	socklen_t		 addrlen;
	char			*host;	/* http: the Host header value */
	char			*path;	/* http: "/..." */
	char			**argv;	/* exec: the command, split */
};

/* Parse v into spec (emptied first; v NULL: no check). 0, or -1 with the
 * reason in why and spec empty. */
int		 healthspec_parse(const char *v, struct healthspec *spec,
		    struct buf *why);
void		 healthspec_free(struct healthspec *);
bool		 healthspec_equal(const struct healthspec *,
		    const struct healthspec *);

/* The request of an http probe: a GET of the path, Connection: close. */
void		 healthspec_http_request(const struct healthspec *,
		    struct buf *out);
/* The status line at the start of a response of len bytes: 1 and the
 * code when it is complete, 0 while it may still come, -1 when it is not
 * an HTTP status line. */
int		 healthspec_http_status(const char *resp, size_t len,
		    int *code);
/* The most of a response an http probe reads: a status line longer than
 * this is not one. */
#define HEALTHSPEC_HTTP_MAX	512

#endif
