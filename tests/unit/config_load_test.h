/* config_load_test.h: what check_config and check_config_compat share:
 * load a configuration from a string as F, and demand that it load or
 * fail with one given error. Included by one test program each. */
#ifndef TEND_CONFIG_LOAD_TEST_H
#define TEND_CONFIG_LOAD_TEST_H

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util.h"

#define F	"/etc/tend/tend.ini"	/* the name string configs load as */

static struct strlist	errs, warns;

/* Load text as F; errs and warns hold what came out. */
static struct config *
load(const char *text)
{
	strlist_free(&errs);
	strlist_free(&warns);
	return config_load_string(F, text, &errs, &warns);
}

/* Print what was collected, so a failing test shows it. */
static void
dump(void)
{
	size_t	i;

	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "  error: %s\n", errs.v[i]);
	for (i = 0; i < warns.n; i++)
		fprintf(stderr, "  warning: %s\n", warns.v[i]);
}

/* Load text, which must be valid. */
static struct config *
load_ok(const char *text)
{
	struct config	*cfg = load(text);

	if (cfg == NULL)
		dump();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(errs.n, 0);
	return cfg;
}

/* Load text, which must fail with exactly the one error msg. */
static void
load_err(const char *text, const char *msg)
{
	struct config	*cfg = load(text);

	if (cfg != NULL || errs.n != 1 || strcmp(errs.v[0], msg) != 0) {
		fprintf(stderr, "expected: %s\n", msg);
		dump();
	}
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0], msg);
}

#endif
