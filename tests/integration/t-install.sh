#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# `make install DESTDIR=...` installs exactly the binaries, the man pages,
# tend.ini with an empty conf.d/, the bash completion and (when a unit
# directory is configured) tendd.service, with the paths of the build
# substituted in the text files; an edited tend.ini is never replaced nor
# uninstalled; `make uninstall` removes everything else.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v make >/dev/null 2>&1 || skip "make is needed"

# inst TARGET DESTDIR PREFIX SYSCONFDIR RUNSTATEDIR: make TARGET with these
# paths, in the build directory (not in the make running this test).
inst() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TEND_BUILDDIR" \
		"$1" DESTDIR="$2" prefix="$3" exec_prefix="$3" \
		sysconfdir="$4" runstatedir="$5" \
		systemdsystemunitdir=/lib/systemd/system \
		>"$T/make.out" 2>&1 ||
		fail "make $1 DESTDIR=$2 failed: $(cat "$T/make.out")"
}

# make install must not relink the binaries the other tests are running:
# leave it to a build that is up to date. A dry run says what is stale: a
# source newer than its object, or an object not built yet (autoconfig.h
# is left out: a dry run always thinks it is remade).
STALE=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n --debug=b \
	-C "$TEND_BUILDDIR" install DESTDIR="$T/dry" 2>/dev/null |
	grep -E "Prerequisite '[^']*\.[ch]' is newer than target|File '[^']*\.o' does not exist" |
	grep -v "'autoconfig\.h'" | head -n 1)
[ -z "$STALE" ] || skip "the build in $TEND_BUILDDIR is not up to date:$STALE"

# files DIR: every file and every empty directory under DIR.
files() {
	(cd "$1" && find . \( -type f -o -type l -o -type d -empty \) | sort)
}

# 1. The Debian layout.
D=$T/dest
inst install "$D" /usr /etc /run
assert_eq "./etc/tend/conf.d
./etc/tend/tend.ini
./lib/systemd/system/tendd.service
./usr/bin/tendctl
./usr/sbin/tendd
./usr/share/bash-completion/completions/tendctl
./usr/share/man/man1/tendctl.1
./usr/share/man/man5/tend.ini.5
./usr/share/man/man8/tendd.8" "$(files "$D")" "installed files"
for b in usr/bin/tendctl usr/sbin/tendd; do
	[ -x "$D/$b" ] || fail "$b is not executable"
done
assert_match '^tendd ' "$("$D/usr/sbin/tendd" -v)" "the installed tendd runs"
UNIT=$D/lib/systemd/system/tendd.service
assert_match '^Type=notify$' "$(cat "$UNIT")" "unit type"
assert_match '^ExecStart=/usr/sbin/tendd -n -c /etc/tend/tend.ini$' \
	"$(cat "$UNIT")" "unit ExecStart"
assert_match '^ExecReload=/bin/kill -HUP \$MAINPID$' "$(cat "$UNIT")" \
	"unit ExecReload"
assert_match '^KillMode=mixed$' "$(cat "$UNIT")" "unit KillMode"
assert_match '^RuntimeDirectory=tend$' "$(cat "$UNIT")" "unit RuntimeDirectory"
assert_match '^files = conf\.d/\*\.ini$' "$(cat "$D/etc/tend/tend.ini")" \
	"tend.ini includes conf.d"
for page in man1/tendctl.1 man5/tend.ini.5 man8/tendd.8; do
	out=$(groff -man -ww -z "$D/usr/share/man/$page" 2>&1)
	assert_eq "" "$out" "groff on the installed $page"
done

# The installed example is a valid configuration, with programs in conf.d.
cat >"$D/etc/tend/conf.d/hello.ini" <<EOF
[program:hello]
command=/bin/sleep 1000
EOF
OUT=$("$D/usr/sbin/tendd" -t -c "$D/etc/tend/tend.ini" 2>&1)
assert_eq 0 "$?" "tendd -t on the installed tend.ini: $OUT"
assert_match '^  hello ' "$OUT" "tendd -t lists the program of conf.d/hello.ini"
rm "$D/etc/tend/conf.d/hello.ini"

# 2. An edited tend.ini survives a second install and the uninstall.
echo "; edited" >>"$D/etc/tend/tend.ini"
cp "$D/etc/tend/tend.ini" "$T/edited.ini"
inst install "$D" /usr /etc /run
cmp -s "$T/edited.ini" "$D/etc/tend/tend.ini" || fail "make install replaced an edited tend.ini"
inst uninstall "$D" /usr /etc /run
assert_eq "./etc/tend/tend.ini" "$(cd "$D" && find . -type f | sort)" \
	"files left by make uninstall (only the edited tend.ini)"

# 3. Other paths, substituted into the text files; uninstall leaves nothing.
D=$T/opt
inst install "$D" /opt/tend /opt/tend/etc /var/run
assert_match '^;control = /var/run/tend/control ' \
	"$(cat "$D/opt/tend/etc/tend/tend.ini")" "control FIFO of the example"
assert_match '^ExecStart=/opt/tend/sbin/tendd -n -c /opt/tend/etc/tend/tend.ini$' \
	"$(cat "$D/lib/systemd/system/tendd.service")" "unit ExecStart"
assert_match '^\.B /opt/tend/etc/tend/tend\.ini$' \
	"$(cat "$D/opt/tend/share/man/man8/tendd.8")" "configuration path in tendd.8"
assert_match '^\.B /var/run/tend/control$' \
	"$(cat "$D/opt/tend/share/man/man1/tendctl.1")" "FIFO path in tendctl.1"
assert_no_match '/etc/tend/|/run/tend/' \
	"$(grep -h -e /etc/tend/ -e /run/tend/ "$D/opt/tend/share/man"/*/* | grep -v -e /opt/tend/etc/tend/ -e /var/run/tend/)" \
	"Debian paths left in the installed man pages"
inst uninstall "$D" /opt/tend /opt/tend/etc /var/run
assert_eq "" "$(cd "$D" && find . -type f)" "files left by make uninstall"
exit 0
