#!/bin/sh
# under_alarms.sh: runs a libFuzzer target while SIGALRM, the tick of its -timeout, arrives every
# 10 ms instead of every timeout/2 + 1 s, so that a harness which takes a signal for a timeout or
# an error fails here at once rather than once in a few hundred seconds of a campaign.
# Usage: under_alarms.sh TARGET ARG...   (with -timeout=N, N > 0: libFuzzer handles SIGALRM then)
"$@" &
pid=$!

# Running, not yet a zombie.
alive() {
  grep -q '^State:[[:space:]]*[^Z]' "/proc/$pid/status" 2>/dev/null
}

# Not before libFuzzer handles SIGALRM (bit 13 of SigCgt): its default action ends the target.
while alive; do
  cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
  low=${cgt#"${cgt%????}"}
  [ -n "$low" ] && [ $((0x$low & 0x2000)) -ne 0 ] && break
  sleep 0.01
done
ticks=0
while alive && kill -ALRM "$pid" 2>/dev/null; do
  ticks=$((ticks + 1))
  sleep 0.01
done
wait "$pid"
status=$?
echo "under_alarms: $ticks signals sent, exit status $status"
if [ "$ticks" -eq 0 ]; then
  echo "under_alarms: the target ended before a signal reached it" >&2
  exit 1
fi
exit "$status"
