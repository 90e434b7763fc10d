/**
 * What the runtime bench (scenarios/runtime.mjs) runs on: the built API with the demo package
 * seeded (UBL 2.1 Invoice schema, the JSONata mapping to the invoice summary) and no in-process
 * worker, two flows "inbound HTTP → [validate UBL Invoice →] map → FILE target" deployed in DEV
 * through the API, and worker processes from the built apps/worker.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildApiSnapshot, migrate, ROOT } from '../api-dist.mjs';
import { accessToken, benchKeys, seedBenchAdministrator } from '../auth.mjs';
import { onCleanup } from '../cleanup.mjs';
import { cpuMs } from '../load.mjs';
import { sleep } from '../queue/harness.mjs';
import { startServer } from '../servers.mjs';

const WORKER_MAIN = path.join(ROOT, 'dist/apps/worker/apps/worker/src/main.js');
export const INVOICE = path.join(
  ROOT,
  'apps/api/src/demo/data/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml',
);

/** A temporary folder removed by the run's cleanup. */
export function tempFolder(prefix, parent = tmpdir()) {
  const folder = mkdtempSync(path.join(parent, prefix));
  onCleanup(`remove ${folder}`, async () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** `npx nx run worker:build` (cached by Nx when nothing changed). */
function buildWorker() {
  const result = spawnSync('npx', ['nx', 'run', 'worker:build', '--output-style=static'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0 || !existsSync(WORKER_MAIN)) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`npx nx run worker:build failed (exit code ${result.status})`);
  }
}

/**
 * Builds the API and the worker, migrates the run's database, starts the API (development mode:
 * it seeds and deploys the demo package on first start; RUNTIME_WORKER=off: only the worker
 * processes run messages) and waits until the demo flow is deployed. `runtimeEnv`: the RUNTIME_*
 * settings shared by the API (it enqueues) and the workers.
 */
export async function startRuntimeApi(databaseUrl, query, runtimeEnv, poolSize) {
  const api = buildApiSnapshot();
  buildWorker();
  await migrate(api, databaseUrl);
  const keys = benchKeys();
  const token = accessToken(keys.INTEGRIXS_JWT_SECRET, await seedBenchAdministrator(query));
  const dataDir = tempFolder('integrixs-bench-runtime-');
  const server = await startServer(
    'API',
    api.main,
    {
      ...keys,
      ...runtimeEnv,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(poolSize),
      NODE_ENV: 'development',
      INTEGRIXS_SEED_DEMO: 'true',
      INTEGRIXS_DATA_DIR: dataDir,
      RUNTIME_WORKER: 'off',
      LOG_LEVEL: 'warn',
    },
    profileArgs(),
  );
  for (let waited = 0; ; waited += 250) {
    const rows = await query(`SELECT 1 FROM flow_deployments WHERE state = 'DEPLOYED'`);
    if (rows.length > 0) break;
    if (waited > 120_000) throw new Error(`the demo flow was not deployed:\n${server.log()}`);
    await sleep(250);
  }
  return {
    ...server,
    cpuMs: () => cpuMs(server.pid) ?? NaN,
    headers: { authorization: `Bearer ${token}` },
    env: { ...keys, ...runtimeEnv, DATABASE_URL: databaseUrl },
  };
}

async function call(api, method, url, body) {
  const response = await fetch(`${api.url}${url}`, {
    method,
    headers: { ...api.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * The bench flows in the demo package, deployed in DEV: the demo's FILE source adapter with an
 * inbound HTTP trigger → [validate (UBL Invoice, root Invoice) →] map (the demo mapping) → a FILE
 * target writing to `folder`. `flows.full` validates, `flows.map` does not (issue 13 names
 * inbound HTTP → map → FILE for the ratio target, and validation and mapping for the rate).
 */
export async function deployBenchFlows(api, query, folder) {
  const [demo] = await query(
    `SELECT d.package_id, v.content FROM flow_deployments d
       JOIN asset_versions v ON v.asset_id = d.flow_id AND v.version_number = d.flow_version
      WHERE d.state = 'DEPLOYED'`,
  );
  const packageId = demo.package_id;
  const node = (kind) => demo.content.nodes.find((n) => n.kind === kind);
  const base = `/api/packages/${packageId}`;
  const target = await call(api, 'POST', `${base}/adapters`, {
    name: 'Bench invoice summaries (folder)',
    adapterType: 'FILE',
    direction: 'TARGET',
    configuration: { folder },
  });
  const test = await call(api, 'POST', `${base}/adapters/${target.id}/test?environment=DEV`);
  if (!test.ok) throw new Error(`FILE target connection test failed: ${JSON.stringify(test)}`);
  // The demo flow's own nodes, with an inbound HTTP trigger and the FILE target.
  const inbound = { ...node('source'), label: 'Inbound invoices', trigger: { type: 'http' } };
  const deliver = { ...node('target'), label: 'Summary files', adapter: { assetId: target.id } };
  const deploy = async (name, steps) => {
    const chain = [inbound, ...steps, deliver].map((n) => n.id);
    const flow = await call(api, 'POST', `${base}/flows`, {
      name,
      nodes: [inbound, ...steps, deliver, node('errorHandler')],
      edges: chain.slice(1).map((to, i) => ({ from: chain[i], to })),
    });
    await call(api, 'POST', `${base}/flows/${flow.id}/transitions`, { to: 'READY' });
    await call(api, 'POST', `${base}/flows/${flow.id}/deployments`, { environment: 'DEV' });
    return flow.id;
  };
  const validate = { ...node('validate'), id: 'validate' };
  const map = { ...node('map'), id: 'map' };
  return {
    packageId,
    flows: {
      full: await deploy('Bench: inbound invoice, validated, to summary file', [validate, map]),
      map: await deploy('Bench: inbound invoice to summary file', [map]),
    },
  };
}

/** BENCH_RUNTIME_PROFILE=<dir>: the API and each worker write a CPU profile there when they stop. */
function profileArgs() {
  const profile = process.env.BENCH_RUNTIME_PROFILE;
  return profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
}

/**
 * A worker process (dist/apps/worker) with `env`; resolves once it printed that it runs.
 * `cpuMs()`: its CPU time so far; `stop()`: SIGTERM (drain), SIGKILL after 10 s.
 */
export async function startRuntimeWorker(env, name) {
  const child = spawn(process.execPath, [...profileArgs(), WORKER_MAIN], {
    env: { ...process.env, ...env, RUNTIME_TRIGGERS: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  };
  onCleanup(`stop ${name}`, stop);
  await new Promise((resolve, reject) => {
    const keep = (chunk) => {
      log = (log + chunk).slice(-8000);
      if (log.includes('is running')) resolve();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    void exited.then((code) => reject(new Error(`${name} exited (${code}): ${log}`)));
  });
  return { name, pid: child.pid, cpuMs: () => cpuMs(child.pid) ?? NaN, stop, log: () => log };
}
