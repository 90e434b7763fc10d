import { randomBytes } from 'node:crypto';

import { Client, Pool } from 'pg';

import { databaseUrl, testServerUrl, testTemplateName } from './test-server';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A small pool for assertions straight against the database. */
  readonly pool: Pool;
  /** Runs a query that selects one number as `n` (e.g. `SELECT count(*)::int AS n ...`). */
  count(sql: string, params?: unknown[]): Promise<number>;
  drop(): Promise<void>;
}

const OBJECT_IN_USE = '55006';

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh database cloned from the migrated template: empty tables, the full schema. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `integrixs_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (admin) => {
    // Cloning needs the template to have no sessions; parallel clones can collide briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${testTemplateName()}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  const url = databaseUrl(testServerUrl(), name);
  const pool = new Pool({ connectionString: url, max: 3 });
  // The database is dropped WITH (FORCE) at teardown: a client still closing then gets a FATAL.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    count: async (sql, params) => {
      const { rows } = await pool.query<{ n: number }>(sql, params);
      return Number(rows[0]?.n);
    },
    drop: async () => {
      await pool.end();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
