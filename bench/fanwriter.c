/* fanwriter.c: one writer of the fan-in workload (bench.py, test `fanin`).
 *
 *	fanwriter [-x] ID BYTES GOFIFO STAMPS
 *
 * Writes BYTES (rounded down to whole lines) of 100-byte lines to stdout,
 * line SEQ of writer ID being
 *
 *	printf("%05u %010u %s\n", ID, SEQ, FILL)	(FILL: 82 bytes, below)
 *
 * so that every line is unique and bench.py can count, per program, lines
 * lost, duplicated, out of order or mangled. Before writing it opens
 * GOFIFO, appends "R TIME PID ID" to STAMPS (ready), and reads GOFIFO until
 * EOF: the harness holds the FIFO's only write end from before the
 * supervisor starts and closes it once all writers are ready, which
 * releases them all at once. Around the writing it appends "S TIME PID ID"
 * and "E TIME PID ID" (TIME: seconds since the epoch, microseconds, as
 * bash's $EPOCHREALTIME). Then it waits for a signal, as the log workload's
 * `exec sleep`, so that no supervisor restarts it; -x exits instead.
 * GOFIFO and STAMPS may be "-" (no wait, no stamps), as when bench.py
 * measures the writer alone into /dev/null.
 *
 * Lines go out in writes of 8192 bytes, not aligned to lines (as
 * `yes | head -c` in the log workload writes them), from a buffer of 2048
 * lines refilled in place: only the sequence digits change. Built by
 * bench/run with `cc -O2`. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE		100
#define PREFIX		17		/* "IIIII SSSSSSSSSS " */
#define BATCH		2048		/* lines per buffer: 204800 = 25 * 8192 */
#define CHUNK		8192

static const char fill[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef"
    "0123456789abcdef0123456789abcdef01";	/* 82 bytes */

static char buf[BATCH * LINE];

static int
stamp(const char *path, char what, unsigned id)
{
	struct timespec	ts;
	char		line[96];
	int		fd, len;
	ssize_t		n;

	if (strcmp(path, "-") == 0)
		return 0;
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1) {
		perror("clock_gettime");
		return -1;
	}
	len = snprintf(line, sizeof(line), "%c %lld.%06ld %ld %u\n", what,
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, (long)getpid(), id);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1) {
		perror(path);
		return -1;
	}
	/* one short O_APPEND write: whole, never interleaved with another's */
	do
		n = write(fd, line, (size_t)len);
	while (n == -1 && errno == EINTR);
	if (n != len) {
		perror(path);
		(void)close(fd);
		return -1;
	}
	return close(fd);
}

/* Open GOFIFO: its fd, -2 for "-" (no FIFO), -1 on error. */
static int
open_go(const char *path)
{
	int	fd;

	if (strcmp(path, "-") == 0)
		return -2;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		perror(path);
	return fd;
}

static int
read_to_eof(int fd)
{
	char	c[64];

	for (;;) {
		ssize_t n = read(fd, c, sizeof(c));
		if (n == 0)
			break;
		if (n == -1 && errno != EINTR) {
			perror("read go fifo");
			return -1;
		}
	}
	return close(fd);
}

static int
write_all(const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(1, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("write");
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The sequence field of line i of buf: 10 decimal digits at offset 6. */
static void
set_seq(char *line, unsigned long seq)
{
	int	i;

	for (i = 15; i >= 6; i--) {
		line[i] = (char)('0' + seq % 10);
		seq /= 10;
	}
}

int
main(int argc, char **argv)
{
	unsigned long	 lines, seq, id, k, batch;
	unsigned long long bytes;
	size_t		 off, len, chunk;
	char		*end;
	int		 exit_after = 0, gofd, c;

	while ((c = getopt(argc, argv, "x")) != -1) {
		if (c != 'x')
			goto usage;
		exit_after = 1;
	}
	if (argc - optind != 4)
		goto usage;
	errno = 0;
	id = strtoul(argv[optind], &end, 10);
	if (errno || *end || id > 99999)
		goto usage;
	bytes = strtoull(argv[optind + 1], &end, 10);
	if (errno || *end || bytes / LINE > 9999999999ULL)
		goto usage;
	lines = (unsigned long)(bytes / LINE);

	for (k = 0; k < BATCH; k++) {
		char *l = buf + k * LINE;

		(void)snprintf(l, PREFIX + 1, "%05lu %010lu ", id, 0UL);
		memcpy(l + PREFIX, fill, sizeof(fill) - 1);
		l[LINE - 1] = '\n';
	}
	if ((gofd = open_go(argv[optind + 2])) == -1 ||
	    stamp(argv[optind + 3], 'R', (unsigned)id) == -1)
		return 1;
	if (gofd >= 0 && read_to_eof(gofd) == -1)
		return 1;
	if (stamp(argv[optind + 3], 'S', (unsigned)id) == -1)
		return 1;
	for (seq = 0; seq < lines; ) {
		batch = lines - seq;
		if (batch > BATCH)
			batch = BATCH;
		for (k = 0; k < batch; k++)
			set_seq(buf + k * LINE, seq + k);
		len = batch * LINE;
		for (off = 0; off < len; off += chunk) {
			chunk = len - off < CHUNK ? len - off : CHUNK;
			if (write_all(buf + off, chunk) == -1)
				return 1;
		}
		seq += batch;
	}
	if (stamp(argv[optind + 3], 'E', (unsigned)id) == -1)
		return 1;
	if (exit_after)
		return 0;
	for (;;)		/* stdout stays open, as with the log workload */
		(void)pause();	/* until the supervisor's stop signal */

usage:
	fprintf(stderr, "usage: fanwriter [-x] ID BYTES GOFIFO|- STAMPS|-\n");
	return 2;
}
