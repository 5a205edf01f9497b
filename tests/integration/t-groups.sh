#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# [group:x] and numprocs: processes are addressed as group:name, group:*
# addresses a whole group, names are made by process_name, and every verb
# says what supervisorctl says about unknown groups and processes.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<'EOF2'
[group:web]
programs=a,b
priority=5

[program:a]
command=/bin/sleep 1000
startsecs=0

[program:b]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:solo]
command=/bin/sleep 1000
startsecs=0

[program:w]
command=/bin/sh -c 'exec sleep 10%(process_num)d'
numprocs=3
numprocs_start=1
process_name=%(program_name)s_%(process_num)02d
startsecs=0
EOF2
tend_start
wait_state web:a RUNNING
wait_state solo RUNNING
wait_state w:w_01 RUNNING
wait_state w:w_02 RUNNING
wait_state w:w_03 RUNNING

# status: sorted by group, then name
ctl status
assert_eq 3 "$CTL_RC" "status exit code with web:b stopped"
assert_eq "solo w:w_01 w:w_02 w:w_03 web:a web:b" \
	"$(printf '%s\n' "$CTL_OUT" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')" \
	"status order"
assert_match "^web:b +STOPPED +Not started\$" "$CTL_OUT"
ctl status 'web:*'
assert_eq 3 "$CTL_RC" "status web:*"
assert_eq "web:a web:b" "$(printf '%s\n' "$CTL_OUT" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
ctl status a
assert_ctl 4 "a: ERROR (no such process)" "status a"
ctl status 'nosuch:*'
assert_ctl 4 "nosuch: ERROR (no such group)" "status nosuch:*"
ctl status w_01
assert_ctl 4 "w_01: ERROR (no such process)" "status w_01"

# status --json: one object per process, the same exit status
ctl status --json 'web:*'
assert_eq 3 "$CTL_RC" "status --json web:*"
if command -v python3 >/dev/null 2>&1; then
	got=$(printf '%s\n' "$CTL_OUT" | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["name"], p["group"], p["process"], p["state"], p["pid"] > 0,
          p["uptime"] >= 0, p["exitstatus"], p["description"].split(",")[0].split(" ")[0])
') || fail "status --json is not JSON: $CTL_OUT"
	assert_eq "web:a web a RUNNING True True 0 pid
web:b web b STOPPED False True 0 Not" "$got" "status --json"
fi
ctl status --json nosuch
assert_eq 4 "$CTL_RC" "status --json nosuch"
assert_eq "[
]" "$CTL_OUT" "status --json nosuch: stdout"
assert_eq "nosuch: ERROR (no such process)" "$CTL_ERR" "status --json nosuch: stderr"

# the processes know their names and group
child_pid w:w_02
assert_match "^sleep 102\$" "$(tr '\0' ' ' <"/proc/$CPID/cmdline" | sed 's/ $//')" \
	"%(process_num)d in command"
env=$(tr '\0' '\n' <"/proc/$CPID/environ")
assert_match "^SUPERVISOR_GROUP_NAME=w\$" "$env"
assert_match "^SUPERVISOR_PROCESS_NAME=w_02\$" "$env"
child_pid web:a
env=$(tr '\0' '\n' <"/proc/$CPID/environ")
assert_match "^SUPERVISOR_GROUP_NAME=web\$" "$env"
assert_match "^SUPERVISOR_PROCESS_NAME=a\$" "$env"

# start/stop/restart/signal of a group
ctl start 'web:*'
assert_ctl 0 "web:b: started" "start web:*"
ctl stop 'web:*'
assert_eq 0 "$CTL_RC" "stop web:*"
assert_eq "web:a: stopped
web:b: stopped" "$(printf '%s\n' "$CTL_OUT" | sort)" "stop web:*"
ctl stop 'web:*'
assert_ctl 0 "" "stop web:* again"
ctl restart 'web:*'
assert_eq 0 "$CTL_RC" "restart web:*"
assert_eq "web:a: started
web:b: started" "$(printf '%s\n' "$CTL_OUT" | sort)" "restart web:*"
ctl start web:a
assert_ctl 0 "web:a: ERROR (already started)" "start web:a"
ctl start web:nosuch
assert_ctl 1 "web:nosuch: ERROR (no such process)" "start web:nosuch"
ctl start 'nosuch:*'
assert_ctl 2 "nosuch: ERROR (no such group)" "start nosuch:*"
ctl stop 'nosuch:*'
assert_ctl 1 "nosuch: ERROR (no such group)" "stop nosuch:*"
ctl signal HUP web:nosuch
assert_ctl 1 "web:nosuch: ERROR (no such process)" "signal HUP web:nosuch"
ctl signal CONT 'w:*'
assert_eq 0 "$CTL_RC" "signal CONT w:*"
assert_eq "w:w_01: signalled
w:w_02: signalled
w:w_03: signalled" "$(printf '%s\n' "$CTL_OUT" | sort)" "signal w:*"

# pid takes a namespec
child_pid web:a
ctl pid a
assert_ctl 1 "No such process a" "pid a"
ctl pid 'web:*'
assert_ctl 1 "No such process web:*" "pid web:*"

# stop one process of a numprocs group; all stops every process
ctl stop w:w_02
assert_ctl 0 "w:w_02: stopped" "stop w:w_02"
ctl stop all
assert_eq 0 "$CTL_RC" "stop all"
assert_eq "solo: stopped
w:w_01: stopped
w:w_03: stopped
web:a: stopped
web:b: stopped" "$(printf '%s\n' "$CTL_OUT" | sort)" "stop all"
exit 0
