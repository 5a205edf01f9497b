/* check_handover.c: the re-exec state blob: a round trip of every field,
 * and the strict parser's refusals (truncated, corrupt, unknown version,
 * unknown or repeated keys). */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "handover.h"
#include "util.h"
#include "check_run.h"

/* A handover with every field set to a value that is not its default. */
static void
full(struct handover *h)
{
	struct handover_proc	*p;

	handover_init(h);
	h->generation = 7;
	h->self = xstrdup("/usr/local/sbin/tendd with space");
	h->sent_mono = 12345.678901234;
	h->control_fd = 5;
	h->control_dirfd = 6;
	h->pidfile_fd = 7;
	h->notify_fd = 8;
	h->notify_name = xstrdup("@tend-notify/42");
	h->reply_fd = 9;
	h->reply_uid = 1000;
	p = handover_add_proc(h, "grp:web");
	p->state = 20;
	p->pid = 4242;
	p->backoff = 2;
	p->start_mono = 100.125;
	p->start_wall = 1700000000;
	p->stop_wall = 1700000100;
	p->killing = true;
	p->exitstatus = -1;
	p->waitstatus = 0x0f00;
	p->waited = true;
	p->spawnerr = xstrdup("can't find command 'x%y'");
	p->restarts = 99;
	p->respawn_due = 101.5;
	p->throttled = true;
	p->timer_due = 1e9 / 3;
	p->starttime = 18446744073709551615ULL;
	p->dep_wait = true;
	p->readyfd = 10;
	p->restart_times = xstrdup("100.500000,160.250000");
	p->health = 1;
	p->health_failures = 2;
	p->health_probes = 77;
	p->health_start_end = 130.75;
	p->health_started = true;
	p->health_reported = true;
	p->health_restart = true;
	p->health_why = xstrdup("http 503 from http://127.0.0.1:80/h");
	p->out.pipefd = 11;
	p->out.filefd = 12;
	p->out.size = 1ULL << 40;
	p->out.broken = true;
	p->out.pipesz = 1 << 20;
	p->out.regular = true;
	p->out.rotating = true;
	p->out.can_splice = true;
	handover_set_bytes(&p->out.carry, "half a line\0with NUL\n%\x7f",
	    24);
	handover_set_bytes(&p->out.sysline, "sys", 3);
	p->err.pipefd = 13;
	p->err.filefd = 14;
	p->err.size = 3;
	handover_set_bytes(&p->err.carry, " ", 1);
	p = handover_add_proc(h, "idle");
	p->state = 0;
}

static void
same_stream(const struct handover_stream *a, const struct handover_stream *b)
{
	ck_assert_int_eq(a->pipefd, b->pipefd);
	ck_assert_int_eq(a->filefd, b->filefd);
	ck_assert(a->size == b->size);
	ck_assert(a->broken == b->broken);
	ck_assert_int_eq(a->pipesz, b->pipesz);
	ck_assert(a->regular == b->regular);
	ck_assert(a->rotating == b->rotating);
	ck_assert(a->can_splice == b->can_splice);
	ck_assert_uint_eq(a->carry.len, b->carry.len);
	if (a->carry.len > 0)
		ck_assert(memcmp(a->carry.p, b->carry.p, a->carry.len) == 0);
	ck_assert_uint_eq(a->sysline.len, b->sysline.len);
	if (a->sysline.len > 0)
		ck_assert(memcmp(a->sysline.p, b->sysline.p,
		    a->sysline.len) == 0);
}

START_TEST(test_roundtrip)
{
	struct handover	 a, b;
	struct buf	 t;
	char		 why[256];
	size_t		 i;

	full(&a);
	buf_init(&t);
	handover_format(&a, &t);
	ck_assert_msg(handover_parse(t.data, t.len, &b, why, sizeof(why)) ==
	    0, "%s", why);
	ck_assert_uint_eq(b.version, HANDOVER_VERSION);
	ck_assert_uint_eq(b.generation, 7);
	ck_assert_str_eq(b.self, a.self);
	ck_assert(b.sent_mono == a.sent_mono);
	ck_assert_int_eq(b.control_fd, 5);
	ck_assert_int_eq(b.control_dirfd, 6);
	ck_assert_int_eq(b.pidfile_fd, 7);
	ck_assert_int_eq(b.notify_fd, 8);
	ck_assert_str_eq(b.notify_name, a.notify_name);
	ck_assert_int_eq(b.reply_fd, 9);
	ck_assert_int_eq(b.reply_uid, 1000);
	ck_assert_uint_eq(b.nprocs, 2);
	for (i = 0; i < 2; i++) {
		const struct handover_proc *x = &a.procs[i], *y = &b.procs[i];

		ck_assert_str_eq(x->name, y->name);
		ck_assert_int_eq(x->state, y->state);
		ck_assert_int_eq(x->pid, y->pid);
		ck_assert_uint_eq(x->backoff, y->backoff);
		ck_assert(x->start_mono == y->start_mono);
		ck_assert(x->start_wall == y->start_wall);
		ck_assert(x->stop_wall == y->stop_wall);
		ck_assert(x->killing == y->killing);
		ck_assert_int_eq(x->exitstatus, y->exitstatus);
		ck_assert_int_eq(x->waitstatus, y->waitstatus);
		ck_assert(x->waited == y->waited);
		if (x->spawnerr != NULL)
			ck_assert_str_eq(x->spawnerr, y->spawnerr);
		else
			ck_assert_ptr_null(y->spawnerr);
		ck_assert_uint_eq(x->restarts, y->restarts);
		ck_assert(x->respawn_due == y->respawn_due);
		ck_assert(x->throttled == y->throttled);
		ck_assert(x->timer_due == y->timer_due);	/* exact */
		ck_assert(x->starttime == y->starttime);
		ck_assert(x->dep_wait == y->dep_wait);
		ck_assert_int_eq(x->readyfd, y->readyfd);
		if (x->restart_times != NULL)
			ck_assert_str_eq(x->restart_times, y->restart_times);
		else
			ck_assert_ptr_null(y->restart_times);
		ck_assert_int_eq(x->health, y->health);
		ck_assert_uint_eq(x->health_failures, y->health_failures);
		ck_assert_uint_eq(x->health_probes, y->health_probes);
		ck_assert(x->health_start_end == y->health_start_end);
		ck_assert(x->health_started == y->health_started);
		ck_assert(x->health_reported == y->health_reported);
		ck_assert(x->health_restart == y->health_restart);
		if (x->health_why != NULL)
			ck_assert_str_eq(x->health_why, y->health_why);
		else
			ck_assert_ptr_null(y->health_why);
		same_stream(&x->out, &y->out);
		same_stream(&x->err, &y->err);
	}
	/* defaults of the record that set nothing */
	ck_assert_int_eq(b.procs[1].out.pipefd, -1);
	ck_assert_int_eq(b.procs[1].readyfd, -1);
	handover_free(&a);
	handover_free(&b);
	buf_free(&t);
}
END_TEST

START_TEST(test_fds)
{
	struct handover	h;
	int		fds[32];
	size_t		n, i;
	int		want[] = { 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

	full(&h);
	n = handover_fds(&h, fds, 32);
	ck_assert_uint_eq(n, 10);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(fds[i], want[i]);
	/* too small an array: the count still comes back */
	ck_assert_uint_eq(handover_fds(&h, fds, 2), 10);
	handover_free(&h);
}
END_TEST

/* A version 1 blob (no restart history, no health state) is still read:
 * those fields are at their zero, "no result" for health. */
START_TEST(test_version1)
{
	static const char v1[] = "tend-handover 1\ndaemon generation=3 "
	    "self=/x control=3 replydir=4\nproc name=a:a state=20 pid=12\n"
	    "end 1\n";
	struct handover	 h;
	char		 why[256] = "";

	ck_assert_msg(handover_parse(v1, sizeof(v1) - 1, &h, why,
	    sizeof(why)) == 0, "%s", why);
	ck_assert_uint_eq(h.version, 1);
	ck_assert_uint_eq(h.nprocs, 1);
	ck_assert_ptr_null(h.procs[0].restart_times);
	ck_assert_int_eq(h.procs[0].health, 0);
	ck_assert_ptr_null(h.procs[0].health_why);
	handover_free(&h);
}
END_TEST

START_TEST(test_accepts)
{
	ck_assert(handover_accepts(HANDOVER_VERSION));
	ck_assert(handover_accepts(1));
	ck_assert(!handover_accepts(HANDOVER_VERSION + 1));
	ck_assert(!handover_accepts(0));
}
END_TEST

#define HEAD	"tend-handover 1\ndaemon generation=0 self=/x control=3 " \
		"replydir=4\n"

static const struct bad_case {
	const char	*text;
	const char	*why;	/* a part of the reason */
} bad_cases[] = {
	{ "", "empty" },
	{ "garbage\n", "line 1: not a tend handover" },
	{ "tend-handover\n", "not a tend handover" },
	{ "tend-handover 99\nend 0\n", "version 99 is not known" },
	{ "tend-handover 0\nend 0\n", "version 0 is not known" },
	{ "tend-handover x\n", "bad version" },
	{ HEAD, "truncated (no end record)" },
	{ HEAD "proc name=a state=20 pid=1\nend 1", "not terminated" },
	{ HEAD "proc name=a state=20 pid=1\nend 2\n", "end says 2" },
	{ HEAD "proc name=a state=20 pid=1\n", "no end record" },
	{ HEAD "end 0\nproc name=a state=0 pid=0\n", "text after the end" },
	{ "tend-handover 1\nend 0\n", "no daemon record" },
	{ HEAD "daemon generation=0 self=/x control=3 replydir=4\nend 0\n",
	  "daemon given twice" },
	{ HEAD "proc name=a state=20\nend 1\n", "proc: pid is missing" },
	{ HEAD "proc name=a state=20 pid=1 pid=2\nend 1\n", "given twice" },
	{ HEAD "proc name=a state=20 pid=1 colour=red\nend 1\n",
	  "unknown key \"colour\"" },
	{ HEAD "proc name=a state=20 pid=x1\nend 1\n", "pid: not a number" },
	{ HEAD "proc name=a state=20 pid=99999999999999999999\nend 1\n",
	  "pid: not a number" },
	{ HEAD "proc name=a state=20 pid=1 killing=2\nend 1\n",
	  "killing: not 0 or 1" },
	{ HEAD "proc name=a state=20 pid=1 start_mono=nan\nend 1\n",
	  "start_mono: not a number" },
	{ HEAD "proc name=a state=20 pid=1 out.pipe=-2\nend 1\n",
	  "out.pipe: not a descriptor" },
	{ HEAD "proc name=a%2 state=20 pid=1\nend 1\n", "bad %-escape" },
	{ HEAD "proc name=a%zz state=20 pid=1\nend 1\n", "bad %-escape" },
	{ HEAD "proc name=a%00b state=20 pid=1\nend 1\n", "NUL byte" },
	{ HEAD "proc name=a  state=20 pid=1\nend 1\n", "not key=value" },
	{ HEAD "proc nokey\nend 1\n", "not key=value" },
	{ HEAD "bogus 1\nend 0\n", "unknown record \"bogus 1\"" },
	{ HEAD "procs name=a\nend 0\n", "unknown record" },
	{ "tend-handover 1\ndaemon self=/x control=3 replydir=4\nend 0\n",
	  "generation is missing" },
};

START_TEST(test_bad)
{
	const struct bad_case	*bc = &bad_cases[_i];
	struct handover		 h;
	char			 why[256] = "";

	ck_assert_int_eq(handover_parse(bc->text, strlen(bc->text), &h, why,
	    sizeof(why)), -1);
	ck_assert_msg(strstr(why, bc->why) != NULL, "case %d: \"%s\" lacks "
	    "\"%s\"", _i, why, bc->why);
	ck_assert_uint_eq(h.nprocs, 0);
	ck_assert_ptr_null(h.procs);
}
END_TEST

START_TEST(test_truncated_everywhere)
{
	struct handover	 a, b;
	struct buf	 t;
	char		 why[256];
	size_t		 n;

	full(&a);
	buf_init(&t);
	handover_format(&a, &t);
	/* every cut short of the whole blob is refused */
	for (n = 0; n < t.len; n++)
		ck_assert_msg(handover_parse(t.data, n, &b, why, sizeof(why))
		    == -1, "cut at %zu accepted", n);
	/* and the whole is accepted */
	ck_assert(handover_parse(t.data, t.len, &b, why, sizeof(why)) == 0);
	handover_free(&b);
	handover_free(&a);
	buf_free(&t);
}
END_TEST

static Suite *
suite_handover(void)
{
	Suite	*s = suite_create("handover");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_fds);
	tcase_add_test(tc, test_version1);
	tcase_add_test(tc, test_accepts);
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_truncated_everywhere);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite_handover());
}
