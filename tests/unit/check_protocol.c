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
	char			*argv[] = { "signal", "HUP", "we\tird\nname\\" };

	buf_init(&b);
	ck_assert_int_eq(proto_request_encode(&b, "tendctl.12.ab", 3, argv,
	    &err), 0);
	ck_assert(b.data[b.len - 1] == '\n');
	ck_assert_ptr_null(memchr(b.data, '\n', b.len - 1));
	ck_assert_int_eq(proto_request_decode(b.data, b.len - 1, &r, &err), 0);
	ck_assert_str_eq(r.reply, "tendctl.12.ab");
	ck_assert_int_eq(r.argc, 3);
	ck_assert_str_eq(r.argv[0], "signal");
	ck_assert_str_eq(r.argv[1], "HUP");
	ck_assert_str_eq(r.argv[2], "we\tird\nname\\");
	ck_assert_ptr_null(r.argv[3]);
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
	bad("tend1\tr\tst\0tus", 14, "NUL byte in request");
	bad("garbage", 7, "not a tend request");
	bad("tend1\t/abs/path\tstatus", 21, "bad reply name");
	bad("tend1\t../x\tstatus", 16, "bad reply name");
	bad("tend1\t.hidden\tstatus", 20, "bad reply name");
	bad("tend1", 5, "no reply path");
	bad("tend1\tr", 7, "no command");
	bad("tend1\tr\tst\\q", 12, "bad escape in request");
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
	char	lines[8][64];
	int	n;
	int	overlong;
	size_t	skipped;
};

static void
collect(const char *line, size_t len, bool overlong, size_t skipped,
    void *arg)
{
	struct seen	*s = arg;

	if (overlong) {
		s->overlong++;
		s->skipped = skipped;
		return;
	}
	ck_assert_int_lt(s->n, 8);
	ck_assert_int_lt(len, 64);
	memcpy(s->lines[s->n], line, len);
	s->lines[s->n][len] = '\0';
	s->n++;
}

START_TEST(test_framer_chunks)
{
	struct proto_framer	f;
	struct seen		s;
	const char		*in = "one\ntwo\nthree\n";
	size_t			i;

	memset(&s, 0, sizeof(s));
	proto_framer_init(&f, 16);
	/* One byte at a time: the same lines come out. */
	for (i = 0; i < strlen(in); i++)
		proto_framer_feed(&f, in + i, 1, collect, &s);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.lines[0], "one");
	ck_assert_str_eq(s.lines[1], "two");
	ck_assert_str_eq(s.lines[2], "three");
	ck_assert_uint_eq(proto_framer_drained(&f), 0);
	proto_framer_free(&f);
}
END_TEST

START_TEST(test_framer_discard_partial)
{
	struct proto_framer	f;
	struct seen		s;

	/* A client died after "stat": the next request must stand alone. */
	memset(&s, 0, sizeof(s));
	proto_framer_init(&f, 64);
	proto_framer_feed(&f, "stat", 4, collect, &s);
	ck_assert_int_eq(s.n, 0);
	ck_assert_uint_eq(proto_framer_drained(&f), 4);
	proto_framer_feed(&f, "status web\n", 11, collect, &s);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.lines[0], "status web");
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
	proto_framer_feed(&f, big, sizeof(big), collect, &s);
	proto_framer_feed(&f, big, 10, collect, &s);
	proto_framer_feed(&f, "\nok\n", 4, collect, &s);
	ck_assert_int_eq(s.overlong, 1);
	ck_assert_uint_eq(s.skipped, 110);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.lines[0], "ok");
	/* Exactly max is accepted. */
	proto_framer_feed(&f, "0123456789abcdef\n", 17, collect, &s);
	ck_assert_int_eq(s.n, 2);
	/* An over-long tail at EAGAIN is counted as dropped. */
	proto_framer_feed(&f, big, 50, collect, &s);
	ck_assert_uint_eq(proto_framer_drained(&f), 50);
	proto_framer_free(&f);
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
	tcase_add_test(tc, test_framer_discard_partial);
	tcase_add_test(tc, test_framer_overlong);
	tcase_add_test(tc, test_reply_names);
	tcase_add_test(tc, test_reply_data);
	tcase_add_test(tc, test_exit_codes);
	suite_add_tcase(s, tc);
	return check_run(s);
}
