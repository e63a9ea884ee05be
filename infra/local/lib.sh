# shellcheck shell=bash
# Common functions of the local (no-Docker) server stack: infra/local/{up,down,status,kill,pause,resume,reset}.
# Sourced, never run. The callers set `set -euo pipefail`.
#
# Layout: the stack directory (SUHO_ROOT) holds each store's data, config, pid and log files in <store>/:
#   SUHO_LOCAL_DIR when set; else, run as root, /var/lib/suho-local (SUHO_LOCAL_SYSTEM_DIR) with ~/.suho/local a
#   symbolic link to it (tests and tools read ~/.suho/local/secret); else ~/.suho/local.
# Run as root, no server runs as root: PostgreSQL runs as the `postgres` OS user (initdb refuses root), every other
# server as the unprivileged system user `suho` (SUHO_LOCAL_USER; created by `up`, no login shell, no home), and each
# store's directory belongs to that user with mode 0700. Nothing outside the stack directory changes permissions:
# that is why root's stack lives outside root's 0700 home.
# Stable names used outside this file (infra/local/run sources lib.sh): SUHO_LOCAL_SCRIPTS, SUHO_ROOT, PG_PORT,
# PG_DB, PG_SECRET, REDIS_PORT, REDIS_SECRET, CH_HTTP_PORT, CH_SECRET, NATS_PORT, NATS_MONITOR_PORT, KAFKA_PORT, info, die.
# Every server runs as its own session leader (setsid), so `kill`/`pause` act on the whole server
# (e.g. the postmaster and all its backends), as a container runtime would.

SUHO_LOCAL_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUHO_SYSTEM_DIR="${SUHO_LOCAL_SYSTEM_DIR:-/var/lib/suho-local}"
# Where a root stack lived before it moved to SUHO_SYSTEM_DIR; afterwards a symbolic link to it.
SUHO_HOME_DIR="${HOME:-/root}/.suho/local"
if [[ -n "${SUHO_LOCAL_DIR:-}" ]]; then
  SUHO_ROOT="$SUHO_LOCAL_DIR"
elif [[ $EUID -ne 0 ]]; then
  SUHO_ROOT="$SUHO_HOME_DIR"
elif [[ -d "$SUHO_HOME_DIR" && ! -L "$SUHO_HOME_DIR" ]]; then
  # A root stack from before the move, still running from root's home: every script keeps acting on it until
  # `up` (or `reset`) moves it (migrate_home_stack).
  SUHO_ROOT="$SUHO_HOME_DIR"
else
  SUHO_ROOT="$SUHO_SYSTEM_DIR"
fi
# The OS user of every server but PostgreSQL when the scripts run as root (empty otherwise: servers run as the caller).
SUHO_USER=""
if [[ $EUID -eq 0 ]]; then SUHO_USER="${SUHO_LOCAL_USER:-suho}"; fi

# The five default stores, in start order; postgres-replica only when asked for by name.
DEFAULT_STORES=(postgres redis nats clickhouse kafka)
KNOWN_STORES=(postgres postgres-replica redis nats clickhouse kafka zipkin)

PG_PORT="${SUHO_LOCAL_PG_PORT:-5432}"
PG_REPLICA_PORT="${SUHO_LOCAL_PG_REPLICA_PORT:-5433}"
REDIS_PORT="${SUHO_LOCAL_REDIS_PORT:-6379}"
NATS_PORT="${SUHO_LOCAL_NATS_PORT:-4222}"
NATS_MONITOR_PORT="${SUHO_LOCAL_NATS_MONITOR_PORT:-8222}"
CH_HTTP_PORT="${SUHO_LOCAL_CH_HTTP_PORT:-8123}"
CH_TCP_PORT="${SUHO_LOCAL_CH_TCP_PORT:-9000}"
KAFKA_PORT="${SUHO_LOCAL_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${SUHO_LOCAL_KAFKA_CONTROLLER_PORT:-9093}"
ZIPKIN_PORT="${SUHO_LOCAL_ZIPKIN_PORT:-9411}"

for _port in "$PG_PORT" "$PG_REPLICA_PORT" "$REDIS_PORT" "$NATS_PORT" "$NATS_MONITOR_PORT" "$CH_HTTP_PORT" \
  "$CH_TCP_PORT" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$ZIPKIN_PORT"; do
  if ! [[ "$_port" =~ ^[0-9]+$ ]] || ((_port < 1 || _port > 65535)); then
    printf '[suho-local] ERROR: invalid port %s in a SUHO_LOCAL_*_PORT variable\n' "$_port" >&2
    exit 2
  fi
done
unset _port

# The stack's credential: a random value generated once into $SUHO_ROOT/secret (mode 0600, readable by the user who
# runs the stack only), so another local user cannot log in to PostgreSQL, Redis or ClickHouse. Tests and tools read
# the same file (suho-test-support's LocalStack does); SUHO_LOCAL_{PG,REDIS,CH}_PASSWORD override it per store.
# Bump AUTH_VERSION when the way the stores authenticate changes: `up` restarts a running store whose marker differs.
AUTH_VERSION=2
stack_secret() {
  local f="$SUHO_ROOT/secret"
  if [[ ! -s "$f" ]]; then
    mkdir -p "$SUHO_ROOT"
    (
      umask 077
      tmp="$(mktemp "$SUHO_ROOT/.secret.XXXXXX")"
      head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp"
      mv -n "$tmp" "$f" 2>/dev/null || true
      rm -f "$tmp"
    )
  fi
  tr -d '\n' <"$f"
}
LOCAL_DEV_CREDENTIAL="$(stack_secret)"
PG_SECRET="${SUHO_LOCAL_PG_PASSWORD:-$LOCAL_DEV_CREDENTIAL}"
REDIS_SECRET="${SUHO_LOCAL_REDIS_PASSWORD:-$LOCAL_DEV_CREDENTIAL}"
CH_SECRET="${SUHO_LOCAL_CH_PASSWORD:-$LOCAL_DEV_CREDENTIAL}"

PG_DB="suho_trading"
CH_DB="suho_analytics"
PG_VERSION_MAJOR=15
PG_BIN="${SUHO_LOCAL_PG_BIN:-/usr/lib/postgresql/${PG_VERSION_MAJOR}/bin}"
KAFKA_VERSION="4.4.0"
KAFKA_HEAP="${SUHO_LOCAL_KAFKA_HEAP:-512m}"

# Seconds to wait for a store to become ready / to exit after a graceful stop request.
START_TIMEOUT_OVERRIDE="${SUHO_LOCAL_START_TIMEOUT:-}"
STOP_TIMEOUT="${SUHO_LOCAL_STOP_TIMEOUT:-20}"

# ---------------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------------

info() { printf '[suho-local] %s\n' "$*" >&2; }
warn() { printf '[suho-local] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[suho-local] ERROR: %s\n' "$*" >&2
  exit 1
}

# store_fn STORE OP -> name of the shell function implementing OP for STORE (postgres-replica -> replica).
store_fn() {
  local s="$1" op="$2"
  case "$s" in
    postgres-replica) s=replica ;;
  esac
  printf '%s_%s' "$op" "$s"
}

is_known_store() {
  local s="$1" k
  for k in "${KNOWN_STORES[@]}"; do [[ "$k" == "$s" ]] && return 0; done
  return 1
}

# parse_stores DEFAULT_KIND ARGS... -> prints the stores (one per line), validated.
# DEFAULT_KIND: "default" (the five), "all" (the five + replica) when no args are given.
parse_stores() {
  local kind="$1"
  shift
  if [[ $# -eq 0 ]]; then
    if [[ "$kind" == all ]]; then printf '%s\n' "${KNOWN_STORES[@]}"; else printf '%s\n' "${DEFAULT_STORES[@]}"; fi
    return 0
  fi
  local s
  for s in "$@"; do
    case "$s" in
      all)
        printf '%s\n' "${KNOWN_STORES[@]}"
        continue
        ;;
      pg) s=postgres ;;
      replica | pg-replica) s=postgres-replica ;;
      ch) s=clickhouse ;;
    esac
    is_known_store "$s" || die "unknown store '$s' (known: ${KNOWN_STORES[*]})"
    printf '%s\n' "$s"
  done
}

store_dir() { printf '%s/%s' "$SUHO_ROOT" "$1"; }

start_timeout() {
  local s="$1"
  if [[ -n "$START_TIMEOUT_OVERRIDE" ]]; then
    printf '%s' "$START_TIMEOUT_OVERRIDE"
    return
  fi
  case "$s" in
    postgres) printf 60 ;;
    postgres-replica) printf 180 ;;
    redis | nats) printf 30 ;;
    clickhouse) printf 90 ;;
    kafka) printf 120 ;;
    zipkin) printf 90 ;;
  esac
}

# ---------------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------------

# proc_state PID -> one-letter process state (R, S, T, Z, ...), fails when there is no such process.
proc_state() {
  local pid="$1" stat
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  printf '%s' "${stat%% *}"
}

# proc_alive PID PATTERN -> true when PID runs (not a zombie) and its command line contains PATTERN.
proc_alive() {
  local pid="$1" pattern="$2" st cmd
  st="$(proc_state "$pid")" || return 1
  [[ "$st" != Z && "$st" != X ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$pattern"* ]]
}

proc_paused() {
  local st
  st="$(proc_state "$1")" || return 1
  [[ "$st" == T || "$st" == t ]]
}

# signal_server SIGNAL PID -> signal the server's whole process group when it leads one, else PID only.
signal_server() {
  local sig="$1" pid="$2" pgid
  pgid="$(awk '{ sub(/^.*\) /, ""); print $3 }' "/proc/$pid/stat" 2>/dev/null || true)"
  if [[ "$pgid" == "$pid" ]]; then
    kill -s "$sig" -- "-$pid" 2>/dev/null || kill -s "$sig" "$pid" 2>/dev/null || true
  else
    kill -s "$sig" "$pid" 2>/dev/null || true
  fi
  # PostgreSQL backends call setsid(), so they are not in the postmaster's group: signal the direct children too,
  # or a "paused" server keeps answering on its open connections.
  local child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    kill -s "$sig" "$child" 2>/dev/null || true
  done
}

# wait_exit PID SECONDS -> true when PID is gone (or a zombie not yet reaped by PID 1) within SECONDS.
wait_exit() {
  local pid="$1" secs="$2" end st
  end=$((SECONDS + secs))
  while :; do
    st="$(proc_state "$pid")" || return 0
    [[ "$st" == Z || "$st" == X ]] && return 0
    ((SECONDS < end)) || return 1
    sleep 0.05
  done
}

# spawn PIDFILE LOGFILE CMD... -> start CMD as a session leader in the background, record its pid. Run as root, CMD
# runs as SUHO_USER (setpriv execs in place, no privileges kept or gained) in the store's directory (that of
# PIDFILE), which is handed to that user first. fd 9 (the stack lock) is closed for the child, stdin/out/err never
# point at the caller's pipes.
spawn() {
  local pidfile="$1" logfile="$2" dir
  shift 2
  dir="$(dirname "$pidfile")"
  rotate_log "$logfile"
  own_store_dir "$dir" || return 1
  (
    close_extra_fds
    cd "$dir" || exit 1
    if [[ -n "$SUHO_USER" ]]; then
      export HOME="$dir" USER="$SUHO_USER" LOGNAME="$SUHO_USER"
      # no job control here, so setsid, setpriv and the server exec in place: $! is the server's own pid
      exec setsid setpriv --reuid="$SUHO_USER" --regid="$SUHO_USER" --init-groups --no-new-privs -- "$@" \
        </dev/null >>"$logfile" 2>&1
    fi
    exec setsid "$@" </dev/null >>"$logfile" 2>&1
  ) &
  printf '%s\n' "$!" >"$pidfile"
}

# ---------------------------------------------------------------------------------------------------
# The servers' OS users (root only)
# ---------------------------------------------------------------------------------------------------

# ensure_stack_user -> the system user SUHO_USER exists: its own group, no login shell, no home directory.
ensure_stack_user() {
  [[ -n "$SUHO_USER" ]] || return 0
  id -u "$SUHO_USER" >/dev/null 2>&1 && return 0
  info "creating the system user $SUHO_USER (no login shell, no home directory) that runs the stack's servers"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
    --comment "suho local stack servers" "$SUHO_USER" 2>/dev/null || id -u "$SUHO_USER" >/dev/null 2>&1 ||
    die "could not create the system user $SUHO_USER (useradd failed); create it or set SUHO_LOCAL_USER"
}

# store_user STORE -> the OS user the store's server runs as: postgres for PostgreSQL (as root), SUHO_USER for the
# others (as root), the caller otherwise.
store_user() {
  if [[ $EUID -ne 0 ]]; then
    id -un
  elif [[ "$1" == postgres || "$1" == postgres-replica ]]; then
    printf postgres
  else
    printf '%s' "$SUHO_USER"
  fi
}

# proc_uid PID -> the real user id of the process.
proc_uid() { awk '/^Uid:/ { print $2; exit }' "/proc/$1/status" 2>/dev/null; }

# user_current STORE -> true when the store's running server runs as the user it should (store_user): a stack
# started as root by older scripts is restarted as that user once by `up`.
user_current() {
  local pid uid
  pid="$(store_pid "$1")" || return 0
  uid="$(id -u "$(store_user "$1")" 2>/dev/null)" || return 1
  [[ "$(proc_uid "$pid")" == "$uid" ]]
}

# own_store_dir DIR -> run as root: DIR and everything in it belongs to SUHO_USER, DIR has mode 0700. Other runs:
# DIR has mode 0700.
own_store_dir() {
  local dir="$1"
  mkdir -p "$dir"
  if [[ -n "$SUHO_USER" ]]; then
    find "$dir" \( ! -user "$SUHO_USER" -o ! -group "$SUHO_USER" \) -exec chown -h "$SUHO_USER:$SUHO_USER" {} + ||
      return 1
  fi
  chmod 700 "$dir"
}

# user_reaches USER DIR -> true when USER can search DIR and all its ancestors.
user_reaches() { setpriv --reuid="$1" --regid="$1" --init-groups -- test -x "$2" 2>/dev/null; }

# require_reachable USER DIR -> fail naming the blocking directory when USER cannot reach DIR. The scripts never
# widen permissions outside the stack directory (e.g. root's 0700 home) to fix that.
require_reachable() {
  local user="$1" dir="$2" p path="" parts=()
  user_reaches "$user" "$dir" && return 0
  IFS='/' read -r -a parts <<<"${dir#/}"
  for p in "${parts[@]}"; do
    path="$path/$p"
    user_reaches "$user" "$path" || break
  done
  die "the OS user $user cannot reach $dir ($path is not searchable for it; infra/local does not change permissions" \
    "outside the stack directory): set SUHO_LOCAL_DIR to a directory outside root's home, or unset it to use" \
    "$SUHO_SYSTEM_DIR"
}

# prepare_stack -> run before starting stores (up, reset). Run as root: the servers' user exists, root's stack moved
# out of root's home (see migrate_home_stack), the stack directory is 0711 (its users reach their store
# directories, nobody lists it), ~/.suho/local points at it.
prepare_stack() {
  mkdir -p "$SUHO_ROOT"
  [[ $EUID -eq 0 ]] || return 0
  ensure_stack_user
  chmod 711 "$SUHO_ROOT"
  require_reachable "$SUHO_USER" "$SUHO_ROOT"
  if id -u postgres >/dev/null 2>&1; then require_reachable postgres "$SUHO_ROOT"; fi
  if [[ -z "${SUHO_LOCAL_DIR:-}" && "$SUHO_ROOT" == "$SUHO_SYSTEM_DIR" ]]; then
    if [[ ! -e "$SUHO_HOME_DIR" && ! -L "$SUHO_HOME_DIR" ]]; then
      mkdir -p "$(dirname "$SUHO_HOME_DIR")"
      ln -s "$SUHO_SYSTEM_DIR" "$SUHO_HOME_DIR"
    elif [[ "$(readlink -f "$SUHO_HOME_DIR")" != "$(readlink -f "$SUHO_SYSTEM_DIR")" ]]; then
      warn "$SUHO_HOME_DIR does not point at the stack directory $SUHO_SYSTEM_DIR; tools reading it see another stack"
    fi
  fi
}

# migrate_home_stack -> run as root without SUHO_LOCAL_DIR, with the stack still in root's home (older scripts kept it
# there and ran Redis, NATS, ClickHouse, Kafka as root): stop its servers, move the directory to SUHO_SYSTEM_DIR
# (data kept), leave ~/.suho/local as a link to it and drop the ACL entry older scripts gave the postgres user on
# root's home. True when it moved the stack (the caller then starts over: exec the script again); MIGRATED_STORES
# lists the stores that were running (to start again).
MIGRATED_STORES=()
migrate_home_stack() {
  [[ $EUID -eq 0 && -z "${SUHO_LOCAL_DIR:-}" && "$SUHO_ROOT" == "$SUHO_HOME_DIR" ]] || return 1
  if [[ -e "$SUHO_SYSTEM_DIR" ]] && [[ -n "$(ls -A "$SUHO_SYSTEM_DIR" 2>/dev/null)" ]]; then
    die "both $SUHO_HOME_DIR (a stack from older scripts) and $SUHO_SYSTEM_DIR exist: keep one (move or delete the" \
      "other), or choose one with SUHO_LOCAL_DIR"
  fi
  with_lock
  if [[ -L "$SUHO_HOME_DIR" ]]; then
    # another up/reset moved it while this one waited for the lock: start over from the new place
    exec 9>&-
    return 0
  fi
  local s
  MIGRATED_STORES=()
  for s in "${KNOWN_STORES[@]}"; do
    if store_pid "$s" >/dev/null; then MIGRATED_STORES+=("$s"); fi
  done
  info "moving the stack from $SUHO_HOME_DIR to $SUHO_SYSTEM_DIR, so that its servers run as the unprivileged user" \
    "$SUHO_USER without any permission on root's home: every store restarts once, data kept"
  run_parallel ensure_down "${KNOWN_STORES[@]}" || die "could not stop the stack in $SUHO_HOME_DIR"
  mkdir -p "$(dirname "$SUHO_SYSTEM_DIR")"
  rmdir "$SUHO_SYSTEM_DIR" 2>/dev/null || true
  mv -T "$SUHO_HOME_DIR" "$SUHO_SYSTEM_DIR" || die "could not move $SUHO_HOME_DIR to $SUHO_SYSTEM_DIR"
  ln -s "$SUHO_SYSTEM_DIR" "$SUHO_HOME_DIR"
  local d
  for d in "${HOME:-/root}" "${HOME:-/root}/.suho"; do
    if command -v getfacl >/dev/null 2>&1 && getfacl -cp "$d" 2>/dev/null | grep -qx 'user:postgres:--x'; then
      setfacl -x u:postgres "$d" && info "removed the postgres user's ACL entry on $d (older infra/local set it)"
      # nothing else extended left (only the mask): back to plain mode bits
      if ! getfacl -cp "$d" 2>/dev/null | grep -q '^\(user\|group\):[^:]'; then setfacl -b "$d"; fi
    fi
  done
  info "stack moved to $SUHO_SYSTEM_DIR ($SUHO_HOME_DIR links to it)"
  # the lock (its file moved with the directory) is held until the link exists: a concurrent up sees the move done
  exec 9>&-
  return 0
}

# close_extra_fds -> close every fd above 2 of the current (sub)shell, so that a server never holds the
# stack lock or a pipe of whoever ran `up` (a caller reading our output would otherwise never see EOF).
close_extra_fds() {
  local f fd
  for f in /proc/"$BASHPID"/fd/*; do
    fd="${f##*/}"
    if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then
      eval "exec $fd>&-" 2>/dev/null || true
    fi
  done
}

rotate_log() {
  local f="$1"
  if [[ -s "$f" ]]; then mv -f "$f" "$f.1"; fi
  : >"$f"
}

# read_pidfile FILE PATTERN -> prints the pid when alive; removes a stale pid file.
read_pidfile() {
  local f="$1" pattern="$2" pid
  [[ -f "$f" ]] || return 1
  pid="$(head -n1 "$f" 2>/dev/null | tr -dc '0-9')"
  if [[ -n "$pid" ]] && proc_alive "$pid" "$pattern"; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$f"
  return 1
}

# port_open PORT -> true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  # shellcheck disable=SC2016 # $1 expands in the inner shell
  timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# port_holder PORT -> a description of the listening process (best effort).
port_holder() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1
  fi
}

# require_free_ports STORE PORT... -> fail naming the holder when one of the ports is taken.
require_free_ports() {
  local s="$1" p
  shift
  for p in "$@"; do
    if port_open "$p"; then
      die "$s: port $p is already in use by another process ($(port_holder "$p")); stop it or set the SUHO_LOCAL_*_PORT variable"
    fi
  done
}

# wait_ready STORE PID SECONDS -> poll the store's readiness probe until it answers, the deadline passes
# or the process exits.
wait_ready() {
  local s="$1" pid="$2" secs="$3" end probe pattern
  probe="$(store_fn "$s" probe)"
  pattern="$("$(store_fn "$s" pattern)")"
  end=$((SECONDS + secs))
  while :; do
    "$probe" && return 0
    if ! proc_alive "$pid" "$pattern"; then
      printf '[suho-local] ERROR: %s: the server process (pid %s) exited during start-up\n' "$s" "$pid" >&2
      return 1
    fi
    if ((SECONDS >= end)); then
      printf '[suho-local] ERROR: %s: not ready within %ss\n' "$s" "$secs" >&2
      return 1
    fi
    sleep 0.2
  done
}

# show_logs STORE -> print the last ~30 lines of each of the store's log files to stderr.
show_logs() {
  local s="$1" f
  while IFS= read -r f; do
    [[ -s "$f" ]] || continue
    printf '[suho-local] ---- %s: last 30 lines of %s ----\n' "$s" "$f" >&2
    tail -n 30 "$f" >&2 || true
  done < <("$(store_fn "$s" logs)")
}

# as_pg CMD... -> run CMD as the postgres OS user (initdb and the server refuse root).
as_pg() {
  (
    close_extra_fds
    cd /
    if [[ $EUID -eq 0 ]]; then exec runuser -u postgres -- "$@"; else exec "$@"; fi
  )
}

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo -n "$@"; fi
}

find_bin() {
  local name="$1" d
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return 0
  fi
  for d in /usr/sbin /usr/bin /sbin /usr/local/bin; do
    if [[ -x "$d/$name" ]]; then
      printf '%s' "$d/$name"
      return 0
    fi
  done
  return 1
}

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then printf '%s' "$JAVA_HOME/bin/java"; else find_bin java; fi
}

# sed_repl TEXT -> TEXT escaped for the replacement side of a `s|...|...|` sed expression.
sed_repl() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

# ---------------------------------------------------------------------------------------------------
# Installation
# ---------------------------------------------------------------------------------------------------

APT_LOG="$SUHO_ROOT/install.log"

# apt_install PKG... -> apt-get update + install, without letting the packages start their services.
apt_install() {
  [[ $# -gt 0 ]] || return 0
  info "installing Debian packages: $*"
  local made_policy=0 rc=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # Keep maintainer scripts from starting redis-server/postgresql on their default ports.
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
        --no-install-recommends "$@"
  } >>"$APT_LOG" 2>&1 || rc=$?
  if [[ $made_policy -eq 1 ]]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  if [[ $rc -ne 0 ]]; then
    tail -n 30 "$APT_LOG" >&2
    die "apt-get install $* failed (full log: $APT_LOG)"
  fi
  disable_system_services "$@"
}

# Debian's packages enable system services on the default ports (redis-server on 6379 without our
# password, the postgresql "15/main" cluster on 5432): stop and disable them, our own instances own the ports.
# disable_system_services PKG... (only the services of these packages)
disable_system_services() {
  local svc pkg
  for pkg in "$@"; do
    case "$pkg" in
      redis-server | clickhouse-server | nats-server) svc="$pkg" ;;
      postgresql*) svc=postgresql ;;
      *) continue ;;
    esac
    [[ -e "/lib/systemd/system/$svc.service" || -e "/etc/init.d/$svc" ]] || continue
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
      as_root systemctl disable --now "$svc" >/dev/null 2>&1 || true
    else
      if [[ -x "/etc/init.d/$svc" ]]; then as_root "/etc/init.d/$svc" stop >/dev/null 2>&1 || true; fi
      if command -v update-rc.d >/dev/null 2>&1; then as_root update-rc.d "$svc" disable >/dev/null 2>&1 || true; fi
    fi
  done
}

# install_missing STORE... -> apt packages for what is missing (one apt run), Kafka jars via Maven
# (in parallel with apt when Maven is already there).
install_missing() {
  local s pkgs=() need_kafka=0 kafka_job=""
  for s in "$@"; do
    # shellcheck disable=SC2207
    pkgs+=($("$(store_fn "$s" pkgs)"))
    [[ "$s" == kafka ]] && need_kafka=1
  done
  find_bin curl >/dev/null || pkgs+=(curl)
  if [[ $need_kafka -eq 1 ]]; then
    java_bin >/dev/null || pkgs+=(openjdk-17-jre-headless)
    find_bin mvn >/dev/null || pkgs+=(maven)
  fi
  if [[ ${#pkgs[@]} -gt 0 ]]; then
    # shellcheck disable=SC2207
    pkgs=($(printf '%s\n' "${pkgs[@]}" | sort -u))
  fi
  if [[ $need_kafka -eq 1 ]] && ! kafka_libs_current && find_bin mvn >/dev/null; then
    kafka_fetch_libs &
    kafka_job=$!
  fi
  apt_install "${pkgs[@]}"
  if [[ -n "$kafka_job" ]]; then
    wait "$kafka_job" || die "kafka: fetching the broker jars with Maven failed"
  elif [[ $need_kafka -eq 1 ]] && ! kafka_libs_current; then
    kafka_fetch_libs || die "kafka: fetching the broker jars with Maven failed"
  fi
}

# ---------------------------------------------------------------------------------------------------
# Generic store life cycle
# ---------------------------------------------------------------------------------------------------

# store_pid STORE -> prints the pid of the store's running server (cleans a stale pid file).
store_pid() { "$(store_fn "$1" pid)"; }

store_paused() {
  local pid
  pid="$(store_pid "$1")" || return 1
  proc_paused "$pid"
}

# ensure_up STORE -> start the store unless it runs; wait for real readiness; fail with its logs.
ensure_up() {
  local s="$1" pid secs t0=$SECONDS
  secs="$(start_timeout "$s")"
  if pid="$(store_pid "$s")"; then
    if proc_paused "$pid"; then
      info "$s: was paused (SIGSTOP), resuming it"
      signal_server CONT "$pid"
    fi
    if ! user_current "$s"; then
      info "$s: running as uid $(proc_uid "$pid"), not as the OS user $(store_user "$s"); restarting it as that user"
      ensure_down "$s"
    elif ! auth_current "$s"; then
      info "$s: running with the stack's previous authentication settings; restarting it to apply the current ones"
      ensure_down "$s"
    elif "$(store_fn "$s" healthy)"; then
      return 0
    fi
  fi
  if pid="$(store_pid "$s")"; then
    if [[ "$s" == postgres-replica ]] && probe_replica; then
      info "$s: running (pid $pid) but no longer a standby of the primary (promoted?): re-creating it"
    elif pid="$(store_pid "$s")"; then
      info "$s: running (pid $pid) but not ready yet, waiting up to ${secs}s"
      if wait_ready "$s" "$pid" "$secs" && "$(store_fn "$s" healthy)"; then
        return 0
      fi
      # The replica rebuilds itself when it is promoted or detached from the primary.
      if [[ "$s" != postgres-replica ]]; then
        show_logs "$s"
        printf '[suho-local] ERROR: %s is running (pid %s) but does not answer; try: infra/local/down %s\n' \
          "$s" "$pid" "$s" >&2
        return 1
      fi
    fi
  fi
  mkdir -p "$(store_dir "$s")"
  if ! "$(store_fn "$s" start)"; then
    show_logs "$s"
    printf '[suho-local] ERROR: %s failed to start\n' "$s" >&2
    return 1
  fi
  if ! pid="$(store_pid "$s")"; then
    show_logs "$s"
    printf '[suho-local] ERROR: %s: the server process exited right after start\n' "$s" >&2
    return 1
  fi
  if ! wait_ready "$s" "$pid" "$secs"; then
    show_logs "$s"
    printf '[suho-local] ERROR: %s did not come up\n' "$s" >&2
    return 1
  fi
  if ! "$(store_fn "$s" post)"; then
    show_logs "$s"
    printf '[suho-local] ERROR: %s: post-start setup failed\n' "$s" >&2
    return 1
  fi
  printf '%s\n' "$AUTH_VERSION" >"$(store_dir "$s")/.auth-version"
  info "$s: ready in $((SECONDS - t0))s (pid $pid)"
}

# auth_current STORE -> true when the running store was started with the current authentication settings (stores
# without credentials always are).
auth_current() {
  case "$1" in
    postgres | postgres-replica | redis | clickhouse)
      [[ "$(cat "$(store_dir "$1")/.auth-version" 2>/dev/null)" == "$AUTH_VERSION" ]]
      ;;
    *) return 0 ;;
  esac
}

# ensure_down STORE -> graceful stop with a deadline, SIGKILL after.
ensure_down() {
  local s="$1" pid
  pid="$(store_pid "$s")" || return 0
  # A paused (SIGSTOPped) server would never act on SIGTERM.
  signal_server CONT "$pid"
  "$(store_fn "$s" stop)" "$pid" || true
  if ! wait_exit "$pid" "$STOP_TIMEOUT"; then
    warn "$s: pid $pid did not exit within ${STOP_TIMEOUT}s, sending SIGKILL"
    signal_server KILL "$pid"
    wait_exit "$pid" 10 || die "$s: pid $pid survived SIGKILL"
  fi
  store_pid "$s" >/dev/null || true # cleans the pid file
  info "$s: stopped"
}

# store_state STORE -> UP, DOWN, PAUSED or UNHEALTHY (running but not answering).
store_state() {
  local s="$1" pid
  if ! pid="$(store_pid "$s")"; then
    printf DOWN
  elif proc_paused "$pid"; then
    printf PAUSED
  elif "$(store_fn "$s" probe)"; then
    printf UP
  else
    printf UNHEALTHY
  fi
}

# print_table WITH_PID STORE... -> the endpoint table (stdout).
print_table() {
  local with_pid="$1" s state pid ep
  shift
  if [[ "$with_pid" == 1 ]]; then printf '%-17s %-9s %-8s %s\n' STORE STATE PID ENDPOINT; fi
  for s in "$@"; do
    state="$(store_state "$s")"
    pid="$(store_pid "$s" || printf -- -)"
    ep="$("$(store_fn "$s" endpoint)")"
    if [[ "$s" == postgres-replica && "$state" == UP ]]; then
      if healthy_replica; then ep="$ep  (standby of :$PG_PORT)"; else ep="$ep  (NOT a standby: promoted?)"; fi
    fi
    if [[ "$with_pid" == 1 ]]; then
      printf '%-17s %-9s %-8s %s\n' "$s" "$state" "$pid" "$ep"
    else
      printf '%-17s %-9s %s\n' "$s" "$state" "$ep"
    fi
  done
}

# with_lock -> serialise up/down/reset of concurrent callers (fd 9; closed for every spawned server).
with_lock() {
  mkdir -p "$SUHO_ROOT"
  exec 9>"$SUHO_ROOT/.lock"
  if ! flock -w 600 9; then die "another infra/local command holds $SUHO_ROOT/.lock"; fi
}

# run_parallel CMD STORE... -> run `CMD STORE` for each store in parallel and wait for all; fails when one
# failed. postgres-replica is chained after postgres for ensure_up (it needs the primary), before it for
# ensure_down (stop the standby first).
run_parallel() {
  local cmd="$1" s has_pg=0 has_replica=0 rc=0 pid
  shift
  local job_pids=()
  for s in "$@"; do
    [[ "$s" == postgres ]] && has_pg=1
    [[ "$s" == postgres-replica ]] && has_replica=1
  done
  for s in "$@"; do
    if [[ "$s" == postgres-replica && $has_pg -eq 1 ]]; then
      continue
    elif [[ "$s" == postgres && $has_replica -eq 1 ]]; then
      if [[ "$cmd" == ensure_down ]]; then
        (ensure_down postgres-replica && ensure_down postgres) &
      else
        ("$cmd" postgres && "$cmd" postgres-replica) &
      fi
    else
      ("$cmd" "$s") &
    fi
    job_pids+=($!)
  done
  for pid in "${job_pids[@]}"; do
    wait "$pid" || rc=1
  done
  return $rc
}

# shellcheck source=stores.sh
. "$SUHO_LOCAL_SCRIPTS/stores.sh"
# shellcheck source=zipkin.sh
. "$SUHO_LOCAL_SCRIPTS/zipkin.sh"
