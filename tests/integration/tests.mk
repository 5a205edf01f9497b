# One line per integration test script (each sources lib.sh).
INTEGRATION_TESTS = \
	tests/integration/t-basic.sh \
	tests/integration/t-sighup.sh \
	tests/integration/t-orphans.sh \
	tests/integration/t-access.sh \
	tests/integration/t-manpages.sh \
	tests/integration/t-crash-restart.sh \
	tests/integration/t-backoff-fatal.sh \
	tests/integration/t-stopwait-kill.sh \
	tests/integration/t-stopasgroup.sh \
	tests/integration/t-rlimit.sh \
	tests/integration/t-env-umask-dir.sh \
	tests/integration/t-user-drop.sh \
	tests/integration/t-spawn-error.sh \
	tests/integration/t-fds.sh \
	tests/integration/t-bad-config.sh \
	tests/integration/t-fifo-garbage.sh \
	tests/integration/t-daemonize.sh \
	tests/integration/t-sigterm.sh \
	tests/integration/t-unreachable.sh
