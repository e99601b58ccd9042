#!/usr/bin/env bash
# Make sure the Debian packages behind the PDF report are installed: WeasyPrint (a pip package) draws with
# Pango and HarfBuzz and needs a font; the PDF tests turn pages into text and images with poppler-utils.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
pdftoppm -v 2>&1 | sed -n 1p
