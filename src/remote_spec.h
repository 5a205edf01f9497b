/* remote_spec.h: the pure parts of tendctl -H: a host spec, the remote
 * command line quoted for a POSIX shell, output lines prefixed with their
 * host, and status --json arrays merged into one with a "host" field. */
#ifndef TEND_REMOTE_SPEC_H
#define TEND_REMOTE_SPEC_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

struct remote_host {
	char	*user;		/* NULL: ssh's default */
	char	*host;		/* a name, an IPv4 or a bare IPv6 address */
	char	*port;		/* NULL: ssh's default */
};

/* Parse [user@]host[:port], [user@][v6addr][:port] or a bare IPv6 address
 * (more than one ':', no port). 0, or -1 with a message in err. */
int	 remote_host_parse(const char *spec, struct remote_host *out,
	    char *err, size_t errlen);
void	 remote_host_free(struct remote_host *);
/* Append arg quoted for a POSIX shell (single quotes; left bare when it
 * holds only characters no shell treats specially). */
void	 remote_quote(struct buf *out, const char *arg);
/* The remote command line: prog (a shell command, verbatim) then every
 * argument quoted, separated by blanks. Malloc'd. */
char	*remote_command(const char *prog, int argc, char *const *argv);

/* Whole lines, each prefixed "HOST: ", from output that arrives in
 * pieces. */
struct remote_lines {
	struct buf	*pending;	/* a line not yet ended */
};
void	 remote_lines_init(struct remote_lines *);
/* Append to out every line data completes, prefixed. */
void	 remote_lines_feed(struct remote_lines *, const char *host,
	    const char *data, size_t len, struct buf *out);
/* At the end: a last unterminated line, prefixed and ended. */
void	 remote_lines_flush(struct remote_lines *, const char *host,
	    struct buf *out);
void	 remote_lines_free(struct remote_lines *);

/* Append the objects of the JSON array json (status --json's output) to
 * out, each with "host":HOST first, a ',' before each unless *first;
 * *first is cleared once one is added. 0, or -1 (not an array of
 * objects: out unchanged). */
int	 remote_json_add(struct buf *out, const char *json, size_t len,
	    const char *host, bool *first);

#endif
