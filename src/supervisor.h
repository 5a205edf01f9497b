/* supervisor.h: the daemon's state and the loop's glue: one libev default
 * loop, one struct supervisor owning every process, watcher and client. */
#ifndef TEND_SUPERVISOR_H
#define TEND_SUPERVISOR_H

#include <sys/resource.h>
#include <ev.h>
#include <stdbool.h>

#include "config.h"
#include "pidmap.h"
#include "process.h"
#include "util.h"

struct supervisor;
struct control;
struct job;

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
	ev_io			 ready;		/* notification_fd's pipe, until
						 * the line, EOF or the exit;
						 * fd -1 when none */
	unsigned long long	 starttime;	/* /proc/PID/stat field 22 */
	double			 respawn_due;	/* autorestart not before */
	bool			 throttled;	/* said so in the log */
	bool			 dep_wait;	/* STARTING, not spawned: waits
						 * for its depends_on */
};

struct supervisor {
	struct ev_loop		*loop;		/* the default loop: only it watches children */
	char			*config_path;	/* for reread */
	struct config		*config;	/* the current configuration */
	struct config_ref	*configs;	/* every live configuration */
	char			**base_env;	/* spawn_env_base(config), made
						 * at the first spawn */
	struct sv_proc		**procs;	/* sorted by name */
	size_t			 nprocs;
	struct pidmap		 pids;		/* pid -> sv_proc, while it runs */
	struct control		*control;	/* control FIFO server */
	struct job		*jobs;		/* commands waiting on processes */
	ev_signal		 sigterm;	/* orderly shutdown */
	ev_signal		 sigint;
	ev_signal		 sighup;	/* reread and apply, like update */
	ev_signal		 sigusr2;	/* reopen logs */
	ev_child		 anychild;	/* every exit: ours and unknown */
	ev_timer		 shutdown_timer;/* bounds the final reply flush */
	ev_timer		 end_timer;	/* a shutdown_on= program ended:
						 * shut down from the loop */
	ev_timer		 dep_timer;	/* a state changed while processes
						 * wait for depends_on: look again
						 * from the loop */
	size_t			 ndepwait;	/* processes with dep_wait */
	ev_io			 readysock;	/* NOTIFY_SOCKET of sd_notify=
						 * programs; fd -1 until the first
						 * needs it */
	char			 readysock_name[64];
	ev_idle			 gc;		/* frees removed processes */
	ev_prepare		 state_prep;	/* writes the state file once per
						 * loop iteration when dirty */
	ev_timer		 respawn;	/* autorestarts, a batch per
						 * loop iteration */
	size_t			 respawn_at;	/* where the next batch starts */
	unsigned int		 direct_iter;	/* loop iteration of direct_n */
	unsigned int		 direct_n;	/* respawns straight from the
						 * reaper in that iteration */
	double			 restart_floor;	/* TEND_RESTART_FLOOR seconds */
	char			*state_path;	/* NULL: no state file */
	struct stats		*stats;		/* metrics_file=, STATUS=; NULL
						 * until tendd.c sets it up */
	bool			 poking;	/* commands_poke is running */
	bool			 repoke;	/* a change came while it ran */
	bool			 shutting_down;
	bool			 stepping;	/* in sv_shutdown_step */
	bool			 restep;	/* ...and it must look again */
	bool			 reexec;	/* reload: start again once stopped */
	int			 shutdown_prio;	/* priority being stopped */
	struct rlimit		 base_nofile;	/* limit at start, given to children */
	bool			 have_base_nofile;
	int			 exit_code;	/* tendd's: set by shutdown_on= */
};

struct supervisor *supervisor_new(struct ev_loop *, const char *path,
		    struct config *);
void		 supervisor_free(struct supervisor *);
/* qsort comparator of struct sv_proc *: supervisord's start order (group
 * priority, priority, group name, name); stops go in reverse. */
int		 supervisor_start_order(const void *, const void *);
/* Start the autostart programs in priority order. */
void		 supervisor_autostart(struct supervisor *);
/* Begin an orderly shutdown; the loop ends once everything stopped. */
void		 supervisor_shutdown(struct supervisor *);

struct sv_proc	*supervisor_find(struct supervisor *, const char *name);
/* Requests from commands; they return false when not applicable. */
bool		 supervisor_start(struct sv_proc *);
bool		 supervisor_stop(struct sv_proc *);
int		 supervisor_signal(struct sv_proc *, int sig);
/* Re-read the config file; on success apply the difference and describe
 * it, on failure leave everything as it is and fill errs. */
int		 supervisor_update(struct supervisor *, struct strlist *errs);

/* The process called name in group, NULL if none (or being removed). */
struct sv_proc	*supervisor_lookup(struct supervisor *, const char *group,
		    const char *name);
/* Some process of group is running or configured (not being removed). */
bool		 supervisor_group_active(struct supervisor *, const char *group);
/* The directories of c that tendd writes into as root must be trusted
 * (safeopen.h: sshd's StrictModes): childlogdir, when some program has an
 * AUTO log, is made (0750) if missing and create is set. -1 with a line
 * naming the key and the reason added to errs. */
int		 supervisor_check_dirs(const struct config *c, bool create,
		    struct strlist *errs);
/* Read the config file again into sv->config (what avail, add and update
 * use) without touching any process; -1 with errs (also logged), also
 * when supervisor_check_dirs refuses the new configuration. */
int		 supervisor_reread(struct supervisor *, struct strlist *errs);
/* The groups of sv->config that are not active (added) or differ from the
 * active ones (changed), in supervisord's order, and the active groups it
 * no longer has (removed). The lists are appended to. */
void		 supervisor_diff(struct supervisor *, struct strlist *added,
		    struct strlist *changed, struct strlist *removed);
/* Make the active group match sv->config, process by process: unchanged
 * ones keep running, changed ones restart, removed ones stop and go, new
 * ones start (if autostart). */
void		 supervisor_apply_group(struct supervisor *, const char *group);
/* No process of group waits to be restarted or removed. */
bool		 supervisor_group_settled(struct supervisor *, const char *group);
/* Drop a stopped group: 0, 1 if a process still runs, -1 if no such. */
int		 supervisor_remove_group(struct supervisor *, const char *group);
/* Kill what a killed previous instance left running (from the state
 * file), before anything is started. */
void		 supervisor_reap_orphans(struct supervisor *);
/* The log file of one stream of a process (NULL: NONE, or stderr that is
 * redirected); the caller frees it. */
char		*supervisor_log_path(const struct sv_proc *, bool err);
/* Reopen tendd's log and every process log (SIGUSR2, tendctl reopen);
 * -1 when one of them failed (each failure is logged). */
int		 supervisor_reopen_logs(struct supervisor *);
/* Empty both logs of a process (tendctl clear); -1 with why. */
int		 supervisor_clear_logs(struct sv_proc *, char *why, size_t len);
/* Called after any state change: commands waiting on processes move on. */
void		 supervisor_changed(struct supervisor *);

#endif
