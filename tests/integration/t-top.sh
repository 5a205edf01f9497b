#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# tendctl top: --batch lists every process with its CPU% and the memory of
# its whole tree under the tendd line; a busy loop shows CPU% > 20, also
# when it is a child of the program's pid (the tree is summed). Through a
# terminal (tmux): the live frame, m sorts by memory, q exits 0.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:busy]
command=sh -c 'while :; do :; done'
startsecs=0

[program:busytree]
command=sh -c '(while :; do :; done) & wait'
startsecs=0
stopasgroup=true

[program:idle]
command=/bin/sleep 1000
startsecs=0

[program:manual]
command=/bin/sleep 1000
autostart=false
EOF
tend_start
wait_state busy RUNNING
wait_state busytree RUNNING
wait_state idle RUNNING

# top_batch: one frame into $T/top.out, its status in TOP_RC
top_batch() {
	"$TENDCTL" -c "$CONF" top --batch >"$T/top.out" 2>"$T/top.err"
	TOP_RC=$?
}
# cpu_of NAME: the CPU% column of NAME's line of the last frame
cpu_of() {
	awk -v n="$1" '$1 == n { print $5 }' "$T/top.out"
}
# busy_over NAME PCT: NAME's CPU% in a new frame is above PCT
busy_over() {
	top_batch
	[ "$TOP_RC" -eq 0 ] && awk -v n="$1" -v p="$2" \
	    '$1 == n && $5 + 0 > p + 0 { ok = 1 } END { exit !ok }' "$T/top.out"
}

top_batch
assert_eq 0 "$TOP_RC" "top --batch: exit code"
assert_eq "" "$(cat "$T/top.err")" "top --batch: nothing on stderr"
assert_match "^tendd pid $TENDD_PID  cpu [0-9.]+%  mem [0-9.]+[BKMG]  4 processes \\(RUNNING 3, STOPPED 1\\)  sort: name\$" \
	"$(sed -n 1p "$T/top.out")" "top --batch: the tendd line first"
assert_match '^NAME +STATE +PID +UPTIME +CPU% +MEM +RESTARTS +HEALTH$' \
	"$(sed -n 2p "$T/top.out")" "top --batch: column heads"
assert_eq "busy busytree idle manual" \
	"$(awk 'NR > 2 { printf "%s%s", s, $1; s = " " }' "$T/top.out")" \
	"top --batch: every process, by name"
for p in busy busytree idle; do
	child_pid "$p"
	assert_match "^$p +RUNNING +$CPID +[0-9]+:[0-9][0-9]:[0-9][0-9] +[0-9]+\\.[0-9] +[0-9.]+[KMG] +0 +-\$" \
		"$(awk -v n="$p" '$1 == n' "$T/top.out")" "top --batch: $p's line"
done
assert_match '^manual +STOPPED +- +- +- +- +0 +-$' \
	"$(awk '$1 == "manual"' "$T/top.out")" "top --batch: a stopped process"
# the idle one uses (almost) nothing
assert_match '^[0-4]\.[0-9]$' "$(cpu_of idle)" "top --batch: idle's CPU%"
# the busy ones: a loop in the pid itself, and one in its child
wait_until 20 'busy_over busy 20' "busy's CPU% above 20"
wait_until 20 'busy_over busytree 20' "busytree's CPU% (its child's loop) above 20"

# errors
ctl top --bogus
assert_eq 1 "$CTL_RC" "top --bogus: exit code"
ctl top -d 0
assert_eq 1 "$CTL_RC" "top -d 0: exit code"

# ---- through a terminal
if ! command -v tmux >/dev/null 2>&1; then
	note "tmux is missing: the live view is not tested (install tmux)"
	exit 0
fi
TMUX_SOCK=$T/tmux.sock
TEARDOWN_HOOK='tmux -S "$TMUX_SOCK" kill-server 2>/dev/null'
tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 30 \
	"'$TENDCTL' -c '$CONF' top -d 0.5; echo \$? >'$T/top.rc'; sleep 600" ||
	fail "tmux new-session"
pane() {
	tmux -S "$TMUX_SOCK" capture-pane -p >"$T/pane" 2>/dev/null
}
pane_has() {
	pane && grep -Eq "$1" "$T/pane"
}
wait_until 20 'pane_has "sort: name" && pane_has "^idle +RUNNING"' "the live frame"
assert_match "^tendd pid $TENDD_PID " "$(sed -n 1p "$T/pane")" "top: the tendd line on top"
assert_eq "busy busytree idle manual" \
	"$(awk 'NR > 2 && $2 ~ /^[A-Z]+$/ { printf "%s%s", s, $1; s = " " }' "$T/pane")" \
	"top: every process, by name"
assert_match 'q: quit' "$(cat "$T/pane")" "top: the keys shown"
tmux -S "$TMUX_SOCK" send-keys m
wait_until 10 'pane_has "sort: mem"' "the frame sorted by memory"
# by memory, highest first: each MEM in bytes is at most the one above
assert_eq ok "$(awk 'NR > 2 && $2 ~ /^[A-Z]+$/ && $6 != "-" {
	v = $6 + 0; u = substr($6, length($6));
	v *= u == "K" ? 1024 : u == "M" ? 1048576 : u == "G" ? 1073741824 : 1;
	if (seen && v > last) bad = 1; last = v; seen = 1 }
	END { print bad ? "unsorted" : "ok" }' "$T/pane")" "top m: sorted by memory"
tmux -S "$TMUX_SOCK" send-keys c
wait_until 10 'pane_has "sort: cpu"' "the frame sorted by CPU"
tmux -S "$TMUX_SOCK" send-keys q
wait_until 10 '[ -s "$T/top.rc" ]' "top to exit on q"
assert_eq 0 "$(cat "$T/top.rc")" "top q: exit code"

exit 0
