#!/usr/bin/env bash
# Runs every test of PassTrack: restore, build with warnings as errors, then all test projects.
# Works on a fresh Debian machine with the .NET 10 SDK; installs what the tests need.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Bell schedules are in each building's time zone: the tests need the IANA time zone database.
if [ ! -e /usr/share/zoneinfo/America/New_York ]; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tzdata
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore PassTrack.sln
dotnet build PassTrack.sln --no-restore -c Release -warnaserror
dotnet test PassTrack.sln --no-build -c Release --logger "console;verbosity=minimal" --results-directory artifacts/test-results
