import { hostField, remoteFolderFields, secretField, type AfterRead } from './common';

/** SFTP over SSH, with the server's host key pinned by its SHA-256 fingerprint. */
export const SFTP_ADAPTER_SCHEMA = {
  $id: 'https://integrixs.dev/schemas/adapters/sftp.json',
  title: 'SFTP adapter',
  type: 'object',
  additionalProperties: false,
  required: ['host', 'username', 'hostKeyFingerprint', 'remoteFolder'],
  properties: {
    host: hostField,
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
    username: { type: 'string', minLength: 1, maxLength: 255 },
    password: secretField('Password (or use a private key).'),
    privateKey: secretField('Private key in OpenSSH or PEM format.'),
    passphrase: secretField('Passphrase of the private key.'),
    hostKeyFingerprint: {
      type: 'string',
      pattern: '^SHA256:[A-Za-z0-9+/]{43}=?$',
      description: 'SHA-256 fingerprint of the server host key, as `ssh-keygen -lf` prints it.',
    },
    ...remoteFolderFields,
  },
} as const;

export type SftpAdapterConfig = {
  host: string;
  port?: number;
  username: string;
  hostKeyFingerprint: string;
  remoteFolder: string;
  filePattern?: string;
  afterRead?: AfterRead;
  connectTimeoutMs?: number;
  operationTimeoutMs?: number;
  retries?: { maxAttempts?: number; backoffMs?: number };
  maxConnections?: number;
};
export type SftpAdapterSecrets = { password?: string; privateKey?: string; passphrase?: string };
