/* tendctl.c: the client's main: its options, and the control FIFO they
 * name (-s, or the control key of [tend] in -c's file). The command runs
 * in shell.c (alone, or at a prompt without one), which sends it with
 * client.c or carries it out itself (help, edit). */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client.h"
#include "cmdline.h"
#include "ini_reader.h"
#include "protocol.h"
#include "remote.h"
#include "shell.h"
#include "util.h"
#include "verbs.h"

#ifndef TEND_SYSCONFDIR
#define TEND_SYSCONFDIR "/etc"
#endif
#ifndef TEND_RUNSTATEDIR
#define TEND_RUNSTATEDIR "/run"
#endif

/* The options, and the commands of the verb table. */
static _Noreturn void
usage(int code)
{
	FILE	*f = code == 0 ? stdout : stderr;
	int	 i;

	(void)fprintf(f, "usage: tendctl [-c file] [-s fifo] [-u user] "
	    "[-p password] [-H [user@]host[:port] ...]\n"
	    "               [command [argument ...]]\n"
	    "without a command, an interactive shell; the commands:\n");
	for (i = 0; i < VERB_COUNT; i++)
		(void)fprintf(f, "  %s\n", verbs_get((enum verb_id)i)->usage);
	exit(code);
}

struct tendctl_conf {
	struct reader	*reader;
	char		*control;
	bool		 in_tend;
};

/* Section headers: only [tend] matters to tendctl. */
static void
tendctl_conf_section(void *user, const char *name, unsigned line)
{
	struct tendctl_conf	*cc = user;

	(void)line;
	cc->in_tend = strcmp(name, "tend") == 0;
}

/* inih handler: keep [tend] control= (any case, the last one wins, as
 * tendd reads it). */
static int
tendctl_conf_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct tendctl_conf	*cc = user;
	struct reader_entry	 e;

	if (!reader_entry(cc->reader, section, name, value, &e))
		return 1;
	if (strcmp(section, "tend") == 0 && strcasecmp(e.key, "control") == 0 &&
	    !e.continuation) {
		free(cc->control);
		cc->control = xstrdup(e.value);
	}
	return 1;
}

/* Only [tend] matters to tendctl: copy out the lines of the [tend]
 * sections, so that a status does not parse a thousand programs first
 * (1.8 ms of a 4.5 ms status at N=1000). A section begins at a line that
 * starts with '[' (inih's rule for an unindented line); an indented '[',
 * which inih may read as a header or as a continuation, returns false:
 * then the whole file is parsed. */
static bool
tendctl_tend_sections(const char *text, size_t len, struct buf *out)
{
	const char	*p = text, *end = text + len, *nl, *q;
	size_t		 ll;
	bool		 in = false;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* a UTF-8 BOM, as inih skips it */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ll = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		for (q = p; q < p + ll && (*q == ' ' || *q == '\t'); q++)
			;
		if (q < p + ll && *q == '[') {
			if (q != p)
				return false;
			in = ll >= 6 && memcmp(p, "[tend]", 6) == 0;
		}
		if (in)
			buf_add(out, p, ll);
		p += ll;
	}
	return true;
}

/* The control FIFO named by a configuration file (or NULL on error). */
static char *
tendctl_control_from_config(const char *path)
{
	extern char		**environ;
	struct tendctl_conf	  cc = { NULL, NULL, false };
	struct buf		  text, tend;
	struct cmdline_var	  vars[1];
	char			  err[256], *here, *slash, *out;
	int			  fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)fprintf(stderr, "tendctl: %s: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	buf_init(&text);
	if (fd_read_all(fd, &text, READER_MAX_FILE) == -1) {
		(void)fprintf(stderr, "tendctl: %s: %s\n", path,
		    strerror(errno));
		(void)close(fd);
		buf_free(&text);
		return NULL;
	}
	(void)close(fd);
	buf_init(&tend);
	if (tendctl_tend_sections(text.data, text.len, &tend)) {
		buf_free(&text);
		text = tend;
	} else
		buf_free(&tend);
	cc.reader = reader_new(path, text.len > 0 ? text.data : "", text.len,
	    tendctl_conf_section, &cc);
	reader_parse(cc.reader, tendctl_conf_handler, &cc);
	reader_free(cc.reader);
	buf_free(&text);
	if (cc.control == NULL)
		return xstrdup(TEND_RUNSTATEDIR "/tend/control");

	if ((here = realpath(path, NULL)) == NULL)
		here = xstrdup(path);
	if ((slash = strrchr(here, '/')) != NULL)
		*slash = '\0';
	vars[0].name = "here";
	vars[0].value = slash != NULL ? (here[0] != '\0' ? here : "/") : ".";
	out = cmdline_expand(cc.control, vars, 1, environ, err, sizeof(err));
	if (out == NULL)
		(void)fprintf(stderr, "tendctl: %s: control: %s\n", path, err);
	free(here);
	free(cc.control);
	return out;
}

int
main(int argc, char **argv)
{
	const char	*conf = NULL, *fifo = NULL;
	char		*control = NULL, **hosts, **fwd;
	int		 ch, code, nhosts = 0, nfwd = 0;

	/* -H: the hosts to run on; the other options go along to them */
	hosts = xcalloc((size_t)argc + 1, sizeof(*hosts));
	fwd = xcalloc((size_t)argc * 2 + 1, sizeof(*fwd));
	while ((ch = getopt(argc, argv, "+c:s:u:p:hH:")) != -1) {
		if (ch == 'c' || ch == 's' || ch == 'u' || ch == 'p') {
			fwd[nfwd++] = ch == 'c' ? "-c" : ch == 's' ? "-s" :
			    ch == 'u' ? "-u" : "-p";
			fwd[nfwd++] = optarg;
		}
		switch (ch) {
		case 'H':
			hosts[nhosts++] = optarg;
			break;
		case 'c':
			conf = optarg;
			break;
		case 's':
			/* supervisorctl's -s is a URL: unix://PATH names
			 * the socket, here the FIFO (Ansible's server_url) */
			fifo = strncmp(optarg, "unix://", 7) == 0 ?
			    optarg + 7 : optarg;
			break;
		case 'u':
		case 'p':
			/* supervisorctl's HTTP user and password (Ansible's
			 * username, password): the FIFO has no login, its
			 * mode and group say who may use it */
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (nhosts > 0) {
		code = remote_run(hosts, nhosts, fwd, nfwd, argc, argv);
		free(hosts);
		free(fwd);
		return code;
	}
	free(hosts);
	free(fwd);

	if (fifo == NULL) {
		if (conf == NULL && access(TEND_SYSCONFDIR "/tend/tend.ini",
		    R_OK) == 0)
			conf = TEND_SYSCONFDIR "/tend/tend.ini";
		if (conf != NULL) {
			control = tendctl_control_from_config(conf);
			if (control == NULL)
				return TEND_EXIT_GENERIC;
		} else
			control = xstrdup(TEND_RUNSTATEDIR "/tend/control");
		fifo = control;
	}

	client_signals();
	/* no command: the interactive shell, which always exits 0 */
	code = argc == 0 ? shell_run(conf, fifo) :
	    shell_args(conf, fifo, argc, argv);
	free(control);
	return code;
}
