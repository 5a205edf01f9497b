/* reload.c: reread, update, add and remove, as supervisord's. A reread
 * loads the file into a new configuration beside the running one (the
 * processes keep pointing into theirs, struct config_ref); update then
 * makes each group that differs match it: unchanged processes keep
 * running, changed ones stop and start again with their new program
 * (supervisor_after_stop), removed ones stop and are freed, new ones
 * start. The processes are kept sorted by group and name, so a group is
 * found by binary search: a diff or an update costs O(N log N) at N
 * processes, not a scan of every process per group. */
#include "autoconfig.h"

#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reload.h"
#include "log.h"
#include "safeopen.h"
#include "spawn.h"
#include "supervisor.h"
#include "util.h"

/* The program a process will run once an update in progress is done. */
static const struct program *
reload_target(const struct sv_proc *sp)
{
	return sp->pending != NULL ? sp->pending : sp->p.prog;
}

/* See reload.h. */
int
supervisor_check_dirs(const struct config *c, bool create,
    struct strlist *errs)
{
	char	why[PATH_MAX + 256];
	size_t	i;
	bool	autolog = false;
	int	fd;

	for (i = 0; i < c->nprogs && !autolog; i++)
		autolog = c->progs[i].stdout_logfile == NULL ||
		    (c->progs[i].stderr_logfile == NULL &&
		    !c->progs[i].redirect_stderr);
	if (!autolog)
		return 0;
	fd = safe_open_dir(c->childlogdir, create, 0750, why, sizeof(why));
	if (fd == -1 && !create && errno == ENOENT)
		return 0;		/* tendd -t: made at start */
	if (fd == -1) {
		strlist_addf(errs, "[tend] childlogdir = %s: %s (AUTO log "
		    "files go there, written by root)", c->childlogdir, why);
		return -1;
	}
	(void)close(fd);
	return 0;
}

/* See reload.h. */
int
supervisor_reread(struct supervisor *sv, struct strlist *errs)
{
	struct config	*nc;
	struct strlist		 warns = { NULL, 0 };
	struct config_opts	 opts;
	size_t			 i;

	memset(&opts, 0, sizeof opts);
	opts.strict = sv->config_strict;
	nc = config_load_opts(sv->config_path, &opts, errs, &warns);
	for (i = 0; i < warns.n; i++)
		log_warnx("%s", warns.v[i]);
	strlist_free(&warns);
	if (nc != NULL && supervisor_check_dirs(nc, true, errs) == -1) {
		config_free(nc);
		nc = NULL;
	}
	if (nc == NULL) {
		for (i = 0; errs != NULL && i < errs->n; i++)
			log_errorx("%s", errs->v[i]);
		log_errorx("%s: configuration not reloaded: nothing changed",
		    sv->config_path);
		return -1;
	}
	(void)supervisor_config_add(sv, nc);
	sv->config = nc;
	spawn_env_free(sv->base_env);
	sv->base_env = NULL;
	supervisor_config_gc(sv);
	return 0;
}

/* The active group differs from gc, its definition in sv->config. */
static bool
reload_group_changed(struct supervisor *sv, const struct group_conf *gc)
{
	const struct program	*np, *op;
	size_t			 i, lo, hi, n = 0;

	supervisor_group_range(sv, gc->name, &lo, &hi);
	for (i = lo; i < hi; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing)
			continue;
		n++;
		op = reload_target(sp);
		np = config_find_process(sv->config, gc->name, sp->p.name);
		if (np == NULL || !program_equal(np, op) ||
		    np->group_priority != op->group_priority)
			return true;
	}
	return n != gc->nprocs;
}

/* qsort order of groups as supervisord keeps them: priority, then the
 * order of their sections. */
static int
reload_gconf_cmp(const void *a, const void *b)
{
	const struct group_conf	*x = *(const struct group_conf *const *)a;
	const struct group_conf	*y = *(const struct group_conf *const *)b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* See reload.h. */
void
supervisor_diff(struct supervisor *sv, struct strlist *added,
    struct strlist *changed, struct strlist *removed)
{
	const struct group_conf	**order;
	const struct config	 *nc = sv->config;
	const char		 *last = NULL;
	size_t			  i;

	supervisor_sort(sv);
	order = xcalloc(nc->ngroups + 1, sizeof(*order));
	for (i = 0; i < nc->ngroups; i++)
		order[i] = &nc->groups[i];
	qsort(order, nc->ngroups, sizeof(*order), reload_gconf_cmp);
	for (i = 0; i < nc->ngroups; i++) {
		if (!supervisor_group_active(sv, order[i]->name))
			strlist_add(added, order[i]->name);
		else if (reload_group_changed(sv, order[i]))
			strlist_add(changed, order[i]->name);
	}
	free(order);
	/* procs are sorted by group: each active group once */
	for (i = 0; i < sv->nprocs; i++) {
		const char	*g = sv->procs[i]->p.prog->group_name;

		if (sv->procs[i]->removing || (last != NULL &&
		    strcmp(last, g) == 0))
			continue;
		last = g;
		if (config_find_group(nc, g) == NULL)
			strlist_add(removed, g);
	}
}

/* Make group match sv->config, as supervisor_apply_group. Its processes
 * are found among the sorted ones, so none of them may have been added
 * since the last supervisor_sort; those it adds are appended, and sorted
 * in before the new ones start when sort is set, else left to the
 * caller. */
static void
reload_apply(struct supervisor *sv, const char *group, bool sort)
{
	struct config_ref	 *ref = supervisor_config_current(sv);
	const struct group_conf	 *gc = config_find_group(sv->config, group);
	const struct program	 *np;
	struct sv_proc		**had, **added;
	size_t			  i, j, lo, hi, nhad, nadded = 0;

	/* a copy: a stop below may run a command that adds or sorts */
	supervisor_group_range(sv, group, &lo, &hi);
	nhad = hi - lo;
	had = xcalloc(nhad + 1, sizeof(*had));
	memcpy(had, sv->procs + lo, nhad * sizeof(*had));
	for (i = 0; i < nhad; i++) {
		struct sv_proc	*sp = had[i];

		if (sp->removing)
			continue;
		np = gc != NULL ? config_find_process(sv->config, group,
		    sp->p.name) : NULL;
		if (sp->pending_cref != NULL) {
			sp->pending_cref->refs--;
			sp->pending_cref = NULL;
			sp->pending = NULL;
		}
		if (np == NULL) {
			log_info("%s: disappeared from the configuration",
			    sp->p.name);
			sp->removing = true;
			if (!supervisor_stop(sp))
				supervisor_after_stop(sp);
		} else if (program_equal(np, sp->p.prog)) {
			sp->cref->refs--;
			sp->cref = ref;
			ref->refs++;
			sp->p.prog = np;
			/* the old program is freed with its configuration */
			health_probe_retarget(&sp->hprobe, np);
		} else {
			log_info("%s: changed", sp->p.name);
			sp->pending = np;
			sp->pending_cref = ref;
			ref->refs++;
			if (!supervisor_stop(sp))
				supervisor_after_stop(sp);
		}
	}
	/* the programs of gc no process runs (both lists in name order) */
	added = xcalloc((gc != NULL ? gc->nprocs : 0) + 1, sizeof(*added));
	for (i = 0, j = 0; gc != NULL && i < gc->nprocs; i++) {
		np = &sv->config->progs[gc->first + i];
		while (j < nhad && strcmp(had[j]->p.name, np->name) < 0)
			j++;
		while (j < nhad && had[j]->removing &&
		    strcmp(had[j]->p.name, np->name) == 0)
			j++;
		if (j == nhad || strcmp(had[j]->p.name, np->name) != 0)
			added[nadded++] = supervisor_proc_add(sv, np);
	}
	if (sort)
		supervisor_sort(sv);
	qsort(added, nadded, sizeof(*added), supervisor_start_order);
	for (i = 0; i < nadded && !sv->shutting_down; i++)
		if (added[i]->p.prog->autostart)
			(void)supervisor_start(added[i]);
	free(added);
	free(had);
	supervisor_config_gc(sv);
	supervisor_changed(sv);
}

/* See reload.h. A process whose definition did not change keeps
 * running; a changed one is stopped and started again with the new one;
 * a removed one is stopped and freed; a new one is started if autostart. */
void
supervisor_apply_group(struct supervisor *sv, const char *group)
{
	supervisor_sort(sv);
	reload_apply(sv, group, true);
}

/* See reload.h. */
bool
supervisor_group_settled(struct supervisor *sv, const char *group)
{
	size_t	i, lo, hi;

	supervisor_sort(sv);
	supervisor_group_range(sv, group, &lo, &hi);
	for (i = lo; i < hi; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->pending != NULL)
			return false;
		if (sp->removing && (sp->p.pid != 0 ||
		    !proc_is_stopped_state(sp->p.state)))
			return false;
	}
	return true;
}

/* See reload.h. */
int
supervisor_remove_group(struct supervisor *sv, const char *group)
{
	size_t	i, lo, hi;
	bool	found = false;

	supervisor_sort(sv);
	supervisor_group_range(sv, group, &lo, &hi);
	for (i = lo; i < hi; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing)
			continue;
		found = true;
		if (!proc_is_stopped_state(sp->p.state) || sp->p.pid != 0)
			return 1;
	}
	if (!found)
		return -1;
	for (i = lo; i < hi; i++)
		sv->procs[i]->removing = true;
	ev_idle_start(sv->loop, &sv->gc);
	return 0;
}

/* See reload.h. The groups differ from one another, so each is found
 * among the processes sorted before the update began, and those added
 * are sorted in once, at the end. */
int
supervisor_update(struct supervisor *sv, struct strlist *errs)
{
	struct strlist	added = { NULL, 0 }, changed = { NULL, 0 };
	struct strlist	removed = { NULL, 0 };
	size_t		i;

	if (supervisor_reread(sv, errs) == -1)
		return -1;
	supervisor_diff(sv, &added, &changed, &removed);
	for (i = 0; i < removed.n; i++)
		reload_apply(sv, removed.v[i], false);
	for (i = 0; i < changed.n; i++)
		reload_apply(sv, changed.v[i], false);
	for (i = 0; i < added.n; i++)
		reload_apply(sv, added.v[i], false);
	supervisor_sort(sv);
	strlist_free(&added);
	strlist_free(&changed);
	strlist_free(&removed);
	return 0;
}
