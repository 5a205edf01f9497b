/* ready.h: the channels on which programs say they are up: a pipe on
 * the notification_fd= of a program (s6's notification-fd: the first
 * newline) and the NOTIFY_SOCKET of sd_notify= programs (one datagram
 * socket for them all: READY=1). Below the supervisor, as outlog_io.c
 * is: it knows channels, not processes; what it hears goes to the
 * function it was given, and the supervisor decides what that means. */
#ifndef TEND_READY_H
#define TEND_READY_H

#include <sys/types.h>
#include <ev.h>
#include <stddef.h>

struct ready;

/* The first newline came on the pipe of owner. */
typedef void	 ready_pipe_fn(void *owner);
/* READY=1 came on the socket from pid, whose sender runs as uid. */
typedef void	 ready_sock_fn(void *arg, pid_t pid, uid_t uid);

/* One process's notification_fd pipe: its read end, watched from the
 * spawn until the line, EOF or the exit. Embedded in its owner. */
struct ready_pipe {
	ev_io		 io;		/* fd -1 when there is no pipe */
	struct ready	*r;
};

/* The readiness channels of loop: fn hears every pipe, sock_fn (with
 * arg) the socket, which is opened at the first spawn that needs it. */
struct ready	*ready_new(struct ev_loop *, ready_pipe_fn *fn,
		    ready_sock_fn *sock_fn, void *arg);
/* Close the socket (the pipes are closed by their owners). */
void		 ready_free(struct ready *);
/* Before a spawn of name: the NOTIFY_SOCKET value, the socket opened at
 * the first call; NULL with why. */
const char	*ready_socket(struct ready *, const char *name, char *why,
		    size_t len);
/* A child was reaped: the datagrams waiting now count first, as its
 * READY=1 may be among them. */
void		 ready_socket_reaped(struct ready *);

/* Set up the pipe of owner, with none open yet. */
void		 ready_pipe_init(struct ready_pipe *, struct ready *,
		    void *owner);
/* Before a spawn of name: a new pipe (an earlier one is closed), whose
 * write end is returned for the child; -1 with why. */
int		 ready_pipe_open(struct ready_pipe *, const char *name,
		    char *why, size_t len);
/* The spawn worked: watch the pipe, if there is one. */
void		 ready_pipe_start(struct ready_pipe *);
/* Stop listening and close it: the spawn failed, or its owner goes. */
void		 ready_pipe_close(struct ready_pipe *);
/* Its child was reaped: what it wrote counts first, then it closes. */
void		 ready_pipe_reaped(struct ready_pipe *);

/* Live re-exec: the descriptors to hand over (-1: none), and their
 * adoption by the new image (watched as before the exec). */
int		 ready_pipe_fd(const struct ready_pipe *);
void		 ready_pipe_adopt(struct ready_pipe *, int fd);
int		 ready_socket_fd(const struct ready *, const char **name);
void		 ready_socket_adopt(struct ready *, int fd, const char *name);

#endif
