#!/usr/bin/env bash
# in_deb_root.sh: run inside a fresh Debian root (Essential, apt, and an SSH client for the
# customer's side) with the built package in /deb: install it as an operator would, with its
# dependencies from the archive, and use what it installed.
set -euo pipefail
. /deb/pty_expect.sh
step() { echo "deb-root: $*"; }
fail() { echo "deb-root: $*" >&2; exit 1; }

step "apt-get install ./sett_*.deb"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends /deb/sett_*.deb >/tmp/apt.log 2>&1 ||
  { cat /tmp/apt.log >&2; fail "the package did not install"; }

[ "$(sett --version)" = "sett $1" ] || fail "sett --version: $(sett --version)"
[ "$(settd --version)" = "settd $1" ] || fail "settd --version: $(settd --version)"
[ "$(sett-billingd --version)" = "sett-billingd $1" ] || fail "sett-billingd --version"
[ "$(command -v settd)" = /usr/sbin/settd ] || fail "settd is not /usr/sbin/settd"
step "  sett, settd and sett-billingd $1 on the PATH"

for u in settd sett-billingd; do
  getent passwd "$u" >/dev/null || fail "no system user $u"
  [ -f "/lib/systemd/system/$u.service" ] || fail "no unit $u.service"
  [ ! -e "/etc/systemd/system/multi-user.target.wants/$u.service" ] || fail "$u.service is enabled"
done
conffiles=$(dpkg-query -W -f='${Conffiles}' sett)
for f in /etc/default/settd /etc/default/sett-billingd; do
  grep -qF " $f " <<<"$conffiles" || fail "$f is not a conffile"
done
for m in man1/sett.1 man5/sett-config.5 man8/settd.8 man8/sett-billingd.8; do
  [ -f "/usr/share/man/$m.gz" ] || fail "no manual page /usr/share/man/$m.gz"
done
[ -f /usr/share/bash-completion/completions/sett ] || fail "no bash completion"
step "  system users, disabled units, conffiles, manual pages and completion in place"

# settd as a system would run it: as root with --user, serving its embedded shop.
install -d -m 0700 -o settd -g settd /var/lib/settd
fp=$(settd --data-dir /var/lib/settd --print-fingerprint)
[[ $fp == SHA256:* ]] || fail "settd --print-fingerprint: $fp"
step "  settd --print-fingerprint: $fp"
settd --data-dir /var/lib/settd --port 0 --port-file /tmp/settd.port --user settd \
  >/tmp/settd.log 2>&1 &
settd_pid=$!
for ((i = 0; i < 300; i++)); do
  [ -s /tmp/settd.port ] && break
  sleep 0.1
done
[ -s /tmp/settd.port ] || { cat /tmp/settd.log >&2; fail "settd did not start listening"; }
port=$(cat /tmp/settd.port)
if grep -q warning /tmp/settd.log; then
  cat /tmp/settd.log >&2
  fail "settd warned at start"
fi

export HOME=/tmp/customer TERM=xterm-256color LANG=C.UTF-8
mkdir -p "$HOME"
ssh-keygen -q -t ed25519 -N '' -f "$HOME/key"
pty_run /tmp/ssh.log "stty rows 24 cols 80; exec ssh -tt -i $HOME/key -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p $port shop@127.0.0.1"
pty_wait /tmp/ssh.log "Minecraft" 60
pty_type q
pty_end 20 || true
kill "$settd_pid"
wait "$settd_pid" || true
grep -q 'reason=quit' /tmp/settd.log || { cat /tmp/settd.log >&2; fail "no quit in settd's log"; }
step "  a customer's ssh reached the store through the installed settd, as user settd"
