#!/bin/sh
# shellcheck disable=SC2016,SC2034
# control_mode and control_group decide who may send commands: with the
# default 0600 a user like nobody gets "Permission denied" from tendctl
# (exit 4); with control_group=nogroup and control_mode=0660 nobody (whose
# group is nogroup) is served, its reply coming back through its own private
# FIFO in the reply directory.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root to run tendctl as nobody"
id nobody >/dev/null 2>&1 || skip "no user nobody"
getent group nogroup >/dev/null 2>&1 || skip "no group nogroup"
[ "$(id -gn nobody)" = nogroup ] || skip "nobody's group is not nogroup"
# a copy of tendctl nobody can run, wherever the build tree is
other_user_bin nobody "$TENDCTL"

as_nobody() {
	su nobody -s /bin/sh -c "\"$OTHER_BIN/tendctl\" -s \"$CONTROL\" $*" \
		>"$T/nobody.out" 2>"$T/nobody.err"
	NOBODY_RC=$?
}

start_web
assert_eq 600 "$(stat -c %a "$CONTROL")" "default mode of the control FIFO"
as_nobody status
assert_eq 4 "$NOBODY_RC" "status as nobody with control_mode 0600: exit code"
assert_match "^tendctl: cannot reach tendd at .*: Permission denied\$" \
	"$(cat "$T/nobody.err")" "the reason nobody is refused"
tend_stop

GLOBAL_EXTRA="control_mode=0660
control_group=nogroup"
start_web
assert_eq "660 nogroup" "$(stat -c '%a %G' "$CONTROL")" "mode and group of the control FIFO"
as_nobody status web
assert_eq 0 "$NOBODY_RC" "status as nobody in control_group: exit code"
assert_match "^web +RUNNING +pid [0-9]+" "$(cat "$T/nobody.out")" "nobody's status line"
# Nothing left behind in the reply directory.
assert_eq "" "$(ls -A "$T/reply")" "reply directory after the client left"
exit 0
