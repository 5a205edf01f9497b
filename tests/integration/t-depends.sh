#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# depends_on= (s6-rc's dependencies, gated on readiness): web depends on
# db (autostart=false, ready through notification_fd): at start-up db is
# started for web, and web waits in STARTING without a pid until db is
# RUNNING (so do the five processes of w); "tendctl start web" after both
# were stopped starts db again and returns once web runs; a dependency
# that goes FATAL fails the start of its dependents with a clear reason; a dependency that is RUNNING at once
# (startsecs=0) lets its dependent go on at once; while a dependent waits,
# a dependency stopped by hand stays stopped; an update that adds a
# program and its dependency together starts both; at shutdown web is
# stopped before db although db's priority would stop it first.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkfifo "$T/go-db" || hard_error "mkfifo"

write_config() {
	tend_config <<EOF
[program:web]
command=/bin/sleep 1000
depends_on=db
startsecs=0
priority=10

[program:w]
command=/bin/sleep 1000
process_name=w%(process_num)d
numprocs=5
depends_on=db
startsecs=0

[program:db]
command=/bin/sh -c 'read x <"$T/go-db"; echo >&3; exec /bin/sleep 1000'
notification_fd=3
autostart=false
priority=20

[program:broken]
command=/bin/sh -c 'exit 1'
autostart=false
startretries=0

[program:needs-broken]
command=/bin/sleep 1000
depends_on=broken
autostart=false
startretries=0

[program:fast]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:quick]
command=/bin/sleep 1000
depends_on=fast
startsecs=0
autostart=false
${1:-}
EOF
}
write_config
tend_start

# 1. Start-up: db is started for web; web waits without a pid.
wait_log "web: starting db, which it depends on"
wait_log "web: waiting for the programs it depends on (depends_on)"
state_of web
assert_eq STARTING "$STATE" "web while db is not ready"
assert_match "^web +STARTING +waiting for db \(depends_on\)$" "$CTL_OUT" \
	"web's status line while it waits"
ctl pid web
assert_eq 0 "$CTL_OUT" "web's pid while it waits"
state_of db
assert_eq STARTING "$STATE" "db before its readiness line"
state_of w:w3
assert_eq STARTING "$STATE" "w:w3 while db is not ready"
echo go >"$T/go-db"
wait_state db RUNNING
wait_state web RUNNING
for i in 0 1 2 3 4; do
	wait_state "w:w$i" RUNNING
done

# 2. tendctl start web, with both stopped, brings db up first.
ctl stop web db
assert_eq 0 "$CTL_RC" "stop web db"
"$TENDCTL" -c "$CONF" start web >"$T/start.out" 2>&1 &
START=$!
wait_state db STARTING
state_of web
assert_eq STARTING "$STATE" "web waiting again"
echo go >"$T/go-db"
wait_until 20 '! proc_alive "$START"' "tendctl start web to return"
wait "$START"
assert_eq 0 $? "tendctl start web exit code"
assert_eq "web: started" "$(cat "$T/start.out")" "tendctl start web"
state_of db
assert_eq RUNNING "$STATE" "db after start web"

# 3. A FATAL dependency fails its dependent, and says which.
ctl start needs-broken
assert_eq 7 "$CTL_RC" "start needs-broken exit code ($CTL_OUT)"
wait_state broken FATAL
wait_state needs-broken FATAL
ctl status needs-broken
assert_match "dependency broken is FATAL" "$CTL_OUT" "needs-broken's status"

# 4. A dependency RUNNING at once: the dependent does not wait for an
# unrelated change to look again.
ctl start quick
assert_ctl 0 "quick: started" "start quick"
state_of fast
assert_eq RUNNING "$STATE" "fast, started for quick"

# 5. While web waits, db stopped by hand stays stopped.
ctl stop web db
assert_eq 0 "$CTL_RC" "stop web db again"
"$TENDCTL" -c "$CONF" start web >/dev/null 2>&1 &
START=$!
wait_state db STARTING
wait_state web STARTING
ctl stop db
assert_ctl 0 "db: stopped" "stop db while web waits"
ctl stop quick
assert_eq 0 "$CTL_RC" "stop quick (a change for the waiters to look at)"
state_of db
assert_eq STOPPED "$STATE" "db after it was stopped while web waits"
state_of web
assert_eq STARTING "$STATE" "web still waiting"
ctl stop web
assert_eq 0 "$CTL_RC" "stop the waiting web"
wait "$START"

# 6. An update adding app and the zdb it depends on (app sorts first).
write_config "
[program:app]
command=/bin/sleep 1000
depends_on=zdb
startsecs=0
startretries=0

[program:zdb]
command=/bin/sleep 1000
startsecs=0
autostart=false"
ctl update
assert_eq 0 "$CTL_RC" "update ($CTL_OUT)"
wait_state app RUNNING
state_of zdb
assert_eq RUNNING "$STATE" "zdb, started for app"

# 7. Shutdown: web before db, against their priorities.
start_through_fifo web db "$T/go-db"
wait_state web RUNNING
tend_stop
WEB_AT=$(grep -n "stopped: web" "$LOGFILE" | tail -n 1 | cut -d: -f1)
DB_AT=$(grep -n "stopped: db" "$LOGFILE" | tail -n 1 | cut -d: -f1)
[ -n "$WEB_AT" ] && [ -n "$DB_AT" ] || fail "no stop lines for web and db"
[ "$WEB_AT" -lt "$DB_AT" ] || fail "db (line $DB_AT) was stopped before web (line $WEB_AT), which depends on it"
exit 0
