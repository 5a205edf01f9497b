/* check_run.h: the end of every Check suite program's main(). */
#ifndef TEND_CHECK_RUN_H
#define TEND_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

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
