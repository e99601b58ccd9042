#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the Playwright browser tests (they drive /usr/bin/chromium;
# Playwright never downloads a browser of its own here).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version
