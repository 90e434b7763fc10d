import { createCipheriv, randomBytes } from 'node:crypto';

import { SecretBox, type SealedAt } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key.toString('base64'));
  const alice: SealedAt = { table: 'users', column: 'mfa_secret', id: 'alice-id' };

  /** The format sealed before associated data and key ids: `v1.<iv>.<tag>.<ciphertext>`. */
  function legacySeal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  it('round-trips, names its key, and never produces the same ciphertext twice', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP', alice);
    const b = box.seal('JBSWY3DPEHPK3PXP', alice);
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(a.split('.').slice(0, 2)).toEqual(['v2', box.keyId]);
    expect(box.open(a, alice)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses tampered ciphertext', () => {
    const parts = box.seal('secret', alice).split('.');
    const flipped = Buffer.from(parts[4] ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    parts[4] = flipped.toString('base64url');
    expect(() => box.open(parts.join('.'), alice)).toThrow(/does not open/);
  });

  it('refuses a shortened authentication tag (GCM would accept 4 bytes)', () => {
    const parts = box.seal('secret', alice).split('.');
    parts[3] = Buffer.from(parts[3] ?? '', 'base64url')
      .subarray(0, 4)
      .toString('base64url');
    expect(() => box.open(parts.join('.'), alice)).toThrow(/tag has the wrong length/);
  });

  it('binds the value to its table, column and row: a copy elsewhere does not open', () => {
    const sealed = box.seal('secret', alice);
    expect(() => box.open(sealed, { ...alice, id: 'mallory-id' })).toThrow(/moved to another row/);
    expect(() => box.open(sealed, { ...alice, column: 'other_secret' })).toThrow();
    expect(() => box.open(sealed, { ...alice, table: 'api_tokens' })).toThrow();
  });

  it('says which key sealed a value when another key is configured', () => {
    const other = new SecretBox(randomBytes(32).toString('base64'));
    expect(() => other.open(box.seal('secret', alice), alice)).toThrow(
      new RegExp(
        `sealed with key ${box.keyId}, but the configured INTEGRIXS_ENCRYPTION_KEY is ${other.keyId}`,
      ),
    );
  });

  it('opens legacy v1 values only through openLegacy, for the upgrade at start', () => {
    const legacy = legacySeal('old secret');
    expect(box.openLegacy(legacy)).toBe('old secret');
    expect(() => box.open(legacy, alice)).toThrow(/not a sealed secret/);
    expect(() => box.openLegacy(box.seal('new', alice))).toThrow(/not a legacy/);
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
