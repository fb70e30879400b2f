#!/usr/bin/env bash
# in_source_root.sh: run inside a fresh Debian root that holds only Essential packages and apt,
# with a copy of the repository's files in /src: what a newcomer's machine does with them.
# 1. `./scripts/demo --version`: the README's first command (its packages through
#    scripts/install-deps, the demo's build, the version).
# 2. `cmake --install` into a prefix, the build tree deleted, and the installed programs run the
#    embedded demo shop: a command, the storefront on a pseudo-terminal.
# 3. `scripts/package`: the .deb, as the README builds it.
set -euo pipefail
cd /src
. tests/install/pty_expect.sh
step() { echo "fresh-root: $*"; }

command -v cc >/dev/null && { echo "fresh-root: a compiler is already here; not a fresh root" >&2; exit 1; }

step "./scripts/demo --version"
version=$(./scripts/demo --version | tail -1)
[ "$version" = "sett $(sed -n 's/^project(sett VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ] ||
  { echo "fresh-root: scripts/demo --version printed '$version'" >&2; exit 1; }
step "  printed '$version'"
if grep -q '^BUILD_TESTING:BOOL=ON' build/CMakeCache.txt; then
  echo "fresh-root: the demo's build configured the test suite" >&2
  exit 1
fi

step "cmake --install build --prefix /opt/sett, then the build tree deleted"
cmake --build build -j"$(nproc)" >/dev/null
cmake --install build --prefix /opt/sett >/dev/null
rm -rf build
for f in bin/sett sbin/settd sbin/sett-billingd share/man/man1/sett.1 share/man/man5/sett-config.5 \
         share/man/man8/settd.8 share/man/man8/sett-billingd.8 share/sett/themes/default.ini \
         share/sett/themes/mono.ini share/doc/sett/examples/config.ini \
         share/bash-completion/completions/sett lib/systemd/system/settd.service \
         lib/systemd/system/sett-billingd.service etc/default/settd etc/default/sett-billingd; do
  [ -e "/opt/sett/$f" ] || { echo "fresh-root: cmake --install left no $f" >&2; exit 1; }
done
grep -q '^ExecStart=/opt/sett/sbin/settd ' /opt/sett/lib/systemd/system/settd.service ||
  { echo "fresh-root: settd.service does not start /opt/sett/sbin/settd" >&2; exit 1; }
step "  the programs, manual pages, themes, completion, units and defaults are there"

export HOME=/tmp/newcomer TERM=xterm-256color LANG=C.UTF-8
mkdir -p "$HOME"
cd /
/opt/sett/bin/sett products >/tmp/products.txt
grep -q '^mc-diamond ' /tmp/products.txt ||
  { echo "fresh-root: installed 'sett products' did not list the demo shop:" >&2; cat /tmp/products.txt >&2; exit 1; }
step "  installed 'sett products' lists the embedded demo shop ($(wc -l </tmp/products.txt) lines)"

stty_size="stty rows 24 cols 80"
pty_run /tmp/store.log "$stty_size; exec /opt/sett/bin/sett"
pty_wait /tmp/store.log "Demo Customer" 30
pty_type s
pty_wait /tmp/store.log "Minecraft" 30
pty_type q
pty_end 10
step "  the installed storefront signed in to the demo shop, opened the store, and quit on q"

cd /src
step "scripts/package"
deb=$(scripts/package | tail -1)
cp "$deb" /out/
step "  built $(basename "$deb")"
