import { inject, Injectable } from '@angular/core';

import {
  type AccessTokenDto,
  type DeploymentDto,
  type DriftDto,
  type ReadinessItemDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { problemList, toResult, type ApiFailure, type ApiResult } from './api-result';

/** What the console does with an active deployment (`POST …/deployments/{id}/{action}`). */
export type DeploymentAction = 'suspend' | 'resume' | 'undeploy';

/**
 * The deployment endpoints the console uses (`/api/packages/{id}/flows/{flowId}/deployments…`):
 * deploy (or partially roll back with pins), quick rollback, promote, suspend / resume /
 * undeploy and the drift between two environments. A protected environment answers 401
 * `mfa_required` until the caller confirms a code (`stepUp`).
 */
@Injectable({ providedIn: 'root' })
export class DeploymentsApi {
  private readonly client = inject(API_CLIENT);

  /** Deploys the flow (the readiness gate runs first: 409 `flow_not_ready` with `items`). */
  deploy(
    packageId: string,
    flowId: string,
    environment: string,
    pins?: Record<string, number>,
  ): Promise<ApiResult<DeploymentDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows/{flowId}/deployments', {
        params: { path: { id: packageId, flowId } },
        body: pins ? { environment, pins } : { environment },
      }),
    );
  }

  act(
    packageId: string,
    flowId: string,
    deploymentId: string,
    action: DeploymentAction,
  ): Promise<ApiResult<DeploymentDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows/{flowId}/deployments/{deploymentId}/{action}', {
        params: { path: { id: packageId, flowId, deploymentId, action } },
      }),
    );
  }

  /** Makes an earlier deployment (its exact pins) the active one in its environment again. */
  rollback(
    packageId: string,
    flowId: string,
    deploymentId: string,
  ): Promise<ApiResult<DeploymentDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows/{flowId}/deployments/{deploymentId}/rollback', {
        params: { path: { id: packageId, flowId, deploymentId } },
      }),
    );
  }

  /** Deploys a deployment's exact pins to another environment. */
  promote(
    packageId: string,
    flowId: string,
    deploymentId: string,
    to: string,
  ): Promise<ApiResult<DeploymentDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows/{flowId}/deployments/{deploymentId}/promote', {
        params: { path: { id: packageId, flowId, deploymentId } },
        body: { to },
      }),
    );
  }

  /** The pins that differ between the active deployments of two environments. */
  drift(
    packageId: string,
    flowId: string,
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<DriftDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}/deployments/drift', {
        params: { path: { id: packageId, flowId }, query: { from, to } },
        signal,
      }),
    );
  }

  /** Confirms an MFA code; the answer's access token counts as a recent step-up. */
  stepUp(code: string): Promise<ApiResult<AccessTokenDto>> {
    return toResult(this.client.POST('/api/auth/mfa/verify', { body: { code } }));
  }
}

/** The API asks for a recent MFA confirmation before it goes ahead. */
export function needsStepUp(failure: ApiFailure): boolean {
  return failure.status === 401 && failure.problem?.code === 'mfa_required';
}

/** The failing readiness items a 409 `flow_not_ready` from a deploy carries. */
export function refusedItemsOf(failure: ApiFailure): ReadinessItemDto[] {
  return problemList<ReadinessItemDto>(failure, 'items');
}
