import { type Response as InjectResponse } from 'light-my-request';

import { createVia, json, postAsset, type TestApp, type TestUser } from './test-app';

export interface FlowView {
  id: string;
  version: number;
  currentVersion: number;
  status: string;
  nodes: Record<string, unknown>[];
  edges: { from: string; to: string; branch?: string }[];
  problems: FlowProblemView[];
  valid: boolean;
  references: { nodeId: string; role: string; assetId: string; crossPackage: boolean }[];
  allowedTransitions: string[];
}

export interface FlowProblemView {
  code: string;
  message: string;
  nodeId?: string;
  edge?: { from: string; to: string };
}

/** The library assets a complete flow uses. */
export interface FlowAssets {
  /** The message schema of the source adapter; the validate step's schema; the map's source. */
  inSchema: string;
  /** The map's target schema; the message schema of the target adapter. */
  outSchema: string;
  source: string;
  target: string;
  mapping: string;
}

/**
 * A valid flow: source (schedule) → validate → map → route (branch "big", default "rest") →
 * two targets, and a dead-letter error handler.
 */
export function validFlow(a: FlowAssets, name = 'Invoices') {
  return {
    name,
    nodes: [
      {
        id: 'in',
        kind: 'source',
        position: { x: 0, y: 0 },
        adapter: { assetId: a.source },
        trigger: { type: 'schedule', cron: '*/5 * * * *' },
      },
      {
        id: 'check',
        kind: 'validate',
        position: { x: 100, y: 0 },
        schema: { assetId: a.inSchema },
      },
      { id: 'map', kind: 'map', position: { x: 200, y: 0 }, mapping: { assetId: a.mapping } },
      {
        id: 'split',
        kind: 'route',
        position: { x: 300, y: 0 },
        routes: [{ branch: 'big', when: 'total > 100' }],
        defaultBranch: 'rest',
      },
      { id: 'big', kind: 'target', position: { x: 400, y: -50 }, adapter: { assetId: a.target } },
      { id: 'other', kind: 'target', position: { x: 400, y: 50 }, adapter: { assetId: a.target } },
      { id: 'dlq', kind: 'errorHandler', position: { x: 0, y: 100 }, destination: 'deadLetter' },
    ],
    edges: [
      { from: 'in', to: 'check' },
      { from: 'check', to: 'map' },
      { from: 'map', to: 'split' },
      { from: 'split', to: 'big', branch: 'big' },
      { from: 'split', to: 'other', branch: 'rest' },
    ],
  };
}

export type FlowBody = ReturnType<typeof validFlow>;

export const postFlow = (
  t: TestApp,
  packageId: string,
  body: Record<string, unknown>,
  as?: TestUser,
): Promise<InjectResponse> => postAsset(t, packageId, 'flows', body, as);

export const createFlow = (
  t: TestApp,
  packageId: string,
  body: Record<string, unknown>,
  as?: TestUser,
): Promise<FlowView> => createVia<FlowView>(t, packageId, 'flows', body, as);

/** Creates the schemas, adapters and mapping of validFlow() in a package. */
export async function createFlowAssets(
  t: TestApp,
  packageId: string,
  prefix: string,
  schema: (name: string) => Record<string, unknown>,
  as?: TestUser,
): Promise<FlowAssets> {
  const post = async (segment: string, body: Record<string, unknown>) => {
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/${segment}`,
      payload: body,
      ...(as ? { as } : {}),
    });
    if (response.statusCode !== 201)
      throw new Error(`creating ${String(body['name'])}: ${response.statusCode} ${response.body}`);
    return json<{ id: string }>(response).id;
  };
  const inSchema = await post('schemas', schema(`${prefix} in`));
  const outSchema = await post('schemas', schema(`${prefix} out`));
  const adapter = (name: string, direction: string, message: string, folder: string) => ({
    name,
    adapterType: 'FILE',
    direction,
    configuration: { folder },
    schemas: { message },
  });
  const source = await post('adapters', adapter(`${prefix} source`, 'SOURCE', inSchema, '/in'));
  const target = await post('adapters', adapter(`${prefix} target`, 'TARGET', outSchema, '/out'));
  const mapping = await post('mappings', {
    name: `${prefix} mapping`,
    kind: 'JSONATA',
    sourceSchema: { assetId: inSchema },
    targetSchema: { assetId: outSchema },
  });
  return { inSchema, outSchema, source, target, mapping };
}
