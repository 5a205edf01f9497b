/* check_pidmap.c: the reaper's pid -> process table, checked against a
 * plain array through long random runs of puts, gets and deletes. */
#include "autoconfig.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "pidmap.h"
#include "check_run.h"

#define MODEL_PIDS	600	/* pids 1..MODEL_PIDS-1: many collisions */

static int	tokens[MODEL_PIDS];

/* Every pid maps to what the model says, and the count agrees. */
static void
check_model(const struct pidmap *m, void *const *model)
{
	size_t	i, n = 0;

	for (i = 1; i < MODEL_PIDS; i++) {
		ck_assert_ptr_eq(pidmap_get(m, (pid_t)i), model[i]);
		n += model[i] != NULL;
	}
	ck_assert_uint_eq(m->n, n);
	ck_assert(m->n * 2 <= m->cap);
}

START_TEST(test_empty)
{
	struct pidmap	m = { NULL, 0, 0 };

	ck_assert_ptr_null(pidmap_get(&m, 1));
	ck_assert_ptr_null(pidmap_del(&m, 1));
	pidmap_put(&m, 0, &tokens[0]);		/* not a pid */
	pidmap_put(&m, -5, &tokens[0]);
	pidmap_put(&m, 7, NULL);		/* no value */
	ck_assert_uint_eq(m.n, 0);
	pidmap_put(&m, 7, &tokens[7]);
	ck_assert_ptr_eq(pidmap_get(&m, 7), &tokens[7]);
	pidmap_put(&m, 7, &tokens[8]);		/* replaces */
	ck_assert_uint_eq(m.n, 1);
	ck_assert_ptr_eq(pidmap_del(&m, 7), &tokens[8]);
	ck_assert_ptr_null(pidmap_get(&m, 7));
	ck_assert_uint_eq(m.n, 0);
	pidmap_free(&m);
	ck_assert_ptr_null(m.v);
}
END_TEST

/* Random operations, checked against the model after each one: probe
 * chains that wrap around the end of the table and deletions from the
 * middle of a chain are where an open-addressing table goes wrong. */
START_TEST(test_random)
{
	struct pidmap	 m = { NULL, 0, 0 };
	void		*model[MODEL_PIDS] = { NULL };
	unsigned	 seed = 12345u + (unsigned)_i, op;
	pid_t		 pid;
	int		 k;

	for (k = 0; k < 20000; k++) {
		seed = seed * 1103515245u + 12345u;
		op = (seed >> 16) % 3;
		pid = (pid_t)(1 + (seed >> 4) % (MODEL_PIDS - 1));
		if (op == 0) {
			pidmap_put(&m, pid, &tokens[pid]);
			model[pid] = &tokens[pid];
		} else if (op == 1) {
			ck_assert_ptr_eq(pidmap_del(&m, pid), model[pid]);
			model[pid] = NULL;
		} else
			ck_assert_ptr_eq(pidmap_get(&m, pid), model[pid]);
		if (k % 97 == 0)
			check_model(&m, model);
	}
	check_model(&m, model);
	for (pid = 1; pid < MODEL_PIDS; pid++) {
		ck_assert_ptr_eq(pidmap_del(&m, pid), model[pid]);
		model[pid] = NULL;
	}
	check_model(&m, model);
	pidmap_free(&m);
}
END_TEST

/* The reaper's pattern: pids rise, each lives a while, then goes. */
START_TEST(test_sliding)
{
	struct pidmap	m = { NULL, 0, 0 };
	pid_t		pid;

	for (pid = 1; pid < 200000; pid++) {
		pidmap_put(&m, pid, &tokens[pid % MODEL_PIDS]);
		if (pid > 500)
			ck_assert_ptr_eq(pidmap_del(&m, pid - 500),
			    &tokens[(pid - 500) % MODEL_PIDS]);
	}
	ck_assert_uint_eq(m.n, 500);
	ck_assert_uint_le(m.cap, 2048);		/* it did not keep growing */
	pidmap_free(&m);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("pidmap");
	TCase	*tc = tcase_create("map");

	tcase_add_test(tc, test_empty);
	tcase_add_loop_test(tc, test_random, 0, 8);
	tcase_add_test(tc, test_sliding);
	suite_add_tcase(s, tc);
	return check_run(s);
}
