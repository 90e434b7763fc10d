import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v2';
/** Sealed before associated data and key ids existed; opened only to be sealed again. */
const LEGACY_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Where a sealed value is stored. It is bound into the ciphertext as associated data, so a
 * value copied to another row or column (by someone who can write the database but does not
 * hold the key) no longer opens.
 */
export interface SealedAt {
  table: string;
  column: string;
  /** The row's primary key. */
  id: string;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

function associatedData(at: SealedAt): Buffer {
  return Buffer.from(`integrixs:${at.table}.${at.column}:${at.id}`, 'utf8');
}

/** A short public name for a key (not secret: a hash prefix), stored with what it sealed. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('integrixs key id').update(key).digest('hex').slice(0, 12);
}

/**
 * Encrypts secrets at rest with AES-256-GCM: a random 96-bit IV, a 128-bit tag that must be
 * whole on decrypt, the storage location as associated data, and the id of the key that sealed
 * it. The text form is `v2.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). Envelope encryption
 * with key rotation builds on the key id (docs/security.md).
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(keyBase64: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('the encryption key must be 32 bytes');
    this.keyId = keyIdOf(this.key);
  }

  seal(plaintext: string, at: SealedAt): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(at));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.keyId,
      ...[iv, cipher.getAuthTag(), ciphertext].map((p) => p.toString('base64url')),
    ].join('.');
  }

  open(sealed: string, at: SealedAt): string {
    const parts = sealed.split('.');
    const [version, keyId, iv, tag, data] = parts;
    if (version !== VERSION || parts.length !== 5 || !iv || !tag || data === undefined)
      throw new SecretBoxError('not a sealed secret');
    if (keyId !== this.keyId)
      throw new SecretBoxError(
        `sealed with key ${keyId}, but the configured INTEGRIXS_ENCRYPTION_KEY is ${this.keyId}`,
      );
    return this.decrypt(iv, tag, data, associatedData(at));
  }

  /**
   * Opens a value sealed before associated data and key ids (`v1.`), only to seal it again at
   * start (SealedColumnsUpgrade). `open` refuses such values, so an old one copied into a row
   * later does not open.
   */
  openLegacy(sealed: string): string {
    const [version, iv, tag, data, ...rest] = sealed.split('.');
    if (version !== LEGACY_VERSION || !iv || !tag || data === undefined || rest.length > 0)
      throw new SecretBoxError('not a legacy sealed secret');
    return this.decrypt(iv, tag, data, null);
  }

  private decrypt(iv64: string, tag64: string, data64: string, aad: Buffer | null): string {
    const iv = Buffer.from(iv64, 'base64url');
    const tag = Buffer.from(tag64, 'base64url');
    // GCM accepts tags down to 4 bytes unless told otherwise; a shortened tag is a forgery aid.
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new SecretBoxError('not a sealed secret: the IV or the tag has the wrong length');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(Buffer.from(data64, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'the sealed secret does not open: it was changed, moved to another row, or sealed with another key',
      );
    }
  }
}
