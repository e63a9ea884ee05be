#!/usr/bin/env bash
# Builds a class-data-sharing archive (AppCDS, JDK 17 dynamic archive) for one hub jar, the way infra/hub/Dockerfile
# does at image build time: start the hub with -XX:ArchiveClassesAtExit, touch every route once, stop it.
#
#   suho-hub-server/bench/cds-train.sh /tmp/hub.jar /tmp/hub.jsa     # then: java -XX:SharedArchiveFile=/tmp/hub.jsa -jar /tmp/hub.jar
#
# The archive is only valid for that jar at that path (same size and mtime) and the same JDK build; a JVM given a
# stale one warns and runs without it. Uses port 17109 (PORT overrides) and a random token that lives only here.
set -euo pipefail
JAR=$(readlink -f "$1") JSA=$2 PORT=${PORT:-17109}
LOG=$(mktemp /tmp/cds-train.XXXXXX)
tok=$(openssl rand -hex 20)
rm -f "$JSA"
SUHO_HUB_PORT=$PORT SUHO_HUB_TOKEN=$tok java -XX:ArchiveClassesAtExit="$JSA" -Xmx32m -XX:+UseSerialGC -jar "$JAR" \
  >"$LOG" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -s -o /dev/null -f "http://127.0.0.1:$PORT/v1/health/live" && break; sleep 0.1; done
b=http://127.0.0.1:$PORT
r=$(curl -s -X POST -H @<(printf 'Authorization: Bearer %s\n' "$tok") -H 'Content-Type: application/json' \
      --data '{"service":"cds-training","host":"10.0.0.1","port":1,"meta":{"a":"b"}}' "$b/v1/instances")
id=$(sed 's/.*"instanceId":"\([^"]*\)".*/\1/' <<<"$r")
hdr=$(mktemp /tmp/cds-train-hdr.XXXXXX); printf 'X-Suho-Lease-Secret: %s\n' "$(sed 's/.*"leaseSecret":"\([^"]*\)".*/\1/' <<<"$r")" >"$hdr"
curl -s -o /dev/null -X PUT -H @"$hdr" -H 'Content-Length: 0' "$b/v1/instances/$id/heartbeat"
curl -s -o /dev/null -X PUT -H @"$hdr" -H 'Content-Type: application/json' \
  --data '{"stores":{"postgres":{"breaker":"CLOSED","calls":1,"errorRate":0.0}}}' "$b/v1/instances/$id/heartbeat"
for p in /v1/services /v1/services/cds-training /v1/instances "/v1/instances?sinceVersion=0" "/v1/instances/$id" \
         /v1/endpoints "/v1/endpoints?version=0&waitSeconds=1" /v1/health /v1/health/ready /v1/stores/postgres / \
         /metrics /v1/no-such-route; do
  curl -s -o /dev/null "$b$p"
done
curl -s -o /dev/null -H 'If-None-Match: *' "$b/v1/services/cds-training"
sleep 3   # the first probe round loads the probe clients' classes
curl -s -o /dev/null -X DELETE -H @"$hdr" "$b/v1/instances/$id"
rm -f "$hdr"
kill "$pid"; wait "$pid" || true
rm -f "$LOG"
[[ -s $JSA ]] || { echo "no archive written to $JSA" >&2; exit 1; }
ls -la "$JSA"
