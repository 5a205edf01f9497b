/* config_diff.c: whether two program definitions would run the same
 * thing the same way, for reread, update and SIGHUP: a program that did not
 * change keeps running. */
#include "config_int.h"

#include <string.h>

/* Two strings that may be NULL are equal. */
static bool
config_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Two string lists hold the same strings in the same order. */
static bool
config_strlist_equal(const struct strlist *a, const struct strlist *b)
{
	size_t	i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* Whether a and b would run the same thing the same way; where they were
 * written (file, line) does not count, nor which files environment_file=
 * names: what they set does. */
bool
program_equal(const struct program *a, const struct program *b)
{
	size_t	i;

	if (!config_streq(a->name, b->name) ||
	    !config_streq(a->command, b->command) ||
	    !config_streq(a->directory, b->directory) ||
	    a->umask != b->umask ||
	    !config_streq(a->user, b->user) ||
	    a->uid != b->uid || a->gid != b->gid ||
	    !config_streq(a->group, b->group) ||
	    !envlist_equal(&a->file_env, &b->file_env) ||
	    !envlist_equal(&a->env, &b->env) ||
	    a->autostart != b->autostart ||
	    a->autorestart != b->autorestart ||
	    a->shutdown_on != b->shutdown_on ||
	    a->notification_fd != b->notification_fd ||
	    a->sd_notify != b->sd_notify ||
	    !healthspec_equal(&a->health, &b->health) ||
	    a->health_interval != b->health_interval ||
	    a->health_timeout != b->health_timeout ||
	    a->health_retries != b->health_retries ||
	    a->health_start_period != b->health_start_period ||
	    a->health_restart != b->health_restart ||
	    a->ready_on_health != b->ready_on_health ||
	    !config_strlist_equal(&a->depends_on, &b->depends_on) ||
	    a->startsecs != b->startsecs ||
	    a->startretries != b->startretries ||
	    a->restart_limit.count != b->restart_limit.count ||
	    a->restart_limit.secs != b->restart_limit.secs ||
	    memcmp(a->exitcodes, b->exitcodes, sizeof a->exitcodes) != 0 ||
	    a->stopsignal != b->stopsignal ||
	    a->stopwaitsecs != b->stopwaitsecs ||
	    a->stopasgroup != b->stopasgroup ||
	    a->killasgroup != b->killasgroup ||
	    a->priority != b->priority ||
	    !config_streq(a->stdout_logfile, b->stdout_logfile) ||
	    !config_streq(a->stderr_logfile, b->stderr_logfile) ||
	    a->redirect_stderr != b->redirect_stderr ||
	    a->stdout_logfile_maxbytes != b->stdout_logfile_maxbytes ||
	    a->stderr_logfile_maxbytes != b->stderr_logfile_maxbytes ||
	    a->stdout_logfile_backups != b->stdout_logfile_backups ||
	    a->stderr_logfile_backups != b->stderr_logfile_backups ||
	    a->stdout_syslog != b->stdout_syslog ||
	    a->stdout_events_enabled != b->stdout_events_enabled ||
	    a->stderr_events_enabled != b->stderr_events_enabled ||
	    a->stdout_capture_maxbytes != b->stdout_capture_maxbytes ||
	    a->stderr_capture_maxbytes != b->stderr_capture_maxbytes ||
	    a->listener != b->listener || a->events != b->events ||
	    a->buffer_size != b->buffer_size ||
	    a->stderr_syslog != b->stderr_syslog ||
	    a->auto_log_group != b->auto_log_group)
		return false;
	if ((a->argv == NULL) != (b->argv == NULL))
		return false;
	for (i = 0; a->argv != NULL; i++) {
		if (!config_streq(a->argv[i], b->argv[i]))
			return false;
		if (a->argv[i] == NULL)
			break;
	}
	for (i = 0; i < CONFIG_NRLIMITS; i++) {
		if (a->rlimits[i].set != b->rlimits[i].set)
			return false;
		if (a->rlimits[i].set && (a->rlimits[i].soft !=
		    b->rlimits[i].soft || a->rlimits[i].hard !=
		    b->rlimits[i].hard))
			return false;
	}
	return true;
}

