/* fuzz_state: bytes -> the state file parser (state_parse, what a
 * restarted tendd reads to find the children of the instance before it,
 * and the file issue 12 found another user could write) and the
 * /proc/PID/stat field reader. Asserts: a parsed file has no entry the
 * parser's rules refuse (pid and pgid > 1, a start time, a name of
 * printable non-blank bytes), it formats back into text that parses to
 * the same entries, and a failure says why and on which line. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "util.h"

/* The entry rules state_parse promises. */
static void
check_entry(const struct state_entry *e)
{
	const char	*s;

	if (e->pid < 2 || e->pgid < 2 || e->starttime == 0 ||
	    e->name == NULL || e->name[0] == '\0')
		abort();
	for (s = e->name; *s != '\0'; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state	 s, again;
	struct buf	 b;
	const char	*err = NULL;
	size_t		 line, line2, i, lines = 0;
	char		*text;

	if (size > 1 << 20)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	for (i = 0; i < size; i++)
		lines += text[i] == '\n';
	if (state_parse(text, size, &s, &err, &line) == 0) {
		if (s.n + 1 != lines)	/* the magic line, then one each */
			abort();
		for (i = 0; i < s.n; i++)
			check_entry(&s.v[i]);
		buf_init(&b);
		state_format(&s, &b);
		if (state_parse(b.data, b.len, &again, &err, &line2) != 0 ||
		    again.n != s.n)
			abort();
		for (i = 0; i < s.n; i++)
			if (again.v[i].pid != s.v[i].pid ||
			    again.v[i].pgid != s.v[i].pgid ||
			    again.v[i].starttime != s.v[i].starttime ||
			    strcmp(again.v[i].name, s.v[i].name) != 0)
				abort();
		state_free(&again);
		buf_free(&b);
		state_free(&s);
	} else {
		/* nothing kept, a reason, a line within the text */
		if (s.v != NULL || s.n != 0 || err == NULL || err[0] == '\0' ||
		    line > lines + 1)
			abort();
	}

	/* the same bytes as a /proc/PID/stat line */
	(void)state_stat_starttime(text);
	free(text);
	return 0;
}
