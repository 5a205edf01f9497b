/* safeopen.c: see safeopen.h. */
#include "autoconfig.h"

#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safeopen.h"
#include "util.h"

#define SAFE_MAXLINKS	16	/* symbolic links followed in one path */

/* See safeopen.h. */
bool
safe_dir_trusted(const struct stat *st, uid_t euid)
{
	if (!S_ISDIR(st->st_mode))
		return false;
	if (st->st_uid != 0 && st->st_uid != euid)
		return false;
	return (st->st_mode & 022) == 0 || (st->st_mode & S_ISVTX) != 0;
}

/* Is this entry (a link, a directory) one that only root or we made? */
static bool
safe_owned(const struct stat *st, uid_t euid)
{
	return st->st_uid == 0 || st->st_uid == euid;
}

/* Walk path (relative to dirfd; a leading '/' starts at the root) one
 * directory at a time, dirfd consumed. Every component must be a
 * directory; a symbolic link is followed only if the directory holding it
 * is trusted and the link is root's or ours. *trusted is cleared at the
 * first untrusted directory. Returns the final O_PATH descriptor or -1
 * with errno and why. */
static int
safe_walk(int dirfd, const char *path, int *links, bool *trusted, char *why,
    size_t whylen)
{
	struct stat	 st;
	char		*copy, *comp, *save = NULL, target[PATH_MAX];
	uid_t		 euid = geteuid();
	ssize_t		 n;
	int		 fd, saved;

	if (path[0] == '/') {
		(void)close(dirfd);
		dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd == -1) {
			(void)snprintf(why, whylen, "/: %s", strerror(errno));
			return -1;
		}
		if (fstat(dirfd, &st) == -1 || !safe_dir_trusted(&st, euid))
			*trusted = false;
	}
	copy = xstrdup(path);
	for (comp = strtok_r(copy, "/", &save); comp != NULL;
	    comp = strtok_r(NULL, "/", &save)) {
		if (strcmp(comp, ".") == 0)
			continue;
		fd = openat(dirfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd == -1 && (errno == ENOTDIR || errno == ELOOP) &&
		    fstatat(dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode)) {
			if (!*trusted || !safe_owned(&st, euid)) {
				(void)snprintf(why, whylen, "%s is a symbolic "
				    "link another user could have made "
				    "(in %s)", comp, path);
				errno = ELOOP;
				goto fail;
			}
			if (++*links > SAFE_MAXLINKS) {
				(void)snprintf(why, whylen, "%s: too many "
				    "symbolic links", path);
				errno = ELOOP;
				goto fail;
			}
			n = readlinkat(dirfd, comp, target,
			    sizeof(target) - 1);
			if (n == -1)
				goto fail_errno;
			target[n] = '\0';
			fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
			if (fd == -1)
				goto fail_errno;
			fd = safe_walk(fd, target, links, trusted, why, whylen);
			if (fd == -1)
				goto fail;
		} else if (fd == -1) {
			goto fail_errno;
		}
		(void)close(dirfd);
		dirfd = fd;
		if (fstat(dirfd, &st) == -1)
			goto fail_errno;
		if (!safe_dir_trusted(&st, euid))
			*trusted = false;
	}
	free(copy);
	return dirfd;
fail_errno:
	saved = errno;
	(void)snprintf(why, whylen, "%s: %s", path, strerror(saved));
	errno = saved;
fail:
	saved = errno;
	(void)close(dirfd);
	free(copy);
	errno = saved;
	return -1;
}

/* See safeopen.h. */
int
safe_open_parent(const char *path, const char **base, bool *trusted,
    char *why, size_t whylen)
{
	const char	*slash = strrchr(path, '/');
	struct stat	 st;
	char		*dir;
	int		 fd, links = 0, saved;

	*trusted = true;
	fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1) {
		(void)snprintf(why, whylen, "the current directory: %s",
		    strerror(errno));
		return -1;
	}
	if (path[0] != '/' &&
	    (fstat(fd, &st) == -1 || !safe_dir_trusted(&st, geteuid())))
		*trusted = false;
	if (slash == NULL) {
		*base = path;
		return fd;
	}
	*base = slash + 1;
	dir = xstrndup(path, (size_t)(slash - path) + 1);	/* keeps a '/' */
	fd = safe_walk(fd, dir, &links, trusted, why, whylen);
	saved = errno;
	free(dir);
	errno = saved;
	return fd;
}

/* Refuse what fd is, if it must not be used; 0 if it may. trusted: the
 * path is trusted and nobody else may add names to its directory. */
static int
safe_check(const struct stat *st, const char *path, bool trusted,
    unsigned safe, char *why, size_t whylen)
{
	uid_t	euid = geteuid();

	if (!S_ISREG(st->st_mode)) {
		if (trusted && (safe & SAFE_ANYKIND))
			return 0;
		(void)snprintf(why, whylen, "%s is not a regular file%s", path,
		    trusted ? "" : " (in a directory others can write)");
		errno = EPERM;
		return -1;
	}
	if (st->st_nlink != 1) {
		(void)snprintf(why, whylen, "%s has %lu hard links", path,
		    (unsigned long)st->st_nlink);
		errno = EPERM;
		return -1;
	}
	if (st->st_uid != euid && (!trusted || (safe & SAFE_OWNED))) {
		(void)snprintf(why, whylen, "%s is owned by uid %lu, not by "
		    "tendd's user", path, (unsigned long)st->st_uid);
		errno = EPERM;
		return -1;
	}
	if ((safe & SAFE_PRIVATE) && (st->st_mode & 077) != 0) {
		(void)snprintf(why, whylen, "%s is readable or writable by "
		    "others (mode %03o)", path, (unsigned)(st->st_mode & 0777));
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* See safeopen.h. */
int
safe_open(const char *path, int flags, mode_t mode, unsigned safe,
    struct stat *stp, char *why, size_t whylen)
{
	struct stat	 st, lst;
	const char	*base;
	bool		 trusted, exclusive, truncate = (flags & O_TRUNC) != 0;
	int		 dirfd, fd, saved;

	if ((dirfd = safe_open_parent(path, &base, &trusted, why,
	    whylen)) == -1)
		return -1;
	if ((safe & SAFE_TRUSTED) && !trusted) {
		(void)snprintf(why, whylen, "%s is in a directory that another "
		    "user can write", path);
		(void)close(dirfd);
		errno = EPERM;
		return -1;
	}
	if (*base == '\0')
		base = ".";
	/* a sticky directory keeps our names ours, but others may have put
	 * theirs in it: there only our own regular files are used */
	exclusive = trusted && fstat(dirfd, &st) == 0 &&
	    (st.st_mode & 022) == 0;
	flags &= ~O_TRUNC;
	flags |= O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	do {
		fd = openat(dirfd, base, flags | O_NOFOLLOW, mode);
	} while (fd == -1 && errno == EINTR);
	/* ELOOP, or EACCES where the kernel protects sticky directories
	 * (fs.protected_symlinks): either way, say it is a link */
	if (fd == -1 && errno != ENOENT &&
	    fstatat(dirfd, base, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(lst.st_mode)) {
		/* A link root made in a directory only root writes (the
		 * /dev/stdout of containers): the kernel follows it, magic
		 * /proc links included. Any other link is refused. */
		if (!trusted || !safe_owned(&lst, geteuid()) ||
		    !(safe & SAFE_ANYKIND)) {
			if (!safe_owned(&lst, geteuid()))
				(void)snprintf(why, whylen, "%s is a symbolic "
				    "link of uid %lu's", path,
				    (unsigned long)lst.st_uid);
			else
				(void)snprintf(why, whylen, "%s is a symbolic "
				    "link%s", path, trusted ? "" : " in a "
				    "directory another user can write");
			(void)close(dirfd);
			errno = ELOOP;
			return -1;
		}
		do {
			fd = openat(dirfd, base, flags & ~O_CREAT, mode);
		} while (fd == -1 && errno == EINTR);
	}
	saved = errno;
	(void)close(dirfd);
	if (fd == -1) {
		(void)snprintf(why, whylen, "%s: %s", path, strerror(saved));
		errno = saved;
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		saved = errno;
		(void)snprintf(why, whylen, "%s: %s", path, strerror(saved));
		goto fail;
	}
	if (safe_check(&st, path, exclusive, safe, why, whylen) == -1)
		goto fail;
	if (truncate && S_ISREG(st.st_mode)) {
		if (ftruncate(fd, 0) == -1) {
			(void)snprintf(why, whylen, "%s: truncate: %s", path,
			    strerror(errno));
			goto fail;
		}
		st.st_size = 0;
	}
	if (stp != NULL)
		*stp = st;
	return fd;
fail:
	saved = errno;
	(void)close(fd);
	errno = saved;
	return -1;
}

/* See safeopen.h. */
int
safe_open_dir(const char *path, bool create, mode_t mode, char *why,
    size_t whylen)
{
	struct stat	 st;
	const char	*base;
	bool		 trusted;
	int		 dirfd, fd, saved;

	if ((dirfd = safe_open_parent(path, &base, &trusted, why,
	    whylen)) == -1)
		return -1;
	if (!trusted) {
		/* refused before anything is made there */
		(void)snprintf(why, whylen, "a directory above %s is writable "
		    "by another user: it could replace %s", path, path);
		(void)close(dirfd);
		errno = EPERM;
		return -1;
	}
	if (*base == '\0')
		base = ".";
	if (create && mkdirat(dirfd, base, mode) == 0) {
		/* the mode without the umask: what was asked for */
		fd = openat(dirfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd != -1) {
			(void)fchmod(fd, mode);
			(void)close(fd);
		}
	} else if (create && errno != EEXIST) {
		saved = errno;
		(void)snprintf(why, whylen, "cannot create %s: %s", path,
		    strerror(saved));
		(void)close(dirfd);
		errno = saved;
		return -1;
	}
	fd = safe_walk(dirfd, base, &(int){ 0 }, &trusted, why, whylen);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		saved = errno;
		(void)snprintf(why, whylen, "%s: %s", path, strerror(saved));
		(void)close(fd);
		errno = saved;
		return -1;
	}
	if (!trusted) {
		/* the parents were trusted: it is this one */
		(void)snprintf(why, whylen, "%s is %s (mode %03o, uid %lu): "
		    "another user could replace what tendd keeps there", path,
		    !safe_owned(&st, geteuid()) ? "owned by another user" :
		    "writable by others and not sticky",
		    (unsigned)(st.st_mode & 07777), (unsigned long)st.st_uid);
		(void)close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/* See safeopen.h. */
int
safe_replace(const char *path, const void *data, size_t len, mode_t mode,
    bool durable, char *why, size_t whylen)
{
	static unsigned	 counter;
	const char	*base;
	unsigned long long r;
	char		 tmp[NAME_MAX + 1];
	bool		 trusted;
	int		 dirfd, fd = -1, saved = 0, tries;

	if ((dirfd = safe_open_parent(path, &base, &trusted, why,
	    whylen)) == -1)
		return -1;
	for (tries = 0; tries < 16 && fd == -1; tries++) {
		/* O_EXCL makes it safe; the name only has to be new and
		 * not guessable, so a missing getrandom() is no failure */
		r = ((unsigned long long)getpid() << 32) ^ ++counter;
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r ^= (unsigned long long)time(NULL) << 8;
		(void)snprintf(tmp, sizeof(tmp), ".%.200s.%016llx", base, r);
		do {
			fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
			    mode & 0600);
		} while (fd == -1 && errno == EINTR);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		saved = errno;
		(void)snprintf(why, whylen, "cannot create a temporary file "
		    "beside %s: %s", path, strerror(saved));
		(void)close(dirfd);
		errno = saved;
		return -1;
	}
	if (fd_write_all(fd, data, len) == -1 || fchmod(fd, mode) == -1 ||
	    (durable && fsync(fd) == -1)) {
		saved = errno;
		(void)snprintf(why, whylen, "write %s: %s", path,
		    strerror(saved));
		(void)close(fd);
		goto fail;
	}
	if (close(fd) == -1) {
		saved = errno;
		(void)snprintf(why, whylen, "write %s: %s", path,
		    strerror(saved));
		goto fail;
	}
	if (renameat(dirfd, tmp, dirfd, base) == -1) {
		saved = errno;
		(void)snprintf(why, whylen, "rename to %s: %s", path,
		    strerror(saved));
		goto fail;
	}
	if (durable && fsync_dir_at(dirfd, ".") == -1) {
		saved = errno;
		(void)snprintf(why, whylen, "fsync of %s's directory: %s",
		    path, strerror(saved));
		(void)close(dirfd);
		errno = saved;
		return -1;
	}
	(void)close(dirfd);
	return 0;
fail:
	(void)unlinkat(dirfd, tmp, 0);
	(void)close(dirfd);
	errno = saved;
	return -1;
}
