import { type AdapterConfigKind } from './common';
import { neededSecrets } from './needed-secrets';

describe('neededSecrets', () => {
  it.each<[AdapterConfigKind, Record<string, unknown>, string[][]]>([
    ['FILE', { folder: '/in' }, []],
    ['SFTP', { host: 'h', username: 'u' }, [['/password', '/privateKey']]],
    ['FTP', { host: 'h', username: 'anonymous' }, []],
    ['FTP', { host: 'h', username: 'erp' }, [['/password']]],
    ['EMAIL', { smtp: { host: 'h', from: 'a@b' } }, []],
    [
      'EMAIL',
      { smtp: { host: 'h', username: 'u' }, imap: { host: 'h', username: 'u' } },
      [['/smtp/password'], ['/imap/password']],
    ],
    ['HTTP', { baseUrl: 'https://x', auth: { type: 'none' } }, []],
    [
      'HTTP',
      { baseUrl: 'https://x', auth: { type: 'basic', username: 'u' } },
      [['/auth/password']],
    ],
    [
      'HTTP',
      { baseUrl: 'https://x', auth: { type: 'oauth2-client-credentials' } },
      [['/auth/clientSecret']],
    ],
    ['HTTP', { baseUrl: 'https://x', tls: { clientCertificate: 'PEM' } }, [['/tls/clientKey']]],
    ['SOAP', { wsSecurity: { username: 'u' } }, [['/wsSecurity/password']]],
  ])('%s %j needs %j', (kind, config, expected) => {
    expect(neededSecrets(kind, config).map((n) => n.anyOf)).toEqual(expected);
  });
});
