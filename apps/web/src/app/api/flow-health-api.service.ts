import { inject, Injectable } from '@angular/core';

import { type FlowHealthDto } from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toResult, type ApiResult } from './api-result';

/** A flow's runtime health per environment (`GET …/flows/{flowId}/health`). */
@Injectable({ providedIn: 'root' })
export class FlowHealthApi {
  private readonly client = inject(API_CLIENT);

  /** Messages, failures, error rate and durations over 5 minutes, 1 hour and 24 hours. */
  health(
    packageId: string,
    flowId: string,
    environment: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<FlowHealthDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/flows/{flowId}/health', {
        params: { path: { id: packageId, flowId }, query: { environment } },
        signal,
      }),
    );
  }
}
