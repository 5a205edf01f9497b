#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# tendctl -H: a verb run over ssh on another "host". The test starts its
# own sshd (Debian's openssh-server) on a free port of 127.0.0.1 with a
# host key and a user key made here, and a second tendd with its own
# config and FIFO. Through -H: status gives the local output and exit
# status (3 for a stopped program too), the -c option is passed along,
# two -H run in parallel with every line prefixed by its host, status
# --json of two hosts is one JSON array with a "host" field, edit is
# refused, and a closed port gives "cannot connect (ssh exit 255)".
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || skip "$SSHD is missing (Debian: openssh-server)"
[ "$(id -u)" = 0 ] || skip "sshd must run as root to log in as this user"
for _c in ssh ssh-keygen python3; do
	command -v "$_c" >/dev/null 2>&1 || skip "$_c is missing"
done

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

SSHD_PID=
TEND2_PID=
TEARDOWN_HOOK='stop_extra'
stop_extra() {
	if [ -n "$TEND2_PID" ]; then
		kill -TERM "$TEND2_PID" 2>/dev/null
		wait "$TEND2_PID" 2>/dev/null
	fi
	if [ -n "$SSHD_PID" ]; then
		kill -TERM "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
	fi
}

# ---- sshd on a free port, keys made here
PORT=$(free_port) || hard_error "no free port"
ssh-keygen -q -t ed25519 -N '' -f "$T/host_key" || hard_error "ssh-keygen host"
ssh-keygen -q -t ed25519 -N '' -f "$T/user_key" || hard_error "ssh-keygen user"
cp "$T/user_key.pub" "$T/authorized_keys" || hard_error "authorized_keys"
cat >"$T/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $PORT
HostKey $T/host_key
AuthorizedKeysFile $T/authorized_keys
PidFile $T/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
PermitUserEnvironment no
LogLevel VERBOSE
EOF
cat >"$T/ssh_config" <<EOF
Host *
	IdentityFile $T/user_key
	IdentitiesOnly yes
	UserKnownHostsFile $T/known_hosts
	StrictHostKeyChecking no
	BatchMode yes
	ConnectTimeout 10
	LogLevel ERROR
EOF
# privilege separation wants this directory
[ -d /run/sshd ] || mkdir -p /run/sshd || hard_error "mkdir /run/sshd"
"$SSHD" -D -f "$T/sshd_config" -E "$T/sshd.log" &
SSHD_PID=$!
if ! poll_until 10 'python3 -c "import socket; socket.create_connection((\"127.0.0.1\", $PORT), 1)" 2>/dev/null'; then
	cat "$T/sshd.log" >&2
	skip "sshd did not listen on 127.0.0.1:$PORT"
fi
export TEND_SSH="ssh -F $T/ssh_config"
# the remote shell finds the build's tendctl (its PATH is sshd's)
export TENDCTL_REMOTE="$TENDCTL"

# ---- the local tendd (lib.sh's) and a second one, with its own FIFO
tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0

[program:idle]
command=/bin/sleep 1000
autostart=false
EOF
tend_start
wait_state web RUNNING

mkdir "$T/two" "$T/two/log" || hard_error "mkdir two"
CONF2=$T/two/tend.ini
cat >"$CONF2" <<EOF
[tend]
control=$T/two/control
pidfile=$T/two/tendd.pid
logfile=$T/two/tendd.log
childlogdir=$T/two/log

[program:api]
command=/bin/sleep 1000
startsecs=0
EOF
"$TENDD" -n -c "$CONF2" >"$T/two/out" 2>&1 &
TEND2_PID=$!
wait_until 10 '"$TENDCTL" -c "$CONF2" status api 2>/dev/null | grep -q RUNNING' "second tendd runs api"

H=127.0.0.1:$PORT

# ---- one host: the same output and exit status as locally
ctl status web
LOCAL_OUT=$CTL_OUT
LOCAL_RC=$CTL_RC
ctl -H "$H" status web
assert_eq "$LOCAL_RC" "$CTL_RC" "status web exit over ssh (stderr: $CTL_ERR)"
# the uptime may tick between the two: compare name and state
assert_eq "$(echo "$LOCAL_OUT" | awk '{print $1, $2}')" \
	"$(echo "$CTL_OUT" | awk '{print $1, $2}')" "status web over ssh"
assert_match 'web +RUNNING' "$CTL_OUT" "status web over ssh"

ctl -H "$H" status idle
assert_eq 3 "$CTL_RC" "a stopped program: status exit 3 over ssh too"
assert_match 'idle +STOPPED' "$CTL_OUT" "status idle over ssh"

# arguments reach the remote tendctl as they are given here: quoted for
# the remote shell (no ';', '$' or quote is read by it)
ctl status "x;\$HOME'\"y" '*'
LOCAL_OUT=$CTL_OUT
LOCAL_RC=$CTL_RC
ctl -H "$H" status "x;\$HOME'\"y" '*'
assert_eq "$LOCAL_RC" "$CTL_RC" "exit of a quoted argument over ssh"
assert_eq "$LOCAL_OUT" "$CTL_OUT" "a quoted argument over ssh"
assert_match "x;\\\$HOME'\"y" "$CTL_OUT" "the argument as given"

# -c is passed along: the second tendd, named by its config
ctl_raw -c "$CONF2" -H "root@$H" status
assert_eq 0 "$CTL_RC" "status of the second tendd over ssh ($CTL_ERR)"
assert_match 'api +RUNNING' "$CTL_OUT" "second tendd's program over ssh"
assert_no_match 'web' "$CTL_OUT" "only the second tendd's programs"

# ---- two hosts in parallel (one host under two spellings)
H2=root@[127.0.0.1]:$PORT
ctl -H "$H" -H "$H2" status
assert_eq 3 "$CTL_RC" "the worst exit of two hosts (idle is stopped)"
assert_match "^$H: web +RUNNING" "$CTL_OUT" "first host's lines prefixed"
assert_match "^root@\\[127.0.0.1\\]:$PORT: idle +STOPPED" "$CTL_OUT" \
	"second host's lines prefixed"
assert_eq 4 "$(printf '%s\n' "$CTL_OUT" | wc -l)" "two lines from each host"

ctl -H "$H" -H "$H2" status --json
python3 - "$T/ctl.out" "$H" "$H2" <<'PY' || fail "status --json of two hosts: $CTL_OUT"
import json, sys
with open(sys.argv[1]) as f:
    a = json.load(f)
assert isinstance(a, list), a
hosts = [o["host"] for o in a]
assert hosts == [sys.argv[2]] * 2 + [sys.argv[3]] * 2, hosts
names = sorted(o["name"] for o in a)
assert names == ["idle", "idle", "web", "web"], names
PY

# stderr lines are prefixed too
ctl -H "$H" -H "$H2" status nosuch
assert_ne 0 "$CTL_RC" "status nosuch on two hosts"
assert_match "^$H: .*nosuch" "$CTL_OUT
$CTL_ERR" "an error line prefixed"

# ---- refused and unreachable
ctl -H "$H" edit
assert_eq 2 "$CTL_RC" "edit with -H"
assert_match 'edit cannot run with -H' "$CTL_ERR" "edit refused"

CLOSED=$(free_port) || hard_error "no free port"
ctl -H "127.0.0.1:$CLOSED" status
assert_eq 255 "$CTL_RC" "an unreachable host"
assert_match "tendctl: 127.0.0.1:$CLOSED: cannot connect \\(ssh exit 255\\)" \
	"$CTL_ERR" "the unreachable host named"
ctl -H "$H" -H "127.0.0.1:$CLOSED" status
assert_eq 255 "$CTL_RC" "one unreachable host of two: the worst status"
assert_match "^$H: web +RUNNING" "$CTL_OUT" "the reachable host still answers"

ctl -H "bad:port" status
assert_eq 2 "$CTL_RC" "a bad -H"
assert_match 'tendctl: -H bad:port: port must be' "$CTL_ERR" "a bad -H named"

"$TENDCTL" -c "$CONF2" shutdown >/dev/null 2>&1
wait "$TEND2_PID"
TEND2_PID=
