/**
 * Building blocks shared by the adapter configuration schemas. Every schema is a plain JSON Schema
 * (draft 2020-12 compatible, no custom keywords) so the API can validate with Ajv, Swagger can
 * document it and the console can render a form from it.
 *
 * Secret fields carry the standard `writeOnly: true` annotation: the API stores them
 * envelope-encrypted outside versioned content and answers `{ "set": true }` instead of the value.
 * `secretPointers()` lists them for a schema.
 */

/** A JSON Schema object as plain data (kept loose on purpose: it is data, not a type system). */
export type JsonSchema = { [keyword: string]: unknown };

/** The adapter kinds issue 10 configures (one JSON Schema each). */
export const ADAPTER_CONFIG_KINDS = ['FILE', 'SFTP', 'FTP', 'EMAIL', 'HTTP', 'SOAP'] as const;
export type AdapterConfigKind = (typeof ADAPTER_CONFIG_KINDS)[number];

export const hostField = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: '^[^\\s/]+$',
  description: 'Host name or IP address (no scheme, no path).',
} as const;

export const portField = (defaultPort: number) =>
  ({ type: 'integer', minimum: 1, maximum: 65535, default: defaultPort }) as const;

/** Timeouts in milliseconds: at least 100 ms, at most 5 minutes. */
export const timeoutField = (defaultMs: number) =>
  ({ type: 'integer', minimum: 100, maximum: 300000, default: defaultMs }) as const;

export const retriesField = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
    backoffMs: { type: 'integer', minimum: 0, maximum: 60000, default: 1000 },
  },
} as const;

export const poolSizeField = { type: 'integer', minimum: 1, maximum: 50, default: 4 } as const;

export const secretField = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 16384, writeOnly: true, description }) as const;

export const folderField = {
  type: 'string',
  minLength: 1,
  maxLength: 1024,
  description: 'Folder path; absolute on the target system.',
} as const;

export const filePatternField = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  default: '*',
  description: 'Glob for file names: `*` any run of characters, `?` one character.',
} as const;

/** What happens to a file after it was read: kept, deleted, or moved/archived to a folder. */
export const afterReadField = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { enum: ['keep', 'delete', 'move', 'archive'], default: 'keep' },
    targetFolder: folderField,
  },
  if: { properties: { action: { enum: ['move', 'archive'] } } },
  then: { properties: { targetFolder: true }, required: ['targetFolder'] },
} as const;

export type AfterRead = {
  action: 'keep' | 'delete' | 'move' | 'archive';
  targetFolder?: string;
};

/** PEM text (certificates, CA bundles); not secret. */
export const pemField = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 262144, description }) as const;

/**
 * JSON pointers (`/auth/password`) of every secret (`writeOnly`) field in a schema, following
 * nested objects and the branches of `if/then/else`, `allOf`, `anyOf` and `oneOf`.
 */
export function secretPointers(schema: JsonSchema, base = ''): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const s = node as JsonSchema;
    if (s['writeOnly'] === true) found.add(path);
    const props = s['properties'];
    if (props && typeof props === 'object')
      for (const [key, child] of Object.entries(props)) visit(child, `${path}/${key}`);
    for (const k of ['then', 'else']) visit(s[k], path);
    for (const k of ['allOf', 'anyOf', 'oneOf'])
      if (Array.isArray(s[k])) for (const branch of s[k] as unknown[]) visit(branch, path);
  };
  visit(schema, base);
  return [...found].sort();
}

/** The folder, polling and connection settings SFTP and FTP share. */
export const remoteFolderFields = {
  remoteFolder: folderField,
  filePattern: filePatternField,
  afterRead: afterReadField,
  connectTimeoutMs: timeoutField(10000),
  operationTimeoutMs: timeoutField(60000),
  retries: retriesField,
  maxConnections: poolSizeField,
} as const;
