#!/bin/bash
# A rehearsal of a newsroom's night on the recorded 2025 feed, as docs/official-feed.md describes it: the
# playback at 60× from 22:00, a fresh Valgvakt (st2025, embedded database, its clock set to the playback's)
# and the watchdog, rounds every 15 s. Every 10 s it writes the recorded time, the count of municipalities per
# state and those shown as corrected down ("Korrigert ned") to states.log; at the end, a summary.
# Usage: bash scripts/rehearse-official-feed.sh [seconds, default 600] [work folder, default a new temp folder]
set -u
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-600}
R=${2:-$(mktemp -d)}
mkdir -p "$R"
PLAYBACK_PORT=${PLAYBACK_PORT:-4100}
VALGVAKT_PORT=${VALGVAKT_PORT:-3601}
TOKEN=rehearsal-clock-token-$RANDOM$RANDOM
export NEXT_TELEMETRY_DISABLED=1
for port in "$PLAYBACK_PORT" "$VALGVAKT_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is in use (set PLAYBACK_PORT / VALGVAKT_PORT)" >&2; exit 2; fi
done
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

DATA_DIR=$R/data ELECTION_ID=st2025 CLOCK_MODE=simulated CLOCK_START=2025-09-08T22:00:00+02:00 CLOCK_SPEED=0 \
  CLOCK_CONTROL_TOKEN=$TOKEN SIDECAR_PORT=$VALGVAKT_PORT npx tsx server/main.ts > "$R/sidecar.log" 2>&1 & pids+=($!)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$VALGVAKT_PORT/healthz" > /dev/null && break; sleep 1; done
DATA_DIR=$R/data ELECTION_ID=st2025 npx tsx scripts/db-tool.ts token all rehearsal --expires 36h > "$R/tokens.json" 2> "$R/token.log"
npx tsx scripts/play-recording.ts --speed 60 --from 22:00 --port "$PLAYBACK_PORT" > "$R/playback.log" 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PLAYBACK_PORT/_playback" > /dev/null && break; sleep 0.5; done
NOW=$(curl -s "http://127.0.0.1:$PLAYBACK_PORT/_playback" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).recordedNow))')
curl -sf -X PUT -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "{\"at\":\"$NOW\",\"speed\":60}" "http://127.0.0.1:$VALGVAKT_PORT/api/v1/clock" > /dev/null
npx tsx scripts/watch-official.ts --base "http://127.0.0.1:$PLAYBACK_PORT" --election 2025/st --tokens-file "$R/tokens.json" \
  --valgvakt "http://127.0.0.1:$VALGVAKT_PORT" --interval 15s > "$R/watchdog.log" 2>&1 & pids+=($!)
echo "rehearsal in $R: playback from $NOW at 60×, $SECONDS_TO_RUN s"
END=$((SECONDS + SECONDS_TO_RUN))
while [ $SECONDS -lt $END ]; do
  curl -s "http://127.0.0.1:$VALGVAKT_PORT/api/v1/snapshot" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const j = JSON.parse(s); const count = {};
      for (const m of j.municipalities) { const k = m.state === "stalled" && m.stateReason.startsWith("endelig") ? "stalled(final)" : m.state; count[k] = (count[k] ?? 0) + 1; }
      console.log(j.clock?.now ?? "", JSON.stringify(count), j.municipalities.filter((m) => m.state === "regressed").map((m) => m.number).join(","));
    });' >> "$R/states.log"
  sleep 10
done
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(" "));
  const regressed = new Set(); let most = 0;
  for (const [, , r = ""] of lines) { const n = r ? r.split(",") : []; n.forEach((x) => regressed.add(x)); most = Math.max(most, n.length); }
  console.log(`${lines.length} samples, ${lines[0]?.[0]} to ${lines.at(-1)?.[0]}: at most ${most} municipalities corrected down at once, ${regressed.size} over the night: ${[...regressed].sort().join(" ")}`);
  // 23:30 (the worst of 2023's stall) and 02:00, Oslo time.
  for (const t of ["2025-09-08T21:30", "2025-09-09T00:00"]) { const l = lines.find(([at]) => at >= t); if (l) console.log(`at ${l[0]}: ${l[1]}`); }
' "$R/states.log"
