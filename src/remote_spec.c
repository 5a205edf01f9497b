/* remote_spec.c: the pure parts of tendctl -H (see remote_spec.h); no
 * system calls here, remote.c runs ssh. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote_spec.h"
#include "util.h"

/* A port: 1 to 65535, digits only. */
static bool
remote_port_ok(const char *p, size_t len)
{
	unsigned long	v = 0;
	size_t		i;

	if (len == 0 || len > 5)
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* See remote_spec.h. */
int
remote_host_parse(const char *spec, struct remote_host *out, char *err,
    size_t errlen)
{
	const char	*at, *h, *colon, *close;
	size_t		 hlen;

	out->user = out->host = out->port = NULL;
	at = strrchr(spec, '@');
	if (at != NULL && at == spec) {
		(void)snprintf(err, errlen, "%s: empty user name", spec);
		return -1;
	}
	h = at != NULL ? at + 1 : spec;
	if (*h == '[') {
		if ((close = strchr(h, ']')) == NULL) {
			(void)snprintf(err, errlen, "%s: no ']' after '['",
			    spec);
			return -1;
		}
		hlen = (size_t)(close - h - 1);
		if (hlen == 0) {
			(void)snprintf(err, errlen, "%s: empty host", spec);
			return -1;
		}
		if (close[1] != '\0' && (close[1] != ':' ||
		    !remote_port_ok(close + 2, strlen(close + 2)))) {
			(void)snprintf(err, errlen,
			    "%s: expected [address]:port", spec);
			return -1;
		}
		out->host = xstrndup(h + 1, hlen);
		if (close[1] == ':')
			out->port = xstrdup(close + 2);
	} else {
		colon = strchr(h, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* a bare IPv6 address */
		hlen = colon != NULL ? (size_t)(colon - h) : strlen(h);
		if (hlen == 0) {
			(void)snprintf(err, errlen, "%s: empty host", spec);
			return -1;
		}
		if (colon != NULL && !remote_port_ok(colon + 1,
		    strlen(colon + 1))) {
			(void)snprintf(err, errlen,
			    "%s: port must be a number from 1 to 65535", spec);
			return -1;
		}
		out->host = xstrndup(h, hlen);
		if (colon != NULL)
			out->port = xstrdup(colon + 1);
	}
	if (out->host[0] == '-') {
		(void)snprintf(err, errlen, "%s: a host cannot start with '-'",
		    spec);
		remote_host_free(out);
		return -1;
	}
	if (at != NULL)
		out->user = xstrndup(spec, (size_t)(at - spec));
	return 0;
}

/* See remote_spec.h. */
void
remote_host_free(struct remote_host *h)
{
	free(h->user);
	free(h->host);
	free(h->port);
	h->user = h->host = h->port = NULL;
}

/* See remote_spec.h. */
void
remote_quote(struct buf *out, const char *arg)
{
	const char	*p;
	bool		 bare = arg[0] != '\0';

	for (p = arg; *p != '\0' && bare; p++)
		bare = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_./:,+@%=", *p) != NULL;
	if (bare) {
		buf_addstr(out, arg);
		return;
	}
	buf_addc(out, '\'');
	for (p = arg; *p != '\0'; p++) {
		if (*p == '\'')
			buf_addstr(out, "'\\''");
		else
			buf_addc(out, *p);
	}
	buf_addc(out, '\'');
}

/* See remote_spec.h. */
char *
remote_command(const char *prog, int argc, char *const *argv)
{
	struct buf	b;
	int		i;

	buf_init(&b);
	buf_addstr(&b, prog);
	for (i = 0; i < argc; i++) {
		buf_addc(&b, ' ');
		remote_quote(&b, argv[i]);
	}
	return buf_steal(&b);
}

/* See remote_spec.h. */
void
remote_lines_init(struct remote_lines *l)
{
	l->pending = xmalloc(sizeof(*l->pending));
	buf_init(l->pending);
}

/* See remote_spec.h. */
void
remote_lines_feed(struct remote_lines *l, const char *host, const char *data,
    size_t len, struct buf *out)
{
	const char	*nl;
	size_t		 ll;

	while (len > 0) {
		nl = memchr(data, '\n', len);
		ll = nl != NULL ? (size_t)(nl - data) + 1 : len;
		if (nl == NULL) {
			buf_add(l->pending, data, ll);
			return;
		}
		buf_printf(out, "%s: ", host);
		buf_add(out, l->pending->data, l->pending->len);
		buf_add(out, data, ll);
		buf_reset(l->pending);
		data += ll;
		len -= ll;
	}
}

/* See remote_spec.h. */
void
remote_lines_flush(struct remote_lines *l, const char *host, struct buf *out)
{
	if (l->pending->len == 0)
		return;
	buf_printf(out, "%s: ", host);
	buf_add(out, l->pending->data, l->pending->len);
	buf_addc(out, '\n');
	buf_reset(l->pending);
}

/* See remote_spec.h. */
void
remote_lines_free(struct remote_lines *l)
{
	buf_free(l->pending);
	free(l->pending);
	l->pending = NULL;
}

/* Past blanks. */
static size_t
remote_json_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/* The index just past the object that starts at s[i] ('{'), or 0 if it
 * does not end. Strings are skipped whole, escapes included. */
static size_t
remote_json_object_end(const char *s, size_t len, size_t i)
{
	int	depth = 0;
	bool	in_str = false;

	for (; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = false;
			continue;
		}
		switch (s[i]) {
		case '"':
			in_str = true;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return i + 1;
			if (depth < 0)
				return 0;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* host as a JSON string. */
static void
remote_json_string(struct buf *out, const char *s)
{
	const unsigned char	*p;

	buf_addc(out, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(out, "\\%c", *p);
		else if (*p < 0x20)
			buf_printf(out, "\\u%04x", *p);
		else
			buf_addc(out, (char)*p);
	}
	buf_addc(out, '"');
}

/* See remote_spec.h. */
int
remote_json_add(struct buf *out, const char *json, size_t len,
    const char *host, bool *first)
{
	struct buf	add;
	size_t		i, end, body;
	bool		f = *first;

	i = remote_json_ws(json, len, 0);
	if (i >= len || json[i] != '[')
		return -1;
	buf_init(&add);
	i = remote_json_ws(json, len, i + 1);
	if (i < len && json[i] == ']')
		goto done;
	for (;;) {
		if (i >= len || json[i] != '{' ||
		    (end = remote_json_object_end(json, len, i)) == 0)
			goto bad;
		if (!f)
			buf_addc(&add, ',');
		f = false;
		buf_addstr(&add, "{\"host\":");
		remote_json_string(&add, host);
		body = remote_json_ws(json, len, i + 1);
		if (json[body] != '}')
			buf_addc(&add, ',');
		buf_add(&add, json + body, end - body);
		i = remote_json_ws(json, len, end);
		if (i < len && json[i] == ',') {
			i = remote_json_ws(json, len, i + 1);
			continue;
		}
		if (i < len && json[i] == ']')
			break;
		goto bad;
	}
done:
	if (remote_json_ws(json, len, i + 1) != len)
		goto bad;
	buf_add(out, add.data, add.len);
	buf_free(&add);
	*first = f;
	return 0;
bad:
	buf_free(&add);
	return -1;
}
