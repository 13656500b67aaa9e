#!/usr/bin/env bash
# The PassTrack demo: the edge server of a 1,200-student high school (embedded MQTT broker, SQLite store, the rules,
# the staff API) with simulated kiosks making realistic traffic: two run the real kiosk firmware on simulated hardware
# (its LCD drawn in a log you can watch), a dozen more speak the protocol from the load tool. Ctrl+C stops everything.
# Works on a fresh Debian machine with the .NET 10 SDK. Ports: PASSTRACK_HTTP_PORT (5080), PASSTRACK_MQTT_PORT (1883).
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ! -e /usr/share/zoneinfo/America/New_York ] || ! command -v curl >/dev/null; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tzdata curl
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "Building the edge server, the kiosk firmware and the kiosk simulator..."
dotnet build edge/PassTrack.Edge -c Release -v quiet -nologo
dotnet build firmware/PassTrack.Kiosk -c Release -v quiet -nologo
dotnet build tests/PassTrack.LoadTool -c Release -v quiet -nologo
dotnet build firmware/PassTrack.Provision -c Release -v quiet -nologo
dotnet build dashboard/PassTrack.Dashboard -c Release -v quiet -nologo
DASHBOARD=dashboard/PassTrack.Dashboard/bin/Release/net10.0/PassTrack.Dashboard.dll
EDGE=edge/PassTrack.Edge/bin/Release/net10.0/PassTrack.Edge.dll
FIRMWARE=firmware/PassTrack.Kiosk/bin/Release/net10.0/passtrack-kiosk.dll
KIOSKS=tests/PassTrack.LoadTool/bin/Release/net10.0/PassTrack.LoadTool.dll
PROVISION=firmware/PassTrack.Provision/bin/Release/net10.0/passtrack-provision.dll
# The firmware kiosks are installed as on a wall: this build is the "flashed" version, run through the unit's launcher.
KIOSK_BUILD="$PWD/firmware/PassTrack.Kiosk/bin/Release/net10.0"
LAUNCHER="$PWD/firmware/PassTrack.Kiosk/Deploy/passtrack-kiosk-launch"
# The kiosk's native launcher finds the runtime that runs this script.
export DOTNET_ROOT="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"

HTTP_PORT="${PASSTRACK_HTTP_PORT:-5080}"
MQTT_PORT="${PASSTRACK_MQTT_PORT:-1883}"
DISTRICT_PORT="${PASSTRACK_DISTRICT_PORT:-1884}"
DASHBOARD_PORT="${PASSTRACK_DASHBOARD_PORT:-5090}"
DATA="${PASSTRACK_DEMO_DIR:-$(mktemp -d /tmp/passtrack-demo-XXXXXX)}"
mkdir -p "$DATA"

# The district's update key for this demo: the edge checks uploads with its public half, the kiosks check updates.
if [ ! -f "$DATA/keys/update-key.pem" ]; then dotnet "$PROVISION" keygen --out "$DATA/keys" >/dev/null; fi
export EDGE__UPDATES__PUBLICKEYPATH="$DATA/keys/update-key.pem"

# A fresh district enrolment token and a bootstrap API key, for this demo only (only their hashes reach the edge).
eval "$(dotnet "$KIOSKS" secrets)"
export EDGE__DATAPATH="$DATA/edge.db" EDGE__MQTT__PORT="$MQTT_PORT" EDGE__MQTT__BINDADDRESS=127.0.0.1
export ASPNETCORE_URLS="http://127.0.0.1:$HTTP_PORT" ASPNETCORE_ENVIRONMENT=Development MALLOC_ARENA_MAX=2

# The district: its store, and the broker the building's edge dials out to. The building is registered first; its
# secret goes to the edge alone.
export DISTRICT__DATAPATH="$DATA/district.db" DISTRICT__BROKER__PORT="$DISTRICT_PORT" DISTRICT__BROKER__BINDADDRESS=127.0.0.1
BUILDING_SECRET=$(dotnet "$DASHBOARD" register-building lincoln-hs "Lincoln High School" 2>/dev/null)
# Two staff accounts with temporary passwords, changed at the first sign-in.
ADMIN_PASSWORD=$(dotnet "$DASHBOARD" add-user admin Admin lincoln-hs "" "Dr Okafor" 2>/dev/null || echo "(kept from an earlier run)")
TEACHER_PASSWORD=$(dotnet "$DASHBOARD" add-user ruiz Teacher lincoln-hs B106 "Ms Ruiz" 2>/dev/null || echo "(kept from an earlier run)")
ASPNETCORE_URLS="http://127.0.0.1:$DASHBOARD_PORT" dotnet "$DASHBOARD" >"$DATA/dashboard.log" 2>&1 &
DASHBOARD_PID=$!

EDGE__BUILDINGID=lincoln-hs EDGE__BUILDINGNAME="Lincoln High School" EDGE__DISTRICT__HOST=127.0.0.1 \
  EDGE__DISTRICT__PORT="$DISTRICT_PORT" EDGE__DISTRICT__SECRET="$BUILDING_SECRET" \
  dotnet "$EDGE" --demo >"$DATA/edge.log" 2>&1 &
EDGE_PID=$!
unset BUILDING_SECRET
PIDS=()
stop() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  kill "$EDGE_PID" "$DASHBOARD_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  echo; echo "Stopped. The store and logs are in $DATA"
}
trap stop EXIT

echo "Starting the edge server (demo school seeded on first start)..."
# The host logs "Application started" once the store is rebuilt and the broker and the API listen.
if ! grep -q -m1 "Application started" <(timeout 120 tail -n +1 -F "$DATA/edge.log" 2>/dev/null); then
  echo "The edge server did not start; see $DATA/edge.log"; tail -20 "$DATA/edge.log"; exit 1
fi

# Two kiosks on the real firmware with simulated hardware: each enrols with the district token, is approved into its
# classroom over the API, and the room's students' taps and keys come from the load tool's script on its stdin.
api() { curl -fsS -o /dev/null -H "X-Api-Key: $PASSTRACK_API_KEY" -H "Content-Type: application/json" "$@"; }
start_firmware_kiosk() {
  local id=$1 room=$2 seed=$3
  printf '{"kioskId":"%s","enrollmentToken":"%s"}\n' "$id" "$PASSTRACK_ENROLLMENT_TOKEN" >"$DATA/$id.json"
  chmod 600 "$DATA/$id.json"
  # In a process group of its own, so that stopping the demo stops both ends of the pipe. The kiosk runs as its
  # systemd unit runs it: the update check before each start, the launcher, and a restart whenever it exits (an
  # update switches versions that way). Installed updates go to $DATA/<kiosk>-updates, its "data partition".
  setsid bash -c 'dotnet "$1" hands --room "$2" --every 25-70 --away 90-300 --seed "$3" 2>>"$4.log" | {
      export PASSTRACK_STATE="$4-updates" PASSTRACK_BASE="$5"
      mkdir -p "$PASSTRACK_STATE"
      while :; do
        "$5/passtrack-kiosk" --update-check --Kiosk:Updates:Root="$PASSTRACK_STATE" >>"$4.log" 2>&1 || true
        sh "$7" --simulate --Kiosk:CredentialPath="$4.json" --Kiosk:QueuePath="$4-outbox.db" \
          --Kiosk:Edge:Host=127.0.0.1 --Kiosk:Edge:Port="$6" --Kiosk:Updates:Root="$PASSTRACK_STATE" \
          --Kiosk:Updates:PublicKeyPath="$8" --Kiosk:Updates:EdgeHttpPort="$9" >>"$4.screen" 2>>"$4.log" || true
        sleep 2
      done
    }' \
    _ "$KIOSKS" "$room" "$seed" "$DATA/$id" "$KIOSK_BUILD" "$MQTT_PORT" "$LAUNCHER" "$DATA/keys/update-key.pem" "$HTTP_PORT" &
  PIDS+=($!)
  for _ in $(seq 1 60); do
    if api -X POST -d "{\"roomId\":\"$room\"}" "http://127.0.0.1:$HTTP_PORT/api/kiosks/$id/approve" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "Kiosk $id did not enrol; see $DATA/$id.log"
}
start_firmware_kiosk kiosk-sim-1 B106 1
start_firmware_kiosk kiosk-sim-2 C104 2

# A signed update of the kiosk firmware, uploaded to the edge and ready to roll out (this machine's build, relabelled).
UPDATE_VERSION=0.4.1-demo
if [ ! -f "$DATA/bundles/$UPDATE_VERSION.tar.gz" ]; then
  dotnet "$PROVISION" bundle --from "$KIOSK_BUILD" --version "$UPDATE_VERSION" --key "$DATA/keys/update-key.private.pem" \
    --out "$DATA/bundles" >/dev/null
fi
api -X PUT -d "{\"manifest\":\"$(base64 -w0 "$DATA/bundles/$UPDATE_VERSION.manifest.json")\",\"signature\":\"$(base64 -w0 "$DATA/bundles/$UPDATE_VERSION.manifest.sig")\"}" \
  "http://127.0.0.1:$HTTP_PORT/api/updates/$UPDATE_VERSION/manifest"
curl -fsS -o /dev/null -X PUT -H "X-Api-Key: $PASSTRACK_API_KEY" -H "Content-Type: application/octet-stream" \
  -T "$DATA/bundles/$UPDATE_VERSION.tar.gz" "http://127.0.0.1:$HTTP_PORT/api/updates/$UPDATE_VERSION/bundle"

# A third, for you to drive from a terminal: a B106 student's card to try.
STUDENT_CARD=$(dotnet "$KIOSKS" hands --room B106 --taps 1 --every 0-0 --away 0-0 --seed 1 | sed -n '1s/^tap //p')
printf '{"kioskId":"kiosk-sim-3","enrollmentToken":"%s"}\n' "$PASSTRACK_ENROLLMENT_TOKEN" >"$DATA/kiosk-sim-3.json"
chmod 600 "$DATA/kiosk-sim-3.json"

cat <<INFO

  PassTrack edge for Lincoln High School is running.
    Staff API        http://127.0.0.1:$HTTP_PORT/api  (OpenAPI: /openapi/v1.json, try it: /scalar)
    API key          $PASSTRACK_API_KEY   (header "X-Api-Key"; all scopes; shown once)
    Live events      curl -N -H "X-Api-Key: $PASSTRACK_API_KEY" http://127.0.0.1:$HTTP_PORT/api/events/live
    Passes out now   curl -H "X-Api-Key: $PASSTRACK_API_KEY" http://127.0.0.1:$HTTP_PORT/api/passes/active
    Lock down        curl -X POST -H "X-Api-Key: $PASSTRACK_API_KEY" http://127.0.0.1:$HTTP_PORT/api/emergency/lockdown
    Kiosk broker     mqtt://127.0.0.1:$MQTT_PORT (MQTT 5; kiosks enrol with the district token)
    Health, metrics  http://127.0.0.1:$HTTP_PORT/health  /metrics
    Store and logs   $DATA
    District         the edge sends its event log to the district broker (mqtt://127.0.0.1:$DISTRICT_PORT), which
                     keeps a copy in $DATA/district.db ($DATA/dashboard.log)
    Dashboard        http://127.0.0.1:$DASHBOARD_PORT/signin  (ruiz: her B106 room board; admin: /monitor, /emergency, /audit)
                     admin / $ADMIN_PASSWORD   ruiz (teacher, B106) / $TEACHER_PASSWORD   (temporary: change at first sign-in)

  Two kiosks run the real firmware on simulated hardware, in rooms B106 and C104; watch one's LCD with
    tail -f $DATA/kiosk-sim-1.screen

  A signed firmware update, $UPDATE_VERSION, is on the edge: roll it out to kiosk-sim-1 first at
  http://127.0.0.1:$DASHBOARD_PORT/admin/updates (as admin), or
    curl -X POST -H "X-Api-Key: $PASSTRACK_API_KEY" -H "Content-Type: application/json" \\
      -d '{"kioskIds":["kiosk-sim-1"]}' http://127.0.0.1:$HTTP_PORT/api/updates/$UPDATE_VERSION/rollout
  It downloads, switches between students, restarts and reports Healthy after 30 s (grep -i update $DATA/kiosk-sim-1.log);
  then "all other kiosks" reaches kiosk-sim-2 (the protocol-level simulated kiosks take no updates: they stay Offered).

  Drive a third yourself, in another terminal (t taps the card, [ ] choose it, the digits and * # are the keypad;
  the first card is a student of B106, the second the principal's badge: 1 locks the building down):
    dotnet $FIRMWARE --simulate --Kiosk:CredentialPath=$DATA/kiosk-sim-3.json \\
      --Kiosk:Edge:Host=127.0.0.1 --Kiosk:Edge:Port=$MQTT_PORT --Kiosk:QueuePath=$DATA/kiosk-sim-3-outbox.db \\
      --Simulate:Cards=$STUDENT_CARD,05AD0000000001
    curl -X POST -H "X-Api-Key: $PASSTRACK_API_KEY" -H "Content-Type: application/json" \\
      -d '{"roomId":"B106"}' http://127.0.0.1:$HTTP_PORT/api/kiosks/kiosk-sim-3/approve

  Twelve more simulated kiosks now enrol, are approved into classrooms, and students tap, choose and come back.
  (Passes are allowed at any hour in the demo, so there is traffic outside the school day.)

INFO

dotnet "$KIOSKS" demo --mqtt "127.0.0.1:$MQTT_PORT" --api "http://127.0.0.1:$HTTP_PORT" \
  --token "$PASSTRACK_ENROLLMENT_TOKEN" --api-key "$PASSTRACK_API_KEY" \
  --kiosks 12 --rate 2 --any-time --state "$DATA/kiosks.json"
