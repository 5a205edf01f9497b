/* shell.c: tendctl's commands. One runs alone (tendctl VERB ...) or, without
 * one, in the interactive mode, as supervisorctl's: `status` first, then a
 * "tend> " prompt with line editing, history and completion (libedit, when
 * standard input is a terminal), each line run as one tendctl command;
 * quit, exit or end of input leave. The verb table (verbs.c) says which
 * verbs tendctl carries out itself (help, edit, quit, exit), which ones
 * the shell confirms, and what completes after each; process and group
 * names come from `status`, asked again after every command. */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "client.h"
#include "edit.h"
#include "protocol.h"
#include "shell.h"
#include "top.h"
#include "util.h"
#include "verbs.h"

#define SHELL_PROMPT	"tend> "
#define SHELL_HISTORY	1000	/* lines kept */

static const char	*shell_fifo;
static struct strlist	 shell_verbs;	/* the verb table's */
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
	(void)client_run_capture(shell_fifo, 1, argv, &out);
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

/* Completion: a verb first, then what the verb table says comes after it
 * (supervisorctl's rules: a verb after help, a group after add, remove
 * and update, a process after the verbs that act on processes). */
static char **
shell_complete(const char *text, int start, int end)
{
	const char	*line = rl_line_buffer;
	char		*verb = NULL;
	int		 s = 0;

	(void)end;
	rl_attempted_completion_over = 1;	/* never file names */
	while (s < start && (line[s] == ' ' || line[s] == '\t'))
		s++;
	if (s < start)
		verb = xstrndup(line + s, strcspn(line + s, " \t"));
	switch (verbs_completion(verb)) {
	case VERBS_COMPLETE_VERB:
		shell_list = &shell_verbs;
		break;
	case VERBS_COMPLETE_PROCESS:
		shell_load_names();
		shell_list = &shell_procs;
		break;
	case VERBS_COMPLETE_GROUP:
		shell_load_names();
		shell_list = &shell_groups;
		break;
	case VERBS_COMPLETE_NOTHING:
		shell_list = NULL;
		break;
	}
	free(verb);
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

/* reload and shutdown ask first, as supervisorctl's shell does (not when
 * tendd is going to refuse their arguments). */
static bool
shell_confirm(bool tty, int argc, char **argv)
{
	const struct verb	*v = verbs_find(argv[0]);
	struct buf		 why;
	char			*answer;
	bool			 yes, bad;

	if (v == NULL || v->confirm == NULL)
		return true;
	buf_init(&why);
	bad = verbs_arity_error(v, argc - 1, &why);
	buf_free(&why);
	if (bad)
		return true;
	answer = shell_read(tty, v->confirm);
	yes = answer != NULL && (answer[0] == 'y' || answer[0] == 'Y');
	free(answer);
	return yes;
}

/* help [VERB|--verbs], from the verb table. */
static int
shell_help(int argc, char **argv)
{
	struct buf	b;

	buf_init(&b);
	if (argc > 1 && strcmp(argv[1], "--verbs") == 0)
		verbs_describe(&b);
	else
		verbs_help(&b, argc > 1 ? argv[1] : NULL);
	(void)fputs(b.data, stdout);
	buf_free(&b);
	return fflush(stdout) == EOF ? TEND_EXIT_GENERIC : 0;
}

/* See shell.h. */
int
shell_command(const char *conf, const char *fifo, int argc, char **argv)
{
	const struct verb	*v = verbs_find(argv[0]);

	if (v == NULL || (v->flags & VERB_CLIENT) == 0)
		return client_run(fifo, argc, argv);
	switch (v->id) {
	case VERB_HELP:
		return shell_help(argc, argv);
	case VERB_EDIT:
		return edit_run(conf, fifo, argc, argv);
	case VERB_TOP:
		return top_run(fifo, argc, argv);
	default:
		/* quit, exit: from the command line, the empty line of
		 * supervisorctl's do_EOF and nothing else */
		(void)fputc('\n', stdout);
		return fflush(stdout) == EOF ? TEND_EXIT_GENERIC : 0;
	}
}

/* Read a command line (verbs_parse_line) into words, and say what is
 * wrong with it as supervisorctl does. Returns the number of words, 0
 * when there is nothing to run; *code is then the exit status (-1 for
 * an empty line, which counts as 0). */
static int
shell_parse(const char *line, struct strlist *words, int *code)
{
	char	*stripped;

	*code = 0;
	switch (verbs_parse_line(line, words, &stripped)) {
	case VERBS_LINE_EMPTY:
		*code = -1;
		break;
	case VERBS_LINE_UNKNOWN:
		(void)printf("*** Unknown syntax: %s\n", stripped);
		*code = TEND_EXIT_GENERIC;
		break;
	case VERBS_LINE_VERB:
		break;
	}
	free(stripped);
	return (int)words->n;
}

/* See shell.h. */
int
shell_args(const char *conf, const char *fifo, int argc, char **argv)
{
	struct strlist	 words = { NULL, 0 };
	struct buf	 line;
	int		 i, n, code;

	if (strcmp(argv[0], "edit") == 0)
		return shell_command(conf, fifo, argc, argv);
	buf_init(&line);
	for (i = 0; i < argc; i++)
		buf_printf(&line, "%s%s", i > 0 ? " " : "", argv[i]);
	n = shell_parse(line.data, &words, &code);
	buf_free(&line);
	if (n > 0)
		code = shell_command(conf, fifo, n, words.v);
	strlist_free(&words);
	if (fflush(stdout) == EOF)
		return TEND_EXIT_GENERIC;
	return code == -1 ? 0 : code;
}

/* See shell.h. */
int
shell_run(const char *conf, const char *fifo)
{
	bool		 tty = isatty(STDIN_FILENO) == 1;
	const char	*hist = getenv("TENDCTL_HISTORY");
	char		*line, **argv, *first[] = { "status", NULL };
	struct strlist	 words = { NULL, 0 };
	const struct verb *v;

	shell_fifo = fifo;
	client_set_interactive();
	if (tty) {
		rl_readline_name = "tendctl";
		using_history();
		stifle_history(SHELL_HISTORY);
		if (hist != NULL && hist[0] != '\0')
			(void)read_history(hist);
		/* "group:name", "group:*" and "a-b" are one word each */
		rl_completer_word_break_characters = " \t\n";
		rl_attempted_completion_function = shell_complete;
		verbs_names(&shell_verbs);
	}
	(void)client_run(fifo, 1, first);
	for (;;) {
		int	argc, code;

		if ((line = shell_read(tty, SHELL_PROMPT)) == NULL) {
			(void)fputc('\n', stdout);	/* as after ^D */
			break;
		}
		argc = shell_parse(line, &words, &code);
		if (tty && code != -1)
			add_history(line);
		free(line);
		if (argc == 0) {
			strlist_free(&words);
			continue;
		}
		argv = words.v;
		if ((v = verbs_find(argv[0])) != NULL &&
		    (v->id == VERB_QUIT || v->id == VERB_EXIT)) {
			(void)fputc('\n', stdout);	/* as after ^D */
			strlist_free(&words);
			break;
		}
		if (shell_confirm(tty, argc, argv))
			(void)shell_command(conf, fifo, argc, argv);
		(void)fflush(stdout);
		shell_have_names = false;
		strlist_free(&words);
	}
	if (tty && hist != NULL && hist[0] != '\0')
		(void)write_history(hist);
	strlist_free(&shell_verbs);
	strlist_free(&shell_procs);
	strlist_free(&shell_groups);
	(void)fflush(stdout);
	return 0;
}
