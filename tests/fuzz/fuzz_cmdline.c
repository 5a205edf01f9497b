/* fuzz_cmdline: bytes -> the command= splitter and the %(name)s expander.
 * Asserts: a split argv has at least one element, none longer than the
 * input; re-quoting every element with '...' and splitting again gives
 * the same argv; expansion never fails on its own output's length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "util.h"

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

	x = cmdline_expand(text, vars, sizeof(vars) / sizeof(vars[0]), envp,
	    errbuf, sizeof(errbuf));
	free(x);
	free(text);
	return 0;
}
