/* fuzz_envfile: bytes -> the environment_file= parser
 * (envlist_parse_file: KEY=VALUE lines, export, quotes, comments, CRLF)
 * and, as a NUL-terminated string, the environment= parser
 * (envlist_parse). Asserts: the keys of a parsed list are valid and
 * unique; written back as KEY="VALUE" lines (\" and \\ escaped) it parses
 * to the same list; a failure names a line of the text and leaves the
 * list it was given alone; merging the two lists keeps every key of both,
 * the second's values winning. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

/* NAME: [A-Za-z_][A-Za-z0-9_]*, each once. */
static void
check_keys(const struct envlist *l)
{
	const char	*k;
	size_t		 i, j;

	for (i = 0; i < l->n; i++) {
		k = l->v[i].key;
		if (k == NULL || l->v[i].value == NULL ||
		    strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "_0123456789") != strlen(k) || k[0] == '\0' ||
		    (k[0] >= '0' && k[0] <= '9'))
			abort();
		for (j = 0; j < i && l->n < 256; j++)	/* bounded: O(n^2) */
			if (strcmp(l->v[j].key, k) == 0)
				abort();
	}
}

static const char *
get(const struct envlist *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct envlist	 file = { NULL, 0 }, again = { NULL, 0 };
	struct envlist	 env = { NULL, 0 }, merged = { NULL, 0 };
	struct buf	 why, b;
	const char	*err, *s, *v;
	unsigned	 line, lines = 1;
	size_t		 i;
	char		*text;
	int		 rc;

	if (size > 1 << 20)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < size; i++)
		lines += text[i] == '\n';

	buf_init(&why);
	envlist_set(&file, "UNTOUCHED", "yes");
	rc = envlist_parse_file(text, size, &file, &line, &why);
	if (rc == 0) {
		check_keys(&file);
		buf_init(&b);
		for (i = 0; i < file.n; i++) {
			buf_printf(&b, "%s=\"", file.v[i].key);
			for (s = file.v[i].value; *s != '\0'; s++) {
				if (*s == '"' || *s == '\\')
					buf_addc(&b, '\\');
				buf_addc(&b, *s);
			}
			buf_addstr(&b, "\"\n");
		}
		buf_reset(&why);
		if (envlist_parse_file(b.data, b.len, &again, &line,
		    &why) != 0 || again.n != file.n)
			abort();
		for (i = 0; i < file.n; i++)
			if (strcmp(again.v[i].key, file.v[i].key) != 0 ||
			    strcmp(again.v[i].value, file.v[i].value) != 0)
				abort();
		envlist_free(&again);
		buf_free(&b);
	} else {
		if (line < 1 || line > lines || why.len == 0 || file.n != 1 ||
		    strcmp(file.v[0].key, "UNTOUCHED") != 0)
			abort();
	}

	if (envlist_parse(text, &env, &err) == 0) {
		check_keys(&env);
		envlist_merge(&merged, &file);
		envlist_merge(&merged, &env);
		check_keys(&merged);
		for (i = 0; i < env.n; i++)
			if ((v = get(&merged, env.v[i].key)) == NULL ||
			    strcmp(v, env.v[i].value) != 0)
				abort();
		for (i = 0; i < file.n && file.n + env.n < 256; i++)
			if (get(&merged, file.v[i].key) == NULL)
				abort();
	} else if (err == NULL)
		abort();

	envlist_free(&merged);
	envlist_free(&env);
	envlist_free(&file);
	buf_free(&why);
	free(text);
	return 0;
}
