#!/usr/bin/env bash
# A throwaway Debian 12 (bookworm) root for package tests.
#
#   scripts/lib/debroot.sh DIR
#
# Fills DIR (which must not exist) with a fresh `debootstrap --variant=minbase bookworm`
# root for this machine's architecture, from the cache
# artifacts/debroot-cache/bookworm-minbase-<arch>.tar. The first run makes the cache
# with debootstrap (about 45 MB from the mirror, a few minutes); later runs only unpack
# it (seconds). Delete the tar to start again from the mirror.
#
# The mirror is Debian's (PIHUB_DEBIAN_MIRROR overrides it); the root's apt uses it
# too, so `apt-get install ./pihub.deb` inside it fetches the package's dependencies.
# Needs root (debootstrap, device nodes in /dev, ownership).
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"

[[ $# -eq 1 ]] || {
  echo "usage: scripts/lib/debroot.sh DIR" >&2
  exit 2
}
dir=$1
[[ ! -e $dir ]] || die "$dir already exists; give a path that does not exist yet"
((EUID == 0)) || die "making a Debian root needs root (device nodes, file owners); run it with sudo"

mirror=${PIHUB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture)
cache_dir=$REPO_ROOT/artifacts/debroot-cache
cache=$cache_dir/bookworm-minbase-$arch.tar

if [[ ! -f $cache ]]; then
  ensure_apt debootstrap
  mkdir -p "$cache_dir"
  scratch=$(mktemp -d "$cache_dir/debootstrap.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  log "debootstrap --variant=minbase bookworm from $mirror (once; cached in ${cache#"$REPO_ROOT"/})"
  started=$(now_ms)
  if ! debootstrap --variant=minbase bookworm "$scratch/root" "$mirror" >"$scratch/debootstrap.log" 2>&1; then
    tail -n 20 "$scratch/debootstrap.log" >&2
    die "debootstrap failed (above); check that $mirror is reachable (or set PIHUB_DEBIAN_MIRROR) and re-run"
  fi
  # The downloaded .debs are not needed to use the root.
  rm -f "$scratch"/root/var/cache/apt/archives/*.deb
  tar -C "$scratch/root" --numeric-owner -cf "$cache.tmp" .
  mv "$cache.tmp" "$cache"
  log "cached the root in ${cache#"$REPO_ROOT"/} ($(du -m "$cache" | cut -f1) MB) in $((($(now_ms) - started) / 1000))s"
fi

mkdir -p "$dir"
tar -C "$dir" --numeric-owner -xpf "$cache"
# Name resolution for apt inside the root.
cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
