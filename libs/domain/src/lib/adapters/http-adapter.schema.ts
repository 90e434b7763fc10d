import { pemField, poolSizeField, retriesField, secretField, timeoutField } from './common';

const headerName = { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", maxLength: 256 };

/** How the HTTP adapter authenticates; `type` picks which other fields are required. */
export const httpAuthField = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['none', 'basic', 'bearer', 'api-key', 'oauth2-client-credentials'] },
    username: { type: 'string', minLength: 1, maxLength: 255 },
    password: secretField('Password for basic authentication.'),
    token: secretField('Bearer token.'),
    headerName: { ...headerName, default: 'X-API-Key' },
    apiKey: secretField('API key sent in `headerName`.'),
    tokenUrl: { type: 'string', pattern: '^https?://', maxLength: 2048 },
    clientId: { type: 'string', minLength: 1, maxLength: 255 },
    clientSecret: secretField('OAuth2 client secret.'),
    scope: { type: 'string', maxLength: 1024 },
  },
  allOf: [
    {
      if: { properties: { type: { const: 'basic' } } },
      then: { properties: { username: true }, required: ['username'] },
    },
    {
      if: { properties: { type: { const: 'oauth2-client-credentials' } } },
      then: { properties: { tokenUrl: true, clientId: true }, required: ['tokenUrl', 'clientId'] },
    },
  ],
} as const;

/** TLS options: extra trusted CAs and a client certificate (its key is secret). */
export const tlsOptionsField = {
  type: 'object',
  additionalProperties: false,
  properties: {
    caCertificate: pemField('CA bundle (PEM) trusted in addition to the system CAs.'),
    clientCertificate: pemField('Client certificate (PEM) for mutual TLS.'),
    clientKey: secretField('Private key (PEM) of the client certificate.'),
    clientKeyPassphrase: secretField('Passphrase of the client key.'),
    rejectUnauthorized: { type: 'boolean', default: true },
  },
} as const;

/** HTTP/REST endpoint. */
export const HTTP_ADAPTER_SCHEMA = {
  $id: 'https://integrixs.dev/schemas/adapters/http.json',
  title: 'HTTP adapter',
  type: 'object',
  additionalProperties: false,
  required: ['baseUrl'],
  properties: {
    baseUrl: { type: 'string', pattern: '^https?://[^\\s/]+', maxLength: 2048 },
    method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'POST' },
    headers: {
      type: 'object',
      propertyNames: headerName,
      additionalProperties: { type: 'string', maxLength: 8192 },
      maxProperties: 50,
    },
    healthPath: { type: 'string', pattern: '^/', maxLength: 2048, default: '/' },
    expectedStatus: {
      type: 'array',
      items: { type: 'integer', minimum: 100, maximum: 599 },
      minItems: 1,
      maxItems: 20,
      description: 'Statuses the health check accepts; any 2xx when absent.',
    },
    auth: httpAuthField,
    tls: tlsOptionsField,
    connectTimeoutMs: timeoutField(10000),
    requestTimeoutMs: timeoutField(30000),
    retries: retriesField,
    maxConnections: poolSizeField,
  },
} as const;

export type HttpAuthConfig = {
  type: 'none' | 'basic' | 'bearer' | 'api-key' | 'oauth2-client-credentials';
  username?: string;
  headerName?: string;
  tokenUrl?: string;
  clientId?: string;
  scope?: string;
};
export type HttpTlsConfig = {
  caCertificate?: string;
  clientCertificate?: string;
  rejectUnauthorized?: boolean;
};
export type HttpAdapterConfig = {
  baseUrl: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  healthPath?: string;
  expectedStatus?: number[];
  auth?: HttpAuthConfig;
  tls?: HttpTlsConfig;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: { maxAttempts?: number; backoffMs?: number };
  maxConnections?: number;
};
export type HttpAdapterSecrets = {
  auth?: { password?: string; token?: string; apiKey?: string; clientSecret?: string };
  tls?: { clientKey?: string; clientKeyPassphrase?: string };
};
