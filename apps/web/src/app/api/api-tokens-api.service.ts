import { inject, Injectable } from '@angular/core';

import {
  type ApiTokenListDto,
  type CreateApiTokenDto,
  type CreatedApiTokenDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toDone, toResult, type ApiResult } from './api-result';

/** The signed-in user's own API tokens (`/api/tokens`): the secret is answered once, at creation. */
@Injectable({ providedIn: 'root' })
export class ApiTokensApi {
  private readonly client = inject(API_CLIENT);

  list(signal?: AbortSignal): Promise<ApiResult<ApiTokenListDto>> {
    return toResult(this.client.GET('/api/tokens', { signal }));
  }

  create(body: CreateApiTokenDto): Promise<ApiResult<CreatedApiTokenDto>> {
    return toResult(this.client.POST('/api/tokens', { body }));
  }

  revoke(id: string): Promise<ApiResult<null>> {
    return toDone(
      this.client.DELETE('/api/tokens/{tokenId}', { params: { path: { tokenId: id } } }),
    );
  }
}
