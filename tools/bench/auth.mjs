import { randomBytes, randomUUID } from 'node:crypto';

import jwt from 'jsonwebtoken';

/**
 * The API needs a signed-in caller; the baseline does no authentication. The bench gives the API
 * its keys, seeds an administrator (MFA enrolled, as administrators must be) and signs an access
 * token for them exactly as the API does, so every measured request pays the full authentication
 * and authorization cost: JWT verification, the user-state and session lookup and the
 * package-role lookup. The token names a real session (access tokens of unknown sessions are
 * refused).
 */
export function benchKeys() {
  return {
    INTEGRIXS_JWT_SECRET: randomBytes(48).toString('base64url'),
    INTEGRIXS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    INTEGRIXS_ADMIN_PASSWORD: `bench-${randomBytes(12).toString('base64url')}`,
  };
}

export async function seedBenchAdministrator(query) {
  const [user] = await query(
    `INSERT INTO users (username, username_canonical, display_name, password_hash, role, mfa_enabled_at, created_by, updated_by)
     VALUES ('bench', 'bench', 'Benchmark', '!', 'ADMINISTRATOR', now(), 'bench', 'bench')
     RETURNING id`,
  );
  const sessionId = randomUUID();
  await query(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, mfa_at, expires_at, family_expires_at)
     VALUES ($1, $2, $3, now(), now() + interval '1 day', now() + interval '1 day')`,
    [user.id, sessionId, randomBytes(32).toString('hex')],
  );
  return { userId: user.id, sessionId };
}

export function accessToken(secret, { userId, sessionId }) {
  const now = Date.now();
  return jwt.sign(
    {
      typ: 'access',
      sub: userId,
      role: 'ADMINISTRATOR',
      sid: sessionId,
      mfa_at: Math.floor(now / 1000),
    },
    secret,
    {
      algorithm: 'HS256',
      expiresIn: 3600,
      issuer: 'integrixs',
      audience: 'integrixs-api',
      jwtid: randomUUID(),
    },
  );
}
