import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { runKeyRotation } from '../src/core/crypto/rotate-keys';
import { resealColumn, type SqlClient } from '../src/core/crypto/sealed-values';
import { headerOf, keyIdOf, SecretBox } from '../src/core/crypto/secret-box';
import { currentTotp } from '../src/identity/totp';
import { login, type LoginBody } from './support/auth-flows';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** A base64 key and its id. */
function newKey(): { key: string; id: string } {
  const bytes = randomBytes(32);
  return { key: bytes.toString('base64'), id: keyIdOf(bytes) };
}

describe('key rotation (npm run keys:rotate)', () => {
  const A = newKey();
  const B = newKey();
  const C = newKey();
  const mfaColumn = { table: 'users', column: 'mfa_secret' };
  let first: TestApp;
  let url: string;
  let users: TestUser[];
  const running: TestApp[] = [];

  /** The API, (re)started on the same database with these keys. */
  async function restart(encryptionKey: string, retiredEncryptionKeys: string[] = []) {
    await Promise.all(running.splice(0).map((t) => t.close()));
    const t = await startTestApp({
      databaseUrl: url,
      config: { encryptionKey, retiredEncryptionKeys },
    });
    running.push(t);
    return t;
  }

  const sealedValues = async () =>
    (
      await first.db.pool.query<{ id: string; mfa_secret: string }>(
        'SELECT id, mfa_secret FROM users WHERE mfa_secret IS NOT NULL ORDER BY id',
      )
    ).rows;

  /** Password, then the current TOTP code; the code's time step is freed first so it can be used again. */
  async function signInWithTotp(t: TestApp, user: TestUser) {
    await first.db.pool.query('UPDATE users SET mfa_last_step = NULL WHERE id = $1', [user.id]);
    const { mfaToken } = json<LoginBody>(await login(t, user.username, user.password));
    return t.request({
      method: 'POST',
      url: '/api/auth/login/mfa',
      as: null,
      payload: { mfaToken, code: currentTotp(user.mfaSecret ?? '') },
    });
  }

  async function rotate(keys: { active: string; retired?: string[] }, batchSize = 2) {
    const lines: string[] = [];
    const code = await runKeyRotation({
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: url,
        INTEGRIXS_ENCRYPTION_KEY: keys.active,
        INTEGRIXS_ENCRYPTION_KEYS_RETIRED: (keys.retired ?? []).join(','),
        INTEGRIXS_JWT_SECRET: randomBytes(48).toString('base64url'),
      },
      batchSize,
      print: (line) => lines.push(line),
    });
    return { code, output: lines.join('\n') };
  }

  beforeAll(async () => {
    first = await startTestApp({ config: { encryptionKey: A.key } });
    url = first.db.url;
    users = [];
    for (let i = 0; i < 5; i++)
      users.push(await first.createUser({ role: 'DEVELOPER', mfa: true }));
    await first.app.close();
  });

  afterAll(async () => {
    await Promise.all(running.map((t) => t.close()));
    await first.db.drop();
  });

  it('re-wraps every data key under the new key while the API opens both, and then needs only the new key', async () => {
    const before = await sealedValues();
    expect(before.length).toBe(6); // the five users and the first administrator
    expect(before.every((row) => headerOf(row.mfa_secret)?.keyId === A.id)).toBe(true);

    // B active, A retired: the API opens what A sealed, before and during the rotation.
    const during = await restart(B.key, [A.key]);
    expect((await signInWithTotp(during, users[0])).statusCode).toBe(200);

    const [rotation] = await Promise.all([
      rotate({ active: B.key, retired: [A.key] }),
      ...users.slice(1, 3).map(async (user) => {
        expect((await signInWithTotp(during, user)).statusCode).toBe(200);
      }),
    ]);
    expect(rotation.output).toContain(`active ${B.id}`);
    expect(rotation.output).toContain(`retired ${A.id}`);
    expect(rotation.output).toMatch(
      /users\.mfa_secret: 6 data key\(s\) re-wrapped, 0 value\(s\) of an older format sealed again, 0 changed meanwhile/,
    );
    expect(rotation.output).toContain('INTEGRIXS_ENCRYPTION_KEYS_RETIRED is no longer needed');
    expect(rotation.code).toBe(0);

    // Only the wrapped data key changed; the value's IV, tag and ciphertext are what they were.
    const after = await sealedValues();
    const beforeById = new Map(before.map((row) => [row.id, row.mfa_secret]));
    for (const row of after) {
      expect(headerOf(row.mfa_secret)?.keyId).toBe(B.id);
      const old = beforeById.get(row.id);
      if (old === undefined) continue; // the second administrator, sealed under B from the start
      expect(row.mfa_secret.split('.').slice(3)).toEqual(old.split('.').slice(3));
      expect(row.mfa_secret.split('.')[2]).not.toBe(old.split('.')[2]);
    }

    // Running it again changes nothing.
    const again = await rotate({ active: B.key, retired: [A.key] });
    expect(again.output).toMatch(
      /users\.mfa_secret: 0 data key\(s\) re-wrapped, 0 value\(s\) of an older format sealed again/,
    );
    expect(again.code).toBe(0);
    expect(await sealedValues()).toEqual(after);

    // A removed: everything still opens.
    const onlyB = await restart(B.key);
    for (const user of users) expect((await signInWithTotp(onlyB, user)).statusCode).toBe(200);
  });

  it('writes a row only if nobody changed it meanwhile, and the API signs in with a half-rotated table', async () => {
    const t = await restart(C.key, [B.key]);
    const box = new SecretBox(C.key, [B.key]);
    const known = [first.admin, ...users];
    // Only users whose TOTP secret the test knows keep one, so each row can be signed in with.
    await first.db.pool.query(
      'UPDATE users SET mfa_secret = NULL, mfa_enabled_at = NULL WHERE NOT id = ANY($1)',
      [known.map((user) => user.id)],
    );
    const keyIds = async () =>
      new Map((await sealedValues()).map((row) => [row.id, headerOf(row.mfa_secret)?.keyId]));
    // The first row the rotation reads: the API writes it between the read and the write.
    const firstId = (await sealedValues())[0]?.id;
    const target = known.find((user) => user.id === firstId) as TestUser;
    const concurrent = box.seal(target.mfaSecret ?? '', { ...mfaColumn, id: target.id });
    const pool = new Pool({ connectionString: url, max: 2 });
    let updates = 0;
    let checkedHalfway = false;
    const client: SqlClient = {
      query: async (sql, params) => {
        if (sql.trimStart().startsWith('UPDATE') && updates++ === 0)
          await pool.query('UPDATE users SET mfa_secret = $2 WHERE id = $1', [
            target.id,
            concurrent,
          ]);
        else if (updates === 1 && !checkedHalfway) {
          checkedHalfway = true;
          // One batch of two written, four rows still under B: the API opens both.
          expect([...(await keyIds()).values()].sort()).toEqual(
            [C.id, C.id, B.id, B.id, B.id, B.id].sort(),
          );
          for (const user of known) expect((await signInWithTotp(t, user)).statusCode).toBe(200);
        }
        return pool.query(sql, params);
      },
    };
    try {
      const result = await resealColumn(client, box, mfaColumn, 'not-under-active-key', 2);
      expect(checkedHalfway).toBe(true);
      expect(result).toMatchObject({ rewrapped: 5, resealed: 0, changedMeanwhile: 1, failed: [] });
      const after = await sealedValues();
      expect(after.find((row) => row.id === target.id)?.mfa_secret).toBe(concurrent);
      expect([...(await keyIds()).values()]).toEqual(known.map(() => C.id));
    } finally {
      await pool.end();
    }
  });

  it('names a value sealed under a key that is not configured anymore, and leaves it alone', async () => {
    const gone = newKey();
    const victim = users[2];
    const lost = new SecretBox(gone.key).seal(victim.mfaSecret ?? '', {
      ...mfaColumn,
      id: victim.id,
    });
    await first.db.pool.query('UPDATE users SET mfa_secret = $2 WHERE id = $1', [victim.id, lost]);
    const current = await restart(C.key);

    const rotation = await rotate({ active: C.key });
    expect(rotation.code).toBe(1);
    expect(rotation.output).toContain(
      `users ${victim.id}: sealed with key ${gone.id}, which is not configured: INTEGRIXS_ENCRYPTION_KEY is ${C.id}`,
    );
    expect(rotation.output).toContain(
      `Left: 1 users.mfa_secret value(s) under unknown key ${gone.id}`,
    );
    expect((await sealedValues()).find((row) => row.id === victim.id)?.mfa_secret).toBe(lost);

    // The API treats it as a wrong code (logged), not as a server error; the others sign in.
    const response = await signInWithTotp(current, victim);
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ errors: [{ path: 'code', code: 'mfa_code' }] });
    expect((await signInWithTotp(current, users[0])).statusCode).toBe(200);
  });

  it('refuses a bad key list, naming the variable (exit code 78)', async () => {
    const rotation = await rotate({ active: B.key, retired: ['c2hvcnQ='] });
    expect(rotation.code).toBe(78);
    expect(rotation.output).toContain(
      'INTEGRIXS_ENCRYPTION_KEYS_RETIRED must be a comma-separated list of 32-byte keys',
    );
  });
});
