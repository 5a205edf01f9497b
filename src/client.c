/* client.c: tendctl's side of the control protocol. argv becomes one
 * request line written with one write(2) to the control FIFO; the reply
 * comes back through a private FIFO and is printed as it arrives; the exit
 * status is the one tendd sends (supervisorctl's). Never hangs: a daemon
 * that does not answer within a few seconds is reported as not
 * listening. The verb table says which replies stream (tail -f) and
 * which verb counts an unreachable tendd as "unknown" (status). */
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

#include "client.h"
#include "protocol.h"
#include "util.h"
#include "verbs.h"

#define CLIENT_CONNECT_SECS	5	/* for the FIFO to take the request */
#define CLIENT_ACK_SECS		5	/* for tendd to open the reply */

static char	 client_fifo[PATH_MAX];	/* our reply FIFO, while it exists */
static struct buf *client_capture;	/* client_run_capture: stdout lines
					 * go here, stderr ones nowhere */

/* Remove the reply FIFO. */
static void
client_cleanup(void)
{
	if (client_fifo[0] != '\0')
		(void)unlink(client_fifo);
	client_fifo[0] = '\0';
}

/* tail -f / maintail -f runs: Ctrl-C ends it, as in supervisorctl. */
static volatile sig_atomic_t	client_following, client_interrupted;
static volatile sig_atomic_t	client_interactive;	/* the shell runs */

/* Ctrl-C while waiting: clean up, exit like a shell would (or end a
 * tail -f, which client_run notices by EINTR). */
static void
client_signal(int sig)
{
	if (client_following && sig == SIGINT) {
		client_interrupted = 1;
		return;
	}
	if (client_fifo[0] != '\0')
		(void)unlink(client_fifo);
	if (client_interactive && sig == SIGINT) {
		/* supervisorctl's shell prints an empty line and exits 0 */
		ssize_t	n = write(STDOUT_FILENO, "\n", 1);

		(void)n;	/* exiting either way */
		_exit(0);
	}
	_exit(128 + sig);
}

/* See client.h. */
void
client_set_interactive(void)
{
	client_interactive = 1;
}

/* Monotonic milliseconds. */
static long long
client_ms(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The unreachable-daemon message and status (supervisorctl's codes; v
 * is NULL for a verb tendd may not know). */
static int
client_unreachable(const struct verb *v, const char *fifo, const char *why,
    int code)
{
	bool	down = v != NULL && (v->flags & VERB_UNREACH_1) != 0;

	if (client_capture == NULL)
		(void)fprintf(stderr, "tendctl: cannot reach tendd at %s: %s%s\n",
		    fifo, why, down ? " (already shut down?)" : "");
	client_cleanup();
	if (v != NULL && (v->flags & VERB_LSB_STATUS) != 0)
		code = TEND_EXIT_STATUS_UNKNOWN;
	else if (down)
		code = TEND_EXIT_GENERIC;
	return code;
}

/* Print one reply record; returns 1 at the exit record. */
static int
client_record(char *line, bool *acked, int *code)
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
		if (client_capture != NULL) {
			buf_addstr(client_capture, text);
			buf_addc(client_capture, '\n');
			return 0;
		}
		(void)fputs(text, stdout);
		(void)fputc('\n', stdout);
		return 0;
	case '2':
		if (client_capture != NULL)
			return 0;
		(void)fflush(stdout);
		(void)fputs(text, stderr);
		(void)fputc('\n', stderr);
		return 0;
	default:
		return 1;
	}
}

/* See client.h. */
int
client_run(const char *fifo, int argc, char **argv)
{
	const struct verb *v = verbs_find(argv[0]);
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

	if (v != NULL && (v->flags & VERB_STREAMS) != 0)
		for (i = 1; i < argc; i++)
			if (strcmp(argv[i], "-f") == 0)
				following = true;
	client_interrupted = 0;
	client_following = following;

	cfd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (cfd == -1) {
		if (errno == ENOENT)
			return client_unreachable(v, fifo, "no such FIFO",
			    TEND_EXIT_NOT_RUNNING);
		if (errno == ENXIO)
			return client_unreachable(v, fifo,
			    "nobody is listening",
			    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
		return client_unreachable(v, fifo, strerror(errno),
		    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
	}
	if (fstat(cfd, &st) == -1 || !S_ISFIFO(st.st_mode)) {
		(void)close(cfd);
		return client_unreachable(v, fifo, "not a FIFO",
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
	if ((size_t)snprintf(client_fifo, sizeof(client_fifo), "%s/%s",
	    replydir, name) >= sizeof(client_fifo)) {
		free(replydir);
		(void)close(cfd);
		client_fifo[0] = '\0';
		return client_unreachable(v, fifo, "path too long",
		    TEND_EXIT_GENERIC);
	}
	mask = umask(077);
	rc = mkfifo(client_fifo, 0600);
	(void)umask(mask);
	if (rc == -1) {
		char	why[PATH_MAX + 64];

		(void)snprintf(why, sizeof(why), "cannot make a reply FIFO in "
		    "%s: %s", replydir, strerror(errno));
		client_fifo[0] = '\0';
		free(replydir);
		(void)close(cfd);
		return client_unreachable(v, fifo, why, errno == ENOENT ?
		    TEND_EXIT_NOT_RUNNING : TEND_EXIT_INSUFFICIENT_PRIVILEGES);
	}
	free(replydir);
	rfd = open(client_fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rfd == -1) {
		(void)fprintf(stderr, "tendctl: open %s: %s\n", client_fifo,
		    strerror(errno));
		(void)close(cfd);
		client_cleanup();
		return TEND_EXIT_GENERIC;
	}

	buf_init(&req);
	if (proto_request_encode(&req, name, argc, argv, &err) == -1) {
		(void)fprintf(stderr, "tendctl: %s\n", err);
		buf_free(&req);
		(void)close(cfd);
		(void)close(rfd);
		client_cleanup();
		return TEND_EXIT_GENERIC;
	}
	/* One write: requests of at most PIPE_BUF bytes never interleave,
	 * and as ours starts with RS, stray bytes another writer left just
	 * before it are thrown away by tendd (protocol.h). A full FIFO
	 * means a busy daemon: try again until the deadline. */
	deadline = client_ms() + CLIENT_CONNECT_SECS * 1000;
	for (;;) {
		n = write(cfd, req.data, req.len);
		if (n == (ssize_t)req.len)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN && client_ms() < deadline) {
			(void)poll(NULL, 0, 20);
			continue;
		}
		buf_free(&req);
		(void)close(cfd);
		(void)close(rfd);
		return client_unreachable(v, fifo, n == -1 ?
		    strerror(errno) : "short write",
		    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
	}
	(void)close(cfd);
	buf_free(&req);

	/* Stream the reply. Until tendd acknowledges, wait a few seconds;
	 * after that, as long as it keeps the reply open. */
	buf_init(&in);
	deadline = client_ms() + CLIENT_ACK_SECS * 1000;
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
			long long	left = deadline - client_ms();

			if (left <= 0) {
				(void)sigprocmask(SIG_SETMASK, &waitmask, NULL);
				buf_free(&in);
				(void)close(rfd);
				return client_unreachable(v, fifo,
				    "no answer",
				    TEND_EXIT_INSUFFICIENT_PRIVILEGES);
			}
			timeout = (int)left;
		}
		if (following)
			(void)fflush(stdout);
		if (client_interrupted) {
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
		if (rc == -1 && errno == EINTR && client_interrupted) {
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
			if (client_record(in.data, &acked, &code) == 1)
				done = true;
			buf_consume(&in, (size_t)(nl - in.data) + 1);
		}
	}
	buf_free(&in);
	(void)close(rfd);
	client_cleanup();
	client_following = 0;
	if (following)
		(void)sigprocmask(SIG_SETMASK, &waitmask, NULL);
	if (fflush(stdout) == EOF)
		return TEND_EXIT_GENERIC;
	return code;
}

/* See client.h. */
int
client_run_capture(const char *fifo, int argc, char **argv, struct buf *out)
{
	int	code;

	client_capture = out;
	code = client_run(fifo, argc, argv);
	client_capture = NULL;
	return code;
}

/* See client.h. */
void
client_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = client_signal;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
}
