#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119
# The wall clock stepped back an hour (libfaketime, monotonic clock left
# alone) while tendd runs: uptimes never go negative, and timeouts
# (stopwaitsecs, startsecs, backoff) keep measuring real elapsed time,
# because every timer is on CLOCK_MONOTONIC.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

LIB=
for f in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
	/usr/lib/faketime/libfaketime.so.1; do
	[ -f "$f" ] && LIB=$f && break
done
[ -n "$LIB" ] || skip "libfaketime is not installed (Debian package faketime)"

printf '+0\n' >"$T/faketime"
tend_config <<EOF
[program:up]
command=/bin/sleep 1000
startsecs=0

[program:stubborn]
command=/bin/sh -c "trap '' TERM; exec /bin/sleep 1000"
startsecs=0
stopwaitsecs=2

[program:slowstart]
command=/bin/sleep 1000
startsecs=2
autostart=false
EOF
# verify_asan_link_order=0: a sanitizer build of tendd accepts the preload.
TENDD_WRAPPER="env ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=$LIB FAKETIME_TIMESTAMP_FILE=$T/faketime FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1"
tend_start
wait_state up RUNNING
wait_state stubborn RUNNING

# The wall clock goes back one hour.
printf -- '-1h\n' >"$T/faketime"
status_line up
assert_match "^up +RUNNING +pid [0-9]+, uptime 0:00:0[0-9]\$" "$LINE" \
	"uptime after the clock went back (never negative)"

# stopwaitsecs=2 still means two seconds.
now_cs
T0=$NOW
ctl stop stubborn
assert_eq 0 "$CTL_RC" "stop stubborn"
now_cs
ELAPSED=$((NOW - T0))
[ "$ELAPSED" -ge 150 ] && [ "$ELAPSED" -lt 1500 ] ||
	fail "stop took $ELAPSED cs with stopwaitsecs=2 after the clock step"
log_has "killing 'stubborn'" || fail "stubborn was not killed with SIGKILL"

# startsecs=2 still means two seconds.
now_cs
T0=$NOW
ctl start slowstart
assert_eq 0 "$CTL_RC" "start slowstart"
now_cs
ELAPSED=$((NOW - T0))
[ "$ELAPSED" -ge 150 ] && [ "$ELAPSED" -lt 1500 ] ||
	fail "start took $ELAPSED cs with startsecs=2 after the clock step"

# And forward a day: still no surprise.
printf '+1d\n' >"$T/faketime"
status_line up
assert_match "^up +RUNNING +pid [0-9]+, uptime " "$LINE" "status after a jump forward"
exit 0
