# shellcheck shell=bash
# Zipkin 3.5.1 (in-memory trace storage), from the executable jar on Maven Central; sourced by lib.sh after
# stores.sh, with the same per-store functions (see the top of stores.sh). Not a default store: only
# `infra/local/up zipkin` starts it — nothing in the SDK needs it, it is where local traces are looked at.

ZIPKIN_VERSION="3.5.1"
: "${ZIPKIN_PORT:?}" # set in lib.sh

zipkin_jar() { printf '%s/zipkin-server-%s-exec.jar' "$(store_dir zipkin)" "$ZIPKIN_VERSION"; }

# zipkin_fetch -> the exec jar (~130 MB) from Maven Central through Maven's own cache, copied next to the data.
zipkin_fetch() {
  local dir
  dir="$(store_dir zipkin)"
  [[ -s "$(zipkin_jar)" ]] && return 0
  find_bin mvn >/dev/null || { printf '[suho-local] ERROR: zipkin: Maven (mvn) is needed to fetch the jar\n' >&2; return 1; }
  info "zipkin: fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION:exec with Maven (~130 MB on a fresh machine)"
  if ! (cd "$dir" && mvn -q -B -Dstyle.color=never \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    "-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "-DoutputDirectory=$dir" 9>&-) \
    >"$dir/fetch.log" 2>&1; then
    tail -n 30 "$dir/fetch.log" >&2
    return 1
  fi
  [[ -s "$(zipkin_jar)" ]]
}

pkgs_zipkin() { :; }
pattern_zipkin() { printf 'zipkin-server-%s-exec.jar' "$ZIPKIN_VERSION"; }
pid_zipkin() { read_pidfile "$(store_dir zipkin)/zipkin.pid" "$(pattern_zipkin)"; }
probe_zipkin() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$ZIPKIN_PORT/health"; }
healthy_zipkin() { probe_zipkin; }
endpoint_zipkin() { printf 'http://127.0.0.1:%s/zipkin/ (POST /api/v2/spans)' "$ZIPKIN_PORT"; }
logs_zipkin() { printf '%s\n' "$(store_dir zipkin)/"{fetch.log,zipkin.log}; }
stop_zipkin() { kill -TERM "$1" 2>/dev/null; }
post_zipkin() { :; }
wipe_zipkin() { :; } # traces live in memory only; the jar is kept

start_zipkin() {
  local dir
  dir="$(store_dir zipkin)"
  java_bin >/dev/null || { printf '[suho-local] ERROR: zipkin: no java found (JAVA_HOME or PATH)\n' >&2; return 1; }
  require_free_ports zipkin "$ZIPKIN_PORT"
  zipkin_fetch || return 1
  # In-memory storage (the default), bounded so a long local session cannot exhaust the heap.
  QUERY_PORT="$ZIPKIN_PORT" STORAGE_TYPE=mem MEM_MAX_SPANS="${SUHO_LOCAL_ZIPKIN_MAX_SPANS:-200000}" \
    spawn "$dir/zipkin.pid" "$dir/zipkin.log" "$(java_bin)" -Xms64m "-Xmx${SUHO_LOCAL_ZIPKIN_HEAP:-384m}" \
    -jar "$(zipkin_jar)"
}
