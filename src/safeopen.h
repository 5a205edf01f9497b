/* safeopen.h: opening files where another user may write, as root.
 *
 * tendd runs as root and opens paths that users can reach: log files in a
 * program's own directory, the metrics file in node_exporter's, the state
 * file and the control FIFO in a run directory. Every such open goes
 * through here, so that a user who swapped a path for a symbolic link, a
 * hard link, a FIFO or a file of his own a moment ago gets a refusal, not
 * root's hand:
 *
 *  - the directory is reached component by component with openat() and
 *    O_NOFOLLOW; a symbolic link is followed only when it and the
 *    directory holding it are trusted (a link only root could have made);
 *  - a directory is trusted when it is owned by root or by tendd's user
 *    and nobody else may write in it, or it is sticky (/tmp): others may
 *    add names there but not take ours. A path is trusted when every
 *    directory on the way is;
 *  - the file itself is opened with O_NOFOLLOW|O_NONBLOCK|O_NOCTTY|
 *    O_CLOEXEC (a FIFO never blocks the open), then fstat()ed: a regular
 *    file must have one link, and be owned by tendd's user unless the
 *    path is trusted and nobody else may add names to its directory (not
 *    even a sticky one: a 0666 file planted in /tmp is refused); anything
 *    else (a device, a FIFO, /dev/stdout) only when the caller allows it,
 *    in such a directory;
 *  - O_TRUNC is applied with ftruncate() after the checks, never by open.
 *
 * A refusal is -1 with errno (ELOOP, EPERM, ...) and a sentence in why. */
#ifndef TEND_SAFEOPEN_H
#define TEND_SAFEOPEN_H

#include <sys/stat.h>
#include <sys/types.h>
#include <stdbool.h>
#include <stddef.h>

#define SAFE_ANYKIND	0x01	/* a non-regular file is fine in a trusted
				 * path (a tty, /dev/stdout, a FIFO) */
#define SAFE_PRIVATE	0x02	/* mode & 077 must be 0 (state files) */
#define SAFE_TRUSTED	0x04	/* refuse a file in an untrusted path */
#define SAFE_OWNED	0x08	/* the file must be tendd's user's even in a
				 * trusted path */

/* Is this directory trusted (owner root or euid; no group/other write,
 * or sticky)? Pure: decides from a stat. */
bool	 safe_dir_trusted(const struct stat *, uid_t euid);

/* Open the directory that holds path's last component (path may be
 * relative). Returns an O_PATH descriptor, *base pointing into path at the
 * last component and *trusted saying whether every directory on the way
 * is trusted; -1 with errno and why. */
int	 safe_open_parent(const char *path, const char **base, bool *trusted,
	    char *why, size_t whylen);

/* Open path (flags as for open(2): O_RDONLY, O_WRONLY|O_CREAT, O_TRUNC,
 * O_APPEND...) with the checks above; mode for a created file. st, if not
 * NULL, receives the file's stat. The descriptor is O_NONBLOCK (clear it
 * if a regular file should block) and O_CLOEXEC. -1 with errno and why. */
int	 safe_open(const char *path, int flags, mode_t mode, unsigned safe,
	    struct stat *st, char *why, size_t whylen);

/* Open (and with create, make, mode applied to a new one) the directory
 * path and demand that it and every directory above it be trusted:
 * sshd's StrictModes, for childlogdir, the control and state directories.
 * Returns an O_PATH|O_DIRECTORY descriptor, -1 with why. */
int	 safe_open_dir(const char *path, bool create, mode_t mode,
	    char *why, size_t whylen);

/* Replace path's contents atomically: a new file made with O_EXCL beside
 * it (a random name, so nothing planted there is followed or reused),
 * written, fchmod()ed to mode, and renamed over path. durable: fsync the
 * file before the rename and the directory after it, so that a power
 * loss leaves the old file or the new one (what must outlive the
 * machine); without it, only a crash of tendd is covered (what describes
 * processes, which a power loss ends anyway: state, metrics). -1 with
 * errno and why (the temporary is removed). */
int	 safe_replace(const char *path, const void *data, size_t len,
	    mode_t mode, bool durable, char *why, size_t whylen);

#endif
