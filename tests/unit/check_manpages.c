/* check_manpages.c: every key the config parser accepts (its one key
 * table) has an entry (".TP" then ".B key") in man/tend.ini.5. Verbs are
 * checked against tendctl.1 by check_verbs.c, from the verb table.
 * conf/tend.ini, the installed example, has a line for every key too. */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"
#include "check_run.h"

START_TEST(test_every_key_documented)
{
	const char			*path = "man/tend.ini.5";
	const struct config_key_doc	*k;
	char				*page, *entry;
	size_t				 i, n, missing = 0;

	page = check_srcfile(path);
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
}
END_TEST

/* Does text have a line "key =" or ";key =" (spaces allowed before =)? */
static int
example_has_key(const char *text, const char *key)
{
	const char	*p, *q;
	size_t		 len = strlen(key);

	for (p = text; p != NULL; p = (p = strchr(p, '\n')) ? p + 1 : NULL) {
		q = p;
		if (*q == ';')
			q++;
		if (strncmp(q, key, len) != 0)
			continue;
		q += len;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '=')
			return 1;
	}
	return 0;
}

/* conf/tend.ini, installed as $(sysconfdir)/tend/tend.ini, shows every key
 * (commented out, with its default). */
START_TEST(test_example_has_every_key)
{
	const char			*path = "conf/tend.ini";
	const struct config_key_doc	*k;
	char				*text;
	size_t				 i, n, missing = 0;

	text = check_srcfile(path);
	k = config_keys(&n);
	for (i = 0; i < n; i++) {
		if (!example_has_key(text, k[i].name)) {
			(void)fprintf(stderr, "%s: no line for [%s] %s\n",
			    path, k[i].section, k[i].name);
			missing++;
		}
	}
	ck_assert_uint_eq(missing, 0);
	free(text);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("manpages");
	TCase	*tc = tcase_create("keys");

	tcase_add_test(tc, test_every_key_documented);
	tcase_add_test(tc, test_example_has_every_key);
	suite_add_tcase(s, tc);
	return check_run(s);
}
