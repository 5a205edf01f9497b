/* config_expand.c: supervisord's %(name)s expansions of a key's value,
 * done before the value is converted, for every key (a boolean, a number,
 * a user name as much as a path), as supervisord's saneget() does.
 *
 * %(ENV_X)s is looked up as supervisord 4.2.5 looks it up (options.py):
 *   - in [tend], [supervisord] and [include]: tendd's own environment;
 *   - in [group:] and [program:]: the environment= of [tend] or
 *     [supervisord] first, then tendd's environment;
 *   - in the keys of a [program:] that supervisord reads per process
 *     (command, directory, process_name, the log keys), and in tend's own
 *     keys: the process's environment= before both. environment= itself
 *     does not see its own variables.
 * environment_file= variables are never looked up: supervisord has no
 * such key, and its files are read only at load. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmdline.h"

/* [program:] keys that supervisord reads before the process's
 * environment= is known: their %(ENV_X)s never sees it. */
static const char *const config_expand_early[] = {
	"priority", "autostart", "autorestart", "startsecs", "startretries",
	"stopsignal", "stopwaitsecs", "stopasgroup", "killasgroup",
	"exitcodes", "redirect_stderr", "numprocs", "numprocs_start",
	"environment", "user", "umask", "stdout_capture_maxbytes",
	"stderr_capture_maxbytes", "stdout_events_enabled",
	"stderr_events_enabled", "serverurl",
};

/* See config_int.h. */
bool
config_expand_own_env(const char *key)
{
	size_t	i;

	for (i = 0; i < nitems(config_expand_early); i++)
		if (strcasecmp(config_expand_early[i], key) == 0)
			return false;
	return true;
}

/* Add "KEY=value" of every variable of l to v. */
static void
config_expand_add(struct strlist *v, const struct envlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		strlist_addf(v, "%s=%s", l->v[i].key, l->v[i].value);
}

/* See config_int.h. */
void
config_expand_forget(struct config_ctx *c, bool global)
{
	size_t	i;

	for (i = global ? 0 : 1; i < nitems(c->xenv_cache); i++) {
		strlist_free(&c->xenv_cache[i]);
		c->xenv_cached[i] = false;
	}
	free(c->xenv_all);
	c->xenv_all = NULL;
}

/* See config_int.h. */
char *
config_expand(struct config_ctx *c, const char *s, bool own_env,
    struct buf *why)
{
	struct strlist	*g = &c->xenv_cache[0], *own = &c->xenv_cache[1];
	char		**envp = environ;
	char		 err[512];
	char		*out;
	size_t		 i;

	if (strchr(s, '%') == NULL)	/* nothing to expand: the usual case */
		return xstrdup(s);
	/* the configured variables first: the first match wins. The list
	 * is built once (config_expand_forget() drops it when it changes):
	 * once per key, thousands of variables in thousands of programs
	 * took seconds. */
	own_env = own_env && c->xenv_own != NULL && c->xenv_own->n > 0;
	if (strstr(s, "%(ENV_") != NULL && (own_env ||
	    (c->xenv_global != NULL && c->xenv_global->n > 0))) {
		if (!c->xenv_cached[0]) {
			strlist_free(g);
			if (c->xenv_global != NULL)
				config_expand_add(g, c->xenv_global);
			for (i = 0; environ != NULL && environ[i] != NULL; i++)
				strlist_add(g, environ[i]);
			c->xenv_cached[0] = true;
		}
		envp = g->v;
		if (own_env) {
			/* the process's own, then the shared ones: only the
			 * pointers are copied, once per process */
			if (!c->xenv_cached[1]) {
				config_expand_forget(c, false);
				config_expand_add(own, c->xenv_own);
				c->xenv_all = xreallocarray(NULL,
				    own->n + g->n + 1, sizeof *c->xenv_all);
				memcpy(c->xenv_all, own->v,
				    own->n * sizeof *c->xenv_all);
				if (g->n > 0)
					memcpy(c->xenv_all + own->n, g->v,
					    g->n * sizeof *c->xenv_all);
				c->xenv_all[own->n + g->n] = NULL;
				c->xenv_cached[1] = true;
			}
			envp = c->xenv_all;
		}
	}
	out = cmdline_expand(s, c->vars, c->nvars, envp, err, sizeof err);
	if (out == NULL)
		buf_addstr(why, err[0] != '\0' ? err : "bad expansion");
	return out;
}

/* See config_int.h. */
void
config_enter_file(struct config_ctx *c, size_t file)
{
	size_t	i;

	c->curfile = file;
	c->rd = c->files[file].rd;
	for (i = 0; i < c->nvars; i++)
		if (strcmp(c->vars[i].name, "here") == 0)
			c->vars[i].value = c->files[file].here;
}
