/* commands.c: tendd's side of the verbs. The dispatcher looks a request up
 * in the verb table (verbs.c), checks its arity there, and makes `all`
 * stand for every name; cmd_select() is the one place a name becomes
 * processes. Handlers answer at once or queue a job whose units run one
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
#include "verbs.h"

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
	struct job		*next;
	struct control_reply	*reply;
	struct unit		*units;
	size_t			 nunits;
	size_t			 cur;		/* unit running now */
	int			 exitcode;	/* the last error wins */
};

/* tendd's verbs and the jobs still waiting on processes. The supervisor
 * announces every change (commands_poke) from inside the calls a job
 * makes (a start that fails at once is a change), so running says that
 * jobs are being moved on already: the change only asks for one more
 * pass (rerun), and no job ever runs re-entered, or is freed under the
 * loop that walks them. */
struct commands {
	struct supervisor	*sv;
	struct job		*jobs;		/* replies waiting on processes */
	bool			 running;	/* a handler or commands_poke
						 * is running */
	bool			 rerun;		/* a change came meanwhile */
};

/* A request that fits its verb's row. */
struct cmd_req {
	struct commands		*cmds;
	const struct verb	*verb;
	int			 argc;		/* argv[0] is the verb */
	char			**argv;
	char			**names;	/* the name arguments (after a
						 * signal, --json); only "all"
						 * if it was one of them */
	int			 nnames;
	bool			 all;		/* VERB_ALL: `all` was named */
};

typedef void	(*cmd_fn)(struct supervisor *, struct control_reply *,
		    const struct cmd_req *);

/* What a name argument stands for. */
enum cmd_match {
	CMD_PROCESS,		/* one process: act on it or say why not */
	CMD_SET,		/* all, group:*: those it fits, silently */
	CMD_NO_PROCESS,
	CMD_NO_GROUP,
};

/* The name of a process as tendctl prints it. */
static const char *
cmd_namespec(const struct sv_proc *sp, char *out, size_t len)
{
	return verbs_namespec(sp->p.prog->group_name, sp->p.name, out, len);
}

/* The one expansion of a name argument into processes: "all" (every
 * process), "group:*" (when groups may be named), "group:name", "name";
 * never one being removed; in tendd's order (group, name). *list is
 * malloc'd, also when nothing matched. */
static enum cmd_match
cmd_select(struct supervisor *sv, const char *spec, bool groups,
    struct sv_proc ***list, size_t *n)
{
	enum cmd_match	 m = CMD_SET;
	struct sv_proc	*sp;
	char		*group, *name;
	size_t		 i, lo = 0, hi = sv->nprocs;

	*list = xcalloc(sv->nprocs + 1, sizeof(**list));
	*n = 0;
	supervisor_sort(sv);
	if (strcmp(spec, "all") != 0) {
		verbs_namespec_split(spec, &group, &name);
		if (name != NULL) {
			if ((sp = supervisor_lookup(sv, group, name)) != NULL)
				(*list)[(*n)++] = sp;
			m = *n > 0 ? CMD_PROCESS : CMD_NO_PROCESS;
		} else if (groups)
			supervisor_group_range(sv, group, &lo, &hi);
		else
			m = CMD_NO_PROCESS;
		free(group);
		free(name);
		if (m != CMD_SET)
			return m;
	}
	for (i = lo; i < hi; i++)
		if (!sv->procs[i]->removing)
			(*list)[(*n)++] = sv->procs[i];
	if (*n == 0 && strcmp(spec, "all") != 0)
		m = CMD_NO_GROUP;
	return m;
}

/* The line for a name that matched nothing. */
static void
cmd_no_such(struct control_reply *c, int stream, enum cmd_match m,
    const char *spec)
{
	if (m == CMD_NO_GROUP)
		control_line(c, stream, "%.*s: ERROR (no such group)",
		    (int)strcspn(spec, ":"), spec);
	else
		control_line(c, stream, "%s: ERROR (no such process)", spec);
}

/* Send text, a line per \n. */
static void
cmd_lines(struct control_reply *c, const char *text)
{
	const char	*nl;

	for (; (nl = strchr(text, '\n')) != NULL; text = nl + 1)
		control_line(c, 1, "%.*s", (int)(nl - text), text);
}

/* ---- jobs ---- */

static void	cmd_job_run(struct commands *, struct job *);

/* Record an exit status: supervisorctl only ever sets it. */
static void
cmd_job_status(struct job *j, int code)
{
	if (code != 0)
		j->exitcode = code;
}

/* Add a unit to a job. */
static void
cmd_job_add(struct job *j, enum unit_kind kind, const char *arg)
{
	struct unit	*u;

	j->units = xreallocarray(j->units, j->nunits + 1, sizeof(*j->units));
	u = &j->units[j->nunits++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->arg = xstrdup(arg);
}

/* Release a job (its reply must be finished already). */
static void
cmd_job_free(struct job *j)
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
cmd_unit_add_item(struct unit *u, struct sv_proc *sp)
{
	u->items = xreallocarray(u->items, u->nitems + 1, sizeof(*u->items));
	u->items[u->nitems].sp = sp;
	u->items[u->nitems].done = false;
	u->nitems++;
}

/* supervisord's startProcess, up to the wait: true when it is already
 * answered. */
static bool
cmd_start_begin(struct job *j, struct sv_proc *sp)
{
	char			 name[256], path[4096], err[512];
	enum spawn_fault	 fault;

	(void)cmd_namespec(sp, name, sizeof(name));
	fault = spawn_check(sp->p.prog, path, sizeof(path), err, sizeof(err));
	if (fault != SPAWN_OK) {
		control_line(j->reply, 1, "%s: ERROR (%s)", name,
		    fault == SPAWN_NO_FILE ? "no such file" :
		    "file is not executable");
		cmd_job_status(j, TEND_EXIT_GENERIC);
		return true;
	}
	if (proc_is_running_state(sp->p.state)) {
		control_line(j->reply, 1, "%s: ERROR (already started)", name);
		return true;
	}
	(void)supervisor_start(sp);
	return false;
}

/* supervisord's startProcess wait: true when it is answered. */
static bool
cmd_start_check(struct job *j, struct sv_proc *sp)
{
	char	name[256];

	(void)cmd_namespec(sp, name, sizeof(name));
	if (sp->p.spawnerr[0] != '\0' &&
	    (sp->p.state == PROC_BACKOFF || sp->p.state == PROC_FATAL)) {
		control_line(j->reply, 1, "%s: ERROR (spawn error)", name);
		cmd_job_status(j, TEND_EXIT_NOT_RUNNING);
		return true;
	}
	if (sp->p.state == PROC_RUNNING) {
		control_line(j->reply, 1, "%s: started", name);
		return true;
	}
	if (sp->p.state != PROC_STARTING) {
		control_line(j->reply, 1, "%s: ERROR (abnormal termination)",
		    name);
		cmd_job_status(j, TEND_EXIT_NOT_RUNNING);
		return true;
	}
	return false;
}

/* supervisord's stopProcess, up to the wait. */
static bool
cmd_stop_begin(struct job *j, struct sv_proc *sp)
{
	char	name[256];

	(void)cmd_namespec(sp, name, sizeof(name));
	if (!proc_is_running_state(sp->p.state)) {
		control_line(j->reply, 1, "%s: ERROR (not running)", name);
		return true;
	}
	if (!supervisor_stop(sp)) {
		control_line(j->reply, 1, "%s: ERROR (failed)", name);
		cmd_job_status(j, TEND_EXIT_GENERIC);
		return true;
	}
	return false;
}

/* supervisord's stopProcess wait. */
static bool
cmd_stop_check(struct job *j, struct sv_proc *sp)
{
	char	name[256];

	if (!proc_is_stopped_state(sp->p.state))
		return false;
	(void)cmd_namespec(sp, name, sizeof(name));
	control_line(j->reply, 1, "%s: stopped", name);
	return true;
}

/* Expand a unit into the processes it acts on, and act. */
static void
cmd_unit_activate(struct supervisor *sv, struct job *j, struct unit *u)
{
	struct sv_proc	**list;
	enum cmd_match	  m;
	size_t		  i, k, n;

	u->active = true;
	if (u->kind == UNIT_UPDATE) {
		supervisor_apply_group(sv, u->arg);
		return;
	}
	m = cmd_select(sv, u->arg, true, &list, &n);
	if (m == CMD_NO_PROCESS || m == CMD_NO_GROUP) {
		cmd_no_such(j->reply, 1, m, u->arg);
		cmd_job_status(j, m == CMD_NO_GROUP && u->kind == UNIT_START ?
		    TEND_EXIT_INVALID_ARGS : TEND_EXIT_GENERIC);
	}
	/* all/group: only those the verb applies to, silently. */
	for (i = k = 0; m == CMD_SET && i < n; i++)
		if (proc_is_running_state(list[i]->p.state) ==
		    (u->kind == UNIT_STOP))
			list[k++] = list[i];
	if (m == CMD_SET)
		n = k;
	qsort(list, n, sizeof(*list), supervisor_start_order);
	if (u->kind == UNIT_STOP) {	/* reverse priority */
		for (i = 0; i < n / 2; i++) {
			struct sv_proc	*t = list[i];

			list[i] = list[n - 1 - i];
			list[n - 1 - i] = t;
		}
	}
	for (i = 0; i < n; i++)
		cmd_unit_add_item(u, list[i]);
	for (i = 0; i < u->nitems; i++) {
		struct item	*it = &u->items[i];

		it->done = u->kind == UNIT_START ? cmd_start_begin(j, it->sp) :
		    cmd_stop_begin(j, it->sp);
	}
	free(list);
}

/* An update unit: its lines once its group has settled. */
static bool
cmd_update_check(struct supervisor *sv, struct job *j, struct unit *u)
{
	if (!supervisor_group_settled(sv, u->arg))
		return false;
	switch (u->update) {
	case UPDATE_REMOVED:
		control_line(j->reply, 1, "%s: stopped", u->arg);
		control_line(j->reply, 1, "%s: removed process group", u->arg);
		break;
	case UPDATE_CHANGED:
		control_line(j->reply, 1, "%s: stopped", u->arg);
		control_line(j->reply, 1, "%s: updated process group", u->arg);
		break;
	case UPDATE_ADDED:
		control_line(j->reply, 1, "%s: added process group", u->arg);
		break;
	}
	return true;
}

/* Check the processes a unit waits on; true when all answered. */
static bool
cmd_unit_check(struct supervisor *sv, struct job *j, struct unit *u)
{
	size_t	i;
	bool	all_done = true;

	if (u->kind == UNIT_UPDATE)
		return cmd_update_check(sv, j, u);

	for (i = 0; i < u->nitems; i++) {
		struct item	*it = &u->items[i];

		if (it->done)
			continue;
		if (it->sp == NULL)
			it->done = true;
		else if (u->kind == UNIT_START)
			it->done = cmd_start_check(j, it->sp);
		else
			it->done = cmd_stop_check(j, it->sp);
		if (!it->done)
			all_done = false;
	}
	return all_done;
}

/* Move a job as far as it can go; finish it at the end. */
static void
cmd_job_run(struct commands *cmds, struct job *j)
{
	struct supervisor	*sv = cmds->sv;
	struct job		**pp;

	while (j->cur < j->nunits) {
		struct unit	*u = &j->units[j->cur];

		if (!u->active)
			cmd_unit_activate(sv, j, u);
		if (!cmd_unit_check(sv, j, u))
			return;
		j->cur++;
	}
	for (pp = &cmds->jobs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	}
	control_finish(j->reply, j->exitcode);
	cmd_job_free(j);
}

/* Queue a job for c; the caller adds its units, then runs it. */
static struct job *
cmd_job_new(struct commands *cmds, struct control_reply *c)
{
	struct job	*j = xcalloc(1, sizeof(*j));

	j->reply = c;
	j->next = cmds->jobs;
	cmds->jobs = j;
	return j;
}

/* See commands.h. A change that happens while jobs run (a start that
 * fails at once) only asks for another pass (struct commands). */
void
commands_poke(struct commands *cmds)
{
	struct job	*j, *next;

	if (cmds->running) {
		cmds->rerun = true;
		return;
	}
	cmds->running = true;
	do {
		cmds->rerun = false;
		for (j = cmds->jobs; j != NULL; j = next) {
			next = j->next;
			cmd_job_run(cmds, j);
		}
	} while (cmds->rerun);
	cmds->running = false;
}

/* See commands.h. */
void
commands_forget(struct commands *cmds, struct sv_proc *sp)
{
	struct job	*j;
	size_t		 u, i;

	for (j = cmds->jobs; j != NULL; j = j->next)
		for (u = 0; u < j->nunits; u++)
			for (i = 0; i < j->units[u].nitems; i++)
				if (j->units[u].items[i].sp == sp)
					j->units[u].items[i].sp = NULL;
}

/* See commands.h. */
struct commands *
commands_new(struct supervisor *sv)
{
	struct commands	*cmds = xcalloc(1, sizeof(*cmds));

	cmds->sv = sv;
	return cmds;
}

/* See commands.h. */
void
commands_free(struct commands *cmds)
{
	struct job	*j;

	if (cmds == NULL)
		return;
	while ((j = cmds->jobs) != NULL) {
		cmds->jobs = j->next;
		control_finish(j->reply, TEND_EXIT_GENERIC);
		cmd_job_free(j);
	}
	free(cmds);
}

/* See commands.h. */
void
commands_abort(struct commands *cmds, const char *why)
{
	struct job	*j;

	while ((j = cmds->jobs) != NULL) {
		cmds->jobs = j->next;
		control_line(j->reply, 2, "%s", why);
		control_finish(j->reply, TEND_EXIT_GENERIC);
		cmd_job_free(j);
	}
}

/* ---- verbs ---- */

/* A unit of kind for every name of the request. */
static void
cmd_job_add_names(struct job *j, enum unit_kind kind, const struct cmd_req *r)
{
	int	i;

	for (i = 0; i < r->nnames; i++)
		cmd_job_add(j, kind, r->names[i]);
}

/* start NAME...|GROUP:*|all */
static void
cmd_start(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct job	*j = cmd_job_new(r->cmds, c);

	(void)sv;
	cmd_job_add_names(j, UNIT_START, r);
	cmd_job_run(r->cmds, j);
}

/* stop NAME...|GROUP:*|all */
static void
cmd_stop(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct job	*j = cmd_job_new(r->cmds, c);

	(void)sv;
	cmd_job_add_names(j, UNIT_STOP, r);
	cmd_job_run(r->cmds, j);
}

/* restart: stop, then start, with the same arguments. */
static void
cmd_restart(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct job	*j = cmd_job_new(r->cmds, c);

	(void)sv;
	cmd_job_add_names(j, UNIT_STOP, r);
	cmd_job_add_names(j, UNIT_START, r);
	cmd_job_run(r->cmds, j);
}

/* Append s to b as a JSON string. */
static void
cmd_json_string(struct buf *b, const char *s)
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
cmd_status_json(struct control_reply *c, const struct sv_proc *sp,
    const char *name, const char *desc, time_t now, bool more)
{
	struct buf	b;
	long long	uptime = 0;

	if (sp->p.state == PROC_RUNNING && sp->p.start_wall != 0 &&
	    now > sp->p.start_wall)
		uptime = (long long)(now - sp->p.start_wall);
	buf_init(&b);
	buf_addstr(&b, "{\"name\":");
	cmd_json_string(&b, name);
	buf_addstr(&b, ",\"group\":");
	cmd_json_string(&b, sp->p.prog->group_name);
	buf_addstr(&b, ",\"process\":");
	cmd_json_string(&b, sp->p.name);
	buf_addstr(&b, ",\"state\":");
	cmd_json_string(&b, proc_state_name(sp->p.state));
	buf_printf(&b, ",\"pid\":%ld,\"uptime\":%lld,\"exitstatus\":%d,"
	    "\"start\":%lld,\"restarts\":%lu,\"description\":",
	    (long)sp->p.pid, uptime, sp->p.exitstatus,
	    (long long)sp->p.start_wall, sp->p.restarts);
	cmd_json_string(&b, desc);
	buf_printf(&b, ",\"healthy\":%s,\"health_failures\":%u",
	    sp->p.prog->health.kind == HEALTH_NONE || sp->health.healthy < 0 ?
	    "null" : sp->health.healthy ? "true" : "false",
	    sp->health.failures);
	buf_printf(&b, "}%s", more ? "," : "");
	control_line(c, 1, "%s", b.data);
	buf_free(&b);
}

/* STARTING without a pid, held by depends_on: say for what. */
static void
cmd_dep_wait(const struct sv_proc *sp, char *out, size_t len)
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

/* What its health probes say, after the rest of desc: nothing while
 * they pass, so that the line stays supervisord's. */
static void
cmd_health(const struct sv_proc *sp, char *desc, size_t len)
{
	char	h[320];
	size_t	n = strlen(desc);

	healthstate_describe(&sp->health, sp->p.prog, h, sizeof(h));
	if (h[0] != '\0')
		(void)snprintf(desc + n, len - n, "%s%s", n > 0 ? ", " : "",
		    h);
}

/* status [--json] [NAME|GROUP:*...|all] */
static void
cmd_status(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct sv_proc	**match, **found;
	char		  name[VERBS_NAMESPEC_SIZE], desc[512];
	char		 *all[] = { "all" }, **names = r->names;
	size_t		  i, k, n = 0, nfound, width = 30, len;
	int		  a, nnames = r->nnames, code = 0;
	enum cmd_match	  m;
	bool		  json;
	time_t		  now = time(NULL);

	/* errors to stderr: stdout stays JSON */
	json = r->argc > 1 && strcmp(r->argv[1], "--json") == 0;
	if (nnames == 0) {
		names = all;
		nnames = 1;
	}
	match = xcalloc(sv->nprocs * (size_t)nnames + 1, sizeof(*match));
	for (a = 0; a < nnames; a++) {
		m = cmd_select(sv, names[a], true, &found, &nfound);
		if (m == CMD_NO_PROCESS || m == CMD_NO_GROUP) {
			cmd_no_such(c, json ? 2 : 1, m, names[a]);
			code = TEND_EXIT_STATUS_UNKNOWN;
		}
		for (k = 0; k < nfound; k++)
			match[n++] = found[k];
		free(found);
	}
	for (i = 0; i < n; i++) {
		len = strlen(cmd_namespec(match[i], name, sizeof(name)));
		if (len > width)
			width = len;
	}
	if (json)
		control_line(c, 1, "[");
	for (i = 0; i < n; i++) {
		(void)cmd_namespec(match[i], name, sizeof(name));
		proc_describe(&match[i]->p, now, desc, sizeof(desc));
		if (match[i]->dep_wait)
			cmd_dep_wait(match[i], desc, sizeof(desc));
		cmd_health(match[i], desc, sizeof(desc));
		if (json) {
			cmd_status_json(c, match[i], name, desc, now,
			    i + 1 < n);
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
		control_line(c, 1, "%-*s%-10s%s", (int)width + 3, name,
		    proc_state_name(match[i]->p.state), desc);
		if (proc_is_stopped_state(match[i]->p.state))
			code = TEND_EXIT_STATUS_NOT_RUNNING;
	}
	if (json)
		control_line(c, 1, "]");
	free(match);
	control_finish(c, code);
}

/* pid [NAME...|all] */
static void
cmd_pid(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct sv_proc	**found;
	size_t		  k, nfound;
	int		  a, code = 0;

	if (r->nnames == 0)
		control_line(c, 1, "%ld", (long)getpid());
	for (a = 0; a < r->nnames; a++) {
		if (cmd_select(sv, r->names[a], false, &found, &nfound) ==
		    CMD_NO_PROCESS) {
			control_line(c, 1, "No such process %s", r->names[a]);
			code = TEND_EXIT_GENERIC;
		}
		for (k = 0; k < nfound; k++) {
			control_line(c, 1, "%ld", (long)found[k]->p.pid);
			/* pid all says nothing about the stopped ones */
			if (found[k]->p.pid == 0 &&
			    strcmp(r->names[a], "all") != 0)
				code = TEND_EXIT_NOT_RUNNING;
		}
		free(found);
	}
	control_finish(c, code);
}

/* Signal one process; the result line and status. */
static void
cmd_signal_one(struct control_reply *c, struct sv_proc *sp, int sig, int *code)
{
	char	name[VERBS_NAMESPEC_SIZE];

	(void)cmd_namespec(sp, name, sizeof(name));
	if (sig == -1) {
		control_line(c, 1, "%s: ERROR (bad signal name)", name);
		*code = TEND_EXIT_GENERIC;
	} else if (!proc_is_running_state(sp->p.state) || sp->p.pid == 0) {
		control_line(c, 1, "%s: ERROR (not running)", name);
		*code = TEND_EXIT_NOT_RUNNING;
	} else if (supervisor_signal(sp, sig) == -1) {
		control_line(c, 1, "%s: ERROR (failed)", name);
		*code = TEND_EXIT_GENERIC;
	} else {
		control_line(c, 1, "%s: signalled", name);
	}
}

/* signal SIG NAME...|GROUP:*|all */
static void
cmd_signal(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct sv_proc	**found;
	size_t		  k, nfound;
	int		  a, sig = signal_parse(r->argv[1]), code = 0;
	enum cmd_match	  m;

	for (a = 0; a < r->nnames; a++) {
		m = cmd_select(sv, r->names[a], true, &found, &nfound);
		if (m == CMD_NO_PROCESS || m == CMD_NO_GROUP) {
			cmd_no_such(c, 1, m, r->names[a]);
			code = TEND_EXIT_GENERIC;
		}
		for (k = 0; k < nfound; k++)
			if (m == CMD_PROCESS ||
			    proc_is_running_state(found[k]->p.state))
				cmd_signal_one(c, found[k], sig, &code);
		free(found);
	}
	control_finish(c, code);
}

/* shutdown: answer, then stop everything and leave. */
static void
cmd_shutdown(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	(void)r;
	if (sv->shutting_down) {
		control_line(c, 1, "ERROR: already shutting down");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	control_line(c, 1, "Shut down");
	control_finish(c, 0);
	supervisor_shutdown(sv);
}

/* version */
static void
cmd_version(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	(void)sv;
	(void)r;
	control_line(c, 1, "%s", PACKAGE_VERSION);
	control_finish(c, 0);
}

/* metrics: the Prometheus text exposition of every process (stats.c). */
static void
cmd_metrics(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct buf	 b;

	(void)r;
	buf_init(&b);
	stats_metrics(sv, true, &b);
	cmd_lines(c, b.data);	/* metrics.c ends every line */
	buf_free(&b);
	control_finish(c, 0);
}

/* ---- configuration verbs: avail, reread, update, add, remove, reload ---- */

/* The config could not be read: supervisorctl's CANT_REREAD fault, one
 * line per error (each FILE:LINE: ...). */
static void
cmd_cant_reread(struct control_reply *c, struct strlist *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++)
		control_line(c, 1, "ERROR: CANT_REREAD: %s", errs->v[i]);
	strlist_free(errs);
	control_finish(c, TEND_EXIT_GENERIC);
}

/* One line of avail. */
struct avail_row {
	const struct program	*p;
	const struct group_conf	*g;
};

/* avail's order: by process name, then as supervisord keeps groups. */
static int
cmd_avail_cmp(const void *a, const void *b)
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
cmd_avail(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	const struct config	*cfg = sv->config;
	struct avail_row	*rows;
	char			 name[VERBS_NAMESPEC_SIZE], prio[64];
	size_t			 i, k, n = 0;

	(void)r;
	if (sv->shutting_down) {
		control_line(c, 1, "ERROR: supervisor shutting down");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	rows = xcalloc(cfg->nprogs + 1, sizeof(*rows));
	for (i = 0; i < cfg->ngroups; i++) {
		for (k = 0; k < cfg->groups[i].nprocs; k++) {
			rows[n].p = &cfg->progs[cfg->groups[i].first + k];
			rows[n++].g = &cfg->groups[i];
		}
	}
	qsort(rows, n, sizeof(*rows), cmd_avail_cmp);
	for (i = 0; i < n; i++) {
		const struct program	*p = rows[i].p;

		(void)verbs_namespec(p->group_name, p->name, name,
		    sizeof(name));
		(void)snprintf(prio, sizeof(prio), "%d:%d",
		    rows[i].g->priority, p->priority);
		control_line(c, 1, "%-32s %-9s %-9s %s", name,
		    supervisor_group_active(sv, p->group_name) ? "in use" :
		    "avail", p->autostart ? "auto" : "manual", prio);
	}
	free(rows);
	control_finish(c, 0);
}

/* One line of reread. */
struct change_row {
	const char	*group;
	const char	*what;
};

static int
cmd_change_cmp(const void *a, const void *b)
{
	return strcmp(((const struct change_row *)a)->group,
	    ((const struct change_row *)b)->group);
}

/* reread: what update would do, sorted by group, without doing it. */
static void
cmd_reread(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct strlist		 lists[3] = { { NULL, 0 }, { NULL, 0 },
				    { NULL, 0 } }, errs = { NULL, 0 };
	static const char *const what[3] = { "available", "changed",
				    "disappeared" };
	struct change_row	*rows;
	size_t			 i, l, n = 0;

	(void)r;
	if (sv->shutting_down) {
		control_line(c, 1, "ERROR: supervisor shutting down");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	if (supervisor_reread(sv, &errs) == -1) {
		cmd_cant_reread(c, &errs);
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
	qsort(rows, n, sizeof(*rows), cmd_change_cmp);
	for (i = 0; i < n; i++)
		control_line(c, 1, "%s: %s", rows[i].group, rows[i].what);
	if (n == 0)
		control_line(c, 1, "No config updates to processes");
	free(rows);
	for (l = 0; l < 3; l++)
		strlist_free(&lists[l]);
	control_finish(c, 0);
}

/* s is one of v[0 .. n - 1]. */
static bool
cmd_has(char *const *v, int n, const char *s)
{
	int	a;

	for (a = 0; a < n; a++)
		if (strcmp(v[a], s) == 0)
			return true;
	return false;
}

/* update [all|GROUP...]: reread, then apply the difference group by group
 * (within a group, process by process: what did not change keeps
 * running), printing what supervisorctl prints. */
static void
cmd_update(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct strlist	 lists[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	struct strlist	 errs = { NULL, 0 };
	/* supervisorctl's order: removed, changed, added */
	static const enum update_kind kinds[3] = { UPDATE_REMOVED,
			    UPDATE_CHANGED, UPDATE_ADDED };
	struct job	*j;
	size_t		 i, l;
	int		 a, code = 0;
	bool		 all = r->all || r->nnames == 0;

	if (sv->shutting_down) {
		control_line(c, 1, "ERROR: already shutting down");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	if (supervisor_reread(sv, &errs) == -1) {
		cmd_cant_reread(c, &errs);
		return;
	}
	supervisor_diff(sv, &lists[2], &lists[1], &lists[0]);
	for (a = 0; !all && a < r->nnames; a++) {
		if (cmd_has(r->names, a, r->names[a]) ||
		    supervisor_group_active(sv, r->names[a]) ||
		    cmd_has(lists[2].v, (int)lists[2].n, r->names[a]))
			continue;
		control_line(c, 1, "ERROR: no such group: %s", r->names[a]);
		code = TEND_EXIT_GENERIC;
	}
	j = cmd_job_new(r->cmds, c);
	j->exitcode = code;
	for (l = 0; l < 3; l++) {
		for (i = 0; i < lists[l].n; i++) {
			if (!all && !cmd_has(r->names, r->nnames,
			    lists[l].v[i]))
				continue;
			cmd_job_add(j, UNIT_UPDATE, lists[l].v[i]);
			j->units[j->nunits - 1].update = kinds[l];
		}
		strlist_free(&lists[l]);
	}
	cmd_job_run(r->cmds, j);
}

/* add GROUP...: start using a group of the configuration last read. */
static void
cmd_add(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	char	**argv = r->names;
	int	  a, code = 0;

	for (a = 0; a < r->nnames; a++) {
		if (sv->shutting_down) {
			control_line(c, 1, "ERROR: shutting down");
			code = TEND_EXIT_GENERIC;
		} else if (config_find_group(sv->config, argv[a]) == NULL) {
			control_line(c, 1, "ERROR: no such process/group: %s",
			    argv[a]);
			code = TEND_EXIT_GENERIC;
		} else if (supervisor_group_active(sv, argv[a])) {
			control_line(c, 1, "ERROR: process group already "
			    "active");
		} else {
			supervisor_apply_group(sv, argv[a]);
			control_line(c, 1, "%s: added process group", argv[a]);
		}
	}
	control_finish(c, code);
}

/* remove GROUP...: stop using a group whose processes are all stopped. */
static void
cmd_remove(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	char	**argv = r->names;
	int	  a, code = 0;

	for (a = 0; a < r->nnames; a++) {
		switch (supervisor_remove_group(sv, argv[a])) {
		case 0:
			control_line(c, 1, "%s: removed process group",
			    argv[a]);
			break;
		case 1:
			control_line(c, 1, "ERROR: process/group still "
			    "running: %s", argv[a]);
			code = TEND_EXIT_GENERIC;
			break;
		default:
			control_line(c, 1, "ERROR: no such process/group: %s",
			    argv[a]);
			code = TEND_EXIT_GENERIC;
			break;
		}
	}
	control_finish(c, code);
}

/* reload: stop everything, then tendd starts again (same pid) and reads
 * everything anew, as supervisord does. A config that does not load is
 * refused first, so a reload never leaves nothing running. */
static void
cmd_reload(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct strlist		 errs = { NULL, 0 };
	struct config_opts	 opts;
	struct config		*nc;

	(void)r;
	if (sv->shutting_down) {
		control_line(c, 1, "ERROR: already shutting down");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	memset(&opts, 0, sizeof opts);
	opts.strict = sv->config_strict;
	if ((nc = config_load_opts(sv->config_path, &opts, &errs, NULL)) ==
	    NULL ||
	    supervisor_check_dirs(nc, true, &errs) == -1) {
		config_free(nc);
		cmd_cant_reread(c, &errs);
		return;
	}
	config_free(nc);
	control_line(c, 1, "Restarted supervisord");
	control_finish(c, 0);
	log_warnx("restart requested: stopping everything, then starting "
	    "again");
	sv->reexec = true;
	supervisor_shutdown(sv);
}

/* clear NAME...|all: each process's log files, by logcmd.c. */
static void
cmd_clear(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	struct sv_proc	**found;
	char		  name[VERBS_NAMESPEC_SIZE];
	size_t		  k, nfound;
	int		  a, code = 0;
	enum cmd_match	  m;

	for (a = 0; a < r->nnames; a++) {
		m = cmd_select(sv, r->names[a], false, &found, &nfound);
		if (m == CMD_NO_PROCESS) {
			cmd_no_such(c, 1, m, r->names[a]);
			code = TEND_EXIT_GENERIC;
		}
		for (k = 0; k < nfound; k++)
			if (logcmd_clear(c, found[k], m == CMD_SET ?
			    cmd_namespec(found[k], name, sizeof(name)) :
			    r->names[a]) != 0)
				code = TEND_EXIT_GENERIC;
		free(found);
	}
	control_finish(c, code);
}

/* tail [-f] [-BYTES] NAME [stdout|stderr] (logcmd.c) */
static void
cmd_tail(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	logcmd_tail(sv, c, r->argc, r->argv);
}

/* maintail [-f|-BYTES] (logcmd.c) */
static void
cmd_maintail(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	logcmd_maintail(sv, c, r->argc, r->argv);
}

/* reopen (logcmd.c) */
static void
cmd_reopen(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	(void)r;
	logcmd_reopen(sv, c);
}

/* reexec [PATH]: reexec.c checks the binary and execs it; the new image
 * finishes the reply. */
static void
cmd_reexec(struct supervisor *sv, struct control_reply *c,
    const struct cmd_req *r)
{
	if (sv->hooks.reexec == NULL) {
		control_line(c, 2, "ERROR: this tendd cannot re-exec");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	sv->hooks.reexec(sv->hooks.arg, c, r->argc > 1 ? r->argv[1] : NULL);
}

/* The handler of a verb, NULL for tendctl's own (VERB_CLIENT). A switch
 * without default: the compiler names a verb added to the table and
 * forgotten here. */
static cmd_fn
cmd_handler(enum verb_id id)
{
	switch (id) {
	case VERB_ADD:		return cmd_add;
	case VERB_AVAIL:	return cmd_avail;
	case VERB_CLEAR:	return cmd_clear;
	case VERB_MAINTAIL:	return cmd_maintail;
	case VERB_METRICS:	return cmd_metrics;
	case VERB_PID:		return cmd_pid;
	case VERB_REEXEC:	return cmd_reexec;
	case VERB_RELOAD:	return cmd_reload;
	case VERB_REMOVE:	return cmd_remove;
	case VERB_REOPEN:	return cmd_reopen;
	case VERB_REREAD:	return cmd_reread;
	case VERB_RESTART:	return cmd_restart;
	case VERB_SHUTDOWN:	return cmd_shutdown;
	case VERB_SIGNAL:	return cmd_signal;
	case VERB_START:	return cmd_start;
	case VERB_STATUS:	return cmd_status;
	case VERB_STOP:		return cmd_stop;
	case VERB_TAIL:		return cmd_tail;
	case VERB_UPDATE:	return cmd_update;
	case VERB_VERSION:	return cmd_version;
	case VERB_EDIT:
	case VERB_EXIT:
	case VERB_HELP:
	case VERB_QUIT:
	case VERB_TOP:
		break;
	}
	return NULL;
}

/* See commands.h. */
void
commands_dispatch(struct commands *cmds, struct control_reply *c, int argc,
    char **argv)
{
	static char		*all[] = { "all" };
	const struct verb	*v = verbs_find(argv[0]);
	struct cmd_req		 r = { cmds, v, argc, argv, NULL, 0, false };
	struct buf		 b;
	cmd_fn			 fn = v != NULL ? cmd_handler(v->id) : NULL;
	int			 i;

	buf_init(&b);
	if (fn == NULL) {
		for (i = 0; i < argc; i++)
			buf_printf(&b, "%s%s", i > 0 ? " " : "", argv[i]);
		control_line(c, 1, "*** Unknown syntax: %s", b.data);
		buf_free(&b);
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	if (verbs_arity_error(v, argc - 1, &b)) {
		control_line(c, 1, "%s", b.data);
		buf_reset(&b);
		verbs_help(&b, v->name);
		cmd_lines(c, b.data);
		buf_free(&b);
		control_finish(c, v->arity_exit);
		return;
	}
	buf_free(&b);
	i = verbs_first_name(v, argc, argv);
	r.names = argv + i;
	r.nnames = argc - i;
	/* `all` stands for every name, the others do not matter */
	if ((v->flags & VERB_ALL) != 0 && cmd_has(r.names, r.nnames, "all")) {
		r.names = all;
		r.nnames = 1;
		r.all = true;
	}
	/* a change the handler makes (its job starting processes) must not
	 * run that job re-entered: it asks for a pass once it returns */
	cmds->running = true;
	fn(cmds->sv, c, &r);
	cmds->running = false;
	if (cmds->rerun)
		commands_poke(cmds);
}
