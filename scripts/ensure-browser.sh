#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (`npx playwright install` cannot
# download a browser on these machines). Installs it when missing; needs root (CI and dev boxes run as root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium' once." >&2
  exit 1
fi
echo "Installing Debian chromium for the browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null)" >&2
