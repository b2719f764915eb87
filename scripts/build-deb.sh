#!/usr/bin/env bash
# Builds the PiHub Debian package from the published Native AOT binaries.
#
#   scripts/build-deb.sh arm64|amd64 [--no-lintian]
#
# Reads artifacts/publish/linux-<arm64|x64>/ (run scripts/publish.sh first) and
# writes artifacts/deb/pihub_<version>_<arch>.deb, version from Directory.Build.props.
# Then runs lintian and fails on any error (warnings are printed; the justified
# ones are overridden in packaging/debian/lintian-overrides).
#
# Depends: is computed, not hand-kept:
#   - dpkg-shlibdeps on every ELF executable gives the libraries it links
#     (today libc6 (>= 2.34): libc.so.6, libm.so.6, ld-linux);
#   - libraries .NET opens at run time with dlopen() are invisible to it, so the
#     binary's strings are matched against DLOPEN_PACKAGES below; a soname found
#     there and in neither list fails the build until someone decides.
#   - adduser, for the postinst.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"

usage() {
  echo "usage: scripts/build-deb.sh arm64|amd64 [--no-lintian]" >&2
  exit 2
}

arch=""
lint=1
for arg in "$@"; do
  case "$arg" in
    arm64 | amd64) arch=$arg ;;
    --no-lintian) lint=0 ;;
    -h | --help) usage ;;
    *) echo "error: unknown argument '$arg'" >&2 && usage ;;
  esac
done
[[ -n $arch ]] || usage

# The commands shipped in /usr/lib/pihub and linked from /usr/bin. pihub is required;
# the others are shipped when scripts/publish.sh put them next to it.
COMMANDS=(pihub)
OPTIONAL_COMMANDS=(pihub-cli)

# Libraries .NET dlopen()s, by soname -> the Debian package that has it, or "-" with why not.
declare -A DLOPEN_PACKAGES=(
  [libssl.so.3]=libssl3 # OpenSSL 3: hashing, HMAC, PBKDF2, TLS (System.Security.Cryptography)
  [libssl.so.1.1]=-     # older OpenSSL sonames .NET tries after libssl.so.3
  [libssl.so.1.0.2]=-
  [libssl.so.1.0.0]=-
  [libssl.so.10]=-
  [libgssapi_krb5.so.2]=- # Kerberos/Negotiate authentication: PiHub never uses it
  # System.Device.Gpio's libgpiod drivers: API v1 (libgpiod 1.6, Debian 12's libgpiod2) or
  # API v2 (libgpiod 2.x, Debian 13's libgpiod3, which has no libgpiod2); PiHub tries both.
  [libgpiod.so.2]="libgpiod2 | libgpiod3"
  [libgpiod.so.1]=- # its fallback for libgpiod < 1.5
  [libgpiod.so.3]=- # the alternative above
)

case "$arch" in
  amd64) rid=linux-x64 machine='X86-64' ;;
  arm64) rid=linux-arm64 machine='AArch64' ;;
esac

ensure_apt dpkg-dev binutils
((lint)) && ensure_apt lintian

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$REPO_ROOT/Directory.Build.props" | head -n 1)
[[ -n $version ]] || die "no <Version> in Directory.Build.props; add one (e.g. <Version>0.1.0</Version>) and re-run"
changelog=$REPO_ROOT/packaging/debian/changelog
changelog_version=$(sed -n '1s/^pihub (\([^)]*\)).*/\1/p' "$changelog")
[[ $changelog_version == "$version" ]] \
  || die "packaging/debian/changelog's newest entry is $changelog_version but Directory.Build.props says $version; add a changelog entry for $version and re-run"

publish=$REPO_ROOT/artifacts/publish/$rid
[[ -x $publish/pihub ]] || die "$publish/pihub is missing; run scripts/publish.sh $rid first"
readelf -h "$publish/pihub" | grep -q "Machine:.*$machine" \
  || die "$publish/pihub is not an $arch ($machine) binary; re-run scripts/publish.sh $rid"
for command in "${OPTIONAL_COMMANDS[@]}"; do
  [[ -x $publish/$command ]] && COMMANDS+=("$command")
done

work=$REPO_ROOT/artifacts/build/deb-$arch
root=$work/debian/pihub # where dpkg-shlibdeps expects a package's files
out=$REPO_ROOT/artifacts/deb
deb=$out/pihub_${version}_$arch.deb
rm -rf "$work"
mkdir -p "$root" "$out"
log "building ${deb#"$REPO_ROOT"/} from ${publish#"$REPO_ROOT"/} (${COMMANDS[*]})"

packaging=$REPO_ROOT/packaging
# The publish folder minus what only a debugger or an IDE reads.
install -d -m 0755 "$root/usr/lib/pihub" "$root/usr/bin"
(cd "$publish" && find . -type f ! -name '*.dbg' ! -name '*.pdb' ! -name '*.xml' -print0) \
  | while IFS= read -r -d '' file; do
    install -D -m 0644 "$publish/$file" "$root/usr/lib/pihub/$file"
  done
for command in "${COMMANDS[@]}"; do
  chmod 0755 "$root/usr/lib/pihub/$command"
  ln -s "../lib/pihub/$command" "$root/usr/bin/$command"
done
install -D -m 0644 "$packaging/systemd/pihub.service" "$root/lib/systemd/system/pihub.service"
install -D -m 0644 "$packaging/udev/60-pihub-gpio.rules" "$root/lib/udev/rules.d/60-pihub-gpio.rules"
install -D -m 0644 "$packaging/polkit/50-pihub.rules" "$root/usr/share/polkit-1/rules.d/50-pihub.rules"
install -D -m 0644 "$packaging/modules-load/pihub.conf" "$root/usr/lib/modules-load.d/pihub.conf"
# postinst makes it root:pihub 0640 (the packaged default holds no secret).
install -D -m 0644 "$REPO_ROOT/etc/pihub/pihub.yaml" "$root/etc/pihub/pihub.yaml"
doc=$root/usr/share/doc/pihub
install -D -m 0644 "$packaging/debian/copyright" "$doc/copyright"
install -D -m 0644 "$REPO_ROOT/README.md" "$doc/README.md"
# README links to docs/<topic>.md: ship them beside it so the links resolve in /usr/share/doc/pihub.
for page in "$REPO_ROOT"/docs/*.md; do
    install -D -m 0644 "$page" "$doc/docs/$(basename "$page")"
done
# A native package (built from the same tree as the code): changelog.gz, not changelog.Debian.gz.
gzip -9n <"$changelog" >"$doc/changelog.gz"
install -d -m 0755 "$root/usr/share/man/man8"
# The pages leave .TH's date empty; they get the day of the last commit, so a rebuild of the same tree writes
# the same page (outside a git checkout: the day of SOURCE_DATE_EPOCH, else today).
man_date=$(git -C "$REPO_ROOT" log -1 --format=%cs 2>/dev/null || true)
[[ -n $man_date ]] || man_date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%F)
# One page per shipped command (packaging/man/<command>.8).
for command in "${COMMANDS[@]}"; do
  page=$packaging/man/$command.8
  [[ -f $page ]] || die "packaging/man/$command.8 is missing: every command in /usr/bin needs a manual page (lintian: no-manual-page)"
  sed -e "s/^\(\.TH [^ ]* [^ ]* \)\"\"/\1\"$man_date\"/" "$page" >"$work/$command.8"
  grep -qE '^\.TH [^ ]+ [^ ]+ "[0-9]{4}-[0-9]{2}-[0-9]{2}"' "$work/$command.8" \
    || die "packaging/man/$command.8 has no .TH line with a date to fill in; start it with .TH NAME 8 \"\" \"PiHub\" \"System Administration\" and build-deb.sh writes $man_date there"
  gzip -9n <"$work/$command.8" >"$root/usr/share/man/man8/$command.8.gz"
  chmod 0644 "$root/usr/share/man/man8/$command.8.gz"
done
install -D -m 0644 "$packaging/debian/lintian-overrides" "$root/usr/share/lintian/overrides/pihub"
chmod 0644 "$doc/changelog.gz"

# Depends.
printf 'Source: pihub\n\nPackage: pihub\nArchitecture: any\n' >"$work/debian/control"
shlibs=$(cd "$work" && for command in "${COMMANDS[@]}"; do echo "debian/pihub/usr/lib/pihub/$command"; done \
  | xargs dpkg-shlibdeps -O 2>"$work/shlibdeps.log") \
  || die "dpkg-shlibdeps failed: $(cat "$work/shlibdeps.log"); for arm64 it needs libc6:arm64 (scripts/test.sh installs it; or: dpkg --add-architecture arm64 && apt-get install libc6:arm64)"
depends=${shlibs#shlibs:Depends=}
declare -A seen=()
for command in "${COMMANDS[@]}"; do
  # Linked libraries (NEEDED) are dpkg-shlibdeps' business.
  while IFS= read -r soname; do seen[$soname]=1; done \
    < <(objdump -p "$root/usr/lib/pihub/$command" | awk '$1 == "NEEDED" { print $2 }')
  while IFS= read -r soname; do
    [[ -n ${seen[$soname]:-} ]] && continue
    seen[$soname]=1
    package=${DLOPEN_PACKAGES[$soname]:-}
    [[ -n $package ]] || die "$command may dlopen() $soname, which scripts/build-deb.sh does not know: add it to DLOPEN_PACKAGES with its Debian package (or - and why it is not needed)"
    [[ $package == - ]] || depends+=", $package"
  done < <(strings -n 6 "$root/usr/lib/pihub/$command" | grep -xE 'lib[A-Za-z0-9_+-]+\.so(\.[0-9]+)*' | sort -u)
done
depends+=", adduser"

# Control files.
control=$root/DEBIAN
install -d -m 0755 "$control"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  -e "s/@DEPENDS@/$depends/" "$packaging/debian/control.in" >"$control/control"
install -m 0644 "$packaging/debian/conffiles" "$control/conffiles"
install -m 0755 "$packaging/debian/postinst" "$packaging/debian/prerm" "$packaging/debian/postrm" "$control/"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$control/md5sums"
# Files written by the build get the mode install(1) gave them, whatever the umask.
find "$root" -type d -exec chmod 0755 {} +

# Reproducible: every file dated to the last commit (dpkg-deb dates its own members by it too).
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO_ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
size=$(stat -c %s "$deb")
printf '%s: %s (%s bytes, %.1f MiB), Depends: %s\n' "$arch" "${deb#"$REPO_ROOT"/}" "$size" \
  "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" "$depends"

if ((lint)); then
  log "lintian ${deb#"$REPO_ROOT"/}"
  lintian_out=$(lintian --display-info "$deb" 2>&1 | grep -v '^running with root privileges' || true)
  [[ -z $lintian_out ]] || printf '%s\n' "$lintian_out"
  if grep -q '^E: ' <<<"$lintian_out"; then
    die "lintian found errors in ${deb#"$REPO_ROOT"/} (E: lines above); fix them or, when justified, override them in packaging/debian/lintian-overrides with a comment"
  fi
fi
