/* healthspec.c: healthcheck= values and the HTTP probe's bytes.
 *
 * A host must be an address (127.0.0.1, [::1]) or localhost: a name
 * would need a resolver, which blocks, and tendd's loop must not; a
 * lookup at load time would pin one answer for good while looking like
 * a name. So names are refused at load, with the reason. */
#include "healthspec.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "envlist.h"
#include "util.h"

#define HEALTHSPEC_TCP	"tcp:"
#define HEALTHSPEC_HTTP	"http://"
#define HEALTHSPEC_EXEC	"exec:"

/* A decimal port 1..65535 of the len bytes at s; -1 if it is not one. */
static int
healthspec_port(const char *s, size_t len)
{
	unsigned long long	 n;
	const char		*err;
	char			 tmp[8];

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (parse_uint(tmp, 65535, &n, &err) == -1 || n == 0)
		return -1;
	return (int)n;
}

/* The address of host (len bytes: "127.0.0.1", "[::1]", "localhost")
 * and port into spec; -1 with why. */
static int
healthspec_addr(struct healthspec *spec, const char *host, size_t len,
    int port, struct buf *why)
{
	struct sockaddr_in	*in4 = (struct sockaddr_in *)&spec->addr;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)&spec->addr;
	char			*h;
	int			 rc = 0;

	memset(&spec->addr, 0, sizeof(spec->addr));
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		h = xstrndup(host + 1, len - 2);
		if (inet_pton(AF_INET6, h, &in6->sin6_addr) != 1) {
			buf_addstr(why, "host ");
			envlist_quote(why, h, '"');
			buf_addstr(why, " is not an IPv6 address");
			rc = -1;
		}
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		spec->addrlen = sizeof(*in6);
		free(h);
		return rc;
	}
	h = xstrndup(host, len);
	if (strcmp(h, "localhost") == 0 ||
	    inet_pton(AF_INET, h, &in4->sin_addr) == 1) {
		if (strcmp(h, "localhost") == 0)
			in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		spec->addrlen = sizeof(*in4);
	} else if (*h == '\0') {
		buf_addstr(why, "no host");
		rc = -1;
	} else {
		buf_addstr(why, "host ");
		envlist_quote(why, h, '"');
		buf_addstr(why, " is not a numeric address (no DNS lookups: "
		    "write 127.0.0.1, [::1] or localhost)");
		rc = -1;
	}
	free(h);
	return rc;
}

/* tcp:HOST:PORT */
static int
healthspec_tcp(struct healthspec *spec, const char *s, struct buf *why)
{
	const char	*colon = strrchr(s, ':');
	int		 port;

	if (colon == NULL) {
		buf_addstr(why, "expected tcp:HOST:PORT");
		return -1;
	}
	if ((port = healthspec_port(colon + 1, strlen(colon + 1))) == -1) {
		buf_addstr(why, "port ");
		envlist_quote(why, colon + 1, '"');
		buf_addstr(why, " is not a number from 1 to 65535");
		return -1;
	}
	spec->kind = HEALTH_TCP;
	return healthspec_addr(spec, s, (size_t)(colon - s), port, why);
}

/* http://HOST[:PORT]/PATH */
static int
healthspec_http(struct healthspec *spec, const char *s, struct buf *why)
{
	const char	*slash = strchr(s, '/'), *end, *colon;
	size_t		 hlen;
	int		 port = 80;

	end = slash != NULL ? slash : s + strlen(s);
	hlen = (size_t)(end - s);
	colon = NULL;
	/* the port's colon: after a ']' for IPv6, else the last one */
	if (hlen > 0 && s[0] == '[') {
		const char *rb = memchr(s, ']', hlen);
		if (rb != NULL && rb + 1 < end && rb[1] == ':')
			colon = rb + 1;
	} else
		colon = memchr(s, ':', hlen);
	if (colon != NULL) {
		if ((port = healthspec_port(colon + 1,
		    (size_t)(end - colon - 1))) == -1) {
			buf_addstr(why, "port in ");
			envlist_quote(why, spec->text, '"');
			buf_addstr(why, " is not a number from 1 to 65535");
			return -1;
		}
		hlen = (size_t)(colon - s);
	}
	if (slash != NULL && strpbrk(slash, " \t\r\n") != NULL) {
		buf_addstr(why, "the path holds a blank or a line break");
		return -1;
	}
	spec->kind = HEALTH_HTTP;
	if (healthspec_addr(spec, s, hlen, port, why) == -1)
		return -1;
	spec->host = xstrndup(s, (size_t)(end - s));
	spec->path = xstrdup(slash != NULL ? slash : "/");
	return 0;
}

/* See healthspec.h. */
int
healthspec_parse(const char *v, struct healthspec *spec, struct buf *why)
{
	const char	*err;
	int		 rc;

	healthspec_free(spec);
	if (v == NULL)
		return 0;
	spec->text = xstrdup(v);
	if (strncmp(v, HEALTHSPEC_TCP, strlen(HEALTHSPEC_TCP)) == 0)
		rc = healthspec_tcp(spec, v + strlen(HEALTHSPEC_TCP), why);
	else if (strncmp(v, HEALTHSPEC_HTTP, strlen(HEALTHSPEC_HTTP)) == 0)
		rc = healthspec_http(spec, v + strlen(HEALTHSPEC_HTTP), why);
	else if (strncmp(v, "https://", 8) == 0) {
		buf_addstr(why, "https is not supported (no TLS): use http:// "
		    "or exec: with a client that speaks TLS");
		rc = -1;
	} else if (strncmp(v, HEALTHSPEC_EXEC, strlen(HEALTHSPEC_EXEC)) == 0) {
		if ((rc = cmdline_split(v + strlen(HEALTHSPEC_EXEC),
		    &spec->argv, &err)) == -1)
			buf_addstr(why, err);
		spec->kind = HEALTH_EXEC;
	} else {
		envlist_quote(why, v, '"');
		buf_addstr(why, " is not tcp:HOST:PORT, http://HOST[:PORT]/PATH "
		    "or exec:COMMAND [ARGS]");
		rc = -1;
	}
	if (rc == -1)
		healthspec_free(spec);
	return rc;
}

/* See healthspec.h. */
void
healthspec_free(struct healthspec *spec)
{
	free(spec->text);
	free(spec->host);
	free(spec->path);
	cmdline_free(spec->argv);
	memset(spec, 0, sizeof(*spec));
}

/* See healthspec.h: the same text parses the same way. */
bool
healthspec_equal(const struct healthspec *a, const struct healthspec *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->text == NULL || b->text == NULL)
		return a->text == b->text;
	return strcmp(a->text, b->text) == 0;
}

/* See healthspec.h. */
void
healthspec_http_request(const struct healthspec *spec, struct buf *out)
{
	buf_printf(out, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
	    "User-Agent: tend\r\n\r\n", spec->path, spec->host);
}

/* See healthspec.h: "HTTP/1.1 200 OK\r\n" (HTTP/1.0 too; the reason
 * phrase may be empty). */
int
healthspec_http_status(const char *resp, size_t len, int *code)
{
	static const char	 proto[] = "HTTP/1.";
	const char		*eol = memchr(resp, '\n', len);
	size_t			 n = eol != NULL ? (size_t)(eol - resp) : len;
	size_t			 i, m = strlen(proto);

	for (i = 0; i < m && i < n; i++)
		if (resp[i] != proto[i])
			return -1;
	if (eol == NULL)
		return len >= HEALTHSPEC_HTTP_MAX ? -1 : 0;
	/* HTTP/1.x SP DDD (SP | CR | end) */
	if (n < m + 5 || resp[m] < '0' || resp[m] > '9' || resp[m + 1] != ' ')
		return -1;
	for (i = m + 2; i < m + 5; i++)
		if (resp[i] < '0' || resp[i] > '9')
			return -1;
	if (n > m + 5 && resp[m + 5] != ' ' && resp[m + 5] != '\r')
		return -1;
	*code = (resp[m + 2] - '0') * 100 + (resp[m + 3] - '0') * 10 +
	    (resp[m + 4] - '0');
	return 1;
}
