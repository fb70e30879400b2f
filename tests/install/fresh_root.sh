#!/usr/bin/env bash
# fresh_root.sh: the README's commands on a machine that has nothing yet, and the .deb on
# another. Two throwaway Debian roots made by mmdebstrap from this machine's apt sources:
#  - a root with only Essential packages and apt gets the repository's files and runs
#    in_source_root.sh: `./scripts/demo --version` (so a build-time package missing from
#    scripts/install-deps, or one the demo should not need, fails here), `cmake --install` with
#    the build tree deleted, and `scripts/package`;
#  - lintian checks the .deb: no error, and every warning is one docs/install.md names;
#  - a second root installs the .deb with apt and runs in_deb_root.sh.
# Usage: tests/install/fresh_root.sh [WORKDIR]   (root, or mmdebstrap's unshare mode)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/sett-fresh.XXXXXX)}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
version=$(sed -n 's/^project(sett VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")

# The repository's files as a clone has them (no build trees, no node_modules).
mkdir -p "$work/src" "$work/out"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
     xargs -0 tar -cf - | tar -xf - -C "$work/src")
else
  (cd "$src" && tar -cf - --exclude='./build*' --exclude=./tools/node_modules --exclude=./.git . |
     tar -xf - -C "$work/src")
fi

check() {
  local name=$1
  shift
  local t0=$SECONDS
  if "$@"; then
    echo "fresh-root: PASS $name ($((SECONDS - t0)) s)"
    passed=$((passed + 1))
  else
    echo "fresh-root: FAIL $name ($((SECONDS - t0)) s)"
    failed=$((failed + 1))
  fi
}

source_root() {
  mmdebstrap --quiet --variant=apt \
    --customize-hook='mkdir -p "$1/src" "$1/out"' \
    --customize-hook="sync-in $work/src /src" \
    --customize-hook='chroot "$1" bash /src/tests/install/in_source_root.sh' \
    --customize-hook="sync-out /out $work/out" \
    "$suite" /dev/null
}

lintian_clean() {
  local deb out tags unknown=0
  deb=$(ls "$work"/out/sett_*.deb)
  out=$(lintian --fail-on none --tag-display-limit 0 "$deb" 2>&1) || true
  [ -z "$out" ] || echo "$out"
  if grep -q '^E: ' <<<"$out"; then
    echo "fresh-root: lintian reports errors" >&2
    return 1
  fi
  tags=$(sed -n 's/^W: [^:]*: \([a-z0-9-]*\).*/\1/p' <<<"$out" | sort -u)
  for t in $tags; do
    if ! grep -q "^| \`$t\` " "$src/docs/install.md"; then
      echo "fresh-root: lintian warning $t is not explained in docs/install.md" >&2
      unknown=1
    fi
  done
  return $unknown
}

deb_root() {
  cp "$src/tests/install/in_deb_root.sh" "$src/tests/install/pty_expect.sh" "$work/out/"
  mmdebstrap --quiet --variant=apt --include=openssh-client \
    --customize-hook='mkdir -p "$1/deb"' \
    --customize-hook="sync-in $work/out /deb" \
    --customize-hook="chroot \"\$1\" bash /deb/in_deb_root.sh $version" \
    "$suite" /dev/null
}

check "demo, cmake --install and package in a fresh root" source_root
if ls "$work"/out/sett_*.deb >/dev/null 2>&1; then
  check "lintian" lintian_clean
  check "the .deb installed and used in a fresh root" deb_root
else
  echo "fresh-root: no package was built; lintian and the install not run"
  failed=$((failed + 2))
fi
echo "fresh-root: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
