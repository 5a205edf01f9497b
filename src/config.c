/* config.c: the struct config a load made (config_load.c, in parts
 * listed in config_int.h): finding a process or a group in it, the log
 * path of a program, and freeing it. */
#include "config_int.h"

#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

/* Free one program's contents. */
void
program_free(struct program *p)
{
	free(p->name);
	free(p->file);
	free(p->program_name);
	free(p->group_name);
	free(p->command);
	cmdline_free(p->argv);
	free(p->directory);
	free(p->user);
	free(p->group);
	envlist_free(&p->file_env);
	envlist_free(&p->env);
	strlist_free(&p->depends_on);
	healthspec_free(&p->health);
	free(p->stdout_logfile);
	free(p->stderr_logfile);
	memset(p, 0, sizeof *p);
}

/* Free a config from config_load (NULL is fine). */
void
config_free(struct config *cfg)
{
	size_t	i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nprogs; i++)
		program_free(&cfg->progs[i]);
	free(cfg->progs);
	for (i = 0; i < cfg->ngroups; i++) {
		free(cfg->groups[i].name);
		free(cfg->groups[i].file);
	}
	free(cfg->groups);
	free(cfg->file);
	free(cfg->here);
	free(cfg->pidfile);
	free(cfg->control);
	free(cfg->control_group);
	free(cfg->logfile);
	free(cfg->syslog_socket);
	free(cfg->childlogdir);
	free(cfg->directory);
	free(cfg->metrics_file);
	envlist_free(&cfg->file_env);
	envlist_free(&cfg->env);
	free(cfg);
}

/* bsearch order: a group and a name against a process. */
struct config_findkey {
	const char	*group;
	const char	*name;
};
static int
config_findcmp(const void *key, const void *elem)
{
	const struct config_findkey	*k = key;
	const struct program		*p = elem;
	int				 d;

	if ((d = strcmp(k->group, p->group_name)) != 0)
		return d;
	return strcmp(k->name, p->name);
}

/* See config.h. */
const struct program *
config_find_process(const struct config *cfg, const char *group,
    const char *name)
{
	struct config_findkey	k = { group, name };

	if (cfg == NULL || cfg->nprogs == 0)
		return NULL;
	return bsearch(&k, cfg->progs, cfg->nprogs, sizeof *cfg->progs,
	    config_findcmp);
}

/* See config.h. */
const struct program *
config_find(const struct config *cfg, const char *spec)
{
	const struct program	*p;
	const char		*colon = strchr(spec, ':');
	char			*group;

	if (colon == NULL)
		return config_find_process(cfg, spec, spec);
	group = xstrndup(spec, (size_t)(colon - spec));
	p = config_find_process(cfg, group, colon + 1);
	free(group);
	return p;
}

/* bsearch order: a name against a group. */
static int
config_groupfindcmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct group_conf *)elem)->name);
}

/* See config.h. */
const struct group_conf *
config_find_group(const struct config *cfg, const char *name)
{
	if (cfg == NULL || cfg->ngroups == 0)
		return NULL;
	return bsearch(name, cfg->groups, cfg->ngroups, sizeof *cfg->groups,
	    config_groupfindcmp);
}

/* See config.h. */
bool
program_says_ready(const struct program *p)
{
	return p->notification_fd != 0 || p->sd_notify || p->ready_on_health;
}

/* See config.h. */
char *
program_log_path(const struct config *c, const struct program *p, bool err)
{
	const char	*v = err ? p->stderr_logfile : p->stdout_logfile;
	const char	*what = err ? "stderr" : "stdout";

	if (err && p->redirect_stderr)
		return NULL;
	if (v != NULL)
		return v[0] == '\0' ? NULL : xstrdup(v);
	if (p->auto_log_group)
		return xasprintf("%s/%s:%s-%s.log", c->childlogdir,
		    p->group_name, p->name, what);
	return xasprintf("%s/%s-%s.log", c->childlogdir, p->name, what);
}

