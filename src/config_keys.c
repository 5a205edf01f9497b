/* config_keys.c: the key table and the value parsers it names.
 *
 * One table, config_table[], names every key with its section, parser,
 * default, bounds, destination and one line of documentation. Defaults
 * are applied by running the default text through the key's parser, so a
 * default can never be something the parser would refuse; config_keys()
 * hands the same rows to the tests (check_config.c, check_manpages.c:
 * every key has its entry in tend.ini(5) and conf/tend.ini).
 *
 * A parser turns one value into its field of a struct config, a struct
 * program or a [group:]'s keys, or says why not; it never reports, and
 * reads no file itself (environment_file= asks config_file.c).
 * config_apply() sets a key of the open section: it finds the key's row
 * (keys are matched without regard to case: configparser lowercases them),
 * refuses a key set twice, and reports what the parser says. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmdline.h"
#include "event.h"
#include "log.h"
#include "outlog.h"

#ifndef TEND_RUNSTATEDIR
#define TEND_RUNSTATEDIR	"/run"
#endif
#ifndef TEND_LOGDIR
#define TEND_LOGDIR		"/var/log/tend"
#endif

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

/* The field a row points at. */
static void *
config_field(void *base, const struct config_key *k)
{
	return (char *)base + k->off;
}

/* ---- value parsers (one per kind of key) ---- */

/* A path or name (expanded already); must not be "". */
static int
parse_path(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	char	**f = config_field(base, k);
	char	 *s = NULL;

	(void)c;
	if (v != NULL) {
		if (*v == '\0') {
			buf_addstr(why, "empty path");
			return -1;
		}
		s = xstrdup(v);
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
		envlist_quote(why, v, '"');
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
	envlist_quote(why, v, '"');
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
		envlist_quote(why, v, '"');
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
		envlist_quote(why, v, '"');
		buf_addstr(why, " is not a log level (expected critical, "
		    "error, warn, info, debug or trace)");
		return -1;
	}
	*f = level;
	return 0;
}

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
		if ((s = config_expand(c, l.v[i].value, false, &xwhy)) ==
		    NULL) {
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

/* An environment_file= path (expanded already) made absolute: a relative
 * one is taken from %(here)s, since the file is read at every load and
 * tendd's own directory is not the same before and after it daemonizes.
 * NULL and why. */
static char *
config_envfile_path(struct config_ctx *c, const char *item, struct buf *why)
{
	const char	*here = config_var(c, "here");
	char		*s, *full;

	s = xstrdup(item);
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
			envlist_quote(why, v, '"');
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
		envlist_quote(why, v, '"');
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

/* depends_on: [program:] names, separated by commas or blanks; kept sorted
 * and without repeats. That they exist and form no cycle is checked once
 * every program is read (config_check_depends). */
static int
parse_depends_on(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	struct strlist	*f = config_field(base, k);
	struct strlist	 l = { NULL, 0 };
	const char	*p, *e, *bad;
	char		*name;
	size_t		 i, n = 0;

	((struct program *)base)->depends_line = c->key_line;
	((struct program *)base)->depends_file = c->curfile;
	for (p = v != NULL ? v : ""; *p != '\0'; p = e) {
		p += strspn(p, ", \t\n");
		if (*p == '\0')
			break;
		e = p + strcspn(p, ", \t\n");
		name = xstrndup(p, (size_t)(e - p));
		if (!config_name_check(name, &bad)) {
			envlist_quote(why, name, '\'');
			buf_printf(why, " is not a program name: %s", bad);
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
		envlist_quote(why, v, '"');
		buf_addstr(why, " is not one of never, fatal, exit");
		return -1;
	}
	return 0;
}

/* restart_limit: COUNT/SECONDS ("10/60", "10/60s"), or off (also "0"). */
static int
parse_restart_limit(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	struct restart_limit	*f = config_field(base, k);
	char			*end;
	unsigned long		 n, s;

	(void)c;
	if (v == NULL || strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0) {
		f->count = f->secs = 0;
		return 0;
	}
	errno = 0;
	n = isdigit((unsigned char)v[0]) ? strtoul(v, &end, 10) : 0;
	if (n == 0 || errno != 0 || *end != '/' ||
	    !isdigit((unsigned char)end[1]))
		goto bad;
	s = strtoul(end + 1, &end, 10);
	if (errno != 0 || (*end != '\0' && strcmp(end, "s") != 0))
		goto bad;
	if (n > (unsigned long)k->max || s == 0 || s > 86400UL * 365) {
		envlist_quote(why, v, '"');
		buf_printf(why, " is out of range: COUNT from 1 to %lld, "
		    "SECONDS from 1 to 31536000", k->max);
		return -1;
	}
	f->count = (unsigned)n;
	f->secs = (unsigned)s;
	return 0;
bad:
	envlist_quote(why, v, '"');
	buf_addstr(why, " is not COUNT/SECONDS (such as 10/60) or off");
	return -1;
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
			envlist_quote(why, v, '"');
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
		envlist_quote(why, v, '"');
		buf_addstr(why, " is not a signal name or number");
		return -1;
	}
	*f = sig;
	return 0;
}

/* command= (expanded already): split into argv like a shell would. */
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
	(void)c;
	s = xstrdup(v);
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
		envlist_quote(why, v, '"');
		buf_printf(why, ": %s", err);
		return -1;
	}
	if (k->max > 0 && *f > (unsigned long long)k->max) {
		envlist_quote(why, v, '"');
		buf_printf(why, " is too large (at most %lld bytes)", k->max);
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
		envlist_quote(why, t, '"');
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
		envlist_quote(why, v, '"');
		buf_addstr(why, ": soft limit is above hard limit");
		return -1;
	}
	f->set = true;
	f->soft = soft;
	f->hard = hard;
	return 0;
}

/* process_name= (expanded already, with this process's process_num): a
 * valid name; it replaces the program's name. */
static int
parse_process_name(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	struct program	*p = base;
	const char	*bad = "'all' is tendctl's name for every process";
	char		*s;

	(void)k;
	if (v == NULL) {
		free(p->name);
		p->name = NULL;
		return 0;
	}
	(void)c;
	s = xstrdup(v);
	if (!config_name_check(s, &bad) || strcmp(s, "all") == 0) {
		buf_addstr(why, "invalid process name ");
		envlist_quote(why, s, '\'');
		buf_printf(why, ": %s", bad);
		free(s);
		return -1;
	}
	free(p->name);
	p->name = s;
	return 0;
}

/* programs=a,b: a comma-separated list of program names. */
static int
parse_programs(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct strlist		*f = config_field(base, k);
	struct strlist		 l = { NULL, 0 };
	struct config_index	 seen = { NULL, 0, 0 };
	const char		*p, *s, *t, *bad;
	char			*name;

	(void)c;
	if (v == NULL) {
		strlist_free(f);
		return 0;
	}
	for (p = v; config_list_next(&p, &s, &t);) {
		name = xstrndup(s, (size_t)(t - s));
		if (!config_name_check(name, &bad)) {
			buf_addstr(why, "invalid program name ");
			envlist_quote(why, name, '\'');
			buf_printf(why, ": %s", bad);
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

const struct config_key config_table[] = {
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
	{ SECT_TEND, "strict", parse_boolean, "false", NULL, 0, 0,
	  T(strict), false,
	  "unknown keys or sections, keys or sections given twice are "
	  "errors, not warnings (as tendd --strict)" },

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
	{ SECT_PROGRAM, "ready_on", config_parse_ready_on, "start", NULL, 0, 0,
	  P(ready_on_health), false,
	  "when the program is RUNNING: start (after startsecs, or as "
	  "notification_fd or sd_notify say) or healthcheck (a probe passed)" },
	{ SECT_PROGRAM, "healthcheck", config_parse_healthcheck, NULL, "none",
	  0, 0, P(health), false,
	  "probe while it runs: tcp:HOST:PORT, http://HOST[:PORT]/PATH or "
	  "exec:COMMAND [ARGS] (HOST numeric or localhost)" },
	{ SECT_PROGRAM, "healthcheck_interval", parse_unsigned, "30", NULL, 1,
	  86400, P(health_interval), false, "seconds between two probes" },
	{ SECT_PROGRAM, "healthcheck_timeout", parse_unsigned, "5", NULL, 1,
	  86400, P(health_timeout), false,
	  "seconds a probe may take before it fails" },
	{ SECT_PROGRAM, "healthcheck_retries", parse_unsigned, "3", NULL, 1,
	  10000, P(health_retries), false,
	  "failed probes in a row that make the program unhealthy" },
	{ SECT_PROGRAM, "healthcheck_start_period", parse_unsigned, "0", NULL,
	  0, 86400, P(health_start_period), false,
	  "seconds after a spawn in which failed probes do not count" },
	{ SECT_PROGRAM, "healthcheck_action", config_parse_health_action,
	  "restart", NULL, 0, 0, P(health_restart), false,
	  "when unhealthy: restart (stop gracefully, start) or none" },
	{ SECT_PROGRAM, "startretries", parse_unsigned, "3", NULL, 0, INT_MAX,
	  P(startretries), false,
	  "failed starts in a row before the program goes FATAL" },
	{ SECT_PROGRAM, "restart_limit", parse_restart_limit, "off", NULL, 1,
	  10000, P(restart_limit), false,
	  "COUNT/SECONDS: at most COUNT restarts after exits in any SECONDS, "
	  "then FATAL (off: restart forever, as supervisord)" },
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
	{ SECT_PROGRAM, "stdout_events_enabled", parse_boolean, "false", NULL,
	  0, 0, P(stdout_events_enabled), false,
	  "send what it writes to stdout as PROCESS_LOG_STDOUT events" },
	{ SECT_PROGRAM, "stderr_events_enabled", parse_boolean, "false", NULL,
	  0, 0, P(stderr_events_enabled), false,
	  "send what it writes to stderr as PROCESS_LOG_STDERR events" },
	{ SECT_PROGRAM, "stdout_capture_maxbytes", parse_size, "0", NULL, 0,
	  EVENT_CAPTURE_MAXBYTES,
	  P(stdout_capture_maxbytes), false, "capture mode: what comes between "
	  "the XSUPERVISOR tokens is a PROCESS_COMMUNICATION event (0: off)" },
	{ SECT_PROGRAM, "stderr_capture_maxbytes", parse_size, "0", NULL, 0,
	  EVENT_CAPTURE_MAXBYTES,
	  P(stderr_capture_maxbytes), false, "capture mode of stderr: "
	  "PROCESS_COMMUNICATION_STDERR events (0: off)" },
	{ SECT_PROGRAM, "events", config_parse_events, NULL, "required", 0, 0,
	  P(events), false, "[eventlistener:] only: the event types its "
	  "listeners get (PROCESS_STATE, TICK_5, ...)" },
	{ SECT_PROGRAM, "buffer_size", parse_unsigned, "10", NULL, 1, 1000000,
	  P(buffer_size), false, "[eventlistener:] only: events the pool "
	  "keeps for its listeners; more drop the oldest" },
	{ SECT_PROGRAM, "result_handler", config_parse_result_handler, NULL,
	  "supervisor.dispatchers:default_handler", 0, 0, 0, false,
	  "[eventlistener:] only: accepted, ignored (OK accepts an event, "
	  "anything else sends it again)" },
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

const size_t config_ntable = nitems(config_table);

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

#define CONFIG_MAX_KEY_NAME	64	/* longer than any name in the table */

/* Index the table's rows by section and name (the names are lowercase). */
void
config_keys_index(struct config_ctx *c)
{
	size_t	i;

	for (i = 0; i < nitems(config_table); i++)
		(void)config_index_put(&c->keys[config_table[i].sect],
		    config_table[i].name, i);
}

/* The row of a key in a section (any case), or NULL. */
const struct config_key *
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
unsigned
config_seen(const struct config_ctx *c, enum config_sect sect,
    const char *name)
{
	const struct config_key	*k;

	if ((k = config_key_find(c, sect, name)) == NULL)
		return 0;
	return c->seen[k - config_table];
}

/* See config_int.h. */
unsigned
config_seen_at(const struct config_ctx *c, enum config_sect sect,
    const char *name, size_t *file)
{
	const struct config_key	*k;

	*file = c->curfile;
	if ((k = config_key_find(c, sect, name)) == NULL ||
	    c->seen[k - config_table] == 0)
		return 0;
	*file = c->seen_file[k - config_table];
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
	    f == parse_signal || f == parse_size || f == parse_rlimit ||
	    f == parse_restart_limit;
}

/* Expand v (NULL: unset) as key k of the open section and parse it into
 * base; -1 with why. environment= expands each of its values itself. A
 * value that expanded to something else is shown as both. */
static int
config_value(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct buf	 pwhy;
	char		*x;
	int		 rc;

	if (v == NULL || k->parse == parse_env)
		return k->parse(c, k, base, v, why);
	if ((x = config_expand(c, v, c->cur == CUR_PROGRAM &&
	    config_expand_own_env(k->name), why)) == NULL)
		return -1;
	if (strcmp(x, v) == 0) {
		rc = k->parse(c, k, base, x, why);
		free(x);
		return rc;
	}
	buf_init(&pwhy);
	if ((rc = k->parse(c, k, base, x, &pwhy)) == -1) {
		envlist_quote(why, v, '"');
		buf_addstr(why, " expanded to ");
		envlist_quote(why, x, '"');
		buf_printf(why, ": %s", pwhy.data);
	}
	buf_free(&pwhy);
	free(x);
	return rc;
}

/* Run the default of row i through its parser. */
static void
config_default(struct config_ctx *c, size_t i, void *base)
{
	struct buf	why;

	buf_init(&why);
	if (config_value(c, &config_table[i], base, config_table[i].deflt,
	    &why) == -1)
		reader_error(c->rd, 0, NULL, config_table[i].name,
		    "internal error: bad default: %s", why.data);
	buf_free(&why);
}

/* Run every default of a section through its parser. */
void
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
void
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
void
config_program_other_defaults(struct config_ctx *c, struct program *p)
{
	size_t	i;

	for (i = 0; i < c->nprog_other; i++)
		config_default(c, c->prog_other[i], p);
}

/* ---- setting a key ---- */

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
void
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
			config_lint_unknown(c, config_cur_sect(c), key, line);
		else if (c->warns != NULL)
			strlist_addf(c->warns, "%s:%u: [%s] %s: ignored (%s)",
			    c->files[c->curfile].path, line, c->sect, key, ign);
		return;
	}
	/* only [include] gets here twice: the other sections' keys are
	 * merged as they are read (config_load.c) */
	if (c->seen[k - config_table] != 0)
		config_lint(c, c->curfile, line, "[%s] %s: given again (also "
		    "at line %u): the last one wins", c->sect, key,
		    c->seen[k - config_table]);
	c->seen[k - config_table] = line;
	c->seen_file[k - config_table] = c->curfile;
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
	if (config_value(c, k, c->base, v, &why) == -1)
		config_error(c, line, key, "%s", why.data);
	buf_free(&why);
}
