import { inject, Injectable } from '@angular/core';

import {
  type AssetPageDto,
  type AssetSearchPageDto,
  type AssetSearchResultDto,
  type CreateSchemaDto,
  type PayloadValidationDto,
  type SchemaBundleDto,
  type SchemaDetailDto,
  type SchemaDiffDto,
  type SchemaFileDto,
  type SchemaProblemDto,
  type SchemaStructureDto,
  type SchemaVersionPageDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { ifMatch, problemList, toResult, type ApiFailure, type ApiResult } from './api-result';

/** The most schemas and versions one request lists (the API's cap). */
const LIST_LIMIT = 200;

/** What a payload to validate is written in: XML for XSD and WSDL schemas, JSON for JSON Schemas. */
export type PayloadKind = 'xml' | 'json';

/** A schema's content as uploaded: several files (relative paths kept), or one base64 zip. */
export type SchemaUpload =
  | { readonly files: SchemaFileDto[]; readonly main?: string }
  | { readonly zip: string; readonly main?: string };

/** A filtered, ordered asset list: search, status and the API's `sort` ('' or absent: none). */
export interface AssetListFilter {
  readonly q?: string;
  readonly status?: string;
  readonly sort?: string;
}

/** What a list request sends for `filters`: only the filters that are set. */
export function assetListQuery(filters: AssetListFilter): {
  q?: string;
  status?: 'DRAFT' | 'READY' | 'ARCHIVED';
  sort?: 'name' | '-name' | 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt';
} {
  const q = filters.q?.trim();
  return {
    ...(q ? { q } : {}),
    ...(filters.status ? { status: filters.status as 'DRAFT' } : {}),
    ...(filters.sort ? { sort: filters.sort as 'name' } : {}),
  };
}

/** The request of one page of a package's container list (`container/schemas`, `…/mappings`). */
export function assetPageRequest(
  packageId: string,
  cursor: string | null,
  limit: number,
  signal: AbortSignal | undefined,
  filters: AssetListFilter,
) {
  return {
    params: {
      path: { id: packageId },
      query: { limit, ...assetListQuery(filters), ...(cursor ? { cursor } : {}) },
    },
    signal,
  };
}

/** What a new schema needs besides its content. */
export interface NewSchema {
  readonly name: string;
  readonly type: CreateSchemaDto['type'];
  readonly description?: string;
}

/** The schema library endpoints the console uses (`/api/packages/{id}/…schemas…`). */
@Injectable({ providedIn: 'root' })
export class SchemasApi {
  private readonly client = inject(API_CLIENT);

  /** A package's schemas, by name (the first `LIST_LIMIT`; `nextCursor` says there are more). */
  list(packageId: string, signal?: AbortSignal): Promise<ApiResult<AssetPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/container/schemas', {
        params: { path: { id: packageId }, query: { limit: LIST_LIMIT } },
        signal,
      }),
    );
  }

  /** The schemas the caller can read, in every package, by name (the first `LIST_LIMIT`). */
  readable(signal?: AbortSignal): Promise<ApiResult<AssetSearchPageDto>> {
    return toResult(
      this.client.GET('/api/assets', {
        params: { query: { type: 'SCHEMA', limit: LIST_LIMIT, sort: 'name' } },
        signal,
      }),
    );
  }

  /**
   * The WSDL schemas the caller can read, in every package, by name (what a SOAP adapter may
   * name): the first `LIST_LIMIT` readable schemas, those whose `schemaType` is WSDL.
   */
  async readableWsdls(signal?: AbortSignal): Promise<ApiResult<AssetSearchResultDto[]>> {
    const result = await this.readable(signal);
    return result.ok
      ? { ok: true, data: result.data.items.filter((schema) => schema.schemaType === 'WSDL') }
      : result;
  }

  /**
   * One page of a package's schemas, by name: the first without `cursor`, the next one with the
   * previous page's `nextCursor`.
   */
  page(
    packageId: string,
    cursor: string | null,
    limit: number,
    signal?: AbortSignal,
    filters: AssetListFilter = {},
  ): Promise<ApiResult<AssetPageDto>> {
    return toResult(
      this.client.GET(
        '/api/packages/{id}/container/schemas',
        assetPageRequest(packageId, cursor, limit, signal, filters),
      ),
    );
  }

  get(
    packageId: string,
    schemaId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<SchemaDetailDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/schemas/{schemaId}', {
        params: { path: { id: packageId, schemaId } },
        signal,
      }),
    );
  }

  /** The schema's versions, newest first (the first `LIST_LIMIT`). */
  versions(
    packageId: string,
    schemaId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<SchemaVersionPageDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/schemas/{schemaId}/versions', {
        params: { path: { id: packageId, schemaId }, query: { limit: LIST_LIMIT } },
        signal,
      }),
    );
  }

  /** Creates a schema; a bundle that does not compile is a 422 (see `schemaProblemsOf`). */
  create(
    packageId: string,
    schema: NewSchema,
    upload: SchemaUpload,
  ): Promise<ApiResult<SchemaDetailDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/schemas', {
        params: { path: { id: packageId } },
        body: { ...schema, ...upload },
      }),
    );
  }

  /**
   * Uploads new content as the next version (identical content makes none). `version` is the
   * schema's optimistic version as read: a stale one is a 412.
   */
  upload(
    packageId: string,
    schemaId: string,
    version: number,
    upload: SchemaUpload,
    message?: string,
  ): Promise<ApiResult<SchemaDetailDto>> {
    return toResult(
      this.client.PUT('/api/packages/{id}/schemas/{schemaId}', {
        params: { path: { id: packageId, schemaId } },
        body: { version, message, ...upload },
      }),
    );
  }

  /**
   * Makes the content of version `contentVersion` the next version. `version` is the schema's
   * optimistic version as read (sent as `If-Match`).
   */
  rollback(
    packageId: string,
    schemaId: string,
    version: number,
    contentVersion: number,
  ): Promise<ApiResult<SchemaDetailDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/schemas/{schemaId}/rollback', {
        params: { path: { id: packageId, schemaId }, header: ifMatch(version) },
        body: { version: contentVersion },
      }),
    );
  }

  /** What changed from version `from` to version `to`, whether it breaks, and what it affects. */
  diff(
    packageId: string,
    schemaId: string,
    from: number,
    to: number,
    signal?: AbortSignal,
  ): Promise<ApiResult<SchemaDiffDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/schemas/{schemaId}/diff', {
        params: { path: { id: packageId, schemaId }, query: { from, to } },
        signal,
      }),
    );
  }

  /** The field tree of the current version. */
  structure(
    packageId: string,
    schemaId: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<SchemaStructureDto>> {
    return toResult(
      this.client.GET('/api/packages/{id}/schemas/{schemaId}/structure', {
        params: { path: { id: packageId, schemaId } },
        signal,
      }),
    );
  }

  /**
   * Validates `payload` against the current version. The text is the raw body, sent as it is
   * (no JSON encoding) with the content type of its kind; `root` picks the XSD global element or
   * the WSDL message.
   */
  validate(
    packageId: string,
    schemaId: string,
    payload: string,
    kind: PayloadKind,
    root?: string,
  ): Promise<ApiResult<PayloadValidationDto>> {
    return toResult(
      this.client.POST('/api/packages/{id}/schemas/{schemaId}/validate', {
        params: { path: { id: packageId, schemaId }, query: { root } },
        body: payload,
        bodySerializer: (body: string) => body,
        headers: { 'Content-Type': kind === 'xml' ? 'application/xml' : 'application/json' },
      }),
    );
  }
}

/** The schema's content as a bundle of files, or null when it is not one. */
export function bundleOf(schema: SchemaDetailDto): SchemaBundleDto | null {
  const content: unknown = schema.content;
  if (typeof content !== 'object' || content === null || !('files' in content)) return null;
  return Array.isArray(content.files) ? (content as SchemaBundleDto) : null;
}

/** The located problems of a `422 schema_invalid` (`problems[]`), or none. */
export function schemaProblemsOf(failure: ApiFailure): SchemaProblemDto[] {
  return problemList<SchemaProblemDto>(failure, 'problems');
}
