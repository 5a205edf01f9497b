/* config_lint.c: what supervisord lets pass and tend warns about: an
 * unknown key (with the nearest known one: "did you mean ...?") or
 * section type (its keys are ignored, as supervisord ignores them), a key
 * given twice in a section, a section given twice. supervisord ignores
 * the first, and its configparser (strict=False) lets the last value win
 * for the others; tend does the same and says so. Strict mode (tendd
 * --strict, or strict = true in [tend]) makes each of these an error:
 * config_load.c decides at the end of a load where c->lints go. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_LINT_MAX_KEY	64	/* longer keys get no suggestion */

/* See config_int.h. */
void
config_lint(struct config_ctx *c, size_t file, unsigned line,
    const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;

	if (c->again)
		return;
	buf_init(&b);
	buf_printf(&b, "%s:%u: ", c->files[file].path, line);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	strlist_add(&c->lints, b.data);
	buf_free(&b);
}

/* The smallest of three. */
static size_t
config_lint_min3(size_t a, size_t b, size_t c)
{
	size_t	m = a < b ? a : b;

	return m < c ? m : c;
}

/* See config_int.h. */
size_t
config_lint_distance(const char *a, const char *b, size_t max)
{
	size_t	d[CONFIG_LINT_MAX_KEY + 1][CONFIG_LINT_MAX_KEY + 1];
	size_t	n = strlen(a), m = strlen(b), i, j, cost, v;

	if (n > CONFIG_LINT_MAX_KEY || m > CONFIG_LINT_MAX_KEY)
		return max + 1;
	if ((n > m ? n - m : m - n) > max)
		return max + 1;
	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++) {
		for (j = 1; j <= m; j++) {
			cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = config_lint_min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
			    d[i - 1][j - 1] + cost);
			/* two neighbours swapped count as one edit */
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m] > max ? max + 1 : d[n][m];
}

/* See config_int.h. A suggestion is made only when the key is close: at
 * most one edit for a name of up to 4 bytes, two up to 10, three above. */
const char *
config_lint_nearest(enum config_sect sect, const char *key)
{
	const char	*best = NULL;
	size_t		 i, d, n = strlen(key), max, bestd;

	max = n <= 4 ? 1 : n <= 10 ? 2 : 3;
	bestd = max + 1;
	for (i = 0; i < config_ntable; i++) {
		if (config_table[i].sect != sect)
			continue;
		d = config_lint_distance(key, config_table[i].name, max);
		if (d < bestd) {
			bestd = d;
			best = config_table[i].name;
		}
	}
	return best;
}

static const char *const config_lint_sect_names[] = {
	[SECT_TEND] = "[tend]",
	[SECT_PROGRAM] = "[program:]",
	[SECT_GROUP] = "[group:]",
	[SECT_INCLUDE] = "[include]",
};

/* See config_int.h. */
void
config_lint_unknown(struct config_ctx *c, enum config_sect sect,
    const char *key, unsigned line)
{
	const char	*near = config_lint_nearest(sect, key);
	size_t		 s;

	if (near != NULL) {
		config_lint(c, c->curfile, line, "[%s] %s: unknown key, "
		    "ignored (did you mean '%s'?)", c->sect, key, near);
		return;
	}
	for (s = 0; s < nitems(config_lint_sect_names); s++) {
		if (s != sect && config_key_find(c, (enum config_sect)s,
		    key) != NULL) {
			config_lint(c, c->curfile, line, "[%s] %s: unknown "
			    "key, ignored (it is a key of %s sections)",
			    c->sect, key, config_lint_sect_names[s]);
			return;
		}
	}
	config_lint(c, c->curfile, line, "[%s] %s: unknown key, ignored",
	    c->sect, key);
}

/* The section types a supervisord.conf or a tend.ini may have. */
static const char *const config_lint_sections[] = {
	"tend", "supervisord", "program:", "group:", "include",
	"eventlistener:", "fcgi-program:", "unix_http_server",
	"inet_http_server", "supervisorctl", "rpcinterface:", "ctlplugin:",
};

/* See config_int.h. */
void
config_lint_section(struct config_ctx *c, const char *name, unsigned line)
{
	const char	*colon = strchr(name, ':'), *best = NULL;
	char		 type[CONFIG_LINT_MAX_KEY + 2];
	size_t		 i, n, d, bestd, max;

	/* the type: "program:" of "progam:foo" is compared, with its ':' */
	n = colon != NULL ? (size_t)(colon - name) + 1 : strlen(name);
	if (n < sizeof type) {
		memcpy(type, name, n);
		type[n] = '\0';
		max = n <= 4 ? 1 : n <= 10 ? 2 : 3;
		bestd = max + 1;
		for (i = 0; i < nitems(config_lint_sections); i++) {
			d = config_lint_distance(type, config_lint_sections[i],
			    max);
			if (d < bestd) {
				bestd = d;
				best = config_lint_sections[i];
			}
		}
	}
	if (best != NULL && colon != NULL && best[strlen(best) - 1] == ':')
		config_lint(c, c->curfile, line, "[%s]: unknown section type, "
		    "ignored (did you mean [%s%s]?)", name, best, colon + 1);
	else if (best != NULL)
		config_lint(c, c->curfile, line, "[%s]: unknown section type, "
		    "ignored (did you mean [%s]?)", name, best);
	else
		config_lint(c, c->curfile, line, "[%s]: unknown section type, "
		    "ignored (tend reads [tend], [program:NAME], [group:NAME] "
		    "and [include])", name);
}
