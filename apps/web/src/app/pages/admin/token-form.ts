import { type ApiTokenDto, type CreatedApiTokenDto } from '@integrixs/api-client';

/** Where a token stands: usable, revoked, or past its expiry. */
export type TokenState = 'Active' | 'Revoked' | 'Expired';

export function tokenState(token: ApiTokenDto, now = Date.now()): TokenState {
  if (token.revokedAt) return 'Revoked';
  return new Date(token.expiresAt).getTime() <= now ? 'Expired' : 'Active';
}

/**
 * The `expiresAt` for a date picked in the form (`yyyy-mm-dd`): the end of that day in the
 * user's time zone, as ISO-8601 (the API wants an instant in the future, at most a year ahead).
 */
export function expiryIso(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year ?? 0, (month ?? 1) - 1, day ?? 1, 23, 59, 59).toISOString();
}

/** The listed form of a token just created: everything but the secret, which is shown once. */
export function withoutSecret(created: CreatedApiTokenDto): ApiTokenDto {
  return {
    id: created.id,
    name: created.name,
    hint: created.hint,
    permissions: created.permissions,
    packageIds: created.packageIds,
    expiresAt: created.expiresAt,
    lastUsedAt: created.lastUsedAt,
    revokedAt: created.revokedAt,
    createdAt: created.createdAt,
  };
}
