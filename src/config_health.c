/* config_health.c: the keys of health checks (healthcheck=,
 * healthcheck_action=, ready_on=) and the checks of a section that has
 * them. The value of healthcheck= is parsed by healthspec.c. Pure, like
 * the rest of the loader. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <string.h>
#include <strings.h>

/* See config_int.h. */
int
config_parse_healthcheck(struct config_ctx *c, const struct config_key *k,
    void *base, const char *value, struct buf *why)
{
	struct program	*p = base;

	(void)c;
	(void)k;
	return healthspec_parse(value, &p->health, why);
}

/* See config_int.h: restart (the default) or none. */
int
config_parse_health_action(struct config_ctx *c, const struct config_key *k,
    void *base, const char *value, struct buf *why)
{
	struct program	*p = base;

	(void)c;
	(void)k;
	if (value == NULL || strcasecmp(value, "restart") == 0)
		p->health_restart = true;
	else if (strcasecmp(value, "none") == 0)
		p->health_restart = false;
	else {
		envlist_quote(why, value, '"');
		buf_addstr(why, " is not one of restart, none");
		return -1;
	}
	return 0;
}

/* See config_int.h: start (after startsecs, or when notification_fd= or
 * sd_notify= says so: the default) or healthcheck. */
int
config_parse_ready_on(struct config_ctx *c, const struct config_key *k,
    void *base, const char *value, struct buf *why)
{
	struct program	*p = base;

	(void)c;
	(void)k;
	if (value == NULL || strcasecmp(value, "start") == 0)
		p->ready_on_health = false;
	else if (strcasecmp(value, "healthcheck") == 0)
		p->ready_on_health = true;
	else {
		envlist_quote(why, value, '"');
		buf_addstr(why, " is not one of start, healthcheck");
		return -1;
	}
	return 0;
}

/* See config_int.h. */
void
config_health_check(struct config_ctx *c, const struct program *p)
{
	static const char *const needs[] = {
		"healthcheck_interval", "healthcheck_timeout",
		"healthcheck_retries", "healthcheck_start_period",
		"healthcheck_action",
	};
	unsigned	line;
	size_t		i, file;

	line = config_seen_at(c, SECT_PROGRAM, "ready_on", &file);
	if (p->ready_on_health && p->health.kind == HEALTH_NONE)
		config_error_at(c, file, line, "ready_on", "healthcheck needs "
		    "healthcheck= (the probe that says it is ready)");
	else if (p->ready_on_health && (p->sd_notify ||
	    p->notification_fd != 0))
		config_error_at(c, file, line, "ready_on", "healthcheck, but %s "
		    "is set too: a program says it is ready one way",
		    p->sd_notify ? "sd_notify" : "notification_fd");
	if (p->health.kind != HEALTH_NONE && p->listener) {
		line = config_seen_at(c, SECT_PROGRAM, "healthcheck", &file);
		config_error_at(c, file, line, "healthcheck", "an "
		    "[eventlistener:] has no health check: tend talks to it "
		    "already");
	}
	if (p->health.kind != HEALTH_NONE || c->warns == NULL || c->again)
		return;
	for (i = 0; i < nitems(needs); i++) {
		line = config_seen_at(c, SECT_PROGRAM, needs[i], &file);
		if (line != 0)
			strlist_addf(c->warns, "%s:%u: [%s] %s: ignored "
			    "(there is no healthcheck=)", c->files[file].path,
			    line, c->sect, needs[i]);
	}
}
