#!/usr/bin/env bash
# Debian's Chromium for the browser tests (test/browser/). Idempotent: does
# nothing when /usr/bin/chromium is already there. Never lets a tool download
# a browser of its own; playwright-core only drives this one.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-chromium: /usr/bin/chromium is missing and installing it needs root (apt-get install chromium)" >&2
    exit 1
  fi
fi
echo "ensure-chromium: installing Debian's chromium (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2; exit 1; }
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo installed)"
