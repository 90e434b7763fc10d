import { afterReadField, filePatternField, folderField, type AfterRead } from './common';

/** FILE: a folder on the machine running the flow runtime. */
export const FILE_ADAPTER_SCHEMA = {
  $id: 'https://integrixs.dev/schemas/adapters/file.json',
  title: 'File adapter',
  type: 'object',
  additionalProperties: false,
  required: ['folder'],
  properties: {
    folder: folderField,
    filePattern: filePatternField,
    afterRead: afterReadField,
    writeMode: {
      enum: ['temp-rename', 'direct'],
      default: 'temp-rename',
      description: 'temp-rename writes `<name>.part` and renames it when complete.',
    },
    checkPermissions: { type: 'boolean', default: true },
  },
} as const;

export type FileAdapterConfig = {
  folder: string;
  filePattern?: string;
  afterRead?: AfterRead;
  writeMode?: 'temp-rename' | 'direct';
  checkPermissions?: boolean;
};
export type FileAdapterSecrets = Record<string, never>;
