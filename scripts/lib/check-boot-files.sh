#!/usr/bin/env bash
# Checks that a Raspberry Pi boot partition (its files, in a folder) boots every model
# the PiHub card supports, the way each model's boot ROM and GPU firmware read it.
#
#   scripts/lib/check-boot-files.sh DIR ROOT_LABEL
#
# Exit 0 and one line per model when all is there; exit 1 with one line per missing or
# wrong file ("boot check: ...") otherwise. Run at the end of scripts/build-image.sh on
# the files copied to the FAT partition; tests/PiHub.EndToEnd.Tests/Packaging/
# BootFilesCheckTests.cs removes one file at a time and expects the failure to name it.
#
# What each model loads (https://www.raspberrypi.com/documentation/computers/config_txt.html):
#   Pi 3 B/B+/A+, CM3, Zero 2 W (BCM2837/RP3A0): bootcode.bin, then start.elf + fixup.dat
#   Pi 4 B, Pi 400, CM4 (BCM2711): the EEPROM loader, then start4.elf + fixup4.dat
#   then both: config.txt (arm_64bit=1, kernel=, initramfs), the model's device tree
#   (with upstream_kernel=1 the upstream name, bcm2837-.../bcm2711-...), cmdline.txt.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: scripts/lib/check-boot-files.sh DIR ROOT_LABEL" >&2; exit 2; }
dir=$1
label=$2
[[ -d $dir ]] || { echo "boot check: $dir is not a folder" >&2; exit 2; }

# model|firmware files|device tree
MODELS=(
  "Raspberry Pi 3 Model B+|bootcode.bin start.elf fixup.dat|bcm2837-rpi-3-b-plus.dtb"
  "Raspberry Pi 3 Model B|bootcode.bin start.elf fixup.dat|bcm2837-rpi-3-b.dtb"
  "Raspberry Pi 3 Model A+|bootcode.bin start.elf fixup.dat|bcm2837-rpi-3-a-plus.dtb"
  "Raspberry Pi Compute Module 3|bootcode.bin start.elf fixup.dat|bcm2837-rpi-cm3-io3.dtb"
  "Raspberry Pi Zero 2 W|bootcode.bin start.elf fixup.dat|bcm2837-rpi-zero-2-w.dtb"
  "Raspberry Pi 4 Model B|start4.elf fixup4.dat|bcm2711-rpi-4-b.dtb"
  "Raspberry Pi 400|start4.elf fixup4.dat|bcm2711-rpi-400.dtb"
  "Raspberry Pi Compute Module 4|start4.elf fixup4.dat|bcm2711-rpi-cm4-io.dtb"
)

failures=()
fail() { failures+=("boot check: $*"); }

# A file the firmware loads must exist and not be empty (FAT has no other way to be wrong).
present() { [[ -s $dir/$1 ]]; }

# config.txt: the firmware reads key=value lines (and "initramfs FILE [ADDRESS]");
# [section] filters other than [all] are not used by the card, so the last value wins.
config=$dir/config.txt
kernel=""
initramfs=""
arm64=""
if ! present config.txt; then
  fail "config.txt is missing (every model reads it); re-run scripts/build-image.sh"
else
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%#*}
    line=${line//$'\r'/}
    line=$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    case "$line" in
      kernel=*) kernel=${line#kernel=} ;;
      arm_64bit=*) arm64=${line#arm_64bit=} ;;
      initramfs\ *) initramfs=$(echo "${line#initramfs }" | awk '{ print $1 }') ;;
    esac
  done <"$config"
  [[ $arm64 == 1 ]] || fail "config.txt has no arm_64bit=1 (the firmware would start the CPU in 32-bit mode)"
  if [[ -z $kernel ]]; then
    fail "config.txt names no kernel= (the firmware would look for kernel8.img)"
  elif ! present "$kernel"; then
    fail "config.txt names kernel=$kernel, which is not on the boot partition"
  fi
  if [[ -z $initramfs ]]; then
    fail "config.txt names no initramfs (Debian's kernel needs one to mount the root)"
  elif ! present "$initramfs"; then
    fail "config.txt names initramfs $initramfs, which is not on the boot partition"
  fi
fi

if ! present cmdline.txt; then
  fail "cmdline.txt is missing (the kernel would get no root=)"
else
  cmdline=$(tr -d '\r' <"$dir/cmdline.txt")
  [[ $(printf '%s\n' "$cmdline" | grep -c .) -eq 1 ]] || fail "cmdline.txt is not one line (the firmware reads only the first)"
  root=$(printf '%s\n' "$cmdline" | head -n 1 | tr ' ' '\n' | sed -n 's/^root=//p' | tail -n 1)
  [[ $root == "LABEL=$label" ]] \
    || fail "cmdline.txt says root=${root:-(nothing)}, not root=LABEL=$label (the root partition's label)"
  # One cmdline.txt serves every model, and cma= makes the Pi 4 family unbootable.
  ! printf '%s\n' "$cmdline" | tr ' ' '\n' | grep -q '^cma=' \
    || fail "cmdline.txt sets $(printf '%s\n' "$cmdline" | tr ' ' '\n' | grep '^cma=' | head -n 1), which the Pi 4 family cannot boot with (CMA=0 in /etc/default/raspi-firmware)"
fi

declare -A reported=()
for entry in "${MODELS[@]}"; do
  IFS='|' read -r model files dtb <<<"$entry"
  for file in $files $dtb; do
    if ! present "$file"; then
      # A file shared by several models is reported once, naming them all.
      users=$(printf '%s\n' "${MODELS[@]}" | awk -F'|' -v f="$file" '{ n = split($2 " " $3, a, " "); for (i = 1; i <= n; i++) if (a[i] == f) print $1 }' | paste -sd, - | sed 's/,/, /g')
      [[ -n ${reported[$file]:-} ]] || fail "$file is missing (needed by: $users)"
      reported[$file]=1
    fi
  done
done

if ((${#failures[@]})); then
  printf '%s\n' "${failures[@]}" >&2
  echo "boot check: ${#failures[@]} problem(s) in $dir; the card would not boot every supported model" >&2
  exit 1
fi
for entry in "${MODELS[@]}"; do
  IFS='|' read -r model files dtb <<<"$entry"
  echo "boot check: $model: $files $dtb, $kernel, $initramfs"
done
echo "boot check: cmdline.txt root=LABEL=$label, no cma="
