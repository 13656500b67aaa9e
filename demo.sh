#!/usr/bin/env bash
# Runs the PassTrack demo. For now: a school day at the demo high school, decided by the real rules engine.
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ! -e /usr/share/zoneinfo/America/New_York ]; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tzdata
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run -c Release --project edge/PassTrack.Walkthrough
