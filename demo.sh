#!/usr/bin/env bash
# The PassTrack demo: the edge server of a 1,200-student high school (embedded MQTT broker, SQLite store, the rules,
# the staff API) with a dozen simulated kiosks making realistic traffic. Ctrl+C stops everything.
# Works on a fresh Debian machine with the .NET 10 SDK. Ports: PASSTRACK_HTTP_PORT (5080), PASSTRACK_MQTT_PORT (1883).
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ! -e /usr/share/zoneinfo/America/New_York ]; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tzdata
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "Building the edge server and the kiosk simulator..."
dotnet build edge/PassTrack.Edge -c Release -v quiet -nologo
dotnet build tests/PassTrack.LoadTool -c Release -v quiet -nologo
EDGE=edge/PassTrack.Edge/bin/Release/net10.0/PassTrack.Edge.dll
KIOSKS=tests/PassTrack.LoadTool/bin/Release/net10.0/PassTrack.LoadTool.dll

HTTP_PORT="${PASSTRACK_HTTP_PORT:-5080}"
MQTT_PORT="${PASSTRACK_MQTT_PORT:-1883}"
DATA="${PASSTRACK_DEMO_DIR:-$(mktemp -d /tmp/passtrack-demo-XXXXXX)}"
mkdir -p "$DATA"

# A fresh district enrolment token and a bootstrap API key, for this demo only (only their hashes reach the edge).
eval "$(dotnet "$KIOSKS" secrets)"
export EDGE__DATAPATH="$DATA/edge.db" EDGE__MQTT__PORT="$MQTT_PORT" EDGE__MQTT__BINDADDRESS=127.0.0.1
export ASPNETCORE_URLS="http://127.0.0.1:$HTTP_PORT" ASPNETCORE_ENVIRONMENT=Development MALLOC_ARENA_MAX=2

dotnet "$EDGE" --demo >"$DATA/edge.log" 2>&1 &
EDGE_PID=$!
trap 'kill "$EDGE_PID" 2>/dev/null || true; wait "$EDGE_PID" 2>/dev/null || true; echo; echo "Stopped. The store and logs are in $DATA"' EXIT

echo "Starting the edge server (demo school seeded on first start)..."
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null; then break; fi
  if ! kill -0 "$EDGE_PID" 2>/dev/null; then echo "The edge server stopped; see $DATA/edge.log"; tail -20 "$DATA/edge.log"; exit 1; fi
  sleep 0.5
done

# A credentials file for a kiosk running the real firmware in a terminal: its id and the district token.
printf '{"kioskId":"kiosk-sim-1","enrollmentToken":"%s"}\n' "$PASSTRACK_ENROLLMENT_TOKEN" >"$DATA/sim-kiosk.json"
chmod 600 "$DATA/sim-kiosk.json"

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

  A kiosk running the real firmware, in another terminal (it enrols, then waits for approval):
    dotnet run --project firmware/PassTrack.Kiosk -- --simulate --Kiosk:CredentialPath=$DATA/sim-kiosk.json \\
      --Kiosk:Edge:Host=127.0.0.1 --Kiosk:Edge:Port=$MQTT_PORT --Kiosk:QueuePath=$DATA/sim-kiosk-outbox.db \\
      --Simulate:Cards=B1E2ADC4
    curl -X POST -H "X-Api-Key: $PASSTRACK_API_KEY" -H "Content-Type: application/json" \\
      -d '{"roomId":"B106"}' http://127.0.0.1:$HTTP_PORT/api/kiosks/kiosk-sim-1/approve

  Twelve simulated kiosks now enrol, are approved into classrooms, and students tap, choose and come back.
  (Passes are allowed at any hour in the demo, so there is traffic outside the school day.)

INFO

dotnet "$KIOSKS" demo --mqtt "127.0.0.1:$MQTT_PORT" --api "http://127.0.0.1:$HTTP_PORT" \
  --token "$PASSTRACK_ENROLLMENT_TOKEN" --api-key "$PASSTRACK_API_KEY" \
  --kiosks 12 --rate 2 --any-time --state "$DATA/kiosks.json"
