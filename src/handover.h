/* handover.h: the state one tendd image hands to the next across a live
 * re-exec (tendctl reexec): every process, its pending deadline, its
 * output streams, and the descriptors that stay open across execve().
 *
 * A versioned text blob, one record a line:
 *	tend-handover VERSION
 *	daemon key=value ...
 *	proc key=value ...		(one per process)
 *	pool key=value ...		(one per event listener pool)
 *	event key=value ...		(one per event a pool buffers, in
 *					 its buffer's order)
 *	end N				(the records above it after
 *					 daemon: a record lost is seen)
 * Values are percent-encoded (every byte outside '!'..'~', and '%'), so a
 * line never holds a space, a newline or a NUL of its own. Each record's
 * keys come from one table (handover.c): adding a field is one row, and a
 * reader of a newer minor layout fails loudly on a key it does not know.
 * Parsing is strict and bounded: an unknown version, record or key, a
 * malformed or out of range value, a missing required key, a key given
 * twice, a truncated blob (no "end", or a count that does not match) are
 * refused with a reason.
 *
 * Pure: no I/O (reexec.c writes and reads the memfd). */
#ifndef TEND_HANDOVER_H
#define TEND_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define HANDOVER_MAGIC		"tend-handover"
/* Adding a key: a row in handover.c's table and a field here, and
 * HANDOVER_VERSION + 1 (an older image, which would refuse the key,
 * then says so to --accepts-state before the exec); MIN_VERSION stays
 * while a blob without the key still makes sense (the field's zero). */
#define HANDOVER_VERSION	3	/* written by this image (2: restart
					 * history and health state; 3: event
					 * listeners, their pools and their
					 * events) */
#define HANDOVER_MIN_VERSION	1	/* the oldest it reads */
#define HANDOVER_MAX_BYTES	(256u << 20)	/* a blob, at most */
#define HANDOVER_MAX_LINE	(4u << 20)	/* a record, at most */

/* Raw bytes (an unfinished log line); p NULL when len is 0. */
struct handover_bytes {
	char		*p;
	size_t		 len;
};

/* One output stream of a process (outlog_io.c). */
struct handover_stream {
	int			 pipefd;	/* the child's pipe, read end;
						 * -1: none */
	int			 filefd;	/* the log file; -1: closed */
	unsigned long long	 size;		/* bytes in the file */
	bool			 broken;	/* a write failed: retry later */
	int			 pipesz;	/* the pipe's capacity */
	bool			 regular;	/* the file is a regular one */
	bool			 rotating;	/* ... rotated at maxbytes */
	bool			 can_splice;	/* ... spliced into */
	struct handover_bytes	 carry;		/* read, not yet written */
	struct handover_bytes	 sysline;	/* syslog line being built */
};

/* One process: struct proc and what its sv_proc holds. */
struct handover_proc {
	char		*name;		/* namespec: group:name */
	int		 state;		/* enum proc_state */
	long		 pid;		/* 0: none */
	unsigned	 backoff;
	double		 start_mono;	/* CLOCK_MONOTONIC seconds */
	long long	 start_wall;
	long long	 stop_wall;
	bool		 killing;
	int		 exitstatus;
	int		 waitstatus;
	bool		 waited;
	char		*spawnerr;	/* "" if none */
	unsigned long	 restarts;
	double		 respawn_due;	/* CLOCK_MONOTONIC seconds */
	bool		 throttled;
	double		 timer_due;	/* the process timer's deadline,
					 * CLOCK_MONOTONIC; 0: none */
	unsigned long long starttime;	/* /proc/PID/stat field 22 */
	bool		 dep_wait;
	int		 readyfd;	/* notification_fd pipe; -1: none */
	char		*restart_times;	/* restart_limit= history: monotonic
					 * times, oldest first, comma-separated
					 * (proc_restart_times); NULL: none */
	/* struct health_state (healthstate.h) */
	int		 health;	/* its healthy + 1: 0 no result, 1
					 * failing, 2 passing */
	unsigned	 health_failures;
	unsigned long	 health_probes;
	double		 health_start_end;	/* CLOCK_MONOTONIC */
	bool		 health_started;
	bool		 health_reported;
	bool		 health_restart;
	char		*health_why;	/* NULL: none */
	struct handover_stream out;
	struct handover_stream err;
	/* struct listener_proc (listener.c), if the process is a listener
	 * (evl_pool not NULL) */
	char		*evl_pool;	/* its pool */
	int		 evl_in;	/* its stdin's write end; -1: none */
	int		 evl_out;	/* its stdout's read end; -1: none */
	int		 evl_state;	/* enum evl_state */
	struct handover_bytes evl_read;	/* read, not yet understood */
	long long	 evl_resultlen;	/* -1: reading the RESULT line */
	struct handover_bytes evl_result;
	char		*evl_bad;	/* after GARBAGE; NULL: none */
	struct handover_bytes evl_write; /* of the event being written,
					 * what is left to write */
	bool		 evl_has;	/* it has an event (below) */
	unsigned long long evl_serial;
	unsigned long long evl_poolserial;
	int		 evl_type;	/* enum event_type */
	struct handover_bytes evl_payload;
	/* its capture mode (struct event_capture), stdout and stderr: a
	 * PROCESS_COMMUNICATION message being captured */
	bool		 cap_out_on;
	struct handover_bytes cap_out_pending;
	struct handover_bytes cap_out_data;
	bool		 cap_err_on;
	struct handover_bytes cap_err_pending;
	struct handover_bytes cap_err_data;
};

/* An event listener pool (struct listener_pool). */
struct handover_pool {
	char		*name;
	unsigned long long serial;	/* its next poolserial */
	bool		 drop_any;	/* struct event_droplog */
	double		 drop_last;	/* ev_now() time */
	unsigned long long drop_held;
};

/* An event a pool buffers, not yet delivered. */
struct handover_event {
	char		*pool;
	unsigned long long serial;
	unsigned long long poolserial;
	int		 type;		/* enum event_type */
	struct handover_bytes payload;
};

struct handover {
	unsigned	 version;	/* of the blob read */
	unsigned long	 generation;	/* re-execs so far */
	char		*self;		/* the binary to exec next time */
	double		 sent_mono;	/* when the old image wrote it */
	int		 control_fd;	/* control FIFO, O_RDWR */
	int		 control_dirfd;	/* its reply directory */
	int		 pidfile_fd;	/* locked pid file; -1: none */
	int		 notify_fd;	/* sd_notify= programs' socket */
	char		*notify_name;	/* ... its address */
	int		 reply_fd;	/* the reexec client's reply FIFO */
	long		 reply_uid;	/* its owner (with reply_fd) */
	unsigned long long evl_serial;	/* the next event's serial */
	unsigned long long evl_tick[3];	/* the start of the last TICK_5,
					 * _60, _3600 period told (0: none) */
	struct handover_proc *procs;
	size_t		 nprocs;
	struct handover_pool *pools;
	size_t		 npools;
	struct handover_event *events;	/* of every pool, each pool's in
					 * its buffer's order */
	size_t		 nevents;
};

/* Empty: every descriptor -1, every other field 0 (the default of a key
 * the writer leaves out). */
void		 handover_init(struct handover *);
void		 handover_free(struct handover *);
/* A new process record (name copied), fds -1, zeros elsewhere. */
struct handover_proc *handover_add_proc(struct handover *, const char *name);
/* A new pool record (name copied), zeros elsewhere. */
struct handover_pool *handover_add_pool(struct handover *, const char *name);
/* A new event record of pool (copied), zeros elsewhere. */
struct handover_event *handover_add_event(struct handover *,
		    const char *pool);
/* Set bytes to a copy of p, n. */
void		 handover_set_bytes(struct handover_bytes *, const void *p,
		    size_t n);

/* Can this image read a blob of version v? */
bool		 handover_accepts(unsigned long v);
/* The blob of h at version HANDOVER_VERSION. */
void		 handover_format(const struct handover *, struct buf *);
/* Parse text, len into h (handover_init'ed here). 0, or -1 with why
 * ("line 3: proc: pid: not a number") and h left empty. */
int		 handover_parse(const char *text, size_t len,
		    struct handover *, char *why, size_t whylen);
/* Every descriptor h names (not -1), in out (at most max); returns how
 * many there are (which may exceed max). */
size_t		 handover_fds(const struct handover *, int *out, size_t max);

#endif
