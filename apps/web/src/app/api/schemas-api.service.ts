import { inject, Injectable } from '@angular/core';

import {
  type AssetPageDto,
  type PayloadValidationDto,
  type SchemaBundleDto,
  type SchemaDetailDto,
  type SchemaStructureDto,
  type SchemaVersionPageDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toResult, type ApiResult } from './api-result';

/** The most schemas and versions one request lists (the API's cap). */
const LIST_LIMIT = 200;

/** What a payload to validate is written in: XML for XSD and WSDL schemas, JSON for JSON Schemas. */
export type PayloadKind = 'xml' | 'json';

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

  /** The schema's versions, newest first. */
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
