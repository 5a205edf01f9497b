/* ini_reader.c: feeds inih (the system libinih, r55 on Debian 12) one
 * physical line per call, so that no line is split, no name is cut and
 * every message names the right line. See ini_reader.h for the contract.
 *
 * inih keeps the parsing: comments, sections, "key = value", inline
 * comments, continuation lines. The reader only has to know which kind
 * of line inih will see, and it decides that with inih's own rules (r55
 * ini.c: comment, then continuation, then [section], then key=value; an
 * inline comment is a prefix character after whitespace). It keeps the
 * state inih keeps (is there a previous key an indented line continues?)
 * from the lines it hands over, so the two cannot drift apart; the
 * handler checks section and key names on every call all the same.
 *
 * Key lines that fit in inih's buffer and hold no '#' are handed over as they
 * are (inih cuts only the ';' comments). A
 * longer one becomes "key=\x01N" (N: the physical line) and the reader
 * keeps the value, cut as inih would cut it. A continuation line always
 * becomes " \x01N" (see reader_continuation() for why). A section name
 * longer than inih keeps goes in as "[\x04]": the handler learns the name
 * from the reader's section callback, never from inih. A line in error
 * becomes "\x03=" (or " \x03" if it continues a key, or "[\x02]" if it
 * looks like a section header), so inih stays in step and the handler
 * drops it and what continues it.
 * Control characters other than tab are refused, so these bytes can
 * never come from the file. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "ini_reader.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#if INI_HANDLER_LINENO
#error "ini_reader.c expects inih's handler without a line number"
#endif
#if !INI_ALLOW_MULTILINE
#error "ini_reader.c expects inih with INI_ALLOW_MULTILINE"
#endif

/* The longest line the reader makes up: a key of READER_MAX_KEY bytes,
 * "=\x01", a line number of up to 10 digits, "\n" and the NUL. */
#define READER_MIN_BUF		(READER_MAX_KEY + 14)

#define READER_PLACEHOLDER	'\x01'		/* "the reader has the value" */
#define READER_BAD_SECTION	"[\x02]\n"	/* an invalid header */
#define READER_LONG_SECTION	"\x04"		/* a name inih would cut */
#define READER_DROP_KEY		"\x03=\n"	/* a dropped line */
#define READER_DROP_CONT	" \x03\n"	/* a dropped continuation */
/* What starts an inline comment after whitespace: supervisord's parser
 * (configparser with inline_comment_prefixes=(';', '#')) strips both,
 * inih only ';': a key line with a '#' in it is cut here. */
#define READER_INLINE_COMMENT	";#"

struct reader_err {
	unsigned	 line;
	size_t		 seq;		/* keeps the sort stable */
	char		*msg;
};

struct reader {
	char		*file;
	const char	*text;		/* the input, not owned */
	size_t		 len;
	size_t		 pos;		/* start of the next line */
	unsigned	 lineno;	/* physical line last handed to inih */
	reader_section_fn section_fn;
	void		*section_user;

	/* what inih has been handed so far */
	char		*section;	/* NULL before the first valid header
					   and after an invalid one */
	bool		 bad_section;	/* the last header was invalid */
	bool		 long_section;	/* inih was handed READER_LONG_SECTION
					   for it */
	bool		 in_key;	/* a key line since the last header:
					   an indented line continues it */
	bool		 key_drop;	/* that key line was dropped */
	struct buf	 key;		/* its name */

	/* the line inih is working on */
	struct buf	 line;		/* a NUL-terminated copy */
	bool		 cur_drop;	/* the handler must ignore it */
	bool		 cur_cont;	/* it continues key */
	bool		 has_value;	/* handed over as a placeholder */
	struct buf	 value;		/* the value behind the placeholder */

	struct reader_err *errs;
	size_t		 nerrs;
	size_t		 nlost;		/* errors past READER_MAX_ERRORS */
};

/* Make a reader over text; see ini_reader.h. */
struct reader *
reader_new(const char *file, const char *text, size_t len,
    reader_section_fn section_fn, void *user)
{
	struct reader	*r;

	r = xcalloc(1, sizeof *r);
	r->file = xstrdup(file);
	r->text = text;
	r->len = len;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	r->section_fn = section_fn;
	r->section_user = user;
	buf_init(&r->key);
	buf_init(&r->line);
	buf_init(&r->value);
	return r;
}

/* Free the reader and any errors not taken. */
void
reader_free(struct reader *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nerrs; i++)
		free(r->errs[i].msg);
	free(r->errs);
	free(r->file);
	free(r->section);
	buf_free(&r->key);
	buf_free(&r->line);
	buf_free(&r->value);
	free(r);
}

/* Record one error; see ini_reader.h for the format. */
void
reader_error(struct reader *r, unsigned line, const char *section,
    const char *key, const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;

	if (r->nerrs >= READER_MAX_ERRORS) {
		r->nlost++;
		return;
	}
	buf_init(&b);
	buf_addstr(&b, r->file);
	if (line > 0)
		buf_printf(&b, ":%u", line);
	buf_addstr(&b, ": ");
	if (section != NULL)
		buf_printf(&b, "[%s]", section);
	if (key != NULL)
		buf_printf(&b, "%s%s", section != NULL ? " " : "", key);
	if (section != NULL || key != NULL)
		buf_addstr(&b, ": ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);

	r->errs = xreallocarray(r->errs, r->nerrs + 1, sizeof *r->errs);
	r->errs[r->nerrs].line = line;
	r->errs[r->nerrs].seq = r->nerrs;
	r->errs[r->nerrs].msg = buf_steal(&b);
	r->nerrs++;
}

/* Errors recorded so far, kept or not. */
size_t
reader_nerrors(const struct reader *r)
{
	return r->nerrs + r->nlost;
}

/* qsort order: by line, then in the order they were found. */
static int
reader_errcmp(const void *a, const void *b)
{
	const struct reader_err	*x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Hand the errors over in line order; see ini_reader.h. */
void
reader_take_errors(struct reader *r, struct strlist *errs)
{
	size_t	i;

	if (r->nerrs > 1)
		qsort(r->errs, r->nerrs, sizeof *r->errs, reader_errcmp);
	for (i = 0; i < r->nerrs; i++) {
		if (errs != NULL)
			strlist_add(errs, r->errs[i].msg);
		free(r->errs[i].msg);
	}
	if (r->nlost > 0 && errs != NULL)
		strlist_addf(errs, "%s: %zu more error%s not shown", r->file,
		    r->nlost, r->nlost == 1 ? "" : "s");
	free(r->errs);
	r->errs = NULL;
	r->nerrs = 0;
	r->nlost = 0;
}

/* inih's find_chars_or_comment() on [s, end): the first byte that is in
 * chars (NULL: none), or that starts an inline comment (';' or '#' right
 * after whitespace, as configparser cuts it); end if there is none. */
static const char *
reader_find(const char *s, const char *end, const char *chars)
{
	bool	was_space = false;

	for (; s < end; s++) {
		if (chars != NULL && strchr(chars, *s) != NULL)
			break;
		if (was_space && strchr(READER_INLINE_COMMENT, *s) != NULL)
			break;
		was_space = isspace((unsigned char)*s) != 0;
	}
	return s;
}

/* Set *sp past leading and *ep before trailing whitespace, as inih's
 * lskip() and rstrip() do. */
static void
reader_trim(const char **sp, const char **ep)
{
	const char	*s = *sp, *e = *ep;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*sp = s;
	*ep = e;
}

/* Copy n bytes and a newline into inih's buffer (the caller checked that
 * n + 2 bytes fit). */
static void
reader_put(char *out, const char *s, size_t n)
{
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = '\0';
}

/* Hand over a header inih must not take: the keys under it are dropped. */
static void
reader_bad_section(struct reader *r, char *out)
{
	free(r->section);
	r->section = NULL;
	r->bad_section = true;
	r->in_key = false;
	r->key_drop = false;
	buf_reset(&r->key);
	reader_put(out, READER_BAD_SECTION, sizeof READER_BAD_SECTION - 2);
}

/* Hand over a key line that is dropped, with what continues it. */
static void
reader_drop_key(struct reader *r, char *out)
{
	r->in_key = true;
	r->key_drop = true;
	r->cur_drop = true;
	buf_reset(&r->key);
	buf_addc(&r->key, READER_DROP_KEY[0]);
	reader_put(out, READER_DROP_KEY, sizeof READER_DROP_KEY - 2);
}

/* Hand over a line already reported (its bytes may hold anything): as the
 * kind of line it looks like, so what follows is read in the right place. */
static void
reader_drop(struct reader *r, const char *p, size_t n, char *out)
{
	size_t	i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < n && p[i] != '\0' &&
	    strchr(INI_START_COMMENT_PREFIXES, p[i]) != NULL) {
		reader_put(out, "", 0);
	} else if (r->in_key && i > 0) {
		r->cur_cont = true;
		r->cur_drop = true;
		reader_put(out, READER_DROP_CONT, sizeof READER_DROP_CONT - 2);
	} else if (i < n && p[i] == '[') {
		reader_bad_section(r, out);
	} else {
		reader_drop_key(r, out);
	}
}

/* A "[name]" line; t points at the '[', end after the last non-blank. */
static void
reader_section(struct reader *r, const char *t, const char *end, char *out)
{
	const char	*e, *hand;
	char		*name;
	size_t		 n;

	e = reader_find(t + 1, end, "]");
	if (e == end || *e != ']') {
		reader_error(r, r->lineno, NULL, NULL,
		    "section header without closing ']'");
		reader_bad_section(r, out);
		return;
	}
	n = (size_t)(e - (t + 1));
	name = xstrndup(t + 1, n);
	if (n > READER_MAX_SECTION_NAME) {
		reader_error(r, r->lineno, NULL, NULL,
		    "section name too long (%zu bytes, at most %d)", n,
		    READER_MAX_SECTION_NAME);
		free(name);
		reader_bad_section(r, out);
		return;
	}
	free(r->section);
	r->section = name;
	hand = name;
	r->bad_section = false;
	r->long_section = n > READER_MAX_SECTION;
	r->in_key = false;
	r->key_drop = false;
	buf_reset(&r->key);
	if (r->section_fn != NULL)
		r->section_fn(r->section_user, name, r->lineno);
	/* inih would cut a long name: it gets a placeholder, and the
	 * handler has the name from section_fn */
	if (r->long_section) {
		hand = READER_LONG_SECTION;
		n = sizeof READER_LONG_SECTION - 1;
	}
	out[0] = '[';
	memcpy(out + 1, hand, n);
	reader_put(out + n + 1, "]", 1);
}

/* A "key = value" line; t is its first byte, end after its last
 * non-blank, size inih's buffer. */
static void
reader_key(struct reader *r, const char *t, const char *end, char *out,
    size_t size)
{
	const char	*e, *ke, *v, *ve;
	char		*key;
	size_t		 n;

	e = reader_find(t, end, "=:");
	if (e == end || (*e != '=' && *e != ':')) {
		reader_error(r, r->lineno, r->section, NULL,
		    "expected a [section] header or a 'key = value' line");
		reader_drop_key(r, out);
		return;
	}
	ke = e;
	while (ke > t && isspace((unsigned char)ke[-1]))
		ke--;
	n = (size_t)(ke - t);
	if (n == 0) {
		reader_error(r, r->lineno, r->section, NULL,
		    "missing key name before '%c'", *e);
		reader_drop_key(r, out);
		return;
	}
	key = xstrndup(t, n);
	if (n > READER_MAX_KEY) {
		reader_error(r, r->lineno, r->section, key,
		    "key name too long (%zu bytes, at most %d)", n,
		    READER_MAX_KEY);
		free(key);
		reader_drop_key(r, out);
		return;
	}
	if (r->section == NULL) {
		if (!r->bad_section)
			reader_error(r, r->lineno, NULL, key,
			    "key before any [section] header");
		free(key);
		reader_drop_key(r, out);
		return;
	}

	r->in_key = true;
	r->key_drop = false;
	buf_reset(&r->key);
	buf_add(&r->key, key, n);
	free(key);
	if (r->line.len + 2 <= size &&
	    memchr(r->line.data, '#', r->line.len) == NULL) {
		reader_put(out, r->line.data, r->line.len);
		return;
	}
	v = e + 1;
	ve = reader_find(v, end, NULL);
	reader_trim(&v, &ve);
	buf_reset(&r->value);
	buf_add(&r->value, v, (size_t)(ve - v));
	r->has_value = true;
	(void)snprintf(out, size, "%s=%c%u\n", r->key.data, READER_PLACEHOLDER,
	    r->lineno);
}

/* An indented line after a key line; t is its first non-blank byte.
 * Always handed over as a placeholder: r55 keeps an inline comment on a
 * continuation line ("  two ; x" gives "two ; x") where later releases
 * and configparser drop it, so the reader cuts the value itself, with
 * the rule inih applies to key lines, whatever the inih release. */
static void
reader_continuation(struct reader *r, const char *t, const char *end,
    char *out, size_t size)
{
	const char	*ve;

	r->cur_cont = true;
	if (r->key_drop) {
		r->cur_drop = true;
		reader_put(out, READER_DROP_CONT, sizeof READER_DROP_CONT - 2);
		return;
	}
	ve = reader_find(t, end, NULL);
	reader_trim(&t, &ve);
	buf_reset(&r->value);
	buf_add(&r->value, t, (size_t)(ve - t));
	r->has_value = true;
	(void)snprintf(out, size, " %c%u\n", READER_PLACEHOLDER, r->lineno);
}

/* Check one physical line (p, n bytes, no newline) and write what inih
 * is to see of it into out. */
static void
reader_line(struct reader *r, const char *p, size_t n, char *out,
    size_t size)
{
	const char	*s, *t, *end;
	size_t		 i;
	unsigned char	 c;

	if (n > READER_MAX_LINE) {
		reader_error(r, r->lineno, r->section, NULL,
		    "line too long (%zu bytes, at most %u)", n,
		    READER_MAX_LINE);
		reader_drop(r, p, n, out);
		return;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '\0') {
			reader_error(r, r->lineno, r->section, NULL,
			    "NUL byte in line (column %zu)", i + 1);
			reader_drop(r, p, n, out);
			return;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			reader_error(r, r->lineno, r->section, NULL,
			    "control character 0x%02x in line (column %zu)",
			    c, i + 1);
			reader_drop(r, p, n, out);
			return;
		}
	}

	buf_reset(&r->line);
	buf_add(&r->line, p, n);
	s = t = r->line.data;
	end = s + n;
	reader_trim(&t, &end);

	if (t == end || strchr(INI_START_COMMENT_PREFIXES, *t) != NULL) {
		/* blank or comment: inih ignores it; keep the line count */
		if (n + 2 <= size)
			reader_put(out, s, n);
		else
			reader_put(out, "", 0);
	} else if (r->in_key && t > s) {
		reader_continuation(r, t, end, out, size);
	} else if (*t == '[') {
		reader_section(r, t, end, out);
	} else {
		reader_key(r, t, end, out, size);
	}
}

/* inih's ini_reader: the next physical line, or NULL at the end. */
static char *
reader_next(char *out, int num, void *stream)
{
	struct reader	*r = stream;
	const char	*p, *nl;
	size_t		 n;

	if (r->pos >= r->len)
		return NULL;
	if (num < READER_MIN_BUF) {
		reader_error(r, 0, NULL, NULL, "cannot parse: libinih's line "
		    "buffer has %d bytes, tend needs %d", num, READER_MIN_BUF);
		r->pos = r->len;
		return NULL;
	}
	p = r->text + r->pos;
	nl = memchr(p, '\n', r->len - r->pos);
	n = nl != NULL ? (size_t)(nl - p) : r->len - r->pos;
	r->pos += n + (nl != NULL);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	r->lineno++;
	r->cur_drop = false;
	r->cur_cont = false;
	r->has_value = false;
	reader_line(r, p, n, out, (size_t)num);
	return out;
}

/* Run inih over the input; see ini_reader.h. */
void
reader_parse(struct reader *r,
    int (*handler)(void *, const char *, const char *, const char *),
    void *user)
{
	size_t	i;
	int	rc;

	rc = ini_parse_stream(reader_next, r, handler, user);
	if (rc < 0) {
		reader_error(r, 0, NULL, NULL, "cannot parse (libinih error %d)",
		    rc);
	} else if (rc > 0) {
		/* inih found a line bad; the reader should have said so */
		for (i = 0; i < r->nerrs; i++) {
			if (r->errs[i].line == (unsigned)rc)
				return;
		}
		if (r->nlost == 0)
			reader_error(r, (unsigned)rc, NULL, NULL,
			    "syntax error");
	}
}

/* What the handler is being called for; see ini_reader.h. */
bool
reader_entry(struct reader *r, const char *section, const char *name,
    const char *value, struct reader_entry *e)
{
	char		*end;
	unsigned long	 n;

	if (r->cur_drop)
		return false;
	/* inih and the reader must agree on where they are */
	if (r->section == NULL || strcmp(section, r->long_section ?
	    READER_LONG_SECTION : r->section) != 0 ||
	    strcmp(name, r->key.data) != 0) {
		reader_error(r, r->lineno, NULL, NULL, "internal error: libinih "
		    "and the line reader disagree on section or key");
		return false;
	}
	if (value[0] == READER_PLACEHOLDER) {
		n = strtoul(value + 1, &end, 10);
		if (!r->has_value || *end != '\0' || n != r->lineno) {
			reader_error(r, r->lineno, NULL, NULL, "internal error: "
			    "libinih returned a stale value placeholder");
			return false;
		}
		value = r->value.data;
	}
	e->line = r->lineno;
	e->continuation = r->cur_cont;
	e->key = r->key.data;
	e->value = value;
	return true;
}
