/* protocol.c: request/reply framing and escaping shared by tendd and
 * tendctl. See protocol.h for the wire format. */
#include "autoconfig.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "util.h"

/* See protocol.h. */
bool
proto_reply_name_ok(const char *name)
{
	size_t	i;

	if (name[0] == '\0' || name[0] == '.')
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= PROTO_MAX_REPLY_NAME)
			return false;
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", name[i]) == NULL)
			return false;
	}
	return true;
}

/* See protocol.h. */
char *
proto_reply_dir(const char *control)
{
	const char	*slash = strrchr(control, '/');

	if (slash == NULL)
		return xstrdup(PROTO_REPLY_DIR);
	if (slash == control)
		return xstrdup("/" PROTO_REPLY_DIR);
	return xasprintf("%.*s/%s", (int)(slash - control), control,
	    PROTO_REPLY_DIR);
}

/* Append len bytes with \\, \t, \n, RS (\s) and NUL (\0) escaped. */
static void
proto_escape_bytes(struct buf *b, const unsigned char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		case '\n':
			buf_addstr(b, "\\n");
			break;
		case '\0':
			buf_addstr(b, "\\0");
			break;
		case PROTO_START:
			buf_addstr(b, "\\s");
			break;
		default:
			buf_addc(b, (char)p[i]);
			break;
		}
	}
}

/* Append one field with \\, \t, \n and RS escaped. */
void
proto_escape(struct buf *b, const char *s)
{
	proto_escape_bytes(b, (const unsigned char *)s, strlen(s));
}

/* Undo proto_escape in place. */
int
proto_unescape(char *s)
{
	char	*w = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		s++;
		switch (*s) {
		case '\\':
			*w++ = '\\';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 's':
			*w++ = PROTO_START;
			break;
		default:
			*w = '\0';
			return -1;
		}
	}
	*w = '\0';
	return 0;
}

/* Build the single request tendctl writes: RS, the fields, LF. */
int
proto_request_encode(struct buf *b, const char *reply, int argc,
    char *const *argv, const char **err)
{
	int	i;

	if (argc < 1) {
		*err = "no command";
		return -1;
	}
	if (argc > PROTO_MAX_ARGS) {
		*err = "too many arguments";
		return -1;
	}
	buf_reset(b);
	buf_addc(b, PROTO_START);
	buf_addstr(b, PROTO_MAGIC);
	buf_addc(b, '\t');
	proto_escape(b, reply);
	for (i = 0; i < argc; i++) {
		buf_addc(b, '\t');
		proto_escape(b, argv[i]);
	}
	buf_addc(b, '\n');
	if (b->len > PROTO_MAX_REQUEST) {
		*err = "request too long";
		return -1;
	}
	return 0;
}

/* Release a decoded request. */
void
proto_request_free(struct proto_request *r)
{
	int	i;

	free(r->reply);
	if (r->argv != NULL) {
		for (i = 0; i < r->argc; i++)
			free(r->argv[i]);
		free(r->argv);
	}
	memset(r, 0, sizeof(*r));
}

/* Parse one request (what follows its RS) into reply name and argv. */
int
proto_request_decode(const char *line, size_t len, struct proto_request *r,
    const char **err)
{
	char	*copy, *p, *tab;
	size_t	 nfields = 0;

	memset(r, 0, sizeof(*r));
	if (len == 0) {
		*err = "empty request";
		return -1;
	}
	if (memchr(line, '\0', len) != NULL) {
		*err = "NUL byte in request";
		return -1;
	}
	if (memchr(line, PROTO_START, len) != NULL) {
		*err = "start byte inside a request";
		return -1;
	}
	copy = xstrndup(line, len);
	p = copy;
	r->argv = xcalloc(PROTO_MAX_ARGS + 1, sizeof(char *));
	for (;;) {
		tab = strchr(p, '\t');
		if (tab != NULL)
			*tab = '\0';
		if (proto_unescape(p) == -1) {
			*err = "bad escape in request";
			goto fail;
		}
		if (nfields == 0) {
			if (strcmp(p, PROTO_MAGIC) != 0) {
				*err = "not a tend request";
				goto fail;
			}
		} else if (nfields == 1) {
			if (!proto_reply_name_ok(p)) {
				*err = "bad reply name";
				goto fail;
			}
			r->reply = xstrdup(p);
		} else {
			if (r->argc >= PROTO_MAX_ARGS) {
				*err = "too many arguments";
				goto fail;
			}
			r->argv[r->argc++] = xstrdup(p);
		}
		nfields++;
		if (tab == NULL)
			break;
		p = tab + 1;
	}
	if (r->reply == NULL) {
		*err = "no reply path";
		goto fail;
	}
	if (r->argc == 0) {
		*err = "no command";
		goto fail;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	proto_request_free(r);
	return -1;
}

/* The first record of every reply. */
void
proto_reply_ack(struct buf *b)
{
	buf_addstr(b, "+\n");
}

/* One output line for tendctl's stdout (stream 1) or stderr (2). */
void
proto_reply_line(struct buf *b, int stream, const char *text)
{
	buf_addc(b, stream == 2 ? '2' : '1');
	buf_addc(b, ' ');
	proto_escape(b, text);
	buf_addc(b, '\n');
}

/* See protocol.h. */
void
proto_reply_data(struct buf *b, const void *data, size_t len)
{
	buf_addstr(b, "d ");
	proto_escape_bytes(b, data, len);
	buf_addc(b, '\n');
}

/* See protocol.h. */
int
proto_reply_data_parse(char *line, char **data, size_t *len)
{
	char	*r, *w;

	if (line[0] != 'd' || line[1] != ' ')
		return -1;
	*data = w = line + 2;
	for (r = w; *r != '\0'; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		switch (*++r) {
		case '\\':
			*w++ = '\\';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case '0':
			*w++ = '\0';
			break;
		case 's':
			*w++ = PROTO_START;
			break;
		default:
			return -1;
		}
	}
	*len = (size_t)(w - *data);
	return 0;
}

/* The last record: tendctl's exit status. */
void
proto_reply_exit(struct buf *b, int code)
{
	buf_printf(b, "$ %d\n", code);
}

/* Parse one reply record. */
int
proto_reply_parse(char *line, char *kind, char **text, int *code)
{
	long long	v;
	const char	*err;

	*text = NULL;
	*code = 0;
	if (line[0] == '+' && line[1] == '\0') {
		*kind = '+';
		return 0;
	}
	if (line[0] == '\0' || line[1] != ' ')
		return -1;
	switch (line[0]) {
	case '1':
	case '2':
		*kind = line[0];
		*text = line + 2;
		return proto_unescape(*text);
	case '$':
		*kind = '$';
		if (parse_int(line + 2, 0, 255, &v, &err) == -1)
			return -1;
		*code = (int)v;
		return 0;
	default:
		return -1;
	}
}

/* A framer with an empty buffer. */
void
proto_framer_init(struct proto_framer *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	buf_init(&f->buf);
	f->max = max;
}

/* Release the framer's buffer. */
void
proto_framer_free(struct proto_framer *f)
{
	buf_free(&f->buf);
}

/* The request being read so far (its RS and bytes) becomes garbage. */
static void
proto_framer_discard(struct proto_framer *f)
{
	if (f->started && !f->overlong)
		f->junk += 1 + f->buf.len;
	buf_reset(&f->buf);
}

/* n bytes with neither RS nor LF: more of the request, or garbage. */
static void
proto_framer_take(struct proto_framer *f, const char *data, size_t n)
{
	if (!f->started || f->overlong) {
		f->junk += n;
	} else if (f->buf.len + n > f->max) {
		proto_framer_discard(f);
		f->junk += n;
		f->overlong = true;
	} else {
		buf_add(&f->buf, data, n);
	}
}

/* The LF: hand over the line's garbage, then its request. */
static void
proto_framer_end(struct proto_framer *f, proto_line_fn fn, void *arg)
{
	if (!f->started) {
		fn(NULL, f->junk + 1, "no start byte", arg);
	} else if (f->overlong) {
		fn(NULL, f->junk + 1, "request longer than PIPE_BUF", arg);
	} else {
		if (f->junk > 0)
			fn(NULL, f->junk, "bytes before the start byte", arg);
		fn(f->buf.len > 0 ? f->buf.data : "", f->buf.len, NULL, arg);
	}
	buf_reset(&f->buf);
	f->started = false;
	f->overlong = false;
	f->junk = 0;
}

/* Cut the input at RS and LF; see protocol.h. */
void
proto_framer_feed(struct proto_framer *f, const char *data, size_t n,
    proto_line_fn fn, void *arg)
{
	size_t	i;

	while (n > 0) {
		for (i = 0; i < n && data[i] != '\n' && data[i] != PROTO_START;
		    i++)
			;
		proto_framer_take(f, data, i);
		if (i == n)
			return;
		if (data[i] == PROTO_START) {
			/* what came before is not part of this request */
			proto_framer_discard(f);
			f->started = true;
			f->overlong = false;
		} else {
			proto_framer_end(f, fn, arg);
		}
		data += i + 1;
		n -= i + 1;
	}
}

/* Drop an unterminated tail once the FIFO is empty. */
size_t
proto_framer_drained(struct proto_framer *f)
{
	size_t	dropped;

	proto_framer_discard(f);
	dropped = f->junk;
	f->started = false;
	f->overlong = false;
	f->junk = 0;
	return dropped;
}
