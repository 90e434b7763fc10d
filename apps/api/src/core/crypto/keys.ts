import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ConfigError, type AppConfig } from '../config/app-config';

interface KeyFile {
  jwtSecret: string;
  encryptionKey: string;
}

/**
 * The signing and encryption keys. Configured ones win. Outside production, missing ones are
 * generated on first start and kept in `<dataDir>/keys.json` (mode 600) so sessions and
 * encrypted secrets survive restarts; in production they must be configured.
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
  } else {
    stored = {
      jwtSecret: randomBytes(48).toString('base64url'),
      encryptionKey: randomBytes(32).toString('base64'),
    };
    mkdirSync(config.dataDir, { recursive: true, mode: 0o755 });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return {
    ...config,
    jwtSecret: config.jwtSecret ?? stored.jwtSecret,
    encryptionKey: config.encryptionKey ?? stored.encryptionKey,
  };
}
