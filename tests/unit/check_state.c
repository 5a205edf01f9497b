/* check_state.c: the state file's format and its strict parser, the
 * trust in the file (issue 12) and the orphan test. */
#include "autoconfig.h"

#include <sys/stat.h>
#include <check.h>
#include <dirent.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "util.h"
#include "check_run.h"

START_TEST(test_roundtrip)
{
	struct state	 s = { NULL, 0 }, t;
	struct buf	 b;
	const char	*err;
	size_t		 line;

	state_add(&s, 123, 123, 98765, "web");
	state_add(&s, 4567, 4567, 1, "worker:worker_00");
	buf_init(&b);
	state_format(&s, &b);
	ck_assert_str_eq(b.data, "tend-state 1\n123 123 98765 web\n"
	    "4567 4567 1 worker:worker_00\n");
	ck_assert_int_eq(state_parse(b.data, b.len, &t, &err, &line), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_int_eq(t.v[1].pid, 4567);
	ck_assert(t.v[0].starttime == 98765);
	ck_assert_str_eq(t.v[1].name, "worker:worker_00");
	state_free(&t);
	state_free(&s);
	buf_free(&b);
}
END_TEST

static void
bad(const char *text, const char *why, size_t at)
{
	struct state	 s;
	const char	*err = NULL;
	size_t		 line;

	ck_assert_int_eq(state_parse(text, strlen(text), &s, &err, &line), -1);
	ck_assert_str_eq(err, why);
	ck_assert_uint_eq(line, at);
	ck_assert_ptr_null(s.v);
}

START_TEST(test_strict)
{
	char	long_line[1024];

	bad("", "empty file", 0);
	bad("garbage\n", "not a tend state file", 1);
	bad("tend-state 1\n12 12 5 web", "last line not terminated", 2);
	bad("tend-state 1\n1 1 5 web\n", "malformed entry", 2);
	bad("tend-state 1\n12 12 0 web\n", "malformed entry", 2);
	bad("tend-state 1\n12 x 5 web\n", "malformed entry", 2);
	bad("tend-state 1\n12 12 5 \n", "entry without a name", 2);
	bad("tend-state 1\n12 12 5 we b\n", "bad character in name", 2);
	bad("tend-state 1\n99999999999 12 5 web\n", "malformed entry", 2);
	memset(long_line, 'a', sizeof(long_line));
	memcpy(long_line, "tend-state 1\n1", 14);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	bad(long_line, "line too long", 2);
}
END_TEST

START_TEST(test_stat_field)
{
	/* comm may hold spaces and parentheses. */
	const char	*stat = "42 (we ird) x) S 1 42 42 0 -1 4194560 100 0 0 0 "
	    "0 0 0 0 20 0 1 0 123456 1000 10 18446744073709551615\n";

	ck_assert(state_stat_starttime(stat) == 123456);
	ck_assert(state_stat_starttime("garbage") == 0);
	ck_assert(state_stat_starttime("1 (x) S 1 2") == 0);
	ck_assert(state_proc_starttime(getpid()) != 0);
	ck_assert(state_proc_starttime(0x7ffffff0) == 0);
}
END_TEST

START_TEST(test_write_read)
{
	struct state	 s = { NULL, 0 }, t;
	char		 dir[] = "/tmp/check_state.XXXXXX", *path, err[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/state", dir);
	ck_assert_int_eq(state_read(path, &t, err, sizeof(err)), 1);
	state_add(&s, 77, 77, 5, "a");
	ck_assert_int_eq(state_write(path, &s), 0);
	ck_assert_int_eq(state_read(path, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(t.v[0].name, "a");
	state_free(&t);
	ck_assert_int_eq(access(path, R_OK), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(path);
	state_free(&s);
}
END_TEST

/* A temporary directory with a valid state file in it, written by
 * state_write. */
struct fixture {
	char	 dir[32];
	char	*path;
};

static void
fixture_make(struct fixture *f)
{
	struct state	s = { NULL, 0 };
	struct stat	st;

	(void)strcpy(f->dir, "/tmp/check_state.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	f->path = xasprintf("%s/state", f->dir);
	state_add(&s, 77, 77, 5, "a");
	ck_assert_int_eq(state_write(f->path, &s), 0);
	state_free(&s);
	ck_assert_int_eq(lstat(f->path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
}

static void
fixture_free(struct fixture *f)
{
	char	*cmd = xasprintf("rm -rf '%s'", f->dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(f->path);
}

/* state_read refuses path (-1), fast, with a reason. */
static void
refused(const char *path)
{
	struct state	t;
	char		err[512];

	err[0] = '\0';
	ck_assert_int_eq(state_read(path, &t, err, sizeof(err)), -1);
	ck_assert_msg(err[0] != '\0', "no reason given for %s", path);
	ck_assert_ptr_null(t.v);
	ck_assert_uint_eq(t.n, 0);
}

START_TEST(test_write_private)
{
	struct fixture	 f;
	struct state	 s = { NULL, 0 };
	char		*planted;
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	fixture_make(&f);
	/* A FIFO and a link at the old fixed temporary name are not used. */
	planted = xasprintf("%s.tmp", f.path);
	ck_assert_int_eq(mkfifo(planted, 0666), 0);
	state_add(&s, 78, 78, 6, "b");
	ck_assert_int_eq(state_write(f.path, &s), 0);
	state_free(&s);
	d = opendir(f.dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	(void)closedir(d);
	ck_assert_int_eq(n, 2);		/* state and the FIFO: no temporary */
	free(planted);
	fixture_free(&f);
}
END_TEST

START_TEST(test_read_refuses)
{
	struct fixture	 f;
	struct state	 t;
	char		 err[512], *other;
	struct passwd	*pw;

	/* mode 0644 */
	fixture_make(&f);
	ck_assert_int_eq(chmod(f.path, 0644), 0);
	refused(f.path);
	ck_assert_int_eq(chmod(f.path, 0600), 0);
	ck_assert_int_eq(state_read(f.path, &t, err, sizeof(err)), 0);
	state_free(&t);

	/* a symbolic link to a good file */
	other = xasprintf("%s/link", f.dir);
	ck_assert_int_eq(symlink(f.path, other), 0);
	refused(other);
	ck_assert_int_eq(unlink(other), 0);

	/* a second hard link */
	ck_assert_int_eq(link(f.path, other), 0);
	refused(f.path);
	ck_assert_int_eq(unlink(other), 0);

	/* a FIFO: refused, not waited on */
	ck_assert_int_eq(mkfifo(other, 0600), 0);
	refused(other);
	ck_assert_int_eq(unlink(other), 0);

	/* a directory others can write (not sticky) */
	ck_assert_int_eq(chmod(f.dir, 0777), 0);
	refused(f.path);
	ck_assert_int_eq(chmod(f.dir, 0700), 0);

	/* another user's file, even in our directory */
	if (geteuid() == 0 && (pw = getpwnam("nobody")) != NULL) {
		ck_assert_int_eq(chown(f.path, pw->pw_uid, pw->pw_gid), 0);
		refused(f.path);
		ck_assert_int_eq(chown(f.path, 0, 0), 0);
	}
	ck_assert_int_eq(state_read(f.path, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.n, 1);
	state_free(&t);

	/* no file at all is not an error */
	ck_assert_int_eq(unlink(f.path), 0);
	ck_assert_int_eq(state_read(f.path, &t, err, sizeof(err)), 1);
	free(other);
	fixture_free(&f);
}
END_TEST

START_TEST(test_orphan_ours)
{
	struct state_entry	e = { 100, 100, 5555, (char *)"web" };
	struct state_entry	notleader = { 100, 99, 5555, (char *)"web" };

	ck_assert(state_orphan_ours(&e, 100, 5555));
	/* it left its group, or it is in someone else's */
	ck_assert(!state_orphan_ours(&e, 99, 5555));
	ck_assert(!state_orphan_ours(&e, -1, 5555));	/* getpgid failed */
	/* another process at that pid, or none */
	ck_assert(!state_orphan_ours(&e, 100, 5556));
	ck_assert(!state_orphan_ours(&e, 100, 0));
	/* the file says pgid != pid: never a group tendd made */
	ck_assert(!state_orphan_ours(&notleader, 99, 5555));
	ck_assert(!state_orphan_ours(&notleader, 100, 5555));
	/* pid 1 (or 0, or negative: the whole system) never */
	e.pid = e.pgid = 1;
	ck_assert(!state_orphan_ours(&e, 1, 5555));
	e.pid = e.pgid = 0;
	ck_assert(!state_orphan_ours(&e, 0, 5555));
	e.pid = e.pgid = -1;
	ck_assert(!state_orphan_ours(&e, -1, 5555));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("state");
	TCase	*tc = tcase_create("file");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_strict);
	tcase_add_test(tc, test_stat_field);
	tcase_add_test(tc, test_write_read);
	tcase_add_test(tc, test_write_private);
	tcase_add_test(tc, test_read_refuses);
	tcase_add_test(tc, test_orphan_ours);
	suite_add_tcase(s, tc);
	return check_run(s);
}
