/* fuzz_cmdline: bytes -> the command= splitter, the %(name)s expander,
 * and tendctl's command line reader (verbs_parse_line, supervisorctl's).
 * Asserts: a split argv has at least one element, none longer than the
 * input; re-quoting every element with '...' and splitting again gives
 * the same argv; expansion never fails on its own output's length; a
 * command line read is a verb of the table and non-empty words, which
 * joined by spaces read the same again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "util.h"
#include "verbs.h"

/* Quote s for the splitter: '...' with ' written as '"'"'. */
static void
quote(struct buf *b, const char *s)
{
	buf_add(b, "'", 1);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_add(b, "'\"'\"'", 5);
		else
			buf_add(b, s, 1);
	}
	buf_add(b, "' ", 2);
}

/* tendctl's command line: read, joined again, read again. */
static void
fuzz_line(const char *text, size_t size)
{
	struct strlist	 words = { NULL, 0 }, again = { NULL, 0 };
	struct buf	 b;
	char		*stripped, *stripped2;
	size_t		 i;

	switch (verbs_parse_line(text, &words, &stripped)) {
	case VERBS_LINE_EMPTY:
		if (words.n != 0 || stripped[0] != '\0')
			abort();
		break;
	case VERBS_LINE_UNKNOWN:
		if (words.n != 0 || stripped[0] == '\0' ||
		    strlen(stripped) > size)
			abort();
		break;
	case VERBS_LINE_VERB:
		if (words.n == 0 || verbs_find(words.v[0]) == NULL ||
		    strlen(stripped) > size + 4)	/* ? -> "help " */
			abort();
		buf_init(&b);
		for (i = 0; i < words.n; i++) {
			if (words.v[i][0] == '\0')
				abort();
			buf_printf(&b, "%s%s", i > 0 ? " " : "", words.v[i]);
		}
		if (verbs_parse_line(b.data, &again, &stripped2) !=
		    VERBS_LINE_VERB || again.n != words.n)
			abort();
		for (i = 0; i < words.n; i++)
			if (strcmp(again.v[i], words.v[i]) != 0)
				abort();
		free(stripped2);
		strlist_free(&again);
		buf_free(&b);
		break;
	}
	free(stripped);
	strlist_free(&words);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cmdline_var	vars[] = {
		{ "program_name", "web" }, { "process_num", "3" },
		{ "here", "/etc/tend" },
	};
	char		*const envp[] = { "HOME=/root", "N=12", NULL };
	char		*text, **argv, **again, *x, errbuf[128];
	const char	*err;
	struct buf	 b;
	size_t		 i, n;

	if (size > 1 << 14)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (cmdline_split(text, &argv, &err) == 0) {
		if (argv == NULL || argv[0] == NULL)
			abort();
		buf_init(&b);
		for (n = 0; argv[n] != NULL; n++) {
			if (strlen(argv[n]) > size)
				abort();
			quote(&b, argv[n]);
		}
		if (cmdline_split(b.data, &again, &err) != 0)
			abort();
		for (i = 0; i < n; i++)
			if (again[i] == NULL || strcmp(again[i], argv[i]) != 0)
				abort();
		if (again[n] != NULL)
			abort();
		cmdline_free(again);
		buf_free(&b);
		cmdline_free(argv);
	} else if (argv != NULL || err == NULL)
		abort();

	fuzz_line(text, size);
	x = cmdline_expand(text, vars, sizeof(vars) / sizeof(vars[0]), envp,
	    errbuf, sizeof(errbuf));
	free(x);
	free(text);
	return 0;
}
