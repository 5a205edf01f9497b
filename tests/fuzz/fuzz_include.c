/* fuzz_include: bytes -> three files in a private directory, then
 * config_load() of the first: the [include] path (globs relative to
 * %(here)s, nesting, the include loop check, errors reported in the file
 * and line they are in) and environment_file= reading, with real files.
 *
 * The input is MAIN [NUL INCLUDED [NUL ENVFILE]]: MAIN is DIR/main.ini
 * (given an [include] of every .ini file in inc first, unless it has an
 * [include] of its own), INCLUDED is DIR/inc/a.ini, ENVFILE is DIR/a.env;
 * any of them may name the others (files = main.ini makes a loop). Paths
 * that could leave the directory (absolute ones, "..") are not tried: a
 * glob of everything under /usr would read thousands of files per input.
 * Asserts, as fuzz_config does, that loading is deterministic: the same
 * result and the same messages twice. */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

static char	*dir, *main_path, *inc_path, *env_path;

/* The directory, once (removed by nobody: it is under TMPDIR and small). */
static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*d;

	d = xasprintf("%s/fuzz_include.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(d) == NULL)
		abort();
	dir = d;
	main_path = xasprintf("%s/main.ini", dir);
	inc_path = xasprintf("%s/inc/a.ini", dir);
	env_path = xasprintf("%s/a.env", dir);
	d = xasprintf("%s/inc", dir);
	if (mkdir(d, 0700) == -1)
		abort();
	free(d);
}

/* path's content is exactly data[0..len) (mode 0644: a root tendd refuses
 * group- or world-writable files). */
static void
put(const char *path, const void *data, size_t len)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1 || (len > 0 && write(fd, data, len) != (ssize_t)len) ||
	    close(fd) == -1)
		abort();
}

/* Could a path in text (len bytes) leave the directory: "..", an
 * environment variable, or a '/' that starts a path (not the one after
 * %(here)s)? */
static bool
escapes(const uint8_t *text, size_t len)
{
	static const char	here[] = "%(here)s";
	size_t			i;

	if (memmem(text, len, "..", 2) != NULL ||
	    memmem(text, len, "ENV_", 4) != NULL)	/* %(ENV_HOME)s/... */
		return true;
	for (i = 0; i < len; i++) {
		if (text[i] != '/')
			continue;
		if (i >= sizeof here - 1 &&
		    memcmp(text + i - (sizeof here - 1), here,
		    sizeof here - 1) == 0)
			continue;
		if (i == 0 || strchr("= \t,\n\r-\"'", text[i - 1]) != NULL)
			return true;
	}
	return false;
}

static struct config *
load(struct strlist *errs, struct strlist *warns)
{
	memset(errs, 0, sizeof *errs);
	memset(warns, 0, sizeof *warns);
	return config_load(main_path, errs, warns);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 deflt[] = "[include]\nfiles = inc/*.ini\n";
	const uint8_t		*part[3], *end = data + size, *nul;
	size_t			 len[3], i;
	struct strlist		 e1, w1, e2, w2;
	struct config		*c1, *c2;
	struct buf		 b;

	if (size > 1 << 20)
		return 0;
	if (dir == NULL)
		setup();
	for (i = 0; i < 3; i++) {
		part[i] = data;
		nul = i < 2 ? memchr(data, '\0', (size_t)(end - data)) : NULL;
		len[i] = (size_t)((nul != NULL ? nul : end) - data);
		data = nul != NULL ? nul + 1 : end;
		if (escapes(part[i], len[i]))
			return 0;
	}
	buf_init(&b);
	if (memmem(part[0], len[0], "[include]", 9) == NULL)
		buf_addstr(&b, deflt);
	buf_add(&b, part[0], len[0]);
	put(main_path, b.data, b.len);
	put(inc_path, part[1], len[1]);
	put(env_path, part[2], len[2]);
	buf_free(&b);

	c1 = load(&e1, &w1);
	c2 = load(&e2, &w2);
	if ((c1 == NULL) != (c2 == NULL) || e1.n != e2.n || w1.n != w2.n)
		abort();
	if (c1 == NULL && e1.n == 0)
		abort();
	for (i = 0; i < e1.n; i++)
		if (strcmp(e1.v[i], e2.v[i]) != 0)
			abort();
	for (i = 0; i < w1.n; i++)
		if (strcmp(w1.v[i], w2.v[i]) != 0)
			abort();
	if (c1 != NULL && (c1->nprogs != c2->nprogs ||
	    c1->ngroups != c2->ngroups))
		abort();
	config_free(c1);
	config_free(c2);
	strlist_free(&e1);
	strlist_free(&w1);
	strlist_free(&e2);
	strlist_free(&w2);
	return 0;
}
