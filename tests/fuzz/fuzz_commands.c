/* fuzz_commands: bytes -> argv -> commands_dispatch() of a real supervisor
 * (supervisor.c, commands.c, logcmd.c, spawn.c ... as tendd links them,
 * and its hooks wired to the verbs as tendd.c wires them):
 * every verb's argument handling, names, GROUP:NAME, GROUP:*, `all`, the
 * jobs that wait on processes, reread and update of the file on disk.
 * control.c is replaced by the control_* reply functions below, which
 * record the reply instead of writing it to a FIFO.
 *
 * Nothing is ever spawned: every program's command is a path that does
 * not exist, which spawn_check() refuses before any fork (a start ends in
 * a spawn error, as the real tendd reports it), and nothing runs, so a
 * signal is sent to no one. tendd's libev loop is real and turned a few
 * times after each request.
 *
 * The input: its first byte picks a verb of the table (below 0xf0), or
 * says that argv[0] is in the input too (0xf0 and up); the rest is split
 * at NUL bytes into at most 32 arguments (empty ones too). Asserts:
 * every request is answered exactly once (control_finish), with nothing
 * written after it and nothing on a stream other than stdout or stderr,
 * once tail -f followers are ended (logcmd_shutdown) and the jobs still
 * waiting are abandoned (commands_free), as tendd does at exit. */
#include <sys/stat.h>

#include <ev.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "control.h"
#include "depends.h"
#include "log.h"
#include "logcmd.h"
#include "orphans.h"
#include "shutdown.h"
#include "stats.h"
#include "supervisor.h"
#include "util.h"
#include "verbs.h"

/* ---- control.c's reply channel, recorded ---- */

struct control_reply {
	struct buf	 out;
	unsigned	 finished;	/* control_finish calls */
	int		 code;
	bool		 streaming;
};

void
control_line(struct control_reply *c, int stream, const char *fmt, ...)
{
	va_list	ap;

	if (c->finished || (stream != 1 && stream != 2))
		abort();
	va_start(ap, fmt);
	if (c->out.len < 1 << 20)
		buf_vprintf(&c->out, fmt, ap);
	va_end(ap);
	buf_addc(&c->out, '\n');
}

void
control_finish(struct control_reply *c, int code)
{
	if (c->finished++ != 0 || code < 0 || code > 255)
		abort();
	c->code = code;
}

void
control_data(struct control_reply *c, const void *data, size_t len)
{
	if (c->finished)
		abort();
	if (c->out.len < 1 << 20)
		buf_add(&c->out, data, len);
}

size_t
control_pending(const struct control_reply *c)
{
	(void)c;
	return 0;
}

bool
control_gone(struct control_reply *c)
{
	(void)c;
	return false;
}

void
control_set_streaming(struct control_reply *c)
{
	if (c->finished)
		abort();
	c->streaming = true;
}

/* ---- the supervisor's hooks, as tendd.c wires them ---- */

/* What tendd.c's struct tendd holds, for one request. */
struct layers {
	struct commands		*cmds;
	struct stats		*stats;
	struct supervisor	*sv;
};

static void
fuzz_changed(void *arg)
{
	struct layers	*l = arg;

	if (l->cmds != NULL)
		commands_poke(l->cmds);
	stats_changed(l->stats);
	if (l->sv->shutting_down)
		shutdown_step(l->sv);
}

static void
fuzz_forget(struct sv_proc *sp, void *arg)
{
	struct layers	*l = arg;

	if (l->cmds != NULL)
		commands_forget(l->cmds, sp);
}

/* No reply is ever left to write (shutdown waits for this). */
static bool
fuzz_idle(void *arg)
{
	(void)arg;
	return true;
}

static void
fuzz_stopping(void *arg)
{
	(void)arg;
	logcmd_shutdown();
}

/* ---- the supervisor ---- */

static const char conf_text[] =
    "[tend]\n"
    "control = %s/control\n"
    "childlogdir = %s/log\n"
    "\n"
    "[program:web]\n"
    "command = /nonexistent/tend-fuzz/web --port 80\n"
    "autostart = false\n"
    "startretries = 1\n"
    "\n"
    "[program:w]\n"
    "command = /nonexistent/tend-fuzz/w %%(process_num)d\n"
    "process_name = w%%(process_num)d\n"
    "numprocs = 3\n"
    "autostart = false\n"
    "\n"
    "[program:a]\n"
    "command = /nonexistent/tend-fuzz/a\n"
    "autostart = false\n"
    "priority = 5\n"
    "\n"
    "[program:b]\n"
    "command = /nonexistent/tend-fuzz/b\n"
    "autostart = false\n"
    "depends_on = a\n"
    "redirect_stderr = true\n"
    "\n"
    "[group:g]\n"
    "programs = a,b\n";

static struct ev_loop	*loop;
static char		*conf_path;

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir, *logdir, *text;
	FILE		*fp;

	log_init("fuzz_commands", LOG_LVL_CRIT, true);
	dir = xasprintf("%s/fuzz_commands.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	logdir = xasprintf("%s/log", dir);
	if (mkdir(logdir, 0700) == -1)
		abort();
	conf_path = xasprintf("%s/tend.ini", dir);
	text = xasprintf(conf_text, dir, dir);
	if ((fp = fopen(conf_path, "w")) == NULL || fputs(text, fp) < 0 ||
	    fclose(fp) != 0)
		abort();
	free(text);
	free(logdir);
	free(dir);
	loop = ev_default_loop(EVFLAG_AUTO);
	if (loop == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist		 errs = { NULL, 0 };
	struct layers		 l = { NULL, NULL, NULL };
	struct sv_hooks		 hooks = { .may_spawn = depends_gate,
				    .moved = depends_after,
				    .spawned = orphans_record,
				    .ended = shutdown_ended_by,
				    .changed = fuzz_changed,
				    .forget = fuzz_forget, .idle = fuzz_idle,
				    .stopping = fuzz_stopping, .arg = &l };
	struct config		*c;
	struct control_reply	 cl;
	char			*text, *argv[33];
	size_t			 n, at;
	int			 argc = 0, i;

	if (size == 0 || size > 4096)
		return 0;
	if (loop == NULL)
		setup();
	text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] < 0xf0)
		argv[argc++] = (char *)(uintptr_t)verbs_get((enum verb_id)
		    (data[0] % VERB_COUNT))->name;
	n = size - 1;
	for (at = 0; n > 0 && at <= n && argc < 32; at += strlen(text + at) + 1)
		argv[argc++] = text + at;
	argv[argc] = NULL;
	if (argc == 0) {
		free(text);
		return 0;
	}

	if ((c = config_load(conf_path, &errs, NULL)) == NULL)
		abort();
	l.sv = supervisor_new(loop, conf_path, c, &hooks);
	depends_init(l.sv);
	orphans_init(l.sv);
	shutdown_init(l.sv);
	l.cmds = commands_new(l.sv);
	l.stats = stats_new(l.sv);
	memset(&cl, 0, sizeof cl);
	buf_init(&cl.out);

	commands_dispatch(l.cmds, &cl, argc, argv);
	for (i = 0; i < 3; i++)
		(void)ev_run(loop, EVRUN_NOWAIT);

	/* tendd's teardown, from the top down */
	logcmd_shutdown();
	commands_free(l.cmds);
	l.cmds = NULL;
	stats_free(l.stats);
	l.stats = NULL;
	shutdown_free(l.sv);
	orphans_free(l.sv);
	depends_free(l.sv);
	supervisor_free(l.sv);
	if (cl.finished != 1)
		abort();
	if (getenv("FUZZ_COMMANDS_SHOW") != NULL)	/* to look at a seed */
		(void)fprintf(stderr, "%s[exit %d]\n", cl.out.data != NULL ?
		    cl.out.data : "", cl.code);
	buf_free(&cl.out);
	free(text);
	return 0;
}
