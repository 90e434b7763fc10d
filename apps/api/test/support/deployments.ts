import { Client } from 'pg';

import { connectionTest, createReadyKit, setOverlay, type ReadyKit } from './readiness';
import { json, type TestApp, type TestUser } from './test-app';

export interface PinView {
  assetId: string;
  type: string;
  name: string;
  version: number;
}

export interface DeploymentView {
  id: string;
  flowId: string;
  environment: string;
  flowVersion: number;
  pins: PinView[];
  origin: string;
  basedOn: string | null;
  createdBy: string;
  createdByName: string | null;
  state: string;
  active: boolean;
}

/** Every environment a test deploys to; the kit passes the readiness checks in each. */
const ENVIRONMENTS = ['DEV', 'TEST', 'PROD'];

/**
 * A READY flow (the readiness kit: FILE source in a temp folder → validate → map with a passing
 * sample → FILE target) that passes the readiness gate in DEV, TEST and PROD. Remove its
 * `folders` after the test (removeFolders of ./readiness).
 */
export async function readyFlow(
  t: TestApp,
  packageId: string,
  prefix: string,
): Promise<{ flowId: string; assets: ReadyKit }> {
  const kit = await createReadyKit(t, packageId, prefix);
  for (const env of ENVIRONMENTS.slice(1))
    for (const [id, folder] of [
      [kit.source, kit.folders[0]],
      [kit.target, kit.folders[1]],
    ] as const) {
      await setOverlay(t, kit, id, env, { folder });
      if (!(await connectionTest(t, kit, id, env))) throw new Error(`connection test in ${env}`);
    }
  const ready = await t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/flows/${kit.flow.id}/transitions`,
    payload: { to: 'READY' },
  });
  if (ready.statusCode !== 200) throw new Error(`READY: ${ready.statusCode} ${ready.body}`);
  return { flowId: kit.flow.id, assets: kit };
}

/** The version of `assetId` a deployment pins (the first, when it pins several). */
export function pinOf(deployment: DeploymentView, assetId: string): number | undefined {
  return deployment.pins.find((p) => p.assetId === assetId)?.version;
}

/** Deployment routes of one flow, called as `as` (default: the test's administrator). */
export function deploymentRoutes(t: TestApp, packageId: string, flowId: string) {
  const base = `/api/packages/${packageId}/flows/${flowId}/deployments`;
  const post = (path: string, payload: Record<string, unknown>, as?: TestUser) =>
    t.request({ method: 'POST', url: `${base}${path}`, payload, ...(as ? { as } : {}) });
  return {
    base,
    deploy: (environment: string, as?: TestUser, pins?: Record<string, number>) =>
      post('', { environment, ...(pins ? { pins } : {}) }, as),
    rollback: (id: string, as?: TestUser) => post(`/${id}/rollback`, {}, as),
    promote: (id: string, to: string, as?: TestUser) => post(`/${id}/promote`, { to }, as),
    move: (id: string, action: string, as?: TestUser) => post(`/${id}/${action}`, {}, as),
    get: async (id: string) =>
      json<DeploymentView>(await t.request({ method: 'GET', url: `${base}/${id}` })),
    history: async (environment?: string) =>
      json<{ items: DeploymentView[] }>(
        await t.request({
          method: 'GET',
          url: `${base}${environment ? `?environment=${environment}` : ''}`,
        }),
      ).items,
  };
}

/** Deploys and returns the deployment, failing the test with the answer otherwise. */
export async function deployed(
  response: Promise<{ statusCode: number; body: string }>,
): Promise<DeploymentView> {
  const r = await response;
  if (r.statusCode !== 201 && r.statusCode !== 200)
    throw new Error(`deploy: ${r.statusCode} ${r.body}`);
  return JSON.parse(r.body) as DeploymentView;
}

/** LISTENs on a channel; `next(n)` resolves with the first n payloads received. */
export async function listen(url: string, channel: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const payloads: string[] = [];
  const waiters: { n: number; resolve: (p: string[]) => void }[] = [];
  client.on('notification', (msg) => {
    if (msg.channel !== channel) return;
    payloads.push(msg.payload ?? '');
    for (const w of [...waiters])
      if (payloads.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payloads.slice(0, w.n));
      }
  });
  await client.query(`LISTEN ${channel}`);
  return {
    payloads,
    next: (n: number) =>
      new Promise<string[]>((resolve) =>
        payloads.length >= n ? resolve(payloads.slice(0, n)) : waiters.push({ n, resolve }),
      ),
    close: () => client.end(),
  };
}
