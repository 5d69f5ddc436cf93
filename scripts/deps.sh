#!/usr/bin/env bash
# Installs the Debian 12 packages kmeet needs, only those that are missing (non-interactive).
# Sourced by scripts/test.sh and scripts/demo.sh; safe to run on its own.
set -euo pipefail

KMEET_DEBS=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcpp-httplib-dev libcli11-dev libcsv-dev
  libical-dev libhowardhinnant-date-dev tzdata
  doxygen chromium
  nodejs npm curl
)

kmeet_install_deps() {
  local missing=()
  for pkg in "${KMEET_DEBS[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      # nodesource's nodejs bundles npm: do not ask apt for a second npm.
      if [ "$pkg" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
      if [ "$pkg" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "kmeet: installing missing packages: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  kmeet_install_deps "$@"
fi
