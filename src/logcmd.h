/* logcmd.h: the log verbs of tendctl (tail, maintail, clear, reopen) and
 * the followers of tail -f / maintail -f. Their rows are in verbs.c; the
 * dispatcher (commands.c) has checked the number of arguments. */
#ifndef TEND_LOGCMD_H
#define TEND_LOGCMD_H

struct supervisor;
struct control_reply;
struct sv_proc;

/* tail [-f] [-BYTES] NAME [stdout|stderr] */
void	logcmd_tail(struct supervisor *, struct control_reply *, int, char **);
/* maintail [-f|-BYTES] */
void	logcmd_maintail(struct supervisor *, struct control_reply *, int,
	    char **);
/* clear: the log files of one process, with the line that says so (name
 * is the process as it was named); returns the exit status. */
int	logcmd_clear(struct control_reply *, struct sv_proc *,
	    const char *name);
/* reopen */
void	logcmd_reopen(struct supervisor *, struct control_reply *);
/* End every tail -f (shutdown): their replies finish with status 0. */
void	logcmd_shutdown(void);
/* End every tail -f with the line why on its stderr (a live re-exec). */
void	logcmd_abort(const char *why);

#endif
