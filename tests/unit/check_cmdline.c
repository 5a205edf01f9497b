/* check_cmdline.c: cmdline_split (Python's shlex.split, POSIX mode, plus
 * comments at word starts) and cmdline_expand (Python's "s % dict").
 * Expected values were checked against Python 3.11's shlex and % operator. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "util.h"
#include "check_run.h"

#define MAXW	8

/* ---- split ---- */

static const struct split_case {
	const char	*in;
	const char	*err;		/* NULL: success */
	const char	*argv[MAXW];	/* NULL-terminated */
} split_cases[] = {
	/* whitespace */
	{ "a", NULL, { "a" } },
	{ "a b c", NULL, { "a", "b", "c" } },
	{ "  a   b  ", NULL, { "a", "b" } },
	{ "a\tb\nc\rd", NULL, { "a", "b", "c", "d" } },
	{ "\t\n a \r\n", NULL, { "a" } },
	{ "a\vb\fc", NULL, { "a\vb\fc" } },	/* not shlex whitespace */
	{ "/bin/echo hello world", NULL, { "/bin/echo", "hello", "world" } },
	/* single quotes: everything literal */
	{ "'a b' c", NULL, { "a b", "c" } },
	{ "'a\\b'", NULL, { "a\\b" } },
	{ "'a\\'", NULL, { "a\\" } },
	{ "'a\"b'", NULL, { "a\"b" } },
	{ "'$HOME'", NULL, { "$HOME" } },
	{ "'a\nb'", NULL, { "a\nb" } },
	/* double quotes: only \" and \\ are escapes */
	{ "\"a b\" c", NULL, { "a b", "c" } },
	{ "\"a\\\"b\"", NULL, { "a\"b" } },
	{ "\"a\\\\b\"", NULL, { "a\\b" } },
	{ "\"\\$HOME \\`x\\` \\n \\a\"", NULL, { "\\$HOME \\`x\\` \\n \\a" } },
	{ "\"a'b\"", NULL, { "a'b" } },
	{ "\"a\\\nb\"", NULL, { "a\\\nb" } },
	{ "\"$HOME\"", NULL, { "$HOME" } },
	/* quotes join with what touches them; empty quotes make a word */
	{ "a'b'c", NULL, { "abc" } },
	{ "a\"\"b", NULL, { "ab" } },
	{ "a\"b c\"d", NULL, { "ab cd" } },
	{ "''", NULL, { "" } },
	{ "\"\"", NULL, { "" } },
	{ "a '' b", NULL, { "a", "", "b" } },
	{ "'' \"\"", NULL, { "", "" } },
	{ "'a'\"b\"c", NULL, { "abc" } },
	/* backslash outside quotes: the next character, whatever it is */
	{ "a\\ b", NULL, { "a b" } },
	{ "\\ ", NULL, { " " } },
	{ "\\'a", NULL, { "'a" } },
	{ "\\\"a", NULL, { "\"a" } },
	{ "\\\\", NULL, { "\\" } },
	{ "\\n", NULL, { "n" } },
	{ "a\\\nb", NULL, { "a\nb" } },
	{ "\\$HOME", NULL, { "$HOME" } },
	/* no shell: these are just characters */
	{ "a;b | c && d > e", NULL, { "a;b", "|", "c", "&&", "d", ">", "e" } },
	{ "$(x) `y` *", NULL, { "$(x)", "`y`", "*" } },
	{ "\xc3\xa9t\xc3\xa9 na\xc3\xafve", NULL, { "\xc3\xa9t\xc3\xa9", "na\xc3\xafve" } },
	/* comments: '#' at the start of an unquoted word, to the newline */
	{ "a #c", NULL, { "a" } },
	{ "a\t#c d e", NULL, { "a" } },
	{ "a#b", NULL, { "a#b" } },
	{ "a#b #c", NULL, { "a#b" } },
	{ "a # c 'not a quote", NULL, { "a" } },
	{ "a # c \"x\\", NULL, { "a" } },
	{ "a #c\nd", NULL, { "a", "d" } },
	{ "#c\na", NULL, { "a" } },
	{ "a #c\n#d\ne", NULL, { "a", "e" } },
	{ "a '#b'", NULL, { "a", "#b" } },
	{ "a \"#b\"", NULL, { "a", "#b" } },
	{ "a \\#b", NULL, { "a", "#b" } },
	{ "a ''#b", NULL, { "a", "#b" } },
	{ "a 'x'#b", NULL, { "a", "x#b" } },
	{ "a\\ #b", NULL, { "a #b" } },
	{ "sh -c 'echo #1'", NULL, { "sh", "-c", "echo #1" } },
	/* errors */
	{ "", "command is empty", { NULL } },
	{ " ", "command is empty", { NULL } },
	{ " \t\r\n ", "command is empty", { NULL } },
	{ "#only a comment", "command is empty", { NULL } },
	{ "  # x\n  # y", "command is empty", { NULL } },
	{ "'abc", "unterminated quote", { NULL } },
	{ "\"abc", "unterminated quote", { NULL } },
	{ "a 'b\"", "unterminated quote", { NULL } },
	{ "a \"b'", "unterminated quote", { NULL } },
	{ "'", "unterminated quote", { NULL } },
	{ "\"", "unterminated quote", { NULL } },
	{ "a \"b\\\"", "unterminated quote", { NULL } },
	{ "a 'b' \"c", "unterminated quote", { NULL } },
	{ "a\\", "trailing backslash", { NULL } },
	{ "\\", "trailing backslash", { NULL } },
	{ "a b \\", "trailing backslash", { NULL } },
	{ "\"a\\", "trailing backslash", { NULL } },
};

START_TEST(test_split)
{
	const struct split_case	*c = &split_cases[_i];
	char			**argv = (char **)1;
	const char		 *err = NULL;
	size_t			  i;
	int			  rc;

	rc = cmdline_split(c->in, &argv, &err);
	if (c->err != NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(argv);
		ck_assert_str_eq(err, c->err);
		return;
	}
	ck_assert_msg(rc == 0, "split failed on case %d: %s", _i, err);
	for (i = 0; c->argv[i] != NULL; i++) {
		ck_assert_ptr_nonnull(argv[i]);
		ck_assert_str_eq(argv[i], c->argv[i]);
	}
	ck_assert_ptr_null(argv[i]);
	cmdline_free(argv);
}
END_TEST

START_TEST(test_split_long)
{
	struct buf	  b;
	char		**argv, *word;
	const char	 *err;
	size_t		  i;

	/* one 70000-byte word, bare */
	word = xmalloc(70001);
	memset(word, 'x', 70000);
	word[70000] = '\0';
	ck_assert_int_eq(cmdline_split(word, &argv, &err), 0);
	ck_assert_uint_eq(strlen(argv[0]), 70000);
	ck_assert_ptr_null(argv[1]);
	cmdline_free(argv);

	/* a 70000-byte quoted argument full of spaces, between two words */
	memset(word, ' ', 70000);
	buf_init(&b);
	buf_printf(&b, "/bin/prog '%s' \"%s\" end", word, word);
	ck_assert_int_eq(cmdline_split(b.data, &argv, &err), 0);
	ck_assert_str_eq(argv[0], "/bin/prog");
	ck_assert_str_eq(argv[1], word);
	ck_assert_str_eq(argv[2], word);
	ck_assert_str_eq(argv[3], "end");
	ck_assert_ptr_null(argv[4]);
	cmdline_free(argv);

	/* 20000 arguments */
	buf_reset(&b);
	for (i = 0; i < 20000; i++)
		buf_printf(&b, "a%zu ", i);
	ck_assert_int_eq(cmdline_split(b.data, &argv, &err), 0);
	for (i = 0; i < 20000; i++) {
		char want[16];
		(void)snprintf(want, sizeof want, "a%zu", i);
		ck_assert_str_eq(argv[i], want);
	}
	ck_assert_ptr_null(argv[20000]);
	cmdline_free(argv);

	/* an unterminated quote after 70000 bytes */
	buf_reset(&b);
	memset(word, 'y', 70000);
	buf_printf(&b, "%s '%s", word, word);
	argv = (char **)1;
	ck_assert_int_eq(cmdline_split(b.data, &argv, &err), -1);
	ck_assert_ptr_null(argv);
	ck_assert_str_eq(err, "unterminated quote");

	buf_free(&b);
	free(word);
	cmdline_free(NULL);
}
END_TEST

/* ---- expand ---- */

static const struct cmdline_var vars[] = {
	{ "program_name", "web" },
	{ "group_name", "webs" },
	{ "process_num", "3" },
	{ "numprocs", "12" },
	{ "neg", "-3" },
	{ "zero", "0" },
	{ "plus", "+5" },
	{ "big", "9223372036854775807" },
	{ "small", "-9223372036854775808" },
	{ "huge", "9223372036854775808" },
	{ "here", "/etc/tend" },
	{ "empty", "" },
	{ "spaced", " 3" },
	{ "pct", "100%% %(program_name)s %s %n" },
	{ "utf", "\xc3\xa9t\xc3\xa9" },
	{ "a(b)", "nested" },
	{ "", "nameless" },
	{ "HOME", "var wins over nothing" },
	{ "ENV_OVER", "var wins" },
	{ "dup", "first" },
	{ "dup", "second" },
	{ NULL, "no name: skipped" },
	{ "nullvalue", NULL },
};

static char *const envp[] = {
	"HOME=/root",
	"PATH=/usr/bin:/bin",
	"EMPTY=",
	"EQ=a=b",
	"OVER=env",
	"A=B=c",
	"NOEQUALS",
	NULL,
};

static const struct expand_case {
	const char	*in;
	const char	*out;		/* NULL: error */
	const char	*err;
} expand_cases[] = {
	/* plain text and %% */
	{ "", "", NULL },
	{ "/bin/cat", "/bin/cat", NULL },
	{ "%%", "%", NULL },
	{ "100%% sure", "100% sure", NULL },
	{ "%%%%", "%%", NULL },
	{ "%%(program_name)s", "%(program_name)s", NULL },
	/* %s */
	{ "%(program_name)s", "web", NULL },
	{ "x%(program_name)sy%(group_name)sz", "xwebywebsz", NULL },
	{ "%(here)s/bin/app --name %(program_name)s_%(process_num)02d",
	  "/etc/tend/bin/app --name web_03", NULL },
	{ "%(empty)s", "", NULL },
	{ "[%(program_name)5s]", "[  web]", NULL },
	{ "[%(program_name)-5s]", "[web  ]", NULL },
	{ "[%(program_name)05s]", "[  web]", NULL },
	{ "[%(program_name).1s]", "[w]", NULL },
	{ "[%(program_name).s]", "[]", NULL },
	{ "[%(program_name)2s]", "[web]", NULL },
	{ "[%(program_name)-6.2s]", "[we    ]", NULL },
	{ "[%(utf)4s]", "[ \xc3\xa9t\xc3\xa9]", NULL },
	{ "[%(utf).2s]", "[\xc3\xa9t]", NULL },
	{ "%(process_num)s", "3", NULL },
	{ "%(program_name)ls", "web", NULL },
	/* %d and friends */
	{ "%(process_num)d", "3", NULL },
	{ "%(process_num)02d", "03", NULL },
	{ "%(numprocs)02d", "12", NULL },
	{ "%(numprocs)01d", "12", NULL },
	{ "%(process_num)05d", "00003", NULL },
	{ "%(neg)d", "-3", NULL },
	{ "%(neg)03d", "-03", NULL },
	{ "%(neg).3d", "-003", NULL },
	{ "%(process_num).3d", "003", NULL },
	{ "%(process_num)+d", "+3", NULL },
	{ "%(neg)+d", "-3", NULL },
	{ "%(process_num) d", " 3", NULL },
	{ "%(process_num) 05d", " 0003", NULL },
	{ "%(process_num)+ d", "+3", NULL },
	{ "[%(process_num)-4d]", "[3   ]", NULL },
	{ "[%(process_num)0-4d]", "[3   ]", NULL },
	{ "[%(process_num)4d]", "[   3]", NULL },
	{ "[%(process_num)6.3d]", "[   003]", NULL },
	{ "%(process_num)#d", "3", NULL },
	{ "%(process_num)ld", "3", NULL },
	{ "%(process_num)hd", "3", NULL },
	{ "%(process_num)Ld", "3", NULL },
	{ "%(process_num)i", "3", NULL },
	{ "%(process_num)u", "3", NULL },
	{ "%(zero)03d", "000", NULL },
	{ "%(plus)d", "5", NULL },
	{ "%(big)d", "9223372036854775807", NULL },
	{ "%(small)d", "-9223372036854775808", NULL },
	{ "%(small)025d", "-000009223372036854775808", NULL },
	/* names */
	{ "%(a(b))s", "nested", NULL },
	{ "%()s", "nameless", NULL },
	{ "%(dup)s", "first", NULL },
	/* environment */
	{ "%(ENV_HOME)s", "/root", NULL },
	{ "%(ENV_PATH)s", "/usr/bin:/bin", NULL },
	{ "%(ENV_EMPTY)s", "", NULL },
	{ "%(ENV_EQ)s", "a=b", NULL },
	{ "%(ENV_A)s", "B=c", NULL },
	{ "%(ENV_OVER)s", "var wins", NULL },
	{ "%(HOME)s", "var wins over nothing", NULL },
	{ "%(ENV_HOME)s%(ENV_HOME)s", "/root/root", NULL },
	/* values are never expanded again */
	{ "%(pct)s", "100%% %(program_name)s %s %n", NULL },
	{ "<%(pct)s>%%", "<100%% %(program_name)s %s %n>%", NULL },
	/* unknown names */
	{ "%(foo)s", NULL, "unknown expansion '%(foo)s'" },
	{ "a %(foo)d b", NULL, "unknown expansion '%(foo)d'" },
	{ "%(foo)02d", NULL, "unknown expansion '%(foo)02d'" },
	{ "%(foo)z", NULL, "unknown expansion '%(foo)z'" },
	{ "%(program_name)s %(nope)s", NULL, "unknown expansion '%(nope)s'" },
	{ "%(PROGRAM_NAME)s", NULL, "unknown expansion '%(PROGRAM_NAME)s'" },
	{ "%(ENV_NOPE)s", NULL, "unknown expansion '%(ENV_NOPE)s'" },
	{ "%(ENV_home)s", NULL, "unknown expansion '%(ENV_home)s'" },
	{ "%(ENV_A=B)s", NULL, "unknown expansion '%(ENV_A=B)s'" },
	{ "%(ENV_NOEQUALS)s", NULL, "unknown expansion '%(ENV_NOEQUALS)s'" },
	{ "%(ENV_)s", NULL, "unknown expansion '%(ENV_)s'" },
	{ "%(ENV)s", NULL, "unknown expansion '%(ENV)s'" },
	{ "%(nullvalue)s", NULL, "unknown expansion '%(nullvalue)s'" },
	{ "%( program_name)s", NULL, "unknown expansion '%( program_name)s'" },
	{ "%(a\x01" "b)s", NULL, "unknown expansion '%(a?b)s'" },
	{ "%(a_name_much_longer_than_what_a_message_should_quote)s", NULL,
	  "unknown expansion '%(a_name_much_longer_than_what_a_message...'" },
	/* bad formats */
	{ "%", NULL, "bad format near '%'" },
	{ "abc%", NULL, "bad format near '%'" },
	{ "%s", NULL, "bad format near '%s'" },
	{ "%d", NULL, "bad format near '%d'" },
	{ "% s", NULL, "bad format near '% '" },
	{ "%x", NULL, "bad format near '%x'" },
	{ "50% off", NULL, "bad format near '% '" },
	{ "%(program_name", NULL, "bad format near '%(program_name'" },
	{ "%(a(b)s", NULL, "bad format near '%(a(b)s'" },
	{ "%(program_name)", NULL, "bad format near '%(program_name)'" },
	{ "%(program_name)z", NULL, "bad format near '%(program_name)z'" },
	{ "%(program_name)r", NULL, "bad format near '%(program_name)r'" },
	{ "%(program_name)%", NULL, "bad format near '%(program_name)%'" },
	{ "%(program_name)*s", NULL, "bad format near '%(program_name)*'" },
	{ "%(program_name)5", NULL, "bad format near '%(program_name)5'" },
	{ "%(program_name)5.", NULL, "bad format near '%(program_name)5.'" },
	{ "%(program_name)lls", NULL, "bad format near '%(program_name)ll'" },
	{ "%(program_name)99999s", NULL, "bad format near '%(program_name)99999s'" },
	{ "%(program_name).99999s", NULL, "bad format near '%(program_name).99999s'" },
	{ "%(program_name)4097s", NULL, "bad format near '%(program_name)4097s'" },
	{ "ok %(program_name)s then %", NULL, "bad format near '%'" },
	/* %d of something that is not a number */
	{ "%(here)d", NULL, "expansion '%(here)d' is not a number" },
	{ "%(empty)d", NULL, "expansion '%(empty)d' is not a number" },
	{ "%(spaced)02d", NULL, "expansion '%(spaced)02d' is not a number" },
	{ "%(huge)d", NULL, "expansion '%(huge)d' is not a number" },
	{ "%(ENV_HOME)d", NULL, "expansion '%(ENV_HOME)d' is not a number" },
};

START_TEST(test_expand)
{
	const struct expand_case	*c = &expand_cases[_i];
	char				 err[200], *out;

	(void)snprintf(err, sizeof err, "stale");
	out = cmdline_expand(c->in, vars, nitems(vars), envp, err, sizeof err);
	if (c->out != NULL) {
		ck_assert_msg(out != NULL, "\"%s\": %s", c->in, err);
		ck_assert_str_eq(out, c->out);
		ck_assert_str_eq(err, "");
		free(out);
	} else {
		ck_assert_msg(out == NULL, "\"%s\" gave \"%s\"", c->in, out);
		ck_assert_str_eq(err, c->err);
	}
}
END_TEST

START_TEST(test_expand_args)
{
	struct cmdline_var	 one = { "x", "1" };
	char			 err[16], *out;

	/* no vars, no envp */
	out = cmdline_expand("plain %%", NULL, 0, NULL, err, sizeof err);
	ck_assert_str_eq(out, "plain %");
	free(out);
	ck_assert_ptr_null(cmdline_expand("%(ENV_HOME)s", NULL, 0, NULL, err,
	    sizeof err));
	/* a short errbuf gets a cut, terminated message */
	ck_assert_str_eq(err, "unknown expansi");
	/* no errbuf at all is fine */
	ck_assert_ptr_null(cmdline_expand("%(y)s", &one, 1, NULL, NULL, 0));
	ck_assert_ptr_null(cmdline_expand("%", &one, 1, NULL, err, 0));
	out = cmdline_expand("%(x)s", &one, 1, NULL, NULL, 0);
	ck_assert_str_eq(out, "1");
	free(out);
	/* an errbuf of 1 byte holds just the NUL */
	err[0] = 'z';
	ck_assert_ptr_null(cmdline_expand("%(y)s", &one, 1, NULL, err, 1));
	ck_assert_int_eq(err[0], '\0');
}
END_TEST

START_TEST(test_expand_long)
{
	struct cmdline_var	 v[2];
	struct buf		 b;
	char			*big, *out, err[200];

	big = xmalloc(70001);
	memset(big, 'v', 70000);
	big[70000] = '\0';
	v[0].name = "big";
	v[0].value = big;
	v[1].name = "n";
	v[1].value = "7";

	out = cmdline_expand(big, v, 2, NULL, err, sizeof err);
	ck_assert_str_eq(out, big);
	free(out);

	buf_init(&b);
	buf_printf(&b, "<%%(big)s|%%(n)04d|%%(big)s>");
	out = cmdline_expand(b.data, v, 2, NULL, err, sizeof err);
	ck_assert_uint_eq(strlen(out), 140000 + 8);
	ck_assert_int_eq(out[0], '<');
	ck_assert_int_eq(memcmp(out + 70001, "|0007|", 6), 0);
	ck_assert_int_eq(out[140007], '>');
	free(out);

	/* a big width is refused, a fair one honoured */
	out = cmdline_expand("%(n)4096d", v, 2, NULL, err, sizeof err);
	ck_assert_uint_eq(strlen(out), 4096);
	ck_assert_int_eq(out[4095], '7');
	free(out);

	/* many directives */
	buf_reset(&b);
	for (int i = 0; i < 10000; i++)
		buf_addstr(&b, "%(n)s");
	out = cmdline_expand(b.data, v, 2, NULL, err, sizeof err);
	ck_assert_uint_eq(strlen(out), 10000);
	free(out);

	buf_free(&b);
	free(big);
}
END_TEST

START_TEST(test_expand_then_split)
{
	static const struct cmdline_var v[] = {
		{ "here", "/srv/my app" },
		{ "program_name", "web" },
		{ "process_num", "1" },
	};
	char	**argv, err[200], *cmd;
	const char *serr;

	/* expansion is textual: quoting around it is the config's job */
	cmd = cmdline_expand("'%(here)s/run' --name=%(program_name)s-%(process_num)02d"
	    " # %(program_name)s", v, nitems(v), NULL, err, sizeof err);
	ck_assert_ptr_nonnull(cmd);
	ck_assert_int_eq(cmdline_split(cmd, &argv, &serr), 0);
	ck_assert_str_eq(argv[0], "/srv/my app/run");
	ck_assert_str_eq(argv[1], "--name=web-01");
	ck_assert_ptr_null(argv[2]);
	cmdline_free(argv);
	free(cmd);
}
END_TEST

/* ---- runner ---- */

static Suite *
suite_cmdline(void)
{
	Suite	*s = suite_create("cmdline");
	TCase	*tc;

	tc = tcase_create("split");
	tcase_add_loop_test(tc, test_split, 0, nitems(split_cases));
	tcase_add_test(tc, test_split_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("expand");
	tcase_add_loop_test(tc, test_expand, 0, nitems(expand_cases));
	tcase_add_test(tc, test_expand_args);
	tcase_add_test(tc, test_expand_long);
	tcase_add_test(tc, test_expand_then_split);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite_cmdline());
}
