#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# tendd -t checks a config (0 valid, 1 invalid with FILE:LINE: errors);
# tendd refuses to start on an invalid config. An unknown key is a warning
# (supervisord ignores it), an error with --strict or strict = true.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# check_t FILE [ARGS]: run tendd -t -c FILE ARGS; sets RC and OUT
# (stdout+stderr).
check_t() {
	_file=$1
	shift
	timeout -s KILL 20 "$TENDD" -t -c "$_file" "$@" >"$T/t.out" 2>&1 </dev/null
	RC=$?
	OUT=$(cat "$T/t.out")
	[ "$RC" = 137 ] && fail "tendd -t -c $1 hung"
}

tend_config <<EOF
[program:web]
command=/bin/sleep 1000

[program:other]
command=/bin/sleep 1000
startsecs=0
EOF
check_t "$CONF"
assert_eq 0 "$RC" "tendd -t on a valid config: exit code (output: $OUT)"

# An unknown key on a known line (line 5 of bad.ini).
BAD=$T/bad.ini
cat >"$BAD" <<EOF
[tend]
control=$T/bad-control

[program:web]
bogus_key=1
command=/bin/sleep 1000
EOF
check_t "$BAD"
assert_eq 0 "$RC" "tendd -t on a config with an unknown key: exit code ($OUT)"
assert_match "warning: .*bad\.ini:5: \[program:web\] bogus_key: unknown key, ignored" \
	"$OUT" "tendd -t warns with FILE:LINE of the unknown key"
check_t "$BAD" --strict
assert_eq 1 "$RC" "tendd -t --strict on a config with an unknown key: exit code"
assert_match "bad\.ini:5: \[program:web\] bogus_key: unknown key, ignored \(strict\)" \
	"$OUT" "tendd -t --strict names FILE:LINE of the unknown key"
assert_match "1 error, configuration not loaded" "$OUT" "--strict: not loaded"
# a typo: the nearest key is suggested
printf '[tend]\ncontrol=%s\n[program:a]\ncommand=/bin/true\nstdout_logfile_maxbyte=1MB\n' \
	"$T/typo-control" >"$T/typo.ini"
check_t "$T/typo.ini"
assert_eq 0 "$RC" "tendd -t on a typo: exit code"
assert_match "did you mean 'stdout_logfile_maxbytes'\?" "$OUT" "the typo's suggestion"
# strict = true in [tend] does what --strict does
sed 's/^\[tend\]$/[tend]\nstrict = true/' "$BAD" >"$T/strict.ini" || hard_error "sed"
check_t "$T/strict.ini"
assert_eq 1 "$RC" "tendd -t with strict = true and an unknown key: exit code"

# tendd -n --strict refuses to start with it (exit 1, no FIFO created).
timeout -s KILL 20 "$TENDD" -n --strict -c "$BAD" >"$T/n.out" 2>&1 </dev/null
RC=$?
assert_eq 1 "$RC" "tendd -n on an invalid config: exit code (output: $(cat "$T/n.out"))"
assert_match "bad\.ini:5:" "$(cat "$T/n.out")" "tendd -n names FILE:LINE of the error"
[ -e "$T/bad-control" ] && fail "tendd -n created its FIFO for an invalid config"

# Line numbers stay right after long lines (Debian's libinih cuts lines at
# 200 bytes): a 5000-character command, then an error on line 6.
LONG=$(printf '%05000d' 0)
LONGCONF=$T/long.ini
{
	echo "[tend]"
	echo "control=$T/long-control"
	echo
	echo "[program:long]"
	echo "command=/bin/echo $LONG"
	echo "startsecs=ten"
} >"$LONGCONF"
check_t "$LONGCONF"
assert_eq 1 "$RC" "tendd -t on a config with startsecs=ten: exit code"
assert_match "long\.ini:6:" "$OUT" "the error after a 5000-character line names line 6"
assert_match "startsecs" "$OUT" "the error names the key startsecs"

# A missing command= names the program's section.
NOCMD=$T/nocmd.ini
printf '[tend]\ncontrol=%s\n\n[program:nocmd]\nstartsecs=0\n' "$T/nc" >"$NOCMD"
check_t "$NOCMD"
assert_eq 1 "$RC" "tendd -t on a program without command=: exit code"
assert_match "nocmd\.ini:[0-9]+:" "$OUT" "missing command: FILE:LINE"
assert_match "command" "$OUT" "missing command: names the key"

# Several errors are all reported.
MULTI=$T/multi.ini
printf '[tend]\ncontrol=%s\n[program:a]\ncommand=/bin/true\nautostart=maybe\n[program:b]\ncommand=/bin/true\nstopsignal=NOPE\n' \
	"$T/mc" >"$MULTI"
check_t "$MULTI"
assert_eq 1 "$RC" "tendd -t on a config with two errors: exit code"
assert_match "multi\.ini:5:" "$OUT" "first error (autostart=maybe, line 5)"
assert_match "multi\.ini:8:" "$OUT" "second error (stopsignal=NOPE, line 8)"

# A warning of the load is in tendd's log too, and tendd runs.
tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
autorestart=true # an inline comment, as supervisord cuts it
bogus_key=1
EOF
tend_start
wait_state web RUNNING
wait_until 10 'grep -q "tend\.ini:13: \[program:web\] bogus_key: unknown key, ignored" "$LOGFILE"' \
	"the warning in tendd's log file"
tend_stop

# A missing file.
check_t "$T/does-not-exist.ini"
assert_eq 1 "$RC" "tendd -t on a missing file: exit code"
assert_match "does-not-exist\.ini" "$OUT" "the error names the missing file"

exit 0
