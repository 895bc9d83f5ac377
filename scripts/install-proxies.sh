#!/usr/bin/env bash
# Installs the real proxies lbsim validates its exported configs against (and the conformance lab runs):
# HAProxy and NGINX from Debian, skipping what is already installed.
exec bash "$(dirname "$0")/apt-install.sh" haproxy nginx
