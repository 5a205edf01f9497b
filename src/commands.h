/* commands.h: tendd's side of the verbs (their table is verbs.c) and the
 * jobs that wait on processes. */
#ifndef TEND_COMMANDS_H
#define TEND_COMMANDS_H

struct supervisor;
struct control_reply;

/* Run one request; the reply is finished now or when the processes it
 * waits on get where it wants them. */
void	 commands_dispatch(struct supervisor *, struct control_reply *,
	    int argc, char **argv);
/* A process changed state: let waiting jobs move on. */
void	 commands_poke(struct supervisor *);
/* A process is about to be freed: jobs forget it. */
struct sv_proc;
void	 commands_forget(struct supervisor *, struct sv_proc *);
/* Abandon every job (at exit). */
void	 commands_free_all(struct supervisor *);
/* Number of verbs, and each verb's name (the fuzzer picks verbs so; the
 * table is verbs.h's). */
unsigned	 commands_count(void);
const char	*commands_name(unsigned);

#endif
