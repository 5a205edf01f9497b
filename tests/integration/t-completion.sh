#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# The bash completion of tendctl offers the verbs of tendctl's verb table
# (`tendctl help --verbs`, also without tendd), the running tendd's process
# names after the verbs that take them (GROUP:* and all where the table
# says so), group names after add/remove/update, signal names after
# signal. And the table is the daemon's: tendd carries out every verb that
# is not tendctl's own, and help lists them all but help.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v bash >/dev/null 2>&1 || skip "bash is needed"

# complete WORD...: the completions of the command line "tendctl WORD..."
# (the last WORD is the one being completed), one per line, sorted.
complete_line() {
	bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_tendctl; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$TEND_SRCDIR/contrib/bash-completion/tendctl" "$TENDCTL" "$@" |
		sed '/^$/d' | LC_ALL=C sort
}

tend_config <<EOF
[program:alpha]
command=/bin/sleep 1000

[program:beta]
command=/bin/sleep 1000
autostart=false
EOF
tend_start

ctl help --verbs
assert_eq 0 "$CTL_RC" "help --verbs exit code"
TABLE=$CTL_OUT
VERBS=$(printf '%s\n' "$TABLE" | awk '{ print $1 }' | LC_ALL=C sort)
[ -n "$VERBS" ] || fail "tendctl help --verbs listed no verbs"
assert_eq "$VERBS" "$(complete_line -c "$CONF" "")" "verbs offered"
assert_no_match '^fg$' "$VERBS" "fg (not implemented) is offered"
ctl help
HELPED=$(printf '%s\n' "$CTL_OUT" | sed -n '4,${/^$/q;p}' | tr -s ' ' '\n' | sed '/^$/d' | LC_ALL=C sort)
assert_eq "$(printf '%s\n' "$VERBS" | grep -vx help)" "$HELPED" \
	"help lists every verb but help"

# tendd knows every verb that is not tendctl's own: sent with arguments
# that make each refuse (or change nothing), none is an unknown syntax.
for v in $(printf '%s\n' "$TABLE" | awk '!/ client( |$)/ { print $1 }'); do
	ctl "$v" -no-such x y z
	assert_no_match 'Unknown syntax' "$CTL_OUT" "tendd does not know $v"
done
state_of alpha
[ "$STATE" = STARTING ] || [ "$STATE" = RUNNING ] ||
	fail "alpha is $STATE after every verb with bad arguments"
assert_eq "start
status
stop" "$(complete_line -c "$CONF" st)" "verbs starting with st"
assert_eq "all
alpha
beta" "$(complete_line -c "$CONF" restart "")" "names after restart"
assert_eq "beta" "$(complete_line -c "$CONF" start alpha b)" \
	"second name after start"
assert_match '^TERM$' "$(complete_line -c "$CONF" signal "")" \
	"signal names after signal"
assert_eq "all
alpha" "$(complete_line -c "$CONF" signal HUP a)" "names after signal SIG"
assert_eq "-H
-c
-h
-s" "$(complete_line -)" "options"
# -H: hosts from ~/.ssh/known_hosts; no local names for a remote verb
mkdir -p "$T/home/.ssh"
printf '%s\n' 'web1,10.0.0.1 ssh-ed25519 AAAA' '[web2]:2222 ssh-ed25519 AAAA' \
	'|1|hashed= ssh-ed25519 AAAA' >"$T/home/.ssh/known_hosts"
assert_eq "web1
web2:2222" "$(HOME=$T/home complete_line -H w)" "hosts after -H"
assert_eq "" "$(complete_line -c "$CONF" -H web1 restart "")" \
	"no local names with -H"
assert_eq "metrics" "$(complete_line -c "$CONF" help me)" "verbs after help"
assert_eq "" "$(complete_line -c "$CONF" help metrics "")" \
	"one verb after help"
assert_eq "all
alpha
beta" "$(complete_line -c "$CONF" update "")" "groups and all after update"
assert_eq "alpha
beta" "$(complete_line -c "$CONF" add "")" "groups after add"
assert_eq "alpha
beta" "$(complete_line -c "$CONF" tail "")" "names, no all, after tail"
assert_eq "" "$(complete_line -c "$CONF" version "")" "nothing after version"
# reexec takes a file: the new tendd binary
: >"$T/tendd-new"
assert_eq "$T/tendd-new" "$(complete_line -c "$CONF" reexec "$T/tendd-n")" \
	"a file after reexec"

# No tendd: the same verbs, no names.
assert_eq "$VERBS" "$(complete_line -s "$T/nothing" "")" "verbs without tendd"
assert_eq "all" "$(complete_line -s "$T/nothing" stop "")" \
	"names without tendd"
exit 0
