import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type ProblemFieldError } from '@integrixs/domain';
import { completeness } from '@integrixs/mapping-engine';

import { type AssetEditor } from '../asset/asset-editor';
import { AssetService } from '../asset/asset.service';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { type VisibilityScope } from '../identity/principal';
import { versionDetail, versionPage } from '../schema/schema-versions';
import { type CreateMappingDto, type UpdateMappingDto } from './dto/mapping-input.dto';
import {
  type MappingCompletenessDto,
  type MappingDetailDto,
  type MappingDiffDto,
  type MappingVersionDetailDto,
  type MappingVersionPageDto,
} from './dto/mapping-views.dto';
import { mappingContentOf, type MappingContent } from './mapping-content';
import { MappingInvalidError } from './mapping-errors';
import { MappingSchemas, type ResolvedSide } from './mapping-schemas';
import { outputDiff } from './output-diff';

/** A stored mapping with both of its schemas resolved, ready to run or check. */
/** Which mapping version to use, and which schema versions instead of those it references. */
export interface MappingVersionChoice {
  version?: number;
  schemaVersions?: ReadonlyMap<string, number>;
}

export interface LoadedMapping {
  asset: AssetDetailDto;
  /** The content version loaded (the current one unless a version was asked for). */
  contentVersion: number;
  content: MappingContent;
  source: ResolvedSide;
  target: ResolvedSide;
}

/**
 * What the mapping routes add to the generic asset routes: versions and rollback, completeness,
 * and loading a mapping with its schemas for the sample tests.
 */
@Injectable()
export class MappingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly assets: AssetService,
    private readonly schemas: MappingSchemas,
  ) {}

  /**
   * Creates a mapping the caller checked already, with its samples, inside the caller's
   * transaction (the demo seeder, whose schemas are not committed yet). No warnings are kept.
   */
  async createIn(
    m: EntityManager,
    packageId: string,
    dto: Omit<CreateMappingDto, keyof MappingContent>,
    content: MappingContent,
    samples: { name: string; input: string; expectedOutput: string | null }[],
    userId: string,
  ): Promise<MappingDetailDto> {
    const visibility: VisibilityScope = { all: false, userId, packageIds: [] };
    const mapping = (await this.assets.createIn(
      m,
      packageId,
      'MAPPING',
      dto,
      { content, state: { warnings: [] } },
      { packageId, visibility },
    )) as MappingDetailDto;
    for (const sample of samples) {
      await m.query(
        `INSERT INTO mapping_samples (asset_id, name, input, expected_output, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $5)`,
        [mapping.id, sample.name, sample.input, sample.expectedOutput, userId],
      );
    }
    return mapping;
  }

  /**
   * The mapping (404 outside the package) and its schemas (422 when one is gone).
   * `schemaVersions` (schema id → version) resolves those schemas at that version instead of
   * the one the mapping uses (impact analysis: its samples against a proposed version), and
   * `version` loads that content version of the mapping (a deployment's pinned one).
   */
  async load(
    packageId: string,
    mappingId: string,
    schemaVersions?: ReadonlyMap<string, number>,
    version?: number,
  ): Promise<LoadedMapping> {
    const asset = await this.assets.get(packageId, 'MAPPING', mappingId);
    const contentVersion = version ?? asset.currentVersion;
    const stored = mappingContentOf(
      contentVersion === asset.currentVersion
        ? asset.content
        : (await versionDetail(this.db.manager, asset.id, contentVersion, 'mapping')).content,
    );
    const at = (ref: typeof stored.sourceSchema) => ({
      ...ref,
      version: schemaVersions?.get(ref.assetId.toLowerCase()) ?? ref.version,
    });
    const content = schemaVersions
      ? { ...stored, sourceSchema: at(stored.sourceSchema), targetSchema: at(stored.targetSchema) }
      : stored;
    const errors: ProblemFieldError[] = [];
    const m = this.db.manager;
    const source = await this.schemas.resolve(
      m,
      content.sourceSchema,
      'sourceSchema',
      null,
      errors,
    );
    const target = await this.schemas.resolve(
      m,
      content.targetSchema,
      'targetSchema',
      null,
      errors,
    );
    if (!source || !target) throw new MappingInvalidError(errors);
    return { asset, contentVersion, content, source, target };
  }

  /** Required target fields left unmapped; `at` checks a pinned version against pinned schemas. */
  async completeness(
    packageId: string,
    mappingId: string,
    at: MappingVersionChoice = {},
  ): Promise<MappingCompletenessDto> {
    const { content, target } = await this.load(
      packageId,
      mappingId,
      at.schemaVersions,
      at.version,
    );
    const root = target.side.root;
    if (!root) throw new MappingInvalidError([]);
    const mapping =
      content.kind === 'XSLT'
        ? ({ wholeDocument: true } as const)
        : {
            rules: content.rules,
            ...(content.documentExpression !== null && { document: content.documentExpression }),
          };
    const report = completeness(root, mapping, { expand: target.side.expand });
    return { targetVersion: target.version, ...report };
  }

  async versions(
    packageId: string,
    mappingId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<MappingVersionPageDto> {
    const asset = await this.assets.get(packageId, 'MAPPING', mappingId);
    return versionPage(this.db.manager, asset, limit, cursor);
  }

  async version(packageId: string, mappingId: string, n: number): Promise<MappingVersionDetailDto> {
    const asset = await this.assets.get(packageId, 'MAPPING', mappingId);
    return versionDetail(this.db.manager, asset.id, n, 'mapping');
  }

  /**
   * What changed between two versions (default: the current one and the one before), by JSON
   * pointer; rules keyed by target and files by path, so a reordering is no change.
   */
  async diff(
    packageId: string,
    mappingId: string,
    from: number | undefined,
    to: number | undefined,
  ): Promise<MappingDiffDto> {
    const asset = await this.assets.get(packageId, 'MAPPING', mappingId);
    const newer = to ?? asset.currentVersion;
    const older = from ?? Math.max(1, newer - 1);
    const [a, b] = await Promise.all(
      [older, newer].map(async (n) =>
        comparable(
          mappingContentOf((await versionDetail(this.db.manager, asset.id, n, 'mapping')).content),
        ),
      ),
    );
    const changes = outputDiff(a, b).map(({ path, op, expected, actual }) => ({
      path,
      op,
      ...(op !== 'added' && { before: expected }),
      ...(op !== 'removed' && { after: actual }),
    }));
    return { from: older, to: newer, changes };
  }

  /** Version `n`'s content becomes current again as a new version (compiled again first). */
  async rollback(
    packageId: string,
    mappingId: string,
    n: number,
    message: string | undefined,
    expectedVersion: number,
    editor: AssetEditor,
    visibility: VisibilityScope,
  ): Promise<MappingDetailDto> {
    const old = mappingContentOf((await this.version(packageId, mappingId, n)).content);
    const dto: UpdateMappingDto = {
      ...old,
      sourceSchema: old.sourceSchema,
      targetSchema: old.targetSchema,
      message: message ?? `Rolled back to version ${n}`,
    };
    return (await this.assets.update(
      packageId,
      'MAPPING',
      mappingId,
      dto,
      expectedVersion,
      editor,
      visibility,
    )) as MappingDetailDto;
  }
}

/** A version's content as the diff compares it: rules by target, files by path. */
function comparable(content: MappingContent): Record<string, unknown> {
  return {
    ...content,
    rules: Object.fromEntries(content.rules.map((r) => [r.target, r.expression])),
    files: Object.fromEntries(content.files.map((f) => [f.path, f.text])),
  };
}
