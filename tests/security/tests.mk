# One line per security test script (issue 12: each sources lib-sec.sh,
# runs tendd as root and plays a throwaway unprivileged user; skipped, exit
# 77, when not root).
SECURITY_TESTS = \
	tests/security/s-log-symlink.sh \
	tests/security/s-tail-read.sh \
	tests/security/s-metrics-fifo.sh \
	tests/security/s-state-trust.sh \
	tests/security/s-ctty.sh \
	tests/security/s-control-drip.sh
