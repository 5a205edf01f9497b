/* commands.c: the verb table. Each verb is a const entry (name, help,
 * handler); handlers answer at once or queue a job whose units run one
 * after another (a unit for `all` or a group runs its processes together),
 * exactly as supervisorctl drives supervisord's RPCs, so the output and the
 * exit statuses match supervisorctl's. */
#include "autoconfig.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "control.h"
#include "log.h"
#include "logcmd.h"
#include "protocol.h"
#include "reload.h"
#include "shutdown.h"
#include "spawn.h"
#include "stats.h"
#include "supervisor.h"
#include "util.h"

enum unit_kind {
	UNIT_START,
	UNIT_STOP,
	UNIT_UPDATE,	/* update: one group made to match the config */
};

/* What an update unit does to its group (the order update prints). */
enum update_kind {
	UPDATE_REMOVED,
	UPDATE_CHANGED,
	UPDATE_ADDED,
};

/* One process a unit waits on. */
struct item {
	struct sv_proc	*sp;		/* NULL if it disappeared */
	bool		 done;
};

/* One name (or `all`, or `group:*`) of a start/stop/restart. */
struct unit {
	enum unit_kind	 kind;
	enum update_kind update;	/* UNIT_UPDATE: what changes */
	char		*arg;		/* name, "all", "group:*"; a group */
	struct item	*items;
	size_t		 nitems;
	bool		 active;
};

struct job {
	struct job	*next;
	struct client	*client;
	struct unit	*units;
	size_t		 nunits;
	size_t		 cur;		/* unit running now */
	int		 exitcode;	/* the last error wins */
};

struct cmd_entry {
	const char	*name;
	const char	*help;		/* lines separated by \n */
	void		(*exec)(struct supervisor *, struct client *, int,
			    char **);
};

static const struct cmd_entry *commands_find(const char *);

/* supervisorctl's make_namespec. */
static void
namespec(const struct sv_proc *sp, char *out, size_t len)
{
	const char	*group = sp->p.prog->group_name;

	if (strcmp(group, sp->p.name) == 0)
		(void)snprintf(out, len, "%s", sp->p.name);
	else
		(void)snprintf(out, len, "%s:%s", group, sp->p.name);
}

/* supervisorctl's split_namespec: "g:n", "g:*", "g:", "n". */
static void
split_namespec(const char *spec, char **group, char **name)
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

/* Does the process belong to group (and have name, unless NULL)? */
static bool
matches(const struct sv_proc *sp, const char *group, const char *name)
{
	if (sp->removing)
		return false;
	if (strcmp(sp->p.prog->group_name, group) != 0)
		return false;
	return name == NULL || strcmp(sp->p.name, name) == 0;
}

/* Print a help text, one output line per line. */
static void
print_help(struct client *c, const char *help)
{
	const char	*nl;

	while (*help != '\0') {
		nl = strchr(help, '\n');
		if (nl == NULL) {
			client_line(c, 1, "%s", help);
			return;
		}
		client_line(c, 1, "%.*s", (int)(nl - help), help);
		help = nl + 1;
	}
}

/* ---- jobs ---- */

static void	job_run(struct supervisor *, struct job *);

/* Record an exit status: supervisorctl only ever sets it. */
static void
job_status(struct job *j, int code)
{
	if (code != 0)
		j->exitcode = code;
}

/* Add a unit to a job. */
static void
job_add(struct job *j, enum unit_kind kind, const char *arg)
{
	struct unit	*u;

	j->units = xreallocarray(j->units, j->nunits + 1, sizeof(*j->units));
	u = &j->units[j->nunits++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->arg = xstrdup(arg);
}

/* Release a job (its client must be finished already). */
static void
job_free(struct job *j)
{
	size_t	i;

	for (i = 0; i < j->nunits; i++) {
		free(j->units[i].arg);
		free(j->units[i].items);
	}
	free(j->units);
	free(j);
}

/* Begin waiting on sp in unit u. */
static void
unit_add_item(struct unit *u, struct sv_proc *sp)
{
	u->items = xreallocarray(u->items, u->nitems + 1, sizeof(*u->items));
	u->items[u->nitems].sp = sp;
	u->items[u->nitems].done = false;
	u->nitems++;
}

/* supervisord's startProcess, up to the wait: true when it is already
 * answered. */
static bool
start_begin(struct job *j, struct sv_proc *sp)
{
	char			 name[256], path[4096], err[512];
	enum spawn_fault	 fault;

	namespec(sp, name, sizeof(name));
	fault = spawn_check(sp->p.prog, path, sizeof(path), err, sizeof(err));
	if (fault != SPAWN_OK) {
		client_line(j->client, 1, "%s: ERROR (%s)", name,
		    fault == SPAWN_NO_FILE ? "no such file" :
		    "file is not executable");
		job_status(j, TEND_EXIT_GENERIC);
		return true;
	}
	if (proc_is_running_state(sp->p.state)) {
		client_line(j->client, 1, "%s: ERROR (already started)", name);
		return true;
	}
	(void)supervisor_start(sp);
	return false;
}

/* supervisord's startProcess wait: true when it is answered. */
static bool
start_check(struct job *j, struct sv_proc *sp)
{
	char	name[256];

	namespec(sp, name, sizeof(name));
	if (sp->p.spawnerr[0] != '\0' &&
	    (sp->p.state == PROC_BACKOFF || sp->p.state == PROC_FATAL)) {
		client_line(j->client, 1, "%s: ERROR (spawn error)", name);
		job_status(j, TEND_EXIT_NOT_RUNNING);
		return true;
	}
	if (sp->p.state == PROC_RUNNING) {
		client_line(j->client, 1, "%s: started", name);
		return true;
	}
	if (sp->p.state != PROC_STARTING) {
		client_line(j->client, 1, "%s: ERROR (abnormal termination)",
		    name);
		job_status(j, TEND_EXIT_NOT_RUNNING);
		return true;
	}
	return false;
}

/* supervisord's stopProcess, up to the wait. */
static bool
stop_begin(struct job *j, struct sv_proc *sp)
{
	char	name[256];

	namespec(sp, name, sizeof(name));
	if (!proc_is_running_state(sp->p.state)) {
		client_line(j->client, 1, "%s: ERROR (not running)", name);
		return true;
	}
	if (!supervisor_stop(sp)) {
		client_line(j->client, 1, "%s: ERROR (failed)", name);
		job_status(j, TEND_EXIT_GENERIC);
		return true;
	}
	return false;
}

/* supervisord's stopProcess wait. */
static bool
stop_check(struct job *j, struct sv_proc *sp)
{
	char	name[256];

	if (!proc_is_stopped_state(sp->p.state))
		return false;
	namespec(sp, name, sizeof(name));
	client_line(j->client, 1, "%s: stopped", name);
	return true;
}

/* Expand a unit into the processes it acts on, and act. */
static void
unit_activate(struct supervisor *sv, struct job *j, struct unit *u)
{
	struct sv_proc	**list;
	char		 *group, *name;
	size_t		  i, n = 0;
	bool		  all = strcmp(u->arg, "all") == 0, found = false;

	u->active = true;
	if (u->kind == UNIT_UPDATE) {
		supervisor_apply_group(sv, u->arg);
		return;
	}
	split_namespec(u->arg, &group, &name);
	list = xcalloc(sv->nprocs + 1, sizeof(*list));
	for (i = 0; i < sv->nprocs; i++) {
		struct sv_proc	*sp = sv->procs[i];

		if (sp->removing)
			continue;
		if (!all && !matches(sp, group, name))
			continue;
		found = true;
		/* all/group: only those the verb applies to, silently. */
		if (all || name == NULL) {
			if (u->kind == UNIT_START &&
			    proc_is_running_state(sp->p.state))
				continue;
			if (u->kind == UNIT_STOP &&
			    !proc_is_running_state(sp->p.state))
				continue;
		}
		list[n++] = sp;
	}
	if (!all && !found) {
		if (name == NULL) {
			client_line(j->client, 1, "%s: ERROR (no such group)",
			    group);
			job_status(j, u->kind == UNIT_START ?
			    TEND_EXIT_INVALID_ARGS : TEND_EXIT_GENERIC);
		} else {
			client_line(j->client, 1, "%s: ERROR (no such process)",
			    u->arg);
			job_status(j, TEND_EXIT_GENERIC);
		}
	}
	qsort(list, n, sizeof(*list), supervisor_start_order);
	if (u->kind == UNIT_STOP) {	/* reverse priority */
		for (i = 0; i < n / 2; i++) {
			struct sv_proc	*t = list[i];

			list[i] = list[n - 1 - i];
			list[n - 1 - i] = t;
		}
	}
	for (i = 0; i < n; i++)
		unit_add_item(u, list[i]);
	for (i = 0; i < u->nitems; i++) {
		struct item	*it = &u->items[i];

		it->done = u->kind == UNIT_START ? start_begin(j, it->sp) :
		    stop_begin(j, it->sp);
	}
	free(list);
	free(group);
	free(name);
}

/* An update unit: its lines once its group has settled. */
static bool
update_check(struct supervisor *sv, struct job *j, struct unit *u)
{
	if (!supervisor_group_settled(sv, u->arg))
		return false;
	switch (u->update) {
	case UPDATE_REMOVED:
		client_line(j->client, 1, "%s: stopped", u->arg);
		client_line(j->client, 1, "%s: removed process group", u->arg);
		break;
	case UPDATE_CHANGED:
		client_line(j->client, 1, "%s: stopped", u->arg);
		client_line(j->client, 1, "%s: updated process group", u->arg);
		break;
	case UPDATE_ADDED:
		client_line(j->client, 1, "%s: added process group", u->arg);
		break;
	}
	return true;
}

/* Check the processes a unit waits on; true when all answered. */
static bool
unit_check(struct supervisor *sv, struct job *j, struct unit *u)
{
	size_t	i;
	bool	all_done = true;

	if (u->kind == UNIT_UPDATE)
		return update_check(sv, j, u);

	for (i = 0; i < u->nitems; i++) {
		struct item	*it = &u->items[i];

		if (it->done)
			continue;
		if (it->sp == NULL)
			it->done = true;
		else if (u->kind == UNIT_START)
			it->done = start_check(j, it->sp);
		else
			it->done = stop_check(j, it->sp);
		if (!it->done)
			all_done = false;
	}
	return all_done;
}

/* Move a job as far as it can go; finish it at the end. */
static void
job_run(struct supervisor *sv, struct job *j)
{
	struct job	**pp;

	while (j->cur < j->nunits) {
		struct unit	*u = &j->units[j->cur];

		if (!u->active)
			unit_activate(sv, j, u);
		if (!unit_check(sv, j, u))
			return;
		j->cur++;
	}
	for (pp = &sv->jobs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	}
	client_finish(j->client, j->exitcode);
	job_free(j);
}

/* Queue a job and run it as far as it goes now. */
static struct job *
job_new(struct supervisor *sv, struct client *c)
{
	struct job	*j = xcalloc(1, sizeof(*j));

	j->client = c;
	j->next = sv->jobs;
	sv->jobs = j;
	return j;
}

/* See commands.h. A change that happens while jobs run (a start that
 * fails at once) only asks for another pass: jobs never run re-entered. */
void
commands_poke(struct supervisor *sv)
{
	struct job	*j, *next;

	if (sv->poking) {
		sv->repoke = true;
		return;
	}
	sv->poking = true;
	do {
		sv->repoke = false;
		for (j = sv->jobs; j != NULL; j = next) {
			next = j->next;
			job_run(sv, j);
		}
	} while (sv->repoke);
	sv->poking = false;
}

/* See commands.h. */
void
commands_forget(struct supervisor *sv, struct sv_proc *sp)
{
	struct job	*j;
	size_t		 u, i;

	for (j = sv->jobs; j != NULL; j = j->next)
		for (u = 0; u < j->nunits; u++)
			for (i = 0; i < j->units[u].nitems; i++)
				if (j->units[u].items[i].sp == sp)
					j->units[u].items[i].sp = NULL;
}

/* See commands.h. */
void
commands_free_all(struct supervisor *sv)
{
	struct job	*j;

	while ((j = sv->jobs) != NULL) {
		sv->jobs = j->next;
		client_finish(j->client, TEND_EXIT_GENERIC);
		job_free(j);
	}
}

/* ---- verbs ---- */

/* start NAME...|GROUP:*|all */
static void
cmd_start(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct job	*j;
	int		 i;

	if (argc < 2) {
		client_line(c, 1, "Error: start requires a process name");
		print_help(c, commands_find("start")->help);
		client_finish(c, TEND_EXIT_INVALID_ARGS);
		return;
	}
	j = job_new(sv, c);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "all") == 0) {
			job_add(j, UNIT_START, "all");
			break;
		}
	}
	if (j->nunits == 0)
		for (i = 1; i < argc; i++)
			job_add(j, UNIT_START, argv[i]);
	job_run(sv, j);
}

/* stop NAME...|GROUP:*|all */
static void
cmd_stop(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct job	*j;
	int		 i;

	if (argc < 2) {
		client_line(c, 1, "Error: stop requires a process name");
		print_help(c, commands_find("stop")->help);
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	j = job_new(sv, c);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "all") == 0) {
			job_add(j, UNIT_STOP, "all");
			break;
		}
	}
	if (j->nunits == 0)
		for (i = 1; i < argc; i++)
			job_add(j, UNIT_STOP, argv[i]);
	job_run(sv, j);
}

/* restart: stop, then start, with the same arguments. */
static void
cmd_restart(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct job	*j;
	int		 i, kind;
	bool		 all = false;

	if (argc < 2) {
		client_line(c, 1, "Error: restart requires a process name");
		print_help(c, commands_find("restart")->help);
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "all") == 0)
			all = true;
	j = job_new(sv, c);
	for (kind = UNIT_STOP; ; kind = UNIT_START) {
		if (all)
			job_add(j, (enum unit_kind)kind, "all");
		else
			for (i = 1; i < argc; i++)
				job_add(j, (enum unit_kind)kind, argv[i]);
		if (kind == UNIT_START)
			break;
	}
	job_run(sv, j);
}

/* Append s to b as a JSON string. */
static void
json_string(struct buf *b, const char *s)
{
	unsigned char	ch;

	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)ch);
		} else if (ch < 0x20 || ch == 0x7f)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_addc(b, (char)ch);
	}
	buf_addc(b, '"');
}

/* One process of status --json: one object on one line. */
static void
status_json(struct client *c, const struct sv_proc *sp, const char *name,
    const char *desc, time_t now, bool more)
{
	struct buf	b;
	long long	uptime = 0;

	if (sp->p.state == PROC_RUNNING && sp->p.start_wall != 0 &&
	    now > sp->p.start_wall)
		uptime = (long long)(now - sp->p.start_wall);
	buf_init(&b);
	buf_addstr(&b, "{\"name\":");
	json_string(&b, name);
	buf_addstr(&b, ",\"group\":");
	json_string(&b, sp->p.prog->group_name);
	buf_addstr(&b, ",\"process\":");
	json_string(&b, sp->p.name);
	buf_addstr(&b, ",\"state\":");
	json_string(&b, proc_state_name(sp->p.state));
	buf_printf(&b, ",\"pid\":%ld,\"uptime\":%lld,\"exitstatus\":%d,"
	    "\"description\":", (long)sp->p.pid, uptime, sp->p.exitstatus);
	json_string(&b, desc);
	buf_printf(&b, "}%s", more ? "," : "");
	client_line(c, 1, "%s", b.data);
	buf_free(&b);
}

/* STARTING without a pid, held by depends_on: say for what. */
static void
describe_dep_wait(const struct sv_proc *sp, char *out, size_t len)
{
	const struct strlist	*d = &sp->p.prog->depends_on;
	struct buf		 b;
	size_t			 k;

	buf_init(&b);
	buf_addstr(&b, "waiting for ");
	for (k = 0; k < d->n; k++)
		buf_printf(&b, "%s%s", k > 0 ? ", " : "", d->v[k]);
	buf_addstr(&b, " (depends_on)");
	(void)snprintf(out, len, "%s", b.data);
	buf_free(&b);
}

/* status [--json] [NAME|GROUP:*...] */
static void
cmd_status(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct sv_proc	**match;
	char		  name[256], desc[512], *group, *pname;
	size_t		  i, n = 0, width = 30, len;
	int		  a, code = 0;
	bool		  all, bad, json = false;
	time_t		  now = time(NULL);

	if (argc > 1 && strcmp(argv[1], "--json") == 0) {
		json = true;	/* errors to stderr: stdout stays JSON */
		argc--;
		argv++;
	}
	all = argc < 2;
	for (a = 1; a < argc; a++)
		if (strcmp(argv[a], "all") == 0)
			all = true;
	match = xcalloc(sv->nprocs * (size_t)(argc > 1 ? argc : 1) + 1,
	    sizeof(*match));
	if (all) {
		for (i = 0; i < sv->nprocs; i++)
			if (!sv->procs[i]->removing)
				match[n++] = sv->procs[i];
	} else {
		for (a = 1; a < argc; a++) {
			split_namespec(argv[a], &group, &pname);
			bad = true;
			for (i = 0; i < sv->nprocs; i++) {
				if (matches(sv->procs[i], group, pname)) {
					match[n++] = sv->procs[i];
					bad = false;
				}
			}
			if (bad) {
				if (pname == NULL)
					client_line(c, json ? 2 : 1, "%s: ERROR "
					    "(no such group)", group);
				else
					client_line(c, json ? 2 : 1, "%s: ERROR "
					    "(no such process)", argv[a]);
				code = TEND_EXIT_STATUS_UNKNOWN;
			}
			free(group);
			free(pname);
		}
	}
	for (i = 0; i < n; i++) {
		namespec(match[i], name, sizeof(name));
		len = strlen(name);
		if (len > width)
			width = len;
	}
	if (json)
		client_line(c, 1, "[");
	for (i = 0; i < n; i++) {
		namespec(match[i], name, sizeof(name));
		proc_describe(&match[i]->p, now, desc, sizeof(desc));
		if (match[i]->dep_wait)
			describe_dep_wait(match[i], desc, sizeof(desc));
		if (json) {
			status_json(c, match[i], name, desc, now, i + 1 < n);
			if (proc_is_stopped_state(match[i]->p.state))
				code = TEND_EXIT_STATUS_NOT_RUNNING;
			continue;
		}
		if (match[i]->out.dropped + match[i]->err.dropped > 0) {
			len = strlen(desc);
			(void)snprintf(desc + len, sizeof(desc) - len,
			    " [dropped %llu bytes of output]",
			    match[i]->out.dropped + match[i]->err.dropped);
		}
		client_line(c, 1, "%-*s%-10s%s", (int)width + 3, name,
		    proc_state_name(match[i]->p.state), desc);
		if (proc_is_stopped_state(match[i]->p.state))
			code = TEND_EXIT_STATUS_NOT_RUNNING;
	}
	if (json)
		client_line(c, 1, "]");
	free(match);
	client_finish(c, code);
}

/* pid [NAME...|all] */
static void
cmd_pid(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct sv_proc	*sp;
	char		*group, *pname;
	size_t		 i;
	int		 a, code = 0;

	if (argc < 2) {
		client_line(c, 1, "%ld", (long)getpid());
		client_finish(c, 0);
		return;
	}
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "all") == 0) {
			for (i = 0; i < sv->nprocs; i++)
				if (!sv->procs[i]->removing)
					client_line(c, 1, "%ld",
					    (long)sv->procs[i]->p.pid);
			client_finish(c, code);
			return;
		}
	}
	for (a = 1; a < argc; a++) {
		split_namespec(argv[a], &group, &pname);
		sp = pname != NULL ? supervisor_lookup(sv, group, pname) : NULL;
		free(group);
		free(pname);
		if (sp == NULL) {
			client_line(c, 1, "No such process %s", argv[a]);
			code = TEND_EXIT_GENERIC;
			continue;
		}
		client_line(c, 1, "%ld", (long)sp->p.pid);
		if (sp->p.pid == 0)
			code = TEND_EXIT_NOT_RUNNING;
	}
	client_finish(c, code);
}

/* Signal one process; the result line and status. */
static void
signal_one(struct client *c, struct sv_proc *sp, int sig, int *code)
{
	char	name[256];

	namespec(sp, name, sizeof(name));
	if (sig == -1) {
		client_line(c, 1, "%s: ERROR (bad signal name)", name);
		*code = TEND_EXIT_GENERIC;
	} else if (!proc_is_running_state(sp->p.state) || sp->p.pid == 0) {
		client_line(c, 1, "%s: ERROR (not running)", name);
		*code = TEND_EXIT_NOT_RUNNING;
	} else if (supervisor_signal(sp, sig) == -1) {
		client_line(c, 1, "%s: ERROR (failed)", name);
		*code = TEND_EXIT_GENERIC;
	} else {
		client_line(c, 1, "%s: signalled", name);
	}
}

/* signal SIG NAME...|GROUP:*|all */
static void
cmd_signal(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	char	*group, *pname;
	size_t	 i;
	int	 a, sig, code = 0;
	bool	 found;

	if (argc < 3) {
		client_line(c, 1, "Error: signal requires a signal name and a "
		    "process name");
		print_help(c, commands_find("signal")->help);
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	sig = signal_parse(argv[1]);
	for (a = 2; a < argc; a++) {
		if (strcmp(argv[a], "all") == 0) {
			for (i = 0; i < sv->nprocs; i++)
				if (!sv->procs[i]->removing &&
				    proc_is_running_state(sv->procs[i]->p.state))
					signal_one(c, sv->procs[i], sig, &code);
			client_finish(c, code);
			return;
		}
	}
	for (a = 2; a < argc; a++) {
		split_namespec(argv[a], &group, &pname);
		found = false;
		for (i = 0; i < sv->nprocs; i++) {
			struct sv_proc	*sp = sv->procs[i];

			if (!matches(sp, group, pname))
				continue;
			found = true;
			if (pname == NULL && !proc_is_running_state(sp->p.state))
				continue;
			signal_one(c, sp, sig, &code);
		}
		if (!found) {
			if (pname == NULL)
				client_line(c, 1, "%s: ERROR (no such group)",
				    group);
			else
				client_line(c, 1, "%s: ERROR (no such process)",
				    argv[a]);
			code = TEND_EXIT_GENERIC;
		}
		free(group);
		free(pname);
	}
	client_finish(c, code);
}

/* shutdown: answer, then stop everything and leave. */
static void
cmd_shutdown(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (sv->shutting_down) {
		client_line(c, 1, "ERROR: already shutting down");
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	client_line(c, 1, "Shut down");
	client_finish(c, 0);
	supervisor_shutdown(sv);
}

/* version */
static void
cmd_version(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	(void)sv;
	(void)argv;
	if (argc > 1) {
		client_line(c, 1, "Error: version accepts no arguments");
		print_help(c, commands_find("version")->help);
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	client_line(c, 1, "%s", PACKAGE_VERSION);
	client_finish(c, 0);
}

/* metrics: the Prometheus text exposition of every process (stats.c). */
static void
cmd_metrics(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct buf	 b;
	const char	*line, *nl;

	(void)argv;
	if (argc > 1) {
		client_line(c, 1, "Error: metrics accepts no arguments");
		print_help(c, commands_find("metrics")->help);
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	buf_init(&b);
	stats_metrics(sv, true, &b);
	for (line = b.data; line != NULL && *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;		/* metrics.c ends every line */
		client_line(c, 1, "%.*s", (int)(nl - line), line);
	}
	buf_free(&b);
	client_finish(c, 0);
}

/* ---- configuration verbs: avail, reread, update, add, remove, reload ---- */

/* A verb that takes no arguments got some: say so, with its help. */
static bool
refuse_args(struct client *c, int argc, const char *verb)
{
	if (argc <= 1)
		return false;
	client_line(c, 1, "Error: %s accepts no arguments", verb);
	print_help(c, commands_find(verb)->help);
	client_finish(c, TEND_EXIT_GENERIC);
	return true;
}

/* The config could not be read: supervisorctl's CANT_REREAD fault, one
 * line per error (each FILE:LINE: ...). */
static void
cant_reread(struct client *c, struct strlist *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++)
		client_line(c, 1, "ERROR: CANT_REREAD: %s", errs->v[i]);
	strlist_free(errs);
	client_finish(c, TEND_EXIT_GENERIC);
}

/* One line of avail. */
struct avail_row {
	const struct program	*p;
	const struct group_conf	*g;
};

/* avail's order: by process name, then as supervisord keeps groups. */
static int
avail_cmp(const void *a, const void *b)
{
	const struct avail_row	*x = a, *y = b;
	int			 d;

	if ((d = strcmp(x->p->name, y->p->name)) != 0)
		return d;
	if (x->g->priority != y->g->priority)
		return x->g->priority < y->g->priority ? -1 : 1;
	return x->g->seq < y->g->seq ? -1 : x->g->seq > y->g->seq;
}

/* avail: every process of the configuration last read. */
static void
cmd_avail(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	const struct config	*cfg = sv->config;
	struct avail_row	*rows;
	char			 name[256], prio[64];
	size_t			 i, k, n = 0;

	(void)argv;
	if (refuse_args(c, argc, "avail"))
		return;
	if (sv->shutting_down) {
		client_line(c, 1, "ERROR: supervisor shutting down");
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	rows = xcalloc(cfg->nprogs + 1, sizeof(*rows));
	for (i = 0; i < cfg->ngroups; i++) {
		for (k = 0; k < cfg->groups[i].nprocs; k++) {
			rows[n].p = &cfg->progs[cfg->groups[i].first + k];
			rows[n++].g = &cfg->groups[i];
		}
	}
	qsort(rows, n, sizeof(*rows), avail_cmp);
	for (i = 0; i < n; i++) {
		const struct program	*p = rows[i].p;

		if (strcmp(p->group_name, p->name) == 0)
			(void)snprintf(name, sizeof(name), "%s", p->name);
		else
			(void)snprintf(name, sizeof(name), "%s:%s",
			    p->group_name, p->name);
		(void)snprintf(prio, sizeof(prio), "%d:%d",
		    rows[i].g->priority, p->priority);
		client_line(c, 1, "%-32s %-9s %-9s %s", name,
		    supervisor_group_active(sv, p->group_name) ? "in use" :
		    "avail", p->autostart ? "auto" : "manual", prio);
	}
	free(rows);
	client_finish(c, 0);
}

/* One line of reread. */
struct change_row {
	const char	*group;
	const char	*what;
};

static int
change_cmp(const void *a, const void *b)
{
	return strcmp(((const struct change_row *)a)->group,
	    ((const struct change_row *)b)->group);
}

/* reread: what update would do, sorted by group, without doing it. */
static void
cmd_reread(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct strlist		 lists[3] = { { NULL, 0 }, { NULL, 0 },
				    { NULL, 0 } }, errs = { NULL, 0 };
	static const char *const what[3] = { "available", "changed",
				    "disappeared" };
	struct change_row	*rows;
	size_t			 i, l, n = 0;

	(void)argv;
	if (refuse_args(c, argc, "reread"))
		return;
	if (sv->shutting_down) {
		client_line(c, 1, "ERROR: supervisor shutting down");
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	if (supervisor_reread(sv, &errs) == -1) {
		cant_reread(c, &errs);
		return;
	}
	supervisor_diff(sv, &lists[0], &lists[1], &lists[2]);
	rows = xcalloc(lists[0].n + lists[1].n + lists[2].n + 1,
	    sizeof(*rows));
	for (l = 0; l < 3; l++) {
		for (i = 0; i < lists[l].n; i++) {
			rows[n].group = lists[l].v[i];
			rows[n++].what = what[l];
		}
	}
	qsort(rows, n, sizeof(*rows), change_cmp);
	for (i = 0; i < n; i++)
		client_line(c, 1, "%s: %s", rows[i].group, rows[i].what);
	if (n == 0)
		client_line(c, 1, "No config updates to processes");
	free(rows);
	for (l = 0; l < 3; l++)
		strlist_free(&lists[l]);
	client_finish(c, 0);
}

/* s is one of argv[from .. to - 1]. */
static bool
arg_has(int from, int to, char **argv, const char *s)
{
	int	a;

	for (a = from; a < to; a++)
		if (strcmp(argv[a], s) == 0)
			return true;
	return false;
}

/* update [all|GROUP...]: reread, then apply the difference group by group
 * (within a group, process by process: what did not change keeps
 * running), printing what supervisorctl prints. */
static void
cmd_update(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct strlist	 lists[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	struct strlist	 errs = { NULL, 0 };
	/* supervisorctl's order: removed, changed, added */
	static const enum update_kind kinds[3] = { UPDATE_REMOVED,
			    UPDATE_CHANGED, UPDATE_ADDED };
	struct job	*j;
	size_t		 i, l;
	int		 a, code = 0;
	bool		 all = argc < 2 || arg_has(1, argc, argv, "all");

	if (sv->shutting_down) {
		client_line(c, 1, "ERROR: already shutting down");
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	if (supervisor_reread(sv, &errs) == -1) {
		cant_reread(c, &errs);
		return;
	}
	supervisor_diff(sv, &lists[2], &lists[1], &lists[0]);
	for (a = 1; !all && a < argc; a++) {
		if (arg_has(1, a, argv, argv[a]) ||
		    supervisor_group_active(sv, argv[a]))
			continue;
		for (i = 0; i < lists[2].n; i++)
			if (strcmp(lists[2].v[i], argv[a]) == 0)
				break;
		if (i == lists[2].n) {
			client_line(c, 1, "ERROR: no such group: %s", argv[a]);
			code = TEND_EXIT_GENERIC;
		}
	}
	j = job_new(sv, c);
	j->exitcode = code;
	for (l = 0; l < 3; l++) {
		for (i = 0; i < lists[l].n; i++) {
			if (!all && !arg_has(1, argc, argv, lists[l].v[i]))
				continue;
			job_add(j, UNIT_UPDATE, lists[l].v[i]);
			j->units[j->nunits - 1].update = kinds[l];
		}
		strlist_free(&lists[l]);
	}
	job_run(sv, j);
}

/* add GROUP...: start using a group of the configuration last read. */
static void
cmd_add(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	int	a, code = 0;

	for (a = 1; a < argc; a++) {
		if (sv->shutting_down) {
			client_line(c, 1, "ERROR: shutting down");
			code = TEND_EXIT_GENERIC;
		} else if (config_find_group(sv->config, argv[a]) == NULL) {
			client_line(c, 1, "ERROR: no such process/group: %s",
			    argv[a]);
			code = TEND_EXIT_GENERIC;
		} else if (supervisor_group_active(sv, argv[a])) {
			client_line(c, 1, "ERROR: process group already active");
		} else {
			supervisor_apply_group(sv, argv[a]);
			client_line(c, 1, "%s: added process group", argv[a]);
		}
	}
	client_finish(c, code);
}

/* remove GROUP...: stop using a group whose processes are all stopped. */
static void
cmd_remove(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	int	a, code = 0;

	for (a = 1; a < argc; a++) {
		switch (supervisor_remove_group(sv, argv[a])) {
		case 0:
			client_line(c, 1, "%s: removed process group", argv[a]);
			break;
		case 1:
			client_line(c, 1, "ERROR: process/group still running: "
			    "%s", argv[a]);
			code = TEND_EXIT_GENERIC;
			break;
		default:
			client_line(c, 1, "ERROR: no such process/group: %s",
			    argv[a]);
			code = TEND_EXIT_GENERIC;
			break;
		}
	}
	client_finish(c, code);
}

/* reload: stop everything, then tendd starts again (same pid) and reads
 * everything anew, as supervisord does. A config that does not load is
 * refused first, so a reload never leaves nothing running. */
static void
cmd_reload(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	struct strlist	 errs = { NULL, 0 };
	struct config	*nc;

	(void)argv;
	if (refuse_args(c, argc, "reload"))
		return;
	if (sv->shutting_down) {
		client_line(c, 1, "ERROR: already shutting down");
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	if ((nc = config_load(sv->config_path, &errs, NULL)) == NULL ||
	    supervisor_check_dirs(nc, true, &errs) == -1) {
		config_free(nc);
		cant_reread(c, &errs);
		return;
	}
	config_free(nc);
	client_line(c, 1, "Restarted supervisord");
	client_finish(c, 0);
	log_warn("restart requested: stopping everything, then starting "
	    "again");
	sv->reexec = true;
	supervisor_shutdown(sv);
}

/* quit, exit: leave the interactive shell (tendctl acts on them itself;
 * from the command line they do nothing, like supervisorctl's). */
static void
cmd_quit(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	(void)sv;
	(void)argc;
	(void)argv;
	client_finish(c, 0);
}

static void	cmd_help(struct supervisor *, struct client *, int, char **);

static const struct cmd_entry cmd_table[] = {
	{ "add",
	  "add <name> [...]\tActivates any updates in config for "
	  "process/group",
	  cmd_add },
	{ "avail",
	  "avail\t\t\tDisplay all configured processes",
	  cmd_avail },
	{ "exit",
	  "exit\tExit the tendctl shell.",
	  cmd_quit },
	{ "quit",
	  "quit\tExit the tendctl shell.",
	  cmd_quit },
	{ "reload",
	  "reload \t\tRestart the remote tendd.",
	  cmd_reload },
	{ "remove",
	  "remove <name> [...]\tRemoves process/group from active config",
	  cmd_remove },
	{ "reread",
	  "reread \t\t\tReload the daemon's configuration files without "
	  "add/remove",
	  cmd_reread },
	{ "update",
	  "update\t\t\tReload config and add/remove as necessary, and will "
	  "restart affected programs\n"
	  "update all\t\tReload config and add/remove as necessary, and "
	  "will restart affected programs\n"
	  "update <gname> [...]\tUpdate specific groups",
	  cmd_update },
	{ "clear", LOGCMD_HELP_CLEAR, logcmd_clear },
	{ "help",
	  "help\t\tPrint a list of available actions\n"
	  "help <action>\tPrint help for <action>",
	  cmd_help },
	{ "maintail", LOGCMD_HELP_MAINTAIL, logcmd_maintail },
	{ "metrics",
	  "metrics\t\t\tPrint the metrics of every process in the Prometheus "
	  "text format",
	  cmd_metrics },
	{ "pid",
	  "pid\t\t\tGet the PID of tendd.\n"
	  "pid <name>\t\tGet the PID of a single child process by name.\n"
	  "pid all\t\t\tGet the PID of every child process, one per line.",
	  cmd_pid },
	{ "reopen", LOGCMD_HELP_REOPEN, logcmd_reopen },
	{ "restart",
	  "restart <name>\t\tRestart a process\n"
	  "restart <gname>:*\tRestart all processes in a group\n"
	  "restart <name> <name>\tRestart multiple processes or groups\n"
	  "restart all\t\tRestart all processes\n"
	  "Note: restart does not reread config files. For that, see reread "
	  "and update.",
	  cmd_restart },
	{ "shutdown",
	  "shutdown \tShut the remote tendd down.",
	  cmd_shutdown },
	{ "signal",
	  "signal <signal name> <name>\t\tSignal a process\n"
	  "signal <signal name> <gname>:*\t\tSignal all processes in a group\n"
	  "signal <signal name> <name> <name>\tSignal multiple processes or "
	  "groups\n"
	  "signal <signal name> all\t\tSignal all processes",
	  cmd_signal },
	{ "start",
	  "start <name>\t\tStart a process\n"
	  "start <gname>:*\t\tStart all processes in a group\n"
	  "start <name> <name>\tStart multiple processes or groups\n"
	  "start all\t\tStart all processes",
	  cmd_start },
	{ "status",
	  "status <name>\t\tGet status for a single process\n"
	  "status <gname>:*\tGet status for all processes in a group\n"
	  "status <name> <name>\tGet status for multiple named processes\n"
	  "status\t\t\tGet all process status info",
	  cmd_status },
	{ "stop",
	  "stop <name>\t\tStop a process\n"
	  "stop <gname>:*\t\tStop all processes in a group\n"
	  "stop <name> <name>\tStop multiple processes or groups\n"
	  "stop all\t\tStop all processes",
	  cmd_stop },
	{ "tail", LOGCMD_HELP_TAIL, logcmd_tail },
	{ "version",
	  "version\t\t\tShow the version of the remote tendd process",
	  cmd_version },
};

/* Look a verb up. */
static const struct cmd_entry *
commands_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(cmd_table); i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

/* qsort order of verb names. */
static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The verbs in columns, as Python's cmd.Cmd.columnize() sets them: the
 * fewest rows whose columns (two spaces apart) fit in width. */
static void
help_columnize(struct client *c, const char **names, size_t n, size_t width,
    struct buf *line)
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
	if (rows == n)
		colw[0] = 0;
	for (row = 0; row < rows; row++) {
		buf_reset(line);
		for (col = 0; col < cols; col++) {
			i = row + rows * col;
			if (i >= n)
				break;
			if (col > 0)
				buf_addstr(line, "  ");
			/* the last text of a row is padded too (ljust) */
			buf_printf(line, "%-*s", (int)(rows == n ? 0 :
			    colw[col]), names[i]);
		}
		client_line(c, 1, "%s", line->data);
	}
}

/* help [VERB] */
static void
cmd_help(struct supervisor *sv, struct client *c, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	struct buf		 line;
	const char		**names;
	size_t			 i, n = 0;

	(void)sv;
	if (argc > 1) {
		if ((ce = commands_find(argv[1])) == NULL) {
			client_line(c, 1, "*** No help on %s", argv[1]);
			client_finish(c, 0);
			return;
		}
		print_help(c, ce->help);
		client_finish(c, 0);
		return;
	}
	client_line(c, 1, "%s", "");
	client_line(c, 1, "default commands (type help <topic>):");
	client_line(c, 1, "=====================================");
	names = xcalloc(nitems(cmd_table), sizeof(*names));
	for (i = 0; i < nitems(cmd_table); i++)
		if (strcmp(cmd_table[i].name, "help") != 0)
			names[n++] = cmd_table[i].name;
	qsort(names, n, sizeof(*names), name_cmp);
	buf_init(&line);
	help_columnize(c, names, n, 79, &line);
	buf_free(&line);
	free(names);
	client_line(c, 1, "%s", "");
	client_finish(c, 0);
}

/* See commands.h. */
void
commands_dispatch(struct supervisor *sv, struct client *c, int argc,
    char **argv)
{
	const struct cmd_entry	*ce = commands_find(argv[0]);
	struct buf		 line;
	int			 i;

	if (ce == NULL) {
		buf_init(&line);
		for (i = 0; i < argc; i++)
			buf_printf(&line, "%s%s", i > 0 ? " " : "", argv[i]);
		client_line(c, 1, "*** Unknown syntax: %s", line.data);
		buf_free(&line);
		client_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	sv->poking = true;
	ce->exec(sv, c, argc, argv);
	sv->poking = false;
	if (sv->repoke)
		commands_poke(sv);
}

/* See commands.h. */
unsigned
commands_count(void)
{
	return (unsigned)nitems(cmd_table);
}

/* See commands.h. */
const char *
commands_name(unsigned i)
{
	return i < nitems(cmd_table) ? cmd_table[i].name : NULL;
}
