import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  allowedFlowTransitions,
  deleteRefusal,
  stateAfterEdit,
  type FlowContent,
  type FlowProblem,
  type FlowState,
} from '@integrixs/domain';

import {
  AssetTypeRegistry,
  type AssetDeleteContext,
  type AssetInput,
  type AssetSaveContext,
  type PreparedContent,
  type SavedAsset,
} from '../asset/asset-type-handler';
import { contentHash } from '../asset/content-hash';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { queryRows } from '../core/database/query-rows';
import { StateConflictError } from '../core/errors/app-error';
import { DependencyAwareAssetHandler } from '../dependency/dependency-aware-asset.handler';
import { DependencyService } from '../dependency/dependency.service';
import { type CreateFlowDto, type UpdateFlowDto } from './dto/flow-input.dto';
import { type FlowDetailDto } from './dto/flow-views.dto';
import { PackageFlow } from './entities/package-flow.entity';
import { assertFlowShape, flowContentOf, normaliseFlow } from './flow-content';
import { FlowDeploymentLookup } from './flow-deployment-lookup';
import { FlowReferences } from './flow-references';
import { FlowValidator, type FlowValidation } from './flow-validator';

/**
 * The flow asset type. Content is `{ nodes, edges }` (FlowContent in @integrixs/domain): its
 * shape is checked on save (400 naming the field), then the graph is validated (flow-graph.ts,
 * flow-references.ts) and its problems kept with the version, so an unfinished draft can be
 * saved. Every asset a node uses that the caller can read becomes a dependency edge in the
 * save's transaction, so a schema's, adapter's or mapping's dependents list the flow.
 *
 * Status is the flow's lifecycle (flow-states.ts): set only through POST …/transitions (the
 * bodies have no `status`); a content change to a READY flow returns it to DRAFT, and an
 * ARCHIVED flow is kept as it is.
 */
@Injectable()
export class FlowAssetHandler extends DependencyAwareAssetHandler<FlowDetailDto> {
  readonly type = 'FLOW' as const;
  readonly detailEntity = PackageFlow;
  readonly secretFields: readonly string[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    registry: AssetTypeRegistry,
    graph: DependencyService,
    private readonly validator: FlowValidator,
    private readonly references: FlowReferences,
    private readonly deployments: FlowDeploymentLookup,
  ) {
    super(registry, graph);
  }

  /** A deployed flow cannot be deleted (409 naming the environments); then the graph's rule. */
  override async beforeDelete(
    m: EntityManager,
    asset: PackageAsset,
    ctx: AssetDeleteContext,
  ): Promise<void> {
    const refusal = deleteRefusal(asset.status, await this.deployments.deployedIn(m, asset.id));
    if (refusal) throw new StateConflictError(refusal, 'status');
    await super.beforeDelete(m, asset, ctx);
  }

  prepareCreate(input: AssetInput, ctx: AssetSaveContext): Promise<PreparedContent> {
    const dto = input as CreateFlowDto;
    return this.prepare({ nodes: dto.nodes ?? [], edges: dto.edges ?? [] }, ctx);
  }

  async prepareUpdate(
    input: AssetInput,
    current: PackageAsset,
    ctx: AssetSaveContext,
  ): Promise<PreparedContent | undefined> {
    if (current.status === 'ARCHIVED')
      throw new StateConflictError(
        `flow ${current.id} is ARCHIVED: an archived flow is kept as it was and cannot be changed`,
        'status',
      );
    const dto = input as UpdateFlowDto;
    if (dto.nodes === undefined && dto.edges === undefined) return undefined;
    const [row] = await queryRows<{ content: unknown; content_hash: string }>(
      this.db.manager,
      `SELECT content, content_hash FROM asset_versions WHERE asset_id = $1 AND version_number = $2`,
      [current.id, current.currentVersion],
    );
    const was = flowContentOf(row?.content);
    const prepared = await this.prepare(
      { nodes: dto.nodes ?? was.nodes, edges: dto.edges ?? was.edges },
      ctx,
    );
    // A changed graph must be proven ready again: the generic update applies this status.
    if (contentHash(prepared.content) !== row?.content_hash)
      input.status = stateAfterEdit(current.status);
    return prepared;
  }

  private async prepare(raw: unknown, ctx: AssetSaveContext): Promise<PreparedContent> {
    assertFlowShape(raw);
    const content = normaliseFlow(raw);
    const state = await this.validator.validate(this.db.manager, content, ctx.visibility);
    return { content, state };
  }

  async onSave(
    m: EntityManager,
    { asset, detail, prepared }: SavedAsset,
    ctx: AssetSaveContext,
  ): Promise<FlowDetailDto> {
    if (prepared) {
      const { problems, edges } = prepared.state as FlowValidation;
      await m.update(PackageFlow, { assetId: asset.id }, { problems });
      await this.graph.replaceEdges(m, asset, edges, ctx.visibility);
    }
    return this.view(m, detail);
  }

  async view(m: EntityManager, detail: AssetDetailDto): Promise<FlowDetailDto> {
    const content: FlowContent = flowContentOf(detail.content);
    const [row] = await queryRows<{ problems: FlowProblem[] }>(
      m,
      `SELECT problems FROM package_flows WHERE asset_id = $1`,
      [detail.id],
    );
    const problems = row?.problems ?? [];
    return {
      ...detail,
      nodes: content.nodes as unknown as Record<string, unknown>[],
      edges: content.edges as unknown as Record<string, unknown>[],
      problems,
      valid: problems.length === 0,
      references: await this.references.list(m, content, detail.packageId),
      allowedTransitions: allowedFlowTransitions(detail.status as FlowState),
    };
  }
}
