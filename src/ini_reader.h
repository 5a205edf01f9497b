/* ini_reader.h: the line reader that drives inih's ini_parse_stream().
 *
 * Debian's libinih (r55) reads into a 200-byte buffer: a longer line is
 * split silently (its tail parsed as a new line: key injection), section
 * names are cut at 49 bytes, and the handler never learns a line number.
 * The reader owns the input instead. It hands inih one physical line per
 * call, so inih's line count is the file's, and it rewrites what inih
 * cannot take whole:
 *   - a section name longer than inih keeps goes in as "[\x04]" (the
 *     handler has the name from the section callback);
 *   - a key line too long for inih's buffer goes in as "key=\x01N", and
 *     every continuation line as " \x01N"; reader_entry() gives the
 *     handler the real value, which the reader cut out as inih cuts key
 *     values (an inline comment is ; or # after whitespace, as in
 *     supervisord);
 *   - a line that is in error (NUL or control byte, over READER_MAX_LINE,
 *     section or key name too long, no '=' or ']', a key before any
 *     section) is reported here with its line and handed over as a line
 *     the handler is told to ignore, so one mistake gives one message.
 * Each error is kept with its line as "FILE:LINE: [SECTION] KEY: reason"
 * ([SECTION] and KEY only when there is one); reader_take_errors() hands
 * them over in line order. */
#ifndef TEND_INI_READER_H
#define TEND_INI_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define READER_MAX_FILE		(16u * 1024 * 1024)	/* bytes in a file */
#define READER_MAX_LINE		(1024u * 1024)		/* bytes in a line */
#define READER_MAX_SECTION	49	/* inih keeps 49 bytes of a [name]: a
					   longer one goes in as a placeholder */
#define READER_MAX_SECTION_NAME	256	/* bytes in a [name]; longer is an
					   error */
#define READER_MAX_KEY		49	/* and of a key, for continuations */
#define READER_MAX_ERRORS	1000	/* more are counted, not kept */

struct reader;

/* Called (from inside the parse) for every valid [section] header, before
 * any key of that section reaches the handler. */
typedef void	(*reader_section_fn)(void *user, const char *name,
		    unsigned line);

/* The line the handler is being called for, as reader_entry() sees it. */
struct reader_entry {
	unsigned	 line;		/* physical line, 1-based */
	bool		 continuation;	/* an indented line continuing key */
	const char	*key;		/* the key as written */
	const char	*value;		/* the whole value of this line */
};

/* A reader over text[0..len) (not copied: it must outlive the reader);
 * file names the input in messages. A leading UTF-8 BOM is skipped;
 * "\r\n" ends a line like "\n". */
struct reader	*reader_new(const char *file, const char *text, size_t len,
		    reader_section_fn, void *user);
void		 reader_free(struct reader *);

/* Run ini_parse_stream() over the whole input with handler (inih's
 * signature: return nonzero). Errors are collected, never returned. */
void		 reader_parse(struct reader *,
		    int (*handler)(void *, const char *, const char *,
		    const char *), void *user);

/* For the handler, with the arguments inih gave it: fill e and return
 * true, or return false when the call is to be ignored (its line was
 * already reported, or its section is invalid). */
bool		 reader_entry(struct reader *, const char *section,
		    const char *name, const char *value,
		    struct reader_entry *e);

/* Record "FILE:LINE: [SECTION] KEY: reason"; section and key may be NULL. */
void		 reader_error(struct reader *, unsigned line,
		    const char *section, const char *key, const char *fmt, ...)
		    printflike(5, 6);
size_t		 reader_nerrors(const struct reader *);
/* Move the errors, sorted by line (stable), to the end of errs (which may
 * be NULL: then they are dropped). */
void		 reader_take_errors(struct reader *, struct strlist *errs);

#endif
