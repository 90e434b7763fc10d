import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ConfigError, type AppConfig } from '../config/app-config';

interface KeyFile {
  jwtSecret: string;
  encryptionKey: string;
  /** Earlier encryption keys (key ring), like INTEGRIXS_ENCRYPTION_KEYS_RETIRED. */
  retiredEncryptionKeys?: string[];
}

/** The problems of a keys.json that was edited by hand (the key ring). */
function keyFileProblems(file: string, stored: KeyFile): string[] {
  const isKey = (key: unknown) =>
    typeof key === 'string' && Buffer.from(key, 'base64').length === 32;
  const problems: string[] = [];
  if (typeof stored.jwtSecret !== 'string' || stored.jwtSecret.length < 32)
    problems.push(`${file}: jwtSecret must be at least 32 characters`);
  if (!isKey(stored.encryptionKey))
    problems.push(`${file}: encryptionKey must be 32 bytes, base64-encoded`);
  const retired = stored.retiredEncryptionKeys ?? [];
  if (!Array.isArray(retired) || !retired.every(isKey))
    problems.push(`${file}: retiredEncryptionKeys must be a list of 32-byte base64 keys`);
  return problems;
}

/**
 * The signing and encryption keys. Configured ones win. Outside production, missing ones are
 * generated on first start and kept in `<dataDir>/keys.json` (mode 600) so sessions and
 * encrypted secrets survive restarts; in production they must be configured. keys.json may list
 * `retiredEncryptionKeys` too (a key ring, for rotating the generated key; README).
 */
export function resolveKeys(config: AppConfig): AppConfig {
  if (config.jwtSecret !== undefined && config.encryptionKey !== undefined) return config;
  if (config.nodeEnv === 'production') {
    const missing = [
      config.jwtSecret === undefined ? 'INTEGRIXS_JWT_SECRET (at least 32 characters)' : undefined,
      config.encryptionKey === undefined
        ? 'INTEGRIXS_ENCRYPTION_KEY (openssl rand -base64 32)'
        : undefined,
    ].filter((item): item is string => item !== undefined);
    throw new ConfigError(missing.map((name) => `${name} must be set when NODE_ENV=production`));
  }
  const file = path.join(config.dataDir, 'keys.json');
  let stored: KeyFile;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    const problems = keyFileProblems(file, stored);
    if (problems.length > 0) throw new ConfigError(problems);
  } else {
    stored = {
      jwtSecret: randomBytes(48).toString('base64url'),
      encryptionKey: randomBytes(32).toString('base64'),
    };
    mkdirSync(config.dataDir, { recursive: true, mode: 0o755 });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const encryptionKey = config.encryptionKey ?? stored.encryptionKey;
  const retired =
    config.encryptionKey === undefined
      ? [...config.retiredEncryptionKeys, ...(stored.retiredEncryptionKeys ?? [])]
      : config.retiredEncryptionKeys;
  return {
    ...config,
    jwtSecret: config.jwtSecret ?? stored.jwtSecret,
    encryptionKey,
    retiredEncryptionKeys: [...new Set(retired)].filter((key) => key !== encryptionKey),
  };
}
