/* commands.h: tendd's side of the verbs (their table is verbs.c) and the
 * jobs that wait on processes. Above the supervisor: it calls the
 * supervisor, which tells it of changes only through the hooks tendd.c
 * wires (commands_poke, commands_forget). */
#ifndef TEND_COMMANDS_H
#define TEND_COMMANDS_H

struct commands;
struct control_reply;
struct supervisor;
struct sv_proc;

/* The verbs of sv, no job waiting yet. */
struct commands	*commands_new(struct supervisor *);
/* Abandon the jobs still waiting (each reply ends with status 1, so call
 * it while the replies can still be written) and free. NULL is
 * accepted. */
void		 commands_free(struct commands *);
/* Finish every job still waiting with the line why on stderr and status
 * 1 (before a live re-exec). */
void		 commands_abort(struct commands *, const char *why);
/* Run one request; the reply is finished now or when the processes it
 * waits on get where it wants them. */
void		 commands_dispatch(struct commands *, struct control_reply *,
		    int argc, char **argv);
/* A process changed state: let waiting jobs move on. */
void		 commands_poke(struct commands *);
/* A process is about to be freed: jobs forget it. */
void		 commands_forget(struct commands *, struct sv_proc *);

#endif
