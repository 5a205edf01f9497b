#!/bin/sh
# shellcheck disable=SC2016,SC2034
# tendctl edit: a scripted $EDITOR edits a temporary copy; a good edit is
# installed atomically with the same mode, then reread (and update with -y);
# a broken one is never installed ("What now?" -> x discards, e edits
# again); a program is found in the included file that defines it; a file
# being edited by someone else is refused.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkdir "$T/conf.d"
GLOBAL_EXTRA=""
tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0

[include]
files = conf.d/*.ini
EOF
cat >"$T/conf.d/worker.ini" <<EOF
[program:worker]
command=/bin/sleep 1000
startsecs=0
EOF
chmod 0640 "$CONF"
tend_start
wait_state web RUNNING
wait_state worker RUNNING
child_pid web
WEB_PID=$CPID

# sed_editor NAME SCRIPT: an editor that applies a sed script to its file.
sed_editor() {
	printf '#!/bin/sh\nexec sed -i %s "$1"\n' "'$2'" >"$T/$1"
	chmod +x "$T/$1"
}

edit() {
	"$TENDCTL" -c "$CONF" edit "$@" >"$T/edit.out" 2>"$T/edit.err" <"$T/answers"
	EDIT_RC=$?
}

# 1. A good edit with -y: installed, reread, updated.
: >"$T/answers"
sed_editor ed1 's/sleep 1000/sleep 999/'
EDITOR="$T/ed1" edit -y web
assert_eq 0 "$EDIT_RC" "edit -y web: exit code ($(cat "$T/edit.err"))"
assert_match "installed" "$(cat "$T/edit.out")" "edit output"
assert_match "web: changed" "$(cat "$T/edit.out")" "reread output after the edit"
grep -q '^command=/bin/sleep 999$' "$CONF" || fail "the edit was not installed"
assert_eq 640 "$(stat -c %a "$CONF")" "mode of the edited file"
wait_until 20 'ctl pid web; [ "$CTL_RC" = 0 ] && [ "$CTL_OUT" != "$WEB_PID" ]' \
	"web to be restarted by the update"
ls -A "$T" | grep -q 'tend-edit' && fail "a temporary copy was left behind"

# 2. A broken edit, discarded: nothing installed.
cp "$CONF" "$T/before"
printf 'x\n' >"$T/answers"
sed_editor ed2 's/startsecs=0/startsecs=zero/'
EDITOR="$T/ed2" edit web
assert_ne 0 "$EDIT_RC" "edit with an error then x: exit code"
assert_match "$CONF:[0-9]+: \\[program:web\\] startsecs:" "$(cat "$T/edit.out")" \
	"the error names the file and line"
assert_match "What now\\?" "$(cat "$T/edit.out")" "the question"
cmp -s "$CONF" "$T/before" || fail "a broken edit was installed"

# 3. Broken, then (e)dit again with a fix: installed, no update without -y.
cat >"$T/ed.sh" <<'EOF'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0)
echo $((n + 1)) >"$0.count"
if [ "$n" = 0 ]; then
	sed -i 's/^command=\/bin\/sleep 999$/command=/' "$1"
else
	sed -i 's/^command=$/command=\/bin\/sleep 998/' "$1"
fi
EOF
chmod +x "$T/ed.sh"
printf 'e\nn\n' >"$T/answers"
child_pid web
WEB_PID=$CPID
EDITOR="$T/ed.sh" edit web
assert_eq 0 "$EDIT_RC" "edit again then install: exit code ($(cat "$T/edit.err"))"
assert_eq 2 "$(cat "$T/ed.sh.count")" "editor runs"
grep -q '^command=/bin/sleep 998$' "$CONF" || fail "the second edit was not installed"
child_pid web
assert_eq "$WEB_PID" "$CPID" "web is not updated when the answer is n"

# 4. A program defined in an included file: that file is edited.
: >"$T/answers"
sed_editor ed4 's/sleep 1000/sleep 997/'
EDITOR="$T/ed4" edit -y worker
assert_eq 0 "$EDIT_RC" "edit worker: exit code ($(cat "$T/edit.err"))"
grep -q 'sleep 997' "$T/conf.d/worker.ini" || fail "worker.ini was not edited"
grep -q 'sleep 997' "$CONF" && fail "the main file was edited instead of worker.ini"

# 5. Someone else is editing: refused, nothing changes.
cp "$CONF" "$T/before"
flock -x "$CONF" -c "sleep 30" &
LOCKER=$!
wait_until 10 '! flock -n -x "$CONF" -c true' "the lock to be taken"
sed_editor ed5 's/sleep/SLEEP/'
EDITOR="$T/ed5" edit web
kill "$LOCKER" 2>/dev/null
wait "$LOCKER" 2>/dev/null
assert_ne 0 "$EDIT_RC" "edit of a locked file: exit code"
assert_match "being edited" "$(cat "$T/edit.err")" "the reason"
cmp -s "$CONF" "$T/before" || fail "a locked file was changed"
exit 0
