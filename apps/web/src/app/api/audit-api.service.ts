import { inject, Injectable } from '@angular/core';

import { type AuditPageDto, type operations } from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toResult, type ApiResult } from './api-result';

/** The filters of `GET /api/audit` (actor, entity type, action, package, from/to, paging). */
export type AuditQuery = NonNullable<operations['listAudit']['parameters']['query']>;

/** The whole audit log (`/api/audit`, administrators), newest first. */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly client = inject(API_CLIENT);

  list(query: AuditQuery, signal?: AbortSignal): Promise<ApiResult<AuditPageDto>> {
    return toResult(this.client.GET('/api/audit', { params: { query }, signal }));
  }
}
