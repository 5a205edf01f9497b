/* config.c: an INI file -> an immutable, validated struct config.
 *
 * Pure: besides reading the file it only asks NSS (getpwnam, getgrnam),
 * uname and realpath; it never forks, signals, logs or touches libev.
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

#include <sys/types.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
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

#ifndef TEND_RUNSTATEDIR
#define TEND_RUNSTATEDIR	"/run"
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
		CUR_PROGRAM,
		CUR_IGNORE,		/* reported; its keys are dropped */
	}		 cur;
	char		*sect;		/* its name, as in [] */
	unsigned	 sect_line;
	void		*base;		/* cfg, or &prog */
	struct program	 prog;		/* the program being read */
	unsigned	*seen;		/* per table row: line it was set at */
	struct cmdline_var vars[5];	/* expansions for this section */
	size_t		 nvars;
	bool		 tend_seen;
	unsigned	 tend_line;

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

/* "0,2": a comma-separated list of exit codes 0..255, into the bitmap. */
static int
parse_exitcodes(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	uint8_t			*f = config_field(base, k);
	uint8_t			 bits[32];
	const char		*p, *e, *s, *err;
	unsigned long long	 n;
	struct buf		 item;

	(void)c;
	memset(bits, 0, sizeof bits);
	if (v == NULL) {
		memcpy(f, bits, sizeof bits);
		return 0;
	}
	buf_init(&item);
	for (p = v;; p = e + 1) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		s = p;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		buf_reset(&item);
		buf_add(&item, s, (size_t)(e - s));
		while (item.len > 0 && (item.data[item.len - 1] == ' ' ||
		    item.data[item.len - 1] == '\t'))
			item.data[--item.len] = '\0';
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
		if (*e == '\0')
			break;
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

/* ---- the key table ---- */

#define T(field)	offsetof(struct config, field)
#define P(field)	offsetof(struct program, field)
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
	{ SECT_TEND, "loglevel", parse_loglevel, "info", NULL, 0, 0,
	  T(loglevel), false,
	  "critical, error, warn, info, debug or trace" },
	{ SECT_TEND, "childlogdir", parse_path, "/tmp", NULL, 0, 0,
	  T(childlogdir), false,
	  "directory of the AUTO program output files" },
	{ SECT_TEND, "directory", parse_path, NULL, "none", 0, 0,
	  T(directory), false,
	  "directory tendd works in once running (/ when unset)" },
	{ SECT_TEND, "environment", parse_env, NULL, "none", 0, 0,
	  T(env), true,
	  "KEY=\"value\",... added to the environment of every program" },
	{ SECT_TEND, "minfds", parse_unsigned, "1024", NULL, 1, INT_MAX,
	  T(minfds), false,
	  "tendd raises its RLIMIT_NOFILE soft limit to at least this" },
	{ SECT_TEND, "nodaemon", parse_boolean, "false", NULL, 0, 0,
	  T(nodaemon), false,
	  "stay in the foreground, as with -n" },

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
	{ SECT_PROGRAM, "startsecs", parse_unsigned, "1", NULL, 0, INT_MAX,
	  P(startsecs), false,
	  "seconds the program must stay up to count as started" },
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
};

#undef T
#undef P
#undef RLIMIT_KEY

/* The table and its length (for code above it). */
static const struct config_key *
config_table_get(size_t *n)
{
	*n = nitems(config_table);
	return config_table;
}

/* The row of a key in a section, or NULL. */
static const struct config_key *
config_key_find(enum config_sect sect, const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(config_table); i++) {
		if (config_table[i].sect == sect &&
		    strcasecmp(config_table[i].name, name) == 0)
			return &config_table[i];
	}
	return NULL;
}

/* The line a key of the open section was set at, 0 if it was not. */
static unsigned
config_seen(const struct config_ctx *c, enum config_sect sect,
    const char *name)
{
	const struct config_key	*k;

	if ((k = config_key_find(sect, name)) == NULL)
		return 0;
	return c->seen[k - config_table];
}

/* Run every default of a section through its parser. */
static void
config_defaults(struct config_ctx *c, enum config_sect sect, void *base)
{
	struct buf	why;
	size_t		i;

	for (i = 0; i < nitems(config_table); i++) {
		if (config_table[i].sect != sect)
			continue;
		buf_init(&why);
		if (config_table[i].parse(c, &config_table[i], base,
		    config_table[i].deflt, &why) == -1)
			reader_error(c->rd, 0, NULL, config_table[i].name,
			    "internal error: bad default: %s", why.data);
		buf_free(&why);
	}
}

/* ---- reading sections and keys ---- */

/* Set a key of the open section from its (joined) value. */
static void
config_apply(struct config_ctx *c, const char *key, unsigned line,
    char *value)
{
	const struct config_key	*k;
	struct buf		 why;
	char			*v, *e;

	k = config_key_find(c->cur == CUR_TEND ? SECT_TEND : SECT_PROGRAM, key);
	if (k == NULL) {
		config_error(c, line, key, "unknown key");
		return;
	}
	if (c->seen[k - config_table] != 0) {
		config_error(c, line, key, "duplicate key (first set at "
		    "line %u)", c->seen[k - config_table]);
		return;
	}
	c->seen[k - config_table] = line;

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

/* Apply the last key line, now that no continuation can follow. */
static void
config_flush(struct config_ctx *c)
{
	if (!c->pending)
		return;
	c->pending = false;
	config_apply(c, c->pend_key.data, c->pend_line, c->pend_val.data);
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
	line = config_seen(c, SECT_PROGRAM, "stderr_logfile");
	if (line != 0 && p->redirect_stderr && c->warns != NULL)
		strlist_addf(c->warns, "%s:%u: [%s] stderr_logfile: ignored "
		    "because redirect_stderr is true", c->cfg->file, line,
		    c->sect);

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
	if (c->cur == CUR_PROGRAM)
		config_close_program(c);
	c->cur = CUR_NONE;
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

/* The reader found a valid [name] header at line. */
static void
config_section(void *user, const char *name, unsigned line)
{
	struct config_ctx	*c = user;
	struct program		*p = &c->prog;
	size_t			 n;
	const char		*pname;

	config_close(c);
	c->sect = xstrdup(name);
	c->sect_line = line;
	config_table_get(&n);
	memset(c->seen, 0, n * sizeof *c->seen);
	c->cur = CUR_IGNORE;

	if (strcmp(name, "tend") == 0) {
		if (c->tend_seen) {
			config_error(c, line, NULL, "duplicate section (first "
			    "defined at line %u)", c->tend_line);
			return;
		}
		c->tend_seen = true;
		c->tend_line = line;
		c->cur = CUR_TEND;
		c->base = c->cfg;
		c->vars[0] = (struct cmdline_var){ "here", c->cfg->here };
		c->vars[1] = (struct cmdline_var){ "host_node_name",
		    c->nodename };
		c->nvars = 2;
		return;
	}
	if (strncmp(name, CONFIG_PROGRAM_PREFIX,
	    strlen(CONFIG_PROGRAM_PREFIX)) != 0) {
		config_error(c, line, NULL, "unknown section type (expected "
		    "[tend] or [program:NAME])");
		return;
	}
	pname = name + strlen(CONFIG_PROGRAM_PREFIX);
	if (!config_valid_name(pname)) {
		config_error(c, line, NULL, "invalid program name '%s' (1 to "
		    "%d of A-Z a-z 0-9 _ . -, not starting with . or -)",
		    pname, CONFIG_MAX_PROGRAM_NAME);
		return;
	}
	if (strcmp(pname, "all") == 0) {
		config_error(c, line, NULL, "program name 'all' is reserved "
		    "(tendctl uses it for every program)");
		return;
	}

	memset(p, 0, sizeof *p);
	p->name = xstrdup(pname);
	p->file = xstrdup(c->cfg->file);
	p->line = line;
	c->cur = CUR_PROGRAM;
	c->base = p;
	c->vars[0] = (struct cmdline_var){ "program_name", p->name };
	c->vars[1] = (struct cmdline_var){ "process_num", "0" };
	c->vars[2] = (struct cmdline_var){ "group_name", p->name };
	c->vars[3] = (struct cmdline_var){ "host_node_name", c->nodename };
	c->vars[4] = (struct cmdline_var){ "here", c->cfg->here };
	c->nvars = 5;
	config_defaults(c, SECT_PROGRAM, p);
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
	if (c->cur != CUR_TEND && c->cur != CUR_PROGRAM)
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

/* qsort order of programs: by name, then by line. */
static int
config_progcmp(const void *a, const void *b)
{
	const struct program	*x = a, *y = b;
	int			 d;

	if ((d = strcmp(x->name, y->name)) != 0)
		return d;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort the programs by name and report (and drop) any defined twice. */
static void
config_programs(struct config_ctx *c)
{
	struct program	*p = c->progs;
	size_t		 i, n = 0;
	char		*sect;

	if (c->nprogs > 1)
		qsort(p, c->nprogs, sizeof *p, config_progcmp);
	for (i = 0; i < c->nprogs; i++) {
		if (n > 0 && strcmp(p[n - 1].name, p[i].name) == 0) {
			sect = xasprintf(CONFIG_PROGRAM_PREFIX "%s", p[i].name);
			reader_error(c->rd, p[i].line, sect, NULL, "duplicate "
			    "program '%s' (first defined at line %u)",
			    p[i].name, p[n - 1].line);
			free(sect);
			program_free(&p[i]);
			continue;
		}
		p[n++] = p[i];
	}
	c->cfg->progs = p;
	c->cfg->nprogs = n;
	c->progs = NULL;
	c->nprogs = 0;
	c->progcap = 0;
}

/* Parse text (len bytes) named name; see config_load(). */
static struct config *
config_parse(const char *name, const char *text, size_t len,
    struct strlist *errs, struct strlist *warns)
{
	struct config_ctx	 c;
	struct config		*cfg;
	struct utsname		 u;
	size_t			 i, nkeys;

	cfg = xcalloc(1, sizeof *cfg);
	cfg->file = xstrdup(name);
	cfg->here = config_here(name);

	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.warns = warns;
	c.nodename = xstrdup(uname(&u) == 0 ? u.nodename : "localhost");
	config_table_get(&nkeys);
	c.seen = xcalloc(nkeys, sizeof *c.seen);
	buf_init(&c.pend_key);
	buf_init(&c.pend_val);
	c.rd = reader_new(name, text, len, config_section, &c);

	/* [tend] has its defaults even when the section is absent */
	c.vars[0] = (struct cmdline_var){ "here", cfg->here };
	c.vars[1] = (struct cmdline_var){ "host_node_name", c.nodename };
	c.nvars = 2;
	config_defaults(&c, SECT_TEND, cfg);

	reader_parse(c.rd, config_handler, &c);
	config_close(&c);
	config_programs(&c);

	if (reader_nerrors(c.rd) > 0) {
		reader_take_errors(c.rd, errs);
		config_free(cfg);
		cfg = NULL;
	}
	for (i = 0; i < c.nprogs; i++)
		program_free(&c.progs[i]);
	free(c.progs);
	program_free(&c.prog);
	reader_free(c.rd);
	buf_free(&c.pend_key);
	buf_free(&c.pend_val);
	free(c.seen);
	free(c.nodename);
	return cfg;
}

/* Add a file-level error, "FILE: reason". */
static void
config_file_error(struct strlist *errs, const char *path, const char *what,
    int e)
{
	if (errs == NULL)
		return;
	if (e != 0)
		strlist_addf(errs, "%s: %s: %s", path, what, strerror(e));
	else
		strlist_addf(errs, "%s: %s", path, what);
}

/* Read and validate the file at path; see config.h. */
struct config *
config_load(const char *path, struct strlist *errs, struct strlist *warns)
{
	struct config	*cfg;
	struct buf	 b;
	char		 chunk[65536];
	ssize_t		 n;
	int		 fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		config_file_error(errs, path, "cannot open", errno);
		return NULL;
	}
	buf_init(&b);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			e = errno;
			(void)close(fd);
			buf_free(&b);
			config_file_error(errs, path, "cannot read", e);
			return NULL;
		}
		if (n == 0)
			break;
		buf_add(&b, chunk, (size_t)n);
		if (b.len > READER_MAX_FILE) {
			(void)close(fd);
			buf_free(&b);
			if (errs != NULL)
				strlist_addf(errs, "%s: file too large (more "
				    "than %u bytes)", path, READER_MAX_FILE);
			return NULL;
		}
	}
	/* read-only: a close error loses nothing */
	(void)close(fd);
	cfg = config_parse(path, b.data, b.len, errs, warns);
	buf_free(&b);
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
	free(p->command);
	cmdline_free(p->argv);
	free(p->directory);
	free(p->user);
	free(p->group);
	envlist_free(&p->env);
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
	free(cfg->file);
	free(cfg->here);
	free(cfg->pidfile);
	free(cfg->control);
	free(cfg->control_group);
	free(cfg->logfile);
	free(cfg->childlogdir);
	free(cfg->directory);
	envlist_free(&cfg->env);
	free(cfg);
}

/* bsearch order: a name against a program. */
static int
config_findcmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct program *)elem)->name);
}

/* The program called name, or NULL. */
const struct program *
config_find(const struct config *cfg, const char *name)
{
	if (cfg == NULL || cfg->nprogs == 0)
		return NULL;
	return bsearch(name, cfg->progs, cfg->nprogs, sizeof *cfg->progs,
	    config_findcmp);
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

/* Whether a and b would run the same thing the same way; where they were
 * written (file, line) does not count. */
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
	    !config_envequal(&a->env, &b->env) ||
	    a->autostart != b->autostart ||
	    a->autorestart != b->autorestart ||
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
	    a->redirect_stderr != b->redirect_stderr)
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

/* The documented keys, built once from config_table. */
const struct config_key_doc *
config_keys(size_t *n)
{
	static struct config_key_doc	docs[nitems(config_table)];
	static bool			built;
	size_t				i;

	if (!built) {
		for (i = 0; i < nitems(config_table); i++) {
			docs[i].section = config_table[i].sect == SECT_TEND ?
			    "tend" : "program";
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
