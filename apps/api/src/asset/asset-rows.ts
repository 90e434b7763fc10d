import { type EntityManager } from 'typeorm';

import { type AssetType } from '@integrixs/domain';

import { sqlState, UNIQUE_VIOLATION } from '../core/database/database-errors';
import { NameConflictError, NotFoundError } from '../core/errors/app-error';
import { contentHash } from './content-hash';
import { AssetVersion } from './entities/asset-version.entity';
import { PackageAsset } from './entities/package-asset.entity';

/** The row-level steps of the generic asset writes (AssetService), each inside its transaction. */

export const ASSET_LABELS: Record<AssetType, string> = {
  SCHEMA: 'Schema',
  ADAPTER: 'Adapter',
  MAPPING: 'Mapping',
  FLOW: 'Flow',
};

/**
 * Checks the package exists and is not deleted, holding a KEY SHARE lock until commit so the
 * package cannot be deleted half-way through writing one of its assets.
 */
export async function lockLivePackage(m: EntityManager, packageId: string): Promise<void> {
  const rows = await m.query<unknown[]>(
    'SELECT 1 FROM integration_packages WHERE id = $1 AND deleted_at IS NULL FOR KEY SHARE',
    [packageId],
  );
  if (rows.length === 0) throw new NotFoundError('Package', packageId);
}

/** The live asset, locked FOR UPDATE until commit; 404 when it is not of this type/package. */
export async function lockAsset(
  m: EntityManager,
  packageId: string,
  type: AssetType,
  assetId: string,
): Promise<PackageAsset> {
  const asset = await m.findOne(PackageAsset, {
    where: { id: assetId, packageId, type },
    lock: { mode: 'pessimistic_write' },
  });
  if (!asset) throw new NotFoundError(ASSET_LABELS[type], assetId);
  return asset;
}

export async function currentVersion(m: EntityManager, asset: PackageAsset): Promise<AssetVersion> {
  return m.findOneByOrFail(AssetVersion, {
    assetId: asset.id,
    versionNumber: asset.currentVersion,
  });
}

export async function addVersion(
  m: EntityManager,
  assetId: string,
  versionNumber: number,
  content: unknown,
  message: string | undefined,
): Promise<AssetVersion> {
  const version = m.create(AssetVersion, {
    assetId,
    versionNumber,
    content,
    contentHash: contentHash(content),
    message: message ?? '',
  });
  return m.save(version);
}

export async function assertNameFree(
  m: EntityManager,
  packageId: string,
  type: AssetType,
  name: string,
): Promise<void> {
  const taken = await m
    .createQueryBuilder(PackageAsset, 'a')
    .where('a.package_id = :packageId AND a.type = :type AND lower(a.name) = lower(:name)', {
      packageId,
      type,
      name,
    })
    .getExists();
  if (taken) throw new NameConflictError(ASSET_LABELS[type], name, 'in this package');
}

/** Saves, turning a unique-index race (two creates with one name at once) into a 409. */
export async function saveAsset(m: EntityManager, asset: PackageAsset): Promise<void> {
  try {
    await m.save(asset);
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      throw new NameConflictError(ASSET_LABELS[asset.type], asset.name, 'in this package');
    }
    throw error;
  }
}

/** The content without its secret fields, and those fields (see AssetTypeHandler.secretFields). */
export function splitSecrets(
  content: unknown,
  secretFields: readonly string[],
): { content: unknown; secrets: Record<string, unknown> } {
  if (
    secretFields.length === 0 ||
    typeof content !== 'object' ||
    content === null ||
    Array.isArray(content)
  ) {
    return { content, secrets: {} };
  }
  const kept: Record<string, unknown> = { ...(content as Record<string, unknown>) };
  const secrets: Record<string, unknown> = {};
  for (const field of secretFields) {
    if (field in kept) {
      secrets[field] = kept[field];
      delete kept[field];
    }
  }
  return { content: kept, secrets };
}
