/* cmdline.h: command= string -> argv with shell-like quoting (no shell),
 * and supervisord's %(name)s expansions. Pure: no syscalls. */
#ifndef TEND_CMDLINE_H
#define TEND_CMDLINE_H

#include <stddef.h>

/* Split s into a NULL-terminated argv (each element and the array
 * malloc'd). Rules as Python's shlex.split() in POSIX mode, which is what
 * supervisord uses: space, tab, CR and LF separate, '...' is literal,
 * "..." allows only \" and \\ escapes (any other \x stays \x), \x
 * outside quotes is x (also for a newline), '' and "" make an empty
 * argument. '#' at the start of an unquoted word starts a comment that
 * ends at the next newline (supervisord strips " #..." in its config
 * parser; shlex.split itself has no comments).
 * Returns 0, or -1 with *argv = NULL and *err = "unterminated quote",
 * "trailing backslash" or "command is empty". */
int	 cmdline_split(const char *s, char ***argv, const char **err);
void	 cmdline_free(char **argv);

/* Expansion variables for %(NAME)s / %(NAME)d / %(NAME)02d. */
struct cmdline_var {
	const char	*name;		/* "program_name", "here", ... */
	const char	*value;		/* string value */
};
/* Expand s as Python's "s % dict" (supervisord's expand()): %% is %, and
 * %(NAME)[flags -0+ #][width][.prec][hlL]CONV with CONV s, or d/i/u for a
 * value that is a decimal integer. NAME is looked up in vars (first match),
 * then ENV_X as X in envp (NULL-terminated "K=V" list, may be NULL).
 * Values are inserted as they are, never expanded again.
 * Returns a malloc'd string, or NULL with a message in errbuf (when errbuf
 * is not NULL; cut to errlen), one of:
 *	unknown expansion '%(foo)s'
 *	bad format near '%(foo)z'	(also '%', '%s', '%(foo', huge widths)
 *	expansion '%(here)d' is not a number */
char	*cmdline_expand(const char *s, const struct cmdline_var *vars,
	    size_t nvars, char *const *envp, char *errbuf, size_t errlen);

/* The bytes a word may hold and stay unquoted (Python's shlex.quote). */
#define CMDLINE_SAFE	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789@%+=:,./_-"
struct buf;
/* Append word to b as Python's shlex.quote() writes it: as it is if it is
 * made only of CMDLINE_SAFE bytes (and not empty), else between single
 * quotes, a ' in it written '"'"'. shlex.split() gives the word back. */
void	 cmdline_quote(struct buf *b, const char *word);
/* Append the words of argv (NULL-terminated), each quoted, joined by one
 * space: one line that shlex.split() turns back into argv. */
void	 cmdline_join(struct buf *b, char *const *argv);

#endif
