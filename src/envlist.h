/* envlist.h: NAME=value environment lists: supervisord's environment=
 * syntax, environment files, and the merging spawn.c does. Pure: no file
 * is read here (config_load.c reads environment files, then parses their
 * text with envlist_parse_file). */
#ifndef TEND_ENVLIST_H
#define TEND_ENVLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* A NAME=value environment list; keys unique, in first-seen order.
 * Grow it only with the envlist_* functions ({ NULL, 0 } is empty). */
struct envvar {
	char		*key;
	char		*value;
};
struct envlist {
	struct envvar	*v;
	size_t		 n;
};

/* environment=KEY="val",KEY2=val2 (supervisord syntax, strict). */
int		 envlist_parse(const char *, struct envlist *, const char **err);
/* The parser behind envlist_parse(), saying where: l is overwritten (not
 * freed); on failure *err is the reason and *at, *atlen the variable name
 * it is about (or NULL), and l is left empty. */
int		 envlist_scan(const char *s, struct envlist *l, const char **err,
		    const char **at, size_t *atlen);
/* The text of an environment file (len bytes, KEY=VALUE lines: see
 * tend.ini(5)), a key given twice taking its last value. On success the
 * old contents of *env are freed; on failure *env is untouched, *line is
 * the line at fault and why holds the reason. */
int		 envlist_parse_file(const char *text, size_t len,
		    struct envlist *env, unsigned *line, struct buf *why);
void		 envlist_set(struct envlist *, const char *key, const char *value);
/* Set every variable of src into dst, src winning (n log n, not n * m). */
void		 envlist_merge(struct envlist *dst, const struct envlist *src);
/* Do a and b set the same variables to the same values, in any order? */
bool		 envlist_equal(const struct envlist *a, const struct envlist *b);
void		 envlist_free(struct envlist *);

/* Append s to b between q quotes, with control characters, the quote and
 * backslash escaped: how a value is shown in a message, here and in every
 * error of the configuration, so that a message stays one readable line. */
void		 envlist_quote(struct buf *b, const char *s, char q);

#endif
