import { inject, Injectable } from '@angular/core';

import {
  type AssetImpactDto,
  type GraphWalkDto,
  type PackageGraphDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toResult, type ApiResult } from './api-result';

/** The asset graph endpoints (`/api/packages/{id}/assets/{assetId}/…`, `…/dependency-graph`). */
@Injectable({ providedIn: 'root' })
export class DependenciesApi {
  private readonly client = inject(API_CLIENT);

  /** What the asset depends on (`depth` 1: only what it refers to directly). */
  dependencies(
    packageId: string,
    assetId: string,
    depth: number,
    signal?: AbortSignal,
  ): Promise<ApiResult<GraphWalkDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/assets/{assetId}/dependencies', {
        params: { path: { id: packageId, assetId }, query: { depth } },
        signal,
      }),
    );
  }

  /** What depends on the asset, transitively, nearest first. */
  dependents(
    packageId: string,
    assetId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<GraphWalkDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/assets/{assetId}/dependents', {
        params: { path: { id: packageId, assetId } },
        signal,
      }),
    );
  }

  /** Who a change affects; with `proposedVersion` (schemas) also the verdict. */
  impact(
    packageId: string,
    assetId: string,
    proposedVersion: number | null,
    signal?: AbortSignal,
  ): Promise<ApiResult<AssetImpactDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/assets/{assetId}/impact', {
        params: {
          path: { id: packageId, assetId },
          query: proposedVersion === null ? {} : { proposedVersion },
        },
        signal,
      }),
    );
  }

  /** The package's assets and edges, with the readable nodes of other packages they touch. */
  graph(packageId: string, signal?: AbortSignal): Promise<ApiResult<PackageGraphDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/dependency-graph', {
        params: { path: { id: packageId } },
        signal,
      }),
    );
  }
}

/** The console page of an asset (`/packages/:id/schemas/:schemaId`, …). */
export function assetLink(asset: {
  readonly id: string;
  readonly packageId: string;
  readonly type: 'SCHEMA' | 'ADAPTER' | 'MAPPING' | 'FLOW';
}): string[] {
  const section = { SCHEMA: 'schemas', ADAPTER: 'adapters', MAPPING: 'mappings', FLOW: 'flows' };
  return ['/packages', asset.packageId, section[asset.type], asset.id];
}
