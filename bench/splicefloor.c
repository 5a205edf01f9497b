/* splicefloor.c: the floor of "capture a pipe into a file" on this machine.
 *
 *	splicefloor FILE < PIPE
 *
 * Moves everything from its stdin (a pipe, grown to 1 MiB) into FILE with
 * splice(2), as a pipe-capturing supervisor at its best would: in batches,
 * sleeping 0.5 ms whenever a call found less than a quarter of the pipe,
 * so that it wakes about once per quarter pipe, not once per write of the
 * writer. No loop, no log rotation, no bookkeeping: what it costs is the
 * kernel's part (the copy of the pipe's pages into the page cache, the
 * file system's write path, freeing the pages), which no supervisor that
 * captures through a pipe can avoid. Built by bench/run with `cc -O2`;
 * bench.py runs it under the same writer as `cat > file` and reports its
 * CPU-s per GiB next to tendd's. */
#define _GNU_SOURCE
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
	ssize_t			 n;
	int			 out;

	if (argc != 2) {
		fprintf(stderr, "usage: splicefloor FILE < PIPE\n");
		return 2;
	}
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out == -1) {
		perror(argv[1]);
		return 1;
	}
	(void)fcntl(0, F_SETPIPE_SZ, PIPE_SIZE);	/* best effort */
	for (;;) {
		n = splice(0, NULL, out, NULL, PIPE_SIZE, SPLICE_F_MOVE);
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("splice");
			return 1;
		}
		if (n < PIPE_SIZE / 4)
			(void)nanosleep(&pause, NULL);
	}
	if (close(out) == -1) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
