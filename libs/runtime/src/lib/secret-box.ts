import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Envelope format: a data key per value, wrapped by a key-encryption key (KEK). */
const VERSION = 'v3';
/** Sealed directly with the key, with associated data and key id; opened, sealed again at start. */
const DIRECT_VERSION = 'v2';
/** Sealed before associated data and key ids existed; opened only to be sealed again. */
const LEGACY_VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A wrapped data key: IV, the encrypted 32-byte key, tag. */
const WRAPPED_BYTES = IV_BYTES + KEY_BYTES + TAG_BYTES;

export const ACTIVE_KEY_VARIABLE = 'INTEGRIXS_ENCRYPTION_KEY';
export const RETIRED_KEYS_VARIABLE = 'INTEGRIXS_ENCRYPTION_KEYS_RETIRED';

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

/** What the text of a sealed value says about itself (nothing secret). */
export interface SealedHeader {
  version: 'v1' | 'v2' | 'v3';
  /** The key that sealed it (v2) or wrapped its data key (v3); null for v1. */
  keyId: string | null;
}

function associatedData(at: SealedAt): Buffer {
  return Buffer.from(`integrixs:${at.table}.${at.column}:${at.id}`, 'utf8');
}

function wrapAssociatedData(at: SealedAt): Buffer {
  return Buffer.from(`integrixs-data-key:${at.table}.${at.column}:${at.id}`, 'utf8');
}

/** A short public name for a key (not secret: a hash prefix), stored with what it sealed. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('integrixs key id').update(key).digest('hex').slice(0, 12);
}

function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function gcmDecrypt(key: Buffer, iv: Buffer, tag: Buffer, data: Buffer, aad: Buffer | null) {
  // GCM accepts tags down to 4 bytes unless told otherwise; a shortened tag is a forgery aid.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new SecretBoxError('not a sealed secret: the IV or the tag has the wrong length');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new SecretBoxError(
      'the sealed secret does not open: it was changed, moved to another row, or sealed with another key',
    );
  }
}

const b64 = (bytes: Buffer): string => bytes.toString('base64url');
const bytesOf = (text: string): Buffer => Buffer.from(text, 'base64url');

function parseKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${name}: the encryption key must be 32 bytes`);
  return key;
}

/**
 * Encrypts secrets at rest with envelope encryption. Every value gets a fresh random 256-bit
 * data key; the value is encrypted with it (AES-256-GCM, random 96-bit IV, the whole 128-bit tag
 * required, the storage location as associated data), and the data key is wrapped (AES-256-GCM,
 * also bound to the location) by the active key-encryption key, whose id is stored in front:
 * `v3.<kekId>.<wrappedDataKey>.<iv>.<tag>.<ciphertext>` (base64url). Retired KEKs still unwrap,
 * so rotating the KEK re-wraps only the data keys (`rewrap`) and never touches the ciphertext.
 */
export class SecretBox {
  /** Id of the active key-encryption key: the one that wraps new data keys. */
  readonly keyId: string;
  /** Ids of the retired keys, which still open (and unwrap) what they sealed. */
  readonly retiredKeyIds: readonly string[];
  private readonly active: Buffer;
  private readonly keys = new Map<string, Buffer>();

  constructor(activeKeyBase64: string, retiredKeysBase64: readonly string[] = []) {
    this.active = parseKey(activeKeyBase64, ACTIVE_KEY_VARIABLE);
    this.keyId = keyIdOf(this.active);
    this.keys.set(this.keyId, this.active);
    for (const [index, retired] of retiredKeysBase64.entries()) {
      const key = parseKey(retired, `${RETIRED_KEYS_VARIABLE} #${index + 1}`);
      if (!this.keys.has(keyIdOf(key))) this.keys.set(keyIdOf(key), key);
    }
    this.retiredKeyIds = [...this.keys.keys()].filter((id) => id !== this.keyId);
  }

  /** Whether `keyId` is configured: 'active', 'retired', or 'unknown'. */
  statusOf(keyId: string | null): 'active' | 'retired' | 'unknown' {
    if (keyId === this.keyId) return 'active';
    return keyId !== null && this.keys.has(keyId) ? 'retired' : 'unknown';
  }

  seal(plaintext: string, at: SealedAt): string {
    const dataKey = randomBytes(KEY_BYTES);
    try {
      const wrapped = gcmEncrypt(this.active, dataKey, wrapAssociatedData(at));
      const sealed = gcmEncrypt(dataKey, Buffer.from(plaintext, 'utf8'), associatedData(at));
      return [
        VERSION,
        this.keyId,
        b64(Buffer.concat([wrapped.iv, wrapped.ciphertext, wrapped.tag])),
        b64(sealed.iv),
        b64(sealed.tag),
        b64(sealed.ciphertext),
      ].join('.');
    } finally {
      dataKey.fill(0);
    }
  }

  /** Opens a v3 value (any configured KEK) or a v2 value (sealed directly with a configured key). */
  open(sealed: string, at: SealedAt): string {
    const parts = sealed.split('.');
    const header = headerOf(sealed);
    if (header?.version === DIRECT_VERSION && parts.length === 5) {
      const [, , iv = '', tag = '', data = ''] = parts;
      const key = this.keyFor(header.keyId);
      return gcmDecrypt(key, bytesOf(iv), bytesOf(tag), bytesOf(data), associatedData(at)).toString(
        'utf8',
      );
    }
    if (header?.version !== VERSION || parts.length !== 6)
      throw new SecretBoxError('not a sealed secret');
    const [, , wrapped = '', iv = '', tag = '', data = ''] = parts;
    const dataKey = this.unwrap(header.keyId, wrapped, at);
    try {
      return gcmDecrypt(
        dataKey,
        bytesOf(iv),
        bytesOf(tag),
        bytesOf(data),
        associatedData(at),
      ).toString('utf8');
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * The value with its data key wrapped by the active KEK, or null when it already is. A v3
   * value keeps its IV, tag and ciphertext (only the wrapped data key changes); a v2 value is
   * sealed again in v3. Throws SecretBoxError when the value does not open here.
   */
  rewrap(sealed: string, at: SealedAt): string | null {
    const header = headerOf(sealed);
    if (header?.version === DIRECT_VERSION) return this.seal(this.open(sealed, at), at);
    const parts = sealed.split('.');
    if (header?.version !== VERSION || parts.length !== 6)
      throw new SecretBoxError('not a sealed secret');
    if (header.keyId === this.keyId) return null;
    const dataKey = this.unwrap(header.keyId, parts[2] ?? '', at);
    try {
      // Proves the data key opens this value here before anything is written.
      gcmDecrypt(
        dataKey,
        bytesOf(parts[3] ?? ''),
        bytesOf(parts[4] ?? ''),
        bytesOf(parts[5] ?? ''),
        associatedData(at),
      );
      const wrapped = gcmEncrypt(this.active, dataKey, wrapAssociatedData(at));
      parts[1] = this.keyId;
      parts[2] = b64(Buffer.concat([wrapped.iv, wrapped.ciphertext, wrapped.tag]));
      return parts.join('.');
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * Opens a value sealed before associated data and key ids (`v1.`) with whichever configured
   * key opens it, only to seal it again at start (SealedColumns). `open` refuses such values, so
   * an old one copied into a row later does not open.
   */
  openLegacy(sealed: string): string {
    const [version, iv, tag, data, ...rest] = sealed.split('.');
    if (version !== LEGACY_VERSION || !iv || !tag || data === undefined || rest.length > 0)
      throw new SecretBoxError('not a legacy sealed secret');
    let failure: unknown;
    for (const key of this.keys.values()) {
      try {
        return gcmDecrypt(key, bytesOf(iv), bytesOf(tag), bytesOf(data), null).toString('utf8');
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  private keyFor(keyId: string | null): Buffer {
    const key = keyId === null ? undefined : this.keys.get(keyId);
    if (key) return key;
    const retired =
      this.retiredKeyIds.length > 0
        ? ` and ${RETIRED_KEYS_VARIABLE} holds ${this.retiredKeyIds.join(', ')}`
        : ` and ${RETIRED_KEYS_VARIABLE} is empty`;
    throw new SecretBoxError(
      `sealed with key ${keyId ?? '(none)'}, which is not configured: ${ACTIVE_KEY_VARIABLE} is ${this.keyId}${retired}`,
    );
  }

  private unwrap(keyId: string | null, wrapped64: string, at: SealedAt): Buffer {
    const kek = this.keyFor(keyId);
    const wrapped = bytesOf(wrapped64);
    if (wrapped.length !== WRAPPED_BYTES)
      throw new SecretBoxError('not a sealed secret: the wrapped data key has the wrong length');
    return gcmDecrypt(
      kek,
      wrapped.subarray(0, IV_BYTES),
      wrapped.subarray(IV_BYTES + KEY_BYTES),
      wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES),
      wrapAssociatedData(at),
    );
  }
}

/** The version and key id a sealed value names, or null when it is not one of ours. */
export function headerOf(sealed: string): SealedHeader | null {
  const [version, keyId] = sealed.split('.', 2);
  if (version === LEGACY_VERSION) return { version, keyId: null };
  if ((version === VERSION || version === DIRECT_VERSION) && keyId && /^[0-9a-f]{12}$/.test(keyId))
    return { version, keyId };
  return null;
}
