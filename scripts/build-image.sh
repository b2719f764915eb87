#!/usr/bin/env bash
# Builds the PiHub SD-card image for the Raspberry Pi (arm64) from Debian's own packages.
#
#   scripts/build-image.sh [--suite trixie|bookworm] [--deb FILE] [--keep-raw] [--keep-work]
#
# Writes artifacts/image/pihub-<version>-arm64.img.xz (flash it with
# `xz -dc FILE | sudo dd of=/dev/sdX bs=4M conv=fsync`; boot-test it with
# scripts/boot-test-image.sh). Needs root; takes 35 to 65 minutes on 2 cores,
# mostly the initramfs generated under qemu-user emulation.
#
# --suite: Debian 13 (trixie, the default: kernel 6.12) or Debian 12 (bookworm, 6.1).
#
#   1. debootstrap --arch=arm64 --foreign SUITE, then the second stage in a chroot
#      where qemu-aarch64-static runs the arm64 binaries (binfmt_misc, registered here
#      with the F flag so the chroot needs no copy of qemu);
#   2. apt (SUITE, SUITE-updates, SUITE-security): systemd, openssh-server,
#      avahi-daemon, unattended-upgrades, sudo, raspi-firmware, the PiHub arm64 .deb,
#      and last, on its own, linux-image-arm64 (so the initramfs is generated once);
#   3. the image's settings from packaging/image/ (first-boot unit, sshd keys-only,
#      journald 32 MB, noatime, DHCP, the admin user with no password, the hardware
#      watchdog, NTP before PiHub at most 60 s, the clock floor), SSH host keys
#      and the machine id removed;
#   4. the partitions without mounts or loop devices: the FAT boot partition with
#      mkfs.vfat + mcopy, the ext4 root with mkfs.ext4 -d, the table with sfdisk on the
#      image file, each partition dd'd into place; scripts/lib/check-boot-files.sh
#      fails the build unless the boot partition boots every supported model; then xz.
#
# The .deb: --deb FILE, else artifacts/deb/pihub_<version>_arm64.deb, rebuilt with
# scripts/build-deb.sh arm64 when the published binary is newer (or it is missing).
# Downloads are cached in $PIHUB_IMAGE_CACHE (default /var/cache/pihub-image) so a
# re-run fetches nothing new. The mirror is Debian's ($PIHUB_DEBIAN_MIRROR overrides it).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"

usage() {
  echo "usage: scripts/build-image.sh [--suite trixie|bookworm] [--deb FILE] [--keep-raw] [--keep-work]" >&2
  exit 2
}

deb=""
keep_raw=0
keep_work=0
SUITE=trixie
while (($#)); do
  case "$1" in
    --suite) SUITE=${2:?--suite needs trixie or bookworm} && shift ;;
    --deb) deb=$(realpath "${2:?--deb needs a file}") && shift ;;
    --keep-raw) keep_raw=1 ;;
    --keep-work) keep_work=1 ;;
    -h | --help) usage ;;
    *) echo "error: unknown argument '$1'" >&2 && usage ;;
  esac
  shift
done

((EUID == 0)) || die "building the image needs root (device nodes, file owners, chroot, binfmt_misc); run it with sudo"

MIRROR=${PIHUB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${PIHUB_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
case "$SUITE" in
  trixie | bookworm) ;;
  *) die "unknown --suite '$SUITE'; use trixie (Debian 13) or bookworm (Debian 12)" ;;
esac
CACHE=${PIHUB_IMAGE_CACHE:-/var/cache/pihub-image}
IMAGE_DIR=$REPO_ROOT/packaging/image
# Labels: the ones Debian's own Raspberry Pi images use.
BOOT_LABEL=RASPIFIRM
ROOT_LABEL=RASPIROOT
ADMIN_USER="admin"
# The boot partition starts 4 MiB in (a whole SD erase block) and holds 256 MiB:
# firmware, device trees, and two kernels with their initrds during an upgrade.
BOOT_START_MIB=4
BOOT_MIB=256

# What the Pi runs besides PiHub. --no-install-recommends keeps the list honest.
PACKAGES=(
  systemd systemd-sysv systemd-timesyncd systemd-resolved dbus polkitd udev kmod
  openssh-server avahi-daemon unattended-upgrades sudo
  raspi-firmware initramfs-tools zstd
  fdisk e2fsprogs dosfstools iproute2 iputils-ping ca-certificates curl less
)
KERNEL_PACKAGES=(linux-image-arm64)

started=$(now_ms)
step_started=$started
step() {
  local now
  now=$(now_ms)
  log "[$(((now - started) / 1000))s, previous step $(((now - step_started) / 1000))s] $*"
  step_started=$now
}

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$REPO_ROOT/Directory.Build.props" | head -n 1)
[[ -n $version ]] || die "no <Version> in Directory.Build.props; add one and re-run"

# ---------------------------------------------------------------- host tools
step "host tools"
ensure_apt debootstrap qemu-user-static dosfstools mtools fdisk e2fsprogs xz-utils dpkg-dev

# binfmt_misc: arm64 ELF files run through qemu-aarch64-static. F (fix binary) opens the
# interpreter now, so it works inside the chroot, which has no qemu of its own.
register_binfmt() {
  local dir=/proc/sys/fs/binfmt_misc conf=/usr/lib/binfmt.d/qemu-aarch64.conf
  [[ -e $dir/register ]] || mount -t binfmt_misc binfmt_misc "$dir" \
    || die "cannot mount binfmt_misc on $dir; load the module (modprobe binfmt_misc) and re-run"
  [[ -f $conf ]] || die "$conf is missing; reinstall qemu-user-static (apt-get install --reinstall qemu-user-static) and re-run"
  if [[ -e $dir/qemu-aarch64 ]]; then
    if grep -q '^flags:.*F' "$dir/qemu-aarch64" && grep -q '^enabled' "$dir/qemu-aarch64"; then
      return 0
    fi
    echo -1 >"$dir/qemu-aarch64" # registered without F (or disabled): register it again
  fi
  local line
  line=$(grep -v '^#' "$conf" | head -n 1)
  [[ ${line##*:} == *F* ]] || line+=F
  printf '%s' "$line" >"$dir/register" \
    || die "registering qemu-aarch64 with binfmt_misc failed; check dmesg, then re-run"
}
register_binfmt
grep -q '^flags:.*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 \
  || die "qemu-aarch64 is registered without the F flag; run: echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64, then re-run"

# ---------------------------------------------------------------- the PiHub package
step "the PiHub arm64 package"
if [[ -z $deb ]]; then
  deb=$REPO_ROOT/artifacts/deb/pihub_${version}_arm64.deb
  binary=$REPO_ROOT/artifacts/publish/linux-arm64/pihub
  if [[ ! -f $deb || ($binary -nt $deb) ]]; then
    [[ -x $binary ]] || die "neither $deb nor $binary exists; run scripts/publish.sh linux-arm64 (or pass --deb FILE) and re-run"
    "$REPO_ROOT/scripts/build-deb.sh" arm64
  fi
fi
[[ -f $deb ]] || die "$deb is missing; run scripts/build-deb.sh arm64 (or pass --deb FILE) and re-run"
[[ $(dpkg-deb -f "$deb" Architecture) == arm64 ]] || die "$deb is not an arm64 package; build one with scripts/build-deb.sh arm64"
pihub_version=$(dpkg-deb -f "$deb" Version)

# ---------------------------------------------------------------- work area
work=$REPO_ROOT/artifacts/build/image
root=$work/root
out_dir=$REPO_ROOT/artifacts/image
# The card is Debian 13's; a Debian 12 build carries the suite in its name.
img=$out_dir/pihub-$version-arm64.img
[[ $SUITE == trixie ]] || img=$out_dir/pihub-$version-$SUITE-arm64.img
rm -rf "$work"
mkdir -p "$work" "$out_dir" "$CACHE/debootstrap" "$CACHE/apt"
cleanup() { ((keep_work)) || rm -rf "$work"; }
trap cleanup EXIT

# in_root COMMAND...: COMMAND chrooted into the image's root, in a private mount
# namespace with /proc (and /sys, /dev/pts when allowed) that vanish when it exits.
in_root() {
  # shellcheck disable=SC2016  # $1 belongs to the inner sh.
  unshare --mount --propagation private -- /bin/sh -c '
    r=$1; shift
    mount -t proc proc "$r/proc" || exit 1
    mount -t sysfs sysfs "$r/sys" 2>/dev/null || true
    exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      DEBIAN_FRONTEND=noninteractive HOME=/root "$@"' sh "$root" "$@"
}

# ---------------------------------------------------------------- debootstrap
step "debootstrap --foreign (first stage, arm64 $SUITE from $MIRROR; .debs cached in $CACHE/debootstrap)"
debootstrap --arch=arm64 --foreign --variant=minbase --components=main,non-free-firmware \
  --cache-dir="$CACHE/debootstrap" "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap's first stage failed (above); check that $MIRROR is reachable and re-run"; }
step "debootstrap --second-stage under qemu-aarch64"
in_root /debootstrap/debootstrap --second-stage >>"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap's second stage failed (above; full log $work/debootstrap.log with --keep-work); re-run"; }

# ---------------------------------------------------------------- apt
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
rm -f "$root/etc/apt/sources.list"
# No daemon starts inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
# Read by the kernel hooks of raspi-firmware when they write config.txt and cmdline.txt.
install -m 0644 "$IMAGE_DIR/raspi-firmware" "$root/etc/default/raspi-firmware"
echo pihub >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tpihub\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
install -m 0644 "$IMAGE_DIR/fstab" "$root/etc/fstab"
mkdir -p "$root/boot/firmware"

apt_in_root() {
  # systemd-resolved's postinst points /etc/resolv.conf at /run: give apt the host's again.
  rm -f "$root/etc/resolv.conf"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  # The download cache lives outside the root (no bind mounts needed).
  find "$CACHE/apt" -name '*.deb' -exec cp -n -t "$root/var/cache/apt/archives/" {} +
  local rc=0
  # confold: the image's own /etc/default/raspi-firmware (written first) is kept, without a prompt.
  in_root apt-get -q -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "$@" </dev/null >>"$work/apt.log" 2>&1 || rc=$?
  find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -n -t "$CACHE/apt/" {} +
  return $rc
}
apt_fail() { tail -n 25 "$work/apt.log" >&2; die "$1 (apt's output above); fix it and re-run"; }

step "apt-get update ($SUITE, $SUITE-updates, $SUITE-security)"
apt_in_root update || apt_fail "apt-get update in the image failed; check that $MIRROR and $SECURITY_MIRROR are reachable"
step "apt-get install ${PACKAGES[*]} and ${deb#"$REPO_ROOT"/}"
cp "$deb" "$root/tmp/pihub.deb"
apt_in_root install -y --no-install-recommends "${PACKAGES[@]}" /tmp/pihub.deb \
  || apt_fail "installing the image's packages failed"
rm -f "$root/tmp/pihub.deb"
apt_in_root dist-upgrade -y --no-install-recommends || apt_fail "upgrading the image's packages failed"
step "apt-get install ${KERNEL_PACKAGES[*]} (initramfs under emulation: the slow step)"
apt_in_root install -y --no-install-recommends "${KERNEL_PACKAGES[@]}" \
  || apt_fail "installing the kernel failed"
grep -E 'update-initramfs: Generating|raspi-firmware' "$work/apt.log" >&2 || true
ls "$root"/boot/firmware/vmlinuz-* "$root"/boot/firmware/initrd.img-* >/dev/null 2>&1 \
  || die "raspi-firmware put no kernel/initrd in /boot/firmware (see $work/apt.log with --keep-work); re-run"

# ---------------------------------------------------------------- settings
step "settings from packaging/image/"
install -D -m 0755 "$IMAGE_DIR/pihub-firstboot" "$root/usr/lib/pihub-image/firstboot"
install -D -m 0644 "$IMAGE_DIR/pihub-firstboot.service" "$root/etc/systemd/system/pihub-firstboot.service"
install -D -m 0644 "$IMAGE_DIR/50-pihub-sshd.conf" "$root/etc/ssh/sshd_config.d/50-pihub.conf"
install -D -m 0644 "$IMAGE_DIR/50-pihub-journald.conf" "$root/etc/systemd/journald.conf.d/50-pihub.conf"
install -D -m 0644 "$IMAGE_DIR/50-pihub-resolved.conf" "$root/etc/systemd/resolved.conf.d/50-pihub.conf"
install -D -m 0644 "$IMAGE_DIR/20-pihub-wired.network" "$root/etc/systemd/network/20-pihub-wired.network"
install -D -m 0644 "$IMAGE_DIR/20auto-upgrades" "$root/etc/apt/apt.conf.d/20auto-upgrades"
# The hardware watchdog (bcm2835_wdt), armed by systemd.
install -D -m 0644 "$IMAGE_DIR/50-pihub-watchdog.conf" "$root/etc/systemd/system.conf.d/50-pihub-watchdog.conf"
# time-sync.target (pihub.service is After= it) waits for NTP, at most 60 s.
install -D -m 0755 "$IMAGE_DIR/pihub-wait-clock" "$root/usr/lib/pihub-image/wait-clock"
install -D -m 0644 "$IMAGE_DIR/50-pihub-time-wait-sync.conf" \
  "$root/etc/systemd/system/systemd-time-wait-sync.service.d/50-pihub.conf"
mkdir -p "$root/var/log/journal"
in_root systemctl enable pihub-firstboot.service systemd-networkd.service systemd-resolved.service \
  systemd-timesyncd.service systemd-time-wait-sync.service ssh.service avahi-daemon.service \
  pihub.service >>"$work/apt.log" 2>&1 \
  || apt_fail "enabling the image's services failed"
# The administrator: SSH keys only until pihub-password.hash gives a password ('*' matches none).
in_root useradd --create-home --shell /bin/bash --groups sudo,adm,systemd-journal \
  --comment "PiHub administrator" "$ADMIN_USER" >>"$work/apt.log" 2>&1 || apt_fail "creating the user $ADMIN_USER failed"
in_root usermod -p '*' "$ADMIN_USER"
# Every card makes its own host keys and machine id at first boot.
rm -f "$root"/etc/ssh/ssh_host_*
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root/var/lib/systemd/random-seed"
ln -s /etc/machine-id "$root/var/lib/dbus/machine-id"
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/resolv.conf"
ln -s ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
in_root apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
find "$root/var/log" -type f -exec truncate -s 0 {} +
# The clock floor: a Pi has no battery clock, so before NTP answers systemd sets the clock
# to no earlier than /usr/lib/clock-epoch's time, and systemd-timesyncd to the time saved in
# its clock file (it updates that file at every sync and shutdown): the build time at first.
touch "$root/usr/lib/clock-epoch"
install -d -m 0755 "$root/var/lib/systemd/timesync"
touch "$root/var/lib/systemd/timesync/clock"
in_root chown systemd-timesync:systemd-timesync /var/lib/systemd/timesync/clock 2>/dev/null || true

# Nothing listens on SSH with a default password: every account's password field must
# be locked ('*', '!...') or empty-and-locked; the image ships no host keys.
unlocked=$(awk -F: '$2 !~ /^[*!]/ { print $1 }' "$root/etc/shadow")
[[ -z $unlocked ]] || die "accounts with a usable password in the image: $unlocked; lock them (usermod -p '*') in scripts/build-image.sh"
! ls "$root"/etc/ssh/ssh_host_* >/dev/null 2>&1 || die "SSH host keys are left in the image; they must be deleted"

kernel_version=$(find "$root/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sort -V | tail -n 1)
kernel_version=${kernel_version#vmlinuz-}
build_info=$work/pihub-image.txt
{
  echo "PiHub $version SD image for the Raspberry Pi (arm64)"
  echo "built:    $(date -u +%FT%TZ) by scripts/build-image.sh"
  echo "commit:   $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "pihub:    $pihub_version ($(basename "$deb"), sha256 $(sha256sum "$deb" | cut -c1-16))"
  echo "debian:   $SUITE $(cat "$root/etc/debian_version") from $MIRROR (+ $SUITE-updates, $SUITE-security)"
  echo "kernel:   $kernel_version"
  for package in raspi-firmware systemd openssh-server avahi-daemon; do
    # shellcheck disable=SC2016  # ${Version} is dpkg-query's, not the shell's.
    printf '%-9s %s\n' "$package:" "$(in_root dpkg-query -W -f='${Version}' "$package")"
  done
  echo "login:    $ADMIN_USER, with the key in pihub-ssh.pub (or the hash in pihub-password.hash) on this partition"
} >"$build_info"
cat "$build_info" >&2

# ---------------------------------------------------------------- partitions
step "boot partition (FAT32 $BOOT_LABEL, ${BOOT_MIB} MiB: mkfs.vfat + mcopy)"
boot_img=$work/boot.img
rm -f "$boot_img"
mkfs.vfat -F 32 -n "$BOOT_LABEL" -C "$boot_img" $((BOOT_MIB * 1024)) >/dev/null
cp "$build_info" "$root/boot/firmware/pihub-image.txt"
cp "$IMAGE_DIR/boot-README.txt" "$root/boot/firmware/README-PIHUB.txt"
MTOOLS_SKIP_CHECK=1 mcopy -s -p -i "$boot_img" "$root"/boot/firmware/* ::/
# What the firmware will read, read back from the FAT image itself.
step "boot files for every supported model (scripts/lib/check-boot-files.sh)"
boot_check=$work/boot-check
rm -rf "$boot_check" && mkdir -p "$boot_check"
MTOOLS_SKIP_CHECK=1 mcopy -s -p -n -i "$boot_img" '::/*' "$boot_check/"
"$REPO_ROOT/scripts/lib/check-boot-files.sh" "$boot_check" "$ROOT_LABEL" >&2 \
  || die "the boot partition would not boot every supported Raspberry Pi (above); fix scripts/build-image.sh or packaging/image/raspi-firmware and re-run"
rm -rf "$boot_check"
find "$root/boot/firmware" -mindepth 1 -delete # mounted over at boot

step "root partition (ext4 $ROOT_LABEL: mkfs.ext4 -d)"
used_mib=$(du -s --block-size=1M "$root" | cut -f1)
# Room for the first boot, logs and an upgrade; the first boot grows it to the card anyway.
root_mib=$(((used_mib * 13 / 10 + 300 + 3) / 4 * 4))
root_img=$work/root.img
rm -f "$root_img"
# Inode tables and journal zeroed now (sparse in the file), so the card sees no lazy-init writes.
mkfs.ext4 -q -L "$ROOT_LABEL" -E lazy_itable_init=0,lazy_journal_init=0 -d "$root" "$root_img" "${root_mib}M" \
  || die "mkfs.ext4 -d failed; check free space in $work and re-run"

step "partition table (sfdisk) and dd"
rm -f "$img"
total_mib=$((BOOT_START_MIB + BOOT_MIB + root_mib))
truncate -s "${total_mib}M" "$img"
sfdisk --quiet "$img" <<EOF
label: dos
unit: sectors
start=$((BOOT_START_MIB * 2048)), size=$((BOOT_MIB * 2048)), type=c, bootable
start=$(((BOOT_START_MIB + BOOT_MIB) * 2048)), size=$((root_mib * 2048)), type=83
EOF
dd if="$boot_img" of="$img" bs=1M seek="$BOOT_START_MIB" conv=notrunc,sparse status=none
dd if="$root_img" of="$img" bs=1M seek="$((BOOT_START_MIB + BOOT_MIB))" conv=notrunc,sparse status=none
sfdisk -l "$img" >&2

step "xz -T0"
rm -f "$img.xz"
xz -T0 -6 -k "$img"
raw=$(stat -c %s "$img")
packed=$(stat -c %s "$img.xz")
((keep_raw)) || rm -f "$img"

step "done"
elapsed=$((($(now_ms) - started) / 1000))
printf 'image: %s\n' "${img#"$REPO_ROOT"/}.xz"
printf 'raw:   %s bytes (%d MiB: boot %d MiB, root %d MiB with %d MiB used)\n' "$raw" $((raw / 1048576)) "$BOOT_MIB" "$root_mib" "$used_mib"
printf 'xz:    %s bytes (%.1f MiB)\n' "$packed" "$(awk -v s="$packed" 'BEGIN { print s / 1048576 }')"
printf 'time:  %dm%02ds\n' $((elapsed / 60)) $((elapsed % 60))
printf 'flash: xz -dc %s | sudo dd of=/dev/sdX bs=4M conv=fsync\n' "${img#"$REPO_ROOT"/}.xz"
