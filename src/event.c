/* event.c: supervisord's events and its event listener protocol, as
 * events.py, process.py (EventListenerPool) and dispatchers.py
 * (PEventListenerDispatcher) of supervisor 4.2.5 have them: type names,
 * hierarchy, header and payload text, the drop-oldest buffer, and the
 * READY / RESULT exchange read from a listener's stdout. Pure: no system
 * call, no libev (listener.c does the I/O). */
#include "event.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "process.h"

/* Names and parents, in enum event_type's order. */
static const struct event_def {
	const char	*name;
	int		 parent;	/* -1: the root */
} event_defs[EVENT_NTYPES] = {
	[EVENT_ANY] = { "EVENT", -1 },
	[EVENT_PROCESS_STATE] = { "PROCESS_STATE", EVENT_ANY },
	[EVENT_PROCESS_STATE_STOPPED] = { "PROCESS_STATE_STOPPED",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_STATE_EXITED] = { "PROCESS_STATE_EXITED",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_STATE_STARTING] = { "PROCESS_STATE_STARTING",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_STATE_STOPPING] = { "PROCESS_STATE_STOPPING",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_STATE_BACKOFF] = { "PROCESS_STATE_BACKOFF",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_STATE_FATAL] = { "PROCESS_STATE_FATAL",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_STATE_RUNNING] = { "PROCESS_STATE_RUNNING",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_STATE_UNKNOWN] = { "PROCESS_STATE_UNKNOWN",
	    EVENT_PROCESS_STATE },
	[EVENT_PROCESS_COMMUNICATION] = { "PROCESS_COMMUNICATION", EVENT_ANY },
	[EVENT_PROCESS_COMMUNICATION_STDOUT] = {
	    "PROCESS_COMMUNICATION_STDOUT", EVENT_PROCESS_COMMUNICATION },
	[EVENT_PROCESS_COMMUNICATION_STDERR] = {
	    "PROCESS_COMMUNICATION_STDERR", EVENT_PROCESS_COMMUNICATION },
	[EVENT_PROCESS_LOG] = { "PROCESS_LOG", EVENT_ANY },
	[EVENT_PROCESS_LOG_STDOUT] = { "PROCESS_LOG_STDOUT",
	    EVENT_PROCESS_LOG },
	[EVENT_PROCESS_LOG_STDERR] = { "PROCESS_LOG_STDERR",
	    EVENT_PROCESS_LOG },
	[EVENT_REMOTE_COMMUNICATION] = { "REMOTE_COMMUNICATION", EVENT_ANY },
	[EVENT_SUPERVISOR_STATE_CHANGE] = { "SUPERVISOR_STATE_CHANGE",
	    EVENT_ANY },
	[EVENT_SUPERVISOR_STATE_CHANGE_RUNNING] = {
	    "SUPERVISOR_STATE_CHANGE_RUNNING", EVENT_SUPERVISOR_STATE_CHANGE },
	[EVENT_SUPERVISOR_STATE_CHANGE_STOPPING] = {
	    "SUPERVISOR_STATE_CHANGE_STOPPING", EVENT_SUPERVISOR_STATE_CHANGE },
	[EVENT_TICK] = { "TICK", EVENT_ANY },
	[EVENT_TICK_5] = { "TICK_5", EVENT_TICK },
	[EVENT_TICK_60] = { "TICK_60", EVENT_TICK },
	[EVENT_TICK_3600] = { "TICK_3600", EVENT_TICK },
	[EVENT_PROCESS_GROUP] = { "PROCESS_GROUP", EVENT_ANY },
	[EVENT_PROCESS_GROUP_ADDED] = { "PROCESS_GROUP_ADDED",
	    EVENT_PROCESS_GROUP },
	[EVENT_PROCESS_GROUP_REMOVED] = { "PROCESS_GROUP_REMOVED",
	    EVENT_PROCESS_GROUP },
};

/* See event.h. */
const char *
event_name(enum event_type t)
{
	return (unsigned)t < EVENT_NTYPES ? event_defs[t].name : "?";
}

/* See event.h. */
int
event_find(const char *name)
{
	int	i;

	for (i = 0; i < EVENT_NTYPES; i++)
		if (strcasecmp(event_defs[i].name, name) == 0)
			return i;
	return -1;
}

/* See event.h: supervisord delivers an event to a subscription of any
 * class the event's class derives from. */
event_mask
event_subscription(enum event_type t)
{
	event_mask	m = 0;
	int		i, p;

	for (i = 0; i < EVENT_NTYPES; i++)
		for (p = i; p != -1; p = event_defs[p].parent)
			if (p == (int)t) {
				m |= EVENT_BIT(i);
				break;
			}
	return m;
}

/* See event.h. supervisord's list_of_strings splits on commas; names
 * are upper-cased, so any case is accepted. */
int
event_parse_list(const char *value, event_mask *out, struct buf *why)
{
	const char	*s = value, *e;
	char		 name[64];
	size_t		 n;
	int		 t;

	*out = 0;
	for (;;) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		for (e = s; *e != '\0' && *e != ',' &&
		    !isspace((unsigned char)*e); e++)
			;
		n = (size_t)(e - s);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, s, n);
		name[n] = '\0';
		if ((t = event_find(name)) == -1) {
			buf_printf(why, "unknown event type '%s'", name);
			return -1;
		}
		*out |= event_subscription((enum event_type)t);
		s = e;
	}
	if (*out == 0) {
		buf_addstr(why, "no event type named (an event listener "
		    "needs an events= line)");
		return -1;
	}
	return 0;
}

/* See event.h. */
enum event_type
event_of_state(int state)
{
	switch (state) {
	case PROC_STOPPED:
		return EVENT_PROCESS_STATE_STOPPED;
	case PROC_STARTING:
		return EVENT_PROCESS_STATE_STARTING;
	case PROC_RUNNING:
		return EVENT_PROCESS_STATE_RUNNING;
	case PROC_BACKOFF:
		return EVENT_PROCESS_STATE_BACKOFF;
	case PROC_STOPPING:
		return EVENT_PROCESS_STATE_STOPPING;
	case PROC_EXITED:
		return EVENT_PROCESS_STATE_EXITED;
	case PROC_FATAL:
		return EVENT_PROCESS_STATE_FATAL;
	default:
		return EVENT_PROCESS_STATE_UNKNOWN;
	}
}

/* See event.h (events.py ProcessStateEvent.payload). */
void
event_state_payload(struct buf *b, enum event_type t, const char *name,
    const char *group, const char *from_state, pid_t pid, unsigned tries,
    bool expected)
{
	buf_printf(b, "processname:%s groupname:%s from_state:%s", name, group,
	    from_state);
	switch (t) {
	case EVENT_PROCESS_STATE_STARTING:
	case EVENT_PROCESS_STATE_BACKOFF:
		buf_printf(b, " tries:%u", tries);
		break;
	case EVENT_PROCESS_STATE_EXITED:
		buf_printf(b, " expected:%d pid:%ld", expected ? 1 : 0,
		    (long)pid);
		break;
	case EVENT_PROCESS_STATE_RUNNING:
	case EVENT_PROCESS_STATE_STOPPING:
	case EVENT_PROCESS_STATE_STOPPED:
		buf_printf(b, " pid:%ld", (long)pid);
		break;
	default:
		break;
	}
}

/* See event.h (ProcessLogEvent and ProcessCommunicationEvent). */
void
event_output_payload(struct buf *b, enum event_type t, const char *name,
    const char *group, pid_t pid, const char *data, size_t len)
{
	buf_printf(b, "processname:%s groupname:%s pid:%ld", name, group,
	    (long)pid);
	if (t == EVENT_PROCESS_LOG_STDOUT || t == EVENT_PROCESS_LOG_STDERR)
		buf_printf(b, " channel:%s", t == EVENT_PROCESS_LOG_STDOUT ?
		    "stdout" : "stderr");
	buf_addc(b, '\n');
	buf_add(b, data, len);
}

/* See event.h. */
void
event_tick_payload(struct buf *b, unsigned long long when)
{
	buf_printf(b, "when:%llu", when);
}

/* See event.h. */
void
event_group_payload(struct buf *b, const char *group)
{
	buf_printf(b, "groupname:%s\n", group);
}

/* See event.h (EventListenerPool._eventEnvelope; the server is
 * supervisord's default identifier). */
void
event_header(struct buf *b, unsigned long long serial, const char *pool,
    unsigned long long poolserial, enum event_type t, size_t len)
{
	buf_printf(b, "ver:3.0 server:supervisor serial:%llu pool:%s "
	    "poolserial:%llu eventname:%s len:%zu\n", serial, pool, poolserial,
	    event_name(t), len);
}

/* ---- events and the buffer of a pool ---- */

/* See event.h. */
struct event_msg *
event_msg_new(enum event_type t, unsigned long long serial, struct buf *pl)
{
	struct event_msg	*m = xcalloc(1, sizeof(*m));

	m->refs = 1;
	m->type = t;
	m->serial = serial;
	m->len = pl->len;
	m->payload = buf_steal(pl);
	/* the buf doubled as it grew: keep only what the payload needs, as
	 * a pool may hold many events */
	m->payload = xreallocarray(m->payload, m->len + 1, 1);
	return m;
}

/* See event.h. */
struct event_msg *
event_msg_ref(struct event_msg *m)
{
	m->refs++;
	return m;
}

/* See event.h. */
void
event_msg_unref(struct event_msg *m)
{
	if (m == NULL || --m->refs > 0)
		return;
	free(m->payload);
	free(m);
}

/* See event.h: the ring starts small and grows as it fills, so that a
 * buffer_size of a million costs nothing until it is used. */
void
event_queue_init(struct event_queue *q, size_t cap, size_t maxbytes)
{
	q->cap = cap > 0 ? cap : 1;
	q->alloc = q->cap < 16 ? q->cap : 16;
	q->v = xcalloc(q->alloc, sizeof(*q->v));
	q->head = q->n = q->bytes = 0;
	q->maxbytes = maxbytes;
}

/* See event.h. */
void
event_queue_free(struct event_queue *q)
{
	struct event_entry	e;

	while (event_queue_pop(q, &e))
		event_msg_unref(e.msg);
	free(q->v);
	q->v = NULL;
	q->alloc = 0;
}

/* Room for one more slot: the ring doubles (up to cap), unwrapped. */
static void
event_queue_grow(struct event_queue *q)
{
	struct event_entry	*v;
	size_t			 alloc, first;

	if (q->n < q->alloc)
		return;
	if (q->alloc == 0)		/* after event_queue_free() */
		alloc = q->cap < 16 ? q->cap : 16;
	else
		alloc = q->alloc > q->cap / 2 ? q->cap : q->alloc * 2;
	if (alloc <= q->n)		/* never: push keeps n below cap */
		alloc = q->n + 1;
	v = xcalloc(alloc, sizeof(*v));
	first = q->alloc - q->head;
	if (first > q->n)
		first = q->n;
	memcpy(v, q->v + q->head, first * sizeof(*v));
	memcpy(v + first, q->v, (q->n - first) * sizeof(*v));
	free(q->v);
	q->v = v;
	q->alloc = alloc;
	q->head = 0;
}

/* See event.h: supervisord's _acceptEvent drops the oldest, then adds
 * at the head or the tail. */
size_t
event_queue_push(struct event_queue *q, struct event_entry e, bool head,
    void (*drop)(void *, struct event_entry), void *arg)
{
	struct event_entry	old;
	size_t			ndrop = 0;

	while (q->n > 0 && (q->n >= q->cap ||
	    q->bytes + e.msg->len > q->maxbytes)) {
		(void)event_queue_pop(q, &old);
		drop(arg, old);
		ndrop++;
	}
	event_queue_grow(q);
	if (head) {
		q->head = (q->head + q->alloc - 1) % q->alloc;
		q->v[q->head] = e;
	} else
		q->v[(q->head + q->n) % q->alloc] = e;
	q->n++;
	q->bytes += e.msg->len;
	return ndrop;
}

/* See event.h. */
bool
event_queue_pop(struct event_queue *q, struct event_entry *e)
{
	if (q->n == 0)
		return false;
	*e = q->v[q->head];
	q->head = (q->head + 1) % q->alloc;
	q->n--;
	q->bytes -= e->msg->len;
	return true;
}

/* See event.h. */
bool
event_droplog_due(struct event_droplog *d, double now,
    unsigned long long *held)
{
	if (d->any && now >= d->last && now - d->last < 1.0) {
		d->held++;
		return false;
	}
	*held = d->held;
	d->held = 0;
	d->any = true;
	d->last = now;
	return true;
}

/* ---- capture mode (PROCESS_COMMUNICATION) ---- */

#define EVENT_BEGIN_TOKEN	"<!--XSUPERVISOR:BEGIN-->"
#define EVENT_END_TOKEN		"<!--XSUPERVISOR:END-->"
#define EVENT_CAPTURE_SLACK	((size_t)4 * 1024 * 1024)

/* See event.h. */
void
event_capture_init(struct event_capture *c, size_t max)
{
	c->on = false;
	c->max = max;
	buf_init(&c->pending);
	buf_init(&c->data);
}

/* See event.h. */
void
event_capture_free(struct event_capture *c)
{
	buf_free(&c->pending);
	buf_free(&c->data);
}

/* The longest end of s (n bytes) that begins token, shorter than it
 * (supervisord's find_prefix_at_end). */
static size_t
event_prefix_at_end(const char *s, size_t n, const char *token)
{
	size_t	k = strlen(token) - 1;

	if (k > n)
		k = n;
	for (; k > 0; k--)
		if (memcmp(s + n - k, token, k) == 0)
			return k;
	return 0;
}

/* A run of bytes outside the tokens or between them. */
static void
event_capture_put(struct event_capture *c, const char *s, size_t n,
    void (*piece)(void *, bool, const char *, size_t), void *arg)
{
	size_t	slack;

	if (n == 0)
		return;
	if (!c->on) {
		piece(arg, false, s, n);
		return;
	}
	/* the capture log keeps the last max bytes; it holds up to half as
	 * much again (4 MiB at most) before dropping the front, so that the
	 * front is not moved at every read */
	buf_add(&c->data, s, n);
	slack = c->max / 2 < EVENT_CAPTURE_SLACK ? c->max / 2 :
	    EVENT_CAPTURE_SLACK;
	if (c->data.len > c->max + slack)
		buf_consume(&c->data, c->data.len - c->max);
}

/* See event.h (POutputDispatcher.record_output). */
void
event_capture_feed(struct event_capture *c, const char *data, size_t len,
    void (*piece)(void *, bool, const char *, size_t), void *arg)
{
	struct buf	 b;
	const char	*token, *at;
	size_t		 tlen, off = 0, k;

	buf_init(&b);
	buf_add(&b, c->pending.data, c->pending.len);
	buf_add(&b, data, len);
	buf_reset(&c->pending);
	for (;;) {
		token = c->on ? EVENT_END_TOKEN : EVENT_BEGIN_TOKEN;
		tlen = strlen(token);
		if (b.len - off <= tlen) {
			buf_add(&c->pending, b.data + off, b.len - off);
			break;
		}
		at = memmem(b.data + off, b.len - off, token, tlen);
		if (at == NULL) {
			k = event_prefix_at_end(b.data + off, b.len - off,
			    token);
			event_capture_put(c, b.data + off, b.len - off - k,
			    piece, arg);
			buf_add(&c->pending, b.data + b.len - k, k);
			break;
		}
		event_capture_put(c, b.data + off, (size_t)(at - b.data) - off,
		    piece, arg);
		off = (size_t)(at - b.data) + tlen;
		if (c->on) {
			k = c->data.len > c->max ? c->data.len - c->max : 0;
			piece(arg, true, c->data.data + k, c->data.len - k);
			buf_reset(&c->data);
		}
		c->on = !c->on;
		if (off == b.len)
			break;
	}
	buf_free(&b);
}

/* ---- the listener protocol ---- */

#define EVL_READY_TOKEN		"READY\n"
#define EVL_RESULT_TOKEN	"RESULT "
#define EVL_MAX_LINE		4096	/* a RESULT line longer: garbage */
#define EVL_MAX_RESULT		(1 << 20)

/* See event.h. */
const char *
evl_state_name(enum evl_state s)
{
	switch (s) {
	case EVL_ACKNOWLEDGED:
		return "ACKNOWLEDGED";
	case EVL_READY:
		return "READY";
	case EVL_BUSY:
		return "BUSY";
	default:
		return "UNKNOWN";
	}
}

/* See event.h. */
void
evl_init(struct evl_parser *p)
{
	memset(p, 0, sizeof(*p));
	buf_init(&p->in);
	buf_init(&p->result);
	p->state = EVL_ACKNOWLEDGED;
	p->resultlen = -1;
}

/* See event.h. */
void
evl_free(struct evl_parser *p)
{
	buf_free(&p->in);
	buf_free(&p->result);
}

/* See event.h. */
void
evl_feed(struct evl_parser *p, const char *data, size_t len)
{
	if (p->state == EVL_UNKNOWN)
		return;		/* supervisord throws it away */
	buf_add(&p->in, data, len);
}

/* The listener broke the protocol: UNKNOWN for good. */
static enum evl_said
evl_garbage(struct evl_parser *p, const char *what, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n && k + 5 < sizeof(p->bad); i++) {
		unsigned char	c = (unsigned char)what[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			p->bad[k++] = (char)c;
		else
			k += (size_t)snprintf(p->bad + k, sizeof(p->bad) - k,
			    "\\x%02x", c);
	}
	p->bad[k] = '\0';
	p->state = EVL_UNKNOWN;
	buf_reset(&p->in);
	buf_reset(&p->result);
	p->resultlen = -1;
	return EVL_SAID_GARBAGE;
}

/* The "RESULT N" line of len bytes: N, or -1. */
static long long
evl_result_len(const char *s, size_t len)
{
	char		 num[32];
	char		*end;
	long long	 n;
	size_t		 k = strlen(EVL_RESULT_TOKEN);

	/* supervisord slices the token off without looking at it, and
	 * Python's int() allows blanks around the number */
	if (len <= k || len - k >= sizeof(num))
		return -1;
	memcpy(num, s + k, len - k);
	num[len - k] = '\0';
	errno = 0;
	n = strtoll(num, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if (errno != 0 || end == num || *end != '\0' || n < 0 ||
	    n > EVL_MAX_RESULT)
		return -1;
	return n;
}

/* See event.h: dispatchers.py handle_listener_state_change. */
enum evl_said
evl_next(struct evl_parser *p)
{
	const char	*nl;
	size_t		 need, k = strlen(EVL_READY_TOKEN);
	bool		 ok;

	if (p->in.len == 0 && !(p->state == EVL_BUSY && p->resultlen == 0))
		return EVL_SAID_NOTHING;
	switch (p->state) {
	case EVL_UNKNOWN:
		buf_reset(&p->in);
		return EVL_SAID_NOTHING;
	case EVL_ACKNOWLEDGED:
		if (p->in.len < k)
			return memcmp(p->in.data, EVL_READY_TOKEN,
			    p->in.len) == 0 ? EVL_SAID_NOTHING :
			    evl_garbage(p, p->in.data, p->in.len);
		if (memcmp(p->in.data, EVL_READY_TOKEN, k) != 0)
			return evl_garbage(p, p->in.data, p->in.len);
		buf_consume(&p->in, k);
		p->state = EVL_READY;
		return EVL_SAID_READY;
	case EVL_READY:
		return evl_garbage(p, p->in.data, p->in.len);
	case EVL_BUSY:
		break;
	}
	if (p->resultlen < 0) {
		nl = memchr(p->in.data, '\n', p->in.len);
		if (nl == NULL)
			return p->in.len > EVL_MAX_LINE ?
			    evl_garbage(p, p->in.data, p->in.len) :
			    EVL_SAID_NOTHING;
		p->resultlen = evl_result_len(p->in.data,
		    (size_t)(nl - p->in.data));
		if (p->resultlen < 0)
			return evl_garbage(p, p->in.data,
			    (size_t)(nl - p->in.data));
		buf_consume(&p->in, (size_t)(nl - p->in.data) + 1);
	}
	need = (size_t)p->resultlen - p->result.len;
	if (need > p->in.len)
		need = p->in.len;
	buf_add(&p->result, p->in.data, need);
	buf_consume(&p->in, need);
	if (p->result.len < (size_t)p->resultlen)
		return EVL_SAID_NOTHING;
	/* the default result_handler: anything but OK rejects the event */
	ok = p->result.len == 2 && memcmp(p->result.data, "OK", 2) == 0;
	buf_reset(&p->result);
	p->resultlen = -1;
	p->state = EVL_ACKNOWLEDGED;
	return ok ? EVL_SAID_OK : EVL_SAID_FAIL;
}

/* See event.h. */
void
evl_sent(struct evl_parser *p)
{
	if (p->state == EVL_READY)
		p->state = EVL_BUSY;
}
