#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2015,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 2: "tendctl tail" never reads a file as root for a
# user. U is in control_group (he may talk to tendd) and owns his program's
# log directory; he replaces the log by a link to a root-only file (the
# victim) and asks "tendctl tail b", "tendctl tail b stdout", with a byte
# count, and "tendctl tail -f b": the victim's content never appears in
# the reply. tendd answers on.
# shellcheck source=tests/security/lib-sec.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/security/lib-sec.sh"

sec_victim
U=$T/u
mkdir "$U" && chown "$SEC_USER:$SEC_GROUP" "$U" && chmod 0755 "$U" ||
	hard_error "cannot make $U"
OUT=$U/out.log

GLOBAL_EXTRA="control_mode=0660
control_group=$SEC_GROUP"
tend_config <<EOF
[program:b]
command=/bin/sh -c 'echo "b says hello"; i=0; while :; do i=\$((i+1)); echo "tick \$i"; sleep 0.2; done'
user=$SEC_USER
startsecs=0
stdout_logfile=$OUT
EOF
tend_start
wait_state b RUNNING
wait_until 20 'grep -q "b says hello" "$OUT" 2>/dev/null' "b's line in $OUT"

# utail ARGS: tendctl ARGS as U (through the control FIFO his group may
# write), killed after 20 s.
utail() {
	timeout -s KILL $((20 * TIMEOUT_SCALE)) setpriv --reuid="$SEC_UID" \
		--regid="$SEC_GID" --clear-groups --inh-caps=-all -- \
		"$UCTL" -s "$CONTROL" "$@" </dev/null >"$T/u.out" 2>"$T/u.err"
	U_RC=$?
	U_OUT=$(cat "$T/u.out")
}

# U may use tendctl at all (else the test proves nothing).
user_tendctl
utail tail b
assert_eq 0 "$U_RC" "tendctl tail b as $SEC_USER before the attack (stderr: $(cat "$T/u.err"))"
assert_match "b says hello" "$U_OUT" "tendctl tail b as $SEC_USER before the attack"

# The attack: the log becomes a link to the victim. SWAPTICK: the last
# tick b had printed before.
SWAPTICK=$(sed -n 's/^tick \([0-9]*\)$/\1/p' "$OUT" | tail -n 1)
[ -n "$SWAPTICK" ] || SWAPTICK=0
as_user ln -sfn "$VICTIM" "$U/.swap" && as_user mv -fT "$U/.swap" "$OUT" ||
	hard_error "$SEC_USER could not replace $OUT by a link"
# (SEC_PARTS="tail follow" runs only the parts named.)
if part tail; then
for args in "tail b" "tail b stdout" "tail -2000 b" "tail -2000 b stdout"; do
	# shellcheck disable=SC2086 # args is a word list
	utail $args
	[ "$U_RC" != 137 ] || fail "tendctl $args as $SEC_USER hung"
	if grep -q "SECRET-$TAG\|second line $TAG" "$T/u.out" "$T/u.err"; then
		fail "tendctl $args run by $SEC_USER printed the root-only $VICTIM through the link $OUT:
$(head -c 400 "$T/u.out")"
	fi
done
fi

# tail -f: until the secret shows (fail), tail -f ends (a refusal), or a
# tick b printed after the swap comes through (tendd follows its own
# descriptor); else 5 s.
if part follow; then
timeout -s KILL $((30 * TIMEOUT_SCALE)) setpriv --reuid="$SEC_UID" \
	--regid="$SEC_GID" --clear-groups --inh-caps=-all -- \
	"$UCTL" -s "$CONTROL" tail -f b </dev/null >"$T/uf.out" 2>"$T/uf.err" &
FOLLOW=$!
SEC_BG="$SEC_BG $FOLLOW"
now_cs
END=$((NOW + 500 * TIMEOUT_SCALE))
while :; do
	if grep -q "SECRET-$TAG\|second line $TAG" "$T/uf.out" "$T/uf.err"; then
		fail "tendctl tail -f b run by $SEC_USER printed the root-only $VICTIM through the link $OUT:
$(head -c 400 "$T/uf.out")"
	fi
	proc_alive "$FOLLOW" || break
	grep -q "refusing to read" "$T/uf.err" && break
	LAST=$(sed -n 's/^tick \([0-9]*\)$/\1/p' "$T/uf.out" | tail -n 1)
	[ -n "$LAST" ] && [ "$LAST" -gt "$SWAPTICK" ] && break
	now_cs
	[ "$NOW" -ge "$END" ] && break
	sleep 0.05
done
bg_stop "$FOLLOW"
if grep -q "SECRET-$TAG\|second line $TAG" "$T/uf.out" "$T/uf.err"; then
	fail "tendctl tail -f b run by $SEC_USER printed the root-only $VICTIM"
fi
# and the reader is told why, not left waiting in silence
grep -q "refusing to read .*symbolic link" "$T/uf.err" ||
	fail "tendctl tail -f b did not say why it shows nothing: $(cat "$T/uf.err")"
fi
assert_victim "by tendctl tail"
assert_answers "after the tails"
wait_state b RUNNING
exit 0
