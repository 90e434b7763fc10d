import { auditWritesSettled } from '../src/core/audit/audit-writer';
import { currentTotp } from '../src/identity/totp';
import {
  bearer,
  createApiToken,
  createAsset,
  createPackage,
  isHiddenPackage,
  problemOf,
  withStaleMfa,
  type CreatedAsset,
} from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface AuditEntry {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  packageId: string | null;
  changes: Record<string, { before?: unknown; after?: unknown }>;
  requestId: string | null;
}

interface AuditPage {
  items: AuditEntry[];
  total: number;
  nextCursor: string | null;
}

describe('audit API', () => {
  let t: TestApp;
  /** A global DEVELOPER who created package P (so its administrator member). */
  let dev: TestUser;
  let p: string;
  let q: string;
  let asset: CreatedAsset;

  beforeAll(async () => {
    t = await startTestApp();
    dev = await t.createUser({ role: 'DEVELOPER' });
    p = await createPackage(t, 'Audited package', { as: dev });
    q = await createPackage(t, 'Admin package');
    await createAsset(t, q, 'FLOW', { name: 'Admin flow' });
    // The mapping first: it creates a schema of its own, so the audited schema has no dependents.
    await createAsset(t, p, 'MAPPING', { name: 'Audited mapping' }, dev);
    asset = await createAsset(t, p, 'SCHEMA', { name: 'Audited schema' }, dev);
    const url = `/api/packages/${p}/schemas/${asset.id}`;
    const steps = [
      { method: 'PUT' as const, url, payload: { version: 1, description: 'changed' } },
      { method: 'DELETE' as const, url },
      { method: 'POST' as const, url: `${url}/restore` },
    ];
    for (const step of steps) {
      const response = await t.request({ ...step, as: dev });
      expect(response.statusCode).toBeLessThan(300);
    }
  });
  afterAll(() => t.close());

  const audit = async (query = '', as: TestUser = t.admin): Promise<AuditPage> => {
    const response = await t.request({ method: 'GET', url: `/api/audit?${query}`, as });
    expect(response.statusCode).toBe(200);
    return json<AuditPage>(response);
  };

  /** Every page of a query, following nextCursor. */
  const allPages = async (query: string, as: TestUser = t.admin, base = '/api/audit') => {
    const items: AuditEntry[] = [];
    const totals = new Set<number>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `${base}?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await t.request({ method: 'GET', url, as });
      expect(response.statusCode).toBe(200);
      const page = json<AuditPage>(response);
      items.push(...page.items);
      totals.add(page.total);
      cursor = page.nextCursor;
      if (++pages > 500) throw new Error('too many pages');
    } while (cursor);
    return { items, totals: [...totals], pages };
  };

  /** Ids the database holds for a filter, newest first (the order the API promises). */
  const idsInDatabase = async (where: string, params: unknown[]) =>
    (
      await t.db.pool.query<{ id: string }>(
        `SELECT id FROM audit_log WHERE ${where} ORDER BY occurred_at DESC, id DESC`,
        params,
      )
    ).rows.map((r) => r.id);

  const databaseNow = async () =>
    (await t.db.pool.query<{ now: string }>(`SELECT to_json(now())#>>'{}' AS now`)).rows[0]?.now ??
    '';

  describe('GET /api/audit (administrators)', () => {
    it('filters by actor', async () => {
      const page = await audit(`actor=${dev.id}&limit=200`);
      expect(page.items.length).toBeGreaterThan(5);
      expect(new Set(page.items.map((i) => i.actor))).toEqual(new Set([dev.id]));
      expect(page.items.map((i) => i.id)).toEqual(await idsInDatabase('actor = $1', [dev.id]));
    });

    it('filters by package', async () => {
      const page = await audit(`packageId=${p}&limit=200`);
      expect(new Set(page.items.map((i) => i.packageId))).toEqual(new Set([p]));
      expect(page.items.map((i) => i.id)).toEqual(await idsInDatabase('package_id = $1', [p]));
      expect(page.total).toBe(page.items.length);
    });

    it('filters by entity type and id: one asset’s history, newest first', async () => {
      const page = await audit(`entityType=asset&entityId=${asset.id}`);
      expect(page.items.map((i) => i.action)).toEqual([
        'RESTORE',
        'SOFT_DELETE',
        'UPDATE',
        'CREATE',
      ]);
      expect(page.items[2]?.changes).toEqual({ description: { before: '', after: 'changed' } });
      for (const item of page.items)
        expect(item).toMatchObject({ entityType: 'asset', packageId: p, actor: dev.id });
    });

    it('filters by action', async () => {
      const page = await audit('action=SOFT_DELETE&limit=200');
      expect(page.items.length).toBeGreaterThan(0);
      expect(new Set(page.items.map((i) => i.action))).toEqual(new Set(['SOFT_DELETE']));
      expect(page.items.map((i) => i.id)).toEqual(
        await idsInDatabase(`action = 'SOFT_DELETE'`, []),
      );
    });

    it('filters by time range: from inclusive, to exclusive', async () => {
      const history = (await audit(`actor=${dev.id}&limit=200`)).items;
      const newest = history[0];
      const oldest = history.at(-1);
      if (!newest || !oldest) throw new Error('no history');
      const between = await audit(
        `actor=${dev.id}&from=${encodeURIComponent(oldest.occurredAt)}&to=${encodeURIComponent(newest.occurredAt)}&limit=200`,
      );
      expect(between.items.map((i) => i.id)).toEqual(
        await idsInDatabase('actor = $1 AND occurred_at >= $2 AND occurred_at < $3', [
          dev.id,
          oldest.occurredAt,
          newest.occurredAt,
        ]),
      );
      expect(between.items.map((i) => i.id)).toContain(oldest.id);
      expect(between.items.map((i) => i.id)).not.toContain(newest.id);
      const future = await audit(
        `from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`,
      );
      expect(future).toEqual({ items: [], total: 0, nextCursor: null });
    });

    it('pages with nextCursor, newest first, without duplicates or gaps', async () => {
      const to = await databaseNow();
      const expected = await idsInDatabase('occurred_at < $1', [to]);
      expect(expected.length).toBeGreaterThan(10);
      for (const limit of [1, 3, 7]) {
        const { items, totals, pages } = await allPages(
          `limit=${limit}&to=${encodeURIComponent(to)}`,
        );
        expect(items.map((i) => i.id)).toEqual(expected);
        expect(totals).toEqual([expected.length]);
        expect(pages).toBe(Math.ceil(expected.length / limit));
        const times = items.map((i) => Date.parse(i.occurredAt));
        expect(times).toEqual([...times].sort((a, b) => b - a));
      }
      const filtered = await allPages(`packageId=${p}&limit=2`);
      expect(filtered.items.map((i) => i.id)).toEqual(await idsInDatabase('package_id = $1', [p]));
    });

    it('refuses a cursor it did not issue (400)', async () => {
      const response = await t.request({
        method: 'GET',
        url: '/api/audit?cursor=bm90LWEtY3Vyc29y',
      });
      expect([response.statusCode, problemOf(response).errors[0]?.path]).toEqual([400, 'cursor']);
    });

    it('is for administrators only (403 otherwise)', async () => {
      for (const role of ['DEVELOPER', 'INTEGRATOR', 'VIEWER'] as const) {
        const user = await t.createUser({ role, packages: { [p]: 'ADMINISTRATOR' } });
        const response = await t.request({ method: 'GET', url: '/api/audit', as: user });
        expect([role, response.statusCode]).toEqual([role, 403]);
      }
    });
  });

  describe('GET /api/packages/{id}/audit (package administrators)', () => {
    const packageAudit = (packageId: string, as: TestUser, query = '') =>
      t.request({ method: 'GET', url: `/api/packages/${packageId}/audit?${query}`, as });

    it("shows the package's administrator member that package's trail only", async () => {
      const response = await packageAudit(p, dev, 'limit=200');
      expect(response.statusCode).toBe(200);
      const page = json<AuditPage>(response);
      expect(page.items.map((i) => i.id)).toEqual(await idsInDatabase('package_id = $1', [p]));
      // A packageId in the query cannot widen it to another package.
      const widened = json<AuditPage>(await packageAudit(p, dev, `packageId=${q}&limit=200`));
      expect(widened.items.map((i) => i.id)).toEqual(page.items.map((i) => i.id));
      const paged = await allPages('limit=2', dev, `/api/packages/${p}/audit`);
      expect(paged.items.map((i) => i.id)).toEqual(page.items.map((i) => i.id));
    });

    it('refuses a DEVELOPER member (403) and hides the package from a non-member (404)', async () => {
      const member = await t.createUser({ role: 'DEVELOPER', packages: { [p]: 'DEVELOPER' } });
      const denied = await packageAudit(p, member);
      expect([denied.statusCode, problemOf(denied).code]).toEqual([403, 'forbidden']);
      expect(isHiddenPackage(await packageAudit(q, dev), q)).toBe(true);
      expect((await packageAudit(q, t.admin)).statusCode).toBe(200);
    });
  });

  describe('secrets', () => {
    it('redacts password hashes, MFA secrets and token hashes, and never returns them', async () => {
      const created = json<{ id: string }>(
        await t.request({
          method: 'POST',
          url: '/api/users',
          payload: { username: 'secret.keeper', role: 'VIEWER', password: 'First-Secret-Pass-1' },
        }),
      );
      // The user's own session, to enrol MFA and create a token.
      const signIn = async (password: string) =>
        json<{ session: { accessToken: string } }>(
          await t.request({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'secret.keeper', password },
            as: null,
          }),
        ).session.accessToken;
      const self: TestUser = {
        id: created.id,
        username: 'secret.keeper',
        password: 'First-Secret-Pass-1',
        role: 'VIEWER',
        mfaSecret: null,
        token: await signIn('First-Secret-Pass-1'),
      };
      const passwordSet = await t.request({
        method: 'POST',
        url: `/api/users/${created.id}/password`,
        payload: { password: 'Second-Secret-Pass-2' },
      });
      expect(passwordSet.statusCode).toBe(204);
      const reauthenticated = { ...self, token: await signIn('Second-Secret-Pass-2') };
      const enrolment = await t.request({
        method: 'POST',
        url: '/api/auth/mfa/enrolment',
        payload: { password: 'Second-Secret-Pass-2' },
        as: reauthenticated,
      });
      expect(enrolment.statusCode).toBe(200);
      const { secret } = json<{ secret: string }>(enrolment);
      const confirmed = await t.request({
        method: 'POST',
        url: '/api/auth/mfa/enrolment/confirm',
        payload: { code: currentTotp(secret) },
        as: reauthenticated,
      });
      expect(confirmed.statusCode).toBe(200);
      const token = await createApiToken(t, reauthenticated, {
        name: 'Secret token',
        permissions: ['package:list'],
      });

      const rows = (await audit(`entityId=${created.id}&limit=200`)).items;
      const userRows = rows.filter((r) => r.entityType === 'user');
      expect(userRows.find((r) => r.action === 'CREATE')?.changes['passwordHash']).toEqual({
        after: '[redacted]',
      });
      expect(userRows.filter((r) => 'passwordHash' in r.changes).length).toBeGreaterThanOrEqual(2);
      const mfaChanges = userRows.map((r) => r.changes['mfaSecret']).filter((c) => c !== undefined);
      expect(mfaChanges.length).toBeGreaterThan(0);
      for (const row of userRows) {
        for (const field of ['passwordHash', 'mfaSecret']) {
          const change = row.changes[field];
          if (!change) continue;
          for (const side of ['before', 'after'] as const) {
            if (side in change && change[side] !== null) expect(change[side]).toBe('[redacted]');
          }
        }
      }
      const tokenRows = (await audit(`entityType=api_token&entityId=${token.id}`)).items;
      expect(tokenRows.map((r) => r.changes['tokenHash'])).toEqual([{ after: '[redacted]' }]);

      const [stored] = (
        await t.db.pool.query<{ password_hash: string; mfa_secret: string }>(
          'SELECT password_hash, mfa_secret FROM users WHERE id = $1',
          [created.id],
        )
      ).rows;
      const [tokenHash] = (
        await t.db.pool.query<{ token_hash: string }>(
          'SELECT token_hash FROM api_tokens WHERE id = $1',
          [token.id],
        )
      ).rows;
      const secrets = [
        stored?.password_hash,
        stored?.mfa_secret,
        secret,
        token.token,
        tokenHash?.token_hash,
        'Second-Secret-Pass-2',
        'First-Secret-Pass-1',
      ];
      const everything = await allPages('limit=200');
      const text = JSON.stringify(everything.items);
      const inTable =
        (
          await t.db.pool.query<{ all: string }>(
            `SELECT string_agg(changes::text, ' ') AS all FROM audit_log`,
          )
        ).rows[0]?.all ?? '';
      for (const value of secrets) {
        expect(value).toEqual(expect.any(String));
        expect(text).not.toContain(value);
        expect(inTable).not.toContain(value);
      }
    });
  });

  describe('security events (entity type auth)', () => {
    const authEvents = (query: string) => audit(`entityType=auth&${query}&limit=200`);

    it('records every sign-in attempt: success, wrong password, unknown user, throttled', async () => {
      const user = await t.createUser({ role: 'VIEWER', mfa: false });
      const login = (username: string, password: string) =>
        t.request({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username, password },
          as: null,
        });
      expect((await login(user.username, user.password)).statusCode).toBe(200);
      expect((await login(user.username, 'not-the-password')).statusCode).toBe(401);
      expect((await login('nobody-at-all', 'whatever-password')).statusCode).toBe(401);

      const mine = (await authEvents(`entityId=${user.id}`)).items;
      expect(mine.map((r) => r.action)).toEqual(['LOGIN_FAILED', 'LOGIN_SUCCEEDED']);
      expect(mine[0]?.changes['username']).toEqual({ after: user.username });
      const unknown = (await authEvents('action=LOGIN_FAILED')).items.filter(
        (r) => r.changes['username']?.after === 'nobody-at-all',
      );
      expect(unknown).toEqual([expect.objectContaining({ entityId: null, actor: 'anonymous' })]);

      const victim = await t.createUser({ role: 'VIEWER', mfa: false });
      let throttled = 0;
      for (let attempt = 0; attempt < 7; attempt++) {
        if ((await login(victim.username, 'wrong-password-again')).statusCode === 429) throttled++;
      }
      expect(throttled).toBeGreaterThan(0);
      const events = (await authEvents('action=LOGIN_THROTTLED')).items.filter(
        (r) => r.changes['username']?.after === victim.username,
      );
      expect(events).toHaveLength(throttled);
    });

    it('records every authorisation failure: role, membership, step-up, token scope', async () => {
      const viewer = await t.createUser({ role: 'VIEWER', packages: { [p]: 'VIEWER' } });
      const outsider = await t.createUser({ role: 'DEVELOPER' });
      const token = await createApiToken(t, viewer, {
        name: 'Narrow',
        permissions: ['package:list'],
      });
      const attempts: {
        as: TestUser;
        method: 'GET' | 'POST' | 'PUT';
        url: string;
        payload?: Record<string, unknown>;
        status: number;
        reason: string;
        route: string;
        permission: string;
        packageId: string | null;
      }[] = [
        {
          as: viewer,
          method: 'GET',
          url: '/api/audit',
          status: 403,
          reason: 'forbidden',
          route: 'GET /api/audit',
          permission: 'audit:read',
          packageId: null,
        },
        {
          as: viewer,
          method: 'PUT',
          url: `/api/packages/${p}`,
          payload: { version: 1 },
          status: 403,
          reason: 'forbidden',
          route: 'PUT /api/packages/:id',
          permission: 'package:update',
          packageId: p,
        },
        {
          as: outsider,
          method: 'GET',
          url: `/api/packages/${p}`,
          status: 404,
          reason: 'not_found',
          route: 'GET /api/packages/:id',
          permission: 'package:read',
          packageId: null,
        },
        {
          as: await withStaleMfa(t, t.admin),
          method: 'POST',
          url: '/api/users',
          payload: {},
          status: 401,
          reason: 'mfa_required',
          route: 'POST /api/users',
          permission: 'user:manage',
          packageId: null,
        },
        {
          as: bearer(viewer, token.token),
          method: 'GET',
          url: `/api/packages/${p}`,
          status: 403,
          reason: 'forbidden',
          route: 'GET /api/packages/:id',
          permission: 'package:read',
          packageId: null,
        },
      ];
      for (const attempt of attempts) {
        const before = (await authEvents(`action=ACCESS_DENIED&actor=${attempt.as.id}`)).total;
        const response = await t.request({
          method: attempt.method,
          url: attempt.url,
          payload: attempt.payload,
          as: attempt.as,
        });
        expect([attempt.route, response.statusCode]).toEqual([attempt.route, attempt.status]);
        const events = (await authEvents(`action=ACCESS_DENIED&actor=${attempt.as.id}`)).items;
        expect(events).toHaveLength(before + 1);
        expect(events[0]).toMatchObject({
          entityId: attempt.as.id,
          packageId: attempt.packageId,
          changes: {
            route: { after: attempt.route },
            reason: { after: attempt.reason },
            permission: { after: attempt.permission },
          },
        });
      }
    });

    it.each([
      ['a forged access token', () => Promise.resolve('Bearer forged.token.here')],
      [
        'a revoked API token',
        async () => {
          const owner = await t.createUser({ role: 'VIEWER' });
          const token = await createApiToken(t, owner, {
            name: 'Revoked',
            permissions: ['package:list'],
          });
          await t.request({ method: 'DELETE', url: `/api/tokens/${token.id}`, as: owner });
          return `Bearer ${token.token}`;
        },
      ],
      [
        'an access token of a disabled user',
        async () => {
          const user = await t.createUser({ role: 'VIEWER' });
          await t.db.pool.query('UPDATE users SET disabled_at = now() WHERE id = $1', [user.id]);
          return `Bearer ${user.token}`;
        },
      ],
    ])('records a request with %s (401)', async (_, credentials) => {
      const authorization = await credentials();
      const denied = () =>
        t.db.count(
          `SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'auth' AND action = 'ACCESS_DENIED' AND changes->'route'->>'after' = 'GET /api/packages'`,
        );
      const before = await denied();
      const response = await t.request({
        method: 'GET',
        url: '/api/packages',
        headers: { authorization },
        as: null,
      });
      expect([response.statusCode, problemOf(response).code]).toEqual([401, 'unauthenticated']);
      // The guard writes the event without making the request wait: wait for the write itself.
      await auditWritesSettled();
      expect(await denied()).toBe(before + 1);
    });

    it('does not record plain anonymous requests (no credentials presented)', async () => {
      const before = (await authEvents('action=ACCESS_DENIED')).total;
      expect((await t.request({ method: 'GET', url: '/api/packages', as: null })).statusCode).toBe(
        401,
      );
      // Every audit write the request could have started has finished: nothing was written.
      await auditWritesSettled();
      expect((await authEvents('action=ACCESS_DENIED')).total).toBe(before);
    });
  });
});
