#!/usr/bin/env bash
# Runs every test of PassTrack: restore, build with warnings as errors, then all test projects.
# Works on a fresh Debian machine with the .NET 10 SDK; installs what the tests need.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# What the tests need from Debian: the IANA time zone database (bell schedules are local), and Mosquitto with its
# command-line clients (the edge is tested against it as an external broker and as a foreign client), and Chromium
# (the dashboard's end-to-end tests drive it with Playwright), and cloud-init (the provisioning tool's user-data is checked
# with its schema validator; its PyYAML reads the generated YAML back).
need=()
[ -e /usr/share/zoneinfo/America/New_York ] || need+=(tzdata)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v cloud-init >/dev/null 2>&1 || need+=(cloud-init)
# And qemu with Debian's arm64 libc, libstdc++ and libssl (multiarch): the kiosk's trimmed linux-arm64 build runs its
# --self-test under it, and even self-contained it needs these from the target.
[ -x /usr/bin/qemu-aarch64-static ] || need+=(qemu-user-static)
arm64=()
[ -e /lib/ld-linux-aarch64.so.1 ] || arm64+=(libc6:arm64)
[ -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ] || arm64+=(libstdc++6:arm64)
[ -e /usr/lib/aarch64-linux-gnu/libssl.so.3 ] || arm64+=(libssl3:arm64)
if [ ${#arm64[@]} -gt 0 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
  need+=("${arm64[@]}")
fi
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# The tests start their own Mosquitto on free ports; a system service is not needed.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now mosquitto >/dev/null 2>&1 || true; fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore PassTrack.sln
dotnet build PassTrack.sln --no-restore -c Release -warnaserror
dotnet test PassTrack.sln --no-build -c Release --logger "console;verbosity=minimal" --results-directory artifacts/test-results
