/* event.h: supervisord's events, as its event listeners see them: the
 * event types and their hierarchy, the header line and payloads, the
 * buffer of one listener pool (the oldest event dropped when full), and
 * the listener protocol read from a listener's stdout (READY, RESULT).
 *
 * Pure: no system call, no libev. listener.c is the I/O around it. */
#ifndef TEND_EVENT_H
#define TEND_EVENT_H

#include <sys/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Every type supervisord's events.py names, abstract ones included (a
 * listener may subscribe to those: it gets every type under them). */
enum event_type {
	EVENT_ANY,			/* EVENT */
	EVENT_PROCESS_STATE,
	EVENT_PROCESS_STATE_STOPPED,
	EVENT_PROCESS_STATE_EXITED,
	EVENT_PROCESS_STATE_STARTING,
	EVENT_PROCESS_STATE_STOPPING,
	EVENT_PROCESS_STATE_BACKOFF,
	EVENT_PROCESS_STATE_FATAL,
	EVENT_PROCESS_STATE_RUNNING,
	EVENT_PROCESS_STATE_UNKNOWN,
	EVENT_PROCESS_COMMUNICATION,
	EVENT_PROCESS_COMMUNICATION_STDOUT,
	EVENT_PROCESS_COMMUNICATION_STDERR,
	EVENT_PROCESS_LOG,
	EVENT_PROCESS_LOG_STDOUT,
	EVENT_PROCESS_LOG_STDERR,
	EVENT_REMOTE_COMMUNICATION,
	EVENT_SUPERVISOR_STATE_CHANGE,
	EVENT_SUPERVISOR_STATE_CHANGE_RUNNING,
	EVENT_SUPERVISOR_STATE_CHANGE_STOPPING,
	EVENT_TICK,
	EVENT_TICK_5,
	EVENT_TICK_60,
	EVENT_TICK_3600,
	EVENT_PROCESS_GROUP,
	EVENT_PROCESS_GROUP_ADDED,
	EVENT_PROCESS_GROUP_REMOVED,
	EVENT_NTYPES
};

/* A set of event types, one bit each. */
typedef uint32_t event_mask;
#define EVENT_BIT(t)	((event_mask)1 << (t))

/* The name of a type ("PROCESS_STATE_RUNNING"). */
const char	*event_name(enum event_type);
/* The type called name (any case), or -1. */
int		 event_find(const char *name);
/* The types a subscription to t delivers: t and every type under it. */
event_mask	 event_subscription(enum event_type t);
/* Parse an events= value (comma and/or space separated names) into the
 * set of types it delivers; -1 with the reason in why. */
int		 event_parse_list(const char *value, event_mask *out,
		    struct buf *why);

/* The PROCESS_STATE_* type of a process state (process.h's numbers). */
enum event_type	 event_of_state(int state);

/* The payload of a PROCESS_STATE_* event of the process called name in
 * group, which left from_state (its supervisord name): the extra fields
 * are those of the type (tries for STARTING and BACKOFF; expected and pid
 * for EXITED; pid for RUNNING, STOPPING, STOPPED). No trailing newline. */
void		 event_state_payload(struct buf *, enum event_type,
		    const char *name, const char *group, const char *from_state,
		    pid_t pid, unsigned tries, bool expected);
/* PROCESS_LOG_STDOUT/STDERR and PROCESS_COMMUNICATION_*: the header
 * fields, a newline, then data. */
void		 event_output_payload(struct buf *, enum event_type,
		    const char *name, const char *group, pid_t pid,
		    const char *data, size_t len);
/* TICK_*: "when:T", T the start of the period (a multiple of it). */
void		 event_tick_payload(struct buf *, unsigned long long when);
/* PROCESS_GROUP_*: "groupname:G\n". */
void		 event_group_payload(struct buf *, const char *group);
/* The header line before a payload of len bytes, ending in "\n". */
void		 event_header(struct buf *, unsigned long long serial,
		    const char *pool, unsigned long long poolserial,
		    enum event_type, size_t len);

/* One event, shared by the pools it went to. */
struct event_msg {
	unsigned		 refs;
	enum event_type		 type;
	unsigned long long	 serial;	/* over the whole daemon */
	char			*payload;
	size_t			 len;
};
struct event_msg *event_msg_new(enum event_type, unsigned long long serial,
		    struct buf *payload);	/* takes payload's data */
struct event_msg *event_msg_ref(struct event_msg *);
void		 event_msg_unref(struct event_msg *);

/* An event in a pool's buffer, with its serial in that pool. */
struct event_entry {
	struct event_msg	*msg;
	unsigned long long	 poolserial;
};

/* What a pool's buffer holds at most in payload bytes, whatever its
 * buffer_size (man/tend.ini.5): the oldest events make room as for the
 * count. */
#define EVENT_POOL_MAXBYTES	((size_t)16 * 1024 * 1024)

/* A pool's buffer: at most cap events and maxbytes payload bytes, oldest
 * first; a ring of alloc slots (grown up to cap as it fills), the oldest
 * at v[head]. */
struct event_queue {
	struct event_entry	*v;
	size_t			 head;
	size_t			 n;
	size_t			 alloc;
	size_t			 cap;		/* buffer_size= */
	size_t			 bytes;		/* payload bytes held */
	size_t			 maxbytes;
};
void		 event_queue_init(struct event_queue *, size_t cap,
		    size_t maxbytes);
void		 event_queue_free(struct event_queue *);
/* Add e at the tail (or at the head: an event sent back, to go first).
 * When the buffer is full in events or bytes, the oldest events make
 * room, each handed to drop (which logs it and unrefs its msg); the
 * number dropped is returned. e itself always goes in. Takes e's ref. */
size_t		 event_queue_push(struct event_queue *, struct event_entry e,
		    bool head, void (*drop)(void *, struct event_entry),
		    void *arg);
/* Take the oldest event; false if there is none. */
bool		 event_queue_pop(struct event_queue *, struct event_entry *);

/* At most one "buffer overflowed" line a second: event_droplog_due says
 * whether a drop at time now (seconds) is logged, and then *held is the
 * drops not logged since the last line; otherwise it counts this one. */
struct event_droplog {
	bool			 any;		/* a line was logged */
	double			 last;		/* when */
	unsigned long long	 held;		/* drops since, not logged */
};
bool		 event_droplog_due(struct event_droplog *, double now,
		    unsigned long long *held);

/* The capture mode of one output stream of a program with
 * stdout_capture_maxbytes (stderr_...): what it writes between
 * <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> is one
 * PROCESS_COMMUNICATION event (its last max bytes), the rest is output
 * as before; as supervisord's POutputDispatcher, which holds back what
 * could be the start of a token, and anything not longer than one. */
/* The largest stdout_capture_maxbytes (stderr_...) accepted: real
 * configurations ask for 50MB (docker-selenium). */
#define EVENT_CAPTURE_MAXBYTES	(64LL * 1024 * 1024)

struct event_capture {
	bool		 on;		/* between the tokens */
	size_t		 max;		/* capture_maxbytes */
	struct buf	 pending;	/* held back */
	struct buf	 data;		/* captured so far */
};
void		 event_capture_init(struct event_capture *, size_t max);
void		 event_capture_free(struct event_capture *);
/* Bytes came: piece(arg, false, ...) for each run of output, and
 * piece(arg, true, ...) for each whole message captured. */
void		 event_capture_feed(struct event_capture *, const char *data,
		    size_t len, void (*piece)(void *, bool, const char *,
		    size_t), void *arg);

/* A listener's state, supervisord's EventListenerStates. */
enum evl_state {
	EVL_ACKNOWLEDGED,	/* busy: it has yet to say READY */
	EVL_READY,		/* may be sent an event */
	EVL_BUSY,		/* sent one, waiting for its RESULT */
	EVL_UNKNOWN,		/* broke the protocol: gets no more events */
};
const char	*evl_state_name(enum evl_state);

/* What the listener said, as evl_next() hands it back. */
enum evl_said {
	EVL_SAID_NOTHING,	/* nothing complete yet */
	EVL_SAID_READY,		/* ACKNOWLEDGED -> READY */
	EVL_SAID_OK,		/* RESULT OK: BUSY -> ACKNOWLEDGED */
	EVL_SAID_FAIL,		/* RESULT other than OK: the event is sent
				 * again; BUSY -> ACKNOWLEDGED */
	EVL_SAID_GARBAGE,	/* -> UNKNOWN; if it was BUSY, its event is
				 * rejected (sent again) too */
};

/* The protocol as read from one listener's stdout. */
struct evl_parser {
	enum evl_state	 state;
	struct buf	 in;		/* bytes read, not yet understood */
	long long	 resultlen;	/* -1: reading the RESULT line */
	struct buf	 result;
	char		 bad[80];	/* after GARBAGE: what it was */
};
void		 evl_init(struct evl_parser *);
void		 evl_free(struct evl_parser *);
/* Bytes came from the listener's stdout. */
void		 evl_feed(struct evl_parser *, const char *data, size_t len);
/* Understand what can be: call until it returns EVL_SAID_NOTHING. */
enum evl_said	 evl_next(struct evl_parser *);
/* An event was written to it: READY -> BUSY. */
void		 evl_sent(struct evl_parser *);

#endif
