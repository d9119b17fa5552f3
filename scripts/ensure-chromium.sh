#!/usr/bin/env bash
# Debian's Chromium for the browser tests (test/browser/), and Debian's colour
# emoji font so posts with emoji render as emoji, not boxes (issue 11).
# Idempotent: does nothing when both are already there. Never lets a tool
# download a browser of its own; playwright-core only drives this one.
set -euo pipefail
EMOJI_FONT=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
if [ -x /usr/bin/chromium ] && [ -f "$EMOJI_FONT" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-chromium: /usr/bin/chromium or $EMOJI_FONT is missing and installing them needs root (apt-get install chromium fonts-noto-color-emoji)" >&2
    exit 1
  fi
fi
echo "ensure-chromium: installing Debian's chromium and fonts-noto-color-emoji (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-color-emoji >/dev/null
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2; exit 1; }
[ -f "$EMOJI_FONT" ] || { echo "ensure-chromium: apt-get finished but $EMOJI_FONT is still missing" >&2; exit 1; }
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo installed), emoji font $EMOJI_FONT"
