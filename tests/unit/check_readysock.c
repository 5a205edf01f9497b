/* check_readysock.c: the NOTIFY_SOCKET of sd_notify= programs: what counts
 * as READY=1, and a datagram's trip with its sender's pid. */
#include "autoconfig.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "readysock.h"
#include "check_run.h"

static const struct {
	const char	*msg;
	bool		 ready;
} cases[] = {
	{ "READY=1", true },
	{ "STATUS=starting\nREADY=1", true },
	{ "READY=1\nSTATUS=up\n", true },
	{ "MAINPID=12\nREADY=1\nX=y", true },
	{ "READY=0", false },
	{ "READY=10", false },
	{ "XREADY=1", false },
	{ "READY=1 ", false },
	{ "STATUS=READY=1", false },
	{ "", false },
	{ "STOPPING=1", false },
};

START_TEST(test_says_ready)
{
	ck_assert_msg(readysock_says_ready(cases[_i].msg,
	    strlen(cases[_i].msg)) == cases[_i].ready, "%s", cases[_i].msg);
}
END_TEST

/* Only the length counts, not a NUL. */
START_TEST(test_says_ready_len)
{
	ck_assert(!readysock_says_ready("READY=1", 6));
	ck_assert(readysock_says_ready("READY=1\0junk", 7));
}
END_TEST

/* Open the socket, send to it as a program would, read it back with our
 * own pid attached. */
START_TEST(test_roundtrip)
{
	struct sockaddr_un	sa;
	char			name[64], err[256], buf[64];
	int			fd, c;
	pid_t			pid;
	uid_t			uid;
	ssize_t			n;
	size_t			len;

	fd = readysock_open(name, sizeof(name), err, sizeof(err));
	ck_assert_msg(fd >= 0, "%s", err);
	ck_assert_int_eq(name[0], '@');
	ck_assert_uint_ge(strlen(name), 2);
	n = readysock_recv(fd, buf, sizeof(buf), &pid, &uid);
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, EAGAIN);

	len = strlen(name);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, name, len);
	sa.sun_path[0] = '\0';
	c = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(sendto(c, "STATUS=x\nREADY=1", 16, 0,
	    (struct sockaddr *)&sa, (socklen_t)(offsetof(struct sockaddr_un,
	    sun_path) + len)), 16);
	n = readysock_recv(fd, buf, sizeof(buf), &pid, &uid);
	ck_assert_int_eq(n, 16);
	ck_assert_str_eq(buf, "STATUS=x\nREADY=1");
	ck_assert_int_eq(pid, getpid());
	ck_assert_int_eq(uid, geteuid());
	ck_assert(readysock_says_ready(buf, (size_t)n));

	/* too long for the buffer: dropped, not half read */
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(sendto(c, buf, sizeof(buf), 0,
	    (struct sockaddr *)&sa, (socklen_t)(offsetof(struct sockaddr_un,
	    sun_path) + len)), (ssize_t)sizeof(buf));
	ck_assert_int_eq(readysock_recv(fd, buf, 16, &pid, &uid), 0);
	ck_assert_str_eq(buf, "");
	(void)close(c);
	(void)close(fd);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("readysock");
	TCase	*tc = tcase_create("readysock");

	tcase_add_loop_test(tc, test_says_ready, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_says_ready_len);
	tcase_add_test(tc, test_roundtrip);
	suite_add_tcase(s, tc);
	return check_run(s);
}
