/* state.c: format, parse, read and write the state file (see state.h). */
#include "autoconfig.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safeopen.h"
#include "state.h"
#include "util.h"

/* Append one entry. */
void
state_add(struct state *s, pid_t pid, pid_t pgid, unsigned long long start,
    const char *name)
{
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n].pid = pid;
	s->v[s->n].pgid = pgid;
	s->v[s->n].starttime = start;
	s->v[s->n].name = xstrdup(name);
	s->n++;
}

/* Release every entry. */
void
state_free(struct state *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* The file's text. */
void
state_format(const struct state *s, struct buf *b)
{
	size_t	i;

	buf_addstr(b, STATE_MAGIC "\n");
	for (i = 0; i < s->n; i++)
		buf_printf(b, "%ld %ld %llu %s\n", (long)s->v[i].pid,
		    (long)s->v[i].pgid, s->v[i].starttime, s->v[i].name);
}

/* One decimal field of a line, up to a space. */
static int
state_field(const char **p, unsigned long long max, unsigned long long *out)
{
	const char	*q = *p;
	char		 num[32];
	size_t		 len;
	const char	*err;

	while (*q >= '0' && *q <= '9')
		q++;
	len = (size_t)(q - *p);
	if (len == 0 || len >= sizeof(num) || *q != ' ')
		return -1;
	memcpy(num, *p, len);
	num[len] = '\0';
	if (parse_uint(num, max, out, &err) == -1)
		return -1;
	*p = q + 1;
	return 0;
}

/* Strict parser of the whole file. */
int
state_parse(const char *text, size_t len, struct state *s, const char **err,
    size_t *lineno)
{
	const char		*p = text, *end = text + len, *nl, *name;
	char			 line[STATE_MAX_LINE + 1];
	unsigned long long	 pid, pgid, start;
	size_t			 n, i;

	*lineno = 0;
	memset(s, 0, sizeof(*s));
	while (p < end) {
		(*lineno)++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			*err = "last line not terminated";
			goto fail;
		}
		n = (size_t)(nl - p);
		if (n > STATE_MAX_LINE) {
			*err = "line too long";
			goto fail;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		if (memchr(line, '\0', n) != NULL) {
			*err = "NUL byte";
			goto fail;
		}
		if (*lineno == 1) {
			if (strcmp(line, STATE_MAGIC) != 0) {
				*err = "not a tend state file";
				goto fail;
			}
			continue;
		}
		name = line;
		if (state_field(&name, INT_MAX, &pid) == -1 || pid < 2 ||
		    state_field(&name, INT_MAX, &pgid) == -1 || pgid < 2 ||
		    state_field(&name, ULLONG_MAX, &start) == -1 ||
		    start == 0) {
			*err = "malformed entry";
			goto fail;
		}
		if (*name == '\0') {
			*err = "entry without a name";
			goto fail;
		}
		for (i = 0; name[i] != '\0'; i++) {
			if ((unsigned char)name[i] < 0x21 || name[i] == 0x7f) {
				*err = "bad character in name";
				goto fail;
			}
		}
		if (s->n >= STATE_MAX_ENTRIES) {
			*err = "too many entries";
			goto fail;
		}
		state_add(s, (pid_t)pid, (pid_t)pgid, start, name);
	}
	if (*lineno == 0) {
		*err = "empty file";
		goto fail;
	}
	return 0;
fail:
	state_free(s);
	return -1;
}

/* Field 22 of /proc/PID/stat: the process start time in clock ticks. */
unsigned long long
state_stat_starttime(const char *stat)
{
	const char		*p = strrchr(stat, ')');
	unsigned long long	 v;
	char			*end;
	int			 field;

	if (p == NULL || p[1] != ' ')
		return 0;
	p += 2;			/* field 3, the state */
	for (field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (p == NULL)
			return 0;
		p++;
	}
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno != 0 || end == p || (*end != ' ' && *end != '\n' &&
	    *end != '\0'))
		return 0;
	return v;
}

/* See state.h. */
bool
state_orphan_ours(const struct state_entry *e, pid_t pgid_now,
    unsigned long long start_now)
{
	return e->pid > 1 && e->pgid == e->pid && pgid_now == e->pgid &&
	    start_now != 0 && start_now == e->starttime;
}

/* The start time of a live process, 0 if it is gone (or a zombie). */
unsigned long long
state_proc_starttime(pid_t pid)
{
	char	path[64], buf[1024], *st;
	ssize_t	n;
	int	fd;

	(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	do {
		n = read(fd, buf, sizeof(buf) - 1);
	} while (n == -1 && errno == EINTR);
	(void)close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	st = strrchr(buf, ')');
	if (st != NULL && st[1] == ' ' && st[2] == 'Z')
		return 0;
	return state_stat_starttime(buf);
}

/* Write atomically, mode 0600: a reader sees the old file or the new one.
 * A new temporary with a random name (safe_replace), never a fixed
 * PATH.tmp another user could have planted. */
int
state_write(const char *path, const struct state *s)
{
	struct buf	 b;
	char		 why[512];
	int		 rc;

	buf_init(&b);
	state_format(s, &b);
	rc = safe_replace(path, b.data, b.len, 0600, false, why, sizeof(why));
	buf_free(&b);
	return rc;
}

/* Read and parse; 1 when there is no file, 0 when read, -1 on error (a
 * refused file included: only tendd's own, mode 0600, regular, one link,
 * in a directory nobody else can write, is trusted to name processes to
 * kill). */
int
state_read(const char *path, struct state *s, char *err, size_t errlen)
{
	struct buf	 b;
	const char	*why;
	size_t		 line;
	int		 fd;

	memset(s, 0, sizeof(*s));
	fd = safe_open(path, O_RDONLY, 0, SAFE_PRIVATE | SAFE_TRUSTED |
	    SAFE_OWNED, NULL, err, errlen);
	if (fd == -1) {
		if (errno == ENOENT)
			return 1;
		return -1;
	}
	buf_init(&b);
	if (fd_read_all(fd, &b, (size_t)STATE_MAX_ENTRIES * 64) == -1) {
		if (errno == EFBIG)
			(void)snprintf(err, errlen, "%s: too large", path);
		else
			(void)snprintf(err, errlen, "%s: %s", path,
			    strerror(errno));
		(void)close(fd);
		buf_free(&b);
		return -1;
	}
	(void)close(fd);
	if (state_parse(b.len > 0 ? b.data : "", b.len, s, &why, &line) == -1) {
		(void)snprintf(err, errlen, "%s:%zu: %s", path, line, why);
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	return 0;
}
