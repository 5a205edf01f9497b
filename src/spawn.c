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

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
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
	STAGE_NOTIFY,
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

/* supervisord's get_execv_args + check_execv_args, for the command
 * file. */
static enum spawn_fault
spawn_check_file(const char *file, char *resolved, size_t rlen, char *err,
    size_t errlen)
{
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

/* See spawn.h. */
enum spawn_fault
spawn_check(const struct program *prog, char *resolved, size_t rlen,
    char *err, size_t errlen)
{
	return spawn_check_file(prog->argv[0], resolved, rlen, err, errlen);
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

/* See spawn.h: the daemon's environment < [tend] environment_file <
 * [tend] environment < SUPERVISOR_ENABLED, the part every child shares. */
char **
spawn_env_base(const struct config *c)
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
	if (c != NULL) {
		envlist_merge(&env, &c->file_env);
		envlist_merge(&env, &c->env);
	}
	envlist_set(&env, "SUPERVISOR_ENABLED", "1");

	envp = xcalloc(env.n + 1, sizeof(char *));
	for (i = 0; i < env.n; i++)
		envp[i] = xasprintf("%s=%s", env.v[i].key, env.v[i].value);
	envlist_free(&env);
	return envp;
}

/* See spawn.h. */
void
spawn_env_free(char **envp)
{
	char	**e;

	if (envp == NULL)
		return;
	for (e = envp; *e != NULL; e++)
		free(*e);
	free(envp);
}

/* One child's environment: the shared base (its strings are borrowed, not
 * copied) with this child's variables set over it. */
struct spawn_env {
	char	**envp;		/* what execve gets */
	char	**own;		/* the strings made for this child */
	size_t	  n, nown;
};

/* Set key=value: replaced in place if the key is there, else appended. */
static void
spawn_env_set(struct spawn_env *se, const char *key, const char *value)
{
	size_t	 i, klen = strlen(key);
	char	*kv = xasprintf("%s=%s", key, value);

	se->own[se->nown++] = kv;
	for (i = 0; i < se->n; i++) {
		if (strncmp(se->envp[i], key, klen) == 0 &&
		    se->envp[i][klen] == '=') {
			se->envp[i] = kv;
			return;
		}
	}
	se->envp[se->n++] = kv;
}

/* The base < SUPERVISOR_PROCESS_NAME, SUPERVISOR_GROUP_NAME < HOME, USER
 * and LOGNAME of user= < NOTIFY_SOCKET (sd_notify=) < the program's
 * environment_file= < its
 * environment=: within a section the explicit list wins. A few strcmp per
 * variable the program sets, not a rebuild of the whole environment: a
 * spawn costs the same with 10 or 10 000 programs. */
static void
spawn_env_build(struct spawn_env *se, char *const *base,
    const struct spawn_request *rq, const struct passwd *pw)
{
	const struct program	*p = rq->prog;
	size_t			 nbase, extra, i;

	for (nbase = 0; base[nbase] != NULL; nbase++)
		;
	extra = 3 + (pw != NULL ? 3 : 0) + p->file_env.n + p->env.n;
	se->envp = xcalloc(nbase + extra + 1, sizeof(char *));
	se->own = xcalloc(extra, sizeof(char *));
	memcpy(se->envp, base, nbase * sizeof(char *));
	se->n = nbase;
	se->nown = 0;
	spawn_env_set(se, "SUPERVISOR_PROCESS_NAME", rq->name);
	spawn_env_set(se, "SUPERVISOR_GROUP_NAME", rq->group);
	if (pw != NULL) {
		spawn_env_set(se, "HOME", pw->pw_dir);
		spawn_env_set(se, "USER", pw->pw_name);
		spawn_env_set(se, "LOGNAME", pw->pw_name);
	}
	if (rq->notify_socket != NULL)
		spawn_env_set(se, "NOTIFY_SOCKET", rq->notify_socket);
	for (i = 0; i < p->file_env.n; i++)
		spawn_env_set(se, p->file_env.v[i].key, p->file_env.v[i].value);
	for (i = 0; i < p->env.n; i++)
		spawn_env_set(se, p->env.v[i].key, p->env.v[i].value);
}

static void
spawn_env_release(struct spawn_env *se)
{
	size_t	i;

	for (i = 0; i < se->nown; i++)
		free(se->own[i]);
	free(se->own);
	free(se->envp);
	se->own = se->envp = NULL;
	se->n = se->nown = 0;
}

/* The stdio slots: four low descriptors, taken once by spawn_init(), that
 * carry the child's stdin (/dev/null: slot 0 for good, and the stdin
 * slot, which an event listener's pipe fills), stdout, stderr and
 * readiness pipe (notification_fd; /dev/null between the spawns that use
 * it, and untouched by those that do not) across the clone. They are why a spawn costs the same with 10 or 10 000
 * programs: the child shares tendd's descriptor table (CLONE_FILES) and
 * its first act is close_range(slot + 1, ~0, CLOSE_RANGE_UNSHARE), after
 * which it owns a table of these few low descriptors only. Without it
 * every spawn copies tendd's whole table (a pipe, a log file and a pidfd
 * per program) and every exec closes those copies one by one again: at
 * N=4000 that was the largest cost of a spawn, growing with N (see
 * bench/README.md). */
#define SPAWN_NSLOTS	5
#define SPAWN_SLOT_NOTIFY 3
#define SPAWN_SLOT_STDIN 4	/* /dev/null but for event listeners */
static int	 spawn_slot[SPAWN_NSLOTS] = { -1, -1, -1, -1, -1 };
static int	 spawn_slot_max = -1;

/* Forget the slots (one could not be refilled); the next spawn takes new
 * ones. */
static void
spawn_drop_slots(void)
{
	int	i;

	for (i = 0; i < SPAWN_NSLOTS; i++) {
		if (spawn_slot[i] != -1)
			(void)close(spawn_slot[i]);
		spawn_slot[i] = -1;
	}
	spawn_slot_max = -1;
}

/* Signals the child sets back to SIG_DFL before it unblocks them: every
 * one tendd handles or ignores, read from the kernel once (handlers are
 * all installed before the first spawn), plus the ones tendd is known to
 * touch. Not all 64: that was 64 system calls per spawn. */
static int	 spawn_sigs[NSIG];
static int	 spawn_nsigs = -1;

/* The kernel's struct sigaction, to see and reset the signals glibc
 * reserves for itself (32, 33), which its sigaction() refuses to touch but
 * an ignored disposition of which would survive the exec. */
struct spawn_ksigaction {
	void		(*handler)(int);
	unsigned long	 flags;
	void		(*restorer)(void);
	unsigned long	 mask;
};

/* See spawn.h. */
int
spawn_init(void)
{
	int	fd, i;

	if (spawn_slot[0] != -1)
		return 0;
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	if (fd < 3) {
		/* 0-2 closed by whoever started us: keep them free */
		spawn_slot[0] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		(void)close(fd);
		if (spawn_slot[0] == -1)
			return -1;
	} else
		spawn_slot[0] = fd;
	for (i = 1; i < SPAWN_NSLOTS; i++) {
		if ((spawn_slot[i] = fcntl(spawn_slot[0], F_DUPFD_CLOEXEC,
		    3)) == -1) {
			spawn_drop_slots();
			return -1;
		}
	}
	for (i = 0; i < SPAWN_NSLOTS; i++)
		if (spawn_slot[i] > spawn_slot_max)
			spawn_slot_max = spawn_slot[i];
	return 0;
}

/* Fill spawn_sigs, once. (Not with a sigset_t: glibc's sigaddset refuses
 * its own signals 32 and 33, which an ignored disposition of can be
 * inherited all the same.) */
static void
spawn_find_signals(void)
{
	static const int known[] = {
		SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR2, SIGPIPE, SIGXFSZ,
	};
	struct spawn_ksigaction	 ksa;
	bool			 reset[NSIG] = { false };
	size_t			 k;
	int			 sig;

	for (k = 0; k < nitems(known); k++)
		reset[known[k]] = true;
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		memset(&ksa, 0, sizeof(ksa));
		if (syscall(SYS_rt_sigaction, sig, NULL, &ksa,
		    sizeof(ksa.mask)) == -1 || ksa.handler != SIG_DFL)
			reset[sig] = true;
	}
	spawn_nsigs = 0;
	for (sig = 1; sig < NSIG; sig++)
		if (reset[sig])
			spawn_sigs[spawn_nsigs++] = sig;
}

/* What the child needs. In the clone path it shares tendd's memory, so
 * it reports a failure in fail, which tendd reads once it resumes; in the
 * fork fallback it writes fail to errfd, a close-on-exec pipe. */
struct spawn_child_args {
	const struct spawn_request	*rq;
	bool				 shared;	/* CLONE_VM|CLONE_FILES */
	int				 errfd;		/* fork: the pipe; else -1 */
	const char			*path;
	char				**envp;
	const gid_t			*groups;
	int				 ngroups;
	const sigset_t			*oldmask;
	struct spawn_failure		 fail;		/* stage 0: none */
};

/* In the child: report the failed stage and leave. */
static _Noreturn void
spawn_child_fail(struct spawn_child_args *ca, int stage, int arg)
{
	struct spawn_failure	f;
	ssize_t			n;

	f.err = errno;
	f.arg = arg;
	f.stage = stage;
	ca->fail = f;
	if (ca->errfd != -1) {
		do {
			n = write(ca->errfd, &f, sizeof(f));
		} while (n == -1 && errno == EINTR);
	}
	_exit(127);
}

/* The child side: only async-signal-safe calls from here to execve. */
static _Noreturn void
spawn_child(struct spawn_child_args *ca)
{
	const struct spawn_request	*rq = ca->rq;
	const struct program		*p = rq->prog;
	struct sigaction		 sa;
	struct rlimit			 rl;
	int				 i;
	long				 fd, maxfd;

	/* Handlers of the daemon (libev's) must never run here. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	for (i = 0; i < spawn_nsigs; i++) {
		if (sigaction(spawn_sigs[i], &sa, NULL) == -1) {
			struct spawn_ksigaction	ksa = { SIG_DFL, 0, NULL, 0 };

			(void)syscall(SYS_rt_sigaction, spawn_sigs[i], &ksa,
			    NULL, sizeof(ksa.mask));
		}
	}

	/* A table of our own with only 0-2 and the slots: nothing may touch
	 * a descriptor before this, the table is still tendd's. */
	if (ca->shared && close_range((unsigned)spawn_slot_max + 1, ~0U,
	    CLOSE_RANGE_UNSHARE) == -1 && unshare(CLONE_FILES) == -1)
		spawn_child_fail(ca, STAGE_FDS, 0);

	/* A session of its own, not only a process group: no controlling
	 * terminal, so a child of `tendd -n` cannot open /dev/tty and push
	 * input into root's terminal (TIOCSTI). The pgid is still the pid,
	 * for stopasgroup/killasgroup. */
	if (setsid() == -1)
		spawn_child_fail(ca, STAGE_FDS, 0);

	if (dup2(spawn_slot[SPAWN_SLOT_STDIN], 0) == -1 ||
	    dup2(spawn_slot[1], 1) == -1 ||
	    dup2(spawn_slot[2], 2) == -1)
		spawn_child_fail(ca, STAGE_FDS, 0);
	/* Nothing but 0-2 (and the error pipe of the fork fallback, which is
	 * close-on-exec) survives the exec, not even what was inherited by a
	 * tendd in the foreground. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == -1) {
		maxfd = sysconf(_SC_OPEN_MAX);
		if (maxfd < 0 || maxfd > 65536)
			maxfd = 65536;
		for (fd = 3; fd < maxfd; fd++)
			if (fd != ca->errfd)
				(void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	}
	/* ...and the readiness pipe, at the program's notification_fd (the
	 * stdio slots are copied already: it may land on one of them) */
	if (p->notification_fd != 0) {
		fd = (long)p->notification_fd;
		if (fd == (long)ca->errfd) {	/* fork fallback: move it */
			int	moved = fcntl(ca->errfd, F_DUPFD_CLOEXEC,
			    (int)fd + 1);

			if (moved == -1)
				spawn_child_fail(ca, STAGE_NOTIFY, 0);
			ca->errfd = moved;
		}
		if (fd == spawn_slot[SPAWN_SLOT_NOTIFY] ?
		    fcntl((int)fd, F_SETFD, 0) == -1 :
		    dup2(spawn_slot[SPAWN_SLOT_NOTIFY], (int)fd) == -1)
			spawn_child_fail(ca, STAGE_NOTIFY, 0);
	}

	if (rq->base_nofile != NULL && !p->rlimits[0].set)
		(void)setrlimit(RLIMIT_NOFILE, rq->base_nofile);
	for (i = 0; i < CONFIG_NRLIMITS; i++) {
		if (!p->rlimits[i].set)
			continue;
		rl.rlim_cur = p->rlimits[i].soft;
		rl.rlim_max = p->rlimits[i].hard;
		if (setrlimit(config_rlimits[i].resource, &rl) == -1)
			spawn_child_fail(ca, STAGE_RLIMIT, i);
	}

	if (p->umask >= 0)
		(void)umask((mode_t)p->umask);

	if (p->user != NULL) {
		if (setgroups((size_t)ca->ngroups, ca->groups) == -1)
			spawn_child_fail(ca, STAGE_GROUPS, 0);
		if (setresgid(p->gid, p->gid, p->gid) == -1)
			spawn_child_fail(ca, STAGE_SETGID, 0);
		if (setresuid(p->uid, p->uid, p->uid) == -1)
			spawn_child_fail(ca, STAGE_SETUID, 0);
		/* Verify: there must be no way back. */
		if (p->uid != 0 && (getuid() != p->uid || geteuid() != p->uid ||
		    setuid(0) != -1)) {
			errno = EPERM;
			spawn_child_fail(ca, STAGE_SETUID, 0);
		}
	}
	/* After the drop, as supervisord does: with the user's rights, so
	 * root never enters a directory for a user who may not. */
	if (p->directory != NULL && chdir(p->directory) == -1)
		spawn_child_fail(ca, STAGE_CHDIR, 0);

	(void)sigprocmask(SIG_SETMASK, ca->oldmask, NULL);
	execve(ca->path, rq->argv != NULL ? rq->argv : p->argv, ca->envp);
	spawn_child_fail(ca, STAGE_EXEC, 0);
}

static int
spawn_child_main(void *arg)
{
	spawn_child(arg);
}

/* Start the child like posix_spawn does: clone(CLONE_VM|CLONE_VFORK) on
 * a stack of its own. No copy of tendd's page tables (a fork copies them,
 * and both sides then fault on every page they write: 1.4x the cost of a
 * whole spawn at N=2000, see bench/README.md), and tendd sleeps until the
 * child has exec'd or failed. The child shares tendd's memory until then,
 * so spawn_child only makes system calls and writes nothing but its own
 * stack and ca->fail; it shares the descriptor table too (CLONE_FILES)
 * until its first call unshares the few low ones it needs (the slots
 * above); its signal dispositions and mask are its own (no CLONE_SIGHAND).
 * tendd is single-threaded, so setresuid() and friends are plain system
 * calls there. One stack serves every spawn: the parent is suspended while
 * the child uses it. Falls back to fork() and an error pipe if clone
 * refuses (e.g. under a seccomp filter), under AddressSanitizer, and
 * under valgrind.
 * Returns the pid, with ca->fail set if the child could not exec. */
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
#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>	/* it aborts on such a clone: fork there */
#define SPAWN_UNDER_VALGRIND	RUNNING_ON_VALGRIND
#else
#define SPAWN_UNDER_VALGRIND	0
#endif
static pid_t
spawn_start(struct spawn_child_args *ca)
{
	static void	*stack;
	const size_t	 size = 256 * 1024;
	pid_t		 pid;
	int		 errpipe[2];
	ssize_t		 n;

	memset(&ca->fail, 0, sizeof(ca->fail));
	if (SPAWN_CLONE && stack == NULL && !SPAWN_UNDER_VALGRIND) {
		stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED)
			stack = NULL;
	}
	if (stack != NULL) {
		ca->shared = true;
		ca->errfd = -1;
		pid = clone(spawn_child_main, (char *)stack + size,
		    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, ca);
		if (pid != -1 || (errno != EINVAL && errno != ENOSYS &&
		    errno != EPERM))
			return pid;
	}

	ca->shared = false;
	if (pipe2(errpipe, O_CLOEXEC) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		(void)close(errpipe[0]);
		ca->errfd = errpipe[1];
		(void)spawn_child_main(ca);
	}
	n = errno;
	(void)close(errpipe[1]);
	if (pid == -1) {
		(void)close(errpipe[0]);
		errno = (int)n;
		return -1;
	}
	/* No setpgid(pid, pid) here: it would make the child a group leader
	 * before its setsid(), which then fails with EPERM. Nothing is
	 * missed without it: the read below returns only once the child has
	 * exec'd (its setsid() done) or failed. Bounded: the child execs or
	 * fails within microseconds. */
	do {
		n = read(errpipe[0], &ca->fail, sizeof(ca->fail));
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(ca->fail))
		memset(&ca->fail, 0, sizeof(ca->fail));
	(void)close(errpipe[0]);
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
	case STAGE_NOTIFY:
		(void)snprintf(err, len, "couldn't set up notification_fd %u: "
		    "%s", p->notification_fd, en);
		break;
	default:
		(void)snprintf(err, len, "couldn't set up stdio: %s", en);
		break;
	}
}

/* Put fd into a slot, or the slot back to /dev/null (fd = slot 0). */
static int
spawn_fill_slot(int slot, int fd)
{
	int	rc;

	do {
		rc = dup3(fd, spawn_slot[slot], O_CLOEXEC);
	} while (rc == -1 && (errno == EINTR || errno == EBUSY));
	return rc;
}

/* fork/exec one program; see spawn.h. */
pid_t
spawn_process(const struct spawn_request *rq, char *err, size_t errlen)
{
	const struct program	*p = rq->prog;
	char			 path[PATH_MAX];
	char			**base = NULL;
	struct passwd		*pw = NULL;
	gid_t			*groups = NULL;
	int			 ngroups = 0, saved;
	sigset_t		 all, old;
	struct spawn_env	 se = { NULL, NULL, 0, 0 };
	struct spawn_child_args	 ca;
	pid_t			 pid = -1;

	if (spawn_check_file(rq->argv != NULL ? rq->argv[0] : p->argv[0],
	    path, sizeof(path), err, errlen) != SPAWN_OK)
		return -1;
	if (spawn_init() == -1) {
		if (!spawn_out_of_fds(errno, rq->name, err, errlen))
			(void)snprintf(err, errlen, "couldn't open /dev/null: "
			    "%s", spawn_errname(errno));
		return -1;
	}
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
	if (spawn_nsigs == -1)
		spawn_find_signals();
	if (rq->base_env == NULL)
		base = spawn_env_base(rq->config);
	spawn_env_build(&se, rq->base_env != NULL ? rq->base_env : base, rq,
	    pw);

	if (spawn_fill_slot(1, rq->stdout_fd >= 0 ? rq->stdout_fd :
	    spawn_slot[0]) == -1 || spawn_fill_slot(2, rq->stderr_fd >= 0 ?
	    rq->stderr_fd : spawn_slot[0]) == -1 ||
	    (rq->notify_fd >= 0 &&
	    spawn_fill_slot(SPAWN_SLOT_NOTIFY, rq->notify_fd) == -1) ||
	    (rq->stdin_fd >= 0 &&
	    spawn_fill_slot(SPAWN_SLOT_STDIN, rq->stdin_fd) == -1)) {
		(void)snprintf(err, errlen, "couldn't set up stdio for '%s': "
		    "%s", rq->name, spawn_errname(errno));
		goto out;
	}

	(void)sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	memset(&ca, 0, sizeof(ca));
	ca.rq = rq;
	ca.path = path;
	ca.envp = se.envp;
	ca.groups = groups;
	ca.ngroups = ngroups;
	ca.oldmask = &old;
	pid = spawn_start(&ca);
	saved = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		if (saved == EAGAIN)
			(void)snprintf(err, errlen, "Too many processes in "
			    "process table to spawn '%s'", rq->name);
		else if (!spawn_out_of_fds(saved, rq->name, err, errlen))
			(void)snprintf(err, errlen, "unknown error during fork "
			    "for '%s': %s", rq->name, spawn_errname(saved));
		goto out;
	}
	if (ca.fail.stage != 0) {
		int	status;

		spawn_describe_failure(rq, &ca.fail, path, err, errlen);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		pid = -1;
	}
out:
	saved = errno;
	/* The slots must not keep the child's pipes open (no EOF else). */
	if (spawn_slot[0] != -1 && (spawn_fill_slot(1, spawn_slot[0]) == -1 ||
	    spawn_fill_slot(2, spawn_slot[0]) == -1 ||
	    (rq->notify_fd >= 0 &&
	    spawn_fill_slot(SPAWN_SLOT_NOTIFY, spawn_slot[0]) == -1) ||
	    (rq->stdin_fd >= 0 &&
	    spawn_fill_slot(SPAWN_SLOT_STDIN, spawn_slot[0]) == -1)))
		spawn_drop_slots();
	free(groups);
	spawn_env_release(&se);
	spawn_env_free(base);
	errno = saved;
	return pid;
}
