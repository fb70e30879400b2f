# pty_expect.sh: sourced by the in-root checks. Runs a terminal program on a pseudo-terminal
# (util-linux `script`, in every Debian root), waits for text on its screen, then types keys.
# pty_run LOG CMD...       start CMD on a pty, its screen bytes in LOG
# pty_wait LOG TEXT SECS   wait until TEXT is on the screen (fails after SECS)
# pty_type KEYS            type KEYS;  pty_end SECS  wait for the program to exit

pty_run() {
  local log=$1
  shift
  pty_fifo=$(mktemp -u /tmp/pty_in.XXXXXX)
  mkfifo "$pty_fifo"
  : >"$log"
  script -qfec "$*" "$log" <"$pty_fifo" >/dev/null 2>&1 &
  pty_pid=$!
  exec 7>"$pty_fifo"
}

pty_wait() {
  local log=$1 text=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    if grep -qF -- "$text" "$log"; then
      return 0
    fi
    sleep 0.1
  done
  echo "pty: '$text' not on the screen after ${secs}s; the screen's bytes:" >&2
  tr -c '[:print:]\n' '.' <"$log" | tail -c 3000 >&2
  echo >&2
  pty_kill
  return 1
}

pty_type() { printf '%s' "$1" >&7; }

# The program and everything on its terminal, so nothing keeps the root's /dev/pts busy.
# (A minimal root has no procps: the children are found in /proc.)
pty_kill() {
  local p
  for p in /proc/[0-9]*; do
    if [ "$(sed 's/.*) //' "$p/stat" 2>/dev/null | cut -d' ' -f2)" = "$pty_pid" ]; then
      kill -KILL "${p#/proc/}" 2>/dev/null || true
    fi
  done
  kill -KILL "$pty_pid" 2>/dev/null || true
  exec 7>&-
  wait "$pty_pid" 2>/dev/null || true
}

pty_end() {
  local secs=$1 i
  for ((i = 0; i < secs * 10; i++)); do
    if ! kill -0 "$pty_pid" 2>/dev/null; then
      exec 7>&-
      rm -f "$pty_fifo"
      wait "$pty_pid"
      return $?
    fi
    sleep 0.1
  done
  echo "pty: the program did not exit within ${secs}s" >&2
  pty_kill
  return 1
}
