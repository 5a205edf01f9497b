/* config_name.c: what a program, group or process name may be. As
 * supervisord (datatypes.process_or_group_name) does, any text, UTF-8
 * included ([program:test_öäü]), but not what would break tend:
 *   ':'		it separates group and process in GROUP:NAME;
 *   '/'		AUTO log files are named after the process;
 *   white space	tendctl's arguments and status columns, and
 *			supervisor.childutils.get_headers: all that
 *			Python's str.isspace() accepts (utf8_space(), the
 *			table tendctl splits its command line with);
 *   control bytes	the control protocol, logs and messages (C0, DEL
 *			and the C1 controls U+0080 to U+009F);
 *   invalid UTF-8	status --json and the metrics must stay valid text;
 *   a leading '-'	tendctl would read the name as an option;
 *   "all"		tendctl's name for every process (checked by the
 *			callers, with their own message);
 * and at most CONFIG_MAX_PROGRAM_NAME bytes. supervisord also refuses
 * ' ', ':' and '/'; it strips white space (str.strip()) around a name,
 * as config_load.c does for a section's. */
#include "config_int.h"

#include <stdio.h>
#include <string.h>

/* The length of the UTF-8 sequence at s and its code point in *cp, or 0
 * if it is not a valid (shortest form, not a surrogate) sequence. */
static size_t
config_name_utf8(const unsigned char *s, unsigned long *cp)
{
	size_t		n, i;
	unsigned long	v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* the NUL ends it too */
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* See config_int.h. */
bool
config_name_check(const char *s, const char **why)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp;
	size_t			 n, len = strlen(s);

	if (len == 0) {
		*why = "a name cannot be empty";
		return false;
	}
	if (len > CONFIG_MAX_PROGRAM_NAME) {
		*why = "longer than " CONFIG_MAX_PROGRAM_NAME_S " bytes";
		return false;
	}
	if (s[0] == '-') {
		*why = "it starts with '-' (tendctl would read an option)";
		return false;
	}
	for (; *p != '\0'; p += n) {
		if ((n = config_name_utf8(p, &cp)) == 0) {
			*why = "it is not valid UTF-8";
			return false;
		}
		if (cp == ':' || cp == '/') {
			*why = cp == ':' ? "':' separates a group and a "
			    "process" : "'/' cannot be in a log file name";
			return false;
		}
		if (cp == ' ' || cp == '\t') {
			*why = "it holds whitespace";
			return false;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			*why = "it holds a control character";
			return false;
		}
		if (utf8_space((const char *)p) > 0) {
			/* one load at a time: a static buffer will do */
			static char	sp[80];

			(void)snprintf(sp, sizeof sp, "it holds white space "
			    "U+%04lX (tendctl would split the name there)", cp);
			*why = sp;
			return false;
		}
	}
	return true;
}

/* See config_int.h. */
bool
config_valid_name(const char *s)
{
	const char	*why;

	return config_name_check(s, &why);
}
