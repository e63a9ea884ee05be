#!/usr/bin/env bash
# Discovery-server load script, speaking the Suho hub's REST API (/v1, docs/hub-api.md).
# The hub flavour of load.sh: the same steps, the same wrk settings and the same summary.tsv
# columns, so its numbers sit next to the Eureka anchor's.
#
# Copy of the Eureka anchor's bench/load-hub.sh (kept read-only beside this repository; issue 21). What differs
# from the anchor, and why:
#   - lease secrets (issue 17): POST /v1/instances returns a per-instance leaseSecret and the hub answers a
#     heartbeat without it (X-Suho-Lease-Secret) with 403. The anchor's script sends only the bearer token, so all
#     its heartbeats fail against today's hub. This copy records "id secret" per instance in $LEASES (default
#     $OUT/leases, mode 600: the secrets are credentials; compare.sh deletes the file after each run) and sends
#     both headers: the background heartbeats through a curl config file (secrets never on a command line), the
#     heartbeat case through this folder's heartbeat-hub.lua. The hub itself is not weakened for the benchmark.
#   - one more read case: instances = GET {BASE}/instances, every service WITH its instances (the counterpart
#     of Eureka's GET /apps, added by issue 21), at each of CONNS, while the background heartbeats run.
#
#   BASE=http://127.0.0.1:17100/v1 TOKEN_FILE=/path/to/token OUT=/tmp/x bench/load-hub.sh
#   (or SUHO_HUB_TOKEN=... instead of TOKEN_FILE; the token never goes on a command line or into $OUT)
#
# Steps: register N instances over SERVICES service names (POST {BASE}/instances, bearer token,
# hub default lease: ttlSeconds 30 unless TTL is set), keep them alive with background heartbeats
# (PUT {BASE}/instances/{id}/heartbeat every HB_INTERVAL s; default 10 s = the SDK's
# suho.hub.heartbeat-interval), wait until the registry shows all N, then — holding flock $LOCK so
# no other benchmark on this machine measures at the same time — for each case run a WARMUP wrk run
# (discarded) and a DURATION wrk run:
#   services  : GET {BASE}/services                 (every service + live-instance count)  at each of CONNS
#   service   : GET {BASE}/services/anchor-app-0    (one service, N/SERVICES instances)    at each of CONNS
#   instances : GET {BASE}/instances                (every service with its instances)     at each of CONNS
#   endpoints : GET {BASE}/endpoints                (the store endpoint catalog)           at each of CONNS
#   heartbeat : PUT {BASE}/instances/{id}/heartbeat (empty body, bearer token + lease secret), round-robin
#               over the N instances                                                      at each of HB_CONNS
# /v1/services carries names + counts only (see bytes-services); /v1/instances is the full registry.
# Writes raw wrk output, $OUT/ids (the N instance ids), $OUT/bytes-* and $OUT/summary.tsv (case conns
# rps p50_ms p99_ms non2xx sock_err cpu_server cpu_wrk cpu_other), as load.sh does.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
export BASE=${BASE:-http://127.0.0.1:17100/v1}
export N=${N:-100} SERVICES=${SERVICES:-10}
export THREADS=${THREADS:-2} DURATION=${DURATION:-20s} WARMUP=${WARMUP:-10s}
export CONNS=${CONNS:-"16 64"} HB_CONNS=${HB_CONNS:-"16 64"}
export HB_INTERVAL=${HB_INTERVAL:-10} TTL=${TTL:-}
export LOCK=${LOCK:-/tmp/anchor-bench.lock}
export OUT=${OUT:-$(mktemp -d /tmp/load-hub.XXXXXX)}
export ONE_SERVICE=anchor-app-0
export LEASES=${LEASES:-$OUT/leases}

service_of() { echo "anchor-app-$(( $1 % SERVICES ))"; }

# ---------------------------------------------------------------- measurement (runs under flock)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
pid_ticks()  { if [[ -n ${SERVER_PID:-} && -r /proc/$SERVER_PID/stat ]]; then
                 sed 's/.*) //' "/proc/$SERVER_PID/stat" | awk '{ print $12 + $13 }'; else echo 0; fi; }
child_ticks() { sed 's/.*) //' /proc/$$/stat | awk '{ print $14 + $15 }'; }  # waited-for children (wrk)

shell_words() { local a out=; for a; do [[ $a == *[[:space:]]* ]] && out+="'$a' " || out+="$a "; done; echo "${out% }"; }

wrk_case() { # name conns wrk-args... (the URL and any "-- script args" included)
  local name=$1 conns=$2; shift 2
  echo "  [$(date +%T)] $name c=$conns warm-up $WARMUP" >&2
  wrk -t"$THREADS" -c"$conns" -d"$WARMUP" --latency "$@" >"$OUT/$name-c$conns.warmup.txt" 2>&1
  sleep 1   # let the server finish with the connections wrk just dropped
  echo "  [$(date +%T)] $name c=$conns measure $DURATION" >&2
  echo "# wrk -t$THREADS -c$conns -d$DURATION --latency $(shell_words "$@")" >"$OUT/$name-c$conns.txt"
  local b0 s0 w0 t0 b1 s1 w1 t1
  b0=$(busy_ticks); s0=$(pid_ticks); w0=$(child_ticks); t0=$(date +%s%N)
  wrk -t"$THREADS" -c"$conns" -d"$DURATION" --latency "$@" >>"$OUT/$name-c$conns.txt" 2>&1
  b1=$(busy_ticks); s1=$(pid_ticks); w1=$(child_ticks); t1=$(date +%s%N)
  # CPU use during the measured run, in % of ONE core (200 = both cores busy):
  # server JVM, wrk, and everything else on the machine ("other" = noise from other work)
  awk -v hz="$(getconf CLK_TCK)" -v el="$(( (t1 - t0) / 1000000 ))" -v b=$(( b1 - b0 )) -v s=$(( s1 - s0 )) -v w=$(( w1 - w0 )) \
    'BEGIN { f = 100 * 1000 / hz / el; o = (b - s - w) * f; if (o < 0) o = 0; printf "cpu_server=%.0f cpu_wrk=%.0f cpu_other=%.0f\n", s * f, w * f, o }' \
    >>"$OUT/$name-c$conns.txt"
  sleep 1
}

if [[ ${1:-} == __measure ]]; then
  echo "  [$(date +%T)] lock $LOCK acquired" >&2
  for c in $CONNS; do wrk_case services  "$c" "$BASE/services"; done
  for c in $CONNS; do wrk_case service   "$c" "$BASE/services/$ONE_SERVICE"; done
  for c in $CONNS; do wrk_case instances "$c" "$BASE/instances"; done
  for c in $CONNS; do wrk_case endpoints "$c" "$BASE/endpoints"; done
  for c in $HB_CONNS; do wrk_case heartbeat "$c" -s "$HERE/heartbeat-hub.lua" "$BASE" -- "$LEASES" "$TOKEN_FILE"; done
  echo "  [$(date +%T)] lock released" >&2
  exit 0
fi

# ---------------------------------------------------------------- setup
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }

# The token stays in files under a private directory (mode 700): curl reads the header with -H @file,
# heartbeat-hub.lua reads TOKEN_FILE. Neither the token nor these files end up in $OUT.
PRIV=$(mktemp -d /tmp/load-hub-priv.XXXXXX); chmod 700 "$PRIV"
if [[ -z ${TOKEN_FILE:-} ]]; then
  [[ -n ${SUHO_HUB_TOKEN:-} ]] || { echo "set TOKEN_FILE or SUHO_HUB_TOKEN (the hub's write token)" >&2; exit 1; }
  TOKEN_FILE=$PRIV/token; (umask 077; printf '%s\n' "$SUHO_HUB_TOKEN" >"$TOKEN_FILE")
fi
export TOKEN_FILE
AUTH_HDR=$PRIV/auth-header
(umask 077; printf 'Authorization: Bearer %s\n' "$(head -1 "$TOKEN_FILE" | tr -d '[:space:]')" >"$AUTH_HDR")

registration_json() { # i
  local i=$1 j=$(( $1 + 1 ))
  local ip="127.$(( (j >> 16) & 255 )).$(( (j >> 8) & 255 )).$(( j & 255 ))"
  printf '{"service":"%s","host":"%s","port":8080,%s"meta":{"zone":"default","version":"1.0.%d"}}' \
    "$(service_of "$i")" "$ip" "${TTL:+\"ttlSeconds\":$TTL,}" "$i"
}

echo "  [$(date +%T)] registering $N instances over $SERVICES services at $BASE" >&2
: >"$OUT/ids"; (umask 077; : >"$LEASES")
for (( i = 0; i < N; i++ )); do
  resp=$(registration_json "$i" | curl -s -w '\n%{http_code}' -X POST -H @"$AUTH_HDR" \
           -H 'Content-Type: application/json' --data-binary @- "$BASE/instances")
  code=${resp##*$'\n'}
  [[ $code == 201 ]] || { echo "register $i failed: HTTP $code: ${resp%$'\n'*}" >&2; exit 1; }
  id=$(grep -o '"instanceId":"[^"]*"' <<<"$resp" | head -1 | cut -d'"' -f4)
  secret=$(grep -o '"leaseSecret":"[^"]*"' <<<"$resp" | head -1 | cut -d'"' -f4)
  [[ -n $id && -n $secret ]] || { echo "register $i: no instanceId/leaseSecret in the answer" >&2; exit 1; }
  echo "$id" >>"$OUT/ids"; echo "$id $secret" >>"$LEASES"
done
(( $(grep -c . "$OUT/ids") == N )) || { echo "expected $N instance ids in $OUT/ids" >&2; exit 1; }

# One curl config file (private directory): per instance its URL and its own lease-secret header, "next" between
# them, so one curl on one keep-alive connection renews all N and no secret appears on a command line.
HB_CONFIG=$PRIV/heartbeats.curlrc
token=$(head -1 "$TOKEN_FILE" | tr -d '[:space:]')
(umask 077; sep=
 while read -r id secret; do
   printf '%s' "$sep"; sep=$'next\n'
   printf 'url = "%s"\nrequest = "PUT"\nheader = "Authorization: Bearer %s"\nheader = "X-Suho-Lease-Secret: %s"\n' \
     "$BASE/instances/$id/heartbeat" "$token" "$secret"
   printf 'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nsilent\n'
 done <"$LEASES" >"$HB_CONFIG")
unset token

heartbeats() { # one curl, one keep-alive connection, N PUTs (no body); prints count of non-200
  curl -K "$HB_CONFIG" 2>/dev/null | grep -vc '^200$' || true
}

( sp=; trap '[[ -n $sp ]] && kill $sp 2>/dev/null; exit 0' TERM
  while :; do
    bad=$(heartbeats)
    [[ $bad == 0 ]] || echo "  [$(date +%T)] background heartbeat: $bad of $N not 200" >&2
    sleep "$HB_INTERVAL" & sp=$!; wait $sp
  done ) &
HB_PID=$!
trap 'kill $HB_PID 2>/dev/null || true; wait $HB_PID 2>/dev/null || true; rm -rf "$PRIV"' EXIT

# The hub's reads see every registration at once (no 30 s response cache); the wait only checks that all N are listed.
echo "  [$(date +%T)] waiting for the registry to list all $N instances" >&2
count_all() { curl -s "$BASE/services" | grep -o '"instances":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'; }
count_one() { curl -s "$BASE/services/$ONE_SERVICE" | grep -o '"instanceId"' | wc -l || true; }
deadline=$(( $(date +%s) + 120 ))
while :; do
  full=$(count_all); one=$(count_one)
  (( full == N && one == N / SERVICES )) && break
  (( $(date +%s) < deadline )) || { echo "registry shows $full/$N (service: $one) after 120 s" >&2; exit 1; }
  sleep 1
done
echo "  [$(date +%T)] registry ready: all=$full one-service=$one" >&2
curl -s -o /dev/null -w '%{size_download}\n' "$BASE/services" >"$OUT/bytes-services"
curl -s -o /dev/null -w '%{size_download}\n' "$BASE/services/$ONE_SERVICE" >"$OUT/bytes-service"
curl -s -o /dev/null -w '%{size_download}\n' "$BASE/instances" >"$OUT/bytes-instances"
curl -s -o /dev/null -w '%{size_download}\n' "$BASE/endpoints" >"$OUT/bytes-endpoints"
(umask 077; printf 'X-Suho-Lease-Secret: %s\n' "$(head -1 "$LEASES" | cut -d' ' -f2)" >"$PRIV/lease-header")
curl -s -o /dev/null -w '%{size_download}\n' -X PUT -H @"$AUTH_HDR" -H @"$PRIV/lease-header" \
  "$BASE/instances/$(head -1 "$OUT/ids")/heartbeat" >"$OUT/bytes-heartbeat"

echo "  [$(date +%T)] waiting for flock $LOCK" >&2
flock "$LOCK" bash "$0" __measure

# ---------------------------------------------------------------- summary
to_ms() { # wrk latency such as 812.00us / 1.23ms / 1.05s -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
                         else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
{
  printf 'case\tconns\trps\tp50_ms\tp99_ms\tnon2xx\tsock_err\tcpu_server\tcpu_wrk\tcpu_other\n'
  for f in "$OUT"/services-c*.txt "$OUT"/service-c*.txt "$OUT"/instances-c*.txt "$OUT"/endpoints-c*.txt \
           "$OUT"/heartbeat-c*.txt; do
    [[ $f == *.warmup.txt ]] && continue
    name=$(basename "$f" .txt); c=${name##*-c}; name=${name%-c*}
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$f"); non2xx=${non2xx:-0}
    sockerr=$(awk '/Socket errors:/ { s = 0; for (i = 3; i <= NF; i++) { gsub(",", "", $i); if ($i ~ /^[0-9]+$/) s += $i } print s }' "$f")
    cpu=$(grep -o 'cpu_[a-z]*=[0-9-]*' "$f" | cut -d= -f2 | paste -sd'\t')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$c" "$rps" "$p50" "$p99" "$non2xx" "${sockerr:-0}" "${cpu:-?}"
  done
} >"$OUT/summary.tsv"
column -t "$OUT/summary.tsv" >&2
