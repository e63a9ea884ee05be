// Runs once, when the ArangoDB volume is initialised (docker-entrypoint-initdb.d, arangosh against the init server):
// the hub's probe and the compose health check log in as suho_probe, which may read the _system database (what
// GET /_api/version needs: read access to the database it is sent to) and nothing else — no application database,
// no write, no administration. The password comes from the environment (ARANGO_PROBE_PASSWORD), never from a file.
// An existing volume does not run this: apply the same calls once in arangosh as root (see docs/security.md).
'use strict';
const users = require('@arangodb/users');
const password = require('internal').env.ARANGO_PROBE_PASSWORD;
if (!password) {
  throw new Error('ARANGO_PROBE_PASSWORD is not set (infra/.env)');
}
if (users.exists('suho_probe')) {
  users.update('suho_probe', password, true);
} else {
  users.save('suho_probe', password, true);
}
users.grantDatabase('suho_probe', '_system', 'ro');
