import { createCipheriv, randomBytes } from 'node:crypto';

import { headerOf, keyIdOf, SecretBox, type SealedAt } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key.toString('base64'));
  const alice: SealedAt = { table: 'users', column: 'mfa_secret', id: 'alice-id' };
  const b64 = (bytes: Buffer) => bytes.toString('base64url');

  /** The format sealed before associated data and key ids: `v1.<iv>.<tag>.<ciphertext>`. */
  function legacySeal(plaintext: string, with_ = key): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', with_, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : b64(p)))
      .join('.');
  }

  /** The format sealed directly with the key (no data key): `v2.<keyId>.<iv>.<tag>.<ciphertext>`. */
  function directSeal(plaintext: string, at: SealedAt, with_ = key): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', with_, iv);
    cipher.setAAD(Buffer.from(`integrixs:${at.table}.${at.column}:${at.id}`));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v2', keyIdOf(with_), b64(iv), b64(cipher.getAuthTag()), b64(data)].join('.');
  }

  /** Replaces part `index` of a sealed value (0 = version) by what `change` makes of its bytes. */
  function alter(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
    const parts = sealed.split('.');
    parts[index] = b64(change(Buffer.from(parts[index] ?? '', 'base64url')));
    return parts.join('.');
  }
  const flipFirstBit = (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    copy[0] = (copy[0] ?? 0) ^ 1;
    return copy;
  };

  describe('envelope format', () => {
    it('round-trips, names its key-encryption key, and never produces the same ciphertext twice', () => {
      const a = box.seal('JBSWY3DPEHPK3PXP', alice);
      const b = box.seal('JBSWY3DPEHPK3PXP', alice);
      expect(a).not.toBe(b);
      expect(a).not.toContain('JBSWY3DPEHPK3PXP');
      expect(a.split('.')).toHaveLength(6);
      expect(a.split('.').slice(0, 2)).toEqual(['v3', box.keyId]);
      expect(headerOf(a)).toEqual({ version: 'v3', keyId: box.keyId });
      expect(box.open(a, alice)).toBe('JBSWY3DPEHPK3PXP');
    });

    it('seals every value with its own data key: a wrapped key from another value does not open it', () => {
      const a = box.seal('first', alice).split('.');
      const b = box.seal('second', alice).split('.');
      b[2] = a[2] ?? '';
      expect(() => box.open(b.join('.'), alice)).toThrow(/does not open/);
    });

    it('refuses a tampered ciphertext and a tampered wrapped data key', () => {
      const sealed = box.seal('secret', alice);
      expect(() => box.open(alter(sealed, 5, flipFirstBit), alice)).toThrow(/does not open/);
      expect(() => box.open(alter(sealed, 2, flipFirstBit), alice)).toThrow(/does not open/);
      expect(() =>
        box.open(
          alter(sealed, 2, (w) => Buffer.concat([w, w])),
          alice,
        ),
      ).toThrow(/wrapped data key has the wrong length/);
    });

    it('refuses a shortened authentication tag (GCM would accept 4 bytes)', () => {
      const sealed = box.seal('secret', alice);
      expect(() =>
        box.open(
          alter(sealed, 4, (tag) => tag.subarray(0, 4)),
          alice,
        ),
      ).toThrow(/tag has the wrong length/);
      // The wrapped data key ends with its own tag: shortened, the length check refuses it.
      expect(() =>
        box.open(
          alter(sealed, 2, (w) => w.subarray(0, w.length - 12)),
          alice,
        ),
      ).toThrow(/wrong length/);
    });

    it('binds the value and its data key to the table, column and row: a copy elsewhere does not open', () => {
      const sealed = box.seal('secret', alice);
      expect(() => box.open(sealed, { ...alice, id: 'mallory-id' })).toThrow(
        /moved to another row/,
      );
      expect(() => box.open(sealed, { ...alice, column: 'other_secret' })).toThrow();
      expect(() => box.open(sealed, { ...alice, table: 'api_tokens' })).toThrow();
      // The wrapped data key is bound too: re-wrapping it for another row fails.
      const rotating = new SecretBox(randomBytes(32).toString('base64'), [key.toString('base64')]);
      expect(() => rotating.rewrap(sealed, { ...alice, id: 'mallory-id' })).toThrow(
        /does not open/,
      );
    });

    it('names the key that sealed a value when it is not configured, and the keys that are', () => {
      const retired = randomBytes(32);
      const other = new SecretBox(randomBytes(32).toString('base64'), [retired.toString('base64')]);
      expect(() => other.open(box.seal('secret', alice), alice)).toThrow(
        `sealed with key ${box.keyId}, which is not configured: INTEGRIXS_ENCRYPTION_KEY is ${other.keyId} and INTEGRIXS_ENCRYPTION_KEYS_RETIRED holds ${keyIdOf(retired)}`,
      );
      expect(() =>
        new SecretBox(randomBytes(32).toString('base64')).open(box.seal('s', alice), alice),
      ).toThrow(/INTEGRIXS_ENCRYPTION_KEYS_RETIRED is empty/);
    });
  });

  describe('rotating the key-encryption key', () => {
    const next = randomBytes(32).toString('base64');
    const during = new SecretBox(next, [key.toString('base64')]);
    const after = new SecretBox(next);

    it('opens values of the retired key and seals new ones with the active key', () => {
      const old = box.seal('old secret', alice);
      expect(during.open(old, alice)).toBe('old secret');
      expect(headerOf(during.seal('new secret', alice))?.keyId).toBe(during.keyId);
      expect(during.statusOf(box.keyId)).toBe('retired');
      expect(during.statusOf(during.keyId)).toBe('active');
      expect(during.statusOf('000000000000')).toBe('unknown');
    });

    it('re-wraps only the data key: IV, tag and ciphertext stay, and the retired key is no longer needed', () => {
      const old = box.seal('old secret', alice);
      const rewrapped = during.rewrap(old, alice) ?? '';
      expect(rewrapped.split('.').slice(0, 2)).toEqual(['v3', during.keyId]);
      expect(rewrapped.split('.')[2]).not.toBe(old.split('.')[2]);
      expect(rewrapped.split('.').slice(3)).toEqual(old.split('.').slice(3));
      expect(after.open(rewrapped, alice)).toBe('old secret');
      expect(() => after.open(old, alice)).toThrow(/not configured/);
    });

    it('leaves a value already under the active key alone, and refuses to re-wrap what does not open', () => {
      expect(during.rewrap(during.seal('s', alice), alice)).toBeNull();
      expect(() => during.rewrap(alter(box.seal('s', alice), 5, flipFirstBit), alice)).toThrow(
        /does not open/,
      );
      expect(() => after.rewrap(box.seal('s', alice), alice)).toThrow(/not configured/);
    });

    it('keeps opening values sealed directly with a configured key (v2) and seals them again as v3', () => {
      const direct = directSeal('direct secret', alice);
      expect(box.open(direct, alice)).toBe('direct secret');
      expect(during.open(direct, alice)).toBe('direct secret');
      expect(() => during.open(direct, { ...alice, id: 'mallory-id' })).toThrow(/does not open/);
      expect(() =>
        box.open(
          alter(direct, 3, (t) => t.subarray(0, 4)),
          alice,
        ),
      ).toThrow(/tag has the wrong length/);
      const upgraded = during.rewrap(direct, alice) ?? '';
      expect(headerOf(upgraded)).toEqual({ version: 'v3', keyId: during.keyId });
      expect(after.open(upgraded, alice)).toBe('direct secret');
      expect(() => after.open(direct, alice)).toThrow(/not configured/);
    });
  });

  it('opens legacy v1 values only through openLegacy (with any configured key), for the upgrade at start', () => {
    const legacy = legacySeal('old secret');
    expect(box.openLegacy(legacy)).toBe('old secret');
    expect(
      new SecretBox(randomBytes(32).toString('base64'), [key.toString('base64')]).openLegacy(
        legacy,
      ),
    ).toBe('old secret');
    expect(() => box.open(legacy, alice)).toThrow(/not a sealed secret/);
    expect(() => box.openLegacy(box.seal('new', alice))).toThrow(/not a legacy/);
    expect(() => new SecretBox(randomBytes(32).toString('base64')).openLegacy(legacy)).toThrow(
      /does not open/,
    );
  });

  it('needs 32-byte keys, naming which one is wrong', () => {
    expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow(
      /INTEGRIXS_ENCRYPTION_KEY: the encryption key must be 32 bytes/,
    );
    expect(
      () => new SecretBox(key.toString('base64'), [key.toString('base64'), 'c2hvcnQ=']),
    ).toThrow(/INTEGRIXS_ENCRYPTION_KEYS_RETIRED #2: the encryption key must be 32 bytes/);
  });
});
