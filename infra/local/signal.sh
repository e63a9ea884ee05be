# shellcheck shell=bash
# Shared by kill/pause/resume: send SIGNAL to each named store's server (its whole process group).
signal_stores() {
  local sig="$1" verb="$2" list s pid stores=()
  shift 2
  [[ $# -gt 0 ]] || die "usage: infra/local/$verb STORE... (${KNOWN_STORES[*]}, or all)"
  list="$(parse_stores all "$@")"
  mapfile -t stores < <(awk '!seen[$0]++' <<<"$list")
  for s in "${stores[@]}"; do
    if ! pid="$(store_pid "$s")"; then
      info "$s: not running"
      continue
    fi
    signal_server "$sig" "$pid"
    if [[ "$sig" == KILL ]]; then
      wait_exit "$pid" 10 || die "$s: pid $pid survived SIGKILL"
    fi
    info "$s: $verb (SIG$sig to pid $pid)"
  done
}
