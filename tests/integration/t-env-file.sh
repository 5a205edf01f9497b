#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# environment_file= in [tend] and [program:x]: a child that writes `env` to
# a file gets the files' variables in the documented order (tendd's own <
# [tend] environment_file < [tend] environment < SUPERVISOR_* < program
# environment_file < program environment; later files win; a missing '-'
# file is skipped); an edited env file changes the program, so update
# restarts it with the new value and leaves the others running; an env file
# with a bad line makes update fail with both file:line and change nothing;
# SIGHUP picks up an edit and an optional file that appeared.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkdir "$T/env" "$T/out" || hard_error "mkdir $T/env $T/out"
GLOBAL_ENV='OVERRIDE_G=explicit'
GLOBAL_EXTRA="environment_file = %(here)s/env/global.env, -env/nosuch.env"
cat >"$T/env/global.env" <<'EOF' || hard_error "cannot write global.env"
# [tend]'s file: under [tend] environment=, over tendd's own
G_FILE=gfile
SHARED=global-file
OVERRIDE_G=file
SUPERVISOR_ENABLED=0
EOF
# app_env APP_VALUE: write the program's first env file.
app_env() {
	cat >"$T/env/app.env" <<EOF || hard_error "cannot write app.env"
; the program's file
export APP=$1
SHARED=program-file
SUPERVISOR_PROCESS_NAME=from-file
EXPLICIT=file
LATER=first
QUOTED="a \"b\" c"
EOF
	printf '  SPACED  =  two words \t\n' >>"$T/env/app.env" ||
		hard_error "cannot write app.env"
}
app_env 1
printf 'LATER=second\n' >"$T/env/later.env" || hard_error "cannot write later.env"

# A program whose child writes its environment to $T/out/NAME.env, then
# sleeps (the same pid: exec).
program() {
	cat <<EOF
[program:$1]
command=/bin/sh -c 'env >"$T/out/$1.tmp" && mv "$T/out/$1.tmp" "$T/out/$1.env" && exec /bin/sleep 1000'
startsecs=0
EOF
}
{
	program envy
	echo 'environment_file = env/app.env, -env/missing.env,'
	echo '    env/later.env'
	echo 'environment = EXPLICIT="explicit"'
	echo
	program plain
} | tend_config

# env_of NAME: wait for NAME's environment file, then set ENVIRON to it.
env_of() {
	_eo_file=$T/out/$1.env
	wait_until 20 '[ -s "$_eo_file" ]' "$1 to write its environment"
	ENVIRON=$(cat "$_eo_file")
}
# env_has NAME KEY=VALUE...: each line is in ENVIRON.
env_has() {
	_eh_name=$1
	shift
	for _eh_kv in "$@"; do
		printf '%s\n' "$ENVIRON" | grep -qxF -- "$_eh_kv" ||
			fail "$_eh_name's environment lacks '$_eh_kv':
$ENVIRON"
	done
}

# tendd's own environment: G_FILE and SHARED are overridden, OUTER passes.
G_FILE=outer SHARED=outer OUTER=yes
export G_FILE SHARED OUTER
tend_start
unset G_FILE SHARED OUTER

wait_state envy RUNNING
wait_state plain RUNNING
env_of envy
env_has envy APP=1 SHARED=program-file SUPERVISOR_PROCESS_NAME=from-file \
	EXPLICIT=explicit LATER=second 'QUOTED=a "b" c' 'SPACED=two words' \
	G_FILE=gfile OVERRIDE_G=explicit SUPERVISOR_ENABLED=1 \
	SUPERVISOR_GROUP_NAME=envy OUTER=yes "TEND_TEST_TAG=$TAG"
DUPS=$(printf '%s\n' "$ENVIRON" | cut -d= -f1 | sort | uniq -d)
assert_eq "" "$DUPS" "duplicate keys in envy's environment"
env_of plain
env_has plain SHARED=global-file G_FILE=gfile OVERRIDE_G=explicit \
	SUPERVISOR_ENABLED=1 SUPERVISOR_PROCESS_NAME=plain OUTER=yes
assert_no_match '^(APP|LATER|EXPLICIT)=' "$ENVIRON" "envy's files leaked into plain"

child_pid envy; ENVY_PID=$CPID
child_pid plain; PLAIN_PID=$CPID
ctl reread
assert_ctl 0 "No config updates to processes" "reread, nothing edited"

# 1. The env file is edited: envy changed; update restarts it alone.
app_env 2
rm -f "$T/out/envy.env"
ctl reread
assert_ctl 0 "envy: changed" "reread after editing app.env"
ctl update
assert_ctl 0 "envy: stopped
envy: updated process group" "update after editing app.env"
env_of envy
env_has envy APP=2 SHARED=program-file LATER=second EXPLICIT=explicit
child_pid envy
assert_ne "$ENVY_PID" "$CPID" "envy's pid after update"
ENVY_PID=$CPID
child_pid plain
assert_eq "$PLAIN_PID" "$CPID" "plain (unchanged) keeps its pid"
wait_state envy RUNNING

# 2. A bad line in the env file: update refuses, nothing changes.
printf 'not a pair\n' >>"$T/env/app.env"
BAD=$(grep -c '' "$T/env/app.env")
KEY_LINE=$(grep -n '^environment_file = env/app.env' "$CONF" | cut -d: -f1)
ctl update
assert_ctl 1 "ERROR: CANT_REREAD: $CONF:$KEY_LINE: [program:envy] environment_file: $T/env/app.env:$BAD: expected KEY=VALUE" \
	"update with a bad env file"
child_pid envy
assert_eq "$ENVY_PID" "$CPID" "envy survives a bad env file"
wait_log "$T/env/app.env:$BAD: expected KEY=VALUE"

# 3. SIGHUP reads the files again: the edit and the optional file that
# appeared (under later.env, which still wins).
app_env 3
printf 'FROM_MISSING=1\nLATER=from-missing\n' >"$T/env/missing.env" ||
	hard_error "cannot write missing.env"
rm -f "$T/out/envy.env"
kill -HUP "$TENDD_PID" || hard_error "kill -HUP $TENDD_PID"
env_of envy
env_has envy APP=3 FROM_MISSING=1 LATER=second
child_pid envy
assert_ne "$ENVY_PID" "$CPID" "envy's pid after SIGHUP"
child_pid plain
assert_eq "$PLAIN_PID" "$CPID" "plain keeps its pid after SIGHUP"
wait_state envy RUNNING
exit 0
