/* listener.c: supervisord's event listeners, run (supervisord's
 * EventListenerPool and PEventListenerDispatcher, process.py and
 * dispatchers.py). Each [eventlistener:NAME] is a pool: a buffer of
 * buffer_size events (the oldest dropped, and logged, when full) and the
 * listener processes of group NAME. The supervisor's hooks bring the
 * events; an event goes to the first listener of its pool that is
 * RUNNING and has said READY, as a header line and a payload written to
 * its stdin; its stdout says RESULT OK (done) or anything else (the
 * event goes back to the head of the buffer and is sent again). A
 * listener that dies with an event, or breaks the protocol while it has
 * one, gives it back too.
 *
 * Nothing here exists without a pool: the hooks return at once, no TICK
 * timer runs unless a pool asked for a TICK, and a listener's pipes are
 * watched only while it runs. Writes and reads are non-blocking; a write
 * that does not go through at once waits for its pipe. */
#include "autoconfig.h"

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listener.h"
#include "event.h"
#include "handover.h"
#include "log.h"
#include "outlog_io.h"
#include "util.h"

/* One [eventlistener:NAME]. */
struct listener_pool {
	char			*name;		/* NAME: its listeners' group */
	event_mask		 events;	/* what it gets */
	struct event_queue	 q;
	struct event_droplog	 droplog;	/* its overflow lines */
	struct ev_loop		*loop;		/* for the time of those */
	unsigned long long	 serial;	/* its next poolserial */
	bool			 keep;		/* in the configuration (rebuild) */
};

/* One listener process. */
struct listener_proc {
	struct sv_proc		*sp;
	struct listeners	*ls;
	struct listener_proc	*next;
	struct evl_parser	 parser;
	int			 infd;		/* its stdin's write end, or -1 */
	int			 outfd;		/* its stdout's read end, or -1 */
	ev_io			 rio;		/* outfd is readable */
	ev_io			 wio;		/* infd can take the rest */
	struct buf		 out;		/* the event being written */
	size_t			 off;		/* bytes of out written */
	struct event_entry	 ev;		/* the event it has (msg NULL:
						 * none) */
	char			*pool;		/* its pool's name */
};

static const unsigned listener_periods[3] = { 5, 60, 3600 };

struct listeners {
	struct supervisor	*sv;
	const struct config	*built_for;	/* the pools follow it */
	struct listener_pool	**pools;
	size_t			 npools;
	event_mask		 any;		/* what some pool gets */
	unsigned long long	 serial;	/* the next event's */
	struct listener_proc	*procs;		/* every listener process */
	ev_periodic		 tick[3];	/* TICK_5, _60, _3600 */
	unsigned long long	 ticked[3];	/* the last period told of
						 * each (its start), 0: none */
	struct strlist		 groups;	/* of built_for, for the
						 * PROCESS_GROUP events */
};

static void	listener_dispatch(struct listeners *, struct listener_pool *);
static void	listener_capture_free(struct sv_proc *);
static void	listener_rio_cb(struct ev_loop *, ev_io *, int);
static void	listener_wio_cb(struct ev_loop *, ev_io *, int);

/* The pool called name, or NULL. */
static struct listener_pool *
listener_pool_find(struct listeners *ls, const char *name)
{
	size_t	i;

	for (i = 0; i < ls->npools; i++)
		if (strcmp(ls->pools[i]->name, name) == 0)
			return ls->pools[i];
	return NULL;
}

/* Free a pool and the events it holds. */
static void
listener_pool_free(struct listener_pool *pl)
{
	event_queue_free(&pl->q);
	free(pl->name);
	free(pl);
}

/* An event pool pl (the arg) dropped to make room, logged at most once a
 * second with how many went unlogged since (supervisord logs each). */
static void
listener_dropped(void *arg, struct event_entry old)
{
	struct listener_pool	*pl = arg;
	unsigned long long	 held;

	if (event_droplog_due(&pl->droplog, ev_now(pl->loop), &held)) {
		if (held == 0)
			log_errorx("pool %s event buffer overflowed, "
			    "discarding event %llu", pl->name,
			    old.msg->serial);
		else
			log_errorx("pool %s event buffer overflowed, "
			    "discarding event %llu (and %llu more since the "
			    "last such line)", pl->name, old.msg->serial,
			    held);
	}
	event_msg_unref(old.msg);
}

/* Add e to pool pl (at the head: an event given back), dropping the
 * oldest when the buffer is full. Takes e's ref. */
static void
listener_accept(struct listener_pool *pl, struct event_entry e, bool head)
{
	(void)event_queue_push(&pl->q, e, head, listener_dropped, pl);
}

/* Hand an event of type t (payload b, whose data is taken) to every pool
 * that gets it, and send what can be sent. */
static void
listener_notify(struct listeners *ls, enum event_type t, struct buf *b)
{
	struct event_msg	*m = NULL;
	struct event_entry	 e;
	size_t			 i;

	for (i = 0; i < ls->npools; i++) {
		struct listener_pool	*pl = ls->pools[i];

		if (!(pl->events & EVENT_BIT(t)))
			continue;
		if (m == NULL)
			m = event_msg_new(t, ls->serial++, b);
		e.msg = event_msg_ref(m);
		e.poolserial = pl->serial++;
		listener_accept(pl, e, false);
		listener_dispatch(ls, pl);
	}
	if (m != NULL)
		event_msg_unref(m);
	else
		buf_free(b);
}

/* ---- ticks ---- */

/* The start of the current TICK period i (of listener_periods). */
static unsigned long long
listener_period_start(struct ev_loop *loop, size_t i)
{
	unsigned long long	now = (unsigned long long)ev_now(loop);

	return now - now % listener_periods[i];
}

/* A TICK period began: "when" is its start, as supervisord's
 * timeslice(). */
static void
listener_tick_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
	struct listeners	*ls = w->data;
	size_t			 i = (size_t)(w - ls->tick);
	struct buf		 b;

	(void)revents;
	ls->ticked[i] = listener_period_start(loop, i);
	buf_init(&b);
	event_tick_payload(&b, ls->ticked[i]);
	listener_notify(ls, (enum event_type)(EVENT_TICK_5 + (int)i), &b);
}

/* Run the TICK timers some pool asks for, and only those. */
static void
listener_ticks(struct listeners *ls)
{
	struct ev_loop	*loop = ls->sv->loop;
	size_t		 i;

	for (i = 0; i < nitems(ls->tick); i++) {
		bool	want = ls->any & EVENT_BIT(EVENT_TICK_5 + (int)i);

		if (want && !ev_is_active(&ls->tick[i]))
			ev_periodic_start(loop, &ls->tick[i]);
		else if (!want && ev_is_active(&ls->tick[i]))
			ev_periodic_stop(loop, &ls->tick[i]);
	}
}

/* ---- pools and groups, from the configuration ---- */

/* PROCESS_GROUP_ADDED or _REMOVED of group. */
static void
listener_group_event(struct listeners *ls, const char *group, bool added)
{
	struct buf	b;

	buf_init(&b);
	event_group_payload(&b, group);
	listener_notify(ls, added ? EVENT_PROCESS_GROUP_ADDED :
	    EVENT_PROCESS_GROUP_REMOVED, &b);
}

/* Is s in the sorted list l? */
static bool
listener_has(const struct strlist *l, const char *s)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* Make the pools those of the current configuration: new ones made,
 * changed ones take their new events and buffer size (their buffer
 * kept), gone ones freed with what they held. Then tell which groups
 * came and went. */
static void
listener_rebuild(struct listeners *ls)
{
	const struct config	*c = ls->sv->config;
	struct listener_pool	*pl;
	struct event_queue	 q;
	struct event_entry	 e;
	struct strlist		 old = ls->groups;
	size_t			 i, n;

	ls->built_for = c;
	for (i = 0; i < ls->npools; i++)
		ls->pools[i]->keep = false;
	for (i = 0; i < c->nprogs; i++) {
		const struct program	*p = &c->progs[i];

		if (!p->listener)
			continue;
		if ((pl = listener_pool_find(ls, p->group_name)) == NULL) {
			pl = xcalloc(1, sizeof(*pl));
			pl->name = xstrdup(p->group_name);
			pl->loop = ls->sv->loop;
			event_queue_init(&pl->q, p->buffer_size,
			    EVENT_POOL_MAXBYTES);
			ls->pools = xreallocarray(ls->pools, ls->npools + 1,
			    sizeof(*ls->pools));
			ls->pools[ls->npools++] = pl;
		} else if (pl->q.cap != p->buffer_size) {
			event_queue_init(&q, p->buffer_size,
			    EVENT_POOL_MAXBYTES);
			while (event_queue_pop(&pl->q, &e))
				(void)event_queue_push(&q, e, false,
				    listener_dropped, pl);
			event_queue_free(&pl->q);
			pl->q = q;
		}
		pl->events = p->events;
		pl->keep = true;
	}
	ls->any = 0;
	for (i = 0, n = 0; i < ls->npools; i++) {
		if (!ls->pools[i]->keep) {
			listener_pool_free(ls->pools[i]);
			continue;
		}
		ls->any |= ls->pools[i]->events;
		ls->pools[n++] = ls->pools[i];
	}
	ls->npools = n;
	listener_ticks(ls);

	memset(&ls->groups, 0, sizeof(ls->groups));
	for (i = 0; i < c->ngroups; i++)
		strlist_add(&ls->groups, c->groups[i].name);
	if (ls->any & (EVENT_BIT(EVENT_PROCESS_GROUP_ADDED) |
	    EVENT_BIT(EVENT_PROCESS_GROUP_REMOVED))) {
		for (i = 0; i < old.n; i++)
			if (!listener_has(&ls->groups, old.v[i]))
				listener_group_event(ls, old.v[i], false);
		for (i = 0; i < ls->groups.n; i++)
			if (!listener_has(&old, ls->groups.v[i]))
				listener_group_event(ls, ls->groups.v[i], true);
	}
	strlist_free(&old);
}

/* See listener.h. */
void
listener_changed(struct supervisor *sv)
{
	if (sv->listeners != NULL && sv->listeners->built_for != sv->config)
		listener_rebuild(sv->listeners);
}

/* ---- one listener's pipes ---- */

/* Stop watching and close both pipes. */
static void
listener_close(struct listener_proc *lp)
{
	struct ev_loop	*loop = lp->ls->sv->loop;

	ev_io_stop(loop, &lp->rio);
	ev_io_stop(loop, &lp->wio);
	if (lp->infd != -1)
		(void)close(lp->infd);
	if (lp->outfd != -1)
		(void)close(lp->outfd);
	lp->infd = lp->outfd = -1;
	buf_reset(&lp->out);
	lp->off = 0;
}

/* The event lp has goes back to the head of its pool's buffer, to be
 * sent again (supervisord's EventRejectedEvent). */
static void
listener_give_back(struct listener_proc *lp)
{
	struct listener_pool	*pl;

	if (lp->ev.msg == NULL)
		return;
	if ((pl = listener_pool_find(lp->ls, lp->pool)) != NULL) {
		log_debug("rebuffering event %llu for pool %s",
		    lp->ev.msg->serial, pl->name);
		listener_accept(pl, lp->ev, true);
	} else
		event_msg_unref(lp->ev.msg);
	lp->ev.msg = NULL;
}

/* Write what is left of the event being sent; 0, or -1 when the
 * listener's stdin is gone. */
static int
listener_write(struct listener_proc *lp)
{
	struct ev_loop	*loop = lp->ls->sv->loop;
	ssize_t		 n;

	while (lp->off < lp->out.len) {
		n = write(lp->infd, lp->out.data + lp->off,
		    lp->out.len - lp->off);
		if (n > 0) {
			lp->off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!ev_is_active(&lp->wio)) {
				ev_io_set(&lp->wio, lp->infd, EV_WRITE);
				ev_io_start(loop, &lp->wio);
			}
			return 0;
		}
		if (errno != EPIPE)
			log_warn("%s: cannot write an event to its stdin",
			    lp->sp->p.name);
		else
			log_debug("%s: its stdin is closed", lp->sp->p.name);
		ev_io_stop(loop, &lp->wio);
		(void)close(lp->infd);
		lp->infd = -1;
		return -1;
	}
	ev_io_stop(loop, &lp->wio);
	buf_reset(&lp->out);
	lp->off = 0;
	return 0;
}

/* Its stdin can take more. */
static void
listener_wio_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct listener_proc	*lp = w->data;
	struct listener_pool	*pl;

	(void)loop;
	(void)revents;
	if (listener_write(lp) == -1)
		listener_give_back(lp);
	else if (lp->out.len > 0)
		return;		/* more to write */
	/* gone, or its event all written: it may take the next one */
	if ((pl = listener_pool_find(lp->ls, lp->pool)) != NULL)
		listener_dispatch(lp->ls, pl);
}

/* Send events to the READY listeners of pool pl, oldest first, while
 * there are both. A listener whose last event is not all written yet
 * waits for it (it may say READY before reading it all): its next one
 * goes when listener_write is done, never over the unwritten rest. */
static void
listener_dispatch(struct listeners *ls, struct listener_pool *pl)
{
	struct listener_proc	*lp;
	struct event_entry	 e;

	while (pl->q.n > 0) {
		for (lp = ls->procs; lp != NULL; lp = lp->next)
			if (lp->sp->p.state == PROC_RUNNING &&
			    lp->parser.state == EVL_READY && lp->infd != -1 &&
			    lp->ev.msg == NULL && lp->out.len == 0 &&
			    strcmp(lp->pool, pl->name) == 0)
				break;
		if (lp == NULL)
			return;
		(void)event_queue_pop(&pl->q, &e);
		buf_reset(&lp->out);
		lp->off = 0;
		event_header(&lp->out, e.msg->serial, pl->name, e.poolserial,
		    e.msg->type, e.msg->len);
		buf_add(&lp->out, e.msg->payload, e.msg->len);
		lp->ev = e;
		evl_sent(&lp->parser);
		log_debug("event %llu sent to listener %s", e.msg->serial,
		    lp->sp->p.name);
		if (listener_write(lp) == -1)
			listener_give_back(lp);	/* and try another */
	}
}

/* Act on what the listener said. */
static void
listener_said(struct listener_proc *lp, enum evl_said said)
{
	struct listener_pool	*pl = listener_pool_find(lp->ls, lp->pool);
	const char		*name = lp->sp->p.name;

	switch (said) {
	case EVL_SAID_READY:
		log_debug("%s: ACKNOWLEDGED -> READY", name);
		break;
	case EVL_SAID_OK:
		log_debug("%s: event was processed", name);
		if (lp->ev.msg != NULL)
			event_msg_unref(lp->ev.msg);
		lp->ev.msg = NULL;
		break;
	case EVL_SAID_FAIL:
		log_warnx("%s: event was rejected", name);
		listener_give_back(lp);
		break;
	case EVL_SAID_GARBAGE:
		log_warnx("%s: has entered the UNKNOWN state and will no "
		    "longer receive events, this usually indicates the "
		    "process violated the eventlistener protocol (it wrote "
		    "'%s')", name, lp->parser.bad);
		listener_give_back(lp);
		break;
	case EVL_SAID_NOTHING:
		break;
	}
	if (pl != NULL && said != EVL_SAID_NOTHING)
		listener_dispatch(lp->ls, pl);
}

/* Read what the listener wrote to stdout; false once it is closed. */
static bool
listener_read(struct listener_proc *lp)
{
	char		chunk[4096];
	ssize_t		n;
	enum evl_said	said;

	for (;;) {
		n = read(lp->outfd, chunk, sizeof(chunk));
		if (n > 0) {
			/* logged as supervisord logs it: stdout_logfile */
			if (lp->sp->out.log != NULL)
				outlog_feed(lp->sp->out.log, chunk, (size_t)n);
			evl_feed(&lp->parser, chunk, (size_t)n);
			while ((said = evl_next(&lp->parser)) !=
			    EVL_SAID_NOTHING)
				listener_said(lp, said);
			if (lp->outfd == -1)
				return false;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n == -1)
			log_warn("%s: cannot read its stdout", lp->sp->p.name);
		ev_io_stop(lp->ls->sv->loop, &lp->rio);
		(void)close(lp->outfd);
		lp->outfd = -1;
		return false;
	}
}

/* Its stdout is readable. */
static void
listener_rio_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	(void)listener_read(w->data);
}

/* The listener state of sp, new: no pipes, ACKNOWLEDGED. */
static struct listener_proc *
listener_proc_new(struct listeners *ls, struct sv_proc *sp)
{
	struct listener_proc	*lp = xcalloc(1, sizeof(*lp));

	lp->sp = sp;
	lp->ls = ls;
	lp->infd = lp->outfd = -1;
	evl_init(&lp->parser);
	buf_init(&lp->out);
	ev_io_init(&lp->rio, listener_rio_cb, 0, EV_READ);
	ev_io_init(&lp->wio, listener_wio_cb, 0, EV_WRITE);
	lp->rio.data = lp->wio.data = lp;
	lp->next = ls->procs;
	ls->procs = lp;
	sp->listener = lp;
	return lp;
}

/* See listener.h: a listener gets two pipes, non-blocking on tendd's
 * side only (the listener reads and writes as it likes). */
int
listener_stdio(struct sv_proc *sp, int *in, int *out, char *why,
    size_t len)
{
	struct listeners	*ls = sp->sv->listeners;
	struct listener_proc	*lp = sp->listener;
	int			 ip[2], op[2];

	*in = *out = -1;
	if (!sp->p.prog->listener || ls == NULL)
		return 0;
	if (lp == NULL)
		lp = listener_proc_new(ls, sp);
	listener_give_back(lp);
	listener_close(lp);
	free(lp->pool);
	lp->pool = xstrdup(sp->p.prog->group_name);
	evl_free(&lp->parser);
	evl_init(&lp->parser);
	if (pipe2(ip, O_CLOEXEC) == -1) {
		(void)snprintf(why, len, "couldn't make the event listener's "
		    "stdin pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(op, O_CLOEXEC) == -1) {
		(void)snprintf(why, len, "couldn't make the event listener's "
		    "stdout pipe: %s", strerror(errno));
		(void)close(ip[0]);
		(void)close(ip[1]);
		return -1;
	}
	if (fd_nonblock(ip[1]) == -1 || fd_nonblock(op[0]) == -1) {
		(void)snprintf(why, len, "couldn't set up the event listener's "
		    "pipes: %s", strerror(errno));
		(void)close(ip[0]);
		(void)close(ip[1]);
		(void)close(op[0]);
		(void)close(op[1]);
		return -1;
	}
	lp->infd = ip[1];
	lp->outfd = op[0];
	ev_io_set(&lp->rio, lp->outfd, EV_READ);
	ev_io_start(sp->sv->loop, &lp->rio);
	*in = ip[0];
	*out = op[1];
	return 0;
}

/* ---- the hooks ---- */

/* See listener.h: supervisord's ProcessStateEvent for every change, of
 * listeners too; and a listener's own changes move its pipes. */
void
listener_state(struct sv_proc *sp, const struct proc_trans *t)
{
	struct listeners	*ls = sp->sv->listeners;
	struct listener_proc	*lp = sp->listener;
	struct listener_pool	*pl;
	const struct program	*p = sp->p.prog;
	enum event_type		 type = event_of_state((int)t->to);
	struct buf		 b;

	if (ls == NULL)
		return;
	if (t->to == PROC_STARTING)
		listener_capture_free(sp);
	if (ls->any & EVENT_BIT(type)) {
		buf_init(&b);
		event_state_payload(&b, type, p->name, p->group_name,
		    proc_state_name(t->from), t->pid, t->tries, t->expected);
		listener_notify(ls, type, &b);
	}
	if (lp == NULL)
		return;
	pl = listener_pool_find(ls, lp->pool);
	switch (t->to) {
	case PROC_RUNNING:		/* it may have said READY already */
		if (pl != NULL)
			listener_dispatch(ls, pl);
		break;
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_BACKOFF:
	case PROC_FATAL:
		/* gone: what it answered before counts, what it had goes
		 * back (to another listener of the pool, if one is READY) */
		if (lp->outfd != -1)
			(void)listener_read(lp);
		listener_give_back(lp);
		listener_close(lp);
		if (pl != NULL)
			listener_dispatch(ls, pl);
		break;
	default:
		break;
	}
}

/* One event about output of sp: PROCESS_LOG_* or PROCESS_COMMUNICATION_*
 * (comm), stdout or stderr (err). */
static void
listener_output_event(struct sv_proc *sp, bool err, bool comm,
    const char *data, size_t len)
{
	struct listeners	*ls = sp->sv->listeners;
	enum event_type		 type;
	struct buf		 b;

	if (comm)
		type = err ? EVENT_PROCESS_COMMUNICATION_STDERR :
		    EVENT_PROCESS_COMMUNICATION_STDOUT;
	else if (err ? sp->p.prog->stderr_events_enabled :
	    sp->p.prog->stdout_events_enabled)
		type = err ? EVENT_PROCESS_LOG_STDERR :
		    EVENT_PROCESS_LOG_STDOUT;
	else
		return;
	if (!(ls->any & EVENT_BIT(type)))
		return;
	buf_init(&b);
	event_output_payload(&b, type, sp->p.prog->name,
	    sp->p.prog->group_name, sp->p.pid, data, len);
	listener_notify(ls, type, &b);
}

/* What the capture mode hands out (see listener_output). */
struct listener_piece {
	struct sv_proc	*sp;
	bool		 err;
};

static void
listener_piece(void *arg, bool comm, const char *data, size_t len)
{
	struct listener_piece	*lp = arg;

	listener_output_event(lp->sp, lp->err, comm, data, len);
}

/* sp's capture mode state (PROCESS_COMMUNICATION), made at its first
 * use. */
static void
listener_capture_make(struct sv_proc *sp)
{
	if (sp->capture != NULL)
		return;
	sp->capture = xcalloc(2, sizeof(*sp->capture));
	event_capture_init(&sp->capture[0],
	    (size_t)sp->p.prog->stdout_capture_maxbytes);
	event_capture_init(&sp->capture[1],
	    (size_t)sp->p.prog->stderr_capture_maxbytes);
}

/* See listener.h: PROCESS_LOG_STDOUT/STDERR, one per read; with a
 * capture_maxbytes, what comes between the tokens is a
 * PROCESS_COMMUNICATION event instead (the log file still has it all). */
void
listener_output(struct sv_proc *sp, bool err, const char *data, size_t len)
{
	struct listeners	*ls = sp->sv->listeners;
	unsigned long long	 max = err ? sp->p.prog->stderr_capture_maxbytes :
				    sp->p.prog->stdout_capture_maxbytes;
	struct listener_piece	 lp = { sp, err };

	if (ls == NULL || !(ls->any & (EVENT_BIT(EVENT_PROCESS_LOG_STDOUT) |
	    EVENT_BIT(EVENT_PROCESS_LOG_STDERR) |
	    EVENT_BIT(EVENT_PROCESS_COMMUNICATION_STDOUT) |
	    EVENT_BIT(EVENT_PROCESS_COMMUNICATION_STDERR))))
		return;
	if (max == 0) {
		listener_output_event(sp, err, false, data, len);
		return;
	}
	listener_capture_make(sp);
	event_capture_feed(&sp->capture[err ? 1 : 0], data, len,
	    listener_piece, &lp);
}

/* Forget sp's capture mode state: a new spawn starts afresh. */
static void
listener_capture_free(struct sv_proc *sp)
{
	if (sp->capture == NULL)
		return;
	event_capture_free(&sp->capture[0]);
	event_capture_free(&sp->capture[1]);
	free(sp->capture);
	sp->capture = NULL;
}

/* See listener.h. */
void
listener_supervisor_state(struct supervisor *sv, bool running)
{
	struct listeners	*ls = sv->listeners;
	struct buf		 b;

	if (ls == NULL)
		return;
	buf_init(&b);
	listener_notify(ls, running ? EVENT_SUPERVISOR_STATE_CHANGE_RUNNING :
	    EVENT_SUPERVISOR_STATE_CHANGE_STOPPING, &b);
}

/* Free one listener's state. */
static void
listener_proc_free(struct listener_proc *lp)
{
	listener_close(lp);
	event_msg_unref(lp->ev.msg);
	evl_free(&lp->parser);
	buf_free(&lp->out);
	free(lp->pool);
	lp->sp->listener = NULL;
	free(lp);
}

/* See listener.h. */
void
listener_forget(struct sv_proc *sp)
{
	struct listeners	*ls = sp->sv->listeners;
	struct listener_proc	**pp;

	listener_capture_free(sp);
	if (ls == NULL || sp->listener == NULL)
		return;
	for (pp = &ls->procs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == sp->listener) {
			*pp = sp->listener->next;
			break;
		}
	listener_give_back(sp->listener);
	listener_proc_free(sp->listener);
}

/* See listener.h. */
void
listener_init(struct supervisor *sv, bool handed)
{
	struct listeners	*ls = xcalloc(1, sizeof(*ls));
	size_t			 i;

	ls->sv = sv;
	for (i = 0; i < nitems(ls->tick); i++) {
		ev_periodic_init(&ls->tick[i], listener_tick_cb, 0.,
		    (ev_tstamp)listener_periods[i], 0);
		ls->tick[i].data = ls;
	}
	sv->listeners = ls;
	if (handed) {
		/* the old image told the groups already (reexec_adopt
		 * brings its pools' state) */
		for (i = 0; i < sv->config->ngroups; i++)
			strlist_add(&ls->groups, sv->config->groups[i].name);
	}
	listener_rebuild(ls);
}

/* See listener.h. */
void
listener_free(struct supervisor *sv)
{
	struct listeners	*ls = sv->listeners;
	struct listener_proc	*lp;
	size_t			 i;

	if (ls == NULL)
		return;
	while ((lp = ls->procs) != NULL) {
		ls->procs = lp->next;
		listener_proc_free(lp);
	}
	for (i = 0; i < sv->nprocs; i++)
		listener_capture_free(sv->procs[i]);
	for (i = 0; i < nitems(ls->tick); i++)
		ev_periodic_stop(sv->loop, &ls->tick[i]);
	for (i = 0; i < ls->npools; i++)
		listener_pool_free(ls->pools[i]);
	free(ls->pools);
	strlist_free(&ls->groups);
	free(ls);
	sv->listeners = NULL;
}

/* ---- live re-exec (reexec.c) ---- */

/* See listener.h. */
void
listener_export_proc(const struct sv_proc *sp, struct handover_proc *hp)
{
	const struct listener_proc	*lp = sp->listener;
	const struct event_msg		*m;

	if (sp->capture != NULL) {
		hp->cap_out_on = sp->capture[0].on;
		handover_set_bytes(&hp->cap_out_pending,
		    sp->capture[0].pending.data, sp->capture[0].pending.len);
		handover_set_bytes(&hp->cap_out_data, sp->capture[0].data.data,
		    sp->capture[0].data.len);
		hp->cap_err_on = sp->capture[1].on;
		handover_set_bytes(&hp->cap_err_pending,
		    sp->capture[1].pending.data, sp->capture[1].pending.len);
		handover_set_bytes(&hp->cap_err_data, sp->capture[1].data.data,
		    sp->capture[1].data.len);
	}
	if (lp == NULL)
		return;
	hp->evl_pool = xstrdup(lp->pool != NULL ? lp->pool :
	    sp->p.prog->group_name);
	hp->evl_in = lp->infd;
	hp->evl_out = lp->outfd;
	hp->evl_state = (int)lp->parser.state;
	handover_set_bytes(&hp->evl_read, lp->parser.in.data,
	    lp->parser.in.len);
	hp->evl_resultlen = lp->parser.resultlen;
	handover_set_bytes(&hp->evl_result, lp->parser.result.data,
	    lp->parser.result.len);
	if (lp->parser.bad[0] != '\0')
		hp->evl_bad = xstrdup(lp->parser.bad);
	if (lp->off < lp->out.len)
		handover_set_bytes(&hp->evl_write, lp->out.data + lp->off,
		    lp->out.len - lp->off);
	if ((m = lp->ev.msg) != NULL) {
		hp->evl_has = true;
		hp->evl_serial = m->serial;
		hp->evl_poolserial = lp->ev.poolserial;
		hp->evl_type = (int)m->type;
		handover_set_bytes(&hp->evl_payload, m->payload, m->len);
	}
}

/* See listener.h. */
void
listener_export(const struct supervisor *sv, struct handover *h)
{
	const struct listeners	*ls = sv->listeners;
	size_t			 i, k;

	if (ls == NULL)
		return;
	h->evl_serial = ls->serial;
	for (i = 0; i < nitems(ls->tick); i++)
		h->evl_tick[i] = ls->ticked[i];
	for (i = 0; i < ls->npools; i++) {
		const struct listener_pool	*pl = ls->pools[i];
		struct handover_pool		*hp;

		hp = handover_add_pool(h, pl->name);
		hp->serial = pl->serial;
		hp->drop_any = pl->droplog.any;
		hp->drop_last = pl->droplog.last;
		hp->drop_held = pl->droplog.held;
		for (k = 0; k < pl->q.n; k++) {
			const struct event_entry *e =
			    &pl->q.v[(pl->q.head + k) % pl->q.alloc];
			struct handover_event	*he;

			he = handover_add_event(h, pl->name);
			he->serial = e->msg->serial;
			he->poolserial = e->poolserial;
			he->type = (int)e->msg->type;
			handover_set_bytes(&he->payload, e->msg->payload,
			    e->msg->len);
		}
	}
}

/* An event of a record: type t, payload b (copied). */
static struct event_msg *
listener_msg(int t, unsigned long long serial, const struct handover_bytes *b)
{
	struct buf	pl;

	buf_init(&pl);
	buf_add(&pl, b->p != NULL ? b->p : "", b->len);
	return event_msg_new((enum event_type)t, serial, &pl);
}

/* Close the pipes of a listener record nobody takes. */
static void
listener_drop_fds(const struct handover_proc *hp)
{
	if (hp->evl_in != -1)
		(void)close(hp->evl_in);
	if (hp->evl_out != -1)
		(void)close(hp->evl_out);
}

/* Set a buffer to a record's bytes. */
static void
listener_set_buf(struct buf *b, const struct handover_bytes *hb)
{
	buf_reset(b);
	if (hb->len > 0)
		buf_add(b, hb->p, hb->len);
}

/* The capture mode state of sp (PROCESS_COMMUNICATION), if it had one. */
static void
listener_adopt_capture(struct sv_proc *sp, const struct handover_proc *hp)
{
	if (!hp->cap_out_on && hp->cap_out_pending.len == 0 &&
	    hp->cap_out_data.len == 0 && !hp->cap_err_on &&
	    hp->cap_err_pending.len == 0 && hp->cap_err_data.len == 0)
		return;
	listener_capture_make(sp);
	sp->capture[0].on = hp->cap_out_on;
	listener_set_buf(&sp->capture[0].pending, &hp->cap_out_pending);
	listener_set_buf(&sp->capture[0].data, &hp->cap_out_data);
	sp->capture[1].on = hp->cap_err_on;
	listener_set_buf(&sp->capture[1].pending, &hp->cap_err_pending);
	listener_set_buf(&sp->capture[1].data, &hp->cap_err_data);
}

/* See listener.h. */
void
listener_adopt_proc(struct sv_proc *sp, const struct handover_proc *hp)
{
	struct listeners	*ls = sp->sv->listeners;
	struct listener_proc	*lp;

	if (ls != NULL)
		listener_adopt_capture(sp, hp);
	if (hp->evl_pool == NULL)
		return;
	if (ls == NULL || !sp->p.prog->listener || hp->evl_state < 0 ||
	    hp->evl_state > (int)EVL_UNKNOWN || (hp->evl_has &&
	    (hp->evl_type < 0 || hp->evl_type >= (int)EVENT_NTYPES))) {
		log_errorx("reexec: %s: its event listener state is not "
		    "usable: its pipes are closed", sp->p.name);
		listener_drop_fds(hp);
		return;
	}
	lp = sp->listener != NULL ? sp->listener : listener_proc_new(ls, sp);
	free(lp->pool);
	lp->pool = xstrdup(hp->evl_pool);
	lp->infd = hp->evl_in;
	lp->outfd = hp->evl_out;
	lp->parser.state = (enum evl_state)hp->evl_state;
	listener_set_buf(&lp->parser.in, &hp->evl_read);
	lp->parser.resultlen = hp->evl_resultlen;
	listener_set_buf(&lp->parser.result, &hp->evl_result);
	(void)snprintf(lp->parser.bad, sizeof(lp->parser.bad), "%s",
	    hp->evl_bad != NULL ? hp->evl_bad : "");
	listener_set_buf(&lp->out, &hp->evl_write);
	lp->off = 0;
	if (hp->evl_has) {
		lp->ev.msg = listener_msg(hp->evl_type, hp->evl_serial,
		    &hp->evl_payload);
		lp->ev.poolserial = hp->evl_poolserial;
		log_debug("reexec: listener %s is %s with event %llu, %zu "
		    "bytes of it left to write", sp->p.name,
		    evl_state_name(lp->parser.state), hp->evl_serial,
		    lp->out.len);
	}
	if (lp->outfd != -1) {
		ev_io_set(&lp->rio, lp->outfd, EV_READ);
		ev_io_start(sp->sv->loop, &lp->rio);
	}
	if (lp->infd != -1 && lp->out.len > 0) {
		ev_io_set(&lp->wio, lp->infd, EV_WRITE);
		ev_io_start(sp->sv->loop, &lp->wio);
	}
}

/* See listener.h. */
void
listener_adopt(struct supervisor *sv, const struct handover *h)
{
	struct listeners	*ls = sv->listeners;
	struct listener_pool	*pl;
	struct event_entry	 e;
	size_t			 i;

	if (ls == NULL)
		return;
	if (h->evl_serial > ls->serial)
		ls->serial = h->evl_serial;
	for (i = 0; i < h->npools; i++) {
		const struct handover_pool	*hp = &h->pools[i];

		if ((pl = listener_pool_find(ls, hp->name)) == NULL)
			continue;
		pl->serial = hp->serial;
		pl->droplog.any = hp->drop_any;
		pl->droplog.last = hp->drop_last;
		pl->droplog.held = hp->drop_held;
	}
	if (h->nevents > 0)
		log_debug("reexec: %zu events buffered in the pools",
		    h->nevents);
	for (i = 0; i < h->nevents; i++) {
		const struct handover_event	*he = &h->events[i];

		if ((pl = listener_pool_find(ls, he->pool)) == NULL ||
		    he->type < 0 || he->type >= (int)EVENT_NTYPES) {
			log_errorx("reexec: event %llu of pool %s is lost: "
			    "no such pool, or not an event", he->serial,
			    he->pool);
			continue;
		}
		e.msg = listener_msg(he->type, he->serial, &he->payload);
		e.poolserial = he->poolserial;
		listener_accept(pl, e, false);
	}
	/* a TICK period that began during the exec is told now, once */
	for (i = 0; i < nitems(ls->tick); i++) {
		ls->ticked[i] = h->evl_tick[i];
		if (ls->ticked[i] != 0 && ev_is_active(&ls->tick[i]) &&
		    listener_period_start(sv->loop, i) > ls->ticked[i])
			listener_tick_cb(sv->loop, &ls->tick[i], 0);
	}
	/* what could not be sent before the exec may go now */
	for (i = 0; i < ls->npools; i++)
		listener_dispatch(ls, ls->pools[i]);
}

/* See listener.h. */
void
listener_drop(const struct handover_proc *hp)
{
	listener_drop_fds(hp);
}
