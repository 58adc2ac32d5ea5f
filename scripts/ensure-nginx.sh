#!/usr/bin/env bash
# The page-load bench (npm run bench:pages) puts Debian's nginx in front of the web process as the shared
# cache; install it if it is missing (needs root, like scripts/ensure-chromium.sh).
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "nginx is missing; install it (apt-get install -y nginx-light or nginx) or run this as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx >/dev/null
# The bench runs its own nginx with its own configuration; Debian's service is not needed.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
