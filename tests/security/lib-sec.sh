# shellcheck shell=sh disable=SC2016,SC2034,SC2015
# (conditions in single quotes are eval'd later; variables are used by the
# test scripts that source this file.)
# lib-sec.sh: the harness of the security tests (issue 12), on top of
# tests/integration/lib.sh (sourced from here).
#
# tendd runs as root, as in production; the attacker is a throwaway local
# user made for this test (useradd, removed at exit) who acts through
# setpriv with his own uid and gid and no supplementary group. What he
# attacks are files this test made in its own temp dir: a root-owned 0600
# "victim" with a known content, never a real system file.
#
#	. "${TEND_SRCDIR:-.}/tests/security/lib-sec.sh"
#	sec_victim			# $VICTIM, root 0600, known content
#	mkdir "$T/u"; chown "$SEC_USER" "$T/u"
#	as_user ln -s "$VICTIM" "$T/u/out.log"
#	...
#	assert_victim "after the reopen"
#
# Provides: SEC_USER, SEC_GROUP (the user's primary group, made for it),
# SEC_UID, SEC_GID, SEC_PY (a python3 the user can run, or empty),
# as_user CMD..., as_user_bg CMD... (pid in BG_PID, killed at exit),
# sec_victim, assert_victim, ctl_within SECS ARGS, tendd_answers SECS,
# metric VALUE-LINE-PREFIX, log_lines, log_since N.
#
# Skips (77) with the reason when not root or when useradd, setpriv or
# userdel are missing.

# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root: tendd runs as root and a throwaway user plays the attacker"
for _c in useradd userdel groupadd groupdel setpriv; do
	command -v "$_c" >/dev/null 2>&1 || skip "no $_c (needed to make and use a throwaway user)"
done

SEC_USER=
SEC_GROUP=
SEC_BG=			# background helpers (pids) killed at exit
SEC_CLEANUP=		# extra shell commands run at exit, before the users go

# The exit hook: helpers first, then tendd (so that no process of the
# throwaway user is left when it is deleted), then the user and its group,
# then lib.sh's own teardown (marker check, rm -rf $T, PASS line).
_sec_exit() {
	_sec_rc=$?
	trap '' INT TERM HUP
	for _p in $SEC_BG; do
		kill -KILL "$_p" 2>/dev/null
	done
	if [ -n "$SEC_CLEANUP" ]; then
		eval "$SEC_CLEANUP"
	fi
	if [ -n "$TENDD_PID" ] && tendd_alive; then
		if ! poll_until 10 '[ -z "$(zombies_of "$TENDD_PID")" ]'; then
			printf '%s: FAIL: N1: zombie children of tendd: %s\n' \
			    "$TEST_NAME" "$(zombies_of "$TENDD_PID" | tr '\n' ' ')" >&2
			[ "$_sec_rc" = 0 ] && _sec_rc=1
		fi
		if ! _tend_stop_soft 20; then
			printf '%s: FAIL: at teardown: %s\n' "$TEST_NAME" \
			    "$_STOP_WHY" >&2
			[ "$_LIB_FAILED" = 1 ] || _dump_logs
			[ "$_sec_rc" = 0 ] && _sec_rc=1
			[ "$_sec_rc" = 77 ] && _sec_rc=1
		fi
	fi
	for _p in $SEC_BG; do
		wait "$_p" 2>/dev/null
	done
	if [ -n "$SEC_USER" ]; then
		userdel -f "$SEC_USER" >/dev/null 2>&1 ||
			note "warning: userdel $SEC_USER failed"
	fi
	if [ -n "$SEC_GROUP" ]; then
		groupdel "$SEC_GROUP" >/dev/null 2>&1 ||
			note "warning: groupdel $SEC_GROUP failed"
	fi
	(exit "$_sec_rc")
	_teardown
}
trap _sec_exit EXIT
# A reader of our output that went away (| head) must not skip the cleanup.
trap 'exit 141' PIPE

# The user (and a group of its own, its primary group: control_group=
# names it when the test wants the user to reach tendd). A name not taken
# yet: this pid, then a counter.
_sec_n=0
while :; do
	SEC_USER=tendsec$$$_sec_n
	SEC_GROUP=tendsecg$$$_sec_n
	if ! id "$SEC_USER" >/dev/null 2>&1 &&
	    ! getent group "$SEC_GROUP" >/dev/null 2>&1; then
		break
	fi
	_sec_n=$((_sec_n + 1))
	[ "$_sec_n" -lt 20 ] || { SEC_USER=; SEC_GROUP=; hard_error "no free user name"; }
done
if ! groupadd "$SEC_GROUP" >"$T/useradd.err" 2>&1; then
	_e=$(cat "$T/useradd.err")
	SEC_GROUP=
	SEC_USER=
	hard_error "groupadd failed: $_e"
fi
if ! useradd -M -N -g "$SEC_GROUP" -d /nonexistent -s /usr/sbin/nologin \
    "$SEC_USER" >"$T/useradd.err" 2>&1; then
	_e=$(cat "$T/useradd.err")
	SEC_USER=
	hard_error "useradd failed: $_e"
fi
SEC_UID=$(id -u "$SEC_USER") || hard_error "id -u $SEC_USER"
SEC_GID=$(id -g "$SEC_USER") || hard_error "id -g $SEC_USER"

# The user must reach files in $T by name (not list it).
chmod 0711 "$T" || hard_error "chmod $T"
as_user_cd_ok() {
	setpriv --reuid="$SEC_UID" --regid="$SEC_GID" --clear-groups -- \
		sh -c 'cd "$1"' sh "$T" 2>/dev/null
}
as_user_cd_ok || skip "$SEC_USER cannot reach $T (set TMPDIR to a directory others can traverse)"

# as_user CMD...: run CMD as the throwaway user: real, effective and saved
# uid and gid its own, no supplementary group, no capability.
as_user() {
	setpriv --reuid="$SEC_UID" --regid="$SEC_GID" --clear-groups \
		--inh-caps=-all -- "$@"
}

# as_user_bg CMD...: the same in the background; BG_PID is its pid (setpriv
# execs CMD), killed at exit.
as_user_bg() {
	# A simple command, not the function: $! is the process itself.
	setpriv --reuid="$SEC_UID" --regid="$SEC_GID" --clear-groups \
		--inh-caps=-all -- "$@" &
	BG_PID=$!
	SEC_BG="$SEC_BG $BG_PID"
}

# bg_stop PID: end a helper of ours and reap it.
bg_stop() {
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	bg_forget "$1"
}

# bg_forget PID: a helper that ended by itself (reaped by the caller).
bg_forget() {
	_bs_new=
	for _p in $SEC_BG; do
		[ "$_p" = "$1" ] || _bs_new="$_bs_new $_p"
	done
	SEC_BG=$_bs_new
}

# user_tendctl: sets UCTL to a copy of tendctl the user can run whatever
# the build directory's permissions (a build under /root is common in CI).
user_tendctl() {
	UCTL=$T/tendctl-user
	if [ ! -x "$UCTL" ]; then
		cp "$TENDCTL" "$UCTL" && chmod 0755 "$UCTL" ||
			hard_error "cannot copy $TENDCTL to $UCTL"
	fi
	as_user "$UCTL" -h >/dev/null 2>&1 || [ $? != 126 ] ||
		hard_error "$SEC_USER cannot run $UCTL"
}

# Sanity: the user really is unprivileged.
as_user sh -c 'exit 0' 2>"$T/asuser.err" ||
	hard_error "cannot run a command as $SEC_USER: $(cat "$T/asuser.err")"
_uid_line=$(as_user cat /proc/self/status | awk '$1 == "Uid:" { print $2, $3, $4, $5 }')
[ "$_uid_line" = "$SEC_UID $SEC_UID $SEC_UID $SEC_UID" ] ||
	hard_error "as_user runs with uids [$_uid_line], expected $SEC_UID"

# SEC_PY: a python3 the user can execute (root's may live under /root).
SEC_PY=
for _py in /usr/bin/python3 /usr/local/bin/python3 "$(command -v python3 2>/dev/null)"; do
	[ -n "$_py" ] && [ -x "$_py" ] || continue
	if as_user "$_py" -c 'pass' >/dev/null 2>&1; then
		SEC_PY=$_py
		break
	fi
done

# The kernel's own link protections (they hide some of these attacks on
# hardened systems; the tests do not change them, they say what they were).
SEC_SYSCTL="protected_symlinks=$(cat /proc/sys/fs/protected_symlinks 2>/dev/null)"
SEC_SYSCTL="$SEC_SYSCTL protected_regular=$(cat /proc/sys/fs/protected_regular 2>/dev/null)"
SEC_SYSCTL="$SEC_SYSCTL protected_fifos=$(cat /proc/sys/fs/protected_fifos 2>/dev/null)"

# sec_victim [PATH]: make the victim (default $T/secret): root-owned, 0600,
# a known content, a copy kept to compare. Sets VICTIM.
sec_victim() {
	VICTIM=${1:-$T/secret}
	(umask 077 && printf 'root:SECRET-%s:0:0:do not touch\nsecond line %s\n' \
		"$TAG" "$TAG" >"$VICTIM") || hard_error "cannot write $VICTIM"
	chmod 0600 "$VICTIM"
	cp -p "$VICTIM" "$T/.victim.orig" || hard_error "cannot copy $VICTIM"
	VICTIM_SIZE=$(wc -c <"$VICTIM")
	# The user cannot read it himself: whatever he gets, he got through tendd.
	if as_user cat "$VICTIM" >/dev/null 2>&1; then
		hard_error "$SEC_USER can read $VICTIM without tendd"
	fi
}

# victim_intact: the victim still has exactly its content (and size).
victim_intact() {
	[ -f "$VICTIM" ] && [ ! -L "$VICTIM" ] &&
		[ "$(wc -c <"$VICTIM")" = "$VICTIM_SIZE" ] &&
		cmp -s "$VICTIM" "$T/.victim.orig"
}

# assert_victim WHAT: fail unless the victim is intact.
assert_victim() {
	if ! victim_intact; then
		fail "the root-only victim $VICTIM was changed $1 (size $(wc -c <"$VICTIM" 2>/dev/null) instead of $VICTIM_SIZE); it now begins:
$(head -c 300 "$VICTIM" 2>/dev/null)"
	fi
}

# ctl_within SECS ARGS: tendctl -c $CONF ARGS, killed after SECS (scaled);
# sets CTL_RC (137 when it hung), CTL_OUT, CTL_ERR. Never fails by itself.
ctl_within() {
	_cw_secs=$1
	shift
	timeout -s KILL $((_cw_secs * TIMEOUT_SCALE)) "$TENDCTL" -c "$CONF" "$@" \
		</dev/null >"$T/ctl.out" 2>"$T/ctl.err"
	CTL_RC=$?
	CTL_OUT=$(cat "$T/ctl.out")
	CTL_ERR=$(cat "$T/ctl.err")
}

# assert_answers WHAT: tendd is alive and answers "tendctl pid" with its
# own pid within 10 s.
assert_answers() {
	tendd_alive || fail "tendd is gone $1"
	ctl_within 10 pid
	[ "$CTL_RC" != 137 ] || fail "tendd does not answer $1 (tendctl pid hung 10 s)"
	assert_eq "$TENDD_PID" "$CTL_OUT" "tendctl pid $1"
}

# metric PREFIX: sets METRIC to the value of the first sample of "tendctl
# metrics" that starts with PREFIX (0 when there is none).
metric() {
	timeout -s KILL $((10 * TIMEOUT_SCALE)) "$TENDCTL" -c "$CONF" metrics \
		</dev/null >"$T/metrics.out" 2>/dev/null
	METRIC=$(awk -v p="$1" 'index($0, p) == 1 { print $NF; exit }' \
		"$T/metrics.out")
	[ -n "$METRIC" ] || METRIC=0
}

# dropped NAME STREAM: sets DROPPED to tend_log_dropped_bytes_total.
dropped() {
	metric "tend_log_dropped_bytes_total{name=\"$1\",group=\"$1\",stream=\"$2\"}"
	DROPPED=$METRIC
}

# log_lines: sets LINES to the number of lines of the tendd log now.
log_lines() {
	LINES=$(wc -l <"$LOGFILE" 2>/dev/null)
	[ -n "$LINES" ] || LINES=0
}

# log_since N FIXED: the tendd log after its first N lines has a line
# containing FIXED.
log_since() {
	tail -n +"$(($1 + 1))" "$LOGFILE" 2>/dev/null | grep -qF -- "$2"
}

# part NAME: true when the part NAME of the test is to run: all of them,
# or those listed in SEC_PARTS (to see each one fail on its own).
part() {
	case " ${SEC_PARTS:-$1} " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# proc_starttime PID: sets START to field 22 of /proc/PID/stat.
proc_starttime() {
	START=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[20] }' \
		"/proc/$1/stat" 2>/dev/null)
}

# proc_pgid PID / proc_sid PID: set PGID / SID from /proc/PID/stat.
proc_pgid() {
	PGID=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[3] }' \
		"/proc/$1/stat" 2>/dev/null)
}
proc_sid() {
	SID=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[4] }' \
		"/proc/$1/stat" 2>/dev/null)
}

# proc_comm PID: sets COMM.
proc_comm() {
	COMM=$(cat "/proc/$1/comm" 2>/dev/null)
}

# root_sleeper: a root "sleep 1000" in a session and process group of its
# own (setsid execs it: the shell's background job is no group leader), the
# kind of process a forged state file would name. Sets SLEEPER (killed at
# exit), once it runs sleep, with its start time in START.
root_sleeper() {
	setsid sleep 1000 </dev/null >/dev/null 2>&1 &
	SLEEPER=$!
	SEC_BG="$SEC_BG $SLEEPER"
	wait_until 10 'proc_comm "$SLEEPER"; [ "$COMM" = sleep ]' \
		"the root sleep $SLEEPER to run"
	proc_pgid "$SLEEPER"
	assert_eq "$SLEEPER" "$PGID" "process group of the root sleep (setsid)"
	proc_starttime "$SLEEPER"
}
