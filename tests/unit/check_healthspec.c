/* check_healthspec.c: healthcheck= values (healthspec.c), the health keys
 * as the loader reads them (config_health.c), the HTTP probe's bytes, and
 * what probe results mean (healthstate.c). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "config_load_test.h"
#include "healthspec.h"
#include "healthstate.h"
#include "log.h"
#include "util.h"

/* ---- healthspec_parse ---- */

static const struct parse_case {
	const char		*v;
	enum healthspec_kind	 kind;	/* HEALTH_NONE: an error */
	int			 family;
	const char		*addr;	/* as inet_ntop writes it */
	unsigned		 port;
	const char		*host;	/* http: Host header */
	const char		*path;
	const char		*why;	/* the error */
} parse_cases[] = {
	{ "tcp:127.0.0.1:5432", HEALTH_TCP, AF_INET, "127.0.0.1", 5432,
	  NULL, NULL, NULL },
	{ "tcp:localhost:1", HEALTH_TCP, AF_INET, "127.0.0.1", 1, NULL, NULL,
	  NULL },
	{ "tcp:[::1]:65535", HEALTH_TCP, AF_INET6, "::1", 65535, NULL, NULL,
	  NULL },
	{ "http://127.0.0.1:8000/health", HEALTH_HTTP, AF_INET, "127.0.0.1",
	  8000, "127.0.0.1:8000", "/health", NULL },
	{ "http://10.1.2.3", HEALTH_HTTP, AF_INET, "10.1.2.3", 80,
	  "10.1.2.3", "/", NULL },
	{ "http://[::1]:81/a?b=c", HEALTH_HTTP, AF_INET6, "::1", 81,
	  "[::1]:81", "/a?b=c", NULL },
	{ "http://localhost/x", HEALTH_HTTP, AF_INET, "127.0.0.1", 80,
	  "localhost", "/x", NULL },
	{ "exec:/bin/true", HEALTH_EXEC, 0, NULL, 0, NULL, NULL, NULL },
	{ "tcp:db.example.com:5432", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "host \"db.example.com\" is not a numeric address (no DNS lookups: "
	  "write 127.0.0.1, [::1] or localhost)" },
	{ "tcp:127.0.0.1", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "expected tcp:HOST:PORT" },
	{ "tcp:127.0.0.1:0", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "port \"0\" is not a number from 1 to 65535" },
	{ "tcp:127.0.0.1:70000", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "port \"70000\" is not a number from 1 to 65535" },
	{ "tcp:5432", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "expected tcp:HOST:PORT" },
	{ "tcp::5432", HEALTH_NONE, 0, NULL, 0, NULL, NULL, "no host" },
	{ "tcp:[::zz]:5432", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "host \"::zz\" is not an IPv6 address" },
	{ "http://web:8000/", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "host \"web\" is not a numeric address (no DNS lookups: write "
	  "127.0.0.1, [::1] or localhost)" },
	{ "http://127.0.0.1:x/", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "port in \"http://127.0.0.1:x/\" is not a number from 1 to 65535" },
	{ "http://127.0.0.1/a b", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "the path holds a blank or a line break" },
	{ "https://127.0.0.1/", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "https is not supported (no TLS): use http:// or exec: with a "
	  "client that speaks TLS" },
	{ "exec:", HEALTH_NONE, 0, NULL, 0, NULL, NULL, "command is empty" },
	{ "exec:/bin/sh -c 'x", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "unterminated quote" },
	{ "ping:127.0.0.1", HEALTH_NONE, 0, NULL, 0, NULL, NULL,
	  "\"ping:127.0.0.1\" is not tcp:HOST:PORT, http://HOST[:PORT]/PATH "
	  "or exec:COMMAND [ARGS]" },
};

START_TEST(test_parse)
{
	const struct parse_case	*c = &parse_cases[_i];
	struct healthspec	 s;
	struct buf		 why;
	char			 addr[INET6_ADDRSTRLEN];
	unsigned		 port;
	int			 rc;

	memset(&s, 0, sizeof(s));
	buf_init(&why);
	buf_addstr(&why, "");
	rc = healthspec_parse(c->v, &s, &why);
	if (c->kind == HEALTH_NONE) {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(why.data, c->why);
		ck_assert_int_eq(s.kind, HEALTH_NONE);
		ck_assert_ptr_null(s.text);
		buf_free(&why);
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", c->v, why.data);
	ck_assert_int_eq(s.kind, c->kind);
	ck_assert_str_eq(s.text, c->v);
	if (c->family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&s.addr;
		ck_assert_int_eq(s.addr.ss_family, AF_INET);
		ck_assert_uint_eq(s.addrlen, sizeof(*in));
		ck_assert_ptr_nonnull(inet_ntop(AF_INET, &in->sin_addr, addr,
		    sizeof(addr)));
		port = ntohs(in->sin_port);
	} else if (c->family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&s.addr;
		ck_assert_int_eq(s.addr.ss_family, AF_INET6);
		ck_assert_uint_eq(s.addrlen, sizeof(*in6));
		ck_assert_ptr_nonnull(inet_ntop(AF_INET6, &in6->sin6_addr,
		    addr, sizeof(addr)));
		port = ntohs(in6->sin6_port);
	} else {
		ck_assert_ptr_nonnull(s.argv);
		ck_assert_str_eq(s.argv[0], "/bin/true");
		ck_assert_ptr_null(s.argv[1]);
		port = 0;
		(void)snprintf(addr, sizeof(addr), "(none)");
	}
	if (c->addr != NULL)
		ck_assert_str_eq(addr, c->addr);
	ck_assert_uint_eq(port, c->port);
	if (c->host != NULL) {
		ck_assert_str_eq(s.host, c->host);
		ck_assert_str_eq(s.path, c->path);
	}
	healthspec_free(&s);
	ck_assert_ptr_null(s.text);
	buf_free(&why);
}
END_TEST

START_TEST(test_exec_argv)
{
	struct healthspec	s;
	struct buf		why;

	memset(&s, 0, sizeof(s));
	buf_init(&why);
	ck_assert_int_eq(healthspec_parse("exec:/usr/local/bin/check --quick "
	    "'a b'", &s, &why), 0);
	ck_assert_str_eq(s.argv[0], "/usr/local/bin/check");
	ck_assert_str_eq(s.argv[1], "--quick");
	ck_assert_str_eq(s.argv[2], "a b");
	ck_assert_ptr_null(s.argv[3]);
	/* parsing again replaces, and NULL empties */
	ck_assert_int_eq(healthspec_parse("tcp:127.0.0.1:1", &s, &why), 0);
	ck_assert_ptr_null(s.argv);
	ck_assert_int_eq(healthspec_parse(NULL, &s, &why), 0);
	ck_assert_int_eq(s.kind, HEALTH_NONE);
	healthspec_free(&s);
	buf_free(&why);
}
END_TEST

START_TEST(test_equal)
{
	struct healthspec	a, b;
	struct buf		why;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	buf_init(&why);
	ck_assert(healthspec_equal(&a, &b));
	ck_assert_int_eq(healthspec_parse("tcp:127.0.0.1:1", &a, &why), 0);
	ck_assert(!healthspec_equal(&a, &b));
	ck_assert_int_eq(healthspec_parse("tcp:127.0.0.1:1", &b, &why), 0);
	ck_assert(healthspec_equal(&a, &b));
	ck_assert_int_eq(healthspec_parse("tcp:127.0.0.1:2", &b, &why), 0);
	ck_assert(!healthspec_equal(&a, &b));
	healthspec_free(&a);
	healthspec_free(&b);
	buf_free(&why);
}
END_TEST

/* ---- HTTP ---- */

START_TEST(test_http_request)
{
	struct healthspec	s;
	struct buf		why, req;

	memset(&s, 0, sizeof(s));
	buf_init(&why);
	buf_init(&req);
	ck_assert_int_eq(healthspec_parse("http://127.0.0.1:8000/health?x=1",
	    &s, &why), 0);
	healthspec_http_request(&s, &req);
	ck_assert_str_eq(req.data, "GET /health?x=1 HTTP/1.1\r\n"
	    "Host: 127.0.0.1:8000\r\nConnection: close\r\nUser-Agent: tend\r\n"
	    "\r\n");
	healthspec_free(&s);
	buf_free(&why);
	buf_free(&req);
}
END_TEST

static const struct status_case {
	const char	*resp;
	int		 rc;
	int		 code;
} status_cases[] = {
	{ "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 1, 200 },
	{ "HTTP/1.0 503 Service Unavailable\r\n", 1, 503 },
	{ "HTTP/1.1 301\r\n", 1, 301 },
	{ "HTTP/1.1 204\n", 1, 204 },
	{ "HTTP/1.1 200 OK", 0, 0 },		/* the line is not over */
	{ "HTTP/1", 0, 0 },
	{ "", 0, 0 },
	{ "HTTP/2 200\r\n", -1, 0 },
	{ "SSH-2.0-OpenSSH\r\n", -1, 0 },
	{ "HTTP/1.1 20 OK\r\n", -1, 0 },
	{ "HTTP/1.1 2000 OK\r\n", -1, 0 },
	{ "HTTP/1.1 abc OK\r\n", -1, 0 },
};

START_TEST(test_http_status)
{
	const struct status_case	*c = &status_cases[_i];
	int				 code = 0;

	ck_assert_int_eq(healthspec_http_status(c->resp, strlen(c->resp),
	    &code), c->rc);
	if (c->rc == 1)
		ck_assert_int_eq(code, c->code);
}
END_TEST

START_TEST(test_http_status_long)
{
	char	resp[HEALTHSPEC_HTTP_MAX];
	int	code;

	memset(resp, 'x', sizeof(resp));
	memcpy(resp, "HTTP/1.1 200 ", 13);
	/* a full buffer without a line end is no status line */
	ck_assert_int_eq(healthspec_http_status(resp, sizeof(resp), &code), -1);
	ck_assert_int_eq(healthspec_http_status(resp, sizeof(resp) - 1,
	    &code), 0);
}
END_TEST

/* ---- the keys, through the loader ---- */

START_TEST(test_keys_defaults)
{
	struct config		*cfg = load_ok("[program:web]\ncommand=x\n");
	const struct program	*p = &cfg->progs[0];

	ck_assert_int_eq(p->health.kind, HEALTH_NONE);
	ck_assert_uint_eq(p->health_interval, 30);
	ck_assert_uint_eq(p->health_timeout, 5);
	ck_assert_uint_eq(p->health_retries, 3);
	ck_assert_uint_eq(p->health_start_period, 0);
	ck_assert(p->health_restart);
	ck_assert(!p->ready_on_health);
	ck_assert(!program_says_ready(p));
	config_free(cfg);
}
END_TEST

START_TEST(test_keys_set)
{
	struct config		*cfg;
	const struct program	*p;

	cfg = load_ok("[program:web]\ncommand=x\nnumprocs=2\n"
	    "process_name=%(program_name)s_%(process_num)d\n"
	    "healthcheck=http://127.0.0.1:80%(process_num)02d/h\n"
	    "healthcheck_interval=10\nhealthcheck_timeout=2\n"
	    "healthcheck_retries=5\nhealthcheck_start_period=60\n"
	    "healthcheck_action=none\nready_on=healthcheck\n");
	ck_assert_uint_eq(cfg->nprogs, 2);
	p = &cfg->progs[1];
	ck_assert_int_eq(p->health.kind, HEALTH_HTTP);
	ck_assert_str_eq(p->health.text, "http://127.0.0.1:8001/h");
	ck_assert_str_eq(cfg->progs[0].health.text, "http://127.0.0.1:8000/h");
	ck_assert_uint_eq(p->health_interval, 10);
	ck_assert_uint_eq(p->health_timeout, 2);
	ck_assert_uint_eq(p->health_retries, 5);
	ck_assert_uint_eq(p->health_start_period, 60);
	ck_assert(!p->health_restart);
	ck_assert(p->ready_on_health);
	ck_assert(program_says_ready(p));
	ck_assert(!program_equal(&cfg->progs[0], &cfg->progs[1]));
	config_free(cfg);
}
END_TEST

static const struct key_err_case {
	const char	*text;
	const char	*msg;
} key_err_cases[] = {
	{ "healthcheck=tcp:db:5432\n",
	  F ":3: [program:web] healthcheck: host \"db\" is not a numeric "
	  "address (no DNS lookups: write 127.0.0.1, [::1] or localhost)" },
	{ "healthcheck=exec:\n",
	  F ":3: [program:web] healthcheck: command is empty" },
	{ "healthcheck=tcp:127.0.0.1:1\nhealthcheck_interval=0\n",
	  F ":4: [program:web] healthcheck_interval: \"0\" is out of range "
	  "(1 to 86400)" },
	{ "healthcheck=tcp:127.0.0.1:1\nhealthcheck_timeout=soon\n",
	  F ":4: [program:web] healthcheck_timeout: \"soon\" is not a number" },
	{ "healthcheck=tcp:127.0.0.1:1\nhealthcheck_retries=0\n",
	  F ":4: [program:web] healthcheck_retries: \"0\" is out of range "
	  "(1 to 10000)" },
	{ "healthcheck=tcp:127.0.0.1:1\nhealthcheck_action=kill\n",
	  F ":4: [program:web] healthcheck_action: \"kill\" is not one of "
	  "restart, none" },
	{ "ready_on=http\n",
	  F ":3: [program:web] ready_on: \"http\" is not one of start, "
	  "healthcheck" },
	{ "ready_on=healthcheck\n",
	  F ":3: [program:web] ready_on: healthcheck needs healthcheck= (the "
	  "probe that says it is ready)" },
	{ "healthcheck=tcp:127.0.0.1:1\nready_on=healthcheck\nsd_notify=true\n",
	  F ":4: [program:web] ready_on: healthcheck, but sd_notify is set too: "
	  "a program says it is ready one way" },
	{ "healthcheck=tcp:127.0.0.1:%(process_num)d\n",
	  F ":3: [program:web] healthcheck: \"tcp:127.0.0.1:%(process_num)d\" "
	  "expanded to \"tcp:127.0.0.1:0\": port \"0\" is not a number from 1 "
	  "to 65535" },
};

START_TEST(test_keys_errors)
{
	const struct key_err_case	*c = &key_err_cases[_i];
	char				*text;

	text = xasprintf("[program:web]\ncommand=x\n%s", c->text);
	load_err(text, c->msg);
	free(text);
}
END_TEST

START_TEST(test_keys_warn_without_check)
{
	struct config	*cfg = load_ok("[program:web]\ncommand=x\n"
	    "healthcheck_interval=10\n");

	ck_assert_uint_eq(warns.n, 1);
	ck_assert_str_eq(warns.v[0], F ":3: [program:web] healthcheck_interval: "
	    "ignored (there is no healthcheck=)");
	config_free(cfg);
}
END_TEST

/* ---- healthstate ---- */

static struct program	hprog;

static void
hprog_setup(unsigned retries, unsigned start_period, bool restart)
{
	memset(&hprog, 0, sizeof(hprog));
	hprog.health.kind = HEALTH_TCP;
	hprog.health_interval = 1;
	hprog.health_timeout = 1;
	hprog.health_retries = retries;
	hprog.health_start_period = start_period;
	hprog.health_restart = restart;
}

START_TEST(test_state_retries_restart)
{
	struct health_state	st;
	struct health_out	out;
	char			desc[320];

	memset(&st, 0, sizeof(st));
	hprog_setup(3, 0, true);
	healthstate_begin(&st, &hprog, 100.0);
	ck_assert_int_eq(st.healthy, -1);
	healthstate_describe(&st, &hprog, desc, sizeof(desc));
	ck_assert_str_eq(desc, "");

	healthstate_result(&st, &hprog, "web", 101, true, NULL, &out);
	ck_assert_uint_eq(out.flags, HEALTH_READY | HEALTH_CHANGED);
	ck_assert_uint_eq(out.nlog, 0);
	ck_assert_int_eq(st.healthy, 1);

	healthstate_result(&st, &hprog, "web", 102, false,
	    "connection refused", &out);
	ck_assert_uint_eq(out.flags, HEALTH_CHANGED);
	ck_assert_uint_eq(out.nlog, 1);
	ck_assert_str_eq(out.log[0].text, "health check of web failed (1 of "
	    "3): connection refused");
	healthstate_result(&st, &hprog, "web", 103, false,
	    "connection refused", &out);
	ck_assert_uint_eq(out.flags, HEALTH_CHANGED);
	healthstate_describe(&st, &hprog, desc, sizeof(desc));
	ck_assert_str_eq(desc, "unhealthy (2 of 3 failed: connection refused)");

	healthstate_result(&st, &hprog, "web", 104, false, "timed out after 1 s",
	    &out);
	ck_assert_uint_eq(out.flags, HEALTH_CHANGED | HEALTH_RESTART);
	ck_assert_uint_eq(out.nlog, 2);
	ck_assert_int_eq(out.log[0].level, LOG_LVL_WARN);
	ck_assert_str_eq(out.log[0].text, "unhealthy: web (timed out after 1 s)");
	ck_assert_str_eq(out.log[1].text, "restarting web: unhealthy");
	ck_assert(st.restart);

	/* a late result before the stop does not restart twice */
	healthstate_result(&st, &hprog, "web", 105, false, "x", &out);
	ck_assert_uint_eq(out.flags & HEALTH_RESTART, 0);
	ck_assert_int_eq(out.log[0].level, LOG_LVL_DEBUG);
	healthstate_describe(&st, &hprog, desc, sizeof(desc));
	ck_assert_str_eq(desc, "unhealthy (4 failed in a row: x)");

	/* the spawn after the stop: a clean slate, the restart kept for the
	 * supervisor to clear */
	healthstate_end(&st);
	healthstate_describe(&st, &hprog, desc, sizeof(desc));
	ck_assert_str_eq(desc, "");
	healthstate_begin(&st, &hprog, 200.0);
	ck_assert_uint_eq(st.failures, 0);
	ck_assert_int_eq(st.healthy, -1);
	ck_assert(st.restart);
}
END_TEST

START_TEST(test_state_none_recovers)
{
	struct health_state	st;
	struct health_out	out;

	memset(&st, 0, sizeof(st));
	hprog_setup(1, 0, false);
	healthstate_begin(&st, &hprog, 0.0);
	healthstate_result(&st, &hprog, "web", 1, false,
	    "http 503 from http://127.0.0.1/", &out);
	ck_assert_uint_eq(out.flags, HEALTH_CHANGED);
	ck_assert_uint_eq(out.nlog, 1);
	ck_assert_str_eq(out.log[0].text,
	    "unhealthy: web (http 503 from http://127.0.0.1/)");
	ck_assert(!st.restart);
	/* told once */
	healthstate_result(&st, &hprog, "web", 2, false, "again", &out);
	ck_assert_uint_eq(out.nlog, 1);
	ck_assert_int_eq(out.log[0].level, LOG_LVL_DEBUG);
	/* a pass forgets the failures, and says so */
	healthstate_result(&st, &hprog, "web", 3, true, NULL, &out);
	ck_assert_uint_eq(out.flags, HEALTH_READY | HEALTH_CHANGED);
	ck_assert_uint_eq(out.nlog, 1);
	ck_assert_str_eq(out.log[0].text, "healthy again: web");
	ck_assert_uint_eq(st.failures, 0);
	/* a second pass changes nothing */
	healthstate_result(&st, &hprog, "web", 4, true, NULL, &out);
	ck_assert_uint_eq(out.flags, HEALTH_READY);
	ck_assert_uint_eq(out.nlog, 0);
}
END_TEST

START_TEST(test_state_start_period)
{
	struct health_state	st;
	struct health_out	out;

	memset(&st, 0, sizeof(st));
	hprog_setup(1, 10, true);
	healthstate_begin(&st, &hprog, 100.0);
	/* failures in the period do not count */
	healthstate_result(&st, &hprog, "web", 105, false, "refused", &out);
	ck_assert_uint_eq(out.flags, 0);
	ck_assert_uint_eq(st.failures, 0);
	ck_assert_int_eq(st.healthy, -1);
	ck_assert_int_eq(out.log[0].level, LOG_LVL_DEBUG);
	ck_assert_str_eq(out.log[0].text, "health check of web failed in its "
	    "start period (not counted): refused");
	/* past it they do */
	healthstate_result(&st, &hprog, "web", 110.5, false, "refused", &out);
	ck_assert_uint_eq(out.flags, HEALTH_CHANGED | HEALTH_RESTART);

	/* a pass ends the period early */
	memset(&st, 0, sizeof(st));
	healthstate_begin(&st, &hprog, 100.0);
	healthstate_result(&st, &hprog, "web", 101, true, NULL, &out);
	healthstate_result(&st, &hprog, "web", 102, false, "refused", &out);
	ck_assert_uint_eq(out.flags, HEALTH_CHANGED | HEALTH_RESTART);
	ck_assert_uint_eq(st.failures, 1);
}
END_TEST

/* ---- runner ---- */

static Suite *
suite_healthspec(void)
{
	Suite	*s = suite_create("healthspec");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse, 0, nitems(parse_cases));
	tcase_add_test(tc, test_exec_argv);
	tcase_add_test(tc, test_equal);
	suite_add_tcase(s, tc);

	tc = tcase_create("http");
	tcase_add_test(tc, test_http_request);
	tcase_add_loop_test(tc, test_http_status, 0, nitems(status_cases));
	tcase_add_test(tc, test_http_status_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_test(tc, test_keys_defaults);
	tcase_add_test(tc, test_keys_set);
	tcase_add_loop_test(tc, test_keys_errors, 0, nitems(key_err_cases));
	tcase_add_test(tc, test_keys_warn_without_check);
	suite_add_tcase(s, tc);

	tc = tcase_create("state");
	tcase_add_test(tc, test_state_retries_restart);
	tcase_add_test(tc, test_state_none_recovers);
	tcase_add_test(tc, test_state_start_period);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite_healthspec());
}
