/* healthstate.c: the meaning of health probe results (see healthstate.h).
 *
 * As Docker's HEALTHCHECK: failures within the start period do not
 * count, and the first pass ends it early; healthcheck_retries failures
 * in a row make the process unhealthy, which is logged once per run of
 * failures and, with healthcheck_action=restart, restarts it once; a
 * pass forgets the failures. */
#include "healthstate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/* Add a line to out (at most two are ever made for one result). */
static void printflike(3, 4)
healthstate_log(struct health_out *out, int level, const char *fmt, ...)
{
	va_list	ap;

	if (out->nlog >= sizeof(out->log) / sizeof(out->log[0]))
		return;
	out->log[out->nlog].level = level;
	va_start(ap, fmt);
	(void)vsnprintf(out->log[out->nlog].text,
	    sizeof(out->log[out->nlog].text), fmt, ap);
	va_end(ap);
	out->nlog++;
}

/* See healthstate.h. */
void
healthstate_begin(struct health_state *st, const struct program *p,
    double now)
{
	bool	restart = st->restart;

	memset(st, 0, sizeof(*st));
	st->healthy = -1;
	st->restart = restart;
	st->start_end = now + (double)p->health_start_period;
	st->started = p->health_start_period == 0;
}

/* See healthstate.h. */
void
healthstate_end(struct health_state *st)
{
	st->healthy = -1;
	st->failures = 0;
	st->reported = false;
	st->why[0] = '\0';
}

/* See healthstate.h. */
void
healthstate_result(struct health_state *st, const struct program *p,
    const char *name, double now, bool ok, const char *why,
    struct health_out *out)
{
	memset(out, 0, sizeof(*out));
	st->probes++;
	if (ok) {
		if (st->healthy != 1)
			out->flags |= HEALTH_CHANGED;
		if (st->reported)
			healthstate_log(out, LOG_LVL_INFO, "healthy again: %s",
			    name);
		st->healthy = 1;
		st->failures = 0;
		st->reported = false;
		st->started = true;
		st->why[0] = '\0';
		out->flags |= HEALTH_READY;
		return;
	}
	if (!st->started && now < st->start_end) {
		healthstate_log(out, LOG_LVL_DEBUG, "health check of %s failed "
		    "in its start period (not counted): %s", name, why);
		return;
	}
	st->started = true;
	st->healthy = 0;
	st->failures++;
	(void)snprintf(st->why, sizeof(st->why), "%s", why);
	out->flags |= HEALTH_CHANGED;
	if (st->failures < p->health_retries || st->reported) {
		healthstate_log(out, st->reported ? LOG_LVL_DEBUG :
		    LOG_LVL_INFO, "health check of %s failed (%u of %u): %s",
		    name, st->failures, p->health_retries, why);
		return;
	}
	st->reported = true;
	healthstate_log(out, LOG_LVL_WARN, "unhealthy: %s (%s)", name, why);
	if (p->health_restart && !st->restart) {
		st->restart = true;
		out->flags |= HEALTH_RESTART;
		healthstate_log(out, LOG_LVL_WARN, "restarting %s: unhealthy",
		    name);
	}
}

/* See healthstate.h. */
void
healthstate_describe(const struct health_state *st, const struct program *p,
    char *out, size_t len)
{
	if (st->healthy != 0 || st->failures == 0) {
		(void)snprintf(out, len, "%s", "");
		return;
	}
	if (st->failures <= p->health_retries)
		(void)snprintf(out, len, "unhealthy (%u of %u failed: %s)",
		    st->failures, p->health_retries, st->why);
	else
		(void)snprintf(out, len, "unhealthy (%u failed in a row: %s)",
		    st->failures, st->why);
}
