/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DemoSeeder } from '../../api/src/demo/demo-seeder';
import { INVOICE_SUMMARY_EXPECTED } from '../../api/src/demo/invoice-summary';
import { startTestApp, type TestApp } from '../../api/test/support/test-app';
import {
  accept,
  startReceiver,
  startWorker,
  stepsOf,
  waitFor,
  type RuntimeWorker,
} from './support/runtime-kit';

const EXAMPLE = join(
  __dirname,
  '../../api/src/demo/data/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml',
);

/**
 * End to end through the demo flow (issue 13): a UBL 2.1 Invoice read by the FILE source is
 * validated against the pinned UBL Invoice schema, mapped by the demo's JSONata mapping to the
 * invoice summary and POSTed to the HTTP target — a real server on 127.0.0.1 — exactly once,
 * with its Idempotency-Key.
 */
describe('runtime: the demo flow delivers a UBL invoice summary over HTTP', () => {
  let t: TestApp;
  let worker: RuntimeWorker | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'integrixs-runtime-demo-'));

  beforeAll(async () => {
    t = await startTestApp({ config: { seedDemo: true, dataDir } });
    await t.listen();
    expect(await t.app.get(DemoSeeder).activated).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs as `npm start` leaves it: the summary reaches the demo receiver on this server', async () => {
    const { rows } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM flow_deployments WHERE state = 'DEPLOYED'`,
    );
    expect(rows).toHaveLength(1);
    const id = await accept(t, rows[0].id, readFileSync(EXAMPLE, 'utf8'), 'application/xml');
    worker = await startWorker(t, { stepTimeoutMs: 120_000 });
    await waitFor(t, [id], ['SUCCEEDED'], 60_000);
    await worker.stop();
    worker = undefined;
    const receipts = await t.request({ method: 'GET', url: '/api/demo/receiver' });
    expect(receipts.statusCode).toBe(200);
    const items = (
      JSON.parse(receipts.body) as { items: { idempotencyKey: string; body: string }[] }
    ).items;
    expect(items.map((r) => r.idempotencyKey)).toEqual([`${id}:deliver`]);
    expect(JSON.parse(items[0].body)).toEqual(INVOICE_SUMMARY_EXPECTED);
    const outsider = await t.request({ method: 'GET', url: '/api/demo/receiver', as: null });
    expect(outsider.statusCode).toBe(401);
  }, 150_000);

  it('validates, maps and delivers the OASIS example once, with the key of its message and node', async () => {
    const receiver = await startReceiver();
    try {
      const { rows } = await t.db.pool.query<{
        id: string;
        package_id: string;
        target_id: string;
      }>(
        `SELECT d.id, d.package_id, n->'adapter'->>'assetId' AS target_id
           FROM flow_deployments d
           JOIN asset_versions v ON v.asset_id = d.flow_id AND v.version_number = d.flow_version
           CROSS JOIN jsonb_array_elements(v.content->'nodes') n
          WHERE d.state = 'DEPLOYED' AND n->>'kind' = 'target'`,
      );
      expect(rows).toHaveLength(1);
      const [deployment] = rows;
      // The demo's HTTP target points at this server; in DEV it now points at the receiver.
      const overlay = await t.request({
        method: 'PUT',
        url: `/api/packages/${deployment.package_id}/adapters/${deployment.target_id}/environments/DEV`,
        payload: { values: { baseUrl: `${receiver.url}/invoices` } },
      });
      expect(overlay.statusCode).toBe(200);

      const id = await accept(t, deployment.id, readFileSync(EXAMPLE, 'utf8'), 'application/xml');
      // Compiling the UBL schema set cold on a loaded machine may take long: not a step timeout here.
      worker = await startWorker(t, { stepTimeoutMs: 120_000 });
      await waitFor(t, [id], ['SUCCEEDED'], 60_000);

      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      expect(request).toMatchObject({
        method: 'POST',
        url: '/invoices',
        idempotencyKey: `${id}:deliver`,
        contentType: 'application/json',
      });
      expect(JSON.parse(request.body)).toEqual(INVOICE_SUMMARY_EXPECTED);
      const steps = (await stepsOf(t, id)).filter((s) => s.status === 'SUCCEEDED');
      expect(steps.map((s) => [s.node_id, s.kind, s.status])).toEqual([
        ['validate', 'validate', 'SUCCEEDED'],
        ['summarise', 'map', 'SUCCEEDED'],
        ['deliver', 'target', 'SUCCEEDED'],
      ]);
      expect(steps[2].detail).toMatchObject({ status: 202, idempotencyKey: `${id}:deliver` });
      expect(JSON.parse(steps[1].snapshot ?? '')).toEqual(INVOICE_SUMMARY_EXPECTED);
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
