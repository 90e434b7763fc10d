import Ajv, { type ErrorObject } from 'ajv';

import { ADAPTER_CONFIG_KINDS, secretPointers, type AdapterConfigKind } from './common';
import { ADAPTER_CONFIG_SCHEMAS } from './index';

// Fully strict, so the schemas hold whatever Ajv options the API picks.
const ajv = new Ajv({ allErrors: true, strict: true });
const validators = Object.fromEntries(
  ADAPTER_CONFIG_KINDS.map((kind) => [kind, ajv.compile(ADAPTER_CONFIG_SCHEMAS[kind])]),
) as Record<AdapterConfigKind, ReturnType<typeof ajv.compile>>;

/** Where each error points: the instance path, plus the property name when one is missing. */
function pointers(kind: AdapterConfigKind, config: unknown): string[] {
  const validate = validators[kind];
  if (validate(config)) return [];
  // `if` errors only repeat the `then` errors beneath them at the parent's path.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  return errors.map((e: ErrorObject) => {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return e.instancePath + (missing ? `/${missing}` : extra ? `/${extra}` : '');
  });
}

const uuid = '0b5c1b1e-7c0e-4f55-9a59-3c1e6f0a9d21';
const fingerprint = 'SHA256:' + 'A'.repeat(43);

describe('adapter configuration schemas', () => {
  it.each<[AdapterConfigKind, unknown]>([
    ['FILE', { folder: '/data/in', filePattern: '*.xml', afterRead: { action: 'keep' } }],
    ['FILE', { folder: '/data/in', afterRead: { action: 'archive', targetFolder: '/data/old' } }],
    [
      'SFTP',
      {
        host: 'sftp.example.com',
        port: 22,
        username: 'flow',
        password: 'secret',
        hostKeyFingerprint: fingerprint,
        remoteFolder: '/upload',
        maxConnections: 2,
      },
    ],
    ['FTP', { host: '10.0.0.5', username: 'u', tls: 'implicit', remoteFolder: '/' }],
    ['EMAIL', { smtp: { host: 'mail', port: 465, tls: 'implicit', from: 'a@b.c' } }],
    [
      'EMAIL',
      {
        imap: {
          host: 'mail',
          username: 'u',
          password: 'p',
          afterRead: { action: 'move', targetMailbox: 'Done' },
        },
      },
    ],
    [
      'HTTP',
      {
        baseUrl: 'https://api.example.com/v1',
        headers: { 'X-Tenant': 'a' },
        auth: {
          type: 'oauth2-client-credentials',
          tokenUrl: 'https://idp.example.com/token',
          clientId: 'c',
          clientSecret: 's',
        },
        retries: { maxAttempts: 3, backoffMs: 500 },
      },
    ],
    [
      'SOAP',
      {
        wsdlAssetId: uuid,
        service: 'HelloService',
        port: 'HelloPort',
        operation: 'sayHello',
        wsSecurity: { username: 'u', password: 'p' },
      },
    ],
  ])('accepts a valid %s configuration', (kind, config) => {
    expect(pointers(kind, config)).toEqual([]);
  });

  it.each<[AdapterConfigKind, unknown, string[]]>([
    ['FILE', {}, ['/folder']],
    ['FILE', { folder: '/in', afterRead: { action: 'move' } }, ['/afterRead/targetFolder']],
    ['FILE', { folder: '/in', writeMode: 'append', extra: 1 }, ['/extra', '/writeMode']],
    [
      'SFTP',
      {
        host: 'h',
        port: 70000,
        username: 'u',
        hostKeyFingerprint: 'md5:aa',
        remoteFolder: '/',
        connectTimeoutMs: 5,
        maxConnections: 500,
      },
      ['/connectTimeoutMs', '/hostKeyFingerprint', '/maxConnections', '/port'],
    ],
    ['FTP', { host: 'ftp://x', username: 'u', remoteFolder: '/', tls: 'yes' }, ['/host', '/tls']],
    ['EMAIL', { smtp: { host: 'm', from: 'not-an-address' } }, ['/smtp/from']],
    ['EMAIL', { imap: { host: 'm' } }, ['/imap/username']],
    ['EMAIL', {}, ['', '/imap', '/smtp']],
    [
      'HTTP',
      {
        baseUrl: 'ftp://x',
        auth: { type: 'oauth2-client-credentials' },
        retries: { maxAttempts: 99 },
      },
      ['/auth/clientId', '/auth/tokenUrl', '/baseUrl', '/retries/maxAttempts'],
    ],
    ['HTTP', { baseUrl: 'http://x', headers: { 'bad header': 'v' } }, ['/headers']],
    ['SOAP', { wsdlAssetId: 'nope', service: 's', port: 'p' }, ['/operation', '/wsdlAssetId']],
  ])('rejects an invalid %s configuration, pointing at the wrong fields', (kind, config, want) => {
    expect([...new Set(pointers(kind, config))].sort()).toEqual(want);
  });

  it('marks every secret field write-only', () => {
    expect(secretPointers(ADAPTER_CONFIG_SCHEMAS.FILE)).toEqual([]);
    expect(secretPointers(ADAPTER_CONFIG_SCHEMAS.SFTP)).toEqual([
      '/passphrase',
      '/password',
      '/privateKey',
    ]);
    expect(secretPointers(ADAPTER_CONFIG_SCHEMAS.FTP)).toEqual(['/password']);
    expect(secretPointers(ADAPTER_CONFIG_SCHEMAS.EMAIL)).toEqual([
      '/imap/password',
      '/smtp/password',
    ]);
    expect(secretPointers(ADAPTER_CONFIG_SCHEMAS.HTTP)).toEqual([
      '/auth/apiKey',
      '/auth/clientSecret',
      '/auth/password',
      '/auth/token',
      '/tls/clientKey',
      '/tls/clientKeyPassphrase',
    ]);
    expect(secretPointers(ADAPTER_CONFIG_SCHEMAS.SOAP)).toEqual([
      '/tls/clientKey',
      '/tls/clientKeyPassphrase',
      '/wsSecurity/password',
    ]);
  });
});
