#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# healthcheck=exec: the check is spawned like its program (no shell unless
# it names one), exit 0 healthy, anything else "CMD: exit status N"; a
# check that hangs is killed with its process group at the timeout and
# leaves no process behind. healthcheck_start_period: failures in it are
# not counted (logged at debug), the first one after it is. ready_on=
# healthcheck: the program stays STARTING, whatever startsecs say, until a
# probe passes. As root, the check runs as the program's user, in its
# directory, with its environment.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

touch "$T/ok"
AS_NOBODY=0
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	AS_NOBODY=1
	chmod 0755 "$T" || hard_error "chmod $T"
	mkdir -m 0777 "$T/who" || hard_error "mkdir $T/who"
fi
tend_config <<EOF
[program:ex]
command=/bin/sleep 1000
startsecs=0
healthcheck=exec:/bin/sh -c 'test -e "$T/ok"'
healthcheck_interval=1
healthcheck_retries=1
healthcheck_action=none

[program:hang]
command=/bin/sleep 1000
startsecs=0
healthcheck=exec:/bin/sh -c 'echo \$\$ >>"$T/hang.pids"; /bin/sleep 1000 & echo \$! >>"$T/hang.pids"; wait'
healthcheck_interval=1
healthcheck_timeout=1
healthcheck_retries=2
healthcheck_action=none

[program:late]
command=/bin/sleep 1000
startsecs=0
healthcheck=exec:/bin/false
healthcheck_interval=1
healthcheck_retries=1
healthcheck_start_period=6

[program:gate]
command=/bin/sleep 1000
startsecs=0
ready_on=healthcheck
healthcheck=exec:/usr/bin/test -e "$T/gate"
healthcheck_interval=30
healthcheck_action=none
EOF
if [ "$AS_NOBODY" = 1 ]; then
	cat >>"$CONF" <<EOF

[program:who]
command=/bin/sleep 1000
startsecs=0
user=nobody
directory=$T/who
environment=WHO_VAR=probe-env
healthcheck=exec:/bin/sh -c 'id -u >uid; pwd >pwd; echo "\$WHO_VAR" >env'
healthcheck_interval=1
EOF
fi
tend_start

healthy_json() {
	ctl status --json "$1"
	printf '%s\n' "$CTL_OUT" | grep -q "\"healthy\":$2,"
}

# 1. exit 0 healthy, exit 1 not, and back.
wait_until 20 'healthy_json ex true' "ex healthy"
rm "$T/ok"
wait_log "unhealthy: ex (/bin/sh: exit status 1)"
status_line ex
assert_match '^ex +RUNNING +pid [0-9]+, uptime [0-9:]+, unhealthy \(1 of 1 failed: /bin/sh: exit status 1\)$' \
	"$LINE" "ex failing"
touch "$T/ok"
wait_log "healthy again: ex"

# 2. a check that hangs: killed with its group at the timeout.
wait_log "health check of hang failed (1 of 2): timed out after 1 s"
wait_until 20 '[ "$(wc -l <"$T/hang.pids")" -ge 2 ]' "the hanging check's pids"
for p in $(head -2 "$T/hang.pids"); do
	wait_until 10 '! proc_alive '"$p" "check process $p to be gone"
done
wait_log "unhealthy: hang (timed out after 1 s)"

# 3. start period: not counted in it, counted after it.
wait_log "unhealthy: late (/bin/false: exit status 1)"
wait_log "restarting late: unhealthy"
FIRST_NC=$(grep -nF "health check of late failed in its start period (not counted)" "$LOGFILE" | head -1 | cut -d: -f1)
FIRST_BAD=$(grep -nF "unhealthy: late" "$LOGFILE" | head -1 | cut -d: -f1)
[ -n "$FIRST_NC" ] || fail "no failure in late's start period was logged"
[ "$FIRST_NC" -lt "$FIRST_BAD" ] || fail "late was unhealthy before its start period ended"
log_count "health check of late failed in its start period"
[ "$COUNT" -ge 2 ] || fail "only $COUNT failures in a 6 s start period at 1 s intervals"
ctl stop late

# 4. ready_on=healthcheck: STARTING until a probe passes.
wait_log "health check of gate failed (1 of 3)"
state_of gate
assert_eq STARTING "$STATE" "gate before its check passes"
touch "$T/gate"
wait_state gate RUNNING
log_has "success: gate entered RUNNING state, process is ready (healthcheck)" ||
	fail "no readiness line for gate"

# 5. as the program's user, in its directory, with its environment.
if [ "$AS_NOBODY" = 1 ]; then
	wait_until 20 '[ -s "$T/who/env" ]' "who's check to run"
	assert_eq "$(id -u nobody)" "$(cat "$T/who/uid")" "the check's uid"
	assert_eq "$T/who" "$(cat "$T/who/pwd")" "the check's directory"
	assert_eq probe-env "$(cat "$T/who/env")" "the check's environment"
else
	note "not root (or no user nobody): the user of a check is not tested"
fi
