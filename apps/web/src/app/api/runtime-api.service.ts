import { inject, Injectable } from '@angular/core';

import {
  type BulkReplayResultDto,
  type DeadLetterDto,
  type DeadLetterPageDto,
  type DeploymentHealthDto,
  type ExecutionDetailDto,
  type ExecutionDto,
  type ExecutionPageDto,
  type ReplayResultDto,
  type SentMessageDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toResult, type ApiResult } from './api-result';

/** The filters of `GET /api/packages/{id}/executions` (all optional). */
export interface ExecutionQuery {
  readonly flowId?: string;
  readonly environment?: string;
  readonly status?: ExecutionDto['status'];
  readonly trigger?: ExecutionDto['trigger'];
  readonly from?: string;
  readonly to?: string;
  readonly q?: string;
}

/** The filters of `GET /api/packages/{id}/dead-letters`. */
export interface DeadLetterQuery {
  readonly flowId?: string;
  readonly environment?: string;
  readonly status?: DeadLetterDto['status'];
}

/** Which pin set a replay runs on: the failed message's own deployment, or the active one. */
export type ReplayPins = 'ORIGINAL' | 'ACTIVE';

/** A page of a list: at most this many rows. */
const PAGE_SIZE = 50;

/**
 * The runtime endpoints the console uses (`/api/packages/{id}/executions…`, `…/dead-letters…`,
 * `…/flows/{flowId}/runs`, the post-deployment health check): what ran, its trace and payloads,
 * the dead-letter queue with replay and discard, and manual runs.
 */
@Injectable({ providedIn: 'root' })
export class RuntimeApi {
  private readonly client = inject(API_CLIENT);

  /** One page of the package's executions, newest first. */
  executions(
    packageId: string,
    query: ExecutionQuery,
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<ApiResult<ExecutionPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/executions', {
        params: {
          path: { id: packageId },
          query: { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
        },
        signal,
      }),
    );
  }

  /** One execution with every step attempt (its trace) and its dead letter. */
  execution(
    packageId: string,
    messageId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<ExecutionDetailDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/executions/{messageId}', {
        params: { path: { id: packageId, messageId } },
        signal,
      }),
    );
  }

  /** The execution's input payload, as a Blob of its content type. */
  executionPayload(packageId: string, messageId: string): Promise<ApiResult<Blob>> {
    return toResult(
      this.client.GET('/api/packages/{id}/executions/{messageId}/payload', {
        params: { path: { id: packageId, messageId } },
        parseAs: 'blob',
      }),
    );
  }

  /** One page of the package's dead letters, newest first. */
  deadLetters(
    packageId: string,
    query: DeadLetterQuery,
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<ApiResult<DeadLetterPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/dead-letters', {
        params: {
          path: { id: packageId },
          query: { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
        },
        signal,
      }),
    );
  }

  /** The failed step's stored input (what a replay resumes with), as text. */
  async deadLetterPayloadText(packageId: string, deadLetterId: string): Promise<ApiResult<string>> {
    const result = await toResult(
      this.client.GET('/api/packages/{id}/dead-letters/{deadLetterId}/payload', {
        params: { path: { id: packageId, deadLetterId } },
        parseAs: 'text',
      }),
    );
    return result.ok ? { ok: true, data: String(result.data) } : result;
  }

  /** Replays one dead letter, with an edited payload when `payload` is given. */
  replay(
    packageId: string,
    deadLetterId: string,
    pins: ReplayPins,
    edited?: { payload: string; contentType?: string },
  ): Promise<ApiResult<ReplayResultDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/dead-letters/{deadLetterId}/replay', {
        params: { path: { id: packageId, deadLetterId } },
        body: { pins, ...(edited ?? {}) },
      }),
    );
  }

  /** Replays several dead letters in one transaction; one outcome per id. */
  replayMany(
    packageId: string,
    ids: string[],
    pins: ReplayPins,
  ): Promise<ApiResult<BulkReplayResultDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/dead-letters/replay', {
        params: { path: { id: packageId } },
        body: { ids, pins },
      }),
    );
  }

  /** Marks a dead letter DISCARDED. */
  discard(packageId: string, deadLetterId: string): Promise<ApiResult<DeadLetterDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/dead-letters/{deadLetterId}/discard', {
        params: { path: { id: packageId, deadLetterId } },
      }),
    );
  }

  /** Runs a deployed flow once with a payload (trigger MANUAL). */
  run(
    packageId: string,
    flowId: string,
    body: { environment: string; payload: string; contentType?: string },
  ): Promise<ApiResult<SentMessageDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/flows/{flowId}/runs', {
        params: { path: { id: packageId, flowId } },
        body,
      }),
    );
  }

  /** A deployment's post-deployment health check. */
  deploymentHealth(
    packageId: string,
    flowId: string,
    deploymentId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<DeploymentHealthDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}/deployments/{deploymentId}/health', {
        params: { path: { id: packageId, flowId, deploymentId } },
        signal,
      }),
    );
  }
}
