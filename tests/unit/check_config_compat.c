/* check_config_compat.c: the configuration read as supervisord 4.2.5
 * reads it (supervisor/options.py, configparser with inline comment
 * prefixes ; and # and strict=False): expansions before every
 * conversion, %(ENV_X)s from the configured environment= with
 * supervisord's precedence, a key or a section given twice, inline
 * comments, unknown keys with "did you mean", strict mode, UTF-8 names,
 * and the argv line of tendd -t. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "config.h"
#include "config_int.h"
#include "log.h"
#include "util.h"

#include "config_load_test.h"

/* The process called name, which must exist. */
static const struct program *
proc(const struct config *cfg, const char *name)
{
	const struct program	*p = config_find(cfg, name);

	ck_assert_msg(p != NULL, "no process %s", name);
	return p;
}

/* The value of key in l, or NULL. */
static const char *
env_get(const struct envlist *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	return NULL;
}

/* ---- 1. expansions before the conversion ---- */

START_TEST(test_expand_typed_keys)
{
	struct config		*cfg;
	const struct program	*p;

	ck_assert_int_eq(setenv("TC_FALSE", "false", 1), 0);
	ck_assert_int_eq(setenv("TC_NUM", "3", 1), 0);
	ck_assert_int_eq(setenv("TC_LEVEL", "debug", 1), 0);
	ck_assert_int_eq(setenv("TC_USER", "root", 1), 0);
	ck_assert_int_eq(setenv("TC_MASK", "027", 1), 0);
	ck_assert_int_eq(setenv("TC_SIG", "INT", 1), 0);
	ck_assert_int_eq(setenv("TC_PRIO", "-5", 1), 0);
	cfg = load_ok("[supervisord]\nloglevel=%(ENV_TC_LEVEL)s\n"
	    "nodaemon=%(ENV_TC_FALSE)s\nminfds=%(ENV_TC_NUM)s00\n"
	    "[program:w]\ncommand=/bin/true\n"
	    "autostart=%(ENV_TC_FALSE)s\nnumprocs=%(ENV_TC_NUM)s\n"
	    "numprocs_start=%(ENV_TC_NUM)s\n"
	    "process_name=%(program_name)s_%(process_num)02d\n"
	    "user=%(ENV_TC_USER)s\numask=%(ENV_TC_MASK)s\n"
	    "stopsignal=%(ENV_TC_SIG)s\npriority=%(ENV_TC_PRIO)s\n"
	    "startsecs=%(process_num)d\nstopwaitsecs=%(numprocs)d\n");
	ck_assert_int_eq(cfg->loglevel, LOG_LVL_DEBUG);
	ck_assert(!cfg->nodaemon);
	ck_assert_uint_eq(cfg->minfds, 300);
	ck_assert_uint_eq(cfg->nprogs, 3);
	p = proc(cfg, "w:w_05");
	ck_assert(!p->autostart);
	ck_assert_str_eq(p->user, "root");
	ck_assert_uint_eq(p->uid, 0);
	ck_assert_int_eq(p->umask, 027);
	ck_assert_int_eq(p->stopsignal, SIGINT);
	ck_assert_int_eq(p->priority, -5);
	ck_assert_uint_eq(p->startsecs, 5);
	ck_assert_uint_eq(p->stopwaitsecs, 3);
	ck_assert_ptr_nonnull(config_find(cfg, "w:w_03"));
	config_free(cfg);
}
END_TEST

/* An error after an expansion shows what the value expanded to. */
START_TEST(test_expand_errors)
{
	ck_assert_int_eq(setenv("TC_MAYBE", "maybe", 1), 0);
	ck_assert_int_eq(setenv("TC_LOUD", "loud", 1), 0);
	ck_assert_int_eq(unsetenv("TC_UNSET"), 0);
	load_err("[program:x]\ncommand=x\nautostart=%(ENV_TC_MAYBE)s\n",
	    F ":3: [program:x] autostart: \"%(ENV_TC_MAYBE)s\" expanded to "
	    "\"maybe\": \"maybe\" is not a boolean (expected true or false)");
	load_err("[tend]\nloglevel=%(ENV_TC_LOUD)s\n",
	    F ":2: [tend] loglevel: \"%(ENV_TC_LOUD)s\" expanded to \"loud\": "
	    "\"loud\" is not a log level (expected critical, error, warn, "
	    "info, debug or trace)");
	load_err("[program:x]\ncommand=x\nnumprocs=%(ENV_TC_UNSET)s\n",
	    F ":3: [program:x] numprocs: unknown expansion "
	    "'%(ENV_TC_UNSET)s'");
	load_err("[program:x]\ncommand=x\nstartsecs=%(process_num)s0%\n",
	    F ":3: [program:x] startsecs: bad format near '%'");
	/* %% is a %, in any key */
	load_err("[program:x]\ncommand=x\nstartsecs=5%%\n",
	    F ":3: [program:x] startsecs: \"5%%\" expanded to \"5%\": \"5%\" "
	    "is not a number");
}
END_TEST

/* ---- 2. %(ENV_X)s sees the configured environment ---- */

/* The list %(ENV_X)s looks in is built once, not for every key: each
 * process and each program still sees its own environment=, and one
 * without sees none of another's. */
START_TEST(test_env_per_process)
{
	struct config		*cfg;

	ck_assert_int_eq(setenv("TC_X", "process", 1), 0);
	cfg = load_ok("[tend]\nenvironment=TC_G=\"global\"\n"
	    "[program:a]\nprocess_name=a%(process_num)d\nnumprocs=2\n"
	    "environment=TC_X=\"a%(process_num)d\"\n"
	    "command=/bin/echo %(ENV_TC_X)s %(ENV_TC_G)s\n"
	    "[program:b]\nenvironment=TC_X=\"b\"\n"
	    "command=/bin/echo %(ENV_TC_X)s %(ENV_TC_G)s\n"
	    "[program:c]\ncommand=/bin/echo %(ENV_TC_X)s %(ENV_TC_G)s\n");
	ck_assert_str_eq(proc(cfg, "a:a0")->argv[1], "a0");
	ck_assert_str_eq(proc(cfg, "a:a1")->argv[1], "a1");
	ck_assert_str_eq(proc(cfg, "a:a1")->argv[2], "global");
	ck_assert_str_eq(proc(cfg, "b")->argv[1], "b");
	ck_assert_str_eq(proc(cfg, "c")->argv[1], "process");
	ck_assert_str_eq(proc(cfg, "c")->argv[2], "global");
	config_free(cfg);
	ck_assert_int_eq(unsetenv("TC_X"), 0);
}
END_TEST

START_TEST(test_env_precedence)
{
	struct config		*cfg;
	const struct program	*p;

	ck_assert_int_eq(setenv("TC_A", "process", 1), 0);
	ck_assert_int_eq(setenv("TC_B", "process", 1), 0);
	ck_assert_int_eq(setenv("TC_C", "process", 1), 0);
	ck_assert_int_eq(setenv("TC_DIR", "/p", 1), 0);
	cfg = load_ok("[supervisord]\n"
	    /* [supervisord]'s own keys see only tendd's environment */
	    "childlogdir=%(ENV_TC_DIR)s\n"
	    "environment=TC_B=\"global\",TC_C=\"global\",TC_DIR=\"/g\",\n"
	    "  TC_G=\"%(ENV_TC_A)s\"\n"
	    "[program:x]\n"
	    "environment=TC_C=\"own\",TC_OWN=\"%(ENV_TC_B)s\",\n"
	    "  TC_SELF=\"%(ENV_TC_C)s\"\n"
	    "command=/bin/echo %(ENV_TC_A)s %(ENV_TC_B)s %(ENV_TC_C)s "
	    "%(ENV_TC_OWN)s\n"
	    "directory=%(ENV_TC_DIR)s/%(ENV_TC_C)s\n"
	    /* read by supervisord before the process's environment */
	    "priority=%(ENV_TC_PRIO2)s\n"
	    "[group:g]\nprograms=x\npriority=%(ENV_TC_PRIO2)s\n"
	    "[tend]\nenvironment=TC_B=\"tend\",TC_C=\"tend\",TC_PRIO2=7\n");
	ck_assert_str_eq(cfg->childlogdir, "/p");
	p = proc(cfg, "g:x");
	ck_assert_str_eq(p->argv[1], "process");
	ck_assert_str_eq(p->argv[2], "tend");	/* [tend] wins */
	ck_assert_str_eq(p->argv[3], "own");
	ck_assert_str_eq(p->argv[4], "tend");
	ck_assert_str_eq(p->directory, "/p/own");
	ck_assert_int_eq(p->priority, 7);
	ck_assert_int_eq(p->group_priority, 7);
	/* environment= does not see its own variables */
	ck_assert_str_eq(env_get(&p->env, "TC_SELF"), "tend");
	ck_assert_str_eq(env_get(&cfg->env, "TC_B"), "tend");
	config_free(cfg);

	/* the keys supervisord reads before the environment= of the
	 * process do not see it, as in supervisord */
	ck_assert_int_eq(unsetenv("TC_ONLY_OWN"), 0);
	load_err("[program:x]\ncommand=x\nenvironment=TC_ONLY_OWN=1\n"
	    "priority=%(ENV_TC_ONLY_OWN)s\n",
	    F ":4: [program:x] priority: unknown expansion "
	    "'%(ENV_TC_ONLY_OWN)s'");
	/* nor [supervisord]'s own keys its environment= */
	load_err("[supervisord]\nenvironment=TC_ONLY_OWN=/x\n"
	    "childlogdir=%(ENV_TC_ONLY_OWN)s\n",
	    F ":3: [supervisord] childlogdir: unknown expansion "
	    "'%(ENV_TC_ONLY_OWN)s'");
}
END_TEST

/* ---- 3. and 4. a key, a section given twice ---- */

START_TEST(test_duplicate_keys)
{
	struct config	*cfg;

	cfg = load_ok("[tend]\nloglevel=debug\nloglevel=warn\n"
	    "[program:x]\ncommand=/bin/a\nstartsecs=1\nSTARTSECS = 4\n");
	ck_assert_int_eq(cfg->loglevel, LOG_LVL_WARN);
	ck_assert_uint_eq(proc(cfg, "x")->startsecs, 4);
	ck_assert_uint_eq(warns.n, 2);
	ck_assert_str_eq(warns.v[0], F ":3: [tend] loglevel: given again "
	    "(also at line 2): the last one wins");
	ck_assert_str_eq(warns.v[1], F ":7: [program:x] STARTSECS: given "
	    "again (also at line 6): the last one wins");
	config_free(cfg);

	/* a bad value given first and replaced is never parsed */
	cfg = load_ok("[program:x]\ncommand=/bin/a\nautostart=perhaps\n"
	    "autostart=false\n");
	ck_assert(!proc(cfg, "x")->autostart);
	config_free(cfg);
}
END_TEST

START_TEST(test_duplicate_sections)
{
	struct config	*cfg;

	cfg = load_ok("[supervisord]\nlogfile=/a\nminfds=2000\n"
	    "[program:x]\ncommand=/bin/a\nautostart=false\n"
	    "[supervisord]\nlogfile=/b\n"
	    "[program:x]\ncommand=/bin/b\n"
	    "[include]\nfiles=/nonexistent/a/*.ini\n"
	    "[include]\nfiles=/nonexistent/b/*.ini\n");
	ck_assert_str_eq(cfg->logfile, "/b");
	ck_assert_uint_eq(cfg->minfds, 2000);
	ck_assert_str_eq(proc(cfg, "x")->command, "/bin/b");
	ck_assert(!proc(cfg, "x")->autostart);
	/* the last files= only; then those strict mode would refuse */
	ck_assert_uint_eq(warns.n, 6);
	ck_assert_str_eq(warns.v[0], F ":14: [include] files: no file "
	    "matches /nonexistent/b/*.ini");
	ck_assert_str_eq(warns.v[1], F ":7: [supervisord]: section given again "
	    "(first at line 1): merged into it, the keys given here win");
	ck_assert_str_eq(warns.v[2], F ":8: [supervisord] logfile: given again "
	    "(also at line 2): the last one wins");
	ck_assert_str_eq(warns.v[3], F ":9: [program:x]: section given again "
	    "(first at line 4): merged into it, the keys given here win");
	ck_assert_str_eq(warns.v[4], F ":10: [program:x] command: given again "
	    "(also at line 5): the last one wins");
	ck_assert_str_eq(warns.v[5], F ":13: [include]: section given again "
	    "(first at line 11): merged into it, the keys given here win");
	config_free(cfg);
}
END_TEST

/* ---- 5. inline comments ---- */

START_TEST(test_inline_comments)
{
	struct config		*cfg;
	const struct program	*p;

	cfg = load_ok("[program:x]\n"
	    "command=/bin/echo a#b c;d e ;f\n"
	    "  g #h\n"
	    "  #i\n"
	    "  ;j\n"
	    "  k\t#l\n"
	    "autostart=false # start it by hand\n"
	    "environment=A=\"x#y\",B=\"p;q\" ; comment\n"
	    "[program:y]\n"
	    "command=/bin/echo # all of it\n");
	p = proc(cfg, "x");
	ck_assert_str_eq(p->command, "/bin/echo a#b c;d e\ng\nk");
	ck_assert(!p->autostart);
	ck_assert_str_eq(env_get(&p->env, "A"), "x#y");
	ck_assert_str_eq(env_get(&p->env, "B"), "p;q");
	ck_assert_str_eq(proc(cfg, "y")->command, "/bin/echo");
	config_free(cfg);
	/* "5# ..." is kept whole, as supervisord keeps it */
	load_err("[program:x]\ncommand=x\npriority=5#x\n",
	    F ":3: [program:x] priority: \"5#x\" is not a number");
	/* supervisord cuts inside quotes too: so does tend */
	load_err("[program:x]\ncommand=/bin/echo 'a #b'\n",
	    F ":2: [program:x] command: unterminated quote");
}
END_TEST

/* ---- 6. unknown keys, did you mean, strict ---- */

START_TEST(test_distance)
{
	ck_assert_uint_eq(config_lint_distance("abc", "abc", 3), 0);
	ck_assert_uint_eq(config_lint_distance("abc", "ABC", 3), 0);
	ck_assert_uint_eq(config_lint_distance("abc", "acb", 3), 1);
	ck_assert_uint_eq(config_lint_distance("abc", "ab", 3), 1);
	ck_assert_uint_eq(config_lint_distance("kitten", "sitting", 5), 3);
	ck_assert_uint_eq(config_lint_distance("a", "abcdef", 2), 3);
	ck_assert_str_eq(config_lint_nearest(SECT_PROGRAM,
	    "stdout_logfile_maxbyte"), "stdout_logfile_maxbytes");
	ck_assert_str_eq(config_lint_nearest(SECT_PROGRAM, "autsotart"),
	    "autostart");
	ck_assert_str_eq(config_lint_nearest(SECT_PROGRAM, "comand"),
	    "command");
	ck_assert_str_eq(config_lint_nearest(SECT_TEND, "logfle"), "logfile");
	ck_assert_ptr_null(config_lint_nearest(SECT_PROGRAM,
	    "catch_workers_output"));
	ck_assert_ptr_null(config_lint_nearest(SECT_PROGRAM, "xy"));
}
END_TEST

START_TEST(test_unknown_keys)
{
	struct config	*cfg;

	cfg = load_ok("[supervisord]\nhttp_port=/tmp/x\nstdout_logfile=/x\n"
	    "[program:x]\ncommand=/bin/a\ncatch_workers_output=yes\n"
	    "autsotart=false\nstdout_logfile_maxbyte=1MB\n"
	    "[group:g]\nprograms=x\nprioriti=3\n");
	/* [supervisord], then the groups, then the programs */
	ck_assert_uint_eq(warns.n, 6);
	ck_assert_str_eq(warns.v[0], F ":2: [supervisord] http_port: unknown "
	    "key, ignored");
	ck_assert_str_eq(warns.v[1], F ":3: [supervisord] stdout_logfile: "
	    "unknown key, ignored (it is a key of [program:] sections)");
	ck_assert_str_eq(warns.v[2], F ":11: [group:g] prioriti: unknown key, "
	    "ignored (did you mean 'priority'?)");
	ck_assert_str_eq(warns.v[3], F ":6: [program:x] catch_workers_output: "
	    "unknown key, ignored");
	ck_assert_str_eq(warns.v[4], F ":7: [program:x] autsotart: unknown "
	    "key, ignored (did you mean 'autostart'?)");
	ck_assert_str_eq(warns.v[5], F ":8: [program:x] "
	    "stdout_logfile_maxbyte: unknown key, ignored (did you mean "
	    "'stdout_logfile_maxbytes'?)");
	ck_assert(proc(cfg, "g:x")->autostart);
	config_free(cfg);

	/* a numprocs program warns once, not once per process */
	cfg = load_ok("[program:x]\ncommand=/bin/a\nnumprocs=3\n"
	    "process_name=%(process_num)d\nbogus=1\n");
	ck_assert_uint_eq(warns.n, 1);
	config_free(cfg);
}
END_TEST

/* An unknown section type: ignored with its keys, as supervisord ignores
 * it, with the nearest type when one is close. */
START_TEST(test_unknown_sections)
{
	struct config	*cfg;

	cfg = load_ok("[progam:foo]\ncommand=/bin/a\n"
	    "[supervisor]\nlogfile=/x\n"
	    "[program]\ncommand=x\n"
	    "[weird]\nanything=goes\n"
	    "[program:x]\ncommand=/bin/x\n");
	ck_assert_uint_eq(cfg->nprogs, 1);
	ck_assert_ptr_null(cfg->logfile);
	ck_assert_uint_eq(warns.n, 4);
	ck_assert_str_eq(warns.v[0], F ":1: [progam:foo]: unknown section "
	    "type, ignored (did you mean [program:foo]?)");
	ck_assert_str_eq(warns.v[1], F ":3: [supervisor]: unknown section "
	    "type, ignored (did you mean [supervisord]?)");
	ck_assert_str_eq(warns.v[2], F ":5: [program]: unknown section type, "
	    "ignored (did you mean [program:]?)");
	ck_assert_str_eq(warns.v[3], F ":7: [weird]: unknown section type, "
	    "ignored (tend reads [tend], [program:NAME], [group:NAME] and "
	    "[include])");
	config_free(cfg);
	load_err("[tend]\nstrict=true\n[progam:foo]\ncommand=/bin/a\n",
	    F ":3: [progam:foo]: unknown section type, ignored (did you mean "
	    "[program:foo]?) (strict)");
}
END_TEST

START_TEST(test_strict)
{
	struct config_opts	 opts;
	struct config		*cfg;
	char			 path[] = "/tmp/check_config_compat.XXXXXX";
	const char		*text = "[program:x]\ncommand=/bin/a\nbogus=1\n";
	int			 fd;

	/* strict = true in [tend] (or [supervisord]), wherever it is */
	load_err("[program:x]\ncommand=/bin/a\nbogus=1\n[tend]\nstrict=true\n",
	    F ":3: [program:x] bogus: unknown key, ignored (strict)");
	load_err("[supervisord]\nstrict=true\n[program:x]\ncommand=/bin/a\n"
	    "command=/bin/b\n",
	    F ":5: [program:x] command: given again (also at line 4): the last "
	    "one wins (strict)");
	load_err("[tend]\nstrict=true\n[tend]\n",
	    F ":3: [tend]: section given again (first at line 1): merged into "
	    "it, the keys given here win (strict)");
	cfg = load_ok("[tend]\nstrict=false\n[program:x]\ncommand=/bin/a\n"
	    "bogus=1\n");
	ck_assert_uint_eq(warns.n, 1);
	config_free(cfg);

	/* tendd --strict */
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	ck_assert_int_eq(close(fd), 0);
	memset(&opts, 0, sizeof opts);
	strlist_free(&errs);
	strlist_free(&warns);
	cfg = config_load_opts(path, &opts, &errs, &warns);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(warns.n, 1);
	config_free(cfg);
	opts.strict = true;
	strlist_free(&errs);
	strlist_free(&warns);
	cfg = config_load_opts(path, &opts, &errs, &warns);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_uint_eq(warns.n, 0);
	ck_assert(strstr(errs.v[0], ":3: [program:x] bogus: unknown key") !=
	    NULL);
	ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* ---- 7. names ---- */

START_TEST(test_names_utf8)
{
	struct config		*cfg;
	const struct program	*p;
	char			*log;

	cfg = load_ok("[tend]\nchildlogdir=/var/log/t\n"
	    "[program:test_öäü]\ncommand=/bin/a\n"
	    "[program: spaced ]\ncommand=/bin/a\n"
	    "[program:.dot]\ncommand=/bin/a\n"
	    "[program:日本]\ncommand=/bin/a\nnumprocs=2\n"
	    "process_name=%(program_name)s-é%(process_num)d\n"
	    "[group:grüppe]\nprograms=test_öäü\n");
	p = proc(cfg, "grüppe:test_öäü");
	log = program_log_path(cfg, p, false);
	ck_assert_str_eq(log, "/var/log/t/test_öäü-stdout.log");
	free(log);
	ck_assert_ptr_nonnull(config_find(cfg, "spaced"));
	ck_assert_ptr_nonnull(config_find(cfg, ".dot"));
	ck_assert_ptr_nonnull(config_find(cfg, "日本:日本-é1"));
	config_free(cfg);
}
END_TEST

START_TEST(test_names_refused)
{
	struct config	*cfg;
	const char	*why;

	ck_assert(config_name_check("test_öäü", &why));
	ck_assert(config_name_check("a.b-c@d%e,f", &why));
	ck_assert(!config_name_check("a:b", &why));
	ck_assert_str_eq(why, "':' separates a group and a process");
	ck_assert(!config_name_check("a/b", &why));
	ck_assert_str_eq(why, "'/' cannot be in a log file name");
	ck_assert(!config_name_check("a\tb", &why));
	ck_assert_str_eq(why, "it holds whitespace");
	ck_assert(!config_name_check("a\x01" "b", &why));
	ck_assert_str_eq(why, "it holds a control character");
	ck_assert(!config_name_check("a\xc2\x85" "b", &why));	/* NEL */
	ck_assert_str_eq(why, "it holds a control character");
	ck_assert(!config_name_check("a\xff", &why));
	ck_assert_str_eq(why, "it is not valid UTF-8");
	/* all that Python's str.isspace() accepts: tendctl splits there */
	ck_assert(!config_name_check("a\xc2\xa0" "b", &why));
	ck_assert_str_eq(why, "it holds white space U+00A0 (tendctl would "
	    "split the name there)");
	ck_assert(!config_name_check("a\xe1\x9a\x80", &why));
	ck_assert_str_eq(why, "it holds white space U+1680 (tendctl would "
	    "split the name there)");
	ck_assert(!config_name_check("\xe2\x80\x80" "b", &why));
	ck_assert_str_eq(why, "it holds white space U+2000 (tendctl would "
	    "split the name there)");
	ck_assert(!config_name_check("a\xe2\x80\x8a", &why));
	ck_assert(!config_name_check("a\xe2\x80\xa8", &why));
	ck_assert(!config_name_check("a\xe2\x80\xa9", &why));
	ck_assert(!config_name_check("a\xe2\x80\xaf", &why));
	ck_assert(!config_name_check("a\xe2\x81\x9f", &why));
	ck_assert(!config_name_check("a\xe3\x80\x80" "b", &why));
	ck_assert_str_eq(why, "it holds white space U+3000 (tendctl would "
	    "split the name there)");
	ck_assert(!config_name_check("a\x1c", &why));
	ck_assert(!config_name_check("a\x0b", &why));
	/* near them but not white space */
	ck_assert(config_name_check("a\xe2\x80\x8b", &why));	/* U+200B */
	ck_assert(config_name_check("a\xc2\xa1", &why));	/* U+00A1 */
	ck_assert(config_name_check("a\xe3\x80\x81", &why));	/* U+3001 */
	ck_assert(config_name_check("a\xe2\x81\xa0", &why));	/* U+2060 */
	ck_assert(!config_name_check("\xc3", &why));	/* cut short */
	ck_assert(!config_name_check("\xc0\xaf", &why));	/* overlong */
	ck_assert(!config_name_check("\xed\xa0\x80", &why));	/* surrogate */
	ck_assert(!config_name_check("-x", &why));
	ck_assert(!config_name_check("", &why));

	load_err("[program:a/b]\ncommand=x\n",
	    F ":1: [program:a/b]: invalid program name 'a/b': '/' cannot be "
	    "in a log file name");
	load_err("[program:a\xc2\xa0" "b]\ncommand=x\n",
	    F ":1: [program:a\xc2\xa0" "b]: invalid program name "
	    "'a\xc2\xa0" "b': it holds white space U+00A0 (tendctl would "
	    "split the name there)");
	load_err("[group:g\xe3\x80\x80" "h]\nprograms=x\n",
	    F ":1: [group:g\xe3\x80\x80" "h]: invalid group name "
	    "'g\xe3\x80\x80" "h': it holds white space U+3000 (tendctl would "
	    "split the name there)");
	/* str.strip() around a section's name strips them too */
	cfg = load_ok("[program:\xc2\xa0" "ab\xe2\x80\x83\xe3\x80\x80]\n"
	    "command=x\n");
	ck_assert_ptr_nonnull(config_find(cfg, "ab"));
	config_free(cfg);
	load_err("[program:bad\xff]\ncommand=x\n",
	    F ":1: [program:bad\xff]: invalid program name 'bad\xff': it is "
	    "not valid UTF-8");
	ck_assert_int_eq(setenv("TC_TAB", "a\tb", 1), 0);
	load_err("[program:x]\ncommand=x\nprocess_name=%(ENV_TC_TAB)s\n",
	    F ":3: [program:x] process_name: \"%(ENV_TC_TAB)s\" expanded to "
	    "\"a\\tb\": invalid process name 'a\\tb': it holds whitespace");
}
END_TEST

/* ---- 8. tendd -t's argv line ---- */

START_TEST(test_quote)
{
	static const struct {
		const char	*word;
		const char	*quoted;	/* as Python's shlex.quote */
	} cases[] = {
		{ "/bin/echo", "/bin/echo" },
		{ "a@b%c+d=e:f,g.h/i_j-k", "a@b%c+d=e:f,g.h/i_j-k" },
		{ "", "''" },
		{ "a b", "'a b'" },
		{ "it's", "'it'\"'\"'s'" },
		{ "$HOME", "'$HOME'" },
		{ "a#b", "'a#b'" },
		{ "ö", "'ö'" },
		{ "a\nb", "'a\nb'" },
		{ "*", "'*'" },
	};
	char		*argv[] = { "/bin/sh", "-c", "echo \"it's\" done", "",
			    NULL };
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		buf_init(&b);
		cmdline_quote(&b, cases[i].word);
		ck_assert_str_eq(b.data, cases[i].quoted);
		buf_free(&b);
	}
	buf_init(&b);
	cmdline_join(&b, argv);
	ck_assert_str_eq(b.data,
	    "/bin/sh -c 'echo \"it'\"'\"'s\" done' ''");
	buf_free(&b);
}
END_TEST

static Suite *
suite_config_compat(void)
{
	Suite	*s = suite_create("config_compat");
	TCase	*tc;

	tc = tcase_create("expand");
	tcase_add_test(tc, test_expand_typed_keys);
	tcase_add_test(tc, test_expand_errors);
	tcase_add_test(tc, test_env_precedence);
	tcase_add_test(tc, test_env_per_process);
	suite_add_tcase(s, tc);

	tc = tcase_create("twice");
	tcase_add_test(tc, test_duplicate_keys);
	tcase_add_test(tc, test_duplicate_sections);
	suite_add_tcase(s, tc);

	tc = tcase_create("comments");
	tcase_add_test(tc, test_inline_comments);
	suite_add_tcase(s, tc);

	tc = tcase_create("unknown");
	tcase_add_test(tc, test_distance);
	tcase_add_test(tc, test_unknown_keys);
	tcase_add_test(tc, test_unknown_sections);
	tcase_add_test(tc, test_strict);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_names_utf8);
	tcase_add_test(tc, test_names_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("argv");
	tcase_add_test(tc, test_quote);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(suite_config_compat());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	strlist_free(&errs);
	strlist_free(&warns);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
