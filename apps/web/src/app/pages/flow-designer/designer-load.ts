import { inject } from '@angular/core';

import { type FlowDetailDto, type PackageDetailDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiResult } from '../../api/api-result';
import { FlowsApi } from '../../api/flows-api.service';
import { MappingsApi } from '../../api/mappings-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { SchemasApi } from '../../api/schemas-api.service';
import { type Crumb } from '../../ui/breadcrumbs';
import { assetChoicesOf } from './designer-palette';
import { type AssetChoice } from './node-settings';

/** The `:flowId` of a flow not saved yet. */
export const NEW_FLOW = 'new';

/** What the designer page loads: the package, the flow (none when new), the palette's assets. */
export interface DesignerLoad {
  readonly pkg: PackageDetailDto;
  readonly flow: FlowDetailDto | null;
  readonly assets: readonly AssetChoice[];
}

/** The API services the designer loads from (inject in an injection context). */
export function designerApis() {
  return {
    packages: inject(PackagesApi),
    flows: inject(FlowsApi),
    adapters: inject(AdaptersApi),
    mappings: inject(MappingsApi),
    schemas: inject(SchemasApi),
  };
}
export type DesignerApis = ReturnType<typeof designerApis>;

/** Loads the package, the flow and every list the palette offers, in parallel. */
export async function loadDesigner(
  apis: DesignerApis,
  id: string,
  flowId: string,
  signal: AbortSignal,
): Promise<ApiResult<DesignerLoad>> {
  const [pkg, flow, adapters, mappings, schemas, readable] = await Promise.all([
    apis.packages.get(id, signal),
    flowId === NEW_FLOW ? null : apis.flows.get(id, flowId, signal),
    apis.adapters.overview(id, { cursor: null, limit: 200 }, signal),
    apis.mappings.list(id, signal),
    apis.schemas.list(id, signal),
    apis.schemas.readable(signal),
  ]);
  if (!pkg.ok) return pkg;
  if (flow && !flow.ok) return flow;
  return {
    ok: true,
    data: {
      pkg: pkg.data,
      flow: flow?.data ?? null,
      assets: assetChoicesOf(id, { adapters, mappings, schemas, readable }),
    },
  };
}

/** Packages › package › Flows › the flow › Designer. */
export function designerCrumbs(
  id: string,
  packageName: string | undefined,
  flow: FlowDetailDto | null,
): Crumb[] {
  return [
    { label: 'Packages', link: '/packages' },
    { label: packageName ?? 'Package', link: ['/packages', id] },
    { label: 'Flows', link: ['/packages', id, 'flows'] },
    ...(flow ? [{ label: flow.name, link: ['/packages', id, 'flows', flow.id] }] : []),
    { label: 'Designer' },
  ];
}
