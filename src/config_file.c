/* config_file.c: the files of one load: reading one whole (or its text
 * from memory, for tendctl edit), refusing one that only root should be
 * able to change but others can, the environment files each read once, and
 * where an error of a line is reported: to the reader of its file. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini_reader.h"

#define CONFIG_MAX_ENV_FILE	(1024u * 1024)	/* bytes in an environment_file */

/* Record an error through reader rd (the file it is in). */
static void
config_verror(struct config_ctx *c, struct reader *rd, unsigned line,
    const char *key, const char *fmt, va_list ap)
{
	struct buf	b;

	buf_init(&b);
	buf_vprintf(&b, fmt, ap);
	reader_error(rd, line, c->sect, key, "%s", b.data);
	buf_free(&b);
}

/* Record an error of the section being read. */
void
config_error(struct config_ctx *c, unsigned line, const char *key,
    const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	config_verror(c, c->rd, line, key, fmt, ap);
	va_end(ap);
}

/* See config_int.h. */
void
config_error_at(struct config_ctx *c, size_t file, unsigned line,
    const char *key, const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	config_verror(c, c->files[file].rd, line, key, fmt, ap);
	va_end(ap);
}

/* "line N" for a line of the file being read, else "FILE:N". */
void
config_where(const struct config_ctx *c, size_t file, unsigned line,
    char *out, size_t len)
{
	if (file == c->curfile)
		(void)snprintf(out, len, "line %u", line);
	else
		(void)snprintf(out, len, "%s:%u", c->files[file].path, line);
}

/* The index of the file called path (every file is read once). */
size_t
config_file_index(const struct config_ctx *c, const char *path)
{
	size_t	i = config_index_get(&c->file_paths, path);

	return i != CONFIG_NOPOS ? i : 0;
}

/* The override opts asks for, resolved for one load: into ov, or NULL
 * when there is none. */
const struct config_override *
config_override_init(struct config_override *ov,
    const struct config_opts *opts)
{
	if (opts == NULL || opts->override_path == NULL)
		return NULL;
	if ((ov->path = realpath(opts->override_path, NULL)) == NULL)
		ov->path = xstrdup(opts->override_path);
	ov->text = opts->override_text;
	ov->len = opts->override_len;
	return ov;
}

/* Is path the overridden file? */
static bool
config_is_override(const struct config_override *ov, const char *path)
{
	char	*real;
	bool	 same;

	if (ov == NULL)
		return false;
	if ((real = realpath(path, NULL)) == NULL)
		return strcmp(path, ov->path) == 0;
	same = strcmp(real, ov->path) == 0;
	free(real);
	return same;
}

/* Read the whole file at path (or ov's text, if path is the file ov
 * replaces), at most max bytes, into b; -1 with the reason in why, and
 * *missing (if not NULL) set when it does not exist. */
int
config_slurp(const struct config_override *ov, const char *path, size_t max,
    struct buf *b, struct buf *why, bool *missing)
{
	struct stat	st;
	int		fd;

	if (config_is_override(ov, path)) {
		buf_add(b, ov->text, ov->len);
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		if (missing != NULL)
			*missing = errno == ENOENT;
		buf_printf(why, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* Like sshd's StrictModes: a root tendd runs what its files say, so
	 * only root may be able to change them. */
	if (fstat(fd, &st) == -1) {
		buf_printf(why, "cannot stat: %s", strerror(errno));
		(void)close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) ||
	    (geteuid() == 0 && (st.st_uid != 0 || (st.st_mode & 022) != 0))) {
		if (S_ISDIR(st.st_mode))
			buf_printf(why, "cannot read: %s", strerror(EISDIR));
		else if (!S_ISREG(st.st_mode))
			buf_printf(why, "not a regular file");
		else if (st.st_uid != 0)
			buf_printf(why, "refused: owned by uid %lu, not root, "
			    "and tendd runs as root", (unsigned long)st.st_uid);
		else
			buf_printf(why, "refused: writable by %s (mode %04o) "
			    "and tendd runs as root", (st.st_mode & 002) ?
			    "others" : "its group",
			    (unsigned)(st.st_mode & 07777));
		(void)close(fd);
		return -1;
	}
	if (fd_read_all(fd, b, max) == -1) {
		if (errno == EFBIG)
			buf_printf(why, "file too large (more than %zu bytes)",
			    max);
		else
			buf_printf(why, "cannot read: %s", strerror(errno));
		(void)close(fd);
		return -1;
	}
	/* read-only: a close error loses nothing */
	(void)close(fd);
	return 0;
}

/* The environment file at path, read and parsed now or earlier in this
 * load (see struct config_envfile). */
const struct config_envfile *
config_envfile_get(struct config_ctx *c, const char *path)
{
	struct config_envfile	*f;
	struct buf		 text, why;
	unsigned		 line;
	size_t			 i;

	if ((i = config_index_get(&c->envfile_paths, path)) != CONFIG_NOPOS)
		return &c->envfiles[i];
	if ((c->nenvfiles & (c->nenvfiles - 1)) == 0)
		c->envfiles = xreallocarray(c->envfiles, c->nenvfiles == 0 ? 1 :
		    c->nenvfiles * 2, sizeof *c->envfiles);
	f = &c->envfiles[c->nenvfiles++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	(void)config_index_put(&c->envfile_paths, f->path, c->nenvfiles - 1);
	buf_init(&text);
	buf_init(&why);
	if (config_slurp(c->override, path, CONFIG_MAX_ENV_FILE, &text, &why,
	    &f->missing) == -1)
		f->why = xasprintf("%s: %s", path, why.data);
	else if (envlist_parse_file(text.data, text.len, &f->env, &line,
	    &why) == -1)
		f->why = xasprintf("%s:%u: %s", path, line, why.data);
	buf_free(&text);
	buf_free(&why);
	return f;
}
