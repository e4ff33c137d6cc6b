#!/usr/bin/env bash
# Install the Debian packages the tests need, only those missing.
#   scripts/setup-system.sh            chromium + chromium-driver (browser check) + npm (assets)
#   scripts/setup-system.sh npm        only npm
set -euo pipefail
want=("$@")
[ ${#want[@]} -eq 0 ] && want=(chromium chromium-driver npm)
missing=()
for pkg in "${want[@]}"; do
  case "$pkg" in
    chromium) command -v chromium >/dev/null || missing+=(chromium) ;;
    chromium-driver) command -v chromedriver >/dev/null || missing+=(chromium-driver) ;;
    npm) command -v npm >/dev/null || missing+=(npm) ;;
    *) missing+=("$pkg") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
