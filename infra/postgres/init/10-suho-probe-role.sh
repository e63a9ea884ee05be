#!/bin/sh
# Runs once, when the PostgreSQL volume is initialised (docker-entrypoint-initdb.d): the hub's probe logs in as
# suho_probe, which can connect and run SELECT 1 and nothing else — not the superuser the services' data belongs
# to. The password comes from the environment (POSTGRES_PROBE_PASSWORD), never from a file in the image.
# An existing volume does not run this: apply the same statements by hand (see docs/security.md).
set -eu
psql -v ON_ERROR_STOP=1 -v pw="$POSTGRES_PROBE_PASSWORD" -v db="$POSTGRES_DB" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE suho_probe LOGIN PASSWORD :'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION
  CONNECTION LIMIT 4;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO suho_probe;
SQL
