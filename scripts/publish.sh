#!/usr/bin/env bash
# Publishes the `pihub` server and the `pihub-cli` administration tool beside it.
#
#   scripts/publish.sh linux-x64|linux-arm64 [--jit]
#
# Default: Native AOT (trimmed and self-contained by construction) into
#   artifacts/publish/<rid>/pihub and artifacts/publish/<rid>/pihub-cli
# --jit:   the fallback: trimmed, self-contained, single-file JIT builds into
#   artifacts/publish/<rid>-jit/
#
# linux-arm64 is cross-compiled on an x64 host with Debian's cross toolchain
# (installed here if missing); no sysroot is needed: clang finds the
# aarch64-linux-gnu libc and gcc runtime that the cross packages install.
# Intermediate files go to artifacts/build/<rid>[-jit]/ so publishing never
# disturbs (or is disturbed by) the ordinary obj/ folders `dotnet test` uses.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"

usage() {
  echo "usage: scripts/publish.sh linux-x64|linux-arm64 [--jit]" >&2
  exit 2
}

rid=""
jit=0
for arg in "$@"; do
  case "$arg" in
    linux-x64 | linux-arm64) rid=$arg ;;
    --jit) jit=1 ;;
    -h | --help) usage ;;
    *) echo "error: unknown argument '$arg'" >&2 && usage ;;
  esac
done
[[ -n $rid ]] || usage

host_arch=$(uname -m)
[[ $host_arch == x86_64 ]] || die "this script cross-compiles from an x86-64 host; on $host_arch run: dotnet publish src/PiHub.Server -c Release -r $rid"
command -v dotnet >/dev/null || die "dotnet not found; install the .NET 10 SDK (see global.json) and re-run"

project=$REPO_ROOT/src/PiHub.Server/PiHub.Server.csproj
variant=$rid
props=(-p:PublishAot=true)
if ((jit)); then
  variant=$rid-jit
  props=(-p:PublishAot=false -p:PublishTrimmed=true -p:SelfContained=true -p:PublishSingleFile=true)
  # PiHub.Server.csproj roots System.Security.Cryptography for this build: ILLink otherwise drops
  # a method Kestrel needs at start-up.
else
  case "$rid" in
    linux-x64) ensure_apt "${X64_AOT_PACKAGES[@]}" ;;
    linux-arm64)
      ensure_apt "${ARM64_CROSS_PACKAGES[@]}"
      # clang strips with llvm-objcopy (package `llvm`, not in the list) or the host's x86-only
      # objcopy; the cross binutils' objcopy is always there and understands aarch64.
      props+=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)
      ;;
  esac
fi

out=$REPO_ROOT/artifacts/publish/$variant
build=$REPO_ROOT/artifacts/build/$variant
logfile=$REPO_ROOT/artifacts/build/$variant.log
# Start from an empty output folder so no stale file from an older build is shipped.
rm -rf "$out"
mkdir -p "$out" "$build"

log "publishing pihub and pihub-cli for $variant -> ${out#"$REPO_ROOT"/}"
start=$(now_ms)
: >"$logfile"
for proj in "$project" "$REPO_ROOT/src/PiHub.Cli/PiHub.Cli.csproj"; do
  if ! dotnet publish "$proj" -c Release -r "$rid" -o "$out" --artifacts-path "$build" \
    -nologo -clp:NoSummary "${props[@]}" >>"$logfile" 2>&1; then
    grep -E ': (error|warning) ' "$logfile" | sort -u >&2 || tail -n 40 "$logfile" >&2
    die "dotnet publish of $(basename "$proj") for $variant failed (full log: ${logfile#"$REPO_ROOT"/}); fix the errors above and re-run"
  fi
done
elapsed=$((($(now_ms) - start) / 1000))

# Our build treats warnings as errors, but trim/AOT (ILC) warnings can still surface here: show them.
warnings=$(grep -E ': warning [A-Z]+[0-9]+' "$logfile" | sort -u || true)
if [[ -n $warnings ]]; then
  printf '%s\n' "$warnings" >&2
  warn "$(printf '%s\n' "$warnings" | wc -l) warning(s) while publishing $variant (full log: ${logfile#"$REPO_ROOT"/})"
fi

for name in pihub pihub-cli; do
  binary=$out/$name
  [[ -x $binary ]] || die "publish reported success but $binary is missing; see ${logfile#"$REPO_ROOT"/}"
  size=$(stat -c %s "$binary")
  printf '%s: %s (%s bytes, %.1f MiB) in %ss\n' "$variant" "${binary#"$REPO_ROOT"/}" "$size" \
    "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" "$elapsed"
done
