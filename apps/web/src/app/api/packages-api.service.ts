import { inject, Injectable } from '@angular/core';

import {
  type ContainerContentsDto,
  type PackageDetailDto,
  type PackagePageDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toResult, type ApiResult } from './api-result';

export interface PackageListQuery {
  q?: string;
  cursor?: string;
  limit?: number;
}

/** The package library endpoints the console uses (`/api/packages…`). */
@Injectable({ providedIn: 'root' })
export class PackagesApi {
  private readonly client = inject(API_CLIENT);

  list(query: PackageListQuery, signal?: AbortSignal): Promise<ApiResult<PackagePageDto>> {
    return toResult(this.client.GET('/api/packages', { params: { query }, signal }));
  }

  /** A package, with the caller's role and permissions in it (`yourPermissions`). */
  get(id: string, signal?: AbortSignal): Promise<ApiResult<PackageDetailDto>> {
    return toResult(this.client.GET('/api/packages/{id}', { params: { path: { id } }, signal }));
  }

  containerContents(id: string, signal?: AbortSignal): Promise<ApiResult<ContainerContentsDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/container/contents', {
        params: { path: { id } },
        signal,
      }),
    );
  }
}
