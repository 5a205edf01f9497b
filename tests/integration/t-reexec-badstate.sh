#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Live re-exec (issue 16): a new image given a state it cannot read (here
# a version it does not know, and a truncated one) says why, loudly, and
# starts afresh instead of acting on it: every inherited descriptor is
# closed, the state file's orphans are stopped as after a crash, the
# programs start, tendctl is served.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:sleeper]
command=/bin/sleep 1000
EOF

# tendd with fd 7 open on $T/state, as the old image would pass it
cat >"$T/wrap" <<EOF
#!/bin/sh
exec "\$@" --handover 7 7<"$T/state"
EOF
chmod 0755 "$T/wrap"

printf 'tend-handover 99\nend 0\n' >"$T/state"
TENDD_WRAPPER=$T/wrap tend_start
wait_state sleeper RUNNING
assert_match "live re-exec failed: the handover is not readable: line 1: handover version 99 is not known to this tendd .it reads 1 to [0-9]*.: starting afresh" \
	"$(cat "$ERRFILE")" "the refusal of version 99"
ctl version
assert_eq 0 "$CTL_RC" "tendctl version"
tend_stop

printf 'tend-handover 1\ndaemon generation=1 self=/x control=3 replydir=4\nproc name=a:a state=20 pid=1\n' >"$T/state"
TENDD_WRAPPER=$T/wrap tend_start
wait_state sleeper RUNNING
assert_match "live re-exec failed: the handover is not readable: truncated .no end record.: starting afresh" \
	"$(cat "$ERRFILE")" "the refusal of a truncated state"
ctl pid
assert_eq "$TENDD_PID" "$CTL_OUT" "tendctl pid"
log_has "live re-exec failed: the handover is not readable: truncated" ||
	fail "the failed re-exec is not in the log"
