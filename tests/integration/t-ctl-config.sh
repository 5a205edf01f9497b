#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# tendctl reads only the [tend] sections of the configuration to find the
# control FIFO (a status at N=1000 must not parse a thousand programs
# first): [tend] after the programs, behind a UTF-8 byte order mark, with
# an indented '[' in a continuation value (which makes tendctl parse the
# whole file) or without it, still finds tendd.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# write_conf PREFIX: programs first, then [tend].
write_conf() {
	{
		printf '%s' "$1"
		printf '[program:web]\ncommand=/bin/sleep 1000\nstartsecs=0\n'
		printf 'environment=A="1",\n  B="[not a section]"\n\n'
		printf '[program:db]\ncommand=/bin/sleep 1000\nstartsecs=0\n\n'
		printf '[tend]\ncontrol=%s\npidfile=%s\n' "$CONTROL" "$PIDFILE"
		printf 'logfile=%s\nchildlogdir=%s/log\n' "$LOGFILE" "$T"
	} >"$CONF" || hard_error "cannot write $CONF"
}

mkdir -p "$T/log" || hard_error "mkdir $T/log"
write_conf "$(printf '\357\273\277')"
tend_start
wait_state web RUNNING
wait_state db RUNNING

# the indented '[' made tendctl read the whole file; without it, only the
# [tend] lines
sed -i 's/^  B=.*$/  B="plain"/' "$CONF" || hard_error "sed $CONF"
ctl status
assert_eq 0 "$CTL_RC" "status exit code"
assert_match '^db +RUNNING' "$CTL_OUT" "db in status"
assert_match 'web +RUNNING' "$CTL_OUT" "web in status"

# the control= of a [tend] that is not the first section is the one used:
# a missing FIFO there is an error naming it
sed -i "s|^control=.*|control=$T/elsewhere|" "$CONF" || hard_error "sed $CONF"
ctl status
assert_eq 4 "$CTL_RC" "status exit code with control= elsewhere"
assert_match "$T/elsewhere" "$CTL_ERR" "the error names the FIFO"
sed -i "s|^control=.*|control=$CONTROL|" "$CONF" || hard_error "sed $CONF"

# [tend] first, behind a byte order mark (inih skips it, so must tendctl)
{
	printf '\357\273\277[tend]\ncontrol=%s\n\n' "$CONTROL"
	printf '[program:web]\ncommand=/bin/sleep 1000\n'
} >"$T/bom.ini" || hard_error "cannot write $T/bom.ini"
ctl_raw -c "$T/bom.ini" status
assert_eq 0 "$CTL_RC" "status exit code, [tend] behind a BOM"
assert_match 'web +RUNNING' "$CTL_OUT" "web in status, [tend] behind a BOM"

tend_stop
exit 0
