/* spawn.h: fork/exec of one program with its process group, rlimits,
 * identity, umask, directory, environment and captured stdio. */
#ifndef TEND_SPAWN_H
#define TEND_SPAWN_H

#include <sys/types.h>
#include <sys/resource.h>
#include <stddef.h>

#include "config.h"

/* Why a command cannot be run, as supervisord's startProcess faults. */
enum spawn_fault {
	SPAWN_OK = 0,
	SPAWN_NO_FILE,		/* "can't find command 'x'" */
	SPAWN_NOT_EXECUTABLE,	/* directory, no x bit, no permission */
};

/* Resolve argv[0] the way execvp would (PATH of the daemon), and check it
 * can be run. Returns SPAWN_OK and the path in resolved, or a fault with
 * supervisord's message in err. */
enum spawn_fault spawn_check(const struct program *, char *resolved,
		    size_t rlen, char *err, size_t errlen);

struct spawn_request {
	const struct program	*prog;
	const struct config	*config;	/* global environment */
	char *const		*base_env;	/* spawn_env_base(config), or
						 * NULL to build it here */
	const char		*name;		/* SUPERVISOR_PROCESS_NAME */
	const char		*group;		/* SUPERVISOR_GROUP_NAME */
	int			 stdin_fd;	/* child's fd 0 (-1: /dev/null) */
	int			 stdout_fd;	/* child's fd 1 (-1: /dev/null) */
	int			 stderr_fd;	/* child's fd 2 (-1: /dev/null) */
	int			 notify_fd;	/* at the program's notification_fd
						 * (-1: /dev/null there) */
	const char		*notify_socket;	/* NOTIFY_SOCKET (sd_notify=), or
						 * NULL */
	const struct rlimit	*base_nofile;	/* limit to restore, or NULL */
	char *const		*argv;		/* what to run instead of
						 * prog->argv (a health probe),
						 * or NULL */
};

/* Take the low descriptors a spawn passes stdio through (see spawn.c).
 * Call it early, while low numbers are free; spawn_process() calls it if
 * nobody did. -1 with errno if /dev/null cannot be opened. */
int		 spawn_init(void);

/* The environment every child starts from: tendd's own (without the
 * variables systemd meant for tendd) < the configuration's
 * environment_file= < its environment= < SUPERVISOR_ENABLED=1. Build it
 * once per configuration. */
char		**spawn_env_base(const struct config *);
void		 spawn_env_free(char **);

/* fork/exec. Returns the pid, or -1 with the reason in err (the program
 * did not run: nothing to reap). */
pid_t		 spawn_process(const struct spawn_request *, char *err,
		    size_t errlen);

#endif
