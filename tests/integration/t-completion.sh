#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# The bash completion of tendctl offers the running tendd's verbs, its
# process names (and all) after start/stop/..., signal names after signal,
# and falls back to the verbs of this release when tendd cannot be reached.
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

ctl help
VERBS=$(printf '%s\n' "$CTL_OUT" | sed -n '4,${/^$/q;p}' | tr -s ' ' '\n' | sed '/^$/d' | LC_ALL=C sort)
[ -n "$VERBS" ] || fail "tendctl help listed no verbs"
assert_eq "$VERBS" "$(complete_line -c "$CONF" "")" "verbs offered"
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
assert_eq "-c
-h
-s" "$(complete_line -)" "options"
assert_eq "metrics" "$(complete_line -c "$CONF" help me)" "verbs after help"

# No tendd: the verbs of this release, no names.
assert_match '^status$' "$(complete_line -s "$T/nothing" "")" \
	"verbs without tendd"
assert_eq "all" "$(complete_line -s "$T/nothing" stop "")" \
	"names without tendd"
exit 0
