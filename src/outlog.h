/* outlog.h: the decisions behind child output logs, kept apart from the
 * pipes and the loop (outlog_io.c) so that they can be tested alone: size
 * values with KB/MB/GB, the names of rotated files, and where a stream of
 * bytes may be cut so that a rotation happens at a line boundary.
 *
 * Pure, except outlog_shift(), which renames the backups of one file. */
#ifndef TEND_OUTLOG_H
#define TEND_OUTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Lines up to this long are never split by a rotation (unless maxbytes is
 * smaller); longer ones may be. Also the most bytes of an unfinished line
 * held back in memory. */
#define OUTLOG_LINE_MAX		65536

/* supervisord's byte_size: "1024", "100KB", "50mb", "1GB" (suffix in any
 * case, multiples of 1024). 0 or -1 with *err set to a static reason. */
int		 outlog_parse_size(const char *, unsigned long long *,
		    const char **err);

/* The name of backup n of path: n == 0 is path itself, else "path.n".
 * The caller frees it. */
char		*outlog_backup_name(const char *path, unsigned n);

/* The renames of one rotation, in the order they must happen:
 * path.(backups-1) -> path.backups, ..., path -> path.1. With backups == 0
 * there is none (the file is truncated instead). Fills from/to with the
 * same number of names; returns that number. */
size_t		 outlog_rotation_renames(const char *path, unsigned backups,
		    struct strlist *from, struct strlist *to);

/* Do the renames of outlog_rotation_renames(); a missing backup is not an
 * error. 0, or -1 with errno and the failed name in why. */
int		 outlog_shift(const char *path, unsigned backups, char *why,
		    size_t whylen);

/* What to do with bytes waiting to go to a log file. */
enum outlog_act {
	OUTLOG_WAIT,		/* keep them until more arrive (or a flush) */
	OUTLOG_WRITE,		/* write the first n bytes */
	OUTLOG_ROTATE,		/* rotate first, then ask again */
};

/* The line-boundary cut. size: bytes in the current file; max: maxbytes
 * (0: never rotate); data/len: the bytes waiting, oldest first; linemax:
 * OUTLOG_LINE_MAX (a parameter for the tests); force: an unfinished last
 * line may be written too (a flush after a quiet while, or the child's
 * exit). A file never grows past max; it is cut at the last newline that
 * fits, and a single line is split only when it is longer than max (or
 * longer than linemax and already started in a file that cannot hold it).
 * Sets *n for OUTLOG_WRITE. */
enum outlog_act	 outlog_cut(uint64_t size, uint64_t max, const char *data,
		    size_t len, size_t linemax, bool force, size_t *n);

#endif
