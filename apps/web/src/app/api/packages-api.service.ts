import { inject, Injectable } from '@angular/core';

import {
  type AuditPageDto,
  type ContainerContentsDto,
  type MemberListDto,
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

  /** The package's members: role, and who added them when. */
  members(id: string, signal?: AbortSignal): Promise<ApiResult<MemberListDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/members', { params: { path: { id } }, signal }),
    );
  }

  /**
   * A page of the package's audit trail, newest first (package administrators): the first page
   * without `cursor`, the next one with the previous page's `nextCursor`.
   */
  audit(
    id: string,
    cursor: string | null,
    limit: number,
    signal?: AbortSignal,
  ): Promise<ApiResult<AuditPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/audit', {
        params: { path: { id }, query: { limit, ...(cursor ? { cursor } : {}) } },
        signal,
      }),
    );
  }
}
