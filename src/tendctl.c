/* tendctl.c: the client. argv becomes one request line written with one
 * write(2) to the control FIFO; the reply comes back through a private FIFO
 * and is printed as it arrives; the exit status is the one tendd sends
 * (supervisorctl's). Never hangs: a daemon that does not answer within a
 * few seconds is reported as not listening. */
#include "autoconfig.h"

#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdline.h"
#include "ini_reader.h"
#include "edit.h"
#include "protocol.h"
#include "shell.h"
#include "tendctl.h"
#include "util.h"

#ifndef TEND_SYSCONFDIR
#define TEND_SYSCONFDIR "/etc"
#endif
#ifndef TEND_RUNSTATEDIR
#define TEND_RUNSTATEDIR "/run"
#endif

#define CTL_CONNECT_SECS	5	/* for the FIFO to take the request */
#define CTL_ACK_SECS		5	/* for tendd to open the reply */

static char	ctl_fifo[PATH_MAX];	/* our reply FIFO, while it exists */
static struct buf *ctl_capture;		/* ctl_run_capture: stdout lines go
					 * here, stderr ones nowhere */

static _Noreturn void
usage(int code)
{
	(void)fprintf(code == 0 ? stdout : stderr,
	    "usage: tendctl [-c file] [-s fifo] [command [argument ...]]\n"
	    "commands: status start stop restart signal pid shutdown "
	    "version metrics tail maintail clear reopen avail reread update\n"
	    "          add remove reload help (none: an interactive shell)\n");
	exit(code);
}

/* Remove the reply FIFO. */
static void
ctl_cleanup(void)
{
	if (ctl_fifo[0] != '\0')
		(void)unlink(ctl_fifo);
	ctl_fifo[0] = '\0';
}

/* tail -f / maintail -f runs: Ctrl-C ends it, as in supervisorctl. */
static volatile sig_atomic_t	ctl_following, ctl_interrupted;
static volatile sig_atomic_t	ctl_interactive;	/* the shell runs */

/* Ctrl-C while waiting: clean up, exit like a shell would (or end a
 * tail -f, which ctl_run notices by EINTR). */
static void
ctl_signal(int sig)
{
	if (ctl_following && sig == SIGINT) {
		ctl_interrupted = 1;
		return;
	}
	if (ctl_fifo[0] != '\0')
		(void)unlink(ctl_fifo);
	if (ctl_interactive && sig == SIGINT) {
		/* supervisorctl's shell prints an empty line and exits 0 */
		ssize_t	n = write(STDOUT_FILENO, "\n", 1);

		(void)n;	/* exiting either way */
		_exit(0);
	}
	_exit(128 + sig);
}

/* See tendctl.h. */
void
ctl_set_interactive(void)
{
	ctl_interactive = 1;
}

/* Monotonic milliseconds. */
static long long
ctl_ms(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct ctl_conf {
	struct reader	*reader;
	char		*control;
	bool		 in_tend;
};

/* Section headers: only [tend] matters to tendctl. */
static void
ctl_conf_section(void *user, const char *name, unsigned line)
{
	struct ctl_conf	*cc = user;

	(void)line;
	cc->in_tend = strcmp(name, "tend") == 0;
}

/* inih handler: keep [tend] control=. */
static int
ctl_conf_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct ctl_conf		*cc = user;
	struct reader_entry	 e;

	if (!reader_entry(cc->reader, section, name, value, &e))
		return 1;
	if (strcmp(section, "tend") == 0 && strcmp(e.key, "control") == 0 &&
	    !e.continuation) {
		free(cc->control);
		cc->control = xstrdup(e.value);
	}
	return 1;
}

/* Only [tend] matters to tendctl: copy out the lines of the [tend]
 * sections, so that a status does not parse a thousand programs first
 * (1.8 ms of a 4.5 ms status at N=1000). A section begins at a line that
 * starts with '[' (inih's rule for an unindented line); an indented '[',
 * which inih may read as a header or as a continuation, returns false:
 * then the whole file is parsed. */
static bool
ctl_tend_sections(const char *text, size_t len, struct buf *out)
{
	const char	*p = text, *end = text + len, *nl, *q;
	size_t		 ll;
	bool		 in = false;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* a UTF-8 BOM, as inih skips it */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ll = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		for (q = p; q < p + ll && (*q == ' ' || *q == '\t'); q++)
			;
		if (q < p + ll && *q == '[') {
			if (q != p)
				return false;
			in = ll >= 6 && memcmp(p, "[tend]", 6) == 0;
		}
		if (in)
			buf_add(out, p, ll);
		p += ll;
	}
	return true;
}

/* The control FIFO named by a configuration file (or NULL on error). */
static char *
ctl_control_from_config(const char *path)
{
	extern char	**environ;
	struct ctl_conf	  cc = { NULL, NULL, false };
	struct buf	  text, tend;
	struct cmdline_var vars[1];
	char		  chunk[8192], err[256], *here, *slash, *out;
	ssize_t		  n;
	int		  fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)fprintf(stderr, "tendctl: %s: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	buf_init(&text);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(&text, chunk, (size_t)n);
		if (text.len > READER_MAX_FILE)
			break;
	}
	(void)close(fd);
	buf_init(&tend);
	if (ctl_tend_sections(text.data, text.len, &tend)) {
		buf_free(&text);
		text = tend;
	} else
		buf_free(&tend);
	cc.reader = reader_new(path, text.len > 0 ? text.data : "", text.len,
	    ctl_conf_section, &cc);
	reader_parse(cc.reader, ctl_conf_handler, &cc);
	reader_free(cc.reader);
	buf_free(&text);
	if (cc.control == NULL)
		return xstrdup(TEND_RUNSTATEDIR "/tend/control");

	if ((here = realpath(path, NULL)) == NULL)
		here = xstrdup(path);
	if ((slash = strrchr(here, '/')) != NULL)
		*slash = '\0';
	vars[0].name = "here";
	vars[0].value = slash != NULL ? (here[0] != '\0' ? here : "/") : ".";
	out = cmdline_expand(cc.control, vars, 1, environ, err, sizeof(err));
	if (out == NULL)
		(void)fprintf(stderr, "tendctl: %s: control: %s\n", path, err);
	free(here);
	free(cc.control);
	return out;
}

/* The unreachable-daemon message and status (supervisorctl's codes). */
static int
ctl_unreachable(const char *verb, const char *fifo, const char *why,
    int code)
{
	if (ctl_capture == NULL)
		(void)fprintf(stderr, "tendctl: cannot reach tendd at %s: %s\n",
		    fifo, why);
	ctl_cleanup();
	if (strcmp(verb, "status") == 0)
		code = TEND_EXIT_STATUS_UNKNOWN;
	return code;
}

/* Print one reply record; returns 1 at the exit record. */
static int
ctl_record(char *line, bool *acked, int *code)
{
	char	 kind, *text;
	size_t	 len;

	if (line[0] == 'd' && line[1] == ' ' &&
	    proto_reply_data_parse(line, &text, &len) == 0) {
		/* raw log bytes (tail) */
		(void)fwrite(text, 1, len, stdout);
		return 0;
	}
	if (proto_reply_parse(line, &kind, &text, code) == -1) {
		(void)fprintf(stderr, "tendctl: malformed reply from tendd\n");
		*code = TEND_EXIT_GENERIC;
		return 1;
	}
	switch (kind) {
	case '+':
		*acked = true;
		return 0;
	case '1':
		if (ctl_capture != NULL) {
			buf_addstr(ctl_capture, text);
			buf_addc(ctl_capture, '\n');
			return 0;
		}
		(void)fputs(text, stdout);
		(void)fputc('\n', stdout);
		return 0;
	case '2':
		if (ctl_capture != NULL)
			return 0;
		(void)fflush(stdout);
		(void)fputs(text, stderr);
		(void)fputc('\n', stderr);
		return 0;
	default:
		return 1;
	}
}

/* Send one command and print its reply; returns the exit status. Used for
 * a command line and for each line of the interactive shell. */
int
ctl_run(const char *fifo, int argc, char **argv)
{
	const char	*err;
	char		*replydir, name[96], rnd[8];
	struct buf	 req, in;
	struct pollfd	 pfd;
	struct stat	 st;
	char		 chunk[4096], *nl;
	long long	 deadline;
	int		 cfd, rfd, code = TEND_EXIT_GENERIC, rc;
	bool		 acked = false, done = false, following = false;
	sigset_t	 intmask, waitmask;
	ssize_t		 n;
	mode_t		 mask;
	int		 i;

	if (strcmp(argv[0], "tail") == 0 || strcmp(argv[0], "maintail") == 0)
		for (i = 1; i < argc; i++)
			if (strcmp(argv[i], "-f") == 0)
				following = true;
	ctl_interrupted = 0;
	ctl_following = following;

	cfd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (cfd == -1) {
		if (errno == ENOENT)
			return ctl_unreachable(argv[0], fifo, "no such FIFO",
			    TEND_EXIT_NOT_RUNNING);
		if (errno == ENXIO)
			return ctl_unreachable(argv[0], fifo,
			    "nobody is listening",
			    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
		return ctl_unreachable(argv[0], fifo, strerror(errno),
		    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
	}
	if (fstat(cfd, &st) == -1 || !S_ISFIFO(st.st_mode)) {
		(void)close(cfd);
		return ctl_unreachable(argv[0], fifo, "not a FIFO",
		    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
	}

	/* The reply FIFO: an unguessable name in tendd's reply directory,
	 * which nobody but tendd can list. */
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		(void)close(cfd);
		(void)fprintf(stderr, "tendctl: getrandom: %s\n",
		    strerror(errno));
		return TEND_EXIT_GENERIC;
	}
	(void)snprintf(name, sizeof(name), "tendctl.%ld.%02x%02x%02x%02x%02x"
	    "%02x%02x%02x", (long)getpid(), (unsigned char)rnd[0],
	    (unsigned char)rnd[1], (unsigned char)rnd[2], (unsigned char)rnd[3],
	    (unsigned char)rnd[4], (unsigned char)rnd[5], (unsigned char)rnd[6],
	    (unsigned char)rnd[7]);
	replydir = proto_reply_dir(fifo);
	if ((size_t)snprintf(ctl_fifo, sizeof(ctl_fifo), "%s/%s", replydir,
	    name) >= sizeof(ctl_fifo)) {
		free(replydir);
		(void)close(cfd);
		ctl_fifo[0] = '\0';
		return ctl_unreachable(argv[0], fifo, "path too long",
		    TEND_EXIT_GENERIC);
	}
	mask = umask(077);
	rc = mkfifo(ctl_fifo, 0600);
	(void)umask(mask);
	if (rc == -1) {
		char	why[PATH_MAX + 64];

		(void)snprintf(why, sizeof(why), "cannot make a reply FIFO in "
		    "%s: %s", replydir, strerror(errno));
		ctl_fifo[0] = '\0';
		free(replydir);
		(void)close(cfd);
		return ctl_unreachable(argv[0], fifo, why, errno == ENOENT ?
		    TEND_EXIT_NOT_RUNNING : TEND_EXIT_INSUFFICIENT_PRIVILEGES);
	}
	free(replydir);
	rfd = open(ctl_fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rfd == -1) {
		(void)fprintf(stderr, "tendctl: open %s: %s\n", ctl_fifo,
		    strerror(errno));
		(void)close(cfd);
		ctl_cleanup();
		return TEND_EXIT_GENERIC;
	}

	buf_init(&req);
	if (proto_request_encode(&req, name, argc, argv, &err) == -1) {
		(void)fprintf(stderr, "tendctl: %s\n", err);
		buf_free(&req);
		(void)close(cfd);
		(void)close(rfd);
		ctl_cleanup();
		return TEND_EXIT_GENERIC;
	}
	/* One write: requests of at most PIPE_BUF bytes never interleave,
	 * and as ours starts with RS, stray bytes another writer left just
	 * before it are thrown away by tendd (protocol.h). A full FIFO
	 * means a busy daemon: try again until the deadline. */
	deadline = ctl_ms() + CTL_CONNECT_SECS * 1000;
	for (;;) {
		n = write(cfd, req.data, req.len);
		if (n == (ssize_t)req.len)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN && ctl_ms() < deadline) {
			(void)poll(NULL, 0, 20);
			continue;
		}
		buf_free(&req);
		(void)close(cfd);
		(void)close(rfd);
		return ctl_unreachable(argv[0], fifo, n == -1 ?
		    strerror(errno) : "short write",
		    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
	}
	(void)close(cfd);
	buf_free(&req);

	/* Stream the reply. Until tendd acknowledges, wait a few seconds;
	 * after that, as long as it keeps the reply open. */
	buf_init(&in);
	deadline = ctl_ms() + CTL_ACK_SECS * 1000;
	pfd.fd = rfd;
	pfd.events = POLLIN;
	/* While following, SIGINT is let in only inside ppoll(): one that
	 * comes during a write is then never lost before the next wait. */
	(void)sigemptyset(&intmask);
	(void)sigaddset(&intmask, SIGINT);
	(void)sigprocmask(following ? SIG_BLOCK : SIG_SETMASK, following ?
	    &intmask : NULL, &waitmask);
	while (!done) {
		int	timeout = -1;

		if (!acked) {
			long long	left = deadline - ctl_ms();

			if (left <= 0) {
				(void)sigprocmask(SIG_SETMASK, &waitmask, NULL);
				buf_free(&in);
				(void)close(rfd);
				return ctl_unreachable(argv[0], fifo,
				    "no answer",
				    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
			}
			timeout = (int)left;
		}
		if (following)
			(void)fflush(stdout);
		if (ctl_interrupted) {
			rc = -1;
			errno = EINTR;
		} else if (following) {
			struct timespec	ts, *tsp = NULL;

			if (timeout >= 0) {
				ts.tv_sec = timeout / 1000;
				ts.tv_nsec = (long)(timeout % 1000) * 1000000;
				tsp = &ts;
			}
			rc = ppoll(&pfd, 1, tsp, &waitmask);
		} else
			rc = poll(&pfd, 1, timeout);
		if (rc == -1 && errno == EINTR && ctl_interrupted) {
			/* supervisorctl prints an empty line and exits 0 */
			(void)fputc('\n', stdout);
			code = 0;
			break;
		}
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == 0)
			continue;
		n = read(rfd, chunk, sizeof(chunk));
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			(void)fprintf(stderr, "tendctl: tendd closed the reply "
			    "early\n");
			code = TEND_EXIT_GENERIC;
			break;
		}
		buf_add(&in, chunk, (size_t)n);
		while (!done && in.len > 0 &&
		    (nl = memchr(in.data, '\n', in.len)) != NULL) {
			*nl = '\0';
			if (ctl_record(in.data, &acked, &code) == 1)
				done = true;
			buf_consume(&in, (size_t)(nl - in.data) + 1);
		}
	}
	buf_free(&in);
	(void)close(rfd);
	ctl_cleanup();
	ctl_following = 0;
	if (following)
		(void)sigprocmask(SIG_SETMASK, &waitmask, NULL);
	if (fflush(stdout) == EOF)
		return TEND_EXIT_GENERIC;
	return code;
}

/* See tendctl.h. */
int
ctl_run_capture(const char *fifo, int argc, char **argv, struct buf *out)
{
	int	code;

	ctl_capture = out;
	code = ctl_run(fifo, argc, argv);
	ctl_capture = NULL;
	return code;
}

int
main(int argc, char **argv)
{
	const char	*conf = NULL, *fifo = NULL;
	char		*control = NULL;
	struct sigaction sa;
	int		 ch, code;

	while ((ch = getopt(argc, argv, "+c:s:h")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 's':
			fifo = optarg;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;

	if (fifo == NULL) {
		if (conf == NULL && access(TEND_SYSCONFDIR "/tend/tend.ini",
		    R_OK) == 0)
			conf = TEND_SYSCONFDIR "/tend/tend.ini";
		if (conf != NULL) {
			if ((control = ctl_control_from_config(conf)) == NULL)
				return TEND_EXIT_GENERIC;
		} else
			control = xstrdup(TEND_RUNSTATEDIR "/tend/control");
		fifo = control;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ctl_signal;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)signal(SIGPIPE, SIG_IGN);

	/* no command: the interactive shell, which always exits 0 */
	if (argc > 0 && strcmp(argv[0], "edit") == 0)
		code = edit_run(conf, fifo, argc, argv);
	else
		code = argc == 0 ? shell_run(fifo) : ctl_run(fifo, argc, argv);
	free(control);
	return code;
}
