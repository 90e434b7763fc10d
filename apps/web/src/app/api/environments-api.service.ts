import { inject, Injectable } from '@angular/core';

import {
  type CreateEnvironmentDto,
  type EnvironmentDto,
  type UpdateEnvironmentDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toDone, toResult, type ApiResult } from './api-result';

/**
 * The deployment environments (`/api/environments`): everyone reads them, administrators add,
 * rename, protect and delete them (a 409 on delete names what still uses the environment).
 */
@Injectable({ providedIn: 'root' })
export class EnvironmentsApi {
  private readonly client = inject(API_CLIENT);

  list(signal?: AbortSignal): Promise<ApiResult<EnvironmentDto[]>> {
    return toResult(this.client.GET('/api/environments', { signal }));
  }

  create(body: CreateEnvironmentDto): Promise<ApiResult<EnvironmentDto>> {
    return toResult(this.client.POST('/api/environments', { body }));
  }

  update(code: string, body: UpdateEnvironmentDto): Promise<ApiResult<EnvironmentDto>> {
    return toResult(
      this.client.PATCH('/api/environments/{code}', { params: { path: { code } }, body }),
    );
  }

  delete(code: string): Promise<ApiResult<null>> {
    return toDone(this.client.DELETE('/api/environments/{code}', { params: { path: { code } } }));
  }
}
