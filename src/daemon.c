/* daemon.c: the seeds' recipe, step by step, and a pid file whose lock is
 * the liveness test. */
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

#include "daemon.h"
#include "safeopen.h"
#include "util.h"

/* The launching process: wait for the daemon's word, exit with it. */
static _Noreturn void
daemon_wait_ready(int rfd, pid_t first)
{
	char	buf[2048];
	size_t	len = 0;
	ssize_t	n;
	int	status;

	while (len < sizeof(buf) - 1) {
		n = read(rfd, buf + len, sizeof(buf) - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	while (waitpid(first, &status, 0) == -1 && errno == EINTR)
		;
	if (len >= 2 && strncmp(buf, "OK", 2) == 0)
		_exit(0);
	if (len == 0)
		(void)fprintf(stderr, "tendd: the daemon exited during "
		    "start-up\n");
	else
		(void)fprintf(stderr, "tendd: %s\n", buf);
	_exit(1);
}

/* See daemon.h. */
int
daemon_detach(unsigned umask_value)
{
	int	ready[2], nullfd;
	pid_t	pid;

	(void)umask((mode_t)umask_value);
	if (pipe2(ready, O_CLOEXEC) == -1) {
		(void)fprintf(stderr, "tendd: pipe: %s\n", strerror(errno));
		exit(1);
	}
	if ((pid = fork()) == -1) {
		(void)fprintf(stderr, "tendd: fork: %s\n", strerror(errno));
		exit(1);
	}
	if (pid > 0) {
		(void)close(ready[1]);
		daemon_wait_ready(ready[0], pid);
	}
	(void)close(ready[0]);
	if (setsid() == -1)
		_exit(1);
	/* The session leader's exit sends SIGHUP to the new session. */
	(void)signal(SIGHUP, SIG_IGN);
	if ((pid = fork()) == -1)
		_exit(1);
	if (pid > 0)
		_exit(0);	/* never a session leader: no terminal again */
	(void)signal(SIGHUP, SIG_DFL);
	if (chdir("/") == -1)
		_exit(1);
	/* Close every inherited fd but the readiness pipe. */
	if (ready[1] > 3)
		(void)close_range(3, (unsigned)ready[1] - 1, 0);
	(void)close_range((unsigned)ready[1] + 1, ~0U, 0);
	if ((nullfd = open("/dev/null", O_RDWR)) == -1)
		_exit(1);
	if (dup2(nullfd, 0) == -1 || dup2(nullfd, 1) == -1 ||
	    dup2(nullfd, 2) == -1)
		_exit(1);
	if (nullfd > 2)
		(void)close(nullfd);
	return ready[1];
}

/* See daemon.h. */
void
daemon_ready(int fd, const char *errmsg)
{
	const char	*msg = errmsg != NULL ? errmsg : "OK";
	ssize_t		 n;

	if (fd < 0)
		return;
	do {
		n = write(fd, msg, strlen(msg));
	} while (n == -1 && errno == EINTR);
	(void)close(fd);
}

/* Read the pid a locked pid file holds (for the message). */
static long
daemon_pidfile_read(int fd)
{
	char	buf[32];
	ssize_t	n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* See daemon.h. The lock on the file is the liveness test; the content is
 * written to a temporary file and renamed into place, so a reader never
 * sees a half-written pid.
 *
 * The old file is opened with safe_open(): no symbolic link followed, a
 * FIFO never blocks the open, and only a regular file with one link (and
 * tendd's user's, unless nobody else may write its directory) is looked
 * at. The new one is not written with safe_replace(), which closes its
 * descriptor before the rename: the lock must be on the file before it
 * appears at path, or a second tendd could find it unlocked, call it
 * stale and replace it. So the temporary is made here, with mkostemp()
 * (a random name, O_EXCL: nothing planted beside the pid file is
 * followed, and a fixed name cannot be taken to stop tendd starting),
 * locked, written and renamed. */
int
daemon_pidfile_open(const char *path, char *err, size_t errlen)
{
	char		 tmp[PATH_MAX], pid[32], why[512];
	struct stat	 a, b;
	int		 fd, n;
	long		 other;

	fd = safe_open(path, O_RDONLY, 0, 0, NULL, why, sizeof(why));
	if (fd != -1) {
		if (flock(fd, LOCK_EX | LOCK_NB) == -1 &&
		    errno == EWOULDBLOCK) {
			other = daemon_pidfile_read(fd);
			(void)close(fd);
			(void)snprintf(err, errlen, "already running (pid %ld), "
			    "pid file %s is locked", other, path);
			return -1;
		}
		(void)close(fd);	/* stale: replaced below */
	} else if (errno != ENOENT) {
		/* a link, a FIFO, a hard link, another user's file... */
		(void)snprintf(err, errlen, "pid file refused: %s", why);
		return -1;
	}
	n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		(void)snprintf(err, errlen, "pid file path too long");
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1) {
		(void)snprintf(err, errlen, "cannot create pid file %s: %s",
		    path, strerror(errno));
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (flock(fd, LOCK_EX | LOCK_NB) == -1 ||
	    fchmod(fd, 0644) == -1 ||
	    write(fd, pid, (size_t)n) != n ||
	    rename(tmp, path) == -1) {
		(void)snprintf(err, errlen, "cannot write pid file %s: %s",
		    path, strerror(errno));
		(void)unlink(tmp);
		(void)close(fd);
		return -1;
	}
	/* Lost a race with another instance's rename? */
	if (fstat(fd, &a) == -1 || lstat(path, &b) == -1 ||
	    a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
		(void)snprintf(err, errlen, "pid file %s was replaced by "
		    "another instance", path);
		(void)close(fd);
		return -1;
	}
	return fd;
}

/* See daemon.h. */
void
daemon_pidfile_close(int fd, const char *path)
{
	struct stat	a, b;

	if (fd < 0)
		return;
	if (fstat(fd, &a) == 0 && lstat(path, &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		(void)unlink(path);
	(void)close(fd);
}
