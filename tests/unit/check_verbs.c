/* check_verbs.c: the verb table (verbs.c) is the one list of verbs, and
 * what is read from it agrees with it: the shell's completion list and
 * rules (supervisorctl's), `help` and `help --verbs`, the arity errors
 * (supervisorctl's words and exit statuses), a man-page entry in
 * man/tendctl.1 for every verb, no verb list left in the bash completion,
 * and the namespecs verbs name processes by.
 *
 * That tendd has a handler for every verb that is not VERB_CLIENT is
 * checked where tendd is: commands.c maps verbs to handlers in a switch
 * without default (-Wswitch names a verb left out), and t-completion.sh
 * sends every such verb to a running tendd. */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "util.h"
#include "verbs.h"
#include "check_run.h"

/* Every row: its id, a name in order, a usage that starts with the name,
 * a help text, an arity that makes sense. */
START_TEST(test_table_rows)
{
	const struct verb	*v, *prev = NULL;
	int			 i;

	for (i = 0; i < VERB_COUNT; i++) {
		v = verbs_get((enum verb_id)i);
		ck_assert_int_eq(v->id, i);
		ck_assert_ptr_nonnull(v->name);
		if (prev != NULL)
			ck_assert_msg(strcmp(prev->name, v->name) < 0,
			    "%s after %s", v->name, prev->name);
		ck_assert_ptr_eq(verbs_find(v->name), v);
		ck_assert_msg(strncmp(v->usage, v->name, strlen(v->name)) == 0,
		    "usage of %s: %s", v->name, v->usage);
		ck_assert_msg(v->help[0] != '\0', "%s has no help", v->name);
		ck_assert_int_ge(v->min_args, 0);
		ck_assert(v->max_args == -1 || v->max_args >= v->min_args);
		ck_assert(v->arity_exit == TEND_EXIT_GENERIC ||
		    v->arity_exit == TEND_EXIT_INVALID_ARGS);
		if ((v->flags & (VERB_ALL | VERB_SIGNAME)) != 0)
			ck_assert((v->flags & (VERB_NAMES | VERB_GROUPS)) != 0);
		prev = v;
	}
	ck_assert_ptr_null(verbs_find("nosuch"));
	/* supervisorctl's fg, open: not implemented, so not offered */
	ck_assert_ptr_null(verbs_find("fg"));
	ck_assert_ptr_null(verbs_find("open"));
}
END_TEST

/* The shell completes verbs to exactly the table. */
START_TEST(test_completion_list_is_table)
{
	struct strlist	l = { NULL, 0 };
	size_t		i;

	verbs_names(&l);
	ck_assert_uint_eq(l.n, VERB_COUNT);
	for (i = 0; i < l.n; i++)
		ck_assert_str_eq(l.v[i], verbs_get((enum verb_id)i)->name);
	strlist_free(&l);
	ck_assert_int_eq(verbs_completion(NULL), VERBS_COMPLETE_VERB);
	ck_assert_int_eq(verbs_completion("nosuch"), VERBS_COMPLETE_NOTHING);
	ck_assert_int_eq(verbs_completion("fg"), VERBS_COMPLETE_NOTHING);
}
END_TEST

/* What follows each verb: supervisorctl's completion rules. */
static const struct completion_case {
	const char		*verb;
	enum verbs_completion	 what;
} completion_cases[] = {
	{ "help",	VERBS_COMPLETE_VERB },
	{ "add",	VERBS_COMPLETE_GROUP },
	{ "remove",	VERBS_COMPLETE_GROUP },
	{ "update",	VERBS_COMPLETE_GROUP },
	{ "clear",	VERBS_COMPLETE_PROCESS },
	{ "pid",	VERBS_COMPLETE_PROCESS },
	{ "restart",	VERBS_COMPLETE_PROCESS },
	{ "signal",	VERBS_COMPLETE_PROCESS },
	{ "start",	VERBS_COMPLETE_PROCESS },
	{ "status",	VERBS_COMPLETE_PROCESS },
	{ "stop",	VERBS_COMPLETE_PROCESS },
	{ "tail",	VERBS_COMPLETE_PROCESS },
	{ "avail",	VERBS_COMPLETE_NOTHING },
	{ "edit",	VERBS_COMPLETE_NOTHING },
	{ "exit",	VERBS_COMPLETE_NOTHING },
	{ "maintail",	VERBS_COMPLETE_NOTHING },
	{ "metrics",	VERBS_COMPLETE_NOTHING },
	{ "quit",	VERBS_COMPLETE_NOTHING },
	{ "reexec",	VERBS_COMPLETE_NOTHING },
	{ "reload",	VERBS_COMPLETE_NOTHING },
	{ "reopen",	VERBS_COMPLETE_NOTHING },
	{ "reread",	VERBS_COMPLETE_NOTHING },
	{ "shutdown",	VERBS_COMPLETE_NOTHING },
	{ "top",	VERBS_COMPLETE_NOTHING },
	{ "version",	VERBS_COMPLETE_NOTHING },
};

START_TEST(test_completion_after)
{
	const struct completion_case	*c = &completion_cases[_i];

	ck_assert_msg(verbs_completion(c->verb) == c->what, "after %s",
	    c->verb);
}
END_TEST

/* Every verb has a case above: a new one gets its rule decided. */
START_TEST(test_completion_cases_cover_table)
{
	ck_assert_uint_eq(nitems(completion_cases), VERB_COUNT);
}
END_TEST

/* help --verbs: a line per verb, in the table's order, with its words. */
START_TEST(test_describe)
{
	struct buf	 b;
	const char	*p, *nl;
	int		 i = 0;

	buf_init(&b);
	verbs_describe(&b);
	for (p = b.data; (nl = strchr(p, '\n')) != NULL; p = nl + 1, i++) {
		const struct verb	*v = verbs_get((enum verb_id)i);
		size_t			 len = strlen(v->name);

		ck_assert_int_lt(i, VERB_COUNT);
		ck_assert(strncmp(p, v->name, len) == 0 &&
		    (p[len] == ' ' || p[len] == '\n'));
	}
	ck_assert_int_eq(i, VERB_COUNT);
	ck_assert_str_eq(p, "");
	ck_assert_ptr_nonnull(strstr(b.data,
	    "\nsignal signal names groups all\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "\nhelp verbs client\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "\ntail names\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "\nreexec path\n"));
	buf_free(&b);
}
END_TEST

/* help: the columns name every verb but help; help VERB is its text. */
START_TEST(test_help)
{
	struct buf	 b;
	char		*word, *save = NULL, *want;
	int		 i, seen = 0;

	buf_init(&b);
	verbs_help(&b, NULL);
	ck_assert(strncmp(b.data, "\ndefault commands (type help <topic>):\n"
	    "=====================================\n", 77) == 0);
	for (word = strtok_r(b.data + 77, " \n", &save); word != NULL;
	    word = strtok_r(NULL, " \n", &save)) {
		ck_assert_ptr_nonnull(verbs_find(word));
		ck_assert_str_ne(word, "help");
		seen++;
	}
	ck_assert_int_eq(seen, VERB_COUNT - 1);
	for (i = 0; i < VERB_COUNT; i++) {
		const struct verb	*v = verbs_get((enum verb_id)i);

		buf_reset(&b);
		verbs_help(&b, v->name);
		want = xasprintf("%s\n", v->help);
		ck_assert_str_eq(b.data, want);
		free(want);
	}
	buf_reset(&b);
	verbs_help(&b, "nosuch");
	ck_assert_str_eq(b.data, "*** No help on nosuch\n");
	/* supervisorctl's help_maintail ends with an empty line */
	buf_reset(&b);
	verbs_help(&b, "maintail");
	ck_assert(b.len > 2 && strcmp(b.data + b.len - 2, "\n\n") == 0);
	buf_free(&b);
}
END_TEST

/* supervisorctl's words and exit statuses for a wrong count. */
static const struct arity_case {
	const char	*verb;
	int		 nargs;
	const char	*error;		/* NULL: the count is right */
	int		 code;
} arity_cases[] = {
	{ "start", 0, "Error: start requires a process name", 2 },
	{ "stop", 0, "Error: stop requires a process name", 1 },
	{ "restart", 0, "Error: restart requires a process name", 1 },
	{ "clear", 0, "Error: clear requires a process name", 1 },
	{ "signal", 1, "Error: signal requires a signal name and a process "
	    "name", 1 },
	{ "signal", 2, NULL, 0 },
	{ "tail", 0, "Error: too few arguments", 1 },
	{ "tail", 3, NULL, 0 },
	{ "tail", 4, "Error: too many arguments", 1 },
	{ "maintail", 1, NULL, 0 },
	{ "maintail", 2, "Error: too many arguments", 1 },
	{ "version", 1, "Error: version accepts no arguments", 1 },
	{ "shutdown", 1, "Error: shutdown accepts no arguments", 1 },
	{ "reload", 1, "Error: reload accepts no arguments", 1 },
	{ "avail", 1, "Error: avail accepts no arguments", 1 },
	{ "reread", 1, "Error: reread accepts no arguments", 1 },
	{ "reopen", 1, "Error: reopen accepts no arguments", 1 },
	{ "metrics", 1, "Error: metrics accepts no arguments", 1 },
	{ "status", 0, NULL, 0 },
	{ "status", 40, NULL, 0 },
	{ "pid", 0, NULL, 0 },
	{ "update", 0, NULL, 0 },
	{ "add", 0, NULL, 0 },
};

START_TEST(test_arity)
{
	const struct arity_case	*c = &arity_cases[_i];
	const struct verb	*v = verbs_find(c->verb);
	struct buf		 msg;

	ck_assert_ptr_nonnull(v);
	buf_init(&msg);
	if (c->error == NULL) {
		ck_assert(!verbs_arity_error(v, c->nargs, &msg));
	} else {
		ck_assert(verbs_arity_error(v, c->nargs, &msg));
		ck_assert_str_eq(msg.data, c->error);
		ck_assert_int_eq(v->arity_exit, c->code);
	}
	buf_free(&msg);
}
END_TEST

/* Where the names start: after a signal, after --json. */
START_TEST(test_first_name)
{
	char	*sig[] = { "signal", "HUP", "a", NULL };
	char	*json[] = { "status", "--json", "a", NULL };
	char	*plain[] = { "status", "a", "--json", NULL };
	char	*none[] = { "status", NULL };

	ck_assert_int_eq(verbs_first_name(verbs_find("signal"), 3, sig), 2);
	ck_assert_int_eq(verbs_first_name(verbs_find("status"), 3, json), 2);
	ck_assert_int_eq(verbs_first_name(verbs_find("status"), 3, plain), 1);
	ck_assert_int_eq(verbs_first_name(verbs_find("status"), 1, none), 1);
	ck_assert_int_eq(verbs_first_name(verbs_find("stop"), 3, json), 1);
}
END_TEST

/* man/tendctl.1 has an entry (".TP" then ".B verb", ".BR verb ...",
 * ".BI verb ...") for every verb. */
START_TEST(test_man_entries)
{
	char	*page = check_srcfile("man/tendctl.1"), *entry;
	int	 i, missing = 0;

	for (i = 0; i < VERB_COUNT; i++) {
		const char	*name = verbs_get((enum verb_id)i)->name;
		bool		 found = false;
		/* before and after the name */
		const char	*forms[][2] = { { ".B ", "\n" },
			{ ".BR ", " " }, { ".BI ", " " }, { ".BR \"", " " },
			{ ".BI \"", " " } };
		size_t		 k;

		for (k = 0; k < nitems(forms) && !found; k++) {
			entry = xasprintf(".TP\n%s%s%s", forms[k][0], name,
			    forms[k][1]);
			found = strstr(page, entry) != NULL;
			free(entry);
		}
		if (!found) {
			(void)fprintf(stderr, "man/tendctl.1: no entry for the "
			    "verb %s\n", name);
			missing++;
		}
	}
	ck_assert_int_eq(missing, 0);
	free(page);
}
END_TEST

/* The bash completion asks tendctl for the verbs: no line of it names
 * more than two of them (a list, or a case of verbs, would). */
START_TEST(test_bash_completion_has_no_list)
{
	char	*text = check_srcfile("contrib/bash-completion/tendctl");
	char	*line, *save = NULL, *word, *wsave;
	int	 n;

	ck_assert_ptr_nonnull(strstr(text, "help --verbs"));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char	*copy = xstrdup(line);

		n = 0;
		wsave = NULL;
		for (word = strtok_r(copy, " \t\"'|()=", &wsave);
		    word != NULL; word = strtok_r(NULL, " \t\"'|()=", &wsave))
			if (verbs_find(word) != NULL)
				n++;
		ck_assert_msg(n <= 2, "a list of verbs: %s", line);
		free(copy);
	}
	free(text);
}
END_TEST

/* make_namespec and split_namespec, as supervisorctl's. */
static const struct namespec_case {
	const char	*spec, *group, *name;
} namespec_cases[] = {
	{ "web", "web", "web" },
	{ "g:web", "g", "web" },
	{ "g:*", "g", NULL },
	{ "g:", "g", NULL },
	{ "a:b:c", "a", "b:c" },
	{ ":x", "", "x" },
};

START_TEST(test_namespec_split)
{
	const struct namespec_case	*c = &namespec_cases[_i];
	char				*group, *name;

	verbs_namespec_split(c->spec, &group, &name);
	ck_assert_str_eq(group, c->group);
	if (c->name == NULL)
		ck_assert_ptr_null(name);
	else
		ck_assert_str_eq(name, c->name);
	free(group);
	free(name);
}
END_TEST

START_TEST(test_namespec_format)
{
	char	out[VERBS_NAMESPEC_SIZE], group[101], name[101], *want;

	ck_assert_str_eq(verbs_namespec("web", "web", out, sizeof(out)),
	    "web");
	ck_assert_str_eq(verbs_namespec("g", "web", out, sizeof(out)),
	    "g:web");
	ck_assert_str_eq(verbs_namespec("web", "web_01", out, sizeof(out)),
	    "web:web_01");
	/* the longest names (100 bytes each) fit */
	memset(group, 'g', 100);
	group[100] = '\0';
	memset(name, 'n', 100);
	name[100] = '\0';
	want = xasprintf("%s:%s", group, name);
	ck_assert_str_eq(verbs_namespec(group, name, out, sizeof(out)), want);
	free(want);
}
END_TEST

/* Command lines as supervisorctl reads them (cmd.Cmd.parseline, then
 * str.split()): words between '|', or NULL. */
static const struct {
	const char	*line;
	enum verbs_line	 kind;
	const char	*words;
	const char	*stripped;
} line_cases[] = {
	/* Ansible's "signal USR1" joined with the name */
	{ "signal USR1 web", VERBS_LINE_VERB, "signal|USR1|web",
	    "signal USR1 web" },
	{ "  signal \t USR1\n\v\f\rweb  ", VERBS_LINE_VERB, "signal|USR1|web",
	    "signal \t USR1\n\v\f\rweb" },
	{ "status", VERBS_LINE_VERB, "status", "status" },
	{ "status ", VERBS_LINE_VERB, "status", "status" },
	/* quotes are characters, not quoting */
	{ "status \"a b\" 'c'", VERBS_LINE_VERB, "status|\"a|b\"|'c'",
	    "status \"a b\" 'c'" },
	{ "tail -f web stderr", VERBS_LINE_VERB, "tail|-f|web|stderr",
	    "tail -f web stderr" },
	/* Python's other white space, in UTF-8: \x1c-\x1f, U+0085, U+00A0,
	 * U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000 */
	{ "stop\x1c" "a\x1f" "b", VERBS_LINE_VERB, "stop|a|b",
	    "stop\x1c" "a\x1f" "b" },
	{ "stop\xc2\xa0" "a\xc2\x85" "b\xe1\x9a\x80" "c", VERBS_LINE_VERB,
	    "stop|a|b|c", "stop\xc2\xa0" "a\xc2\x85" "b\xe1\x9a\x80" "c" },
	{ "\xe3\x80\x80stop\xe2\x80\x80" "a\xe2\x80\x8a" "b\xe2\x80\xa8"
	    "c\xe2\x80\xa9" "d\xe2\x80\xaf" "e\xe2\x81\x9f" "f\xe2\x80\x8b",
	    VERBS_LINE_VERB, "stop|a|b|c|d|e|f\xe2\x80\x8b",
	    "stop\xe2\x80\x80" "a\xe2\x80\x8a" "b\xe2\x80\xa8"
	    "c\xe2\x80\xa9" "d\xe2\x80\xaf" "e\xe2\x81\x9f" "f\xe2\x80\x8b" },
	/* a name in UTF-8 that is not white space stays whole */
	{ "start caf\xc3\xa9", VERBS_LINE_VERB, "start|caf\xc3\xa9",
	    "start caf\xc3\xa9" },
	/* the verb ends at the first byte outside [A-Za-z0-9_] */
	{ "status:web", VERBS_LINE_VERB, "status|:web", "status:web" },
	{ "stop,a", VERBS_LINE_VERB, "stop|,a", "stop,a" },
	/* help takes the rest of the line as its topic */
	{ "help", VERBS_LINE_VERB, "help", "help" },
	{ "help  signal USR1 ", VERBS_LINE_VERB, "help|signal USR1",
	    "help  signal USR1" },
	{ "?", VERBS_LINE_VERB, "help", "help " },
	{ "?stop", VERBS_LINE_VERB, "help|stop", "help stop" },
	{ "", VERBS_LINE_EMPTY, NULL, "" },
	{ " \t\xc2\xa0 ", VERBS_LINE_EMPTY, NULL, "" },
	{ "!ls", VERBS_LINE_UNKNOWN, NULL, "!ls" },
	{ " nosuch   verb ", VERBS_LINE_UNKNOWN, NULL, "nosuch   verb" },
	{ "-x", VERBS_LINE_UNKNOWN, NULL, "-x" },
	{ "STATUS", VERBS_LINE_UNKNOWN, NULL, "STATUS" },
	{ "statusx", VERBS_LINE_UNKNOWN, NULL, "statusx" },
	{ "EOF", VERBS_LINE_UNKNOWN, NULL, "EOF" },
};

START_TEST(test_parse_line)
{
	struct strlist	 words = { NULL, 0 };
	struct buf	 got;
	char		*stripped = NULL;
	size_t		 i;

	ck_assert_int_eq(verbs_parse_line(line_cases[_i].line, &words,
	    &stripped), line_cases[_i].kind);
	ck_assert_str_eq(stripped, line_cases[_i].stripped);
	buf_init(&got);
	for (i = 0; i < words.n; i++)
		buf_printf(&got, "%s%s", i > 0 ? "|" : "", words.v[i]);
	if (line_cases[_i].words == NULL)
		ck_assert_uint_eq(words.n, 0);
	else
		ck_assert_str_eq(got.data, line_cases[_i].words);
	buf_free(&got);
	strlist_free(&words);
	free(stripped);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("verbs");
	TCase	*tc = tcase_create("table");

	tcase_add_test(tc, test_table_rows);
	tcase_add_test(tc, test_completion_list_is_table);
	tcase_add_loop_test(tc, test_completion_after, 0,
	    (int)nitems(completion_cases));
	tcase_add_test(tc, test_completion_cases_cover_table);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_help);
	tcase_add_loop_test(tc, test_arity, 0, (int)nitems(arity_cases));
	tcase_add_test(tc, test_first_name);
	tcase_add_test(tc, test_man_entries);
	tcase_add_test(tc, test_bash_completion_has_no_list);
	tcase_add_loop_test(tc, test_namespec_split, 0,
	    (int)nitems(namespec_cases));
	tcase_add_test(tc, test_namespec_format);
	tcase_add_loop_test(tc, test_parse_line, 0, (int)nitems(line_cases));
	suite_add_tcase(s, tc);
	return check_run(s);
}
