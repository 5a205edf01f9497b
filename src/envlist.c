/* envlist.c: NAME=value environment lists: supervisord's environment=
 * syntax (strict), environment files (KEY=VALUE lines), and setting or
 * merging them for a spawn. Pure: no file is read here, nothing logged.
 * Lists may hold many thousands of entries: duplicates are found and
 * merges done by sorting, never by comparing every pair. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "envlist.h"

#include <stdlib.h>
#include <string.h>

/* See envlist.h. */
void
envlist_quote(struct buf *b, const char *s, char q)
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

/* qsort order of environment entries by key. */
static int
envlist_cmp(const void *a, const void *b)
{
	const struct envvar	*x = *(const struct envvar *const *)a;
	const struct envvar	*y = *(const struct envvar *const *)b;

	return strcmp(x->key, y->key);
}

/* Entries of l sorted by key (an array of pointers for the caller to free). */
static const struct envvar **
envlist_sorted(const struct envlist *l)
{
	const struct envvar	**v;
	size_t			  i;

	v = xcalloc(l->n, sizeof *v);
	for (i = 0; i < l->n; i++)
		v[i] = &l->v[i];
	if (l->n > 1)
		qsort(v, l->n, sizeof *v, envlist_cmp);
	return v;
}

/* Two environment lists set the same variables to the same values (by
 * sorting: a list may hold many thousands). */
bool
envlist_equal(const struct envlist *a, const struct envlist *b)
{
	const struct envvar	**x, **y;
	size_t			  i;
	bool			  eq = true;

	if (a->n != b->n)
		return false;
	if (a->n == 0)
		return true;
	x = envlist_sorted(a);
	y = envlist_sorted(b);
	for (i = 0; i < a->n && eq; i++)
		eq = strcmp(x[i]->key, y[i]->key) == 0 &&
		    strcmp(x[i]->value, y[i]->value) == 0;
	free(x);
	free(y);
	return eq;
}

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
int
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
		sorted = envlist_sorted(l);
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

/* Parse s into *env; see envlist.h. On success the old contents of *env
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
		envlist_quote(why, name, '\'');
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

/* See envlist.h. Lines end with "\n" or "\r\n"; a NUL byte is refused, as
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

/* See envlist.h. Two passes: the values of keys dst has are replaced while
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
		qsort(sorted, dst->n, sizeof *sorted, envlist_cmp);
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
