/* check_top.c: topview.c, the pure part of `tendctl top`: status --json
 * read, /proc stat lines read, process trees summed, rows sorted, the
 * frame formatted. */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "topview.h"
#include "util.h"
#include "check_run.h"

static const char status_json[] =
	"[\n"
	"{\"name\":\"web\",\"group\":\"web\",\"process\":\"web\","
	"\"state\":\"RUNNING\",\"pid\":120,\"uptime\":3725,\"exitstatus\":0,"
	"\"start\":1700000000,\"restarts\":2,\"description\":"
	"\"pid 120, \\\"name\\\":x,\\\"pid\\\":9\",\"healthy\":true,"
	"\"health_failures\":0},\n"
	"{\"name\":\"g:a\\u0009b\",\"group\":\"g\",\"process\":\"a\","
	"\"state\":\"STOPPED\",\"pid\":0,\"uptime\":0,\"exitstatus\":0,"
	"\"start\":0,\"restarts\":0,\"description\":\"Not started\","
	"\"healthy\":null,\"health_failures\":0},\n"
	"{\"name\":\"db\",\"group\":\"db\",\"process\":\"db\","
	"\"state\":\"RUNNING\",\"pid\":130,\"uptime\":5,\"exitstatus\":0,"
	"\"start\":1700000000,\"restarts\":0,\"description\":\"\","
	"\"healthy\":false,\"health_failures\":3}\n"
	"]\n";

START_TEST(test_parse_status)
{
	struct top_row	*rows;
	long		 n = top_parse_status(status_json, &rows);

	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(rows[0].name, "web");
	ck_assert_str_eq(rows[0].state, "RUNNING");
	/* the description's escaped "pid": is not the key */
	ck_assert_int_eq(rows[0].pid, 120);
	ck_assert_int_eq(rows[0].uptime, 3725);
	ck_assert_uint_eq(rows[0].restarts, 2);
	ck_assert_int_eq(rows[0].healthy, 1);
	ck_assert(rows[0].cpu < 0);
	ck_assert_str_eq(rows[1].name, "g:a\tb");
	ck_assert_int_eq(rows[1].pid, 0);
	ck_assert_int_eq(rows[1].healthy, -1);
	ck_assert_int_eq(rows[2].healthy, 0);
	top_rows_free(rows, (size_t)n);

	ck_assert_int_eq(top_parse_status("[\n]\n", &rows), 0);
	top_rows_free(rows, 0);
	ck_assert_int_eq(top_parse_status("", &rows), 0);
	top_rows_free(rows, 0);
}
END_TEST

START_TEST(test_parse_status_bad)
{
	struct top_row	*rows;

	ck_assert_int_eq(top_parse_status("web RUNNING pid 1\n", &rows), -1);
	ck_assert_ptr_null(rows);
	ck_assert_int_eq(top_parse_status("[\n{\"name\":\"x\"}\n]\n",
	    &rows), -1);
	/* no pid */
	ck_assert_int_eq(top_parse_status("[\n{\"name\":\"x\",\"state\":\"R\","
	    "\"uptime\":0,\"restarts\":0}\n]\n", &rows), -1);
	/* an unterminated string */
	ck_assert_int_eq(top_parse_status("[\n{\"name\":\"x\n]\n", &rows), -1);
}
END_TEST

START_TEST(test_parse_stat)
{
	struct top_stat	st;

	/* a command with ") " in it: the fields follow the last ')' */
	ck_assert(top_parse_stat("4242 (a) b) R 17 4242 4242 0 -1 4194304 "
	    "100 0 0 0 250 50 0 0 20 0 1 0 12345 1000000 321 "
	    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0\n", &st));
	ck_assert_int_eq(st.pid, 4242);
	ck_assert_int_eq(st.ppid, 17);
	ck_assert_uint_eq(st.ticks, 300);
	ck_assert_uint_eq(st.rss, 321);
	ck_assert(!top_parse_stat("4242 (a R 1 2", &st));
	ck_assert(!top_parse_stat("", &st));
	ck_assert(!top_parse_stat("7 (x) R 1 2 3", &st));
}
END_TEST

START_TEST(test_tree_sum)
{
	/* 10 -> 11 -> 12, 10 -> 13; 20 elsewhere; 30 <-> 31 a loop */
	static const struct top_stat procs[] = {
		{ 1, 0, 1000, 1000 },
		{ 10, 1, 5, 100 },
		{ 11, 10, 7, 10 },
		{ 12, 11, 11, 1 },
		{ 13, 10, 13, 1000 },
		{ 20, 1, 17, 5 },
		{ 30, 31, 1, 1 },
		{ 31, 30, 1, 1 },
	};
	unsigned long long	ticks, rss;

	ck_assert(top_tree_sum(procs, nitems(procs), 10, &ticks, &rss));
	ck_assert_uint_eq(ticks, 5 + 7 + 11 + 13);
	ck_assert_uint_eq(rss, 100 + 10 + 1 + 1000);
	ck_assert(top_tree_sum(procs, nitems(procs), 11, &ticks, &rss));
	ck_assert_uint_eq(ticks, 18);
	ck_assert_uint_eq(rss, 11);
	ck_assert(!top_tree_sum(procs, nitems(procs), 99, &ticks, &rss));
	ck_assert_uint_eq(ticks, 0);
	ck_assert(top_tree_sum(procs, nitems(procs), 30, &ticks, &rss));
	ck_assert_uint_eq(ticks, 2);
}
END_TEST

static struct top_row *
rows_make(void)
{
	struct top_row	*r = xcalloc(3, sizeof(*r));

	r[0] = (struct top_row){ xstrdup("web"), "RUNNING", 120, 3725, 2, 1,
	    12.5, 3 << 20 };
	r[1] = (struct top_row){ xstrdup("db"), "RUNNING", 130, 5, 0, 0,
	    80.0, 1 << 20 };
	r[2] = (struct top_row){ xstrdup("cron"), "STOPPED", 0, 0, 1, -1,
	    -1, 0 };
	return r;
}

START_TEST(test_sort)
{
	struct top_row	*r = rows_make();
	enum top_sort	 s;

	ck_assert(top_sort_key('n', &s) && s == TOP_SORT_NAME);
	top_sort_rows(r, 3, s);
	ck_assert_str_eq(r[0].name, "cron");
	ck_assert_str_eq(r[1].name, "db");
	ck_assert_str_eq(r[2].name, "web");
	ck_assert(top_sort_key('c', &s) && s == TOP_SORT_CPU);
	top_sort_rows(r, 3, s);
	ck_assert_str_eq(r[0].name, "db");
	ck_assert_str_eq(r[2].name, "cron");
	ck_assert(top_sort_key('m', &s) && s == TOP_SORT_MEM);
	top_sort_rows(r, 3, s);
	ck_assert_str_eq(r[0].name, "web");
	ck_assert_str_eq(r[1].name, "db");
	ck_assert(!top_sort_key('x', &s));
	ck_assert(s == TOP_SORT_MEM);
	top_rows_free(r, 3);
}
END_TEST

START_TEST(test_bytes)
{
	char	b[32];

	top_format_bytes(0, b, sizeof(b));
	ck_assert_str_eq(b, "0B");
	top_format_bytes(1023, b, sizeof(b));
	ck_assert_str_eq(b, "1023B");
	top_format_bytes(4096, b, sizeof(b));
	ck_assert_str_eq(b, "4.0K");
	top_format_bytes(12900000, b, sizeof(b));
	ck_assert_str_eq(b, "12.3M");
	top_format_bytes(3ULL << 30, b, sizeof(b));
	ck_assert_str_eq(b, "3.0G");
}
END_TEST

START_TEST(test_format)
{
	static const struct top_daemon	d = { 99, 0.5, 2 << 20 };
	struct top_row			*r = rows_make();
	struct buf			 b;

	buf_init(&b);
	top_sort_rows(r, 3, TOP_SORT_NAME);
	top_format(&b, &d, r, 3, TOP_SORT_NAME, 0);
	ck_assert_str_eq(b.data,
	    "tendd pid 99  cpu 0.5%  mem 2.0M  3 processes "
	    "(STOPPED 1, RUNNING 2)  sort: name\n"
	    "NAME                     STATE         PID     UPTIME   CPU%"
	    "      MEM RESTARTS HEALTH\n"
	    "cron                     STOPPED         -          -      -"
	    "        -        1 -\n"
	    "db                       RUNNING       130    0:00:05   80.0"
	    "     1.0M        0 failing\n"
	    "web                      RUNNING       120    1:02:05   12.5"
	    "     3.0M        2 healthy\n");
	/* cut at the width, every line still ends in a newline */
	buf_reset(&b);
	top_format(&b, &d, r, 3, TOP_SORT_CPU, 10);
	ck_assert_str_eq(b.data, "tendd pid \nNAME      \ncron      \n"
	    "db        \nweb       \n");
	buf_reset(&b);
	top_format(&b, &d, NULL, 0, TOP_SORT_MEM, 0);
	ck_assert(strncmp(b.data, "tendd pid 99  cpu 0.5%  mem 2.0M  "
	    "0 processes  sort: mem\nNAME ", 61) == 0);
	buf_free(&b);
	top_rows_free(r, 3);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("top");
	TCase	*tc = tcase_create("view");

	tcase_add_test(tc, test_parse_status);
	tcase_add_test(tc, test_parse_status_bad);
	tcase_add_test(tc, test_parse_stat);
	tcase_add_test(tc, test_tree_sum);
	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	return check_run(s);
}
