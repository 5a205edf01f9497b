/* check_config.c: the config parser and the line reader under it: every
 * key with its default and a non-default value, every error message word
 * for word, and the libinih r55 traps (long lines, cut section names,
 * continuation lines vs duplicate keys, BOM, CRLF, NUL). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <check.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "config.h"
#include "log.h"
#include "util.h"

#ifndef TEND_RUNSTATEDIR
#define TEND_RUNSTATEDIR	"/run"
#endif
#ifndef TEND_LOGDIR
#define TEND_LOGDIR		"/var/log/tend"
#endif

#include "config_load_test.h"

/* Write len bytes to a new temporary file; returns its malloc'd path. */
static char *
write_temp(const void *data, size_t len)
{
	char		*path;
	const char	*dir;
	FILE		*fp;
	int		 fd;

	dir = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	path = xasprintf("%s/check_config.XXXXXX", dir);
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	fp = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* n copies of ch, malloc'd. */
static char *
repeat(char ch, size_t n)
{
	char	*s;

	s = xmalloc(n + 1);
	memset(s, ch, n);
	s[n] = '\0';
	return s;
}

/* The only program of cfg, which must be called name. */
static const struct program *
only(const struct config *cfg, const char *name)
{
	ck_assert_uint_eq(cfg->nprogs, 1);
	ck_assert_str_eq(cfg->progs[0].name, name);
	return &cfg->progs[0];
}

/* The value of key in l, or NULL. */
static const char *
env_get(const struct envlist *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	}
	return NULL;
}

static size_t
argc_of(char **argv)
{
	size_t	n = 0;

	while (argv[n] != NULL)
		n++;
	return n;
}

/* ---- defaults and every key ---- */

START_TEST(test_defaults_tend)
{
	struct config	*cfg;

	cfg = load_ok("[program:a]\ncommand=/bin/true\n");
	ck_assert_str_eq(cfg->file, F);
	ck_assert_str_eq(cfg->here, "/etc/tend");
	ck_assert_ptr_null(cfg->pidfile);
	ck_assert_str_eq(cfg->control, TEND_RUNSTATEDIR "/tend/control");
	ck_assert_uint_eq(cfg->control_mode, 0600);
	ck_assert_ptr_null(cfg->control_group);
	ck_assert_uint_eq(cfg->umask, 022);
	ck_assert_ptr_null(cfg->logfile);
	ck_assert_int_eq(cfg->loglevel, LOG_LVL_INFO);
	ck_assert_str_eq(cfg->childlogdir, TEND_LOGDIR);
	ck_assert_ptr_null(cfg->directory);
	ck_assert_uint_eq(cfg->env.n, 0);
	ck_assert_uint_eq(cfg->file_env.n, 0);
	ck_assert_uint_eq(cfg->minfds, 1024);
	ck_assert(!cfg->nodaemon);
	config_free(cfg);

	/* an empty file is a valid config without programs */
	cfg = load_ok("");
	ck_assert_uint_eq(cfg->nprogs, 0);
	ck_assert_str_eq(cfg->childlogdir, TEND_LOGDIR);
	config_free(cfg);
}
END_TEST

START_TEST(test_defaults_program)
{
	struct config		*cfg;
	const struct program	*p;
	size_t			 i;
	int			 code;

	cfg = load_ok("; comment\n[program:web]\ncommand=/bin/true\n");
	p = only(cfg, "web");
	ck_assert_str_eq(p->file, F);
	ck_assert_uint_eq(p->line, 2);
	ck_assert_str_eq(p->command, "/bin/true");
	ck_assert_uint_eq(argc_of(p->argv), 1);
	ck_assert_str_eq(p->argv[0], "/bin/true");
	ck_assert_ptr_null(p->directory);
	ck_assert_int_eq(p->umask, -1);
	ck_assert_ptr_null(p->user);
	ck_assert_ptr_null(p->group);
	ck_assert_uint_eq(p->env.n, 0);
	ck_assert_uint_eq(p->file_env.n, 0);
	ck_assert(p->autostart);
	ck_assert_int_eq(p->autorestart, AUTORESTART_UNEXPECTED);
	ck_assert_int_eq(p->shutdown_on, SHUTDOWN_ON_NEVER);
	ck_assert_uint_eq(p->notification_fd, 0);
	ck_assert_uint_eq(p->depends_on.n, 0);
	ck_assert(!p->sd_notify);
	ck_assert_uint_eq(p->startsecs, 1);
	ck_assert_uint_eq(p->startretries, 3);
	ck_assert_uint_eq(p->restart_limit.count, 0);
	for (code = -1; code <= 256; code++)
		ck_assert(program_exitcode_expected(p, code) == (code == 0));
	ck_assert_int_eq(p->stopsignal, SIGTERM);
	ck_assert_uint_eq(p->stopwaitsecs, 10);
	ck_assert(!p->stopasgroup);
	ck_assert(!p->killasgroup);
	ck_assert_int_eq(p->priority, 999);
	for (i = 0; i < CONFIG_NRLIMITS; i++)
		ck_assert(!p->rlimits[i].set);
	ck_assert_ptr_null(p->stdout_logfile);
	ck_assert_ptr_null(p->stderr_logfile);
	ck_assert(!p->redirect_stderr);
	config_free(cfg);
}
END_TEST

START_TEST(test_tend_keys)
{
	struct config	*cfg;
	struct group	*gr;
	struct utsname	 u;
	char		*text, *want;

	ck_assert_int_eq(setenv("TEND_CHECK_HOME", "/home/check", 1), 0);
	ck_assert_int_eq(uname(&u), 0);
	gr = getgrnam("daemon");
	ck_assert_ptr_nonnull(gr);
	text = xasprintf(
	    "[tend]\n"
	    "pidfile = %%(here)s/tend.pid\n"
	    "control = /run/x/%%(host_node_name)s.ctl\n"
	    "control_mode = 0660\n"
	    "control_group = daemon\n"
	    "umask = 027\n"
	    "logfile = %%(ENV_TEND_CHECK_HOME)s/tend.log\n"
	    "loglevel = debug\n"
	    "childlogdir = /var/log/tend\n"
	    "directory = /srv\n"
	    "environment = A=\"1\",B='two words',C=%%(here)s\n"
	    "minfds = 4096\n"
	    "nodaemon = yes\n");
	cfg = load_ok(text);
	ck_assert_str_eq(cfg->pidfile, "/etc/tend/tend.pid");
	want = xasprintf("/run/x/%s.ctl", u.nodename);
	ck_assert_str_eq(cfg->control, want);
	ck_assert_uint_eq(cfg->control_mode, 0660);
	ck_assert_str_eq(cfg->control_group, "daemon");
	ck_assert_uint_eq(cfg->control_gid, gr->gr_gid);
	ck_assert_uint_eq(cfg->umask, 027);
	ck_assert_str_eq(cfg->logfile, "/home/check/tend.log");
	ck_assert_int_eq(cfg->loglevel, LOG_LVL_DEBUG);
	ck_assert_str_eq(cfg->childlogdir, "/var/log/tend");
	ck_assert_str_eq(cfg->directory, "/srv");
	ck_assert_uint_eq(cfg->env.n, 3);
	ck_assert_str_eq(cfg->env.v[0].key, "A");
	ck_assert_str_eq(cfg->env.v[0].value, "1");
	ck_assert_str_eq(cfg->env.v[1].key, "B");
	ck_assert_str_eq(cfg->env.v[1].value, "two words");
	ck_assert_str_eq(cfg->env.v[2].value, "/etc/tend");
	ck_assert_uint_eq(cfg->minfds, 4096);
	ck_assert(cfg->nodaemon);
	config_free(cfg);
	free(want);
	free(text);

	cfg = load_ok("[tend]\nloglevel=blather\numask=0o7\ncontrol_mode=600\n");
	ck_assert_int_eq(cfg->loglevel, LOG_LVL_TRACE);
	ck_assert_uint_eq(cfg->umask, 07);
	ck_assert_uint_eq(cfg->control_mode, 0600);
	config_free(cfg);
}
END_TEST

START_TEST(test_program_keys)
{
	struct config		*cfg;
	const struct program	*p;
	struct passwd		*pw;
	struct group		*gr;
	int			 code;

	pw = getpwnam("daemon");
	gr = getgrnam("nogroup");
	ck_assert_ptr_nonnull(pw);
	ck_assert_ptr_nonnull(gr);
	ck_assert_int_ne(pw->pw_gid, gr->gr_gid);
	cfg = load_ok(
	    "[program:web-1.x]\n"
	    "command = /bin/echo %(program_name)s %(process_num)02d "
	    "%(group_name)s 'a b'\n"
	    "directory = %(here)s/web\n"
	    "umask = 002\n"
	    "user = daemon\n"
	    "group = nogroup\n"
	    "environment = PORT=\"8080\",NAME=%(program_name)s\n"
	    "autostart = false\n"
	    "autorestart = true\n"
	    "startsecs = 0\n"
	    "startretries = 7\n"
	    "restart_limit = 10/60\n"
	    "exitcodes = 0, 2,255\n"
	    "stopsignal = INT\n"
	    "stopwaitsecs = 30\n"
	    "stopasgroup = true\n"
	    "killasgroup = true\n"
	    "priority = -5\n"
	    "stdout_logfile = /var/log/%(program_name)s.out\n"
	    "stderr_logfile = NONE\n"
	    "redirect_stderr = false\n"
	    "rlimit_nofile = 1024:4096\n"
	    "rlimit_core = unlimited\n"
	    "rlimit_cpu = 10:unlimited\n");
	p = only(cfg, "web-1.x");
	ck_assert_str_eq(p->command, "/bin/echo web-1.x 00 web-1.x 'a b'");
	ck_assert_uint_eq(argc_of(p->argv), 5);
	ck_assert_str_eq(p->argv[1], "web-1.x");
	ck_assert_str_eq(p->argv[2], "00");
	ck_assert_str_eq(p->argv[4], "a b");
	ck_assert_str_eq(p->directory, "/etc/tend/web");
	ck_assert_int_eq(p->umask, 002);
	ck_assert_str_eq(p->user, "daemon");
	ck_assert_uint_eq(p->uid, pw->pw_uid);
	ck_assert_str_eq(p->group, "nogroup");
	ck_assert_uint_eq(p->gid, gr->gr_gid);
	ck_assert_uint_eq(p->env.n, 2);
	ck_assert_str_eq(env_get(&p->env, "PORT"), "8080");
	ck_assert_str_eq(env_get(&p->env, "NAME"), "web-1.x");
	ck_assert(!p->autostart);
	ck_assert_int_eq(p->autorestart, AUTORESTART_TRUE);
	ck_assert_uint_eq(p->startsecs, 0);
	ck_assert_uint_eq(p->startretries, 7);
	ck_assert_uint_eq(p->restart_limit.count, 10);
	ck_assert_uint_eq(p->restart_limit.secs, 60);
	for (code = 0; code < 256; code++)
		ck_assert(program_exitcode_expected(p, code) ==
		    (code == 0 || code == 2 || code == 255));
	ck_assert_int_eq(p->stopsignal, SIGINT);
	ck_assert_uint_eq(p->stopwaitsecs, 30);
	ck_assert(p->stopasgroup);
	ck_assert(p->killasgroup);
	ck_assert_int_eq(p->priority, -5);
	ck_assert_str_eq(p->stdout_logfile, "/var/log/web-1.x.out");
	ck_assert_str_eq(p->stderr_logfile, "");
	ck_assert(!p->redirect_stderr);
	ck_assert(p->rlimits[0].set);
	ck_assert_uint_eq(p->rlimits[0].soft, 1024);
	ck_assert_uint_eq(p->rlimits[0].hard, 4096);
	ck_assert_str_eq(config_rlimits[2].name, "core");
	ck_assert(p->rlimits[2].set);
	ck_assert(p->rlimits[2].soft == RLIM_INFINITY);
	ck_assert(p->rlimits[2].hard == RLIM_INFINITY);
	ck_assert_str_eq(config_rlimits[4].name, "cpu");
	ck_assert_uint_eq(p->rlimits[4].soft, 10);
	ck_assert(p->rlimits[4].hard == RLIM_INFINITY);
	ck_assert(!p->rlimits[1].set);
	config_free(cfg);

	/* user alone: its primary group; group before user still wins */
	cfg = load_ok("[program:a]\ncommand=x\nuser=daemon\n");
	p = only(cfg, "a");
	ck_assert_uint_eq(p->gid, pw->pw_gid);
	ck_assert_ptr_null(p->group);
	config_free(cfg);
	cfg = load_ok("[program:a]\ncommand=x\ngroup=nogroup\nuser=daemon\n");
	ck_assert_uint_eq(only(cfg, "a")->gid, gr->gr_gid);
	config_free(cfg);
}
END_TEST

/* Every rlimit_<name> key lands in its own slot, in config_rlimits order. */
START_TEST(test_rlimit_each)
{
	struct config		*cfg;
	const struct program	*p;
	char			*text;
	size_t			 i;

	text = xasprintf("[program:a]\ncommand=x\nrlimit_%s = 7:%zu\n",
	    config_rlimits[_i].name, (size_t)_i + 100);
	cfg = load_ok(text);
	p = only(cfg, "a");
	for (i = 0; i < CONFIG_NRLIMITS; i++) {
		ck_assert(p->rlimits[i].set == (i == (size_t)_i));
		if (i == (size_t)_i) {
			ck_assert_uint_eq(p->rlimits[i].soft, 7);
			ck_assert_uint_eq(p->rlimits[i].hard, i + 100);
		}
	}
	config_free(cfg);
	free(text);

	/* SOFT alone sets both */
	text = xasprintf("[program:a]\ncommand=x\nrlimit_%s=5\n",
	    config_rlimits[_i].name);
	cfg = load_ok(text);
	ck_assert_uint_eq(only(cfg, "a")->rlimits[_i].hard, 5);
	config_free(cfg);
	free(text);
}
END_TEST

START_TEST(test_rlimit_table)
{
	static const struct { const char *name; int res; } want[] = {
		{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
		{ "core", RLIMIT_CORE }, { "as", RLIMIT_AS },
		{ "cpu", RLIMIT_CPU }, { "data", RLIMIT_DATA },
		{ "fsize", RLIMIT_FSIZE }, { "memlock", RLIMIT_MEMLOCK },
		{ "stack", RLIMIT_STACK }, { "msgqueue", RLIMIT_MSGQUEUE },
		{ "nice", RLIMIT_NICE }, { "rtprio", RLIMIT_RTPRIO },
		{ "sigpending", RLIMIT_SIGPENDING }, { "locks", RLIMIT_LOCKS },
		{ "rss", RLIMIT_RSS }, { "rttime", RLIMIT_RTTIME },
	};
	size_t	i;

	ck_assert_uint_eq(nitems(want), CONFIG_NRLIMITS);
	for (i = 0; i < CONFIG_NRLIMITS; i++) {
		ck_assert_str_eq(config_rlimits[i].name, want[i].name);
		ck_assert_int_eq(config_rlimits[i].resource, want[i].res);
	}
}
END_TEST

START_TEST(test_value_spellings)
{
	static const struct {
		const char	*text;
		int		 autorestart;
	} ar[] = {
		{ "true", AUTORESTART_TRUE }, { "yes", AUTORESTART_TRUE },
		{ "on", AUTORESTART_TRUE }, { "1", AUTORESTART_TRUE },
		{ "false", AUTORESTART_FALSE }, { "NO", AUTORESTART_FALSE },
		{ "off", AUTORESTART_FALSE }, { "0", AUTORESTART_FALSE },
		{ "Unexpected", AUTORESTART_UNEXPECTED },
	};
	static const struct {
		const char	*text;
		int		 sig;
	} sigs[] = {
		{ "TERM", SIGTERM }, { "SIGKILL", SIGKILL }, { "hup", SIGHUP },
		{ "9", SIGKILL }, { "USR1", SIGUSR1 }, { "QUIT", SIGQUIT },
	};
	struct config	*cfg;
	char		*text;
	size_t		 i;

	/* depends_on: commas or blanks, sorted, once each; every process
	 * of a numprocs program has it */
	cfg = load_ok("[program:w]\ncommand=x\nnumprocs=2\n"
	    "process_name=w%(process_num)d\ndepends_on = db, cache db\n"
	    "[program:db]\ncommand=x\n[program:cache]\ncommand=x\n"
	    "depends_on=db\n");
	for (i = 0; i < cfg->nprogs; i++) {
		const struct program	*p = &cfg->progs[i];

		if (strcmp(p->program_name, "w") != 0)
			continue;
		ck_assert_uint_eq(p->depends_on.n, 2);
		ck_assert_str_eq(p->depends_on.v[0], "cache");
		ck_assert_str_eq(p->depends_on.v[1], "db");
		ck_assert_uint_eq(p->depends_line, 5);
	}
	config_free(cfg);
	static const struct {
		const char	*text;
		int		 on;
	} so[] = {
		{ "never", SHUTDOWN_ON_NEVER }, { "FATAL", SHUTDOWN_ON_FATAL },
		{ "fatal", SHUTDOWN_ON_FATAL }, { "Exit", SHUTDOWN_ON_EXIT },
	};

	for (i = 0; i < nitems(so); i++) {
		text = xasprintf("[program:a]\ncommand=x\nshutdown_on=%s\n",
		    so[i].text);
		cfg = load_ok(text);
		ck_assert_int_eq(only(cfg, "a")->shutdown_on, so[i].on);
		config_free(cfg);
		free(text);
	}
	for (i = 0; i < nitems(ar); i++) {
		text = xasprintf("[program:a]\ncommand=x\nautorestart=%s\n",
		    ar[i].text);
		cfg = load_ok(text);
		ck_assert_int_eq(only(cfg, "a")->autorestart, ar[i].autorestart);
		config_free(cfg);
		free(text);
	}
	for (i = 0; i < nitems(sigs); i++) {
		text = xasprintf("[program:a]\ncommand=x\nstopsignal=%s\n",
		    sigs[i].text);
		cfg = load_ok(text);
		ck_assert_int_eq(only(cfg, "a")->stopsignal, sigs[i].sig);
		config_free(cfg);
		free(text);
	}

	/* stdout_logfile spellings; stopasgroup implies killasgroup */
	cfg = load_ok("[program:a]\ncommand=x\nstdout_logfile=auto\n"
	    "stderr_logfile=off\nstopasgroup=true\n");
	ck_assert_ptr_null(cfg->progs[0].stdout_logfile);
	ck_assert_str_eq(cfg->progs[0].stderr_logfile, "");
	ck_assert(cfg->progs[0].killasgroup);
	config_free(cfg);

	/* keys match without regard to case, as in configparser */
	cfg = load_ok("[program:a]\nCommand=/bin/x\nStartSecs=4\n");
	ck_assert_str_eq(cfg->progs[0].command, "/bin/x");
	ck_assert_uint_eq(cfg->progs[0].startsecs, 4);
	config_free(cfg);

	/* "key: value" works as in configparser; an inline comment goes */
	cfg = load_ok("[program:a]\ncommand: /bin/x ; not this\n");
	ck_assert_str_eq(cfg->progs[0].command, "/bin/x");
	config_free(cfg);
}
END_TEST

/* Programs come sorted by name; config_find looks them up. */
START_TEST(test_sorted_find)
{
	struct config	*cfg;

	cfg = load_ok("[program:zeta]\ncommand=z\n[program:alpha]\ncommand=a\n"
	    "[tend]\n[program:mid]\ncommand=m\n");
	ck_assert_uint_eq(cfg->nprogs, 3);
	ck_assert_str_eq(cfg->progs[0].name, "alpha");
	ck_assert_str_eq(cfg->progs[1].name, "mid");
	ck_assert_str_eq(cfg->progs[2].name, "zeta");
	ck_assert_uint_eq(cfg->progs[2].line, 1);
	ck_assert_ptr_eq(config_find(cfg, "mid"), &cfg->progs[1]);
	ck_assert_ptr_eq(config_find(cfg, "zeta"), &cfg->progs[2]);
	ck_assert_ptr_null(config_find(cfg, "nope"));
	ck_assert_ptr_null(config_find(cfg, ""));
	config_free(cfg);
}
END_TEST

START_TEST(test_here_relative)
{
	struct config	*cfg;
	char		*cwd;

	strlist_free(&errs);
	cfg = config_load_string("tend.ini", "[program:a]\ncommand=%(here)s/x\n",
	    &errs, NULL);
	ck_assert_ptr_nonnull(cfg);
	cwd = realpath(".", NULL);
	ck_assert_ptr_nonnull(cwd);
	ck_assert_str_eq(cfg->here, cwd);
	ck_assert_str_eq(cfg->progs[0].argv[0], cfg->progs[0].command);
	ck_assert(strncmp(cfg->progs[0].command, cwd, strlen(cwd)) == 0);
	config_free(cfg);
	free(cwd);
}
END_TEST

START_TEST(test_warning)
{
	struct config	*cfg;

	cfg = load_ok("[program:a]\ncommand=x\nredirect_stderr=true\n"
	    "stderr_logfile=/tmp/e\n");
	ck_assert(cfg->progs[0].redirect_stderr);
	ck_assert_uint_eq(warns.n, 1);
	ck_assert_str_eq(warns.v[0], F ":4: [program:a] stderr_logfile: "
	    "ignored because redirect_stderr is true");
	config_free(cfg);
}
END_TEST

/* ---- every error message ---- */

static const struct err_case {
	const char	*text;
	const char	*msg;
} err_cases[] = {
	/* sections */
	{ "[program:]\ncommand=x\n",
	  F ":1: [program:]: invalid program name '': a name cannot be "
	  "empty" },
	{ "[program:a b]\ncommand=x\n",
	  F ":1: [program:a b]: invalid program name 'a b': it holds "
	  "whitespace" },
	{ "[program:-x]\ncommand=x\n",
	  F ":1: [program:-x]: invalid program name '-x': it starts with "
	  "'-' (tendctl would read an option)" },
	{ "[program:all]\ncommand=x\n",
	  F ":1: [program:all]: program name 'all' is reserved (tendctl uses "
	  "it for every program)" },
	{ "[program:web]\nautostart=true\n",
	  F ":1: [program:web]: missing required key 'command'" },
	{ "[tend\n",
	  F ":1: section header without closing ']'" },
	{ "[tend ;]\n",
	  F ":1: section header without closing ']'" },
	/* lines */
	{ "pidfile=/x\n",
	  F ":1: pidfile: key before any [section] header" },
	{ "[tend]\nfoo\n",
	  F ":2: [tend]: expected a [section] header or a 'key = value' line" },
	{ "[tend]\n=5\n",
	  F ":2: [tend]: missing key name before '='" },
	{ "[tend]\n : 5\n",
	  F ":2: [tend]: missing key name before ':'" },
	{ "[tend]\numask=022\x07\n",
	  F ":2: [tend]: control character 0x07 in line (column 10)" },
	{ "[tend]\numask=0\r22\n",
	  F ":2: [tend]: control character 0x0d in line (column 8)" },
	/* keys */
	{ "[program:x]\ncommand=a\nstartsecs=\n",
	  F ":3: [program:x] startsecs: empty value" },
	{ "[program:x]\ncommand=   \n",
	  F ":2: [program:x] command: empty value" },
	{ "[program:x]\ncommand=/bin/sh -c 'echo\n",
	  F ":2: [program:x] command: unterminated quote" },
	{ "[program:x]\ncommand=/bin/echo \\\n",
	  F ":2: [program:x] command: trailing backslash" },
	{ "[program:x]\ncommand=%(nope)s\n",
	  F ":2: [program:x] command: unknown expansion '%(nope)s'" },
	{ "[program:x]\ncommand=%(ENV_TEND_CHECK_UNSET_VAR)s\n",
	  F ":2: [program:x] command: unknown expansion "
	  "'%(ENV_TEND_CHECK_UNSET_VAR)s'" },
	/* environment_file= (the errors in a file's content: test_envfile_*) */
	{ "[program:x]\ncommand=x\nenvironment_file=/nonexistent/x.env\n",
	  F ":3: [program:x] environment_file: /nonexistent/x.env: cannot "
	  "open: No such file or directory" },
	{ "[program:x]\ncommand=x\nenvironment_file=-/nonexistent/x.env,"
	  "x.env\n",
	  F ":3: [program:x] environment_file: /etc/tend/x.env: cannot open: "
	  "No such file or directory" },
	{ "[tend]\nenvironment_file=/\n",
	  F ":2: [tend] environment_file: /: cannot read: Is a directory" },
	{ "[tend]\nenvironment_file=-/\n",
	  F ":2: [tend] environment_file: /: cannot read: Is a directory" },
	{ "[program:x]\ncommand=x\nenvironment_file=-/a.env,,/b.env\n",
	  F ":3: [program:x] environment_file: empty path in "
	  "\"-/a.env,,/b.env\"" },
	{ "[program:x]\ncommand=x\nenvironment_file=- \n",
	  F ":3: [program:x] environment_file: empty path in \"-\"" },
	{ "[program:x]\ncommand=x\nenvironment_file=%(nope)s\n",
	  F ":3: [program:x] environment_file: unknown expansion "
	  "'%(nope)s'" },
	{ "[program:x]\ncommand=x\n"
	  "environment_file=%(ENV_TEND_CHECK_EMPTY)s\n",
	  F ":3: [program:x] environment_file: \"%(ENV_TEND_CHECK_EMPTY)s\" "
	  "expanded to \"\": empty path in \"\"" },
	{ "[program:x]\ncommand=x\nenvironment_file=\n",
	  F ":3: [program:x] environment_file: empty value" },
	{ "[tend]\npidfile=/run/%(program_name)s.pid\n",
	  F ":2: [tend] pidfile: unknown expansion '%(program_name)s'" },
	{ "[program:web]\ncommand=x\nstartsecs=ten\n",
	  F ":3: [program:web] startsecs: \"ten\" is not a number" },
	{ "[program:x]\ncommand=x\nrestart_limit=10\n",
	  F ":3: [program:x] restart_limit: \"10\" is not COUNT/SECONDS "
	  "(such as 10/60) or off" },
	{ "[program:x]\ncommand=x\nrestart_limit=10/-1\n",
	  F ":3: [program:x] restart_limit: \"10/-1\" is not COUNT/SECONDS "
	  "(such as 10/60) or off" },
	{ "[program:x]\ncommand=x\nrestart_limit=10/60m\n",
	  F ":3: [program:x] restart_limit: \"10/60m\" is not COUNT/SECONDS "
	  "(such as 10/60) or off" },
	{ "[program:x]\ncommand=x\nrestart_limit=10001/60\n",
	  F ":3: [program:x] restart_limit: \"10001/60\" is out of range: "
	  "COUNT from 1 to 10000, SECONDS from 1 to 31536000" },
	{ "[program:x]\ncommand=x\nrestart_limit=5/0\n",
	  F ":3: [program:x] restart_limit: \"5/0\" is out of range: "
	  "COUNT from 1 to 10000, SECONDS from 1 to 31536000" },
	{ "[program:x]\ncommand=x\nstartretries=-1\n",
	  F ":3: [program:x] startretries: \"-1\" is not a number" },
	{ "[program:x]\ncommand=x\nstartretries=2^64\n",
	  F ":3: [program:x] startretries: \"2^64\" is not a number" },
	{ "[program:x]\ncommand=x\nstopwaitsecs=1e309\n",
	  F ":3: [program:x] stopwaitsecs: \"1e309\" is not a number" },
	{ "[program:x]\ncommand=x\nstopwaitsecs=18446744073709551616\n",
	  F ":3: [program:x] stopwaitsecs: \"18446744073709551616\" is out of "
	  "range (0 to 2147483647)" },
	{ "[program:x]\ncommand=x\npriority=99999999999999999999\n",
	  F ":3: [program:x] priority: \"99999999999999999999\" is out of "
	  "range (-2147483648 to 2147483647)" },
	{ "[program:x]\ncommand=x\npriority=high\n",
	  F ":3: [program:x] priority: \"high\" is not a number" },
	{ "[program:x]\ncommand=x\nstdout_logfile_maxbytes=10 MB\n",
	  F ":3: [program:x] stdout_logfile_maxbytes: \"10 MB\": not a size "
	  "(expected a number of bytes, with an optional KB, MB or GB)" },
	{ "[program:x]\ncommand=x\nstderr_logfile_maxbytes=99999999999GB\n",
	  F ":3: [program:x] stderr_logfile_maxbytes: \"99999999999GB\": out "
	  "of range" },
	{ "[program:x]\ncommand=x\nstderr_capture_maxbytes=65MB\n",
	  F ":3: [program:x] stderr_capture_maxbytes: \"65MB\" is too large "
	  "(at most 67108864 bytes)" },
	{ "[tend]\nlogfile_maxbytes=KB\n",
	  F ":2: [tend] logfile_maxbytes: \"KB\": not a size (expected a "
	  "number of bytes, with an optional KB, MB or GB)" },
	{ "[program:x]\ncommand=x\nstdout_logfile_backups=-1\n",
	  F ":3: [program:x] stdout_logfile_backups: \"-1\" is not a number" },
	{ "[program:x]\ncommand=x\nstdout_syslog=loud\n",
	  F ":3: [program:x] stdout_syslog: \"loud\" is not a boolean "
	  "(expected true or false)" },
	{ "[tend]\nminfds=0\n",
	  F ":2: [tend] minfds: \"0\" is out of range (1 to 2147483647)" },
	{ "[program:x]\ncommand=x\nautostart=maybe\n",
	  F ":3: [program:x] autostart: \"maybe\" is not a boolean (expected "
	  "true or false)" },
	{ "[tend]\nnodaemon=2\n",
	  F ":2: [tend] nodaemon: \"2\" is not a boolean (expected true or "
	  "false)" },
	{ "[program:x]\ncommand=x\ndepends_on=x\n",
	  F ":3: [program:x] depends_on: [program:x] depends on itself" },
	{ "[program:x]\ncommand=x\ndepends_on=db\n",
	  F ":3: [program:x] depends_on: there is no [program:db]" },
	{ "[program:x]\ncommand=x\ndepends_on=a b:c\n",
	  F ":3: [program:x] depends_on: 'b:c' is not a program name: ':' "
	  "separates a group and a process" },
	{ "[program:a]\ncommand=x\ndepends_on=b\n"
	  "[program:b]\ncommand=x\ndepends_on=c\n"
	  "[program:c]\ncommand=x\ndepends_on=a\n",
	  F ":9: [program:c] depends_on: dependency cycle: a -> b -> c -> a" },
	{ "[program:x]\ncommand=x\nsd_notify=true\nnotification_fd=3\n",
	  F ":3: [program:x] sd_notify: notification_fd is set too: a program "
	  "says it is ready one way" },
	{ "[program:x]\ncommand=x\nnotification_fd=2\n",
	  F ":3: [program:x] notification_fd: \"2\" is out of range (3 to "
	  "1023), or 0 for none" },
	{ "[program:x]\ncommand=x\nnotification_fd=1024\n",
	  F ":3: [program:x] notification_fd: \"1024\" is out of range (3 to "
	  "1023), or 0 for none" },
	{ "[program:x]\ncommand=x\nshutdown_on=always\n",
	  F ":3: [program:x] shutdown_on: \"always\" is not one of never, "
	  "fatal, exit" },
	{ "[program:x]\ncommand=x\nautorestart=sometimes\n",
	  F ":3: [program:x] autorestart: \"sometimes\" is not one of true, "
	  "false, unexpected" },
	{ "[program:x]\ncommand=x\numask=0999\n",
	  F ":3: [program:x] umask: \"0999\" is not an octal number" },
	{ "[program:x]\ncommand=x\numask=01777\n",
	  F ":3: [program:x] umask: \"01777\" is out of range (0 to 0777)" },
	{ "[tend]\numask=-022\n",
	  F ":2: [tend] umask: \"-022\" is not an octal number" },
	{ "[tend]\ncontrol_mode=rw\n",
	  F ":2: [tend] control_mode: \"rw\" is not an octal number" },
	{ "[program:x]\ncommand=x\nstopsignal=FOO\n",
	  F ":3: [program:x] stopsignal: \"FOO\" is not a signal name or "
	  "number" },
	{ "[program:x]\ncommand=x\nstopsignal=0\n",
	  F ":3: [program:x] stopsignal: \"0\" is not a signal name or "
	  "number" },
	{ "[program:x]\ncommand=x\nstopsignal=99\n",
	  F ":3: [program:x] stopsignal: \"99\" is not a signal name or "
	  "number" },
	{ "[program:x]\ncommand=x\nstopsignal=KILL /SIGRTMAX+1\n",
	  F ":3: [program:x] stopsignal: \"KILL /SIGRTMAX+1\" is not a signal "
	  "name or number" },
	{ "[program:x]\ncommand=x\nexitcodes=256\n",
	  F ":3: [program:x] exitcodes: exit code \"256\" is out of range "
	  "(0 to 255)" },
	{ "[program:x]\ncommand=x\nexitcodes=0,x\n",
	  F ":3: [program:x] exitcodes: exit code \"x\" is not a number" },
	{ "[program:x]\ncommand=x\nexitcodes=0,,2\n",
	  F ":3: [program:x] exitcodes: empty exit code in \"0,,2\"" },
	{ "[program:x]\ncommand=x\nexitcodes=-1\n",
	  F ":3: [program:x] exitcodes: exit code \"-1\" is not a number" },
	{ "[program:x]\ncommand=x\nrlimit_nofile=10:5\n",
	  F ":3: [program:x] rlimit_nofile: \"10:5\": soft limit is above "
	  "hard limit" },
	{ "[program:x]\ncommand=x\nrlimit_core=unlimited:0\n",
	  F ":3: [program:x] rlimit_core: \"unlimited:0\": soft limit is "
	  "above hard limit" },
	{ "[program:x]\ncommand=x\nrlimit_nofile=lots\n",
	  F ":3: [program:x] rlimit_nofile: \"lots\" is not a limit "
	  "(expected a number or unlimited)" },
	{ "[program:x]\ncommand=x\nrlimit_nofile=10:\n",
	  F ":3: [program:x] rlimit_nofile: \"\" is not a limit "
	  "(expected a number or unlimited)" },
	{ "[program:x]\ncommand=x\nrlimit_cpu=99999999999999999999\n",
	  F ":3: [program:x] rlimit_cpu: \"99999999999999999999\" is out of "
	  "range" },
	{ "[program:x]\ncommand=x\nuser=tend-check-nosuchuser\n",
	  F ":3: [program:x] user: unknown user 'tend-check-nosuchuser'" },
	{ "[program:x]\ncommand=x\nuser=root\ngroup=tend-check-nosuchgroup\n",
	  F ":4: [program:x] group: unknown group 'tend-check-nosuchgroup'" },
	{ "[program:x]\ncommand=x\ngroup=root\n",
	  F ":3: [program:x] group: needs user= (the group is changed only "
	  "for a program run as another user)" },
	{ "[tend]\ncontrol_group=tend-check-nosuchgroup\n",
	  F ":2: [tend] control_group: unknown group 'tend-check-nosuchgroup'" },
	{ "[program:x]\ncommand=x\nstopasgroup=true\nkillasgroup=false\n",
	  F ":4: [program:x] killasgroup: cannot be false when stopasgroup is "
	  "true" },
	{ "[program:x]\ncommand=x\nkillasgroup=off\nstopasgroup=on\n",
	  F ":3: [program:x] killasgroup: cannot be false when stopasgroup is "
	  "true" },
	{ "[tend]\nloglevel=loud\n",
	  F ":2: [tend] loglevel: \"loud\" is not a log level (expected "
	  "critical, error, warn, info, debug or trace)" },
	{ "[program:x]\ncommand=x\nstdout_logfile=%(ENV_TEND_CHECK_EMPTY)s\n",
	  F ":3: [program:x] stdout_logfile: \"%(ENV_TEND_CHECK_EMPTY)s\" "
	  "expanded to \"\": empty path" },
	{ "[program:x]\ncommand=x\nenvironment=A=1;B=2\n",
	  F ":3: [program:x] environment: unquoted value contains '=' (quote "
	  "the value, or separate variables with ',')" },
	{ "[program:x]\ncommand=x\nenvironment=A=1,A=2\n",
	  F ":3: [program:x] environment: duplicate variable 'A'" },
	{ "[program:x]\ncommand=x\nenvironment=A B=1\n",
	  F ":3: [program:x] environment: expected '=' after variable name "
	  "'A'" },
	{ "[program:x]\ncommand=x\nenvironment=1A=1\n",
	  F ":3: [program:x] environment: invalid variable name '1A'" },
	{ "[program:x]\ncommand=x\nenvironment=A=%(bad)s\n",
	  F ":3: [program:x] environment: A: unknown expansion '%(bad)s'" },
	{ "[tend]\nenvironment==x\n",
	  F ":2: [tend] environment: missing variable name before '='" },
	/* a value shown in a message stays on one line */
	{ "[program:x]\ncommand=x\nstartsecs=1\n  2\n",
	  F ":3: [program:x] startsecs: \"1\\n2\" is not a number" },
};

START_TEST(test_errors)
{
	ck_assert_int_eq(setenv("TEND_CHECK_EMPTY", "", 1), 0);
	ck_assert_int_eq(unsetenv("TEND_CHECK_UNSET_VAR"), 0);
	load_err(err_cases[_i].text, err_cases[_i].msg);
}
END_TEST

/* Every error is reported, in line order, and nothing is returned. */
START_TEST(test_all_errors)
{
	struct config	*cfg;

	cfg = load("[program:b]\n"		/* 1 */
	    "startsecs=ten\n"			/* 2 */
	    "bogus=1\n"				/* 3 */
	    "[weird]\n"				/* 4 */
	    "anything=goes\n"			/* 5: not reported again */
	    "[program:a]\n"			/* 6 */
	    "command=x\n"			/* 7 */
	    "garbage line\n"			/* 8 */
	    "autostart=perhaps\n"		/* 9 */
	    "[program:b]\n"			/* 10 */
	    "command=y\n");			/* 11 */
	ck_assert_ptr_null(cfg);
	if (errs.n != 3)
		dump();
	ck_assert_uint_eq(errs.n, 3);
	ck_assert_str_eq(errs.v[0],
	    F ":2: [program:b] startsecs: \"ten\" is not a number");
	ck_assert_str_eq(errs.v[1], F ":8: [program:a]: expected a [section] "
	    "header or a 'key = value' line");
	ck_assert_str_eq(errs.v[2], F ":9: [program:a] autostart: \"perhaps\" "
	    "is not a boolean (expected true or false)");
	/* supervisord lets these pass: warnings (errors with strict) */
	ck_assert_uint_eq(warns.n, 3);
	ck_assert_str_eq(warns.v[0], F ":4: [weird]: unknown section type, "
	    "ignored (tend reads [tend], [program:NAME], [group:NAME] and "
	    "[include])");
	ck_assert_str_eq(warns.v[1], F ":10: [program:b]: section given "
	    "again (first at line 1): merged into it, the keys given here "
	    "win");
	ck_assert_str_eq(warns.v[2], F ":3: [program:b] bogus: unknown key, "
	    "ignored");
}
END_TEST

START_TEST(test_duplicate_program_both_lines)
{
	struct config	*cfg;

	cfg = load_ok("[program:x]\ncommand=a\n[program:y]\ncommand=b\n"
	    "[program:x]\ncommand=c\n[program:x]\ncommand=d\n");
	ck_assert_str_eq(config_find(cfg, "x")->command, "d");
	ck_assert_uint_eq(warns.n, 4);
	ck_assert_str_eq(warns.v[0], F ":5: [program:x]: section given again "
	    "(first at line 1): merged into it, the keys given here win");
	ck_assert_str_eq(warns.v[1], F ":6: [program:x] command: given again "
	    "(also at line 2): the last one wins");
	ck_assert_str_eq(warns.v[2], F ":7: [program:x]: section given again "
	    "(first at line 1): merged into it, the keys given here win");
	ck_assert_str_eq(warns.v[3], F ":8: [program:x] command: given again "
	    "(also at line 6): the last one wins");
	config_free(cfg);
}
END_TEST

START_TEST(test_too_many_errors)
{
	struct config	*cfg;
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	buf_addstr(&b, "[tend]\n");
	for (i = 0; i < 1500; i++)
		buf_addstr(&b, "oops\n");
	cfg = load(b.data);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1001);
	ck_assert_str_eq(errs.v[0], F ":2: [tend]: expected a [section] header "
	    "or a 'key = value' line");
	ck_assert_str_eq(errs.v[999], F ":1001: [tend]: expected a [section] "
	    "header or a 'key = value' line");
	ck_assert_str_eq(errs.v[1000], F ": 500 more errors not shown");
	buf_free(&b);
}
END_TEST

START_TEST(test_file_errors)
{
	struct config	*cfg;
	char		*path, *big, *want;
	size_t		 len = 16u * 1024 * 1024 + 1;

	strlist_free(&errs);
	cfg = config_load("/nonexistent/tend/tend.ini", &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0], "/nonexistent/tend/tend.ini: cannot open: "
	    "No such file or directory");

	strlist_free(&errs);
	cfg = config_load("/", &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0], "/: cannot read: Is a directory");

	big = repeat(';', len);
	path = write_temp(big, len);
	strlist_free(&errs);
	cfg = config_load(path, &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	want = xasprintf("%s: file too large (more than 16777216 bytes)", path);
	ck_assert_str_eq(errs.v[0], want);
	ck_assert_int_eq(unlink(path), 0);
	free(want);
	free(path);
	free(big);
}
END_TEST

/* A file of exactly 16 MiB is read whole (and its errors found). */
START_TEST(test_file_max_size)
{
	struct config	*cfg;
	struct buf	 b;
	char		*path, *pad, *want;
	size_t		 max = 16u * 1024 * 1024, r;
	unsigned	 lines = 2;

	buf_init(&b);
	buf_addstr(&b, "[program:a]\ncommand=/bin/true\n");
	pad = repeat('#', 999);
	while (b.len + 1000 + 4 <= max) {
		buf_addstr(&b, pad);
		buf_addc(&b, '\n');
		lines++;
	}
	if ((r = max - b.len - 4) > 0) {
		buf_add(&b, pad, r - 1);
		buf_addc(&b, '\n');
		lines++;
	}
	buf_addstr(&b, "foo\n");
	lines++;
	ck_assert_uint_eq(b.len, max);
	path = write_temp(b.data, b.len);
	strlist_free(&errs);
	cfg = config_load(path, &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	want = xasprintf("%s:%u: [program:a]: expected a [section] header "
	    "or a 'key = value' line", path, lines);
	ck_assert_str_eq(errs.v[0], want);
	ck_assert_int_eq(unlink(path), 0);
	free(want);
	free(path);
	free(pad);
	buf_free(&b);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char text[] = "[program:x]\ncommand=/bin/true\nfoo\0bar=1\n"
	    "startsecs=ten\n";
	struct config	*cfg;
	char		*path, *want;

	path = write_temp(text, sizeof text - 1);
	strlist_free(&errs);
	cfg = config_load(path, &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 2);
	want = xasprintf("%s:3: [program:x]: NUL byte in line (column 4)", path);
	ck_assert_str_eq(errs.v[0], want);
	free(want);
	want = xasprintf("%s:4: [program:x] startsecs: \"ten\" is not a number",
	    path);
	ck_assert_str_eq(errs.v[1], want);
	free(want);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
}
END_TEST

/* ---- the libinih r55 traps ---- */

/* command= lines of 300, 5 000 and 70 000 bytes reach argv whole. */
START_TEST(test_long_lines)
{
	static const size_t	 lens[] = { 300, 5000, 70000 };
	struct config		*cfg;
	const struct program	*p;
	char			*arg, *text, *line;
	size_t			 total, arglen;

	total = lens[_i];
	/* "command=/bin/echo " + arg + " end" is total bytes */
	arglen = total - strlen("command=/bin/echo ") - strlen(" end");
	arg = repeat('a', arglen);
	arg[arglen - 1] = 'Z';
	line = xasprintf("command=/bin/echo %s end", arg);
	ck_assert_uint_eq(strlen(line), total);
	text = xasprintf("[program:long]\n%s\nstartsecs=ten\n", line);
	cfg = load(text);
	/* the error on the next line proves the line count */
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0],
	    F ":3: [program:long] startsecs: \"ten\" is not a number");
	free(text);

	text = xasprintf("[program:long]\n%s\n", line);
	cfg = load_ok(text);
	p = only(cfg, "long");
	ck_assert_uint_eq(argc_of(p->argv), 3);
	ck_assert_str_eq(p->argv[0], "/bin/echo");
	ck_assert_uint_eq(strlen(p->argv[1]), arglen);
	ck_assert_str_eq(p->argv[1], arg);
	ck_assert_str_eq(p->argv[2], "end");
	ck_assert_uint_eq(strlen(p->command), total - strlen("command="));
	config_free(cfg);
	free(text);
	free(line);
	free(arg);
}
END_TEST

/* The 208-byte line that r55 splits into command= and a bogus user=
 * (and its 209-byte twin: where r55 cuts depends on how it is read). */
START_TEST(test_key_injection)
{
	struct config		*cfg;
	const struct program	*p;
	char			*a, *line, *text, *want;
	size_t			 total = 208 + (size_t)_i;

	a = repeat('a', total - strlen("user=root'") -
	    strlen("command=/bin/sh -c 'echo "));
	line = xasprintf("command=/bin/sh -c 'echo %suser=root'", a);
	ck_assert_uint_eq(strlen(line), total);
	text = xasprintf("[program:inj]\n%s\n", line);
	cfg = load_ok(text);
	p = only(cfg, "inj");
	ck_assert_ptr_null(p->user);
	ck_assert_uint_eq(argc_of(p->argv), 3);
	ck_assert_str_eq(p->argv[1], "-c");
	want = xasprintf("echo %suser=root", a);
	ck_assert_str_eq(p->argv[2], want);
	config_free(cfg);
	free(want);
	free(text);
	free(line);
	free(a);
}
END_TEST

/* Names that share inih's first 49 bytes never merge: a longer one goes
 * to inih as a placeholder, and keys land in the right program. */
START_TEST(test_long_section_names)
{
	struct config	*cfg;
	char		*a, *text, *want;

	/* over 49 bytes: two programs, each with its own command, and an
	 * error inside one names it whole */
	a = repeat('a', 45);
	text = xasprintf("[program:%s_one]\ncommand=/bin/one\n"
	    "[program:%s_two]\ncommand=/bin/two\n", a, a);
	cfg = load_ok(text);
	ck_assert_uint_eq(cfg->nprogs, 2);
	want = xasprintf("%s_one", a);
	ck_assert_str_eq(cfg->progs[0].name, want);
	ck_assert_str_eq(cfg->progs[0].command, "/bin/one");
	ck_assert_str_eq(cfg->progs[1].command, "/bin/two");
	config_free(cfg);
	free(want);
	free(text);
	text = xasprintf("[program:%s_one]\ncommand=/bin/one\n"
	    "startsecs=x\n", a);
	ck_assert_ptr_null(load(text));
	ck_assert_uint_eq(errs.n, 1);
	want = xasprintf(F ":3: [program:%s_one] startsecs: \"x\" is not a "
	    "number", a);
	ck_assert_str_eq(errs.v[0], want);
	free(want);
	free(text);
	free(a);

	/* 100 bytes of name: the longest; 101: an error */
	a = repeat('b', 100);
	text = xasprintf("[program:%s]\ncommand=/bin/one\n"
	    "[group:g]\nprograms=%s\n", a, a);
	cfg = load_ok(text);
	ck_assert_uint_eq(strlen(cfg->progs[0].name), 100);
	ck_assert_str_eq(cfg->progs[0].group_name, "g");
	config_free(cfg);
	free(text);
	free(a);
	a = repeat('c', 101);
	text = xasprintf("[program:%s]\ncommand=/bin/one\n", a);
	ck_assert_ptr_null(load(text));
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_msg(strstr(errs.v[0], "invalid program name") != NULL,
	    "%s", errs.v[0]);
	free(text);
	free(a);

	/* over 256 bytes is not a name at all */
	a = repeat('d', 300);
	text = xasprintf("[program:%s]\ncommand=/bin/one\n", a);
	ck_assert_ptr_null(load(text));
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0], F ":1: section name too long "
	    "(308 bytes, at most 256)");
	free(text);
	free(a);
}
END_TEST

START_TEST(test_long_key)
{
	char	*k, *text, *msg;

	k = repeat('k', 50);
	text = xasprintf("[program:x]\ncommand=x\n%s=1\n  more\n", k);
	msg = xasprintf(F ":3: [program:x] %s: key name too long (50 bytes, "
	    "at most 49)", k);
	/* one error: its continuation line is dropped with it */
	load_err(text, msg);
	free(msg);
	free(text);
	free(k);
}
END_TEST

START_TEST(test_line_too_long)
{
	char	*v, *text;

	v = repeat('v', 1024 * 1024);
	text = xasprintf("[program:x]\ncommand=x\nenvironment=A=%s\n"
	    "   continued\n", v);
	load_err(text, F ":3: [program:x]: line too long (1048590 bytes, "
	    "at most 1048576)");
	free(text);

	/* just under the limit is fine */
	v[1024 * 1024 - strlen("environment=A=")] = '\0';
	text = xasprintf("[program:x]\ncommand=x\nenvironment=A=%s\n", v);
	config_free(load_ok(text));
	free(text);
	free(v);
}
END_TEST

/* Indented lines continue a value (joined with "\n", like configparser);
 * a second "key =" line is a duplicate. */
START_TEST(test_continuation)
{
	struct config		*cfg;
	const struct program	*p;
	char			*c300, *text;

	cfg = load_ok(
	    "[program:x]\n"
	    "command = /bin/echo\n"
	    "    one\n"
	    "\n"
	    "; a comment does not end it\n"
	    "\ttwo ; and this comment goes\n"
	    "environment =\n"
	    "  A=\"1\",\n"
	    "  B='x, y'\n"
	    "startsecs =\n"
	    "  5\n");
	p = only(cfg, "x");
	ck_assert_str_eq(p->command, "/bin/echo\none\ntwo");
	ck_assert_uint_eq(argc_of(p->argv), 3);
	ck_assert_str_eq(p->argv[1], "one");
	ck_assert_str_eq(p->argv[2], "two");
	ck_assert_uint_eq(p->env.n, 2);
	ck_assert_str_eq(env_get(&p->env, "B"), "x, y");
	ck_assert_uint_eq(p->startsecs, 5);
	config_free(cfg);

	/* long continuation lines, and error lines after them */
	c300 = repeat('c', 300);
	text = xasprintf("[program:x]\n"	/* 1 */
	    "command = /bin/echo %s\n"		/* 2 */
	    "   %s ;comment\n"			/* 3 */
	    "   %s\n"				/* 4 */
	    "; comment\n"			/* 5 */
	    "autostart = perhaps\n", c300, c300, c300);
	cfg = load(text);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0], F ":6: [program:x] autostart: \"perhaps\" "
	    "is not a boolean (expected true or false)");
	free(text);
	text = xasprintf("[program:x]\ncommand = /bin/echo %s\n   %s ;c\n"
	    "   %s\n", c300, c300, c300);
	cfg = load_ok(text);
	p = only(cfg, "x");
	ck_assert_uint_eq(argc_of(p->argv), 4);
	ck_assert_str_eq(p->argv[1], c300);
	ck_assert_str_eq(p->argv[2], c300);
	ck_assert_str_eq(p->argv[3], c300);
	config_free(cfg);
	free(text);
	free(c300);

	/* an indented line right after a header is a key, not a value */
	cfg = load_ok("[program:x]\n  command = /bin/true\n");
	ck_assert_str_eq(only(cfg, "x")->command, "/bin/true");
	config_free(cfg);

	/* the look-alike: the same key again, not indented: it wins */
	cfg = load_ok("[program:x]\ncommand = /bin/echo a\n"
	    "command = /bin/echo dup\n");
	ck_assert_str_eq(only(cfg, "x")->command, "/bin/echo dup");
	ck_assert_uint_eq(warns.n, 1);
	config_free(cfg);
}
END_TEST

/* A long line and its short twin give the same value, inline comments
 * and blanks included: the reader cuts values as inih does. */
START_TEST(test_long_equals_short)
{
	static const char *const tails[] = {
		"x ;comment", "x;notcomment", "  x  ", "x\t; c", ";x", " ;x",
		"a = b", "a:b", "x ; y ; z", "'q ;r'",
	};
	struct config	*cfg;
	char		*pad, *text, *shortv, *longv;
	size_t		 plen;

	pad = repeat('p', 400);
	text = xasprintf("[tend]\nchildlogdir=/%s\n", tails[_i]);
	cfg = load(text);
	shortv = cfg != NULL ? xstrdup(cfg->childlogdir) : xstrdup("<error>");
	config_free(cfg);
	free(text);
	text = xasprintf("[tend]\nchildlogdir=/%s%s\n", pad, tails[_i]);
	cfg = load(text);
	longv = cfg != NULL ? xstrdup(cfg->childlogdir) : xstrdup("<error>");
	config_free(cfg);
	free(text);
	plen = strlen(pad);
	if (strcmp(shortv, "<error>") == 0 || strcmp(longv, "<error>") == 0) {
		ck_assert_str_eq(shortv, longv);
	} else {
		ck_assert_uint_eq(strlen(longv), strlen(shortv) + plen);
		ck_assert(strncmp(longv + 1, pad, plen) == 0);
		ck_assert_str_eq(longv + 1 + plen, shortv + 1);
	}
	free(shortv);
	free(longv);

	/* the same for a continuation line */
	text = xasprintf("[program:x]\ncommand=/bin/echo\n   /%s\n", tails[_i]);
	cfg = load(text);
	shortv = cfg != NULL ? xstrdup(cfg->progs[0].command) : xstrdup("-");
	config_free(cfg);
	free(text);
	text = xasprintf("[program:x]\ncommand=/bin/echo\n   /%s%s\n", pad,
	    tails[_i]);
	cfg = load(text);
	longv = cfg != NULL ? xstrdup(cfg->progs[0].command) : xstrdup("-");
	config_free(cfg);
	free(text);
	if (strcmp(shortv, "-") == 0 || strcmp(longv, "-") == 0)
		ck_assert_str_eq(shortv, longv);
	else
		ck_assert_str_eq(longv + strlen("/bin/echo\n/") + plen,
		    shortv + strlen("/bin/echo\n/"));
	free(shortv);
	free(longv);
	free(pad);
}
END_TEST

START_TEST(test_bom_crlf)
{
	struct config		*cfg;
	const struct program	*p;
	char			*c300, *text, *path, *want;

	cfg = load_ok("\xef\xbb\xbf[program:x]\r\ncommand=/bin/echo hi\r\n"
	    "environment=A=1,\r\n  B=2\r\n");
	p = only(cfg, "x");
	ck_assert_uint_eq(argc_of(p->argv), 2);
	ck_assert_str_eq(p->argv[1], "hi");
	ck_assert_str_eq(env_get(&p->env, "B"), "2");
	config_free(cfg);

	/* a BOM only at the very start; the last line needs no newline */
	cfg = load_ok("\xef\xbb\xbf[tend]\r\numask=077");
	ck_assert_uint_eq(cfg->umask, 077);
	config_free(cfg);

	/* line numbers with a BOM, CRLF and a long CRLF line, from a file */
	c300 = repeat('c', 300);
	text = xasprintf("\xef\xbb\xbf; tend\r\n[program:x]\r\n"
	    "command=/bin/echo %s\r\n  %s\r\nstartsecs=ten\r\n", c300, c300);
	path = write_temp(text, strlen(text));
	strlist_free(&errs);
	cfg = config_load(path, &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	want = xasprintf("%s:5: [program:x] startsecs: \"ten\" is not a number",
	    path);
	ck_assert_str_eq(errs.v[0], want);
	free(want);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	free(text);

	text = xasprintf("[program:x]\r\ncommand=/bin/echo %s\r\n  %s\r\n",
	    c300, c300);
	cfg = load_ok(text);
	p = only(cfg, "x");
	ck_assert_uint_eq(argc_of(p->argv), 3);
	ck_assert_str_eq(p->argv[1], c300);
	ck_assert_str_eq(p->argv[2], c300);
	config_free(cfg);
	free(text);
	free(c300);
}
END_TEST

/* A long value in a quoted environment variable arrives whole. */
START_TEST(test_long_environment)
{
	struct config	*cfg;
	char		*v, *text;

	v = repeat('e', 70000);
	v[100] = ',';
	text = xasprintf("[program:x]\ncommand=x\nenvironment=BIG=\"%s\",B=2\n",
	    v);
	cfg = load_ok(text);
	ck_assert_str_eq(env_get(&cfg->progs[0].env, "BIG"), v);
	ck_assert_str_eq(env_get(&cfg->progs[0].env, "B"), "2");
	config_free(cfg);
	free(text);
	free(v);
}
END_TEST

/* ---- program_equal ---- */

START_TEST(test_program_equal)
{
	static const char base[] = "[program:a]\ncommand=/bin/echo x\n"
	    "environment=A=1,B=2\nrlimit_nofile=10:20\n";
	static const char *const differ[] = {
		"command=/bin/echo y\n", "directory=/srv\n", "umask=077\n",
		"user=daemon\n", "environment=A=1,B=3\n", "environment=A=1\n",
		"autostart=false\n", "autorestart=false\n", "startsecs=2\n",
		"startretries=1\n", "exitcodes=0,1\n", "stopsignal=KILL\n",
		"stopwaitsecs=1\n", "stopasgroup=true\n", "killasgroup=true\n",
		"priority=1\n", "stdout_logfile=/x\n", "stderr_logfile=NONE\n",
		"redirect_stderr=true\n", "rlimit_nofile=10:21\n",
		"rlimit_core=0\n", "shutdown_on=fatal\n", "notification_fd=3\n",
		"depends_on=b\n[program:b]\ncommand=x\n", "sd_notify=true\n",
	};
	struct config	*c1, *c2;
	struct buf	 b;
	size_t		 i;
	char		*line;

	c1 = load_ok(base);
	/* the same program elsewhere, keys reordered: still equal */
	c2 = load_ok("; moved down\n\n[program:a]\nrlimit_nofile = 10:20\n"
	    "environment = B=\"2\", A=1\ncommand = /bin/echo x\n");
	ck_assert(program_equal(&c1->progs[0], &c2->progs[0]));
	ck_assert(program_equal(&c2->progs[0], &c1->progs[0]));
	ck_assert_uint_ne(c1->progs[0].line, c2->progs[0].line);
	config_free(c2);

	for (i = 0; i < nitems(differ); i++) {
		buf_init(&b);
		/* replace the base line of the same key, if there is one */
		line = xstrndup(differ[i], strcspn(differ[i], "="));
		buf_addstr(&b, "[program:a]\n");
		if (strcmp(line, "command") != 0)
			buf_addstr(&b, "command=/bin/echo x\n");
		if (strcmp(line, "environment") != 0)
			buf_addstr(&b, "environment=A=1,B=2\n");
		if (strcmp(line, "rlimit_nofile") != 0)
			buf_addstr(&b, "rlimit_nofile=10:20\n");
		buf_addstr(&b, differ[i]);
		c2 = load_ok(b.data);
		if (program_equal(&c1->progs[0], &c2->progs[0]))
			fprintf(stderr, "equal despite: %s", differ[i]);
		ck_assert(!program_equal(&c1->progs[0], &c2->progs[0]));
		config_free(c2);
		free(line);
		buf_free(&b);
	}

	/* the name counts too */
	c2 = load_ok("[program:b]\ncommand=/bin/echo x\nenvironment=A=1,B=2\n"
	    "rlimit_nofile=10:20\n");
	ck_assert(!program_equal(&c1->progs[0], &c2->progs[0]));
	config_free(c2);
	config_free(c1);
}
END_TEST

/* ---- environment lists ---- */

static const struct env_case {
	const char	*in;
	const char	*err;		/* NULL: valid */
	size_t		 n;
	const char	*k1, *v1, *k2, *v2;
} env_cases[] = {
	{ "A=\"x,y\",B=2", NULL, 2, "A", "x,y", "B", "2" },
	{ "A=", NULL, 1, "A", "", NULL, NULL },
	{ "A=,B=1", NULL, 2, "A", "", "B", "1" },
	{ "", NULL, 0, NULL, NULL, NULL, NULL },
	{ "  ", NULL, 0, NULL, NULL, NULL, NULL },
	{ "A='x=y'", NULL, 1, "A", "x=y", NULL, NULL },
	{ "A = 1 , B = 2 ,", NULL, 2, "A", "1", "B", "2" },
	{ "_a1=\"\",\n  B_='it\"s'", NULL, 2, "_a1", "", "B_", "it\"s" },
	{ "PATH=/usr/bin:/bin,X=a;b", NULL, 2, "PATH", "/usr/bin:/bin",
	  "X", "a;b" },
	{ "=x", "missing variable name before '='", 0, NULL, NULL, NULL, NULL },
	{ "A B=1", "expected '=' after variable name", 0, NULL, NULL, NULL,
	  NULL },
	{ "A=1;B=2", "unquoted value contains '=' (quote the value, or "
	  "separate variables with ',')", 0, NULL, NULL, NULL, NULL },
	{ "A=1,A=2", "duplicate variable", 0, NULL, NULL, NULL, NULL },
	{ "A=1,B=2,A=\"3\"", "duplicate variable", 0, NULL, NULL, NULL, NULL },
	{ "A=1 B=2", "expected ',' between variables", 0, NULL, NULL, NULL,
	  NULL },
	{ "A=x y", "expected ',' between variables", 0, NULL, NULL, NULL,
	  NULL },
	{ "1A=2", "invalid variable name", 0, NULL, NULL, NULL, NULL },
	{ "A-B=1", "invalid variable name", 0, NULL, NULL, NULL, NULL },
	{ "A", "expected '=' after variable name", 0, NULL, NULL, NULL, NULL },
	{ ",A=1", "expected NAME=value", 0, NULL, NULL, NULL, NULL },
	{ "A=1,,B=2", "expected NAME=value", 0, NULL, NULL, NULL, NULL },
	{ "\"A\"=1", "expected NAME=value", 0, NULL, NULL, NULL, NULL },
	{ "A=\"x", "unterminated quote", 0, NULL, NULL, NULL, NULL },
	{ "A=\"x\"y", "expected ',' after quoted value", 0, NULL, NULL, NULL,
	  NULL },
	{ "A=x\"y\"", "quote inside unquoted value", 0, NULL, NULL, NULL,
	  NULL },
};

START_TEST(test_envlist_parse)
{
	const struct env_case	*c = &env_cases[_i];
	struct envlist		 l = { NULL, 0 };
	const char		*err = NULL;
	int			 rc;

	envlist_set(&l, "OLD", "kept on failure");
	rc = envlist_parse(c->in, &l, &err);
	if (c->err != NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_nonnull(err);
		ck_assert_str_eq(err, c->err);
		ck_assert_uint_eq(l.n, 1);
		ck_assert_str_eq(l.v[0].key, "OLD");
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(l.n, c->n);
		if (c->n >= 1) {
			ck_assert_str_eq(l.v[0].key, c->k1);
			ck_assert_str_eq(l.v[0].value, c->v1);
		}
		if (c->n >= 2) {
			ck_assert_str_eq(l.v[1].key, c->k2);
			ck_assert_str_eq(l.v[1].value, c->v2);
		}
	}
	envlist_free(&l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.v);
}
END_TEST

START_TEST(test_envlist_set)
{
	struct envlist	l = { NULL, 0 };

	envlist_set(&l, "A", "1");
	envlist_set(&l, "B", "2");
	envlist_set(&l, "A", "3");
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].key, "A");
	ck_assert_str_eq(l.v[0].value, "3");
	ck_assert_str_eq(l.v[1].value, "2");
	envlist_free(&l);
}
END_TEST

/* Many variables: duplicates are still found, quickly. */
START_TEST(test_envlist_many)
{
	struct envlist	 l = { NULL, 0 };
	struct buf	 b;
	const char	*err;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < 100000; i++)
		buf_printf(&b, "%sV%zu=%zu", i > 0 ? "," : "", i, i);
	ck_assert_int_eq(envlist_parse(b.data, &l, &err), 0);
	ck_assert_uint_eq(l.n, 100000);
	ck_assert_str_eq(l.v[99999].key, "V99999");
	buf_addstr(&b, ",V5=again");
	ck_assert_int_eq(envlist_parse(b.data, &l, &err), -1);
	ck_assert_str_eq(err, "duplicate variable");
	ck_assert_uint_eq(l.n, 100000);
	envlist_free(&l);
	buf_free(&b);
}
END_TEST

/* ---- the key table ---- */

static const struct config_key_doc *
key_doc(const char *section, const char *name)
{
	const struct config_key_doc	*k;
	size_t				 i, n;

	k = config_keys(&n);
	for (i = 0; i < n; i++) {
		if (strcmp(k[i].section, section) == 0 &&
		    strcmp(k[i].name, name) == 0)
			return &k[i];
	}
	return NULL;
}

START_TEST(test_config_keys)
{
	static const char *const tend_keys[] = {
		"pidfile", "control", "control_mode", "control_group", "umask",
		"logfile", "loglevel", "childlogdir", "directory",
		"environment", "environment_file", "minfds", "nodaemon",
		"metrics_file",
		"minprocs", "logfile_maxbytes", "logfile_backups", "syslog",
		"syslog_socket", "strict",
	};
	static const char *const program_keys[] = {
		"command", "directory", "umask", "user", "group", "environment",
		"environment_file", "autostart", "autorestart", "startsecs", "startretries", "restart_limit",
		"exitcodes", "stopsignal", "stopwaitsecs", "stopasgroup",
		"killasgroup", "priority", "stdout_logfile", "stderr_logfile",
		"redirect_stderr", "process_name", "numprocs",
		"numprocs_start", "stdout_logfile_maxbytes",
		"stdout_logfile_backups", "stdout_syslog",
		"stderr_logfile_maxbytes", "stderr_logfile_backups",
		"stderr_syslog", "shutdown_on", "notification_fd", "depends_on",
		"sd_notify", "stdout_events_enabled", "stderr_events_enabled",
		"stdout_capture_maxbytes", "stderr_capture_maxbytes",
		"events", "buffer_size", "result_handler", "ready_on",
		"healthcheck", "healthcheck_interval", "healthcheck_timeout",
		"healthcheck_retries", "healthcheck_start_period",
		"healthcheck_action",
	};
	/* [group:NAME] programs, priority; [include] files */
	static const size_t ngroup_include_keys = 3;
	const struct config_key_doc	*k, *d;
	struct config			*cfg;
	struct buf			 b;
	size_t				 i, n;
	char				*name;

	k = config_keys(&n);
	ck_assert_uint_eq(n, nitems(tend_keys) + nitems(program_keys) +
	    CONFIG_NRLIMITS + ngroup_include_keys);
	for (i = 0; i < n; i++) {
		ck_assert(strcmp(k[i].section, "tend") == 0 ||
		    strcmp(k[i].section, "program") == 0 ||
		    strcmp(k[i].section, "group") == 0 ||
		    strcmp(k[i].section, "include") == 0);
		ck_assert_ptr_nonnull(k[i].name);
		ck_assert_ptr_nonnull(k[i].deflt);
		ck_assert_ptr_nonnull(k[i].doc);
		ck_assert_uint_gt(strlen(k[i].doc), 10);
	}
	for (i = 0; i < nitems(tend_keys); i++)
		ck_assert_ptr_nonnull(key_doc("tend", tend_keys[i]));
	for (i = 0; i < nitems(program_keys); i++)
		ck_assert_ptr_nonnull(key_doc("program", program_keys[i]));
	for (i = 0; i < CONFIG_NRLIMITS; i++) {
		name = xasprintf("rlimit_%s", config_rlimits[i].name);
		ck_assert_ptr_nonnull(key_doc("program", name));
		free(name);
	}
	d = key_doc("program", "startsecs");
	ck_assert_str_eq(d->deflt, "1");
	ck_assert_str_eq(key_doc("program", "autorestart")->deflt,
	    "unexpected");
	ck_assert_str_eq(key_doc("tend", "control")->deflt,
	    TEND_RUNSTATEDIR "/tend/control");

	/* every listed key is accepted by the parser: each one set to its
	 * default where that is a value, to a sample value otherwise */
	buf_init(&b);
	buf_addstr(&b, "[tend]\n");
	for (i = 0; i < n; i++) {
		if (strcmp(k[i].section, "tend") != 0)
			continue;
		if (strcmp(k[i].name, "control_group") == 0)
			buf_addstr(&b, "control_group = root\n");
		else if (strcmp(k[i].name, "environment") == 0)
			buf_addstr(&b, "environment = A=1\n");
		else if (strcmp(k[i].name, "environment_file") == 0)
			buf_addstr(&b, "environment_file = -/nonexistent\n");
		else if (strcmp(k[i].deflt, "none") == 0)
			buf_printf(&b, "%s = /x\n", k[i].name);
		else
			buf_printf(&b, "%s = %s\n", k[i].name, k[i].deflt);
	}
	buf_addstr(&b, "[program:all-keys]\n");
	for (i = 0; i < n; i++) {
		if (strcmp(k[i].section, "program") != 0)
			continue;
		if (strcmp(k[i].name, "command") == 0)
			buf_addstr(&b, "command = /bin/true\n");
		else if (strcmp(k[i].name, "user") == 0 ||
		    strcmp(k[i].name, "group") == 0)
			buf_printf(&b, "%s = root\n", k[i].name);
		else if (strcmp(k[i].name, "umask") == 0)
			buf_addstr(&b, "umask = 022\n");
		else if (strcmp(k[i].name, "healthcheck") == 0)
			buf_addstr(&b, "healthcheck = tcp:127.0.0.1:1\n");
		else if (strcmp(k[i].name, "environment") == 0)
			buf_addstr(&b, "environment = A=1\n");
		else if (strcmp(k[i].name, "environment_file") == 0)
			buf_addstr(&b, "environment_file = -/nonexistent\n");
		else if (strcmp(k[i].name, "depends_on") == 0)
			buf_addstr(&b, "depends_on = other\n");
		else if (strcmp(k[i].name, "events") == 0)
			buf_addstr(&b, "events = PROCESS_STATE\n");
		else if (strncmp(k[i].name, "rlimit_", 7) == 0)
			buf_printf(&b, "%s = 1:unlimited\n", k[i].name);
		else if (strcmp(k[i].deflt, "none") == 0)
			buf_printf(&b, "%s = /x\n", k[i].name);
		else
			buf_printf(&b, "%s = %s\n", k[i].name, k[i].deflt);
	}
	buf_addstr(&b, "[program:other]\ncommand = /bin/true\n");
	cfg = load_ok(b.data);
	ck_assert_uint_eq(cfg->nprogs, 2);
	ck_assert_str_eq(cfg->progs[0].name, "all-keys");
	for (i = 0; i < CONFIG_NRLIMITS; i++)
		ck_assert(cfg->progs[0].rlimits[i].set);
	config_free(cfg);
	buf_free(&b);
}
END_TEST

/* ---- groups, numprocs, includes, supervisord compatibility (issue 5) ---- */

START_TEST(test_groups)
{
	struct config		*cfg;
	const struct group_conf	*g;

	cfg = load_ok("[group:web]\nprograms=a, b\npriority=5\n"
	    "[program:a]\ncommand=/bin/a %(group_name)s %(program_name)s\n"
	    "[program:b]\ncommand=/bin/b\npriority=7\n"
	    "[program:solo]\ncommand=/bin/s %(group_name)s\n");
	ck_assert_uint_eq(cfg->nprogs, 3);
	ck_assert_str_eq(cfg->progs[0].name, "solo");
	ck_assert_str_eq(cfg->progs[0].group_name, "solo");
	ck_assert_str_eq(cfg->progs[0].argv[1], "solo");
	ck_assert_int_eq(cfg->progs[0].group_priority, 999);
	ck_assert_str_eq(cfg->progs[1].name, "a");
	ck_assert_str_eq(cfg->progs[1].group_name, "web");
	ck_assert_str_eq(cfg->progs[1].program_name, "a");
	ck_assert_str_eq(cfg->progs[1].argv[1], "web");
	ck_assert_str_eq(cfg->progs[1].argv[2], "a");
	ck_assert_int_eq(cfg->progs[1].group_priority, 5);
	ck_assert_int_eq(cfg->progs[1].priority, 999);
	ck_assert_str_eq(cfg->progs[2].name, "b");
	ck_assert_int_eq(cfg->progs[2].priority, 7);
	ck_assert_uint_eq(cfg->ngroups, 2);
	ck_assert_str_eq(cfg->groups[0].name, "solo");
	ck_assert_uint_eq(cfg->groups[0].first, 0);
	ck_assert_uint_eq(cfg->groups[0].nprocs, 1);
	ck_assert_str_eq(cfg->groups[1].name, "web");
	ck_assert_uint_eq(cfg->groups[1].first, 1);
	ck_assert_uint_eq(cfg->groups[1].nprocs, 2);
	ck_assert_int_eq(cfg->groups[1].priority, 5);
	ck_assert_uint_eq(cfg->groups[1].line, 1);
	/* [group:]s come before [program:]s among equal priorities */
	ck_assert_uint_lt(cfg->groups[1].seq, cfg->groups[0].seq);
	ck_assert_ptr_eq(config_find(cfg, "web:a"), &cfg->progs[1]);
	ck_assert_ptr_eq(config_find_process(cfg, "web", "b"), &cfg->progs[2]);
	ck_assert_ptr_eq(config_find(cfg, "solo"), &cfg->progs[0]);
	ck_assert_ptr_eq(config_find(cfg, "solo:solo"), &cfg->progs[0]);
	ck_assert_ptr_null(config_find(cfg, "a"));
	ck_assert_ptr_null(config_find(cfg, "web:*"));
	g = config_find_group(cfg, "web");
	ck_assert_ptr_eq(g, &cfg->groups[1]);
	ck_assert_ptr_null(config_find_group(cfg, "a"));
	config_free(cfg);
}
END_TEST

START_TEST(test_numprocs)
{
	struct config	*cfg;
	size_t		 i;
	char		*want;

	cfg = load_ok("[program:w]\ncommand=/bin/sleep 10%(process_num)d "
	    "%(numprocs)s\nnumprocs=3\nnumprocs_start=5\n"
	    "process_name=%(program_name)s_%(process_num)02d\n"
	    "stdout_logfile=/tmp/%(process_num)d.log\n");
	ck_assert_uint_eq(cfg->nprogs, 3);
	ck_assert_uint_eq(cfg->ngroups, 1);
	ck_assert_uint_eq(cfg->groups[0].nprocs, 3);
	for (i = 0; i < 3; i++) {
		const struct program	*p = &cfg->progs[i];

		want = xasprintf("w_%02zu", i + 5);
		ck_assert_str_eq(p->name, want);
		free(want);
		ck_assert_str_eq(p->group_name, "w");
		ck_assert_str_eq(p->program_name, "w");
		ck_assert_uint_eq(p->process_num, i + 5);
		ck_assert_uint_eq(p->numprocs, 3);
		want = xasprintf("10%zu", i + 5);
		ck_assert_str_eq(p->argv[1], want);
		free(want);
		ck_assert_str_eq(p->argv[2], "3");
		want = xasprintf("/tmp/%zu.log", i + 5);
		ck_assert_str_eq(p->stdout_logfile, want);
		free(want);
	}
	ck_assert_ptr_eq(config_find(cfg, "w:w_06"), &cfg->progs[1]);
	ck_assert_ptr_null(config_find(cfg, "w_06"));
	config_free(cfg);

	/* one process: process_name alone renames it */
	cfg = load_ok("[program:x]\ncommand=/bin/true\nprocess_name=y\n");
	ck_assert_str_eq(cfg->progs[0].name, "y");
	ck_assert_str_eq(cfg->progs[0].group_name, "x");
	ck_assert_ptr_eq(config_find(cfg, "x:y"), &cfg->progs[0]);
	config_free(cfg);

	/* AUTO log files: by process name, GROUP:NAME when two groups have
	 * a process of that name; an explicit path stays as written */
	cfg = load_ok("[tend]\nchildlogdir=/l\n"
	    "[program:a]\ncommand=x\nprocess_name=web\n"
	    "[program:b]\ncommand=x\nprocess_name=web\n"
	    "stderr_logfile=/e.log\n"
	    "[program:web]\ncommand=x\nredirect_stderr=true\n"
	    "[program:other]\ncommand=x\nstdout_logfile=NONE\n");
	ck_assert_uint_eq(cfg->nprogs, 4);
	{
		static const char *const paths[][2] = {
			{ "/l/a:web-stdout.log", "/l/a:web-stderr.log" },
			{ "/l/b:web-stdout.log", "/e.log" },
			{ NULL, "/l/other-stderr.log" },
			{ "/l/web-stdout.log", NULL },
		};
		char	*path;
		int	 err;

		for (i = 0; i < 4; i++) {
			for (err = 0; err < 2; err++) {
				path = program_log_path(cfg, &cfg->progs[i],
				    err);
				if (paths[i][err] == NULL)
					ck_assert_ptr_null(path);
				else
					ck_assert_str_eq(path, paths[i][err]);
				free(path);
			}
		}
	}
	/* the same program with and without a namesake differs: update
	 * restarts it onto its new log file */
	{
		struct config	*one = load_ok("[program:a]\ncommand=x\n"
		    "process_name=web\n");

		ck_assert(!program_equal(&one->progs[0], &cfg->progs[0]));
		ck_assert(!one->progs[0].auto_log_group);
		config_free(one);
	}
	config_free(cfg);

	/* warnings are given once per section, not once per process */
	cfg = load_ok("[program:r]\ncommand=x\nnumprocs=4\n"
	    "process_name=r%(process_num)d\nredirect_stderr=true\n"
	    "stderr_logfile=/tmp/e\n");
	ck_assert_uint_eq(cfg->nprogs, 4);
	ck_assert_uint_eq(warns.n, 1);
	config_free(cfg);
}
END_TEST

static const struct err_case group_err_cases[] = {
	{ "[program:w]\ncommand=x\nnumprocs=2\n",
	  F ":3: [program:w] numprocs: numprocs > 1 needs a process_name "
	  "with %(process_num), such as %(program_name)s_%(process_num)02d" },
	{ "[program:w]\ncommand=x\nnumprocs=2\nprocess_name=w\n",
	  F ":4: [program:w] process_name: must contain %(process_num) when "
	  "numprocs > 1 (else the names repeat)" },
	{ "[program:w]\ncommand=x\nnumprocs=2\n"
	  "process_name=w%(process_num).0s\n",
	  F ":1: [program:w]: duplicate process name 'w' in group 'w' (also "
	  "from [program:w])" },
	{ "[program:w]\ncommand=x\nnumprocs=0\n",
	  F ":3: [program:w] numprocs: \"0\" is out of range (1 to 10000)" },
	{ "[program:w]\ncommand=x\nprocess_name=a b\n",
	  F ":3: [program:w] process_name: invalid process name 'a b': it holds "
	  "whitespace" },
	{ "[program:w]\ncommand=x\nnumprocs=3\n"
	  "process_name=%(program_name)s%(process_num)d\nstartsecs=x\n",
	  F ":5: [program:w] startsecs: \"x\" is not a number" },
	{ "[group:g]\nprograms=nosuch\n",
	  F ":2: [group:g] programs: no [program:nosuch] section" },
	{ "[group:g]\npriority=1\n",
	  F ":1: [group:g]: missing required key 'programs'" },
	{ "[group:g]\nprograms=a,,b\n[program:a]\ncommand=x\n",
	  F ":2: [group:g] programs: invalid program name '': a name cannot "
	  "be empty" },
	{ "[group:g]\nprograms=a,a\n[program:a]\ncommand=x\n",
	  F ":2: [group:g] programs: program 'a' is listed twice" },
	{ "[group:g]\nprograms=a\n[group:h]\nprograms=a\n"
	  "[program:a]\ncommand=x\n",
	  F ":4: [group:h] programs: program 'a' is already in [group:g]" },
	{ "[group:web]\nprograms=a\n[program:a]\ncommand=x\n"
	  "[program:web]\ncommand=y\n",
	  F ":5: [program:web]: there is also a [group:web] (" F ":1), and "
	  "this program is not in it" },
	{ "[group:a b]\nprograms=a\n",
	  F ":1: [group:a b]: invalid group name 'a b': it holds "
	  "whitespace" },
	{ "[group:all]\nprograms=a\n",
	  F ":1: [group:all]: group name 'all' is reserved (tendctl uses it "
	  "for every program)" },
	{ "[include]\n",
	  F ":1: [include]: missing required key 'files'" },
	{ "[supervisord]\nminprocs=0\n",
	  F ":2: [supervisord] minprocs: \"0\" is out of range (1 to "
	  "2147483647)" },
};

START_TEST(test_group_errors)
{
	load_err(group_err_cases[_i].text, group_err_cases[_i].msg);
}
END_TEST

/* [eventlistener:NAME]: a pool of listener processes in group NAME. */
START_TEST(test_eventlistener)
{
	struct config		*cfg;
	const struct program	*p;

	cfg = load_ok("[eventlistener:mon]\ncommand=/bin/cat\n"
	    "events=PROCESS_STATE_EXITED,tick_5\nbuffer_size=3\n"
	    "numprocs=2\nprocess_name=%(program_name)s_%(process_num)d\n"
	    "result_handler=superlance.x:handler\n"
	    "[program:w]\ncommand=/bin/true\nstderr_events_enabled=yes\n");
	ck_assert_uint_eq(cfg->nprogs, 3);
	p = config_find(cfg, "mon:mon_1");
	ck_assert_ptr_nonnull(p);
	ck_assert(p->listener);
	ck_assert_uint_eq(p->events, EVENT_BIT(EVENT_PROCESS_STATE_EXITED) |
	    EVENT_BIT(EVENT_TICK_5));
	ck_assert_uint_eq(p->buffer_size, 3);
	ck_assert_int_eq(p->priority, -1);	/* started first */
	p = config_find(cfg, "w");
	ck_assert(!p->listener);
	ck_assert_uint_eq(p->buffer_size, 10);
	ck_assert(p->stderr_events_enabled);
	ck_assert_uint_eq(warns.n, 1);
	ck_assert_str_eq(warns.v[0], F ":7: [eventlistener:mon] "
	    "result_handler: superlance.x:handler is a Python callable: "
	    "ignored, tend uses supervisord's default handler (RESULT OK "
	    "accepts an event, anything else sends it again)");
	config_free(cfg);

	cfg = load_ok("[program:w]\ncommand=/bin/true\nevents=TICK_5\n");
	ck_assert_uint_eq(warns.n, 1);
	ck_assert_str_eq(warns.v[0], F ":3: [program:w] events: ignored "
	    "(only an [eventlistener:] section has it)");
	config_free(cfg);

	load_err("[eventlistener:e]\ncommand=/bin/cat\n"
	    "events=PROCESS_STATE,PROCESS_STAT\n",
	    F ":3: [eventlistener:e] events: unknown event type "
	    "'PROCESS_STAT'");
	load_err("[eventlistener:e]\ncommand=/bin/cat\n",
	    F ":1: [eventlistener:e]: missing required key 'events' (the "
	    "event types its listeners get)");
	load_err("[eventlistener:e]\ncommand=/bin/cat\nevents=TICK\n"
	    "buffer_size=0\n", F ":4: [eventlistener:e] buffer_size: \"0\" "
	    "is out of range (1 to 1000000)");
	load_err("[eventlistener:e]\ncommand=/bin/cat\nevents=TICK\n"
	    "redirect_stderr=true\n", F ":4: [eventlistener:e] "
	    "redirect_stderr: cannot be true in an [eventlistener:] section: "
	    "stdout is the event listener protocol");
	load_err("[eventlistener:e]\ncommand=/bin/cat\nevents=TICK\n"
	    "[group:g]\nprograms=e\n", F ":5: [group:g] programs: "
	    "[eventlistener:e] cannot be in a group (it is a pool of its "
	    "own)");
}
END_TEST

/* A supervisord.conf: [supervisord] is read as [tend], what only
 * supervisord uses is accepted with one warning each. */
START_TEST(test_supervisord_compat)
{
	struct config	*cfg;

	cfg = load_ok("[unix_http_server]\nfile=/tmp/x.sock\nchmod=0700\n"
	    "[supervisord]\nlogfile=/tmp/sd.log\nnodaemon=true\n"
	    "minfds=2048\nminprocs=300\nsilent=true\n"
	    "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = "
	    "supervisor.rpcinterface:make_main_rpcinterface\n"
	    "[supervisorctl]\nserverurl=unix:///tmp/x.sock\n"
	    "[eventlistener:e]\ncommand=x\nevents=PROCESS_STATE\n"
	    "[inet_http_server]\nport=127.0.0.1:9001\n"
	    "[program:p]\ncommand=/bin/true\nstdout_events_enabled=true\n");
	ck_assert(cfg->nodaemon);
	ck_assert_uint_eq(cfg->minfds, 2048);
	ck_assert_uint_eq(cfg->minprocs, 300);
	ck_assert_str_eq(cfg->logfile, "/tmp/sd.log");
	ck_assert_uint_eq(cfg->nprogs, 2);	/* p, and the listener e */
	ck_assert_uint_eq(warns.n, 5);
	ck_assert_str_eq(warns.v[0], F ":1: [unix_http_server]: ignored "
	    "(supervisord's; tendctl talks to tendd through the control "
	    "FIFO)");
	ck_assert_str_eq(warns.v[4], F ":9: [supervisord] silent: ignored "
	    "(tendd -n always logs to stderr)");
	ck_assert_str_eq(warns.v[1], F ":10: [rpcinterface:supervisor]: "
	    "ignored (supervisord's; tendctl talks to tendd through the "
	    "control FIFO)");
	ck_assert_str_eq(warns.v[3], F ":17: [inet_http_server]: ignored "
	    "(supervisord's; tendctl talks to tendd through the control "
	    "FIFO)");
	ck_assert(config_find(cfg, "p")->stdout_events_enabled);
	ck_assert(config_find(cfg, "e")->listener);
	config_free(cfg);

	/* [tend] wins over [supervisord], in either order */
	cfg = load_ok("[tend]\nlogfile=/a\n[supervisord]\nlogfile=/b\n"
	    "loglevel=debug\n");
	ck_assert_str_eq(cfg->logfile, "/a");
	ck_assert_int_eq(cfg->loglevel, LOG_LVL_DEBUG);
	config_free(cfg);
	cfg = load_ok("[supervisord]\nlogfile=/b\nloglevel=debug\n"
	    "[tend]\nlogfile=/a\n");
	ck_assert_str_eq(cfg->logfile, "/a");
	ck_assert_int_eq(cfg->loglevel, LOG_LVL_DEBUG);
	config_free(cfg);

	/* a group may name an fcgi-program: left out with a warning */
	cfg = load_ok("[fcgi-program:f]\ncommand=x\n[group:g]\nprograms=f,a\n"
	    "[program:a]\ncommand=y\n");
	ck_assert_uint_eq(cfg->nprogs, 1);
	ck_assert_str_eq(cfg->progs[0].group_name, "g");
	ck_assert_uint_eq(warns.n, 2);
	ck_assert_str_eq(warns.v[1], F ":4: [group:g] programs: "
	    "[fcgi-program:f] is not supported: left out");
	config_free(cfg);
}
END_TEST

/* Write text to dir/name (dir/sub made as needed). */
static void
put_file(const char *dir, const char *name, const char *text)
{
	char	*path = xasprintf("%s/%s", dir, name), *slash;
	FILE	*fp;

	slash = strrchr(path, '/');
	*slash = '\0';
	(void)mkdir(path, 0700);
	*slash = '/';
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_ge(fputs(text, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	free(path);
}

/* %(here)s in a [tend] section of an included file is that file's
 * directory, as for the other sections (supervisord 4). */
START_TEST(test_include_tend_here)
{
	struct config	*cfg;
	char		 tmpl[] = "/tmp/check_config_inc.XXXXXX";
	char		*dir, *main_path, *want;

	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	main_path = xasprintf("%s/main.ini", dir);
	put_file(dir, "main.ini", "[include]\nfiles = sub/*.ini\n"
	    "[program:m]\ncommand=/bin/m\n");
	put_file(dir, "sub/t.ini", "[tend]\npidfile = %(here)s/tend.pid\n");
	strlist_free(&errs);
	cfg = config_load(main_path, &errs, NULL);
	if (cfg == NULL)
		dump();
	ck_assert_ptr_nonnull(cfg);
	want = xasprintf("%s/sub/tend.pid", dir);
	ck_assert_str_eq(cfg->pidfile, want);
	free(want);
	config_free(cfg);
	free(main_path);
	want = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(want), 0);
	free(want);
}
END_TEST

/* A section given again in an included file is merged into the first:
 * the checks of a whole section report a key where it really is, in the
 * second file, not at its line in the first (issue 14). */
START_TEST(test_include_merged_where)
{
	static const struct {
		const char	*o1;	/* keys added to o1.ini's [program:x] */
		const char	*o2;	/* o2.ini */
		const char	*err[2];	/* "FILE:" prefixed with o2.ini's path */
	} cases[] = {
		{ "", "[eventlistener:e]\nredirect_stderr=true\n"
		  "[program:x]\nstopasgroup=true\nkillasgroup=false\n",
		  { ":2: [eventlistener:e] redirect_stderr: cannot be true in "
		    "an [eventlistener:] section: stdout is the event listener "
		    "protocol",
		    ":5: [program:x] killasgroup: cannot be false when "
		    "stopasgroup is true" } },
		{ "stopasgroup=true\n", "[program:x]\nkillasgroup=false\n",
		  { ":2: [program:x] killasgroup: cannot be false when "
		    "stopasgroup is true", NULL } },
		{ "", "[program:x]\n\nnumprocs=2\n",
		  { ":3: [program:x] numprocs: numprocs > 1 needs a "
		    "process_name with %(process_num), such as "
		    "%(program_name)s_%(process_num)02d", NULL } },
		{ "numprocs=2\n", "[program:x]\nprocess_name=x\n",
		  { ":2: [program:x] process_name: must contain %(process_num) "
		    "when numprocs > 1 (else the names repeat)", NULL } },
		{ "", "[group:g]\nprograms=nosuch\n",
		  { ":2: [group:g] programs: no [program:nosuch] section",
		    NULL } },
		{ "", "[program:x]\n\ngroup=root\n",
		  { ":3: [program:x] group: needs user= (the group is changed "
		    "only for a program run as another user)", NULL } },
		{ "notification_fd=3\n", "[program:x]\nsd_notify=true\n",
		  { ":2: [program:x] sd_notify: notification_fd is set too: a "
		    "program says it is ready one way", NULL } },
		{ "depends_on=y\n", "[program:y]\ndepends_on=x\n",
		  { ":2: [program:y] depends_on: dependency cycle: x -> y -> x",
		    NULL } },
	};
	struct config	*cfg;
	char		 tmpl[] = "/tmp/check_config_inc.XXXXXX";
	char		*dir, *o1, *o1_path, *o2_path, *want, *cmd;
	size_t		 i, j, n;

	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	o1_path = xasprintf("%s/o1.ini", dir);
	o2_path = xasprintf("%s/o2.ini", dir);
	for (i = 0; i < nitems(cases); i++) {
		o1 = xasprintf("[eventlistener:e]\ncommand=/bin/e\n"
		    "events=PROCESS_STATE\n[group:g]\nprograms=y\n"
		    "[program:y]\ncommand=/bin/y\n"
		    "[include]\nfiles=o2.ini\n"
		    "[program:x]\ncommand=/bin/x\n%s", cases[i].o1);
		put_file(dir, "o1.ini", o1);
		free(o1);
		put_file(dir, "o2.ini", cases[i].o2);
		strlist_free(&errs);
		cfg = config_load(o1_path, &errs, NULL);
		n = cases[i].err[1] != NULL ? 2 : 1;
		if (cfg != NULL || errs.n != n) {
			fprintf(stderr, "case %zu\n", i);
			dump();
		}
		ck_assert_ptr_null(cfg);
		ck_assert_uint_eq(errs.n, n);
		for (j = 0; j < n; j++) {
			want = xasprintf("%s%s", o2_path, cases[i].err[j]);
			ck_assert_str_eq(errs.v[j], want);
			free(want);
		}
	}

	/* the warnings too */
	put_file(dir, "o1.ini", "[program:x]\ncommand=/bin/x\n"
	    "redirect_stderr=true\n[include]\nfiles=o2.ini\n");
	put_file(dir, "o2.ini", "[program:x]\nevents=TICK_5\n"
	    "stderr_logfile=/tmp/x.err\n");
	strlist_free(&errs);
	strlist_free(&warns);
	cfg = config_load(o1_path, &errs, &warns);
	if (cfg == NULL)
		dump();
	ck_assert_ptr_nonnull(cfg);
	config_free(cfg);
	ck_assert_uint_eq(warns.n, 3);	/* and the section given again */
	want = xasprintf("%s:2: [program:x] events: ignored (only an "
	    "[eventlistener:] section has it)", o2_path);
	ck_assert_str_eq(warns.v[1], want);
	free(want);
	want = xasprintf("%s:3: [program:x] stderr_logfile: ignored because "
	    "redirect_stderr is true", o2_path);
	ck_assert_str_eq(warns.v[0], want);
	free(want);

	free(o1_path);
	free(o2_path);
	cmd = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}
END_TEST

START_TEST(test_include)
{
	struct config	*cfg;
	char		 tmpl[] = "/tmp/check_config_inc.XXXXXX";
	char		*dir, *main_path, *want, *cmd;

	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	main_path = xasprintf("%s/main.ini", dir);
	put_file(dir, "main.ini", "[tend]\nloglevel=debug\n"
	    "[include]\nfiles = conf.d/*.ini  none/*.x\n"
	    "[program:m]\ncommand=/bin/m\n");
	put_file(dir, "conf.d/b.ini", "[program:b]\ncommand=/bin/b "
	    "%(here)s\n");
	put_file(dir, "conf.d/a.ini", "[group:g]\nprograms=b,c\n"
	    "[include]\nfiles=../more/*.conf\n");
	put_file(dir, "more/c.conf", "; nested\n[program:c]\n"
	    "command=/bin/c\n");
	strlist_free(&errs);
	strlist_free(&warns);
	cfg = config_load(main_path, &errs, &warns);
	if (cfg == NULL)
		dump();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->nprogs, 3);
	ck_assert_str_eq(cfg->progs[0].name, "b");
	ck_assert_str_eq(cfg->progs[0].group_name, "g");
	want = xasprintf("%s/conf.d", dir);
	ck_assert_str_eq(cfg->progs[0].argv[1], want);
	free(want);
	want = xasprintf("%s/conf.d/b.ini", dir);
	ck_assert_str_eq(cfg->progs[0].file, want);
	free(want);
	ck_assert_str_eq(cfg->progs[1].name, "c");
	ck_assert_str_eq(cfg->progs[1].group_name, "g");
	want = xasprintf("%s/conf.d/../more/c.conf", dir);
	ck_assert_str_eq(cfg->progs[1].file, want);
	ck_assert_uint_eq(cfg->progs[1].line, 2);
	free(want);
	ck_assert_str_eq(cfg->progs[2].name, "m");
	ck_assert_uint_eq(warns.n, 1);
	want = xasprintf("%s:4: [include] files: no file matches "
	    "%s/none/*.x", main_path, dir);
	ck_assert_str_eq(warns.v[0], want);
	free(want);
	config_free(cfg);

	/* an error in a nested include names its file and line */
	put_file(dir, "more/c.conf", "; nested\n[program:c]\n"
	    "command=/bin/c\nstartsecs=soon\n");
	strlist_free(&errs);
	cfg = config_load(main_path, &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	want = xasprintf("%s/conf.d/../more/c.conf:4: [program:c] startsecs: "
	    "\"soon\" is not a number", dir);
	ck_assert_str_eq(errs.v[0], want);
	free(want);

	/* a loop */
	put_file(dir, "more/c.conf", "[program:c]\ncommand=/bin/c\n"
	    "[include]\nfiles=../main.ini\n");
	strlist_free(&errs);
	cfg = config_load(main_path, &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	want = xasprintf("%s/conf.d/../more/c.conf:4: [include] files: "
	    "%s/conf.d/../more/../main.ini: already read (an include "
	    "loop?)", dir, dir);
	ck_assert_str_eq(errs.v[0], want);
	free(want);

	/* a section given again in another file is merged into the first,
	 * and the warning names both files */
	put_file(dir, "more/c.conf", "[program:c]\ncommand=/bin/c\n"
	    "[program:m]\ncommand=/bin/m2\n");
	strlist_free(&errs);
	strlist_free(&warns);
	cfg = config_load(main_path, &errs, &warns);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(config_find(cfg, "m")->command, "/bin/m2");
	ck_assert_uint_eq(warns.n, 3);	/* and none/ *.x matching nothing */
	want = xasprintf("%s/conf.d/../more/c.conf:3: [program:m]: section "
	    "given again (first at %s:5): merged into it, the keys given here "
	    "win", dir, main_path);
	ck_assert_str_eq(warns.v[1], want);
	free(want);
	config_free(cfg);

	cmd = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(main_path);
}
END_TEST

/* ---- environment files ---- */

/* l as "K=V\n" lines, in its order (malloc'd). */
static char *
env_lines(const struct envlist *l)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < l->n; i++)
		buf_printf(&b, "%s=%s\n", l->v[i].key, l->v[i].value);
	return buf_steal(&b);
}

static const struct envfile_case {
	const char	*text;
	size_t		 len;		/* 0: strlen(text) */
	const char	*want;		/* the variables as env_lines(), or */
	unsigned	 line;		/* the line at fault */
	const char	*err;		/* and the reason (NULL: valid) */
} envfile_cases[] = {
	{ "", 0, "", 0, NULL },
	{ "\n\n  \n\t\n", 0, "", 0, NULL },
	{ "# a comment\n; another\n  # indented\n\t; too\nA=1\n", 0, "A=1\n",
	  0, NULL },
	{ "A=1", 0, "A=1\n", 0, NULL },			/* no last newline */
	{ "A=1\r\nB=2\r\n", 0, "A=1\nB=2\n", 0, NULL },	/* CRLF */
	{ "export A=1\nexport\tB=2\n  export   C=3\n", 0, "A=1\nB=2\nC=3\n",
	  0, NULL },
	{ "export=1\nexports=2\n", 0, "export=1\nexports=2\n", 0, NULL },
	{ "  A  =  two  words \t\n", 0, "A=two  words\n", 0, NULL },
	{ "A=\nB= \n", 0, "A=\nB=\n", 0, NULL },
	{ "A=a=b\nB=#not a comment\nC=x ; y\n", 0,
	  "A=a=b\nB=#not a comment\nC=x ; y\n", 0, NULL },
	{ "_a1=x\nZ_9=y\n", 0, "_a1=x\nZ_9=y\n", 0, NULL },
	/* quotes: one quoted string loses them */
	{ "A='x \"y\" z'\nB=\"x 'y' z\"\nC=''\nD=\"\"\n", 0,
	  "A=x \"y\" z\nB=x 'y' z\nC=\nD=\n", 0, NULL },
	{ "A=' padded '\nB=\"  \"\n", 0, "A= padded \nB=  \n", 0, NULL },
	{ "A=\"a\\\"b\\\\c\\nd\\$e\"\n", 0, "A=a\"b\\c\\nd\\$e\n", 0, NULL },
	{ "A='a\\'\n", 0, "A=a\\\n", 0, NULL },	/* no escapes in '' */
	/* anything else is kept as written */
	{ "A=\"unterminated\nB='\nC=\"\n", 0,
	  "A=\"unterminated\nB='\nC=\"\n", 0, NULL },
	{ "A=\"a\" \"b\"\nB='it''s'\nC=\"a\\\"\nD=x\"y\"\n", 0,
	  "A=\"a\" \"b\"\nB='it''s'\nC=\"a\\\"\nD=x\"y\"\n", 0, NULL },
	{ "A=\\\"x\\\"\n", 0, "A=\\\"x\\\"\n", 0, NULL },
	/* a key given twice: the last value, in the first place */
	{ "A=1\nB=2\nA=3\nC=4\nA=5\n", 0, "A=5\nB=2\nC=4\n", 0, NULL },
	/* errors */
	{ "A=1\n\n# c\nnot a pair\n", 0, NULL, 4, "expected KEY=VALUE" },
	{ "=1\n", 0, NULL, 1, "expected KEY=VALUE" },
	{ "  = 1\n", 0, NULL, 1, "expected KEY=VALUE" },
	{ "export A\n", 0, NULL, 1, "expected KEY=VALUE" },
	{ "A=1\nexport 2X=1\n", 0, NULL, 2, "invalid variable name '2X'" },
	{ "A-B=1\n", 0, NULL, 1, "invalid variable name 'A-B'" },
	{ "A B=1\n", 0, NULL, 1, "invalid variable name 'A B'" },
	{ "export  =1\n", 0, NULL, 1, "expected KEY=VALUE" },
	{ "A=1\nB=x\0y\n", 10, NULL, 2, "NUL byte in line (column 4)" },
	{ "A=1\n# \0\n", 8, NULL, 2, "NUL byte in line (column 3)" },
};

START_TEST(test_envfile_format)
{
	const struct envfile_case	*c = &envfile_cases[_i];
	struct envlist			 l = { NULL, 0 };
	struct buf			 why;
	unsigned			 line = 0;
	char				*got;
	int				 rc;

	buf_init(&why);
	envlist_set(&l, "OLD", "replaced, or kept on failure");
	rc = envlist_parse_file(c->text, c->len != 0 ? c->len :
	    strlen(c->text), &l, &line, &why);
	if (c->err != NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_uint_eq(line, c->line);
		ck_assert_str_eq(why.data, c->err);
		ck_assert_uint_eq(l.n, 1);
		ck_assert_str_eq(l.v[0].key, "OLD");
	} else {
		if (rc != 0)
			fprintf(stderr, "line %u: %s\n", line, why.data);
		ck_assert_int_eq(rc, 0);
		got = env_lines(&l);
		ck_assert_str_eq(got, c->want);
		free(got);
	}
	envlist_free(&l);
	buf_free(&why);
}
END_TEST

/* Thousands of lines and keys given many times: the last value wins, and
 * it is quick (a sort, not a scan per line). */
START_TEST(test_envfile_many)
{
	struct envlist	 l = { NULL, 0 }, m = { NULL, 0 };
	struct buf	 b, why;
	unsigned	 line;
	size_t		 i;

	buf_init(&b);
	buf_init(&why);
	for (i = 0; i < 100000; i++)
		buf_printf(&b, "V%zu=%zu\n", i % 50000, i);
	ck_assert_int_eq(envlist_parse_file(b.data, b.len, &l, &line, &why),
	    0);
	ck_assert_uint_eq(l.n, 50000);
	ck_assert_str_eq(l.v[0].key, "V0");
	ck_assert_str_eq(l.v[0].value, "50000");
	ck_assert_str_eq(l.v[49999].key, "V49999");
	ck_assert_str_eq(l.v[49999].value, "99999");

	/* merging: values replaced in place, new keys appended */
	envlist_set(&m, "V7", "old");
	envlist_set(&m, "OTHER", "kept");
	envlist_merge(&m, &l);
	ck_assert_uint_eq(m.n, 50001);
	ck_assert_str_eq(m.v[0].key, "V7");
	ck_assert_str_eq(m.v[0].value, "50007");
	ck_assert_str_eq(m.v[1].key, "OTHER");
	ck_assert_str_eq(m.v[1].value, "kept");
	ck_assert_str_eq(m.v[2].key, "V0");
	envlist_free(&m);
	envlist_merge(&m, &l);
	ck_assert_uint_eq(m.n, 50000);
	envlist_free(&m);
	envlist_free(&l);
	buf_free(&b);
	buf_free(&why);
}
END_TEST

/* A fresh directory for environment files and a main.ini (malloc'd). */
static char *
envfile_dir(void)
{
	char	*dir = xstrdup("/tmp/check_config_env.XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void
envfile_dir_rm(char *dir)
{
	char	*cmd = xasprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* Write dir/main.ini and load it. */
static struct config *
envfile_load(const char *dir, const char *text)
{
	struct config	*cfg;
	char		*path = xasprintf("%s/main.ini", dir);

	put_file(dir, "main.ini", text);
	strlist_free(&errs);
	strlist_free(&warns);
	cfg = config_load(path, &errs, &warns);
	free(path);
	return cfg;
}

/* Load dir/main.ini, which must fail with the one error
 * "DIR/main.ini:LINE: " + want with every "%s" replaced by dir. */
static void
envfile_load_err(const char *dir, const char *text, unsigned line,
    const char *want)
{
	struct config	*cfg;
	struct buf	 b;
	const char	*p, *q;

	buf_init(&b);
	buf_printf(&b, "%s/main.ini:%u: ", dir, line);
	for (p = want; (q = strstr(p, "%s")) != NULL; p = q + 2) {
		buf_add(&b, p, (size_t)(q - p));
		buf_addstr(&b, dir);
	}
	buf_addstr(&b, p);
	cfg = envfile_load(dir, text);
	if (cfg != NULL || errs.n != 1 || strcmp(errs.v[0], b.data) != 0) {
		fprintf(stderr, "expected: %s\n", b.data);
		dump();
	}
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0], b.data);
	buf_free(&b);
}

/* [tend] and [program:] environment_file=: relative to %(here)s,
 * expanded, later files winning, '-' files skipped when missing. What the
 * files set is kept apart from environment=, which spawn.c layers over it
 * (tests/integration/t-env-file.sh checks the child's environment). */
START_TEST(test_envfile_load)
{
	struct config	*cfg;
	char		*dir, *envdir, *got;

	dir = envfile_dir();
	envdir = xasprintf("%s/env", dir);
	ck_assert_int_eq(setenv("TEND_CHECK_ENVDIR", envdir, 1), 0);
	put_file(dir, "g.env", "# global\nG=file\nGF=1\n");
	put_file(dir, "env/a1.env", "export X=1\nY=1\nE=file\n");
	put_file(dir, "env/a2.env", "Y=2\nZ=\"quoted value\"\n");
	cfg = envfile_load(dir,
	    "[tend]\n"
	    "environment_file = g.env, -nosuch.env, -/nonexistent/d/x.env\n"
	    "environment = G=explicit\n"
	    "[program:a]\n"
	    "command = /bin/true\n"
	    "environment_file = env/a1.env,\n"
	    "    %(ENV_TEND_CHECK_ENVDIR)s/a2.env\n"
	    "environment = E=explicit\n"
	    "[program:b]\n"
	    "command = /bin/true\n"
	    "environment_file = - %(here)s/env/a2.env, -env/nosuch\n"
	    "numprocs = 2\n"
	    "process_name = b%(process_num)d\n");
	if (cfg == NULL)
		dump();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(warns.n, 0);
	got = env_lines(&cfg->file_env);
	ck_assert_str_eq(got, "G=file\nGF=1\n");
	free(got);
	ck_assert_str_eq(env_get(&cfg->env, "G"), "explicit");

	ck_assert_uint_eq(cfg->nprogs, 3);
	ck_assert_str_eq(cfg->progs[0].name, "a");
	got = env_lines(&cfg->progs[0].file_env);
	ck_assert_str_eq(got, "X=1\nY=2\nE=file\nZ=quoted value\n");
	free(got);
	ck_assert_str_eq(env_get(&cfg->progs[0].env, "E"), "explicit");
	ck_assert_str_eq(cfg->progs[1].name, "b0");
	ck_assert_str_eq(cfg->progs[2].name, "b1");
	got = env_lines(&cfg->progs[2].file_env);
	ck_assert_str_eq(got, "Y=2\nZ=quoted value\n");
	free(got);
	config_free(cfg);
	free(envdir);
	envfile_dir_rm(dir);
}
END_TEST

/* What is wrong in an environment file is reported with the key's place
 * and the file's: FILE:LINE: [SECTION] environment_file: ENVFILE:LINE: */
START_TEST(test_envfile_errors)
{
	struct config	*cfg;
	struct buf	 b;
	char		*dir, *path;

	dir = envfile_dir();
	put_file(dir, "ok.env", "A=1\n");
	put_file(dir, "bad.env", "A=1\n\n# c\nnot a pair\n");
	envfile_load_err(dir, "[program:a]\ncommand=x\n"
	    "environment_file = ok.env, bad.env\n", 3,
	    "[program:a] environment_file: %s/bad.env:4: expected KEY=VALUE");
	/* a '-' file that exists is read like any other */
	envfile_load_err(dir, "[tend]\nenvironment_file = -bad.env\n", 2,
	    "[tend] environment_file: %s/bad.env:4: expected KEY=VALUE");
	put_file(dir, "bad.env", "A=1\nexport 2X=1\n");
	envfile_load_err(dir, "[program:a]\ncommand=x\n"
	    "environment_file = %(here)s/bad.env\n", 3,
	    "[program:a] environment_file: \"%(here)s/bad.env\" expanded to "
	    "\"%s/bad.env\": %s/bad.env:2: invalid variable name '2X'");
	envfile_load_err(dir, "[program:a]\ncommand=x\n"
	    "environment_file = ok.env, nosuch.env\n", 3,
	    "[program:a] environment_file: %s/nosuch.env: cannot open: No "
	    "such file or directory");
	ck_assert_int_eq(mkdir(path = xasprintf("%s/d.env", dir), 0700), 0);
	free(path);
	envfile_load_err(dir, "[program:a]\ncommand=x\n"
	    "environment_file = -d.env\n", 3,
	    "[program:a] environment_file: %s/d.env: cannot read: Is a "
	    "directory");
	/* a missing directory on the way is "missing" too */
	cfg = envfile_load(dir, "[program:a]\ncommand=x\n"
	    "environment_file = -nodir/x.env, ok.env\n");
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(env_get(&cfg->progs[0].file_env, "A"), "1");
	config_free(cfg);

	/* every process of a numprocs program reports it once */
	envfile_load_err(dir, "[program:a]\ncommand=x\nnumprocs=3\n"
	    "process_name=a%(process_num)d\nenvironment_file = nosuch.env\n",
	    5, "[program:a] environment_file: %s/nosuch.env: cannot open: No "
	    "such file or directory");

	/* at most 1 MiB, without NUL bytes */
	buf_init(&b);
	while (b.len < 1024u * 1024 - 4)
		buf_addc(&b, '#');
	buf_addstr(&b, "\nA=1");
	ck_assert_uint_eq(b.len, 1024u * 1024);
	path = xasprintf("%s/big.env", dir);
	put_file(dir, "big.env", b.data);
	cfg = envfile_load(dir, "[tend]\nenvironment_file = big.env\n");
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(env_get(&cfg->file_env, "A"), "1");
	config_free(cfg);
	buf_addc(&b, '\n');
	put_file(dir, "big.env", b.data);
	envfile_load_err(dir, "[tend]\nenvironment_file = big.env\n", 2,
	    "[tend] environment_file: %s/big.env: file too large (more than "
	    "1048576 bytes)");
	free(path);
	buf_free(&b);
	path = write_temp("A=1\nB=x\0y\n", 10);
	cfg = envfile_load(dir, "[tend]\nenvironment_file = /dev/null\n");
	ck_assert_ptr_null(cfg);	/* not a regular file */
	ck_assert_uint_eq(errs.n, 1);
	buf_init(&b);
	buf_printf(&b, "[tend]\nenvironment_file = %s\n", path);
	cfg = envfile_load(dir, b.data);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	buf_reset(&b);
	buf_printf(&b, "%s/main.ini:2: [tend] environment_file: %s:2: NUL "
	    "byte in line (column 4)", dir, path);
	ck_assert_str_eq(errs.v[0], b.data);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	buf_free(&b);

	/* a root tendd reads only files that only root may change, as for
	 * the configuration itself */
	if (geteuid() == 0) {
		path = xasprintf("%s/ok.env", dir);
		ck_assert_int_eq(chmod(path, 0666), 0);
		free(path);
		envfile_load_err(dir, "[program:a]\ncommand=x\n"
		    "environment_file = ok.env\n", 3,
		    "[program:a] environment_file: %s/ok.env: refused: "
		    "writable by others (mode 0666) and tendd runs as root");
	}
	envfile_dir_rm(dir);
}
END_TEST

/* Programs are equal when their files set the same variables, whatever
 * the files are called; an edited file makes them differ. */
START_TEST(test_envfile_equal)
{
	struct config	*c1, *c2;
	char		*dir;

	dir = envfile_dir();
	put_file(dir, "x.env", "A=1\n");
	put_file(dir, "y.env", "# the same\nexport A=\"1\"\n");
	c1 = envfile_load(dir, "[program:a]\ncommand=x\n"
	    "environment_file = x.env\n");
	ck_assert_ptr_nonnull(c1);
	c2 = envfile_load(dir, "[program:a]\ncommand=x\n"
	    "environment_file = y.env, -nosuch.env\n");
	ck_assert_ptr_nonnull(c2);
	ck_assert(program_equal(&c1->progs[0], &c2->progs[0]));
	config_free(c2);
	put_file(dir, "y.env", "A=2\n");
	c2 = envfile_load(dir, "[program:a]\ncommand=x\n"
	    "environment_file = y.env, -nosuch.env\n");
	ck_assert_ptr_nonnull(c2);
	ck_assert(!program_equal(&c1->progs[0], &c2->progs[0]));
	config_free(c2);
	put_file(dir, "x.env", "A=1\nB=\n");
	c2 = envfile_load(dir, "[program:a]\ncommand=x\n"
	    "environment_file = x.env\n");
	ck_assert_ptr_nonnull(c2);
	ck_assert(!program_equal(&c1->progs[0], &c2->progs[0]));
	config_free(c2);
	config_free(c1);
	envfile_dir_rm(dir);
}
END_TEST

/* ---- scale: every lookup of a load is by index, not by a scan ---- */

/* n [program:pI] sections, each with the extra lines; then a [group:g]
 * of the first ngroup of them, when ngroup > 0. */
static void
many_programs(struct buf *b, size_t n, size_t ngroup, const char *extra)
{
	size_t	i;

	for (i = 0; i < n; i++)
		buf_printf(b, "[program:p%zu]\nCommand=/bin/p %zu\n%s", i, i,
		    extra);
	if (ngroup > 0) {
		buf_addstr(b, "[group:g]\nprograms=");
		for (i = 0; i < ngroup; i++)
			buf_printf(b, "%sp%zu", i > 0 ? "," : "", i);
		buf_addstr(b, "\npriority=5\n");
	}
}

/* 50 000 sections, 20 000 of them in one group, keys in any case: what
 * was a scan of every section per section (quadratic: 100 000 programs
 * took 37 s) gives the same configuration and the same errors. */
START_TEST(test_scale_sections)
{
	const struct group_conf	*g;
	const struct program	*p;
	struct config		*cfg;
	struct buf		 b;
	size_t			 i;

	buf_init(&b);
	buf_addstr(&b, "[program:first]\ncommand=x\nstopsignal=KILL\n"
	    "stdout_logfile_maxbytes=1KB\n");
	many_programs(&b, 50000, 20000, "STARTSECS=0\n");
	cfg = load_ok(b.data);
	ck_assert_uint_eq(cfg->nprogs, 50001);
	ck_assert_uint_eq(cfg->ngroups, 30002);
	g = config_find_group(cfg, "g");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nprocs, 20000);
	ck_assert_int_eq(g->priority, 5);
	p = config_find(cfg, "g:p19999");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->argv[1], "19999");
	ck_assert_uint_eq(p->startsecs, 0);
	ck_assert_int_eq(p->group_priority, 5);
	p = config_find(cfg, "p20000");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->group_name, "p20000");
	/* each process has defaults of its own (they are copied) */
	ck_assert_int_eq(p->stopsignal, SIGTERM);
	ck_assert_uint_eq(p->stdout_logfile_maxbytes, 50u * 1024 * 1024);
	ck_assert_int_eq(p->umask, -1);
	p = config_find(cfg, "first");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->stopsignal, SIGKILL);
	ck_assert_uint_eq(p->stdout_logfile_maxbytes, 1024);
	ck_assert_ptr_null(config_find(cfg, "p20000:p1"));
	config_free(cfg);

	/* duplicates at the end are reported against the first */
	buf_addstr(&b, "[program:p49999]\ncommand=x\n[program:p0]\n"
	    "command=y\n[group:g]\nprograms=p1\n");
	cfg = load_ok(b.data);
	ck_assert_uint_eq(warns.n, 6);	/* 3 sections, 3 keys again */
	ck_assert_str_eq(warns.v[0], F ":150008: [program:p49999]: section "
	    "given again (first at line 150002): merged into it, the keys "
	    "given here win");
	ck_assert_str_eq(config_find(cfg, "p0")->command, "y");
	config_free(cfg);
	buf_free(&b);

	/* a name listed twice far down a long programs= */
	buf_init(&b);
	many_programs(&b, 20000, 0, "");
	buf_addstr(&b, "[group:g]\nprograms=");
	for (i = 0; i < 20000; i++)
		buf_printf(&b, "p%zu,", i);
	buf_addstr(&b, "p123\n");
	load_err(b.data, F ":40002: [group:g] programs: program 'p123' is "
	    "listed twice");
	buf_free(&b);
}
END_TEST

/* A depends_on= chain through 50 000 programs: followed without
 * recursion (a C stack frame per link overflowed), and closed into a
 * cycle it is reported whole. */
START_TEST(test_scale_depends_chain)
{
	struct config	*cfg;
	struct buf	 b, want;
	size_t		 i, n = 50000;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "[program:p%zu]\ncommand=x\n", i);
		if (i + 1 < n)
			buf_printf(&b, "depends_on=p%zu\n", i + 1);
		else
			buf_addstr(&b, "depends_on=p0\n");
	}
	buf_init(&want);
	buf_printf(&want, F ":%zu: [program:p%zu] depends_on: dependency "
	    "cycle: ", 3 * n, n - 1);
	for (i = 0; i < n; i++)
		buf_printf(&want, "p%zu -> ", i);
	buf_addstr(&want, "p0");
	load_err(b.data, want.data);

	/* the same chain, open at its end */
	buf_reset(&b);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "[program:p%zu]\ncommand=x\n", i);
		if (i + 1 < n)
			buf_printf(&b, "depends_on=p%zu\n", i + 1);
	}
	cfg = load_ok(b.data);
	ck_assert_uint_eq(cfg->nprogs, n);
	config_free(cfg);
	buf_free(&b);
	buf_free(&want);
}
END_TEST

/* 400 included files (one glob) and 400 environment files, one per
 * program, plus one they all share: each is read once, each program
 * sees its own, and an include loop is still found. */
START_TEST(test_scale_files)
{
	const struct program	*p;
	struct config		*cfg;
	char			 tmpl[] = "/tmp/check_config_many.XXXXXX";
	char			*dir, *main_path, *name, *text, *want;
	size_t			 i, n = 400;

	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	main_path = xasprintf("%s/main.ini", dir);
	put_file(dir, "main.ini", "[include]\nfiles = conf.d/*.ini\n");
	put_file(dir, "shared.env", "SHARED=yes\n");
	for (i = 0; i < n; i++) {
		name = xasprintf("conf.d/%03zu.ini", i);
		text = xasprintf("[program:p%zu]\ncommand=/bin/p\n"
		    "environment_file=../shared.env,../env/%zu.env\n", i, i);
		put_file(dir, name, text);
		free(name);
		free(text);
		name = xasprintf("env/%zu.env", i);
		text = xasprintf("N=%zu\n", i);
		put_file(dir, name, text);
		free(name);
		free(text);
	}
	strlist_free(&errs);
	cfg = config_load(main_path, &errs, NULL);
	if (cfg == NULL)
		dump();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->nprogs, n);
	p = config_find(cfg, "p377");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(env_get(&p->file_env, "N"), "377");
	ck_assert_str_eq(env_get(&p->file_env, "SHARED"), "yes");
	want = xasprintf("%s/conf.d/377.ini", dir);
	ck_assert_str_eq(p->file, want);
	free(want);
	config_free(cfg);

	/* the last included file includes the main one again */
	put_file(dir, "conf.d/399.ini", "[program:p399]\ncommand=/bin/p\n"
	    "[include]\nfiles=../main.ini\n");
	strlist_free(&errs);
	cfg = config_load(main_path, &errs, NULL);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.n, 1);
	want = xasprintf("%s/conf.d/399.ini:4: [include] files: %s/conf.d/"
	    "../main.ini: already read (an include loop?)", dir, dir);
	ck_assert_str_eq(errs.v[0], want);
	free(want);

	want = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(want), 0);
	free(want);
	free(main_path);
}
END_TEST

static Suite *
suite_config(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("config");

	tc = tcase_create("keys");
	tcase_add_test(tc, test_defaults_tend);
	tcase_add_test(tc, test_defaults_program);
	tcase_add_test(tc, test_tend_keys);
	tcase_add_test(tc, test_program_keys);
	tcase_add_loop_test(tc, test_rlimit_each, 0, CONFIG_NRLIMITS);
	tcase_add_test(tc, test_rlimit_table);
	tcase_add_test(tc, test_value_spellings);
	tcase_add_test(tc, test_sorted_find);
	tcase_add_test(tc, test_here_relative);
	tcase_add_test(tc, test_warning);
	tcase_add_test(tc, test_config_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_errors, 0, (int)nitems(err_cases));
	tcase_add_test(tc, test_all_errors);
	tcase_add_test(tc, test_duplicate_program_both_lines);
	tcase_add_test(tc, test_too_many_errors);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_file_max_size);
	tcase_add_test(tc, test_nul_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("inih");
	tcase_add_loop_test(tc, test_long_lines, 0, 3);
	tcase_add_loop_test(tc, test_key_injection, 0, 2);
	tcase_add_test(tc, test_long_section_names);
	tcase_add_test(tc, test_long_key);
	tcase_add_test(tc, test_line_too_long);
	tcase_add_test(tc, test_continuation);
	tcase_add_loop_test(tc, test_long_equals_short, 0, 10);
	tcase_add_test(tc, test_bom_crlf);
	tcase_add_test(tc, test_long_environment);
	suite_add_tcase(s, tc);

	tc = tcase_create("program_equal");
	tcase_add_test(tc, test_program_equal);
	suite_add_tcase(s, tc);

	tc = tcase_create("envlist");
	tcase_add_loop_test(tc, test_envlist_parse, 0, (int)nitems(env_cases));
	tcase_add_test(tc, test_envlist_set);
	tcase_add_test(tc, test_envlist_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_add_test(tc, test_groups);
	tcase_add_test(tc, test_numprocs);
	tcase_add_loop_test(tc, test_group_errors, 0,
	    (int)nitems(group_err_cases));
	tcase_add_test(tc, test_supervisord_compat);
	tcase_add_test(tc, test_eventlistener);
	tcase_add_test(tc, test_include);
	tcase_add_test(tc, test_include_tend_here);
	tcase_add_test(tc, test_include_merged_where);
	suite_add_tcase(s, tc);

	tc = tcase_create("environment_file");
	tcase_add_loop_test(tc, test_envfile_format, 0,
	    (int)nitems(envfile_cases));
	tcase_add_test(tc, test_envfile_many);
	tcase_add_test(tc, test_envfile_load);
	tcase_add_test(tc, test_envfile_errors);
	tcase_add_test(tc, test_envfile_equal);
	suite_add_tcase(s, tc);

	tc = tcase_create("scale");
	tcase_set_timeout(tc, 120);	/* under valgrind or ASan too */
	tcase_add_test(tc, test_scale_sections);
	tcase_add_test(tc, test_scale_depends_chain);
	tcase_add_test(tc, test_scale_files);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(suite_config());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	strlist_free(&errs);
	strlist_free(&warns);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
