import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../src/core/database/embedded-postgres';
import { migrateDatabase } from '../src/core/database/migrator';
import { createRootLogger } from '../src/core/logging/logger';
import { freePort } from './support/free-port';
import { databaseUrl, TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV } from './support/test-server';

declare global {
  var __integrixsEmbedded: EmbeddedDatabase | undefined;
}

/**
 * Once per `npm test`: find a PostgreSQL server (DATABASE_URL, or an embedded one in a temp
 * dir), create one migrated template database, and hand both to the workers. Each test file
 * then clones the template (CREATE DATABASE … TEMPLATE) so files run in parallel, isolated.
 */
export default async function globalSetup(): Promise<void> {
  // Several Jest projects (api, web-e2e) share this setup: the first one to run does the work.
  if (process.env[TEST_TEMPLATE_ENV]) return;
  let serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-test-'));
    chmodSync(dataDir, 0o755); // as root, the server runs as the postgres user
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      logger: createRootLogger('warn'),
      database: 'postgres',
    });
    globalThis.__integrixsEmbedded = embedded;
    serverUrl = embedded.url;
  }

  const template = `integrixs_tpl_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(databaseUrl(serverUrl, template));

  process.env[TEST_SERVER_URL_ENV] = serverUrl;
  process.env[TEST_TEMPLATE_ENV] = template;
}
