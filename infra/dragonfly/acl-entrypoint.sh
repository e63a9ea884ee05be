#!/bin/sh
# Dragonfly's entry point in infra/docker-compose.yml, run as the image's unprivileged dfly user before the image's
# own entrypoint.sh. Writes the ACL file Dragonfly loads (--aclfile): the default user with the admin password
# (DFLY_requirepass, as Dragonfly's requirepass would) and suho_probe (DRAGONFLY_PROBE_PASSWORD), which may run PING
# and INFO and nothing else: no key, no channel, no other command. The hub's Redis probe and the compose health
# check log in as suho_probe. Passwords come from the environment and are written as SHA-256 hashes (the file format
# Redis and Dragonfly share) into the container's own /tmp (mode 0600), never onto a command line or the volume.
# Keeping the default user in the file matters: an `ACL LOAD` of a file without it would reset default to no password.
set -eu
: "${DFLY_requirepass:?set DRAGONFLY_PASSWORD in infra/.env}"
: "${DRAGONFLY_PROBE_PASSWORD:?set DRAGONFLY_PROBE_PASSWORD in infra/.env}"
acl="${SUHO_ACL_FILE:-/tmp/suho-users.acl}"
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
umask 077
{
  printf 'user default ON #%s ~* &* +@ALL\n' "$(sha256 "$DFLY_requirepass")"
  printf 'user suho_probe ON #%s RESETKEYS RESETCHANNELS -@ALL +PING +INFO\n' "$(sha256 "$DRAGONFLY_PROBE_PASSWORD")"
} >"$acl.tmp"
mv -f "$acl.tmp" "$acl"
exec "${SUHO_NEXT_ENTRYPOINT:-/usr/local/bin/entrypoint.sh}" "$@"
