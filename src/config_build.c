/* config_build.c: once every file is read, the [program:] and [group:]
 * sections kept by config_load.c become the processes and groups of the
 * struct config: each [program:] parsed once per process (numprocs), the
 * checks that need a whole section or the whole configuration (duplicate
 * names, groups, depends_on= and its cycles), then everything sorted for
 * lookups. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdline.h"
#include "ini_reader.h"

/* The checks that need the whole [program:] section, then keep it. */
static void
config_close_program(struct config_ctx *c)
{
	struct program	*p = &c->prog;
	unsigned	 line;
	size_t		 file;

	/* a key's line is in the file it was set in: a section given
	 * again in an included file has keys in both */
	if (config_seen(c, SECT_PROGRAM, "command") == 0)
		config_error(c, c->sect_line, NULL,
		    "missing required key 'command'");
	if (p->stopasgroup) {
		line = config_seen_at(c, SECT_PROGRAM, "killasgroup", &file);
		if (line != 0 && !p->killasgroup)
			config_error_at(c, file, line, "killasgroup", "cannot "
			    "be false when stopasgroup is true");
		p->killasgroup = true;
	}
	line = config_seen_at(c, SECT_PROGRAM, "group", &file);
	if (line != 0 && p->user == NULL &&
	    config_seen(c, SECT_PROGRAM, "user") == 0)
		config_error_at(c, file, line, "group", "needs user= (the "
		    "group is changed only for a program run as another user)");
	line = config_seen_at(c, SECT_PROGRAM, "sd_notify", &file);
	if (p->sd_notify && p->notification_fd != 0)
		config_error_at(c, file, line, "sd_notify", "notification_fd "
		    "is set too: a program says it is ready one way");
	line = config_seen_at(c, SECT_PROGRAM, "stderr_logfile", &file);
	if (line != 0 && p->redirect_stderr && c->warns != NULL)
		strlist_addf(c->warns, "%s:%u: [%s] stderr_logfile: ignored "
		    "because redirect_stderr is true",
		    c->files[file].path, line, c->sect);

	config_listener_check(c, p);
	config_health_check(c, p);
	if (c->nprogs == c->progcap) {
		c->progcap = c->progcap == 0 ? 16 : c->progcap * 2;
		c->progs = xreallocarray(c->progs, c->progcap, sizeof *c->progs);
	}
	c->progs[c->nprogs++] = *p;
	memset(p, 0, sizeof *p);
}

/* qsort order of processes: by group, by name, then by line. */
static int
config_progcmp(const void *a, const void *b)
{
	const struct program	*x = a, *y = b;
	int			 d;

	if ((d = strcmp(x->group_name, y->group_name)) != 0)
		return d;
	if ((d = strcmp(x->name, y->name)) != 0)
		return d;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* qsort order of groups: by name, then supervisord's order. */
static int
config_groupcmp(const void *a, const void *b)
{
	const struct group_conf	*x = a, *y = b;
	int			 d;

	if ((d = strcmp(x->name, y->name)) != 0)
		return d;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Make raw section r the open one: its file's reader takes the errors. */
static void
config_enter(struct config_ctx *c, const struct config_raw *r)
{
	size_t	n;

	c->curfile = r->file;
	c->rd = c->files[r->file].rd;
	free(c->sect);
	c->sect = xstrdup(r->sect);
	c->sect_line = r->line;
	n = config_ntable;
	memset(c->seen, 0, n * sizeof *c->seen);
}

/* Add the group called name, defined by section r. */
static void
config_group_add(struct config_ctx *c, const char *name, int priority,
    const struct config_raw *r)
{
	struct group_conf	*g;

	if ((c->ngroups & (c->ngroups - 1)) == 0)
		c->groups = xreallocarray(c->groups, c->ngroups == 0 ? 1 :
		    c->ngroups * 2, sizeof *c->groups);
	g = &c->groups[c->ngroups++];
	memset(g, 0, sizeof *g);
	g->name = xstrdup(name);
	g->priority = priority;
	g->seq = c->nextseq++;
	g->file = xstrdup(c->files[r->file].path);
	g->line = r->line;
}

/* The [program:NAME] (or [group:NAME]) section kept, or NULL (once
 * config_build has indexed them). */
static struct config_raw *
config_raw_find(struct config_ctx *c, bool group, const char *name)
{
	size_t	i = config_index_get(group ? &c->raw_groups : &c->raw_progs,
		    name);

	return i != CONFIG_NOPOS ? &c->raws[i] : NULL;
}

/* A [group:NAME]: its keys; the programs it names join it. */
static void
config_build_group(struct config_ctx *c, struct config_raw *r)
{
	struct config_group_keys	 gk;
	struct config_raw		*pr;
	const char			*pname;
	unsigned			 line;
	size_t				 i, file;
	char				*v, *fcgi;

	memset(&gk, 0, sizeof gk);
	config_enter(c, r);
	c->cur = CUR_GROUP;
	c->base = &gk;
	c->vars[0] = (struct cmdline_var){ "here", c->files[r->file].here };
	c->vars[1] = (struct cmdline_var){ "host_node_name", c->nodename };
	c->nvars = 2;
	config_defaults(c, SECT_GROUP, &gk);
	for (i = 0; i < r->nkeys; i++) {
		config_enter_file(c, r->keys[i].file);
		v = xstrdup(r->keys[i].value);
		config_apply(c, r->keys[i].key, r->keys[i].line, v);
		free(v);
	}
	config_enter_file(c, r->file);
	if ((line = config_seen_at(c, SECT_GROUP, "programs", &file)) == 0)
		config_error(c, r->line, NULL,
		    "missing required key 'programs'");
	for (i = 0; i < gk.programs.n; i++) {
		pname = gk.programs.v[i];
		if ((pr = config_raw_find(c, false, pname)) == NULL) {
			fcgi = xasprintf("fcgi-program:%s", pname);
			if (config_index_get(&c->unsupported_idx, fcgi) !=
			    CONFIG_NOPOS) {
				if (c->warns != NULL)
					strlist_addf(c->warns, "%s:%u: [%s] "
					    "programs: [%s] is not supported: "
					    "left out", c->files[file].path,
					    line, r->sect, fcgi);
			} else
				config_error_at(c, file, line, "programs",
				    "no [program:%s] section", pname);
			free(fcgi);
			continue;
		}
		if (pr->listener) {
			config_error_at(c, file, line, "programs",
			    "[eventlistener:%s] cannot be in a group (it is a "
			    "pool of its own)", pname);
			continue;
		}
		if (pr->in_group != NULL) {
			config_error_at(c, file, line, "programs", "program "
			    "'%s' is already in [group:%s]", pname,
			    pr->in_group);
			continue;
		}
		pr->in_group = xstrdup(r->name);
	}
	config_group_add(c, r->name, gk.priority, r);
	strlist_free(&gk.programs);
	c->cur = CUR_NONE;
}

/* Set the expansions of a process of [program:NAME] r in group gname
 * (process_num and numprocs as in c->process_num and c->numprocs). */
static void
config_program_vars(struct config_ctx *c, const struct config_raw *r,
    const char *gname)
{
	c->vars[0] = (struct cmdline_var){ "program_name", r->name };
	c->vars[1] = (struct cmdline_var){ "process_num", c->process_num };
	c->vars[2] = (struct cmdline_var){ "group_name", gname };
	c->vars[3] = (struct cmdline_var){ "host_node_name", c->nodename };
	c->vars[4] = (struct cmdline_var){ "here", c->files[r->file].here };
	c->vars[5] = (struct cmdline_var){ "numprocs", c->numprocs };
	c->nvars = 6;
}

/* The number a key that sets how many processes there are gives, if it
 * is a valid one (else config_apply() reports it later): expanded as
 * supervisord does, before there is a process_num. */
static void
config_program_count(struct config_ctx *c, const struct config_rawkey *k,
    unsigned long long max, unsigned *out)
{
	unsigned long long	 n;
	const char		*err;
	struct buf		 why;
	char			*s;

	if (k == NULL)
		return;
	buf_init(&why);
	config_enter_file(c, k->file);
	if ((s = config_expand(c, k->value, false, &why)) != NULL &&
	    parse_uint(s, max, &n, &err) == 0)
		*out = (unsigned)n;
	free(s);
	buf_free(&why);
}

/* The errors of every file so far: a section given again in another file
 * reports its keys there. */
static size_t
config_nerrors(const struct config_ctx *c)
{
	size_t	i, n = 0;

	for (i = 0; i < c->nfiles; i++)
		n += reader_nerrors(c->files[i].rd);
	return n;
}

/* Apply key k of a process. */
static void
config_program_key(struct config_ctx *c, const struct config_rawkey *k)
{
	char	*v;

	config_enter_file(c, k->file);
	v = xstrdup(k->value);
	config_apply(c, k->key, k->line, v);
	free(v);
}

/* The processes of a [program:NAME]: numprocs of them, each parsed with
 * its own %(process_num)d. Errors and warnings are those of the first
 * that has any: they would repeat for every process. Its environment= is
 * parsed first: %(ENV_X)s in the other keys may need it. */
static void
config_build_program(struct config_ctx *c, struct config_raw *r)
{
	const struct config_rawkey	*np = NULL, *nps = NULL, *pn = NULL;
	const struct config_rawkey	*env = NULL;
	struct strlist			*warns = c->warns;
	struct program			*p = &c->prog;
	const char			*gname;
	unsigned			 numprocs = 1, start = 0, i;
	size_t				 k, nerr, nkeys;
	int				 priority = 999;

	gname = r->in_group != NULL ? r->in_group : r->name;
	config_enter(c, r);
	for (k = 0; k < r->nkeys; k++) {
		if (strcasecmp(r->keys[k].key, "numprocs") == 0)
			np = &r->keys[k];
		else if (strcasecmp(r->keys[k].key, "numprocs_start") == 0)
			nps = &r->keys[k];
		else if (strcasecmp(r->keys[k].key, "process_name") == 0)
			pn = &r->keys[k];
		else if (strcasecmp(r->keys[k].key, "environment") == 0)
			env = &r->keys[k];
	}
	/* process_num comes from these two (a bad value is reported by
	 * config_apply below) */
	c->process_num[0] = '\0';
	c->numprocs[0] = '\0';
	config_program_vars(c, r, gname);
	c->vars[1] = c->vars[4];	/* no process_num or numprocs yet, */
	c->nvars = 4;			/* as in supervisord */
	c->cur = CUR_PROGRAM;
	c->xenv_own = NULL;
	config_program_count(c, np, 10000, &numprocs);
	if (numprocs == 0)
		numprocs = 1;
	config_program_count(c, nps, INT_MAX - 10000, &start);
	config_enter_file(c, r->file);
	if (numprocs > 1 && pn == NULL) {
		config_error_at(c, np->file, np->line, "numprocs", "numprocs "
		    "> 1 needs a process_name with %%(process_num), such as "
		    "%%(program_name)s_%%(process_num)02d");
		return;
	}
	if (numprocs > 1 && strstr(pn->value, "%(process_num)") == NULL) {
		config_error_at(c, pn->file, pn->line, "process_name", "must "
		    "contain %%(process_num) when numprocs > 1 (else the "
		    "names repeat)");
		return;
	}
	nkeys = config_ntable;
	nerr = config_nerrors(c);
	for (i = 0; i < numprocs; i++) {
		(void)snprintf(c->process_num, sizeof c->process_num, "%u",
		    start + i);
		(void)snprintf(c->numprocs, sizeof c->numprocs, "%u",
		    numprocs);
		memset(c->seen, 0, nkeys * sizeof *c->seen);
		config_program_defaults(c, p);
		if (r->listener)
			config_listener_defaults(p);
		p->file = xstrdup(c->files[r->file].path);
		p->line = r->line;
		p->program_name = xstrdup(r->name);
		p->group_name = xstrdup(gname);
		p->process_num = start + i;
		c->cur = CUR_PROGRAM;
		c->base = p;
		c->xenv_own = &p->env;
		config_expand_forget(c, false);
		config_program_vars(c, r, gname);
		config_program_other_defaults(c, p);
		if (env != NULL) {
			config_program_key(c, env);
			config_expand_forget(c, false);
		}
		for (k = 0; k < r->nkeys; k++)
			if (&r->keys[k] != env)
				config_program_key(c, &r->keys[k]);
		config_enter_file(c, r->file);
		priority = p->priority;
		config_close_program(c);
		c->warns = NULL;
		c->again = true;
		if (config_nerrors(c) > nerr)
			break;
	}
	c->warns = warns;
	c->again = false;
	c->xenv_own = NULL;
	c->cur = CUR_NONE;
	if (r->in_group == NULL)
		config_group_add(c, r->name, priority, r);
}

/* qsort order of program pointers: by process name. */
static int
config_procnamecmp(const void *a, const void *b)
{
	const struct program	*const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* AUTO log files are named after the process. When two groups have a
 * process of one name (process_name= alike in two programs), those not in
 * a group of their own name get GROUP:NAME, the name tendctl shows: no
 * two processes share a file (':' is never in a process name). */
static void
config_auto_log_names(struct program *p, size_t n)
{
	struct program	**v;
	size_t		  i;

	if (n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = &p[i];
	qsort(v, n, sizeof(*v), config_procnamecmp);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1]->name, v[i]->name) != 0)
			continue;
		v[i - 1]->auto_log_group =
		    strcmp(v[i - 1]->group_name, v[i - 1]->name) != 0;
		v[i]->auto_log_group = strcmp(v[i]->group_name, v[i]->name) != 0;
	}
	free(v);
}

/* Sort the processes, report names given twice in a group, and hand the
 * processes and groups to the config. */
static void
config_programs(struct config_ctx *c)
{
	struct program		*p = c->progs;
	struct group_conf	*g = c->groups;
	size_t			 i, j, n = 0;
	char			*sect;

	if (c->nprogs > 1)
		qsort(p, c->nprogs, sizeof *p, config_progcmp);
	for (i = 0; i < c->nprogs; i++) {
		if (n > 0 && strcmp(p[n - 1].group_name, p[i].group_name) == 0 &&
		    strcmp(p[n - 1].name, p[i].name) == 0) {
			sect = xasprintf(CONFIG_PROGRAM_PREFIX "%s",
			    p[i].program_name);
			reader_error(c->files[config_file_index(c,
			    p[i].file)].rd, p[i].line, sect, NULL, "duplicate "
			    "process name '%s' in group '%s' (also from "
			    "[program:%s])", p[i].name, p[i].group_name,
			    p[n - 1].program_name);
			free(sect);
			program_free(&p[i]);
			continue;
		}
		if (n != i)	/* a program is large: copy only to move it */
			p[n] = p[i];
		n++;
	}
	config_auto_log_names(p, n);
	if (c->ngroups > 1)
		qsort(g, c->ngroups, sizeof *g, config_groupcmp);
	for (i = 1; i < c->ngroups; i++) {
		if (strcmp(g[i - 1].name, g[i].name) != 0)
			continue;
		/* a [group:x] and a [program:x] that is in no group */
		sect = xasprintf(CONFIG_PROGRAM_PREFIX "%s", g[i].name);
		reader_error(c->files[config_file_index(c, g[i].file)].rd,
		    g[i].line, sect, NULL, "there is also a [group:%s] (%s:%u), "
		    "and this program is not in it", g[i].name,
		    g[i - 1].file, g[i - 1].line);
		free(sect);
	}
	for (i = 0, j = 0; i < c->ngroups; i++) {
		while (j < n && strcmp(p[j].group_name, g[i].name) < 0)
			j++;
		g[i].first = j;
		while (j < n && strcmp(p[j].group_name, g[i].name) == 0) {
			p[j].group_priority = g[i].priority;
			j++;
		}
		g[i].nprocs = j - g[i].first;
	}
	c->cfg->progs = p;
	c->cfg->nprogs = n;
	c->cfg->groups = g;
	c->cfg->ngroups = c->ngroups;
	c->progs = NULL;
	c->nprogs = 0;
	c->progcap = 0;
	c->groups = NULL;
	c->ngroups = 0;
}

/* qsort/bsearch order of process pointers: by [program:] name. */
static int
config_prognamecmp(const void *a, const void *b)
{
	const struct program	*const *x = a, *const *y = b;

	return strcmp((*x)->program_name, (*y)->program_name);
}

/* Where the program named name is in v[0..n) (one process per program,
 * sorted by name), or n. */
static size_t
config_depends_find(const struct program **v, size_t n, const char *name)
{
	struct program		 key;
	const struct program	*kp = &key, **hit;

	memset(&key, 0, sizeof key);
	key.program_name = (char *)(uintptr_t)name;
	hit = bsearch(&kp, v, n, sizeof(*v), config_prognamecmp);
	return hit != NULL ? (size_t)(hit - v) : n;
}

/* A depends_on= error of program p. */
static void
config_depends_error(struct config_ctx *c, const struct program *p,
    const char *msg)
{
	char	*sect = xasprintf(CONFIG_PROGRAM_PREFIX "%s", p->program_name);

	reader_error(c->files[p->depends_file].rd, p->depends_line, sect,
	    "depends_on", "%s", msg);
	free(sect);
}

/* Follow depends_on from v[i] (depth first; color: 0 new, 1 on the path,
 * 2 done) and report the first cycle found; true if there was one. The
 * path is kept in path[] and the next depends_on= of each step in next[]
 * (both n long), not on the C stack: a chain may be n programs long. */
static bool
config_depends_cycle(struct config_ctx *c, const struct program **v,
    size_t n, unsigned char *color, size_t *path, size_t *next, size_t i)
{
	const struct program	*p;
	struct buf		 b;
	size_t			 depth = 0, j, at;

	color[i] = 1;
	path[0] = i;
	next[0] = 0;
	for (;;) {
		p = v[path[depth]];
		if (next[depth] == p->depends_on.n) {
			color[path[depth]] = 2;
			if (depth == 0)
				return false;
			depth--;
			continue;
		}
		j = config_depends_find(v, n, p->depends_on.v[next[depth]++]);
		if (j == n || color[j] == 2)
			continue;
		if (color[j] == 1) {
			buf_init(&b);
			buf_addstr(&b, "dependency cycle: ");
			for (at = 0; path[at] != j; at++)
				;
			for (; at <= depth; at++)
				buf_printf(&b, "%s -> ", v[path[at]]->program_name);
			buf_addstr(&b, v[j]->program_name);
			config_depends_error(c, p, b.data);
			buf_free(&b);
			return true;
		}
		color[j] = 1;
		path[++depth] = j;
		next[depth] = 0;
	}
}

/* depends_on= names existing programs, never the program itself, and no
 * chain of them comes back to where it started (which would wait for
 * ever). */
static void
config_check_depends(struct config_ctx *c)
{
	const struct config	 *cfg = c->cfg;
	const struct program	**v;
	unsigned char		 *color;
	size_t			 *path, *next, i, k, n = 0;
	bool			  any = false;
	char			 *msg;

	for (i = 0; i < cfg->nprogs && !any; i++)
		any = cfg->progs[i].depends_on.n > 0;
	if (!any)
		return;
	v = xcalloc(cfg->nprogs, sizeof(*v));
	for (i = 0; i < cfg->nprogs; i++)
		v[i] = &cfg->progs[i];
	qsort(v, cfg->nprogs, sizeof(*v), config_prognamecmp);
	for (i = 0; i < cfg->nprogs; i++)	/* one per program */
		if (n == 0 || strcmp(v[n - 1]->program_name,
		    v[i]->program_name) != 0)
			v[n++] = v[i];
	for (i = 0; i < n; i++) {
		for (k = 0; k < v[i]->depends_on.n; k++) {
			const char	*d = v[i]->depends_on.v[k];

			if (strcmp(d, v[i]->program_name) == 0)
				msg = xasprintf("[program:%s] depends on "
				    "itself", d);
			else if (config_depends_find(v, n, d) == n)
				msg = xasprintf("there is no [program:%s]", d);
			else
				continue;
			config_depends_error(c, v[i], msg);
			free(msg);
			any = false;
		}
	}
	if (any) {
		color = xcalloc(n, 1);
		path = xcalloc(n, sizeof(*path));
		next = xcalloc(n, sizeof(*next));
		for (i = 0; i < n; i++)
			if (color[i] == 0 && config_depends_cycle(c, v, n,
			    color, path, next, i))
				break;
		free(color);
		free(path);
		free(next);
	}
	free(v);
}

/* The keys of [tend] (or [supervisord], when sup), kept as they were
 * read; %(ENV_X)s in them sees tendd's environment only, as in
 * supervisord. */
static void
config_build_tend(struct config_ctx *c, struct config_raw *r, bool sup)
{
	size_t	i, n = config_ntable;
	char	*v;

	if (r->sect == NULL)
		return;
	config_enter(c, r);
	c->cur = CUR_TEND;
	c->supervisord = sup;
	c->base = c->cfg;
	c->vars[0] = (struct cmdline_var){ "here", c->files[r->file].here };
	c->vars[1] = (struct cmdline_var){ "host_node_name", c->nodename };
	c->nvars = 2;
	memset(c->seen, 0, n * sizeof *c->seen);
	for (i = 0; i < r->nkeys; i++) {
		config_enter_file(c, r->keys[i].file);
		v = xstrdup(r->keys[i].value);
		config_apply(c, r->keys[i].key, r->keys[i].line, v);
		free(v);
	}
	c->cur = CUR_NONE;
	c->supervisord = false;
}

/* Every file is read: make the processes and groups of the sections. */
void
config_build(struct config_ctx *c)
{
	struct config_raw	*r;
	size_t			 i;

	/* [supervisord], then [tend]: its keys win */
	config_build_tend(c, &c->sup_raw, true);
	config_build_tend(c, &c->tend_raw, false);
	c->xenv_global = &c->cfg->env;
	config_expand_forget(c, true);
	/* a section given twice was merged into the first as it was read */
	for (i = 0; i < c->nraws; i++) {
		r = &c->raws[i];
		(void)config_index_put(r->group ? &c->raw_groups :
		    &c->raw_progs, r->name, i);
	}
	for (i = 0; i < c->nraws; i++)
		if (c->raws[i].group)
			config_build_group(c, &c->raws[i]);
	for (i = 0; i < c->nraws; i++)
		if (!c->raws[i].group)
			config_build_program(c, &c->raws[i]);
	config_programs(c);
	config_check_depends(c);
}

