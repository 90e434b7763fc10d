import { inject, Injectable } from '@angular/core';

import {
  type AccessTokenDto,
  type AdapterDetailDto,
  type AdapterOverviewDto,
  type AssetPageDto,
  type ConnectionTestResultDto,
  type ConnectionTestStepDto,
  type CreateAdapterDto,
  type EffectiveConfigDto,
  type EnvironmentDto,
  type OverlayDto,
  type PromotionPreviewDto,
  type UpdateAdapterDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { ifMatch, toResult, type ApiResult } from './api-result';
import { ApiSession } from './api-session';
import { readConnectionTest } from './connection-test-stream';

/** The most adapters one request lists (the API's cap). */
const LIST_LIMIT = 200;

/** The adapter endpoints the console uses (`/api/packages/{id}/adapters…`, `/api/environments`). */
@Injectable({ providedIn: 'root' })
export class AdaptersApi {
  private readonly client = inject(API_CLIENT);
  private readonly session = inject(ApiSession);

  /** The package's adapters (optionally of one type), by name. */
  list(
    packageId: string,
    adapterType: CreateAdapterDto['adapterType'] | undefined,
    signal?: AbortSignal,
  ): Promise<ApiResult<AssetPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/container/adapters', {
        params: { path: { id: packageId }, query: { limit: LIST_LIMIT, adapterType } },
        signal,
      }),
    );
  }

  /**
   * One page of the package's adapters by name (optionally of one type) with their type,
   * direction and last connection test per environment: the first without `cursor`, the next
   * with the previous page's `nextCursor`.
   */
  overview(
    packageId: string,
    query: { adapterType?: CreateAdapterDto['adapterType']; cursor: string | null; limit: number },
    signal?: AbortSignal,
  ): Promise<ApiResult<AdapterOverviewDto>> {
    const { adapterType, cursor, limit } = query;
    return toResult(
      this.client.GET('/api/packages/{id}/adapters/overview', {
        params: {
          path: { id: packageId },
          query: { limit, ...(adapterType ? { adapterType } : {}), ...(cursor ? { cursor } : {}) },
        },
        signal,
      }),
    );
  }

  get(
    packageId: string,
    adapterId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<AdapterDetailDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/adapters/{adapterId}', {
        params: { path: { id: packageId, adapterId } },
        signal,
      }),
    );
  }

  create(packageId: string, body: CreateAdapterDto): Promise<ApiResult<AdapterDetailDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/adapters', {
        params: { path: { id: packageId } },
        body,
      }),
    );
  }

  /** `version` is the adapter's optimistic version as read (sent as `If-Match`): stale is a 412. */
  update(
    packageId: string,
    adapterId: string,
    version: number,
    body: UpdateAdapterDto,
  ): Promise<ApiResult<AdapterDetailDto>> {
    return toResult(
      this.client.PUT('/api/packages/{id}/adapters/{adapterId}', {
        params: { path: { id: packageId, adapterId }, header: ifMatch(version) },
        body,
      }),
    );
  }

  environments(signal?: AbortSignal): Promise<ApiResult<EnvironmentDto[]>> {
    return toResult(this.client.GET('/api/environments', { signal }));
  }

  effective(
    packageId: string,
    adapterId: string,
    environment: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<EffectiveConfigDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/adapters/{adapterId}/effective-config', {
        params: { path: { id: packageId, adapterId }, query: { environment } },
        signal,
      }),
    );
  }

  overlay(
    packageId: string,
    adapterId: string,
    env: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<OverlayDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/adapters/{adapterId}/environments/{env}', {
        params: { path: { id: packageId, adapterId, env } },
        signal,
      }),
    );
  }

  putOverlay(
    packageId: string,
    adapterId: string,
    env: string,
    values: Record<string, unknown>,
  ): Promise<ApiResult<OverlayDto>> {
    return toResult(
      this.client.PUT('/api/packages/{id}/adapters/{adapterId}/environments/{env}', {
        params: { path: { id: packageId, adapterId, env } },
        body: { values },
      }),
    );
  }

  /** Sets or rotates secrets (by JSON pointer) in one environment; may need MFA step-up (401). */
  setCredentials(
    packageId: string,
    adapterId: string,
    environment: string,
    secrets: Record<string, string>,
  ): Promise<ApiResult<EffectiveConfigDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/adapters/{adapterId}/credentials', {
        params: { path: { id: packageId, adapterId } },
        body: { environment, secrets },
      }),
    );
  }

  promotion(
    packageId: string,
    adapterId: string,
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<PromotionPreviewDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/adapters/{adapterId}/promotion', {
        params: { path: { id: packageId, adapterId }, query: { from, to } },
        signal,
      }),
    );
  }

  promote(
    packageId: string,
    adapterId: string,
    from: string,
    to: string,
  ): Promise<ApiResult<PromotionPreviewDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/adapters/{adapterId}/promote', {
        params: { path: { id: packageId, adapterId }, query: { from, to } },
      }),
    );
  }

  /** MFA step-up: a current code answers a fresh access token for sensitive actions. */
  stepUp(code: string): Promise<ApiResult<AccessTokenDto>> {
    return toResult(this.client.POST('/api/auth/mfa/verify', { body: { code } }));
  }

  /**
   * Runs a connection test, streamed: `onStep` hears each step as it completes, then the result
   * arrives (`Accept: application/x-ndjson`; the access token renewed once on a 401).
   */
  async test(
    packageId: string,
    adapterId: string,
    environment: string,
    onStep: (step: ConnectionTestStepDto) => void,
  ): Promise<ApiResult<ConnectionTestResultDto>> {
    const url =
      `/api/packages/${encodeURIComponent(packageId)}/adapters/${encodeURIComponent(adapterId)}` +
      `/test?environment=${encodeURIComponent(environment)}`;
    const send = (token: string | null) =>
      fetch(url, {
        method: 'POST',
        headers: {
          Accept: 'application/x-ndjson',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      });
    try {
      const sent = this.session.accessToken();
      let response = await send(sent);
      if (response.status === 401) {
        const renewed = await this.session.renewAccessToken(sent);
        if (renewed) response = await send(renewed);
      }
      return await readConnectionTest(response, onStep);
    } catch {
      return { ok: false, failure: { status: 0, problem: null, retryAfter: null } };
    }
  }
}
