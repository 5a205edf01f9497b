/* relayfloor.c: the floor of "capture a pipe into a file" through a relay.
 *
 *	relayfloor FILE < PIPE
 *
 * Like splicefloor.c, but in two steps. splicefloor splices the writer's
 * pipe straight into FILE: that splice holds the writer's pipe lock while
 * the kernel copies the pages into the page cache, so the writer stalls
 * for the whole copy. Here each batch is first spliced from stdin (a pipe,
 * grown to 1 MiB) into a private 1 MiB pipe with SPLICE_F_MOVE |
 * SPLICE_F_NONBLOCK: that moves page references only, so the writer's
 * lock is held briefly. The private pipe is then spliced into FILE at an
 * explicit offset while the writer keeps writing into its own pipe. One
 * copy of each byte, as with splice; the writer's concurrency, as with
 * `cat > file`. It sleeps 0.5 ms whenever the input pipe was empty
 * (EAGAIN) or gave less than a quarter of its size, so that it wakes about
 * once per quarter pipe. No event loop, no rotation, no bookkeeping: the
 * kernel's part of a relaying capture. Built by bench/run with `cc -O2`;
 * bench.py runs it under the same writer as `cat > file` and splicefloor
 * and reports its MB/s and CPU-s per GiB next to tendd's. */
#define _GNU_SOURCE
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define PIPE_SIZE	(1 << 20)

int
main(int argc, char **argv)
{
	const struct timespec	 pause = { 0, 500000 };
	loff_t			 off = 0;
	ssize_t			 m;
	int			 out, p[2], insz, relaysz;

	if (argc != 2) {
		fprintf(stderr, "usage: relayfloor FILE < PIPE\n");
		return 2;
	}
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out == -1) {
		perror(argv[1]);
		return 1;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		perror("pipe2");
		return 1;
	}
	/* best effort: a smaller pipe only means more, smaller batches */
	(void)fcntl(0, F_SETPIPE_SZ, PIPE_SIZE);
	(void)fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE);
	if ((insz = fcntl(0, F_GETPIPE_SZ)) == -1) {
		perror("stdin is not a pipe");
		return 1;
	}
	if ((relaysz = fcntl(p[1], F_GETPIPE_SZ)) == -1) {
		perror("F_GETPIPE_SZ");
		return 1;
	}
	for (;;) {
		/* the relay is empty here: everything moved is written below */
		ssize_t n = splice(0, NULL, p[1], NULL, (size_t)relaysz,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n == 0)
			break;				/* EOF: the writer is gone */
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {		/* empty, writer still there */
				(void)nanosleep(&pause, NULL);
				continue;
			}
			perror("splice from stdin");
			return 1;
		}
		for (m = n; m > 0; ) {
			ssize_t k;

			k = splice(p[0], NULL, out, &off, (size_t)m, SPLICE_F_MOVE);
			if (k == -1) {
				if (errno == EINTR)
					continue;
				perror(argv[1]);
				return 1;
			}
			if (k == 0) {		/* the relay cannot be at EOF */
				fprintf(stderr, "relayfloor: relay pipe gave 0 bytes\n");
				return 1;
			}
			m -= k;
		}
		if (n < insz / 4)
			(void)nanosleep(&pause, NULL);
	}
	if (close(out) == -1) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
