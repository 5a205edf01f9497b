/* remote.c: tendctl -H runs tendctl on other hosts through OpenSSH, as
 * systemctl -H does: `ssh -T [-p port] [-l user] host -- tendctl ARGS`,
 * each argument quoted for the remote shell (remote_spec.c), stdin from
 * /dev/null. One host: its output and exit status are tendctl's. Several:
 * one ssh each, all read at once with poll(), every line prefixed with
 * its host, the exit status the highest. ssh's own 255 means the host
 * could not be reached. */
#include "autoconfig.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol.h"
#include "remote.h"
#include "remote_spec.h"
#include "util.h"

#define REMOTE_SSH_CONNECT_FAILED	255	/* ssh's own error status */

extern char	**environ;

struct remote_job {
	const char		*label;		/* the -H spec as given */
	struct remote_host	 host;
	pid_t			 pid;
	int			 fd[2];		/* stdout, stderr; -1 at EOF */
	struct remote_lines	 lines[2];
	struct buf		 json;		/* status --json's stdout */
	int			 code;
};

/* $TEND_SSH split at blanks (no quoting), then the options and the
 * command for one host. */
static struct strlist
remote_ssh_argv(const struct remote_host *h, bool tty, const char *cmd)
{
	const char	*ssh = getenv("TEND_SSH");
	char		*words, *w, *save = NULL;
	struct strlist	 l = { NULL, 0 };

	words = xstrdup(ssh != NULL && ssh[0] != '\0' ? ssh : "ssh");
	for (w = strtok_r(words, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save))
		strlist_add(&l, w);
	free(words);
	if (l.n == 0)
		strlist_add(&l, "ssh");
	strlist_add(&l, tty ? "-t" : "-T");
	if (h->port != NULL) {
		strlist_add(&l, "-p");
		strlist_add(&l, h->port);
	}
	if (h->user != NULL) {
		strlist_add(&l, "-l");
		strlist_add(&l, h->user);
	}
	strlist_add(&l, h->host);
	strlist_add(&l, "--");
	strlist_add(&l, cmd);
	return l;
}

/* The file to execute for name: itself if it holds a '/', else the
 * first executable one on $PATH (found before fork: the child only
 * calls async-signal-safe functions). Malloc'd, or NULL. */
static char *
remote_which(const char *name)
{
	const char	*path = getenv("PATH"), *p, *colon;
	char		*file;
	size_t		 len;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	if (path == NULL || path[0] == '\0')
		path = "/usr/bin:/bin";
	for (p = path;; p = colon + 1) {
		colon = strchr(p, ':');
		len = colon != NULL ? (size_t)(colon - p) : strlen(p);
		file = xasprintf("%.*s/%s", len == 0 ? 1 : (int)len,
		    len == 0 ? "." : p, name);
		if (access(file, X_OK) == 0)
			return file;
		free(file);
		if (colon == NULL)
			return NULL;
	}
}

/* Start ssh for j: its stdout and stderr to pipes (several hosts) or
 * ours (one). 0, or -1 with the error printed. */
static int
remote_start(struct remote_job *j, bool piped, bool tty, const char *cmd)
{
	static const char	 nomsg[] = "tendctl: cannot start ssh\n";
	struct strlist		 av;
	char			*file;
	int			 p[2][2] = { { -1, -1 }, { -1, -1 } };
	int			 i, fd;
	ssize_t			 w;

	j->fd[0] = j->fd[1] = -1;
	av = remote_ssh_argv(&j->host, tty, cmd);
	if ((file = remote_which(av.v[0])) == NULL) {
		(void)fprintf(stderr, "tendctl: %s: cannot run %s: not found or "
		    "not executable (TEND_SSH names the ssh command)\n", j->label, av.v[0]);
		strlist_free(&av);
		goto fail;
	}
	if (piped)
		for (i = 0; i < 2; i++)
			if (pipe2(p[i], O_CLOEXEC) == -1) {
				(void)fprintf(stderr, "tendctl: pipe: %s\n",
				    strerror(errno));
				goto fail_av;
			}
	(void)fflush(stdout);
	(void)fflush(stderr);
	if ((j->pid = fork()) == -1) {
		(void)fprintf(stderr, "tendctl: fork: %s\n", strerror(errno));
		goto fail_av;
	}
	if (j->pid == 0) {
		/* async-signal-safe calls only from here to execve */
		if (!tty) {
			fd = open("/dev/null", O_RDONLY);
			if (fd == -1 || dup2(fd, STDIN_FILENO) == -1)
				_exit(REMOTE_SSH_CONNECT_FAILED);
			if (fd != STDIN_FILENO)
				(void)close(fd);
		}
		for (i = 0; piped && i < 2; i++)
			if (dup2(p[i][1], STDOUT_FILENO + i) == -1)
				_exit(REMOTE_SSH_CONNECT_FAILED);
		(void)signal(SIGPIPE, SIG_DFL);
		(void)execve(file, av.v, environ);
		w = write(STDERR_FILENO, nomsg, sizeof(nomsg) - 1);
		(void)w;
		_exit(REMOTE_SSH_CONNECT_FAILED);
	}
	free(file);
	strlist_free(&av);
	for (i = 0; piped && i < 2; i++) {
		(void)close(p[i][1]);
		j->fd[i] = p[i][0];
		if (fd_nonblock(j->fd[i]) == -1)
			(void)fprintf(stderr, "tendctl: fcntl: %s\n",
			    strerror(errno));
	}
	return 0;
fail_av:
	free(file);
	strlist_free(&av);
fail:
	for (i = 0; i < 2; i++) {
		if (p[i][0] != -1)
			(void)close(p[i][0]);
		if (p[i][1] != -1)
			(void)close(p[i][1]);
	}
	j->pid = -1;
	j->code = REMOTE_SSH_CONNECT_FAILED;
	return -1;
}

/* Wait for j's ssh; its exit status as tendctl's. */
static int
remote_wait(struct remote_job *j)
{
	int	st;

	if (j->pid == -1)
		return j->code;
	while (waitpid(j->pid, &st, 0) == -1)
		if (errno != EINTR) {
			(void)fprintf(stderr, "tendctl: waitpid: %s\n",
			    strerror(errno));
			return TEND_EXIT_GENERIC;
		}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	if (WEXITSTATUS(st) == REMOTE_SSH_CONNECT_FAILED)
		(void)fprintf(stderr, "tendctl: %s: cannot connect "
		    "(ssh exit 255)\n", j->label);
	return WEXITSTATUS(st);
}

/* Write all of b to fd (a closed reader ends our output quietly). */
static void
remote_out(int fd, struct buf *b)
{
	if (b->len > 0 && fd_write_all(fd, b->data, b->len) == -1 &&
	    errno != EPIPE)
		(void)fprintf(stderr, "tendctl: write: %s\n", strerror(errno));
	buf_reset(b);
}

/* Read what is there on j's stream s; false at its end. */
static bool
remote_read(struct remote_job *j, int s, bool json)
{
	struct buf	 out;
	char		 chunk[4096];
	ssize_t		 n;

	buf_init(&out);
	for (;;) {
		n = read(j->fd[s], chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0) {
			if (n == -1)
				(void)fprintf(stderr, "tendctl: %s: read: %s\n",
				    j->label, strerror(errno));
			if (!(json && s == 0))
				remote_lines_flush(&j->lines[s], j->label,
				    &out);
			remote_out(STDOUT_FILENO + s, &out);
			buf_free(&out);
			return false;
		}
		if (json && s == 0)
			buf_add(&j->json, chunk, (size_t)n);
		else
			remote_lines_feed(&j->lines[s], j->label, chunk,
			    (size_t)n, &out);
	}
	remote_out(STDOUT_FILENO + s, &out);
	buf_free(&out);
	return true;
}

/* Every job's output, until all have ended. */
static void
remote_pump(struct remote_job *jobs, int n, bool json)
{
	struct pollfd	*pfd = xcalloc((size_t)n * 2, sizeof(*pfd));
	int		 i, s, open;

	for (;;) {
		for (i = open = 0; i < n * 2; i++) {
			pfd[i].fd = jobs[i / 2].fd[i % 2];
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			open += pfd[i].fd != -1;
		}
		if (open == 0)
			break;
		if (poll(pfd, (nfds_t)n * 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			(void)fprintf(stderr, "tendctl: poll: %s\n",
			    strerror(errno));
			break;
		}
		for (i = 0; i < n * 2; i++) {
			s = i % 2;
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if (!remote_read(&jobs[i / 2], s, json)) {
				(void)close(jobs[i / 2].fd[s]);
				jobs[i / 2].fd[s] = -1;
			}
		}
	}
	for (i = 0; i < n * 2; i++)
		if (jobs[i / 2].fd[i % 2] != -1)
			(void)close(jobs[i / 2].fd[i % 2]);
	free(pfd);
}

/* status --json of several hosts: one array. */
static void
remote_json_merge(struct remote_job *jobs, int n)
{
	struct buf	out;
	bool		first = true;
	int		i;

	buf_init(&out);
	buf_addc(&out, '[');
	for (i = 0; i < n; i++) {
		if (jobs[i].json.len == 0)
			continue;	/* its stderr said why */
		if (remote_json_add(&out, jobs[i].json.data, jobs[i].json.len,
		    jobs[i].label, &first) == -1) {
			(void)fprintf(stderr, "tendctl: %s: status --json "
			    "did not give a JSON array of objects\n",
			    jobs[i].label);
			if (jobs[i].code < TEND_EXIT_GENERIC)
				jobs[i].code = TEND_EXIT_GENERIC;
		}
	}
	buf_addstr(&out, "]\n");
	remote_out(STDOUT_FILENO, &out);
	buf_free(&out);
}

/* See remote.h. */
int
remote_run(char *const *specs, int nspecs, char *const *fwd, int nfwd,
    int argc, char **argv)
{
	struct remote_job	*jobs;
	const char		*prog = getenv("TENDCTL_REMOTE");
	char			 err[256], *cmd, **all;
	bool			 json = false, tty = argc == 0;
	int			 i, worst = 0;

	if (argc > 0 && strcmp(argv[0], "edit") == 0) {
		(void)fprintf(stderr, "tendctl: edit cannot run with -H: "
		    "it needs a terminal on that host (ssh -t HOST tendctl "
		    "edit)\n");
		return TEND_EXIT_INVALID_ARGS;
	}
	if (tty && nspecs > 1) {
		(void)fprintf(stderr, "tendctl: the interactive shell takes "
		    "one -H, not %d\n", nspecs);
		return TEND_EXIT_INVALID_ARGS;
	}
	for (i = 1; nspecs > 1 && argc > 0 && strcmp(argv[0], "status") == 0 &&
	    i < argc; i++)
		json = json || strcmp(argv[i], "--json") == 0;
	jobs = xcalloc((size_t)nspecs, sizeof(*jobs));
	for (i = 0; i < nspecs; i++) {
		jobs[i].label = specs[i];
		if (remote_host_parse(specs[i], &jobs[i].host, err,
		    sizeof(err)) == -1) {
			(void)fprintf(stderr, "tendctl: -H %s\n", err);
			while (i-- > 0)
				remote_host_free(&jobs[i].host);
			free(jobs);
			return TEND_EXIT_INVALID_ARGS;
		}
	}
	all = xcalloc((size_t)(nfwd + argc) + 1, sizeof(*all));
	for (i = 0; i < nfwd; i++)
		all[i] = fwd[i];
	for (i = 0; i < argc; i++)
		all[nfwd + i] = argv[i];
	cmd = remote_command(prog != NULL && prog[0] != '\0' ? prog : "tendctl",
	    nfwd + argc, all);
	free(all);

	/* our writes to a closed pipe fail with EPIPE, not kill us */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		(void)fprintf(stderr, "tendctl: signal: %s\n", strerror(errno));
	for (i = 0; i < nspecs; i++) {
		remote_lines_init(&jobs[i].lines[0]);
		remote_lines_init(&jobs[i].lines[1]);
		buf_init(&jobs[i].json);
		(void)remote_start(&jobs[i], nspecs > 1, tty, cmd);
	}
	if (nspecs > 1)
		remote_pump(jobs, nspecs, json);
	for (i = 0; i < nspecs; i++)
		jobs[i].code = remote_wait(&jobs[i]);
	if (json)
		remote_json_merge(jobs, nspecs);
	for (i = 0; i < nspecs; i++) {
		if (jobs[i].code > worst)
			worst = jobs[i].code;
		remote_lines_free(&jobs[i].lines[0]);
		remote_lines_free(&jobs[i].lines[1]);
		buf_free(&jobs[i].json);
		remote_host_free(&jobs[i].host);
	}
	free(jobs);
	free(cmd);
	return worst;
}
