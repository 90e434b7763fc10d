import { Pool } from 'pg';

import { prepared, PreparingClient } from './prepared-statements';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The statements prepared on the connection that runs this query, by their text. */
const PREPARED_ON_CONNECTION = `SELECT statement FROM pg_prepared_statements`;

describe('PreparingClient', () => {
  let pool: Pool;

  beforeAll(() => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 1, Client: PreparingClient });
  });

  afterAll(() => pool.end());

  it('runs a text marked with prepared() as a named statement, through the pool and a client', async () => {
    const text = prepared(`SELECT $1::int + $2::int AS sum /* prepared-statements.spec */`);
    const viaPool = await pool.query<{ sum: number }>(text, [2, 3]);
    expect(viaPool.rows).toEqual([{ sum: 5 }]);
    const client = await pool.connect();
    try {
      const viaClient = await client.query<{ sum: number }>(text, [4, 5]);
      expect(viaClient.rows).toEqual([{ sum: 9 }]);
      // max: 1, so the same connection: prepared once, used twice.
      const { rows } = await client.query<{ statement: string }>(PREPARED_ON_CONNECTION);
      expect(rows.map((r) => r.statement)).toContain(text);
    } finally {
      client.release();
    }
  });

  it('runs every other query as plain text (nothing left prepared on the connection)', async () => {
    const text = `SELECT $1::text AS echoed /* not marked */`;
    expect((await pool.query(text, ['x'])).rows).toEqual([{ echoed: 'x' }]);
    const { rows } = await pool.query<{ statement: string }>(PREPARED_ON_CONNECTION);
    expect(rows.map((r) => r.statement)).not.toContain(text);
  });

  it('reports a failing prepared statement as the same error, and the connection goes on', async () => {
    const text = prepared(`SELECT 1 / $1::int AS quotient /* prepared-statements.spec */`);
    await expect(pool.query(text, [0])).rejects.toThrow('division by zero');
    expect((await pool.query(text, [1])).rows).toEqual([{ quotient: 1 }]);
  });
});
