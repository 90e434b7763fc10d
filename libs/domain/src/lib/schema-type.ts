/** Schema formats kept in the schema library. */
export const SCHEMA_TYPES = ['XSD', 'WSDL', 'JSON_SCHEMA'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

/**
 * Adapter kinds (issue 10): one configuration JSON Schema each (ADAPTER_CONFIG_SCHEMAS). EMAIL
 * covers both halves, SMTP to send and IMAP to receive, in one configuration.
 */
export const ADAPTER_TYPES = ['FILE', 'SFTP', 'FTP', 'EMAIL', 'HTTP', 'SOAP'] as const;
export type AdapterType = (typeof ADAPTER_TYPES)[number];

/** SOURCE: a flow reads from it; TARGET: a flow writes to it; BOTH: either. */
export const ADAPTER_DIRECTIONS = ['SOURCE', 'TARGET', 'BOTH'] as const;
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
