/* config_int.h: what the parts of the configuration loader share; callers
 * include config.h. The parts, each calling only those below it:
 *
 *	config_load.c	config_load(): the files in order, [include], the
 *			section state machine the line reader drives
 *	config_build.c	sections -> processes and groups; the checks that
 *			need a whole section or everything (depends_on=)
 *	config_keys.c	the key table, the value parsers it names, and
 *			setting a key of the open section
 *	config_expand.c	%(name)s expansions of a value, %(ENV_X)s with
 *			supervisord's precedence
 *	config_lint.c	what supervisord lets pass and tend warns of
 *			(unknown keys, did you mean, twice): strict mode
 *	config_name.c	what a program, group or process name may be
 *	config_file.c	reading one file (or tendctl edit's text), the
 *			environment files, where errors are reported
 *	config_index.c	the name -> position index of one load
 *	config.c	the loaded struct config: lookups, log paths, freeing
 *
 * and beside them config_diff.c (program_equal(), for reread and update)
 * and envlist.c (environment lists: spawn.c uses them too).
 *
 * Pure: besides reading files (the configuration, the files it includes,
 * the environment_file= files) they only ask NSS (getpwnam, getgrnam),
 * uname and realpath; they never fork, signal, log or touch libev. */
#ifndef TEND_CONFIG_INT_H
#define TEND_CONFIG_INT_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>

#include "cmdline.h"
#include "ini_reader.h"

enum config_sect {
	SECT_TEND,
	SECT_PROGRAM,
	SECT_GROUP,
	SECT_INCLUDE,
};

#define CONFIG_GROUP_PREFIX	"group:"
#define CONFIG_PROGRAM_PREFIX	"program:"
#define CONFIG_LISTENER_PREFIX	"eventlistener:"

/* A name -> position index (open addressing, FNV-1a, linear probing), so
 * that each lookup of a load (a section by name, an environment file or
 * an included file by path, a program listed in a [group:]) costs the
 * same with 100 000 sections as with 10. The keys are not copied: they
 * belong to the arrays whose positions are stored. */
struct config_slot {
	const char	*key;		/* NULL: free */
	size_t		 pos;
};
struct config_index {
	struct config_slot *slot;
	size_t		 cap;		/* 0 or a power of 2 */
	size_t		 n;
};
#define CONFIG_NOPOS	((size_t)-1)

/* The position stored for key, or CONFIG_NOPOS. */
size_t		 config_index_get(const struct config_index *, const char *key);
/* Store key -> pos unless key is there already (the first one stays):
 * returns the position stored for key before, or CONFIG_NOPOS. */
size_t		 config_index_put(struct config_index *, const char *key,
		    size_t pos);
void		 config_index_free(struct config_index *);

/* One key line of a section kept for later (see config_ctx.raws). */
struct config_rawkey {
	char		*key;
	char		*lkey;		/* key in lowercase, for keyidx */
	char		*value;		/* continuation lines joined */
	unsigned	 line;
	size_t		 file;		/* index in config_ctx.files: a
					 * section given again in another
					 * file is merged into the first */
};

/* A [program:] or [group:] section as written: its processes can only be
 * made once every file is read, since a [group:] further down (or in
 * another file) gives them their %(group_name)s and their group. A
 * section given again is merged into it. [tend] and [supervisord] are
 * kept the same way (config_ctx.tend_raw, sup_raw). */
struct config_raw {
	bool			 group;	/* [group:NAME], else [program:NAME] */
	bool			 listener; /* [eventlistener:NAME] (a kind of
					 * [program:]) */
	char			*name;	/* NAME */
	char			*sect;	/* "program:NAME" */
	size_t			 file;	/* index in config_ctx.files */
	unsigned		 line;
	struct config_rawkey	*keys;
	size_t			 nkeys;
	struct config_index	 keyidx; /* keys[].lkey -> position: a key
					 * given again takes its place */
	char			*in_group; /* [program:]: its [group:], if any */
	size_t			 in_group_raw;
};

/* An environment_file= read during this load: each is read once, however
 * many programs or processes (numprocs) name it, so they all see one
 * content. */
struct config_envfile {
	char		*path;		/* absolute */
	bool		 missing;	/* does not exist: skipped if optional */
	char		*why;		/* NULL if read, else "PATH: reason" or
					 * "PATH:LINE: reason" */
	struct envlist	 env;		/* its variables, when read */
};

/* A file read: the main one or an included one. */
struct config_file {
	char		*path;		/* as shown in messages */
	char		*here;		/* its directory, for %(here)s */
	char		*real;		/* realpath, to catch include loops */
	char		*text;		/* owned when not the caller's */
	struct reader	*rd;
	unsigned	 depth;		/* 0 for the main file */
	char		*include;	/* its [include] files=, expanded */
	unsigned	 include_line;	/* of its files= */
};

struct config_ctx;
struct config_key;

/* tendctl edit: one file's text, read from memory instead of disk (see
 * struct config_opts). */
struct config_override {
	char		*path;		/* realpath of the file it replaces */
	const char	*text;
	size_t		 len;
};

/* Parse value into the key's field of base (a struct config or a struct
 * program). value NULL means "unset" (the state before any default).
 * Returns 0, or -1 with the reason in why. */
typedef int	(*config_parse_fn)(struct config_ctx *,
		    const struct config_key *, void *base, const char *value,
		    struct buf *why);

struct config_key {
	enum config_sect	 sect;
	const char		*name;
	config_parse_fn		 parse;
	const char		*deflt;	/* run through parse; NULL: unset */
	const char		*shown;	/* what an unset default means */
	long long		 min;	/* bounds, for the number parsers */
	long long		 max;
	size_t			 off;	/* field in base */
	bool			 empty_ok; /* "key =" is a valid value */
	const char		*doc;
};

/* What is being read. */
struct config_ctx {
	struct config	*cfg;
	struct reader	*rd;
	struct strlist	*warns;
	const struct config_override *override;	/* tendctl edit's file,
					 * read from memory; NULL: none */
	char		*nodename;	/* %(host_node_name)s */

	/* the section keys go to */
	enum {
		CUR_NONE,
		CUR_TEND,		/* keys kept in tend_raw or sup_raw */
		CUR_PROGRAM,		/* keys kept in raws, parsed later */
		CUR_GROUP,		/* likewise */
		CUR_INCLUDE,
		CUR_IGNORE,		/* reported; its keys are dropped */
	}		 cur;
	bool		 supervisord;	/* CUR_TEND from [supervisord] */
	char		*sect;		/* its name, as in [] */
	unsigned	 sect_line;
	void		*base;		/* cfg, or &prog */
	struct program	 prog;		/* the program being read */
	struct program	 prog_defaults;	/* see config_program_defaults() */
	bool		 prog_defaults_set;
	size_t		*prog_other;	/* the other rows of SECT_PROGRAM */
	size_t		 nprog_other;
	bool		 again;		/* a later process of a [program:]:
					 * its warnings were given already */
	struct strlist	 lints;		/* warnings that strict mode makes
					 * errors (config_lint.c) */
	const struct envlist *xenv_global; /* [tend]/[supervisord]
					 * environment=, for %(ENV_X)s,
					 * once they are applied */
	const struct envlist *xenv_own;	/* the process's environment= */
	struct strlist	 xenv_cache[2];	/* what %(ENV_X)s looks in, built
					 * once: [0] xenv_global and environ,
					 * [1] xenv_own */
	bool		 xenv_cached[2];
	char		**xenv_all;	/* [1]'s strings, then [0]'s (not
					 * owned): a process's envp */
	struct config_raw tend_raw;	/* [tend] keys, applied by
					 * config_build() */
	struct config_raw sup_raw;	/* [supervisord] keys, likewise */
	struct config_index raw_sects;	/* raws[].sect -> index, to merge a
					 * section given twice */
	struct config_index keys[SECT_INCLUDE + 1]; /* config_table rows by
					 * section and name */
	unsigned	*seen;		/* per table row: line it was set at */
	size_t		*seen_file;	/* and its file (index in files[]): a
					 * section given again in another
					 * file has keys in both */
	struct cmdline_var vars[7];	/* expansions for this section */
	char		 process_num[24];	/* values of two of them, */
	char		 numprocs[24];		/* kept with the pointers */
	size_t		 nvars;
	unsigned	*tend_set;	/* per table row: set by [tend], which
					 * wins over [supervisord] */
	bool		 include_seen;	/* in the file being read */
	unsigned	 include_sect_line;

	struct config_file *files;	/* every file read, in order */
	size_t		 nfiles;
	size_t		 curfile;	/* the one being read */
	struct config_index file_paths;	/* files[].path -> first index */
	struct config_index file_reals;	/* files[].real -> index */
	struct config_raw *raws;	/* [program:] and [group:] sections */
	size_t		 nraws;
	size_t		 curraw;	/* the one being read */
	struct config_index raw_progs;	/* [program:NAME] kept -> raws[] */
	struct config_index raw_groups;	/* [group:NAME] kept -> raws[] */
	struct group_conf *groups;	/* built from raws */
	size_t		 ngroups;
	unsigned	 nextseq;
	struct strlist	 unsupported;	/* [fcgi-program:x] ... seen */
	struct config_index unsupported_idx;
	unsigned	 key_line;	/* line of the key being applied */
	struct config_envfile *envfiles; /* environment files read */
	size_t		 nenvfiles;
	struct config_index envfile_paths; /* envfiles[].path -> index */

	/* the last key line; continuation lines may still extend it */
	bool		 pending;
	struct buf	 pend_key;
	unsigned	 pend_line;
	struct buf	 pend_val;

	struct program	*progs;		/* every [program:], in file order */
	size_t		 nprogs;
	size_t		 progcap;
};

/* The keys of a [group:NAME] section. */
struct config_group_keys {
	struct strlist	 programs;	/* NAMEs of [program:NAME] sections */
	int		 priority;
};

/* ---- config_keys.c ---- */

extern const struct config_key	config_table[];
extern const size_t		config_ntable;	/* rows in config_table */
/* Index the table's rows by section and name, into c->keys. */
void		 config_keys_index(struct config_ctx *c);
/* The row of a key in a section (any case), or NULL. */
const struct config_key *config_key_find(const struct config_ctx *c,
		    enum config_sect sect, const char *name);
/* The line a key of the open section was set at, 0 if it was not. */
unsigned	 config_seen(const struct config_ctx *c, enum config_sect sect,
		    const char *name);
/* Likewise, with the file it was set in (index in c->files) in *file. */
unsigned	 config_seen_at(const struct config_ctx *c,
		    enum config_sect sect, const char *name, size_t *file);
/* Run every default of a section through its parser. */
void		 config_defaults(struct config_ctx *c, enum config_sect sect,
		    void *base);
/* A process of a [program:] with the defaults that are the same for all;
 * config_program_other_defaults() sets the rest once its names are known. */
void		 config_program_defaults(struct config_ctx *c,
		    struct program *p);
void		 config_program_other_defaults(struct config_ctx *c,
		    struct program *p);
/* Set a key of the open section from its (joined) value. */
void		 config_apply(struct config_ctx *c, const char *key,
		    unsigned line, char *value);

/* ---- config_expand.c ---- */

/* Expand %(name)s in s (supervisord's expand()) with the open section's
 * variables; ENV_X looks in the process's environment= (when own_env),
 * then the [tend]/[supervisord] environment= (once applied), then
 * tendd's environment. NULL, and why, on failure. */
char		*config_expand(struct config_ctx *c, const char *s,
		    bool own_env, struct buf *why);
/* Does key, in a [program:], see the process's own environment= in
 * %(ENV_X)s? (supervisord reads some keys before it.) */
bool		 config_expand_own_env(const char *key);
/* Forget the lists %(ENV_X)s looks in (built once, not for every key):
 * the process's, once xenv_own or what it points to changes; both, once
 * xenv_global does, and at the end of a load. */
void		 config_expand_forget(struct config_ctx *c, bool global);
/* Make file the one being read for the next key: its reader takes the
 * errors and %(here)s is its directory. */
void		 config_enter_file(struct config_ctx *c, size_t file);

/* ---- config_name.c ---- */

/* A valid program, group or process name (see config_name.c); why says
 * what is wrong with one that is not. */
bool		 config_name_check(const char *s, const char **why);
bool		 config_valid_name(const char *);

/* ---- config_lint.c ---- */

/* Record a warning that strict mode turns into an error: "FILE:LINE: "
 * (of file, the index in c->files) and the message. Nothing for the
 * later processes of a [program:] (c->again). */
void		 config_lint(struct config_ctx *c, size_t file, unsigned line,
		    const char *fmt, ...) printflike(4, 5);
/* An unknown key of section sect: the warning, with the nearest known
 * key when one is close. */
void		 config_lint_unknown(struct config_ctx *c, enum config_sect sect,
		    const char *key, unsigned line);
/* A section of an unknown type, as supervisord ignores it: the warning,
 * with the nearest known type when one is close. */
void		 config_lint_section(struct config_ctx *c, const char *name,
		    unsigned line);
/* The known key nearest to key in section sect, or NULL if none is
 * close (Damerau-Levenshtein distance). */
const char	*config_lint_nearest(enum config_sect sect, const char *key);
/* Damerau-Levenshtein distance (optimal string alignment) of a and b,
 * without regard to case, or max + 1 if it is above max. */
size_t		 config_lint_distance(const char *a, const char *b, size_t max);

/* ---- config_file.c ---- */

/* Record an error of the section being read. */
void		 config_error(struct config_ctx *c, unsigned line,
		    const char *key, const char *fmt, ...) printflike(4, 5);
/* Record an error of the section being read at a line of file (index in
 * c->files): a key of a section given again in another file. */
void		 config_error_at(struct config_ctx *c, size_t file,
		    unsigned line, const char *key, const char *fmt, ...)
		    printflike(5, 6);
/* "line N" for a line of the file being read, else "FILE:N". */
void		 config_where(const struct config_ctx *c, size_t file,
		    unsigned line, char *out, size_t len);
/* The index in c->files of the file called path. */
size_t		 config_file_index(const struct config_ctx *c,
		    const char *path);
/* The override opts asks for, resolved for one load: into ov (free
 * ov->path after the load), or NULL when there is none. */
const struct config_override *config_override_init(struct config_override *ov,
		    const struct config_opts *opts);
/* Read the whole file at path (or ov's text, if path is the file ov
 * replaces), at most max bytes, into b; -1 with the reason in why, and
 * *missing (if not NULL) set when it does not exist. */
int		 config_slurp(const struct config_override *ov,
		    const char *path, size_t max, struct buf *b,
		    struct buf *why, bool *missing);
/* The environment file at path, read and parsed now or earlier in this
 * load (see struct config_envfile). */
const struct config_envfile *config_envfile_get(struct config_ctx *c,
		    const char *path);

/* ---- config_ids.c ---- */

/* user=, group= and [tend] control_group=, resolved to ids now. */
int		 parse_user(struct config_ctx *, const struct config_key *,
		    void *base, const char *v, struct buf *why);
int		 parse_group(struct config_ctx *, const struct config_key *,
		    void *base, const char *v, struct buf *why);
int		 parse_control_group(struct config_ctx *,
		    const struct config_key *, void *base, const char *v,
		    struct buf *why);

/* ---- config_listener.c ---- */

/* events= and result_handler= of an [eventlistener:] (table parsers). */
int		 config_parse_events(struct config_ctx *,
		    const struct config_key *, void *base, const char *value,
		    struct buf *why);
int		 config_parse_result_handler(struct config_ctx *,
		    const struct config_key *, void *base, const char *value,
		    struct buf *why);
/* A process of an [eventlistener:] before its keys: its defaults. */
void		 config_listener_defaults(struct program *p);
/* The checks of a whole [program:] or [eventlistener:] section. */
void		 config_listener_check(struct config_ctx *c,
		    const struct program *p);

/* ---- config_health.c ---- */

/* healthcheck=, healthcheck_action= and ready_on= (table parsers). */
int		 config_parse_healthcheck(struct config_ctx *,
		    const struct config_key *, void *base, const char *value,
		    struct buf *why);
int		 config_parse_health_action(struct config_ctx *,
		    const struct config_key *, void *base, const char *value,
		    struct buf *why);
int		 config_parse_ready_on(struct config_ctx *,
		    const struct config_key *, void *base, const char *value,
		    struct buf *why);
/* The checks of a whole section for its health keys. */
void		 config_health_check(struct config_ctx *c,
		    const struct program *p);

/* ---- config_build.c ---- */

/* Every file is read: make the processes and groups of the sections. */
void		 config_build(struct config_ctx *c);

/* ---- config.c ---- */

/* Free one program's contents (the struct is zeroed). */
void		 program_free(struct program *);

#endif
