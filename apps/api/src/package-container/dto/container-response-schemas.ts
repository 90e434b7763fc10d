import { ASSET_SCHEMA } from '../../asset/asset-response-schemas';
import {
  arraySchema,
  INTEGER,
  NULLABLE_STRING,
  objectSchema,
  STRING,
} from '../../core/listing/response-schema';
import { ASSET_COUNTS_SCHEMA } from '../../package-metadata/package-views';

/** Response schema of the container contents (ContainerContentsDto), in its property order. */
export const CONTAINER_CONTENTS_SCHEMA = objectSchema({
  packageId: STRING,
  totalAssets: INTEGER,
  byType: ASSET_COUNTS_SCHEMA,
  byStatus: objectSchema({ DRAFT: INTEGER, READY: INTEGER, ARCHIVED: INTEGER }),
  byTypeAndStatus: arraySchema(objectSchema({ type: STRING, status: STRING, count: INTEGER })),
  lastModified: arraySchema(ASSET_SCHEMA),
  readiness: objectSchema({ status: STRING, failingItems: INTEGER, checkedAt: NULLABLE_STRING }),
});
