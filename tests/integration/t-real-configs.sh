#!/bin/sh
# Real supervisord configurations taken from public projects
# (tests/fixtures/real-world/, origins in ORIGINS.md): every file that
# supervisord 4.2.5's own parser accepts is read the same way by `tendd -t`
# (process names, priorities, autostart, argv, log paths), unless
# tests/compat/compare.py lists the difference as deliberate.  Skips (77)
# when Debian's python3 cannot import supervisor or libnss-wrapper is
# missing; compare.py's header says how the machine is kept out of it.

if [ -z "${TEND_BUILDDIR:-}" ] || [ -z "${TEND_SRCDIR:-}" ]; then
	echo "t-real-configs: TEND_BUILDDIR and TEND_SRCDIR must be set" >&2
	exit 99
fi
PY=/usr/bin/python3
if ! [ -x "$PY" ]; then
	echo "SKIP: $PY is missing (Debian's python3, with the supervisor package)"
	exit 77
fi
if ! "$PY" -c 'import supervisor.options' 2>/dev/null; then
	echo "SKIP: $PY cannot import supervisor: apt-get install supervisor"
	exit 77
fi
exec "$PY" "$TEND_SRCDIR/tests/compat/compare.py" \
	--tendd "$TEND_BUILDDIR/src/tendd"
