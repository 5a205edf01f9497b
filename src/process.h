/* process.h: one supervised process and its state machine.
 *
 * Pure: the functions here never fork, signal, or touch libev. Each takes
 * an event (start, stop, spawned, spawn failed, exited, timer) and returns
 * the actions the caller must carry out (spawn, send a signal, arm or cancel
 * the process timer) plus the lines to log. States, numbers, transitions and
 * messages are supervisord's (process.py). */
#ifndef TEND_PROCESS_H
#define TEND_PROCESS_H

#include <sys/types.h>
#include <stdbool.h>
#include <time.h>

#include "config.h"

enum proc_state {
	PROC_STOPPED = 0,
	PROC_STARTING = 10,
	PROC_RUNNING = 20,
	PROC_BACKOFF = 30,
	PROC_STOPPING = 40,
	PROC_EXITED = 100,
	PROC_FATAL = 200,
	PROC_UNKNOWN = 1000,
};

struct proc {
	const struct program *prog;	/* config; replaced on update */
	char		*name;		/* namespec shown to users */
	enum proc_state	 state;
	pid_t		 pid;		/* 0 once reaped */
	unsigned	 backoff;	/* failed starts in a row */
	double		 start_mono;	/* monotonic time of the last spawn */
	time_t		 start_wall;	/* wall clock of the last spawn, 0: never */
	time_t		 stop_wall;	/* wall clock of the last exit */
	bool		 killing;	/* a stop signal was sent */
	int		 exitstatus;	/* last exit code, -1 for a signal */
	int		 waitstatus;	/* the last exit as waitpid gave it, */
	bool		 waited;	/* if it ran since the last start */
	char		 spawnerr[256];	/* shown in BACKOFF/FATAL, "" if none */
	unsigned long	 restarts;	/* spawns after the first */
	double		 respawn_due;	/* monotonic time before which a held
					 * back autorestart (PA_DEFER) must
					 * not spawn */
	bool		 throttled;	/* the last exit came within the
					 * restart floor (said so once) */
	double		*rl_times;	/* restart_limit=: monotonic times of
					 * the last autorestarts, a ring of */
	unsigned	 rl_cap;	/* restart_limit.count slots, */
	unsigned	 rl_len;	/* rl_len used, */
	unsigned	 rl_next;	/* the next one written here */
	unsigned	 rl_secs;	/* the restart_limit.secs they count
					 * against */
};

/* What the caller must do after a transition, in this order. */
enum {
	PA_SPAWN = 1 << 0,	/* fork/exec now; then proc_spawned/proc_spawn_failed */
	PA_SIGNAL = 1 << 1,	/* send sig to pid (or to its group) */
	PA_CONT = 1 << 2,	/* ...followed by SIGCONT */
	PA_TIMER = 1 << 3,	/* (re)arm the process timer for timer_secs */
	PA_UNTIMER = 1 << 4,	/* cancel the process timer */
	PA_DEFER = 1 << 5,	/* STARTING without a pid: spawn from the loop
				 * once respawn_due has come (proc_respawn) */
	PA_DEPWAIT = 1 << 6,	/* STARTING without a pid: wait for the
				 * programs it depends on (proc_deps) */
};
#define PROC_MAXLOG 2
#define PROC_MAXTRANS 3

/* One change of state made by a transition, with what the process was
 * then: the PROCESS_STATE_* events are made of these (listener.c). */
struct proc_trans {
	enum proc_state	 from;
	enum proc_state	 to;
	pid_t		 pid;		/* of the child it is about */
	unsigned	 tries;		/* failed starts in a row then */
	bool		 expected;	/* EXITED: the code was in exitcodes */
};

struct proc_log {
	int		 level;		/* LOG_LVL_* */
	char		 text[320];
};

struct proc_actions {
	unsigned	 flags;
	int		 sig;
	bool		 group;		/* signal the process group */
	double		 timer_secs;
	unsigned	 nlog;
	struct proc_log	 log[PROC_MAXLOG];
	bool		 changed;	/* the state changed, or what status
					 * says of it (a wait began) */
	unsigned	 ntrans;
	struct proc_trans trans[PROC_MAXTRANS];	/* in order */
};

/* The caller's look at the programs a program depends on (depends_on=),
 * before each spawn. */
enum proc_deps {
	PROC_DEPS_READY,	/* every one RUNNING (or none named) */
	PROC_DEPS_WAIT,		/* some are on their way */
	PROC_DEPS_FAILED,	/* one is FATAL, or in no configuration */
};

const char	*proc_state_name(enum proc_state);
/* RUNNING, BACKOFF, STARTING: what supervisord calls running states. */
bool		 proc_is_running_state(enum proc_state);
/* STOPPED, EXITED, FATAL, UNKNOWN. */
bool		 proc_is_stopped_state(enum proc_state);
/* Does the state p is in now end tendd (its shutdown_on= says so)? */
bool		 proc_ends_tend(const struct proc *);
/* The exit status tendd passes on when p ended it: the program's exit
 * code, 128+N for a signal N, and at least 1 for FATAL (a FATAL after a
 * spawn error, or after exits tend took as failures, is a failure). */
int		 proc_tend_exit_code(const struct proc *);

void		 proc_init(struct proc *, const struct program *, const char *name);
void		 proc_free(struct proc *);

/* Requests. proc_start needs STOPPED, EXITED, FATAL or BACKOFF; proc_stop
 * returns false (nothing done) unless the state is a running state. */
void		 proc_start(struct proc *, double now, time_t wall,
		    struct proc_actions *);
bool		 proc_stop(struct proc *, struct proc_actions *);

/* A restart tendd makes on its own (after an exit, or for health), at
 * now: true if restart_limit= allows it (and it is counted); false, and
 * p is FATAL ("gave up: web restarted 10 times in 60 s"), if not. */
bool		 proc_restart_counted(struct proc *, double now,
		    struct proc_actions *);

/* restart_limit='s history across a re-exec (handover.c): the times of
 * the restarts counted, oldest first, as "T,T,..." (empty: none), and
 * back. Parsing keeps the last restart_limit.count times of a well-formed
 * list and ignores the rest (a limit changed meanwhile). */
void		 proc_restart_times(const struct proc *, struct buf *);
void		 proc_restart_times_set(struct proc *, const char *);

/* A start by hand: restart_limit= counts from zero again. */
void		 proc_restart_forget(struct proc *);

/* Results of a PA_SPAWN. */
void		 proc_spawned(struct proc *, pid_t, struct proc_actions *);
void		 proc_spawn_failed(struct proc *, const char *why,
		    struct proc_actions *);
/* The program said it is ready (how: "notification_fd", "READY=1"):
 * STARTING -> RUNNING; nothing in any other state. */
void		 proc_ready(struct proc *, const char *how,
		    struct proc_actions *);

/* A spawn (PA_SPAWN) about to happen, gated by depends_on: waiting says
 * whether the process already waits for its dependencies (PA_DEPWAIT
 * before). True: spawn now (after a wait, startsecs and the uptime count
 * from now). False, and PA_DEPWAIT: keep STARTING without a pid, look
 * again when another process changes. False otherwise: a failed start
 * (why), as after a spawn error. */
bool		 proc_deps(struct proc *, enum proc_deps, bool waiting,
		    const char *why, double now, time_t wall,
		    struct proc_actions *);

/* The child was reaped with this wait status. restart_ok is false while
 * the daemon shuts down (no autorestart then). The restart floor (as s6's
 * and runit's): an autorestart of a process that exits less than
 * restart_floor seconds after its spawn is held back until that long
 * after the spawn (PA_DEFER instead of PA_SPAWN, respawn_due set), so a
 * crash loop costs little; 0 restarts at once, as supervisord. */
void		 proc_exited(struct proc *, int status, double now, time_t wall,
		    bool restart_ok, double restart_floor,
		    struct proc_actions *);

/* A held back autorestart (PA_DEFER): PA_SPAWN once now has reached
 * respawn_due, startsecs counting from now; nothing before, nor in any
 * other state. */
void		 proc_respawn(struct proc *, double now, struct proc_actions *);

/* The process timer fired. */
void		 proc_timer(struct proc *, double now, time_t wall,
		    struct proc_actions *);

/* The description column of `status`, as supervisord's
 * _interpretProcessInfo. */
void		 proc_describe(const struct proc *, time_t wall, char *, size_t);

#endif
