import { inject, Injectable } from '@angular/core';

import {
  type AssetPageDto,
  type AssetSearchPageDto,
  type CreateMappingDto,
  type CreateMappingSampleDto,
  type MappingCompletenessDto,
  type MappingDetailDto,
  type MappingProblemDto,
  type MappingSampleDto,
  type MappingSampleListDto,
  type MappingSchemaRefDto,
  type MappingTestAllDto,
  type MappingTestRequestDto,
  type MappingTestResultDto,
  type SchemaStructureDto,
  type SchemaVersionPageDto,
  type UpdateMappingDto,
  type UpdateMappingSampleDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import {
  ifMatch,
  problemList,
  toDone,
  toResult,
  type ApiFailure,
  type ApiResult,
} from './api-result';
import { assetPageRequest, SchemasApi, type AssetListFilter } from './schemas-api.service';

/** The most mappings and schemas one request lists (the API's cap). */
const LIST_LIMIT = 200;

/** The mapping endpoints the console uses (`/api/packages/{id}/mappings…`). */
@Injectable({ providedIn: 'root' })
export class MappingsApi {
  private readonly client = inject(API_CLIENT);
  private readonly schemas = inject(SchemasApi);

  /** The package's mappings, by name (the first `LIST_LIMIT`). */
  list(packageId: string, signal?: AbortSignal): Promise<ApiResult<AssetPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/container/mappings', {
        params: { path: { id: packageId }, query: { limit: LIST_LIMIT } },
        signal,
      }),
    );
  }

  /** One page of the package's mappings (the Mappings tab), with the list's filters. */
  page(
    packageId: string,
    cursor: string | null,
    limit: number,
    signal?: AbortSignal,
    filters: AssetListFilter = {},
  ): Promise<ApiResult<AssetPageDto>> {
    return toResult(
      this.client.GET(
        '/api/packages/{id}/container/mappings',
        assetPageRequest(packageId, cursor, limit, signal, filters),
      ),
    );
  }

  /** The schemas the caller can read, in every package, by name (a mapping may use any). */
  readableSchemas(signal?: AbortSignal): Promise<ApiResult<AssetSearchPageDto>> {
    return this.schemas.readable(signal);
  }

  /**
   * A schema's field tree for the editor: every root, one `root` only, or (`path`) the subtree of
   * a field the full tree cut short.
   */
  structure(
    packageId: string,
    schemaId: string,
    query: { root?: string; path?: string; version?: number },
    signal?: AbortSignal,
  ): Promise<ApiResult<SchemaStructureDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/schemas/{schemaId}/structure', {
        params: { path: { id: packageId, schemaId }, query },
        signal,
      }),
    );
  }

  /** A schema's versions, newest first (the first `LIST_LIMIT`): what a mapping side may pin. */
  schemaVersions(
    packageId: string,
    schemaId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<SchemaVersionPageDto>> {
    return this.schemas.versions(packageId, schemaId, signal);
  }

  /** The mapping's versions, newest first (the first `LIST_LIMIT`). */
  versions(
    packageId: string,
    mappingId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<SchemaVersionPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/mappings/{mappingId}/versions', {
        params: { path: { id: packageId, mappingId }, query: { limit: LIST_LIMIT } },
        signal,
      }),
    );
  }

  /**
   * Makes the content of version `contentVersion` the next version. `version` is the mapping's
   * optimistic version as read (sent as `If-Match`): stale is a 412.
   */
  rollback(
    packageId: string,
    mappingId: string,
    version: number,
    contentVersion: number,
  ): Promise<ApiResult<MappingDetailDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/mappings/{mappingId}/rollback', {
        params: { path: { id: packageId, mappingId }, header: ifMatch(version) },
        body: { version: contentVersion },
      }),
    );
  }

  get(
    packageId: string,
    mappingId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<MappingDetailDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/mappings/{mappingId}', {
        params: { path: { id: packageId, mappingId } },
        signal,
      }),
    );
  }

  /** Creates a mapping; one that does not compile is a 422 (see `mappingProblemsOf`). */
  create(packageId: string, body: CreateMappingDto): Promise<ApiResult<MappingDetailDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/mappings', {
        params: { path: { id: packageId } },
        body,
      }),
    );
  }

  /** `version` is the mapping's optimistic version as read (sent as `If-Match`): stale is a 412. */
  update(
    packageId: string,
    mappingId: string,
    version: number,
    body: UpdateMappingDto,
  ): Promise<ApiResult<MappingDetailDto>> {
    return toResult(
      this.client.PUT('/api/packages/{id}/mappings/{mappingId}', {
        params: { path: { id: packageId, mappingId }, header: ifMatch(version) },
        body,
      }),
    );
  }

  completeness(
    packageId: string,
    mappingId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<MappingCompletenessDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/mappings/{mappingId}/completeness', {
        params: { path: { id: packageId, mappingId } },
        signal,
      }),
    );
  }

  /** The stored samples, by name, without their payloads. */
  samples(
    packageId: string,
    mappingId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<MappingSampleListDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/mappings/{mappingId}/samples', {
        params: { path: { id: packageId, mappingId } },
        signal,
      }),
    );
  }

  sample(
    packageId: string,
    mappingId: string,
    sampleId: string,
  ): Promise<ApiResult<MappingSampleDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/mappings/{mappingId}/samples/{sampleId}', {
        params: { path: { id: packageId, mappingId, sampleId } },
      }),
    );
  }

  addSample(
    packageId: string,
    mappingId: string,
    body: CreateMappingSampleDto,
  ): Promise<ApiResult<MappingSampleDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/mappings/{mappingId}/samples', {
        params: { path: { id: packageId, mappingId } },
        body,
      }),
    );
  }

  /** `body.version` is the sample's version as read: a stale one is a 412. */
  updateSample(
    packageId: string,
    mappingId: string,
    sampleId: string,
    body: UpdateMappingSampleDto,
  ): Promise<ApiResult<MappingSampleDto>> {
    return toResult(
      this.client.PUT('/api/packages/{id}/mappings/{mappingId}/samples/{sampleId}', {
        params: { path: { id: packageId, mappingId, sampleId } },
        body,
      }),
    );
  }

  deleteSample(packageId: string, mappingId: string, sampleId: string): Promise<ApiResult<null>> {
    return toDone(
      this.client.DELETE('/api/packages/{id}/mappings/{mappingId}/samples/{sampleId}', {
        params: { path: { id: packageId, mappingId, sampleId } },
      }),
    );
  }

  /** Runs a stored sample (`sampleId`) or an ad-hoc `input`; changes nothing. */
  test(
    packageId: string,
    mappingId: string,
    body: MappingTestRequestDto,
  ): Promise<ApiResult<MappingTestResultDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/mappings/{mappingId}/test', {
        params: { path: { id: packageId, mappingId } },
        body,
      }),
    );
  }

  testAll(packageId: string, mappingId: string): Promise<ApiResult<MappingTestAllDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/mappings/{mappingId}/test-all', {
        params: { path: { id: packageId, mappingId } },
      }),
    );
  }
}

/** A schema reference as the API takes it. */
export function schemaRef(
  assetId: string,
  root: string | null,
  version: number | null = null,
): MappingSchemaRefDto {
  return { assetId, version, root };
}

/** The root a schema reference names, or null (the schema's first root). */
export function rootOf(ref: MappingSchemaRefDto): string | null {
  return ref.root ?? null;
}

/** The located problems of a `422 mapping_invalid` (`problems[]`), or none. */
export function mappingProblemsOf(failure: ApiFailure): MappingProblemDto[] {
  return problemList<MappingProblemDto>(failure, 'problems');
}
