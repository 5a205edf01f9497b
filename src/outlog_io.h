/* outlog_io.h: capture of one output stream of one process: the read end
 * of the child's pipe, watched by libev, written to a log file that is
 * rotated at line boundaries (outlog.c decides where), and/or to syslog.
 * Never blocks the loop; bytes that cannot be written are counted. */
#ifndef TEND_OUTLOG_IO_H
#define TEND_OUTLOG_IO_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct outlog;
struct handover_stream;

/* What a stream should do; copied by outlog_configure. */
struct outlog_conf {
	const char	*path;		/* NULL: no file (NONE) */
	uint64_t	 maxbytes;	/* 0: never rotate */
	unsigned	 backups;
	bool		 syslog;	/* also send lines to syslog */
	int		 syslog_pri;	/* facility | level */
};

/* A stream of process name ("stdout" or "stderr" is chan); dropped bytes
 * are added to *dropped, which the caller owns and keeps alive. */
struct outlog	*outlog_new(struct ev_loop *, const char *name,
		    const char *chan, unsigned long long *dropped);
/* Close everything (what is still in the pipe is lost: drain first). */
void		 outlog_free(struct outlog *);

/* Set up the stream for the next spawn and open its file if it is not
 * open (or its path changed, or writing failed). -1 with the reason in
 * why (supervisord's "couldn't open log file ..." spawn error). */
int		 outlog_configure(struct outlog *, const struct outlog_conf *,
		    char *why, size_t whylen);
/* Also hand every chunk read to fn(arg, bytes, n) (NULL: stop): a program
 * with stdout_events_enabled. A tapped stream is read, never spliced. */
void		 outlog_set_tap(struct outlog *,
		    void (*fn)(void *, const char *, size_t), void *arg);
/* Bytes of this stream read by someone else (an event listener's stdout,
 * which listener.c reads as its protocol): to the file and syslog as if
 * they came from the pipe. */
void		 outlog_feed(struct outlog *, const char *, size_t);
/* Does the child need a pipe for this stream (a file, syslog or a tap)? */
bool		 outlog_wanted(const struct outlog *);
/* Make the pipe, sized with F_SETPIPE_SZ; returns the child's end (the
 * caller closes it after the spawn) or -1 with why. An earlier pipe is
 * drained and closed first. */
int		 outlog_pipe(struct outlog *, char *why, size_t whylen);
/* Start reading the pipe (after a successful spawn). */
void		 outlog_start(struct outlog *);
/* Forget the pipe without reading it (the spawn failed). */
void		 outlog_close_pipe(struct outlog *);
/* The child exited: move everything already in the pipe to the file now,
 * unfinished last line included, before the exit is reported. */
void		 outlog_drain(struct outlog *);
/* Close the log file (it is opened again by the next configure). */
void		 outlog_close_file(struct outlog *);
/* Reopen the file at its path (after an external rotation). -1 and errno
 * on failure (the stream then retries later, counting dropped bytes). */
int		 outlog_reopen(struct outlog *);
/* Remove the file and start an empty one if it was open (supervisord's
 * clear). -1 with why. */
int		 outlog_clear(struct outlog *, const char *path, char *why,
		    size_t whylen);

/* Live re-exec: describe the stream in hs (its descriptors stay open; a
 * busy spell's timerfd and relay are given back first, the relay being
 * empty). */
void		 outlog_export(struct outlog *, struct handover_stream *);
/* In the new image: take the stream over as hs says (its pipe is read
 * again, its file written at its size), set up as c says (as
 * outlog_configure would, without opening anything). */
void		 outlog_adopt(struct outlog *, const struct outlog_conf *,
		    const struct handover_stream *);

#endif
