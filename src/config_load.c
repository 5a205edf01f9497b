/* config_load.c: config_load(): the main file, then those its [include]
 * names, each through the line reader and the section state machine it
 * drives; then config_build.c makes the programs, and every error of
 * every file is handed back, or the struct config.
 *
 * inih (the system libinih) is driven by ini_reader.c, which sees every
 * physical line: values of any length arrive whole, and an indented line
 * that continues a key (configparser's multi-line values) is told apart
 * from a second "key =" line. Continuation lines are joined with "\n".
 * The keys of [tend], [supervisord], [program:] and [group:] are kept, to
 * be parsed by config_build.c once every file is read; as supervisord's
 * configparser (strict=False) does, a key given twice in a section keeps
 * its last value and a section given twice (in any file) is merged into
 * the first, its keys winning, each with a warning (config_lint.c).
 *
 * Section names are matched exactly. Every error is collected as
 *	FILE:LINE: [SECTION] KEY: reason
 * ("FILE:LINE: [SECTION]: reason" for a whole section) and nothing is
 * returned unless there are none. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <sys/utsname.h>

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdline.h"
#include "ini_reader.h"

#define CONFIG_MAX_INCLUDE_DEPTH 10	/* [include] inside included files */

/* ---- reading sections and keys ---- */

/* Keep a key line of a section for config_build(); a key given before in
 * the section (or in a section of the same name) takes the new value. */
static void
config_record(struct config_ctx *c, struct config_raw *r, const char *key,
    unsigned line, const char *value)
{
	struct config_rawkey	*k;
	char			 where[PATH_MAX + 32];
	char			*lkey;
	size_t			 i;

	lkey = xstrdup(key);
	for (i = 0; lkey[i] != '\0'; i++)
		lkey[i] = (char)tolower((unsigned char)lkey[i]);
	if ((i = config_index_get(&r->keyidx, lkey)) != CONFIG_NOPOS) {
		free(lkey);
		k = &r->keys[i];
		config_where(c, k->file, k->line, where, sizeof where);
		config_lint(c, c->curfile, line, "[%s] %s: given again (also "
		    "at %s): the last one wins", c->sect, key, where);
		free(k->value);
		k->value = xstrdup(value);
		k->line = line;
		k->file = c->curfile;
		return;
	}
	if ((r->nkeys & (r->nkeys - 1)) == 0)
		r->keys = xreallocarray(r->keys, r->nkeys == 0 ? 1 :
		    r->nkeys * 2, sizeof *r->keys);
	r->keys[r->nkeys].key = xstrdup(key);
	r->keys[r->nkeys].lkey = lkey;
	(void)config_index_put(&r->keyidx, lkey, r->nkeys);
	r->keys[r->nkeys].value = xstrdup(value);
	r->keys[r->nkeys].line = line;
	r->keys[r->nkeys].file = c->curfile;
	r->nkeys++;
}

/* Apply the last key line, now that no continuation can follow. */
static void
config_flush(struct config_ctx *c)
{
	if (!c->pending)
		return;
	c->pending = false;
	if (c->cur == CUR_PROGRAM || c->cur == CUR_GROUP)
		config_record(c, &c->raws[c->curraw], c->pend_key.data,
		    c->pend_line, c->pend_val.data);
	else if (c->cur == CUR_TEND)
		config_record(c, c->supervisord ? &c->sup_raw : &c->tend_raw,
		    c->pend_key.data, c->pend_line, c->pend_val.data);
	else
		config_apply(c, c->pend_key.data, c->pend_line,
		    c->pend_val.data);
}

/* Finish the open section. */
static void
config_close(struct config_ctx *c)
{
	unsigned	line;

	config_flush(c);
	if (c->cur == CUR_INCLUDE) {
		if ((line = config_seen(c, SECT_INCLUDE, "files")) != 0)
			c->files[c->curfile].include_line = line;
		if (c->files[c->curfile].include_line == 0)
			config_error(c, c->sect_line, NULL,
			    "missing required key 'files'");
	}
	c->cur = CUR_NONE;
	c->supervisord = false;
	free(c->sect);
	c->sect = NULL;
}

/* Sections of supervisord.conf that only supervisord or supervisorctl
 * read: accepted with one warning each. */
static const char *const config_sup_sections[] = {
	"unix_http_server", "inet_http_server", "supervisorctl",
	"rpcinterface:", "ctlplugin:",
};
/* supervisord sections tend cannot run: a warning, the rest runs. */
static const char *const config_unsupported[] = {
	"fcgi-program:",
};

/* name is s, or starts with s when s ends in ':'. */
static bool
config_sect_is(const char *name, const char *s)
{
	size_t	n = strlen(s);

	if (n > 0 && s[n - 1] == ':')
		return strncmp(name, s, n) == 0;
	return strcmp(name, s) == 0;
}

/* A section given again at line: its keys go to the first, r. */
static void
config_section_again(struct config_ctx *c, const struct config_raw *r,
    unsigned line)
{
	char	where[PATH_MAX + 32];

	config_where(c, r->file, r->line, where, sizeof where);
	config_lint(c, c->curfile, line, "[%s]: section given again (first "
	    "at %s): merged into it, the keys given here win", r->sect, where);
}

/* Open [tend] or [supervisord] (read as [tend]): its keys are kept for
 * config_build(). */
static void
config_section_tend(struct config_ctx *c, const char *name, unsigned line)
{
	bool			 sup = strcmp(name, "supervisord") == 0;
	struct config_raw	*r = sup ? &c->sup_raw : &c->tend_raw;

	if (r->sect != NULL)
		config_section_again(c, r, line);
	else {
		r->name = xstrdup(name);
		r->sect = xstrdup(name);
		r->file = c->curfile;
		r->line = line;
	}
	c->cur = CUR_TEND;
	c->supervisord = sup;
}

/* Open a [program:NAME] or [group:NAME]: its keys are kept for later. */
static void
config_section_raw(struct config_ctx *c, const char *name, unsigned line,
    bool group)
{
	const char		*what = group ? "group" : "program";
	const char		*s = strchr(name, ':') + 1, *e, *p, *bad;
	struct config_raw	*r;
	struct buf		 q;
	char			*pname;
	size_t			 n;

	/* supervisord strips the white space around a name (str.strip():
	 * Unicode's too) */
	while ((n = utf8_space(s)) > 0)
		s += n;
	for (e = p = s; *p != '\0'; p += n)
		if ((n = utf8_space(p)) == 0) {
			n = 1;
			e = p + 1;
		}
	pname = xstrndup(s, (size_t)(e - s));
	if (!config_name_check(pname, &bad)) {
		buf_init(&q);
		envlist_quote(&q, pname, '\'');
		config_error(c, line, NULL, "invalid %s name %s: %s", what,
		    q.data, bad);
		buf_free(&q);
		free(pname);
		return;
	}
	if (strcmp(pname, "all") == 0) {
		config_error(c, line, NULL, "%s name 'all' is reserved "
		    "(tendctl uses it for every program)", what);
		free(pname);
		return;
	}
	c->cur = group ? CUR_GROUP : CUR_PROGRAM;
	if ((c->curraw = config_index_get(&c->raw_sects, name)) !=
	    CONFIG_NOPOS) {
		config_section_again(c, &c->raws[c->curraw], line);
		free(pname);
		return;
	}
	if ((c->nraws & (c->nraws - 1)) == 0)
		c->raws = xreallocarray(c->raws, c->nraws == 0 ? 1 :
		    c->nraws * 2, sizeof *c->raws);
	r = &c->raws[c->nraws];
	memset(r, 0, sizeof *r);
	r->group = group;
	r->name = pname;
	r->sect = xstrdup(name);
	r->file = c->curfile;
	r->line = line;
	c->curraw = c->nraws++;
	(void)config_index_put(&c->raw_sects, r->sect, c->curraw);
}

/* The reader found a valid [name] header at line. */
static void
config_section(void *user, const char *name, unsigned line)
{
	struct config_ctx	*c = user;
	struct config_file	*f = &c->files[c->curfile];
	size_t			 n;

	config_close(c);
	c->sect = xstrdup(name);
	c->sect_line = line;
	n = config_ntable;
	memset(c->seen, 0, n * sizeof *c->seen);
	c->cur = CUR_IGNORE;

	if (strcmp(name, "tend") == 0 || strcmp(name, "supervisord") == 0) {
		config_section_tend(c, name, line);
		return;
	}
	if (strcmp(name, "include") == 0) {
		c->cur = CUR_INCLUDE;
		c->base = f;
		c->vars[0] = (struct cmdline_var){ "here", f->here };
		c->vars[1] = (struct cmdline_var){ "host_node_name",
		    c->nodename };
		c->nvars = 2;
		if (c->include_seen) {
			config_lint(c, c->curfile, line, "[include]: section "
			    "given again (first at line %u): merged into it, "
			    "the keys given here win", c->include_sect_line);
			return;
		}
		c->include_seen = true;
		c->include_sect_line = line;
		config_defaults(c, SECT_INCLUDE, f);
		return;
	}
	/* the common case first (no name below starts like these) */
	if (strncmp(name, CONFIG_PROGRAM_PREFIX,
	    strlen(CONFIG_PROGRAM_PREFIX)) == 0) {
		config_section_raw(c, name, line, false);
		return;
	}
	if (strncmp(name, CONFIG_GROUP_PREFIX,
	    strlen(CONFIG_GROUP_PREFIX)) == 0) {
		config_section_raw(c, name, line, true);
		return;
	}
	if (strncmp(name, CONFIG_LISTENER_PREFIX,
	    strlen(CONFIG_LISTENER_PREFIX)) == 0) {
		config_section_raw(c, name, line, false);
		if (c->cur == CUR_PROGRAM)	/* see config_listener.c */
			c->raws[c->curraw].listener = true;
		return;
	}
	for (n = 0; n < nitems(config_sup_sections); n++) {
		if (config_sect_is(name, config_sup_sections[n])) {
			if (c->warns != NULL)
				strlist_addf(c->warns, "%s:%u: [%s]: ignored "
				    "(supervisord's; tendctl talks to tendd "
				    "through the control FIFO)", f->path, line,
				    name);
			return;
		}
	}
	for (n = 0; n < nitems(config_unsupported); n++) {
		if (config_sect_is(name, config_unsupported[n])) {
			if (c->warns != NULL)
				strlist_addf(c->warns, "%s:%u: [%s]: not "
				    "supported by tend: section ignored",
				    f->path, line, name);
			strlist_add(&c->unsupported, name);
			(void)config_index_put(&c->unsupported_idx,
			    c->unsupported.v[c->unsupported.n - 1],
			    c->unsupported.n - 1);
			return;
		}
	}
	config_lint_section(c, name, line);
}

/* inih's handler: one key line or continuation line. */
static int
config_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct config_ctx	*c = user;
	struct reader_entry	 e;

	if (!reader_entry(c->rd, section, name, value, &e))
		return 1;
	if (e.continuation) {
		/* configparser joins a multi-line value with newlines */
		if (c->pending) {
			buf_addc(&c->pend_val, '\n');
			buf_addstr(&c->pend_val, e.value);
		}
		return 1;
	}
	config_flush(c);
	if (c->cur == CUR_NONE || c->cur == CUR_IGNORE)
		return 1;
	c->pending = true;
	c->pend_line = e.line;
	buf_reset(&c->pend_key);
	buf_addstr(&c->pend_key, e.key);
	buf_reset(&c->pend_val);
	buf_addstr(&c->pend_val, e.value);
	return 1;
}

/* ---- reading files ---- */

/* %(here)s: the absolute directory of the file named path (symbolic links
 * in a relative path are resolved, as realpath is all there is). */
static char *
config_here(const char *path)
{
	const char	*slash;
	char		*dir, *real;
	size_t		 n;

	if ((slash = strrchr(path, '/')) == NULL)
		dir = xstrdup(".");
	else {
		n = (size_t)(slash - path);
		while (n > 0 && path[n - 1] == '/')
			n--;
		dir = n == 0 ? xstrdup("/") : xstrndup(path, n);
	}
	if (dir[0] == '/')
		return dir;
	if ((real = realpath(dir, NULL)) == NULL)
		return dir;
	free(dir);
	return real;
}

/* Add a file to read: text (len bytes) is owned when owned is set. */
static size_t
config_file_new(struct config_ctx *c, const char *path, char *here,
    const char *text, size_t len, char *owned, unsigned depth)
{
	struct config_file	*f;

	if ((c->nfiles & (c->nfiles - 1)) == 0)
		c->files = xreallocarray(c->files, c->nfiles == 0 ? 1 :
		    c->nfiles * 2, sizeof *c->files);
	f = &c->files[c->nfiles];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->here = here;
	f->text = owned;
	f->depth = depth;
	f->rd = reader_new(f->path, text, len, config_section, c);
	(void)config_index_put(&c->file_paths, f->path, c->nfiles);
	return c->nfiles++;
}

static void	config_include(struct config_ctx *, size_t);

/* Parse file idx, then the files its [include] names. */
static void
config_file_read(struct config_ctx *c, size_t idx)
{
	size_t		 prev = c->curfile;
	struct reader	*prevrd = c->rd;
	bool		 previnc = c->include_seen;

	c->curfile = idx;
	c->rd = c->files[idx].rd;
	c->include_seen = false;
	reader_parse(c->files[idx].rd, config_handler, c);
	config_close(c);
	if (c->files[idx].include != NULL)
		config_include(c, idx);
	c->curfile = prev;
	c->rd = prevrd;
	c->include_seen = previnc;
}

/* One file matched by [include] files= of file idx. */
static void
config_include_one(struct config_ctx *c, size_t idx, const char *path)
{
	struct reader	*rd = c->files[idx].rd;
	unsigned	 line = c->files[idx].include_line;
	unsigned	 depth = c->files[idx].depth + 1;
	struct buf	 text, why;
	size_t		 i, n;
	char		*real, *t;

	if (depth > CONFIG_MAX_INCLUDE_DEPTH) {
		reader_error(rd, line, "include", "files", "%s: includes "
		    "nested more than %d deep", path, CONFIG_MAX_INCLUDE_DEPTH);
		return;
	}
	real = realpath(path, NULL);
	if (real != NULL &&
	    config_index_get(&c->file_reals, real) != CONFIG_NOPOS) {
		reader_error(rd, line, "include", "files", "%s: already read "
		    "(an include loop?)", path);
		free(real);
		return;
	}
	buf_init(&text);
	buf_init(&why);
	if (config_slurp(c->override, path, READER_MAX_FILE, &text, &why,
	    NULL) == -1) {
		reader_error(rd, line, "include", "files", "%s: %s", path,
		    why.data);
		free(real);
		buf_free(&text);
		buf_free(&why);
		return;
	}
	buf_free(&why);
	n = text.len;
	t = buf_steal(&text);
	i = config_file_new(c, path, config_here(path), t, n, t, depth);
	if ((c->files[i].real = real) != NULL)
		(void)config_index_put(&c->file_reals, real, i);
	config_file_read(c, i);
}

/* [include] files= of file idx: space-separated globs, relative to the
 * file's directory, each read in sorted order. */
static void
config_include(struct config_ctx *c, size_t idx)
{
	char		*spec, *pat, *save = NULL, *full;
	const char	*dir = c->files[idx].here;
	glob_t		 g;
	size_t		 i;
	int		 rc;

	spec = xstrdup(c->files[idx].include);
	for (pat = strtok_r(spec, " \t\n", &save); pat != NULL;
	    pat = strtok_r(NULL, " \t\n", &save)) {
		if (pat[0] == '/')
			full = xstrdup(pat);
		else
			full = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" :
			    dir, pat);
		memset(&g, 0, sizeof g);
		rc = glob(full, 0, NULL, &g);
		if (rc == GLOB_NOMATCH) {
			if (c->warns != NULL)
				strlist_addf(c->warns, "%s:%u: [include] "
				    "files: no file matches %s",
				    c->files[idx].path,
				    c->files[idx].include_line, full);
		} else if (rc != 0) {
			reader_error(c->files[idx].rd,
			    c->files[idx].include_line, "include", "files",
			    "%s: cannot list the files that match", full);
		} else {
			for (i = 0; i < g.gl_pathc; i++)
				config_include_one(c, idx, g.gl_pathv[i]);
		}
		if (rc == 0)
			globfree(&g);
		free(full);
	}
	free(spec);
}

/* ---- loading ---- */

/* Free what a kept section holds. */
static void
config_raw_free(struct config_raw *r)
{
	size_t	j;

	for (j = 0; j < r->nkeys; j++) {
		free(r->keys[j].key);
		free(r->keys[j].lkey);
		free(r->keys[j].value);
	}
	free(r->keys);
	config_index_free(&r->keyidx);
	free(r->name);
	free(r->sect);
	free(r->in_group);
}

/* The warnings strict mode makes errors: to errs if it is on (then there
 * are errors: *nerr counts them), else to warns. */
static void
config_lints(struct config_ctx *c, bool strict, struct strlist *errs,
    struct strlist *warns, size_t *nerr)
{
	struct strlist	*to = strict ? errs : warns;
	size_t		 i;

	if (strict)
		*nerr += c->lints.n;
	for (i = 0; i < c->lints.n && to != NULL; i++) {
		if (strict)
			strlist_addf(to, "%s (strict)", c->lints.v[i]);
		else
			strlist_add(to, c->lints.v[i]);
	}
}

/* Parse text (len bytes) named name and what it includes, reading the
 * file ov replaces from ov (NULL: none); see config_load(). */
static struct config *
config_parse(const char *name, const char *text, size_t len,
    const struct config_override *ov, bool strict, struct strlist *errs,
    struct strlist *warns)
{
	struct config_ctx	 c;
	struct config		*cfg;
	struct utsname		 u;
	size_t			 i, nkeys, nerr = 0;

	cfg = xcalloc(1, sizeof *cfg);
	cfg->file = xstrdup(name);
	cfg->here = config_here(name);

	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.warns = warns;
	c.override = ov;
	c.nodename = xstrdup(uname(&u) == 0 ? u.nodename : "localhost");
	nkeys = config_ntable;
	c.seen = xcalloc(nkeys, sizeof *c.seen);
	c.seen_file = xcalloc(nkeys, sizeof *c.seen_file);
	c.tend_set = xcalloc(nkeys, sizeof *c.tend_set);
	config_keys_index(&c);
	buf_init(&c.pend_key);
	buf_init(&c.pend_val);
	(void)config_file_new(&c, name, xstrdup(cfg->here), text, len, NULL,
	    0);
	if ((c.files[0].real = realpath(name, NULL)) != NULL)
		(void)config_index_put(&c.file_reals, c.files[0].real, 0);
	c.rd = c.files[0].rd;

	/* [tend] has its defaults even when the section is absent */
	c.vars[0] = (struct cmdline_var){ "here", cfg->here };
	c.vars[1] = (struct cmdline_var){ "host_node_name", c.nodename };
	c.nvars = 2;
	config_defaults(&c, SECT_TEND, cfg);

	config_file_read(&c, 0);
	config_build(&c);

	for (i = 0; i < c.nfiles; i++)
		nerr += reader_nerrors(c.files[i].rd);
	for (i = 0; i < c.nfiles && nerr > 0; i++)
		reader_take_errors(c.files[i].rd, errs);
	config_lints(&c, strict || cfg->strict, errs, warns, &nerr);
	if (nerr > 0) {
		config_free(cfg);
		cfg = NULL;
	}
	for (i = 0; i < c.nprogs; i++)
		program_free(&c.progs[i]);
	free(c.progs);
	program_free(&c.prog);
	for (i = 0; i < c.ngroups; i++) {
		free(c.groups[i].name);
		free(c.groups[i].file);
	}
	free(c.groups);
	for (i = 0; i < c.nraws; i++)
		config_raw_free(&c.raws[i]);
	free(c.raws);
	config_raw_free(&c.tend_raw);
	config_raw_free(&c.sup_raw);
	config_index_free(&c.raw_sects);
	strlist_free(&c.lints);
	for (i = 0; i < c.nfiles; i++) {
		reader_free(c.files[i].rd);
		free(c.files[i].path);
		free(c.files[i].here);
		free(c.files[i].real);
		free(c.files[i].text);
		free(c.files[i].include);
	}
	free(c.files);
	for (i = 0; i < c.nenvfiles; i++) {
		free(c.envfiles[i].path);
		free(c.envfiles[i].why);
		envlist_free(&c.envfiles[i].env);
	}
	free(c.envfiles);
	config_index_free(&c.envfile_paths);
	config_index_free(&c.file_paths);
	config_index_free(&c.file_reals);
	config_index_free(&c.raw_progs);
	config_index_free(&c.raw_groups);
	config_index_free(&c.unsupported_idx);
	for (i = 0; i < nitems(c.keys); i++)
		config_index_free(&c.keys[i]);
	free(c.prog_other);
	strlist_free(&c.unsupported);
	free(c.sect);
	buf_free(&c.pend_key);
	buf_free(&c.pend_val);
	config_expand_forget(&c, true);
	free(c.seen);
	free(c.seen_file);
	free(c.tend_set);
	free(c.nodename);
	return cfg;
}

/* Read and validate the file at path as opts says; see config.h. */
struct config *
config_load_opts(const char *path, const struct config_opts *opts,
    struct strlist *errs, struct strlist *warns)
{
	struct config_override		 store;
	const struct config_override	*ov;
	struct config			*cfg = NULL;
	struct buf			 b, why;

	ov = config_override_init(&store, opts);
	buf_init(&b);
	buf_init(&why);
	if (config_slurp(ov, path, READER_MAX_FILE, &b, &why, NULL) == -1) {
		if (errs != NULL)
			strlist_addf(errs, "%s: %s", path, why.data);
	} else
		cfg = config_parse(path, b.data, b.len, ov,
		    opts != NULL && opts->strict, errs, warns);
	buf_free(&b);
	buf_free(&why);
	if (ov != NULL)
		free(store.path);
	return cfg;
}

/* Read and validate the file at path; see config.h. */
struct config *
config_load(const char *path, struct strlist *errs, struct strlist *warns)
{
	return config_load_opts(path, NULL, errs, warns);
}

/* Validate text as if it were the file called name; see config.h. */
struct config *
config_load_string(const char *name, const char *text, struct strlist *errs,
    struct strlist *warns)
{
	size_t	len = strlen(text);

	if (len > READER_MAX_FILE) {
		if (errs != NULL)
			strlist_addf(errs, "%s: file too large (more than %u "
			    "bytes)", name, READER_MAX_FILE);
		return NULL;
	}
	return config_parse(name, text, len, NULL, false, errs, warns);
}

