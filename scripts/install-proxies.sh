#!/usr/bin/env bash
# Installs the real proxies lbsim validates its exported configs against (and the conformance lab runs):
# HAProxy and NGINX from Debian. Skips what is already installed; runs `apt-get update` at most once.
set -euo pipefail
missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-proxies: haproxy and nginx are already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-proxies: apt-get not found; install ${missing[*]} with your package manager" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-proxies: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
