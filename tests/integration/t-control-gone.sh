#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# The control FIFO removed, renamed, replaced by a regular file, or its
# whole directory removed while tendd runs: tendd notices at once (inotify
# on the directory, no polling), makes a new FIFO, or, while a stranger's
# file sits at the path, logs a clear error once and makes a new FIFO when
# that file goes. Never a busy loop (N7), fds back to the baseline (N3).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkdir "$T/run" || hard_error "mkdir"
CONTROL=$T/run/control
start_web
fd_baseline
INO0=$(stat -c %i "$CONTROL")

status_ok() {
	ctl status web
	assert_eq 0 "$CTL_RC" "status after $1 (${CTL_ERR})"
	assert_match "^web +RUNNING" "$CTL_OUT" "status line after $1"
}
new_fifo() {
	[ -p "$CONTROL" ] && [ "$(stat -c %i "$CONTROL")" != "$INO0" ]
}

# 1. Removed.
rm -f "$CONTROL"
wait_until 10 new_fifo "a new control FIFO after rm"
wait_log "control $CONTROL was removed: made a new one"
assert_eq 600 "$(stat -c %a "$CONTROL")" "mode of the new FIFO"
status_ok "rm of the FIFO"
INO0=$(stat -c %i "$CONTROL")

# 2. Renamed away.
mv "$CONTROL" "$T/run/control.old"
wait_until 10 new_fifo "a new control FIFO after mv"
status_ok "mv of the FIFO"
rm -f "$T/run/control.old"
INO0=$(stat -c %i "$CONTROL")

# 3. Replaced (atomically) by a regular file: tendd says so and does not
#    touch the stranger's file; tendctl refuses it; no busy loop.
printf 'not a fifo\n' >"$T/run/intruder"
mv -f "$T/run/intruder" "$CONTROL"
wait_log "control $CONTROL was replaced by a regular file that tendd did not make"
assert_eq "not a fifo" "$(cat "$CONTROL")" "the regular file is left alone"
ctl status
assert_ne 0 "$CTL_RC" "tendctl against a regular file"
assert_match "not a FIFO|FIFO" "$CTL_ERR" "tendctl's reason"
assert_idle 2 "while a regular file sits at the control path"
rm -f "$CONTROL"
wait_until 10 new_fifo "a new control FIFO once the regular file is gone"
wait_log "control $CONTROL was replaced: made a new one"
status_ok "the regular file removed"

# 4. The whole directory removed: directory, FIFO and reply directory come
#    back.
rm -rf "$T/run"
wait_until 10 '[ -p "$CONTROL" ] && [ -d "$T/run/reply" ]' \
	"the control directory, FIFO and reply directory made again"
status_ok "rm -rf of the control directory"
assert_eq 1733 "$(stat -c %a "$T/run/reply")" "mode of the new reply directory"

ctl pid
assert_ctl 0 "$TENDD_PID" "the same tendd"
assert_fds_back 10 "after the control FIFO was made again 4 times"
assert_idle 2 "after the control FIFO was made again"
exit 0
