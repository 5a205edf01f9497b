/* cmdline.c: command= string -> argv, and supervisord's %(name)s expansion.
 * Pure: no syscalls, no logging; errors are returned as text.
 *
 * Splitting follows Python's shlex.split() (POSIX mode), which supervisord
 * runs on command=, byte for byte: only ' ', \t, \r, \n separate words; in
 * "..." a backslash escapes only " and \ (so "\$" stays \$, unlike sh); a
 * backslash-newline outside quotes is a newline, not a continuation.
 * One addition: '#' at the start of an unquoted word comments out the rest
 * of the line. supervisord gets that effect from its config parser, which
 * drops " #..." inline comments; Debian's libinih only knows ';'.
 *
 * Expansion is Python's "s % dict" as supervisord's expand() uses it,
 * written out by hand so a config file never reaches printf as a format;
 * expanded values are copied, never expanded again. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "cmdline.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Widths and precisions past this are refused rather than allocated. */
#define CMDLINE_MAX_WIDTH	4096

/* How much of a bad directive an error message quotes. */
#define CMDLINE_SNIPPET		40

/* shlex's whitespace: not \v or \f. */
static bool
cmdline_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Split s like shlex.split(); see the top of the file. */
int
cmdline_split(const char *s, char ***argv, const char **err)
{
	struct strlist	 words = { NULL, 0 };
	struct buf	 word;
	const char	*p = s;
	bool		 inword = false;
	char		 quote;

	*argv = NULL;
	buf_init(&word);
	for (;;) {
		if (*p == '\0' || cmdline_isspace(*p)) {
			if (inword) {
				strlist_add(&words, word.data);
				buf_reset(&word);
				inword = false;
			}
			if (*p == '\0')
				break;
			p++;
		} else if (*p == '#' && !inword) {
			/* the comment ends at the newline, like shlex's readline() */
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (*p == '\\') {
			if (p[1] == '\0') {
				*err = "trailing backslash";
				goto fail;
			}
			buf_addc(&word, p[1]);
			inword = true;
			p += 2;
		} else if (*p == '\'' || *p == '"') {
			/* a quoted part, even an empty one, makes a word */
			quote = *p++;
			inword = true;
			for (;;) {
				if (*p == '\0') {
					*err = "unterminated quote";
					goto fail;
				}
				if (*p == quote) {
					p++;
					break;
				}
				if (quote == '"' && *p == '\\') {
					if (p[1] == '\0') {
						*err = "trailing backslash";
						goto fail;
					}
					if (p[1] != '"' && p[1] != '\\')
						buf_addc(&word, '\\');
					buf_addc(&word, p[1]);
					p += 2;
					continue;
				}
				buf_addc(&word, *p++);
			}
		} else {
			buf_addc(&word, *p++);
			inword = true;
		}
	}
	buf_free(&word);
	if (words.n == 0) {
		*err = "command is empty";
		return -1;
	}
	*argv = words.v;
	return 0;

fail:
	buf_free(&word);
	strlist_free(&words);
	return -1;
}

/* Free what cmdline_split returned (NULL is fine). */
void
cmdline_free(char **argv)
{
	char	**p;

	if (argv == NULL)
		return;
	for (p = argv; *p != NULL; p++)
		free(*p);
	free(argv);
}

/* Write msg + 'the directive text' into errbuf, with control characters
 * as '?' and long directives cut. */
static void
cmdline_error(char *errbuf, size_t errlen, const char *msg, const char *what,
    size_t whatlen, const char *tail)
{
	char	snippet[CMDLINE_SNIPPET + 4];
	size_t	i, n;

	if (errbuf == NULL || errlen == 0)
		return;
	n = whatlen > CMDLINE_SNIPPET ? CMDLINE_SNIPPET : whatlen;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)what[i];
		snippet[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n < whatlen) {
		memcpy(snippet + n, "...", 3);
		n += 3;
	}
	snippet[n] = '\0';
	(void)snprintf(errbuf, errlen, "%s '%s'%s", msg, snippet, tail);
}

/* The value of key (keylen bytes): a var, else ENV_X from envp; NULL if none. */
static const char *
cmdline_lookup(const char *key, size_t keylen, const struct cmdline_var *vars,
    size_t nvars, char *const *envp)
{
	size_t		 i, n;
	const char	*name;

	for (i = 0; i < nvars; i++) {
		if (vars[i].name != NULL && vars[i].value != NULL &&
		    strlen(vars[i].name) == keylen &&
		    memcmp(vars[i].name, key, keylen) == 0)
			return vars[i].value;
	}
	if (envp == NULL || keylen < 4 || memcmp(key, "ENV_", 4) != 0)
		return NULL;
	name = key + 4;
	n = keylen - 4;
	/* "ENV_A=B" must not find A=B=c: no environment name holds '=' */
	if (memchr(name, '=', n) != NULL)
		return NULL;
	for (i = 0; envp[i] != NULL; i++) {
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	}
	return NULL;
}

/* Parse the decimal digits at *pp, moving past them; false if too large. */
static bool
cmdline_number(const char **pp, unsigned *out)
{
	const char	*p = *pp;
	unsigned	 v = 0;
	bool		 ok = true;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > CMDLINE_MAX_WIDTH)
			ok = false;
		else
			v = v * 10 + (unsigned)(*p - '0');
	}
	*pp = p;
	*out = v;
	return ok && v <= CMDLINE_MAX_WIDTH;
}

/* Append n spaces or zeros. */
static void
cmdline_pad(struct buf *b, char c, size_t n)
{
	for (; n > 0; n--)
		buf_addc(b, c);
}

/* Characters in a UTF-8 string, as Python counts a str. */
static size_t
cmdline_chars(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/* Bytes of s that hold its first max characters. */
static size_t
cmdline_prefix(const char *s, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == max)
				break;
			n++;
		}
	}
	return i;
}

struct cmdline_spec {
	bool		left;		/* '-' */
	bool		zero;		/* '0' */
	char		sign;		/* '+', ' ' or 0 */
	unsigned	width;
	bool		hasprec;
	unsigned	prec;
	char		conv;		/* 's' or 'd' ('i', 'u' act as 'd') */
};

/* %s: precision cuts, width pads with spaces ('0' is ignored, as in Python). */
static void
cmdline_format_s(struct buf *b, const struct cmdline_spec *sp, const char *v)
{
	size_t	len, chars;

	len = sp->hasprec ? cmdline_prefix(v, sp->prec) : strlen(v);
	chars = cmdline_chars(v, len);
	if (!sp->left && sp->width > chars)
		cmdline_pad(b, ' ', sp->width - chars);
	buf_add(b, v, len);
	if (sp->left && sp->width > chars)
		cmdline_pad(b, ' ', sp->width - chars);
}

/* %d: sign, zeros up to the precision, then width by spaces or zeros. */
static void
cmdline_format_d(struct buf *b, const struct cmdline_spec *sp, long long v)
{
	char			 digits[32];
	unsigned long long	 mag;
	size_t			 ndig, body;
	int			 n;
	char			 sign = sp->sign;

	if (v < 0) {
		sign = '-';
		mag = (unsigned long long)-(v + 1) + 1;
	} else
		mag = (unsigned long long)v;
	n = snprintf(digits, sizeof digits, "%llu", mag);
	ndig = n > 0 ? (size_t)n : 0;
	body = (sign != 0) + (sp->hasprec && sp->prec > ndig ? sp->prec : ndig);

	if (!sp->left && !sp->zero && sp->width > body)
		cmdline_pad(b, ' ', sp->width - body);
	if (sign != 0)
		buf_addc(b, sign);
	if (!sp->left && sp->zero && sp->width > body)
		cmdline_pad(b, '0', sp->width - body);
	if (sp->hasprec && sp->prec > ndig)
		cmdline_pad(b, '0', sp->prec - ndig);
	buf_add(b, digits, ndig);
	if (sp->left && sp->width > body)
		cmdline_pad(b, ' ', sp->width - body);
}

/* Parse one "%(key)spec" directive at *pp (at its '%'), moving *pp past
 * it; on a bad format, *pp is left at the offending character (or the
 * NUL). *key is NULL until the key was read whole. */
static bool
cmdline_directive(const char **pp, struct cmdline_spec *sp, const char **key,
    size_t *keylen)
{
	const char	*p = *pp + 1;
	int		 depth;
	bool		 ok = false;

	memset(sp, 0, sizeof *sp);
	*key = NULL;
	*keylen = 0;
	if (*p != '(')
		goto out;
	/* the key runs to the matching ')', as Python's does */
	for (depth = 1, p++; *p != '\0'; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			break;
	}
	if (*p == '\0')
		goto out;
	*key = *pp + 2;
	*keylen = (size_t)(p - *key);
	p++;

	for (;; p++) {
		if (*p == '-')
			sp->left = true;
		else if (*p == '0')
			sp->zero = true;
		else if (*p == '+')
			sp->sign = '+';
		else if (*p == ' ') {
			if (sp->sign == 0)
				sp->sign = ' ';
		} else if (*p != '#')
			break;
	}
	if (!cmdline_number(&p, &sp->width))
		goto out;
	if (*p == '.') {
		p++;
		sp->hasprec = true;
		if (!cmdline_number(&p, &sp->prec))
			goto out;
	}
	if (*p == 'h' || *p == 'l' || *p == 'L')
		p++;
	switch (*p) {
	case 's':
		sp->conv = 's';
		break;
	case 'd':
	case 'i':
	case 'u':
		sp->conv = 'd';
		break;
	default:
		goto out;
	}
	p++;
	ok = true;
out:
	*pp = p;
	return ok;
}

/* Expand %(name)s and friends in s; see cmdline.h. */
char *
cmdline_expand(const char *s, const struct cmdline_var *vars, size_t nvars,
    char *const *envp, char *errbuf, size_t errlen)
{
	struct cmdline_spec	 sp;
	struct buf		 out;
	const char		*p, *start, *key, *value, *err;
	size_t			 keylen, shown;
	long long		 num;
	bool			 ok;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	buf_init(&out);
	for (p = s; *p != '\0';) {
		start = p;
		if (*p != '%') {
			while (*p != '\0' && *p != '%')
				p++;
			buf_add(&out, start, (size_t)(p - start));
			continue;
		}
		if (p[1] == '%') {
			buf_addc(&out, '%');
			p += 2;
			continue;
		}
		ok = cmdline_directive(&p, &sp, &key, &keylen);
		/* what to quote: the directive, or up to the character that
		 * broke it */
		shown = (size_t)(p - start) + (!ok && *p != '\0');
		value = NULL;
		if (key != NULL) {
			/* Python looks the name up first: "%(nope)z" is an
			 * unknown name before it is a bad format */
			value = cmdline_lookup(key, keylen, vars, nvars, envp);
			if (value == NULL) {
				cmdline_error(errbuf, errlen,
				    "unknown expansion", start, shown, "");
				goto fail;
			}
		}
		if (!ok || value == NULL) {
			cmdline_error(errbuf, errlen, "bad format near", start,
			    shown, "");
			goto fail;
		}
		if (sp.conv == 's') {
			cmdline_format_s(&out, &sp, value);
			continue;
		}
		if (parse_int(value, LLONG_MIN, LLONG_MAX, &num, &err) == -1) {
			cmdline_error(errbuf, errlen, "expansion", start, shown,
			    " is not a number");
			goto fail;
		}
		cmdline_format_d(&out, &sp, num);
	}
	return buf_steal(&out);

fail:
	buf_free(&out);
	return NULL;
}

/* See cmdline.h. */
void
cmdline_quote(struct buf *b, const char *word)
{
	const char	*p;

	if (*word != '\0' && word[strspn(word, CMDLINE_SAFE)] == '\0') {
		buf_addstr(b, word);
		return;
	}
	buf_addc(b, '\'');
	for (p = word; *p != '\0'; p++) {
		if (*p == '\'')
			buf_addstr(b, "'\"'\"'");
		else
			buf_addc(b, *p);
	}
	buf_addc(b, '\'');
}

/* See cmdline.h. */
void
cmdline_join(struct buf *b, char *const *argv)
{
	size_t	i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		if (i > 0)
			buf_addc(b, ' ');
		cmdline_quote(b, argv[i]);
	}
}
