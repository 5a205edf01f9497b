#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# S6-S8, S10, StrictModes, B10 (as root; skipped otherwise):
#  - user= naming a missing user: a configuration error with file:line;
#  - a non-root tendd (run as nobody) asked for user=root: spawn error
#    "Can't drop privilege as nonroot user", FATAL, the program never runs;
#  - user= a test user made here (useradd, removed at exit) with two
#    supplementary groups: the child's Groups are exactly "id -G" of it,
#    Uid/Gid all four fields the target's, no capability;
#  - environment= values with quotes, commas, '=', spaces and a newline (a
#    continuation line) reach the child exactly, one copy of each key (as
#    supervisord; tend has no backslash escapes inside quotes);
#  - tendd as root with LD_PRELOAD / LD_LIBRARY_PATH in its environment
#    warns at start-up;
#  - a configuration writable by others, or owned by another user, is
#    refused by a root tendd, and "tendd -t" says why.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root"
id nobody >/dev/null 2>&1 || skip "no user nobody"
command -v useradd >/dev/null 2>&1 || skip "no useradd"
command -v setpriv >/dev/null 2>&1 || skip "no setpriv"

TU=tendt$$
TG1=tendg1$$
TG2=tendg2$$
_cleanup_users() {
	userdel -f "$TU" >/dev/null 2>&1
	groupdel "$TG1" >/dev/null 2>&1
	groupdel "$TG2" >/dev/null 2>&1
}
trap '_prc=$?; _cleanup_users; (exit $_prc); _teardown' EXIT

# ---- 1. StrictModes: refused with a reason, by -t and at start-up.
tend_config <<EOF
[program:web]
command=/bin/sleep 1000
EOF
check_refused() {
	timeout -s KILL 20 "$TENDD" -t -c "$CONF" >"$T/t.out" 2>&1 </dev/null
	RC=$?
	assert_eq 1 "$RC" "tendd -t on a config $1: exit code"
	assert_match "$2" "$(cat "$T/t.out")" "tendd -t on a config $1: reason"
}
chmod 0666 "$CONF"
check_refused "writable by others" "$CONF: refused: writable by others \(mode 0666\) and tendd runs as root"
chmod 0620 "$CONF"
check_refused "writable by its group" "$CONF: refused: writable by its group \(mode 0620\)"
chmod 0644 "$CONF"
chown nobody "$CONF"
check_refused "owned by nobody" "$CONF: refused: owned by uid $(id -u nobody), not root, and tendd runs as root"
chown root "$CONF"
timeout -s KILL 20 "$TENDD" -t -c "$CONF" >"$T/t.out" 2>&1 </dev/null
assert_eq 0 "$?" "tendd -t on a root-owned 0644 config: $(cat "$T/t.out")"

# ---- 2. user= a missing user: configuration error with file:line.
tend_config <<EOF
[program:ghost]
command=/bin/sleep 1000
user=no_such_user_$$
EOF
timeout -s KILL 20 "$TENDD" -t -c "$CONF" >"$T/t.out" 2>&1 </dev/null
assert_eq 1 "$?" "tendd -t with user=no_such_user: exit code"
assert_match "$CONF:[0-9]+: .*user.*no_such_user_$$" "$(cat "$T/t.out")" \
	"tendd -t with a missing user: file:line and the name"

# ---- 3. Supplementary groups exactly the target's; environment values.
groupadd "$TG1" || hard_error "groupadd $TG1"
groupadd "$TG2" || hard_error "groupadd $TG2"
useradd -M -N -d /nonexistent -s /usr/sbin/nologin -g nogroup \
	-G "$TG1,$TG2" "$TU" || hard_error "useradd $TU"
WANT_GROUPS=$(id -G "$TU" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')
TUID=$(id -u "$TU")
TGID=$(id -g "$TU")
tend_config <<EOF
[program:dropped]
command=/bin/sleep 1000
startsecs=0
user=$TU
environment=Q='say "hi"',C="a,b,c",E="k=v=w",S="two  spaces",P=plain,
  N="line1
  line2"
EOF
# Start as root with loader variables set: a start-up warning for each.
LD_LIBRARY_PATH=/nonexistent-lib LD_PRELOAD= tend_start
wait_log "running as root with LD_LIBRARY_PATH set: every program inherits it"
wait_log "running as root with LD_PRELOAD set"
wait_state dropped RUNNING
child_pid dropped
proc_field "$CPID" Uid
assert_eq "$TUID $TUID $TUID $TUID" "$FIELD_VAL" "Uid line of the child"
proc_field "$CPID" Gid
assert_eq "$TGID $TGID $TGID $TGID" "$FIELD_VAL" "Gid line of the child"
proc_field "$CPID" Groups
GOT=$(printf '%s\n' "$FIELD_VAL" | tr ' ' '\n' | sed '/^$/d' | sort -n | tr '\n' ' ' | sed 's/ $//')
assert_eq "$WANT_GROUPS" "$GOT" "Groups of the child (id -G $TU)"
proc_field "$CPID" CapEff
assert_eq 0000000000000000 "$FIELD_VAL" "CapEff of the child"
ENVF=$T/environ
tr '\0' '\n' <"/proc/$CPID/environ" >"$ENVF"
for kv in 'Q=say "hi"' 'C=a,b,c' 'E=k=v=w' 'S=two  spaces' 'P=plain' "USER=$TU"; do
	grep -qxF -- "$kv" "$ENVF" || fail "the child's environment lacks [$kv]:
$(cat "$ENVF")"
done
# The newline inside the quoted value, from the continuation line.
assert_eq "line2" "$(sed -n '/^N=line1$/{n;p;}' "$ENVF")" "N's second line"
assert_eq "" "$(sed 's/=.*//' "$ENVF" | sort | uniq -d)" "duplicate keys in the environment"
tend_stop

# ---- 4. tendd as nobody, user=root: refused, never run as root.
chown -R nobody "$T"
tend_config <<EOF
[program:root]
command=/bin/sh -c 'id -u >"$T/ran-as"; exec /bin/sleep 1000'
startsecs=0
startretries=1
user=root
EOF
chown nobody "$CONF"
# copies of tendd and tendctl nobody can run, wherever the build tree is
other_user_bin nobody "$TENDD" "$TENDCTL"
TENDD=$OTHER_BIN/tendd
TENDD_WRAPPER="setpriv --reuid=nobody --regid=nogroup --clear-groups ${TENDD_WRAPPER:-}"
# tendctl as nobody too: tendd (nobody) must be able to open its reply FIFO.
printf '#!/bin/sh\nexec setpriv --reuid=nobody --regid=nogroup --clear-groups "%s" "$@"\n' \
	"$OTHER_BIN/tendctl" >"$T/tendctl-nobody" && chmod +x "$T/tendctl-nobody" ||
	hard_error "cannot write $T/tendctl-nobody"
TENDCTL=$T/tendctl-nobody
tend_start
wait_state root FATAL
wait_log "spawnerr: Can't drop privilege as nonroot user"
[ -e "$T/ran-as" ] && fail "the program ran (as uid $(cat "$T/ran-as")) although the drop failed"
proc_field "$TENDD_PID" Uid
assert_eq "$(id -u nobody)" "${FIELD_VAL%% *}" "tendd's uid"
exit 0
