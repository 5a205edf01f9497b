/* check_manpages.c: every key the config parser accepts (its one key
 * table) has an entry (".TP" then ".B key") in man/tend.ini.5. Verbs are
 * checked against tendctl.1 by tests/integration/t-manpages.sh, which asks
 * the daemon's own command table. */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

static char *
slurp(const char *path)
{
	FILE		*f = fopen(path, "r");
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	(void)fclose(f);
	return buf_steal(&b);
}

START_TEST(test_every_key_documented)
{
	const char			*srcdir = getenv("TEND_SRCDIR");
	const struct config_key_doc	*k;
	char				*path, *page, *entry;
	size_t				 i, n, missing = 0;

	if (srcdir == NULL)
		srcdir = ".";
	path = xasprintf("%s/man/tend.ini.5", srcdir);
	page = slurp(path);
	k = config_keys(&n);
	ck_assert_uint_gt(n, 40);
	for (i = 0; i < n; i++) {
		entry = xasprintf(".TP\n.B %s\n", k[i].name);
		if (strstr(page, entry) == NULL) {
			(void)fprintf(stderr, "%s: no entry for [%s] %s\n",
			    path, k[i].section, k[i].name);
			missing++;
		}
		free(entry);
	}
	ck_assert_uint_eq(missing, 0);
	free(page);
	free(path);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("manpages");
	TCase	*tc = tcase_create("keys");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_every_key_documented);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
