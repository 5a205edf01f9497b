/* fuzz_request: bytes, cut into read()-sized chunks chosen by the input
 * itself, -> the control FIFO's framer (as control.c feeds it, with the
 * EAGAIN discard between two chunks when the first byte says so) -> the
 * request decoder. Asserts: the framer's buffer never exceeds its cap;
 * every request it hands over is at most the cap and holds no RS or LF;
 * garbage is reported with a reason and a byte count; a decoded request
 * has a valid reply name and 1..PROTO_MAX_ARGS arguments; an encoded
 * request is RS ... LF with no other RS or LF, and decodes back to the
 * same fields, also when the input's own bytes are glued before and
 * after it (garbage from another writer cannot change it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "util.h"

#define MAX	(PROTO_MAX_REQUEST - 2)	/* as control.c: without RS, LF */
#define GLUE_MAX	1024	/* garbage bytes glued on each side */

static size_t		 lines;
static const uint8_t	*input;		/* the whole input, for glue */
static size_t		 inputlen;

struct expect {
	const struct proto_request	*rq;
	int				 seen;
};

/* The glued request came out whole, and only once. */
static void
on_glued(const char *line, size_t len, const char *junk, void *arg)
{
	struct expect		*e = arg;
	struct proto_request	 rq;
	const char		*err;
	int			 i;

	if (junk != NULL)
		return;
	if (proto_request_decode(line, len, &rq, &err) == -1)
		return;
	if (rq.argc == e->rq->argc && strcmp(rq.reply, e->rq->reply) == 0) {
		for (i = 0; i < rq.argc; i++)
			if (strcmp(rq.argv[i], e->rq->argv[i]) != 0)
				break;
		if (i == rq.argc)
			e->seen++;
	}
	proto_request_free(&rq);
}

/* Garbage (the input, without LF so that it is one writer's unfinished
 * bytes) before and after an encoded request: the request survives. */
static void
glue(const struct proto_request *rq, const struct buf *enc)
{
	struct proto_framer	f;
	struct expect		e = { rq, 0 };
	struct buf		in;
	size_t			i, cut = inputlen / 2, end;

	if (cut > GLUE_MAX)	/* keeps a run linear in the input */
		cut = GLUE_MAX;
	end = inputlen - cut > GLUE_MAX ? cut + GLUE_MAX : inputlen;
	buf_init(&in);
	for (i = 0; i < cut; i++)
		if (input[i] != '\n')
			buf_addc(&in, (char)input[i]);
	buf_add(&in, enc->data, enc->len);
	for (; i < end; i++)
		buf_addc(&in, (char)input[i]);
	proto_framer_init(&f, MAX);
	proto_framer_feed(&f, in.data, in.len, on_glued, &e);
	(void)proto_framer_drained(&f);
	proto_framer_free(&f);
	buf_free(&in);
	if (e.seen < 1)
		abort();
}

static void
on_line(const char *line, size_t len, const char *junk, void *arg)
{
	struct proto_request	 rq;
	struct buf		 b;
	const char		*err;
	int			 i;

	(void)arg;
	lines++;
	if (junk != NULL) {
		if (line != NULL || len == 0 || *junk == '\0')
			abort();
		return;
	}
	if (len > MAX || strlen(line) > len ||
	    memchr(line, PROTO_START, len) != NULL ||
	    memchr(line, '\n', len) != NULL)
		abort();
	if (proto_request_decode(line, len, &rq, &err) == -1)
		return;
	if (!proto_reply_name_ok(rq.reply) || rq.argc < 1 ||
	    rq.argc > PROTO_MAX_ARGS || rq.argv[rq.argc] != NULL)
		abort();
	/* Round trip. */
	buf_init(&b);
	if (proto_request_encode(&b, rq.reply, rq.argc, rq.argv, &err) == 0) {
		struct proto_request	rq2;

		if (b.len < 2 || b.len > PROTO_MAX_REQUEST ||
		    b.data[0] != PROTO_START || b.data[b.len - 1] != '\n' ||
		    memchr(b.data + 1, PROTO_START, b.len - 1) != NULL ||
		    memchr(b.data, '\n', b.len - 1) != NULL)
			abort();
		if (proto_request_decode(b.data + 1, b.len - 2, &rq2,
		    &err) == -1)
			abort();
		if (rq2.argc != rq.argc || strcmp(rq2.reply, rq.reply) != 0)
			abort();
		for (i = 0; i < rq.argc; i++)
			if (strcmp(rq2.argv[i], rq.argv[i]) != 0)
				abort();
		proto_request_free(&rq2);
		glue(&rq, &b);
	}
	buf_free(&b);
	proto_request_free(&rq);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_framer	f;
	size_t			off, chunk;
	uint8_t			mode;

	if (size < 1 || size > 1 << 16)
		return 0;
	mode = data[0];
	data++;
	size--;
	input = data;
	inputlen = size;
	proto_framer_init(&f, MAX);
	for (off = 0; off < size; off += chunk) {
		chunk = 1 + (size_t)((mode * 131u + off) % 4096u);
		if (chunk > size - off)
			chunk = size - off;
		proto_framer_feed(&f, (const char *)data + off, chunk, on_line,
		    NULL);
		if (f.buf.len > MAX)
			abort();
		if ((mode & 1) && ((off / chunk) & 3) == 0)
			(void)proto_framer_drained(&f);
	}
	(void)proto_framer_drained(&f);
	if (f.buf.len != 0)
		abort();
	proto_framer_free(&f);
	return 0;
}
