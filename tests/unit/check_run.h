/* check_run.h: the end of every Check suite program's main(), and the
 * reading of a file of the source tree for the suites that check one. */
#ifndef TEND_CHECK_RUN_H
#define TEND_CHECK_RUN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* The whole of rel, a path in the source tree ($TEND_SRCDIR, or the
 * current directory), malloc'd; the test fails if it cannot be read. */
static inline char *
check_srcfile(const char *rel)
{
	const char	*srcdir = getenv("TEND_SRCDIR");
	char		*path, chunk[4096];
	struct buf	 b;
	FILE		*f;
	size_t		 n;

	path = xasprintf("%s/%s", srcdir != NULL ? srcdir : ".", rel);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	free(path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	(void)fclose(f);
	return buf_steal(&b);
}

/* Run the suite (and any added to it), free it, and return the exit
 * status automake's test driver expects. */
static inline int
check_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
