/* logcmd.c: tail, maintail, clear and reopen, with supervisorctl's outputs
 * and exit statuses, and the followers behind tail -f and maintail -f.
 *
 * A follower reads the log file itself (as supervisord's tail_f_producer
 * does), every FOLLOW_TICK seconds while it lives, so the output path pays
 * nothing for it and splice keeps working. It follows a rotation (the path
 * names another file: the rest of the old one is sent, then the new one
 * from its start) and a truncation. It never queues more than
 * FOLLOW_MAX_QUEUE bytes for its reader; a reader that falls more than
 * FOLLOW_MAX_BEHIND bytes behind skips ahead and is told how many bytes
 * it missed, on its standard error. A reader that leaves is noticed
 * without writing (control_gone); one that takes nothing for a minute
 * while its FIFO is full is dropped by control.c, and control_gone says
 * so too: the follower ends and its descriptors come back. */
#include "autoconfig.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "logcmd.h"
#include "outlog.h"
#include "protocol.h"
#include "safeopen.h"
#include "supervisor.h"
#include "util.h"
#include "verbs.h"

#define TAIL_DEFAULT		1600		/* bytes, as supervisorctl */
#define FOLLOW_HEAD		1024		/* tail -f starts this far back */
#define FOLLOW_TICK		0.2		/* seconds between looks */
#define FOLLOW_CHUNK		65536
#define FOLLOW_MAX_QUEUE	(256u << 10)	/* bytes queued per reader */
#define FOLLOW_MAX_BEHIND	(4u << 20)	/* then skip ahead ... */
#define FOLLOW_KEEP		(64u << 10)	/* ... to this far from the end */

struct follow {
	struct follow	*next;
	struct ev_loop	*loop;
	struct control_reply	*c;
	char		*path;
	int		 fd;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;		/* next byte to send */
	bool		 refused;	/* the reader was told why not */
	ev_timer	 tick;
};

static struct follow	*follows;

/* A process by "name" or "group:name". */
static struct sv_proc *
logcmd_find(struct supervisor *sv, const char *spec)
{
	struct sv_proc	*sp = NULL;
	char		*group, *name;

	verbs_namespec_split(spec, &group, &name);
	if (name != NULL)
		sp = supervisor_lookup(sv, group, name);
	free(group);
	free(name);
	return sp;
}

/* "-100" -> 100; -1 if it is not a number. */
static long long
logcmd_bytes(const char *arg)
{
	unsigned long long	 v;
	const char		*err;

	if (parse_uint(arg + 1, (unsigned long long)INT64_MAX, &v, &err) == -1)
		return -1;
	return (long long)v;
}

/* Send the last n bytes of path (all of it for 0), then a newline, as
 * supervisorctl prints readLog's answer. -1 when it cannot be read. */
static int
logcmd_send_tail(struct control_reply *c, const char *path, long long n)
{
	struct stat	 st;
	char		 chunk[FOLLOW_CHUNK], why[PATH_MAX + 128];
	off_t		 off;
	ssize_t		 r;
	int		 fd;

	/* as root, and the path may be in the program's user's directory:
	 * only a regular file of ours there, never a link to another */
	if ((fd = safe_open(path, O_RDONLY, 0, 0, &st, why,
	    sizeof(why))) == -1) {
		if (errno != ENOENT)
			log_warnx("tail: refusing %s", why);
		return -1;
	}
	off = n == 0 || n >= st.st_size ? 0 : st.st_size - n;
	while (off < st.st_size) {
		size_t	want = sizeof(chunk);

		if ((off_t)want > st.st_size - off)
			want = (size_t)(st.st_size - off);
		r = pread(fd, chunk, want, off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		control_data(c, chunk, (size_t)r);
		off += r;
	}
	(void)close(fd);
	control_line(c, 1, "%s", "");
	return 0;
}

/* ---- followers ---- */

/* Stop following and finish the reply with code. */
static void
logcmd_follow_end(struct follow *f, int code)
{
	struct follow	**pp;

	for (pp = &follows; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	ev_timer_stop(f->loop, &f->tick);
	if (f->fd != -1)
		(void)close(f->fd);
	control_finish(f->c, code);
	free(f->path);
	free(f);
}

/* Open the file at the path again; false if there is none yet. */
static bool
logcmd_follow_open(struct follow *f)
{
	struct stat	st;
	char		why[PATH_MAX + 128];
	int		fd;

	/* checked at every reopen: a rotation is when a link could be
	 * planted in the file's place */
	if ((fd = safe_open(f->path, O_RDONLY, 0, 0, &st, why,
	    sizeof(why))) == -1) {
		/* each tick: said once to the reader, never as a warning */
		if (errno != ENOENT && !f->refused) {
			log_debug("tail -f: refusing %s", why);
			control_line(f->c, 2, "==> refusing to read %s <==",
			    why);
			f->refused = true;
		}
		return false;
	}
	f->refused = false;
	if (f->fd != -1)
		(void)close(f->fd);
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->off = 0;
	return true;
}

/* The file that came after ours at the last rotations: ours is now
 * path.j, so it is path.(j-1) (path itself for j == 1); path when ours is
 * gone. False if nothing can be opened yet. */
static bool
logcmd_follow_next(struct follow *f)
{
	struct stat	 st;
	unsigned	 j;
	char		*name;
	bool		 ok;

	for (j = 1; j < 100000; j++) {
		name = outlog_backup_name(f->path, j);
		ok = stat(name, &st) == 0;
		free(name);
		if (!ok)
			break;
		if (st.st_ino == f->ino && st.st_dev == f->dev)
			break;
	}
	if (ok && j > 1) {
		char	*saved = f->path;

		f->path = outlog_backup_name(saved, j - 1);
		ok = logcmd_follow_open(f);
		free(f->path);
		f->path = saved;
		if (ok)
			return true;
	}
	return logcmd_follow_open(f);
}

/* Send what is new, within what the reader may have queued. */
static void
logcmd_follow_step(struct follow *f)
{
	struct stat	 st, now;
	char		 chunk[FOLLOW_CHUNK];
	ssize_t		 r;
	bool		 rotated;

	if (control_gone(f->c)) {
		logcmd_follow_end(f, 0);
		return;
	}
	for (;;) {
		if (control_pending(f->c) >= FOLLOW_MAX_QUEUE)
			return;		/* a slow reader: it waits */
		if (f->fd == -1 && !logcmd_follow_open(f))
			return;
		if (fstat(f->fd, &st) == -1)
			return;
		rotated = stat(f->path, &now) == 0 &&
		    (now.st_ino != f->ino || now.st_dev != f->dev);
		if (st.st_size < f->off) {
			control_data(f->c, "==> File truncated <==\n", 23);
			f->off = 0;
		}
		if (st.st_size - f->off > (off_t)FOLLOW_MAX_BEHIND) {
			off_t	skip = st.st_size - f->off - FOLLOW_KEEP;

			control_line(f->c, 2, "==> skipped %lld bytes (the "
			    "reader was too slow) <==", (long long)skip);
			f->off += skip;
		}
		if (f->off >= st.st_size) {
			/* the old file is done: go on with the new one */
			if (rotated && logcmd_follow_next(f))
				continue;
			return;
		}
		r = pread(f->fd, chunk, sizeof(chunk), f->off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		control_data(f->c, chunk, (size_t)r);
		f->off += r;
		if (control_gone(f->c)) {
			logcmd_follow_end(f, 0);
			return;
		}
	}
}

/* Time to look again. */
static void
logcmd_follow_tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	logcmd_follow_step(w->data);
}

/* Begin a tail -f of path, from head bytes before its end. */
static void
logcmd_follow_start(struct supervisor *sv, struct control_reply *c,
    const char *path, long long head)
{
	struct follow	*f = xcalloc(1, sizeof(*f));
	struct stat	 st;

	f->loop = sv->loop;
	f->c = c;
	f->path = xstrdup(path);
	f->fd = -1;
	(void)logcmd_follow_open(f);
	if (f->fd != -1 && fstat(f->fd, &st) == 0)
		f->off = head < st.st_size ? st.st_size - head : 0;
	control_set_streaming(c);
	ev_timer_init(&f->tick, logcmd_follow_tick_cb, FOLLOW_TICK,
	    FOLLOW_TICK);
	f->tick.data = f;
	ev_timer_start(f->loop, &f->tick);
	f->next = follows;
	follows = f;
	if (f->fd != -1)
		logcmd_follow_step(f);
}

/* See logcmd.h. */
void
logcmd_shutdown(void)
{
	while (follows != NULL)
		logcmd_follow_end(follows, 0);
}

/* See logcmd.h. */
void
logcmd_abort(const char *why)
{
	while (follows != NULL) {
		control_line(follows->c, 2, "%s", why);
		logcmd_follow_end(follows, TEND_EXIT_GENERIC);
	}
}

/* ---- verbs ---- */

/* See logcmd.h. supervisorctl's do_tail, with -f and -BYTES allowed
 * together. */
void
logcmd_tail(struct supervisor *sv, struct control_reply *c, int argc,
    char **argv)
{
	struct sv_proc	*sp;
	const char	*name, *channel = "stdout";
	char		*path;
	long long	 bytes = TAIL_DEFAULT, n;
	bool		 follow = false, sized = false;
	int		 i = 1;

	while (i < argc && argv[i][0] == '-' && i < 3) {
		if (strcmp(argv[i], "-f") == 0 && !follow)
			follow = true;
		else if ((n = logcmd_bytes(argv[i])) >= 0 && !sized) {
			bytes = n;
			sized = true;
		} else {
			control_line(c, 1, "Error: bad argument %s", argv[i]);
			control_finish(c, TEND_EXIT_GENERIC);
			return;
		}
		i++;
	}
	if (argc - i == 0) {
		control_line(c, 1, "Error: tail requires process name");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	name = argv[i];
	if (argc - i > 1) {
		channel = argv[argc - 1];
		if (strcasecmp(channel, "stdout") != 0 &&
		    strcasecmp(channel, "stderr") != 0) {
			control_line(c, 1, "Error: bad channel '%s'", channel);
			control_finish(c, TEND_EXIT_GENERIC);
			return;
		}
	}
	if (follow)
		control_line(c, 1, "==> Press Ctrl-C to exit <==");
	if ((sp = logcmd_find(sv, name)) == NULL) {
		control_line(c, 1, "%s: ERROR (no such process name)", name);
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	path = supervisor_log_path(sp, strcasecmp(channel, "stderr") == 0);
	if (path == NULL || access(path, F_OK) == -1) {
		control_line(c, 1, "%s: ERROR (no log file)", name);
		control_finish(c, TEND_EXIT_GENERIC);
	} else if (follow) {
		logcmd_follow_start(sv, c, path, sized ? bytes : FOLLOW_HEAD);
	} else if (logcmd_send_tail(c, path, bytes) == -1) {
		control_line(c, 1, "%s: ERROR (unknown error reading log)",
		    name);
		control_finish(c, TEND_EXIT_GENERIC);
	} else {
		control_finish(c, 0);
	}
	free(path);
}

/* See logcmd.h. supervisorctl's do_maintail. */
void
logcmd_maintail(struct supervisor *sv, struct control_reply *c, int argc,
    char **argv)
{
	const char	*path = log_file_path();
	long long	 bytes = TAIL_DEFAULT;
	bool		 follow = false;

	if (argc == 2) {
		if (strcmp(argv[1], "-f") == 0)
			follow = true;
		else if (argv[1][0] != '-' || (bytes = logcmd_bytes(argv[1])) <
		    0) {
			control_line(c, 1, "Error: bad argument %s", argv[1]);
			control_finish(c, TEND_EXIT_GENERIC);
			return;
		}
	}
	if (follow)
		control_line(c, 1, "==> Press Ctrl-C to exit <==");
	if (path == NULL || access(path, F_OK) == -1) {
		control_line(c, 1, "tendd: ERROR (no log file)");
		control_finish(c, TEND_EXIT_GENERIC);
	} else if (follow) {
		logcmd_follow_start(sv, c, path, FOLLOW_HEAD);
	} else if (logcmd_send_tail(c, path, bytes) == -1) {
		control_line(c, 1, "tendd: ERROR (unknown error reading log)");
		control_finish(c, TEND_EXIT_GENERIC);
	} else {
		control_finish(c, 0);
	}
}

/* See logcmd.h. supervisorctl's do_clear, for one process. */
int
logcmd_clear(struct control_reply *c, struct sv_proc *sp, const char *name)
{
	char	why[512];

	if (supervisor_clear_logs(sp, why, sizeof(why)) == -1) {
		log_warnx("%s: cannot clear its logs: %s", sp->p.name, why);
		control_line(c, 1, "%s: ERROR (failed)", name);
		return TEND_EXIT_GENERIC;
	}
	control_line(c, 1, "%s: cleared", name);
	return 0;
}

/* See logcmd.h. */
void
logcmd_reopen(struct supervisor *sv, struct control_reply *c)
{
	log_info("reopening log files (tendctl reopen)");
	if (supervisor_reopen_logs(sv) == -1) {
		control_line(c, 1, "ERROR: some log files could not be "
		    "reopened (see tendd's log)");
		control_finish(c, TEND_EXIT_GENERIC);
		return;
	}
	control_line(c, 1, "Reopened the log files");
	control_finish(c, 0);
}
