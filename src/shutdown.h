/* shutdown.h: the signals tendd obeys (SIGTERM and SIGINT: stop and
 * leave; SIGHUP: reread and update; SIGUSR2: reopen the logs) and the
 * orderly shutdown they, `tendctl shutdown` or a shutdown_on= program
 * begin: priorities from the highest, dependents before what they depend
 * on, then the loop ends once the replies are written. */
#ifndef TEND_SHUTDOWN_H
#define TEND_SHUTDOWN_H

struct supervisor;
struct sv_proc;

/* Set up (tendd.c, after supervisor_new) and tear down (before
 * supervisor_free) the signal watchers and the timers. */
void		 shutdown_init(struct supervisor *);
void		 shutdown_free(struct supervisor *);
/* Begin an orderly shutdown; the loop ends once everything stopped. */
void		 supervisor_shutdown(struct supervisor *);
/* During the shutdown, after any change (tendd.c's changed hook): stop
 * what may be stopped next. */
void		 shutdown_step(struct supervisor *);
/* sp entered a state in which its shutdown_on= ends tendd (the
 * supervisor's ended hook). */
void		 shutdown_ended_by(struct sv_proc *);

#endif
