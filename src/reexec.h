/* reexec.h: live re-exec (tendctl reexec): the running tendd execve()s a
 * new binary with the same pid, and the new image takes every child over,
 * with its pipes, log files, deadlines and counters, and the control
 * FIFO, the pid file and the sd_notify socket. The state crosses in a
 * memfd (handover.c's blob) whose number the new image gets as
 * --handover FD. */
#ifndef TEND_REEXEC_H
#define TEND_REEXEC_H

#include <stdbool.h>
#include <stddef.h>

struct commands;
struct control;
struct control_reply;
struct handover;
struct supervisor;

/* At start, before anything can replace the binary: remember the path
 * tendd runs from (tendctl reexec without a path execs it again) and the
 * options the next image gets. pidfd is the locked pid file (-1: none). */
void	 reexec_setup(const char *config_path, bool foreground, bool strict,
	    int pidfd);
/* The layers a re-exec works with (tendd.c's; NULL once they are
 * gone). */
void	 reexec_bind(struct supervisor *, struct control *,
	    struct commands *);
/* tendctl reexec [PATH]: check the binary without blocking the loop
 * (exists, regular, executable, answers --version and --accepts-state),
 * end the jobs that wait, then exec it. A refusal finishes the reply with
 * one line; a success is answered by the new image. */
void	 reexec_request(struct control_reply *, const char *path);

/* Does this process run under valgrind? --accepts-state says so (with
 * REEXEC_VALGRIND), which tells an old image under valgrind whether
 * valgrind follows its execs. */
#define REEXEC_VALGRIND	"(under valgrind)"
bool	 reexec_under_valgrind(void);

/* ---- the new image ---- */
/* Read and parse the blob of --handover fd (closed here). 0, or -1 with
 * why: then every descriptor above 2 is closed (the children's pipes
 * too), so that tendd starts afresh: the state file stops the children
 * it lists, as after a crash. */
int	 reexec_read(int fd, struct handover *, char *why, size_t len);
/* Take the processes, their streams and deadlines over, before the loop
 * runs; reap once what exited during the exec; answer the client that
 * asked. h is freed. */
void	 reexec_adopt(struct supervisor *, struct control *,
	    struct handover *);

#endif
