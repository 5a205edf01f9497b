/* pidmap.c: see pidmap.h. */
#include "autoconfig.h"

#include "pidmap.h"

#include <stdint.h>
#include <stdlib.h>

#include "util.h"

#define PIDMAP_MIN_CAP	16

/* Fibonacci hashing: pids come in runs, this spreads them. */
static size_t
pidmap_home(const struct pidmap *m, pid_t pid)
{
	return (size_t)((uint32_t)pid * 2654435769u) & (m->cap - 1);
}

/* The slot holding pid, or the empty slot where it would go. */
static size_t
pidmap_find(const struct pidmap *m, pid_t pid)
{
	size_t	i = pidmap_home(m, pid);

	while (m->v[i].pid != 0 && m->v[i].pid != pid)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
pidmap_grow(struct pidmap *m)
{
	struct pidmap_slot	*old = m->v;
	size_t			 oldcap = m->cap, i, j;

	m->cap = oldcap == 0 ? PIDMAP_MIN_CAP : oldcap * 2;
	m->v = xcalloc(m->cap, sizeof(*m->v));
	for (i = 0; i < oldcap; i++) {
		if (old[i].pid == 0)
			continue;
		j = pidmap_find(m, old[i].pid);
		m->v[j] = old[i];
	}
	free(old);
}

/* See pidmap.h. */
void
pidmap_free(struct pidmap *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}

/* See pidmap.h. */
void
pidmap_put(struct pidmap *m, pid_t pid, void *val)
{
	size_t	i;

	if (pid <= 0 || val == NULL)
		return;
	if ((m->n + 1) * 2 > m->cap)
		pidmap_grow(m);
	i = pidmap_find(m, pid);
	if (m->v[i].pid == 0) {
		m->v[i].pid = pid;
		m->n++;
	}
	m->v[i].val = val;
}

/* See pidmap.h. */
void *
pidmap_get(const struct pidmap *m, pid_t pid)
{
	size_t	i;

	if (m->cap == 0 || pid <= 0)
		return NULL;
	i = pidmap_find(m, pid);
	return m->v[i].pid == pid ? m->v[i].val : NULL;
}

/* See pidmap.h. Backward shift: every entry after the hole that could
 * live in it moves up, so a probe never stops early at a false gap. */
void *
pidmap_del(struct pidmap *m, pid_t pid)
{
	size_t	 i, j, home, mask;
	void	*val;

	if (m->cap == 0 || pid <= 0)
		return NULL;
	mask = m->cap - 1;
	i = pidmap_find(m, pid);
	if (m->v[i].pid != pid)
		return NULL;
	val = m->v[i].val;
	j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (m->v[j].pid == 0)
			break;
		home = pidmap_home(m, m->v[j].pid);
		/* j's entry may fill the hole at i unless its home lies in
		 * (i, j], cyclically */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->v[i] = m->v[j];
			i = j;
		}
	}
	m->v[i].pid = 0;
	m->v[i].val = NULL;
	m->n--;
	return val;
}
