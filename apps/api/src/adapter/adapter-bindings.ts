import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type ProblemFieldError, type SoapAdapterConfig } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { type DependencyEdge } from '../dependency/dependency.service';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { SchemaLibraryService } from '../schema/schema-library.service';
import { type AdapterContent } from './adapter-content';
import { AdapterConfigurationError } from './adapter-errors';

/** A WSDL for the adapter runtime (`SoapTestOptions.wsdl`). */
export interface WsdlSource {
  xml: string;
  uri?: string;
  files?: { path: string; text: string }[];
}

/**
 * The schemas an adapter names: request/response/message schemas and a SOAP adapter's WSDL.
 * Each must be a live schema the caller can read (the one visibility rule); a SOAP adapter's
 * service/port/operation must exist in its WSDL. Each becomes an ADAPTER_SCHEMA edge, so the
 * schema's dependents and impact analysis list the adapter.
 */
@Injectable()
export class AdapterBindings {
  constructor(private readonly library: SchemaLibraryService) {}

  async check(m: EntityManager, content: AdapterContent, visibility: VisibilityScope) {
    const named = this.named(content);
    const errors: ProblemFieldError[] = [];
    const found = new Map<string, { packageId: string; schemaType: string }>();
    if (named.length > 0) {
      const params = new SqlParams([named.map((n) => n.id)]);
      const rows = await queryRows<{ id: string; package_id: string; schema_type: string }>(
        m,
        `SELECT a.id, a.package_id, s.schema_type
           FROM package_assets a JOIN package_schemas s ON s.asset_id = a.id
          WHERE a.id = ANY($1::uuid[]) AND a.type = 'SCHEMA' AND a.deleted_at IS NULL
            AND ${visiblePackagesSql(visibility, 'a.package_id', params.bind)}`,
        params.values,
      );
      for (const row of rows)
        found.set(row.id, { packageId: row.package_id, schemaType: row.schema_type });
    }
    for (const { id, path } of named) {
      if (!found.has(id))
        errors.push({ path, message: 'is not a schema you can read', code: 'not_found' });
    }
    if (content.adapterType === 'SOAP' && errors.length === 0) {
      errors.push(...(await this.checkSoap(content.configuration as SoapAdapterConfig, found)));
    }
    if (errors.length > 0) throw new AdapterConfigurationError(errors);
  }

  edges(content: AdapterContent): DependencyEdge[] {
    const unique = new Set(this.named(content).map((n) => n.id));
    return [...unique].map((toAssetId) => ({ toAssetId, kind: 'ADAPTER_SCHEMA' as const }));
  }

  private named(content: AdapterContent): { id: string; path: string }[] {
    const named = Object.entries(content.schemas).flatMap(([role, id]) =>
      typeof id === 'string' ? [{ id, path: `/schemas/${role}` }] : [],
    );
    const wsdl = content.configuration['wsdlAssetId'];
    if (content.adapterType === 'SOAP' && typeof wsdl === 'string')
      named.push({ id: wsdl, path: '/configuration/wsdlAssetId' });
    return named;
  }

  private async checkSoap(
    config: SoapAdapterConfig,
    found: Map<string, { packageId: string; schemaType: string }>,
  ): Promise<ProblemFieldError[]> {
    const at = '/configuration';
    const schema = found.get(config.wsdlAssetId);
    if (!schema) return [];
    if (schema.schemaType !== 'WSDL')
      return [{ path: `${at}/wsdlAssetId`, message: 'is not a WSDL schema', code: 'type' }];
    const wsdl = await this.library.wsdl(schema.packageId, config.wsdlAssetId);
    const operations = wsdl?.operations ?? [];
    const inService = operations.flatMap((op) =>
      op.endpoints.filter((e) => e.service === config.service).map((e) => ({ op, e })),
    );
    if (inService.length === 0)
      return [
        {
          path: `${at}/service`,
          message: `the WSDL has no service "${config.service}"`,
          code: 'not_found',
        },
      ];
    const onPort = inService.filter(({ e }) => e.port === config.port);
    if (onPort.length === 0)
      return [
        {
          path: `${at}/port`,
          message: `service "${config.service}" has no port "${config.port}"`,
          code: 'not_found',
        },
      ];
    if (!onPort.some(({ op }) => op.name === config.operation))
      return [
        {
          path: `${at}/operation`,
          message: `port "${config.port}" has no operation "${config.operation}" (it has ${[...new Set(onPort.map(({ op }) => op.name))].join(', ')})`,
          code: 'not_found',
        },
      ];
    return [];
  }

  /**
   * The WSDL a SOAP connection test parses: the main document, its path in the stored bundle and
   * the bundle's files, which its imports and includes resolve against (never fetched).
   */
  async wsdlSource(m: EntityManager, wsdlAssetId: string): Promise<WsdlSource> {
    const [row] = await queryRows<{ package_id: string }>(
      m,
      `SELECT package_id FROM package_assets WHERE id = $1 AND deleted_at IS NULL`,
      [wsdlAssetId],
    );
    const wsdl = row ? await this.library.wsdl(row.package_id, wsdlAssetId) : null;
    return wsdl ? { xml: wsdl.xml, uri: wsdl.main, files: wsdl.files } : { xml: '' };
  }
}
