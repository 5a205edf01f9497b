#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# umask=, directory= and environment= reach the child; the program's
# environment wins over [tend] environment=, which wins over tendd's own.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkdir "$T/wd" || hard_error "mkdir $T/wd"
GLOBAL_ENV='GLOBAL=1,FOO=global'
# write_config: the two programs, with [tend] environment=$GLOBAL_ENV.
write_config() {
	tend_config <<EOF
[program:envy]
command=/bin/sleep 1000
startsecs=0
umask=027
directory=$T/wd
environment=FOO="bar baz",TEND_X=1

[program:plain]
command=/bin/sleep 1000
startsecs=0
EOF
}
write_config
# tendd's own environment: FOO and GLOBAL are overridden, INHERITED passes.
FOO=outer GLOBAL=0 INHERITED=yes
export FOO GLOBAL INHERITED
tend_start
unset FOO GLOBAL INHERITED

wait_state envy RUNNING
child_pid envy
PID=$CPID

proc_field "$PID" Umask
assert_eq 0027 "$FIELD_VAL" "Umask of envy"
assert_eq "$T/wd" "$(readlink "/proc/$PID/cwd")" "cwd of envy"

ENVIRON=$(tr '\0' '\n' <"/proc/$PID/environ")
for kv in "FOO=bar baz" GLOBAL=1 TEND_X=1 INHERITED=yes SUPERVISOR_ENABLED=1 \
	SUPERVISOR_PROCESS_NAME=envy "TEND_TEST_TAG=$TAG"; do
	printf '%s\n' "$ENVIRON" | grep -qxF -- "$kv" ||
		fail "envy's environment lacks '$kv':
$ENVIRON"
done
DUPS=$(printf '%s\n' "$ENVIRON" | cut -d= -f1 | sort | uniq -d)
assert_eq "" "$DUPS" "duplicate keys in envy's environment"

# plain: no program environment=, so the global values apply; no directory=,
# so not $T/wd.
wait_state plain RUNNING
child_pid plain
ENVIRON=$(tr '\0' '\n' <"/proc/$CPID/environ")
for kv in FOO=global GLOBAL=1 INHERITED=yes SUPERVISOR_PROCESS_NAME=plain; do
	printf '%s\n' "$ENVIRON" | grep -qxF -- "$kv" ||
		fail "plain's environment lacks '$kv':
$ENVIRON"
done
printf '%s\n' "$ENVIRON" | grep -q '^TEND_X=' && fail "TEND_X leaked into plain"
assert_ne "$T/wd" "$(readlink "/proc/$CPID/cwd")" "cwd of plain"

# The environment every child shares is built once per configuration: after
# update, a new [tend] environment= reaches the next spawn (and the running
# children keep theirs).
OLDPID=$CPID
GLOBAL_ENV='GLOBAL=2,FOO=global2'
write_config
ctl update
assert_eq 0 "$CTL_RC" "update exit code"
ENVIRON=$(tr '\0' '\n' <"/proc/$OLDPID/environ")
printf '%s\n' "$ENVIRON" | grep -qxF GLOBAL=1 ||
	fail "the running plain lost GLOBAL=1:
$ENVIRON"
ctl restart plain
assert_eq 0 "$CTL_RC" "restart plain exit code"
wait_state plain RUNNING
child_pid plain
assert_ne "$OLDPID" "$CPID" "plain's pid after restart"
ENVIRON=$(tr '\0' '\n' <"/proc/$CPID/environ")
for kv in FOO=global2 GLOBAL=2 INHERITED=yes SUPERVISOR_PROCESS_NAME=plain; do
	printf '%s\n' "$ENVIRON" | grep -qxF -- "$kv" ||
		fail "plain's environment after update lacks '$kv':
$ENVIRON"
done

exit 0
