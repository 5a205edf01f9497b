/* check_metrics.c: the Prometheus text exposition of metrics.c: exact
 * output for a known snapshot, label escaping, families never split. */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "util.h"
#include "check_run.h"

static const struct metrics_daemon daemon_up = { "1.2.3", true };

static const char daemon_part[] =
	"# HELP tend_up 1 while tendd runs, 0 in the file it leaves when it "
	"exits.\n"
	"# TYPE tend_up gauge\n"
	"tend_up 1\n"
	"# HELP tend_build_info Always 1; the version of tendd is a label.\n"
	"# TYPE tend_build_info gauge\n"
	"tend_build_info{version=\"1.2.3\"} 1\n";

START_TEST(test_no_process)
{
	struct buf	b;

	buf_init(&b);
	metrics_format(&b, &daemon_up, NULL, 0);
	ck_assert_int_eq(strncmp(b.data, daemon_part, strlen(daemon_part)), 0);
	/* every family is still declared, with no samples */
	ck_assert_ptr_nonnull(strstr(b.data,
	    "# TYPE tend_process_state gauge\n"
	    "# HELP tend_process_start_time_seconds "));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "# TYPE tend_log_dropped_bytes_total counter\n"));
	ck_assert(b.data[b.len - 1] == '\n');
	buf_free(&b);
}
END_TEST

START_TEST(test_down)
{
	struct metrics_daemon	d = { "0.1", false };
	struct buf		b;

	buf_init(&b);
	metrics_format(&b, &d, NULL, 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\ntend_up 0\n"));
	buf_free(&b);
}
END_TEST

START_TEST(test_one_process)
{
	struct metrics_proc	p = {
		.name = "web", .group = "web", .state = PROC_RUNNING,
		.start_time = 1700000000, .restarts = 4, .exited = true,
		.exit_status = 3, .dropped_stdout = 10, .dropped_stderr = 0,
	};
	struct buf		b;
	static const char	expect[] =
	    "# HELP tend_process_state 1 for the state the process is in, 0 "
	    "for the other states.\n"
	    "# TYPE tend_process_state gauge\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"STOPPED\"} 0\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"STARTING\"} 0\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"RUNNING\"} 1\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"BACKOFF\"} 0\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"STOPPING\"} 0\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"EXITED\"} 0\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"FATAL\"} 0\n"
	    "tend_process_state{name=\"web\",group=\"web\",state=\"UNKNOWN\"} 0\n"
	    "# HELP tend_process_start_time_seconds Unix time the process was "
	    "last spawned, 0 if never.\n"
	    "# TYPE tend_process_start_time_seconds gauge\n"
	    "tend_process_start_time_seconds{name=\"web\",group=\"web\"} "
	    "1700000000\n"
	    "# HELP tend_process_restarts_total Spawns of the process after "
	    "its first one.\n"
	    "# TYPE tend_process_restarts_total counter\n"
	    "tend_process_restarts_total{name=\"web\",group=\"web\"} 4\n"
	    "# HELP tend_process_exit_status Exit code of the last exit, -1 "
	    "for a signal or an exit within startsecs; absent until the "
	    "process first exits.\n"
	    "# TYPE tend_process_exit_status gauge\n"
	    "tend_process_exit_status{name=\"web\",group=\"web\"} 3\n"
	    "# HELP tend_log_dropped_bytes_total Bytes of program output that "
	    "could not be written to its log.\n"
	    "# TYPE tend_log_dropped_bytes_total counter\n"
	    "tend_log_dropped_bytes_total{name=\"web\",group=\"web\","
	    "stream=\"stdout\"} 10\n"
	    "tend_log_dropped_bytes_total{name=\"web\",group=\"web\","
	    "stream=\"stderr\"} 0\n";

	buf_init(&b);
	metrics_format(&b, &daemon_up, &p, 1);
	ck_assert_str_eq(b.data + strlen(daemon_part), expect);
	buf_free(&b);
}
END_TEST

/* A process that never exited has no exit status sample. */
START_TEST(test_exit_status_absent)
{
	struct metrics_proc	p[2] = {
		{ .name = "a", .group = "a", .state = PROC_STOPPED },
		{ .name = "b", .group = "g", .state = PROC_EXITED,
		  .exited = true, .exit_status = -1 },
	};
	struct buf		b;

	buf_init(&b);
	metrics_format(&b, &daemon_up, p, 2);
	ck_assert_ptr_null(strstr(b.data,
	    "tend_process_exit_status{name=\"a\""));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "tend_process_exit_status{name=\"b\",group=\"g\"} -1\n"));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "tend_process_start_time_seconds{name=\"a\",group=\"a\"} 0\n"));
	buf_free(&b);
}
END_TEST

/* The samples of one family are never split by another family. */
START_TEST(test_families_contiguous)
{
	struct metrics_proc	p[3] = {
		{ .name = "a", .group = "a", .state = PROC_FATAL,
		  .exited = true },
		{ .name = "g:b", .group = "g", .state = PROC_BACKOFF },
		{ .name = "g:c", .group = "g", .state = PROC_STOPPING,
		  .exited = true, .exit_status = 1 },
	};
	struct buf		 b;
	char			*text, *line, *save = NULL;
	char			 seen[16][64], cur[64] = "";
	size_t			 nseen = 0, i, len;

	buf_init(&b);
	metrics_format(&b, &daemon_up, p, 3);
	text = buf_steal(&b);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		len = strcspn(line, "{ ");
		ck_assert_uint_lt(len, sizeof(cur));
		if (strncmp(cur, line, len) == 0 && cur[len] == '\0')
			continue;
		for (i = 0; i < nseen; i++)
			ck_assert_msg(strncmp(seen[i], line, len) != 0 ||
			    seen[i][len] != '\0', "family split: %s", line);
		memcpy(cur, line, len);
		cur[len] = '\0';
		ck_assert_uint_lt(nseen, nitems(seen));
		memcpy(seen[nseen++], cur, len + 1);
	}
	ck_assert_uint_eq(nseen, 7);
	free(text);
}
END_TEST

static const struct escape_case {
	const char	*in;
	const char	*out;
} escape_cases[] = {
	{ "web",		"web" },
	{ "",			"" },
	{ "a\"b",		"a\\\"b" },
	{ "a\\b",		"a\\\\b" },
	{ "a\nb",		"a\\nb" },
	{ "\\\"\n",		"\\\\\\\"\\n" },
	{ "tab\tstays",		"tab\tstays" },
	{ "caf\xc3\xa9",	"caf\xc3\xa9" },
};

START_TEST(test_label_escape)
{
	const struct escape_case	*c = &escape_cases[_i];
	struct buf			 b;

	buf_init(&b);
	metrics_label_value(&b, c->in);
	ck_assert_str_eq(b.data, c->out);
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("format");

	tcase_add_test(tc, test_no_process);
	tcase_add_test(tc, test_down);
	tcase_add_test(tc, test_one_process);
	tcase_add_test(tc, test_exit_status_absent);
	tcase_add_test(tc, test_families_contiguous);
	tcase_add_loop_test(tc, test_label_escape, 0,
	    (int)nitems(escape_cases));
	suite_add_tcase(s, tc);
	return check_run(s);
}
