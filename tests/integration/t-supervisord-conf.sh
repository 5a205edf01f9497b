#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# A stock supervisord.conf (Debian's) and a typical one with programs, a
# group, numprocs and includes are accepted by `tendd -t`: what only
# supervisord uses gives one warning line each, [eventlistener:] is a
# pool of listeners, and the typical one runs.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

FIX=$TEND_SRCDIR/tests/fixtures

# 1. Debian's supervisord.conf, as the supervisor package ships it.
"$TENDD" -t -c "$FIX/supervisord.conf" >"$T/t.out" 2>"$T/t.err"
rc=$?
assert_eq 0 "$rc" "tendd -t on Debian's supervisord.conf: $(cat "$T/t.err")"
assert_match "^configuration OK: " "$(cat "$T/t.out")"
err=$(cat "$T/t.err")
assert_match ":3: \[unix_http_server\]: ignored \(supervisord's; tendctl talks to tendd through the control FIFO\)\$" "$err"
assert_match ":15: \[rpcinterface:supervisor\]: ignored " "$err"
assert_match ":18: \[supervisorctl\]: ignored " "$err"
assert_no_match "error" "$err"
# every warning is one line that names the file and line
assert_eq "" "$(grep -v "^tendd: warning: $FIX/supervisord.conf:[0-9]*: \[" "$T/t.err")" \
	"warnings are FILE:LINE: [SECTION] lines"

# 2. A typical one: programs, [group:], numprocs, includes, an event
#    listener and supervisord-only keys.
"$TENDD" -t -c "$FIX/typical/supervisord.conf" >"$T/t.out" 2>"$T/t.err"
rc=$?
assert_eq 0 "$rc" "tendd -t on the typical supervisord.conf: $(cat "$T/t.err")"
out=$(cat "$T/t.out")
err=$(cat "$T/t.err")
assert_match "workers:queue_00" "$out"
assert_match "workers:queue_01" "$out"
assert_match "workers:mailer" "$out"
assert_match "^    events:  PROCESS_STATE_EXITED \(pool buffer: 10\)\$" "$out"
# a listener's stdout (its protocol) is logged, AUTO by default, as supervisord does
assert_match "^    stdout:  .*/crashmail-stdout.log \(rotated at 50MB, 10 backups\)$" "$out"
assert_no_match "eventlistener" "$err"
assert_match "/typical/supervisord.conf:19: \[supervisord\] silent: ignored" "$err"
assert_match "/typical/supervisord.conf:51: \[program:web\] serverurl: ignored" "$err"
assert_no_match "events_enabled" "$err"

# 3. An error in an included file names that file and its line.
mkdir "$T/bad" "$T/bad/conf.d" || hard_error "mkdir"
cp "$FIX/typical/supervisord.conf" "$T/bad/" || hard_error "cp"
cp "$FIX/typical/conf.d/"*.conf "$T/bad/conf.d/" || hard_error "cp"
printf '[program:oops]\ncommand=/bin/true\nautostart=maybe\n' >"$T/bad/conf.d/zz.conf"
"$TENDD" -t -c "$T/bad/supervisord.conf" >"$T/t.out" 2>"$T/t.err"
rc=$?
assert_eq 1 "$rc" "tendd -t with an error in an included file"
assert_match "^tendd: $T/bad/conf.d/zz.conf:3: \[program:oops\] autostart: \"maybe\" is not a boolean" \
	"$(cat "$T/t.err")"

# 4. minfds above any limit tendd can get: it does not start, and says
#    which limit (supervisord's rule; fs.nr_open caps even root).
printf '[supervisord]\nminfds=2000000000\n' >"$T/big.conf"
timeout -s KILL 30 "$TENDD" -n -c "$T/big.conf" >"$T/big.out" 2>&1
rc=$?
assert_eq 1 "$rc" "tendd with an impossible minfds"
assert_match "minfds=2000000000 is above the hard limit of open files \([0-9]+\) and tendd cannot raise it: .* \(raise the limit before starting tendd, or lower minfds\)" \
	"$(cat "$T/big.out")"

# 5. The typical one runs (with a [tend] section for the test's paths,
#    which wins over [supervisord]).
cp -r "$FIX/typical/conf.d" "$T/" || hard_error "cp"
tend_config <"$FIX/typical/supervisord.conf"
tend_start
wait_state web RUNNING
wait_state workers:queue_00 RUNNING
wait_state workers:queue_01 RUNNING
ctl status workers:mailer
assert_match "^workers:mailer +STOPPED +Not started\$" "$CTL_OUT"
[ -f "$T/queue-1.log" ] || fail "queue_01's stdout_logfile (%(here)s/../queue-%(process_num)d.log) is missing"
# [tend] logfile= won over [supervisord] logfile=/tmp/supervisord.log
wait_log "spawned: 'queue_00'"
exit 0
