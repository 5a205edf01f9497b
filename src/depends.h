/* depends.h: depends_on=: a process is spawned only once every process of
 * the programs it names is RUNNING; until then it waits, STARTING without
 * a pid. At shutdown, dependents stop first. */
#ifndef TEND_DEPENDS_H
#define TEND_DEPENDS_H

#include <stdbool.h>

#include "process.h"
#include "util.h"

struct supervisor;
struct sv_proc;
struct depends;

/* Set up (tendd.c, after supervisor_new) and tear down (before
 * supervisor_free). depends_gate and depends_after are the supervisor's
 * may_spawn and moved hooks. */
void		 depends_init(struct supervisor *);
void		 depends_free(struct supervisor *);
/* Right before sp is spawned: may it be now? If not, it waits (and is
 * spawned from the loop once it may), or its start failed. The first
 * look starts the dependencies that are stopped. */
bool		 depends_gate(struct sv_proc *);
/* After every transition of sp (supervisor_apply): a wait that the
 * transition ended is forgotten, and a change makes the waiters look
 * again, from the loop. */
void		 depends_after(struct sv_proc *, const struct proc_actions *);
/* The [program:] names that processes not yet stopped depend on (added
 * to needed), and whether sp's program is one of them: those stop last. */
void		 depends_needed(struct supervisor *, struct strlist *needed);
bool		 depends_is_needed(const struct sv_proc *,
		    const struct strlist *needed);

#endif
