/* config.c: an INI file -> an immutable, validated struct config.
 *
 * Pure: besides reading files (the configuration, the files it includes,
 * the environment_file= files) it only asks NSS (getpwnam, getgrnam), uname
 * and realpath; it never forks, signals, logs or touches libev.
 *
 * inih (the system libinih) is driven by ini_reader.c, which sees every
 * physical line: values of any length arrive whole, and an indented line
 * that continues a key (configparser's multi-line values) is told apart
 * from a second "key =" line. Continuation lines are joined with "\n";
 * a key given twice in a section is an error.
 *
 * One table, config_table[], names every key with its section, parser,
 * default, bounds, destination and one line of documentation. Defaults
 * are applied by running the default text through the key's parser, so
 * a default can never be something the parser would refuse; config_keys()
 * hands the same rows to `tendd -t` and the man-page test.
 *
 * Keys are matched without regard to case (configparser lowercases them),
 * section names exactly. Every error is collected as
 *	FILE:LINE: [SECTION] KEY: reason
 * ("FILE:LINE: [SECTION]: reason" for a whole section) and nothing is
 * returned unless there are none. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmdline.h"
#include "ini_reader.h"
#include "log.h"
#include "outlog.h"

#ifndef TEND_RUNSTATEDIR
#define TEND_RUNSTATEDIR	"/run"
#endif
#ifndef TEND_LOGDIR
#define TEND_LOGDIR		"/var/log/tend"
#endif

#define CONFIG_PROGRAM_PREFIX	"program:"

const struct rlimit_def config_rlimits[CONFIG_NRLIMITS] = {
	{ "nofile",	RLIMIT_NOFILE },
	{ "nproc",	RLIMIT_NPROC },
	{ "core",	RLIMIT_CORE },
	{ "as",		RLIMIT_AS },
	{ "cpu",	RLIMIT_CPU },
	{ "data",	RLIMIT_DATA },
	{ "fsize",	RLIMIT_FSIZE },
	{ "memlock",	RLIMIT_MEMLOCK },
	{ "stack",	RLIMIT_STACK },
	{ "msgqueue",	RLIMIT_MSGQUEUE },
	{ "nice",	RLIMIT_NICE },
	{ "rtprio",	RLIMIT_RTPRIO },
	{ "sigpending",	RLIMIT_SIGPENDING },
	{ "locks",	RLIMIT_LOCKS },
	{ "rss",	RLIMIT_RSS },
	{ "rttime",	RLIMIT_RTTIME },
};

enum config_sect {
	SECT_TEND,
	SECT_PROGRAM,
	SECT_GROUP,
	SECT_INCLUDE,
};

#define CONFIG_GROUP_PREFIX	"group:"
#define CONFIG_MAX_INCLUDE_DEPTH 10	/* [include] inside included files */
#define CONFIG_MAX_ENV_FILE	(1024u * 1024)	/* bytes in an environment_file */

/* One key line of a section kept for later (see config_ctx.raws). */
struct config_rawkey {
	char		*key;
	char		*value;		/* continuation lines joined */
	unsigned	 line;
};

/* A [program:] or [group:] section as written: its processes can only be
 * made once every file is read, since a [group:] further down (or in
 * another file) gives them their %(group_name)s and their group. */
struct config_raw {
	bool			 group;	/* [group:NAME], else [program:NAME] */
	char			*name;	/* NAME */
	char			*sect;	/* "program:NAME" */
	size_t			 file;	/* index in config_ctx.files */
	unsigned		 line;
	struct config_rawkey	*keys;
	size_t			 nkeys;
	bool			 dropped; /* a duplicate, already reported */
	char			*in_group; /* [program:]: its [group:], if any */
	size_t			 in_group_raw;
};

/* An environment_file= read during this load: each is read once, however
 * many programs or processes (numprocs) name it, so they all see one
 * content. */
struct config_envfile {
	char		*path;		/* absolute */
	bool		 missing;	/* does not exist: skipped if optional */
	char		*why;		/* NULL if read, else "PATH: reason" or
					 * "PATH:LINE: reason" */
	struct envlist	 env;		/* its variables, when read */
};

/* A name -> position index (open addressing, FNV-1a, linear probing), so
 * that each lookup of a load (a section by name, an environment file or
 * an included file by path, a program listed in a [group:]) costs the
 * same with 100 000 sections as with 10. The keys are not copied: they
 * belong to the arrays whose positions are stored. */
struct config_slot {
	const char	*key;		/* NULL: free */
	size_t		 pos;
};
struct config_index {
	struct config_slot *slot;
	size_t		 cap;		/* 0 or a power of 2 */
	size_t		 n;
};
#define CONFIG_NOPOS	((size_t)-1)

static size_t
config_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ull;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)(h ^ (h >> 32));
}

/* The slot of key, or the free slot where it would go (cap > 0). */
static struct config_slot *
config_index_slot(const struct config_index *x, const char *key)
{
	size_t	i = config_hash(key) & (x->cap - 1);

	while (x->slot[i].key != NULL && strcmp(x->slot[i].key, key) != 0)
		i = (i + 1) & (x->cap - 1);
	return &x->slot[i];
}

/* The position stored for key, or CONFIG_NOPOS. */
static size_t
config_index_get(const struct config_index *x, const char *key)
{
	const struct config_slot	*s;

	if (x->n == 0)
		return CONFIG_NOPOS;
	s = config_index_slot(x, key);
	return s->key != NULL ? s->pos : CONFIG_NOPOS;
}

/* Store key -> pos unless key is there already (the first one stays):
 * returns the position stored for key before, or CONFIG_NOPOS. */
static size_t
config_index_put(struct config_index *x, const char *key, size_t pos)
{
	struct config_slot	*old = x->slot, *s;
	size_t			 i, oldcap = x->cap;

	if ((x->n + 1) * 2 > x->cap) {	/* at most half full */
		x->cap = oldcap == 0 ? 16 : oldcap * 2;
		x->slot = xcalloc(x->cap, sizeof *x->slot);
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				*config_index_slot(x, old[i].key) = old[i];
		free(old);
	}
	s = config_index_slot(x, key);
	if (s->key != NULL)
		return s->pos;
	s->key = key;
	s->pos = pos;
	x->n++;
	return CONFIG_NOPOS;
}

static void
config_index_free(struct config_index *x)
{
	free(x->slot);
	memset(x, 0, sizeof *x);
}

/* A file read: the main one or an included one. */
struct config_file {
	char		*path;		/* as shown in messages */
	char		*here;		/* its directory, for %(here)s */
	char		*real;		/* realpath, to catch include loops */
	char		*text;		/* owned when not the caller's */
	struct reader	*rd;
	unsigned	 depth;		/* 0 for the main file */
	char		*include;	/* its [include] files=, expanded */
	unsigned	 include_line;	/* of its files= */
};

struct config_ctx;
struct config_key;

/* Parse value into the key's field of base (a struct config or a struct
 * program). value NULL means "unset" (the state before any default).
 * Returns 0, or -1 with the reason in why. */
typedef int	(*config_parse_fn)(struct config_ctx *,
		    const struct config_key *, void *base, const char *value,
		    struct buf *why);

struct config_key {
	enum config_sect	 sect;
	const char		*name;
	config_parse_fn		 parse;
	const char		*deflt;	/* run through parse; NULL: unset */
	const char		*shown;	/* what an unset default means */
	long long		 min;	/* bounds, for the number parsers */
	long long		 max;
	size_t			 off;	/* field in base */
	bool			 empty_ok; /* "key =" is a valid value */
	const char		*doc;
};

/* What is being read. */
struct config_ctx {
	struct config	*cfg;
	struct reader	*rd;
	struct strlist	*warns;
	char		*nodename;	/* %(host_node_name)s */

	/* the section keys go to */
	enum {
		CUR_NONE,
		CUR_TEND,
		CUR_PROGRAM,		/* keys kept in raws, parsed later */
		CUR_GROUP,		/* likewise */
		CUR_INCLUDE,
		CUR_IGNORE,		/* reported; its keys are dropped */
	}		 cur;
	bool		 supervisord;	/* CUR_TEND from [supervisord] */
	char		*sect;		/* its name, as in [] */
	unsigned	 sect_line;
	void		*base;		/* cfg, or &prog */
	struct program	 prog;		/* the program being read */
	struct program	 prog_defaults;	/* see config_program_defaults() */
	bool		 prog_defaults_set;
	size_t		*prog_other;	/* the other rows of SECT_PROGRAM */
	size_t		 nprog_other;
	struct config_index keys[SECT_INCLUDE + 1]; /* config_table rows by
					 * section and name */
	unsigned	*seen;		/* per table row: line it was set at */
	struct cmdline_var vars[7];	/* expansions for this section */
	size_t		 nvars;
	bool		 tend_seen;
	unsigned	 tend_line;
	size_t		 tend_file;
	bool		 sup_seen;	/* the same for [supervisord] */
	unsigned	 sup_line;
	size_t		 sup_file;
	unsigned	*tend_set;	/* per table row: set by [tend], which
					 * wins over [supervisord] */
	bool		 include_seen;	/* in the file being read */
	unsigned	 include_sect_line;

	struct config_file *files;	/* every file read, in order */
	size_t		 nfiles;
	size_t		 curfile;	/* the one being read */
	struct config_index file_paths;	/* files[].path -> first index */
	struct config_index file_reals;	/* files[].real -> index */
	struct config_raw *raws;	/* [program:] and [group:] sections */
	size_t		 nraws;
	size_t		 curraw;	/* the one being read */
	struct config_index raw_progs;	/* [program:NAME] kept -> raws[] */
	struct config_index raw_groups;	/* [group:NAME] kept -> raws[] */
	struct group_conf *groups;	/* built from raws */
	size_t		 ngroups;
	unsigned	 nextseq;
	struct strlist	 unsupported;	/* [fcgi-program:x] ... seen */
	struct config_index unsupported_idx;
	unsigned	 key_line;	/* line of the key being applied */
	struct config_envfile *envfiles; /* environment files read */
	size_t		 nenvfiles;
	struct config_index envfile_paths; /* envfiles[].path -> index */

	/* the last key line; continuation lines may still extend it */
	bool		 pending;
	struct buf	 pend_key;
	unsigned	 pend_line;
	struct buf	 pend_val;

	struct program	*progs;		/* every [program:], in file order */
	size_t		 nprogs;
	size_t		 progcap;
};

static const struct config_key	*config_table_get(size_t *);
static void	 program_free(struct program *);

/* The field a row points at. */
static void *
config_field(void *base, const struct config_key *k)
{
	return (char *)base + k->off;
}

/* Append s to b between q quotes, with control characters, the quote and
 * backslash escaped, so that a message stays one readable line. */
static void
config_quote(struct buf *b, const char *s, char q)
{
	unsigned char	c;

	buf_addc(b, q);
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\n')
			buf_addstr(b, "\\n");
		else if (c == '\t')
			buf_addstr(b, "\\t");
		else if (c == '\\' || c == (unsigned char)q) {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, q);
}

/* Record an error of the section being read. */
static void
config_error(struct config_ctx *c, unsigned line, const char *key,
    const char *fmt, ...) printflike(4, 5);
static void
config_error(struct config_ctx *c, unsigned line, const char *key,
    const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	reader_error(c->rd, line, c->sect, key, "%s", b.data);
	buf_free(&b);
}

/* Expand %(name)s in s with this section's variables; NULL and why. */
static char *
config_expand(struct config_ctx *c, const char *s, struct buf *why)
{
	char	 err[256];
	char	*out;

	out = cmdline_expand(s, c->vars, c->nvars, environ, err, sizeof err);
	if (out == NULL)
		buf_addstr(why, err[0] != '\0' ? err : "bad expansion");
	return out;
}

/* ---- value parsers (one per kind of key) ---- */

/* A path or name, expanded; must not expand to "". */
static int
parse_path(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	char	**f = config_field(base, k);
	char	 *s = NULL;

	if (v != NULL) {
		if ((s = config_expand(c, v, why)) == NULL)
			return -1;
		if (*s == '\0') {
			buf_addstr(why, "expands to an empty path");
			free(s);
			return -1;
		}
	}
	free(*f);
	*f = s;
	return 0;
}

/* true/yes/on/1 or false/no/off/0, as supervisord. */
static int
parse_boolean(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	bool		*f = config_field(base, k);
	const char	*err;

	(void)c;
	if (v == NULL) {
		*f = false;
		return 0;
	}
	if (parse_bool(v, f, &err) == -1) {
		config_quote(why, v, '"');
		buf_addstr(why, " is not a boolean (expected true or false)");
		return -1;
	}
	return 0;
}

/* Explain a parse_uint/parse_int failure of v. */
static void
config_bad_number(struct buf *why, const char *v, const char *err,
    long long min, long long max)
{
	config_quote(why, v, '"');
	if (strcmp(err, "out of range") == 0)
		buf_printf(why, " is out of range (%lld to %lld)", min, max);
	else
		buf_addstr(why, " is not a number");
}

/* A decimal number in [min, max] into an unsigned. */
static int
parse_unsigned(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	unsigned		*f = config_field(base, k);
	unsigned long long	 n;
	const char		*err;

	(void)c;
	if (v == NULL) {
		*f = 0;
		return 0;
	}
	if (parse_uint(v, (unsigned long long)k->max, &n, &err) == -1) {
		config_bad_number(why, v, err, k->min, k->max);
		return -1;
	}
	if (n < (unsigned long long)k->min) {
		config_bad_number(why, v, "out of range", k->min, k->max);
		return -1;
	}
	*f = (unsigned)n;
	return 0;
}

/* notification_fd: 0 (none), or a descriptor from min to max (3 up: 0-2
 * are stdio). */
static int
parse_notification_fd(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	unsigned	*f = config_field(base, k);

	if (v != NULL && strcmp(v, "0") == 0) {
		*f = 0;
		return 0;
	}
	if (parse_unsigned(c, k, base, v, why) == -1) {
		buf_addstr(why, ", or 0 for none");
		return -1;
	}
	return 0;
}

/* A signed decimal number in [min, max] into an int. */
static int
parse_integer(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	int		*f = config_field(base, k);
	long long	 n;
	const char	*err;

	(void)c;
	if (v == NULL) {
		*f = 0;
		return 0;
	}
	if (parse_int(v, k->min, k->max, &n, &err) == -1) {
		config_bad_number(why, v, err, k->min, k->max);
		return -1;
	}
	*f = (int)n;
	return 0;
}

/* Octal digits ("022", also Python's "0o22") up to max; -1 with why. */
static int
config_octal(const char *v, const struct config_key *k, unsigned *out,
    struct buf *why)
{
	const char	*p = v, *err;

	if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O') && p[2] != '\0')
		p += 2;
	if (parse_octal(p, (unsigned)k->max, out, &err) == -1) {
		config_quote(why, v, '"');
		if (strcmp(err, "out of range") == 0)
			buf_printf(why, " is out of range (0 to 0%llo)",
			    (unsigned long long)k->max);
		else
			buf_addstr(why, " is not an octal number");
		return -1;
	}
	return 0;
}

/* An octal mode into an unsigned. */
static int
parse_mode(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	unsigned	*f = config_field(base, k);

	(void)c;
	if (v == NULL) {
		*f = 0;
		return 0;
	}
	return config_octal(v, k, f, why);
}

/* A program's umask into an int; unset is -1, "inherit tendd's". */
static int
parse_umask(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	int		*f = config_field(base, k);
	unsigned	 mode;

	(void)c;
	if (v == NULL) {
		*f = -1;
		return 0;
	}
	if (config_octal(v, k, &mode, why) == -1)
		return -1;
	*f = (int)mode;
	return 0;
}

/* critical, error, warn, info, debug, trace (and supervisord's aliases). */
static int
parse_loglevel(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	int	*f = config_field(base, k);
	int	 level;

	(void)c;
	if (v == NULL) {
		*f = LOG_LVL_INFO;
		return 0;
	}
	if ((level = log_level_parse(v)) == -1) {
		config_quote(why, v, '"');
		buf_addstr(why, " is not a log level (expected critical, "
		    "error, warn, info, debug or trace)");
		return -1;
	}
	*f = level;
	return 0;
}

/* Explain a failed getpwnam/getgrnam of name (errno as it left it). */
static void
config_bad_lookup(struct buf *why, const char *what, const char *name)
{
	int	e = errno;

	/* the "not found" errnos getpwnam(3) lists, besides 0 */
	if (e == 0 || e == ENOENT || e == ESRCH || e == EBADF || e == EPERM) {
		buf_printf(why, "unknown %s ", what);
		config_quote(why, name, '\'');
	} else {
		buf_printf(why, "cannot look up %s ", what);
		config_quote(why, name, '\'');
		buf_printf(why, ": %s", strerror(e));
	}
}

/* [tend] control_group: a group name, resolved now. */
static int
parse_control_group(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	struct config	*cfg = base;
	struct group	*gr;

	(void)c;
	(void)k;
	if (v == NULL) {
		free(cfg->control_group);
		cfg->control_group = NULL;
		cfg->control_gid = 0;
		return 0;
	}
	errno = 0;
	if ((gr = getgrnam(v)) == NULL) {
		config_bad_lookup(why, "group", v);
		return -1;
	}
	free(cfg->control_group);
	cfg->control_group = xstrdup(v);
	cfg->control_gid = gr->gr_gid;
	return 0;
}

/* [program:] user: uid and primary group, resolved now. */
static int
parse_user(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct program	*p = base;
	struct passwd	*pw;

	(void)c;
	(void)k;
	if (v == NULL) {
		free(p->user);
		p->user = NULL;
		p->uid = 0;
		if (p->group == NULL)
			p->gid = 0;
		return 0;
	}
	errno = 0;
	if ((pw = getpwnam(v)) == NULL) {
		config_bad_lookup(why, "user", v);
		return -1;
	}
	free(p->user);
	p->user = xstrdup(v);
	p->uid = pw->pw_uid;
	if (p->group == NULL)	/* group= wins, whichever line came first */
		p->gid = pw->pw_gid;
	return 0;
}

/* [program:] group: replaces the user's primary group. */
static int
parse_group(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct program	*p = base;
	struct group	*gr;

	(void)c;
	(void)k;
	if (v == NULL) {
		free(p->group);
		p->group = NULL;
		return 0;
	}
	errno = 0;
	if ((gr = getgrnam(v)) == NULL) {
		config_bad_lookup(why, "group", v);
		return -1;
	}
	free(p->group);
	p->group = xstrdup(v);
	p->gid = gr->gr_gid;
	return 0;
}

static int	envlist_scan(const char *, struct envlist *, const char **,
		    const char **, size_t *);
static int	config_slurp(const char *, size_t, struct buf *, struct buf *,
		    bool *);

/* environment=: parsed strictly, then each value expanded. */
static int
parse_env(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct envlist	*f = config_field(base, k);
	struct envlist	 l = { NULL, 0 };
	const char	*err, *at;
	struct buf	 xwhy;
	size_t		 i, atlen;
	char		*s;

	if (v == NULL) {
		envlist_free(f);
		return 0;
	}
	if (envlist_scan(v, &l, &err, &at, &atlen) == -1) {
		buf_addstr(why, err);
		if (at != NULL)
			buf_printf(why, " '%.*s'", (int)atlen, at);
		return -1;
	}
	for (i = 0; i < l.n; i++) {
		buf_init(&xwhy);
		if ((s = config_expand(c, l.v[i].value, &xwhy)) == NULL) {
			buf_printf(why, "%s: %s", l.v[i].key, xwhy.data);
			buf_free(&xwhy);
			envlist_free(&l);
			return -1;
		}
		free(l.v[i].value);
		l.v[i].value = s;
	}
	envlist_free(f);
	*f = l;
	return 0;
}

/* The next item of the comma-separated list at *pp, blanks trimmed, as
 * [*s, *t) (it may be empty); false once the list is done. */
static bool
config_list_next(const char **pp, const char **s, const char **t)
{
	const char	*p = *pp, *e;

	if (p == NULL)
		return false;
	if ((e = strchr(p, ',')) == NULL)
		e = p + strlen(p);
	for (*s = p; *s < e && strchr(" \t\n", **s) != NULL; (*s)++)
		;
	for (*t = e; *t > *s && strchr(" \t\n", (*t)[-1]) != NULL; (*t)--)
		;
	*pp = *e == '\0' ? NULL : e + 1;
	return true;
}

/* The value of a %(name)s of the open section, or NULL. */
static const char *
config_var(const struct config_ctx *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nvars; i++)
		if (strcmp(c->vars[i].name, name) == 0)
			return c->vars[i].value;
	return NULL;
}

/* An environment_file= path, expanded and made absolute: a relative one is
 * taken from %(here)s, since the file is read at every load and tendd's own
 * directory is not the same before and after it daemonizes. NULL and why. */
static char *
config_envfile_path(struct config_ctx *c, const char *item, struct buf *why)
{
	const char	*here = config_var(c, "here");
	char		*s, *full;

	if ((s = config_expand(c, item, why)) == NULL)
		return NULL;
	if (*s == '\0') {
		buf_addstr(why, "expands to an empty path");
		free(s);
		return NULL;
	}
	if (s[0] == '/' || here == NULL)
		return s;
	full = xasprintf("%s/%s", strcmp(here, "/") == 0 ? "" : here, s);
	free(s);
	return full;
}

/* The environment file at path, read and parsed now or earlier in this
 * load (see struct config_envfile). */
static const struct config_envfile *
config_envfile_get(struct config_ctx *c, const char *path)
{
	struct config_envfile	*f;
	struct buf		 text, why;
	unsigned		 line;
	size_t			 i;

	if ((i = config_index_get(&c->envfile_paths, path)) != CONFIG_NOPOS)
		return &c->envfiles[i];
	if ((c->nenvfiles & (c->nenvfiles - 1)) == 0)
		c->envfiles = xreallocarray(c->envfiles, c->nenvfiles == 0 ? 1 :
		    c->nenvfiles * 2, sizeof *c->envfiles);
	f = &c->envfiles[c->nenvfiles++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	(void)config_index_put(&c->envfile_paths, f->path, c->nenvfiles - 1);
	buf_init(&text);
	buf_init(&why);
	if (config_slurp(path, CONFIG_MAX_ENV_FILE, &text, &why,
	    &f->missing) == -1)
		f->why = xasprintf("%s: %s", path, why.data);
	else if (envlist_parse_file(text.data, text.len, &f->env, &line,
	    &why) == -1)
		f->why = xasprintf("%s:%u: %s", path, line, why.data);
	buf_free(&text);
	buf_free(&why);
	return f;
}

/* environment_file=PATH,-PATH: the files are read now, each over the one
 * before; a missing file whose path starts with '-' is skipped, as systemd
 * does, but any other failure of it is still an error. */
static int
parse_env_file(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct envlist			*f = config_field(base, k);
	struct envlist			 l = { NULL, 0 };
	const struct config_envfile	*ef;
	const char			*p, *s, *t;
	char				*item, *path;
	bool				 optional;

	if (v == NULL) {
		envlist_free(f);
		return 0;
	}
	for (p = v; config_list_next(&p, &s, &t);) {
		/* "-PATH" (or "- PATH"): a missing file is no error */
		if ((optional = s < t && *s == '-'))
			for (s++; s < t && strchr(" \t", *s) != NULL; s++)
				;
		if (s == t) {
			buf_addstr(why, "empty path in ");
			config_quote(why, v, '"');
			goto fail;
		}
		item = xstrndup(s, (size_t)(t - s));
		path = config_envfile_path(c, item, why);
		free(item);
		if (path == NULL)
			goto fail;
		ef = config_envfile_get(c, path);
		free(path);
		if (ef->why != NULL && !(optional && ef->missing)) {
			buf_addstr(why, ef->why);
			goto fail;
		}
		envlist_merge(&l, &ef->env);
	}
	envlist_free(f);
	*f = l;
	return 0;

fail:
	envlist_free(&l);
	return -1;
}

/* true, false or unexpected (supervisord's spellings of the booleans). */
static int
parse_autorestart(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	enum autorestart	*f = config_field(base, k);
	const char		*err;
	bool			 b;

	(void)c;
	if (v == NULL) {
		*f = AUTORESTART_UNEXPECTED;
		return 0;
	}
	if (strcasecmp(v, "unexpected") == 0) {
		*f = AUTORESTART_UNEXPECTED;
		return 0;
	}
	if (parse_bool(v, &b, &err) == -1) {
		config_quote(why, v, '"');
		buf_addstr(why, " is not one of true, false, unexpected");
		return -1;
	}
	*f = b ? AUTORESTART_TRUE : AUTORESTART_FALSE;
	return 0;
}

/* qsort order of strings. */
static int
config_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool	config_valid_name(const char *);

/* depends_on: [program:] names, separated by commas or blanks; kept sorted
 * and without repeats. That they exist and form no cycle is checked once
 * every program is read (config_check_depends). */
static int
parse_depends_on(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	struct strlist	*f = config_field(base, k);
	struct strlist	 l = { NULL, 0 };
	const char	*p, *e;
	char		*name;
	size_t		 i, n = 0;

	((struct program *)base)->depends_line = c->key_line;
	for (p = v != NULL ? v : ""; *p != '\0'; p = e) {
		p += strspn(p, ", \t\n");
		if (*p == '\0')
			break;
		e = p + strcspn(p, ", \t\n");
		name = xstrndup(p, (size_t)(e - p));
		if (!config_valid_name(name)) {
			config_quote(why, name, '\'');
			buf_addstr(why, " is not a program name");
			free(name);
			strlist_free(&l);
			return -1;
		}
		strlist_add(&l, name);
		free(name);
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), config_strcmp);
	for (i = 0; i < l.n; i++) {
		if (n > 0 && strcmp(l.v[n - 1], l.v[i]) == 0)
			free(l.v[i]);
		else
			l.v[n++] = l.v[i];
	}
	l.n = n;
	if (l.v != NULL)
		l.v[n] = NULL;
	strlist_free(f);
	*f = l;
	return 0;
}

/* shutdown_on: never, fatal or exit. */
static int
parse_shutdown_on(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	enum shutdown_on	*f = config_field(base, k);

	(void)c;
	if (v == NULL || strcasecmp(v, "never") == 0)
		*f = SHUTDOWN_ON_NEVER;
	else if (strcasecmp(v, "fatal") == 0)
		*f = SHUTDOWN_ON_FATAL;
	else if (strcasecmp(v, "exit") == 0)
		*f = SHUTDOWN_ON_EXIT;
	else {
		config_quote(why, v, '"');
		buf_addstr(why, " is not one of never, fatal, exit");
		return -1;
	}
	return 0;
}

/* "0,2": a comma-separated list of exit codes 0..255, into the bitmap. */
static int
parse_exitcodes(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	uint8_t			*f = config_field(base, k);
	uint8_t			 bits[32];
	const char		*p, *s, *t, *err;
	unsigned long long	 n;
	struct buf		 item;

	(void)c;
	memset(bits, 0, sizeof bits);
	if (v == NULL) {
		memcpy(f, bits, sizeof bits);
		return 0;
	}
	buf_init(&item);
	for (p = v; config_list_next(&p, &s, &t);) {
		buf_reset(&item);
		buf_add(&item, s, (size_t)(t - s));
		if (item.len == 0) {
			buf_addstr(why, "empty exit code in ");
			config_quote(why, v, '"');
			goto fail;
		}
		if (parse_uint(item.data, 255, &n, &err) == -1) {
			buf_addstr(why, "exit code ");
			config_bad_number(why, item.data, err, 0, 255);
			goto fail;
		}
		bits[n / 8] |= (uint8_t)(1u << (n % 8));
	}
	buf_free(&item);
	memcpy(f, bits, sizeof bits);
	return 0;

fail:
	buf_free(&item);
	return -1;
}

/* A signal name (TERM, SIGTERM) or number. */
static int
parse_signal(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	int	*f = config_field(base, k);
	int	 sig;

	(void)c;
	if (v == NULL) {
		*f = 0;
		return 0;
	}
	if ((sig = signal_parse(v)) <= 0) {
		config_quote(why, v, '"');
		buf_addstr(why, " is not a signal name or number");
		return -1;
	}
	*f = sig;
	return 0;
}

/* command=: expanded, then split into argv like a shell would. */
static int
parse_command(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct program	 *p = base;
	const char	 *err;
	char		 *s, **argv;

	(void)k;
	if (v == NULL) {
		free(p->command);
		cmdline_free(p->argv);
		p->command = NULL;
		p->argv = NULL;
		return 0;
	}
	if ((s = config_expand(c, v, why)) == NULL)
		return -1;
	if (cmdline_split(s, &argv, &err) == -1) {
		buf_addstr(why, err);
		free(s);
		return -1;
	}
	free(p->command);
	cmdline_free(p->argv);
	p->command = s;
	p->argv = argv;
	return 0;
}

/* stdout_logfile/stderr_logfile: AUTO -> NULL, NONE (or OFF) -> "",
 * anything else a path, expanded. */
static int
parse_logfile(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	char	**f = config_field(base, k);

	if (v == NULL || strcasecmp(v, "AUTO") == 0) {
		free(*f);
		*f = NULL;
		return 0;
	}
	if (strcasecmp(v, "NONE") == 0 || strcasecmp(v, "OFF") == 0) {
		free(*f);
		*f = xstrdup("");
		return 0;
	}
	return parse_path(c, k, base, v, why);
}

/* A byte count with an optional KB/MB/GB (supervisord's byte_size). */
static int
parse_size(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	unsigned long long	*f = config_field(base, k);
	const char		*err;

	(void)c;
	(void)k;
	if (v == NULL) {
		*f = 0;
		return 0;
	}
	if (outlog_parse_size(v, f, &err) == -1) {
		config_quote(why, v, '"');
		buf_printf(why, ": %s", err);
		return -1;
	}
	return 0;
}

/* One side of SOFT[:HARD]: a number or "unlimited". */
static int
config_rlim(const char *s, size_t n, rlim_t *out, struct buf *why)
{
	unsigned long long	 v;
	const char		*err;
	char			*t;
	int			 rc = 0;

	t = xstrndup(s, n);
	if (strcasecmp(t, "unlimited") == 0) {
		*out = RLIM_INFINITY;
	} else if (parse_uint(t, (unsigned long long)(RLIM_INFINITY - 1), &v,
	    &err) == -1) {
		config_quote(why, t, '"');
		if (strcmp(err, "out of range") == 0)
			buf_addstr(why, " is out of range");
		else
			buf_addstr(why, " is not a limit (expected a number "
			    "or unlimited)");
		rc = -1;
	} else {
		*out = (rlim_t)v;
	}
	free(t);
	return rc;
}

/* rlimit_<name>=SOFT[:HARD]; HARD defaults to SOFT. */
static int
parse_rlimit(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct rlimit_setting	*f = config_field(base, k);
	const char		*colon;
	rlim_t			 soft, hard;

	(void)c;
	if (v == NULL) {
		f->set = false;
		f->soft = f->hard = 0;
		return 0;
	}
	colon = strchr(v, ':');
	if (config_rlim(v, colon != NULL ? (size_t)(colon - v) : strlen(v),
	    &soft, why) == -1)
		return -1;
	hard = soft;
	if (colon != NULL &&
	    config_rlim(colon + 1, strlen(colon + 1), &hard, why) == -1)
		return -1;
	if (soft > hard) {
		config_quote(why, v, '"');
		buf_addstr(why, ": soft limit is above hard limit");
		return -1;
	}
	f->set = true;
	f->soft = soft;
	f->hard = hard;
	return 0;
}

static bool	config_valid_name(const char *);

/* process_name=: expanded (with this process's process_num), then a valid
 * name; it replaces the program's name. */
static int
parse_process_name(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	struct program	*p = base;
	char		*s;

	(void)k;
	if (v == NULL) {
		free(p->name);
		p->name = NULL;
		return 0;
	}
	if ((s = config_expand(c, v, why)) == NULL)
		return -1;
	if (!config_valid_name(s) || strcmp(s, "all") == 0) {
		buf_addstr(why, "invalid process name ");
		config_quote(why, s, '\'');
		buf_printf(why, " (1 to %d of A-Z a-z 0-9 _ . -, not starting "
		    "with . or -, not 'all')", CONFIG_MAX_PROGRAM_NAME);
		free(s);
		return -1;
	}
	free(p->name);
	p->name = s;
	return 0;
}

/* The keys of a [group:NAME] section. */
struct config_group_keys {
	struct strlist	 programs;	/* NAMEs of [program:NAME] sections */
	int		 priority;
};

/* programs=a,b: a comma-separated list of program names. */
static int
parse_programs(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct strlist		*f = config_field(base, k);
	struct strlist		 l = { NULL, 0 };
	struct config_index	 seen = { NULL, 0, 0 };
	const char		*p, *s, *t;
	char			*name;

	(void)c;
	if (v == NULL) {
		strlist_free(f);
		return 0;
	}
	for (p = v; config_list_next(&p, &s, &t);) {
		name = xstrndup(s, (size_t)(t - s));
		if (!config_valid_name(name)) {
			buf_addstr(why, "invalid program name ");
			config_quote(why, name, '\'');
			goto fail;
		}
		if (config_index_get(&seen, name) != CONFIG_NOPOS) {
			buf_printf(why, "program '%s' is listed twice", name);
			goto fail;
		}
		strlist_add(&l, name);
		free(name);
		(void)config_index_put(&seen, l.v[l.n - 1], l.n - 1);
	}
	config_index_free(&seen);
	strlist_free(f);
	*f = l;
	return 0;

fail:
	free(name);
	config_index_free(&seen);
	strlist_free(&l);
	return -1;
}

/* ---- the key table ---- */

#define T(field)	offsetof(struct config, field)
#define P(field)	offsetof(struct program, field)
#define G(field)	offsetof(struct config_group_keys, field)
#define I(field)	offsetof(struct config_file, field)
#define RLIMIT_KEY(i, n, what)						\
	{ SECT_PROGRAM, "rlimit_" n, parse_rlimit, NULL, "inherit", 0, 0, \
	  P(rlimits[i]), false,						\
	  "RLIMIT_" what " of the program: SOFT[:HARD], each a number or " \
	  "unlimited" }

static const struct config_key config_table[] = {
	{ SECT_TEND, "pidfile", parse_path, NULL, "none", 0, 0,
	  T(pidfile), false,
	  "file holding tendd's pid while it runs, locked" },
	{ SECT_TEND, "control", parse_path, TEND_RUNSTATEDIR "/tend/control",
	  NULL, 0, 0, T(control), false,
	  "the control FIFO tendctl sends requests to" },
	{ SECT_TEND, "control_mode", parse_mode, "0600", NULL, 0, 0777,
	  T(control_mode), false,
	  "permissions of the control FIFO, octal" },
	{ SECT_TEND, "control_group", parse_control_group, NULL, "none", 0, 0,
	  T(control_group), false,
	  "group owning the control FIFO (tendd's when unset)" },
	{ SECT_TEND, "umask", parse_mode, "022", NULL, 0, 0777,
	  T(umask), false,
	  "tendd's umask, octal; programs without umask= inherit it" },
	{ SECT_TEND, "logfile", parse_path, NULL, "none", 0, 0,
	  T(logfile), false,
	  "file for tendd's own messages (stderr with -n when unset)" },
	{ SECT_TEND, "logfile_maxbytes", parse_size, "50MB", NULL, 0, 0,
	  T(logfile_maxbytes), false,
	  "size at which logfile is rotated (KB, MB, GB; 0: never)" },
	{ SECT_TEND, "logfile_backups", parse_unsigned, "10", NULL, 0, 100000,
	  T(logfile_backups), false,
	  "rotated copies of logfile kept (0: none, the file is emptied)" },
	{ SECT_TEND, "syslog", parse_boolean, "false", NULL, 0, 0,
	  T(syslog), false,
	  "also send tendd's messages to syslog (as logfile=syslog does)" },
	{ SECT_TEND, "syslog_socket", parse_path, "/dev/log", NULL, 0, 0,
	  T(syslog_socket), false,
	  "the syslog datagram socket used by syslog and *_syslog" },
	{ SECT_TEND, "loglevel", parse_loglevel, "info", NULL, 0, 0,
	  T(loglevel), false,
	  "critical, error, warn, info, debug or trace" },
	{ SECT_TEND, "childlogdir", parse_path, TEND_LOGDIR, NULL, 0, 0,
	  T(childlogdir), false,
	  "directory of the AUTO program output files" },
	{ SECT_TEND, "directory", parse_path, NULL, "none", 0, 0,
	  T(directory), false,
	  "directory tendd works in once running (/ when unset)" },
	{ SECT_TEND, "environment_file", parse_env_file, NULL, "none", 0, 0,
	  T(file_env), false,
	  "comma-separated files of KEY=VALUE lines for every program, read "
	  "at each load ('-' before a path: it may be missing)" },
	{ SECT_TEND, "environment", parse_env, NULL, "none", 0, 0,
	  T(env), true,
	  "KEY=\"value\",... added to the environment of every program" },
	{ SECT_TEND, "minfds", parse_unsigned, "1024", NULL, 1, INT_MAX,
	  T(minfds), false,
	  "tendd raises its RLIMIT_NOFILE soft limit to at least this" },
	{ SECT_TEND, "nodaemon", parse_boolean, "false", NULL, 0, 0,
	  T(nodaemon), false,
	  "stay in the foreground, as with -n" },
	{ SECT_TEND, "minprocs", parse_unsigned, "200", NULL, 1, INT_MAX,
	  T(minprocs), false,
	  "tendd raises its RLIMIT_NPROC soft limit to at least this" },
	{ SECT_TEND, "metrics_file", parse_path, NULL, "none", 0, 0,
	  T(metrics_file), false,
	  "file rewritten atomically with Prometheus metrics on every change" },

	{ SECT_PROGRAM, "command", parse_command, NULL, "required", 0, 0,
	  P(command), false,
	  "the program and its arguments, split like a shell does "
	  "(no shell runs it)" },
	{ SECT_PROGRAM, "directory", parse_path, NULL, "none", 0, 0,
	  P(directory), false,
	  "directory the program starts in (tendd's when unset)" },
	{ SECT_PROGRAM, "umask", parse_umask, NULL, "inherit", 0, 0777,
	  P(umask), false,
	  "umask of the program, octal (tendd's when unset)" },
	{ SECT_PROGRAM, "user", parse_user, NULL, "none", 0, 0,
	  P(user), false,
	  "run as this user, with its primary and supplementary groups" },
	{ SECT_PROGRAM, "group", parse_group, NULL, "none", 0, 0,
	  P(group), false,
	  "run with this group instead of the user's primary group "
	  "(needs user=)" },
	{ SECT_PROGRAM, "environment_file", parse_env_file, NULL, "none", 0, 0,
	  P(file_env), false,
	  "comma-separated files of KEY=VALUE lines for the program, read at "
	  "each load ('-' before a path: it may be missing)" },
	{ SECT_PROGRAM, "environment", parse_env, NULL, "none", 0, 0,
	  P(env), true,
	  "KEY=\"value\",... added to the program's environment" },
	{ SECT_PROGRAM, "autostart", parse_boolean, "true", NULL, 0, 0,
	  P(autostart), false,
	  "start the program when tendd starts" },
	{ SECT_PROGRAM, "autorestart", parse_autorestart, "unexpected", NULL,
	  0, 0, P(autorestart), false,
	  "restart after an exit from RUNNING: true, false, or unexpected "
	  "(exit code not in exitcodes)" },
	{ SECT_PROGRAM, "shutdown_on", parse_shutdown_on, "never", NULL, 0, 0,
	  P(shutdown_on), false,
	  "stop everything and exit when the program ends: never, fatal "
	  "(tend gave up on it) or exit (also an exit not restarted)" },
	{ SECT_PROGRAM, "startsecs", parse_unsigned, "1", NULL, 0, INT_MAX,
	  P(startsecs), false,
	  "seconds the program must stay up to count as started" },
	{ SECT_PROGRAM, "depends_on", parse_depends_on, NULL, "none", 0, 0,
	  P(depends_on), false,
	  "[program:] names this one needs: it is spawned once all their "
	  "processes are RUNNING (they are started if stopped), and stopped "
	  "before them at shutdown" },
	{ SECT_PROGRAM, "sd_notify", parse_boolean, "false", NULL, 0, 0,
	  P(sd_notify), false,
	  "the program gets NOTIFY_SOCKET and is RUNNING when it sends "
	  "READY=1 (systemd's Type=notify), not after startsecs" },
	{ SECT_PROGRAM, "notification_fd", parse_notification_fd, "0", NULL,
	  3, 1023, P(notification_fd), false,
	  "descriptor (3 up; 0: none) on which the program writes a line "
	  "when it is ready: RUNNING then, not after startsecs (s6)" },
	{ SECT_PROGRAM, "startretries", parse_unsigned, "3", NULL, 0, INT_MAX,
	  P(startretries), false,
	  "failed starts in a row before the program goes FATAL" },
	{ SECT_PROGRAM, "exitcodes", parse_exitcodes, "0", NULL, 0, 0,
	  P(exitcodes), false,
	  "comma-separated exit codes (0 to 255) that are expected" },
	{ SECT_PROGRAM, "stopsignal", parse_signal, "TERM", NULL, 0, 0,
	  P(stopsignal), false,
	  "signal that asks the program to stop (name or number)" },
	{ SECT_PROGRAM, "stopwaitsecs", parse_unsigned, "10", NULL, 0, INT_MAX,
	  P(stopwaitsecs), false,
	  "seconds to wait after stopsignal before SIGKILL" },
	{ SECT_PROGRAM, "stopasgroup", parse_boolean, "false", NULL, 0, 0,
	  P(stopasgroup), false,
	  "send stopsignal to the whole process group (implies "
	  "killasgroup)" },
	{ SECT_PROGRAM, "killasgroup", parse_boolean, "false", NULL, 0, 0,
	  P(killasgroup), false,
	  "send SIGKILL to the whole process group" },
	{ SECT_PROGRAM, "priority", parse_integer, "999", NULL, INT_MIN,
	  INT_MAX, P(priority), false,
	  "lower starts first and stops last" },
	{ SECT_PROGRAM, "stdout_logfile", parse_logfile, "AUTO", NULL, 0, 0,
	  P(stdout_logfile), false,
	  "file for the program's stdout: a path, AUTO (in childlogdir) "
	  "or NONE" },
	{ SECT_PROGRAM, "stderr_logfile", parse_logfile, "AUTO", NULL, 0, 0,
	  P(stderr_logfile), false,
	  "file for the program's stderr: a path, AUTO (in childlogdir) "
	  "or NONE" },
	{ SECT_PROGRAM, "redirect_stderr", parse_boolean, "false", NULL, 0, 0,
	  P(redirect_stderr), false,
	  "send the program's stderr to its stdout" },
	{ SECT_PROGRAM, "stdout_logfile_maxbytes", parse_size, "50MB", NULL,
	  0, 0, P(stdout_logfile_maxbytes), false,
	  "size at which stdout_logfile is rotated (KB, MB, GB; 0: never)" },
	{ SECT_PROGRAM, "stdout_logfile_backups", parse_unsigned, "10", NULL,
	  0, 100000, P(stdout_logfile_backups), false,
	  "rotated copies of stdout_logfile kept (0: none)" },
	{ SECT_PROGRAM, "stdout_syslog", parse_boolean, "false", NULL, 0, 0,
	  P(stdout_syslog), false,
	  "also send stdout lines to syslog, tagged with the process name" },
	{ SECT_PROGRAM, "stderr_logfile_maxbytes", parse_size, "50MB", NULL,
	  0, 0, P(stderr_logfile_maxbytes), false,
	  "size at which stderr_logfile is rotated (KB, MB, GB; 0: never)" },
	{ SECT_PROGRAM, "stderr_logfile_backups", parse_unsigned, "10", NULL,
	  0, 100000, P(stderr_logfile_backups), false,
	  "rotated copies of stderr_logfile kept (0: none)" },
	{ SECT_PROGRAM, "stderr_syslog", parse_boolean, "false", NULL, 0, 0,
	  P(stderr_syslog), false,
	  "also send stderr lines to syslog, tagged with the process name" },
	RLIMIT_KEY(0, "nofile", "NOFILE (open files)"),
	RLIMIT_KEY(1, "nproc", "NPROC (processes of the user)"),
	RLIMIT_KEY(2, "core", "CORE (core file bytes)"),
	RLIMIT_KEY(3, "as", "AS (address space bytes)"),
	RLIMIT_KEY(4, "cpu", "CPU (CPU seconds)"),
	RLIMIT_KEY(5, "data", "DATA (data segment bytes)"),
	RLIMIT_KEY(6, "fsize", "FSIZE (file size bytes)"),
	RLIMIT_KEY(7, "memlock", "MEMLOCK (locked memory bytes)"),
	RLIMIT_KEY(8, "stack", "STACK (stack bytes)"),
	RLIMIT_KEY(9, "msgqueue", "MSGQUEUE (POSIX message queue bytes)"),
	RLIMIT_KEY(10, "nice", "NICE (nice ceiling, 20 - nice)"),
	RLIMIT_KEY(11, "rtprio", "RTPRIO (real-time priority)"),
	RLIMIT_KEY(12, "sigpending", "SIGPENDING (queued signals)"),
	RLIMIT_KEY(13, "locks", "LOCKS (file locks)"),
	RLIMIT_KEY(14, "rss", "RSS (resident set bytes)"),
	RLIMIT_KEY(15, "rttime", "RTTIME (real-time CPU microseconds)"),
	{ SECT_PROGRAM, "process_name", parse_process_name,
	  "%(program_name)s", NULL, 0, 0, P(name), false,
	  "name of each process, expanded per process; must use "
	  "%(process_num) when numprocs > 1" },
	{ SECT_PROGRAM, "numprocs", parse_unsigned, "1", NULL, 1, 10000,
	  P(numprocs), false,
	  "how many processes of this program run, as group NAME" },
	{ SECT_PROGRAM, "numprocs_start", parse_unsigned, "0", NULL, 0,
	  INT_MAX - 10000, P(numprocs_start), false,
	  "process_num of the first of them" },

	{ SECT_GROUP, "programs", parse_programs, NULL, "required", 0, 0,
	  G(programs), false,
	  "comma-separated NAMEs of the [program:NAME] sections in the group" },
	{ SECT_GROUP, "priority", parse_integer, "999", NULL, INT_MIN, INT_MAX,
	  G(priority), false,
	  "order of the group among groups: lower starts first, stops last" },

	{ SECT_INCLUDE, "files", parse_path, NULL, "required", 0, 0,
	  I(include), false,
	  "space-separated globs of files to read too, relative to this "
	  "file's directory" },
};

#undef T
#undef P
#undef G
#undef I
#undef RLIMIT_KEY

/* The table and its length (for code above it). */
static const struct config_key *
config_table_get(size_t *n)
{
	*n = nitems(config_table);
	return config_table;
}

#define CONFIG_MAX_KEY_NAME	64	/* longer than any name in the table */

/* Index the table's rows by section and name (the names are lowercase). */
static void
config_keys_index(struct config_ctx *c)
{
	size_t	i;

	for (i = 0; i < nitems(config_table); i++)
		(void)config_index_put(&c->keys[config_table[i].sect],
		    config_table[i].name, i);
}

/* The row of a key in a section (any case), or NULL. */
static const struct config_key *
config_key_find(const struct config_ctx *c, enum config_sect sect,
    const char *name)
{
	char	lower[CONFIG_MAX_KEY_NAME];
	size_t	i;

	for (i = 0; name[i] != '\0'; i++) {
		if (i + 1 == sizeof lower)
			return NULL;
		lower[i] = (char)tolower((unsigned char)name[i]);
	}
	lower[i] = '\0';
	i = config_index_get(&c->keys[sect], lower);
	return i != CONFIG_NOPOS ? &config_table[i] : NULL;
}

/* The line a key of the open section was set at, 0 if it was not. */
static unsigned
config_seen(const struct config_ctx *c, enum config_sect sect,
    const char *name)
{
	const struct config_key	*k;

	if ((k = config_key_find(c, sect, name)) == NULL)
		return 0;
	return c->seen[k - config_table];
}

/* Parsers that only store a value: no memory, no context. Their defaults
 * are the same for every process of every [program:], so they are parsed
 * once (config_program_defaults); any other parser, a new one included,
 * is run for each process. */
static bool
config_parser_plain(config_parse_fn f)
{
	return f == parse_boolean || f == parse_unsigned ||
	    f == parse_notification_fd || f == parse_integer ||
	    f == parse_mode || f == parse_umask || f == parse_autorestart ||
	    f == parse_shutdown_on || f == parse_exitcodes ||
	    f == parse_signal || f == parse_size || f == parse_rlimit;
}

/* Run the default of row i through its parser. */
static void
config_default(struct config_ctx *c, size_t i, void *base)
{
	struct buf	why;

	buf_init(&why);
	if (config_table[i].parse(c, &config_table[i], base,
	    config_table[i].deflt, &why) == -1)
		reader_error(c->rd, 0, NULL, config_table[i].name,
		    "internal error: bad default: %s", why.data);
	buf_free(&why);
}

/* Run every default of a section through its parser. */
static void
config_defaults(struct config_ctx *c, enum config_sect sect, void *base)
{
	size_t	i;

	for (i = 0; i < nitems(config_table); i++)
		if (config_table[i].sect == sect)
			config_default(c, i, base);
}

/* A process of a [program:], with the defaults that are the same for all
 * (those of plain parsers, parsed once into c->prog_defaults); the others
 * (process_name's %(program_name)s ...) are set by
 * config_program_other_defaults() once its names are known. With 100 000
 * processes, parsing "50MB" and "TERM" again for each was a fifth of the
 * load. */
static void
config_program_defaults(struct config_ctx *c, struct program *p)
{
	size_t	i;

	if (!c->prog_defaults_set) {
		memset(&c->prog_defaults, 0, sizeof c->prog_defaults);
		c->prog_other = xcalloc(nitems(config_table),
		    sizeof *c->prog_other);
		for (i = 0; i < nitems(config_table); i++) {
			if (config_table[i].sect != SECT_PROGRAM)
				continue;
			if (config_parser_plain(config_table[i].parse))
				config_default(c, i, &c->prog_defaults);
			else
				c->prog_other[c->nprog_other++] = i;
		}
		c->prog_defaults_set = true;
	}
	*p = c->prog_defaults;	/* plain values: nothing to copy deeply */
}

/* The rest of the defaults of a process of a [program:]. */
static void
config_program_other_defaults(struct config_ctx *c, struct program *p)
{
	size_t	i;

	for (i = 0; i < c->nprog_other; i++)
		config_default(c, c->prog_other[i], p);
}

/* ---- reading sections and keys ---- */

/* Keys supervisord knows that tend accepts and ignores, with why. */
static const struct config_ignored {
	enum config_sect	 sect;	/* SECT_TEND: in [supervisord] only */
	const char		*name;
	const char		*why;
} config_ignored[] = {
	{ SECT_TEND, "silent", "tendd -n always logs to stderr" },
	{ SECT_TEND, "nocleanup", "tendd never deletes AUTO log files" },
	{ SECT_TEND, "strip_ansi", "output is logged as the program wrote it" },
	{ SECT_TEND, "identifier", "there is no RPC interface" },
	{ SECT_TEND, "user", "tendd does not change its own user: start it "
	  "as that user" },
	{ SECT_PROGRAM, "serverurl", "there is no RPC interface" },
	{ SECT_PROGRAM, "stdout_capture_maxbytes", "no event capture mode" },
	{ SECT_PROGRAM, "stderr_capture_maxbytes", "no event capture mode" },
	{ SECT_PROGRAM, "stdout_events_enabled", "no event listeners" },
	{ SECT_PROGRAM, "stderr_events_enabled", "no event listeners" },
};

/* The reason a supervisord-only key is ignored here, or NULL. */
static const char *
config_ignored_key(const struct config_ctx *c, enum config_sect sect,
    const char *key)
{
	size_t	i;

	if (sect == SECT_TEND && !c->supervisord)
		return NULL;	/* [tend] has only tend's keys */
	for (i = 0; i < nitems(config_ignored); i++)
		if (config_ignored[i].sect == sect &&
		    strcasecmp(config_ignored[i].name, key) == 0)
			return config_ignored[i].why;
	return NULL;
}

/* "line N" for a line of the file being read, else "FILE:N". */
static void
config_where(const struct config_ctx *c, size_t file, unsigned line,
    char *out, size_t len)
{
	if (file == c->curfile)
		(void)snprintf(out, len, "line %u", line);
	else
		(void)snprintf(out, len, "%s:%u", c->files[file].path, line);
}

/* The table section the keys of the open section belong to. */
static enum config_sect
config_cur_sect(const struct config_ctx *c)
{
	switch (c->cur) {
	case CUR_PROGRAM:
		return SECT_PROGRAM;
	case CUR_GROUP:
		return SECT_GROUP;
	case CUR_INCLUDE:
		return SECT_INCLUDE;
	default:
		return SECT_TEND;
	}
}

/* Set a key of the open section from its (joined) value. */
static void
config_apply(struct config_ctx *c, const char *key, unsigned line,
    char *value)
{
	const struct config_key	*k;
	struct buf		 why;
	const char		*ign;
	char			*v, *e;

	k = config_key_find(c, config_cur_sect(c), key);
	if (k == NULL) {
		ign = config_ignored_key(c, config_cur_sect(c), key);
		if (ign == NULL)
			config_error(c, line, key, "unknown key");
		else if (c->warns != NULL)
			strlist_addf(c->warns, "%s:%u: [%s] %s: ignored (%s)",
			    c->files[c->curfile].path, line, c->sect, key, ign);
		return;
	}
	if (c->seen[k - config_table] != 0) {
		config_error(c, line, key, "duplicate key (first set at "
		    "line %u)", c->seen[k - config_table]);
		return;
	}
	c->seen[k - config_table] = line;
	c->key_line = line;
	/* [tend] wins over [supervisord], whichever comes first */
	if (c->cur == CUR_TEND && c->supervisord &&
	    c->tend_set[k - config_table] != 0)
		return;
	if (c->cur == CUR_TEND && !c->supervisord)
		c->tend_set[k - config_table] = line;

	/* joined continuation lines may leave blanks at either end */
	v = value;
	while (*v == ' ' || *v == '\t' || *v == '\n')
		v++;
	e = v + strlen(v);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
		*--e = '\0';
	if (*v == '\0' && !k->empty_ok) {
		config_error(c, line, key, "empty value");
		return;
	}
	buf_init(&why);
	if (k->parse(c, k, c->base, v, &why) == -1)
		config_error(c, line, key, "%s", why.data);
	buf_free(&why);
}

/* Keep a key line of a [program:] or [group:] for config_build(). */
static void
config_record(struct config_ctx *c, const char *key, unsigned line,
    const char *value)
{
	struct config_raw	*r = &c->raws[c->curraw];

	if ((r->nkeys & (r->nkeys - 1)) == 0)
		r->keys = xreallocarray(r->keys, r->nkeys == 0 ? 1 :
		    r->nkeys * 2, sizeof *r->keys);
	r->keys[r->nkeys].key = xstrdup(key);
	r->keys[r->nkeys].value = xstrdup(value);
	r->keys[r->nkeys].line = line;
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
		config_record(c, c->pend_key.data, c->pend_line,
		    c->pend_val.data);
	else
		config_apply(c, c->pend_key.data, c->pend_line,
		    c->pend_val.data);
}

/* The checks that need the whole [program:] section, then keep it. */
static void
config_close_program(struct config_ctx *c)
{
	struct program	*p = &c->prog;
	unsigned	 line;

	if (config_seen(c, SECT_PROGRAM, "command") == 0)
		config_error(c, c->sect_line, NULL,
		    "missing required key 'command'");
	if (p->stopasgroup) {
		line = config_seen(c, SECT_PROGRAM, "killasgroup");
		if (line != 0 && !p->killasgroup)
			config_error(c, line, "killasgroup", "cannot be false "
			    "when stopasgroup is true");
		p->killasgroup = true;
	}
	line = config_seen(c, SECT_PROGRAM, "group");
	if (line != 0 && p->user == NULL &&
	    config_seen(c, SECT_PROGRAM, "user") == 0)
		config_error(c, line, "group", "needs user= (the group is "
		    "changed only for a program run as another user)");
	line = config_seen(c, SECT_PROGRAM, "sd_notify");
	if (p->sd_notify && p->notification_fd != 0)
		config_error(c, line, "sd_notify", "notification_fd is set "
		    "too: a program says it is ready one way");
	line = config_seen(c, SECT_PROGRAM, "stderr_logfile");
	if (line != 0 && p->redirect_stderr && c->warns != NULL)
		strlist_addf(c->warns, "%s:%u: [%s] stderr_logfile: ignored "
		    "because redirect_stderr is true",
		    c->files[c->curfile].path, line, c->sect);

	if (c->nprogs == c->progcap) {
		c->progcap = c->progcap == 0 ? 16 : c->progcap * 2;
		c->progs = xreallocarray(c->progs, c->progcap, sizeof *c->progs);
	}
	c->progs[c->nprogs++] = *p;
	memset(p, 0, sizeof *p);
}

/* Finish the open section. */
static void
config_close(struct config_ctx *c)
{
	config_flush(c);
	if (c->cur == CUR_INCLUDE) {
		c->files[c->curfile].include_line =
		    config_seen(c, SECT_INCLUDE, "files");
		if (c->files[c->curfile].include_line == 0)
			config_error(c, c->sect_line, NULL,
			    "missing required key 'files'");
	}
	c->cur = CUR_NONE;
	c->supervisord = false;
	free(c->sect);
	c->sect = NULL;
}

/* true for a valid program name: see the message in config_section(). */
static bool
config_valid_name(const char *s)
{
	size_t	i, n = strlen(s);
	char	ch;

	if (n == 0 || n > CONFIG_MAX_PROGRAM_NAME)
		return false;
	for (i = 0; i < n; i++) {
		ch = s[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '_')
			continue;
		if (i > 0 && (ch == '.' || ch == '-'))
			continue;
		return false;
	}
	return true;
}

/* Sections of supervisord.conf that only supervisord or supervisorctl
 * read: accepted with one warning each. */
static const char *const config_sup_sections[] = {
	"unix_http_server", "inet_http_server", "supervisorctl",
	"rpcinterface:", "ctlplugin:",
};
/* supervisord sections tend cannot run: a warning, the rest runs. */
static const char *const config_unsupported[] = {
	"eventlistener:", "fcgi-program:",
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

/* Open [tend] or [supervisord] (read as [tend]). */
static void
config_section_tend(struct config_ctx *c, const char *name, unsigned line)
{
	bool		 sup = strcmp(name, "supervisord") == 0;
	bool		*seen = sup ? &c->sup_seen : &c->tend_seen;
	unsigned	*sline = sup ? &c->sup_line : &c->tend_line;
	size_t		*sfile = sup ? &c->sup_file : &c->tend_file;
	char		 where[PATH_MAX + 32];

	if (*seen) {
		config_where(c, *sfile, *sline, where, sizeof where);
		config_error(c, line, NULL, "duplicate section (first defined "
		    "at %s)", where);
		return;
	}
	*seen = true;
	*sline = line;
	*sfile = c->curfile;
	c->cur = CUR_TEND;
	c->supervisord = sup;
	c->base = c->cfg;
	c->vars[0] = (struct cmdline_var){ "here", c->files[c->curfile].here };
	c->vars[1] = (struct cmdline_var){ "host_node_name", c->nodename };
	c->nvars = 2;
}

/* Open a [program:NAME] or [group:NAME]: its keys are kept for later. */
static void
config_section_raw(struct config_ctx *c, const char *name, unsigned line,
    bool group)
{
	const char		*what = group ? "group" : "program";
	const char		*pname = strchr(name, ':') + 1;
	struct config_raw	*r;

	if (!config_valid_name(pname)) {
		config_error(c, line, NULL, "invalid %s name '%s' (1 to "
		    "%d of A-Z a-z 0-9 _ . -, not starting with . or -)",
		    what, pname, CONFIG_MAX_PROGRAM_NAME);
		return;
	}
	if (strcmp(pname, "all") == 0) {
		config_error(c, line, NULL, "%s name 'all' is reserved "
		    "(tendctl uses it for every program)", what);
		return;
	}
	if ((c->nraws & (c->nraws - 1)) == 0)
		c->raws = xreallocarray(c->raws, c->nraws == 0 ? 1 :
		    c->nraws * 2, sizeof *c->raws);
	r = &c->raws[c->nraws];
	memset(r, 0, sizeof *r);
	r->group = group;
	r->name = xstrdup(pname);
	r->sect = xstrdup(name);
	r->file = c->curfile;
	r->line = line;
	c->curraw = c->nraws++;
	c->cur = group ? CUR_GROUP : CUR_PROGRAM;
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
	config_table_get(&n);
	memset(c->seen, 0, n * sizeof *c->seen);
	c->cur = CUR_IGNORE;

	if (strcmp(name, "tend") == 0 || strcmp(name, "supervisord") == 0) {
		config_section_tend(c, name, line);
		return;
	}
	if (strcmp(name, "include") == 0) {
		if (c->include_seen) {
			config_error(c, line, NULL, "duplicate section (first "
			    "defined at line %u)", c->include_sect_line);
			return;
		}
		c->include_seen = true;
		c->include_sect_line = line;
		c->cur = CUR_INCLUDE;
		c->base = f;
		c->vars[0] = (struct cmdline_var){ "here", f->here };
		c->vars[1] = (struct cmdline_var){ "host_node_name",
		    c->nodename };
		c->nvars = 2;
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
	config_error(c, line, NULL, "unknown section type (expected [tend], "
	    "[program:NAME], [group:NAME] or [include])");
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

/* The index of the file called path (every file is read once). */
static size_t
config_file_index(const struct config_ctx *c, const char *path)
{
	size_t	i = config_index_get(&c->file_paths, path);

	return i != CONFIG_NOPOS ? i : 0;
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
	config_table_get(&n);
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
	size_t				 i;
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
		v = xstrdup(r->keys[i].value);
		config_apply(c, r->keys[i].key, r->keys[i].line, v);
		free(v);
	}
	if ((line = config_seen(c, SECT_GROUP, "programs")) == 0)
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
					    "left out", c->files[r->file].path,
					    line, r->sect, fcgi);
			} else
				config_error(c, line, "programs", "no "
				    "[program:%s] section", pname);
			free(fcgi);
			continue;
		}
		if (pr->in_group != NULL) {
			config_error(c, line, "programs", "program '%s' is "
			    "already in [group:%s]", pname, pr->in_group);
			continue;
		}
		pr->in_group = xstrdup(r->name);
	}
	config_group_add(c, r->name, gk.priority, r);
	strlist_free(&gk.programs);
	c->cur = CUR_NONE;
}

/* The processes of a [program:NAME]: numprocs of them, each parsed with
 * its own %(process_num)d. Errors and warnings are those of the first
 * that has any: they would repeat for every process. */
static void
config_build_program(struct config_ctx *c, struct config_raw *r)
{
	const struct config_rawkey	*np = NULL, *nps = NULL, *pn = NULL;
	struct strlist			*warns = c->warns;
	struct program			*p = &c->prog;
	const char			*gname, *err;
	unsigned long long		 n;
	unsigned			 numprocs = 1, start = 0, i;
	char				 num[24], count[24], *v;
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
	}
	/* process_num comes from these two (a bad value is reported by
	 * config_apply below) */
	if (np != NULL && parse_uint(np->value, 10000, &n, &err) == 0 &&
	    n > 0)
		numprocs = (unsigned)n;
	if (nps != NULL && parse_uint(nps->value, INT_MAX - 10000, &n,
	    &err) == 0)
		start = (unsigned)n;
	if (numprocs > 1 && pn == NULL) {
		config_error(c, np->line, "numprocs", "numprocs > 1 needs a "
		    "process_name with %%(process_num), such as "
		    "%%(program_name)s_%%(process_num)02d");
		return;
	}
	if (numprocs > 1 && strstr(pn->value, "%(process_num)") == NULL) {
		config_error(c, pn->line, "process_name", "must contain "
		    "%%(process_num) when numprocs > 1 (else the names "
		    "repeat)");
		return;
	}
	config_table_get(&nkeys);
	nerr = reader_nerrors(c->rd);
	for (i = 0; i < numprocs; i++) {
		(void)snprintf(num, sizeof num, "%u", start + i);
		(void)snprintf(count, sizeof count, "%u", numprocs);
		memset(c->seen, 0, nkeys * sizeof *c->seen);
		config_program_defaults(c, p);
		p->file = xstrdup(c->files[r->file].path);
		p->line = r->line;
		p->program_name = xstrdup(r->name);
		p->group_name = xstrdup(gname);
		p->process_num = start + i;
		c->cur = CUR_PROGRAM;
		c->base = p;
		c->vars[0] = (struct cmdline_var){ "program_name", r->name };
		c->vars[1] = (struct cmdline_var){ "process_num", num };
		c->vars[2] = (struct cmdline_var){ "group_name", gname };
		c->vars[3] = (struct cmdline_var){ "host_node_name",
		    c->nodename };
		c->vars[4] = (struct cmdline_var){ "here",
		    c->files[r->file].here };
		c->vars[5] = (struct cmdline_var){ "numprocs", count };
		c->nvars = 6;
		config_program_other_defaults(c, p);
		for (k = 0; k < r->nkeys; k++) {
			v = xstrdup(r->keys[k].value);
			config_apply(c, r->keys[k].key, r->keys[k].line, v);
			free(v);
		}
		priority = p->priority;
		config_close_program(c);
		c->warns = NULL;
		if (reader_nerrors(c->rd) > nerr)
			break;
	}
	c->warns = warns;
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

	reader_error(c->files[config_file_index(c, p->file)].rd,
	    p->depends_line, sect, "depends_on", "%s", msg);
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

/* Every file is read: make the processes and groups of the sections. */
static void
config_build(struct config_ctx *c)
{
	struct config_raw	*r;
	char			 where[PATH_MAX + 32];
	size_t			 i, j;

	/* a section given twice: the first one counts */
	for (i = 0; i < c->nraws; i++) {
		r = &c->raws[i];
		j = config_index_put(r->group ? &c->raw_groups : &c->raw_progs,
		    r->name, i);
		if (j == CONFIG_NOPOS)
			continue;
		config_enter(c, r);
		config_where(c, c->raws[j].file, c->raws[j].line, where,
		    sizeof where);
		config_error(c, r->line, NULL, "duplicate %s '%s' (first "
		    "defined at %s)", r->group ? "group" : "program", r->name,
		    where);
		r->dropped = true;
	}
	for (i = 0; i < c->nraws; i++)
		if (c->raws[i].group && !c->raws[i].dropped)
			config_build_group(c, &c->raws[i]);
	for (i = 0; i < c->nraws; i++)
		if (!c->raws[i].group && !c->raws[i].dropped)
			config_build_program(c, &c->raws[i]);
	config_programs(c);
	config_check_depends(c);
}

/* tendctl edit: one file's text, read from memory instead of disk. */
static struct {
	char		*path;		/* realpath of the file it replaces */
	const char	*text;
	size_t		 len;
} config_override;

/* See config.h. */
void
config_set_override(const char *path, const char *text, size_t len)
{
	free(config_override.path);
	config_override.path = NULL;
	if (path == NULL)
		return;
	if ((config_override.path = realpath(path, NULL)) == NULL)
		config_override.path = xstrdup(path);
	config_override.text = text;
	config_override.len = len;
}

/* Is path the overridden file? */
static bool
config_is_override(const char *path)
{
	char	*real;
	bool	 same;

	if (config_override.path == NULL)
		return false;
	if ((real = realpath(path, NULL)) == NULL)
		return strcmp(path, config_override.path) == 0;
	same = strcmp(real, config_override.path) == 0;
	free(real);
	return same;
}

/* Read the whole file at path, at most max bytes, into b; -1 with the
 * reason in why, and *missing (if not NULL) set when it does not exist. */
static int
config_slurp(const char *path, size_t max, struct buf *b, struct buf *why,
    bool *missing)
{
	char		chunk[65536];
	struct stat	st;
	ssize_t		n;
	int		fd;

	if (config_is_override(path)) {
		buf_add(b, config_override.text, config_override.len);
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		if (missing != NULL)
			*missing = errno == ENOENT;
		buf_printf(why, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* Like sshd's StrictModes: a root tendd runs what its files say, so
	 * only root may be able to change them. */
	if (fstat(fd, &st) == -1) {
		buf_printf(why, "cannot stat: %s", strerror(errno));
		(void)close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) ||
	    (geteuid() == 0 && (st.st_uid != 0 || (st.st_mode & 022) != 0))) {
		if (S_ISDIR(st.st_mode))
			buf_printf(why, "cannot read: %s", strerror(EISDIR));
		else if (!S_ISREG(st.st_mode))
			buf_printf(why, "not a regular file");
		else if (st.st_uid != 0)
			buf_printf(why, "refused: owned by uid %lu, not root, "
			    "and tendd runs as root", (unsigned long)st.st_uid);
		else
			buf_printf(why, "refused: writable by %s (mode %04o) "
			    "and tendd runs as root", (st.st_mode & 002) ?
			    "others" : "its group",
			    (unsigned)(st.st_mode & 07777));
		(void)close(fd);
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			buf_printf(why, "cannot read: %s", strerror(errno));
			(void)close(fd);
			return -1;
		}
		if (n == 0)
			break;
		buf_add(b, chunk, (size_t)n);
		if (b->len > max) {
			buf_printf(why, "file too large (more than %zu bytes)",
			    max);
			(void)close(fd);
			return -1;
		}
	}
	/* read-only: a close error loses nothing */
	(void)close(fd);
	return 0;
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
	if (config_slurp(path, READER_MAX_FILE, &text, &why, NULL) == -1) {
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

/* Parse text (len bytes) named name and what it includes; see
 * config_load(). */
static struct config *
config_parse(const char *name, const char *text, size_t len,
    struct strlist *errs, struct strlist *warns)
{
	struct config_ctx	 c;
	struct config		*cfg;
	struct utsname		 u;
	size_t			 i, j, nkeys, nerr = 0;

	cfg = xcalloc(1, sizeof *cfg);
	cfg->file = xstrdup(name);
	cfg->here = config_here(name);

	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.warns = warns;
	c.nodename = xstrdup(uname(&u) == 0 ? u.nodename : "localhost");
	config_table_get(&nkeys);
	c.seen = xcalloc(nkeys, sizeof *c.seen);
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
	if (nerr > 0) {
		for (i = 0; i < c.nfiles; i++)
			reader_take_errors(c.files[i].rd, errs);
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
	for (i = 0; i < c.nraws; i++) {
		for (j = 0; j < c.raws[i].nkeys; j++) {
			free(c.raws[i].keys[j].key);
			free(c.raws[i].keys[j].value);
		}
		free(c.raws[i].keys);
		free(c.raws[i].name);
		free(c.raws[i].sect);
		free(c.raws[i].in_group);
	}
	free(c.raws);
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
	free(c.seen);
	free(c.tend_set);
	free(c.nodename);
	return cfg;
}

/* Read and validate the file at path; see config.h. */
struct config *
config_load(const char *path, struct strlist *errs, struct strlist *warns)
{
	struct config	*cfg = NULL;
	struct buf	 b, why;

	buf_init(&b);
	buf_init(&why);
	if (config_slurp(path, READER_MAX_FILE, &b, &why, NULL) == -1) {
		if (errs != NULL)
			strlist_addf(errs, "%s: %s", path, why.data);
	} else
		cfg = config_parse(path, b.data, b.len, errs, warns);
	buf_free(&b);
	buf_free(&why);
	return cfg;
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
	return config_parse(name, text, len, errs, warns);
}

/* Free one program's contents. */
static void
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

/* Two strings that may be NULL are equal. */
static bool
config_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* qsort order of environment entries by key. */
static int
config_envcmp(const void *a, const void *b)
{
	const struct envvar	*x = *(const struct envvar *const *)a;
	const struct envvar	*y = *(const struct envvar *const *)b;

	return strcmp(x->key, y->key);
}

/* Entries of l sorted by key (an array of pointers for the caller to free). */
static const struct envvar **
config_envsort(const struct envlist *l)
{
	const struct envvar	**v;
	size_t			  i;

	v = xcalloc(l->n, sizeof *v);
	for (i = 0; i < l->n; i++)
		v[i] = &l->v[i];
	if (l->n > 1)
		qsort(v, l->n, sizeof *v, config_envcmp);
	return v;
}

/* Two environment lists set the same variables to the same values. */
static bool
config_envequal(const struct envlist *a, const struct envlist *b)
{
	const struct envvar	**x, **y;
	size_t			  i;
	bool			  eq = true;

	if (a->n != b->n)
		return false;
	if (a->n == 0)
		return true;
	x = config_envsort(a);
	y = config_envsort(b);
	for (i = 0; i < a->n && eq; i++)
		eq = strcmp(x[i]->key, y[i]->key) == 0 &&
		    strcmp(x[i]->value, y[i]->value) == 0;
	free(x);
	free(y);
	return eq;
}

/* See config.h. */
bool
program_says_ready(const struct program *p)
{
	return p->notification_fd != 0 || p->sd_notify;
}

/* Two string lists hold the same strings in the same order. */
static bool
config_strlist_equal(const struct strlist *a, const struct strlist *b)
{
	size_t	i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
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

/* Whether a and b would run the same thing the same way; where they were
 * written (file, line) does not count, nor which files environment_file=
 * names: what they set does. */
bool
program_equal(const struct program *a, const struct program *b)
{
	size_t	i;

	if (!config_streq(a->name, b->name) ||
	    !config_streq(a->command, b->command) ||
	    !config_streq(a->directory, b->directory) ||
	    a->umask != b->umask ||
	    !config_streq(a->user, b->user) ||
	    a->uid != b->uid || a->gid != b->gid ||
	    !config_streq(a->group, b->group) ||
	    !config_envequal(&a->file_env, &b->file_env) ||
	    !config_envequal(&a->env, &b->env) ||
	    a->autostart != b->autostart ||
	    a->autorestart != b->autorestart ||
	    a->shutdown_on != b->shutdown_on ||
	    a->notification_fd != b->notification_fd ||
	    a->sd_notify != b->sd_notify ||
	    !config_strlist_equal(&a->depends_on, &b->depends_on) ||
	    a->startsecs != b->startsecs ||
	    a->startretries != b->startretries ||
	    memcmp(a->exitcodes, b->exitcodes, sizeof a->exitcodes) != 0 ||
	    a->stopsignal != b->stopsignal ||
	    a->stopwaitsecs != b->stopwaitsecs ||
	    a->stopasgroup != b->stopasgroup ||
	    a->killasgroup != b->killasgroup ||
	    a->priority != b->priority ||
	    !config_streq(a->stdout_logfile, b->stdout_logfile) ||
	    !config_streq(a->stderr_logfile, b->stderr_logfile) ||
	    a->redirect_stderr != b->redirect_stderr ||
	    a->stdout_logfile_maxbytes != b->stdout_logfile_maxbytes ||
	    a->stderr_logfile_maxbytes != b->stderr_logfile_maxbytes ||
	    a->stdout_logfile_backups != b->stdout_logfile_backups ||
	    a->stderr_logfile_backups != b->stderr_logfile_backups ||
	    a->stdout_syslog != b->stdout_syslog ||
	    a->stderr_syslog != b->stderr_syslog ||
	    a->auto_log_group != b->auto_log_group)
		return false;
	if ((a->argv == NULL) != (b->argv == NULL))
		return false;
	for (i = 0; a->argv != NULL; i++) {
		if (!config_streq(a->argv[i], b->argv[i]))
			return false;
		if (a->argv[i] == NULL)
			break;
	}
	for (i = 0; i < CONFIG_NRLIMITS; i++) {
		if (a->rlimits[i].set != b->rlimits[i].set)
			return false;
		if (a->rlimits[i].set && (a->rlimits[i].soft !=
		    b->rlimits[i].soft || a->rlimits[i].hard !=
		    b->rlimits[i].hard))
			return false;
	}
	return true;
}

static const char *const config_sect_names[] = {
	[SECT_TEND] = "tend",
	[SECT_PROGRAM] = "program",
	[SECT_GROUP] = "group",
	[SECT_INCLUDE] = "include",
};

/* The documented keys, built once from config_table. */
const struct config_key_doc *
config_keys(size_t *n)
{
	static struct config_key_doc	docs[nitems(config_table)];
	static bool			built;
	size_t				i;

	if (!built) {
		for (i = 0; i < nitems(config_table); i++) {
			docs[i].section = config_sect_names[config_table[i].sect];
			docs[i].name = config_table[i].name;
			docs[i].deflt = config_table[i].deflt != NULL ?
			    config_table[i].deflt : config_table[i].shown;
			docs[i].doc = config_table[i].doc;
		}
		built = true;
	}
	*n = nitems(config_table);
	return docs;
}

/* ---- environment lists ---- */

enum envlist_err {
	ENV_MISSING_NAME,
	ENV_EXPECTED,
	ENV_BAD_NAME,
	ENV_NO_EQUALS,
	ENV_UNTERMINATED,
	ENV_AFTER_QUOTE,
	ENV_EQUALS_IN_VALUE,
	ENV_QUOTE_IN_VALUE,
	ENV_SEPARATOR,
	ENV_DUPLICATE,
};

static const char *const envlist_reasons[] = {
	[ENV_MISSING_NAME] = "missing variable name before '='",
	[ENV_EXPECTED] = "expected NAME=value",
	[ENV_BAD_NAME] = "invalid variable name",
	[ENV_NO_EQUALS] = "expected '=' after variable name",
	[ENV_UNTERMINATED] = "unterminated quote",
	[ENV_AFTER_QUOTE] = "expected ',' after quoted value",
	[ENV_EQUALS_IN_VALUE] = ("unquoted value contains '=' (quote the "
	    "value, or separate variables with ',')"),
	[ENV_QUOTE_IN_VALUE] = "quote inside unquoted value",
	[ENV_SEPARATOR] = "expected ',' between variables",
	[ENV_DUPLICATE] = "duplicate variable",
};

/* Blanks between the parts of an environment list (newlines come from
 * continuation lines). */
static bool
envlist_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* [A-Za-z_][A-Za-z0-9_]* */
static bool
envlist_valid_name(const char *s, size_t n)
{
	size_t	i;
	char	ch;

	for (i = 0; i < n; i++) {
		ch = s[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    ch == '_' || (i > 0 && ch >= '0' && ch <= '9'))
			continue;
		return false;
	}
	return n > 0;
}

/* Append key=value to l without looking for the key. The array holds
 * the smallest power of two >= n entries (there is no capacity field, so
 * that { NULL, 0 } stays a complete initializer): it grows when n is 0 or
 * a power of two, and lists grow only through here. */
static void
envlist_append(struct envlist *l, const char *key, size_t keylen,
    const char *value, size_t valuelen)
{
	if ((l->n & (l->n - 1)) == 0)
		l->v = xreallocarray(l->v, l->n == 0 ? 1 : l->n * 2,
		    sizeof *l->v);
	l->v[l->n].key = xstrndup(key, keylen);
	l->v[l->n].value = xstrndup(value, valuelen);
	l->n++;
}

/* The strict parser behind envlist_parse(): NAME=value, NAME="value" or
 * NAME='value' (quotes hold anything but themselves; no escapes), joined
 * by commas, blanks allowed around every part, a trailing comma allowed.
 * On failure *err is the reason and *at, *atlen the name it is about (or
 * NULL); l is left empty. */
static int
envlist_scan(const char *s, struct envlist *l, const char **err,
    const char **at, size_t *atlen)
{
	const struct envvar	**sorted;
	const char		 *p = s, *key, *val, *q;
	size_t			  keylen, vallen, i;
	enum envlist_err	  code;

	*at = NULL;
	*atlen = 0;
	l->v = NULL;
	l->n = 0;
	while (envlist_blank(*p))
		p++;
	while (*p != '\0') {
		key = p;
		while (*p != '\0' && !envlist_blank(*p) && *p != '=' &&
		    *p != ',' && *p != '"' && *p != '\'')
			p++;
		keylen = (size_t)(p - key);
		if (keylen == 0) {
			code = *p == '=' ? ENV_MISSING_NAME : ENV_EXPECTED;
			goto fail;
		}
		if (!envlist_valid_name(key, keylen)) {
			*at = key;
			*atlen = keylen;
			code = ENV_BAD_NAME;
			goto fail;
		}
		while (envlist_blank(*p))
			p++;
		if (*p != '=') {
			*at = key;
			*atlen = keylen;
			code = ENV_NO_EQUALS;
			goto fail;
		}
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"' || *p == '\'') {
			if ((q = strchr(p + 1, *p)) == NULL) {
				code = ENV_UNTERMINATED;
				goto fail;
			}
			val = p + 1;
			vallen = (size_t)(q - val);
			p = q + 1;
			if (*p != '\0' && *p != ',' && !envlist_blank(*p)) {
				code = ENV_AFTER_QUOTE;
				goto fail;
			}
		} else {
			val = p;
			while (*p != '\0' && !envlist_blank(*p) && *p != ',' &&
			    *p != '=' && *p != '"' && *p != '\'')
				p++;
			vallen = (size_t)(p - val);
			if (*p == '=') {
				code = ENV_EQUALS_IN_VALUE;
				goto fail;
			}
			if (*p == '"' || *p == '\'') {
				code = ENV_QUOTE_IN_VALUE;
				goto fail;
			}
		}
		envlist_append(l, key, keylen, val, vallen);
		while (envlist_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (*p != ',') {
			code = ENV_SEPARATOR;
			goto fail;
		}
		p++;
		while (envlist_blank(*p))
			p++;
	}

	/* duplicates, by sorting: a list may hold many thousands */
	if (l->n > 1) {
		sorted = config_envsort(l);
		for (i = 1; i < l->n; i++) {
			if (strcmp(sorted[i - 1]->key, sorted[i]->key) == 0)
				break;
		}
		if (i < l->n) {
			/* point at the name in s, which outlives l */
			key = strstr(s, sorted[i]->key);
			*at = key != NULL ? key : sorted[i]->key;
			*atlen = strlen(sorted[i]->key);
			free(sorted);
			code = ENV_DUPLICATE;
			goto fail;
		}
		free(sorted);
	}
	return 0;

fail:
	*err = envlist_reasons[code];
	envlist_free(l);
	return -1;
}

/* Parse s into *env; see config.h. On success the old contents of *env
 * are freed; on failure *env is untouched and *err is a static reason. */
int
envlist_parse(const char *s, struct envlist *env, const char **err)
{
	struct envlist	 l;
	const char	*at;
	size_t		 atlen;

	if (envlist_scan(s, &l, err, &at, &atlen) == -1)
		return -1;
	envlist_free(env);
	*env = l;
	return 0;
}

/* Set key to value: replaced in place if present, else appended. */
void
envlist_set(struct envlist *env, const char *key, const char *value)
{
	size_t	i;

	for (i = 0; i < env->n; i++) {
		if (strcmp(env->v[i].key, key) == 0) {
			free(env->v[i].value);
			env->v[i].value = xstrdup(value);
			return;
		}
	}
	envlist_append(env, key, strlen(key), value, strlen(value));
}

/* Free every entry; the list is left empty. */
void
envlist_free(struct envlist *env)
{
	size_t	i;

	for (i = 0; i < env->n; i++) {
		free(env->v[i].key);
		free(env->v[i].value);
	}
	free(env->v);
	env->v = NULL;
	env->n = 0;
}

/* ---- environment files ---- */

/* qsort order of entries by key, then by place (so the last of a key that
 * appears twice is found last). */
static int
envlist_placecmp(const void *a, const void *b)
{
	const struct envvar	*x = *(const struct envvar *const *)a;
	const struct envvar	*y = *(const struct envvar *const *)b;
	int			 d;

	if ((d = strcmp(x->key, y->key)) != 0)
		return d;
	return x < y ? -1 : x > y;
}

/* Make the keys of l unique: a key keeps its first place and its last
 * value. By sorting, as a file may hold many thousands of lines. */
static void
envlist_dedup(struct envlist *l)
{
	struct envvar	**v, *first;
	size_t		  i, j, n = 0;

	if (l->n < 2)
		return;
	v = xcalloc(l->n, sizeof *v);
	for (i = 0; i < l->n; i++)
		v[i] = &l->v[i];
	qsort(v, l->n, sizeof *v, envlist_placecmp);
	for (i = 0; i < l->n; i = j) {
		first = v[i];
		for (j = i + 1; j < l->n && strcmp(v[j]->key,
		    first->key) == 0; j++) {
			free(first->value);
			first->value = v[j]->value;
			free(v[j]->key);
			v[j]->key = v[j]->value = NULL;
		}
	}
	free(v);
	for (i = 0; i < l->n; i++)
		if (l->v[i].key != NULL)
			l->v[n++] = l->v[i];
	/* the array keeps its size, still a power of two >= n as
	 * envlist_append() expects */
	l->n = n;
}

/* A value as written after '=' (n bytes, blanks trimmed) into out: one
 * quoted string loses its quotes, and inside double quotes \" and \\ are
 * unescaped; anything else is taken as it is. */
static void
envlist_file_value(const char *v, size_t n, struct buf *out)
{
	size_t	i;

	if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'' &&
	    memchr(v + 1, '\'', n - 2) == NULL) {
		buf_add(out, v + 1, n - 2);
		return;
	}
	if (n >= 2 && v[0] == '"') {
		for (i = 1; i < n && v[i] != '"'; i++)
			if (v[i] == '\\' && i + 1 < n &&
			    (v[i + 1] == '"' || v[i + 1] == '\\'))
				i++;
		if (i == n - 1) {
			for (i = 1; i < n - 1; i++) {
				if (v[i] == '\\' && (v[i + 1] == '"' ||
				    v[i + 1] == '\\'))
					i++;
				buf_addc(out, v[i]);
			}
			return;
		}
	}
	buf_add(out, v, n);
}

/* One line of an environment file (n bytes, no line end) into l: a blank
 * line, a comment (# or ;), or [export ]KEY=VALUE. -1 and why. */
static int
envlist_file_line(const char *s, size_t n, struct envlist *l,
    struct buf *why)
{
	const char	*e = s + n, *eq, *k, *v;
	struct buf	 val;
	char		*name;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s == e || *s == '#' || *s == ';')
		return 0;
	if (e - s > 7 && memcmp(s, "export", 6) == 0 &&
	    (s[6] == ' ' || s[6] == '\t'))
		for (s += 7; s < e && (*s == ' ' || *s == '\t'); s++)
			;
	if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL || eq == s) {
		buf_addstr(why, "expected KEY=VALUE");
		return -1;
	}
	for (k = eq; k > s && (k[-1] == ' ' || k[-1] == '\t'); k--)
		;
	if (!envlist_valid_name(s, (size_t)(k - s))) {
		name = xstrndup(s, (size_t)(k - s));
		buf_addstr(why, "invalid variable name ");
		config_quote(why, name, '\'');
		free(name);
		return -1;
	}
	for (v = eq + 1; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	buf_init(&val);
	envlist_file_value(v, (size_t)(e - v), &val);
	envlist_append(l, s, (size_t)(k - s), val.data, val.len);
	buf_free(&val);
	return 0;
}

/* See config.h. Lines end with "\n" or "\r\n"; a NUL byte is refused, as
 * in the configuration itself. */
int
envlist_parse_file(const char *text, size_t len, struct envlist *env,
    unsigned *line, struct buf *why)
{
	struct envlist	 l = { NULL, 0 };
	const char	*p = text, *end = text + len, *nl, *nul;
	size_t		 n;

	for (*line = 1; p < end; (*line)++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if ((nul = memchr(p, '\0', n)) != NULL) {
			buf_printf(why, "NUL byte in line (column %zu)",
			    (size_t)(nul - p) + 1);
			envlist_free(&l);
			return -1;
		}
		if (envlist_file_line(p, n, &l, why) == -1) {
			envlist_free(&l);
			return -1;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	envlist_dedup(&l);
	envlist_free(env);
	*env = l;
	return 0;
}

/* bsearch order: a key against a sorted entry pointer. */
static int
envlist_keycmp(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct envvar *const *)elem)->key);
}

/* See config.h. Two passes: the values of keys dst has are replaced while
 * the sorted pointers into dst->v are valid, then the new keys go at the
 * end (which may move dst->v). */
void
envlist_merge(struct envlist *dst, const struct envlist *src)
{
	struct envvar	**sorted, **hit;
	bool		 *found;
	size_t		  i;

	if (src->n == 0)
		return;
	sorted = xcalloc(dst->n, sizeof *sorted);
	for (i = 0; i < dst->n; i++)
		sorted[i] = &dst->v[i];
	if (dst->n > 1)
		qsort(sorted, dst->n, sizeof *sorted, config_envcmp);
	found = xcalloc(src->n, sizeof *found);
	for (i = 0; i < src->n && dst->n > 0; i++) {
		hit = bsearch(src->v[i].key, sorted, dst->n, sizeof *sorted,
		    envlist_keycmp);
		if (hit == NULL)
			continue;
		found[i] = true;
		free((*hit)->value);
		(*hit)->value = xstrdup(src->v[i].value);
	}
	free(sorted);
	for (i = 0; i < src->n; i++)
		if (!found[i])
			envlist_append(dst, src->v[i].key,
			    strlen(src->v[i].key), src->v[i].value,
			    strlen(src->v[i].value));
	free(found);
}
