/* fuzz_request: bytes, cut into read()-sized chunks chosen by the input
 * itself, -> the control FIFO's framer (as control.c feeds it, with the
 * EAGAIN discard between two chunks when the first byte says so) -> the
 * request decoder. Asserts: the framer's buffer never exceeds its cap;
 * every complete line is either over-long or at most the cap; a decoded
 * request has a valid reply name and 1..PROTO_MAX_ARGS arguments; an
 * encoded request decodes back to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "util.h"

static size_t	lines;

static void
on_line(const char *line, size_t len, bool overlong, size_t skipped,
    void *arg)
{
	struct proto_request	 rq;
	struct buf		 b;
	const char		*err;
	int			 i;

	(void)arg;
	(void)skipped;
	lines++;
	if (overlong)
		return;
	if (len > PROTO_MAX_REQUEST || strlen(line) > len)
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

		if (b.len == 0 || b.data[b.len - 1] != '\n')
			abort();
		if (proto_request_decode(b.data, b.len - 1, &rq2, &err) == -1)
			abort();
		if (rq2.argc != rq.argc || strcmp(rq2.reply, rq.reply) != 0)
			abort();
		for (i = 0; i < rq.argc; i++)
			if (strcmp(rq2.argv[i], rq.argv[i]) != 0)
				abort();
		proto_request_free(&rq2);
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
	proto_framer_init(&f, PROTO_MAX_REQUEST);
	for (off = 0; off < size; off += chunk) {
		chunk = 1 + (size_t)((mode * 131u + off) % 4096u);
		if (chunk > size - off)
			chunk = size - off;
		proto_framer_feed(&f, (const char *)data + off, chunk, on_line,
		    NULL);
		if (f.buf.len > PROTO_MAX_REQUEST + 1)
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
