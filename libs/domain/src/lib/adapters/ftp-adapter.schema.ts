import { hostField, pemField, remoteFolderFields, secretField, type AfterRead } from './common';

/** FTP, plain or FTPS (explicit AUTH TLS on the control port, or implicit TLS). */
export const FTP_ADAPTER_SCHEMA = {
  $id: 'https://integrixs.dev/schemas/adapters/ftp.json',
  title: 'FTP adapter',
  type: 'object',
  additionalProperties: false,
  required: ['host', 'username', 'remoteFolder'],
  properties: {
    host: hostField,
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 21 },
    username: { type: 'string', minLength: 1, maxLength: 255 },
    password: secretField('Password.'),
    tls: { enum: ['none', 'explicit', 'implicit'], default: 'explicit' },
    passive: {
      type: 'boolean',
      default: true,
      description: 'Passive mode; active mode is not supported by the runtime.',
    },
    caCertificate: pemField('CA bundle (PEM) trusted for FTPS in addition to the system CAs.'),
    rejectUnauthorized: { type: 'boolean', default: true },
    ...remoteFolderFields,
  },
} as const;

export type FtpAdapterConfig = {
  host: string;
  port?: number;
  username: string;
  tls?: 'none' | 'explicit' | 'implicit';
  passive?: boolean;
  caCertificate?: string;
  rejectUnauthorized?: boolean;
  remoteFolder: string;
  filePattern?: string;
  afterRead?: AfterRead;
  connectTimeoutMs?: number;
  operationTimeoutMs?: number;
  retries?: { maxAttempts?: number; backoffMs?: number };
  maxConnections?: number;
};
export type FtpAdapterSecrets = { password?: string };
