#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# tendctl against a daemon that is not there: a missing FIFO, a FIFO without
# a reader, a FIFO whose reader never answers. Always a quick, clear error
# with supervisorctl's exit codes (7 no such file, 4 refused; shutdown 1; status is
# always 4), never a hang.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# elapsed_ok SECS: the last ctl_raw call took at most SECS seconds.
elapsed_ok() {
	now_cs
	[ $((NOW - START)) -le $(($1 * 100)) ] ||
		fail "tendctl took $(((NOW - START) / 100)) s (limit $1 s)"
}

# 1. No such FIFO.
now_cs
START=$NOW
ctl_raw -s /nonexistent/fifo pid
elapsed_ok 5
assert_eq 7 "$CTL_RC" "pid with a missing FIFO: exit code"
assert_match "^tendctl: cannot reach tendd at /nonexistent/fifo: .+" \
	"$CTL_OUT
$CTL_ERR" "pid with a missing FIFO: message"

ctl_raw -s /nonexistent/fifo start web
assert_eq 7 "$CTL_RC" "start with a missing FIFO: exit code"

# shutdown: supervisorctl says "(already shut down?)" and exits 1
ctl_raw -s /nonexistent/fifo shutdown
assert_eq 1 "$CTL_RC" "shutdown with a missing FIFO: exit code"
assert_match "^tendctl: cannot reach tendd at /nonexistent/fifo: no such FIFO \(already shut down\?\)" \
	"$CTL_OUT
$CTL_ERR" "shutdown with a missing FIFO: message"

# supervisorctl's status exits 4 (LSB "unknown") whenever the daemon cannot
# be reached.
now_cs
START=$NOW
ctl_raw -s /nonexistent/fifo status
elapsed_ok 5
assert_eq 4 "$CTL_RC" "status with a missing FIFO: exit code"
assert_match "^tendctl: cannot reach tendd at /nonexistent/fifo: .+" \
	"$CTL_OUT
$CTL_ERR" "status with a missing FIFO: message"

# 2. A FIFO nobody reads (ENXIO on a non-blocking open).
mkfifo "$T/dead" || hard_error "mkfifo"
now_cs
START=$NOW
ctl_raw -s "$T/dead" pid
elapsed_ok 5
assert_eq 4 "$CTL_RC" "pid with a FIFO without reader: exit code"
assert_match "^tendctl: cannot reach tendd at $T/dead: .+" \
	"$CTL_OUT
$CTL_ERR" "pid with a FIFO without reader: message"
ctl_raw -s "$T/dead" status
assert_eq 4 "$CTL_RC" "status with a FIFO without reader: exit code"

# 3. A path that is not a FIFO.
: >"$T/regular"
ctl_raw -s "$T/regular" pid
assert_ne 0 "$CTL_RC" "pid with a regular file as FIFO: exit code"
assert_eq "" "$(cat "$T/regular")" "tendctl wrote into a regular file"

# 4. A FIFO whose reader never reads or answers: tendctl gives up after a
#    few seconds instead of hanging.
mkfifo "$T/deaf" || hard_error "mkfifo"
sleep 1000 3<>"$T/deaf" &
DEAF=$!
now_cs
START=$NOW
ctl_raw -s "$T/deaf" pid
elapsed_ok 15
kill "$DEAF"
wait "$DEAF" 2>/dev/null
assert_ne 0 "$CTL_RC" "pid with a FIFO that never answers: exit code"
assert_match "^tendctl: " "$CTL_OUT
$CTL_ERR" "pid with a FIFO that never answers: message"

# 5. Through -c: the control path comes from the config.
tend_config </dev/null
ctl pid
assert_eq 7 "$CTL_RC" "pid through -c with no daemon: exit code"
assert_match "^tendctl: cannot reach tendd at $CONTROL: .+" \
	"$CTL_OUT
$CTL_ERR" "pid through -c with no daemon: message"

# Nothing was left in $T by tendctl (its private reply FIFOs, if it puts
# them next to the control FIFO).
LEFT=$(find "$T" -type p ! -name dead ! -name deaf)
assert_eq "" "$LEFT" "FIFOs left behind in $T"

exit 0
