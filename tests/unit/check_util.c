/* check_util.c: util.c (allocation, buf, strlist, fd flags, signal names,
 * uptime and wait-status text, value parsers) and log.c (format, levels,
 * file, stderr, fatal, errno, dropped lines). Expected texts come from
 * Python 3.11 and supervisor 4.2.5 (str(timedelta), decode_wait_status). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* A wait status as the kernel builds it (glibc's W_EXITCODE). */
#define EXITED(code)		(((code) & 0xff) << 8)
#define SIGNALED(sig)		((sig) & 0x7f)
#define CORED(sig)		(((sig) & 0x7f) | 0x80)
#define STOPPED(sig)		((((sig) & 0xff) << 8) | 0x7f)

/* ---- helpers ---- */

/* Run fn(arg) in a child whose stderr goes to a file; return its wait
 * status and put what it wrote on stderr into out. */
static int
capture(void (*fn)(void *), void *arg, char *out, size_t outlen)
{
	char	path[] = "/tmp/check_util.XXXXXX";
	int	fd, status;
	pid_t	pid;
	ssize_t	n;

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(unlink(path), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (dup2(fd, STDERR_FILENO) == -1)
			_exit(99);
		fn(arg);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	n = read(fd, out, outlen - 1);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	ck_assert_int_eq(close(fd), 0);
	return status;
}

/* Read a whole (small) file into buf. */
static size_t
slurp(const char *path, char *buf, size_t len)
{
	int	fd;
	ssize_t	n;
	size_t	off = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ne(fd, -1);
	while ((n = read(fd, buf + off, len - 1 - off)) > 0)
		off += (size_t)n;
	ck_assert_int_eq(n, 0);
	buf[off] = '\0';
	ck_assert_int_eq(close(fd), 0);
	return off;
}

/* Does s match the extended regular expression re? */
static int
matches(const char *re, const char *s)
{
	regex_t	r;
	int	rc;

	ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE), 0);
	rc = regexec(&r, s, 0, NULL, 0);
	regfree(&r);
	return rc == 0;
}

static char tmpdir[64];

/* A private directory for files a test creates. */
static void
tmpdir_make(void)
{
	(void)strcpy(tmpdir, "/tmp/check_util.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* name inside the private directory, written into buf. */
static const char *
tmppath(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", tmpdir, name);

	ck_assert(n > 0 && (size_t)n < len);
	return buf;
}

/* Remove the listed files and the directory. */
static void
tmpdir_remove(const char *const *names, size_t n)
{
	char	path[128];
	size_t	i;

	for (i = 0; i < n; i++) {
		if (unlink(tmppath(path, sizeof path, names[i])) == -1)
			ck_assert_int_eq(errno, ENOENT);
	}
	ck_assert_int_eq(rmdir(tmpdir), 0);
}

/* ---- allocation ---- */

START_TEST(test_xalloc)
{
	char	*p, *q;
	int	*v;
	size_t	 i;

	p = xmalloc(0);
	ck_assert_ptr_nonnull(p);
	free(p);
	p = xmalloc(16);
	memset(p, 'x', 16);
	free(p);

	v = xcalloc(8, sizeof *v);
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(v[i], 0);
	free(v);
	p = xcalloc(0, 0);
	ck_assert_ptr_nonnull(p);
	free(p);

	v = xreallocarray(NULL, 4, sizeof *v);
	for (i = 0; i < 4; i++)
		v[i] = (int)i;
	v = xreallocarray(v, 1000, sizeof *v);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(v[i], (int)i);
	v = xreallocarray(v, 0, sizeof *v);
	ck_assert_ptr_nonnull(v);
	free(v);

	p = xstrdup("hello");
	ck_assert_str_eq(p, "hello");
	free(p);
	p = xstrdup("");
	ck_assert_str_eq(p, "");
	free(p);
	p = xstrndup("hello", 3);
	ck_assert_str_eq(p, "hel");
	free(p);
	p = xstrndup("hi", 10);
	ck_assert_str_eq(p, "hi");
	free(p);
	p = xstrndup("hi", 0);
	ck_assert_str_eq(p, "");
	free(p);

	p = xasprintf("%s=%d", "a", 42);
	ck_assert_str_eq(p, "a=42");
	free(p);
	p = xasprintf("%s", "");
	ck_assert_str_eq(p, "");
	free(p);
	q = xmalloc(70001);
	memset(q, 'q', 70000);
	q[70000] = '\0';
	p = xasprintf("<%s>", q);
	ck_assert_uint_eq(strlen(p), 70002);
	ck_assert_int_eq(p[0], '<');
	ck_assert_int_eq(p[70001], '>');
	free(p);
	free(q);
}
END_TEST

static void
oom_calloc(void *arg)
{
	(void)arg;
	(void)xcalloc(SIZE_MAX / 2, 3);
}

static void
oom_realloc(void *arg)
{
	(void)arg;
	(void)xreallocarray(NULL, SIZE_MAX / 4, 8);
}

static void
oom_malloc(void *arg)
{
	(void)arg;
	(void)xmalloc(SIZE_MAX - 4096);
}

/* out, less its "PROGNAME: " prefix, which must be there. */
static const char *
unprefixed(const char *out)
{
	size_t	n = strlen(program_invocation_short_name);

	ck_assert_msg(strncmp(out, program_invocation_short_name, n) == 0 &&
	    strncmp(out + n, ": ", 2) == 0, "no program name in: %s", out);
	return out + n + 2;
}

START_TEST(test_xalloc_oom)
{
	char	out[512];
	int	st;

	st = capture(oom_calloc, NULL, out, sizeof out);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	ck_assert(matches("^xcalloc: out of memory \\([0-9]+ \\* 3 bytes\\)\n$",
	    unprefixed(out)));

	st = capture(oom_realloc, NULL, out, sizeof out);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	ck_assert(matches("^xreallocarray: out of memory", unprefixed(out)));

#ifndef UNDER_ASAN
	/* ASan reports an oversized malloc itself instead of returning NULL */
	st = capture(oom_malloc, NULL, out, sizeof out);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	ck_assert(matches("^xmalloc: out of memory", unprefixed(out)));
#else
	(void)oom_malloc;
#endif
}
END_TEST

/* ---- buf ---- */

static void
vprintf_wrap(struct buf *b, const char *fmt, ...) printflike(2, 3);

static void
vprintf_wrap(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

START_TEST(test_buf_basic)
{
	struct buf	 b;
	char		*s;
	size_t		 cap;

	buf_init(&b);
	ck_assert_ptr_nonnull(b.data);
	ck_assert_str_eq(b.data, "");
	ck_assert_uint_eq(b.len, 0);

	buf_add(&b, "ab", 2);
	buf_addc(&b, 'c');
	buf_addstr(&b, "def");
	buf_add(&b, NULL, 0);
	buf_addstr(&b, "");
	ck_assert_str_eq(b.data, "abcdef");
	ck_assert_uint_eq(b.len, 6);
	ck_assert_uint_ge(b.cap, 7);

	buf_add(&b, "x\0y", 3);
	ck_assert_uint_eq(b.len, 9);
	ck_assert_mem_eq(b.data, "abcdefx\0y", 10);

	buf_consume(&b, 3);
	ck_assert_uint_eq(b.len, 6);
	ck_assert_mem_eq(b.data, "defx\0y", 7);
	buf_consume(&b, 0);
	ck_assert_uint_eq(b.len, 6);
	buf_consume(&b, 6);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	buf_addstr(&b, "abc");
	buf_consume(&b, 100);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");

	buf_printf(&b, "%d-%s", 7, "x");
	vprintf_wrap(&b, "[%03d]", 5);
	ck_assert_str_eq(b.data, "7-x[005]");

	cap = b.cap;
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	ck_assert_uint_eq(b.cap, cap);

	buf_addstr(&b, "stolen");
	s = buf_steal(&b);
	ck_assert_str_eq(s, "stolen");
	free(s);
	ck_assert_ptr_nonnull(b.data);
	ck_assert_str_eq(b.data, "");
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);

	/* stealing an empty buf still hands over a string to free */
	s = buf_steal(&b);
	ck_assert_str_eq(s, "");
	free(s);

	buf_addstr(&b, "x");
	buf_free(&b);
	ck_assert_str_eq(b.data, "");
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);		/* twice is fine */
}
END_TEST

START_TEST(test_buf_zeroed)
{
	struct buf	 b;
	char		*s;

	/* a zeroed struct works as an empty buf in every function */
	memset(&b, 0, sizeof b);
	buf_reset(&b);
	ck_assert_str_eq(b.data, "");
	memset(&b, 0, sizeof b);
	buf_consume(&b, 5);
	ck_assert_str_eq(b.data, "");
	memset(&b, 0, sizeof b);
	s = buf_steal(&b);
	ck_assert_str_eq(s, "");
	free(s);
	memset(&b, 0, sizeof b);
	buf_free(&b);
	memset(&b, 0, sizeof b);
	buf_printf(&b, "%s", "");
	ck_assert_str_eq(b.data, "");
	buf_free(&b);
	memset(&b, 0, sizeof b);
	buf_addc(&b, 'z');
	ck_assert_str_eq(b.data, "z");
	buf_free(&b);
}
END_TEST

START_TEST(test_buf_large)
{
	struct buf	 b;
	char		*big;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < 70000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	ck_assert_uint_eq(b.len, 70000);
	ck_assert_uint_eq(strlen(b.data), 70000);
	for (i = 0; i < 70000; i++)
		ck_assert_int_eq(b.data[i], 'a' + (int)(i % 26));

	big = xstrdup(b.data);
	buf_reset(&b);
	buf_printf(&b, "%s|%s", big, big);
	ck_assert_uint_eq(b.len, 140001);
	ck_assert_int_eq(b.data[70000], '|');
	ck_assert_int_eq(memcmp(b.data + 70001, big, 70000), 0);
	buf_consume(&b, 70001);
	ck_assert_str_eq(b.data, big);
	free(big);
	buf_free(&b);
}
END_TEST

/* ---- strlist ---- */

START_TEST(test_strlist)
{
	struct strlist	 l = { NULL, 0 };
	char		 s[] = "mutable";
	size_t		 i;

	strlist_add(&l, s);
	s[0] = 'M';
	strlist_addf(&l, "%s:%d", "web", 3);
	strlist_add(&l, "");
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[0], "mutable");	/* owned copies */
	ck_assert_str_eq(l.v[1], "web:3");
	ck_assert_str_eq(l.v[2], "");
	ck_assert_ptr_null(l.v[3]);
	strlist_free(&l);
	ck_assert_ptr_null(l.v);
	ck_assert_uint_eq(l.n, 0);
	strlist_free(&l);

	for (i = 0; i < 1000; i++)
		strlist_addf(&l, "%zu", i);
	ck_assert_uint_eq(l.n, 1000);
	ck_assert_str_eq(l.v[999], "999");
	ck_assert_ptr_null(l.v[1000]);
	strlist_free(&l);
}
END_TEST

/* ---- fd flags ---- */

START_TEST(test_fd_flags)
{
	int	p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(fd_cloexec(p[0]), 0);
	ck_assert_int_ne(fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(fd_cloexec(p[0]), 0);		/* already set */
	ck_assert_int_ne(fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);

	ck_assert_int_eq(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_eq(fd_nonblock(p[1]), 0);
	ck_assert_int_ne(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_eq(fd_nonblock(p[1]), 0);
	ck_assert_int_ne(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	/* one flag does not touch the other */
	ck_assert_int_eq(fcntl(p[1], F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);

	ck_assert_int_eq(close(p[0]), 0);
	ck_assert_int_eq(close(p[1]), 0);

	errno = 0;
	ck_assert_int_eq(fd_cloexec(p[0]), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(fd_nonblock(-1), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

/* ---- signals ---- */

static const struct {
	const char	*in;
	int		 sig;
} sigparse_cases[] = {
	{ "TERM", SIGTERM },
	{ "SIGTERM", SIGTERM },
	{ "term", SIGTERM },
	{ "sigterm", SIGTERM },
	{ "SiGtErM", SIGTERM },
	{ "15", SIGTERM },
	{ "015", SIGTERM },
	{ "9", SIGKILL },
	{ "1", SIGHUP },
	{ "HUP", SIGHUP },
	{ "INT", SIGINT },
	{ "QUIT", SIGQUIT },
	{ "KILL", SIGKILL },
	{ "USR1", SIGUSR1 },
	{ "sigusr2", SIGUSR2 },
	{ "SEGV", SIGSEGV },
	{ "ABRT", SIGABRT },
	{ "IOT", SIGABRT },
	{ "CHLD", SIGCHLD },
	{ "CLD", SIGCHLD },
	{ "POLL", SIGIO },
	{ "IO", SIGIO },
	{ "STKFLT", 16 },
	{ "PWR", 30 },
	{ "SYS", 31 },
	{ "WINCH", SIGWINCH },
	{ "", -1 },
	{ "0", -1 },
	{ "00", -1 },
	{ "SIG", -1 },
	{ "sig", -1 },
	{ "FOO", -1 },
	{ "SIGFOO", -1 },
	{ "SIGSIGTERM", -1 },
	{ "TERMX", -1 },
	{ "TER", -1 },
	{ "15x", -1 },
	{ "x15", -1 },
	{ "1.5", -1 },
	{ " 15", -1 },
	{ "15 ", -1 },
	{ " TERM", -1 },
	{ "TERM ", -1 },
	{ "+15", -1 },
	{ "-15", -1 },
	{ "-1", -1 },
	{ "SIG15", -1 },
	{ "99999999999999999999999", -1 },
	{ "SIG_DFL", -1 },
	{ "RTMIN-1", -1 },
	{ "RTMAX+1", -1 },
	{ "RTMIN+", -1 },
	{ "RTMAX-", -1 },
	{ "RTMIN+x", -1 },
	{ "RTMIN+-1", -1 },
	{ "RTMIN++1", -1 },
	{ "RTMIN1", -1 },
	{ "RTMINX", -1 },
	{ "RT", -1 },
	{ "RTMIN+1 ", -1 },
};

START_TEST(test_signal_parse)
{
	ck_assert_msg(signal_parse(sigparse_cases[_i].in) ==
	    sigparse_cases[_i].sig, "signal_parse(\"%s\") = %d, want %d",
	    sigparse_cases[_i].in, signal_parse(sigparse_cases[_i].in),
	    sigparse_cases[_i].sig);
}
END_TEST

START_TEST(test_signal_parse_rt)
{
	char	s[64];
	int	span = SIGRTMAX - SIGRTMIN;

	ck_assert_int_eq(signal_parse(NULL), -1);
	ck_assert_int_eq(signal_parse("RTMIN"), SIGRTMIN);
	ck_assert_int_eq(signal_parse("SIGRTMIN"), SIGRTMIN);
	ck_assert_int_eq(signal_parse("rtmin+0"), SIGRTMIN);
	ck_assert_int_eq(signal_parse("RTMIN+1"), SIGRTMIN + 1);
	ck_assert_int_eq(signal_parse("SIGRTMIN+1"), SIGRTMIN + 1);
	ck_assert_int_eq(signal_parse("sigrtmin+3"), SIGRTMIN + 3);
	ck_assert_int_eq(signal_parse("RTMAX"), SIGRTMAX);
	ck_assert_int_eq(signal_parse("SIGRTMAX"), SIGRTMAX);
	ck_assert_int_eq(signal_parse("RTMAX-0"), SIGRTMAX);
	ck_assert_int_eq(signal_parse("RTMAX-1"), SIGRTMAX - 1);
	ck_assert_int_eq(signal_parse("SigRtMax-2"), SIGRTMAX - 2);

	(void)snprintf(s, sizeof s, "RTMIN+%d", span);
	ck_assert_int_eq(signal_parse(s), SIGRTMAX);
	(void)snprintf(s, sizeof s, "RTMIN+%d", span + 1);
	ck_assert_int_eq(signal_parse(s), -1);
	(void)snprintf(s, sizeof s, "RTMAX-%d", span);
	ck_assert_int_eq(signal_parse(s), SIGRTMIN);
	(void)snprintf(s, sizeof s, "RTMAX-%d", span + 1);
	ck_assert_int_eq(signal_parse(s), -1);

	/* every number from 1 to NSIG - 1, nothing outside */
	(void)snprintf(s, sizeof s, "%d", NSIG - 1);
	ck_assert_int_eq(signal_parse(s), NSIG - 1);
	(void)snprintf(s, sizeof s, "%d", NSIG);
	ck_assert_int_eq(signal_parse(s), -1);
	(void)snprintf(s, sizeof s, "%d", SIGRTMIN + 1);
	ck_assert_int_eq(signal_parse(s), SIGRTMIN + 1);
}
END_TEST

/* The names supervisord (Python's signal module) prints on Linux. */
static const char *const signal_names[] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGPOLL", "SIGPWR",
	"SIGSYS",
};

START_TEST(test_signal_name)
{
	char		 buf[32];
	const char	*name;
	int		 sig;

	for (sig = 0; sig < (int)nitems(signal_names); sig++) {
		name = signal_name(sig, buf, sizeof buf);
		if (signal_names[sig] == NULL)
			ck_assert_ptr_null(name);
		else {
			ck_assert_ptr_nonnull(name);
			ck_assert_str_eq(name, signal_names[sig]);
			/* standard names need no buffer */
			ck_assert_str_eq(signal_name(sig, NULL, 0),
			    signal_names[sig]);
		}
	}
	ck_assert_str_eq(signal_name(SIGTERM, buf, sizeof buf), "SIGTERM");
	ck_assert_ptr_null(signal_name(-1, buf, sizeof buf));
	ck_assert_ptr_null(signal_name(NSIG, buf, sizeof buf));
	ck_assert_ptr_null(signal_name(SIGRTMAX + 1, buf, sizeof buf));
	ck_assert_ptr_null(signal_name(INT_MAX, buf, sizeof buf));
	ck_assert_ptr_null(signal_name(INT_MIN, buf, sizeof buf));
	/* glibc keeps 32 and 33 for itself: below SIGRTMIN, no name */
	for (sig = 32; sig < SIGRTMIN; sig++)
		ck_assert_ptr_null(signal_name(sig, buf, sizeof buf));

	ck_assert_str_eq(signal_name(SIGRTMIN, NULL, 0), "SIGRTMIN");
	ck_assert_str_eq(signal_name(SIGRTMAX, NULL, 0), "SIGRTMAX");
	name = signal_name(SIGRTMIN + 1, buf, sizeof buf);
	ck_assert_ptr_eq(name, buf);
	ck_assert_str_eq(name, "SIGRTMIN+1");
	(void)snprintf(buf, sizeof buf, "x");
	name = signal_name(SIGRTMAX - 1, buf, 16);
	ck_assert_ptr_eq(name, buf);
	ck_assert_int_eq(signal_parse(name), SIGRTMAX - 1);
	/* a buffer too small or missing for a real-time name */
	ck_assert_ptr_null(signal_name(SIGRTMIN + 1, buf, 10));
	ck_assert_ptr_null(signal_name(SIGRTMIN + 1, NULL, 0));

	/* every name parses back to its number */
	for (sig = 1; sig < NSIG; sig++) {
		name = signal_name(sig, buf, sizeof buf);
		if (name != NULL)
			ck_assert_int_eq(signal_parse(name), sig);
		if (name != NULL)
			ck_assert_int_eq(signal_parse(name + 3), sig);
	}
}
END_TEST

/* ---- uptime ---- */

static const struct {
	long long	 secs;
	const char	*out;
} uptime_cases[] = {
	{ 0, "0:00:00" },
	{ 7, "0:00:07" },
	{ 59, "0:00:59" },
	{ 60, "0:01:00" },
	{ 61, "0:01:01" },
	{ 3599, "0:59:59" },
	{ 3600, "1:00:00" },
	{ 3723, "1:02:03" },
	{ 86399, "23:59:59" },
	{ 86400, "1 day, 0:00:00" },
	{ 86401, "1 day, 0:00:01" },
	{ 90061, "1 day, 1:01:01" },
	{ 172799, "1 day, 23:59:59" },
	{ 172800, "2 days, 0:00:00" },
	{ 183845, "2 days, 3:04:05" },
	{ 86400000, "1000 days, 0:00:00" },
	{ 86399999999999LL, "999999999 days, 23:59:59" },
	{ 100000000000LL, "1157407 days, 9:46:40" },
	{ -1, "0:00:00" },
	{ -86400, "0:00:00" },
	{ LLONG_MIN, "0:00:00" },
};

START_TEST(test_format_uptime)
{
	char	buf[64];

	memset(buf, 'x', sizeof buf);
	format_uptime(buf, sizeof buf, uptime_cases[_i].secs);
	ck_assert_str_eq(buf, uptime_cases[_i].out);
}
END_TEST

START_TEST(test_format_uptime_short)
{
	char	buf[6];

	format_uptime(buf, sizeof buf, 86400);
	ck_assert_str_eq(buf, "1 day");		/* cut, still a string */
	format_uptime(buf, 1, 5);
	ck_assert_str_eq(buf, "");
	format_uptime(buf, sizeof buf, LLONG_MAX);
	ck_assert_uint_eq(strlen(buf), 5);
}
END_TEST

/* ---- wait status ---- */

static const struct {
	int		 status;
	const char	*out;
} wait_cases[] = {
	{ EXITED(0), "exit status 0" },
	{ EXITED(1), "exit status 1" },
	{ EXITED(2), "exit status 2" },
	{ EXITED(127), "exit status 127" },
	{ EXITED(255), "exit status 255" },
	{ SIGNALED(SIGTERM), "terminated by SIGTERM" },
	{ SIGNALED(SIGKILL), "terminated by SIGKILL" },
	{ SIGNALED(SIGSEGV), "terminated by SIGSEGV" },
	{ CORED(SIGSEGV), "terminated by SIGSEGV (core dumped)" },
	{ SIGSEGV | 0x80, "terminated by SIGSEGV (core dumped)" },
	{ CORED(SIGABRT), "terminated by SIGABRT (core dumped)" },
	{ CORED(SIGQUIT), "terminated by SIGQUIT (core dumped)" },
	{ SIGNALED(SIGHUP), "terminated by SIGHUP" },
	{ SIGNALED(29), "terminated by SIGPOLL" },
	{ SIGNALED(17), "terminated by SIGCHLD" },
	{ SIGNALED(32), "terminated by signal 32" },
	{ CORED(33), "terminated by signal 33 (core dumped)" },
	{ STOPPED(SIGSTOP), "unknown termination cause 0x137f" },
	{ STOPPED(SIGTSTP), "unknown termination cause 0x147f" },
	{ 0xffff, "unknown termination cause 0xffff" },
};

START_TEST(test_format_wait_status)
{
	char	buf[128];

	format_wait_status(buf, sizeof buf, wait_cases[_i].status);
	ck_assert_str_eq(buf, wait_cases[_i].out);
}
END_TEST

START_TEST(test_format_wait_status_rt)
{
	char	buf[128];

	/* supervisord names only the two ends of the real-time range */
	format_wait_status(buf, sizeof buf, SIGNALED(SIGRTMIN));
	ck_assert_str_eq(buf, "terminated by SIGRTMIN");
	format_wait_status(buf, sizeof buf, SIGNALED(SIGRTMAX));
	ck_assert_str_eq(buf, "terminated by SIGRTMAX");
	format_wait_status(buf, sizeof buf, SIGNALED(SIGRTMIN + 1));
	ck_assert(matches("^terminated by signal [0-9]+$", buf));
	ck_assert_int_eq(atoi(buf + strlen("terminated by signal ")),
	    SIGRTMIN + 1);

	format_wait_status(buf, 8, EXITED(1));
	ck_assert_str_eq(buf, "exit st");
}
END_TEST

START_TEST(test_format_wait_status_real)
{
	char	buf[128];
	int	status;
	pid_t	pid;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(3);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	format_wait_status(buf, sizeof buf, status);
	ck_assert_str_eq(buf, "exit status 3");

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	format_wait_status(buf, sizeof buf, status);
	ck_assert_str_eq(buf, "terminated by SIGKILL");
}
END_TEST

/* ---- parsers ---- */

static const struct {
	const char	*in;
	int		 rc;
	bool		 val;
} bool_cases[] = {
	{ "true", 0, true },
	{ "TRUE", 0, true },
	{ "True", 0, true },
	{ "yes", 0, true },
	{ "YeS", 0, true },
	{ "on", 0, true },
	{ "ON", 0, true },
	{ "1", 0, true },
	{ "false", 0, false },
	{ "FALSE", 0, false },
	{ "no", 0, false },
	{ "No", 0, false },
	{ "off", 0, false },
	{ "OFF", 0, false },
	{ "0", 0, false },
	{ "", -1, false },
	{ "2", -1, false },
	{ "00", -1, false },
	{ "01", -1, false },
	{ "y", -1, false },
	{ "n", -1, false },
	{ "t", -1, false },
	{ "truee", -1, false },
	{ "tru", -1, false },
	{ " true", -1, false },
	{ "true ", -1, false },
	{ "enabled", -1, false },
	{ "unexpected", -1, false },
};

START_TEST(test_parse_bool)
{
	const char	*err = NULL;
	bool		 v = !bool_cases[_i].val;

	ck_assert_int_eq(parse_bool(bool_cases[_i].in, &v, &err),
	    bool_cases[_i].rc);
	if (bool_cases[_i].rc == 0) {
		ck_assert(v == bool_cases[_i].val);
		ck_assert_ptr_null(err);
	} else {
		ck_assert_str_eq(err, "expected true or false");
		ck_assert(v == !bool_cases[_i].val);	/* untouched */
	}
}
END_TEST

static const struct {
	const char		*in;
	unsigned long long	 max;
	unsigned long long	 val;
	const char		*err;
} uint_cases[] = {
	{ "0", 10, 0, NULL },
	{ "7", 10, 7, NULL },
	{ "10", 10, 10, NULL },
	{ "007", 10, 7, NULL },
	{ "11", 10, 0, "out of range" },
	{ "1", 0, 0, "out of range" },
	{ "0", 0, 0, NULL },
	{ "4294967295", UINT_MAX, UINT_MAX, NULL },
	{ "4294967296", UINT_MAX, 0, "out of range" },
	{ "18446744073709551615", ULLONG_MAX, ULLONG_MAX, NULL },
	{ "18446744073709551616", ULLONG_MAX, 0, "out of range" },
	{ "99999999999999999999999999", ULLONG_MAX, 0, "out of range" },
	{ "", 10, 0, "not a number" },
	{ "-1", 10, 0, "not a number" },
	{ "-0", 10, 0, "not a number" },
	{ "+1", 10, 0, "not a number" },
	{ " 1", 10, 0, "not a number" },
	{ "1 ", 10, 0, "not a number" },
	{ "1\n", 10, 0, "not a number" },
	{ "1a", 10, 0, "not a number" },
	{ "a1", 10, 0, "not a number" },
	{ "0x10", 100, 0, "not a number" },
	{ "1.0", 10, 0, "not a number" },
	{ "1e3", 10000, 0, "not a number" },
	{ "ten", 10, 0, "not a number" },
	{ "99999999999999999999999999x", ULLONG_MAX, 0, "not a number" },
};

START_TEST(test_parse_uint)
{
	unsigned long long	 v = 12345;
	const char		*err = NULL;
	int			 rc;

	rc = parse_uint(uint_cases[_i].in, uint_cases[_i].max, &v, &err);
	if (uint_cases[_i].err == NULL) {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(v, uint_cases[_i].val);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err, uint_cases[_i].err);
		ck_assert_uint_eq(v, 12345);
	}
}
END_TEST

static const struct {
	const char	*in;
	long long	 min, max;
	long long	 val;
	const char	*err;
} int_cases[] = {
	{ "0", -10, 10, 0, NULL },
	{ "-0", -10, 10, 0, NULL },
	{ "+0", -10, 10, 0, NULL },
	{ "5", -10, 10, 5, NULL },
	{ "+5", -10, 10, 5, NULL },
	{ "-5", -10, 10, -5, NULL },
	{ "-10", -10, 10, -10, NULL },
	{ "10", -10, 10, 10, NULL },
	{ "-11", -10, 10, 0, "out of range" },
	{ "11", -10, 10, 0, "out of range" },
	{ "0", 1, 10, 0, "out of range" },
	{ "-0042", -100, 100, -42, NULL },
	{ "9223372036854775807", LLONG_MIN, LLONG_MAX, LLONG_MAX, NULL },
	{ "-9223372036854775808", LLONG_MIN, LLONG_MAX, LLONG_MIN, NULL },
	{ "9223372036854775808", LLONG_MIN, LLONG_MAX, 0, "out of range" },
	{ "-9223372036854775809", LLONG_MIN, LLONG_MAX, 0, "out of range" },
	{ "18446744073709551616", LLONG_MIN, LLONG_MAX, 0, "out of range" },
	{ "-99999999999999999999999", LLONG_MIN, LLONG_MAX, 0, "out of range" },
	{ "", -10, 10, 0, "not a number" },
	{ "-", -10, 10, 0, "not a number" },
	{ "+", -10, 10, 0, "not a number" },
	{ "--1", -10, 10, 0, "not a number" },
	{ "+-1", -10, 10, 0, "not a number" },
	{ "-+1", -10, 10, 0, "not a number" },
	{ " 1", -10, 10, 0, "not a number" },
	{ "1 ", -10, 10, 0, "not a number" },
	{ "- 1", -10, 10, 0, "not a number" },
	{ "1-", -10, 10, 0, "not a number" },
	{ "0x1", -10, 10, 0, "not a number" },
	{ "1.5", -10, 10, 0, "not a number" },
	{ "abc", -10, 10, 0, "not a number" },
};

START_TEST(test_parse_int)
{
	long long	 v = 12345;
	const char	*err = NULL;
	int		 rc;

	rc = parse_int(int_cases[_i].in, int_cases[_i].min, int_cases[_i].max,
	    &v, &err);
	if (int_cases[_i].err == NULL) {
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(v, int_cases[_i].val);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err, int_cases[_i].err);
		ck_assert_int_eq(v, 12345);
	}
}
END_TEST

static const struct {
	const char	*in;
	unsigned	 max;
	unsigned	 val;
	const char	*err;
} octal_cases[] = {
	{ "022", 0777, 022, NULL },
	{ "22", 0777, 022, NULL },
	{ "0", 0777, 0, NULL },
	{ "000", 0777, 0, NULL },
	{ "0600", 07777, 0600, NULL },
	{ "777", 0777, 0777, NULL },
	{ "1000", 0777, 0, "out of range" },
	{ "7777", 07777, 07777, NULL },
	{ "17777", 07777, 0, "out of range" },
	{ "37777777777", UINT_MAX, UINT_MAX, NULL },
	{ "40000000000", UINT_MAX, 0, "out of range" },
	{ "7777777777777777777777777", UINT_MAX, 0, "out of range" },
	{ "", 0777, 0, "not an octal number" },
	{ "8", 0777, 0, "not an octal number" },
	{ "09", 0777, 0, "not an octal number" },
	{ "0o22", 0777, 0, "not an octal number" },
	{ "0x1", 0777, 0, "not an octal number" },
	{ "-1", 0777, 0, "not an octal number" },
	{ "+1", 0777, 0, "not an octal number" },
	{ " 22", 0777, 0, "not an octal number" },
	{ "22 ", 0777, 0, "not an octal number" },
	{ "rwx", 0777, 0, "not an octal number" },
};

START_TEST(test_parse_octal)
{
	unsigned	 v = 12345;
	const char	*err = NULL;
	int		 rc;

	rc = parse_octal(octal_cases[_i].in, octal_cases[_i].max, &v, &err);
	if (octal_cases[_i].err == NULL) {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(v, octal_cases[_i].val);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err, octal_cases[_i].err);
		ck_assert_uint_eq(v, 12345);
	}
}
END_TEST

/* ---- log ---- */

static const struct {
	const char	*in;
	int		 level;
} level_cases[] = {
	{ "critical", LOG_LVL_CRIT },
	{ "CRITICAL", LOG_LVL_CRIT },
	{ "error", LOG_LVL_ERROR },
	{ "Error", LOG_LVL_ERROR },
	{ "warn", LOG_LVL_WARN },
	{ "warning", LOG_LVL_WARN },
	{ "WARNING", LOG_LVL_WARN },
	{ "info", LOG_LVL_INFO },
	{ "INFO", LOG_LVL_INFO },
	{ "debug", LOG_LVL_DEBUG },
	{ "DeBuG", LOG_LVL_DEBUG },
	{ "trace", LOG_LVL_TRACE },
	{ "blather", LOG_LVL_TRACE },
	{ "BLATHER", LOG_LVL_TRACE },
	{ "", -1 },
	{ "crit", -1 },
	{ "erro", -1 },
	{ "debg", -1 },
	{ "infos", -1 },
	{ " info", -1 },
	{ "info ", -1 },
	{ "3", -1 },
};

START_TEST(test_log_level_parse)
{
	ck_assert_int_eq(log_level_parse(level_cases[_i].in),
	    level_cases[_i].level);
}
END_TEST

START_TEST(test_log_level_name)
{
	int	lvl;

	ck_assert_str_eq(log_level_name(LOG_LVL_CRIT), "critical");
	ck_assert_str_eq(log_level_name(LOG_LVL_ERROR), "error");
	ck_assert_str_eq(log_level_name(LOG_LVL_WARN), "warn");
	ck_assert_str_eq(log_level_name(LOG_LVL_INFO), "info");
	ck_assert_str_eq(log_level_name(LOG_LVL_DEBUG), "debug");
	ck_assert_str_eq(log_level_name(LOG_LVL_TRACE), "trace");
	ck_assert_ptr_null(log_level_name(-1));
	ck_assert_ptr_null(log_level_name(LOG_LVL_TRACE + 1));
	for (lvl = LOG_LVL_CRIT; lvl <= LOG_LVL_TRACE; lvl++)
		ck_assert_int_eq(log_level_parse(log_level_name(lvl)), lvl);
}
END_TEST

#define STAMP	"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},[0-9]{3}"

START_TEST(test_log_file)
{
	static const char *const names[] = { "tend.log" };
	char		 path[128], text[4096], want[64];
	struct stat	 st;
	struct tm	 tm;
	time_t		 now;
	int		 d, found;

	tmpdir_make();
	ck_assert_int_eq(setenv("TZ", "UTC0", 1), 0);
	(void)umask(0);
	log_init("tendd", LOG_LVL_INFO, false);
	ck_assert_int_eq(log_open_file(tmppath(path, sizeof path, "tend.log")), 0);

	now = time(NULL);
	log_info("spawned: '%s' with pid %d", "web", 123);
	log_debug("not shown at info");
	log_trace("not shown at info");
	log_critx("c");
	log_errorx("e");
	log_warnx("w");
	errno = ENOENT;
	log_warn("w %d", 2);		/* appends strerror(errno), keeps errno */
	ck_assert_int_eq(errno, ENOENT);
	errno = EACCES;
	log_error("e2");
	errno = EPERM;
	log_crit("c2");
	log_msg(LOG_LVL_INFO, "via log_msg %s", "x");
	log_msg(LOG_LVL_DEBUG, "not shown either");
	log_set_level(LOG_LVL_TRACE);
	log_debug("d");
	log_trace("t");
	log_msg(LOG_LVL_TRACE + 7, "beyond trace is trace");
	log_msg(-3, "below crit is crit");
	log_set_level(LOG_LVL_CRIT);
	log_errorx("hidden at critical");
	log_critx("shown at critical");
	log_close_file();
	log_info("after close: nowhere");

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);	/* not world-readable (issue 12) */
	slurp(path, text, sizeof text);
	ck_assert(matches("\\`" STAMP " INFO spawned: 'web' with pid 123\n"
	    STAMP " CRIT c\n"
	    STAMP " ERRO e\n"
	    STAMP " WARN w\n"
	    STAMP " WARN w 2: No such file or directory\n"
	    STAMP " ERRO e2: Permission denied\n"
	    STAMP " CRIT c2: Operation not permitted\n"
	    STAMP " INFO via log_msg x\n"
	    STAMP " DEBG d\n"
	    STAMP " TRAC t\n"
	    STAMP " TRAC beyond trace is trace\n"
	    STAMP " CRIT below crit is crit\n"
	    STAMP " CRIT shown at critical\n\\'", text));

	/* local time (TZ=UTC0 here) of about now */
	found = 0;
	for (d = -2; d <= 2 && !found; d++) {
		time_t t = now + d;
		ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
		ck_assert_uint_ne(strftime(want, sizeof want,
		    "%Y-%m-%d %H:%M:%S,", &tm), 0);
		found = strncmp(text, want, strlen(want)) == 0;
	}
	ck_assert_msg(found, "timestamp of \"%.30s\" is not now", text);

	tmpdir_remove(names, nitems(names));
}
END_TEST

START_TEST(test_log_file_cloexec)
{
	static const char *const names[] = { "tend.log" };
	char		path[128];
	struct stat	st, fst;
	int		fd, seen = 0;

	tmpdir_make();
	log_init("tendd", LOG_LVL_INFO, false);
	ck_assert_int_eq(log_open_file(tmppath(path, sizeof path, "tend.log")), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	for (fd = 3; fd < 256; fd++) {
		if (fstat(fd, &fst) == -1 || fst.st_ino != st.st_ino ||
		    fst.st_dev != st.st_dev)
			continue;
		seen++;
		ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
		ck_assert_int_ne(fcntl(fd, F_GETFL) & O_APPEND, 0);
	}
	ck_assert_int_eq(seen, 1);
	/* reopening the same file does not leak the old fd */
	ck_assert_int_eq(log_open_file(path), 0);
	ck_assert_int_eq(log_open_file(path), 0);
	seen = 0;
	for (fd = 3; fd < 256; fd++) {
		if (fstat(fd, &fst) == 0 && fst.st_ino == st.st_ino &&
		    fst.st_dev == st.st_dev)
			seen++;
	}
	ck_assert_int_eq(seen, 1);
	log_close_file();
	tmpdir_remove(names, nitems(names));
}
END_TEST

START_TEST(test_log_reopen)
{
	static const char *const names[] = { "tend.log", "tend.log.1" };
	char	path[128], old[128], text[4096];

	tmpdir_make();
	log_init("tendd", LOG_LVL_INFO, false);
	tmppath(path, sizeof path, "tend.log");
	tmppath(old, sizeof old, "tend.log.1");
	ck_assert_int_eq(log_open_file(path), 0);
	log_info("one");
	ck_assert_int_eq(rename(path, old), 0);
	log_info("two");		/* still the renamed file */

	/* a failed open keeps the current file */
	errno = 0;
	ck_assert_int_eq(log_open_file("/nonexistent/dir/tend.log"), -1);
	ck_assert_int_eq(errno, ENOENT);
	log_info("three");

	ck_assert_int_eq(log_open_file(path), 0);	/* SIGUSR2 */
	log_info("four");
	log_close_file();

	slurp(old, text, sizeof text);
	ck_assert(matches("\\`" STAMP " INFO one\n" STAMP " INFO two\n"
	    STAMP " INFO three\n\\'", text));
	slurp(path, text, sizeof text);
	ck_assert(matches("\\`" STAMP " INFO four\n\\'", text));
	tmpdir_remove(names, nitems(names));
}
END_TEST

START_TEST(test_log_escape_long)
{
	static const char *const names[] = { "tend.log" };
	char	 path[128], *text, *big;
	size_t	 n;

	tmpdir_make();
	log_init("tendd", LOG_LVL_INFO, false);
	ck_assert_int_eq(log_open_file(tmppath(path, sizeof path, "tend.log")), 0);
	log_info("a\nb\tc\rd%ce\x7f" "f\\g \xc3\xa9", 1);
	big = xmalloc(70001);
	memset(big, 'z', 70000);
	big[70000] = '\0';
	log_warnx("%s", big);
	log_close_file();

	text = xmalloc(80000);
	n = slurp(path, text, 80000);
	ck_assert(matches("\\`" STAMP " INFO a\\\\nb\\\\tc\\\\rd\\\\x01e\\\\x7ff\\\\g \xc3\xa9\n"
	    STAMP " WARN z+\n\\'", text));
	ck_assert_uint_eq(n, 2 * strlen("2026-11-25 18:58:43,123 INFO ") +
	    strlen("a\\nb\\tc\\rd\\x01e\\x7ff\\g \xc3\xa9\n") + 70000 + 1);
	free(text);
	free(big);
	tmpdir_remove(names, nitems(names));
}
END_TEST

START_TEST(test_log_errno)
{
	static const char *const names[] = { "tend.log" };
	char	path[128];
	int	fd;

	tmpdir_make();
	errno = ENOENT;
	log_init("tendd", LOG_LVL_TRACE, false);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(log_open_file(tmppath(path, sizeof path, "tend.log")), 0);
	errno = EACCES;
	log_info("x");
	ck_assert_int_eq(errno, EACCES);
	errno = EPIPE;
	log_critx("x");
	log_errorx("x");
	log_warnx("x");
	log_debug("x");
	log_trace("x");
	log_msg(LOG_LVL_INFO, "x");
	log_set_level(LOG_LVL_INFO);
	log_set_stderr(false);
	log_set_stderr_plain(false);
	log_debug("filtered");
	ck_assert_int_eq(errno, EPIPE);
	log_close_file();
	ck_assert_int_eq(errno, EPIPE);

	/* a failing write is counted, and errno still survives */
	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (fd != -1) {
		ck_assert_int_eq(close(fd), 0);
		ck_assert_int_eq(log_open_file("/dev/full"), 0);
		ck_assert_uint_eq(log_dropped(), 0);
		errno = EINTR;
		log_info("to a full disk");
		ck_assert_int_eq(errno, EINTR);
		ck_assert_uint_eq(log_dropped(), 1);
		log_info("again");
		ck_assert_uint_eq(log_dropped(), 2);
		log_close_file();
	}
	tmpdir_remove(names, nitems(names));
}
END_TEST

START_TEST(test_log_fifo_never_blocks)
{
	static const char *const names[] = { "fifo" };
	char			 path[128], line[PIPE_BUF + 2], *p;
	struct buf		 got;
	unsigned long long	 before;
	ssize_t			 n;
	int			 rfd, i;

	tmpdir_make();
	log_init("tendd", LOG_LVL_INFO, false);
	tmppath(path, sizeof path, "fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* no reader: the open itself must not hang */
	ck_assert_int_eq(log_open_file(path), -1);
	ck_assert_int_eq(errno, ENXIO);

	rfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ck_assert_int_ne(rfd, -1);
	ck_assert_int_eq(log_open_file(path), 0);
	before = log_dropped();
	/* nobody reads: the pipe fills and lines are dropped, whole */
	for (i = 0; i < 2000 && log_dropped() == before; i++)
		log_info("line %04d %0200d", i, 0);
	ck_assert_uint_gt(log_dropped(), before);
	log_info("dropped too");

	buf_init(&got);
	while ((n = read(rfd, line, sizeof line)) > 0)
		buf_add(&got, line, (size_t)n);
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_uint_gt(got.len, 0);
	ck_assert_int_eq(got.data[got.len - 1], '\n');
	for (p = got.data, i = 0; *p != '\0'; i++) {
		char want[32];
		(void)snprintf(want, sizeof want, " INFO line %04d 0000", i);
		ck_assert(strncmp(p + 23, want, strlen(want)) == 0);
		p = strchr(p, '\n');
		ck_assert_ptr_nonnull(p);
		p++;
	}
	buf_free(&got);

	/* once drained, lines flow again */
	log_info("after drain");
	n = read(rfd, line, sizeof line - 1);
	ck_assert_int_gt(n, 0);
	line[n] = '\0';
	ck_assert(matches("\\`" STAMP " INFO after drain\n\\'", line));
	log_close_file();
	ck_assert_int_eq(close(rfd), 0);
	tmpdir_remove(names, nitems(names));
}
END_TEST

static void
stderr_lines(void *arg)
{
	(void)arg;
	log_init("tendd", LOG_LVL_INFO, true);
	log_info("hello %s", "there");
	log_debug("filtered");
	log_set_stderr_plain(true);
	log_errorx("cannot reach tendd at %s: nobody is listening", "run/control");
	log_warnx("multi\nline");
	log_set_stderr(false);
	log_critx("not on stderr");
	log_set_stderr(true);
	log_set_stderr_plain(false);
	log_warnx("back");
}

START_TEST(test_log_stderr)
{
	char	out[4096];
	int	st;

	st = capture(stderr_lines, NULL, out, sizeof out);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_msg(matches("\\`" STAMP " INFO hello there\n"
	    "tendd: cannot reach tendd at run/control: nobody is listening\n"
	    "tendd: multi\\\\nline\n"
	    STAMP " WARN back\n\\'", out), "stderr was: %s", out);
}
END_TEST

static void
fatal_plain(void *arg)
{
	(void)arg;
	log_init("tendd", LOG_LVL_INFO, false);
	fatal("cannot open %s: %s", "tend.ini", "No such file or directory");
}

static void
fatal_with_file(void *arg)
{
	log_init("tendctl", LOG_LVL_CRIT, true);
	if (log_open_file(arg) == -1)
		_exit(98);
	log_set_level(-1);	/* fatal is shown whatever the level */
	fatal("bad %d", 7);
}

START_TEST(test_fatal)
{
	static const char *const names[] = { "tend.log" };
	char	out[1024], path[128], text[1024];
	int	st;

	st = capture(fatal_plain, NULL, out, sizeof out);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	ck_assert_str_eq(out,
	    "tendd: cannot open tend.ini: No such file or directory\n");

	tmpdir_make();
	tmppath(path, sizeof path, "tend.log");
	st = capture(fatal_with_file, path, out, sizeof out);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	ck_assert_str_eq(out, "tendctl: bad 7\n");
	slurp(path, text, sizeof text);
	ck_assert(matches("\\`" STAMP " CRIT bad 7\n\\'", text));
	tmpdir_remove(names, nitems(names));
}
END_TEST

/* ---- runner ---- */

/* supervisord's out-of-descriptors message, for EMFILE and ENFILE only. */
START_TEST(test_spawn_out_of_fds)
{
	char	buf[64] = "untouched";

	ck_assert(!spawn_out_of_fds(EACCES, "web", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "untouched");
	ck_assert(spawn_out_of_fds(EMFILE, "web", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "too many open files to spawn 'web'");
	ck_assert(spawn_out_of_fds(ENFILE, "g:w", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "too many open files to spawn 'g:w'");
}
END_TEST

static Suite *
suite_util(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc;

	tc = tcase_create("alloc");
	tcase_add_test(tc, test_xalloc);
	tcase_add_test(tc, test_xalloc_oom);
	suite_add_tcase(s, tc);

	tc = tcase_create("buf");
	tcase_add_test(tc, test_buf_basic);
	tcase_add_test(tc, test_buf_zeroed);
	tcase_add_test(tc, test_buf_large);
	tcase_add_test(tc, test_strlist);
	suite_add_tcase(s, tc);

	tc = tcase_create("fd");
	tcase_add_test(tc, test_fd_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("signal");
	tcase_add_loop_test(tc, test_signal_parse, 0, nitems(sigparse_cases));
	tcase_add_test(tc, test_signal_parse_rt);
	tcase_add_test(tc, test_signal_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_format_uptime, 0, nitems(uptime_cases));
	tcase_add_test(tc, test_format_uptime_short);
	tcase_add_loop_test(tc, test_format_wait_status, 0, nitems(wait_cases));
	tcase_add_test(tc, test_format_wait_status_rt);
	tcase_add_test(tc, test_format_wait_status_real);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_bool, 0, nitems(bool_cases));
	tcase_add_loop_test(tc, test_parse_uint, 0, nitems(uint_cases));
	tcase_add_loop_test(tc, test_parse_int, 0, nitems(int_cases));
	tcase_add_loop_test(tc, test_parse_octal, 0, nitems(octal_cases));
	tcase_add_test(tc, test_spawn_out_of_fds);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *
suite_log(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc;

	tc = tcase_create("levels");
	tcase_add_loop_test(tc, test_log_level_parse, 0, nitems(level_cases));
	tcase_add_test(tc, test_log_level_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_test(tc, test_log_file);
	tcase_add_test(tc, test_log_file_cloexec);
	tcase_add_test(tc, test_log_reopen);
	tcase_add_test(tc, test_log_escape_long);
	tcase_add_test(tc, test_log_errno);
	tcase_add_test(tc, test_log_fifo_never_blocks);
	tcase_add_test(tc, test_log_stderr);
	tcase_add_test(tc, test_fatal);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(suite_util());
	srunner_add_suite(sr, suite_log());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
