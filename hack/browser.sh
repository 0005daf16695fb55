#!/usr/bin/env bash
# Provide a headless browser for the compliance report test: ReportIT renders the HTML report with
# Debian's Chromium (--headless --dump-dom, --screenshot) and fails, rather than skips, when no
# browser is installed.
#
# Idempotent: returns at once when chromium is already installed. Uses sudo when not root.
set -euo pipefail

for b in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [[ -x "$b" ]]; then
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "No chromium and no apt-get: install Chromium (or Chrome) yourself for ReportIT." >&2
  exit 1
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  SUDO=sudo
fi
echo "Installing Debian's chromium for the report's headless-browser test"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium
