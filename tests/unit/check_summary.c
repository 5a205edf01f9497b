/* check_summary.c: `tendd -t`'s summary of a configuration: the daemon's
 * files, the groups, and every process in start order with where its
 * output goes. */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "summary.h"
#include "util.h"
#include "check_run.h"

static const char conf[] =
	"[tend]\n"
	"control = /r/control\n"
	"pidfile = /r/tendd.pid\n"
	"logfile = /l/tendd.log\n"
	"logfile_maxbytes = 1MB\n"
	"logfile_backups = 2\n"
	"childlogdir = /l\n"
	"metrics_file = /m/tend.prom\n"
	"\n"
	"[program:web]\n"
	"command = /bin/web --port 80\n"
	"priority = 10\n"
	"user = root\n"
	"stdout_logfile_maxbytes = 0\n"
	"healthcheck = tcp:127.0.0.1:80\n"
	"healthcheck_action = none\n"
	"\n"
	"[program:late]\n"
	"command = /bin/late\n"
	"priority = 500\n"
	"autostart = false\n"
	"depends_on = web, w\n"
	"notification_fd = 3\n"
	"shutdown_on = exit\n"
	"restart_limit = 10/60\n"
	"stdout_logfile = NONE\n"
	"redirect_stderr = true\n"
	"\n"
	"[program:w]\n"
	"command = /bin/w\n"
	"healthcheck = exec:/bin/check %(process_num)d\n"
	"healthcheck_start_period = 9\n"
	"ready_on = healthcheck\n"
	"numprocs = 2\n"
	"process_name = w_%(process_num)d\n"
	"\n"
	"[group:pool]\n"
	"programs = w\n"
	"priority = 100\n";

static char *
summary_of(const char *text)
{
	struct strlist	 errs = { NULL, 0 };
	struct config	*c;
	struct buf	 b;
	size_t		 i;

	c = config_load_string("/etc/x/tend.ini", text, &errs, NULL);
	for (i = 0; i < errs.n; i++)
		(void)fprintf(stderr, "%s\n", errs.v[i]);
	ck_assert_ptr_nonnull(c);
	buf_init(&b);
	summary_format(&b, c);
	config_free(c);
	strlist_free(&errs);
	return buf_steal(&b);
}

static const char *const expect_lines[] = {
	"configuration OK: /etc/x/tend.ini\n",
	"control FIFO:  /r/control (mode 0600)\n",
	"pid file:      /r/tendd.pid\n",
	"tendd log:     /l/tendd.log (rotated at 1MB, 2 backups); level info\n",
	"child logs:    /l (childlogdir, for AUTO)\n",
	"metrics file:  /m/tend.prom\n",
	"1 group:\n  pool (priority 100): w_0 w_1\n",
	"4 processes, in start order:\n"
	"  web (priority 10, autostart)\n"
	"    command: /bin/web --port 80\n"
	"    health:  tcp:127.0.0.1:80 every 30 s (timeout 5 s); 3 failures in "
	"a row: report\n"
	"    user:    root\n"
	"    stdout:  /l/web-stdout.log (never rotated)\n"
	"    stderr:  /l/web-stderr.log (rotated at 50MB, 10 backups)\n"
	"  pool:w_0 (priority 999, autostart, ready when its health check "
	"passes)\n",
	"  pool:w_1 (priority 999, autostart, ready when its health check "
	"passes)\n"
	"    command: /bin/w\n"
	"    health:  exec:/bin/check 1 every 30 s (timeout 5 s); 3 failures in "
	"a row after the start period: restart\n",
	"  late (priority 500, started by hand, ready when it writes a line "
	"to fd 3, FATAL after 10 restarts in 60 s, tendd exits when it ends)\n"
	"    command: /bin/late\n"
	"    after:   w, web (depends_on)\n"
	"    stdout:  discarded (NONE)\n"
	"    stderr:  with stdout (redirect_stderr)\n",
};

START_TEST(test_summary_line)
{
	char	*s = summary_of(conf);

	ck_assert_msg(strstr(s, expect_lines[_i]) != NULL,
	    "missing:\n%s\nin:\n%s", expect_lines[_i], s);
	free(s);
}
END_TEST

START_TEST(test_summary_defaults)
{
	char	*s = summary_of("[program:a]\ncommand = /bin/a\n");

	ck_assert_ptr_nonnull(strstr(s, "pid file:      none\n"));
	ck_assert_ptr_nonnull(strstr(s, "tendd log:     standard error under "
	    "-n, none when daemonized; level info\n"));
	ck_assert_ptr_nonnull(strstr(s, "metrics file:  none\n"));
	ck_assert_ptr_nonnull(strstr(s, "1 process, in start order:\n"
	    "  a (priority 999, autostart)\n"));
	ck_assert_ptr_null(strstr(s, "group"));
	free(s);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("summary");
	TCase	*tc = tcase_create("format");

	tcase_add_loop_test(tc, test_summary_line, 0,
	    (int)nitems(expect_lines));
	tcase_add_test(tc, test_summary_defaults);
	suite_add_tcase(s, tc);
	return check_run(s);
}
