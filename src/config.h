/* config.h: the parsed, validated, immutable configuration.
 *
 * config_load() reads an INI file (through ini_reader.c so that lines of
 * any length and exact physical line numbers survive Debian's libinih) and
 * returns a struct config, or a list of errors, each formatted
 *	FILE:LINE: [SECTION] KEY: reason
 * Nothing is applied by the caller unless the whole file is valid. The
 * loader is in parts, config*.c: config_int.h says which does what. */
#ifndef TEND_CONFIG_H
#define TEND_CONFIG_H

#include <sys/types.h>
#include <sys/resource.h>
#include <stdbool.h>
#include <stdint.h>

#include "envlist.h"
#include "healthspec.h"
#include "util.h"

enum autorestart {
	AUTORESTART_FALSE = 0,
	AUTORESTART_UNEXPECTED,
	AUTORESTART_TRUE,
};

/* restart_limit=COUNT/SECONDS: at most count autorestarts in any secs
 * seconds, then FATAL. count 0: no limit (supervisord's behaviour). */
struct restart_limit {
	unsigned	 count;
	unsigned	 secs;
};

/* shutdown_on=: when a program's end ends tendd (containers). */
enum shutdown_on {
	SHUTDOWN_ON_NEVER = 0,
	SHUTDOWN_ON_FATAL,		/* it went FATAL: tend gave up on it */
	SHUTDOWN_ON_EXIT,		/* FATAL, or EXITED and not restarted */
};

/* Every Linux RLIMIT_* a program may set as rlimit_<name>=SOFT[:HARD]. */
struct rlimit_def {
	const char	*name;		/* "nofile" */
	int		 resource;	/* RLIMIT_NOFILE */
};
extern const struct rlimit_def config_rlimits[];
#define CONFIG_NRLIMITS 16

struct rlimit_setting {
	bool		 set;
	rlim_t		 soft;		/* RLIM_INFINITY for "unlimited" */
	rlim_t		 hard;		/* == soft when only SOFT was given */
};

/* [program:NAME]: NAME is 1 to 100 bytes of UTF-8 without ':', '/',
 * whitespace or control characters, not starting with '-' (config_name.c);
 * "all" is reserved for tendctl. 100: an AUTO log file
 * GROUP:NAME-stderr.log.NN stays within NAME_MAX (255). The same holds for
 * group and process names. */
#define CONFIG_MAX_PROGRAM_NAME	100
#define CONFIG_MAX_PROGRAM_NAME_S "100"

/* One process to run: a [program:NAME] section gives numprocs of them,
 * each with its own process_num and its expansions done. */
struct program {
	char		*name;		/* the process name (process_name=,
					 * by default NAME) */
	char		*file;		/* file and line of the [program:] header */
	unsigned	 line;
	char		*program_name;	/* NAME of its [program:NAME] */
	char		*group_name;	/* its [group:] or, alone, NAME */
	int		 group_priority;/* the group's priority */
	unsigned	 process_num;	/* numprocs_start + index */
	unsigned	 numprocs;	/* 1 */
	unsigned	 numprocs_start;/* 0 */

	char		*command;	/* raw command= value (after expansion) */
	char		**argv;		/* split command, NULL-terminated */
	char		*directory;	/* NULL: the daemon's (/) */
	int		 umask;		/* -1: inherit the daemon's */
	char		*user;		/* NULL: no identity change */
	uid_t		 uid;		/* resolved when user != NULL */
	gid_t		 gid;		/* user's primary group, or group= */
	char		*group;		/* NULL: the user's primary group */
	struct envlist	 file_env;	/* what its environment_file= files
					 * set (read at load; later files win) */
	struct envlist	 env;		/* program environment= */

	bool		 autostart;	/* true */
	enum autorestart autorestart;	/* unexpected */
	enum shutdown_on shutdown_on;	/* never */
	struct strlist	 depends_on;	/* [program:] names, sorted; spawned
					 * once all their processes run */
	unsigned	 depends_line;	/* where depends_on= was set */
	size_t		 depends_file;	/* in which file: used only while
					 * config_load() checks depends_on */
	unsigned	 startsecs;	/* 1 */
	unsigned	 notification_fd;/* 0: none; else RUNNING once a line
					 * comes through this fd (s6) */
	bool		 sd_notify;	/* RUNNING once READY=1 comes to the
					 * NOTIFY_SOCKET it is given */
	unsigned	 startretries;	/* 3 */
	struct restart_limit restart_limit; /* off */
	uint8_t		 exitcodes[32];	/* bitmap of 0..255; default {0} */
	int		 stopsignal;	/* SIGTERM */
	unsigned	 stopwaitsecs;	/* 10 */
	bool		 stopasgroup;	/* false */
	bool		 killasgroup;	/* false; true when stopasgroup */
	int		 priority;	/* 999 */
	struct rlimit_setting rlimits[CONFIG_NRLIMITS]; /* same order as config_rlimits */

	/* health checks (healthspec.c; healthstate.c, health.c) */
	struct healthspec health;	/* healthcheck=; HEALTH_NONE: none */
	unsigned	 health_interval;	/* 30 s between probes */
	unsigned	 health_timeout;	/* 5 s for one probe */
	unsigned	 health_retries;	/* 3 failures in a row: unhealthy */
	unsigned	 health_start_period;	/* 0 s in which failures do
						 * not count */
	bool		 health_restart;	/* healthcheck_action=restart */
	bool		 ready_on_health;	/* ready_on=healthcheck:
						 * STARTING until a probe
						 * passes */

	/* child output (outlog_io.c) */
	char		*stdout_logfile;	/* NULL: AUTO under childlogdir; "" : NONE */
	char		*stderr_logfile;
	bool		 auto_log_group;	/* AUTO files are named GROUP:NAME:
						 * another group has a process of
						 * the same name */
	bool		 redirect_stderr;
	unsigned long long stdout_logfile_maxbytes; /* 50MB; 0: never rotate */
	unsigned long long stderr_logfile_maxbytes;
	unsigned	 stdout_logfile_backups;	/* 10; 0: truncate instead */
	unsigned	 stderr_logfile_backups;
	bool		 stdout_syslog;		/* also send lines to syslog */
	bool		 stderr_syslog;
	bool		 stdout_events_enabled;	/* PROCESS_LOG_STDOUT events */
	bool		 stderr_events_enabled;	/* PROCESS_LOG_STDERR events */
	unsigned long long stdout_capture_maxbytes; /* 0: no capture mode;
						 * else PROCESS_COMMUNICATION */
	unsigned long long stderr_capture_maxbytes;

	/* [eventlistener:NAME] (listener.c): a pool of numprocs listeners
	 * whose group is NAME */
	bool		 listener;	/* an event listener, not a program */
	uint32_t	 events;	/* event.h's event_mask it gets */
	unsigned	 buffer_size;	/* events the pool keeps: 10 */
};

static inline bool
program_exitcode_expected(const struct program *p, int code)
{
	return code >= 0 && code < 256 &&
	    (p->exitcodes[code / 8] & (1u << (code % 8)));
}

/* A group of processes, as supervisord's: a [group:NAME] (programs=,
 * priority=) or a [program:NAME] that is in no [group:] (its priority).
 * Its processes are progs[first .. first + nprocs - 1]. */
struct group_conf {
	char		*name;
	int		 priority;
	unsigned	 seq;		/* supervisord's order among equal
					 * priorities: [group:]s, then
					 * [program:]s, each in file order */
	char		*file;		/* where its section is */
	unsigned	 line;
	size_t		 first;
	size_t		 nprocs;
};

struct config {
	char		*file;		/* the main config file, as given */
	char		*here;		/* its directory, for %(here)s */

	/* [tend] */
	char		*pidfile;	/* NULL: none */
	char		*control;	/* default TEND_RUNSTATEDIR "/tend/control" */
	unsigned	 control_mode;	/* 0600 */
	char		*control_group;	/* NULL: the daemon's group */
	gid_t		 control_gid;
	unsigned	 umask;		/* 022 */
	char		*logfile;	/* NULL: none (stderr in -n mode); "syslog" */
	unsigned long long logfile_maxbytes; /* 50MB; 0: never rotate */
	unsigned	 logfile_backups;	/* 10 */
	bool		 syslog;	/* also send tendd's messages to syslog */
	char		*syslog_socket;	/* "/dev/log" */
	int		 loglevel;	/* LOG_LVL_INFO */
	char		*childlogdir;	/* default TEND_LOGDIR (/var/log/tend):
					 * root's, not supervisord's /tmp */
	char		*directory;	/* NULL: "/" */
	struct envlist	 file_env;	/* global environment_file= */
	struct envlist	 env;		/* global environment= */
	unsigned	 minfds;	/* 1024 */
	bool		 nodaemon;	/* false */
	bool		 strict;	/* warnings of the load are errors */
	char		*metrics_file;	/* NULL: none; Prometheus textfile */

	unsigned	 minprocs;	/* 200 */

	struct program	*progs;		/* sorted by group_name, then name */
	size_t		 nprogs;
	struct group_conf *groups;	/* sorted by name */
	size_t		 ngroups;
};

/* Load and validate. Returns NULL and fills errs (one formatted line per
 * error, at least one) on failure. Warnings (accepted but ignored keys)
 * go to warns when non-NULL. */
struct config	*config_load(const char *path, struct strlist *errs,
		    struct strlist *warns);
/* How config_load_opts() reads; all zero is config_load(). */
struct config_opts {
	/* tendctl edit validates an edited copy exactly as tendd would read
	 * the file: the file override_path names (by any path: they are
	 * compared through realpath) is read from override_text,
	 * override_len bytes, not copied, instead of from the disk. */
	const char	*override_path;	/* NULL: none */
	const char	*override_text;
	size_t		 override_len;
	/* tendd --strict: an unknown key, a key or a section given twice is
	 * an error, not a warning (as strict = true in [tend]) */
	bool		 strict;
};
struct config	*config_load_opts(const char *path,
		    const struct config_opts *opts, struct strlist *errs,
		    struct strlist *warns);
/* The same, from a string; name is used in messages and for %(here)s. */
struct config	*config_load_string(const char *name, const char *text,
		    struct strlist *errs, struct strlist *warns);
void		 config_free(struct config *);

/* The process named by a namespec: "group:name", or "name" for the
 * process of the group of the same name; NULL if none. */
const struct program *config_find(const struct config *, const char *spec);
const struct program *config_find_process(const struct config *,
		    const char *group, const char *name);
const struct group_conf *config_find_group(const struct config *,
		    const char *name);
/* Does p say when it is ready (notification_fd=, sd_notify= or a
 * passing probe under ready_on=healthcheck), instead of being RUNNING
 * after startsecs? */
bool		 program_says_ready(const struct program *p);
/* true when two program definitions would run the same thing the same way
 * (used by reread/update/SIGHUP: unchanged programs keep running). */
bool		 program_equal(const struct program *, const struct program *);
/* The file a stream of p goes to (stderr when err): its path, or under
 * c's childlogdir for AUTO ("NAME-stdout.log", or "GROUP:NAME-stdout.log"
 * when another group has a process NAME too); NULL for NONE and for a
 * stderr redirected to stdout. An event listener's stdout is logged too
 * (its protocol, as supervisord logs it). The caller frees it. */
char		*program_log_path(const struct config *c,
		    const struct program *p, bool err);

/* The key table: every key the parser accepts, with its default and doc
 * line, for the tests that hold the documentation to it: check_manpages.c
 * (an entry in tend.ini(5), a line in conf/tend.ini) and check_config.c.
 * (`tendd -t` prints what a configuration sets up, from summary.c.) */
struct config_key_doc {
	const char	*section;	/* "tend", "program", "group", "include" */
	const char	*name;		/* "startsecs", "rlimit_nofile" ... */
	const char	*deflt;		/* default, as text */
	const char	*doc;		/* one line */
};
const struct config_key_doc *config_keys(size_t *n);

#endif
