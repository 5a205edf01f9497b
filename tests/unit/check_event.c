/* check_event.c: supervisord's events as event.c has them: the type
 * hierarchy, the header and payload text (against what supervisord 4.2.5
 * sent on this machine, /work/shared/reference/supervisord-events.md),
 * the drop-oldest buffer, and the listener protocol fed in pieces. */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "process.h"
#include "check_run.h"

START_TEST(test_names)
{
	ck_assert_int_eq(event_find("PROCESS_STATE_RUNNING"),
	    EVENT_PROCESS_STATE_RUNNING);
	ck_assert_int_eq(event_find("tick_5"), EVENT_TICK_5);
	ck_assert_int_eq(event_find("PROCESS_STATE_NOPE"), -1);
	ck_assert_str_eq(event_name(EVENT_PROCESS_GROUP_REMOVED),
	    "PROCESS_GROUP_REMOVED");
	ck_assert_int_eq(event_of_state(PROC_EXITED),
	    EVENT_PROCESS_STATE_EXITED);
	ck_assert_int_eq(event_of_state(PROC_UNKNOWN),
	    EVENT_PROCESS_STATE_UNKNOWN);
}
END_TEST

START_TEST(test_hierarchy)
{
	event_mask	m;

	m = event_subscription(EVENT_PROCESS_STATE);
	ck_assert(m & EVENT_BIT(EVENT_PROCESS_STATE_FATAL));
	ck_assert(m & EVENT_BIT(EVENT_PROCESS_STATE_STARTING));
	ck_assert(!(m & EVENT_BIT(EVENT_TICK_5)));
	m = event_subscription(EVENT_ANY);
	ck_assert(m & EVENT_BIT(EVENT_TICK_3600));
	ck_assert(m & EVENT_BIT(EVENT_PROCESS_LOG_STDERR));
	m = event_subscription(EVENT_TICK_60);
	ck_assert_uint_eq(m, EVENT_BIT(EVENT_TICK_60));
}
END_TEST

START_TEST(test_parse_list)
{
	struct buf	why;
	event_mask	m;

	buf_init(&why);
	ck_assert_int_eq(event_parse_list("PROCESS_STATE_EXITED, "
	    "process_state_fatal,TICK_5", &m, &why), 0);
	ck_assert_uint_eq(m, EVENT_BIT(EVENT_PROCESS_STATE_EXITED) |
	    EVENT_BIT(EVENT_PROCESS_STATE_FATAL) | EVENT_BIT(EVENT_TICK_5));
	ck_assert_int_eq(event_parse_list("PROCESS_STATE,BOGUS", &m, &why),
	    -1);
	ck_assert_str_eq(why.data, "unknown event type 'BOGUS'");
	buf_reset(&why);
	ck_assert_int_eq(event_parse_list(" , ", &m, &why), -1);
	buf_free(&why);
}
END_TEST

/* The captures of supervisord-events.md, payload and header. */
START_TEST(test_payloads)
{
	struct buf	b;

	buf_init(&b);
	event_state_payload(&b, EVENT_PROCESS_STATE_STARTING, "rec", "rec",
	    "STOPPED", 0, 0, true);
	ck_assert_str_eq(b.data, "processname:rec groupname:rec "
	    "from_state:STOPPED tries:0");
	ck_assert_uint_eq(b.len, 56);
	buf_reset(&b);
	event_state_payload(&b, EVENT_PROCESS_STATE_RUNNING, "rec", "rec",
	    "STARTING", 8500, 0, true);
	ck_assert_str_eq(b.data, "processname:rec groupname:rec "
	    "from_state:STARTING pid:8500");
	ck_assert_uint_eq(b.len, 58);
	buf_reset(&b);
	event_state_payload(&b, EVENT_PROCESS_STATE_EXITED, "w", "w",
	    "RUNNING", 42, 0, false);
	ck_assert_str_eq(b.data, "processname:w groupname:w "
	    "from_state:RUNNING expected:0 pid:42");
	buf_reset(&b);
	event_state_payload(&b, EVENT_PROCESS_STATE_FATAL, "w", "w",
	    "BACKOFF", 42, 3, false);
	ck_assert_str_eq(b.data, "processname:w groupname:w "
	    "from_state:BACKOFF");
	buf_reset(&b);
	event_header(&b, 4, "rec", 4, EVENT_PROCESS_STATE_STOPPING, 53);
	ck_assert_str_eq(b.data, "ver:3.0 server:supervisor serial:4 "
	    "pool:rec poolserial:4 eventname:PROCESS_STATE_STOPPING len:53\n");
	buf_reset(&b);
	event_output_payload(&b, EVENT_PROCESS_LOG_STDOUT, "w", "g", 7,
	    "hi\n", 3);
	ck_assert_str_eq(b.data, "processname:w groupname:g pid:7 "
	    "channel:stdout\nhi\n");
	buf_reset(&b);
	event_output_payload(&b, EVENT_PROCESS_COMMUNICATION_STDOUT, "w", "g",
	    7, "x", 1);
	ck_assert_str_eq(b.data, "processname:w groupname:g pid:7\nx");
	buf_reset(&b);
	event_tick_payload(&b, 1700000005ULL);
	ck_assert_str_eq(b.data, "when:1700000005");
	buf_reset(&b);
	event_group_payload(&b, "web");
	ck_assert_str_eq(b.data, "groupname:web\n");
	buf_free(&b);
}
END_TEST

/* An entry with a fresh message of serial s. */
static struct event_entry
entry(unsigned long long s)
{
	struct buf		b;
	struct event_entry	e;

	buf_init(&b);
	buf_printf(&b, "p%llu", s);
	e.msg = event_msg_new(EVENT_TICK_5, s, &b);
	e.poolserial = s;
	return e;
}

/* What a queue dropped, in order. */
struct drops {
	unsigned long long	serial[64];
	size_t			n;
};

static void
drop(void *arg, struct event_entry e)
{
	struct drops	*d = arg;

	ck_assert_uint_lt(d->n, nitems(d->serial));
	d->serial[d->n++] = e.msg->serial;
	event_msg_unref(e.msg);
}

/* Pop the oldest of q, which must have serial s. */
static void
pop_is(struct event_queue *q, unsigned long long s)
{
	struct event_entry	e;

	ck_assert(event_queue_pop(q, &e));
	ck_assert_uint_eq(e.msg->serial, s);
	event_msg_unref(e.msg);
}

START_TEST(test_queue)
{
	struct event_queue	q;
	struct event_entry	e;
	struct drops		d = { .n = 0 };
	unsigned long long	s;

	event_queue_init(&q, 3, EVENT_POOL_MAXBYTES);
	for (s = 0; s < 3; s++)
		ck_assert_uint_eq(event_queue_push(&q, entry(s), false, drop,
		    &d), 0);
	/* full: the oldest (0) goes */
	ck_assert_uint_eq(event_queue_push(&q, entry(3), false, drop, &d), 1);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_uint_eq(d.serial[0], 0);
	ck_assert(event_queue_pop(&q, &e));
	ck_assert_uint_eq(e.msg->serial, 1);
	/* sent back: it goes first again */
	ck_assert_uint_eq(event_queue_push(&q, e, true, drop, &d), 0);
	ck_assert(event_queue_pop(&q, &e));
	ck_assert_uint_eq(e.msg->serial, 1);
	ck_assert_str_eq(e.msg->payload, "p1");
	event_msg_unref(e.msg);
	pop_is(&q, 2);
	pop_is(&q, 3);
	ck_assert(!event_queue_pop(&q, &e));
	ck_assert_uint_eq(q.bytes, 0);
	/* full, and one sent back to the head: the oldest is dropped first */
	for (s = 10; s < 13; s++)
		(void)event_queue_push(&q, entry(s), false, drop, &d);
	ck_assert_uint_eq(event_queue_push(&q, entry(9), true, drop, &d), 1);
	ck_assert_uint_eq(d.serial[1], 10);
	pop_is(&q, 9);
	event_queue_free(&q);
}
END_TEST

/* The ring wraps around and grows while wrapped, FIFO order kept. */
START_TEST(test_queue_ring)
{
	struct event_queue	q;
	struct event_entry	e;
	struct drops		d = { .n = 0 };
	unsigned long long	next = 0, want = 0;
	int			round, k;

	event_queue_init(&q, 100, EVENT_POOL_MAXBYTES);
	for (round = 0; round < 20; round++) {
		/* push 7 then pop 4: the head walks around the ring while it
		 * fills and grows */
		for (k = 0; k < 7; k++)
			(void)event_queue_push(&q, entry(next++), false, drop,
			    &d);
		for (k = 0; k < 4; k++)
			pop_is(&q, want++);
	}
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(q.n, 60);
	/* a given-back one at the head of a wrapped ring */
	ck_assert(event_queue_pop(&q, &e));
	ck_assert_uint_eq(e.msg->serial, want);
	(void)event_queue_push(&q, e, true, drop, &d);
	/* fill to cap: the oldest are dropped, in order */
	while (next < 200)
		(void)event_queue_push(&q, entry(next++), false, drop, &d);
	ck_assert_uint_eq(q.n, 100);
	ck_assert_uint_eq(d.n, 20);
	for (k = 0; k < 20; k++)
		ck_assert_uint_eq(d.serial[k], want + (unsigned)k);
	want += 20;
	while (want < 200)
		pop_is(&q, want++);
	ck_assert(!event_queue_pop(&q, &e));
	ck_assert_uint_eq(q.bytes, 0);
	event_queue_free(&q);
}
END_TEST

/* An entry of serial s whose payload is len bytes. */
static struct event_entry
sized(unsigned long long s, size_t len)
{
	struct buf		b;
	struct event_entry	e;

	buf_init(&b);
	while (b.len < len)
		buf_add(&b, "x", 1);
	e.msg = event_msg_new(EVENT_TICK_5, s, &b);
	e.poolserial = s;
	return e;
}

/* Bounded in bytes too: the oldest go until the new one fits; one alone
 * bigger than the bound still goes in. Events left in it are freed. */
START_TEST(test_queue_bytes)
{
	struct event_queue	q;
	struct drops		d = { .n = 0 };

	event_queue_init(&q, 1000, 100);
	ck_assert_uint_eq(event_queue_push(&q, sized(0, 40), false, drop, &d),
	    0);
	ck_assert_uint_eq(event_queue_push(&q, sized(1, 40), false, drop, &d),
	    0);
	ck_assert_uint_eq(q.bytes, 80);
	ck_assert_uint_eq(event_queue_push(&q, sized(2, 30), false, drop, &d),
	    1);
	ck_assert_uint_eq(d.serial[0], 0);
	ck_assert_uint_eq(q.bytes, 70);
	ck_assert_uint_eq(event_queue_push(&q, sized(3, 100), false, drop,
	    &d), 2);
	ck_assert_uint_eq(d.serial[1], 1);
	ck_assert_uint_eq(d.serial[2], 2);
	ck_assert_uint_eq(q.n, 1);
	ck_assert_uint_eq(event_queue_push(&q, sized(4, 150), false, drop,
	    &d), 1);
	ck_assert_uint_eq(q.n, 1);
	ck_assert_uint_eq(q.bytes, 150);
	(void)event_queue_push(&q, sized(5, 0), false, drop, &d);
	ck_assert_uint_eq(q.n, 1);
	pop_is(&q, 5);
	(void)event_queue_push(&q, sized(6, 10), false, drop, &d);
	(void)event_queue_push(&q, sized(7, 10), false, drop, &d);
	event_queue_free(&q);
}
END_TEST

/* A message's payload keeps only its length (plus the NUL). */
START_TEST(test_msg_payload)
{
	struct event_entry	e = sized(1, 70000);

	ck_assert_uint_eq(e.msg->len, 70000);
	ck_assert_uint_eq(strlen(e.msg->payload), 70000);
	event_msg_unref(e.msg);
}
END_TEST

/* One overflow line a second at most, with the drops not logged since. */
START_TEST(test_droplog)
{
	struct event_droplog	l = { .any = false };
	unsigned long long	held = 99;

	ck_assert(event_droplog_due(&l, 100.0, &held));
	ck_assert_uint_eq(held, 0);
	ck_assert(!event_droplog_due(&l, 100.1, &held));
	ck_assert(!event_droplog_due(&l, 100.9, &held));
	ck_assert(!event_droplog_due(&l, 100.99, &held));
	ck_assert(event_droplog_due(&l, 101.0, &held));
	ck_assert_uint_eq(held, 3);
	ck_assert(event_droplog_due(&l, 105.0, &held));
	ck_assert_uint_eq(held, 0);
	ck_assert(!event_droplog_due(&l, 105.5, &held));
	/* the clock went back: log, rather than never again */
	ck_assert(event_droplog_due(&l, 50.0, &held));
	ck_assert_uint_eq(held, 1);
}
END_TEST

/* Feed s to p one byte at a time; the answers, one letter each: R ready,
 * O ok, F fail, G garbage. */
static void
feed(struct evl_parser *p, const char *s, size_t len, char *out)
{
	size_t		i, k = 0;
	enum evl_said	said;

	for (i = 0; i < len; i++) {
		evl_feed(p, s + i, 1);
		while ((said = evl_next(p)) != EVL_SAID_NOTHING) {
			out[k++] = "-ROFG"[said];
			if (said == EVL_SAID_READY)
				evl_sent(p);	/* an event goes out */
		}
	}
	out[k] = '\0';
}

START_TEST(test_protocol)
{
	struct evl_parser	p;
	char			out[64];
	static const char	talk[] = "READY\nRESULT 2\nOKREADY\n"
	    "RESULT 4\nFAILREADY\nRESULT 0\nREADY\n";
	enum evl_said		said;

	evl_init(&p);
	ck_assert_int_eq(p.state, EVL_ACKNOWLEDGED);
	feed(&p, talk, sizeof(talk) - 1, out);
	ck_assert_str_eq(out, "RORFRFR");
	ck_assert_int_eq(p.state, EVL_BUSY);
	evl_free(&p);

	/* all in one read: the same */
	evl_init(&p);
	evl_feed(&p, "READY\n", 6);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_READY);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_NOTHING);
	evl_sent(&p);
	evl_feed(&p, "RESULT 2\nOKREADY\n", 17);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_OK);
	ck_assert_int_eq(p.state, EVL_ACKNOWLEDGED);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_READY);
	evl_free(&p);

	/* talking while READY breaks the protocol */
	evl_init(&p);
	evl_feed(&p, "READY\nhello\n", 12);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_READY);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_GARBAGE);
	ck_assert_int_eq(p.state, EVL_UNKNOWN);
	ck_assert_str_eq(p.bad, "hello\\x0a");
	evl_feed(&p, "READY\n", 6);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_NOTHING);
	evl_free(&p);

	/* not READY first; a bad RESULT line */
	evl_init(&p);
	evl_feed(&p, "hello", 5);
	ck_assert_int_eq(evl_next(&p), EVL_SAID_GARBAGE);
	evl_free(&p);
	evl_init(&p);
	evl_feed(&p, "READY\n", 6);
	(void)evl_next(&p);
	evl_sent(&p);
	evl_feed(&p, "RESULT two\n", 11);
	said = evl_next(&p);
	ck_assert_int_eq(said, EVL_SAID_GARBAGE);
	ck_assert_str_eq(p.bad, "RESULT two");
	evl_free(&p);
}
END_TEST

/* What event_capture_feed handed out: "o[...]" output, "c[...]" a
 * message. */
static void
piece(void *arg, bool comm, const char *s, size_t n)
{
	struct buf	*b = arg;

	buf_printf(b, "%c[%.*s]", comm ? 'c' : 'o', (int)n, s);
}

START_TEST(test_capture)
{
	static const char	text[] = "before <!--XSUPERVISOR:BEGIN-->hello "
	    "comm<!--XSUPERVISOR:END--> after and a long enough tail\n";
	struct event_capture	c;
	struct buf		b, all;
	size_t			i;

	/* in one piece */
	buf_init(&b);
	event_capture_init(&c, 100);
	event_capture_feed(&c, text, sizeof(text) - 1, piece, &b);
	ck_assert_str_eq(b.data, "o[before ]c[hello comm]o[ after and a long "
	    "enough tail\n]");
	event_capture_free(&c);

	/* a byte at a time: the same pieces once joined */
	buf_reset(&b);
	event_capture_init(&c, 100);
	for (i = 0; i < sizeof(text) - 1; i++)
		event_capture_feed(&c, text + i, 1, piece, &b);
	buf_init(&all);
	for (i = 0; i < b.len; i++)	/* drop the piece boundaries */
		if (b.data[i] == 'c' && b.data[i + 1] == '[')
			buf_addstr(&all, "|C|"), i++;
		else if (b.data[i] == 'o' && b.data[i + 1] == '[')
			i++;
		else if (b.data[i] != ']')
			buf_addc(&all, b.data[i]);
	/* what is held back (it could start a token) is all that is left */
	ck_assert_uint_le(c.pending.len, 24);
	buf_add(&all, c.pending.data, c.pending.len);
	ck_assert_str_eq(all.data, "before |C|hello comm after and a long "
	    "enough tail\n");
	ck_assert(strstr(b.data, "c[hello comm]") != NULL);
	event_capture_free(&c);
	buf_free(&all);

	/* the message keeps its last max bytes */
	buf_reset(&b);
	event_capture_init(&c, 4);
	event_capture_feed(&c, text, sizeof(text) - 1, piece, &b);
	ck_assert(strstr(b.data, "c[comm]") != NULL);
	event_capture_free(&c);

	/* fed in many reads past max: still its last max bytes, while what
	 * is held stays under max and a half */
	buf_reset(&b);
	event_capture_init(&c, 10);
	event_capture_feed(&c, "<!--XSUPERVISOR:BEGIN-->", 24, piece, &b);
	for (i = 0; i < 100; i++) {
		char	d[4];

		(void)snprintf(d, sizeof(d), "%03zu", i);
		event_capture_feed(&c, d, 3, piece, &b);
		ck_assert_uint_le(c.data.len, 15);
	}
	event_capture_feed(&c, "<!--XSUPERVISOR:END-->", 22, piece, &b);
	event_capture_feed(&c, "x", 1, piece, &b);
	ck_assert_str_eq(b.data, "c[6097098099]");
	event_capture_free(&c);
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("event");
	TCase	*tc = tcase_create("event");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_hierarchy);
	tcase_add_test(tc, test_parse_list);
	tcase_add_test(tc, test_payloads);
	tcase_add_test(tc, test_queue);
	tcase_add_test(tc, test_queue_ring);
	tcase_add_test(tc, test_queue_bytes);
	tcase_add_test(tc, test_msg_payload);
	tcase_add_test(tc, test_droplog);
	tcase_add_test(tc, test_protocol);
	tcase_add_test(tc, test_capture);
	suite_add_tcase(s, tc);
	return check_run(s);
}
