/* reload.h: reread, update, add and remove, by group as supervisord's: a
 * configuration is read again without touching any process (reread), and
 * its difference is applied group by group (update), process by process
 * within a group. The functions keep the supervisor_ names commands.c and
 * tendd.c call them by. */
#ifndef TEND_RELOAD_H
#define TEND_RELOAD_H

#include <stdbool.h>

#include "config.h"
#include "util.h"

struct supervisor;

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
/* Re-read the config file; on success apply the difference (SIGHUP),
 * on failure leave everything as it is and fill errs. */
int		 supervisor_update(struct supervisor *, struct strlist *errs);

#endif
