/* verbs.c: the verb table (see verbs.h) and what is read from it: the
 * arity errors, help, the completion rules, namespecs, and a command line
 * read into a verb and its arguments as supervisorctl reads it. The help
 * texts and error lines are supervisorctl 4.2's, with tendd for
 * supervisord, byte for byte: tendctl's output is compared with
 * supervisorctl's. Pure: no syscalls. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "verbs.h"

#define NAMES_GROUPS_ALL	(VERB_NAMES | VERB_GROUPS | VERB_ALL)
#define A_PROCESS_NAME		"a process name"

static const struct verb verbs_table[VERB_COUNT] = {
	[VERB_ADD] = { VERB_ADD, "add", 0, -1, VERB_GROUPS,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "add <group> ...",
	    "add <name> [...]\tActivates any updates in config for "
	    "process/group" },
	[VERB_AVAIL] = { VERB_AVAIL, "avail", 0, 0, 0,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "avail",
	    "avail\t\t\tDisplay all configured processes" },
	[VERB_CLEAR] = { VERB_CLEAR, "clear", 1, -1, VERB_NAMES | VERB_ALL,
	    TEND_EXIT_GENERIC, A_PROCESS_NAME, NULL,
	    "clear <name>|all ...",
	    "clear <name>\t\tClear a process' log files.\n"
	    "clear <name> <name>\tClear multiple process' log files\n"
	    "clear all\t\tClear all process' log files" },
	[VERB_EDIT] = { VERB_EDIT, "edit", 0, -1, VERB_CLIENT,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "edit [-y] [<name>|<file>]",
	    "edit [-y] [<name>|<file>]\tEdit the configuration, check it, "
	    "then reread and update" },
	[VERB_EXIT] = { VERB_EXIT, "exit", 0, -1, VERB_CLIENT,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "exit",
	    "exit\tExit the tendctl shell." },
	[VERB_HELP] = { VERB_HELP, "help", 0, -1, VERB_VERBS | VERB_CLIENT,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "help [<verb>|--verbs]",
	    "help\t\tPrint a list of available actions\n"
	    "help <action>\tPrint help for <action>" },
	[VERB_MAINTAIL] = { VERB_MAINTAIL, "maintail", 0, 1, VERB_STREAMS,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "maintail [-f|-<bytes>]",
	    "maintail -f \tContinuous tail of tendd main log file "
	    "(Ctrl-C to exit)\n"
	    "maintail -100\tlast 100 *bytes* of tendd main log file\n"
	    "maintail\tlast 1600 *bytes* of tendd main log file\n" },
	[VERB_METRICS] = { VERB_METRICS, "metrics", 0, 0, 0,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "metrics",
	    "metrics\t\t\tPrint the metrics of every process in the "
	    "Prometheus text format" },
	[VERB_PID] = { VERB_PID, "pid", 0, -1, VERB_NAMES | VERB_ALL,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "pid [<name>|all ...]",
	    "pid\t\t\tGet the PID of tendd.\n"
	    "pid <name>\t\tGet the PID of a single child process by name.\n"
	    "pid all\t\t\tGet the PID of every child process, one per "
	    "line." },
	[VERB_QUIT] = { VERB_QUIT, "quit", 0, -1, VERB_CLIENT,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "quit",
	    "quit\tExit the tendctl shell." },
	[VERB_REEXEC] = { VERB_REEXEC, "reexec", 0, 1, VERB_PATH,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "reexec [<path>]",
	    "reexec\t\t\tReplace the running tendd by its binary, keeping "
	    "every child\n"
	    "reexec <path>\t\tReplace it by the tendd at path (checked "
	    "first)" },
	[VERB_RELOAD] = { VERB_RELOAD, "reload", 0, 0, 0,
	    TEND_EXIT_GENERIC, NULL,
	    "Really restart the remote tendd process y/N? ",
	    "reload",
	    "reload \t\tRestart the remote tendd." },
	[VERB_REMOVE] = { VERB_REMOVE, "remove", 0, -1, VERB_GROUPS,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "remove <group> ...",
	    "remove <name> [...]\tRemoves process/group from active config" },
	[VERB_REOPEN] = { VERB_REOPEN, "reopen", 0, 0, 0,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "reopen",
	    "reopen\t\t\tReopen tendd's log and every process log file "
	    "(after an external rotation; also SIGUSR2)" },
	[VERB_REREAD] = { VERB_REREAD, "reread", 0, 0, 0,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "reread",
	    "reread \t\t\tReload the daemon's configuration files without "
	    "add/remove" },
	[VERB_RESTART] = { VERB_RESTART, "restart", 1, -1, NAMES_GROUPS_ALL,
	    TEND_EXIT_GENERIC, A_PROCESS_NAME, NULL,
	    "restart <name>|<group>:*|all ...",
	    "restart <name>\t\tRestart a process\n"
	    "restart <gname>:*\tRestart all processes in a group\n"
	    "restart <name> <name>\tRestart multiple processes or groups\n"
	    "restart all\t\tRestart all processes\n"
	    "Note: restart does not reread config files. For that, see "
	    "reread and update." },
	[VERB_SHUTDOWN] = { VERB_SHUTDOWN, "shutdown", 0, 0, VERB_UNREACH_1,
	    TEND_EXIT_GENERIC, NULL,
	    "Really shut the remote tendd process down y/N? ",
	    "shutdown",
	    "shutdown \tShut the remote tendd down." },
	[VERB_SIGNAL] = { VERB_SIGNAL, "signal", 2, -1,
	    NAMES_GROUPS_ALL | VERB_SIGNAME,
	    TEND_EXIT_GENERIC, "a signal name and " A_PROCESS_NAME, NULL,
	    "signal <signal> <name>|<group>:*|all ...",
	    "signal <signal name> <name>\t\tSignal a process\n"
	    "signal <signal name> <gname>:*\t\tSignal all processes in a "
	    "group\n"
	    "signal <signal name> <name> <name>\tSignal multiple processes "
	    "or groups\n"
	    "signal <signal name> all\t\tSignal all processes" },
	/* supervisorctl's one verb whose usage error is INVALID_ARGS */
	[VERB_START] = { VERB_START, "start", 1, -1, NAMES_GROUPS_ALL,
	    TEND_EXIT_INVALID_ARGS, A_PROCESS_NAME, NULL,
	    "start <name>|<group>:*|all ...",
	    "start <name>\t\tStart a process\n"
	    "start <gname>:*\t\tStart all processes in a group\n"
	    "start <name> <name>\tStart multiple processes or groups\n"
	    "start all\t\tStart all processes" },
	[VERB_STATUS] = { VERB_STATUS, "status", 0, -1,
	    NAMES_GROUPS_ALL | VERB_JSON | VERB_LSB_STATUS,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "status [--json] [<name>|<group>:*|all ...]",
	    "status <name>\t\tGet status for a single process\n"
	    "status <gname>:*\tGet status for all processes in a group\n"
	    "status <name> <name>\tGet status for multiple named processes\n"
	    "status\t\t\tGet all process status info" },
	[VERB_STOP] = { VERB_STOP, "stop", 1, -1, NAMES_GROUPS_ALL,
	    TEND_EXIT_GENERIC, A_PROCESS_NAME, NULL,
	    "stop <name>|<group>:*|all ...",
	    "stop <name>\t\tStop a process\n"
	    "stop <gname>:*\t\tStop all processes in a group\n"
	    "stop <name> <name>\tStop multiple processes or groups\n"
	    "stop all\t\tStop all processes" },
	[VERB_TAIL] = { VERB_TAIL, "tail", 1, 3, VERB_NAMES | VERB_STREAMS,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "tail [-f] [-<bytes>] <name> [stdout|stderr]",
	    "tail [-f] <name> [stdout|stderr] (default stdout)\n"
	    "Ex:\n"
	    "tail -f <name>\t\tContinuous tail of named process stdout\n"
	    "\t\t\tCtrl-C to exit.\n"
	    "tail -100 <name>\tlast 100 *bytes* of process stdout\n"
	    "tail <name> stderr\tlast 1600 *bytes* of process stderr" },
	[VERB_TOP] = { VERB_TOP, "top", 0, 3, VERB_CLIENT,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "top [--batch] [-d <secs>]",
	    "top\t\t\tA live view of every process: CPU%, memory, "
	    "state (q quits)\n"
	    "top --batch\t\tOne frame to stdout\n"
	    "top -d <secs>\t\tRefresh every secs seconds (default 1)" },
	[VERB_UPDATE] = { VERB_UPDATE, "update", 0, -1, VERB_GROUPS | VERB_ALL,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "update [all|<group> ...]",
	    "update\t\t\tReload config and add/remove as necessary, and will "
	    "restart affected programs\n"
	    "update all\t\tReload config and add/remove as necessary, and "
	    "will restart affected programs\n"
	    "update <gname> [...]\tUpdate specific groups" },
	[VERB_VERSION] = { VERB_VERSION, "version", 0, 0, 0,
	    TEND_EXIT_GENERIC, NULL, NULL,
	    "version",
	    "version\t\t\tShow the version of the remote tendd process" },
};

/* See verbs.h. */
const struct verb *
verbs_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(verbs_table); i++)
		if (strcmp(verbs_table[i].name, name) == 0)
			return &verbs_table[i];
	return NULL;
}

/* See verbs.h. */
const struct verb *
verbs_get(enum verb_id id)
{
	return &verbs_table[id];
}

/* See verbs.h. */
bool
verbs_arity_error(const struct verb *v, int nargs, struct buf *msg)
{
	if (nargs < v->min_args) {
		if (v->needs != NULL)
			buf_printf(msg, "Error: %s requires %s", v->name,
			    v->needs);
		else
			buf_addstr(msg, "Error: too few arguments");
		return true;
	}
	if (v->max_args >= 0 && nargs > v->max_args) {
		if (v->max_args == 0)
			buf_printf(msg, "Error: %s accepts no arguments",
			    v->name);
		else
			buf_addstr(msg, "Error: too many arguments");
		return true;
	}
	return false;
}

/* See verbs.h. */
int
verbs_first_name(const struct verb *v, int argc, char *const *argv)
{
	if ((v->flags & VERB_SIGNAME) != 0)
		return 2;
	if ((v->flags & VERB_JSON) != 0 && argc > 1 &&
	    strcmp(argv[1], "--json") == 0)
		return 2;
	return 1;
}

/* qsort order of verb names. */
static int
verbs_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The verbs in columns, as Python's cmd.Cmd.columnize() sets them: the
 * fewest rows whose columns (two spaces apart) fit in width. */
static void
verbs_columnize(struct buf *out, const char **names, size_t n, size_t width)
{
	size_t	rows, cols, col, row, i, w, total, colw[64];

	if (n == 0)
		return;
	for (rows = 1; rows < n; rows++) {
		cols = (n + rows - 1) / rows;
		if (cols > nitems(colw))
			continue;
		total = 0;
		for (col = 0; col < cols; col++) {
			colw[col] = 0;
			for (row = 0; row < rows; row++) {
				i = row + rows * col;
				if (i < n && (w = strlen(names[i])) > colw[col])
					colw[col] = w;
			}
			total += colw[col] + (col > 0 ? 2 : 0);
		}
		if (total <= width)
			break;
	}
	cols = (n + rows - 1) / rows;
	for (row = 0; row < rows; row++) {
		for (col = 0; col < cols; col++) {
			i = row + rows * col;
			if (i >= n)
				break;
			if (col > 0)
				buf_addstr(out, "  ");
			/* the last text of a row is padded too (ljust) */
			buf_printf(out, "%-*s", (int)(rows == n ? 0 :
			    colw[col]), names[i]);
		}
		buf_addc(out, '\n');
	}
}

/* See verbs.h. */
void
verbs_help(struct buf *out, const char *topic)
{
	const struct verb	*v;
	const char		*names[VERB_COUNT];
	size_t			 i, n = 0;

	if (topic != NULL) {
		if ((v = verbs_find(topic)) == NULL)
			buf_printf(out, "*** No help on %s\n", topic);
		else
			buf_printf(out, "%s\n", v->help);
		return;
	}
	buf_addstr(out, "\ndefault commands (type help <topic>):\n"
	    "=====================================\n");
	/* help itself is not listed, as in supervisorctl */
	for (i = 0; i < nitems(verbs_table); i++)
		if (verbs_table[i].id != VERB_HELP)
			names[n++] = verbs_table[i].name;
	qsort(names, n, sizeof(*names), verbs_name_cmp);
	verbs_columnize(out, names, n, 79);
	buf_addc(out, '\n');
}

/* See verbs.h. */
void
verbs_describe(struct buf *out)
{
	static const struct {
		unsigned	 flag;
		const char	*word;
	} words[] = {
		{ VERB_SIGNAME, "signal" },
		{ VERB_NAMES, "names" },
		{ VERB_GROUPS, "groups" },
		{ VERB_ALL, "all" },
		{ VERB_VERBS, "verbs" },
		{ VERB_CLIENT, "client" },
		{ VERB_PATH, "path" },
	};
	size_t	i, k;

	for (i = 0; i < nitems(verbs_table); i++) {
		buf_addstr(out, verbs_table[i].name);
		for (k = 0; k < nitems(words); k++)
			if ((verbs_table[i].flags & words[k].flag) != 0)
				buf_printf(out, " %s", words[k].word);
		buf_addc(out, '\n');
	}
}

/* See verbs.h. */
enum verbs_completion
verbs_completion(const char *verb)
{
	const struct verb	*v;

	if (verb == NULL)
		return VERBS_COMPLETE_VERB;
	if ((v = verbs_find(verb)) == NULL)
		return VERBS_COMPLETE_NOTHING;
	if ((v->flags & VERB_VERBS) != 0)
		return VERBS_COMPLETE_VERB;
	if ((v->flags & VERB_NAMES) != 0)
		return VERBS_COMPLETE_PROCESS;
	if ((v->flags & VERB_GROUPS) != 0)
		return VERBS_COMPLETE_GROUP;
	return VERBS_COMPLETE_NOTHING;
}

/* See verbs.h. */
void
verbs_names(struct strlist *l)
{
	size_t	i;

	for (i = 0; i < nitems(verbs_table); i++)
		strlist_add(l, verbs_table[i].name);
}

/* s without the white space at its start and its end, malloc'd. */
static char *
verbs_strip(const char *s)
{
	const char	*end, *p;
	size_t		 n;

	while ((n = utf8_space(s)) > 0)
		s += n;
	for (end = p = s; *p != '\0'; p += n)
		if ((n = utf8_space(p)) == 0) {
			n = 1;
			end = p + 1;
		}
	return xstrndup(s, (size_t)(end - s));
}

/* See verbs.h. */
enum verbs_line
verbs_parse_line(const char *line, struct strlist *words, char **stripped)
{
	const struct verb	*v;
	char			*s, *verb, *p, *start;
	size_t			 n;

	s = verbs_strip(line);
	*stripped = s;
	if (s[0] == '\0')
		return VERBS_LINE_EMPTY;
	if (s[0] == '?') {		/* cmd.Cmd: "?" is help */
		*stripped = xasprintf("help %s", s + 1);
		free(s);
		s = *stripped;
	}
	/* the verb: the leading letters, digits and _ (cmd.IDENTCHARS) */
	for (p = s; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '_'; p++)
		;
	verb = xstrndup(s, (size_t)(p - s));
	if ((v = verbs_find(verb)) == NULL) {
		free(verb);
		return VERBS_LINE_UNKNOWN;
	}
	strlist_add(words, verb);
	free(verb);
	p = verbs_strip(p);
	if ((v->flags & VERB_VERBS) != 0) {
		/* help takes the rest of the line as one topic */
		if (p[0] != '\0')
			strlist_add(words, p);
		free(p);
		return VERBS_LINE_VERB;
	}
	/* str.split(): runs of white space separate, no quoting */
	for (start = NULL, s = p;; s += n) {
		n = *s == '\0' ? 0 : utf8_space(s);
		if (n == 0 && *s != '\0') {
			if (start == NULL)
				start = s;
			n = 1;
			continue;
		}
		if (start != NULL)
			strlist_addf(words, "%.*s", (int)(s - start), start);
		start = NULL;
		if (*s == '\0')
			break;
	}
	free(p);
	return VERBS_LINE_VERB;
}

/* See verbs.h. */
const char *
verbs_namespec(const char *group, const char *name, char *out, size_t len)
{
	if (strcmp(group, name) == 0)
		(void)snprintf(out, len, "%s", name);
	else
		(void)snprintf(out, len, "%s:%s", group, name);
	return out;
}

/* See verbs.h. */
void
verbs_namespec_split(const char *spec, char **group, char **name)
{
	const char	*colon = strchr(spec, ':');

	if (colon == NULL) {
		*group = xstrdup(spec);
		*name = xstrdup(spec);
		return;
	}
	*group = xstrndup(spec, (size_t)(colon - spec));
	if (colon[1] == '\0' || strcmp(colon + 1, "*") == 0)
		*name = NULL;
	else
		*name = xstrdup(colon + 1);
}
