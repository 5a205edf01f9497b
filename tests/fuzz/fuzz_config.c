/* fuzz_config: bytes -> the configuration parser (config_load_string:
 * ini_reader.c's line reader driving inih's ini_parse_stream, the key
 * table, validation) -> free. Asserts that parsing is deterministic (same
 * result and same messages twice). Linked against Debian's libinih, which
 * is not instrumented: coverage inside ini.c is invisible to libFuzzer,
 * ini_reader.c and config.c are fully instrumented. Inputs of up to
 * 1 MiB are tried (tests/fuzz/run gives it -max_len=1048576). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

static void
parse(const char *text, struct config **cfg, struct strlist *errs,
    struct strlist *warns)
{
	errs->v = NULL;
	errs->n = 0;
	warns->v = NULL;
	warns->n = 0;
	*cfg = config_load_string("/fuzz/tend.ini", text, errs, warns);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist	 e1, w1, e2, w2;
	struct config	*c1, *c2;
	char		*text;
	size_t		 i;

	if (size > 1 << 20)	/* 1 MiB: room for thousands of sections */
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	parse(text, &c1, &e1, &w1);
	parse(text, &c2, &e2, &w2);
	if ((c1 == NULL) != (c2 == NULL) || e1.n != e2.n || w1.n != w2.n)
		abort();
	for (i = 0; i < e1.n; i++)
		if (strcmp(e1.v[i], e2.v[i]) != 0)
			abort();
	if (c1 != NULL && c1->nprogs != c2->nprogs)
		abort();
	if (c1 != NULL)
		config_free(c1);
	if (c2 != NULL)
		config_free(c2);
	strlist_free(&e1);
	strlist_free(&w1);
	strlist_free(&e2);
	strlist_free(&w2);
	free(text);
	return 0;
}
