#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Live re-exec (issue 16): a child that exits during the exec, while the
# old image is gone and the new one has no handler yet, is a zombie whose
# SIGCHLD came too early: the new image reaps it once at start, reports
# the exit and restarts the program, and the state file, pid and status
# say so. The "new binary" here is a script that kills the child and waits
# until it is a zombie (with shell builtins: no child of its own), then
# executes the real tendd with its arguments (same pid, the handover
# descriptor passed on).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:victim]
command=/bin/sleep 1000
startsecs=0
autorestart=true

[program:other]
command=/bin/sleep 1001
EOF
tend_start
wait_state victim RUNNING
wait_state other RUNNING
child_pid victim
VICTIM=$CPID
child_pid other
OTHER=$CPID

cat >"$T/newtendd" <<EOF
#!/bin/sh
case "\$*" in
*--handover*)
	# builtins only: a child of the shell would make it wait, and its
	# wait would reap the victim
	kill -KILL $VICTIM
	while read -r line </proc/$VICTIM/stat; do
		case \$line in *") Z "*) break ;; esac
	done
	exec "$TENDD" "\$@" ;;
*) exec "$TENDD" "\$@" ;;
esac
EOF
chmod 0755 "$T/newtendd"

ctl reexec "$T/newtendd"
assert_eq 0 "$CTL_RC" "reexec (stderr: $CTL_ERR)"
wait_log "exited: victim (terminated by SIGKILL"
wait_until 20 'ctl pid victim; [ "$CTL_RC" = 0 ] && [ "$CTL_OUT" != "$VICTIM" ]' \
	"victim to be restarted with a new pid"
wait_state victim RUNNING
proc_alive "$VICTIM" && fail "the victim $VICTIM is still there (a zombie not reaped)"
child_pid other
assert_eq "$OTHER" "$CPID" "other's pid"
[ -z "$(zombies_of "$TENDD_PID")" ] || fail "zombies of tendd: $(zombies_of "$TENDD_PID")"
