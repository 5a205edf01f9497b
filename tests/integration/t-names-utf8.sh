#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# A UTF-8 name, as supervisord accepts ([program:test_öäü]), survives every
# place a name goes: tendctl start/stop/status, GROUP:NAME, the AUTO log
# file names, tail, the metrics (label values) and status --json (valid
# JSON with the UTF-8 kept); tendd -t prints the command as the argv it
# runs, on one line that shlex.split reads back.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed to check JSON, metrics and shlex"

tend_config <<'EOF'
[program:test_öäü]
command=/bin/sh -c 'echo "hello öäü, it'"'"'s me"; exec sleep 1000'
startsecs=0

[program: wörker ]   # blanks around a name are dropped, as in supervisord
command=/bin/sleep 1000
startsecs=0

[group:grüppe]
programs=wörker
EOF

# ---- tendd -t: the name, and the argv on one line
timeout -s KILL 20 "$TENDD" -t -c "$CONF" >"$T/t.out" 2>"$T/t.err" </dev/null
assert_eq 0 "$?" "tendd -t (stderr: $(cat "$T/t.err"))"
assert_match "^  grüppe \\(priority 999\\): wörker\$" "$(grep -F '  grüppe (' "$T/t.out")" \
	"tendd -t lists the group"
CMDLINE=$(grep -A1 -F '  test_öäü (' "$T/t.out" | sed -n 's/^    command: //p')
got=$(printf '%s\n' "$CMDLINE" | python3 -c '
import shlex, sys
print("|".join(shlex.split(sys.stdin.buffer.read().decode("utf-8"))))
') || fail "shlex.split of the command line failed: $CMDLINE"
assert_eq "/bin/sh|-c|echo \"hello öäü, it's me\"; exec sleep 1000" "$got" \
	"shlex.split of tendd -t's command line"

# ---- start, stop, status
tend_start
wait_state test_öäü RUNNING
wait_state grüppe:wörker RUNNING
ctl stop test_öäü
assert_eq 0 "$CTL_RC" "stop test_öäü ($CTL_OUT $CTL_ERR)"
wait_state test_öäü STOPPED
ctl start test_öäü
assert_eq 0 "$CTL_RC" "start test_öäü ($CTL_OUT $CTL_ERR)"
wait_state test_öäü RUNNING
ctl stop 'grüppe:*'
assert_eq 0 "$CTL_RC" "stop grüppe:* ($CTL_OUT $CTL_ERR)"
wait_state grüppe:wörker STOPPED
ctl start grüppe:wörker
wait_state grüppe:wörker RUNNING

# ---- the AUTO log file and tail
LOG="$T/log/test_öäü-stdout.log"
wait_until 10 '[ -f "$LOG" ] && grep -q "hello öäü" "$LOG"' "the AUTO log file $LOG"
[ -f "$T/log/wörker-stdout.log" ] || fail "no AUTO log file for wörker: $(ls "$T/log")"
ctl tail test_öäü
assert_eq 0 "$CTL_RC" "tail test_öäü ($CTL_ERR)"
assert_match "hello öäü, it's me" "$CTL_OUT" "tail test_öäü"

# ---- status --json: valid JSON, UTF-8 kept
ctl status --json
got=$(printf '%s\n' "$CTL_OUT" | python3 -c '
import json, sys
for p in json.loads(sys.stdin.buffer.read().decode("utf-8")):
    print(p["name"], p["group"], p["process"], p["state"])
') || fail "status --json is not JSON: $CTL_OUT"
assert_eq "grüppe:wörker grüppe wörker RUNNING
test_öäü test_öäü test_öäü RUNNING" "$got" "status --json"

# ---- metrics: valid exposition format, the names as label values
ctl metrics
assert_eq 0 "$CTL_RC" "tendctl metrics"
printf '%s\n' "$CTL_OUT" >"$T/m.prom"
SAMPLES=$(python3 "$TEND_SRCDIR/tests/integration/promcheck.py" "$T/m.prom" 2>"$T/promcheck.err") ||
	fail "metrics are not valid: $(cat "$T/promcheck.err")"
printf '%s\n' "$SAMPLES" | grep -qxF 'tend_process_state{name="test_öäü",group="test_öäü",state="RUNNING"} 1' ||
	fail "no RUNNING sample for test_öäü: $SAMPLES"
printf '%s\n' "$SAMPLES" | grep -qxF 'tend_process_state{name="grüppe:wörker",group="grüppe",state="RUNNING"} 1' ||
	fail "no RUNNING sample for grüppe:wörker: $SAMPLES"

# ---- a name tend cannot take is refused with the reason
printf '[tend]\ncontrol=%s\n[program:a/b]\ncommand=/bin/true\n' "$T/bad-control" >"$T/bad.ini"
timeout -s KILL 20 "$TENDD" -t -c "$T/bad.ini" >"$T/bad.out" 2>&1 </dev/null
assert_eq 1 "$?" "tendd -t on [program:a/b]"
assert_match "bad\\.ini:3: \\[program:a/b\\]: invalid program name 'a/b': '/' cannot be in a log file name" \
	"$(cat "$T/bad.out")" "the error for [program:a/b]"

exit 0
