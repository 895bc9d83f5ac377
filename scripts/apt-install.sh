#!/usr/bin/env bash
# Installs Debian packages the tests need (real HAProxy and NGINX, Chromium for the browser tests), skipping those
# whose program is already on the machine, and running `apt-get update` at most once. CI starts from a clean
# machine, so it calls this; tests that need an absent program skip with one line saying so.
# Usage: scripts/apt-install.sh PACKAGE... (each package's program has the package's name).
set -euo pipefail
missing=()
for package in "$@"; do
  command -v "$package" >/dev/null 2>&1 || [ -x "/usr/sbin/$package" ] || [ -x "/usr/bin/$package" ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "apt-install: $* already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-install: apt-get not found; install ${missing[*]} with your package manager" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "apt-install: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
