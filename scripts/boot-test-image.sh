#!/usr/bin/env bash
# Boots the PiHub SD image under QEMU and checks what a user would after flashing it.
#
#   scripts/boot-test-image.sh [IMAGE] [--machine raspi3b|virt] [--idle-minutes N] [--grow-mib N]
#                              [--boot-timeout-minutes N]
#
# IMAGE: a .img or .img.xz (default artifacts/image/pihub-<version>-arm64.img.xz, made by
# scripts/build-image.sh). The image itself is not changed: a copy is made, and on it
#   - a throwaway SSH key is dropped on the boot partition as pihub-ssh.pub (mcopy),
#   - the copy is made at least --grow-mib larger (default 1024) with qemu-img resize, as a
#     card bigger than the image is, to prove the first boot grows the root filesystem
#     (for raspi3b up to a power of two, the only sizes QEMU's SD card takes);
# then QEMU boots it (TCG: no KVM for arm64 here):
#   raspi3b (default): the Pi's own path. An emulated Raspberry Pi 3 Model B with the copy as
#     its SD card boots what the GPU firmware would load from the boot partition: config.txt's
#     kernel= and initramfs, the device tree a Pi 3 B picks (bcm2837-rpi-3-b.dtb with
#     upstream_kernel=1, or config.txt's device_tree=) and cmdline.txt exactly as written
#     (console= and all). Network: an emulated USB Ethernet adapter (usb-net) on the Pi's
#     USB host port. Not emulated: the GPU firmware itself (QEMU loads those files as
#     it would), the Pi 3's own LAN9514 Ethernet, a Pi 4 (QEMU 7.2 has no raspi4b), a Pi 5.
#   virt: a generic arm64 machine (-cpu cortex-a72 -m 1024 -smp 2, virtio disk and network)
#     with the kernel and initrd from the boot partition and cmdline.txt without console=
#     (QEMU's serial port is ttyAMA0); faster, and independent of the Pi's device trees.
# User networking is restricted to two forwarded loopback ports (restrict=on: the guest
# reaches nothing else, so NTP never answers and time-sync.target waits its 60 s). It waits for GET /api/onboarding, then over SSH with the key runs
# `sudo pihub-cli status`, `findmnt /`, `df -h /`, `hostname` and more checks, and measures
# the bytes written to the root filesystem in N idle minutes (default 10;
# /sys/fs/ext4/<dev>/lifetime_write_kbytes before and after). Exits non-zero when a check fails.
#
# Not part of scripts/test.sh: the boot alone takes minutes under emulation. Needs root
# only to install qemu-system-arm, qemu-efi-aarch64, qemu-utils, mtools and fdisk if missing.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"

usage() {
  echo "usage: scripts/boot-test-image.sh [IMAGE] [--machine raspi3b|virt] [--idle-minutes N] [--grow-mib N] [--boot-timeout-minutes N]" >&2
  exit 2
}

image=""
idle_minutes=10
grow_mib=1024
boot_timeout_minutes=40
machine=raspi3b
while (($#)); do
  case "$1" in
    --machine) machine=${2:?} && shift ;;
    --idle-minutes) idle_minutes=${2:?} && shift ;;
    --grow-mib) grow_mib=${2:?} && shift ;;
    --boot-timeout-minutes) boot_timeout_minutes=${2:?} && shift ;;
    -h | --help) usage ;;
    -*) echo "error: unknown argument '$1'" >&2 && usage ;;
    *) image=$1 ;;
  esac
  shift
done
[[ $idle_minutes =~ ^[0-9]+$ && $grow_mib =~ ^[0-9]+$ && $boot_timeout_minutes =~ ^[1-9][0-9]*$ ]] \
  || die "--idle-minutes, --grow-mib and --boot-timeout-minutes take whole numbers"
[[ $machine == raspi3b || $machine == virt ]] || die "--machine takes raspi3b or virt, not '$machine'"

if [[ -z $image ]]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$REPO_ROOT/Directory.Build.props" | head -n 1)
  image=$REPO_ROOT/artifacts/image/pihub-$version-arm64.img.xz
fi
[[ -f $image ]] || die "$image is missing; build it with scripts/build-image.sh (or give the image's path)"

ensure_apt qemu-system-arm qemu-efi-aarch64 qemu-utils mtools fdisk e2fsprogs xz-utils openssh-client curl

work=$(mktemp -d "${TMPDIR:-/tmp}/pihub-boot-test.XXXXXX")
qemu_pid=""
finish() {
  [[ -n $qemu_pid ]] && stop_pid "$qemu_pid"
  rm -rf "$work"
}
trap finish EXIT

section() { printf '\n== %s\n' "$*"; }

# ---------------------------------------------------------------- the copy
section "build inputs"
echo "image: $image ($(stat -c %s "$image") bytes, sha256 $(sha256sum "$image" | cut -c1-16))"
disk=$work/disk.img
if [[ $image == *.xz ]]; then
  xz -dc "$image" | dd of="$disk" bs=1M conv=sparse status=none
else
  cp --sparse=always "$image" "$disk"
fi
image_bytes=$(stat -c %s "$disk")
# The boot partition: the first one, FAT. mtools reads it at its byte offset (no loop device).
boot_start=$(sfdisk -d "$disk" | awk -F'[=,]' '/start=/ { gsub(/ /, "", $2); print $2; exit }')
[[ $boot_start =~ ^[0-9]+$ ]] || die "no partition table in $image; rebuild it with scripts/build-image.sh"
fat="$disk@@$((boot_start * 512))"
export MTOOLS_SKIP_CHECK=1
mtype -i "$fat" ::/pihub-image.txt | tr -d '\r' || echo "(no pihub-image.txt on the boot partition)"
mcopy -n -i "$fat" ::/config.txt ::/cmdline.txt "$work/"
kernel=$(tr -d '\r' <"$work/config.txt" | sed -n 's/^kernel=//p' | tail -n 1)
initrd=$(tr -d '\r' <"$work/config.txt" | sed -n 's/^initramfs \([^ ]*\).*/\1/p' | tail -n 1)
[[ -n $kernel && -n $initrd ]] || die "config.txt on the boot partition names no kernel= or initramfs; rebuild the image"
mcopy -n -i "$fat" "::/$kernel" "::/$initrd" "$work/"
echo "kernel: $kernel, initrd: $initrd (config.txt on the boot partition)"
echo "cmdline.txt: $(tr -d '\r\n' <"$work/cmdline.txt")"
if [[ $machine == raspi3b ]]; then
  # The firmware's choice for a Pi 3 Model B: device_tree= if set, else the upstream
  # kernel's name with upstream_kernel=1 and Raspberry Pi's own without.
  dtb=$(tr -d '\r' <"$work/config.txt" | sed -n 's/^device_tree=//p' | tail -n 1)
  if [[ -z $dtb ]]; then
    dtb=bcm2710-rpi-3-b.dtb
    tr -d '\r' <"$work/config.txt" | grep -qx 'upstream_kernel=1' && dtb=bcm2837-rpi-3-b.dtb
  fi
  mcopy -n -i "$fat" "::/$dtb" "$work/" || die "$dtb, the device tree a Pi 3 B loads, is not on the boot partition"
  # The firmware passes the first line of cmdline.txt as it is.
  append=$(tr -d '\r' <"$work/cmdline.txt" | head -n 1)
  echo "device tree: $dtb (what a Pi 3 Model B's firmware loads with this config.txt)"
  echo "QEMU command line: cmdline.txt unchanged"
else
  # The Pi's command line, with QEMU's serial console instead of the Pi's.
  append="$(tr -d '\r\n' <"$work/cmdline.txt" | sed -E 's/(^| )(console|cma)=[^ ]*//g') console=ttyAMA0"
  echo "QEMU command line: $append"
fi

ssh-keygen -q -t ed25519 -N '' -C pihub-boot-test -f "$work/id"
mcopy -o -i "$fat" "$work/id.pub" ::/pihub-ssh.pub
if [[ $machine == raspi3b ]]; then
  # QEMU's raspi machines model the BCM2835 watchdog's reset register (PM_RSTC) but not its
  # countdown: the write that arms it resets the emulated Pi at once (seen: QEMU exits right
  # after systemd starts). So on this copy only, a drop-in (written into the ext4 root with
  # debugfs, no mount) turns systemd's hardware watchdog off; cmdline.txt stays as it is.
  root_start=$(sfdisk -d "$disk" | awk -F'[=,]' '/start=/ { n++; if (n == 2) { gsub(/ /, "", $2); print $2; exit } }')
  [[ $root_start =~ ^[0-9]+$ ]] || die "no second (root) partition in $image; rebuild it with scripts/build-image.sh"
  printf '# scripts/boot-test-image.sh: QEMU resets at once when the watchdog is armed\n[Manager]\nRuntimeWatchdogSec=0\nRebootWatchdogSec=0\n' \
    >"$work/99-boot-test-no-watchdog.conf"
  chmod 0644 "$work/99-boot-test-no-watchdog.conf"
  debugfs -w -R "write $work/99-boot-test-no-watchdog.conf /etc/systemd/system.conf.d/99-boot-test-no-watchdog.conf" \
    "$disk?offset=$((root_start * 512))" >/dev/null 2>&1 || die "debugfs could not write the watchdog drop-in into the copy's root filesystem"
  echo "watchdog: off on this copy (/etc/systemd/system.conf.d/99-boot-test-no-watchdog.conf): QEMU's raspi3b resets when it is armed"
fi
disk_bytes=$((image_bytes + grow_mib * 1048576))
if [[ $machine == raspi3b ]]; then
  size=1048576
  while ((size < disk_bytes)); do size=$((size * 2)); done
  disk_bytes=$size
fi
qemu-img resize -q -f raw "$disk" "$disk_bytes"
echo "disk: the image ($((image_bytes / 1048576)) MiB) grown to $(($(stat -c %s "$disk") / 1048576)) MiB, pihub-ssh.pub = a throwaway ed25519 key"

# ---------------------------------------------------------------- boot
http_port=$(free_port)
ssh_port=$(free_port)
while [[ $ssh_port == "$http_port" ]]; do ssh_port=$(free_port); done
console=$work/console.log
netdev="user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$http_port-:8123,hostfwd=tcp:127.0.0.1:$ssh_port-:22"
if [[ $machine == raspi3b ]]; then
  section "boot (qemu-system-aarch64 -M raspi3b: 4 x Cortex-A53, 1 GiB, the image as SD card, usb-net; TCG; ports 127.0.0.1:$http_port -> 8123, 127.0.0.1:$ssh_port -> 22)"
  started=$(now_ms)
  # Serial 0 is the PL011 (the Pi 3's Bluetooth UART), serial 1 the mini UART: ttyS1.
  # usb-net with a globally administered MAC, as a real adapter has (cdc_ether names it eth0, as
  # the Pi's own port would be); with QEMU's default, locally administered MAC it would be usb0,
  # which 20-pihub-wired.network also configures.
  nice -n 19 qemu-system-aarch64 -M raspi3b \
    -kernel "$work/$kernel" -initrd "$work/$initrd" -dtb "$work/$dtb" -append "$append" \
    -drive "if=sd,file=$disk,format=raw" \
    -netdev "$netdev" -device usb-net,netdev=n0,mac=50:54:00:12:34:56 \
    -display none -monitor none -serial null -serial "file:$console" -no-reboot &
else
  section "boot (qemu-system-aarch64 -M virt -cpu cortex-a72 -m 1024, TCG; ports 127.0.0.1:$http_port -> 8123, 127.0.0.1:$ssh_port -> 22)"
  started=$(now_ms)
  # virtio-net's romfile= : no PXE option ROM (Debian ships it in ipxe-qemu; -kernel boots without it).
  nice -n 19 qemu-system-aarch64 -M virt -cpu cortex-a72 -m 1024 -smp 2 \
    -kernel "$work/$kernel" -initrd "$work/$initrd" -append "$append" \
    -drive "if=none,id=d0,file=$disk,format=raw" -device virtio-blk-pci,drive=d0 \
    -netdev "$netdev" -device virtio-net-pci,netdev=n0,romfile= -device virtio-rng-pci \
    -display none -monitor none -serial "file:$console" -no-reboot &
fi
qemu_pid=$!

deadline=$((started + boot_timeout_minutes * 60000))
until code=$(curl -s -o "$work/onboarding.json" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$http_port/api/onboarding") \
  && [[ $code == 2* ]]; do
  if ! kill -0 "$qemu_pid" 2>/dev/null; then
    qemu_pid=""
    tail -n 40 "$console" >&2
    die "QEMU exited before /api/onboarding answered (console above)"
  fi
  if (($(now_ms) > deadline)); then
    tail -n 40 "$console" >&2
    die "/api/onboarding did not answer within $boot_timeout_minutes minutes (console above); try --boot-timeout-minutes"
  fi
  sleep 5
done
boot_ms=$(($(now_ms) - started))
printf 'GET /api/onboarding answered %s after %d.%01d s: %s\n' "$code" $((boot_ms / 1000)) $((boot_ms % 1000 / 100)) "$(head -c 300 "$work/onboarding.json")"

# ---------------------------------------------------------------- checks over SSH
ssh_opts=(-i "$work/id" -p "$ssh_port" -o BatchMode=yes -o StrictHostKeyChecking=accept-new
  -o "UserKnownHostsFile=$work/known_hosts" -o ConnectTimeout=20 -o LogLevel=ERROR)
# The commands are written for the guest's shell: expanding them there is the point.
# shellcheck disable=SC2029
on_pi() { ssh "${ssh_opts[@]}" admin@127.0.0.1 "$@"; }
failures=0
check() {
  local title=$1
  shift
  printf '\n$ %s\n' "$title"
  if ! on_pi "$@" 2>&1; then
    echo "FAILED: $title"
    failures=$((failures + 1))
  fi
}
section "checks over SSH as admin with the dropped key"
for _ in $(seq 1 30); do on_pi true 2>/dev/null && break; sleep 5; done
check "sudo pihub-cli status" sudo pihub-cli status
check "findmnt /" findmnt /
check "df -h /" df -h /
check "hostname" hostname
check "systemctl is-active pihub pihub-firstboot ssh avahi-daemon" systemctl is-active pihub pihub-firstboot ssh avahi-daemon
check "journalctl -b -u pihub-firstboot (what the first boot did)" 'journalctl -b -u pihub-firstboot -o cat --no-pager | grep firstboot'
# shellcheck disable=SC2016  # expanded by the guest's shell
check "findmnt /boot/firmware; /proc/swaps (no swap expected)" 'findmnt /boot/firmware && cat /proc/swaps && [ "$(wc -l </proc/swaps)" -eq 1 ]'
check "sshd -T: password logins off, root login off" 'sudo sshd -T | grep -E "^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin) "'
# The methods sshd offers show in the client's "Permission denied (...)" when it tries none of them.
printf '\n$ ssh offering no credentials (expected: "Permission denied (publickey)." - no password method offered)\n'
refusal=$(ssh -p "$ssh_port" -o BatchMode=yes -o PubkeyAuthentication=no -o PasswordAuthentication=no \
  -o KbdInteractiveAuthentication=no -o "UserKnownHostsFile=$work/known_hosts" -o ConnectTimeout=20 \
  admin@127.0.0.1 true 2>&1 || true)
echo "$refusal"
if [[ $refusal != *"Permission denied (publickey)."* ]]; then
  echo "FAILED: sshd offers more than public keys (or did not answer)"
  failures=$((failures + 1))
fi
check "uname -a; systemd-analyze" 'uname -a; systemd-analyze || true'
check "cat /proc/cmdline; the device tree's model" 'cat /proc/cmdline; tr -d "\\0" </sys/firmware/devicetree/base/model; echo'
# shellcheck disable=SC2016  # expanded by the guest's shell
check "hardware watchdog: the card's setting, what systemd uses (raspi3b: off on this copy, see above)" 'grep -h "^[A-Za-z]*WatchdogSec=" /etc/systemd/system.conf.d/50-pihub-watchdog.conf; systemctl show -p RuntimeWatchdogUSec -p RebootWatchdogUSec -p WatchdogDevice; ls -l /dev/watchdog* 2>&1; journalctl -b -o cat --no-pager | grep -i -m 3 watchdog || true'
check "clock: time-sync.target before pihub (systemd-time-wait-sync, at most 60 s)" 'journalctl -b -o cat --no-pager | grep -m 2 pihub-wait-clock; systemctl is-active time-sync.target; timedatectl show -p NTPSynchronized; date -u; stat -c "clock-epoch %y" /usr/lib/clock-epoch'

# ---------------------------------------------------------------- idle writes
# shellcheck disable=SC2016  # expanded by the guest's shell
root_dev=$(on_pi 'basename "$(readlink -f "$(findmnt -no SOURCE /)")"')
counter=/sys/fs/ext4/$root_dev/lifetime_write_kbytes
section "idle writes to the root filesystem ($counter) over $idle_minutes minutes"
before=$(on_pi "cat $counter")
echo "since mkfs (the build's mkfs.ext4 -d and this first boot, growth included): $before KB"
sleep $((idle_minutes * 60))
after=$(on_pi "cat $counter")
echo "after $idle_minutes idle minutes: $after KB, written while idle: $((after - before)) KB"
on_pi 'sudo journalctl --disk-usage' || true

section "shutdown"
on_pi 'sudo systemctl poweroff' >/dev/null 2>&1 || true
for _ in $(seq 1 60); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 2; done
if kill -0 "$qemu_pid" 2>/dev/null; then
  echo "the guest did not power off within 2 minutes; stopping QEMU"
else
  qemu_pid=""
  echo "the guest powered off"
fi

section "summary"
printf 'boot to /api/onboarding: %d.%01d s\n' $((boot_ms / 1000)) $((boot_ms % 1000 / 100))
printf 'idle writes: %d KB in %d minutes\n' $((after - before)) "$idle_minutes"
if ((failures)); then
  echo "$failures check(s) FAILED (above)"
  exit 1
fi
echo "all checks passed"
