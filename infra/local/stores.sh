# shellcheck shell=bash
# Per-store definitions of the local stack, sourced by lib.sh. For each store S (postgres-replica -> replica):
#   pkgs_S      Debian packages to install when its binaries are missing (prints nothing when present)
#   pattern_S   a string the server's command line contains (guards pid files against pid reuse)
#   pid_S       prints the running server's pid (fails when down; cleans a stale pid file)
#   probe_S     real readiness check, quick
#   healthy_S   probe_S plus store-specific sanity (the replica must be a standby of the primary)
#   start_S     prepare (install config, initialise data once) and spawn; returns without waiting
#   post_S      one-off setup once ready (databases, password)
#   stop_S PID  graceful stop request
#   endpoint_S  what `up`/`status` print
#   logs_S      log files to show when the store does not come up
#   wipe_S      remove the store's data (reset)

# TCP logins need the password (SCRAM); the Unix socket lives in a 0700 directory of the postgres OS user under
# the stack directory (not world-writable /tmp), so only that user (and root) can use its trust login.
PG_AUTH="${SUHO_LOCAL_PG_AUTH:-scram-sha-256}"
PG_SOCKET_DIR="$SUHO_ROOT/pg-socket"

# ---------------------------------------------------------------------------------------------------
# PostgreSQL 15 (primary) and its streaming hot standby (postgres-replica)
# ---------------------------------------------------------------------------------------------------

pg_data() { printf '%s/data' "$(store_dir "$1")"; }

pg_psql() { # PORT ARGS...
  local port="$1"
  shift
  timeout 10 "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$port" -U postgres -d postgres -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

pg_sysid() { LC_ALL=C "$PG_BIN/pg_controldata" "$1" 2>/dev/null | sed -n 's/^Database system identifier: *//p'; }

pg_chown() { if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$@"; fi; }

# pg_prepare_dir DIR -> DIR exists (mode 0700) and belongs to the postgres user, who must reach it (root's stack
# lives outside root's 0700 home for that: lib.sh; no permission is changed outside the stack directory).
pg_prepare_dir() {
  local dir="$1"
  mkdir -p "$dir"
  chmod 700 "$dir"
  [[ $EUID -eq 0 ]] || return 0
  pg_chown "$dir"
  require_reachable postgres "$dir"
}

pg_write_hba() {
  local data="$1"
  cat >"$data/pg_hba.conf" <<EOF
# Written by infra/local/up on every start: edits here are overwritten.
# The socket directory ($PG_SOCKET_DIR) is 0700: only the postgres OS user and root reach "local".
# TYPE  DATABASE     USER  ADDRESS         METHOD
local   all          all                   trust
host    all          all   127.0.0.1/32    $PG_AUTH
host    all          all   ::1/128         $PG_AUTH
local   replication  all                   trust
host    replication  all   127.0.0.1/32    $PG_AUTH
host    replication  all   ::1/128         $PG_AUTH
EOF
  pg_chown "$data/pg_hba.conf"
}

# pg_tls -> a CA and a server certificate for 127.0.0.1/localhost under <postgres>/tls, made once (openssl): the
# servers offer TLS, clients choose (sslmode=verify-full with sslrootcert=<postgres>/tls/ca.crt checks both).
pg_tls_dir() { printf '%s/tls' "$(store_dir postgres)"; }
pg_tls() {
  local dir
  dir="$(pg_tls_dir)"
  [[ -s "$dir/server.crt" && -s "$dir/server.key" && -s "$dir/ca.crt" ]] && return 0
  command -v openssl >/dev/null 2>&1 || {
    warn "postgres: openssl not found; the local PostgreSQL serves without TLS"
    return 1
  }
  mkdir -p "$dir"
  (
    umask 077
    cd "$dir" || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=suho-local CA" -keyout ca.key -out ca.crt \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr &&
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        >server.ext &&
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext \
        -out server.crt
  ) >"$dir/openssl.log" 2>&1 || {
    warn "postgres: generating the TLS certificate failed (see $dir/openssl.log); serving without TLS"
    return 1
  }
  rm -f "$dir/server.csr" "$dir/server.ext"
  chmod 644 "$dir/ca.crt" "$dir/server.crt"
  chmod 755 "$dir"
  pg_chown "$dir/server.key" "$dir/server.crt"
  info "postgres: TLS certificate for 127.0.0.1/localhost in $dir (CA: $dir/ca.crt)"
}

pg_write_conf() {
  local data="$1" port="$2" ssl="off" tls
  tls="$(pg_tls_dir)"
  if pg_tls; then ssl="on"; fi
  cat >"$data/suho-local.conf" <<EOF
# Written by infra/local/up on every start: edits here are overwritten.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
shared_buffers = '128MB'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = '1GB'
hot_standby = on
hot_standby_feedback = on
password_encryption = 'scram-sha-256'
ssl = $ssl
ssl_cert_file = '$tls/server.crt'
ssl_key_file = '$tls/server.key'
ssl_min_protocol_version = 'TLSv1.2'
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  pg_chown "$data/suho-local.conf"
  if ! grep -q "suho-local.conf" "$data/postgresql.conf"; then
    printf "\n# local stack settings (infra/local)\ninclude_if_exists = 'suho-local.conf'\n" >>"$data/postgresql.conf"
  fi
}

# A killed postmaster leaves its socket lock file; PostgreSQL only ignores it once the pid is gone,
# and a zombie that PID 1 has not reaped yet still counts: remove it when its pid is not a live server.
pg_clean_socket_lock() {
  local lock="$PG_SOCKET_DIR/.s.PGSQL.$1.lock" pid
  [[ -f "$lock" ]] || return 0
  pid="$(head -n1 "$lock" 2>/dev/null | tr -dc '0-9')"
  if [[ -z "$pid" ]] || ! proc_alive "$pid" postgres; then
    rm -f "$lock" "$PG_SOCKET_DIR/.s.PGSQL.$1"
  fi
}

# pg_start STORE PORT -> start the cluster of STORE with pg_ctl (which waits for the postmaster).
pg_start() {
  local s="$1" port="$2" dir data log
  dir="$(store_dir "$s")"
  data="$(pg_data "$s")"
  log="$dir/$s.log"
  pg_prepare_dir "$PG_SOCKET_DIR"
  pg_write_hba "$data"
  pg_write_conf "$data" "$port"
  pg_clean_socket_lock "$port"
  rotate_log "$log"
  pg_chown "$log"
  # pg_ctl -w returns when the server accepts connections or when the postmaster died. After a SIGKILL the old
  # backends can keep the shared memory segment attached for a moment after the postmaster is gone (PID 1 here is
  # slow to reap): PostgreSQL then refuses to start, so retry for a bounded time while that is the reason.
  local attempt
  for attempt in $(seq 1 40); do
    if as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t "$(start_timeout "$s")" start >"$dir/pg_ctl.log" 2>&1; then
      return 0
    fi
    grep -q "pre-existing shared memory block" "$log" 2>/dev/null || return 1
    ((attempt == 1)) && info "$s: the killed server's shared memory is still attached; waiting for it to be released"
    sleep 0.25
  done
  return 1
}

pg_stop() {
  local data="$1"
  as_pg "$PG_BIN/pg_ctl" -D "$data" stop -m fast -w -t "$STOP_TIMEOUT" >/dev/null 2>&1
}

pkgs_postgres() {
  local b
  for b in initdb pg_ctl postgres pg_basebackup pg_controldata; do
    if [[ ! -x "$PG_BIN/$b" ]]; then
      printf 'postgresql-%s\n' "$PG_VERSION_MAJOR"
      break
    fi
  done
  for b in psql pg_isready; do
    if [[ ! -x "$PG_BIN/$b" ]]; then
      printf 'postgresql-client-%s\n' "$PG_VERSION_MAJOR"
      break
    fi
  done
}
pattern_postgres() { printf '%s' "$(pg_data postgres)"; }
pid_postgres() { read_pidfile "$(pg_data postgres)/postmaster.pid" "$(pattern_postgres)"; }
probe_postgres() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }
healthy_postgres() { probe_postgres; }
endpoint_postgres() { printf 'postgresql://postgres@127.0.0.1:%s/%s' "$PG_PORT" "$PG_DB"; }
logs_postgres() {
  local dir
  dir="$(store_dir postgres)"
  [[ -f "$dir/data/PG_VERSION" ]] || printf '%s\n' "$dir/initdb.log"
  printf '%s\n' "$dir/"{pg_ctl.log,postgres.log}
}
stop_postgres() { pg_stop "$(pg_data postgres)"; }
wipe_postgres() { rm -rf "$(store_dir postgres)"; }

start_postgres() {
  local dir data
  dir="$(store_dir postgres)"
  data="$(pg_data postgres)"
  require_free_ports postgres "$PG_PORT"
  pg_prepare_dir "$dir"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    info "postgres: first run, initdb in $data"
    rm -rf "$data"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      return 1
  fi
  rm -f "$data/postmaster.pid.tmp"
  pg_start postgres "$PG_PORT"
}

post_postgres() {
  # The password matters with SUHO_LOCAL_PG_AUTH=scram-sha-256 (trust accepts any password).
  pg_psql "$PG_PORT" -v pw="$PG_SECRET" <<SQL
ALTER ROLE postgres PASSWORD :'pw';
SELECT 'CREATE DATABASE $PG_DB' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')\\gexec
SQL
}

pkgs_replica() { pkgs_postgres; }
pattern_replica() { printf '%s' "$(pg_data postgres-replica)"; }
pid_replica() { read_pidfile "$(pg_data postgres-replica)/postmaster.pid" "$(pattern_replica)"; }
probe_replica() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_REPLICA_PORT" -t 2; }
replica_in_recovery() { [[ "$(pg_psql "$PG_REPLICA_PORT" -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" == t ]]; }
# A standby of *this* primary: in recovery and with the primary's system identifier.
healthy_replica() {
  probe_replica && replica_in_recovery &&
    [[ "$(pg_sysid "$(pg_data postgres-replica)")" == "$(pg_sysid "$(pg_data postgres)")" ]]
}
endpoint_replica() { printf 'postgresql://postgres@127.0.0.1:%s/%s' "$PG_REPLICA_PORT" "$PG_DB"; }
logs_replica() { printf '%s\n' "$(store_dir postgres-replica)/"{basebackup.log,pg_ctl.log,postgres-replica.log}; }
stop_replica() { pg_stop "$(pg_data postgres-replica)"; }
post_replica() { :; }
wipe_replica() { rm -rf "$(store_dir postgres-replica)"; }

start_replica() {
  local dir data why="" primary_id
  dir="$(store_dir postgres-replica)"
  data="$(pg_data postgres-replica)"
  # Running but promoted / detached: stop it, it is re-created below.
  if pid_replica >/dev/null; then ensure_down postgres-replica; fi
  require_free_ports postgres-replica "$PG_REPLICA_PORT"
  if ! probe_postgres; then
    printf '[suho-local] ERROR: postgres-replica needs the primary: run infra/local/up postgres\n' >&2
    return 1
  fi
  pg_prepare_dir "$dir"
  primary_id="$(pg_sysid "$(pg_data postgres)")"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    why="first run"
  elif [[ ! -f "$data/standby.signal" ]]; then
    why="it was promoted"
  elif [[ "$(pg_sysid "$data")" != "$primary_id" ]]; then
    why="the primary was re-initialised"
  elif grep -q "host=127.0.0.1" "$data/postgresql.auto.conf" 2>/dev/null; then
    why="it streamed over TCP without a password; it now streams over the primary's socket"
  elif ! grep -qF "host=''$PG_SOCKET_DIR''" "$data/postgresql.auto.conf" 2>/dev/null; then
    why="the primary's socket directory moved to $PG_SOCKET_DIR"
  fi
  if [[ -n "$why" ]]; then
    info "postgres-replica: pg_basebackup -R from 127.0.0.1:$PG_PORT ($why)"
    rm -rf "$data"
    # over the primary's Unix socket: the standby streams as the postgres OS user, without a password on disk
    as_pg "$PG_BIN/pg_basebackup" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -D "$data" -R -X stream -c fast \
      --no-password >"$dir/basebackup.log" 2>&1 || return 1
  fi
  pg_start postgres-replica "$PG_REPLICA_PORT"
}

# ---------------------------------------------------------------------------------------------------
# Redis 7
# ---------------------------------------------------------------------------------------------------

redis_cli() {
  REDISCLI_AUTH="$REDIS_SECRET" timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning "$@"
}

pkgs_redis() { find_bin redis-server >/dev/null && find_bin redis-cli >/dev/null || echo redis-server; }
pattern_redis() { printf 'redis-server'; }
pid_redis() { read_pidfile "$(store_dir redis)/redis.pid" "$(pattern_redis)"; }
probe_redis() { [[ "$(redis_cli ping 2>/dev/null)" == PONG ]]; }
healthy_redis() { probe_redis; }
endpoint_redis() { printf 'redis://127.0.0.1:%s' "$REDIS_PORT"; }
logs_redis() { printf '%s\n' "$(store_dir redis)/redis.log"; }
stop_redis() { redis_cli shutdown >/dev/null 2>&1 || kill -TERM "$1" 2>/dev/null; }
post_redis() { :; }
wipe_redis() { rm -rf "$(store_dir redis)"; }

start_redis() {
  local dir quoted holder
  dir="$(store_dir redis)"
  if port_open "$REDIS_PORT"; then
    holder="$(port_holder "$REDIS_PORT")"
    if [[ "$holder" == *redis-server* ]]; then
      # Debian's packaged service (no password, other data): ours owns the port.
      warn "redis: a redis-server not started by infra/local holds port $REDIS_PORT; stopping the system service"
      disable_system_services redis-server
    fi
  fi
  require_free_ports redis "$REDIS_PORT"
  mkdir -p "$dir/data"
  quoted="${REDIS_SECRET//\\/\\\\}"
  quoted="${quoted//\"/\\\"}"
  (
    umask 077
    cat >"$dir/redis.conf" <<EOF
# Written by infra/local/up on every start: edits here are overwritten.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
dir "$dir/data"
loglevel notice
logfile ""
save ""
appendonly yes
appendfsync everysec
requirepass "$quoted"
EOF
  )
  spawn "$dir/redis.pid" "$dir/redis.log" "$(find_bin redis-server)" "$dir/redis.conf"
}

# ---------------------------------------------------------------------------------------------------
# NATS with JetStream
# ---------------------------------------------------------------------------------------------------

pkgs_nats() { find_bin nats-server >/dev/null || echo nats-server; }
pattern_nats() { printf 'nats-server'; }
pid_nats() { read_pidfile "$(store_dir nats)/nats.pid" "$(pattern_nats)"; }
probe_nats() { curl -fsS --max-time 2 "http://127.0.0.1:$NATS_MONITOR_PORT/healthz" >/dev/null 2>&1; }
healthy_nats() { probe_nats; }
endpoint_nats() { printf 'nats://127.0.0.1:%s' "$NATS_PORT"; }
logs_nats() { printf '%s\n' "$(store_dir nats)/nats.log"; }
stop_nats() { kill -TERM "$1" 2>/dev/null; }
post_nats() { :; }
wipe_nats() { rm -rf "$(store_dir nats)"; }

start_nats() {
  local dir
  dir="$(store_dir nats)"
  require_free_ports nats "$NATS_PORT" "$NATS_MONITOR_PORT"
  mkdir -p "$dir/data"
  spawn "$dir/nats.pid" "$dir/nats.log" "$(find_bin nats-server)" -n suho-local -a 127.0.0.1 \
    -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" -js -sd "$dir/data"
}

# ---------------------------------------------------------------------------------------------------
# ClickHouse (Debian: 18.16)
# ---------------------------------------------------------------------------------------------------

# The password goes to curl on stdin (-K -), never on a command line other users can read in ps.
ch_http() {
  printf 'user = "default:%s"\n' "$CH_SECRET" |
    curl -fsS -K - --max-time "${2:-10}" "http://127.0.0.1:$CH_HTTP_PORT/" --data-binary "$1"
}

pkgs_clickhouse() {
  find_bin clickhouse-server >/dev/null || echo clickhouse-server
  find_bin clickhouse-client >/dev/null || echo clickhouse-client
}
pattern_clickhouse() { printf -- '--config-file=%s/etc/config.xml' "$(store_dir clickhouse)"; }
pid_clickhouse() { read_pidfile "$(store_dir clickhouse)/clickhouse.pid" "$(pattern_clickhouse)"; }
probe_clickhouse() { [[ "$(curl -fsS --max-time 2 "http://127.0.0.1:$CH_HTTP_PORT/ping" 2>/dev/null)" == Ok.* ]]; }
healthy_clickhouse() { probe_clickhouse; }
endpoint_clickhouse() {
  printf 'http://127.0.0.1:%s  (native 127.0.0.1:%s, database %s)' "$CH_HTTP_PORT" "$CH_TCP_PORT" "$CH_DB"
}
logs_clickhouse() { printf '%s\n' "$(store_dir clickhouse)/"{clickhouse.err.log,clickhouse.log,clickhouse.out}; }
stop_clickhouse() { kill -TERM "$1" 2>/dev/null; }
post_clickhouse() { ch_http "CREATE DATABASE IF NOT EXISTS $CH_DB" >/dev/null; }
wipe_clickhouse() { rm -rf "$(store_dir clickhouse)"; }

# Our own config dir: Debian's config.xml/users.xml with every path moved under the store dir, ports
# from the environment, listening on 127.0.0.1 only, no interserver port (single node).
ch_write_config() {
  local dir="$1" src=/etc/clickhouse-server etc data d
  etc="$dir/etc"
  data="$dir/data"
  [[ -r "$src/config.xml" && -r "$src/users.xml" ]] || {
    printf '[suho-local] ERROR: clickhouse: %s/config.xml not found (clickhouse-server not installed?)\n' "$src" >&2
    return 1
  }
  mkdir -p "$etc" "$data"/{tmp,user_files,format_schemas}
  d="$(sed_repl "$dir")"
  sed -e "s|<log>.*</log>|<log>$d/clickhouse.log</log>|" \
    -e "s|<errorlog>.*</errorlog>|<errorlog>$d/clickhouse.err.log</errorlog>|" \
    -e "s|<level>[a-z]*</level>|<level>warning</level>|" \
    -e "s|<size>1000M</size>|<size>100M</size>|" \
    -e "s|<count>10</count>|<count>3</count>|" \
    -e "s|<http_port>[0-9]*</http_port>|<http_port>$CH_HTTP_PORT</http_port>|" \
    -e "s|<tcp_port>[0-9]*</tcp_port>|<tcp_port>$CH_TCP_PORT</tcp_port>\n    <listen_host>127.0.0.1</listen_host>\n    <timezone>UTC</timezone>|" \
    -e "/<interserver_http_port>/d" \
    -e "s|<path>/var/lib/clickhouse/</path>|<path>$d/data/</path>|" \
    -e "s|<tmp_path>.*</tmp_path>|<tmp_path>$d/data/tmp/</tmp_path>|" \
    -e "s|<user_files_path>.*</user_files_path>|<user_files_path>$d/data/user_files/</user_files_path>|" \
    -e "s|<format_schema_path>.*</format_schema_path>|<format_schema_path>$d/data/format_schemas/</format_schema_path>|" \
    "$src/config.xml" >"$etc/config.xml"
  # the default user logs in with the stack's secret (SHA-256 in the file, which only the stack's user can read)
  local hash
  hash="$(printf '%s' "$CH_SECRET" | sha256sum | cut -d' ' -f1)"
  (
    umask 077
    sed -e "s|<password></password>|<password_sha256_hex>$hash</password_sha256_hex>|" \
      -e "s|<ip>::/0</ip>|<ip>::1</ip><ip>127.0.0.1</ip>|" "$src/users.xml" >"$etc/users.xml"
  )
  grep -q "<password_sha256_hex>$hash</password_sha256_hex>" "$etc/users.xml" || {
    printf '[suho-local] ERROR: clickhouse: could not set the default user password in %s/users.xml\n' "$etc" >&2
    return 1
  }
  if grep -q '/var/lib/clickhouse\|/var/log/clickhouse' "$etc/config.xml"; then
    printf '[suho-local] ERROR: clickhouse: unrewritten system paths left in %s/config.xml\n' "$etc" >&2
    return 1
  fi
}

start_clickhouse() {
  local dir
  dir="$(store_dir clickhouse)"
  require_free_ports clickhouse "$CH_HTTP_PORT" "$CH_TCP_PORT"
  ch_write_config "$dir" || return 1
  rotate_log "$dir/clickhouse.log"
  rotate_log "$dir/clickhouse.err.log"
  # Foreground process (its own session): the pid is exact, logs go to the files in the config.
  spawn "$dir/clickhouse.pid" "$dir/clickhouse.out" "$(find_bin clickhouse-server)" \
    "--config-file=$dir/etc/config.xml"
}

# ---------------------------------------------------------------------------------------------------
# Kafka 4.4.0, KRaft single node, from Maven jars (infra/local/kafka/pom.xml)
# ---------------------------------------------------------------------------------------------------

KAFKA_POM="$SUHO_LOCAL_SCRIPTS/kafka/pom.xml"
: "${KAFKA_PORT:?}" "${KAFKA_CONTROLLER_PORT:?}" # set in lib.sh

kafka_libs_current() {
  local lib
  lib="$(store_dir kafka)/lib"
  [[ -f "$lib/.complete" ]] && cmp -s "$lib/.pom.xml" "$KAFKA_POM"
}

# kafka_fetch_libs -> (re)fill <kafka>/lib from the POM with Maven; atomic swap when complete.
kafka_fetch_libs() {
  local dir build new
  dir="$(store_dir kafka)"
  build="$dir/.fetch"
  new="$dir/lib.new"
  mkdir -p "$dir"
  rm -rf "$build" "$new"
  mkdir -p "$build"
  cp "$KAFKA_POM" "$build/pom.xml"
  info "kafka: fetching the Kafka $KAFKA_VERSION broker jars with Maven (~54 MB on a fresh machine)"
  if ! (cd "$build" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DoutputDirectory="$new" 9>&-) \
    >"$dir/fetch.log" 2>&1; then
    tail -n 30 "$dir/fetch.log" >&2
    return 1
  fi
  ls "$new"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null
  cp "$KAFKA_POM" "$new/.pom.xml"
  touch "$new/.complete"
  rm -rf "${dir:?}/lib" "$build"
  mv "$new" "$dir/lib"
  info "kafka: $(find "$dir/lib" -name '*.jar' | wc -l) jars in $dir/lib"
}

kafka_java() {
  "$(java_bin)" "-Dlog4j2.configurationFile=$(store_dir kafka)/log4j2.xml" -cp "$(store_dir kafka)/lib/*" "$@"
}

pkgs_kafka() { :; }
pattern_kafka() { printf 'kafka.Kafka %s/server.properties' "$(store_dir kafka)"; }
pid_kafka() { read_pidfile "$(store_dir kafka)/kafka.pid" "$(pattern_kafka)"; }
# Ready: the broker logged that it started (the log is rotated at each start) and accepts connections.
probe_kafka() {
  port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$(store_dir kafka)/kafka.log" 2>/dev/null
}
healthy_kafka() { probe_kafka; }
endpoint_kafka() { printf '127.0.0.1:%s' "$KAFKA_PORT"; }
logs_kafka() { printf '%s\n' "$(store_dir kafka)/"{fetch.log,format.log,kafka.log}; }
stop_kafka() { kill -TERM "$1" 2>/dev/null; }
post_kafka() { :; }
wipe_kafka() {
  local dir
  dir="$(store_dir kafka)"
  # keep the downloaded jars
  rm -rf "$dir/data" "$dir/cluster.id" "$dir"/*.log "$dir"/*.log.1 "$dir/server.properties" "$dir/log4j2.xml"
}

kafka_write_config() {
  local dir="$1"
  cat >"$dir/server.properties" <<EOF
# Written by infra/local/up on every start: edits here are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
log.retention.hours=72
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
# After a SIGKILL the restarted broker must wait until its previous registration's session expires
# (DuplicateBrokerRegistrationException): keep that short (defaults 2000/9000 ms made that ~12 s; 4 s gives ~6 s).
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
  cat >"$dir/log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by infra/local/up: the broker logs to stdout, which up redirects to kafka.log. -->
<Configuration status="WARN">
  <Appenders>
    <Console name="STDOUT" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="STDOUT"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

start_kafka() {
  local dir cid
  dir="$(store_dir kafka)"
  require_free_ports kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  kafka_libs_current || kafka_fetch_libs || return 1
  kafka_write_config "$dir"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    # Format once; the cluster id is kept so the storage is never re-formatted.
    if [[ ! -s "$dir/cluster.id" ]]; then
      head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$dir/cluster.id"
    fi
    cid="$(cat "$dir/cluster.id")"
    info "kafka: first run, formatting KRaft storage (cluster id $cid)"
    mkdir -p "$dir/data"
    kafka_java kafka.tools.StorageTool format -t "$cid" -c "$dir/server.properties" --ignore-formatted \
      >"$dir/format.log" 2>&1 9>&- || return 1
  fi
  spawn "$dir/kafka.pid" "$dir/kafka.log" "$(java_bin)" "-Xms256m" "-Xmx$KAFKA_HEAP" -XX:+UseG1GC \
    -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true "-Dlog4j2.configurationFile=$dir/log4j2.xml" \
    -cp "$dir/lib/*" kafka.Kafka "$dir/server.properties"
}
