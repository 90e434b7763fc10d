import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has zero-config defaults: embedded database, port 3000, demo seeded', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: 'localhost',
      databaseUrl: undefined,
      dataDir: path.resolve('.integrixs'),
      logLevel: 'info',
      bodyLimitBytes: 10 * 1024 * 1024,
      seedDemo: true,
      webDistDir: path.resolve('dist/apps/web/browser'),
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://u:p@db:5432/integrixs',
      DATABASE_POOL_SIZE: '20',
      LOG_LEVEL: 'debug',
      MAX_BODY_BYTES: '2048',
      INTEGRIXS_SEED_DEMO: 'false',
      INTEGRIXS_DATA_DIR: '/var/lib/integrixs',
      INTEGRIXS_EMBEDDED_PG_PORT: '6543',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://u:p@db:5432/integrixs',
      databasePoolSize: 20,
      logLevel: 'debug',
      bodyLimitBytes: 2048,
      seedDemo: false,
      dataDir: '/var/lib/integrixs',
      embeddedPostgresPort: 6543,
    });
  });

  it.each([
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535, got "eighty"'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535, got "70000"'],
    [
      'DATABASE_URL',
      'mysql://localhost/x',
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    ],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL is not a valid URL'],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    ['INTEGRIXS_SEED_DEMO', 'maybe', 'INTEGRIXS_SEED_DEMO must be true or false, got "maybe"'],
    [
      'MAX_BODY_BYTES',
      '10',
      'MAX_BODY_BYTES must be a whole number from 1024 to 1073741824, got "10"',
    ],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['loopback,fd00::/8', ['loopback', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s as a hop count or a list of proxies', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ['true', /"true" would let any client choose its IP/],
    ['yes', /"true" would let any client choose its IP/],
    ['10.0.0.0/33', /got "10.0.0.0\/33"/],
    ['proxy.example.com', /got "proxy.example.com"/],
    ['11', /got "11"/],
  ])(
    'refuses TRUST_PROXY=%s: any client could pick its IP, or it is not an address',
    (value, message) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(message);
    },
  );

  it('reads retired encryption keys as a comma-separated list and names the ones that are not 32 bytes', () => {
    const [k1, k2] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    expect(loadConfig({}).retiredEncryptionKeys).toEqual([]);
    expect(
      loadConfig({ INTEGRIXS_ENCRYPTION_KEYS_RETIRED: ` ${k1} , ${k2} ` }).retiredEncryptionKeys,
    ).toEqual([k1, k2]);
    expect(() =>
      loadConfig({ INTEGRIXS_ENCRYPTION_KEYS_RETIRED: `${k1},c2hvcnQ=,${k2},x` }),
    ).toThrow(
      'INTEGRIXS_ENCRYPTION_KEYS_RETIRED must be a comma-separated list of 32-byte keys, base64-encoded (openssl rand -base64 32); #2, #4 are not',
    );
  });

  it('creates no demo user or package in production, and refuses to be told to', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).seedDemo).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', INTEGRIXS_SEED_DEMO: 'true' })).toThrow(
      /INTEGRIXS_SEED_DEMO cannot be true when NODE_ENV=production/,
    );
  });

  it('reads the outbound target policy: loopback allowed outside production only, bad entries named', () => {
    expect(loadConfig({}).outboundAllowLoopback).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).outboundAllowLoopback).toBe(false);
    const config = loadConfig({
      NODE_ENV: 'production',
      INTEGRIXS_OUTBOUND_ALLOW: '*.example.com, 10.0.0.0/8, ::1',
      INTEGRIXS_OUTBOUND_DENY: '10.9.0.0/16',
      INTEGRIXS_OUTBOUND_ALLOW_LOOPBACK: 'true',
    });
    expect(config).toMatchObject({
      outboundAllow: ['*.example.com', '10.0.0.0/8', '::1'],
      outboundDeny: ['10.9.0.0/16'],
      outboundAllowLoopback: true,
    });
    expect(() => loadConfig({ INTEGRIXS_OUTBOUND_DENY: '10.0.0.0/33,http://x' })).toThrow(
      /INTEGRIXS_OUTBOUND_DENY must be .*"10\.0\.0\.0\/33", "http:\/\/x"/,
    );
  });

  it('reads the runtime job transport as the workers do: PostgreSQL by default, NATS by URL', () => {
    expect(loadConfig({}).runtimeTransport).toEqual({ kind: 'postgres' });
    expect(
      loadConfig({ RUNTIME_TRANSPORT: 'nats', RUNTIME_NATS_URL: 'nats://10.0.0.5:4222' })
        .runtimeTransport,
    ).toEqual({ kind: 'nats', url: 'nats://10.0.0.5:4222' });
    expect(() => loadConfig({ RUNTIME_TRANSPORT: 'rabbitmq' })).toThrow(/RUNTIME_TRANSPORT/);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});
