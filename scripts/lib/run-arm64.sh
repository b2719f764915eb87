#!/usr/bin/env bash
# Runs an arm64 (aarch64) Linux binary on this x86-64 host under qemu user-mode emulation.
#
#   scripts/lib/run-arm64.sh [BINARY] [ARGS...]
#
# BINARY defaults to artifacts/publish/linux-arm64/pihub (build it with
# `scripts/publish.sh linux-arm64`). Example:
#   scripts/lib/run-arm64.sh artifacts/publish/linux-arm64/pihub --urls http://127.0.0.1:8123
#
# -L points the emulated dynamic loader at Debian's arm64 cross libc. The explicit
# LD_LIBRARY_PATH matters: on a host that also has Debian's multiarch arm64 libc
# (libc6:arm64), the loader otherwise mixes the two and hangs in pthread_create.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

QEMU=${QEMU_AARCH64:-qemu-aarch64-static}
ARM64_ROOT=/usr/aarch64-linux-gnu

command -v "$QEMU" >/dev/null || die "$QEMU not found; run: apt-get install qemu-user-static (scripts/test.sh installs it)"
[[ -e $ARM64_ROOT/lib/ld-linux-aarch64.so.1 ]] \
  || die "$ARM64_ROOT/lib/ld-linux-aarch64.so.1 missing; run: apt-get install libc6-dev-arm64-cross libstdc++-12-dev-arm64-cross"

binary=$REPO_ROOT/artifacts/publish/linux-arm64/pihub
if (($# > 0)) && [[ $1 != -* ]]; then
  binary=$1
  shift
fi
[[ -x $binary ]] || die "$binary not found; build it with: scripts/publish.sh linux-arm64"

# The cross libc first (a multiarch arm64 libc in /lib would hang in pthread_create), then
# multiarch's /usr/lib/aarch64-linux-gnu for libssl (scripts/lib/deps.sh ensure_arm64_runtime).
exec "$QEMU" -L "$ARM64_ROOT" -E "LD_LIBRARY_PATH=$ARM64_ROOT/lib:/usr/lib/aarch64-linux-gnu" "$binary" "$@"
