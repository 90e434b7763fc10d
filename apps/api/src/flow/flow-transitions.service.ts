import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import {
  allowedFlowTransitions,
  flowTransition,
  flowTransitionRefusal,
  type FlowState,
} from '@integrixs/domain';

import { assertMayEdit, type AssetEditor } from '../asset/asset-editor';
import { currentVersion, lockAsset, saveAsset } from '../asset/asset-rows';
import { toAssetDetail } from '../asset/asset-views';
import { AssetService } from '../asset/asset.service';
import { runInTransaction } from '../core/database/transactions';
import { VersionConflictError } from '../core/errors/app-error';
import { actorName } from '../identity/actor-names';
import { type VisibilityScope } from '../identity/principal';
import { type FlowDetailDto, type FlowValidationDto } from './dto/flow-views.dto';
import { PackageFlow } from './entities/package-flow.entity';
import { flowContentOf } from './flow-content';
import { FlowNotReadyError, FlowTransitionError } from './flow-errors';
import { FlowValidator } from './flow-validator';
import { READINESS_CHECKER, type ReadinessChecker } from './readiness-checker';

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
    @Inject(READINESS_CHECKER) private readonly readiness: ReadinessChecker,
  ) {}

  async transition(
    packageId: string,
    flowId: string,
    to: FlowState,
    editor: AssetEditor,
    visibility: VisibilityScope,
    expectedVersion?: number,
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
      if (move.gated) {
        const content = flowContentOf(version.content);
        const problems = await this.readiness.check(
          m,
          { id: flowId, packageId, content },
          visibility,
        );
        if (problems.length > 0) throw new FlowNotReadyError(problems);
        await m.update(PackageFlow, { assetId: flowId }, { problems });
      }
      asset.status = to;
      await saveAsset(m, asset);
    });
    return (await this.assets.get(packageId, 'FLOW', flowId)) as FlowDetailDto;
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
