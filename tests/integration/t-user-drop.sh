#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# user=nobody: the child runs with nobody's uid, gid and groups, never 0;
# directory= is entered after the drop, with nobody's rights (issue 12,
# finding 7): one nobody may enter is its cwd, one only root may enter
# fails the spawn with supervisord's "couldn't chdir to DIR: EACCES".
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root"
id nobody >/dev/null 2>&1 || skip "no user nobody"
NUID=$(id -u nobody)
NGID=$(id -g nobody)
NGROUPS=$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')

# $T is 0700: let nobody through it to $T/open, not into $T/secret.
chmod 711 "$T" || hard_error "chmod $T"
mkdir -m 755 "$T/open" || hard_error "mkdir $T/open"
mkdir -m 700 "$T/secret" || hard_error "mkdir $T/secret"

tend_config <<EOF
[program:dropped]
command=/bin/sleep 1000
startsecs=0
user=nobody

[program:indir]
command=/bin/sleep 1000
startsecs=0
user=nobody
directory=$T/open

[program:nodir]
command=/bin/sleep 1000
startsecs=0
startretries=0
user=nobody
directory=$T/secret

[program:rootdir]
command=/bin/sleep 1000
startsecs=0
directory=$T/secret
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

# directory= with the user's rights.
wait_state indir RUNNING
child_pid indir
assert_eq "$T/open" "$(readlink "/proc/$CPID/cwd")" "cwd of indir"
wait_state nodir FATAL
status_line nodir
assert_match "couldn't chdir to $T/secret: EACCES" "$LINE" "status of nodir"
wait_log "spawnerr: couldn't chdir to $T/secret: EACCES"
# root itself still enters it.
wait_state rootdir RUNNING
child_pid rootdir
assert_eq "$T/secret" "$(readlink "/proc/$CPID/cwd")" "cwd of rootdir"

exit 0
