/* protocol.h: the control protocol between tendctl and tendd, and the exit
 * statuses tendctl reports (supervisorctl's LSB codes).
 *
 * Request: one line, written with a single write(2) of at most PIPE_BUF
 * bytes to the control FIFO:
 *	RS tend2 TAB reply-name TAB verb [TAB arg]... LF
 * RS is the start byte, 0x1e (ASCII record separator); it never appears
 * inside an encoded request (fields escape it). The FIFO is shared by
 * every client, and one that writes stray bytes (unterminated, or
 * dripped a byte at a time) must not spoil the others' requests: since a
 * real request is one atomic write, nothing can come between its RS and
 * its LF, so the server keeps, of each line, only what follows its last
 * RS and counts what came before as garbage. A line without RS is all
 * garbage; so is what is left unterminated when the FIFO runs dry.
 * reply-name is the name of a FIFO the client made in the reply directory
 * (PROTO_REPLY_DIR next to the control FIFO, mode 1733 and owned by tendd:
 * anyone may create in it, nobody else may list it). tendd opens only
 * FIFOs inside that directory, and the unguessable name is what proves the
 * request comes from the FIFO's owner.
 * Reply, streamed by tendd into the reply FIFO, one record per line:
 *	"+"		request accepted (sent first, at once)
 *	"1 TEXT"	a line for tendctl's standard output
 *	"2 TEXT"	a line for tendctl's standard error
 *	"d TEXT"	bytes for tendctl's standard output, no LF added
 *			(tail); NUL is also escaped, as \0
 *	"$ CODE"	the exit status; the last record
 * In fields and TEXT, backslash, TAB, LF and RS are written \\, \t, \n
 * and \s.
 * Pure: no syscalls. */
#ifndef TEND_PROTOCOL_H
#define TEND_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define PROTO_MAGIC		"tend2"
#define PROTO_START		'\036'	/* RS: the first byte of a request */
#define PROTO_MAX_REQUEST	4096	/* PIPE_BUF on Linux; RS and LF included */
#define PROTO_MAX_ARGS		256
#define PROTO_REPLY_DIR		"reply"	/* beside the control FIFO */
#define PROTO_MAX_REPLY_NAME	64

/* supervisorctl's exit statuses (LSBInitExitStatuses and
 * LSBStatusExitStatuses). */
enum tend_exit {
	TEND_EXIT_SUCCESS = 0,
	TEND_EXIT_GENERIC = 1,
	TEND_EXIT_INVALID_ARGS = 2,
	TEND_EXIT_UNIMPLEMENTED = 3,
	TEND_EXIT_INSUFFICIENT_PRIVILEGES = 4,
	TEND_EXIT_NOT_INSTALLED = 5,
	TEND_EXIT_NOT_RUNNING = 7,
	TEND_EXIT_STATUS_NOT_RUNNING = 3,
	TEND_EXIT_STATUS_UNKNOWN = 4,
};

struct proto_request {
	char		*reply;		/* reply FIFO name in the reply directory */
	int		 argc;		/* verb + arguments */
	char		**argv;		/* argv[0] is the verb; NULL-terminated */
};

/* A reply name: 1-64 of [A-Za-z0-9._-], not starting with '.'. */
bool	 proto_reply_name_ok(const char *);
/* The reply directory for a control FIFO path (malloc'd). */
char	*proto_reply_dir(const char *control);

/* Append field escaped (\\, \t, \n, \s) to b. */
void	 proto_escape(struct buf *b, const char *field);
/* Unescape in place; returns -1 on a bad escape. */
int	 proto_unescape(char *s);

/* Encode a request (from its RS to its final LF) into b. Returns -1 with
 * *err set when it would be longer than PROTO_MAX_REQUEST or has too many
 * args. */
int	 proto_request_encode(struct buf *b, const char *reply, int argc,
	    char *const *argv, const char **err);
/* Decode one request as the framer hands it: without its RS and LF.
 * Returns -1 with *err set. */
int	 proto_request_decode(const char *line, size_t len,
	    struct proto_request *, const char **err);
void	 proto_request_free(struct proto_request *);

/* Reply records. */
void	 proto_reply_ack(struct buf *);
void	 proto_reply_line(struct buf *, int stream, const char *text);
void	 proto_reply_exit(struct buf *, int code);

/* Raw bytes for tendctl's standard output. */
void	 proto_reply_data(struct buf *, const void *, size_t);
/* A "d" record (without its LF): its bytes, unescaped in place. -1 when
 * it is not a well-formed "d" record. */
int	 proto_reply_data_parse(char *line, char **data, size_t *len);

/* Parse one reply record (without its LF). kind is '+', '1', '2' or '$';
 * text is unescaped in place (for '1'/'2'), code set for '$'.
 * Returns -1 on a malformed record. */
int	 proto_reply_parse(char *line, char *kind, char **text, int *code);

/* Splits the control FIFO's byte stream into requests, bounded. Of each
 * LF-terminated line, only what follows the last RS is a request; the
 * bytes before it (a whole line without RS, a request over max bytes) are
 * garbage: reported once per line, as one bad input, and never stored. */
struct proto_framer {
	struct buf	 buf;		/* the request after the last RS */
	size_t		 max;		/* longest request, without RS, LF */
	bool		 started;	/* an RS was seen in this line */
	bool		 overlong;	/* this request is over max */
	size_t		 junk;		/* garbage bytes in this line */
};
void	 proto_framer_init(struct proto_framer *, size_t max);
void	 proto_framer_free(struct proto_framer *);
/* What the framer hands over: a request (line, len: NUL-terminated,
 * without RS and LF; junk NULL), or garbage (len bytes thrown away, junk
 * saying why; line NULL). A line with garbage before a good request gives
 * both, the garbage first. */
typedef void (*proto_line_fn)(const char *line, size_t len, const char *junk,
	    void *arg);
void	 proto_framer_feed(struct proto_framer *, const char *, size_t,
	    proto_line_fn, void *);
/* The input is drained (EAGAIN): drop any unterminated bytes and return
 * how many there were. */
size_t	 proto_framer_drained(struct proto_framer *);

#endif
