#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# user=nobody: the child runs with nobody's uid, gid and groups, never 0.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root"
id nobody >/dev/null 2>&1 || skip "no user nobody"
NUID=$(id -u nobody)
NGID=$(id -g nobody)
NGROUPS=$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')

tend_config <<EOF
[program:dropped]
command=/bin/sleep 1000
startsecs=0
user=nobody
EOF
tend_start

wait_state dropped RUNNING
child_pid dropped
PID=$CPID

proc_field "$PID" Uid
assert_eq "$NUID $NUID $NUID $NUID" "$FIELD_VAL" "Uid line (real, effective, saved, fs)"
proc_field "$PID" Gid
assert_eq "$NGID $NGID $NGID $NGID" "$FIELD_VAL" "Gid line (real, effective, saved, fs)"
proc_field "$PID" Groups
GROUPS_NOW=$(printf "%s\n" "$FIELD_VAL" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')
case " $GROUPS_NOW " in
*" 0 "*) fail "the child is still in group 0 (Groups: $GROUPS_NOW)" ;;
esac
assert_eq "$NGROUPS" "$GROUPS_NOW" "Groups line (id -G nobody)"
proc_field "$PID" CapEff
assert_eq 0000000000000000 "$FIELD_VAL" "CapEff of the child"

exit 0
