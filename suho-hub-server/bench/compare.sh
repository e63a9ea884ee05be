#!/usr/bin/env bash
# Side by side: the Eureka anchor (Spring Cloud Netflix Eureka server) vs the Suho hub, in one session,
# same machine, same wrk settings, rounds alternating so that drift hits both.
#
#   ./compare.sh                         # ROUNDS="eureka hub eureka hub hub256"
#   REPORT_ONLY=1 ./compare.sh           # rewrite summary.md from the run folders here
#
# Per run (fresh JVM): start-up under flock $LOCK (launch -> first HTTP 200 of the registry read:
# GET /eureka/apps resp. GET /v1/services, polled every 50 ms), RSS when ready, the load script
# (../bench/load.sh for Eureka + one extra renew c=64 case so both servers have heartbeats at c16 and c64;
# ../bench/load-hub.sh for the hub), RSS after the run, then (under the lock) grow the registry to N1K
# instances, keep all alive, wait 35 s (Eureka's read-only response cache refreshes every 30 s), read the
# registry views, RSS at N1K. The hub gets no store env: its defaults point at 127.0.0.1 (5432/6379/
# 8123/4222/9092), so it probes whatever runs there.
set -euo pipefail

# Run it from the project root after `mvn -B -q install -DskipTests`: the hub jar is taken from
# suho-hub-server/target (HUB_JAR overrides), the Eureka anchor is built once into a copy under /tmp
# (EUREKA_JAR overrides). Results go to OUTROOT (default: a new folder under /tmp), summary.md first.
#
# Copy of the Eureka anchor's compare.sh (the anchor is kept read-only beside this repository, ANCHOR overrides
# its path; issue 21). Run from the project root: suho-hub-server/bench/compare.sh. What differs, and why:
#   - Eureka's side is unchanged: the anchor's own bench/load.sh and bench/heartbeat.lua, built and run as the
#     anchor does.
#   - The hub's side runs THIS folder's load-hub.sh and heartbeat-hub.lua (copies of the anchor's): since issue 17
#     each instance has a lease secret (from POST /v1/instances) that heartbeats must send as X-Suho-Lease-Secret,
#     else 403, and the anchor's scripts send only the bearer token. The copies record "id secret" per instance
#     (private files, mode 600, deleted after each run) and send both headers; so do this script's 1,000-instance
#     registrations and keep-alive heartbeats (one curl config file per keep-alive, secrets never on a command
#     line). The hub is run with its normal security; nothing is switched off for the benchmark.
#   - One more hub case, the full registry WITH instances (GET /v1/instances, c16 and c64, in load-hub.sh), shown
#     against Eureka's GET /eureka/apps; /v1/services (names + counts) gets a row of its own.
#   - HUB_OPTS defaults to the hub's recommended flags of docs/operations.md (not the anchor's older ones), except
#     the class-data-sharing archive: make one for HUB_JAR with cds-train.sh and add -XX:SharedArchiveFile to it.
HERE=$(cd "$(dirname "$0")" && pwd)
ANCHOR=${ANCHOR:-$(cd "$HERE/../../../shared/anchors/eureka" && pwd)}
BENCH=$ANCHOR/bench        # Eureka's load scripts (unmodified)
HUB_BENCH=$HERE            # the hub's load scripts (lease secrets)
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
if [[ -z ${EUREKA_JAR:-} ]]; then
  EUREKA_SRC=/tmp/suho-eureka-anchor
  EUREKA_JAR=$EUREKA_SRC/target/eureka-anchor.jar
  if [[ ! -f $EUREKA_JAR ]]; then
    rm -rf "$EUREKA_SRC"; mkdir -p "$EUREKA_SRC"; cp -r "$ANCHOR/pom.xml" "$ANCHOR/src" "$EUREKA_SRC/"
    echo "[$(date +%T)] building the Eureka anchor in $EUREKA_SRC" >&2
    (cd "$EUREKA_SRC" && mvn -q -B -DskipTests package) || { echo "Eureka anchor build failed" >&2; exit 1; }
  fi
fi
if [[ -z ${HUB_JAR:-} ]]; then
  HUB_JAR=$(ls suho-hub-server/target/suho-hub-server*.jar 2>/dev/null | grep -v -E 'original|sources|javadoc' | head -n 1 || true)
  [[ -n $HUB_JAR ]] || { echo "no hub jar: run from the project root after mvn -B -q install -DskipTests" >&2; exit 1; }
  HUB_JAR=$(readlink -f "$HUB_JAR")
fi
E_PORT=${E_PORT:-18761} H_PORT=${H_PORT:-17100}
ROUNDS=${ROUNDS:-"eureka hub eureka hub hub256"}
LOCK=${LOCK:-/tmp/anchor-bench.lock}
OUTROOT=${OUTROOT:-$(mktemp -d /tmp/hub-vs-eureka.XXXXXX)}
LOGS=${LOGS:-/tmp/hubcmp/logs}            # server logs stay out of the results folder
N1K=${N1K:-1000}
E_OPTS=${E_OPTS:--Xmx256m}
# the hub's recommended flags (docs/operations.md) without the CDS archive, which belongs to one jar at one path:
# build one with cds-train.sh and add -XX:SharedArchiveFile=... to HUB_OPTS (docs/benchmarks.md shows the command)
HUB_OPTS=${HUB_OPTS:-"-Xms16m -Xmx32m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m -Xss512k -XX:TrimNativeHeapInterval=5000"}
HUB256_OPTS=${HUB256_OPTS:--Xmx256m}
export THREADS=${THREADS:-2} DURATION=${DURATION:-20s} WARMUP=${WARMUP:-10s}

# ---------------------------------------------------------------- one extra wrk case, under flock (as load.sh)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
pid_ticks()  { if [[ -n ${SERVER_PID:-} && -r /proc/$SERVER_PID/stat ]]; then
                 sed 's/.*) //' "/proc/$SERVER_PID/stat" | awk '{ print $12 + $13 }'; else echo 0; fi; }
child_ticks() { sed 's/.*) //' /proc/$$/stat | awk '{ print $14 + $15 }'; }
shell_words() { local a out=; for a; do [[ $a == *[[:space:]]* ]] && out+="'$a' " || out+="$a "; done; echo "${out% }"; }
if [[ ${1:-} == __wrk_case ]]; then   # __wrk_case OUT name conns wrk-args...  (copy of load.sh's wrk_case)
  OUT=$2 name=$3 conns=$4; shift 4
  echo "  [$(date +%T)] lock acquired; $name c=$conns warm-up $WARMUP" >&2
  wrk -t"$THREADS" -c"$conns" -d"$WARMUP" --latency "$@" >"$OUT/$name-c$conns.warmup.txt" 2>&1
  sleep 1
  echo "  [$(date +%T)] $name c=$conns measure $DURATION" >&2
  echo "# wrk -t$THREADS -c$conns -d$DURATION --latency $(shell_words "$@")" >"$OUT/$name-c$conns.txt"
  b0=$(busy_ticks); s0=$(pid_ticks); w0=$(child_ticks); t0=$(date +%s%N)
  wrk -t"$THREADS" -c"$conns" -d"$DURATION" --latency "$@" >>"$OUT/$name-c$conns.txt" 2>&1
  b1=$(busy_ticks); s1=$(pid_ticks); w1=$(child_ticks); t1=$(date +%s%N)
  awk -v hz="$(getconf CLK_TCK)" -v el="$(( (t1 - t0) / 1000000 ))" -v b=$(( b1 - b0 )) -v s=$(( s1 - s0 )) -v w=$(( w1 - w0 )) \
    'BEGIN { f = 100 * 1000 / hz / el; o = (b - s - w) * f; if (o < 0) o = 0; printf "cpu_server=%.0f cpu_wrk=%.0f cpu_other=%.0f\n", s * f, w * f, o }' \
    >>"$OUT/$name-c$conns.txt"
  sleep 1
  exit 0
fi
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
                                 else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
summary_row() { # wrk-output-file -> one summary.tsv line (same columns as load.sh)
  local f=$1 name c rps p50 p99 non2xx sockerr cpu
  name=$(basename "$f" .txt); c=${name##*-c}; name=${name%-c*}
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")"); p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$f"); non2xx=${non2xx:-0}
  sockerr=$(awk '/Socket errors:/ { s = 0; for (i = 3; i <= NF; i++) { gsub(",", "", $i); if ($i ~ /^[0-9]+$/) s += $i } print s }' "$f")
  cpu=$(grep -o 'cpu_[a-z]*=[0-9-]*' "$f" | cut -d= -f2 | paste -sd'\t')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$c" "$rps" "$p50" "$p99" "$non2xx" "${sockerr:-0}" "${cpu:-?}"
}

# ---------------------------------------------------------------- runs
mkdir -p "$OUTROOT" "$LOGS"
PRIV=$(mktemp -d /tmp/hubcmp-priv.XXXXXX); chmod 700 "$PRIV"
TOKEN_FILE=$PRIV/token; (umask 077; openssl rand -hex 20 >"$TOKEN_FILE")        # 40 random hex chars
(umask 077; printf 'Authorization: Bearer %s\n' "$(cat "$TOKEN_FILE")" >"$PRIV/auth")
SPID= KA_PID=
stop_keepalive() { if [[ -n $KA_PID ]]; then kill "$KA_PID" 2>/dev/null || true; wait "$KA_PID" 2>/dev/null || true; fi; KA_PID=; }
stop_server() {
  stop_keepalive
  if [[ -n $SPID ]] && kill -0 "$SPID" 2>/dev/null; then
    kill "$SPID"
    for _ in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SPID" 2>/dev/null && kill -9 "$SPID"
    wait "$SPID" 2>/dev/null || true
  fi
  SPID=
}
trap 'stop_server; rm -rf "$PRIV"' EXIT
rss()  { awk '/^VmRSS:/ {print int($2/1024)}' "/proc/$1/status"; }
hwm()  { awk '/^VmHWM:/ {print int($2/1024)}' "/proc/$1/status"; }

# Eureka instance JSON, as load.sh's instance_json (i < 1000 keeps the host-%03d naming)
e_app() { echo "ANCHOR-APP-$(( $1 % 10 ))"; }
e_id()  { printf 'host-%03d:anchor-app-%d:8080' "$1" $(( $1 % 10 )); }
e_json() {
  local i=$1 a=$(( $1 % 10 )) j=$(( $1 + 1 )) host; host=$(printf 'host-%03d' "$i")
  local ip="127.$(( (j >> 16) & 255 )).$(( (j >> 8) & 255 )).$(( j & 255 ))"
  printf '{"instance":{"instanceId":"%s","hostName":"%s","app":"%s","ipAddr":"%s","status":"UP","overriddenStatus":"UNKNOWN","port":{"$":8080,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},"countryId":1,"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},"leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":90},"metadata":{"zone":"default","version":"1.0.%d"},"homePageUrl":"http://%s:8080/","statusPageUrl":"http://%s:8080/actuator/info","healthCheckUrl":"http://%s:8080/actuator/health","vipAddress":"anchor-app-%d","secureVipAddress":"anchor-app-%d","isCoordinatingDiscoveryServer":"false"}}' \
    "$(e_id "$i")" "$host" "$(e_app "$i")" "$ip" "$i" "$host" "$host" "$host" "$a" "$a"
}
h_json() { # hub registration, as load-hub.sh's
  local i=$1 j=$(( $1 + 1 ))
  printf '{"service":"anchor-app-%d","host":"127.%d.%d.%d","port":8080,"meta":{"zone":"default","version":"1.0.%d"}}' \
    $(( i % 10 )) $(( (j >> 16) & 255 )) $(( (j >> 8) & 255 )) $(( j & 255 )) "$i"
}

hub_heartbeat_config() { # base -> a curl config (stdout) that PUTs every instance of $PRIV/leases with its secret
  local base=$1 sep= id secret token; token=$(cat "$TOKEN_FILE")
  while read -r id secret; do
    printf '%s' "$sep"; sep=$'next\n'
    printf 'url = "%s"\nrequest = "PUT"\nheader = "Authorization: Bearer %s"\nheader = "X-Suho-Lease-Secret: %s"\n' \
      "$base/instances/$id/heartbeat" "$token" "$secret"
    printf 'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nsilent\n'
  done <"$PRIV/leases"
}

keepalive() { # URL-list-file interval auth(0/1) | curl-config-file interval cfg: one curl (keep-alive) PUTs every
  local list=$1 interval=$2 auth=$3                       # URL every interval s
  ( sp=; trap '[[ -n $sp ]] && kill $sp 2>/dev/null; exit 0' TERM
    while :; do
      if [[ $auth == cfg ]]; then
        bad=$(curl -K "$list" 2>/dev/null | grep -vc '^200$' || true)
      else
        args=(); while read -r u; do args+=(-o /dev/null "$u"); done <"$list"
        hdr=(); [[ $auth == 1 ]] && hdr=(-H @"$PRIV/auth")
        bad=$(curl -s -X PUT "${hdr[@]}" -w '%{http_code}\n' "${args[@]}" 2>/dev/null | grep -vc '^200$' || true)
      fi
      [[ $bad == 0 ]] || echo "  [$(date +%T)] keep-alive: $bad not 200" >&2
      sleep "$interval" & sp=$!; wait $sp
    done ) 9>&- &
  KA_PID=$!
}

register_many() { # kind base from to -> POSTs with one curl (--next per instance); prints non-2xx count
  local kind=$1 base=$2 from=$3 to=$4 d=$PRIV/bodies i args=()
  rm -rf "$d"; mkdir -p "$d"
  for (( i = from; i < to; i++ )); do
    if [[ $kind == eureka ]]; then
      e_json "$i" >"$d/$i.json"
      args+=(-s -X POST -H 'Content-Type: application/json' --data-binary @"$d/$i.json" -o /dev/null -w '%{http_code}\n' "$base/apps/$(e_app "$i")" --next)
    else
      h_json "$i" >"$d/$i.json"
      args+=(-s -X POST -H @"$PRIV/auth" -H 'Content-Type: application/json' --data-binary @"$d/$i.json" -w '\n%{http_code}\n' "$base/instances" --next)
    fi
  done
  curl "${args[@]:0:${#args[@]}-1}" >"$d/out" 2>/dev/null || true
  if [[ $kind == hub ]]; then   # each answer: {"instanceId":"…","leaseSecret":"…",…}
    (umask 077; awk 'match($0, /"instanceId":"[^"]*"/) { id = substr($0, RSTART + 14, RLENGTH - 15)
                       if (match($0, /"leaseSecret":"[^"]*"/)) print id, substr($0, RSTART + 15, RLENGTH - 16) }' \
       "$d/out" >>"$PRIV/leases")
  fi
  grep -E '^[0-9]{3}$' "$d/out" | grep -vc '^20[14]$' || true
}

run_one() { # idx kind
  local idx=$1 kind=$2 port opts ready base t0 t1
  case $kind in
    eureka) port=$E_PORT opts=$E_OPTS ready=http://127.0.0.1:$E_PORT/eureka/apps base=http://127.0.0.1:$E_PORT/eureka ;;
    hub)    port=$H_PORT opts=$HUB_OPTS ready=http://127.0.0.1:$H_PORT/v1/services base=http://127.0.0.1:$H_PORT/v1 ;;
    hub256) port=$H_PORT opts=$HUB256_OPTS ready=http://127.0.0.1:$H_PORT/v1/services base=http://127.0.0.1:$H_PORT/v1 ;;
  esac
  RUN_DIR=$OUTROOT/r$idx-$kind; mkdir -p "$RUN_DIR"
  local log=$LOGS/r$idx-$kind.log
  echo "[$(date +%T)] run $idx: $kind ($opts) -> $RUN_DIR" >&2
  ss -ltn "sport = :$port" | grep -q LISTEN && { echo "port $port is already in use" >&2; exit 1; }
  { echo "start $(date -u +%FT%TZ) loadavg $(cut -d' ' -f1-3 /proc/loadavg)"; echo "java_opts $opts"; } >"$RUN_DIR/run.txt"

  exec 9>>"$LOCK"
  echo "  [$(date +%T)] waiting for flock $LOCK (start-up)" >&2
  flock 9
  t0=$(date +%s%N)
  if [[ $kind == eureka ]]; then
    PORT=$port java $opts -jar "$EUREKA_JAR" >"$log" 2>&1 9>&- &
  else
    SUHO_HUB_PORT=$port SUHO_HUB_TOKEN=$(cat "$TOKEN_FILE") java $opts -jar "$HUB_JAR" >"$log" 2>&1 9>&- &
  fi
  SPID=$!
  until curl -s -o /dev/null -f -H 'Accept: application/json' "$ready"; do
    kill -0 "$SPID" 2>/dev/null || { echo "server died; see $log" >&2; exit 1; }
    (( ($(date +%s%N) - t0) / 1000000000 < 120 )) || { echo "server not ready in 120 s" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  flock -u 9; exec 9>&-
  local startup_ms=$(( (t1 - t0) / 1000000 )) main_s rss_ready rss_after hwm_after rss_1k hwm_1k
  sleep 1   # Eureka's log line / hub's log line are written by then
  if [[ $kind == eureka ]]; then main_s=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$log" | awk '{print $4}' || true)
  else main_s=$(grep -o 'started in [0-9]* ms' "$log" | awk '{printf "%.3f", $3 / 1000}' || true); fi
  rss_ready=$(rss "$SPID")
  echo "  [$(date +%T)] ready in ${startup_ms} ms (main: ${main_s:-?} s), RSS ${rss_ready} MiB" >&2

  if [[ $kind == eureka ]]; then
    BASE=$base OUT=$RUN_DIR LOCK=$LOCK SERVER_PID=$SPID "$BENCH/load.sh"
    echo "  [$(date +%T)] extra case renew c=64; waiting for flock $LOCK" >&2
    SERVER_PID=$SPID flock "$LOCK" bash "$0" __wrk_case "$RUN_DIR" renew 64 -s "$BENCH/heartbeat.lua" "$base" -- 100 10
    summary_row "$RUN_DIR/renew-c64.txt" >>"$RUN_DIR/summary.tsv"
  else
    rm -f "$PRIV/leases"
    BASE=$base TOKEN_FILE=$TOKEN_FILE OUT=$RUN_DIR LEASES=$PRIV/leases LOCK=$LOCK SERVER_PID=$SPID \
      "$HUB_BENCH/load-hub.sh"
  fi
  rss_after=$(rss "$SPID"); hwm_after=$(hwm "$SPID")
  echo "  [$(date +%T)] RSS after the run ${rss_after} MiB (peak ${hwm_after})" >&2

  # ---- registry of N1K instances (under the lock: the registrations are load too)
  local urls=$PRIV/urls i
  if [[ $kind == eureka ]]; then
    for (( i = 0; i < 100; i++ )); do echo "$base/apps/$(e_app "$i")/$(e_id "$i")"; done >"$urls"
    keepalive "$urls" 30 0
  else
    (umask 077; hub_heartbeat_config "$base" >"$urls"); keepalive "$urls" 10 cfg
  fi
  exec 9>>"$LOCK"; echo "  [$(date +%T)] waiting for flock $LOCK ($N1K instances)" >&2; flock 9
  local bad; bad=$(register_many "$( [[ $kind == eureka ]] && echo eureka || echo hub)" "$base" 100 "$N1K")
  stop_keepalive
  if [[ $kind == eureka ]]; then
    for (( i = 0; i < N1K; i++ )); do echo "$base/apps/$(e_app "$i")/$(e_id "$i")"; done >"$urls"; keepalive "$urls" 30 0
  else
    (umask 077; hub_heartbeat_config "$base" >"$urls"); keepalive "$urls" 10 cfg
  fi
  echo "  [$(date +%T)] registered $(( N1K - 100 )) more ($bad not 2xx); waiting 35 s" >&2
  sleep 35
  local count=0 deadline=$(( $(date +%s) + 60 ))
  while :; do
    if [[ $kind == eureka ]]; then count=$(curl -s -H 'Accept: application/json' "$base/apps" | grep -o '"instanceId"' | wc -l || true)
    else count=$(curl -s "$base/services" | grep -o '"instances":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'); fi
    (( count == N1K || $(date +%s) > deadline )) && break; sleep 1
  done
  for _ in 1 2 3; do
    if [[ $kind == eureka ]]; then
      curl -s -o /dev/null -H 'Accept: application/json' "$base/apps"; curl -s -o /dev/null -H 'Accept: application/json' "$base/apps/ANCHOR-APP-0"
    else
      for p in /v1/services /v1/services/anchor-app-0 /v1/health /; do curl -s -o /dev/null "http://127.0.0.1:$port$p"; done
    fi
  done
  if [[ $kind == eureka ]]; then
    curl -s -o /dev/null -w '%{size_download}\n' -H 'Accept: application/json' "$base/apps" >"$RUN_DIR/bytes-apps-1k"
    curl -s -o /dev/null -w '%{size_download}\n' -H 'Accept: application/json' "$base/apps/ANCHOR-APP-0" >"$RUN_DIR/bytes-app-1k"
  else
    curl -s -o /dev/null -w '%{size_download}\n' "$base/services" >"$RUN_DIR/bytes-services-1k"
    curl -s -o /dev/null -w '%{size_download}\n' "$base/services/anchor-app-0" >"$RUN_DIR/bytes-service-1k"
  fi
  sleep 1
  rss_1k=$(rss "$SPID"); hwm_1k=$(hwm "$SPID")
  flock -u 9; exec 9>&-
  echo "  [$(date +%T)] $count listed; RSS ${rss_1k} MiB (peak ${hwm_1k})" >&2
  printf 'startup_ms\t%s\nmain_started_s\t%s\nrss_ready_mib\t%s\nrss_after_mib\t%s\nhwm_after_mib\t%s\ninstances_1k_listed\t%s\nregister_1k_not2xx\t%s\nrss_1k_mib\t%s\nhwm_1k_mib\t%s\n' \
    "$startup_ms" "${main_s:-?}" "$rss_ready" "$rss_after" "$hwm_after" "$count" "$bad" "$rss_1k" "$hwm_1k" >"$RUN_DIR/server.tsv"
  echo "end $(date -u +%FT%TZ) loadavg $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RUN_DIR/run.txt"
  stop_server
  rm -f "$RUN_DIR/ids" "$PRIV/leases"   # random instance ids and lease secrets, only needed while the server ran
  { printf 'log lines %s; WARN %s; ERROR %s; Exception %s\n' "$(wc -l <"$log")" "$(grep -c ' WARN ' "$log" || true)" \
      "$(grep -c ' ERROR ' "$log" || true)" "$(grep -c 'Exception' "$log" || true)"
    grep -E ' (WARN|ERROR) ' "$log" | sed -E 's/^[^ ]+ +//' | cut -c1-200 | sort | uniq -c | sort -rn | head -8; } >"$RUN_DIR/log-summary.txt"
  sleep 2
}

if [[ -z ${REPORT_ONLY:-} ]]; then
  { echo "machine: nproc $(nproc); $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'); $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "kernel $(uname -r); $(java -version 2>&1 | sed -n 2p); $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
    echo "eureka jar: $EUREKA_JAR ($(stat -c %s "$EUREKA_JAR") bytes); hub jar: $HUB_JAR ($(stat -c %s "$HUB_JAR") bytes, sha256 $(sha256sum "$HUB_JAR" | cut -c1-16))"
    echo "rounds: $ROUNDS; started $(date -u +%FT%TZ)"; } >"$OUTROOT/machine.txt"
  idx=0
  for kind in $ROUNDS; do idx=$(( idx + 1 )); run_one "$idx" "$kind"; done
  echo "finished $(date -u +%FT%TZ)" >>"$OUTROOT/machine.txt"
fi

# ---------------------------------------------------------------- report
python3 - "$OUTROOT" >"$OUTROOT/summary.md" <<'PY'
import csv, glob, os, re, statistics, sys
root = sys.argv[1]
runs = sorted(glob.glob(os.path.join(root, "r*-*")), key=lambda p: int(re.match(r"r(\d+)-", os.path.basename(p)).group(1)))
def summ(d):
    with open(os.path.join(d, "summary.tsv")) as f:
        return {(r["case"], r["conns"]): r for r in csv.DictReader(f, delimiter="\t")}
def kv(d):
    out = {}
    with open(os.path.join(d, "server.tsv")) as f:
        for line in f:
            k, v = line.rstrip("\n").split("\t"); out[k] = v
    return out
def rd(d, name):
    p = os.path.join(d, name)
    return open(p).read().strip() if os.path.exists(p) else "?"
R = [(os.path.basename(d), d.rsplit("-", 1)[1], summ(d), kv(d)) for d in runs]
E = [r for r in R if r[1] == "eureka"]; H = [r for r in R if r[1] == "hub"]; H256 = [r for r in R if r[1] == "hub256"]
rows = [("full registry with instances", "apps", "instances"), ("service list (hub: names + counts)", None, "services"), ("one service (10 inst.)", "app", "service"),
        ("heartbeat PUT", "renew", "heartbeat"), ("endpoints catalog", None, "endpoints")]
def cell(group, case, c, col):
    return [float(r[2][(case, c)][col]) for r in group if case and (case, c) in r[2]]
def fmt(xs, nd=0):
    return " / ".join(f"{x:.{nd}f}" for x in xs) if xs else "–"
print("# Eureka anchor vs Suho hub — same machine, same session, alternating rounds\n")
print(open(os.path.join(root, "machine.txt")).read().replace("\n", "  \n"))
print("Run order: " + ", ".join(r[0] for r in R) + "\n")
print("rps and p99 per run (run order), mean rps; ratio = hub mean rps / Eureka mean rps (hub = recommended flags).\n")
print("| case | conns | Eureka rps | Eureka p99 ms | hub rps | hub p99 ms | hub/Eureka | hub -Xmx256m rps | p99 ms | 256m/Eureka |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for label, ec, hc in rows:
    for c in ("16", "64"):
        er, ep = cell(E, ec, c, "rps"), cell(E, ec, c, "p99_ms")
        hr, hp = cell(H, hc, c, "rps"), cell(H, hc, c, "p99_ms")
        gr, gp = cell(H256, hc, c, "rps"), cell(H256, hc, c, "p99_ms")
        em = statistics.mean(er) if er else None; hm = statistics.mean(hr) if hr else None; gm = statistics.mean(gr) if gr else None
        ratio = f"{hm / em:.2f}" if em and hm else "–"; ratio2 = f"{gm / em:.2f}" if em and gm else "–"
        print(f"| {label} | {c} | {fmt(er)} (mean {em:.0f}) | {fmt(ep, 2)} | {fmt(hr)} (mean {hm:.0f}) | {fmt(hp, 2)} | {ratio} | {fmt(gr)} | {fmt(gp, 2)} | {ratio2} |"
              if em else f"| {label} | {c} | – | – | {fmt(hr)} (mean {hm:.0f}) | {fmt(hp, 2)} | – | {fmt(gr)} | {fmt(gp, 2)} | – |")
print("\nEureka cases: GET /eureka/apps, GET /eureka/apps/ANCHOR-APP-0 (Accept: application/json), PUT /eureka/apps/{APP}/{id}.")
print("Hub cases: GET /v1/instances (every service with its instances), GET /v1/services (names + counts),")
print("GET /v1/services/anchor-app-0, PUT /v1/instances/{id}/heartbeat (empty body, bearer token + the instance's lease secret), GET /v1/endpoints.\n")
print(f"## Errors and CPU per run (% of one core during each measured {os.environ.get('DURATION', '20s')}: server / wrk / other; ⚠ other > 10)\n")
print("| run | case c | non-2xx | socket errors | server / wrk / other |")
print("|---|---|---:|---:|---:|")
for name, kind, s, _ in R:
    for (case, c), r in s.items():
        o = int(r["cpu_other"]); flag = " ⚠" if o > 10 else ""
        print(f"| {name} | {case} c{c} | {r['non2xx']} | {r['sock_err']} | {r['cpu_server']} / {r['cpu_wrk']} / {o}{flag} |")
print("\n## Start-up and memory\n")
print("| run | start-up to first 200 (ms) | main 'started' (s) | RSS ready | RSS after run | peak after run | RSS at 1k | peak at 1k | 1k listed |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, kind, _, k in R:
    print(f"| {name} | {k['startup_ms']} | {k['main_started_s']} | {k['rss_ready_mib']} | {k['rss_after_mib']} | {k['hwm_after_mib']} | {k['rss_1k_mib']} | {k['hwm_1k_mib']} | {k['instances_1k_listed']} |")
print("\nRSS in MiB (VmRSS / VmHWM from /proc/PID/status).\n")
print("## Response sizes (bytes, no gzip)\n")
for name, kind, _, _ in R:
    d = os.path.join(root, name)
    if kind == "eureka":
        print(f"- {name}: full registry {rd(d, 'bytes-apps')} (1k: {rd(d, 'bytes-apps-1k')}), one app {rd(d, 'bytes-app')} (1k: {rd(d, 'bytes-app-1k')})")
    else:
        print(f"- {name}: /v1/services {rd(d, 'bytes-services')} (1k: {rd(d, 'bytes-services-1k')}), one service {rd(d, 'bytes-service')} (1k: {rd(d, 'bytes-service-1k')}), endpoints {rd(d, 'bytes-endpoints')}, heartbeat response {rd(d, 'bytes-heartbeat')}, /v1/instances {rd(d, 'bytes-instances')}")
PY
echo "[$(date +%T)] wrote $OUTROOT/summary.md" >&2
