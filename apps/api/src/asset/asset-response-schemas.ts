import {
  AUDITED_PROPERTIES,
  countedPageSchema,
  INTEGER,
  NULLABLE_STRING,
  objectSchema,
  STRING,
  STRINGS,
  type JsonSchema,
} from '../core/listing/response-schema';

/** Properties of AssetDto, in its order (the response schema of asset lists). */
export const ASSET_PROPERTIES: Record<string, JsonSchema> = {
  ...AUDITED_PROPERTIES,
  updatedByName: NULLABLE_STRING,
  packageId: STRING,
  type: STRING,
  name: STRING,
  description: STRING,
  tags: STRINGS,
  status: STRING,
  currentVersion: INTEGER,
  lock: objectSchema({ lockedBy: STRING, lockedAt: STRING }, true),
};

export const ASSET_SCHEMA = objectSchema(ASSET_PROPERTIES);

export const ASSET_PAGE_SCHEMA = countedPageSchema(ASSET_SCHEMA);

export const ASSET_SEARCH_PAGE_SCHEMA = countedPageSchema(
  objectSchema({ ...ASSET_PROPERTIES, packageName: STRING, schemaType: NULLABLE_STRING }),
);
