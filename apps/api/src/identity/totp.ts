import { authenticator } from 'otplib';

/** RFC 6238 TOTP: 30-second steps, 6 digits, SHA-1 (what authenticator apps support). */
const STEP_SECONDS = 30;
authenticator.options = { step: STEP_SECONDS, digits: 6, window: 1 };

export const MFA_ISSUER = 'Integrixs';

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function otpauthUri(username: string, secret: string): string {
  return authenticator.keyuri(username, MFA_ISSUER, secret);
}

/**
 * The time step `code` belongs to (within ±1 step of now), or null when it is wrong. Callers
 * refuse a step at or before the last one used, so each code is good once.
 */
export function totpStep(code: string, secret: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = authenticator.checkDelta(code, secret);
  return delta === null ? null : Math.floor(now / 1000 / STEP_SECONDS) + delta;
}

/** The current code (tests and the demo use it; never exposed over HTTP). */
export function currentTotp(secret: string): string {
  return authenticator.generate(secret);
}
