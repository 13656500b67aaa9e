#!/usr/bin/env bash
# The kiosk's memory under a tap a second (docs/performance.md): a demo edge, and the real firmware in --simulate
# mode fed by a script where each second a student of B106 taps and presses 1; VmRSS every 15 s into $D/rss.
# Build first: dotnet build -c Release edge/PassTrack.Edge firmware/PassTrack.Kiosk tests/PassTrack.LoadTool
# TAPS=600 (default) is ten minutes.
set -u
cd "$(dirname "$0")/../.."
K=tests/PassTrack.LoadTool/bin/Release/net10.0/PassTrack.LoadTool.dll
EDGE=edge/PassTrack.Edge/bin/Release/net10.0/PassTrack.Edge.dll
FW=firmware/PassTrack.Kiosk/bin/Release/net10.0/passtrack-kiosk.dll
D=/tmp/kmem; rm -rf $D; mkdir -p $D
eval "$(dotnet $K secrets)"
export EDGE__DATAPATH=$D/edge.db EDGE__MQTT__PORT=18840 EDGE__MQTT__BINDADDRESS=127.0.0.1 ASPNETCORE_URLS=http://127.0.0.1:5390 MALLOC_ARENA_MAX=2
dotnet $EDGE --demo > $D/edge.log 2>&1 & EP=$!
until curl -fs http://127.0.0.1:5390/health >/dev/null; do sleep 0.5; done
curl -fsS -H "X-Api-Key: $PASSTRACK_API_KEY" http://127.0.0.1:5390/api/config/policy | python3 -c 'import json,sys; p=json.load(sys.stdin); p["passesOutsidePeriods"]=True; print(json.dumps(p))' | curl -fsS -X PUT -H "X-Api-Key: $PASSTRACK_API_KEY" -H 'Content-Type: application/json' -d @- http://127.0.0.1:5390/api/config/policy >/dev/null || echo policy-failed
curl -fsS -H "X-Api-Key: $PASSTRACK_API_KEY" "http://127.0.0.1:5390/api/students?homeroom=B106&pageSize=100" | python3 -c 'import json,sys; [print(c["value"]) for s in json.load(sys.stdin)["items"] for c in s["credentials"] if c["kind"].lower()=="card"]' > $D/cards
echo "cards: $(wc -l < $D/cards)"
printf '{"kioskId":"kmem","enrollmentToken":"%s"}\n' "$PASSTRACK_ENROLLMENT_TOKEN" > $D/k.json
N=${TAPS:-600}
( for i in $(seq 1 $N); do c=$(sed -n "$(( (i-1) % $(wc -l < $D/cards) + 1 ))p" $D/cards); echo "tap $c"; sleep 0.5; echo "keys 1"; sleep 0.5; done; echo quit ) \
  | MALLOC_ARENA_MAX=2 dotnet $FW --simulate --Kiosk:CredentialPath=$D/k.json --Kiosk:QueuePath=$D/outbox.db --Kiosk:Edge:Host=127.0.0.1 --Kiosk:Edge:Port=18840 > $D/screen 2> $D/kiosk.log & 
sleep 1; FP=$(pgrep -f "passtrack-kiosk.dll --simulate --Kiosk:CredentialPath=$D" | head -1)
until curl -fsS -o /dev/null -X POST -H "X-Api-Key: $PASSTRACK_API_KEY" -H 'Content-Type: application/json' -d '{"roomId":"B106"}' http://127.0.0.1:5390/api/kiosks/kmem/approve; do sleep 0.5; done
T0=$(date +%s)
while kill -0 $FP 2>/dev/null; do echo "$(( $(date +%s) - T0 ))s $(grep VmRSS /proc/$FP/status | awk '{print $2}') kB" >> $D/rss; sleep 15; done
kill $EP
echo done
