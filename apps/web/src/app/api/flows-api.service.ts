import { inject, Injectable } from '@angular/core';

import {
  type ActiveFlowListDto,
  type AssetPageDto,
  type CreateFlowDto,
  type DeploymentDto,
  type DeploymentListDto,
  type EnvironmentDto,
  type FlowDetailDto,
  type FlowDraftDto,
  type FlowDraftValidationDto,
  type FlowProblemDto,
  type FlowTransitionDto,
  type FlowValidationDto,
  type ReadinessItemDto,
  type ReadinessResultDto,
  type UpdateFlowDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { problemList, toResult, type ApiFailure, type ApiResult } from './api-result';
import { ApiSession } from './api-session';
import { readReadiness } from './readiness-stream';

/** The most flows one request lists (the API's cap). */
const LIST_LIMIT = 200;

/**
 * The flow endpoints the console uses (`/api/packages/{id}/flows…`): the flows, their graph
 * checks and moves, the readiness checklist per environment and the deployment history.
 */
@Injectable({ providedIn: 'root' })
export class FlowsApi {
  private readonly client = inject(API_CLIENT);
  private readonly session = inject(ApiSession);

  /** The package's flows, by name (the first `LIST_LIMIT`). */
  list(packageId: string, signal?: AbortSignal): Promise<ApiResult<AssetPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/container/flows', {
        params: { path: { id: packageId }, query: { limit: LIST_LIMIT } },
        signal,
      }),
    );
  }

  get(packageId: string, flowId: string, signal?: AbortSignal): Promise<ApiResult<FlowDetailDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}', {
        params: { path: { id: packageId, flowId } },
        signal,
      }),
    );
  }

  create(packageId: string, body: CreateFlowDto): Promise<ApiResult<FlowDetailDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows', { params: { path: { id: packageId } }, body }),
    );
  }

  /** Saves the graph (a new version; 412 when `version` is no longer the current one). */
  update(
    packageId: string,
    flowId: string,
    body: UpdateFlowDto,
  ): Promise<ApiResult<FlowDetailDto>> {
    return toResult(
      this.client.PUT('/api/packages/{id}/flows/{flowId}', {
        params: { path: { id: packageId, flowId } },
        body,
      }),
    );
  }

  /** An unsaved graph checked as a save would check it (the designer's live feedback). */
  validateDraft(
    packageId: string,
    body: FlowDraftDto,
    signal?: AbortSignal,
  ): Promise<ApiResult<FlowDraftValidationDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows/validation', {
        params: { path: { id: packageId } },
        body,
        signal,
      }),
    );
  }

  /** The current version's problems, checked now as the caller sees them. */
  validation(
    packageId: string,
    flowId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<FlowValidationDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}/validation', {
        params: { path: { id: packageId, flowId } },
        signal,
      }),
    );
  }

  environments(signal?: AbortSignal): Promise<ApiResult<EnvironmentDto[]>> {
    return toResult(this.client.GET('/api/environments', { signal }));
  }

  /** The flow's checklist for one environment (each failing item says what to fix). */
  readiness(
    packageId: string,
    flowId: string,
    environment: string,
    signal?: AbortSignal,
    live = false,
  ): Promise<ApiResult<ReadinessResultDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}/readiness', {
        params: {
          path: { id: packageId, flowId },
          query: { environment, ...(live ? { live: true } : {}) },
        },
        signal,
      }),
    );
  }

  /**
   * The checklist, streamed: `onItem` hears each item as its check completes, then the result
   * arrives (`Accept: text/event-stream`; the access token renewed once on a 401). `live` runs
   * the connection tests now. When the stream breaks off without an answer the checklist is
   * asked for again as JSON (the items heard so far are then superseded by its result).
   */
  async checkReadiness(
    packageId: string,
    flowId: string,
    environment: string,
    live: boolean,
    onItem: (item: ReadinessItemDto) => void,
  ): Promise<ApiResult<ReadinessResultDto>> {
    const url =
      `/api/packages/${encodeURIComponent(packageId)}/flows/${encodeURIComponent(flowId)}` +
      `/readiness?environment=${encodeURIComponent(environment)}${live ? '&live=true' : ''}`;
    const send = (token: string | null) =>
      fetch(url, {
        headers: {
          Accept: 'text/event-stream',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      });
    let outcome: ApiResult<ReadinessResultDto>;
    try {
      const sent = this.session.accessToken();
      let response = await send(sent);
      if (response.status === 401) {
        const renewed = await this.session.renewAccessToken(sent);
        if (renewed) response = await send(renewed);
      }
      outcome = await readReadiness(response, onItem);
    } catch {
      outcome = { ok: false, failure: { status: 0, problem: null, retryAfter: null } };
    }
    if (outcome.ok || outcome.failure.status !== 0) return outcome;
    return this.readiness(packageId, flowId, environment, undefined, live);
  }

  /** What runs where in the package: every flow's active deployments, in one answer. */
  active(packageId: string, signal?: AbortSignal): Promise<ApiResult<ActiveFlowListDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/container/flows/active', {
        params: { path: { id: packageId } },
        signal,
      }),
    );
  }

  /** One page of the flow's deployments in every environment, newest first. */
  deployments(
    packageId: string,
    flowId: string,
    signal?: AbortSignal,
    page: { cursor?: string; limit?: number } = {},
  ): Promise<ApiResult<DeploymentListDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}/deployments', {
        params: { path: { id: packageId, flowId }, query: page },
        signal,
      }),
    );
  }

  /** One deployment of the flow, with its pins. */
  deployment(
    packageId: string,
    flowId: string,
    deploymentId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<DeploymentDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}/deployments/{deploymentId}', {
        params: { path: { id: packageId, flowId, deploymentId } },
        signal,
      }),
    );
  }

  /** Moves the flow (READY runs the readiness gate: 409 `flow_not_ready` with `problems`). */
  transition(
    packageId: string,
    flowId: string,
    body: FlowTransitionDto,
  ): Promise<ApiResult<FlowDetailDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows/{flowId}/transitions', {
        params: { path: { id: packageId, flowId } },
        body,
      }),
    );
  }
}

/** The readiness checklists a 409 `flow_not_ready` carries (one per environment checked). */
export function readinessOf(failure: ApiFailure): ReadinessResultDto[] {
  return problemList<ReadinessResultDto>(failure, 'readiness');
}

/** The graph problems a 409 `flow_not_ready` names (an extension member of that problem). */
export function flowProblemsOf(failure: ApiFailure): FlowProblemDto[] {
  return problemList<FlowProblemDto>(failure, 'problems');
}

/** Why a move was refused: the graph problems and each environment's failing readiness items. */
export function refusalReasons(failure: ApiFailure): string[] {
  return [
    ...flowProblemsOf(failure).map((problem) => problem.message),
    ...readinessOf(failure).flatMap((checklist) =>
      checklist.items
        .filter((item) => item.status === 'fail')
        .map((item) => `${checklist.environment}: ${item.explanation}`),
    ),
  ];
}
