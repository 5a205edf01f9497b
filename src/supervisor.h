/* supervisor.h: the daemon's state and the loop's glue: one libev default
 * loop, one struct supervisor owning every process and its watchers. Its
 * parts (depends.c, orphans.c, reload.c, shutdown.c) and the layers above
 * them (commands.c, the control FIFO, the metrics) call it; it reaches
 * them only through the hooks tendd.c gives supervisor_new. */
#ifndef TEND_SUPERVISOR_H
#define TEND_SUPERVISOR_H

#include <sys/resource.h>
#include <ev.h>
#include <stdbool.h>

#include "config.h"
#include "health.h"
#include "healthstate.h"
#include "pidmap.h"
#include "process.h"
#include "ready.h"
#include "util.h"

struct supervisor;
struct sv_proc;
struct control_reply;

/* How the supervisor reaches the files above it, which it never calls
 * by name: tendd.c fills these in. Each may be NULL (nobody listens). */
struct sv_hooks {
	/* ---- its parts, which set up their state in sv (their _init,
	 * called by tendd.c after supervisor_new) ---- */
	/* Right before sp is spawned: may it be now? If not, sp waits or
	 * its start failed (depends.c). */
	bool	(*may_spawn)(struct sv_proc *sp);
	/* After each transition of sp, its actions carried out
	 * (depends.c). */
	void	(*moved)(struct sv_proc *sp, const struct proc_actions *);
	/* A child of sv was spawned (orphans.c: the state file). */
	void	(*spawned)(struct supervisor *sv);
	/* sp entered a state in which its shutdown_on= ends tendd
	 * (shutdown.c). */
	void	(*ended)(struct sv_proc *sp);
	/* ---- the layers above, called with arg ---- */
	/* Processes changed state, or were added or removed (after the
	 * transition's actions): waiting jobs move on, the metrics and,
	 * while shutting down, the next step. */
	void	(*changed)(void *arg);
	/* sp is about to be freed: forget it. */
	void	(*forget)(struct sv_proc *sp, void *arg);
	/* shutdown.c: no reply is left to write (then the loop may end). */
	bool	(*idle)(void *arg);
	/* shutdown.c: the shutdown begins: end what never ends by itself
	 * (tail -f followers). */
	void	(*stopping)(void *arg);
	/* ---- event listeners (listener.c) ---- */
	/* Each change of state of sp, in order, as its transition recorded
	 * it (before the transition's actions are carried out). */
	void	(*state)(struct sv_proc *sp, const struct proc_trans *t);
	/* Right before sp is spawned: the pipe ends its stdin and stdout
	 * get instead of /dev/null and its log (event listeners), -1 each
	 * for the usual. 0, or -1 with why (a spawn error). The supervisor
	 * closes them once the child has them. */
	int	(*stdio)(struct sv_proc *sp, int *in, int *out, char *why,
		    size_t len);
	/* sp wrote data to stdout (err: stderr) and its program has
	 * stdout_events_enabled or stdout_capture_maxbytes (stderr_...). */
	void	(*output)(struct sv_proc *sp, bool err, const char *data,
		    size_t len);
	/* ---- live re-exec (reexec.c) ---- */
	/* tendctl reexec [PATH]: path NULL for tendd's own binary; the
	 * reply is finished now or later (by the new image). */
	void	(*reexec)(void *arg, struct control_reply *, const char *path);
	void	*arg;			/* given to each */
};

/* A configuration kept alive while a process still points into it. */
struct config_ref {
	struct config		*config;
	unsigned		 refs;	/* processes using one of its programs */
	struct config_ref	*next;
};

/* Child output capture of one stream (outlog_io.c). */
struct outlog;
struct sv_stream {
	struct outlog	*log;		/* pipe -> file and/or syslog */
	unsigned long long dropped;	/* bytes that could not be written */
};

/* One supervised process and its watchers. */
struct sv_proc {
	struct proc		 p;		/* pure state machine */
	struct supervisor	*sv;
	struct config_ref	*cref;		/* config owning p.prog */
	ev_timer		 timer;		/* startsecs, backoff, stopwait */
	struct sv_stream	 out;		/* fd 1 */
	struct sv_stream	 err;		/* fd 2 */
	const struct program	*pending;	/* update: replace once stopped */
	bool			 removing;	/* update: drop once stopped */
	struct config_ref	*pending_cref;	/* config owning pending */
	int			 pidfd;		/* of the live child, or -1 */
	struct ready_pipe	 ready;		/* notification_fd's pipe
						 * (ready.c) */
	unsigned long long	 starttime;	/* /proc/PID/stat field 22 */
	bool			 dep_wait;	/* STARTING, not spawned: waits
						 * for its depends_on (depends.c,
						 * PA_DEPWAIT) */
	struct listener_proc	*listener;	/* an event listener's pipes and
						 * protocol (listener.c), or
						 * NULL */
	struct event_capture	*capture;	/* capture mode of stdout and
						 * stderr (listener.c), or
						 * NULL */
	struct health_probe	 hprobe;	/* healthcheck= probes
						 * (health.c) */
	struct health_state	 health;	/* what they said since the
						 * spawn (healthstate.c) */
};

struct depends;
struct shutdown;
struct listeners;
struct listener_proc;
struct event_capture;

struct supervisor {
	struct ev_loop		*loop;		/* the default loop: only it watches children */
	char			*config_path;	/* for reread */
	bool			 config_strict;	/* tendd --strict: for reread */
	struct config		*config;	/* the current configuration */
	struct config_ref	*configs;	/* every live configuration */
	char			**base_env;	/* spawn_env_base(config), made
						 * at the first spawn */
	struct sv_proc		**procs;	/* sorted by group, then name
						 * (supervisor_proc_cmp) */
	size_t			 nprocs;
	size_t			 nsorted;	/* procs[0 .. nsorted - 1] are
						 * sorted; those after were
						 * added since (supervisor_sort) */
	size_t			 procs_cap;	/* entries allocated in procs */
	struct pidmap		 pids;		/* pid -> sv_proc, while it runs */
	struct sv_hooks		 hooks;		/* to the files above (tendd.c's) */
	ev_child		 anychild;	/* every exit: ours and unknown */
	struct shutdown		*shutdown;	/* signals, shutdown steps
						 * (shutdown.c) */
	struct depends		*deps;		/* depends_on= waits (depends.c) */
	struct listeners	*listeners;	/* event listener pools
						 * (listener.c) */
	struct ready		*ready;		/* NOTIFY_SOCKET and the pipes'
						 * loop (ready.c) */
	struct health		*health;	/* exec probes by pid
						 * (health.c) */
	ev_idle			 gc;		/* frees removed processes */
	ev_prepare		 state_prep;	/* writes the state file once per
						 * loop iteration when dirty
						 * (orphans.c) */
	ev_timer		 respawn;	/* held back autorestarts
						 * (PA_DEFER), a batch per loop
						 * iteration */
	size_t			 respawn_at;	/* where the next batch starts */
	unsigned int		 direct_iter;	/* loop iteration of direct_n */
	unsigned int		 direct_n;	/* respawns straight from the
						 * reaper in that iteration */
	double			 restart_floor;	/* TEND_RESTART_FLOOR seconds */
	char			*state_path;	/* NULL: no state file */
	bool			 shutting_down;
	bool			 reexec;	/* reload: start again once stopped */
	struct rlimit		 base_nofile;	/* limit at start, given to children */
	bool			 have_base_nofile;
	int			 exit_code;	/* tendd's: set by shutdown_on= */
	pid_t			 helper_pid[2];	/* reexec.c's checks of a new
						 * binary, which it reaps */
	unsigned long		 generation;	/* live re-execs so far */
};

/* The supervisor of config c (read from path), which it takes, and its
 * processes, none started yet; hooks are copied. */
struct supervisor *supervisor_new(struct ev_loop *, const char *path,
		    struct config *c, const struct sv_hooks *hooks);
/* Free everything, telling the hooks nothing more: the layers above are
 * gone already. */
void		 supervisor_free(struct supervisor *);
/* qsort comparator of struct sv_proc *: supervisord's start order (group
 * priority, priority, group name, name); stops go in reverse. */
int		 supervisor_start_order(const void *, const void *);
/* Start the autostart programs in priority order. */
void		 supervisor_autostart(struct supervisor *);

/* Requests from commands; they return false when not applicable. */
bool		 supervisor_start(struct sv_proc *);
bool		 supervisor_stop(struct sv_proc *);
int		 supervisor_signal(struct sv_proc *, int sig);

/* The process called name in group, NULL if none (or being removed). */
struct sv_proc	*supervisor_lookup(struct supervisor *, const char *group,
		    const char *name);
/* Some process of group is running or configured (not being removed). */
bool		 supervisor_group_active(struct supervisor *, const char *group);
/* The log file of one stream of a process (NULL: NONE, or stderr that is
 * redirected); the caller frees it. */
char		*supervisor_log_path(const struct sv_proc *, bool err);
/* Reopen tendd's log and every process log (SIGUSR2, tendctl reopen);
 * -1 when one of them failed (each failure is logged). */
int		 supervisor_reopen_logs(struct supervisor *);
/* Empty both logs of a process (tendctl clear); -1 with why. */
int		 supervisor_clear_logs(struct sv_proc *, char *why, size_t len);
/* Called after any state change: tells the changed hook. */
void		 supervisor_changed(struct supervisor *);

/* ---- for the files above the core (depends.c, reload.c, orphans.c,
 * shutdown.c) ---- */

/* Monotonic seconds, for every duration. */
double		 supervisor_now(struct supervisor *);
/* Carry out the actions of a transition of sp's state machine. */
void		 supervisor_apply(struct sv_proc *, struct proc_actions *);
/* Probe sp's healthcheck= while it is RUNNING, or STARTING with a pid
 * under ready_on=healthcheck; stop its probes otherwise (and forget what
 * they said). supervisor_apply calls it after each transition; a process
 * restored by a re-exec, its health state handed over as it was, gets its
 * probes back by it. */
void		 supervisor_health_follow(struct sv_proc *);
/* Spawn sp, STARTING without a pid, if its depends_on lets it now. */
void		 supervisor_spawn(struct sv_proc *);
/* A process that is stopped now takes the program an update left
 * pending, or is freed from the loop if it is being removed. */
void		 supervisor_after_stop(struct sv_proc *);

/* qsort comparator of struct sv_proc *: group name, then name. */
int		 supervisor_proc_cmp(const void *, const void *);
/* procs[*lo .. *hi - 1] are the processes of group (those being removed
 * too), in name order, found by binary search among the sorted ones:
 * call supervisor_sort first unless the group cannot be among those
 * added since. */
void		 supervisor_group_range(const struct supervisor *,
		    const char *group, size_t *lo, size_t *hi);
/* Sort the processes added since the last call into place: a sort of
 * those alone and one merge. */
void		 supervisor_sort(struct supervisor *);
/* A new process for prog of the current configuration, appended to
 * procs (unsorted until supervisor_sort). */
struct sv_proc	*supervisor_proc_add(struct supervisor *,
		    const struct program *);

/* Track a configuration that processes may point into; the ref of the
 * current one; free those nothing uses any more. */
/* Live re-exec: take over a stream of sp as hs says (outlog_adopt), set
 * up for sp's program. */
struct handover_stream;
void		 supervisor_adopt_stream(struct sv_proc *, bool err,
		    const struct handover_stream *);

struct config_ref *supervisor_config_add(struct supervisor *, struct config *);
struct config_ref *supervisor_config_current(struct supervisor *);
void		 supervisor_config_gc(struct supervisor *);

#endif
