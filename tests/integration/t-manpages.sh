#!/bin/sh
# shellcheck disable=SC2016,SC2034
# The man pages are lint-clean (groff -ww, mandoc -Tlint) and tendctl.1
# documents every verb of the daemon's command table (from `tendctl help`).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

for page in tendd.8 tendctl.1 tend.ini.5; do
	f=$TEND_SRCDIR/man/$page
	[ -f "$f" ] || fail "$f is missing"
	if command -v groff >/dev/null 2>&1; then
		out=$(groff -man -ww -z "$f" 2>&1)
		assert_eq "" "$out" "groff -man -ww -z $page"
	fi
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -Tlint -Wwarning "$f" 2>&1)
		assert_eq "" "$out" "mandoc -Tlint $page"
	fi
done

tend_config </dev/null
tend_start
ctl help
assert_eq 0 "$CTL_RC" "help exit code"
verbs=$(printf '%s\n' "$CTL_OUT" | sed -n '4,${/^$/q;p}')
[ -n "$verbs" ] || fail "tendctl help listed no verbs"
for v in $verbs; do
	# an entry: ".TP" then ".B verb", ".BR verb ..." or ".BI verb ..."
	awk -v v="$v" 'prev == ".TP" && $1 ~ /^\.B[IR]?$/ {
		w = $2; gsub(/"/, "", w); if (w == v) found = 1 }
		{ prev = $0 } END { exit !found }' "$TEND_SRCDIR/man/tendctl.1" ||
		fail "tendctl.1 has no entry for the verb '$v'"
	ctl help "$v"
	assert_eq 0 "$CTL_RC" "help $v exit code"
done
exit 0
