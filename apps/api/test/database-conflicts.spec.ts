import { type PoolClient } from 'pg';

import { untilWaiting } from './support/lock-waits';
import { noteXsd, schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string; code: string }[];
}

/**
 * What PostgreSQL itself refuses under concurrency, provoked for real with a second connection
 * that holds locks: deadlocks, statement timeouts and references deleted meanwhile. None is a 500.
 */
describe('database conflicts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const createPackage = async (name: string) =>
    json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name } }),
    ).id;

  /** A connection of the test's own, in a transaction; it never runs the deadlock check itself. */
  const holder = async (): Promise<PoolClient> => {
    const client = await t.db.pool.connect();
    await client.query('BEGIN');
    await client.query(`SET LOCAL deadlock_timeout = '1h'`);
    return client;
  };

  /** The advisory lock a rename to `name` takes once it holds the package row (assertNameFree). */
  const lockName = (client: PoolClient, name: string) =>
    client.query('SELECT pg_advisory_xact_lock(hashtextextended(lower($1), 0))', [name]);

  /** Closes the cycle: the request holds the package row and waits for the name we hold. */
  const lockPackageRow = (client: PoolClient, id: string) =>
    client.query('SELECT 1 FROM integration_packages WHERE id = $1 FOR UPDATE', [id]);

  it('runs a transaction PostgreSQL aborted as a deadlock victim once more, and it succeeds', async () => {
    const id = await createPackage('Deadlock once');
    const x = await holder();
    try {
      await lockName(x, 'Deadlock once, renamed');
      const rename = t.request({
        method: 'PUT',
        url: `/api/packages/${id}`,
        payload: { version: 1, name: 'Deadlock once, renamed' },
      });
      await untilWaiting(t.db.pool, 'advisory');
      // Returns once PostgreSQL has aborted the request's transaction (the deadlock victim).
      await lockPackageRow(x, id);
      // The retry now waits for the package row we hold; let it through.
      await untilWaiting(t.db.pool, 'row');
      await x.query('COMMIT');
      const response = await rename;
      expect(response.statusCode).toBe(200);
      expect(json(response)).toMatchObject({ name: 'Deadlock once, renamed', version: 2 });
    } finally {
      x.release();
    }
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'UPDATE'`,
        [id],
      ),
    ).toBe(1);
  });

  it('answers 409 conflict_retry when the retry is a deadlock victim too, and changes nothing', async () => {
    const id = await createPackage('Deadlock twice');
    const x = await holder();
    let response;
    try {
      await lockName(x, 'Deadlock twice, renamed');
      const rename = t.request({
        method: 'PUT',
        url: `/api/packages/${id}`,
        payload: { version: 1, name: 'Deadlock twice, renamed' },
      });
      await untilWaiting(t.db.pool, 'advisory');
      await x.query('SAVEPOINT first');
      await lockPackageRow(x, id);
      await untilWaiting(t.db.pool, 'row');
      // Give the row back (keeping the name): the retry takes the row and waits for the name again.
      await x.query('ROLLBACK TO SAVEPOINT first');
      await untilWaiting(t.db.pool, 'advisory');
      await lockPackageRow(x, id);
      response = await rename;
    } finally {
      await x.query('ROLLBACK');
      x.release();
    }
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('1');
    expect(json<Problem>(response)).toMatchObject({ status: 409, code: 'conflict_retry' });
    const stored = json(await t.request({ method: 'GET', url: `/api/packages/${id}` }));
    expect(stored).toMatchObject({ name: 'Deadlock twice', version: 1 });
  });

  it('answers 503 with Retry-After when a statement runs past DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    const slow = await startTestApp({ config: { databaseStatementTimeoutMs: 1000 } });
    try {
      const id = json<{ id: string }>(
        await slow.request({ method: 'POST', url: '/api/packages', payload: { name: 'Slow' } }),
      ).id;
      const x = await slow.db.pool.connect();
      try {
        await x.query('BEGIN');
        await lockPackageRow(x, id);
        // The update waits for the row we hold until its statement times out.
        const response = await slow.request({
          method: 'PUT',
          url: `/api/packages/${id}`,
          payload: { version: 1, description: 'never' },
        });
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(json<Problem>(response)).toMatchObject({ code: 'database_timeout' });
        expect(json<Problem>(response).detail).toContain('DATABASE_STATEMENT_TIMEOUT_MS');
      } finally {
        await x.query('ROLLBACK');
        x.release();
      }
    } finally {
      await slow.close();
    }
  });

  it('answers 422 naming the reference when what a save refers to is deleted while it runs', async () => {
    const pkg = await createPackage('References');
    const library = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: schemaDocument('Note', noteXsd({ namespace: 'urn:test:gone' })),
      }),
    );
    const importer = schemaDocument(
      'Envelope',
      `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:test:gone"
  targetNamespace="urn:test:envelope" elementFormDefault="qualified">
  <xs:import namespace="urn:test:gone"/>
  <xs:element name="Envelope"><xs:complexType><xs:sequence>
    <xs:element ref="n:Note"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`,
    );
    const x = await t.db.pool.connect();
    let response;
    try {
      await x.query('BEGIN');
      await lockPackageRow(x, pkg);
      // The save compiles against the library schema, then waits for the package row …
      const save = t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: importer,
      });
      await untilWaiting(t.db.pool, 'row');
      // … while the schema it imports is purged (a hard delete, as a retention purge would).
      await x.query('DELETE FROM package_assets WHERE id = $1', [library.id]);
      await x.query('COMMIT');
      response = await save;
    } finally {
      x.release();
    }
    expect(response.statusCode).toBe(422);
    const problem = json<Problem>(response);
    expect(problem).toMatchObject({ code: 'reference_not_found' });
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'content', code: 'reference' }) as unknown,
    ]);
    expect(problem.detail).toContain('an asset it imports or references');
    expect(problem.detail).not.toContain(library.id);
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM package_assets WHERE package_id = $1`, [
        pkg,
      ]),
    ).toBe(0);
  });
});
