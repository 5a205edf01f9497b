/* check_safeopen.c: the checked open that stands between root and the
 * paths users can write: links, FIFOs, hard links, files of others, and
 * directories others can write, each refused without touching the target
 * (a "victim" file whose content must survive). Each test works in its
 * own temporary directory; the parts that need a second uid run as root
 * only (they chown to 65534). */
#include "autoconfig.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "safeopen.h"
#include "util.h"

#define VICTIM_TEXT	"root:secret\n"
#define OTHER_UID	65534

static char	dir[256];		/* this test's directory */
static char	why[PATH_MAX + 256];

static void
setup(void)
{
	(void)snprintf(dir, sizeof(dir), "%s/check_safeopen.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	(void)umask(022);
}

static void
teardown(void)
{
	char	*cmd = xasprintf("chmod -R u+rwx '%s' && rm -rf '%s'", dir, dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

/* dir/rel, in a static buffer of its own per slot. */
static const char *
at(int slot, const char *rel)
{
	static char	p[4][PATH_MAX];

	(void)snprintf(p[slot], sizeof(p[slot]), "%s/%s", dir, rel);
	return p[slot];
}

static void
put(const char *path, const char *text, mode_t mode)
{
	int	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(fd_write_all(fd, text, strlen(text)), 0);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* The victim still holds exactly what it was given. */
static void
victim_intact(const char *path)
{
	char	buf[64];
	ssize_t	n;
	int	fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_int_ne(fd, -1);
	n = read(fd, buf, sizeof(buf));
	(void)close(fd);
	ck_assert_int_eq(n, (ssize_t)strlen(VICTIM_TEXT));
	ck_assert(memcmp(buf, VICTIM_TEXT, (size_t)n) == 0);
}

START_TEST(test_dir_trusted)
{
	struct stat	st;

	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFDIR | 0755;
	st.st_uid = 0;
	ck_assert(safe_dir_trusted(&st, 1000));
	st.st_mode = S_IFDIR | 0775;
	ck_assert(!safe_dir_trusted(&st, 1000));	/* group may write */
	st.st_mode = S_IFDIR | 01777;
	ck_assert(safe_dir_trusted(&st, 1000));		/* /tmp */
	st.st_mode = S_IFDIR | 0700;
	st.st_uid = 1000;
	ck_assert(safe_dir_trusted(&st, 1000));		/* ours */
	ck_assert(!safe_dir_trusted(&st, 0));		/* a user's, to root */
	st.st_mode = S_IFREG | 0600;
	ck_assert(!safe_dir_trusted(&st, 1000));	/* not a directory */
}
END_TEST

START_TEST(test_plain_file)
{
	struct stat	st;
	int		fd;

	(void)umask(0);
	fd = safe_open(at(0, "out.log"), O_WRONLY | O_CREAT, 0640, 0, &st, why,
	    sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0640);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(fd_write_all(fd, "x\n", 2), 0);
	ck_assert_int_eq(close(fd), 0);
	/* a relative path from the directory works too */
	ck_assert_int_eq(chdir(dir), 0);
	fd = safe_open("out.log", O_RDONLY, 0, 0, &st, why, sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	ck_assert_int_eq(st.st_size, 2);
	(void)close(fd);
	ck_assert_int_eq(chdir("/"), 0);
}
END_TEST

START_TEST(test_symlink_refused_untouched)
{
	put(at(0, "victim"), VICTIM_TEXT, 0600);
	ck_assert_int_eq(symlink(at(0, "victim"), at(1, "out.log")), 0);
	/* in a directory only we write, a link is still not followed for
	 * a caller that wants a plain file ... */
	ck_assert_int_eq(safe_open(at(1, "out.log"), O_WRONLY | O_CREAT |
	    O_TRUNC, 0640, 0, NULL, why, sizeof(why)), -1);
	ck_assert_int_eq(errno, ELOOP);
	ck_assert_ptr_nonnull(strstr(why, "symbolic link"));
	victim_intact(at(0, "victim"));
	/* ... and with others allowed to write here, never */
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(safe_open(at(1, "out.log"), O_WRONLY | O_CREAT |
	    O_TRUNC, 0640, SAFE_ANYKIND, NULL, why, sizeof(why)), -1);
	ck_assert_int_eq(errno, ELOOP);
	victim_intact(at(0, "victim"));
	ck_assert_int_eq(safe_open(at(1, "out.log"), O_RDONLY, 0, 0, NULL, why,
	    sizeof(why)), -1);
}
END_TEST

START_TEST(test_trusted_link_followed)
{
	char	path[64];
	int	fd, fds[2];

	/* what root made where only root writes: /dev/stdout's case */
	ck_assert_int_eq(symlink("/dev/null", at(0, "null")), 0);
	fd = safe_open(at(0, "null"), O_WRONLY | O_CREAT, 0640, SAFE_ANYKIND,
	    NULL, why, sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	(void)close(fd);
	/* a device, but the caller wants a regular file */
	ck_assert_int_eq(safe_open(at(0, "null"), O_WRONLY, 0, 0, NULL, why,
	    sizeof(why)), -1);
	/* /dev/stdout is /proc/self/fd/1: the magic links of /proc are
	 * followed too (a pipe of ours stands in for the stdout) */
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[1]);
	fd = safe_open(path, O_WRONLY, 0, SAFE_ANYKIND, NULL, why,
	    sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	ck_assert_int_eq(fd_write_all(fd, "x", 1), 0);
	ck_assert_int_eq(read(fds[0], path, 1), 1);
	(void)close(fd);
	(void)close(fds[0]);
	(void)close(fds[1]);
}
END_TEST

START_TEST(test_fifo_never_blocks)
{
	ck_assert_int_eq(mkfifo(at(0, "out.log"), 0666), 0);
	/* O_WRONLY on a FIFO nobody reads: ENXIO at once, not a hang */
	ck_assert_int_eq(safe_open(at(0, "out.log"), O_WRONLY | O_CREAT, 0640,
	    0, NULL, why, sizeof(why)), -1);
	/* O_RDONLY opens at once (O_NONBLOCK), then fstat refuses it */
	ck_assert_int_eq(safe_open(at(0, "out.log"), O_RDONLY, 0, 0, NULL, why,
	    sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "not a regular file"));
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(safe_open(at(0, "out.log"), O_RDONLY, 0, SAFE_ANYKIND,
	    NULL, why, sizeof(why)), -1);
}
END_TEST

START_TEST(test_hardlink_refused)
{
	put(at(0, "victim"), VICTIM_TEXT, 0600);
	ck_assert_int_eq(link(at(0, "victim"), at(1, "out.log")), 0);
	ck_assert_int_eq(safe_open(at(1, "out.log"), O_WRONLY | O_TRUNC, 0, 0,
	    NULL, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "hard links"));
	victim_intact(at(0, "victim"));
}
END_TEST

START_TEST(test_private)
{
	int	fd;

	put(at(0, "state"), "x", 0644);
	ck_assert_int_eq(safe_open(at(0, "state"), O_RDONLY, 0, SAFE_PRIVATE,
	    NULL, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "mode 644"));
	ck_assert_int_eq(chmod(at(0, "state"), 0600), 0);
	fd = safe_open(at(0, "state"), O_RDONLY, 0, SAFE_PRIVATE, NULL, why,
	    sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	(void)close(fd);
	/* SAFE_TRUSTED: not in a directory others can write */
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(safe_open(at(0, "state"), O_RDONLY, 0, SAFE_PRIVATE |
	    SAFE_TRUSTED, NULL, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "another user can write"));
}
END_TEST

START_TEST(test_foreign_owner)
{
	int	fd;

	if (geteuid() != 0)
		return;		/* needs a second uid */
	put(at(0, "out.log"), VICTIM_TEXT, 0666);
	ck_assert_int_eq(chown(at(0, "out.log"), OTHER_UID, OTHER_UID), 0);
	/* where only root writes, root put it there: fine ... */
	fd = safe_open(at(0, "out.log"), O_WRONLY, 0, 0, NULL, why,
	    sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	(void)close(fd);
	/* ... unless the caller wants its own file */
	ck_assert_int_eq(safe_open(at(0, "out.log"), O_WRONLY, 0, SAFE_OWNED,
	    NULL, why, sizeof(why)), -1);
	/* in a sticky /tmp-like directory, a file another user planted is
	 * never written by root */
	ck_assert_int_eq(chmod(dir, 01777), 0);
	ck_assert_int_eq(safe_open(at(0, "out.log"), O_WRONLY | O_CREAT |
	    O_TRUNC, 0640, SAFE_ANYKIND, NULL, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "owned by uid 65534"));
	victim_intact(at(0, "out.log"));
	/* and a link another user made there is named as such, whatever
	 * the kernel answers (ELOOP, or EACCES with protected_symlinks) */
	ck_assert_int_eq(symlink(at(0, "out.log"), at(1, "link.log")), 0);
	ck_assert_int_eq(lchown(at(1, "link.log"), OTHER_UID, OTHER_UID), 0);
	ck_assert_int_eq(safe_open(at(1, "link.log"), O_WRONLY | O_CREAT |
	    O_TRUNC, 0640, SAFE_ANYKIND, NULL, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "symbolic link of uid 65534"));
	victim_intact(at(0, "out.log"));
}
END_TEST

START_TEST(test_user_directory)
{
	int	fd;

	if (geteuid() != 0)
		return;
	/* a program's user owns the log directory: our file in it is
	 * fine, a link in it is not, and neither is a link to a directory
	 * on the way */
	ck_assert_int_eq(mkdir(at(0, "u"), 0755), 0);
	ck_assert_int_eq(chown(at(0, "u"), OTHER_UID, OTHER_UID), 0);
	fd = safe_open(at(0, "u/out.log"), O_WRONLY | O_CREAT, 0640, 0, NULL,
	    why, sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	(void)close(fd);
	ck_assert_int_eq(mkdir(at(0, "etc"), 0755), 0);
	put(at(0, "etc/out.log"), VICTIM_TEXT, 0600);
	ck_assert_int_eq(symlink(at(0, "etc"), at(1, "u/sub")), 0);
	ck_assert_int_eq(lchown(at(1, "u/sub"), OTHER_UID, OTHER_UID), 0);
	ck_assert_int_eq(safe_open(at(1, "u/sub/out.log"), O_WRONLY | O_TRUNC,
	    0, SAFE_ANYKIND, NULL, why, sizeof(why)), -1);
	ck_assert_int_eq(errno, ELOOP);
	victim_intact(at(0, "etc/out.log"));
	ck_assert_int_eq(safe_open_dir(at(1, "u"), false, 0, why,
	    sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "owned by another user"));
}
END_TEST

START_TEST(test_open_dir)
{
	struct stat	st;
	int		fd;

	(void)umask(077);
	fd = safe_open_dir(at(0, "logs"), true, 0750, why, sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0750);	/* not the umask's */
	(void)close(fd);
	/* again: it exists, and a trailing slash is fine */
	fd = safe_open_dir(at(0, "logs/"), true, 0750, why, sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	(void)close(fd);
	ck_assert_int_eq(chmod(at(0, "logs"), 0777), 0);
	ck_assert_int_eq(safe_open_dir(at(0, "logs"), false, 0, why,
	    sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "writable by others"));
	ck_assert_int_eq(chmod(at(0, "logs"), 01777), 0);
	fd = safe_open_dir(at(0, "logs"), false, 0, why, sizeof(why));
	ck_assert_msg(fd != -1, "%s", why);
	(void)close(fd);
	/* a directory above that others can write */
	ck_assert_int_eq(mkdir(at(0, "open"), 0777), 0);
	ck_assert_int_eq(chmod(at(0, "open"), 0777), 0);
	ck_assert_int_eq(mkdir(at(0, "open/logs"), 0755), 0);
	ck_assert_int_eq(safe_open_dir(at(0, "open/logs"), false, 0, why,
	    sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "above"));
	/* and nothing is made under it */
	ck_assert_int_eq(safe_open_dir(at(0, "open/new"), true, 0750, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(access(at(0, "open/new"), F_OK), -1);
	/* missing, not created */
	ck_assert_int_eq(safe_open_dir(at(0, "none"), false, 0, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_replace)
{
	struct stat	st;
	char		buf[16];
	int		fd;

	put(at(0, "victim"), VICTIM_TEXT, 0600);
	/* what a user may plant: a link at the name, a FIFO at the old
	 * fixed temporary name */
	ck_assert_int_eq(symlink(at(0, "victim"), at(1, "tend.prom")), 0);
	ck_assert_int_eq(mkfifo(at(1, "tend.prom.tmp"), 0666), 0);
	ck_assert_int_eq(chmod(dir, 01777), 0);
	ck_assert_msg(safe_replace(at(1, "tend.prom"), "m 0\n", 4, 0644, false,
	    why, sizeof(why)) == 0, "%s", why);
	/* durable: the same, with the file and directory synced */
	ck_assert_msg(safe_replace(at(1, "tend.prom"), "m 1\n", 4, 0644, true,
	    why, sizeof(why)) == 0, "%s", why);
	victim_intact(at(0, "victim"));
	ck_assert_int_eq(lstat(at(1, "tend.prom"), &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0644);
	fd = open(at(1, "tend.prom"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 4);
	(void)close(fd);
	ck_assert(memcmp(buf, "m 1\n", 4) == 0);
}
END_TEST

START_TEST(test_read_all)
{
	struct buf	b;
	int		fds[2];

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_int_eq(fd_write_all(fds[1], "hello, world", 12), 0);
	(void)close(fds[1]);
	buf_init(&b);
	ck_assert_int_eq(fd_read_all(fds[0], &b, 64), 0);
	ck_assert_uint_eq(b.len, 12);
	ck_assert(memcmp(b.data, "hello, world", 12) == 0);
	(void)close(fds[0]);
	/* over max: EFBIG, what was read is kept */
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_int_eq(fd_write_all(fds[1], "0123456789", 10), 0);
	(void)close(fds[1]);
	buf_reset(&b);
	ck_assert_int_eq(fd_read_all(fds[0], &b, 4), -1);
	ck_assert_int_eq(errno, EFBIG);
	(void)close(fds[0]);
	/* a bad descriptor: its errno */
	ck_assert_int_eq(fd_read_all(-1, &b, 4), -1);
	ck_assert_int_eq(errno, EBADF);
	buf_free(&b);
	/* fsync of directories */
	ck_assert_int_eq(fsync_dir_at(AT_FDCWD, dir), 0);
	ck_assert_int_eq(fsync_parent_dir(at(1, "x")), 0);
	ck_assert_int_eq(fsync_parent_dir("/x"), 0);
	ck_assert_int_eq(fsync_dir_at(AT_FDCWD, at(1, "none")), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_write_all)
{
	int	fds[2];

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
	ck_assert_int_eq(fd_write_all(fds[1], "abc", 3), 0);
	ck_assert_int_eq(close(fds[0]), 0);
	/* no reader: EPIPE (SIGPIPE is ignored for this) */
	(void)signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(fd_write_all(fds[1], "abc", 3), -1);
	ck_assert_int_eq(errno, EPIPE);
	(void)close(fds[1]);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("safeopen");
	TCase	*tc = tcase_create("safeopen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dir_trusted);
	tcase_add_test(tc, test_plain_file);
	tcase_add_test(tc, test_symlink_refused_untouched);
	tcase_add_test(tc, test_trusted_link_followed);
	tcase_add_test(tc, test_fifo_never_blocks);
	tcase_add_test(tc, test_hardlink_refused);
	tcase_add_test(tc, test_private);
	tcase_add_test(tc, test_foreign_owner);
	tcase_add_test(tc, test_user_directory);
	tcase_add_test(tc, test_open_dir);
	tcase_add_test(tc, test_replace);
	tcase_add_test(tc, test_write_all);
	tcase_add_test(tc, test_read_all);
	suite_add_tcase(s, tc);
	return check_run(s);
}
