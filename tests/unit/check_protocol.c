/* check_protocol.c: request/reply framing and escaping. */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "util.h"
#include "check_run.h"

START_TEST(test_escape_roundtrip)
{
	struct buf	b;
	char		*s;

	buf_init(&b);
	proto_escape(&b, "a\tb\nc\\d");
	ck_assert_str_eq(b.data, "a\\tb\\nc\\\\d");
	s = xstrdup(b.data);
	ck_assert_int_eq(proto_unescape(s), 0);
	ck_assert_str_eq(s, "a\tb\nc\\d");
	free(s);
	/* The start byte never appears in an encoded field. */
	buf_reset(&b);
	proto_escape(&b, "a\036b");
	ck_assert_str_eq(b.data, "a\\sb");
	s = xstrdup(b.data);
	ck_assert_int_eq(proto_unescape(s), 0);
	ck_assert_str_eq(s, "a\036b");
	free(s);
	s = xstrdup("bad\\x");
	ck_assert_int_eq(proto_unescape(s), -1);
	free(s);
	s = xstrdup("trailing\\");
	ck_assert_int_eq(proto_unescape(s), -1);
	free(s);
	buf_free(&b);
}
END_TEST

START_TEST(test_request_roundtrip)
{
	struct buf		 b;
	struct proto_request	 r;
	const char		*err;
	char			*argv[] = { "signal", "HUP", "we\tird\nname\\",
				    "rs\036" };

	buf_init(&b);
	ck_assert_int_eq(proto_request_encode(&b, "tendctl.12.ab", 4, argv,
	    &err), 0);
	/* RS tend2 TAB ... LF, with no other RS and no other LF */
	ck_assert(b.data[0] == PROTO_START);
	ck_assert(strncmp(b.data + 1, "tend2\t", 6) == 0);
	ck_assert(b.data[b.len - 1] == '\n');
	ck_assert_ptr_null(memchr(b.data, '\n', b.len - 1));
	ck_assert_ptr_null(memchr(b.data + 1, PROTO_START, b.len - 1));
	ck_assert_int_eq(proto_request_decode(b.data + 1, b.len - 2, &r, &err),
	    0);
	ck_assert_str_eq(r.reply, "tendctl.12.ab");
	ck_assert_int_eq(r.argc, 4);
	ck_assert_str_eq(r.argv[0], "signal");
	ck_assert_str_eq(r.argv[1], "HUP");
	ck_assert_str_eq(r.argv[2], "we\tird\nname\\");
	ck_assert_str_eq(r.argv[3], "rs\036");
	ck_assert_ptr_null(r.argv[4]);
	proto_request_free(&r);
	buf_free(&b);
}
END_TEST

START_TEST(test_request_limits)
{
	struct buf	 b;
	const char	*err;
	char		*big = malloc(5000), *argv[2];

	memset(big, 'a', 4999);
	big[4999] = '\0';
	argv[0] = "status";
	argv[1] = big;
	buf_init(&b);
	ck_assert_int_eq(proto_request_encode(&b, "/r", 2, argv, &err), -1);
	ck_assert_str_eq(err, "request too long");
	/* PIPE_BUF exactly, RS and LF included: 1 + "tend2\tr\tstatus\t"
	 * (15) + arg + 1 */
	big[PROTO_MAX_REQUEST - 17] = '\0';
	ck_assert_int_eq(proto_request_encode(&b, "r", 2, argv, &err), 0);
	ck_assert_uint_eq(b.len, PROTO_MAX_REQUEST);
	big[PROTO_MAX_REQUEST - 17] = 'a';
	big[PROTO_MAX_REQUEST - 16] = '\0';
	ck_assert_int_eq(proto_request_encode(&b, "r", 2, argv, &err), -1);
	ck_assert_int_eq(proto_request_encode(&b, "/r", 0, argv, &err), -1);
	ck_assert_str_eq(err, "no command");
	ck_assert_int_eq(proto_request_encode(&b, "/r", PROTO_MAX_ARGS + 1,
	    argv, &err), -1);
	ck_assert_str_eq(err, "too many arguments");
	free(big);
	buf_free(&b);
}
END_TEST

/* Decoding errors, each with its reason. */
static void
bad(const char *line, size_t len, const char *why)
{
	struct proto_request	r;
	const char		*err = NULL;

	ck_assert_int_eq(proto_request_decode(line, len, &r, &err), -1);
	ck_assert_str_eq(err, why);
}

START_TEST(test_request_bad)
{
	bad("", 0, "empty request");
	bad("tend2\tr\tst\0tus", 14, "NUL byte in request");
	bad("tend2\tr\tst\036tus", 14, "start byte inside a request");
	bad("garbage", 7, "not a tend request");
	bad("tend1\tr\tstatus", 14, "not a tend request");
	bad("tend2\t/abs/path\tstatus", 21, "bad reply name");
	bad("tend2\t../x\tstatus", 16, "bad reply name");
	bad("tend2\t.hidden\tstatus", 20, "bad reply name");
	bad("tend2", 5, "no reply path");
	bad("tend2\tr", 7, "no command");
	bad("tend2\tr\tst\\q", 12, "bad escape in request");
}
END_TEST

START_TEST(test_reply_records)
{
	struct buf	 b;
	char		 kind, *text, *line, *nl;
	int		 code;

	buf_init(&b);
	proto_reply_ack(&b);
	proto_reply_line(&b, 1, "web: started");
	proto_reply_line(&b, 2, "multi\nline");
	proto_reply_exit(&b, 7);
	ck_assert_str_eq(b.data,
	    "+\n1 web: started\n2 multi\\nline\n$ 7\n");
	line = b.data;
	nl = strchr(line, '\n');
	*nl = '\0';
	ck_assert_int_eq(proto_reply_parse(line, &kind, &text, &code), 0);
	ck_assert(kind == '+');
	line = nl + 1;
	nl = strchr(line, '\n');
	*nl = '\0';
	ck_assert_int_eq(proto_reply_parse(line, &kind, &text, &code), 0);
	ck_assert(kind == '1');
	ck_assert_str_eq(text, "web: started");
	line = nl + 1;
	nl = strchr(line, '\n');
	*nl = '\0';
	ck_assert_int_eq(proto_reply_parse(line, &kind, &text, &code), 0);
	ck_assert(kind == '2');
	ck_assert_str_eq(text, "multi\nline");
	line = nl + 1;
	nl = strchr(line, '\n');
	*nl = '\0';
	ck_assert_int_eq(proto_reply_parse(line, &kind, &text, &code), 0);
	ck_assert(kind == '$');
	ck_assert_int_eq(code, 7);
	buf_free(&b);
}
END_TEST

START_TEST(test_reply_bad)
{
	char	 kind, *text, l1[] = "", l2[] = "x hello", l3[] = "$ 999";
	char	 l4[] = "1hello", l5[] = "$ nope";
	int	 code;

	ck_assert_int_eq(proto_reply_parse(l1, &kind, &text, &code), -1);
	ck_assert_int_eq(proto_reply_parse(l2, &kind, &text, &code), -1);
	ck_assert_int_eq(proto_reply_parse(l3, &kind, &text, &code), -1);
	ck_assert_int_eq(proto_reply_parse(l4, &kind, &text, &code), -1);
	ck_assert_int_eq(proto_reply_parse(l5, &kind, &text, &code), -1);
}
END_TEST

struct seen {
	char		 lines[8][64];
	int		 n;
	int		 junk;		/* bad inputs */
	size_t		 junkbytes;
	const char	*why;		/* the last one's reason */
	char		 order[32];	/* 'r' request, 'j' junk, in order */
};

static void
collect(const char *line, size_t len, const char *junk, void *arg)
{
	struct seen	*s = arg;
	size_t		 o = strlen(s->order);

	ck_assert_uint_lt(o, sizeof(s->order) - 1);
	if (junk != NULL) {
		ck_assert_ptr_null(line);
		ck_assert_uint_gt(len, 0);
		s->junk++;
		s->junkbytes += len;
		s->why = junk;
		s->order[o] = 'j';
		return;
	}
	s->order[o] = 'r';
	ck_assert_int_lt(s->n, 8);
	ck_assert_uint_lt(len, 64);
	ck_assert_uint_eq(strlen(line), len);
	memcpy(s->lines[s->n], line, len);
	s->lines[s->n][len] = '\0';
	s->n++;
}

/* Feed a string whole and, into a second framer, one byte at a time: both
 * must see the same. */
static void
feed2(struct proto_framer *f, struct proto_framer *g, struct seen *s,
    struct seen *t, const char *in)
{
	size_t	i, n = strlen(in);

	proto_framer_feed(f, in, n, collect, s);
	for (i = 0; i < n; i++)
		proto_framer_feed(g, in + i, 1, collect, t);
}

static void
same(const struct seen *s, const struct seen *t)
{
	int	i;

	ck_assert_int_eq(s->n, t->n);
	for (i = 0; i < s->n; i++)
		ck_assert_str_eq(s->lines[i], t->lines[i]);
	ck_assert_int_eq(s->junk, t->junk);
	ck_assert_uint_eq(s->junkbytes, t->junkbytes);
	ck_assert_str_eq(s->order, t->order);
}

START_TEST(test_framer_chunks)
{
	struct proto_framer	f, g;
	struct seen		s, t;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	proto_framer_init(&f, 16);
	proto_framer_init(&g, 16);
	feed2(&f, &g, &s, &t, "\036one\n\036two\n\036three\n");
	same(&s, &t);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.lines[0], "one");
	ck_assert_str_eq(s.lines[1], "two");
	ck_assert_str_eq(s.lines[2], "three");
	ck_assert_int_eq(s.junk, 0);
	ck_assert_uint_eq(proto_framer_drained(&f), 0);
	ck_assert_uint_eq(proto_framer_drained(&g), 0);
	proto_framer_free(&f);
	proto_framer_free(&g);
}
END_TEST

/* Garbage before a request, as a dripping writer glues it on: thrown
 * away as one bad input, the request intact. */
START_TEST(test_framer_garbage_before)
{
	struct proto_framer	f, g;
	struct seen		s, t;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	proto_framer_init(&f, 16);
	proto_framer_init(&g, 16);
	feed2(&f, &g, &s, &t, "xyz\036pid\n");
	same(&s, &t);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.lines[0], "pid");
	ck_assert_int_eq(s.junk, 1);
	ck_assert_uint_eq(s.junkbytes, 3);
	ck_assert_str_eq(s.why, "bytes before the start byte");
	ck_assert_str_eq(s.order, "jr");
	proto_framer_free(&f);
	proto_framer_free(&g);
}
END_TEST

/* Garbage that holds start bytes itself (a forged, unfinished request):
 * only what follows the last RS counts; all the rest is one bad input. */
START_TEST(test_framer_garbage_with_start)
{
	struct proto_framer	f, g;
	struct seen		s, t;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	proto_framer_init(&f, 16);
	proto_framer_init(&g, 16);
	feed2(&f, &g, &s, &t, "\036\036tend2\tx\036ab\036status\n");
	same(&s, &t);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.lines[0], "status");
	ck_assert_int_eq(s.junk, 1);
	ck_assert_uint_eq(s.junkbytes, 12);	/* RS RS tend2 TAB x RS ab */
	proto_framer_free(&f);
	proto_framer_free(&g);
}
END_TEST

/* Garbage between and after requests, LFs inside it: each request intact,
 * each garbage line one bad input. */
START_TEST(test_framer_garbage_between_after)
{
	struct proto_framer	f, g;
	struct seen		s, t;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	proto_framer_init(&f, 16);
	proto_framer_init(&g, 16);
	feed2(&f, &g, &s, &t, "\036one\n" "ju\nnk\n" "\n" "k\036two\n"
	    "tail");
	same(&s, &t);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.lines[0], "one");
	ck_assert_str_eq(s.lines[1], "two");
	/* "ju\n", "nk\n", "\n": no start byte; "k": before one */
	ck_assert_str_eq(s.order, "rjjjjr");
	ck_assert_uint_eq(s.junkbytes, 3 + 3 + 1 + 1);
	/* The unterminated "tail" goes when the FIFO runs dry. */
	ck_assert_uint_eq(proto_framer_drained(&f), 4);
	ck_assert_uint_eq(proto_framer_drained(&g), 4);
	/* and an unterminated forged start, too */
	feed2(&f, &g, &s, &t, "\036sta");
	ck_assert_uint_eq(proto_framer_drained(&f), 4);
	ck_assert_uint_eq(proto_framer_drained(&g), 4);
	feed2(&f, &g, &s, &t, "\036pid\n");
	same(&s, &t);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.lines[2], "pid");
	proto_framer_free(&f);
	proto_framer_free(&g);
}
END_TEST

START_TEST(test_framer_discard_partial)
{
	struct proto_framer	f;
	struct seen		s;

	/* A client died after "stat": the next request must stand alone. */
	memset(&s, 0, sizeof(s));
	proto_framer_init(&f, 64);
	proto_framer_feed(&f, "\036stat", 5, collect, &s);
	ck_assert_int_eq(s.n, 0);
	ck_assert_uint_eq(proto_framer_drained(&f), 5);
	proto_framer_feed(&f, "\036status web\n", 12, collect, &s);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.lines[0], "status web");
	ck_assert_int_eq(s.junk, 0);
	proto_framer_free(&f);
}
END_TEST

START_TEST(test_framer_overlong)
{
	struct proto_framer	f;
	struct seen		s;
	char			big[100];

	memset(&s, 0, sizeof(s));
	memset(big, 'x', sizeof(big));
	proto_framer_init(&f, 16);
	/* A line without RS is garbage however long, and is not stored. */
	proto_framer_feed(&f, big, sizeof(big), collect, &s);
	ck_assert_uint_eq(f.buf.len, 0);
	proto_framer_feed(&f, "\n", 1, collect, &s);
	ck_assert_int_eq(s.junk, 1);
	ck_assert_uint_eq(s.junkbytes, 101);
	ck_assert_str_eq(s.why, "no start byte");
	/* An RS then more than max: one bad input, up to the LF. */
	proto_framer_feed(&f, "\036", 1, collect, &s);
	proto_framer_feed(&f, big, sizeof(big), collect, &s);
	ck_assert_uint_le(f.buf.len, 16);
	proto_framer_feed(&f, big, 10, collect, &s);
	proto_framer_feed(&f, "\n\036ok\n", 5, collect, &s);
	ck_assert_int_eq(s.junk, 2);
	ck_assert_uint_eq(s.junkbytes, 101 + 112);
	ck_assert_str_eq(s.why, "request longer than PIPE_BUF");
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.lines[0], "ok");
	/* An over-long one, then a good one in the same line: the good one
	 * is what follows the last RS. */
	proto_framer_feed(&f, "\036", 1, collect, &s);
	proto_framer_feed(&f, big, sizeof(big), collect, &s);
	proto_framer_feed(&f, "\036ok2\n", 5, collect, &s);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.lines[1], "ok2");
	ck_assert_int_eq(s.junk, 3);
	ck_assert_uint_eq(s.junkbytes, 101 + 112 + 101);
	/* Exactly max is accepted. */
	proto_framer_feed(&f, "\0360123456789abcdef\n", 18, collect, &s);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.lines[2], "0123456789abcdef");
	/* An over-long tail at EAGAIN is counted as dropped. */
	proto_framer_feed(&f, "\036", 1, collect, &s);
	proto_framer_feed(&f, big, 50, collect, &s);
	ck_assert_uint_eq(proto_framer_drained(&f), 51);
	proto_framer_feed(&f, big, 50, collect, &s);
	ck_assert_uint_eq(proto_framer_drained(&f), 50);
	ck_assert_int_eq(s.junk, 3);
	proto_framer_free(&f);
}
END_TEST

/* What tendctl encodes, glued behind and before any garbage, decodes to
 * the same request. */
START_TEST(test_framer_encoded)
{
	static const char	*junk[] = { "", "x", "\036", "\036tend2\tr",
				    "a\nb", "\n\036\n", "\\", "\t\t" };
	struct proto_framer	 f;
	struct proto_request	 r;
	struct seen		 s;
	struct buf		 b, in;
	const char		*err;
	char			*argv[] = { "start", "web\036x" };
	size_t			 i, j;
	int			 k, good;

	buf_init(&b);
	buf_init(&in);
	ck_assert_int_eq(proto_request_encode(&b, "rep", 2, argv, &err), 0);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		for (j = 0; j < sizeof(junk) / sizeof(junk[0]); j++) {
			memset(&s, 0, sizeof(s));
			proto_framer_init(&f, PROTO_MAX_REQUEST - 2);
			buf_reset(&in);
			buf_addstr(&in, junk[i]);
			buf_add(&in, b.data, b.len);
			buf_addstr(&in, junk[j]);
			proto_framer_feed(&f, in.data, in.len, collect, &s);
			/* the garbage may hold an (empty) request of its
			 * own: exactly one line decodes, to ours */
			for (k = 0, good = 0; k < s.n; k++) {
				if (proto_request_decode(s.lines[k],
				    strlen(s.lines[k]), &r, &err) == -1)
					continue;
				good++;
				ck_assert_str_eq(r.reply, "rep");
				ck_assert_int_eq(r.argc, 2);
				ck_assert_str_eq(r.argv[1], "web\036x");
				proto_request_free(&r);
			}
			ck_assert_int_eq(good, 1);
			(void)proto_framer_drained(&f);
			proto_framer_free(&f);
		}
	}
	buf_free(&b);
	buf_free(&in);
}
END_TEST

START_TEST(test_reply_names)
{
	char	*d;

	ck_assert(proto_reply_name_ok("tendctl.123.0a1b"));
	ck_assert(!proto_reply_name_ok(""));
	ck_assert(!proto_reply_name_ok(".."));
	ck_assert(!proto_reply_name_ok("a/b"));
	ck_assert(!proto_reply_name_ok("a b"));
	ck_assert(!proto_reply_name_ok(
	    "0123456789012345678901234567890123456789012345678901234567890123x"));
	d = proto_reply_dir("/run/tend/control");
	ck_assert_str_eq(d, "/run/tend/reply");
	free(d);
	d = proto_reply_dir("/control");
	ck_assert_str_eq(d, "/reply");
	free(d);
}
END_TEST

/* Raw tail bytes survive the "d" record, NUL and newlines included. */
START_TEST(test_reply_data)
{
	static const char	raw[] = "a\\b\tc\nd\0e\n";
	struct buf		b;
	char			*data, *nl, bad[] = "d x\\q", notd[] = "1 x";
	size_t			len;

	buf_init(&b);
	proto_reply_data(&b, raw, sizeof(raw) - 1);
	nl = memchr(b.data, '\n', b.len);
	ck_assert_ptr_nonnull(nl);
	ck_assert_uint_eq((size_t)(nl - b.data), b.len - 1);
	*nl = '\0';
	ck_assert_int_eq(proto_reply_data_parse(b.data, &data, &len), 0);
	ck_assert_uint_eq(len, sizeof(raw) - 1);
	ck_assert(memcmp(data, raw, len) == 0);
	ck_assert_int_eq(proto_reply_data_parse(bad, &data, &len), -1);
	ck_assert_int_eq(proto_reply_data_parse(notd, &data, &len), -1);
	buf_free(&b);
}
END_TEST

START_TEST(test_exit_codes)
{
	ck_assert_int_eq(TEND_EXIT_INVALID_ARGS, 2);
	ck_assert_int_eq(TEND_EXIT_NOT_RUNNING, 7);
	ck_assert_int_eq(TEND_EXIT_STATUS_NOT_RUNNING, 3);
	ck_assert_int_eq(TEND_EXIT_STATUS_UNKNOWN, 4);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("protocol");
	TCase	*tc = tcase_create("framing");

	tcase_add_test(tc, test_escape_roundtrip);
	tcase_add_test(tc, test_request_roundtrip);
	tcase_add_test(tc, test_request_limits);
	tcase_add_test(tc, test_request_bad);
	tcase_add_test(tc, test_reply_records);
	tcase_add_test(tc, test_reply_bad);
	tcase_add_test(tc, test_framer_chunks);
	tcase_add_test(tc, test_framer_garbage_before);
	tcase_add_test(tc, test_framer_garbage_with_start);
	tcase_add_test(tc, test_framer_garbage_between_after);
	tcase_add_test(tc, test_framer_discard_partial);
	tcase_add_test(tc, test_framer_overlong);
	tcase_add_test(tc, test_framer_encoded);
	tcase_add_test(tc, test_reply_names);
	tcase_add_test(tc, test_reply_data);
	tcase_add_test(tc, test_exit_codes);
	suite_add_tcase(s, tc);
	return check_run(s);
}
