import { secretField, timeoutField } from './common';
import { tlsOptionsField, type HttpTlsConfig } from './http-adapter.schema';

/** SOAP: a WSDL from the schema library and the service/port/operation to call in it. */
export const SOAP_ADAPTER_SCHEMA = {
  $id: 'https://integrixs.dev/schemas/adapters/soap.json',
  title: 'SOAP adapter',
  type: 'object',
  additionalProperties: false,
  required: ['wsdlAssetId', 'service', 'port', 'operation'],
  properties: {
    wsdlAssetId: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      description: 'Id of the WSDL asset in the schema library.',
    },
    service: { type: 'string', minLength: 1, maxLength: 255 },
    port: { type: 'string', minLength: 1, maxLength: 255 },
    operation: { type: 'string', minLength: 1, maxLength: 255 },
    endpointOverride: { type: 'string', pattern: '^https?://[^\\s/]+', maxLength: 2048 },
    wsSecurity: {
      type: 'object',
      additionalProperties: false,
      required: ['username'],
      properties: {
        username: { type: 'string', minLength: 1, maxLength: 255 },
        password: secretField('WS-Security UsernameToken password.'),
        passwordType: { enum: ['PasswordText', 'PasswordDigest'], default: 'PasswordText' },
      },
    },
    tls: tlsOptionsField,
    requestTimeoutMs: timeoutField(30000),
  },
} as const;

export type SoapAdapterConfig = {
  wsdlAssetId: string;
  service: string;
  port: string;
  operation: string;
  endpointOverride?: string;
  wsSecurity?: { username: string; passwordType?: 'PasswordText' | 'PasswordDigest' };
  tls?: HttpTlsConfig;
  requestTimeoutMs?: number;
};
export type SoapAdapterSecrets = {
  wsSecurity?: { password?: string };
  tls?: { clientKey?: string; clientKeyPassphrase?: string };
};
