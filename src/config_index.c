/* config_index.c: the name -> position index of one load (open
 * addressing, FNV-1a, linear probing), so that each lookup (a section by
 * name, an environment file or an included file by path, a program listed
 * in a [group:], a key of the table) costs the same with 100 000 sections
 * as with 10. The keys are not copied: they belong to the arrays whose
 * positions are stored. */
#include "config_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a of s. */
static size_t
config_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ull;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)(h ^ (h >> 32));
}

/* The slot of key, or the free slot where it would go (cap > 0). */
static struct config_slot *
config_index_slot(const struct config_index *x, const char *key)
{
	size_t	i = config_hash(key) & (x->cap - 1);

	while (x->slot[i].key != NULL && strcmp(x->slot[i].key, key) != 0)
		i = (i + 1) & (x->cap - 1);
	return &x->slot[i];
}

/* The position stored for key, or CONFIG_NOPOS. */
size_t
config_index_get(const struct config_index *x, const char *key)
{
	const struct config_slot	*s;

	if (x->n == 0)
		return CONFIG_NOPOS;
	s = config_index_slot(x, key);
	return s->key != NULL ? s->pos : CONFIG_NOPOS;
}

/* Store key -> pos unless key is there already (the first one stays):
 * returns the position stored for key before, or CONFIG_NOPOS. */
size_t
config_index_put(struct config_index *x, const char *key, size_t pos)
{
	struct config_slot	*old = x->slot, *s;
	size_t			 i, oldcap = x->cap;

	if ((x->n + 1) * 2 > x->cap) {	/* at most half full */
		x->cap = oldcap == 0 ? 16 : oldcap * 2;
		x->slot = xcalloc(x->cap, sizeof *x->slot);
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				*config_index_slot(x, old[i].key) = old[i];
		free(old);
	}
	s = config_index_slot(x, key);
	if (s->key != NULL)
		return s->pos;
	s->key = key;
	s->pos = pos;
	x->n++;
	return CONFIG_NOPOS;
}

/* Free the slots; the index is left empty. */
void
config_index_free(struct config_index *x)
{
	free(x->slot);
	memset(x, 0, sizeof *x);
}
