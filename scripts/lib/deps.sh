#!/usr/bin/env bash
# shellcheck disable=SC2034  # the package lists below are used by the scripts that source this file.
# Idempotent installers for what the scripts need. Source it after common.sh.
#   ensure_apt pkg...            installs only the Debian packages that are missing;
#                                runs `apt-get update` at most once per run.
#   ensure_npm DIR               `npm ci` in DIR (package-lock.json required) unless
#                                node_modules already matches the lock.
#   ensure_npm_pkgs DIR pkg@v... installs exact versions into a scratch DIR (no lock needed).

_PIHUB_APT_UPDATED=${_PIHUB_APT_UPDATED:-0}

# The arm64 cross toolchain used by `scripts/publish.sh linux-arm64` (and qemu tests).
ARM64_CROSS_PACKAGES=(clang lld zlib1g-dev binutils-aarch64-linux-gnu libc6-dev-arm64-cross
  libstdc++-12-dev-arm64-cross gcc-12-aarch64-linux-gnu)

# Packages the x64 Native AOT build needs.
X64_AOT_PACKAGES=(clang zlib1g-dev)

_apt_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

ensure_apt() {
  local missing=() pkg
  for pkg in "$@"; do
    _apt_installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "missing Debian packages: ${missing[*]}; run as root or install them: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  if ((_PIHUB_APT_UPDATED == 0)); then
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq || die "apt-get update failed; check the network/apt sources, then re-run"
    _PIHUB_APT_UPDATED=1
    export _PIHUB_APT_UPDATED
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed; run it by hand to see why, then re-run"
}

# ensure_arm64_runtime: the arm64 libraries the AOT binary loads at run time besides libc —
# OpenSSL (.NET's hashing, HMAC and PBKDF2 on Linux), as every Raspberry Pi OS image has it —
# installed through Debian multiarch for the qemu end-to-end test.
ensure_arm64_runtime() {
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    log "enabling Debian's arm64 architecture (multiarch) for libssl3:arm64"
    "${sudo[@]}" dpkg --add-architecture arm64 || die "dpkg --add-architecture arm64 failed; run it as root, then re-run"
    _PIHUB_APT_UPDATED=0
  fi
  ensure_apt libssl3:arm64
}

# ensure_npm DIR: reproducible install from DIR/package-lock.json. Skips when
# node_modules/.package-lock.json is newer than the lock and package.json (npm writes it on install).
ensure_npm() {
  local dir=$1
  command -v npm >/dev/null || die "npm not found; install Node.js 20 (apt-get install nodejs npm) and re-run"
  [[ -f $dir/package.json ]] || die "$dir/package.json is missing"
  local stamp=$dir/node_modules/.package-lock.json
  if [[ -f $dir/package-lock.json ]]; then
    if [[ -f $stamp && $stamp -nt $dir/package-lock.json && $stamp -nt $dir/package.json ]]; then
      return 0
    fi
    log "npm ci in ${dir#"$REPO_ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $dir; delete $dir/node_modules and re-run"
  else
    log "npm install in ${dir#"$REPO_ROOT"/} (no package-lock.json yet: commit the one this creates)"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact) || die "npm install failed in $dir"
  fi
}

# ensure_npm_pkgs DIR PKG@VERSION...: exact versions into a scratch folder (for bench peers).
ensure_npm_pkgs() {
  local dir=$1 missing=() spec name version
  shift
  mkdir -p "$dir"
  for spec in "$@"; do
    name=${spec%@*}
    version=${spec##*@}
    if [[ $(node -p "try{require('$dir/node_modules/$name/package.json').version}catch{''}" 2>/dev/null) != "$version" ]]; then
      missing+=("$spec")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  log "npm install ${missing[*]} into $dir"
  [[ -f $dir/package.json ]] || printf '{"private":true}\n' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact "${missing[@]}") || die "npm install ${missing[*]} failed in $dir"
}
