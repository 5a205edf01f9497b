/* check_remote.c: the pure parts of tendctl -H (remote_spec.c): host
 * specs, shell quoting, line prefixing, the status --json merge. */
#include "autoconfig.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "remote_spec.h"
#include "util.h"
#include "check_run.h"

static void
parse_ok(const char *spec, const char *user, const char *host,
    const char *port)
{
	struct remote_host	h;
	char			err[256];

	ck_assert_msg(remote_host_parse(spec, &h, err, sizeof(err)) == 0,
	    "%s: %s", spec, err);
	if (user == NULL)
		ck_assert_ptr_null(h.user);
	else
		ck_assert_str_eq(h.user, user);
	ck_assert_str_eq(h.host, host);
	if (port == NULL)
		ck_assert_ptr_null(h.port);
	else
		ck_assert_str_eq(h.port, port);
	remote_host_free(&h);
}

static void
parse_bad(const char *spec, const char *want)
{
	struct remote_host	h;
	char			err[256];

	ck_assert_int_eq(remote_host_parse(spec, &h, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, want) != NULL, "%s: %s", spec, err);
	ck_assert_msg(strncmp(err, spec, strlen(spec)) == 0, "%s", err);
}

START_TEST(test_host_parse)
{
	parse_ok("web1", NULL, "web1", NULL);
	parse_ok("web1:2222", NULL, "web1", "2222");
	parse_ok("root@web1", "root", "web1", NULL);
	parse_ok("ops@web1.example.com:22", "ops", "web1.example.com", "22");
	parse_ok("127.0.0.1:65535", NULL, "127.0.0.1", "65535");
	parse_ok("::1", NULL, "::1", NULL);
	parse_ok("fe80::1:2", NULL, "fe80::1:2", NULL);
	parse_ok("[::1]", NULL, "::1", NULL);
	parse_ok("[::1]:2200", NULL, "::1", "2200");
	parse_ok("u@[2001:db8::5]:7", "u", "2001:db8::5", "7");
	parse_ok("a@b@host", "a@b", "host", NULL);
}
END_TEST

START_TEST(test_host_parse_bad)
{
	parse_bad("", "empty host");
	parse_bad("@host", "empty user");
	parse_bad("host:", "port must be");
	parse_bad("host:0", "port must be");
	parse_bad("host:65536", "port must be");
	parse_bad("host:22x", "port must be");
	parse_bad(":22", "empty host");
	parse_bad("[::1", "no ']'");
	parse_bad("[]:22", "empty host");
	parse_bad("[::1]22", "expected [address]:port");
	parse_bad("[::1]:", "expected [address]:port");
	parse_bad("-oProxyCommand=x", "cannot start with '-'");
}
END_TEST

START_TEST(test_quote)
{
	struct buf	b;
	char		*cmd;
	char		*args[] = { "status", "--json", "a b", "it's", "",
	    "$HOME", "g:*", "x;rm" };

	buf_init(&b);
	remote_quote(&b, "plain-name_1.2/x:y");
	ck_assert_str_eq(b.data, "plain-name_1.2/x:y");
	buf_reset(&b);
	remote_quote(&b, "it's");
	ck_assert_str_eq(b.data, "'it'\\''s'");
	buf_free(&b);
	cmd = remote_command("/opt/bin/tendctl -c /etc/t.ini", 8, args);
	ck_assert_str_eq(cmd, "/opt/bin/tendctl -c /etc/t.ini status --json "
	    "'a b' 'it'\\''s' '' '$HOME' 'g:*' 'x;rm'");
	free(cmd);
	cmd = remote_command("tendctl", 0, NULL);
	ck_assert_str_eq(cmd, "tendctl");
	free(cmd);
}
END_TEST

START_TEST(test_lines)
{
	struct remote_lines	l;
	struct buf		out;

	buf_init(&out);
	remote_lines_init(&l);
	remote_lines_feed(&l, "h1", "one\ntw", 6, &out);
	ck_assert_str_eq(out.data, "h1: one\n");
	remote_lines_feed(&l, "h1", "o", 1, &out);
	ck_assert_str_eq(out.data, "h1: one\n");
	remote_lines_feed(&l, "h1", "\n\nthree", 7, &out);
	ck_assert_str_eq(out.data, "h1: one\nh1: two\nh1: \n");
	remote_lines_flush(&l, "h1", &out);
	ck_assert_str_eq(out.data, "h1: one\nh1: two\nh1: \nh1: three\n");
	buf_reset(&out);
	remote_lines_flush(&l, "h1", &out);	/* nothing pending */
	ck_assert_uint_eq(out.len, 0);
	remote_lines_free(&l);
	buf_free(&out);
}
END_TEST

START_TEST(test_json_merge)
{
	struct buf	out;
	bool		first = true;
	const char	*a = "[{\"name\":\"x\",\"s\":\"a}]\\\"{\"},\n {\"n\":[1,{}]}]\n";
	const char	*b = " [ {} ] ";

	buf_init(&out);
	buf_addc(&out, '[');
	ck_assert_int_eq(remote_json_add(&out, "[]\n", 3, "e", &first), 0);
	ck_assert(first);
	ck_assert_int_eq(remote_json_add(&out, a, strlen(a), "h\"1", &first),
	    0);
	ck_assert(!first);
	ck_assert_int_eq(remote_json_add(&out, b, strlen(b), "h2", &first), 0);
	buf_addc(&out, ']');
	ck_assert_str_eq(out.data, "[{\"host\":\"h\\\"1\",\"name\":\"x\","
	    "\"s\":\"a}]\\\"{\"},{\"host\":\"h\\\"1\",\"n\":[1,{}]},"
	    "{\"host\":\"h2\"}]");
	buf_free(&out);
}
END_TEST

START_TEST(test_json_bad)
{
	static const char *bad[] = { "", "{}", "[1]", "[{}", "[{},]",
	    "[{\"a\":\"}]", "[{}] x", "[{}{}]", "cannot reach" };
	struct buf	out;
	bool		first = true;
	size_t		i;

	buf_init(&out);
	buf_addstr(&out, "[");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(remote_json_add(&out, bad[i], strlen(bad[i]),
		    "h", &first) == -1, "accepted %s", bad[i]);
		ck_assert_str_eq(out.data, "[");
		ck_assert(first);
	}
	buf_free(&out);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("remote");
	TCase	*tc = tcase_create("spec");

	tcase_add_test(tc, test_host_parse);
	tcase_add_test(tc, test_host_parse_bad);
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_json_merge);
	tcase_add_test(tc, test_json_bad);
	suite_add_tcase(s, tc);
	return check_run(s);
}
