/* logcmd.h: the log verbs of tendctl (tail, maintail, clear, reopen) and
 * the followers of tail -f / maintail -f. Their rows are in commands.c's
 * cmd_table, with the help texts below. */
#ifndef TEND_LOGCMD_H
#define TEND_LOGCMD_H

struct supervisor;
struct client;

/* supervisorctl's help texts (tendd for supervisord). */
#define LOGCMD_HELP_TAIL						\
	"tail [-f] <name> [stdout|stderr] (default stdout)\n"		\
	"Ex:\n"								\
	"tail -f <name>\t\tContinuous tail of named process stdout\n"	\
	"\t\t\tCtrl-C to exit.\n"					\
	"tail -100 <name>\tlast 100 *bytes* of process stdout\n"	\
	"tail <name> stderr\tlast 1600 *bytes* of process stderr"
#define LOGCMD_HELP_MAINTAIL						\
	"maintail -f \tContinuous tail of tendd main log file "		\
	"(Ctrl-C to exit)\n"						\
	"maintail -100\tlast 100 *bytes* of tendd main log file\n"	\
	"maintail\tlast 1600 *bytes* of tendd main log file\n"
#define LOGCMD_HELP_CLEAR						\
	"clear <name>\t\tClear a process' log files.\n"			\
	"clear <name> <name>\tClear multiple process' log files\n"	\
	"clear all\t\tClear all process' log files"
#define LOGCMD_HELP_REOPEN						\
	"reopen\t\t\tReopen tendd's log and every process log file "	\
	"(after an external rotation; also SIGUSR2)"

/* tail [-f] [-BYTES] NAME [stdout|stderr] */
void	logcmd_tail(struct supervisor *, struct client *, int, char **);
/* maintail [-f|-BYTES] */
void	logcmd_maintail(struct supervisor *, struct client *, int, char **);
/* clear NAME...|all */
void	logcmd_clear(struct supervisor *, struct client *, int, char **);
/* reopen */
void	logcmd_reopen(struct supervisor *, struct client *, int, char **);
/* End every tail -f (shutdown): their replies finish with status 0. */
void	logcmd_shutdown(void);

#endif
