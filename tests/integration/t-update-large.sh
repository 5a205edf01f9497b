#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# reread and update of 20 000 programs (autostart=false), 10 000 of them
# in one [group:], after an edit that changes two, drops one and adds two
# (one to the big group, in the middle of its names, one alone): the
# output names exactly those, the rest is left alone, and status still
# lists every process in order. The diff
# finds a group's processes by binary search and sorts once per update (a
# scan of every process per group made update take 6.9 s at 20 000
# programs, tendd deaf meanwhile); the times are printed, not asserted:
# the timeouts only catch a quadratic update.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

N=20000
# programs CHANGED: the [program:] sections; CHANGED=1 gives big:p3 and
# p12345 a new command, drops p19999, adds p5000a to big and pnew
# (autostart) alone.
programs() {
	awk -v n=$N -v changed="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (changed && i == n - 1)
				continue
			s = (changed && (i == 3 || i == 12345)) ? i + 1 : i
			printf "[program:p%d]\ncommand=/bin/sleep %d\n", i, s
			printf "autostart=false\n\n"
		}
		printf "[group:big]\nprograms="
		for (i = 0; i < n / 2; i++)
			printf "%sp%d", (i ? "," : ""), i
		if (changed)
			printf ",p5000a"
		printf "\n\n"
		if (changed) {
			printf "[program:p5000a]\ncommand=/bin/sleep 1\n"
			printf "autostart=false\n\n"
			printf "[program:pnew]\ncommand=/bin/sleep 1000\nstartsecs=0\n"
		}
	}'
}

programs 0 | tend_config
TIMEOUT_SCALE=$((TIMEOUT_SCALE * 3)) tend_start
ctl status
assert_eq 3 "$CTL_RC" "status: none running"
assert_eq "$N" "$(printf '%s\n' "$CTL_OUT" | grep -c ' STOPPED ')" \
	"$N processes, STOPPED"

# timed CMD...: ctl CMD, SECS set to how long it took.
timed() {
	now_cs
	_t0=$NOW
	ctl "$@"
	now_cs
	SECS=$(((NOW - _t0) / 100)).$(printf '%02d' $(((NOW - _t0) % 100)))
}

timed reread
note "reread of $N unchanged programs: $SECS s"
assert_ctl 0 "No config updates to processes" "reread, unchanged"

programs 1 | tend_config
timed reread
note "reread of $N programs, 4 groups differ: $SECS s"
assert_ctl 0 "big: changed
p12345: changed
p19999: disappeared
pnew: available" "reread after the edit"

timed update
note "update of $N programs, 4 groups differ: $SECS s"
assert_ctl 0 "p19999: stopped
p19999: removed process group
big: stopped
big: updated process group
p12345: stopped
p12345: updated process group
pnew: added process group" "update"
wait_state pnew RUNNING

ctl status big:p3 big:p5000a
assert_ctl 3 "$(printf '%-33s%-10s%s\n' big:p3 STOPPED 'Not started' \
	big:p5000a STOPPED 'Not started')" "big:p3 updated, big:p5000a added"
ctl status p19999
assert_ctl 4 "p19999: ERROR (no such process)" "p19999 is removed"
ctl avail
assert_match "^big:p3 +in use +manual +999:999\$" "$CTL_OUT" "big:p3 in use"
assert_match "^p12345 +in use +manual +999:999\$" "$CTL_OUT" "p12345 in use"
assert_eq $((N + 1)) "$(printf '%s\n' "$CTL_OUT" | grep -c ' in use ')" \
	"avail: $((N + 1)) programs in use"
ctl status
assert_eq $((N + 1)) "$(printf '%s\n' "$CTL_OUT" | wc -l)" \
	"status: $((N + 1)) processes"
printf '%s\n' "$CTL_OUT" | awk '{ print $1 }' | LC_ALL=C sort -c ||
	fail "status does not list the processes in order"
assert_match "^big:p9999 +STOPPED" "$(printf '%s\n' "$CTL_OUT" | grep '^big:p9999 ')" \
	"big:p9999 is still in big"
assert_match "^p19998 +STOPPED" "$(printf '%s\n' "$CTL_OUT" | grep '^p19998 ')" \
	"p19998 is still there"

timed reread
note "reread after the update: $SECS s"
assert_ctl 0 "No config updates to processes" "reread after the update"
timed update
note "update with nothing to do: $SECS s"
assert_ctl 0 "" "update with nothing to do"
exit 0
