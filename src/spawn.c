/* spawn.c: one spawn recipe, in one place. Everything that may allocate or
 * consult NSS (PATH search, environment, group list) is done before fork;
 * between fork and exec the child makes only async-signal-safe system calls
 * and reports a failure as {stage, errno} through a close-on-exec pipe. */
#include "autoconfig.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;

enum spawn_stage {
	STAGE_FDS = 1,
	STAGE_RLIMIT,
	STAGE_CHDIR,
	STAGE_GROUPS,
	STAGE_SETGID,
	STAGE_SETUID,
	STAGE_EXEC,
};

struct spawn_failure {
	int	stage;
	int	err;
	int	arg;		/* rlimit index for STAGE_RLIMIT */
};

/* supervisord names errno values (ENOENT), not their text. */
static const char *
spawn_errname(int e)
{
	const char	*n = strerrorname_np(e);

	return n != NULL ? n : "EUNKNOWN";
}

/* Look file up in PATH like execvp. */
static int
spawn_search_path(const char *file, char *out, size_t len)
{
	const char	*path = getenv("PATH");
	const char	*p, *end;
	struct stat	 st;
	int		 n;

	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p)
			n = snprintf(out, len, "./%s", file);
		else
			n = snprintf(out, len, "%.*s/%s", (int)(end - p), p,
			    file);
		if (n > 0 && (size_t)n < len && stat(out, &st) == 0 &&
		    !S_ISDIR(st.st_mode))
			return 0;
		if (*end == '\0')
			break;
	}
	return -1;
}

/* supervisord's get_execv_args + check_execv_args. */
enum spawn_fault
spawn_check(const struct program *prog, char *resolved, size_t rlen,
    char *err, size_t errlen)
{
	const char	*file = prog->argv[0];
	struct stat	 st;

	err[0] = '\0';
	if (strchr(file, '/') == NULL) {
		if (spawn_search_path(file, resolved, rlen) == -1) {
			(void)snprintf(err, errlen, "can't find command '%s'",
			    file);
			return SPAWN_NO_FILE;
		}
	} else {
		if ((size_t)snprintf(resolved, rlen, "%s", file) >= rlen) {
			(void)snprintf(err, errlen, "can't find command '%s'",
			    file);
			return SPAWN_NO_FILE;
		}
	}
	if (stat(resolved, &st) == -1) {
		(void)snprintf(err, errlen, "can't find command '%s'", file);
		return SPAWN_NO_FILE;
	}
	if (S_ISDIR(st.st_mode)) {
		(void)snprintf(err, errlen, "command at '%s' is a directory",
		    resolved);
		return SPAWN_NOT_EXECUTABLE;
	}
	if ((st.st_mode & 0111) == 0) {
		(void)snprintf(err, errlen, "command at '%s' is not executable",
		    resolved);
		return SPAWN_NOT_EXECUTABLE;
	}
	if (access(resolved, X_OK) == -1) {
		(void)snprintf(err, errlen, "no permission to run command '%s'",
		    resolved);
		return SPAWN_NOT_EXECUTABLE;
	}
	return SPAWN_OK;
}

/* Variables tendd keeps to itself. */
static bool
spawn_env_private(const char *kv)
{
	static const char *const private[] = {
		"NOTIFY_SOCKET=", "LISTEN_FDS=", "LISTEN_PID=",
		"LISTEN_FDNAMES=", "INVOCATION_ID=",
	};
	size_t	i;

	for (i = 0; i < nitems(private); i++)
		if (strncmp(kv, private[i], strlen(private[i])) == 0)
			return true;
	return false;
}

/* Build the child's environment: the daemon's < [tend] environment <
 * SUPERVISOR_* < HOME/USER/LOGNAME of user= < program environment. */
static char **
spawn_build_env(const struct spawn_request *rq, const struct passwd *pw)
{
	struct envlist	 env = { NULL, 0 };
	char		**envp, **e, *eq, *key;
	size_t		 i;

	for (e = environ; *e != NULL; e++) {
		if (spawn_env_private(*e) || (eq = strchr(*e, '=')) == NULL)
			continue;
		key = xstrndup(*e, (size_t)(eq - *e));
		envlist_set(&env, key, eq + 1);
		free(key);
	}
	for (i = 0; i < rq->config->env.n; i++)
		envlist_set(&env, rq->config->env.v[i].key,
		    rq->config->env.v[i].value);
	envlist_set(&env, "SUPERVISOR_ENABLED", "1");
	envlist_set(&env, "SUPERVISOR_PROCESS_NAME", rq->name);
	envlist_set(&env, "SUPERVISOR_GROUP_NAME", rq->group);
	if (pw != NULL) {
		envlist_set(&env, "HOME", pw->pw_dir);
		envlist_set(&env, "USER", pw->pw_name);
		envlist_set(&env, "LOGNAME", pw->pw_name);
	}
	for (i = 0; i < rq->prog->env.n; i++)
		envlist_set(&env, rq->prog->env.v[i].key,
		    rq->prog->env.v[i].value);

	envp = xcalloc(env.n + 1, sizeof(char *));
	for (i = 0; i < env.n; i++)
		envp[i] = xasprintf("%s=%s", env.v[i].key, env.v[i].value);
	envlist_free(&env);
	return envp;
}

static void
spawn_free_env(char **envp)
{
	char	**e;

	for (e = envp; *e != NULL; e++)
		free(*e);
	free(envp);
}

/* In the child: report the failed stage and leave. */
static _Noreturn void
spawn_child_fail(int fd, int stage, int arg)
{
	struct spawn_failure	f;
	ssize_t			n;

	f.stage = stage;
	f.err = errno;
	f.arg = arg;
	do {
		n = write(fd, &f, sizeof(f));
	} while (n == -1 && errno == EINTR);
	_exit(127);
}

/* The kernel's struct sigaction, to reset the signals glibc reserves for
 * itself (32, 33), which its sigaction() refuses to touch but an ignored
 * disposition of which would survive the exec. */
struct spawn_ksigaction {
	void		(*handler)(int);
	unsigned long	 flags;
	void		(*restorer)(void);
	unsigned long	 mask;
};

/* The child side: only async-signal-safe calls from here to execve. */
static _Noreturn void
spawn_child(const struct spawn_request *rq, int errfd, int nullfd,
    const char *path, char **envp, const gid_t *groups, int ngroups,
    const sigset_t *oldmask)
{
	const struct program	*p = rq->prog;
	struct sigaction	 sa;
	struct rlimit		 rl;
	int			 sig, i, fd1, fd2;
	long			 fd, maxfd;

	/* Handlers of the daemon (libev's) must never run here. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, &sa, NULL) == -1) {
			struct spawn_ksigaction	ksa = { SIG_DFL, 0, NULL, 0 };

			(void)syscall(SYS_rt_sigaction, sig, &ksa, NULL,
			    sizeof(ksa.mask));
		}
	}

	if (setpgid(0, 0) == -1)
		spawn_child_fail(errfd, STAGE_FDS, 0);

	fd1 = rq->stdout_fd >= 0 ? rq->stdout_fd : nullfd;
	fd2 = rq->stderr_fd >= 0 ? rq->stderr_fd : nullfd;
	if (dup2(nullfd, 0) == -1 || dup2(fd1, 1) == -1 || dup2(fd2, 2) == -1)
		spawn_child_fail(errfd, STAGE_FDS, 0);
	/* Belt and braces: nothing but 0-2 (and the error pipe, which is
	 * close-on-exec) survives the exec. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == -1) {
		maxfd = sysconf(_SC_OPEN_MAX);
		if (maxfd < 0 || maxfd > 65536)
			maxfd = 65536;
		for (fd = 3; fd < maxfd; fd++)
			if (fd != errfd)
				(void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	}

	if (rq->base_nofile != NULL && !p->rlimits[0].set)
		(void)setrlimit(RLIMIT_NOFILE, rq->base_nofile);
	for (i = 0; i < CONFIG_NRLIMITS; i++) {
		if (!p->rlimits[i].set)
			continue;
		rl.rlim_cur = p->rlimits[i].soft;
		rl.rlim_max = p->rlimits[i].hard;
		if (setrlimit(config_rlimits[i].resource, &rl) == -1)
			spawn_child_fail(errfd, STAGE_RLIMIT, i);
	}

	if (p->directory != NULL && chdir(p->directory) == -1)
		spawn_child_fail(errfd, STAGE_CHDIR, 0);
	if (p->umask >= 0)
		(void)umask((mode_t)p->umask);

	if (p->user != NULL) {
		if (setgroups((size_t)ngroups, groups) == -1)
			spawn_child_fail(errfd, STAGE_GROUPS, 0);
		if (setresgid(p->gid, p->gid, p->gid) == -1)
			spawn_child_fail(errfd, STAGE_SETGID, 0);
		if (setresuid(p->uid, p->uid, p->uid) == -1)
			spawn_child_fail(errfd, STAGE_SETUID, 0);
		/* Verify: there must be no way back. */
		if (p->uid != 0 && (getuid() != p->uid || geteuid() != p->uid ||
		    setuid(0) != -1)) {
			errno = EPERM;
			spawn_child_fail(errfd, STAGE_SETUID, 0);
		}
	}

	(void)sigprocmask(SIG_SETMASK, oldmask, NULL);
	execve(path, p->argv, envp);
	spawn_child_fail(errfd, STAGE_EXEC, 0);
}

/* What the child needs, passed to spawn_child_main. */
struct spawn_child_args {
	const struct spawn_request	*rq;
	int				 errfd, closefd, nullfd;
	const char			*path;
	char				**envp;
	const gid_t			*groups;
	int				 ngroups;
	const sigset_t			*oldmask;
};

static int
spawn_child_main(void *arg)
{
	const struct spawn_child_args	*ca = arg;

	(void)close(ca->closefd);
	spawn_child(ca->rq, ca->errfd, ca->nullfd, ca->path, ca->envp,
	    ca->groups, ca->ngroups, ca->oldmask);
}

/* Start the child like posix_spawn does: clone(CLONE_VM|CLONE_VFORK) on
 * a stack of its own. No copy of tendd's page tables (a fork copies them,
 * and both sides then fault on every page they write: 1.4x the cost of a
 * whole spawn at N=2000, see bench/README.md), and tendd sleeps until the
 * child has exec'd or failed, which it did anyway (the error pipe). The
 * child shares tendd's memory until then, so spawn_child only makes system
 * calls, and writes nothing but its own stack; it has its own copies of
 * the file descriptors, signal dispositions and mask (no CLONE_FILES,
 * CLONE_SIGHAND). tendd is single-threaded, so setresuid() and friends
 * are plain system calls there. One stack serves every spawn: the parent
 * is suspended while the child uses it. Falls back to fork() if clone
 * refuses (e.g. under a seccomp filter), and under AddressSanitizer. */
#if defined(__SANITIZE_ADDRESS__)
#define SPAWN_CLONE	0	/* ASan's runtime cannot run in a CLONE_VM child */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPAWN_CLONE	0
#endif
#endif
#ifndef SPAWN_CLONE
#define SPAWN_CLONE	1
#endif
static pid_t
spawn_clone(struct spawn_child_args *ca)
{
	static void	*stack;
	const size_t	 size = 256 * 1024;
	pid_t		 pid;

	if (SPAWN_CLONE && stack == NULL) {
		stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED)
			stack = NULL;
	}
	if (stack != NULL) {
		pid = clone(spawn_child_main, (char *)stack + size,
		    CLONE_VM | CLONE_VFORK | SIGCHLD, ca);
		if (pid != -1 || (errno != EINVAL && errno != ENOSYS &&
		    errno != EPERM))
			return pid;
	}
	pid = fork();
	if (pid == 0)
		(void)spawn_child_main(ca);
	return pid;
}

/* The message for a failure the child reported. */
static void
spawn_describe_failure(const struct spawn_request *rq,
    const struct spawn_failure *f, const char *path, char *err, size_t len)
{
	const struct program	*p = rq->prog;
	const char		*en = spawn_errname(f->err);

	switch (f->stage) {
	case STAGE_RLIMIT:
		(void)snprintf(err, len, "couldn't set rlimit_%s: %s",
		    f->arg >= 0 && f->arg < CONFIG_NRLIMITS ?
		    config_rlimits[f->arg].name : "?", en);
		break;
	case STAGE_CHDIR:
		(void)snprintf(err, len, "couldn't chdir to %s: %s",
		    p->directory, en);
		break;
	case STAGE_GROUPS:
		(void)snprintf(err, len, "couldn't set groups of %s: %s",
		    p->user, en);
		break;
	case STAGE_SETGID:
		(void)snprintf(err, len, "couldn't setgid to %lu: %s",
		    (unsigned long)p->gid, en);
		break;
	case STAGE_SETUID:
		(void)snprintf(err, len, "couldn't setuid to %s: %s", p->user,
		    en);
		break;
	case STAGE_EXEC:
		(void)snprintf(err, len, "couldn't exec %s: %s", path, en);
		break;
	default:
		(void)snprintf(err, len, "couldn't set up stdio: %s", en);
		break;
	}
}

/* fork/exec one program; see spawn.h. */
pid_t
spawn_process(const struct spawn_request *rq, char *err, size_t errlen)
{
	const struct program	*p = rq->prog;
	char			 path[PATH_MAX];
	char			**envp = NULL;
	struct passwd		*pw = NULL;
	gid_t			*groups = NULL;
	int			 ngroups = 0, errpipe[2] = { -1, -1 };
	int			 nullfd = -1, saved;
	sigset_t		 all, old;
	struct spawn_failure	 f;
	struct spawn_child_args	 ca;
	ssize_t			 n;
	pid_t			 pid = -1;

	if (spawn_check(p, path, sizeof(path), err, errlen) != SPAWN_OK)
		return -1;
	if (p->user != NULL) {
		if (geteuid() != 0 && geteuid() != p->uid) {
			(void)snprintf(err, errlen, "Can't drop privilege as "
			    "nonroot user");
			return -1;
		}
		errno = 0;
		if ((pw = getpwnam(p->user)) == NULL) {
			(void)snprintf(err, errlen, "couldn't setuid to %s: "
			    "unknown user", p->user);
			return -1;
		}
		ngroups = 64;
		for (;;) {
			int	want = ngroups;

			groups = xreallocarray(groups, (size_t)want,
			    sizeof(gid_t));
			if (getgrouplist(p->user, p->gid, groups, &ngroups) != -1)
				break;
			if (ngroups <= want)
				ngroups = want * 2;
		}
	}
	envp = spawn_build_env(rq, pw);

	if ((nullfd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE)
			(void)snprintf(err, errlen, "too many open files to "
			    "spawn '%s'", rq->name);
		else
			(void)snprintf(err, errlen, "couldn't open /dev/null: "
			    "%s", spawn_errname(errno));
		goto out;
	}
	if (pipe2(errpipe, O_CLOEXEC) == -1) {
		if (errno == EMFILE || errno == ENFILE)
			(void)snprintf(err, errlen, "too many open files to "
			    "spawn '%s'", rq->name);
		else
			(void)snprintf(err, errlen, "unknown error making "
			    "dispatchers for '%s': %s", rq->name,
			    spawn_errname(errno));
		goto out;
	}

	(void)sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	ca.rq = rq;
	ca.errfd = errpipe[1];
	ca.closefd = errpipe[0];
	ca.nullfd = nullfd;
	ca.path = path;
	ca.envp = envp;
	ca.groups = groups;
	ca.ngroups = ngroups;
	ca.oldmask = &old;
	pid = spawn_clone(&ca);
	saved = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		if (saved == EAGAIN)
			(void)snprintf(err, errlen, "Too many processes in "
			    "process table to spawn '%s'", rq->name);
		else
			(void)snprintf(err, errlen, "unknown error during fork "
			    "for '%s': %s", rq->name, spawn_errname(saved));
		goto out;
	}
	/* Both sides, so a signal to the group right after the spawn
	 * cannot miss. EACCES: the child already exec'd. */
	(void)setpgid(pid, pid);

	(void)close(errpipe[1]);
	errpipe[1] = -1;
	/* Bounded: the child execs or fails within microseconds. */
	do {
		n = read(errpipe[0], &f, sizeof(f));
	} while (n == -1 && errno == EINTR);
	if (n == (ssize_t)sizeof(f)) {
		int	status;

		spawn_describe_failure(rq, &f, path, err, errlen);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		pid = -1;
	}
out:
	saved = errno;
	if (errpipe[0] != -1)
		(void)close(errpipe[0]);
	if (errpipe[1] != -1)
		(void)close(errpipe[1]);
	if (nullfd != -1)
		(void)close(nullfd);
	free(groups);
	if (envp != NULL)
		spawn_free_env(envp);
	errno = saved;
	return pid;
}
