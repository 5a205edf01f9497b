/* edit.c: `tendctl edit`, as visudo and crontab -e do it. The file that
 * defines a program (or a given file, or the main configuration) is copied
 * to a temporary file beside it and opened in $VISUAL/$EDITOR; on save the
 * whole configuration is validated exactly as tendd reads it, with the
 * edited copy standing in for the file; a broken file is never installed.
 * A good one replaces the original atomically (rename, same owner and
 * mode) unless the original changed meanwhile, then tendd is asked to
 * reread and, if wanted, to update. A lock on the original keeps two
 * editors of one file apart. */
#include "autoconfig.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "config.h"
#include "edit.h"
#include "protocol.h"
#include "util.h"

/* Read a whole file (at most 16 MiB). */
static int
edit_slurp(const char *path, struct buf *b)
{
	int	fd, rc, saved;

	buf_reset(b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rc = fd_read_all(fd, b, 16u << 20);
	saved = errno;
	(void)close(fd);
	errno = saved;
	return rc;
}

/* Write all of b to fd. */
static int
edit_write_all(int fd, const struct buf *b)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < b->len) {
		n = write(fd, b->data + off, b->len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Ask a question on the terminal (or stdin); the first letter answered,
 * or 0 at end of input. */
static int
edit_ask(const char *question)
{
	char	 line[64];
	FILE	*in = stdin;

	(void)fputs(question, stdout);
	(void)fflush(stdout);
	if (fgets(line, sizeof(line), in) == NULL)
		return 0;
	return (unsigned char)line[0];
}

/* Run the editor on path: $VISUAL, $EDITOR or vi, through the shell so
 * that "EDITOR=emacs -nw" works. Returns its exit status, -1 on failure. */
static int
edit_editor(const char *path)
{
	const char	*ed = getenv("VISUAL");
	pid_t		 pid;
	int		 status;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	if (setenv("TEND_EDITOR", ed, 1) == -1)
		return -1;
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		(void)signal(SIGINT, SIG_DFL);
		(void)signal(SIGTERM, SIG_DFL);
		(void)signal(SIGHUP, SIG_DFL);
		execl("/bin/sh", "sh", "-c", "exec $TEND_EDITOR \"$1\"", "sh",
		    path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Which file to edit: FILE, the file of program/group NAME, or conf. */
static char *
edit_target(const char *conf, const char *arg)
{
	const struct program	*p;
	const struct group_conf	*g;
	struct strlist		 errs = { NULL, 0 }, warns = { NULL, 0 };
	struct config		*c;
	struct stat		 st;
	char			*path = NULL;

	if (arg == NULL)
		return xstrdup(conf);
	if (strchr(arg, '/') != NULL || (stat(arg, &st) == 0 &&
	    S_ISREG(st.st_mode)))
		return xstrdup(arg);
	c = config_load(conf, &errs, &warns);
	if (c == NULL) {
		(void)fprintf(stderr, "tendctl: %s does not load, so '%s' "
		    "cannot be found in it; edit the file by name:\n", conf,
		    arg);
		for (size_t i = 0; i < errs.n; i++)
			(void)fprintf(stderr, "%s\n", errs.v[i]);
	} else if ((p = config_find(c, arg)) != NULL) {
		path = xstrdup(p->file);
	} else if ((g = config_find_group(c, arg)) != NULL) {
		path = xstrdup(g->file);
	} else {
		(void)fprintf(stderr, "tendctl: no program or group '%s' in "
		    "%s\n", arg, conf);
	}
	config_free(c);
	strlist_free(&errs);
	strlist_free(&warns);
	return path;
}

/* Validate the configuration with the edited copy in place of target. */
static bool
edit_validate(const char *conf, const char *target, const struct buf *text)
{
	struct config_opts	 opts = {
		.override_path = target,
		.override_text = text->len > 0 ? text->data : "",
		.override_len = text->len,
	};
	struct strlist		 errs = { NULL, 0 }, warns = { NULL, 0 };
	struct config		*c;
	size_t			 i;

	c = config_load_opts(conf, &opts, &errs, &warns);
	for (i = 0; i < warns.n; i++)
		(void)printf("warning: %s\n", warns.v[i]);
	for (i = 0; i < errs.n; i++)
		(void)printf("%s\n", errs.v[i]);
	strlist_free(&errs);
	strlist_free(&warns);
	if (c == NULL)
		return false;
	config_free(c);
	return true;
}

/* See edit.h. */
int
edit_run(const char *conf, const char *fifo, int argc, char **argv)
{
	struct buf	 orig, now, edited;
	struct stat	 st;
	char		*target = NULL, *tmp = NULL, *slash;
	char		*reread[] = { "reread", NULL };
	char		*update[] = { "update", NULL };
	const char	*arg = NULL;
	bool		 yes = false;
	int		 i, lockfd = -1, tfd = -1, code = TEND_EXIT_GENERIC, ans;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-y") == 0)
			yes = true;
		else if (arg == NULL)
			arg = argv[i];
		else {
			(void)fprintf(stderr, "usage: tendctl edit [-y] "
			    "[NAME|FILE]\n");
			return TEND_EXIT_INVALID_ARGS;
		}
	}
	if (conf == NULL) {
		(void)fprintf(stderr, "tendctl: edit needs the configuration "
		    "file: use -c FILE\n");
		return TEND_EXIT_INVALID_ARGS;
	}
	buf_init(&orig);
	buf_init(&now);
	buf_init(&edited);
	if ((target = edit_target(conf, arg)) == NULL)
		goto out;

	/* One editor per file: a second one is told, not overwritten. */
	if ((lockfd = open(target, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(lockfd, &st) == -1) {
		(void)fprintf(stderr, "tendctl: %s: %s\n", target,
		    strerror(errno));
		goto out;
	}
	if (flock(lockfd, LOCK_EX | LOCK_NB) == -1) {
		(void)fprintf(stderr, "tendctl: %s is being edited by someone "
		    "else (%s)\n", target, errno == EWOULDBLOCK ?
		    "it is locked" : strerror(errno));
		goto out;
	}
	if (edit_slurp(target, &orig) == -1) {
		(void)fprintf(stderr, "tendctl: %s: %s\n", target,
		    strerror(errno));
		goto out;
	}
	/* The copy lives beside the file, so that rename() is atomic. */
	slash = strrchr(target, '/');
	tmp = slash == NULL ? xasprintf(".%s.tend-edit.XXXXXX", target) :
	    xasprintf("%.*s/.%s.tend-edit.XXXXXX", (int)(slash - target),
	    target, slash + 1);
	if ((tfd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		(void)fprintf(stderr, "tendctl: cannot make a copy of %s: %s\n",
		    target, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (edit_write_all(tfd, &orig) == -1 || close(tfd) == -1) {
		tfd = -1;
		(void)fprintf(stderr, "tendctl: %s: %s\n", tmp,
		    strerror(errno));
		goto out;
	}
	tfd = -1;

	for (;;) {
		int	rc = edit_editor(tmp);

		if (rc != 0) {
			(void)fprintf(stderr, "tendctl: the editor failed "
			    "(status %d): %s left unchanged\n", rc, target);
			goto out;
		}
		if (edit_slurp(tmp, &edited) == -1) {
			(void)fprintf(stderr, "tendctl: %s: %s\n", tmp,
			    strerror(errno));
			goto out;
		}
		if (edited.len == orig.len &&
		    memcmp(edited.data, orig.data, orig.len) == 0) {
			(void)printf("%s: no changes\n", target);
			code = 0;
			goto out;
		}
		if (edit_validate(conf, target, &edited))
			break;
		ans = edit_ask("What now? (e)dit again, (x) discard ");
		if (ans != 'e' && ans != 'E') {
			(void)printf("%s: changes discarded\n", target);
			goto out;
		}
	}

	/* Compare before replace: someone may have changed it anyway. */
	if (edit_slurp(target, &now) == -1 || now.len != orig.len ||
	    memcmp(now.data, orig.data, orig.len) != 0) {
		(void)fprintf(stderr, "tendctl: %s changed while you were "
		    "editing it; your version is kept in %s\n", target, tmp);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if ((tfd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fchown(tfd, st.st_uid, st.st_gid) == -1 ||
	    fchmod(tfd, st.st_mode & 07777) == -1 || fsync(tfd) == -1 ||
	    rename(tmp, target) == -1) {
		(void)fprintf(stderr, "tendctl: cannot replace %s: %s\n",
		    target, strerror(errno));
		goto out;
	}
	if (fsync_parent_dir(target) == -1)	/* replaced, maybe not durably */
		(void)fprintf(stderr, "tendctl: warning: fsync of %s's "
		    "directory: %s\n", target, strerror(errno));
	free(tmp);
	tmp = NULL;
	(void)printf("%s: installed\n", target);
	(void)fflush(stdout);

	code = client_run(fifo, 1, reread);
	if (code != 0)
		goto out;
	if (!yes) {
		ans = edit_ask("Apply these changes now (update)? [y/N] ");
		yes = ans == 'y' || ans == 'Y';
	}
	if (yes)
		code = client_run(fifo, 1, update);
out:
	if (tfd != -1)
		(void)close(tfd);
	if (tmp != NULL) {
		(void)unlink(tmp);
		free(tmp);
	}
	if (lockfd != -1)
		(void)close(lockfd);
	free(target);
	buf_free(&orig);
	buf_free(&now);
	buf_free(&edited);
	return code;
}
