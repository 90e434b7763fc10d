import { inject, Injectable } from '@angular/core';

import {
  type AuditPageDto,
  type ContainerContentsDto,
  type CreatePackageDto,
  type MemberListDto,
  type PackageDetailDto,
  type PackageDto,
  type PackagePageDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { ifMatch, toDone, toResult, type ApiResult } from './api-result';

export interface PackageListQuery {
  q?: string;
  cursor?: string;
  limit?: number;
  tag?: string;
  owner?: string;
  /** ISO-8601 instants: updated at or after `updatedFrom`, before `updatedTo`. */
  updatedFrom?: string;
  updatedTo?: string;
  sort?: 'name' | '-name' | 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt';
  /** Deleted packages (to restore) instead of live ones. */
  deleted?: boolean;
}

/** A package's editable fields (name, description, tags, owner). */
export type PackageFields = CreatePackageDto;

/** The package library endpoints the console uses (`/api/packages…`). */
@Injectable({ providedIn: 'root' })
export class PackagesApi {
  private readonly client = inject(API_CLIENT);

  list(query: PackageListQuery, signal?: AbortSignal): Promise<ApiResult<PackagePageDto>> {
    return toResult(this.client.GET('/api/packages', { params: { query }, signal }));
  }

  create(fields: PackageFields): Promise<ApiResult<PackageDto>> {
    return toResult(this.client.POST('/api/packages', { body: fields }));
  }

  /** Updates a package as read at `version` (a stale version is a 412). */
  update(id: string, version: number, fields: PackageFields): Promise<ApiResult<PackageDto>> {
    return toResult(
      this.client.PUT('/api/packages/{id}', {
        params: { path: { id }, header: ifMatch(version) },
        body: fields,
      }),
    );
  }

  /** Soft-deletes a package with its assets (restorable); `force` despite dependents elsewhere. */
  remove(id: string, version: number, force = false): Promise<ApiResult<null>> {
    return toDone(
      this.client.DELETE('/api/packages/{id}', {
        params: {
          path: { id },
          header: ifMatch(version),
          query: force ? { force: true } : {},
        },
      }),
    );
  }

  restore(id: string): Promise<ApiResult<PackageDto>> {
    return toResult(this.client.POST('/api/packages/{id}/restore', { params: { path: { id } } }));
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
