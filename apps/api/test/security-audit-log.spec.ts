import { DataSource } from 'typeorm';

import { auditWritesSettled } from '../src/core/audit/audit-writer';
import { RetentionService } from '../src/core/retention/retention.service';
import { flushSuppressedSecurityEvents } from '../src/identity/security-events';
import { startTestApp, type TestApp } from './support/test-app';

describe('audit log: bounded under attack, and kept only as long as configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      config: { auditRetentionDays: 90, sessionRetentionDays: 30, loginThrottleRetentionHours: 24 },
    });
  });
  afterAll(() => t.close());

  const count = (sql: string, params: unknown[] = []) => t.db.count(sql, params);

  it('writes a few rows a minute for a flood of garbage bearer tokens, and one summary with the count', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < 100; i++) {
      const response = await t.request({
        method: 'GET',
        url: '/api/packages',
        as: null,
        remoteAddress: ip,
        headers: { authorization: `Bearer garbage-${i}` },
      });
      expect(response.statusCode).toBe(401);
    }
    // The limiter decides synchronously (10 admitted); the guard writes them without waiting.
    const denied = () =>
      count(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'ACCESS_DENIED' AND changes->'ip'->>'after' = $1`,
        [ip],
      );
    await auditWritesSettled();
    expect(await denied()).toBe(10);

    await flushSuppressedSecurityEvents(t.app.get(DataSource), true);
    const summary = await t.db.pool.query<{ event: string; n: string }>(
      `SELECT changes->'event'->>'after' AS event, changes->'count'->>'after' AS n
         FROM audit_log WHERE action = 'SECURITY_EVENTS_SUPPRESSED' AND changes->'source'->>'after' = $1`,
      [ip],
    );
    expect(summary.rows).toEqual([{ event: 'ACCESS_DENIED', n: '90' }]);
  });

  it('deletes audit rows, ended sessions and idle throttle entries past their retention, and keeps the rest', async () => {
    const user = await t.createUser({ role: 'VIEWER' });
    await t.db.pool.query(
      `INSERT INTO audit_log (occurred_at, actor, action, entity_type, changes)
       VALUES (now() - interval '91 days', 'test', 'UPDATE', 'old', '{}'),
              (now() - interval '89 days', 'test', 'UPDATE', 'recent', '{}')`,
    );
    await t.db.pool.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, family_expires_at, revoked_at)
       VALUES ($1, gen_random_uuid(), 'expired-long-ago', now() - interval '31 days', now(), NULL),
              ($1, gen_random_uuid(), 'revoked-long-ago', now() - interval '60 days', now(), now() - interval '31 days'),
              ($1, gen_random_uuid(), 'revoked-lately', now() - interval '60 days', now(), now() - interval '2 days'),
              ($1, gen_random_uuid(), 'live', now() + interval '1 day', now() + interval '1 day', NULL)`,
      [user.id],
    );
    await t.db.pool.query(
      `INSERT INTO login_throttle (key, failures, last_failure_at, locked_until)
       VALUES ('ip:idle', 3, now() - interval '25 hours', NULL),
              ('ip:recent', 3, now() - interval '1 hour', NULL),
              ('ip:locked', 9, now() - interval '25 hours', now() + interval '1 minute')`,
    );

    const deleted = await t.app.get(RetentionService).runOnce();

    expect(deleted).toMatchObject({ refresh_tokens: 2, login_throttle: 1 });
    expect(deleted['audit_log']).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity_type IN ('old', 'recent')`,
      ),
    ).toBe(1);
    const tokens = await t.db.pool.query<{ token_hash: string }>(
      // (user_agent 'test': the session createUser signed the user in with, not under test here)
      `SELECT token_hash FROM refresh_tokens WHERE user_id = $1 AND user_agent IS DISTINCT FROM 'test' ORDER BY token_hash`,
      [user.id],
    );
    expect(tokens.rows.map((r) => r.token_hash)).toEqual(['live', 'revoked-lately']);
    const throttles = await t.db.pool.query<{ key: string }>(
      `SELECT key FROM login_throttle WHERE key LIKE 'ip:%' ORDER BY key`,
    );
    expect(throttles.rows.map((r) => r.key)).toEqual(['ip:locked', 'ip:recent']);
  });

  it('keeps the audit log append-only for everything but the retention cleanup', async () => {
    await expect(
      t.db.pool.query(`DELETE FROM audit_log WHERE entity_type = 'recent'`),
    ).rejects.toThrow(/audit_log rows are immutable/);
    await expect(t.db.pool.query(`UPDATE audit_log SET actor = 'someone else'`)).rejects.toThrow(
      /immutable/,
    );
  });
});
