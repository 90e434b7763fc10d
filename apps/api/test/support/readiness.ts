import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createFlow, type FlowView } from './flows';
import { schemaDocument } from './schemas';
import { json, type TestApp, type TestUser } from './test-app';

export interface ReadinessItemView {
  key: string;
  status: 'pass' | 'fail' | 'warn' | 'skipped';
  explanation: string;
  fixHint: string | null;
  asset?: { id: string; packageId: string; type: string; name: string };
  nodeId?: string;
}

export interface ReadinessView {
  ready: boolean;
  flowId: string;
  version: number;
  environment: string;
  items: ReadinessItemView[];
}

/** A flow ready in DEV: FILE source (temp folder) → validate → map (with a sample) → FILE target. */
export interface ReadyKit {
  packageId: string;
  inSchema: string;
  outSchema: string;
  source: string;
  target: string;
  mapping: string;
  flow: FlowView;
  folders: string[];
}

const IN = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };
const OUT = { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] };

/** Creates the kit in `packageId` and makes it pass in DEV: overlays set, real tests passed. */
export async function createReadyKit(
  t: TestApp,
  packageId: string,
  prefix: string,
  options: { rules?: { target: string; expression: string }[] } = {},
): Promise<ReadyKit> {
  const post = async (segment: string, body: Record<string, unknown>) => {
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/${segment}`,
      payload: body,
    });
    if (response.statusCode !== 201)
      throw new Error(`creating ${String(body['name'])}: ${response.statusCode} ${response.body}`);
    return json<{ id: string }>(response).id;
  };
  const schema = (name: string, body: object) =>
    post('schemas', schemaDocument(name, JSON.stringify(body), 'JSON_SCHEMA'));
  const inSchema = await schema(`${prefix} in`, IN);
  const outSchema = await schema(`${prefix} out`, OUT);
  const folders = [
    await mkdtemp(join(tmpdir(), 'readiness-in-')),
    await mkdtemp(join(tmpdir(), 'readiness-out-')),
  ];
  const adapter = (name: string, direction: string, message: string, folder: string) =>
    post('adapters', {
      name,
      adapterType: 'FILE',
      direction,
      configuration: { folder },
      schemas: { message },
    });
  const source = await adapter(`${prefix} source`, 'SOURCE', inSchema, folders[0]);
  const target = await adapter(`${prefix} target`, 'TARGET', outSchema, folders[1]);
  const mapping = await post('mappings', {
    name: `${prefix} mapping`,
    kind: 'JSONATA',
    sourceSchema: { assetId: inSchema },
    targetSchema: { assetId: outSchema },
    rules: options.rules ?? [{ target: '/amount', expression: 'total' }],
  });
  const sample = await t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/mappings/${mapping}/samples`,
    payload: { name: 'Five', input: '{"total": 5}', expectedOutput: '{"amount": 5}' },
  });
  if (sample.statusCode !== 201) throw new Error(`sample: ${sample.body}`);
  const flow = await createFlow(t, packageId, {
    name: `${prefix} flow`,
    nodes: [
      {
        id: 'in',
        kind: 'source',
        position: { x: 0, y: 0 },
        adapter: { assetId: source },
        trigger: { type: 'manual' },
      },
      { id: 'check', kind: 'validate', position: { x: 1, y: 0 }, schema: { assetId: inSchema } },
      { id: 'map', kind: 'map', position: { x: 2, y: 0 }, mapping: { assetId: mapping } },
      { id: 'out', kind: 'target', position: { x: 3, y: 0 }, adapter: { assetId: target } },
    ],
    edges: [
      { from: 'in', to: 'check' },
      { from: 'check', to: 'map' },
      { from: 'map', to: 'out' },
    ],
  });
  const kit = { packageId, inSchema, outSchema, source, target, mapping, flow, folders };
  for (const [id, folder] of [
    [source, folders[0]],
    [target, folders[1]],
  ] as const) {
    await setOverlay(t, kit, id, 'DEV', { folder });
    await connectionTest(t, kit, id, 'DEV');
  }
  return kit;
}

export async function setOverlay(
  t: TestApp,
  kit: Pick<ReadyKit, 'packageId'>,
  adapterId: string,
  env: string,
  values: Record<string, unknown>,
): Promise<void> {
  const response = await t.request({
    method: 'PUT',
    url: `/api/packages/${kit.packageId}/adapters/${adapterId}/environments/${env}`,
    payload: { values },
  });
  if (response.statusCode !== 200) throw new Error(`overlay: ${response.body}`);
}

/** Runs a real connection test (its result is kept) and answers whether it passed. */
export async function connectionTest(
  t: TestApp,
  kit: Pick<ReadyKit, 'packageId'>,
  adapterId: string,
  env: string,
): Promise<boolean> {
  const response = await t.request({
    method: 'POST',
    url: `/api/packages/${kit.packageId}/adapters/${adapterId}/test?environment=${env}`,
  });
  if (response.statusCode !== 200) throw new Error(`test: ${response.body}`);
  return json<{ ok: boolean }>(response).ok;
}

export async function removeFolders(kits: ReadyKit[]): Promise<void> {
  for (const kit of kits)
    for (const folder of kit.folders) await rm(folder, { recursive: true, force: true });
}

export async function readiness(
  t: TestApp,
  kit: Pick<ReadyKit, 'packageId' | 'flow'>,
  env: string,
  as?: TestUser,
  query = '',
): Promise<ReadinessView> {
  const response = await t.request({
    method: 'GET',
    url: `/api/packages/${kit.packageId}/flows/${kit.flow.id}/readiness?environment=${env}${query}`,
    ...(as ? { as } : {}),
  });
  if (response.statusCode !== 200) throw new Error(`readiness: ${response.body}`);
  return json<ReadinessView>(response);
}

/** The failing items of a checklist. */
export const failing = (r: ReadinessView) => r.items.filter((i) => i.status === 'fail');
