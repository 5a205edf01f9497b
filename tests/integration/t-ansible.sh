#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# A real client: Ansible's community.general.supervisorctl module, with
# supervisorctl_path= tendctl and config= our configuration, drives tendd
# through every state it has (present, started, stopped, restarted,
# absent, signalled), for a program and for a group ('grp:'), and in check
# mode. After each step: what Ansible says (changed, failed) and what
# tendctl status says. The module runs `tendctl -c CFG "signal USR1" web`,
# the verb and the signal in one argument, as supervisorctl takes it: the
# program traps USR1 and HUP and writes down what it got.
#
# Ansible comes from Debian's `ansible` package (community.general is in
# it, not in ansible-core): installed here with apt-get when missing and
# the test runs as root; otherwise, or when it cannot be installed, the
# test is skipped with the reason.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

MODULE=community.general.supervisorctl

# has_module: ansible runs and knows the module.
has_module() {
	command -v ansible >/dev/null 2>&1 &&
		command -v ansible-doc >/dev/null 2>&1 &&
		HOME=$T ANSIBLE_LOCAL_TEMP=$T/ansible-tmp timeout 120 \
		ansible-doc -t module "$MODULE" >/dev/null 2>&1
}

if ! has_module; then
	[ "$(id -u)" = 0 ] ||
		skip "ansible with $MODULE is not installed, and only root may install it (apt-get install ansible)"
	command -v apt-get >/dev/null 2>&1 ||
		skip "ansible with $MODULE is not installed, and there is no apt-get to install it"
	note "installing Debian's ansible package (about 21 MB to download, 260 MB installed)"
	_apt() {
		DEBIAN_FRONTEND=noninteractive timeout 900 apt-get \
			-o DPkg::Lock::Timeout=300 -q -y "$@" >>"$T/apt.log" 2>&1
	}
	if ! _apt install --no-install-recommends ansible; then
		# stale package lists: once more after an update
		_apt update
		_apt install --no-install-recommends ansible ||
			skip "ansible is missing and apt-get install ansible failed: $(tail -n 3 "$T/apt.log" | tr '\n' ' ')"
	fi
	has_module || skip "ansible was installed but does not know $MODULE"
fi

# The program web writes the signals it gets to $T/got; the group grp's
# a and b too (to $T/got.a, $T/got.b). The sleep is a child that the
# shell waits for, so that a signal is handled at once; stopasgroup ends
# it with its shell.
prog() {
	cat <<EOF
[program:$1]
command=/bin/sh -c "trap 'echo USR1 >>$T/$2' USR1; trap 'echo HUP >>$T/$2' HUP; while :; do sleep 1000 & wait \$!; done"
startsecs=0
stopasgroup=true
EOF
}
{
	prog web got
	prog a got.a
	prog b got.b
	cat <<EOF
[group:grp]
programs=a,b
EOF
} | tend_config
cp "$CONF" "$T/base.ini"
tend_start
wait_state web RUNNING
wait_state grp:a RUNNING
wait_state grp:b RUNNING

# play [--check] NAME STATE [KEY=VALUE ...]: run the module once, as a
# playbook task would, with ansible's ad-hoc mode on localhost (with
# config=$CONF, or $A_TARGET when set); sets
# A_RC, A_OUT (its one line: "localhost | CHANGED => {...}") and
# A_CHANGED / A_FAILED (true or false).
play() {
	_check=
	if [ "$1" = --check ]; then
		_check=--check
		shift
	fi
	_name=$1
	_state=$2
	shift 2
	mkdir -p "$T/ansible-home" "$T/ansible-tmp"
	# a configuration of ours, not one from the working directory or ~
	[ -f "$T/ansible.cfg" ] || printf '[defaults]\n' >"$T/ansible.cfg"
	HOME=$T/ansible-home ANSIBLE_LOCAL_TEMP=$T/ansible-tmp \
	ANSIBLE_REMOTE_TEMP=$T/ansible-tmp ANSIBLE_NOCOLOR=1 \
	ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False \
	ANSIBLE_CONFIG=$T/ansible.cfg \
	timeout -s KILL $((120 * TIMEOUT_SCALE)) ansible localhost \
		-i localhost, -c local -o $_check \
		-e ansible_python_interpreter="$(command -v python3)" \
		-m "$MODULE" \
		-a "name='$_name' state=$_state supervisorctl_path='$TENDCTL' ${A_TARGET:-config='$CONF'} $*" \
		</dev/null >"$T/ansible.out" 2>"$T/ansible.err"
	A_RC=$?
	A_OUT=$(cat "$T/ansible.out")
	[ "$A_RC" != 137 ] || fail "ansible $_name $_state hung"
	A_CHANGED=false
	A_FAILED=false
	case $A_OUT in
	*'"changed": true'*) A_CHANGED=true ;;
	esac
	case $A_OUT in
	*'| FAILED'*) A_FAILED=true ;;
	esac
}

# expect NAME STATE CHANGED [KEY=VALUE ...]: the module succeeds with
# changed=CHANGED.
expect() {
	_e_name=$1
	_e_state=$2
	_e_changed=$3
	shift 3
	play "$_e_name" "$_e_state" "$@"
	if [ "$A_RC" != 0 ] || [ "$A_FAILED" != false ]; then
		fail "state=$_e_state name=$_e_name $*: ansible failed (exit $A_RC): $A_OUT $(cat "$T/ansible.err")"
	fi
	assert_eq "$_e_changed" "$A_CHANGED" \
		"changed after state=$_e_state name=$_e_name $* ($A_OUT)"
}

# expect_fail NAME STATE ERE [KEY=VALUE ...]: the module fails with a
# message matching ERE.
expect_fail() {
	_e_name=$1
	_e_state=$2
	_e_re=$3
	shift 3
	play "$_e_name" "$_e_state" "$@"
	assert_eq true "$A_FAILED" "state=$_e_state name=$_e_name failed ($A_OUT)"
	assert_ne 0 "$A_RC" "exit status of ansible after a failed task"
	assert_match "$_e_re" "$A_OUT" "why state=$_e_state name=$_e_name failed"
}

pid_of() {
	child_pid "$1"
	PID_OF=$CPID
}

# ---- a program: started, stopped, restarted, signalled
expect web started false
pid_of web
P1=$PID_OF
expect web stopped true
state_of web
assert_eq STOPPED "$STATE" "web after state=stopped"
expect web stopped false
expect web signalled false signal=USR1
[ ! -e "$T/got" ] || fail "a stopped web got a signal: $(cat "$T/got")"
expect web started true
wait_state web RUNNING
pid_of web
P2=$PID_OF
assert_ne "$P1" "$P2" "web's pid after stop and start"

# signalled: the module sends "signal USR1" as one argument
expect web signalled true signal=USR1
wait_until 10 '[ "$(cat "$T/got" 2>/dev/null)" = USR1 ]' "web to get USR1"
expect web signalled true signal=HUP
wait_until 10 '[ "$(cat "$T/got" 2>/dev/null)" = "USR1
HUP" ]' "web to get HUP after USR1"
state_of web
assert_eq RUNNING "$STATE" "web after two signals it traps"

expect web restarted true
wait_state web RUNNING
pid_of web
assert_ne "$P2" "$PID_OF" "web's pid after state=restarted"

# check mode: says what it would change, changes nothing
pid_of web
P3=$PID_OF
play --check web stopped
assert_eq "0 false true" "$A_RC $A_FAILED $A_CHANGED" \
	"state=stopped in check mode ($A_OUT)"
state_of web
assert_eq RUNNING "$STATE" "web after state=stopped in check mode"
pid_of web
assert_eq "$P3" "$PID_OF" "web's pid after check mode"

# ---- a group, 'grp:': every process of it
expect grp: stopped true
state_of grp:a
assert_eq STOPPED "$STATE" "grp:a after state=stopped of grp:"
state_of grp:b
assert_eq STOPPED "$STATE" "grp:b after state=stopped of grp:"
state_of web
assert_eq RUNNING "$STATE" "web after state=stopped of grp:"
expect grp: started true
wait_state grp:a RUNNING
wait_state grp:b RUNNING
expect grp: started false
expect grp: signalled true signal=USR1
wait_until 10 '[ "$(cat "$T/got.a" 2>/dev/null)" = USR1 ] &&
	[ "$(cat "$T/got.b" 2>/dev/null)" = USR1 ]' "grp:a and grp:b to get USR1"
pid_of grp:a
PA=$PID_OF
expect grp: restarted true
wait_state grp:a RUNNING
pid_of grp:a
assert_ne "$PA" "$PID_OF" "grp:a's pid after state=restarted of grp:"

# absent and present: a group, then a program (a group of its own).
# supervisord removes only what is stopped: absent fails on a running
# group, as with supervisorctl, and works once it is stopped.
expect_fail grp: absent "ERROR: process/group still running: grp"
state_of grp:a
assert_eq RUNNING "$STATE" "grp:a after a refused state=absent"
expect grp: stopped true
expect grp: absent true
ctl status
assert_no_match '^grp:' "$CTL_OUT" "status after state=absent of grp:"
expect grp: absent false
expect grp: present true
wait_state grp:a RUNNING
wait_state grp:b RUNNING
expect grp: present false

expect web stopped true
expect web absent true
ctl status web
assert_match "^web: ERROR \(no such process\)" "$CTL_OUT" \
	"status web after state=absent"
expect web absent false
expect_fail web started "ERROR \(no such process\)"
expect web present true
wait_state web RUNNING
expect web present false

# present for a program added to the file since tendd started: reread,
# then add
{
	cat "$T/base.ini"
	prog late got.late
} >"$CONF"
expect late present true
wait_state late RUNNING
expect late signalled true signal=USR1
wait_until 10 '[ "$(cat "$T/got.late" 2>/dev/null)" = USR1 ]' "late to get USR1"

# restarted: update first, then restart; 'all' is every process
expect all restarted true
wait_state web RUNNING
wait_state late RUNNING
wait_state grp:a RUNNING

# server_url= instead of config=: supervisorctl's unix:// URL names the FIFO
A_TARGET="server_url='unix://$CONTROL'"
expect web stopped true
state_of web
assert_eq STOPPED "$STATE" "web after state=stopped through server_url"
expect web started true
wait_state web RUNNING
# username= and password= (supervisorctl's -u and -p): accepted, and the
# FIFO's own mode decides who may use it
A_TARGET="config='$CONF' username=admin password=secret"
expect web stopped true
state_of web
assert_eq STOPPED "$STATE" "web after state=stopped with username/password"
expect web started true
wait_state web RUNNING
A_TARGET=

# what does not exist fails, as with supervisorctl
expect_fail nosuch stopped "ERROR \(no such process\)"
expect_fail nosuch restarted "ERROR \(no such process\)"
expect_fail nosuch present "ERROR: no such process/group: nosuch"
expect nosuch absent false
exit 0
