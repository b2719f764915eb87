#!/usr/bin/env bash
# Called by the dashboard build (src/PiHub.Server/Dashboard/PiHub.Dashboard.targets) before npm runs,
# so that `dotnet run --project src/PiHub.Server` works on a fresh Debian 12 with only the .NET SDK:
# when npm is missing it installs Debian's nodejs and npm (as root, or through sudo without a
# password prompt). Exits 127 when it cannot, which the build turns into a message saying what to do.
set -euo pipefail
command -v npm >/dev/null && exit 0
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"
# shellcheck source=deps.sh
source "$here/deps.sh"
command -v apt-get >/dev/null || exit 127
if ((EUID != 0)) && ! sudo -n true 2>/dev/null; then exit 127; fi
log "the dashboard is built with npm, which is missing: installing Debian's nodejs and npm"
ensure_apt nodejs npm
command -v npm >/dev/null || exit 127
