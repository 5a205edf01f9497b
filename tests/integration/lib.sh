# shellcheck shell=sh disable=SC2016,SC2034
# (conditions in single quotes are eval'd later; variables are used by the
# test scripts that source this file.)
# lib.sh: shared harness for the integration tests (POSIX sh; sourced).
#
# A test script does:
#
#	. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"
#	tend_config <<EOF
#	[program:web]
#	command=/bin/sleep 1000
#	EOF
#	tend_start
#	ctl status web
#	assert_eq 0 "$CTL_RC" "status web exit code"
#
# The harness makes a private temp dir $T (removed at exit unless KEEP=1),
# writes $CONF with a [tend] section pointing everything into $T, starts
# "tendd -n" in the background and waits until "tendctl pid" answers.
# At exit it sends SIGTERM to tendd and checks the invariants of
# reliability.md Part 3 section 3.0:
#   tendd exits 0 within a deadline, no child of tendd is a zombie (N1),
#   no process carrying this test's marker survives (N2), the control
#   FIFO and the pid file are gone.
#
# Exit codes (automake): 0 pass, 1 fail, 77 skip, 99 hard error.
#
# Variables a test may set before tend_config:
#   GLOBAL_ENV    extra KEY=val,... appended to [tend] environment=
#   GLOBAL_EXTRA  extra lines for the [tend] section
# Environment knobs:
#   KEEP=1               keep $T
#   TEND_TIMEOUT_SCALE=N multiply every deadline by N (slow/sanitizer builds)

set -u

if [ -z "${TEND_BUILDDIR:-}" ]; then
	echo "lib.sh: TEND_BUILDDIR is not set" >&2
	exit 99
fi
TENDD=$TEND_BUILDDIR/src/tendd
TENDCTL=$TEND_BUILDDIR/src/tendctl
for _b in "$TENDD" "$TENDCTL"; do
	if [ ! -x "$_b" ]; then
		echo "lib.sh: $_b is missing or not executable" >&2
		exit 99
	fi
done

TEST_NAME=${0##*/}
TEST_NAME=${TEST_NAME%.sh}
TIMEOUT_SCALE=${TEND_TIMEOUT_SCALE:-1}

# The private directory; its physical path, so it compares equal to
# readlink /proc/PID/cwd.
T=$(mktemp -d "${TMPDIR:-/tmp}/tend-$TEST_NAME.XXXXXX") || exit 99
T=$(cd "$T" && pwd -P) || exit 99
CONF=$T/tend.ini
CONTROL=$T/control
PIDFILE=$T/tendd.pid
LOGFILE=$T/tendd.log
ERRFILE=$T/tendd.err
mkdir "$T/log" || exit 99

# The marker every supervised process inherits (through [tend] environment=).
TAG=$(cat /proc/sys/kernel/random/uuid) || exit 99

TENDD_PID=		# the daemon under test; empty when none runs
TENDD_IS_CHILD=0	# 1 when it is our background job (tendd -n)
TENDD_STATUS=		# its exit status once reaped (only when a child)
GLOBAL_ENV=${GLOBAL_ENV:-}
GLOBAL_EXTRA=${GLOBAL_EXTRA:-}
CTL_RC=
CTL_OUT=
CTL_ERR=
_LIB_FAILED=0

# ---------------------------------------------------------------- messages

note() {
	printf '%s: %s\n' "$TEST_NAME" "$*" >&2
}

_dump_logs() {
	if [ -s "$ERRFILE" ]; then
		echo "---- tail of tendd stderr ($ERRFILE)" >&2
		tail -n 30 "$ERRFILE" >&2
	fi
	if [ -s "$LOGFILE" ]; then
		echo "---- tail of tendd log ($LOGFILE)" >&2
		tail -n 30 "$LOGFILE" >&2
	fi
	if [ -n "$CTL_RC" ]; then
		echo "---- last tendctl: exit $CTL_RC" >&2
		[ -s "$T/ctl.out" ] && { echo "stdout:"; head -c 2000 "$T/ctl.out"; echo; } >&2
		[ -s "$T/ctl.err" ] && { echo "stderr:"; head -c 2000 "$T/ctl.err"; echo; } >&2
	fi
	echo "----" >&2
}

# fail MSG: the test failed. Print why and the logs, then exit 1 (the EXIT
# trap still cleans up).
fail() {
	printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
	_LIB_FAILED=1
	_dump_logs
	exit 1
}

# hard_error MSG: the harness itself is broken (exit 99).
hard_error() {
	printf '%s: ERROR: %s\n' "$TEST_NAME" "$*" >&2
	exit 99
}

skip() {
	printf '%s: SKIP: %s\n' "$TEST_NAME" "$*" >&2
	exit 77
}

# ---------------------------------------------------------------- asserts

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	if [ "$1" != "$2" ]; then
		fail "${3:-values differ}
  expected: [$1]
  actual:   [$2]"
	fi
}

# assert_ne UNEXPECTED ACTUAL [WHAT]
assert_ne() {
	if [ "$1" = "$2" ]; then
		fail "${3:-values are equal}: [$2]"
	fi
}

# assert_match ERE TEXT [WHAT]: some line of TEXT matches the extended regex.
assert_match() {
	if ! printf '%s\n' "$2" | grep -Eq -- "$1"; then
		fail "${3:-no match}
  pattern: /$1/
  text:    [$2]"
	fi
}

# assert_no_match ERE TEXT [WHAT]: no line of TEXT matches.
assert_no_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$1"; then
		fail "${3:-unexpected match}
  pattern: /$1/
  text:    [$2]"
	fi
}

# assert_ctl RC STDOUT [WHAT]: the last ctl call exited RC and printed exactly
# STDOUT (trailing newlines ignored).
assert_ctl() {
	assert_eq "$2" "$CTL_OUT" "${3:-tendctl} stdout"
	assert_eq "$1" "$CTL_RC" "${3:-tendctl} exit code"
}

# ---------------------------------------------------------------- time, polling

# now_cs: sets NOW to the monotonic clock in centiseconds (/proc/uptime).
now_cs() {
	read -r _now_up _now_rest </proc/uptime
	_now_s=${_now_up%.*}
	_now_f=${_now_up#*.}
	NOW=$((_now_s * 100 + 1$_now_f - 100))
}

# poll_until SECS 'condition': evaluate the condition every 0.05 s until it is
# true (return 0) or SECS (scaled) have passed (return 1).
poll_until() {
	now_cs
	_pu_end=$((NOW + $1 * 100 * TIMEOUT_SCALE))
	while :; do
		if eval "$2"; then
			return 0
		fi
		now_cs
		if [ "$NOW" -ge "$_pu_end" ]; then
			return 1
		fi
		sleep 0.05
	done
}

# wait_until SECS 'condition' [DESCRIPTION]: poll_until, or fail.
wait_until() {
	if ! poll_until "$1" "$2"; then
		fail "timed out after $1 s waiting for: ${3:-$2}"
	fi
}

# ---------------------------------------------------------------- other users

# other_user_bin USER PROGRAM...: copy PROGRAMs (tendctl, tendd) that USER
# is to run into $T/bin, world-readable, and let USER through $T (made
# 0755): the build tree may sit where only root can enter (a clone in
# /root, in a mktemp -d), and a test must not depend on where the checkout
# lives. Sets OTHER_BIN (the directory). Skips (77), with the reason, when
# USER cannot reach it even so (TMPDIR under a directory only root can
# enter).
other_user_bin() {
	_oub_user=$1
	shift
	OTHER_BIN=$T/bin
	chmod 0755 "$T" || hard_error "chmod $T"
	if ! { mkdir -p "$OTHER_BIN" && chmod 0755 "$OTHER_BIN"; }; then
		hard_error "mkdir $OTHER_BIN"
	fi
	for _oub_p in "$@"; do
		if ! { cp "$_oub_p" "$OTHER_BIN/" &&
		    chmod 0755 "$OTHER_BIN/${_oub_p##*/}"; }; then
			hard_error "cannot copy $_oub_p to $OTHER_BIN"
		fi
	done
	# su: what every test that runs another user has (setpriv may not)
	su "$_oub_user" -s /bin/sh -c "test -x '$OTHER_BIN/${_oub_p##*/}'" \
		>/dev/null 2>&1 ||
		skip "$_oub_user cannot reach $OTHER_BIN (TMPDIR=${TMPDIR:-/tmp} is under a directory it cannot enter: set TMPDIR to one it can)"
}

# ---------------------------------------------------------------- config, daemon

# tend_config: write $CONF: our [tend] section, then the program sections
# read from stdin.
tend_config() {
	_env="TEND_TEST_TAG=$TAG"
	[ -n "$GLOBAL_ENV" ] && _env="$_env,$GLOBAL_ENV"
	{
		echo "[tend]"
		echo "control=$CONTROL"
		echo "pidfile=$PIDFILE"
		echo "logfile=$LOGFILE"
		echo "childlogdir=$T/log"
		echo "loglevel=debug"
		echo "environment=$_env"
		[ -n "$GLOBAL_EXTRA" ] && printf '%s\n' "$GLOBAL_EXTRA"
		echo
		cat
	} >"$CONF" || hard_error "cannot write $CONF"
}

# start_http_server: tests/integration/healthserver.py on a free port of
# 127.0.0.1, answering each GET with the status code in $T/status (200 at
# first). Sets PORT, and SRV (its pid, killed at teardown); skips the test
# without python3.
start_http_server() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is needed for the test server"
	# the interpreter itself, not a wrapper (pyenv's shim) whose pid $!
	# would not be the server's
	_py=$(python3 -c 'import sys; print(sys.executable)') || hard_error "python3"
	TEARDOWN_HOOK='[ -n "$SRV" ] && kill "$SRV" 2>/dev/null'
	echo 200 >"$T/status"
	"$_py" "$TEND_SRCDIR/tests/integration/healthserver.py" "$T/port" --http "$T/status" &
	SRV=$!
	wait_until 10 '[ -s "$T/port" ]' "the test server's port"
	PORT=$(cat "$T/port")
}

# tendd_alive: the daemon process exists and is not a zombie.
tendd_alive() {
	[ -n "$TENDD_PID" ] || return 1
	proc_alive "$TENDD_PID"
}

# proc_alive PID: exists and is not a zombie.
proc_alive() {
	_pa_stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	_pa_stat=${_pa_stat##*) }
	[ "${_pa_stat%% *}" != Z ]
}

# tend_start [EXTRA TENDD ARGS]: start "tendd -n -c $CONF" in the background and
# wait until "tendctl pid" answers.
tend_start() {
	# TENDD_WRAPPER: a command to run tendd under (valgrind, strace).
	# shellcheck disable=SC2086 # the wrapper is a word list on purpose
	${TENDD_WRAPPER:-} "$TENDD" -n -c "$CONF" "$@" >"$T/tendd.out" 2>"$ERRFILE" &
	TENDD_PID=$!
	TENDD_IS_CHILD=1
	now_cs
	_ts_end=$((NOW + 20 * 100 * TIMEOUT_SCALE))
	while :; do
		if "$TENDCTL" -c "$CONF" pid >/dev/null 2>&1; then
			break
		fi
		if ! tendd_alive; then
			wait "$TENDD_PID"
			TENDD_STATUS=$?
			TENDD_PID=
			fail "tendd exited during start-up with status $TENDD_STATUS"
		fi
		now_cs
		if [ "$NOW" -ge "$_ts_end" ]; then
			fail "tendd did not answer 'tendctl pid' within 20 s"
		fi
		sleep 0.05
	done
}

# start_through_fifo NAME GATED FIFO: "tendctl start NAME" in the
# background; once GATED (NAME, or a program NAME depends on) is STARTING,
# blocked reading FIFO, release it through FIFO and wait for the start to
# return.
start_through_fifo() {
	ctl start "$1" >/dev/null &
	_sf_pid=$!
	wait_state "$2" STARTING
	echo go >"$3"
	wait "$_sf_pid"
}

# start_web: the smallest running setup: one program, web (a sleep), with
# startsecs=0; tendd started and web RUNNING.
start_web() {
	tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
EOF
	tend_start
	wait_state web RUNNING
}

# tend_stop [SECS]: SIGTERM to tendd, wait (default 20 s) for it to exit,
# then check: exit status 0, FIFO and pid file removed. Fails the test
# otherwise. Afterwards TENDD_PID is empty.
tend_stop() {
	_tend_stop_soft "${1:-20}" || fail "$_STOP_WHY"
}

# The same, returning 1 with the reason in _STOP_WHY instead of failing.
_tend_stop_soft() {
	_STOP_WHY=
	[ -n "$TENDD_PID" ] || return 0
	kill -TERM "$TENDD_PID" 2>/dev/null
	if ! poll_until "$1" '! tendd_alive'; then
		_STOP_WHY="tendd (pid $TENDD_PID) still running $1 s after SIGTERM; killed"
		kill -KILL "$TENDD_PID" 2>/dev/null
		poll_until 5 '! tendd_alive'
	fi
	if [ "$TENDD_IS_CHILD" = 1 ]; then
		wait "$TENDD_PID"
		TENDD_STATUS=$?
		if [ -z "$_STOP_WHY" ] && [ "$TENDD_STATUS" != 0 ]; then
			_STOP_WHY="tendd exited with status $TENDD_STATUS after SIGTERM (expected 0)"
		fi
	fi
	TENDD_PID=
	if [ -z "$_STOP_WHY" ] && [ -e "$CONTROL" ]; then
		_STOP_WHY="control FIFO $CONTROL still exists after tendd exited"
	fi
	if [ -z "$_STOP_WHY" ] && [ -e "$PIDFILE" ]; then
		_STOP_WHY="pid file $PIDFILE still exists after tendd exited"
	fi
	[ -z "$_STOP_WHY" ]
}

# assert_rotated_seq LOG MAXBYTES COUNT: LOG and its backups LOG.N .. LOG.1
# hold exactly the lines 1..COUNT, in order (nothing lost or repeated
# across the rotations); at least 10 backups and fewer than 40 exist; every
# backup is at most MAXBYTES and ends at a line boundary. Sets ROT_FILES to
# the number of files.
assert_rotated_seq() {
	_rs_log=$1
	seq 1 "$3" >"$T/rs.expected"
	_rs_n=0
	while [ -e "$_rs_log.$((_rs_n + 1))" ]; do
		_rs_n=$((_rs_n + 1))
	done
	[ "$_rs_n" -ge 10 ] || fail "expected at least 10 rotated files, found $_rs_n"
	[ "$_rs_n" -lt 40 ] || fail "all 40 backups used: the test cannot tell loss from rotation"
	: >"$T/rs.joined"
	_rs_i=$_rs_n
	while [ "$_rs_i" -ge 1 ]; do
		_rs_f=$_rs_log.$_rs_i
		_rs_size=$(wc -c <"$_rs_f")
		[ "$_rs_size" -le "$2" ] || fail "$_rs_f has $_rs_size bytes, more than maxbytes $2"
		[ "$(tail -c 1 "$_rs_f" | od -An -c | tr -d ' ')" = '\n' ] ||
			fail "$_rs_f does not end at a line boundary"
		cat "$_rs_f" >>"$T/rs.joined"
		_rs_i=$((_rs_i - 1))
	done
	cat "$_rs_log" >>"$T/rs.joined"
	cmp -s "$T/rs.expected" "$T/rs.joined" ||
		fail "the rotated files do not hold exactly 1..$3 ($(wc -c <"$T/rs.joined") bytes, expected $(wc -c <"$T/rs.expected"))"
	ROT_FILES=$((_rs_n + 1))
}

# ---------------------------------------------------------------- tendctl

# ctl ARGS: tendctl -c $CONF ARGS. Sets CTL_RC, CTL_OUT, CTL_ERR (also in
# $T/ctl.out and $T/ctl.err). A tendctl that hangs 30 s fails the test.
ctl() {
	ctl_raw -c "$CONF" "$@"
}

# ctl_raw ARGS: tendctl with exactly ARGS.
ctl_raw() {
	timeout -s KILL $((30 * TIMEOUT_SCALE)) "$TENDCTL" "$@" \
		</dev/null >"$T/ctl.out" 2>"$T/ctl.err"
	CTL_RC=$?
	CTL_OUT=$(cat "$T/ctl.out")
	CTL_ERR=$(cat "$T/ctl.err")
	if [ "$CTL_RC" = 137 ]; then
		fail "tendctl $* hung (killed after $((30 * TIMEOUT_SCALE)) s)"
	fi
}

# state_of NAME: sets STATE to NAME's state column in "tendctl status NAME"
# (empty when there is no such line).
state_of() {
	ctl status "$1"
	STATE=$(printf '%s\n' "$CTL_OUT" | awk -v n="$1" '$1 == n { print $2; exit }')
}

# wait_state NAME STATE [SECS]: poll "tendctl status NAME" (default 20 s).
wait_state() {
	_ws_name=$1
	_ws_state=$2
	STATE=
	if ! poll_until "${3:-20}" 'state_of "$_ws_name"; [ "$STATE" = "$_ws_state" ]'; then
		fail "$_ws_name did not reach state $_ws_state within ${3:-20} s (last: ${STATE:-none}; status: $CTL_OUT)"
	fi
}

# status_line NAME: sets LINE to NAME's line of "tendctl status NAME".
status_line() {
	ctl status "$1"
	LINE=$(printf '%s\n' "$CTL_OUT" | awk -v n="$1" '$1 == n { print; exit }')
}

# child_pid NAME: sets CPID from "tendctl pid NAME"; fails unless it is the
# pid of a live process.
child_pid() {
	ctl pid "$1"
	CPID=$CTL_OUT
	case $CPID in
	'' | *[!0-9]* | 0)
		fail "tendctl pid $1 gave '$CPID' (exit $CTL_RC), expected a pid" ;;
	esac
	proc_alive "$CPID" || fail "pid $CPID of $1 is not a live process"
}

# ---------------------------------------------------------------- logs

# log_count FIXED_STRING: sets COUNT to the number of lines of the tendd log
# that contain the string.
log_count() {
	COUNT=$(grep -cF -- "$1" "$LOGFILE" 2>/dev/null)
	[ -n "$COUNT" ] || COUNT=0
}

# log_has FIXED_STRING
log_has() {
	grep -qF -- "$1" "$LOGFILE" 2>/dev/null
}

# wait_log FIXED_STRING [SECS]: wait for a line of the tendd log.
wait_log() {
	_wl_str=$1
	if ! poll_until "${2:-20}" 'log_has "$_wl_str"'; then
		fail "the tendd log ($LOGFILE) never showed: $_wl_str"
	fi
}

# ---------------------------------------------------------------- /proc probes

# proc_field PID FIELD: sets FIELD_VAL to the value of "FIELD:" in
# /proc/PID/status, tabs turned into single spaces.
proc_field() {
	FIELD_VAL=$(awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }' \
		"/proc/$1/status" 2>/dev/null)
}

# marker_pids: the pids of every process whose environment holds our marker.
marker_pids() {
	grep -laF -- "TEND_TEST_TAG=$TAG" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p'
}

# zombies_of PID: pids of the zombie children of PID.
zombies_of() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v P="$1" '{
		pid = $1; s = $0; sub(/.*\) /, "", s); split(s, a, " ")
		if (a[2] == P && a[1] == "Z") print pid
	}'
}

# children_of PID: pids of the live children of PID.
children_of() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v P="$1" '{
		pid = $1; s = $0; sub(/.*\) /, "", s); split(s, a, " ")
		if (a[2] == P && a[1] != "Z") print pid
	}'
}

# ---------------------------------------------------------------- N3, N6, N7

# tendd_fd_count: sets FDS to the number of fds tendd holds now.
tendd_fd_count() {
	FDS=$(find "/proc/$TENDD_PID/fd/" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
}

# fd_baseline: remember tendd's fd count as FD_BASE (N3), once no stream is
# in a busy spell: a spell's timerfd and relay pipe are given back some
# 50 ms after its output stops, and are no leak.
fd_baseline() {
	poll_until 10 '[ "$(ls -l "/proc/$TENDD_PID/fd/" 2>/dev/null | grep -c timerfd)" = 0 ]' || :
	tendd_fd_count
	FD_BASE=$FDS
}

# assert_fds_back [SECS] [WHAT]: N3: within SECS (default 10) tendd holds
# exactly FD_BASE fds again, and none of them is a deleted file.
assert_fds_back() {
	if ! poll_until "${1:-10}" 'tendd_fd_count; [ "$FDS" = "$FD_BASE" ]'; then
		fail "N3: tendd holds $FDS fds, baseline $FD_BASE${2:+ ($2)}:
$(ls -l "/proc/$TENDD_PID/fd/" 2>&1)"
	fi
	_af_del=$(ls -l "/proc/$TENDD_PID/fd/" 2>/dev/null | grep -c '(deleted)')
	[ "$_af_del" = 0 ] || fail "N3: tendd holds $_af_del fds of deleted files"
}

# tendd_cpu: sets TICKS (utime + stime of tendd, clock ticks) and VCSW (its
# voluntary context switches: wake-ups).
tendd_cpu() {
	TICKS=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[12] + a[13] }' \
		"/proc/$TENDD_PID/stat" 2>/dev/null)
	proc_field "$TENDD_PID" voluntary_ctxt_switches
	VCSW=$FIELD_VAL
}

# tendd_rss: sets RSS_KB to tendd's resident set size in KiB (N6).
tendd_rss() {
	proc_field "$TENDD_PID" VmRSS
	RSS_KB=${FIELD_VAL%% *}
}

# assert_idle [SECS] [WHAT]: N7: over SECS (default 2, not scaled: it is a
# measuring window, not a deadline) tendd uses no CPU tick and wakes up at
# most IDLE_WAKEUPS (default 1) times. Nothing may talk to tendd meanwhile.
assert_idle() {
	# A one-shot timer may still be due right after the last event (a held
	# back partial line, a log reopen): settle first, so that only a
	# recurring wake-up (polling) can fail this. Up to 5 windows of ${1:-2} s;
	# one quiet window passes.
	_ai_try=0
	while :; do
		tendd_cpu
		_ai_t0=$TICKS
		_ai_v0=$VCSW
		sleep "${1:-2}"
		tendd_cpu
		_ai_dt=$((TICKS - _ai_t0))
		_ai_dv=$((VCSW - _ai_v0))
		if [ "$_ai_dt" -le 1 ] && [ "$_ai_dv" -le "${IDLE_WAKEUPS:-1}" ]; then
			return 0
		fi
		_ai_try=$((_ai_try + 1))
		[ "$_ai_try" -lt 5 ] && continue
		fail "N7: tendd not idle${2:+ ($2)}: $_ai_dt clock ticks and $_ai_dv wake-ups in ${1:-2} s, 5 windows in a row"
	done
}

# ---------------------------------------------------------------- teardown

_teardown() {
	_rc=$?
	trap - EXIT
	trap '' INT TERM HUP
	_inv=
	if [ -n "$TENDD_PID" ] && tendd_alive; then
		# N1: no zombie child (a fresh exit may be reaped a moment later).
		if ! poll_until 10 '[ -z "$(zombies_of "$TENDD_PID")" ]'; then
			_inv="$_inv
  N1: zombie children of tendd: $(zombies_of "$TENDD_PID" | tr '\n' ' ')"
		fi
	fi
	if [ -n "$TENDD_PID" ]; then
		if ! _tend_stop_soft 20; then
			_inv="$_inv
  $_STOP_WHY"
		fi
	fi
	# N2: nothing with our marker survives tendd.
	if ! poll_until 10 '[ -z "$(marker_pids)" ]'; then
		_left=$(marker_pids | tr '\n' ' ')
		_inv="$_inv
  N2: processes with the test marker left after tendd exited: $_left"
		for _p in $_left; do
			ps -o pid=,ppid=,pgid=,stat=,args= -p "$_p" >&2 2>/dev/null
		done
		for _p in $_left; do
			kill -KILL "$_p" 2>/dev/null
		done
	fi
	# a test's own cleanup (a tmpfs it mounted under $T)
	if [ -n "${TEARDOWN_HOOK:-}" ]; then
		eval "$TEARDOWN_HOOK"
	fi
	if [ -n "$_inv" ]; then
		printf '%s: FAIL: invariants broken at teardown:%s\n' "$TEST_NAME" "$_inv" >&2
		[ "$_LIB_FAILED" = 1 ] || _dump_logs
		[ "$_rc" = 0 ] && _rc=1
		[ "$_rc" = 77 ] && _rc=1
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		note "kept $T"
	else
		rm -rf "$T"
	fi
	if [ "$_rc" = 0 ]; then
		note "PASS"
	fi
	exit "$_rc"
}

trap _teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
