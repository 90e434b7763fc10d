import { type AdapterConfigKind } from './common';

/**
 * The secrets a configuration needs before it can connect: each entry is satisfied when any of
 * its pointers has a value (an SFTP login takes a password or a private key). Which secrets are
 * needed depends on the configuration (HTTP basic auth needs a password, bearer a token), which
 * the JSON Schema alone cannot say as a list; the API's "missing" report and the console's
 * "not set" warnings read it from here.
 */
export interface NeededSecret {
  /** Any one of these JSON pointers set satisfies the need. */
  anyOf: string[];
  /** What to tell the user, e.g. "no password set". */
  label: string;
}

type Config = Record<string, unknown>;
const objectAt = (config: Config, key: string): Config | undefined => {
  const value = config[key];
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Config)
    : undefined;
};

const HTTP_AUTH_SECRETS: Record<string, [string, string]> = {
  basic: ['password', 'password'],
  bearer: ['token', 'bearer token'],
  'api-key': ['apiKey', 'API key'],
  'oauth2-client-credentials': ['clientSecret', 'OAuth2 client secret'],
};

export function neededSecrets(kind: AdapterConfigKind, config: Config): NeededSecret[] {
  const needed: NeededSecret[] = [];
  switch (kind) {
    case 'SFTP':
      needed.push({ anyOf: ['/password', '/privateKey'], label: 'password or private key' });
      break;
    case 'FTP':
      if (config['username'] !== 'anonymous')
        needed.push({ anyOf: ['/password'], label: 'password' });
      break;
    case 'EMAIL':
      for (const half of ['smtp', 'imap']) {
        const server = objectAt(config, half);
        if (server?.['username'] !== undefined)
          needed.push({ anyOf: [`/${half}/password`], label: `${half.toUpperCase()} password` });
      }
      break;
    case 'HTTP':
    case 'SOAP': {
      const auth = kind === 'HTTP' ? objectAt(config, 'auth') : undefined;
      const secret = auth ? HTTP_AUTH_SECRETS[String(auth['type'])] : undefined;
      if (secret) needed.push({ anyOf: [`/auth/${secret[0]}`], label: secret[1] });
      if (kind === 'SOAP' && objectAt(config, 'wsSecurity'))
        needed.push({ anyOf: ['/wsSecurity/password'], label: 'WS-Security password' });
      if (objectAt(config, 'tls')?.['clientCertificate'] !== undefined)
        needed.push({ anyOf: ['/tls/clientKey'], label: 'client certificate key' });
      break;
    }
    case 'FILE':
      break;
  }
  return needed;
}
