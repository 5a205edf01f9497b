#!/usr/bin/env bash
# ensure-deps.sh: make sure tend's build dependencies are installed (Debian).
#
# Checks each package with dpkg; if any is missing and we are root, installs
# them with apt-get; if we are not root, prints the command to run and exits 1.
# Run by ./run-demo and ./run-tests before they build.
set -euo pipefail

pkgs=(autoconf automake pkg-config gcc make libev-dev libinih-dev check
	libedit-dev libncurses-dev)
# Only for the test suite (static analysis, valgrind, man-page lint, the
# helpers of the notify and metrics tests; supervisor and libnss-wrapper for
# t-real-configs, which compares supervisord's own parser with tendd -t;
# openssh-server for t-remote, which runs tendctl -H through its own sshd).
if [ "${TEND_DEPS:-}" = test ]; then
	pkgs+=(cppcheck valgrind mandoc groff-base python3 clang-14 libclang-rt-14-dev
	    clang-tools-14 faketime supervisor libnss-wrapper tmux openssh-server)
fi

if ! command -v dpkg >/dev/null 2>&1; then
	echo "ensure-deps: no dpkg here: install by hand: ${pkgs[*]}" \
	    "(autoconf, automake, pkg-config, a C compiler, make, libev," \
	    "inih and Check)" >&2
	exit 0	# not Debian: let configure say what is missing
fi

installed() {
	# dpkg -s also knows removed-but-not-purged packages: check the status.
	dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "ensure-deps: missing build dependencies: ${missing[*]}" >&2
	echo "ensure-deps: as root, run: apt-get update && $cmd" >&2
	exit 1
fi

echo "ensure-deps: installing ${missing[*]}" >&2
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    "${missing[@]}"
