/* check_process.c: every transition of the supervisord state machine,
 * without forking: events in, state and actions out. */
#include "autoconfig.h"

#include <sys/wait.h>
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "process.h"
#include "util.h"
#include "check_run.h"

#define EXIT(code)	((code) << 8)		/* a wait status for exit(code) */
#define KILLED(sig)	(sig)			/* a wait status for a signal */

static struct program	prog;
static struct proc	p;
static struct proc_actions a;

/* A program with supervisord's defaults. */
static void
setup(void)
{
	memset(&prog, 0, sizeof(prog));
	prog.name = (char *)"web";
	prog.autostart = true;
	prog.autorestart = AUTORESTART_UNEXPECTED;
	prog.startsecs = 1;
	prog.startretries = 3;
	prog.exitcodes[0] = 1;		/* {0} */
	prog.stopsignal = SIGTERM;
	prog.stopwaitsecs = 10;
	prog.priority = 999;
	proc_init(&p, &prog, "web");
}

static void
teardown(void)
{
	proc_free(&p);
}

/* Spawn at time t and report success with pid. */
static void
spawn_ok(double t, pid_t pid)
{
	proc_start(&p, t, 1000 + (time_t)t, &a);
	ck_assert(a.flags & PA_SPAWN);
	proc_spawned(&p, pid, &a);
}

static bool
logged(const char *needle)
{
	unsigned	i;

	for (i = 0; i < a.nlog; i++)
		if (strstr(a.log[i].text, needle) != NULL)
			return true;
	return false;
}

START_TEST(test_names)
{
	ck_assert_str_eq(proc_state_name(PROC_STOPPED), "STOPPED");
	ck_assert_str_eq(proc_state_name(PROC_STARTING), "STARTING");
	ck_assert_str_eq(proc_state_name(PROC_RUNNING), "RUNNING");
	ck_assert_str_eq(proc_state_name(PROC_BACKOFF), "BACKOFF");
	ck_assert_str_eq(proc_state_name(PROC_STOPPING), "STOPPING");
	ck_assert_str_eq(proc_state_name(PROC_EXITED), "EXITED");
	ck_assert_str_eq(proc_state_name(PROC_FATAL), "FATAL");
	ck_assert_str_eq(proc_state_name(PROC_UNKNOWN), "UNKNOWN");
	ck_assert_int_eq(PROC_EXITED, 100);
	ck_assert_int_eq(PROC_FATAL, 200);
	ck_assert(proc_is_running_state(PROC_BACKOFF));
	ck_assert(proc_is_running_state(PROC_STARTING));
	ck_assert(!proc_is_running_state(PROC_STOPPING));
	ck_assert(proc_is_stopped_state(PROC_EXITED));
	ck_assert(proc_is_stopped_state(PROC_FATAL));
	ck_assert(!proc_is_stopped_state(PROC_STOPPING));
}
END_TEST

START_TEST(test_start_running)
{
	char	desc[128];

	ck_assert_int_eq(p.state, PROC_STOPPED);
	proc_describe(&p, 0, desc, sizeof(desc));
	ck_assert_str_eq(desc, "Not started");
	proc_start(&p, 0, 1000, &a);
	ck_assert_int_eq(p.state, PROC_STARTING);
	ck_assert(a.flags & PA_SPAWN);
	proc_spawned(&p, 42, &a);
	ck_assert_int_eq(p.pid, 42);
	ck_assert(logged("spawned: 'web' with pid 42"));
	ck_assert(a.flags & PA_TIMER);
	ck_assert(a.timer_secs == 1.0);
	proc_timer(&p, 1.0, 1001, &a);
	ck_assert_int_eq(p.state, PROC_RUNNING);
	ck_assert(logged("success: web entered RUNNING state, process has "
	    "stayed up for > than 1 seconds (startsecs)"));
	proc_describe(&p, 1000 + 62, desc, sizeof(desc));
	ck_assert_str_eq(desc, "pid 42, uptime 0:01:02");
	/* The clock set back: never a negative uptime. */
	proc_describe(&p, 10, desc, sizeof(desc));
	ck_assert_str_eq(desc, "pid 42, uptime 0:00:00");
}
END_TEST

START_TEST(test_startsecs_zero)
{
	prog.startsecs = 0;
	spawn_ok(0, 7);
	ck_assert_int_eq(p.state, PROC_RUNNING);
	ck_assert(!(a.flags & PA_TIMER));
	ck_assert(logged("> than 0 seconds"));
}
END_TEST

START_TEST(test_backoff_then_fatal)
{
	double	t = 0;
	int	i;

	/* startretries=3: four spawns, waits of 1, 2 and 3 s, then FATAL. */
	for (i = 1; i <= 3; i++) {
		spawn_ok(t, 100 + i);
		proc_exited(&p, EXIT(1), t + 0.1, 0, true, 0, &a);
		ck_assert_int_eq(p.state, PROC_BACKOFF);
		ck_assert_str_eq(p.spawnerr,
		    "Exited too quickly (process log may have details)");
		ck_assert(logged("exited: web (exit status 1; not expected)"));
		ck_assert(a.flags & PA_TIMER);
		ck_assert(a.timer_secs == (double)i);
		t += 0.1 + i;
		proc_timer(&p, t, 0, &a);	/* delay over: spawn again */
		ck_assert_int_eq(p.state, PROC_STARTING);
		ck_assert(a.flags & PA_SPAWN);
		proc_spawned(&p, 200 + i, &a);
	}
	proc_exited(&p, EXIT(1), t + 0.1, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert(logged("gave up: web entered FATAL state, too many start "
	    "retries too quickly"));
	ck_assert(!(a.flags & PA_TIMER));
}
END_TEST

START_TEST(test_startretries_zero)
{
	prog.startretries = 0;
	spawn_ok(0, 5);
	proc_exited(&p, EXIT(1), 0.5, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
}
END_TEST

/* shutdown_on=: which ends end tendd, and with what exit status. */
/* A spawned child that runs past startsecs and crashes at t + 2. */
static void
run_and_crash(double t, pid_t pid)
{
	proc_spawned(&p, pid, &a);
	proc_timer(&p, t + 1, 0, &a);
	ck_assert_int_eq(p.state, PROC_RUNNING);
	proc_exited(&p, EXIT(1), t + 2, 0, true, 0, &a);
}

START_TEST(test_restart_limit)
{
	int	i;

	/* off (the default): restarted forever */
	spawn_ok(0, 5);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(1), 2, 0, true, 0, &a);
	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(p.state, PROC_STARTING);
		run_and_crash(2 + 3 * i, 6 + i);
	}
	ck_assert_int_eq(p.state, PROC_STARTING);
	proc_free(&p);

	/* 3/60: the fourth restart within 60 s is refused: FATAL */
	prog.restart_limit = (struct restart_limit){ 3, 60 };
	prog.shutdown_on = SHUTDOWN_ON_FATAL;
	proc_init(&p, &prog, "web");
	spawn_ok(0, 5);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(1), 2, 0, true, 0, &a);	/* restart 1 */
	run_and_crash(2, 6);				/* 2, at 4 */
	run_and_crash(4, 7);				/* 3, at 6 */
	ck_assert_int_eq(p.state, PROC_STARTING);
	run_and_crash(6, 8);				/* 4th, at 8 */
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert(!(a.flags & (PA_SPAWN | PA_DEFER)));
	ck_assert(logged("gave up: web restarted 3 times in 60 s"));
	ck_assert_str_eq(p.spawnerr, "restarted 3 times in 60 s");
	ck_assert_uint_eq(a.ntrans, 2);
	ck_assert_int_eq(a.trans[0].to, PROC_EXITED);
	ck_assert_int_eq(a.trans[1].to, PROC_FATAL);
	ck_assert(proc_ends_tend(&p));
	ck_assert_int_eq(proc_tend_exit_code(&p), 1);

	/* a start by hand starts a new count; restarts 30 s apart never
	 * reach 3 in 60 s */
	spawn_ok(100, 9);
	for (i = 0; i < 10; i++) {
		proc_timer(&p, 100 + 30 * i + 1, 0, &a);
		proc_exited(&p, EXIT(1), 100 + 30 * i + 25, 0, true, 0, &a);
		ck_assert_int_eq(p.state, PROC_STARTING);
		proc_spawned(&p, 10 + i, &a);
		p.start_mono = 100 + 30 * (i + 1);
	}
	/* an expected exit with autorestart=unexpected is no restart */
	proc_timer(&p, 500, 0, &a);
	proc_exited(&p, EXIT(0), 501, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_EXITED);

	/* a limit changed by an update starts a new count */
	prog.restart_limit = (struct restart_limit){ 1, 60 };
	spawn_ok(600, 30);
	proc_timer(&p, 601, 0, &a);
	proc_exited(&p, EXIT(1), 602, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_STARTING);
	run_and_crash(602, 31);
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert(logged("gave up: web restarted 1 time in 60 s"));
}
END_TEST

/* The history a re-exec hands over: oldest first, read back into a ring
 * that gives the same answers. */
START_TEST(test_restart_times)
{
	struct buf	b;
	struct proc	q;

	prog.restart_limit = (struct restart_limit){ 3, 60 };
	spawn_ok(0, 5);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(1), 2, 0, true, 0, &a);	/* restart at 2 */
	run_and_crash(2, 6);				/* at 4 */
	run_and_crash(4, 7);				/* at 6 */
	buf_init(&b);
	proc_restart_times(&p, &b);
	buf_addc(&b, '\0');
	ck_assert_str_eq(b.data, "2.000000,4.000000,6.000000");
	proc_init(&q, &prog, "web");
	proc_restart_times_set(&q, b.data);
	buf_reset(&b);
	proc_restart_times(&q, &b);
	buf_addc(&b, '\0');
	ck_assert_str_eq(b.data, "2.000000,4.000000,6.000000");
	/* the ring read back refuses the next restart within 60 s */
	ck_assert(!proc_restart_counted(&q, 30, &a));
	ck_assert(logged("gave up: web restarted 3 times in 60 s"));
	/* a list longer than the limit keeps its last times; junk ends it */
	proc_restart_times_set(&q, "1,2,3,4,5");
	buf_reset(&b);
	proc_restart_times(&q, &b);
	buf_addc(&b, '\0');
	ck_assert_str_eq(b.data, "3.000000,4.000000,5.000000");
	proc_restart_times_set(&q, "7,x,9");
	buf_reset(&b);
	proc_restart_times(&q, &b);
	buf_addc(&b, '\0');
	ck_assert_str_eq(b.data, "7.000000");
	proc_restart_times_set(&q, NULL);
	ck_assert_uint_eq(q.rl_len, 0);
	proc_free(&q);
	buf_free(&b);
}
END_TEST

/* A start by hand after a stop (not only after FATAL), and an update
 * that changes only the SECONDS of the limit, start a new count. */
START_TEST(test_restart_limit_new_count)
{
	prog.restart_limit = (struct restart_limit){ 3, 60 };
	spawn_ok(0, 5);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(1), 2, 0, true, 0, &a);	/* restart 1 */
	run_and_crash(2, 6);				/* 2 */
	run_and_crash(4, 7);				/* 3 */
	proc_spawned(&p, 8, &a);
	ck_assert(proc_stop(&p, &a));
	proc_exited(&p, SIGTERM, 7, 0, true, 0, &a);	/* killed by it */
	ck_assert_int_eq(p.state, PROC_STOPPED);
	/* by hand: 3 more restarts within the 60 s */
	proc_restart_forget(&p);
	spawn_ok(8, 9);
	proc_timer(&p, 9, 0, &a);
	proc_exited(&p, EXIT(1), 10, 0, true, 0, &a);	/* restart 1 */
	run_and_crash(10, 10);				/* 2 */
	run_and_crash(12, 11);				/* 3 */
	ck_assert_int_eq(p.state, PROC_STARTING);
	run_and_crash(14, 12);				/* 4th: refused */
	ck_assert_int_eq(p.state, PROC_FATAL);

	/* 3/60 -> 3/1000: a new count, whose window is the new one */
	spawn_ok(100, 13);
	proc_timer(&p, 101, 0, &a);
	proc_exited(&p, EXIT(1), 102, 0, true, 0, &a);	/* restart 1 */
	run_and_crash(102, 14);				/* 2 */
	prog.restart_limit = (struct restart_limit){ 3, 1000 };
	run_and_crash(104, 15);				/* 1 of the new */
	run_and_crash(300, 16);				/* 2 */
	run_and_crash(500, 17);				/* 3 */
	ck_assert_int_eq(p.state, PROC_STARTING);
	run_and_crash(700, 18);		/* 4th in 1000 s: refused */
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert(logged("gave up: web restarted 3 times in 1000 s"));
}
END_TEST

START_TEST(test_shutdown_on)
{
	/* never (the default): nothing ends tendd */
	prog.startretries = 0;
	spawn_ok(0, 5);
	proc_exited(&p, EXIT(1), 0.5, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert(!proc_ends_tend(&p));

	/* fatal: FATAL does, with the last exit code */
	prog.shutdown_on = SHUTDOWN_ON_FATAL;
	ck_assert(proc_ends_tend(&p));
	ck_assert_int_eq(proc_tend_exit_code(&p), 1);
	spawn_ok(1, 6);
	proc_exited(&p, EXIT(7), 1.5, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert_int_eq(proc_tend_exit_code(&p), 7);
	/* a FATAL after exit code 0 (taken as a failure) is still 1 */
	spawn_ok(2, 7);
	proc_exited(&p, EXIT(0), 2.5, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert_int_eq(proc_tend_exit_code(&p), 1);
	/* a spawn error leaves no exit status: 1 */
	proc_start(&p, 3, 1003, &a);
	proc_spawn_failed(&p, "can't find command '/x'", &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert_int_eq(proc_tend_exit_code(&p), 1);

	/* fatal ignores an exit that is not restarted; exit does not */
	prog.autorestart = AUTORESTART_FALSE;
	prog.startsecs = 0;
	spawn_ok(10, 8);
	ck_assert_int_eq(p.state, PROC_RUNNING);
	ck_assert(!proc_ends_tend(&p));
	proc_exited(&p, EXIT(0), 20, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_EXITED);
	ck_assert(!proc_ends_tend(&p));
	prog.shutdown_on = SHUTDOWN_ON_EXIT;
	ck_assert(proc_ends_tend(&p));
	ck_assert_int_eq(proc_tend_exit_code(&p), 0);
	spawn_ok(30, 9);
	proc_exited(&p, KILLED(SIGKILL), 40, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_EXITED);
	ck_assert_int_eq(proc_tend_exit_code(&p), 128 + SIGKILL);

	/* an exit that is restarted, or a stop, ends nothing */
	prog.autorestart = AUTORESTART_TRUE;
	spawn_ok(50, 10);
	proc_exited(&p, EXIT(0), 60, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_STARTING);
	ck_assert(!proc_ends_tend(&p));
	proc_spawned(&p, 11, &a);
	ck_assert(proc_stop(&p, &a));
	proc_exited(&p, KILLED(SIGTERM), 61, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_STOPPED);
	ck_assert(!proc_ends_tend(&p));
}
END_TEST

/* notification_fd=: RUNNING when the program says so, not on a timer;
 * an exit before that is a failed start however late it comes. */
START_TEST(test_ready)
{
	prog.notification_fd = 3;
	prog.startsecs = 0;
	prog.startretries = 1;
	spawn_ok(0, 5);
	ck_assert_int_eq(p.state, PROC_STARTING);
	ck_assert(!(a.flags & PA_TIMER));
	proc_ready(&p, "notification_fd", &a);
	ck_assert_int_eq(p.state, PROC_RUNNING);
	ck_assert(logged("success: web entered RUNNING state, process is "
	    "ready (notification_fd)"));
	/* a second line, or one in another state, changes nothing */
	proc_ready(&p, "notification_fd", &a);
	ck_assert(!a.changed);
	ck_assert_uint_eq(a.nlog, 0);
	ck_assert(proc_stop(&p, &a));
	proc_ready(&p, "notification_fd", &a);
	ck_assert_int_eq(p.state, PROC_STOPPING);
	proc_exited(&p, KILLED(SIGTERM), 1, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_STOPPED);

	/* exits after an hour without saying it is ready: a failed start */
	spawn_ok(10, 6);
	proc_exited(&p, EXIT(0), 3610, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_BACKOFF);
	ck_assert_int_eq(p.backoff, 1);
	proc_timer(&p, 3612, 0, &a);
	ck_assert(a.flags & PA_SPAWN);
	proc_spawned(&p, 7, &a);
	proc_exited(&p, EXIT(0), 3613, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
}
END_TEST

START_TEST(test_spawn_error)
{
	char	desc[128];

	prog.startretries = 1;
	proc_start(&p, 0, 1000, &a);
	proc_spawn_failed(&p, "can't find command '/x'", &a);
	ck_assert_int_eq(p.state, PROC_BACKOFF);
	ck_assert(logged("spawnerr: can't find command '/x'"));
	proc_describe(&p, 1000, desc, sizeof(desc));
	ck_assert_str_eq(desc, "can't find command '/x'");
	proc_timer(&p, 1, 1001, &a);
	proc_spawn_failed(&p, "can't find command '/x'", &a);
	ck_assert_int_eq(p.state, PROC_FATAL);
	proc_describe(&p, 1000, desc, sizeof(desc));
	ck_assert_str_eq(desc, "can't find command '/x'");
}
END_TEST

START_TEST(test_running_resets_backoff)
{
	spawn_ok(0, 1);
	proc_exited(&p, EXIT(1), 0.2, 0, true, 0, &a);
	ck_assert_int_eq(p.backoff, 1);
	proc_timer(&p, 1.2, 0, &a);
	proc_spawned(&p, 2, &a);
	proc_timer(&p, 2.2, 0, &a);
	ck_assert_int_eq(p.state, PROC_RUNNING);
	ck_assert_int_eq(p.backoff, 0);
}
END_TEST

START_TEST(test_autorestart_unexpected)
{
	/* Expected exit: EXITED and stays there. */
	spawn_ok(0, 1);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(0), 5, 2000, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_EXITED);
	ck_assert(!(a.flags & PA_SPAWN));
	ck_assert(logged("exited: web (exit status 0; expected)"));
	/* Unexpected exit: restarted at once, no delay. */
	spawn_ok(10, 2);
	proc_timer(&p, 11, 0, &a);
	proc_exited(&p, EXIT(3), 20, 2000, true, 0, &a);
	ck_assert(logged("exited: web (exit status 3; not expected)"));
	ck_assert_int_eq(p.state, PROC_STARTING);
	ck_assert(a.flags & PA_SPAWN);
	ck_assert_int_eq(p.restarts, 2);	/* every spawn after the first */
}
END_TEST

/* The changes of state a transition records, for the PROCESS_STATE
 * events: from, to, and the pid, tries and expected of that moment. */
START_TEST(test_transitions)
{
	spawn_ok(0, 41);
	ck_assert_uint_eq(a.ntrans, 0);		/* still STARTING */
	proc_timer(&p, 1, 0, &a);
	ck_assert_uint_eq(a.ntrans, 1);
	ck_assert_int_eq(a.trans[0].from, PROC_STARTING);
	ck_assert_int_eq(a.trans[0].to, PROC_RUNNING);
	ck_assert_int_eq(a.trans[0].pid, 41);
	/* an unexpected exit restarted at once: EXITED, then STARTING */
	proc_exited(&p, EXIT(3), 20, 2000, true, 0, &a);
	ck_assert_uint_eq(a.ntrans, 2);
	ck_assert_int_eq(a.trans[0].from, PROC_RUNNING);
	ck_assert_int_eq(a.trans[0].to, PROC_EXITED);
	ck_assert_int_eq(a.trans[0].pid, 41);
	ck_assert(!a.trans[0].expected);
	ck_assert_int_eq(a.trans[1].from, PROC_EXITED);
	ck_assert_int_eq(a.trans[1].to, PROC_STARTING);
	ck_assert_uint_eq(a.trans[1].tries, 0);
	/* too quick: BACKOFF with its new count */
	proc_spawned(&p, 42, &a);
	proc_exited(&p, EXIT(1), 20.1, 2000, true, 0, &a);
	ck_assert_uint_eq(a.ntrans, 1);
	ck_assert_int_eq(a.trans[0].to, PROC_BACKOFF);
	ck_assert_uint_eq(a.trans[0].tries, 1);
	/* stopped: STOPPING, then STOPPED with the pid it had */
	proc_timer(&p, 22, 0, &a);
	proc_spawned(&p, 43, &a);
	proc_timer(&p, 23, 0, &a);
	ck_assert(proc_stop(&p, &a));
	ck_assert_int_eq(a.trans[0].to, PROC_STOPPING);
	ck_assert_int_eq(a.trans[0].pid, 43);
	proc_exited(&p, KILLED(SIGTERM), 24, 2000, true, 0, &a);
	ck_assert_uint_eq(a.ntrans, 1);
	ck_assert_int_eq(a.trans[0].from, PROC_STOPPING);
	ck_assert_int_eq(a.trans[0].to, PROC_STOPPED);
	ck_assert_int_eq(a.trans[0].pid, 43);
}
END_TEST

START_TEST(test_autorestart_true_false)
{
	prog.autorestart = AUTORESTART_TRUE;
	spawn_ok(0, 1);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(0), 5, 0, true, 0, &a);
	ck_assert(a.flags & PA_SPAWN);
	ck_assert_int_eq(p.state, PROC_STARTING);

	prog.autorestart = AUTORESTART_FALSE;
	proc_spawned(&p, 2, &a);
	proc_timer(&p, 7, 0, &a);
	proc_exited(&p, EXIT(1), 9, 0, true, 0, &a);
	ck_assert(!(a.flags & PA_SPAWN));
	ck_assert_int_eq(p.state, PROC_EXITED);
	ck_assert_str_eq(p.spawnerr, "Bad exit code 1");
}
END_TEST

START_TEST(test_no_restart_during_shutdown)
{
	prog.autorestart = AUTORESTART_TRUE;
	spawn_ok(0, 1);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(1), 5, 0, false, 0, &a);
	ck_assert_int_eq(p.state, PROC_EXITED);
	ck_assert(!(a.flags & PA_SPAWN));
}
END_TEST

START_TEST(test_exitcodes_and_signal_death)
{
	memset(prog.exitcodes, 0, sizeof(prog.exitcodes));
	prog.exitcodes[2 / 8] |= 1u << (2 % 8);	/* exitcodes=2 */
	ck_assert(program_exitcode_expected(&prog, 2));
	ck_assert(!program_exitcode_expected(&prog, 0));
	ck_assert(!program_exitcode_expected(&prog, -1));
	spawn_ok(0, 1);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(2), 5, 0, true, 0, &a);
	ck_assert(logged("expected"));
	ck_assert(!(a.flags & PA_SPAWN));
	/* A signal death is never expected. */
	spawn_ok(10, 2);
	proc_timer(&p, 11, 0, &a);
	proc_exited(&p, KILLED(SIGSEGV) | 0x80, 15, 0, true, 0, &a);
	ck_assert(logged("exited: web (terminated by SIGSEGV (core dumped); "
	    "not expected)"));
	ck_assert_int_eq(p.exitstatus, -1);
}
END_TEST

START_TEST(test_exit_after_startsecs_before_timer)
{
	/* The exit is seen before the startsecs timer: it ran long enough,
	 * so it is an exit from RUNNING, not a failed start. */
	spawn_ok(0, 1);
	proc_exited(&p, EXIT(0), 1.5, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_EXITED);
	ck_assert_int_eq(p.backoff, 0);
}
END_TEST

START_TEST(test_stop_sigkill)
{
	spawn_ok(0, 9);
	proc_timer(&p, 1, 0, &a);
	prog.stopasgroup = true;
	prog.killasgroup = true;
	ck_assert(proc_stop(&p, &a));
	ck_assert_int_eq(p.state, PROC_STOPPING);
	ck_assert(a.flags & PA_SIGNAL);
	ck_assert(a.flags & PA_CONT);
	ck_assert_int_eq(a.sig, SIGTERM);
	ck_assert(a.group);
	ck_assert(a.timer_secs == 10.0);
	ck_assert(!proc_stop(&p, &a));	/* already stopping */
	proc_timer(&p, 11, 0, &a);
	ck_assert(a.flags & PA_SIGNAL);
	ck_assert_int_eq(a.sig, SIGKILL);
	ck_assert(a.group);
	ck_assert(logged("killing 'web' (9) with SIGKILL"));
	ck_assert_int_eq(p.state, PROC_STOPPING);
	proc_exited(&p, KILLED(SIGKILL), 11.1, 3000, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_STOPPED);
	ck_assert_int_eq(p.pid, 0);
	ck_assert(logged("stopped: web (terminated by SIGKILL)"));
	ck_assert(!(a.flags & PA_SPAWN));
}
END_TEST

START_TEST(test_stop_states)
{
	/* Not running: nothing to do. */
	ck_assert(!proc_stop(&p, &a));
	/* BACKOFF stops at once. */
	spawn_ok(0, 1);
	proc_exited(&p, EXIT(1), 0.1, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_BACKOFF);
	ck_assert(proc_stop(&p, &a));
	ck_assert_int_eq(p.state, PROC_STOPPED);
	ck_assert(a.flags & PA_UNTIMER);
	/* STARTING can be stopped. */
	spawn_ok(5, 2);
	ck_assert(proc_stop(&p, &a));
	ck_assert_int_eq(p.state, PROC_STOPPING);
	proc_exited(&p, KILLED(SIGTERM), 5.1, 0, true, 0, &a);
	ck_assert_int_eq(p.state, PROC_STOPPED);
	ck_assert(logged("stopped: web (terminated by SIGTERM)"));
}
END_TEST

/* An autorestart that tendd has not spawned yet (STARTING, no pid; the
 * restart floor or the next loop iteration) is stopped without a signal. */
START_TEST(test_stop_pending_autorestart)
{
	prog.autorestart = AUTORESTART_TRUE;
	spawn_ok(0, 1);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(0), 5, 0, true, 0, &a);
	ck_assert(a.flags & PA_SPAWN);
	ck_assert_int_eq(p.state, PROC_STARTING);
	ck_assert_int_eq(p.pid, 0);
	ck_assert(proc_stop(&p, &a));
	ck_assert_int_eq(p.state, PROC_STOPPED);
	ck_assert(!(a.flags & PA_SIGNAL));
	ck_assert(!(a.flags & PA_SPAWN));
}
END_TEST

/* The restart floor: an autorestart within restart_floor of the spawn is
 * held back (PA_DEFER) until that long after the spawn. Each row: spawned
 * at 10 (RUNNING at once), exits with code 1 at t. */
static const struct floor_case {
	enum autorestart ar;
	double		 t, floor;
	bool		 restart_ok;
	enum proc_state	 to;
	unsigned	 acts;		/* of PA_SPAWN | PA_DEFER */
	double		 due;
} floor_cases[] = {
	{ AUTORESTART_TRUE,  10.2, 1,   true,  PROC_STARTING, PA_DEFER, 11   },
	{ AUTORESTART_TRUE,  10.2, 0,   true,  PROC_STARTING, PA_SPAWN, 10.2 },
	{ AUTORESTART_TRUE,  10.2, 0.1, true,  PROC_STARTING, PA_SPAWN, 10.2 },
	{ AUTORESTART_TRUE,  12,   1,   true,  PROC_STARTING, PA_SPAWN, 12   },
	{ AUTORESTART_TRUE,  10.2, 1,   false, PROC_EXITED,   0,        11   },
	{ AUTORESTART_FALSE, 10.2, 1,   true,  PROC_EXITED,   0,        11   },
};

START_TEST(test_restart_floor_cases)
{
	const struct floor_case	*c = &floor_cases[_i];

	prog.autorestart = c->ar;
	prog.startsecs = 0;
	spawn_ok(10, 1);
	proc_exited(&p, EXIT(1), c->t, 0, c->restart_ok, c->floor, &a);
	ck_assert_int_eq(p.state, c->to);
	ck_assert_uint_eq(a.flags & (PA_SPAWN | PA_DEFER), c->acts);
	ck_assert(p.respawn_due == c->due);
	ck_assert(p.throttled == (c->t - 10 < c->floor));
	ck_assert(logged("exited: web (exit status 1; not expected)"));
	ck_assert(logged("restart floor") == ((c->acts & PA_DEFER) != 0));
}
END_TEST

/* A crash loop under the floor: said once, spawned once a floor. */
START_TEST(test_restart_floor_loop)
{
	prog.autorestart = AUTORESTART_TRUE;
	prog.startsecs = 0;
	spawn_ok(10, 1);
	proc_exited(&p, EXIT(1), 10.2, 0, true, 1, &a);
	ck_assert(logged("web: exits 0.200 s after its start: restarted at "
	    "most every 1.0 s (restart floor)"));
	ck_assert_uint_eq(a.nlog, 2);
	/* not before it is due */
	proc_respawn(&p, 10.5, &a);
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_int_eq(p.state, PROC_STARTING);
	proc_respawn(&p, 11, &a);
	ck_assert_uint_eq(a.flags, PA_SPAWN);
	ck_assert(p.start_mono == 11.0);	/* startsecs count from here */
	proc_spawned(&p, 2, &a);
	/* again under the floor: held back, not said again */
	proc_exited(&p, EXIT(1), 11.1, 0, true, 1, &a);
	ck_assert(a.flags & PA_DEFER);
	ck_assert(!logged("restart floor"));
	ck_assert(p.respawn_due == 12.0);
	/* stopped while held back: no signal, and no spawn any more */
	ck_assert(proc_stop(&p, &a));
	ck_assert_int_eq(p.state, PROC_STOPPED);
	ck_assert(!(a.flags & PA_SIGNAL));
	proc_respawn(&p, 13, &a);
	ck_assert_uint_eq(a.flags, 0);
	/* a run past the floor restarts at once, and is said again later */
	spawn_ok(20, 3);
	proc_exited(&p, EXIT(1), 25, 0, true, 1, &a);
	ck_assert_uint_eq(a.flags & (PA_SPAWN | PA_DEFER), PA_SPAWN);
	ck_assert(!p.throttled);
	proc_spawned(&p, 4, &a);
	proc_exited(&p, EXIT(1), 25.5, 0, true, 1, &a);
	ck_assert(a.flags & PA_DEFER);
	ck_assert(logged("restart floor"));
	/* a running process is never respawned */
	proc_respawn(&p, 30, &a);
	proc_spawned(&p, 5, &a);
	proc_respawn(&p, 40, &a);
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_int_eq(p.pid, 5);
}
END_TEST

/* depends_on: the caller's look at the dependencies gates each spawn.
 * Each row: STARTING at 5 (wall 1005), not spawned; the look at 8. */
static const struct deps_case {
	enum proc_deps	 deps;
	bool		 waiting;	/* it waited already */
	bool		 spawn;
	unsigned	 acts;		/* of PA_DEPWAIT | PA_TIMER */
	bool		 changed;
	enum proc_state	 to;
	double		 start;		/* start_mono afterwards */
	const char	*log;		/* NULL: nothing logged */
} deps_cases[] = {
	{ PROC_DEPS_READY,  false, true,  0,          false, PROC_STARTING, 5,
	  NULL },
	{ PROC_DEPS_READY,  true,  true,  0,          false, PROC_STARTING, 8,
	  NULL },
	{ PROC_DEPS_WAIT,   false, false, PA_DEPWAIT, true,  PROC_STARTING, 5,
	  "web: waiting for the programs it depends on (depends_on)" },
	{ PROC_DEPS_WAIT,   true,  false, PA_DEPWAIT, false, PROC_STARTING, 5,
	  NULL },
	{ PROC_DEPS_FAILED, false, false, PA_TIMER,   true,  PROC_BACKOFF,  5,
	  "spawnerr: dependency db is FATAL" },
	{ PROC_DEPS_FAILED, true,  false, PA_TIMER,   true,  PROC_BACKOFF,  5,
	  "spawnerr: dependency db is FATAL" },
};

START_TEST(test_deps_cases)
{
	const struct deps_case	*c = &deps_cases[_i];

	proc_start(&p, 5, 1005, &a);
	ck_assert_int_eq(proc_deps(&p, c->deps, c->waiting,
	    "dependency db is FATAL", 8, 1008, &a), c->spawn);
	ck_assert_uint_eq(a.flags & (PA_DEPWAIT | PA_TIMER | PA_SPAWN),
	    c->acts);
	ck_assert(a.changed == c->changed);
	ck_assert_int_eq(p.state, c->to);
	ck_assert(p.start_mono == c->start);
	ck_assert(p.start_wall == (c->start == 8 ? 1008 : 1005));
	if (c->log != NULL)
		ck_assert(logged(c->log));
	else
		ck_assert_uint_eq(a.nlog, 0);
	if (c->to == PROC_BACKOFF)
		ck_assert_str_eq(p.spawnerr, "dependency db is FATAL");
}
END_TEST

/* A failed dependency counts as a failed start: FATAL after the retries;
 * and only a STARTING process without a pid is gated. */
START_TEST(test_deps_fatal)
{
	prog.startretries = 0;
	proc_start(&p, 0, 1000, &a);
	ck_assert(!proc_deps(&p, PROC_DEPS_FAILED, false,
	    "dependency db is not in the configuration", 0, 1000, &a));
	ck_assert_int_eq(p.state, PROC_FATAL);
	ck_assert(logged("gave up: web entered FATAL state"));
	ck_assert(!proc_deps(&p, PROC_DEPS_READY, false, "", 1, 1001, &a));
	ck_assert_uint_eq(a.flags, 0);
	spawn_ok(2, 7);
	ck_assert(!proc_deps(&p, PROC_DEPS_FAILED, false, "x", 3, 1003, &a));
	ck_assert_int_eq(p.state, PROC_STARTING);
	ck_assert_int_eq(p.pid, 7);
}
END_TEST

START_TEST(test_describe_stopped_date)
{
	char	desc[128];

	setenv("TZ", "UTC", 1);
	spawn_ok(0, 1);
	proc_timer(&p, 1, 0, &a);
	proc_exited(&p, EXIT(0), 5, 1764097200, true, 0, &a);	/* 2025-11-25 19:00 */
	proc_describe(&p, 1764097200, desc, sizeof(desc));
	ck_assert_str_eq(desc, "Nov 25 07:00 PM");
}
END_TEST

START_TEST(test_describe_backoff_unknown)
{
	char	desc[128];

	spawn_ok(0, 1);
	p.state = PROC_BACKOFF;
	p.spawnerr[0] = '\0';
	proc_describe(&p, 0, desc, sizeof(desc));
	ck_assert_str_eq(desc, "unknown error (try \"tail web\")");
	p.state = PROC_STARTING;
	proc_describe(&p, 0, desc, sizeof(desc));
	ck_assert_str_eq(desc, "");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("process");
	TCase	*tc = tcase_create("transitions");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_start_running);
	tcase_add_test(tc, test_startsecs_zero);
	tcase_add_test(tc, test_backoff_then_fatal);
	tcase_add_test(tc, test_startretries_zero);
	tcase_add_test(tc, test_spawn_error);
	tcase_add_test(tc, test_shutdown_on);
	tcase_add_test(tc, test_ready);
	tcase_add_test(tc, test_running_resets_backoff);
	tcase_add_test(tc, test_transitions);
	tcase_add_test(tc, test_autorestart_unexpected);
	tcase_add_test(tc, test_autorestart_true_false);
	tcase_add_test(tc, test_no_restart_during_shutdown);
	tcase_add_test(tc, test_stop_pending_autorestart);
	tcase_add_test(tc, test_exitcodes_and_signal_death);
	tcase_add_test(tc, test_exit_after_startsecs_before_timer);
	tcase_add_test(tc, test_stop_sigkill);
	tcase_add_test(tc, test_stop_states);
	tcase_add_test(tc, test_describe_stopped_date);
	tcase_add_test(tc, test_describe_backoff_unknown);
	tcase_add_loop_test(tc, test_restart_floor_cases, 0,
	    (int)(sizeof(floor_cases) / sizeof(floor_cases[0])));
	tcase_add_test(tc, test_restart_floor_loop);
	tcase_add_loop_test(tc, test_deps_cases, 0,
	    (int)(sizeof(deps_cases) / sizeof(deps_cases[0])));
	tcase_add_test(tc, test_deps_fatal);
	tcase_add_test(tc, test_restart_limit);
	tcase_add_test(tc, test_restart_times);
	tcase_add_test(tc, test_restart_limit_new_count);
	suite_add_tcase(s, tc);
	return check_run(s);
}
