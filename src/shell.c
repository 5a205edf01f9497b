/* shell.c: tendctl's interactive mode, as supervisorctl's: `status` first,
 * then a "tend> " prompt with line editing, history and completion (libedit,
 * when standard input is a terminal), each line run as one tendctl command;
 * quit, exit or end of input leave. Verbs for completion come from the
 * daemon's own `help` (its command table is the one list of verbs), process
 * and group names from `status`, asked again after every command. */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cmdline.h"
#include "shell.h"
#include "tendctl.h"
#include "util.h"

#define SHELL_PROMPT	"tend> "
#define SHELL_HISTORY	1000	/* lines kept */

static const char	*shell_fifo;
static struct strlist	 shell_verbs;	/* from `help` */
static struct strlist	 shell_procs;	/* namespecs and GROUP:* */
static struct strlist	 shell_groups;
static bool		 shell_have_names;
static const struct strlist *shell_list;	/* what is being completed */
static size_t		 shell_next;

/* Add s to l unless it is there. */
static void
shell_add(struct strlist *l, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && strncmp(l->v[i], s, len) == 0)
			return;
	strlist_addf(l, "%.*s", (int)len, s);
}

/* The verbs, from the table `help` prints (the lines after the ===== one,
 * up to the empty line). */
static void
shell_load_verbs(void)
{
	char		*argv[] = { "help", NULL };
	struct buf	 out;
	const char	*p, *e;
	bool		 table = false;

	buf_init(&out);
	(void)ctl_run_capture(shell_fifo, 1, argv, &out);
	for (p = out.data; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if (strncmp(p, "=====", 5) == 0) {
			table = true;
			continue;
		}
		if (table && e == p)
			break;
		while (table && p < e) {
			size_t	n = strcspn(p, " \n");

			if (n > 0)
				shell_add(&shell_verbs, p, n);
			p += n;
			p += strspn(p, " ");
		}
	}
	shell_add(&shell_verbs, "help", 4);
	buf_free(&out);
}

/* Process and group names, from `status` (cached until the next command,
 * as supervisorctl does). */
static void
shell_load_names(void)
{
	char		*argv[] = { "status", NULL };
	struct buf	 out;
	const char	*p, *e, *colon;
	size_t		 n;

	if (shell_have_names)
		return;
	strlist_free(&shell_procs);
	strlist_free(&shell_groups);
	buf_init(&out);
	(void)ctl_run_capture(shell_fifo, 1, argv, &out);
	for (p = out.data; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		n = strcspn(p, " \n");
		if (n == 0)
			continue;
		if (memmem(p, (size_t)(e - p), ": ERROR", 7) != NULL)
			continue;
		colon = memchr(p, ':', n);
		shell_add(&shell_procs, p, n);
		if (colon != NULL) {
			char	*star = xasprintf("%.*s:*", (int)(colon - p), p);

			shell_add(&shell_procs, star, strlen(star));
			free(star);
			shell_add(&shell_groups, p, (size_t)(colon - p));
		} else
			shell_add(&shell_groups, p, n);
	}
	buf_free(&out);
	shell_have_names = true;
}

/* libedit's generator: the next entry of shell_list starting with text. */
static char *
shell_generate(const char *text, int state)
{
	size_t	len = strlen(text);

	if (state == 0)
		shell_next = 0;
	while (shell_list != NULL && shell_next < shell_list->n) {
		const char	*s = shell_list->v[shell_next++];

		if (strncmp(s, text, len) == 0)
			return strdup(s);	/* libedit frees it */
	}
	return NULL;
}

/* Completion: a verb first; then, after help a verb, after add, remove
 * and update a group, after the verbs that act on processes a process
 * name (supervisorctl's rules). */
static char **
shell_complete(const char *text, int start, int end)
{
	static const char *const procverbs[] = { "clear", "fg", "pid",
		"restart", "signal", "start", "status", "stop", "tail",
	};
	const char	*line = rl_line_buffer;
	size_t		 vlen, i;
	int		 s = 0;

	(void)end;
	rl_attempted_completion_over = 1;	/* never file names */
	while (s < start && (line[s] == ' ' || line[s] == '\t'))
		s++;
	shell_list = NULL;
	if (s >= start)
		shell_list = &shell_verbs;
	else {
		vlen = strcspn(line + s, " \t");
		if (vlen == 4 && strncmp(line + s, "help", 4) == 0)
			shell_list = &shell_verbs;
		else if ((vlen == 3 && strncmp(line + s, "add", 3) == 0) ||
		    (vlen == 6 && strncmp(line + s, "remove", 6) == 0) ||
		    (vlen == 6 && strncmp(line + s, "update", 6) == 0)) {
			shell_load_names();
			shell_list = &shell_groups;
		}
		for (i = 0; i < nitems(procverbs) && shell_list == NULL; i++) {
			if (vlen == strlen(procverbs[i]) &&
			    strncmp(line + s, procverbs[i], vlen) == 0) {
				shell_load_names();
				shell_list = &shell_procs;
			}
		}
	}
	return rl_completion_matches(text, shell_generate);
}

/* One line from standard input (prompt printed), or NULL at its end. */
static char *
shell_read(bool tty, const char *prompt)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;

	if (tty)
		return readline(prompt);
	(void)fputs(prompt, stdout);
	(void)fflush(stdout);
	if ((n = getline(&line, &cap, stdin)) == -1) {
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	return line;
}

/* reload and shutdown ask first, as supervisorctl's shell does. */
static bool
shell_confirm(bool tty, const char *verb, int argc)
{
	const char	*q;
	char		*answer;
	bool		 yes;

	if (argc != 1)
		return true;	/* tendd refuses the arguments itself */
	if (strcmp(verb, "reload") == 0)
		q = "Really restart the remote tendd process y/N? ";
	else if (strcmp(verb, "shutdown") == 0)
		q = "Really shut the remote tendd process down y/N? ";
	else
		return true;
	answer = shell_read(tty, q);
	yes = answer != NULL && (answer[0] == 'y' || answer[0] == 'Y');
	free(answer);
	return yes;
}

/* See shell.h. */
int
shell_run(const char *fifo)
{
	bool		 tty = isatty(STDIN_FILENO) == 1;
	const char	*hist = getenv("TENDCTL_HISTORY");
	char		*line, **argv, *first[] = { "status", NULL };
	const char	*err;
	int		 argc;

	shell_fifo = fifo;
	ctl_set_interactive();
	if (tty) {
		rl_readline_name = "tendctl";
		using_history();
		stifle_history(SHELL_HISTORY);
		if (hist != NULL && hist[0] != '\0')
			(void)read_history(hist);
		/* "group:name", "group:*" and "a-b" are one word each */
		rl_completer_word_break_characters = " \t\n";
		rl_attempted_completion_function = shell_complete;
		shell_load_verbs();
	}
	(void)ctl_run(fifo, 1, first);
	for (;;) {
		if ((line = shell_read(tty, SHELL_PROMPT)) == NULL) {
			(void)fputc('\n', stdout);	/* as after ^D */
			break;
		}
		if (cmdline_split(line, &argv, &err) == -1) {
			if (strcmp(err, "command is empty") != 0)
				(void)printf("*** Unknown syntax: %s (%s)\n",
				    line, err);
			free(line);
			continue;
		}
		if (tty)
			add_history(line);
		free(line);
		for (argc = 0; argv[argc] != NULL; argc++)
			;
		if (argc == 0) {
			cmdline_free(argv);
			continue;
		}
		if (strcmp(argv[0], "quit") == 0 ||
		    strcmp(argv[0], "exit") == 0) {
			cmdline_free(argv);
			break;
		}
		if (shell_confirm(tty, argv[0], argc))
			(void)ctl_run(fifo, argc, argv);
		(void)fflush(stdout);
		shell_have_names = false;
		cmdline_free(argv);
	}
	if (tty && hist != NULL && hist[0] != '\0')
		(void)write_history(hist);
	strlist_free(&shell_verbs);
	strlist_free(&shell_procs);
	strlist_free(&shell_groups);
	(void)fflush(stdout);
	return 0;
}
