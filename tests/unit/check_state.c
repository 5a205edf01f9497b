/* check_state.c: the state file's format and its strict parser. */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "util.h"
#include "check_run.h"

START_TEST(test_roundtrip)
{
	struct state	 s = { NULL, 0 }, t;
	struct buf	 b;
	const char	*err;
	size_t		 line;

	state_add(&s, 123, 123, 98765, "web");
	state_add(&s, 4567, 4567, 1, "worker:worker_00");
	buf_init(&b);
	state_format(&s, &b);
	ck_assert_str_eq(b.data, "tend-state 1\n123 123 98765 web\n"
	    "4567 4567 1 worker:worker_00\n");
	ck_assert_int_eq(state_parse(b.data, b.len, &t, &err, &line), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_int_eq(t.v[1].pid, 4567);
	ck_assert(t.v[0].starttime == 98765);
	ck_assert_str_eq(t.v[1].name, "worker:worker_00");
	state_free(&t);
	state_free(&s);
	buf_free(&b);
}
END_TEST

static void
bad(const char *text, const char *why, size_t at)
{
	struct state	 s;
	const char	*err = NULL;
	size_t		 line;

	ck_assert_int_eq(state_parse(text, strlen(text), &s, &err, &line), -1);
	ck_assert_str_eq(err, why);
	ck_assert_uint_eq(line, at);
	ck_assert_ptr_null(s.v);
}

START_TEST(test_strict)
{
	char	long_line[1024];

	bad("", "empty file", 0);
	bad("garbage\n", "not a tend state file", 1);
	bad("tend-state 1\n12 12 5 web", "last line not terminated", 2);
	bad("tend-state 1\n1 1 5 web\n", "malformed entry", 2);
	bad("tend-state 1\n12 12 0 web\n", "malformed entry", 2);
	bad("tend-state 1\n12 x 5 web\n", "malformed entry", 2);
	bad("tend-state 1\n12 12 5 \n", "entry without a name", 2);
	bad("tend-state 1\n12 12 5 we b\n", "bad character in name", 2);
	bad("tend-state 1\n99999999999 12 5 web\n", "malformed entry", 2);
	memset(long_line, 'a', sizeof(long_line));
	memcpy(long_line, "tend-state 1\n1", 14);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	bad(long_line, "line too long", 2);
}
END_TEST

START_TEST(test_stat_field)
{
	/* comm may hold spaces and parentheses. */
	const char	*stat = "42 (we ird) x) S 1 42 42 0 -1 4194560 100 0 0 0 "
	    "0 0 0 0 20 0 1 0 123456 1000 10 18446744073709551615\n";

	ck_assert(state_stat_starttime(stat) == 123456);
	ck_assert(state_stat_starttime("garbage") == 0);
	ck_assert(state_stat_starttime("1 (x) S 1 2") == 0);
	ck_assert(state_proc_starttime(getpid()) != 0);
	ck_assert(state_proc_starttime(0x7ffffff0) == 0);
}
END_TEST

START_TEST(test_write_read)
{
	struct state	 s = { NULL, 0 }, t;
	char		 dir[] = "/tmp/check_state.XXXXXX", *path, err[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/state", dir);
	ck_assert_int_eq(state_read(path, &t, err, sizeof(err)), 1);
	state_add(&s, 77, 77, 5, "a");
	ck_assert_int_eq(state_write(path, &s), 0);
	ck_assert_int_eq(state_read(path, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(t.v[0].name, "a");
	state_free(&t);
	ck_assert_int_eq(access(path, R_OK), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(path);
	state_free(&s);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("state");
	TCase	*tc = tcase_create("file");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_strict);
	tcase_add_test(tc, test_stat_field);
	tcase_add_test(tc, test_write_read);
	suite_add_tcase(s, tc);
	return check_run(s);
}
