import { createCipheriv } from 'node:crypto';

import { SealedColumns } from '../src/core/crypto/sealed-columns';
import { keyIdOf } from '../src/core/crypto/secret-box';
import { currentTotp } from '../src/identity/totp';
import { login, type LoginBody } from './support/auth-flows';
import { json, startTestApp, type TestApp } from './support/test-app';

describe('secrets at rest (SecretBox)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const mfaSecretOf = async (userId: string) =>
    (
      await t.db.pool.query<{ mfa_secret: string }>('SELECT mfa_secret FROM users WHERE id = $1', [
        userId,
      ])
    ).rows[0]?.mfa_secret ?? '';

  const secondStep = async (username: string, password: string, code: string) => {
    const first = json<LoginBody>(await login(t, username, password));
    return t.request({
      method: 'POST',
      url: '/api/auth/login/mfa',
      as: null,
      payload: { mfaToken: first.mfaToken, code },
    });
  };

  it("a sealed MFA secret copied into another user's row does not open there", async () => {
    const alice = await t.createUser({ role: 'DEVELOPER', mfa: true });
    const mallory = await t.createUser({ role: 'DEVELOPER', mfa: true });
    // Someone who can write the database, but has no key, gives Mallory Alice's secret.
    await t.db.pool.query('UPDATE users SET mfa_secret = $2 WHERE id = $1', [
      mallory.id,
      await mfaSecretOf(alice.id),
    ]);
    const response = await secondStep(
      mallory.username,
      mallory.password,
      currentTotp(alice.mfaSecret ?? ''),
    );
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ errors: [{ path: 'code', code: 'mfa_code' }] });
  });

  it('seals values of the old format (no associated data, no key id) again at start', async () => {
    const carol = await t.createUser({ role: 'DEVELOPER', mfa: true });
    const iv = Buffer.alloc(12, 7);
    const cipher = createCipheriv(
      'aes-256-gcm',
      Buffer.from(t.config.encryptionKey ?? '', 'base64'),
      iv,
    );
    const data = Buffer.concat([cipher.update(carol.mfaSecret ?? '', 'utf8'), cipher.final()]);
    const legacy = [
      'v1',
      ...[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')),
    ].join('.');
    await t.db.pool.query('UPDATE users SET mfa_secret = $2 WHERE id = $1', [carol.id, legacy]);

    await t.app.get(SealedColumns).onApplicationBootstrap();

    expect(await mfaSecretOf(carol.id)).toMatch(/^v3\.[0-9a-f]{12}\./);
    const response = await secondStep(
      carol.username,
      carol.password,
      currentTotp(carol.mfaSecret ?? ''),
    );
    expect(response.statusCode).toBe(200);
  });

  it('seals values sealed directly with the key (v2, no data key) again as envelopes at start', async () => {
    const dave = await t.createUser({ role: 'DEVELOPER', mfa: true });
    const key = Buffer.from(t.config.encryptionKey ?? '', 'base64');
    const iv = Buffer.alloc(12, 9);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`integrixs:users.mfa_secret:${dave.id}`));
    const data = Buffer.concat([cipher.update(dave.mfaSecret ?? '', 'utf8'), cipher.final()]);
    const direct = [
      'v2',
      keyIdOf(key),
      ...[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')),
    ].join('.');
    await t.db.pool.query('UPDATE users SET mfa_secret = $2 WHERE id = $1', [dave.id, direct]);
    // Until the upgrade runs, the value opens as it is.
    expect(
      (await secondStep(dave.username, dave.password, currentTotp(dave.mfaSecret ?? '')))
        .statusCode,
    ).toBe(200);
    await t.db.pool.query('UPDATE users SET mfa_last_step = NULL WHERE id = $1', [dave.id]);

    await t.app.get(SealedColumns).onApplicationBootstrap();

    const upgraded = await mfaSecretOf(dave.id);
    expect(upgraded.split('.').slice(0, 2)).toEqual(['v3', keyIdOf(key)]);
    expect(upgraded.split('.')).toHaveLength(6);
    const response = await secondStep(
      dave.username,
      dave.password,
      currentTotp(dave.mfaSecret ?? ''),
    );
    expect(response.statusCode).toBe(200);
  });

  it('refuses to seal into a column that key rotation does not know about', () => {
    expect(() => t.app.get(SealedColumns).column('users', 'password_hash')).toThrow(
      /users\.password_hash is not in SEALED_COLUMNS/,
    );
  });
});
