import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ConfigError, loadConfig } from '../config/app-config';
import { resolveKeys } from './keys';

describe('resolveKeys', () => {
  let dataDir: string;
  const key = () => randomBytes(32).toString('base64');

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const resolve = (env: Record<string, string> = {}) =>
    resolveKeys(loadConfig({ INTEGRIXS_DATA_DIR: dataDir, ...env }));

  it('generates keys into keys.json outside production and keeps them', () => {
    const first = resolve();
    expect(Buffer.from(first.encryptionKey ?? '', 'base64')).toHaveLength(32);
    expect(first.retiredEncryptionKeys).toEqual([]);
    expect(resolve().encryptionKey).toBe(first.encryptionKey);
  });

  it('reads a key ring from keys.json: the retired keys there join those configured', () => {
    const [active, old, older, configured] = [key(), key(), key(), key()];
    writeFileSync(
      path.join(dataDir, 'keys.json'),
      JSON.stringify({
        jwtSecret: randomBytes(48).toString('base64url'),
        encryptionKey: active,
        retiredEncryptionKeys: [old, older, active],
      }),
    );
    const config = resolve({ INTEGRIXS_ENCRYPTION_KEYS_RETIRED: configured });
    expect(config.encryptionKey).toBe(active);
    expect(config.retiredEncryptionKeys).toEqual([configured, old, older]);
  });

  it('names a bad key in keys.json', () => {
    const file = path.join(dataDir, 'keys.json');
    resolve();
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...stored, retiredEncryptionKeys: ['c2hvcnQ='] }));
    expect(() => resolve()).toThrow(ConfigError);
    expect(() => resolve()).toThrow(
      /keys\.json: retiredEncryptionKeys must be a list of 32-byte base64 keys/,
    );
  });

  it('needs the keys configured in production', () => {
    expect(() => resolve({ NODE_ENV: 'production' })).toThrow(
      /INTEGRIXS_ENCRYPTION_KEY \(openssl rand -base64 32\) must be set when NODE_ENV=production/,
    );
  });
});
