/* config_ids.c: the keys that name a user or a group (user=, group=,
 * control_group=), resolved to ids when the configuration is read, so
 * that a name the system does not know is an error at its line. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config_int.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "envlist.h"

/* Explain a failed getpwnam/getgrnam of name (errno as it left it). */
static void
config_bad_lookup(struct buf *why, const char *what, const char *name)
{
	int	e = errno;

	/* the "not found" errnos getpwnam(3) lists, besides 0 */
	if (e == 0 || e == ENOENT || e == ESRCH || e == EBADF || e == EPERM) {
		buf_printf(why, "unknown %s ", what);
		envlist_quote(why, name, '\'');
	} else {
		buf_printf(why, "cannot look up %s ", what);
		envlist_quote(why, name, '\'');
		buf_printf(why, ": %s", strerror(e));
	}
}

/* [tend] control_group: a group name, resolved now. */
int
parse_control_group(struct config_ctx *c, const struct config_key *k,
    void *base, const char *v, struct buf *why)
{
	struct config	*cfg = base;
	struct group	*gr;

	(void)c;
	(void)k;
	if (v == NULL) {
		free(cfg->control_group);
		cfg->control_group = NULL;
		cfg->control_gid = 0;
		return 0;
	}
	errno = 0;
	if ((gr = getgrnam(v)) == NULL) {
		config_bad_lookup(why, "group", v);
		return -1;
	}
	free(cfg->control_group);
	cfg->control_group = xstrdup(v);
	cfg->control_gid = gr->gr_gid;
	return 0;
}

/* [program:] user: uid and primary group, resolved now. */
int
parse_user(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct program	*p = base;
	struct passwd	*pw;

	(void)c;
	(void)k;
	if (v == NULL) {
		free(p->user);
		p->user = NULL;
		p->uid = 0;
		if (p->group == NULL)
			p->gid = 0;
		return 0;
	}
	errno = 0;
	if ((pw = getpwnam(v)) == NULL) {
		config_bad_lookup(why, "user", v);
		return -1;
	}
	free(p->user);
	p->user = xstrdup(v);
	p->uid = pw->pw_uid;
	if (p->group == NULL)	/* group= wins, whichever line came first */
		p->gid = pw->pw_gid;
	return 0;
}

/* [program:] group: replaces the user's primary group. */
int
parse_group(struct config_ctx *c, const struct config_key *k, void *base,
    const char *v, struct buf *why)
{
	struct program	*p = base;
	struct group	*gr;

	(void)c;
	(void)k;
	if (v == NULL) {
		free(p->group);
		p->group = NULL;
		return 0;
	}
	errno = 0;
	if ((gr = getgrnam(v)) == NULL) {
		config_bad_lookup(why, "group", v);
		return -1;
	}
	free(p->group);
	p->group = xstrdup(v);
	p->gid = gr->gr_gid;
	return 0;
}
