import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { runWithContext } from '../core/request-context/request-context';
import { DeploymentsService } from '../deployment/deployments.service';
import { type Principal } from '../identity/principal';

/** Who an automatic rollback is recorded as (audit log, state_changed_by). */
export const HEALTH_CHECK_ACTOR = 'system:health-check';

/**
 * The runtime acting on its own: no user, no MFA confirmation. In a protected environment the
 * deployment gate therefore refuses it (an operator with a recent step-up must roll back there);
 * elsewhere the gate asks nothing of the caller.
 */
const SYSTEM_PRINCIPAL: Principal = {
  kind: 'user',
  userId: HEALTH_CHECK_ACTOR,
  username: HEALTH_CHECK_ACTOR,
  role: 'ADMINISTRATOR',
  mfaEnrolled: false,
  mfaAt: null,
  sessionId: null,
  token: null,
  verified: true,
};

/**
 * RUNTIME_HEALTH_AUTO_ROLLBACK: a deployment that failed its health check and is still the
 * active one is replaced by the deployment it replaced, through the deployments' own quick
 * rollback (audited as ROLLED_BACK by `system:health-check`, NOTIFYed).
 */
@Injectable()
export class HealthRollback {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly deployments: DeploymentsService,
  ) {}

  /** Rolls back; answers the deployment re-activated, or why nothing was done. */
  async rollBack(deploymentId: string): Promise<{ rolledBackTo: string | null; detail: string }> {
    const [failing] = await queryRows<{
      package_id: string;
      flow_id: string;
      environment_id: string;
      state: string;
      environment: string;
      protected: boolean;
    }>(
      this.db.manager,
      `SELECT d.package_id, d.flow_id, d.environment_id, d.state,
              e.code AS environment, e.protected
         FROM flow_deployments d JOIN environments e ON e.id = d.environment_id
        WHERE d.id = $1`,
      [deploymentId],
    );
    if (!failing || failing.state !== 'DEPLOYED')
      return { rolledBackTo: null, detail: 'not rolled back: no longer the active deployment' };
    if (failing.protected)
      return {
        rolledBackTo: null,
        detail: `not rolled back: ${failing.environment} is protected, an operator with a recent MFA confirmation must roll back there`,
      };
    const [previous] = await queryRows<{ id: string }>(
      this.db.manager,
      `SELECT id FROM flow_deployments
        WHERE flow_id = $1 AND environment_id = $2 AND id <> $3 AND state = 'UNDEPLOYED'
          AND state_changed_at <= (SELECT state_changed_at FROM flow_deployments WHERE id = $3)
        ORDER BY state_changed_at DESC, created_at DESC LIMIT 1`,
      [failing.flow_id, failing.environment_id, deploymentId],
    );
    if (!previous)
      return { rolledBackTo: null, detail: 'not rolled back: no earlier deployment to return to' };
    try {
      await runWithContext(
        { requestId: `health-check-${deploymentId}`, actor: HEALTH_CHECK_ACTOR },
        () =>
          this.deployments.rollback(failing.package_id, failing.flow_id, previous.id, {
            principal: SYSTEM_PRINCIPAL,
            packageRole: 'ADMINISTRATOR',
          }),
      );
      return { rolledBackTo: previous.id, detail: `rolled back to deployment ${previous.id}` };
    } catch (error) {
      return { rolledBackTo: null, detail: `not rolled back: ${(error as Error).message}` };
    }
  }
}
