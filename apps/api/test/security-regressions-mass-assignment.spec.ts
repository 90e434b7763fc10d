import { randomUUID } from 'node:crypto';

import { type InjectOptions } from 'light-my-request';

import {
  adapterBody,
  createAsset,
  createPackage,
  problemOf,
  type CreatedAsset,
} from './support/access-fixtures';
import { noteXsd } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * Mass assignment (issue 8: held in the black-box probe; kept holding here). Every create and
 * update body is a DTO with unknown fields refused, so a field the server owns (ids, versions,
 * audit columns, locks, hashes, MFA state, roles where the route does not set them) is a 400
 * `unknown_field` naming it, never silently ignored, and nothing is written.
 */
interface Fixtures {
  pkg: string;
  other: string;
  flow: CreatedAsset;
  schema: CreatedAsset;
  viewer: TestUser;
  developer: TestUser;
}

type Request = Omit<InjectOptions, 'payload'> & {
  payload: Record<string, unknown>;
  as?: TestUser | null;
};

interface Case {
  route: string;
  /** A valid request, which the extra field must spoil. */
  request: (t: TestApp, f: Fixtures) => Request | Promise<Request>;
  /** Server-owned fields and the value an attacker sends for them ('other': another package). */
  fields: Record<string, unknown>;
  /** Queries whose results must not change (rows as JSON, counts). */
  stored: (f: Fixtures) => [string, unknown[]][];
}

const PAST = '2000-01-01T00:00:00.000Z';
const AUDITED = { createdAt: PAST, updatedAt: PAST, createdBy: 'attacker', updatedBy: 'attacker' };
const ASSET_OWNED = { id: randomUUID(), currentVersion: 99, packageId: 'other', ...AUDITED };
const LOCK = { lockedBy: 'attacker', lockedAt: PAST };
const USER_OWNED = {
  id: randomUUID(),
  passwordHash: '$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA',
  mfaSecret: 'JBSWY3DPEHPK3PXP',
  mfaEnabledAt: PAST,
  mfaEnabled: true,
  sessionsValidAfter: PAST,
  lastLoginAt: PAST,
  ...AUDITED,
};
const row = (table: string, key = 'id') =>
  `SELECT to_jsonb(x) - 'search' AS row FROM ${table} x WHERE ${key} = $1`;
const countOf = (...tables: string[]) =>
  `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`;
const send = (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) => ({
  method,
  url,
  payload,
});
/** An update sending the version just read, as a real client would. */
const update = async (t: TestApp, url: string, payload: Record<string, unknown>) => {
  const { version } = json<{ version: number }>(await t.request({ method: 'GET', url }));
  return send('PUT', url, { ...payload, version });
};

const CASES: Case[] = [
  {
    route: 'POST /api/packages',
    request: () => send('POST', '/api/packages', { name: 'Mass package' }),
    fields: {
      id: randomUUID(),
      version: 7,
      ...AUDITED,
      deletedAt: PAST,
      assetCounts: { SCHEMA: 9 },
      totalAssets: 9,
      yourRole: 'ADMINISTRATOR',
      yourPermissions: ['user:manage'],
    },
    stored: () => [[countOf('integration_packages', 'package_members'), []]],
  },
  {
    route: 'PUT /api/packages/{id}',
    request: (t, f) => update(t, `/api/packages/${f.pkg}`, { description: 'changed' }),
    fields: { id: randomUUID(), ...AUDITED, deletedAt: PAST, yourRole: 'ADMINISTRATOR' },
    stored: (f) => [[row('integration_packages'), [f.pkg]]],
  },
  {
    route: 'POST /api/packages/{id}/adapters',
    request: (_, f) => send('POST', `/api/packages/${f.pkg}/adapters`, adapterBody('Mass adapter')),
    fields: { ...ASSET_OWNED, version: 7, type: 'FLOW', deletedAt: PAST, ...LOCK },
    stored: () => [[countOf('package_assets', 'asset_versions', 'package_adapters'), []]],
  },
  {
    route: 'PUT /api/packages/{id}/flows/{flowId}',
    request: (t, f) =>
      update(t, `/api/packages/${f.pkg}/flows/${f.flow.id}`, { description: 'changed' }),
    fields: { ...ASSET_OWNED, type: 'SCHEMA', deletedAt: PAST, ...LOCK },
    stored: (f) => [
      [row('package_assets'), [f.flow.id]],
      [countOf('asset_versions'), []],
    ],
  },
  {
    route: 'POST /api/packages/{id}/schemas',
    request: (_, f) =>
      send('POST', `/api/packages/${f.pkg}/schemas`, {
        name: 'Mass schema',
        type: 'XSD',
        document: noteXsd({ namespace: 'urn:mass' }),
      }),
    fields: {
      ...ASSET_OWNED,
      version: 7,
      schemaType: 'WSDL',
      targetNamespace: 'urn:hijack',
      dependencies: [],
      ...LOCK,
    },
    stored: () => [[countOf('package_assets', 'asset_versions', 'package_schemas'), []]],
  },
  {
    route: 'PUT /api/packages/{id}/schemas/{schemaId}',
    request: (t, f) =>
      update(t, `/api/packages/${f.pkg}/schemas/${f.schema.id}`, { description: 'changed' }),
    fields: { ...ASSET_OWNED, schemaType: 'WSDL', targetNamespace: 'urn:hijack', ...LOCK },
    stored: (f) => [
      [row('package_assets'), [f.schema.id]],
      [row('package_schemas', 'asset_id'), [f.schema.id]],
    ],
  },
  {
    route: 'POST /api/users',
    request: () =>
      send('POST', '/api/users', {
        username: 'mass-user',
        role: 'VIEWER',
        password: 'a-long-password-0123',
      }),
    fields: { ...USER_OWNED, version: 7, disabledAt: null },
    stored: () => [[countOf('users'), []]],
  },
  {
    route: 'PUT /api/users/{userId}',
    request: (t, f) => update(t, `/api/users/${f.viewer.id}`, { displayName: 'changed' }),
    fields: { ...USER_OWNED, username: 'root' },
    stored: (f) => [[row('users'), [f.viewer.id]]],
  },
  {
    route: 'PUT /api/packages/{id}/members/{userId}',
    request: (_, f) =>
      send('PUT', `/api/packages/${f.pkg}/members/${f.viewer.id}`, { role: 'VIEWER' }),
    fields: {
      userId: randomUUID(),
      packageId: 'other',
      addedBy: 'attacker',
      since: PAST,
      ...AUDITED,
    },
    stored: (f) => [[row('package_members', 'package_id'), [f.pkg]]],
  },
  {
    route: 'POST /api/tokens',
    request: () => send('POST', '/api/tokens', { name: 'Mass token', permissions: ['asset:read'] }),
    fields: {
      id: randomUUID(),
      userId: randomUUID(),
      token: 'ixt_chosen-by-the-client',
      tokenHash: 'a'.repeat(64),
      hint: 'ixt_…abcd',
      lastUsedAt: PAST,
      revokedAt: null,
      createdAt: PAST,
    },
    stored: () => [[countOf('api_tokens'), []]],
  },
  {
    route: 'PUT /api/auth/password',
    request: (_, f) => ({
      ...send('PUT', '/api/auth/password', {
        currentPassword: f.viewer.password,
        newPassword: 'another-password-0123',
      }),
      as: f.viewer,
    }),
    fields: { role: 'ADMINISTRATOR', userId: randomUUID(), mfaEnabledAt: PAST, passwordHash: 'x' },
    stored: (f) => [[row('users'), [f.viewer.id]]],
  },
  {
    route: 'POST /api/auth/login',
    request: (_, f) => ({
      ...send('POST', '/api/auth/login', {
        username: f.developer.username,
        password: f.developer.password,
      }),
      as: null,
    }),
    fields: { role: 'ADMINISTRATOR', userId: randomUUID(), mfaVerified: true, mfaEnabledAt: PAST },
    stored: (f) => [
      [row('users'), [f.developer.id]],
      [countOf('refresh_tokens'), []],
    ],
  },
];

describe('mass assignment: server-owned fields in create and update bodies', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    const pkg = await createPackage(t, 'Mass assignment');
    const other = await createPackage(t, 'Elsewhere');
    f = {
      pkg,
      other,
      flow: await createAsset(t, pkg, 'FLOW', { name: 'Flow' }),
      schema: await createAsset(t, pkg, 'SCHEMA', { name: 'Schema' }),
      viewer: await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } }),
      developer: await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } }),
    };
  });
  afterAll(() => t.close());

  const stored = (c: Case) =>
    Promise.all(
      c.stored(f).map(async ([sql, params]) => (await t.db.pool.query<object>(sql, params)).rows),
    );

  it.each(CASES.map((c) => [c.route, c] as const))(
    '%s refuses each server-owned field with 400 unknown_field and writes nothing',
    async (_, c) => {
      const before = await stored(c);
      const outcomes: Record<string, string> = {};
      for (const [field, value] of Object.entries(c.fields)) {
        const { as, ...request } = await c.request(t, f);
        const payload = { ...request.payload, [field]: value === 'other' ? f.other : value };
        const response = await t.request({
          ...request,
          payload,
          ...(as !== undefined ? { as } : {}),
        });
        const named =
          response.statusCode === 400
            ? problemOf(response).errors.find((e) => e.path === field)?.code
            : undefined;
        outcomes[field] = named ?? `${response.statusCode} ${response.body.slice(0, 200)}`;
      }
      expect(outcomes).toEqual(
        Object.fromEntries(Object.keys(c.fields).map((field) => [field, 'unknown_field'])),
      );
      expect(await stored(c)).toEqual(before);
    },
  );

  const roleOf = (id: string) =>
    t.db.pool
      .query<{ role: string }>('SELECT role FROM users WHERE id = $1', [id])
      .then((r) => r.rows[0]?.role);
  const memberRoleOf = (id: string) =>
    t.db.pool
      .query<{ role: string }>(
        'SELECT role FROM package_members WHERE package_id = $1 AND user_id = $2',
        [f.pkg, id],
      )
      .then((r) => r.rows[0]?.role);

  it('lets neither a VIEWER nor a DEVELOPER raise their own global role or another user’s (403)', async () => {
    for (const caller of [f.viewer, f.developer]) {
      for (const target of [f.viewer, f.developer]) {
        const version = (
          await t.db.pool.query<{ version: number }>('SELECT version FROM users WHERE id = $1', [
            target.id,
          ])
        ).rows[0]?.version;
        const response = await t.request({
          method: 'PUT',
          url: `/api/users/${target.id}`,
          as: caller,
          payload: { role: 'ADMINISTRATOR', version },
        });
        expect({ caller: caller.role, target: target.role, status: response.statusCode }).toEqual({
          caller: caller.role,
          target: target.role,
          status: 403,
        });
      }
      const created = await t.request({
        method: 'POST',
        url: '/api/users',
        as: caller,
        payload: {
          username: `made-by-${caller.role.toLowerCase()}`,
          role: 'ADMINISTRATOR',
          password: 'a-long-password-0123',
        },
      });
      expect(created.statusCode).toBe(403);
    }
    expect([await roleOf(f.viewer.id), await roleOf(f.developer.id)]).toEqual([
      'VIEWER',
      'DEVELOPER',
    ]);
  });

  it('lets neither a package VIEWER nor DEVELOPER member raise their own membership or another’s (403)', async () => {
    for (const caller of [f.viewer, f.developer]) {
      for (const target of [f.viewer, f.developer]) {
        const response = await t.request({
          method: 'PUT',
          url: `/api/packages/${f.pkg}/members/${target.id}`,
          as: caller,
          payload: { role: 'ADMINISTRATOR' },
        });
        expect({ caller: caller.role, target: target.role, status: response.statusCode }).toEqual({
          caller: caller.role,
          target: target.role,
          status: 403,
        });
      }
    }
    expect([await memberRoleOf(f.viewer.id), await memberRoleOf(f.developer.id)]).toEqual([
      'VIEWER',
      'DEVELOPER',
    ]);
  });

  it('gives an API token no permission its owner lacks (400 naming it)', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/tokens',
      as: f.developer,
      payload: { name: 'Escalate', permissions: ['asset:read', 'audit:read'] },
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors[0]?.path).toBe('permissions[1]');
    expect(
      await t.db.count('SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1', [
        f.developer.id,
      ]),
    ).toBe(0);
  });

  it('accepts each valid request without the extra field (the cases above fail for the field alone)', async () => {
    // All but the password change, which would end the viewer's sessions.
    for (const c of CASES.filter((c) => c.route !== 'PUT /api/auth/password')) {
      const { as, ...request } = await c.request(t, f);
      const response = await t.request({ ...request, ...(as !== undefined ? { as } : {}) });
      expect({ route: c.route, ok: response.statusCode < 300 }).toEqual({
        route: c.route,
        ok: true,
      });
    }
  });
});
