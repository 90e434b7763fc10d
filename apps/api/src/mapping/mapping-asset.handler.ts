import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type ProblemFieldError } from '@integrixs/domain';
import {
  compileDefinition,
  MappingCompileError,
  type MappingProblem,
} from '@integrixs/mapping-engine';

import {
  AssetTypeRegistry,
  type AssetInput,
  type AssetSaveContext,
  type PreparedContent,
  type SavedAsset,
} from '../asset/asset-type-handler';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { queryRows } from '../core/database/query-rows';
import { DependencyAwareAssetHandler } from '../dependency/dependency-aware-asset.handler';
import { DependencyService, type DependencyEdge } from '../dependency/dependency.service';
import { type CreateMappingDto, type UpdateMappingDto } from './dto/mapping-input.dto';
import { type MappingDetailDto } from './dto/mapping-views.dto';
import { PackageMapping } from './entities/package-mapping.entity';
import {
  CONTENT_FIELDS,
  definitionOf,
  isEmptyMapping,
  mappingContentOf,
  mergeContent,
  type MappingContent,
} from './mapping-content';
import { MappingInvalidError } from './mapping-errors';
import { MappingRuns } from './mapping-runs';
import { MappingSchemas } from './mapping-schemas';

/**
 * The mapping asset type. Content is `{ kind, sourceSchema, targetSchema, rules,
 * documentExpression, stylesheet, files }` (mapping-content.ts). Saving resolves both schemas
 * (live, in a package the caller can read; pinned version or current) and compiles every
 * expression or stylesheet against their structures: problems are one 422 `mapping_invalid`,
 * source fields the source schema lacks are warnings kept with the mapping. Both schemas become
 * dependency edges in the save's transaction, so a schema's impact analysis lists the mapping.
 */
@Injectable()
export class MappingAssetHandler extends DependencyAwareAssetHandler<MappingDetailDto> {
  readonly type = 'MAPPING' as const;
  readonly detailEntity = PackageMapping;
  readonly secretFields: readonly string[] = [];

  constructor(
    registry: AssetTypeRegistry,
    graph: DependencyService,
    private readonly schemas: MappingSchemas,
    private readonly runs: MappingRuns,
  ) {
    super(registry, graph);
  }

  prepareCreate(input: AssetInput, ctx: AssetSaveContext): Promise<PreparedContent> {
    return this.prepare(mergeContent(input as CreateMappingDto), ctx);
  }

  async prepareUpdate(
    input: AssetInput,
    current: PackageAsset,
    ctx: AssetSaveContext,
  ): Promise<PreparedContent | undefined> {
    const dto = input as UpdateMappingDto;
    if (CONTENT_FIELDS.every((k) => dto[k] === undefined)) return undefined;
    const [row] = await queryRows<{ content: unknown }>(
      this.schemas.manager,
      `SELECT content FROM asset_versions WHERE asset_id = $1 AND version_number = $2`,
      [current.id, current.currentVersion],
    );
    return this.prepare(mergeContent(dto, mappingContentOf(row?.content)), ctx);
  }

  /** Resolves both schemas and compiles: 422 with every problem, or the content and warnings. */
  private async prepare(content: MappingContent, ctx: AssetSaveContext): Promise<PreparedContent> {
    const m = this.schemas.manager;
    const errors: ProblemFieldError[] = [];
    const source = await this.schemas.resolve(
      m,
      content.sourceSchema,
      'sourceSchema',
      ctx.visibility,
      errors,
    );
    const target = await this.schemas.resolve(
      m,
      content.targetSchema,
      'targetSchema',
      ctx.visibility,
      errors,
    );
    if (content.kind === 'XSLT') {
      for (const [where, side] of [
        ['sourceSchema', source],
        ['targetSchema', target],
      ] as const) {
        if (side && side.side.format !== 'XML')
          errors.push({
            path: `${where}.assetId`,
            message: 'an XSLT mapping reads and writes XML: choose an XSD or WSDL schema',
            code: 'type',
          });
      }
    }
    if (errors.length > 0 || !source || !target) throw new MappingInvalidError(errors);
    let warnings: MappingProblem[] = [];
    if (!isEmptyMapping(content)) {
      try {
        warnings = compileDefinition(definitionOf(content, source.side, target.side)).warnings;
      } catch (error) {
        if (error instanceof MappingCompileError)
          throw MappingInvalidError.compile(error.problems, content);
        throw error;
      }
    }
    return { content, state: { warnings } };
  }

  async onSave(
    m: EntityManager,
    { asset, detail, prepared }: SavedAsset,
    ctx: AssetSaveContext,
  ): Promise<MappingDetailDto> {
    if (prepared) {
      const content = prepared.content as MappingContent;
      const { warnings } = prepared.state as { warnings: MappingProblem[] };
      await m.update(PackageMapping, { assetId: asset.id }, { kind: content.kind, warnings });
      await this.graph.replaceEdges(m, asset, edgesOf(content), ctx.visibility);
    }
    return this.view(m, detail);
  }

  override afterCommit(assetId: string): void {
    this.runs.forget(assetId);
  }

  async view(m: EntityManager, detail: AssetDetailDto): Promise<MappingDetailDto> {
    const content = mappingContentOf(detail.content);
    const [row] = await queryRows<{ warnings: MappingProblem[] }>(
      m,
      `SELECT warnings FROM package_mappings WHERE asset_id = $1`,
      [detail.id],
    );
    return { ...detail, ...content, warnings: row?.warnings ?? [] };
  }
}

function edgesOf(content: MappingContent): DependencyEdge[] {
  return [
    {
      toAssetId: content.sourceSchema.assetId,
      kind: 'MAPPING_SOURCE_SCHEMA',
      pinnedVersion: content.sourceSchema.version,
    },
    {
      toAssetId: content.targetSchema.assetId,
      kind: 'MAPPING_TARGET_SCHEMA',
      pinnedVersion: content.targetSchema.version,
    },
  ];
}
