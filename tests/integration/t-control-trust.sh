#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 4 (the control part): the control FIFO's directory must
# be trusted, as sshd's StrictModes demands. A missing one is made, mode
# 0755, owned by tendd's user; one that others may write without the
# sticky bit, one owned by another user, or one below a directory others
# may write is refused at start-up, with the path and the reason; a sticky
# one (like /tmp, where the tests' own directory lives) is fine.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root to make directories of another user"
id nobody >/dev/null 2>&1 || skip "no user nobody"

# refused DIR WHY-ERE: tendd -n with its control FIFO in DIR exits at once,
# non-zero, saying DIR and why; it made nothing there.
refused() {
	CONTROL=$1/control
	tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
EOF
	timeout -s KILL 20 "$TENDD" -n -c "$CONF" >"$T/refused.out" 2>"$T/refused.err"
	rc=$?
	[ "$rc" != 137 ] || fail "tendd did not exit with its control in $1"
	assert_ne 0 "$rc" "tendd's exit status with its control in $1"
	assert_match "control $1/control: refusing its directory: .*$2" \
		"$(cat "$T/refused.err")" "tendd's reason for $1"
	[ -e "$1/control" ] && fail "tendd made $1/control anyway"
	[ -e "$1/reply" ] && fail "tendd made $1/reply anyway"
	return 0
}

# 1. Missing: made, 0755, root's.
CONTROL=$T/run/control
start_web
assert_eq "755 root" "$(stat -c '%a %U' "$T/run")" "mode and owner of the made control directory"
ctl pid
assert_ctl 0 "$TENDD_PID" "tendctl pid with the control in a made directory"
tend_stop

# 2. Writable by others, not sticky.
mkdir "$T/open" && chmod 0777 "$T/open" || hard_error "mkdir $T/open"
refused "$T/open" "writable by others and not sticky"
# group-writable too
mkdir "$T/grp" && chmod 0775 "$T/grp" || hard_error "mkdir $T/grp"
refused "$T/grp" "writable by others and not sticky"

# 3. Owned by another user.
mkdir "$T/theirs" && chown nobody "$T/theirs" || hard_error "mkdir $T/theirs"
refused "$T/theirs" "owned by another user"

# 4. A directory above it that others may write: below it, a root-owned
#    0755 one is no better (they can rename it away).
mkdir -p "$T/open/sub" && chmod 0755 "$T/open/sub" || hard_error "mkdir $T/open/sub"
refused "$T/open/sub" "a directory above"
# ... and a missing one there is refused too
refused "$T/open/new" "a directory above|writable"

# 5. Sticky and world-writable, as /tmp: fine.
mkdir "$T/sticky" && chmod 1777 "$T/sticky" || hard_error "mkdir $T/sticky"
CONTROL=$T/sticky/control
start_web
ctl pid
assert_ctl 0 "$TENDD_PID" "tendctl pid with the control in a sticky directory"
exit 0
