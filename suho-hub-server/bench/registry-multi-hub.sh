#!/usr/bin/env bash
# Registrations/s and heartbeats/s of hubs sharing a NATS KV registry: 1 hub vs 3 hubs (plus the in-memory
# registry as the baseline), and the fan-out time until all 3 hubs list a change. Needs the local stack's NATS
# (JetStream) on 127.0.0.1:4222 and a built module (mvn -pl suho-hub-server package; test classes compiled).
# Ports 7191-7193; a fresh bucket per run, deleted at the end. Run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(ls target/suho-hub-server-*.jar | grep -v -e sources -e javadoc | head -1)
CP="target/test-classes:$JAR"
TOKEN=bench-token-7c1e5a9d3f2b4c6e8a0d1f3b5c7e9a2d
BUCKET=suho_registry_bench_$$
SECONDS_EACH=${SECONDS_EACH:-10}
THREADS=${THREADS:-16}
LOGS=$(mktemp -d)
PIDS=()
start_hub() { # port registry
  SUHO_HUB_PORT=$1 SUHO_HUB_TOKEN=$TOKEN SUHO_HUB_REGISTRY=$2 SUHO_HUB_REGISTRY_BUCKET=$BUCKET \
  SUHO_HUB_MAX_INSTANCES=1000000 SUHO_HUB_PROBE_INTERVAL=60s NATS_URL=nats://127.0.0.1:4222 \
    java -Xmx256m -XX:+UseSerialGC -jar "$JAR" >"$LOGS/hub$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do grep -q "listening on" "$LOGS/hub$1.log" && return 0; sleep 0.5; done
  echo "hub $1 did not start:"; cat "$LOGS/hub$1.log"; exit 1
}
stop_hubs() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }
load() { java -Xmx256m -cp "$CP" io.suho.hub.RegistryLoad --token "$TOKEN" "$@"; }
trap 'stop_hubs; load --mode drop-bucket --bucket $BUCKET >/dev/null 2>&1 || true; rm -rf "$LOGS"' EXIT

echo "== 1 hub, memory registry (baseline)"
start_hub 7191 memory
load --hubs http://127.0.0.1:7191 --mode register --threads "$THREADS" --seconds "$SECONDS_EACH"
load --hubs http://127.0.0.1:7191 --mode heartbeat --threads "$THREADS" --seconds "$SECONDS_EACH" --instances 1000
stop_hubs

echo "== 1 hub, NATS KV registry (bucket $BUCKET)"
start_hub 7191 nats
load --hubs http://127.0.0.1:7191 --mode register --threads "$THREADS" --seconds "$SECONDS_EACH"
load --hubs http://127.0.0.1:7191 --mode heartbeat --threads "$THREADS" --seconds "$SECONDS_EACH" --instances 1000
stop_hubs
load --mode drop-bucket --bucket "$BUCKET"

echo "== 3 hubs, NATS KV registry (bucket $BUCKET)"
start_hub 7191 nats; start_hub 7192 nats; start_hub 7193 nats
H3=http://127.0.0.1:7191,http://127.0.0.1:7192,http://127.0.0.1:7193
load --hubs "$H3" --mode register --threads "$THREADS" --seconds "$SECONDS_EACH"
load --hubs "$H3" --mode heartbeat --threads "$THREADS" --seconds "$SECONDS_EACH" --instances 1000
load --hubs "$H3" --mode fanout --rounds 100
for p in "${PIDS[@]}"; do echo "hub pid $p RSS: $(ps -o rss= -p "$p") KiB"; done
