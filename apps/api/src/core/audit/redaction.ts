export const REDACTED = '[redacted]';

/** Words that make a key a secret wherever they stand in it. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'credential',
  'credentials',
  'authorization',
  'cookie',
  'apikey',
  'privatekey',
]);
/** Two-word secrets (`api_key`, `privateKey`, `accessKey`, `secretKey`). */
const SECRET_PAIRS = new Set(['apikey', 'privatekey', 'accesskey', 'secretkey']);
/** Words that make a key a secret only at its end (`accessToken`, but not `tokenHint`). */
const SECRET_LAST_WORDS = new Set(['token', 'tokens']);
/** A key ending in one of these is a fact about a secret, not the secret (`passwordChangedAt`). */
const FACT_LAST_WORDS = new Set([
  'at',
  'on',
  'hint',
  'prefix',
  'id',
  'ids',
  'count',
  'policy',
  'length',
  'version',
  'enabled',
  'required',
  'expires',
  'rotated',
]);

/** `clientSecret`, `client_secret`, `X-Client-Secret` → ['client', 'secret']. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True for keys that look like they hold a secret, whatever their spelling. */
export function isSecretKey(key: string): boolean {
  const w = words(key);
  const last = w.at(-1);
  if (last === undefined || FACT_LAST_WORDS.has(last)) return false;
  if (SECRET_LAST_WORDS.has(last)) return true;
  return w.some((word, i) => SECRET_WORDS.has(word) || SECRET_PAIRS.has(word + (w[i + 1] ?? '')));
}

/**
 * A copy of `value` with the value of every secret-looking key replaced by "[redacted]", at
 * any depth of objects and arrays (e.g. an adapter's `{ auth: { password } }`).
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  // Deeper than any real change: stop rather than recurse without bound.
  if (depth > 32) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key,
      isSecretKey(key) && inner !== null && inner !== undefined
        ? REDACTED
        : redactSecrets(inner, depth + 1),
    ]),
  );
}
