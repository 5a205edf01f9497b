/* check_handover.c: the re-exec state blob: a round trip of every field
 * (event listeners, their pools and buffered events too), and the strict
 * parser's refusals (truncated, corrupt, unknown version, unknown or
 * repeated keys, an event of no pool, a pool in a version 2 blob). */
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
	struct handover_pool	*pl;
	struct handover_event	*e;

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
	p->evl_pool = xstrdup("mon pool");
	p->evl_in = 15;
	p->evl_out = 16;
	p->evl_state = 2;
	handover_set_bytes(&p->evl_read, "RESULT 2\nO", 10);
	p->evl_resultlen = 2;
	handover_set_bytes(&p->evl_result, "O", 1);
	p->evl_bad = xstrdup("bad words");
	handover_set_bytes(&p->evl_write, "ver:3.0 \0rest", 13);
	p->evl_has = true;
	p->evl_serial = 41;
	p->evl_poolserial = 17;
	p->evl_type = 3;
	handover_set_bytes(&p->evl_payload, "processname:x\n%", 16);
	p->cap_out_on = true;
	handover_set_bytes(&p->cap_out_pending, "<!--XSUP", 8);
	handover_set_bytes(&p->cap_out_data, "captured\n", 9);
	p->cap_err_on = true;
	handover_set_bytes(&p->cap_err_pending, "<", 1);
	handover_set_bytes(&p->cap_err_data, "e", 1);
	p = handover_add_proc(h, "idle");
	p->state = 0;
	h->evl_serial = 44;
	h->evl_tick[0] = 1700000005;
	h->evl_tick[1] = 1700000040;
	h->evl_tick[2] = 1699999200;
	pl = handover_add_pool(h, "mon pool");
	pl->serial = 20;
	pl->drop_any = true;
	pl->drop_last = 1700000000.25;
	pl->drop_held = 5;
	(void)handover_add_pool(h, "empty");
	e = handover_add_event(h, "mon pool");
	e->serial = 42;
	e->poolserial = 18;
	e->type = 5;
	handover_set_bytes(&e->payload, "a b\nc", 5);
	e = handover_add_event(h, "mon pool");
	e->serial = 43;
	e->poolserial = 19;
	e->type = 0;		/* an empty payload */
}

static void
same_bytes(const struct handover_bytes *a, const struct handover_bytes *b)
{
	ck_assert_uint_eq(a->len, b->len);
	if (a->len > 0)
		ck_assert(memcmp(a->p, b->p, a->len) == 0);
	else
		ck_assert_ptr_null(b->p);
}

/* The listener fields of two process records. */
static void
same_listener(const struct handover_proc *x, const struct handover_proc *y)
{
	if (x->evl_pool != NULL)
		ck_assert_str_eq(x->evl_pool, y->evl_pool);
	else
		ck_assert_ptr_null(y->evl_pool);
	ck_assert_int_eq(x->evl_in, y->evl_in);
	ck_assert_int_eq(x->evl_out, y->evl_out);
	ck_assert_int_eq(x->evl_state, y->evl_state);
	same_bytes(&x->evl_read, &y->evl_read);
	ck_assert(x->evl_resultlen == y->evl_resultlen);
	same_bytes(&x->evl_result, &y->evl_result);
	if (x->evl_bad != NULL)
		ck_assert_str_eq(x->evl_bad, y->evl_bad);
	else
		ck_assert_ptr_null(y->evl_bad);
	same_bytes(&x->evl_write, &y->evl_write);
	ck_assert(x->evl_has == y->evl_has);
	ck_assert(x->evl_serial == y->evl_serial);
	ck_assert(x->evl_poolserial == y->evl_poolserial);
	ck_assert_int_eq(x->evl_type, y->evl_type);
	same_bytes(&x->evl_payload, &y->evl_payload);
	ck_assert(x->cap_out_on == y->cap_out_on);
	same_bytes(&x->cap_out_pending, &y->cap_out_pending);
	same_bytes(&x->cap_out_data, &y->cap_out_data);
	ck_assert(x->cap_err_on == y->cap_err_on);
	same_bytes(&x->cap_err_pending, &y->cap_err_pending);
	same_bytes(&x->cap_err_data, &y->cap_err_data);
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
		same_listener(x, y);
	}
	ck_assert(b.evl_serial == 44);
	for (i = 0; i < 3; i++)
		ck_assert(b.evl_tick[i] == a.evl_tick[i]);
	ck_assert_uint_eq(b.npools, 2);
	for (i = 0; i < 2; i++) {
		const struct handover_pool *x = &a.pools[i], *y = &b.pools[i];

		ck_assert_str_eq(x->name, y->name);
		ck_assert(x->serial == y->serial);
		ck_assert(x->drop_any == y->drop_any);
		ck_assert(x->drop_last == y->drop_last);
		ck_assert(x->drop_held == y->drop_held);
	}
	ck_assert_uint_eq(b.nevents, 2);
	for (i = 0; i < 2; i++) {
		const struct handover_event *x = &a.events[i],
		    *y = &b.events[i];

		ck_assert_str_eq(x->pool, y->pool);
		ck_assert(x->serial == y->serial);
		ck_assert(x->poolserial == y->poolserial);
		ck_assert_int_eq(x->type, y->type);
		same_bytes(&x->payload, &y->payload);
	}
	/* defaults of the record that set nothing */
	ck_assert_int_eq(b.procs[1].out.pipefd, -1);
	ck_assert_int_eq(b.procs[1].readyfd, -1);
	ck_assert_int_eq(b.procs[1].evl_in, -1);
	ck_assert_int_eq(b.procs[1].evl_out, -1);
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
	int		want[] = { 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

	full(&h);
	n = handover_fds(&h, fds, 32);
	ck_assert_uint_eq(n, 12);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(fds[i], want[i]);
	/* too small an array: the count still comes back */
	ck_assert_uint_eq(handover_fds(&h, fds, 2), 12);
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
	ck_assert_ptr_null(h.procs[0].evl_pool);
	ck_assert_int_eq(h.procs[0].evl_in, -1);
	ck_assert_uint_eq(h.npools, 0);
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
#define HEAD3	"tend-handover 3\ndaemon generation=0 self=/x control=3 " \
		"replydir=4\n"
	/* pools and events: version 3 only, strict like the rest */
	{ "tend-handover 2\ndaemon generation=0 self=/x control=3 "
	  "replydir=4\npool name=p\nend 0\n", "unknown record \"pool" },
	{ HEAD3 "pool serial=1\nend 0\n", "pool: name is missing" },
	/* a pool or event line lost from the middle is seen at the end */
	{ HEAD3 "pool name=p\nend 0\n", "end says 0 records, 1 were given" },
	{ HEAD3 "pool name=p\nevent pool=p serial=1 poolserial=0 type=3\n"
	  "end 1\n", "end says 1 records, 2 were given" },
	{ HEAD3 "pool name=p serial=-1\nend 0\n", "serial: not a number" },
	{ HEAD3 "pool name=p drop_any=yes\nend 0\n",
	  "drop_any: not 0 or 1" },
	{ HEAD3 "pool name=p colour=red\nend 0\n", "unknown key" },
	{ HEAD3 "event pool=p serial=1 poolserial=0 type=3\nend 0\n",
	  "event: no pool record \"p\" before it" },
	{ HEAD3 "pool name=p\nevent pool=p serial=1 type=3\nend 0\n",
	  "event: poolserial is missing" },
	{ HEAD3 "pool name=p\nevent pool=p serial=1 poolserial=0\nend 0\n",
	  "event: type is missing" },
	{ HEAD3 "pool name=p\nevent pool=p serial=1 poolserial=0 type=3 "
	  "payload=%4\nend 0\n", "payload: bad %-escape" },
	{ HEAD3 "proc name=a state=20 pid=1 evl_in=x\nend 1\n",
	  "evl_in: not a descriptor" },
	{ HEAD3 "proc name=a state=20 pid=1 evl_has=1 evl_has=1\nend 1\n",
	  "evl_has given twice" },
	{ HEAD3 "proc name=a state=20 pid=1 evl_resultlen=1x\nend 1\n",
	  "evl_resultlen: not a number" },
#undef HEAD3
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
	ck_assert_uint_eq(h.npools, 0);
	ck_assert_ptr_null(h.pools);
	ck_assert_uint_eq(h.nevents, 0);
	ck_assert_ptr_null(h.events);
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
