/* util.c: small shared helpers: checked allocation, growable strings,
 * fd flags, signal names, time and wait-status formatting, value parsers,
 * Python's white space in UTF-8.
 * The bottom layer: it includes no other tend header but its own, and on
 * out-of-memory it writes to fd 2 itself and aborts (log.c sits above). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "util.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef WCOREDUMP
#define WCOREDUMP(status)	((status) & 0x80)
#endif

/* What a buf holds before its first add and after buf_steal: a valid empty
 * string that is never freed (cap 0 marks it). Nobody writes through it. */
static char buf_empty[1];

/* Write "PROGNAME: msg" on fd 2 and abort; used where no memory is left. */
static _Noreturn void
util_die(const char *msg)
{
	char		 line[256];
	const char	*prog = program_invocation_short_name;
	size_t		 plen, len;

	plen = strnlen(prog, 64);
	len = strnlen(msg, sizeof line - plen - 4);
	memcpy(line, prog, plen);
	memcpy(line + plen, ": ", 2);
	memcpy(line + plen + 2, msg, len);
	line[plen + 2 + len] = '\n';
	/* nothing left to do if this fails: we abort either way */
	(void)!write(STDERR_FILENO, line, plen + len + 3);
	abort();
}

/* Say which allocation failed and abort. */
static _Noreturn void
xalloc_die(const char *what, size_t nmemb, size_t size)
{
	char	msg[128];

	/* the format is ours and snprintf into a stack buffer does not allocate */
	(void)snprintf(msg, sizeof msg, "%s: out of memory (%zu * %zu bytes)",
	    what, nmemb, size);
	util_die(msg);
}

/* malloc that never returns NULL; a zero size still yields a unique pointer. */
void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		xalloc_die("xmalloc", 1, size);
	return p;
}

/* calloc that never returns NULL and checks nmemb * size for overflow. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		xalloc_die("xcalloc", nmemb, size);
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		xalloc_die("xcalloc", nmemb, size);
	return p;
}

/* OpenBSD's reallocarray that never returns NULL. */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*p;
	size_t	 total;

	if (size != 0 && nmemb > SIZE_MAX / size)
		xalloc_die("xreallocarray", nmemb, size);
	total = nmemb * size;
	if ((p = realloc(ptr, total == 0 ? 1 : total)) == NULL)
		xalloc_die("xreallocarray", nmemb, size);
	return p;
}

/* strdup that never returns NULL. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* strndup that never returns NULL: at most n bytes of s, NUL-terminated. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* asprintf that never returns NULL. */
char *
xasprintf(const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

/* Make an empty buf; data is a valid "" and nothing is allocated yet. */
void
buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
}

/* Make room for extra more bytes plus the NUL. A zeroed buf (data NULL)
 * is accepted as if buf_init had been called. */
static void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 need, cap;
	char	*old;

	if (extra > SIZE_MAX - b->len - 1)
		xalloc_die("buf_grow", b->len, extra);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap < 64 ? 64 : b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	old = b->cap == 0 ? NULL : b->data;
	b->data = xreallocarray(old, cap, 1);
	if (old == NULL)
		b->data[0] = '\0';
	b->cap = cap;
}

/* Append n bytes of p (which may hold NULs). */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append a C string. */
void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append one byte. */
void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* Append printf-formatted text. */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Append vprintf-formatted text; aborts if the format itself is bad. */
void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	size_t	room;
	int	n;

	buf_grow(b, 0);
	room = b->cap - b->len;
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		util_die("buf_vprintf: bad format or value");
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		room = b->cap - b->len;
		n = vsnprintf(b->data + b->len, room, fmt, ap);
		if (n < 0 || (size_t)n >= room)
			util_die("buf_vprintf: bad format or value");
	}
	b->len += (size_t)n;
}

/* Drop n bytes from the front; dropping more than len empties the buf. */
void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/* Empty the buf but keep its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap != 0)
		b->data[0] = '\0';
	else
		b->data = buf_empty;
}

/* Release the memory; the buf is left as after buf_init. */
void
buf_free(struct buf *b)
{
	if (b->cap != 0)
		free(b->data);
	buf_init(b);
}

/* Hand the string to the caller (always malloc'd, "" if empty); the buf is
 * left as after buf_init and need not be freed. */
char *
buf_steal(struct buf *b)
{
	char	*s;

	s = b->cap != 0 ? b->data : xstrdup("");
	buf_init(b);
	return s;
}

/* Slots allocated for a list of n strings and its NULL: the power of two
 * that holds n + 1, at least 8. A function of n, so no capacity field. */
static size_t
strlist_slots(size_t n)
{
	size_t	slots = 8;

	while (slots < n + 1)
		slots *= 2;
	return slots;
}

/* Append a copy of s; v stays NULL-terminated, so it can serve as argv. */
void
strlist_add(struct strlist *l, const char *s)
{
	if (l->n >= SIZE_MAX / 2 / sizeof(char *))
		xalloc_die("strlist_add", l->n, sizeof(char *));
	if (l->v == NULL || strlist_slots(l->n + 1) > strlist_slots(l->n))
		l->v = xreallocarray(l->v, strlist_slots(l->n + 1),
		    sizeof(char *));
	l->v[l->n++] = xstrdup(s);
	l->v[l->n] = NULL;
}

/* See util.h. */
bool
spawn_out_of_fds(int err, const char *name, char *buf, size_t len)
{
	if (err != EMFILE && err != ENFILE)
		return false;
	(void)snprintf(buf, len, "too many open files to spawn '%s'", name);
	return true;
}

/* Append a printf-formatted string. */
void
strlist_addf(struct strlist *l, const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;
	char		*s;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s = buf_steal(&b);
	strlist_add(l, s);
	free(s);
}

/* Free every string and the vector; the list is left empty. */
void
strlist_free(struct strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Set FD_CLOEXEC on fd; 0, or -1 with errno. */
int
fd_cloexec(int fd)
{
	int	flags;

	if ((flags = fcntl(fd, F_GETFD)) == -1)
		return -1;
	if (flags & FD_CLOEXEC)
		return 0;
	return fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1 ? -1 : 0;
}

/* Set O_NONBLOCK on fd; 0, or -1 with errno. */
int
fd_nonblock(int fd)
{
	int	flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return -1;
	if (flags & O_NONBLOCK)
		return 0;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ? -1 : 0;
}

/* See util.h. */
/* See util.h. */
int
fd_read_all(int fd, struct buf *b, size_t max)
{
	char	chunk[16384];
	ssize_t	n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		buf_add(b, chunk, (size_t)n);
		if (b->len > max) {
			errno = EFBIG;
			return -1;
		}
	}
}

/* See util.h. */
int
fsync_dir_at(int dirfd, const char *dir)
{
	int	fd, rc, saved;

	/* only fsync'ed, never read or written: a directory another user
	 * swapped in (O_DIRECTORY refuses a FIFO or file) costs a sync */
	do {
		fd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} while (fd == -1 && errno == EINTR);
	if (fd == -1)
		return -1;
	rc = fsync(fd);
	saved = errno;
	(void)close(fd);
	errno = saved;
	return rc;
}

/* See util.h. */
int
fsync_parent_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 rc;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xasprintf("%.*s", (int)(slash - path), path);
	rc = fsync_dir_at(AT_FDCWD, dir);
	free(dir);
	return rc;
}

int
fd_write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Linux signal names. The first entry for a number is its canonical name,
 * the one Python's signal module (and so supervisord's signame()) prints:
 * SIGABRT not SIGIOT, SIGCHLD not SIGCLD, SIGPOLL not SIGIO. The aliases
 * after it are accepted by signal_parse only.
 */
static const struct {
	int		 num;
	const char	*name;
} signal_table[] = {
	{ SIGHUP,	"SIGHUP" },
	{ SIGINT,	"SIGINT" },
	{ SIGQUIT,	"SIGQUIT" },
	{ SIGILL,	"SIGILL" },
	{ SIGTRAP,	"SIGTRAP" },
	{ SIGABRT,	"SIGABRT" },
	{ SIGBUS,	"SIGBUS" },
	{ SIGFPE,	"SIGFPE" },
	{ SIGKILL,	"SIGKILL" },
	{ SIGUSR1,	"SIGUSR1" },
	{ SIGSEGV,	"SIGSEGV" },
	{ SIGUSR2,	"SIGUSR2" },
	{ SIGPIPE,	"SIGPIPE" },
	{ SIGALRM,	"SIGALRM" },
	{ SIGTERM,	"SIGTERM" },
#ifdef SIGSTKFLT
	{ SIGSTKFLT,	"SIGSTKFLT" },
#endif
	{ SIGCHLD,	"SIGCHLD" },
	{ SIGCONT,	"SIGCONT" },
	{ SIGSTOP,	"SIGSTOP" },
	{ SIGTSTP,	"SIGTSTP" },
	{ SIGTTIN,	"SIGTTIN" },
	{ SIGTTOU,	"SIGTTOU" },
	{ SIGURG,	"SIGURG" },
	{ SIGXCPU,	"SIGXCPU" },
	{ SIGXFSZ,	"SIGXFSZ" },
	{ SIGVTALRM,	"SIGVTALRM" },
	{ SIGPROF,	"SIGPROF" },
	{ SIGWINCH,	"SIGWINCH" },
#ifdef SIGPOLL
	{ SIGPOLL,	"SIGPOLL" },
#endif
#ifdef SIGIO
	{ SIGIO,	"SIGIO" },
#endif
#ifdef SIGPWR
	{ SIGPWR,	"SIGPWR" },
#endif
	{ SIGSYS,	"SIGSYS" },
	/* aliases */
#ifdef SIGIOT
	{ SIGIOT,	"SIGIOT" },
#endif
#ifdef SIGCLD
	{ SIGCLD,	"SIGCLD" },
#endif
};

/* Parse the n of "RTMIN+n" / "RTMAX-n" (p points after the sign). */
static int
signal_parse_rt(const char *p, int base, int dir)
{
	unsigned long long	n;
	const char		*err;

	if (parse_uint(p, (unsigned long long)(SIGRTMAX - SIGRTMIN), &n,
	    &err) == -1)
		return -1;
	return base + dir * (int)n;
}

/* "TERM", "SIGTERM", "term", "15", "RTMIN+2", "SIGRTMAX-1" -> number, or -1. */
int
signal_parse(const char *s)
{
	unsigned long long	 n;
	const char		*err, *p;
	size_t			 i;

	if (s == NULL || *s == '\0')
		return -1;
	if (*s >= '0' && *s <= '9') {
		if (parse_uint(s, NSIG - 1, &n, &err) == -1 || n == 0)
			return -1;
		return (int)n;
	}
	p = s;
	if (strncasecmp(p, "SIG", 3) == 0)
		p += 3;
	if (*p == '\0')
		return -1;
	for (i = 0; i < nitems(signal_table); i++) {
		if (strcasecmp(p, signal_table[i].name + 3) == 0)
			return signal_table[i].num;
	}
	if (strncasecmp(p, "RTMIN", 5) == 0) {
		if (p[5] == '\0')
			return SIGRTMIN;
		if (p[5] == '+')
			return signal_parse_rt(p + 6, SIGRTMIN, 1);
	} else if (strncasecmp(p, "RTMAX", 5) == 0) {
		if (p[5] == '\0')
			return SIGRTMAX;
		if (p[5] == '-')
			return signal_parse_rt(p + 6, SIGRTMAX, -1);
	}
	return -1;
}

/* The canonical name of a standard signal, or NULL. */
static const char *
signal_std_name(int sig)
{
	size_t	i;

	for (i = 0; i < nitems(signal_table); i++) {
		if (signal_table[i].num == sig)
			return signal_table[i].name;
	}
	return NULL;
}

/* 15 -> "SIGTERM" (static); SIGRTMIN+n is written into buf, which must be
 * large enough (16 bytes is); NULL for an unknown number or a short buf. */
const char *
signal_name(int sig, char *buf, size_t len)
{
	const char	*name;
	int		 n;

	if ((name = signal_std_name(sig)) != NULL)
		return name;
	if (sig == SIGRTMIN)
		return "SIGRTMIN";
	if (sig == SIGRTMAX)
		return "SIGRTMAX";
	if (sig < SIGRTMIN || sig > SIGRTMAX || buf == NULL)
		return NULL;
	n = snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	if (n < 0 || (size_t)n >= len)
		return NULL;
	return buf;
}

/* Python's str(datetime.timedelta(seconds=secs)); negatives count as 0. */
void
format_uptime(char *buf, size_t len, long long secs)
{
	long long	days, rest;

	if (secs < 0)
		secs = 0;
	days = secs / 86400;
	rest = secs % 86400;
	if (days == 0)
		(void)snprintf(buf, len, "%lld:%02lld:%02lld", rest / 3600,
		    rest / 60 % 60, rest % 60);
	else
		(void)snprintf(buf, len, "%lld day%s, %lld:%02lld:%02lld",
		    days, days == 1 ? "" : "s", rest / 3600, rest / 60 % 60,
		    rest % 60);
}

/* supervisord's decode_wait_status() message for a waitpid() status. */
void
format_wait_status(char *buf, size_t len, int status)
{
	const char	*name;
	int		 sig;

	if (WIFEXITED(status)) {
		(void)snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		/* supervisord's signame(): real-time signals other than the
		 * two ends have no name in Python's signal module */
		sig = WTERMSIG(status);
		if ((name = signal_std_name(sig)) == NULL) {
			if (sig == SIGRTMIN)
				name = "SIGRTMIN";
			else if (sig == SIGRTMAX)
				name = "SIGRTMAX";
		}
		if (name != NULL)
			(void)snprintf(buf, len, "terminated by %s%s", name,
			    WCOREDUMP(status) ? " (core dumped)" : "");
		else
			(void)snprintf(buf, len, "terminated by signal %d%s",
			    sig, WCOREDUMP(status) ? " (core dumped)" : "");
	} else {
		(void)snprintf(buf, len, "unknown termination cause 0x%04x",
		    (unsigned)status);
	}
}

/* supervisord's boolean(): true/yes/on/1, false/no/off/0, any case. */
int
parse_bool(const char *s, bool *out, const char **err)
{
	static const char *const truthy[] = { "true", "yes", "on", "1" };
	static const char *const falsy[] = { "false", "no", "off", "0" };
	size_t	i;

	for (i = 0; i < nitems(truthy); i++) {
		if (strcasecmp(s, truthy[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, falsy[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	*err = "expected true or false";
	return -1;
}

/* Decimal digits only, no sign or blanks, value <= max. */
int
parse_uint(const char *s, unsigned long long max, unsigned long long *out,
    const char **err)
{
	unsigned long long	v = 0;
	bool			overflow = false;
	unsigned		d;

	if (*s == '\0') {
		*err = "not a number";
		return -1;
	}
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9') {
			*err = "not a number";
			return -1;
		}
		d = (unsigned)(*s - '0');
		if (v > (ULLONG_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (overflow || v > max) {
		*err = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

/* An optional '-' or '+' then decimal digits, min <= value <= max. */
int
parse_int(const char *s, long long min, long long max, long long *out,
    const char **err)
{
	unsigned long long	mag;
	bool			neg = false;
	long long		v;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (parse_uint(s, ULLONG_MAX, &mag, err) == -1)
		return -1;
	if (neg) {
		if (mag > (unsigned long long)LLONG_MAX + 1) {
			*err = "out of range";
			return -1;
		}
		v = mag == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)mag;
	} else {
		if (mag > (unsigned long long)LLONG_MAX) {
			*err = "out of range";
			return -1;
		}
		v = (long long)mag;
	}
	if (v < min || v > max) {
		*err = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

/* Octal digits only ("022"), value <= max. */
int
parse_octal(const char *s, unsigned max, unsigned *out, const char **err)
{
	unsigned long long	v = 0;
	bool			overflow = false;

	if (*s == '\0') {
		*err = "not an octal number";
		return -1;
	}
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '7') {
			*err = "not an octal number";
			return -1;
		}
		if (v > UINT_MAX)
			overflow = true;
		else
			v = v * 8 + (unsigned)(*s - '0');
	}
	if (overflow || v > max) {
		*err = "out of range";
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* See util.h. */
size_t
utf8_space(const char *p)
{
	const unsigned char	*u = (const unsigned char *)p;

	if ((u[0] >= 0x09 && u[0] <= 0x0d) || (u[0] >= 0x1c && u[0] <= 0x20))
		return 1;
	if (u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
		return 2;	/* U+0085, U+00A0 */
	if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80)	/* U+1680 */
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8a) ||
	    u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf))
		return 3;	/* U+2000-200A, U+2028, U+2029, U+202F */
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)	/* U+205F */
		return 3;
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)	/* U+3000 */
		return 3;
	return 0;
}
