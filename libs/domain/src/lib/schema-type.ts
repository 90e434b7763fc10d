/** Schema formats kept in the schema library. */
export const SCHEMA_TYPES = ['XSD', 'WSDL', 'JSON_SCHEMA'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

/** Adapter kinds from the seed: File, SFTP, FTP, Email (SMTP/IMAP), HTTP/REST, SOAP. */
export const ADAPTER_TYPES = [
  'FILE',
  'SFTP',
  'FTP',
  'EMAIL_SMTP',
  'EMAIL_IMAP',
  'HTTP',
  'SOAP',
] as const;
export type AdapterType = (typeof ADAPTER_TYPES)[number];

export const ADAPTER_DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;
export type AdapterDirection = (typeof ADAPTER_DIRECTIONS)[number];

/** How one asset refers to another (`package_asset_dependencies.kind`). */
export const DEPENDENCY_KINDS = [
  'SCHEMA_IMPORT',
  'ADAPTER_SCHEMA',
  'MAPPING_SOURCE_SCHEMA',
  'MAPPING_TARGET_SCHEMA',
  'FLOW_ADAPTER',
  'FLOW_MAPPING',
  'FLOW_SCHEMA',
] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];
