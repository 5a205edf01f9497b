/* supervisor.h: the daemon's state and the loop's glue: one libev default
 * loop, one struct supervisor owning every process, watcher and client. */
#ifndef TEND_SUPERVISOR_H
#define TEND_SUPERVISOR_H

#include <sys/resource.h>
#include <ev.h>
#include <stdbool.h>

#include "config.h"
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

/* Child output capture of one stream. */
struct sv_stream {
	ev_io		 io;		/* read end of the child's pipe */
	int		 fd;		/* -1 when closed */
	int		 logfd;		/* log file, -1 when none */
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
	unsigned long long	 starttime;	/* /proc/PID/stat field 22 */
};

struct supervisor {
	struct ev_loop		*loop;		/* the default loop: only it watches children */
	char			*config_path;	/* for reread */
	struct config		*config;	/* the current configuration */
	struct config_ref	*configs;	/* every live configuration */
	struct sv_proc		**procs;	/* sorted by name */
	size_t			 nprocs;
	struct control		*control;	/* control FIFO server */
	struct job		*jobs;		/* commands waiting on processes */
	ev_signal		 sigterm;	/* orderly shutdown */
	ev_signal		 sigint;
	ev_signal		 sighup;	/* reread and apply, like update */
	ev_signal		 sigusr2;	/* reopen logs */
	ev_child		 anychild;	/* every exit: ours and unknown */
	ev_timer		 shutdown_timer;/* bounds the final reply flush */
	ev_idle			 gc;		/* frees removed processes */
	ev_prepare		 state_prep;	/* writes the state file once per
						 * loop iteration when dirty */
	char			*state_path;	/* NULL: no state file */
	bool			 poking;	/* commands_poke is running */
	bool			 repoke;	/* a change came while it ran */
	bool			 shutting_down;
	int			 shutdown_prio;	/* priority being stopped */
	struct rlimit		 base_nofile;	/* limit at start, given to children */
	bool			 have_base_nofile;
	int			 exit_code;
};

struct supervisor *supervisor_new(struct ev_loop *, const char *path,
		    struct config *);
void		 supervisor_free(struct supervisor *);
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
/* Kill what a killed previous instance left running (from the state
 * file), before anything is started. */
void		 supervisor_reap_orphans(struct supervisor *);
/* Called after any state change: commands waiting on processes move on. */
void		 supervisor_changed(struct supervisor *);

#endif
