/* verbs.h: the one table of tendctl's verbs, shared by tendd and tendctl.
 * tendd's dispatcher checks each request's arity against its row and
 * expands `all`; tendctl reads it for help, its shell's completion and
 * confirmations, the bash completion (`tendctl help --verbs`), what it
 * carries out itself and how it waits. Also the namespec ("group:name"),
 * the form in which verbs name processes. Pure: data and lookups. */
#ifndef TEND_VERBS_H
#define TEND_VERBS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* One per verb, in alphabetical order (the table's order). */
enum verb_id {
	VERB_ADD,
	VERB_AVAIL,
	VERB_CLEAR,
	VERB_EDIT,
	VERB_EXIT,
	VERB_HELP,
	VERB_MAINTAIL,
	VERB_METRICS,
	VERB_PID,
	VERB_QUIT,
	VERB_REEXEC,
	VERB_RELOAD,
	VERB_REMOVE,
	VERB_REOPEN,
	VERB_REREAD,
	VERB_RESTART,
	VERB_SHUTDOWN,
	VERB_SIGNAL,
	VERB_START,
	VERB_STATUS,
	VERB_STOP,
	VERB_TAIL,
	VERB_TOP,
	VERB_UPDATE,
	VERB_VERSION,
};
#define VERB_COUNT	(VERB_VERSION + 1)

/* What a verb's arguments are, and how tendctl runs it. */
#define VERB_NAMES	0x001	/* process names: name, group:name */
#define VERB_GROUPS	0x002	/* group:* too; without VERB_NAMES, the
				 * arguments are group names */
#define VERB_ALL	0x004	/* `all`: every process (or group), and then
				 * the other names do not matter */
#define VERB_SIGNAME	0x008	/* a signal name comes before the names */
#define VERB_VERBS	0x010	/* the argument is a verb (help) */
#define VERB_STREAMS	0x020	/* with -f the reply goes on until Ctrl-C */
#define VERB_CLIENT	0x040	/* carried out by tendctl, never sent */
#define VERB_LSB_STATUS	0x080	/* LSB status codes: an unreachable tendd
				 * is 4 (unknown), whatever the reason */
#define VERB_JSON	0x100	/* --json may come first: JSON output */
#define VERB_UNREACH_1	0x200	/* an unreachable tendd is a generic error
				 * (1), "already shut down?" (shutdown) */
#define VERB_PATH	0x400	/* the argument is a file (reexec) */

struct verb {
	enum verb_id	 id;
	const char	*name;
	int		 min_args;	/* arguments after the verb */
	int		 max_args;	/* -1: any number */
	unsigned	 flags;		/* VERB_* */
	int		 arity_exit;	/* exit status of a wrong count */
	const char	*needs;		/* too few: "Error: VERB requires
					 * NEEDS"; NULL: "too few arguments" */
	const char	*confirm;	/* the shell asks this first, if set */
	const char	*usage;		/* one line, for tendctl -h */
	const char	*help;		/* supervisorctl's help lines, between
					 * \n (a final one: an empty line) */
};

/* The row of a verb, NULL if there is none. */
const struct verb	*verbs_find(const char *name);
/* The row of an id (every id has one). */
const struct verb	*verbs_get(enum verb_id);

/* Is a count of arguments (after the verb) wrong? Then *msg is the error
 * line, which the verb's help follows, and arity_exit the status. */
bool	 verbs_arity_error(const struct verb *, int nargs, struct buf *msg);
/* Index in argv (argv[0] the verb) of the first name argument: after
 * the signal, after --json. */
int	 verbs_first_name(const struct verb *, int argc, char *const *argv);

/* `help` (topic NULL) or `help TOPIC`, as supervisorctl prints them. */
void	 verbs_help(struct buf *out, const char *topic);
/* `help --verbs`: one line per verb, its name then what its arguments
 * are (signal, names, groups, all, verbs) and "client" when tendctl
 * carries it out itself. The bash completion reads it. */
void	 verbs_describe(struct buf *out);

/* What the shell completes after a verb (supervisorctl's rules), or, for
 * verb NULL, in the place of the verb. */
enum verbs_completion {
	VERBS_COMPLETE_NOTHING,
	VERBS_COMPLETE_VERB,
	VERBS_COMPLETE_PROCESS,	/* name, group:name, group:* */
	VERBS_COMPLETE_GROUP,
};
enum verbs_completion	 verbs_completion(const char *verb);
/* Append the verbs, in order: what the shell completes a verb to. */
void	 verbs_names(struct strlist *);

/* How a command line reads, as supervisorctl's onecmd() reads the line
 * it joins from its arguments with spaces, or the line typed at its
 * prompt (Python's cmd.Cmd.parseline(), then str.split()): white space
 * (Python's, UTF-8) around it does not count, a leading '?' is "help ",
 * the verb is the leading [A-Za-z0-9_] and must be in the table, the rest
 * is split at runs of white space, and quotes are characters like any
 * other; help takes the rest of the line as one topic. *stripped is the
 * line without its outer white space (malloc'd, also on EMPTY and
 * UNKNOWN): "*** Unknown syntax: " shows it. */
enum verbs_line {
	VERBS_LINE_EMPTY,	/* nothing to run (exit 0) */
	VERBS_LINE_UNKNOWN,	/* not a verb: "*** Unknown syntax" */
	VERBS_LINE_VERB,	/* words: the verb, then its arguments */
};
enum verbs_line	 verbs_parse_line(const char *line, struct strlist *words,
		    char **stripped);

/* supervisorctl's make_namespec: "name" for a process alone in its group
 * of the same name, else "group:name". Names are at most 100 bytes, so
 * VERBS_NAMESPEC_SIZE always holds one. Returns out. */
#define VERBS_NAMESPEC_SIZE	256
const char	*verbs_namespec(const char *group, const char *name, char *out,
		    size_t len);
/* supervisorctl's split_namespec: "g:n" -> g, n; "g:*" and "g:" -> g,
 * NULL (the whole group); "n" -> n, n. Both malloc'd. */
void		 verbs_namespec_split(const char *spec, char **group,
		    char **name);

#endif
