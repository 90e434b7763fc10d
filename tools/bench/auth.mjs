import { randomBytes, randomUUID } from 'node:crypto';

import jwt from 'jsonwebtoken';

/**
 * The API needs a signed-in caller; the baseline does no authentication. The bench gives the API
 * its keys, seeds an administrator (MFA enrolled, as administrators must be) and signs an access
 * token for them exactly as the API does, so every measured request pays the full authentication
 * and authorization cost: JWT verification, the user-state lookup and the package-role lookup.
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
    `INSERT INTO users (username, display_name, password_hash, role, mfa_enabled_at, created_by, updated_by)
     VALUES ('bench', 'Benchmark', '!', 'ADMINISTRATOR', now(), 'bench', 'bench')
     RETURNING id`,
  );
  return user.id;
}

export function accessToken(secret, userId) {
  const now = Date.now();
  return jwt.sign(
    {
      typ: 'access',
      sub: userId,
      role: 'ADMINISTRATOR',
      sid: randomUUID(),
      iat_ms: now,
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
