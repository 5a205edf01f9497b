/* outlog.c: the pure decisions of child output logs (see outlog.h): size
 * values, rotation names and the line-boundary cut. outlog_shift() is the
 * one function here that touches the file system (renames only); the
 * pipes, splice and the loop are in outlog_io.c. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "outlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "safeopen.h"

/* See outlog.h. */
int
outlog_parse_size(const char *s, unsigned long long *out, const char **err)
{
	static const struct {
		const char		*suffix;
		unsigned long long	 mult;
	} units[] = {
		{ "kb", 1024ULL },
		{ "mb", 1024ULL * 1024 },
		{ "gb", 1024ULL * 1024 * 1024 },
	};
	unsigned long long	 v = 0, mult = 1;
	size_t			 len = strlen(s), i, digits;

	for (i = 0; i < nitems(units); i++) {
		if (len > 2 && strcasecmp(s + len - 2, units[i].suffix) == 0) {
			mult = units[i].mult;
			len -= 2;
			break;
		}
	}
	if (len == 0) {
		*err = "not a size";
		return -1;
	}
	for (digits = 0; digits < len; digits++) {
		unsigned	d;

		if (s[digits] < '0' || s[digits] > '9') {
			*err = "not a size (expected a number of bytes, with "
			    "an optional KB, MB or GB)";
			return -1;
		}
		d = (unsigned)(s[digits] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			*err = "out of range";
			return -1;
		}
		v = v * 10 + d;
	}
	if (v > UINT64_MAX / mult) {
		*err = "out of range";
		return -1;
	}
	*out = v * mult;
	return 0;
}

/* See outlog.h. */
char *
outlog_backup_name(const char *path, unsigned n)
{
	if (n == 0)
		return xstrdup(path);
	return xasprintf("%s.%u", path, n);
}

/* See outlog.h. */
size_t
outlog_rotation_renames(const char *path, unsigned backups,
    struct strlist *from, struct strlist *to)
{
	unsigned	i;
	char		*a, *b;

	if (backups == 0)
		return 0;
	for (i = backups; i > 0; i--) {
		a = outlog_backup_name(path, i - 1);
		b = outlog_backup_name(path, i);
		strlist_add(from, a);
		strlist_add(to, b);
		free(a);
		free(b);
	}
	return backups;
}

/* See outlog.h. The renames are made inside the directory reached with
 * safe_open_parent(), by names in it: a directory link planted on the
 * way is refused, and rename() never follows a link it moves. */
int
outlog_shift(const char *path, unsigned backups, char *why, size_t whylen)
{
	struct strlist	 from = { NULL, 0 }, to = { NULL, 0 };
	const char	*base;
	bool		 trusted;
	size_t		 i, n;
	int		 dirfd, rc = 0, saved;

	if (backups == 0)
		return 0;
	if ((dirfd = safe_open_parent(path, &base, &trusted, why,
	    whylen)) == -1)
		return errno == ENOENT ? 0 : -1;	/* nothing to rename */
	n = outlog_rotation_renames(base, backups, &from, &to);
	for (i = 0; i < n; i++) {
		if (renameat(dirfd, from.v[i], dirfd, to.v[i]) == 0 ||
		    errno == ENOENT)
			continue;
		saved = errno;
		(void)snprintf(why, whylen, "rename %s to %s: %s", from.v[i],
		    to.v[i], strerror(saved));
		errno = saved;
		rc = -1;
		break;
	}
	saved = errno;
	(void)close(dirfd);
	strlist_free(&from);
	strlist_free(&to);
	errno = saved;
	return rc;
}

/* See outlog.h. */
enum outlog_act
outlog_cut(uint64_t size, uint64_t max, const char *data, size_t len,
    size_t linemax, bool force, size_t *n)
{
	uint64_t	 room;
	size_t		 fit;
	const char	*nl;

	*n = 0;
	if (len == 0)
		return OUTLOG_WAIT;
	if (max == 0) {
		*n = len;
		return OUTLOG_WRITE;
	}
	room = size < max ? max - size : 0;
	fit = (uint64_t)len < room ? len : (size_t)room;
	nl = fit > 0 ? memrchr(data, '\n', fit) : NULL;

	if ((uint64_t)len <= room) {
		/* Everything fits. An unfinished last line is written now
		 * only if its rest would fit too (or it starts the file:
		 * then it is split only if it is longer than max). */
		if (data[len - 1] == '\n' || force || size == 0 ||
		    room - len >= linemax) {
			*n = len;
			return OUTLOG_WRITE;
		}
		if (nl != NULL) {
			*n = (size_t)(nl - data) + 1;
			return OUTLOG_WRITE;
		}
		/* Only an unfinished line, near the end of the file. */
		if (len >= linemax)
			return OUTLOG_ROTATE;	/* a long one: a file of its own */
		return OUTLOG_WAIT;
	}
	/* Not everything fits: cut after the last line that does. */
	if (nl != NULL) {
		*n = (size_t)(nl - data) + 1;
		return OUTLOG_WRITE;
	}
	if (size > 0)
		return OUTLOG_ROTATE;
	/* A fresh file cannot hold the first line: it is longer than max. */
	*n = (size_t)room;
	return OUTLOG_WRITE;
}
