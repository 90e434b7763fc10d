import { type AdapterConfigKind, type JsonSchema } from './common';
import { EMAIL_ADAPTER_SCHEMA } from './email-adapter.schema';
import { FILE_ADAPTER_SCHEMA } from './file-adapter.schema';
import { FTP_ADAPTER_SCHEMA } from './ftp-adapter.schema';
import { HTTP_ADAPTER_SCHEMA } from './http-adapter.schema';
import { SFTP_ADAPTER_SCHEMA } from './sftp-adapter.schema';
import { SOAP_ADAPTER_SCHEMA } from './soap-adapter.schema';

// The schema building blocks (hostField, portField, …) stay internal to this folder.
export {
  ADAPTER_CONFIG_KINDS,
  secretPointers,
  type AdapterConfigKind,
  type AfterRead,
  type JsonSchema,
} from './common';
export * from './email-adapter.schema';
export * from './file-adapter.schema';
export * from './ftp-adapter.schema';
export * from './http-adapter.schema';
export * from './needed-secrets';
export * from './sftp-adapter.schema';
export * from './soap-adapter.schema';

/** The configuration JSON Schema of each adapter kind. */
export const ADAPTER_CONFIG_SCHEMAS: Readonly<Record<AdapterConfigKind, JsonSchema>> = {
  FILE: FILE_ADAPTER_SCHEMA,
  SFTP: SFTP_ADAPTER_SCHEMA,
  FTP: FTP_ADAPTER_SCHEMA,
  EMAIL: EMAIL_ADAPTER_SCHEMA,
  HTTP: HTTP_ADAPTER_SCHEMA,
  SOAP: SOAP_ADAPTER_SCHEMA,
};
