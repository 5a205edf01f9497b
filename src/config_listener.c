/* config_listener.c: what is particular to an [eventlistener:NAME]
 * section. config_load.c reads it as a [program:NAME] marked a listener
 * (same keys, numprocs included: a pool of listeners in a group of its
 * own); this file has the keys only listeners use (events=, buffer_size=,
 * result_handler=) and the checks supervisord's options.py makes of the
 * section. Pure, like the rest of the loader. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <string.h>

#include "event.h"

/* supervisord's default result_handler, the one tend implements. */
#define CONFIG_DEFAULT_HANDLER	"supervisor.dispatchers:default_handler"

/* See config_int.h: events= is a list of event type names; each
 * subscribes to that type and every type under it. */
int
config_parse_events(struct config_ctx *c, const struct config_key *k,
    void *base, const char *value, struct buf *why)
{
	struct program	*p = base;
	event_mask	 m;

	(void)c;
	(void)k;
	if (value == NULL) {
		p->events = 0;
		return 0;
	}
	if (event_parse_list(value, &m, why) == -1)
		return -1;
	p->events = m;
	return 0;
}

/* See config_int.h: a Python callable cannot be called here; the
 * default handler's rule is what tend applies, and a warning says so. */
int
config_parse_result_handler(struct config_ctx *c, const struct config_key *k,
    void *base, const char *value, struct buf *why)
{
	(void)k;
	(void)base;
	(void)why;
	if (value == NULL || strcmp(value, CONFIG_DEFAULT_HANDLER) == 0)
		return 0;
	if (c->warns != NULL)
		strlist_addf(c->warns, "%s:%u: [%s] result_handler: %s is a "
		    "Python callable: ignored, tend uses supervisord's default "
		    "handler (RESULT OK accepts an event, anything else sends "
		    "it again)", c->files[c->curfile].path, c->key_line,
		    c->sect, value);
	return 0;
}

/* See config_int.h: listeners start first and stop last (supervisord
 * gives them priority -1). */
void
config_listener_defaults(struct program *p)
{
	p->listener = true;
	p->priority = -1;
}

/* See config_int.h. */
void
config_listener_check(struct config_ctx *c, const struct program *p)
{
	static const char *const only[] = {
		"events", "buffer_size", "result_handler",
	};
	unsigned	line;
	size_t		i, file;

	if (!p->listener) {
		/* supervisord reads them in [eventlistener:] only and
		 * ignores them elsewhere */
		for (i = 0; i < nitems(only); i++) {
			line = config_seen_at(c, SECT_PROGRAM, only[i], &file);
			if (line != 0 && c->warns != NULL)
				strlist_addf(c->warns, "%s:%u: [%s] %s: ignored "
				    "(only an [eventlistener:] section has it)",
				    c->files[file].path, line, c->sect,
				    only[i]);
		}
		return;
	}
	if (config_seen(c, SECT_PROGRAM, "events") == 0)
		config_error(c, c->sect_line, NULL, "missing required key "
		    "'events' (the event types its listeners get)");
	line = config_seen_at(c, SECT_PROGRAM, "redirect_stderr", &file);
	if (p->redirect_stderr)
		config_error_at(c, file, line, "redirect_stderr", "cannot be "
		    "true in an [eventlistener:] section: stdout is the event "
		    "listener protocol");
}
