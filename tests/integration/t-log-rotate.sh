#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# Child output rotation loses nothing: a child prints 1..200000 as fast as
# it can into a 100KB log; the rotated files F.N ... F.1 F hold exactly
# what it wrote, each ends at a line boundary and none exceeds maxbytes.
# Also: the output is all in the file when the exit is reported (drain),
# an unfinished last line is written at exit, and the throughput of one
# big burst is measured (printed, not asserted).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF2
[program:count]
command=/usr/bin/seq 1 200000
stdout_logfile=$T/count.log
stdout_logfile_maxbytes=100KB
stdout_logfile_backups=40
startsecs=0
autorestart=false

[program:drain]
command=/bin/sh -c "seq 1 50000; printf 'no newline at the end'; exit 3"
startsecs=0
autorestart=false
autostart=false

[program:burst]
command=/usr/bin/head -c 268435456 /dev/zero
stdout_logfile=$T/burst.log
stdout_logfile_maxbytes=0
startsecs=0
autorestart=false
autostart=false
EOF2
tend_start

wait_state count EXITED 60

# ---- no loss across rotation
assert_rotated_seq "$T/count.log" 102400 200000
note "1..200000 in $ROT_FILES files, none over 100KB, nothing lost"

# ---- everything is in the file when the exit is reported
ctl start drain
wait_state drain EXITED 30
seq 1 50000 >"$T/drain.expected"
printf 'no newline at the end' >>"$T/drain.expected"
cmp -s "$T/drain.expected" "$T/log/drain-stdout.log" ||
	fail "drain-stdout.log is incomplete when EXITED is reported ($(wc -c <"$T/log/drain-stdout.log") bytes)"

# ---- throughput of one burst (measured, not asserted)
now_cs
t0=$NOW
cpu0=$(awk '{print $14 + $15}' "/proc/$TENDD_PID/stat")
ctl start burst
wait_state burst EXITED 120
now_cs
t1=$NOW
cpu1=$(awk '{print $14 + $15}' "/proc/$TENDD_PID/stat")
size=$(wc -c <"$T/burst.log")
assert_eq 268435456 "$size" "burst.log size"
el=$((t1 - t0))
[ "$el" -gt 0 ] || el=1
hz=$(getconf CLK_TCK)
note "throughput: 256 MiB in $((el * 10)) ms (~$((256 * 100 / el)) MiB/s), tendd CPU $(( (cpu1 - cpu0) * 1000 / hz )) ms (includes the start/status polling)"
rm -f "$T/burst.log"
