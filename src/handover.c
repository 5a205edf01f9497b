/* handover.c: the re-exec state blob (handover.h): its record tables,
 * the writer and the strict parser. Pure: no I/O, no logging.
 *
 * Numbers are decimal; doubles are C99 hex floats ("%a"), so a deadline
 * crosses the exec to the bit. */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handover.h"
#include "util.h"

enum hf_type {
	HF_INT, HF_UINT, HF_LONG, HF_ULONG, HF_LL, HF_ULL, HF_DOUBLE,
	HF_BOOL, HF_FD, HF_STR, HF_BYTES,
};

/* One key of a record: where its value lives in the record's struct. */
struct hf {
	const char	*key;
	enum hf_type	 type;
	size_t		 off;
	bool		 required;
};

#define D(k, t, m, r)	{ k, t, offsetof(struct handover, m), r }
static const struct hf handover_daemon_keys[] = {
	D("generation", HF_ULONG, generation, true),
	D("self", HF_STR, self, true),
	D("sent", HF_DOUBLE, sent_mono, false),
	D("control", HF_FD, control_fd, true),
	D("replydir", HF_FD, control_dirfd, true),
	D("pidfile", HF_FD, pidfile_fd, false),
	D("notify", HF_FD, notify_fd, false),
	D("notify_name", HF_STR, notify_name, false),
	D("reply", HF_FD, reply_fd, false),
	D("reply_uid", HF_LONG, reply_uid, false),
	D("evl_serial", HF_ULL, evl_serial, false),
	D("evl_tick5", HF_ULL, evl_tick[0], false),
	D("evl_tick60", HF_ULL, evl_tick[1], false),
	D("evl_tick3600", HF_ULL, evl_tick[2], false),
};
#undef D

#define P(k, t, m, r)	{ k, t, offsetof(struct handover_proc, m), r }
#define S(c, k, t, m)	P(#c "." k, t, c.m, false)
static const struct hf handover_proc_keys[] = {
	P("name", HF_STR, name, true),
	P("state", HF_INT, state, true),
	P("pid", HF_LONG, pid, true),
	P("backoff", HF_UINT, backoff, false),
	P("start_mono", HF_DOUBLE, start_mono, false),
	P("start_wall", HF_LL, start_wall, false),
	P("stop_wall", HF_LL, stop_wall, false),
	P("killing", HF_BOOL, killing, false),
	P("exitstatus", HF_INT, exitstatus, false),
	P("waitstatus", HF_INT, waitstatus, false),
	P("waited", HF_BOOL, waited, false),
	P("spawnerr", HF_STR, spawnerr, false),
	P("restarts", HF_ULONG, restarts, false),
	P("respawn_due", HF_DOUBLE, respawn_due, false),
	P("throttled", HF_BOOL, throttled, false),
	P("timer_due", HF_DOUBLE, timer_due, false),
	P("starttime", HF_ULL, starttime, false),
	P("dep_wait", HF_BOOL, dep_wait, false),
	P("ready", HF_FD, readyfd, false),
	P("restart_times", HF_STR, restart_times, false),
	P("health", HF_INT, health, false),
	P("health_failures", HF_UINT, health_failures, false),
	P("health_probes", HF_ULONG, health_probes, false),
	P("health_start_end", HF_DOUBLE, health_start_end, false),
	P("health_started", HF_BOOL, health_started, false),
	P("health_reported", HF_BOOL, health_reported, false),
	P("health_restart", HF_BOOL, health_restart, false),
	P("health_why", HF_STR, health_why, false),
	S(out, "pipe", HF_FD, pipefd),
	S(out, "file", HF_FD, filefd),
	S(out, "size", HF_ULL, size),
	S(out, "broken", HF_BOOL, broken),
	S(out, "pipesz", HF_INT, pipesz),
	S(out, "regular", HF_BOOL, regular),
	S(out, "rotating", HF_BOOL, rotating),
	S(out, "splice", HF_BOOL, can_splice),
	S(out, "carry", HF_BYTES, carry),
	S(out, "sysline", HF_BYTES, sysline),
	S(err, "pipe", HF_FD, pipefd),
	S(err, "file", HF_FD, filefd),
	S(err, "size", HF_ULL, size),
	S(err, "broken", HF_BOOL, broken),
	S(err, "pipesz", HF_INT, pipesz),
	S(err, "regular", HF_BOOL, regular),
	S(err, "rotating", HF_BOOL, rotating),
	S(err, "splice", HF_BOOL, can_splice),
	S(err, "carry", HF_BYTES, carry),
	S(err, "sysline", HF_BYTES, sysline),
	P("evl_pool", HF_STR, evl_pool, false),
	P("evl_in", HF_FD, evl_in, false),
	P("evl_out", HF_FD, evl_out, false),
	P("evl_state", HF_INT, evl_state, false),
	P("evl_read", HF_BYTES, evl_read, false),
	P("evl_resultlen", HF_LL, evl_resultlen, false),
	P("evl_result", HF_BYTES, evl_result, false),
	P("evl_bad", HF_STR, evl_bad, false),
	P("evl_write", HF_BYTES, evl_write, false),
	P("evl_has", HF_BOOL, evl_has, false),
	P("evl_serial", HF_ULL, evl_serial, false),
	P("evl_poolserial", HF_ULL, evl_poolserial, false),
	P("evl_type", HF_INT, evl_type, false),
	P("evl_payload", HF_BYTES, evl_payload, false),
	P("cap_out_on", HF_BOOL, cap_out_on, false),
	P("cap_out_pending", HF_BYTES, cap_out_pending, false),
	P("cap_out_data", HF_BYTES, cap_out_data, false),
	P("cap_err_on", HF_BOOL, cap_err_on, false),
	P("cap_err_pending", HF_BYTES, cap_err_pending, false),
	P("cap_err_data", HF_BYTES, cap_err_data, false),
};
#undef S
#undef P

#define L(k, t, m, r)	{ k, t, offsetof(struct handover_pool, m), r }
static const struct hf handover_pool_keys[] = {
	L("name", HF_STR, name, true),
	L("serial", HF_ULL, serial, false),
	L("drop_any", HF_BOOL, drop_any, false),
	L("drop_last", HF_DOUBLE, drop_last, false),
	L("drop_held", HF_ULL, drop_held, false),
};
#undef L

#define E(k, t, m, r)	{ k, t, offsetof(struct handover_event, m), r }
static const struct hf handover_event_keys[] = {
	E("pool", HF_STR, pool, true),
	E("serial", HF_ULL, serial, true),
	E("poolserial", HF_ULL, poolserial, true),
	E("type", HF_INT, type, true),
	E("payload", HF_BYTES, payload, false),
};
#undef E

#define NKEYS(t)	(sizeof(t) / sizeof((t)[0]))
#define HF_MAXKEYS	80	/* keys of the longest table, at most */
_Static_assert(NKEYS(handover_proc_keys) <= HF_MAXKEYS, "too many keys");
_Static_assert(NKEYS(handover_daemon_keys) <= HF_MAXKEYS, "too many keys");

/* ---- records in memory ---- */

static void
handover_stream_init(struct handover_stream *s)
{
	memset(s, 0, sizeof(*s));
	s->pipefd = s->filefd = -1;
}

/* See handover.h. */
void
handover_init(struct handover *h)
{
	memset(h, 0, sizeof(*h));
	h->control_fd = h->control_dirfd = h->pidfile_fd = -1;
	h->notify_fd = h->reply_fd = -1;
}

static void
handover_stream_free(struct handover_stream *s)
{
	free(s->carry.p);
	free(s->sysline.p);
}

/* See handover.h. */
void
handover_free(struct handover *h)
{
	size_t	i;

	for (i = 0; i < h->nprocs; i++) {
		free(h->procs[i].name);
		free(h->procs[i].spawnerr);
		free(h->procs[i].restart_times);
		free(h->procs[i].health_why);
		handover_stream_free(&h->procs[i].out);
		handover_stream_free(&h->procs[i].err);
		free(h->procs[i].evl_pool);
		free(h->procs[i].evl_read.p);
		free(h->procs[i].evl_result.p);
		free(h->procs[i].evl_bad);
		free(h->procs[i].evl_write.p);
		free(h->procs[i].evl_payload.p);
		free(h->procs[i].cap_out_pending.p);
		free(h->procs[i].cap_out_data.p);
		free(h->procs[i].cap_err_pending.p);
		free(h->procs[i].cap_err_data.p);
	}
	free(h->procs);
	for (i = 0; i < h->npools; i++)
		free(h->pools[i].name);
	free(h->pools);
	for (i = 0; i < h->nevents; i++) {
		free(h->events[i].pool);
		free(h->events[i].payload.p);
	}
	free(h->events);
	free(h->self);
	free(h->notify_name);
	handover_init(h);
}

/* See handover.h. */
struct handover_proc *
handover_add_proc(struct handover *h, const char *name)
{
	struct handover_proc	*p;

	h->procs = xreallocarray(h->procs, h->nprocs + 1, sizeof(*h->procs));
	p = &h->procs[h->nprocs++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	p->readyfd = p->evl_in = p->evl_out = -1;
	handover_stream_init(&p->out);
	handover_stream_init(&p->err);
	return p;
}

/* See handover.h. */
struct handover_pool *
handover_add_pool(struct handover *h, const char *name)
{
	struct handover_pool	*p;

	h->pools = xreallocarray(h->pools, h->npools + 1, sizeof(*h->pools));
	p = &h->pools[h->npools++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	return p;
}

/* See handover.h. */
struct handover_event *
handover_add_event(struct handover *h, const char *pool)
{
	struct handover_event	*e;

	h->events = xreallocarray(h->events, h->nevents + 1,
	    sizeof(*h->events));
	e = &h->events[h->nevents++];
	memset(e, 0, sizeof(*e));
	e->pool = xstrdup(pool);
	return e;
}

/* See handover.h. */
void
handover_set_bytes(struct handover_bytes *b, const void *p, size_t n)
{
	free(b->p);
	b->p = NULL;
	b->len = n;
	if (n > 0) {
		b->p = xmalloc(n);
		memcpy(b->p, p, n);
	}
}

/* See handover.h. */
bool
handover_accepts(unsigned long v)
{
	return v >= HANDOVER_MIN_VERSION && v <= HANDOVER_VERSION;
}

/* ---- writing ---- */

/* Bytes as a value: '!'..'~' but '%' as they are, the rest %XX. */
static void
handover_put_bytes(struct buf *b, const char *p, size_t n)
{
	static const char	hex[] = "0123456789ABCDEF";
	size_t			i;

	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)p[i];

		if (c > ' ' && c < 0x7f && c != '%')
			buf_addc(b, (char)c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

/* Is the value v of k its default, which the reader sets anyway (0, false,
 * -1 for a descriptor, NULL or nothing)? */
static bool
handover_is_default(const struct hf *k, const void *v)
{
	switch (k->type) {
	case HF_INT:	return *(const int *)v == 0;
	case HF_FD:	return *(const int *)v == -1;
	case HF_UINT:	return *(const unsigned *)v == 0;
	case HF_LONG:	return *(const long *)v == 0;
	case HF_ULONG:	return *(const unsigned long *)v == 0;
	case HF_LL:	return *(const long long *)v == 0;
	case HF_ULL:	return *(const unsigned long long *)v == 0;
	case HF_DOUBLE:	return *(const double *)v == 0;
	case HF_BOOL:	return !*(const bool *)v;
	case HF_STR:	return *(char *const *)v == NULL;
	case HF_BYTES:	return ((const struct handover_bytes *)v)->len == 0;
	}
	return false;
}

/* One record: its name, then every key that is required or whose value
 * is not the default (thousands of records: half their keys are). */
static void
handover_put(struct buf *b, const char *rec, const struct hf *keys,
    size_t nkeys, const void *base)
{
	const char	*at = base;
	size_t		 i;

	buf_addstr(b, rec);
	for (i = 0; i < nkeys; i++) {
		const struct hf	*k = &keys[i];
		const void	*v = at + k->off;
		const char	*s;
		const struct handover_bytes *by;

		if (!k->required && handover_is_default(k, v))
			continue;
		switch (k->type) {
		case HF_INT:
			buf_printf(b, " %s=%d", k->key, *(const int *)v);
			break;
		case HF_FD:
			if (*(const int *)v == -1 && !k->required)
				continue;
			buf_printf(b, " %s=%d", k->key, *(const int *)v);
			break;
		case HF_UINT:
			buf_printf(b, " %s=%u", k->key, *(const unsigned *)v);
			break;
		case HF_LONG:
			buf_printf(b, " %s=%ld", k->key, *(const long *)v);
			break;
		case HF_ULONG:
			buf_printf(b, " %s=%lu", k->key,
			    *(const unsigned long *)v);
			break;
		case HF_LL:
			buf_printf(b, " %s=%lld", k->key,
			    *(const long long *)v);
			break;
		case HF_ULL:
			buf_printf(b, " %s=%llu", k->key,
			    *(const unsigned long long *)v);
			break;
		case HF_DOUBLE:
			buf_printf(b, " %s=%a", k->key, *(const double *)v);
			break;
		case HF_BOOL:
			buf_printf(b, " %s=%d", k->key,
			    *(const bool *)v ? 1 : 0);
			break;
		case HF_STR:
			s = *(char *const *)v;
			if (s == NULL)
				continue;
			buf_printf(b, " %s=", k->key);
			handover_put_bytes(b, s, strlen(s));
			break;
		case HF_BYTES:
			by = v;
			if (by->len == 0)
				continue;
			buf_printf(b, " %s=", k->key);
			handover_put_bytes(b, by->p, by->len);
			break;
		}
	}
	buf_addc(b, '\n');
}

/* See handover.h. */
void
handover_format(const struct handover *h, struct buf *b)
{
	size_t	i;

	buf_printf(b, "%s %d\n", HANDOVER_MAGIC, HANDOVER_VERSION);
	handover_put(b, "daemon", handover_daemon_keys,
	    NKEYS(handover_daemon_keys), h);
	for (i = 0; i < h->nprocs; i++)
		handover_put(b, "proc", handover_proc_keys,
		    NKEYS(handover_proc_keys), &h->procs[i]);
	for (i = 0; i < h->npools; i++)
		handover_put(b, "pool", handover_pool_keys,
		    NKEYS(handover_pool_keys), &h->pools[i]);
	for (i = 0; i < h->nevents; i++)
		handover_put(b, "event", handover_event_keys,
		    NKEYS(handover_event_keys), &h->events[i]);
	buf_printf(b, "end %zu\n", h->nprocs + h->npools + h->nevents);
}

/* ---- reading ---- */

static int
handover_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode a value into out (at least n + 1 bytes); -1 on a bad escape. */
static int
handover_get_bytes(const char *p, size_t n, char *out, size_t *outlen)
{
	size_t	 i, o = 0;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (p[i] != '%') {
			out[o++] = p[i];
			continue;
		}
		if (i + 2 >= n || (hi = handover_hexval(p[i + 1])) < 0 ||
		    (lo = handover_hexval(p[i + 2])) < 0)
			return -1;
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
}

/* A signed decimal in [min, max]; -1 if it is not one. */
static int
handover_get_ll(const char *s, long long min, long long max, long long *v)
{
	char	*end;

	if (*s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v < min || *v > max)
		return -1;
	return 0;
}

/* An unsigned decimal up to max; -1 if it is not one. */
static int
handover_get_ull(const char *s, unsigned long long max,
    unsigned long long *v)
{
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return -1;
	return 0;
}

/* Store the value s (decoded, NUL-terminated, n bytes) of key k in base.
 * NULL, or the reason. */
static const char *
handover_set(const struct hf *k, void *base, const char *s, size_t n)
{
	char			*at = (char *)base + k->off;
	long long		 ll;
	unsigned long long	 ull;
	double			 d;
	char			*end;

	switch (k->type) {
	case HF_INT:
		if (handover_get_ll(s, INT_MIN, INT_MAX, &ll) == -1)
			return "not a number";
		*(int *)(void *)at = (int)ll;
		return NULL;
	case HF_FD:
		if (handover_get_ll(s, -1, INT_MAX, &ll) == -1)
			return "not a descriptor";
		*(int *)(void *)at = (int)ll;
		return NULL;
	case HF_UINT:
		if (handover_get_ull(s, UINT_MAX, &ull) == -1)
			return "not a number";
		*(unsigned *)(void *)at = (unsigned)ull;
		return NULL;
	case HF_LONG:
		if (handover_get_ll(s, LONG_MIN, LONG_MAX, &ll) == -1)
			return "not a number";
		*(long *)(void *)at = (long)ll;
		return NULL;
	case HF_ULONG:
		if (handover_get_ull(s, ULONG_MAX, &ull) == -1)
			return "not a number";
		*(unsigned long *)(void *)at = (unsigned long)ull;
		return NULL;
	case HF_LL:
		if (handover_get_ll(s, LLONG_MIN, LLONG_MAX, &ll) == -1)
			return "not a number";
		*(long long *)(void *)at = ll;
		return NULL;
	case HF_ULL:
		if (handover_get_ull(s, ULLONG_MAX, &ull) == -1)
			return "not a number";
		*(unsigned long long *)(void *)at = ull;
		return NULL;
	case HF_DOUBLE:
		if (*s == '\0')
			return "not a number";
		errno = 0;
		d = strtod(s, &end);
		if (errno != 0 || *end != '\0' || !isfinite(d))
			return "not a number";
		*(double *)(void *)at = d;
		return NULL;
	case HF_BOOL:
		if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
			return "not 0 or 1";
		*(bool *)(void *)at = s[0] == '1';
		return NULL;
	case HF_STR:
		if (strlen(s) != n)
			return "holds a NUL byte";
		free(*(char **)(void *)at);
		*(char **)(void *)at = xstrdup(s);
		return NULL;
	case HF_BYTES:
		handover_set_bytes((struct handover_bytes *)(void *)at, s, n);
		return NULL;
	}
	return "bad type";
}

/* Is k's name the klen bytes at tok? */
static bool
handover_key_is(const struct hf *k, const char *tok, size_t klen)
{
	return strncmp(k->key, tok, klen) == 0 && k->key[klen] == '\0';
}

/* Parse the keys of one record (line, len bytes, after its name) into
 * base. 0, or -1 with why. */
static int
handover_record(const char *rec, const struct hf *keys, size_t nkeys,
    void *base, const char *line, size_t len, char *why, size_t whylen)
{
	bool		 seen[HF_MAXKEYS] = { false };
	const char	*p = line, *end = line + len, *tok, *eq, *reason;
	size_t		 i, k, klen, n, vlen, hint = 0;
	char		 small[256], *val;
	int		 rc;

	while (p < end) {
		if (*p != ' ') {
			(void)snprintf(why, whylen, "%s: expected a space", rec);
			return -1;
		}
		tok = ++p;
		while (p < end && *p != ' ')
			p++;
		eq = memchr(tok, '=', (size_t)(p - tok));
		if (eq == NULL || eq == tok) {
			(void)snprintf(why, whylen, "%s: \"%.*s\" is not "
			    "key=value", rec, (int)(p - tok > 40 ? 40 :
			    p - tok), tok);
			return -1;
		}
		klen = (size_t)(eq - tok);
		/* the writer follows the table: the key after the last one
		 * found is tried first (thousands of records) */
		i = hint < nkeys && handover_key_is(&keys[hint], tok, klen) ?
		    hint : nkeys;
		for (k = 0; i == nkeys && k < nkeys; k++)
			if (handover_key_is(&keys[k], tok, klen))
				i = k;
		hint = i + 1;
		if (i == nkeys) {
			(void)snprintf(why, whylen, "%s: unknown key \"%.*s\"",
			    rec, (int)(klen > 40 ? 40 : klen), tok);
			return -1;
		}
		if (seen[i]) {
			(void)snprintf(why, whylen, "%s: %s given twice", rec,
			    keys[i].key);
			return -1;
		}
		seen[i] = true;
		/* most values are short: no allocation for them */
		vlen = (size_t)(p - eq - 1);
		val = vlen < sizeof(small) ? small : xmalloc(vlen + 1);
		rc = handover_get_bytes(eq + 1, vlen, val, &n);
		if (rc == -1) {
			if (val != small)
				free(val);
			(void)snprintf(why, whylen, "%s: %s: bad %%-escape",
			    rec, keys[i].key);
			return -1;
		}
		reason = handover_set(&keys[i], base, val, n);
		if (val != small)
			free(val);
		if (reason != NULL) {
			(void)snprintf(why, whylen, "%s: %s: %s", rec,
			    keys[i].key, reason);
			return -1;
		}
	}
	for (i = 0; i < nkeys; i++) {
		if (keys[i].required && !seen[i]) {
			(void)snprintf(why, whylen, "%s: %s is missing", rec,
			    keys[i].key);
			return -1;
		}
	}
	return 0;
}

/* The record name at the start of line (up to a space or its end). */
static bool
handover_is(const char *line, size_t len, const char *rec)
{
	size_t	n = strlen(rec);

	return len >= n && memcmp(line, rec, n) == 0 &&
	    (len == n || line[n] == ' ');
}

/* Does a pool record of that name come before? */
static bool
handover_has_pool(const struct handover *h, const char *name)
{
	size_t	i;

	for (i = 0; i < h->npools; i++)
		if (strcmp(h->pools[i].name, name) == 0)
			return true;
	return false;
}

/* See handover.h. */
int
handover_parse(const char *text, size_t len, struct handover *h, char *why,
    size_t whylen)
{
	const char		*p = text, *nl, *line;
	char			 reason[256], head[64];
	size_t			 n, lineno = 0;
	unsigned long long	 v;
	bool			 daemon = false, ended = false;
	struct handover_proc	*hp;
	struct handover_pool	*pp;
	struct handover_event	*ep;

	handover_init(h);
	reason[0] = '\0';
	if (len == 0) {
		(void)snprintf(why, whylen, "empty handover");
		return -1;
	}
	if (len > HANDOVER_MAX_BYTES) {
		(void)snprintf(why, whylen, "handover larger than %u bytes",
		    HANDOVER_MAX_BYTES);
		return -1;
	}
	while (p < text + len) {
		lineno++;
		line = p;
		nl = memchr(p, '\n', (size_t)(text + len - p));
		if (nl == NULL) {
			(void)snprintf(reason, sizeof(reason),
			    "truncated (last line not terminated)");
			goto bad;
		}
		n = (size_t)(nl - line);
		p = nl + 1;
		if (n > HANDOVER_MAX_LINE) {
			(void)snprintf(reason, sizeof(reason), "line too long");
			goto bad;
		}
		if (memchr(line, '\0', n) != NULL) {
			(void)snprintf(reason, sizeof(reason), "NUL byte");
			goto bad;
		}
		if (ended) {
			(void)snprintf(reason, sizeof(reason),
			    "text after the end");
			goto bad;
		}
		if (lineno == 1) {
			size_t	ml = strlen(HANDOVER_MAGIC);

			if (n <= ml + 1 || memcmp(line, HANDOVER_MAGIC, ml) != 0
			    || line[ml] != ' ' || n - ml - 1 >= sizeof(head)) {
				(void)snprintf(reason, sizeof(reason),
				    "not a tend handover");
				goto bad;
			}
			memcpy(head, line + ml + 1, n - ml - 1);
			head[n - ml - 1] = '\0';
			if (handover_get_ull(head, ULONG_MAX, &v) == -1) {
				(void)snprintf(reason, sizeof(reason),
				    "bad version \"%s\"", head);
				goto bad;
			}
			if (!handover_accepts((unsigned long)v)) {
				(void)snprintf(reason, sizeof(reason),
				    "handover version %llu is not known to "
				    "this tendd (it reads %d to %d)", v,
				    HANDOVER_MIN_VERSION, HANDOVER_VERSION);
				goto bad;
			}
			h->version = (unsigned)v;
			continue;
		}
		if (handover_is(line, n, "daemon")) {
			if (daemon) {
				(void)snprintf(reason, sizeof(reason),
				    "daemon given twice");
				goto bad;
			}
			daemon = true;
			if (handover_record("daemon", handover_daemon_keys,
			    NKEYS(handover_daemon_keys), h, line + 6, n - 6,
			    reason, sizeof(reason)) == -1)
				goto bad;
		} else if (handover_is(line, n, "proc")) {
			hp = handover_add_proc(h, "");
			free(hp->name);
			hp->name = NULL;
			if (handover_record("proc", handover_proc_keys,
			    NKEYS(handover_proc_keys), hp, line + 4, n - 4,
			    reason, sizeof(reason)) == -1)
				goto bad;
		} else if (h->version >= 3 && handover_is(line, n, "pool")) {
			pp = handover_add_pool(h, "");
			free(pp->name);
			pp->name = NULL;
			if (handover_record("pool", handover_pool_keys,
			    NKEYS(handover_pool_keys), pp, line + 4, n - 4,
			    reason, sizeof(reason)) == -1)
				goto bad;
		} else if (h->version >= 3 && handover_is(line, n, "event")) {
			ep = handover_add_event(h, "");
			free(ep->pool);
			ep->pool = NULL;
			if (handover_record("event", handover_event_keys,
			    NKEYS(handover_event_keys), ep, line + 5, n - 5,
			    reason, sizeof(reason)) == -1)
				goto bad;
			if (!handover_has_pool(h, ep->pool)) {
				(void)snprintf(reason, sizeof(reason),
				    "event: no pool record \"%.40s\" before "
				    "it", ep->pool);
				goto bad;
			}
		} else if (handover_is(line, n, "end")) {
			if (n < 5 || n - 4 >= sizeof(head)) {
				(void)snprintf(reason, sizeof(reason),
				    "bad end");
				goto bad;
			}
			memcpy(head, line + 4, n - 4);
			head[n - 4] = '\0';
			if (handover_get_ull(head, SIZE_MAX, &v) == -1 ||
			    v != h->nprocs + h->npools + h->nevents) {
				(void)snprintf(reason, sizeof(reason),
				    "end says %s records, %zu were given",
				    head, h->nprocs + h->npools + h->nevents);
				goto bad;
			}
			ended = true;
		} else {
			(void)snprintf(reason, sizeof(reason),
			    "unknown record \"%.*s\"", (int)(n > 40 ? 40 : n),
			    line);
			goto bad;
		}
	}
	if (!ended) {
		(void)snprintf(why, whylen, "truncated (no end record)");
		handover_free(h);
		return -1;
	}
	if (!daemon) {
		(void)snprintf(why, whylen, "no daemon record");
		handover_free(h);
		return -1;
	}
	return 0;
bad:
	(void)snprintf(why, whylen, "line %zu: %s", lineno, reason);
	handover_free(h);
	return -1;
}

/* The descriptors of one record. */
static size_t
handover_record_fds(const struct hf *keys, size_t nkeys, const void *base,
    int *out, size_t max, size_t n)
{
	size_t	i;
	int	fd;

	for (i = 0; i < nkeys; i++) {
		if (keys[i].type != HF_FD)
			continue;
		fd = *(const int *)(const void *)((const char *)base +
		    keys[i].off);
		if (fd == -1)
			continue;
		if (n < max)
			out[n] = fd;
		n++;
	}
	return n;
}

/* See handover.h. */
size_t
handover_fds(const struct handover *h, int *out, size_t max)
{
	size_t	i, n;

	n = handover_record_fds(handover_daemon_keys,
	    NKEYS(handover_daemon_keys), h, out, max, 0);
	for (i = 0; i < h->nprocs; i++)
		n = handover_record_fds(handover_proc_keys,
		    NKEYS(handover_proc_keys), &h->procs[i], out, max, n);
	return n;
}
