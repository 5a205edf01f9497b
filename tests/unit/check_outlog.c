/* check_outlog.c: outlog.c: size values, rotation names and renames, and
 * the line-boundary cut, including a simulation that feeds 1..200000 in
 * ragged chunks through outlog_cut and checks every rotated file. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outlog.h"
#include "util.h"
#include "check_run.h"

/* ---- sizes ---- */

static const struct size_case {
	const char		*in;
	int			 rc;
	unsigned long long	 out;
} size_cases[] = {
	{ "0",		0,	0 },
	{ "1",		0,	1 },
	{ "1024",	0,	1024 },
	{ "1KB",	0,	1024 },
	{ "100kb",	0,	102400 },
	{ "50MB",	0,	52428800ULL },
	{ "50Mb",	0,	52428800ULL },
	{ "1GB",	0,	1073741824ULL },
	{ "3gb",	0,	3221225472ULL },
	{ "0KB",	0,	0 },
	{ "",		-1,	0 },
	{ "KB",		-1,	0 },
	{ "-1",		-1,	0 },
	{ "1.5MB",	-1,	0 },
	{ "10 MB",	-1,	0 },
	{ "1K",		-1,	0 },
	{ "1TB",	-1,	0 },
	{ "abc",	-1,	0 },
	{ "18446744073709551615", 0, 18446744073709551615ULL },
	{ "18446744073709551616", -1, 0 },
	{ "17179869184GB", -1,	0 },
};

START_TEST(test_parse_size)
{
	const struct size_case	*c = &size_cases[_i];
	unsigned long long	 v = 12345;
	const char		*err = NULL;
	int			 rc;

	rc = outlog_parse_size(c->in, &v, &err);
	ck_assert_msg(rc == c->rc, "\"%s\": rc %d, expected %d", c->in, rc,
	    c->rc);
	if (rc == 0)
		ck_assert_msg(v == c->out, "\"%s\": %llu, expected %llu",
		    c->in, v, c->out);
	else
		ck_assert_ptr_nonnull(err);
}
END_TEST

/* ---- names ---- */

START_TEST(test_backup_name)
{
	char	*s;

	s = outlog_backup_name("/var/log/web.log", 0);
	ck_assert_str_eq(s, "/var/log/web.log");
	free(s);
	s = outlog_backup_name("/var/log/web.log", 1);
	ck_assert_str_eq(s, "/var/log/web.log.1");
	free(s);
	s = outlog_backup_name("x", 10);
	ck_assert_str_eq(s, "x.10");
	free(s);
}
END_TEST

START_TEST(test_rotation_renames)
{
	struct strlist	from = { NULL, 0 }, to = { NULL, 0 };

	ck_assert_uint_eq(outlog_rotation_renames("F", 0, &from, &to), 0);
	ck_assert_uint_eq(from.n, 0);
	ck_assert_uint_eq(outlog_rotation_renames("F", 3, &from, &to), 3);
	ck_assert_uint_eq(from.n, 3);
	ck_assert_uint_eq(to.n, 3);
	/* oldest first, so that nothing is overwritten before it moved */
	ck_assert_str_eq(from.v[0], "F.2");
	ck_assert_str_eq(to.v[0], "F.3");
	ck_assert_str_eq(from.v[1], "F.1");
	ck_assert_str_eq(to.v[1], "F.2");
	ck_assert_str_eq(from.v[2], "F");
	ck_assert_str_eq(to.v[2], "F.1");
	strlist_free(&from);
	strlist_free(&to);
}
END_TEST

/* Write a file holding text. */
static void
put(const char *path, const char *text)
{
	int	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(close(fd), 0);
}

/* The contents of a file ("" if it is missing, as "-"). */
static const char *
get(const char *path, char *out, size_t len)
{
	int	fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t	n;

	if (fd == -1)
		return "-";
	n = read(fd, out, len - 1);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	(void)close(fd);
	return out;
}

START_TEST(test_shift)
{
	char	dir[] = "/tmp/check_outlog.XXXXXX", path[256], name[300];
	char	why[512], b[64];
	int	i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	(void)snprintf(path, sizeof(path), "%s/log", dir);
	put(path, "new");
	(void)snprintf(name, sizeof(name), "%s.1", path);
	put(name, "one");
	(void)snprintf(name, sizeof(name), "%s.2", path);
	put(name, "two");
	/* backups=2: log.2 is dropped, log.1 -> log.2, log -> log.1 */
	ck_assert_int_eq(outlog_shift(path, 2, why, sizeof(why)), 0);
	ck_assert_str_eq(get(path, b, sizeof(b)), "-");
	(void)snprintf(name, sizeof(name), "%s.1", path);
	ck_assert_str_eq(get(name, b, sizeof(b)), "new");
	(void)snprintf(name, sizeof(name), "%s.2", path);
	ck_assert_str_eq(get(name, b, sizeof(b)), "one");
	/* gaps are fine */
	ck_assert_int_eq(outlog_shift(path, 5, why, sizeof(why)), 0);
	(void)snprintf(name, sizeof(name), "%s.3", path);
	ck_assert_str_eq(get(name, b, sizeof(b)), "one");
	for (i = 0; i <= 5; i++) {
		char	*n = outlog_backup_name(path, (unsigned)i);

		(void)unlink(n);
		free(n);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	/* nothing to rename is no error: reopening the file reports it */
	ck_assert_int_eq(outlog_shift(path, 1, why, sizeof(why)), 0);
}
END_TEST

/* ---- the cut ---- */

static const struct cut_case {
	unsigned long long	 size, max;
	const char		*data;
	size_t			 linemax;
	bool			 force;
	enum outlog_act		 act;
	size_t			 n;
} cut_cases[] = {
	/* size max  data            linemax force  action         n */
	{ 0,   0,    "abc",          16,  false, OUTLOG_WRITE,  3 },
	{ 99,  0,    "a\nb",         16,  false, OUTLOG_WRITE,  3 },
	{ 0,   100,  "",             16,  false, OUTLOG_WAIT,   0 },
	{ 0,   100,  "a\nb\n",       16,  false, OUTLOG_WRITE,  4 },
	/* an unfinished line that starts the file goes at once */
	{ 0,   100,  "abc",          16,  false, OUTLOG_WRITE,  3 },
	/* ... and when its rest surely fits */
	{ 10,  100,  "abc",          16,  false, OUTLOG_WRITE,  3 },
	/* near the end: the finished lines now, the rest waits */
	{ 90,  100,  "a\nbc",        16,  false, OUTLOG_WRITE,  2 },
	{ 92,  100,  "bc",           16,  false, OUTLOG_WAIT,   0 },
	{ 92,  100,  "bc",           16,  true,  OUTLOG_WRITE,  2 },
	/* exactly full */
	{ 96,  100,  "abc\n",        16,  false, OUTLOG_WRITE,  4 },
	/* too much: cut after the last newline that fits */
	{ 96,  100,  "ab\ncd\n",     16,  false, OUTLOG_WRITE,  3 },
	{ 96,  100,  "a\nb\ncdef\n", 16,  false, OUTLOG_WRITE,  4 },
	/* the first line does not fit: rotate */
	{ 96,  100,  "abcd\n",       16,  false, OUTLOG_ROTATE, 0 },
	{ 96,  100,  "abcd\n",       16,  true,  OUTLOG_ROTATE, 0 },
	{ 100, 100,  "a\n",          16,  false, OUTLOG_ROTATE, 0 },
	{ 150, 100,  "a\n",          16,  false, OUTLOG_ROTATE, 0 },
	/* a line longer than max in a fresh file is split at max */
	{ 0,   4,    "abcdefgh\n",   16,  false, OUTLOG_WRITE,  4 },
	{ 0,   4,    "abcdefgh",     16,  false, OUTLOG_WRITE,  4 },
	/* a long unfinished line near the end gets a file of its own */
	{ 90,  100,  "0123456789",   8,   false, OUTLOG_ROTATE, 0 },
	{ 90,  100,  "0123456",      8,   false, OUTLOG_WAIT,   0 },
	/* ... unless its rest has linemax bytes of room */
	{ 80,  100,  "0123456789",   8,   false, OUTLOG_WRITE,  10 },
};

START_TEST(test_cut)
{
	const struct cut_case	*c = &cut_cases[_i];
	enum outlog_act		 act;
	size_t			 n = 99;

	act = outlog_cut(c->size, c->max, c->data, strlen(c->data),
	    c->linemax, c->force, &n);
	ck_assert_msg(act == c->act && (act != OUTLOG_WRITE || n == c->n),
	    "case %d (size %llu max %llu \"%s\"): action %d n %zu, expected "
	    "%d n %zu", _i, c->size, c->max, c->data, (int)act, n,
	    (int)c->act, c->n);
}
END_TEST

/* A simulated log: feed 1..200000 in ragged chunks through outlog_cut and
 * rotate as it says; every file ends at a line boundary, none exceeds
 * max, and the files together hold exactly the input. */
START_TEST(test_cut_simulation)
{
	const unsigned long long	max = 100 * 1024;
	struct buf	 input, pending, files, cur;
	size_t		 off = 0, chunk, n, rotations = 0;
	unsigned	 seed = 1;
	int		 i;

	buf_init(&input);
	for (i = 1; i <= 200000; i++)
		buf_printf(&input, "%d\n", i);
	buf_init(&pending);
	buf_init(&files);
	buf_init(&cur);
	while (off < input.len || pending.len > 0) {
		seed = seed * 1103515245u + 12345u;
		chunk = 1 + (seed >> 8) % 9000;
		if (chunk > input.len - off)
			chunk = input.len - off;
		buf_add(&pending, input.data + off, chunk);
		off += chunk;
		for (;;) {
			enum outlog_act	act = outlog_cut(cur.len, max,
			    pending.data, pending.len, OUTLOG_LINE_MAX,
			    off == input.len, &n);

			if (act == OUTLOG_WAIT)
				break;
			if (act == OUTLOG_ROTATE) {
				ck_assert_uint_gt(cur.len, 0);
				ck_assert_int_eq(cur.data[cur.len - 1], '\n');
				ck_assert_uint_le(cur.len, max);
				buf_add(&files, cur.data, cur.len);
				buf_reset(&cur);
				rotations++;
				continue;
			}
			ck_assert_uint_gt(n, 0);
			buf_add(&cur, pending.data, n);
			buf_consume(&pending, n);
			ck_assert_uint_le(cur.len, max);
		}
	}
	buf_add(&files, cur.data, cur.len);
	ck_assert_uint_ge(rotations, 10);
	ck_assert_uint_eq(files.len, input.len);
	ck_assert(memcmp(files.data, input.data, input.len) == 0);
	buf_free(&input);
	buf_free(&pending);
	buf_free(&files);
	buf_free(&cur);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("outlog");
	TCase	*tc = tcase_create("outlog");

	tcase_add_loop_test(tc, test_parse_size, 0, (int)nitems(size_cases));
	tcase_add_test(tc, test_backup_name);
	tcase_add_test(tc, test_rotation_renames);
	tcase_add_test(tc, test_shift);
	tcase_add_loop_test(tc, test_cut, 0, (int)nitems(cut_cases));
	tcase_add_test(tc, test_cut_simulation);
	suite_add_tcase(s, tc);
	return check_run(s);
}
