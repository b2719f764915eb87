#!/usr/bin/env bash
# Throwaway Debian 12 (bookworm) and Debian 13 (trixie) roots for the package tests.
#
#   scripts/lib/debroot.sh create DIR [--systemd] [--suite bookworm|trixie]
#                                                   a fresh root in DIR (must not exist)
#   scripts/lib/debroot.sh run DIR COMMAND...       COMMAND in DIR (chroot, with /proc)
#   scripts/lib/debroot.sh install DIR PKG...       apt-get install PKG... in DIR
#
# create: `debootstrap --variant=minbase SUITE` (default bookworm) for this machine's architecture,
# with apt's package lists; --systemd adds systemd (as init), dbus, polkitd and curl,
# so `systemd-nspawn -b -D DIR` boots it. Each flavour is made once and cached in
# $PIHUB_DEBROOT_CACHE (default /var/cache/pihub-test/debroot, outside the checkout so that every
# clone on a machine shares it) as SUITE-<minbase|systemd-HASH>-<arch>.tar (the first run fetches
# about 45 MB from the mirror and takes minutes; later ones unpack in seconds).
# Delete the tar to start again from the mirror.
#
# run: chroot in a private mount namespace with /proc mounted (and unmounted with the
# namespace when COMMAND exits); the process keeps its PID through every exec, so
# killing it kills COMMAND. Environment variables pass through.
#
# install: PKG may be a path inside DIR (./tmp/x.deb, /tmp/x.deb); dependencies come from
# the mirror. The cached package lists are refreshed only if the first attempt fails.
#
# The mirror is Debian's (PIHUB_DEBIAN_MIRROR overrides it). Needs root.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"

usage() {
  echo "usage: scripts/lib/debroot.sh create DIR [--systemd] [--suite bookworm|trixie] | run DIR COMMAND... | install DIR PKG..." >&2
  exit 2
}

# The packages --systemd adds: an init that boots under systemd-nspawn, the system bus
# logind needs, the polkit daemon pihub's power-off rule is for, and curl to reach the
# hub from inside the container's own network.
SYSTEMD_PACKAGES=(systemd systemd-sysv dbus polkitd curl)

# in_root DIR COMMAND...: see "run" above.
in_root() {
  local dir=$1
  shift
  # shellcheck disable=SC2016  # $1 and $@ belong to the inner sh.
  exec unshare --mount --propagation private -- /bin/sh -c \
    'mount -t proc proc "$1/proc" && dir=$1 && shift && exec chroot "$dir" "$@"' sh "$dir" "$@"
}

apt_in_root() {
  local dir=$1
  shift
  (in_root "$dir" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 "$@")
}

create() {
  local dir=$1 flavour=minbase suite=bookworm
  shift
  while (($#)); do
    case "$1" in
      --systemd) flavour=systemd ;;
      --suite) suite=${2:-} && shift ;;
      *) usage ;;
    esac
    shift
  done
  [[ $suite == bookworm || $suite == trixie ]] || die "--suite takes bookworm or trixie, not '$suite'"
  [[ ! -e $dir ]] || die "$dir already exists; give a path that does not exist yet"
  local arch cache_dir cache
  arch=$(dpkg --print-architecture)
  cache_dir=${PIHUB_DEBROOT_CACHE:-/var/cache/pihub-test/debroot}
  # The systemd flavour's name carries its package list, so changing the list makes a new cache.
  [[ $flavour == systemd ]] && flavour=systemd-$(printf '%s ' "${SYSTEMD_PACKAGES[@]}" | md5sum | cut -c1-8)
  cache=$cache_dir/$suite-$flavour-$arch.tar
  if [[ ! -f $cache ]]; then
    make_cache "$cache" "$flavour" "$suite"
  fi
  mkdir -p "$dir"
  tar -C "$dir" --numeric-owner -xpf "$cache"
  # Name resolution for apt inside the root.
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
}

make_cache() {
  local cache=$1 flavour=$2 suite=$3 mirror=${PIHUB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  local scratch started
  mkdir -p "$(dirname "$cache")"
  scratch=$(mktemp -d "$(dirname "$cache")/make.XXXXXX")
  SCRATCH_DIRS+=("$scratch")
  started=$(now_ms)
  local root=$scratch/root
  if [[ $flavour == systemd* ]]; then
    log "making the systemd Debian $suite root (once; cached in ${cache#"$REPO_ROOT"/})"
    create "$root" --suite "$suite"
    apt_in_root "$root" install --no-install-recommends "${SYSTEMD_PACKAGES[@]}" >"$scratch/apt.log" 2>&1 \
      || die "installing ${SYSTEMD_PACKAGES[*]} into the test root failed ($(tail -n 3 "$scratch/apt.log")); check the mirror and re-run"
    # nspawn then boots without asking anything; the root password stays locked.
    echo pihub-test >"$root/etc/hostname"
  else
    ensure_apt debootstrap
    log "debootstrap --variant=minbase $suite from $mirror (once; cached in ${cache#"$REPO_ROOT"/})"
    if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$scratch/debootstrap.log" 2>&1; then
      tail -n 20 "$scratch/debootstrap.log" >&2
      die "debootstrap failed (above); check that $mirror is reachable (or set PIHUB_DEBIAN_MIRROR) and re-run"
    fi
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
    apt_in_root "$root" update || die "apt-get update in the new Debian root failed; check that $mirror is reachable and re-run"
  fi
  # The downloaded .debs are not needed to use the root.
  rm -f "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" --numeric-owner -cf "$cache.tmp" .
  mv "$cache.tmp" "$cache"
  rm -rf "$scratch"
  log "cached ${cache#"$REPO_ROOT"/} ($(du -m "$cache" | cut -f1) MB) in $((($(now_ms) - started) / 1000))s"
}

install_packages() {
  local dir=$1
  shift
  apt_in_root "$dir" install --no-install-recommends "$@" && return 0
  log "refreshing the package lists in $dir and trying again"
  apt_in_root "$dir" update || die "apt-get update in $dir failed; check the mirror and re-run"
  apt_in_root "$dir" install --no-install-recommends "$@" || die "apt-get install $* in $dir failed (above)"
}

# Half-made roots are deleted however the script ends.
SCRATCH_DIRS=()
trap 'rm -rf "${SCRATCH_DIRS[@]}"' EXIT

((EUID == 0)) || die "Debian test roots need root (device nodes, file owners, chroot); run it with sudo"
[[ $# -ge 2 ]] || usage
command=$1
shift
case "$command" in
  create) create "$@" ;;
  run)
    [[ $# -ge 2 ]] || usage
    in_root "$@"
    ;;
  install)
    [[ $# -ge 2 ]] || usage
    install_packages "$@"
    ;;
  *) usage ;;
esac
