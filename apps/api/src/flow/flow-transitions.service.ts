import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import {
  allowedFlowTransitions,
  archiveRefusal,
  flowTransition,
  flowTransitionRefusal,
  type FlowState,
} from '@integrixs/domain';

import { assertMayEdit, type AssetEditor } from '../asset/asset-editor';
import { currentVersion, lockAsset, saveAsset } from '../asset/asset-rows';
import { toAssetDetail } from '../asset/asset-views';
import { AssetService } from '../asset/asset.service';
import { runInTransaction } from '../core/database/transactions';
import { StateConflictError, VersionConflictError } from '../core/errors/app-error';
import { actorName } from '../identity/actor-names';
import { type Principal, type VisibilityScope } from '../identity/principal';
import {
  type FlowDetailDto,
  type FlowDraftValidationDto,
  type FlowValidationDto,
} from './dto/flow-views.dto';
import { PackageFlow } from './entities/package-flow.entity';
import { assertFlowShape, flowContentOf, normaliseFlow } from './flow-content';
import { FlowDeploymentLookup } from './flow-deployment-lookup';
import { FlowNotReadyError, FlowTransitionError } from './flow-errors';
import { FlowValidator } from './flow-validator';
import { ReadyGate } from './readiness-gate';

/**
 * The flow lifecycle (the FLOW_TRANSITIONS table of @integrixs/domain): moves the table lacks
 * are 409 naming the allowed ones; gated moves (to READY) run the ReadinessChecker first and are
 * 409 `flow_not_ready` with its problems. The flow row is locked while it moves, so a
 * concurrent edit either lands before (and is checked) or waits and then returns it to DRAFT.
 */
@Injectable()
export class FlowTransitions {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly assets: AssetService,
    private readonly validator: FlowValidator,
    private readonly readiness: ReadyGate,
    private readonly deployments: FlowDeploymentLookup,
  ) {}

  async transition(
    packageId: string,
    flowId: string,
    to: FlowState,
    editor: AssetEditor,
    principal: Principal,
    expectedVersion?: number,
    environment?: string,
  ): Promise<FlowDetailDto> {
    await runInTransaction(this.db, async (m) => {
      const asset = await lockAsset(m, packageId, 'FLOW', flowId);
      assertMayEdit(asset, editor, `Flow ${flowId}`);
      const version = await currentVersion(m, asset);
      if (expectedVersion !== undefined && asset.version !== expectedVersion)
        throw new VersionConflictError(
          `Flow ${flowId}`,
          expectedVersion,
          toAssetDetail(asset, version, await actorName(m, asset.updatedBy)),
        );
      const from = asset.status;
      const move = flowTransition(from, to);
      if (!move)
        throw new FlowTransitionError(
          flowTransitionRefusal(from, to) ?? '',
          from,
          allowedFlowTransitions(from),
        );
      if (to === 'ARCHIVED') {
        const refusal = archiveRefusal(await this.deployments.deployedIn(m, flowId));
        if (refusal) throw new StateConflictError(refusal, 'to');
      }
      if (move.gated) {
        const content = flowContentOf(version.content);
        const verdict = await this.readiness.check({
          manager: m,
          flow: { id: flowId, packageId, version: version.versionNumber, content },
          principal,
          ...(environment ? { environment } : {}),
        });
        if (verdict.passedIn === null)
          throw new FlowNotReadyError(verdict.problems, verdict.results);
        await m.update(PackageFlow, { assetId: flowId }, { problems: verdict.problems });
      }
      asset.status = to;
      await saveAsset(m, asset);
    });
    return (await this.assets.get(packageId, 'FLOW', flowId)) as FlowDetailDto;
  }

  /**
   * An unsaved graph checked as a save would check it (shape: 400 naming the field; then the
   * graph's problems), without writing anything: the designer's live feedback.
   */
  async validateDraft(
    draft: { nodes?: unknown[]; edges?: unknown[] },
    visibility: VisibilityScope,
  ): Promise<FlowDraftValidationDto> {
    const raw = { nodes: draft.nodes ?? [], edges: draft.edges ?? [] };
    assertFlowShape(raw);
    const { problems } = await this.validator.validate(
      this.db.manager,
      normaliseFlow(raw),
      visibility,
    );
    return { valid: problems.length === 0, problems };
  }

  /** The flow's current version checked now, as the caller sees it. */
  async validation(
    packageId: string,
    flowId: string,
    visibility: VisibilityScope,
  ): Promise<FlowValidationDto> {
    const flow = await this.assets.get(packageId, 'FLOW', flowId);
    const { problems } = await this.validator.validate(
      this.db.manager,
      flowContentOf(flow.content),
      visibility,
    );
    return { flowId, version: flow.currentVersion, valid: problems.length === 0, problems };
  }
}
